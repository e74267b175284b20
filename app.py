"""The workbook's entry point: only a router. Each screen lives in pages/.

No page is drawn until someone has signed in; what each person may then see is decided by the
service layer, not by which links are shown.
"""

from __future__ import annotations

import streamlit as st

from eha.actor import Role
from pages import _addresses, _ui

_ui.configure_page()

actor = _ui.resolve_sign_in()
admin = actor is not None and actor.role is Role.ADMIN
start = _addresses.AUDIT if admin else _addresses.FAMILIES

# Every page is registered for everyone, so a link keeps its address through signing in; family
# and section pages need an id in the URL, so they are reached from a family, not the menu.
# Each url_path is its file's name: on a fresh server's first run Streamlit still treats pages/
# as an old-style pages folder and looks the address up by file name, running that page
# without this router (so every page checks the sign-in itself, through _ui.current_actor).
page = st.navigation(
    [st.Page(a.path, title=a.title, icon=a.icon, url_path=a.url_path, default=a is start) for a in _addresses.ALL],
    position="hidden",
)
if actor is None:
    _ui.keep_cookie()
    _ui.sign_in_screen()
else:
    # Each page starts with _ui.current_actor(), which draws the sidebar and checks again.
    page.run()
