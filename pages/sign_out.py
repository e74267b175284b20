"""Signing out: ends the sign-in on the server (audited) and in this browser, then shows the
sign-in screen."""

from __future__ import annotations

import streamlit as st

from pages import _addresses, _ui

_ui.sign_out()
st.switch_page(_addresses.FAMILIES.path)
