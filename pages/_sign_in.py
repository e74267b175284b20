"""The sign-in screen, drawn by app.py in place of any page while no one is signed in, so a
link to a record still opens that record once the person has signed in."""

from __future__ import annotations

import streamlit as st

from eha.actor import may_see_case_data
from eha.errors import SignInRefused
from pages import _addresses, _ui


def show() -> None:
    st.title("Sign in to the EHA workbook")
    notice = st.session_state.get(_ui.NOTICE)
    if notice:
        st.warning(notice, icon=":material/info:")  # markdown: the workbook's own notice (SignedOut)
    refused = st.session_state.get("sign_in:refused")
    if refused:
        st.error(refused, icon=":material/error:")  # markdown: the workbook's own refusal (SignInRefused)
    with st.form("sign-in", clear_on_submit=True):
        username = st.text_input("Username", key="sign_in:username", autocomplete="username")
        password = st.text_input("Password", type="password", key="sign_in:password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary")
    if submitted:
        try:
            signed_in = _ui.workbook().sign_in(username=username or "", password=password or "")
        except SignInRefused as exc:
            st.session_state["sign_in:refused"] = str(exc)
        else:
            st.session_state.pop("sign_in:refused", None)
            _ui.remember(signed_in)
            if not may_see_case_data(signed_in.actor):
                # The page this run was drawn over is a case page (Families, or a deep link),
                # which would only refuse them: someone with no case data starts at the trail.
                st.switch_page(_addresses.AUDIT.path)
        st.rerun()
    if _ui.sso_configured():
        st.divider()
        if st.button("Sign in with your organisation account", icon=":material/badge:"):
            st.login()
