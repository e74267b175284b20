"""The workbook's entry point: only a router. Each screen lives in pages/.

No page is drawn until someone has signed in; what each person may then see is decided by the
service layer, not by which links are shown.
"""

from __future__ import annotations

import streamlit as st

from eha.actor import Role
from pages import _sign_in, _ui

st.set_page_config(page_title="EHA workbook", page_icon=":material/family_restroom:", layout="wide")

actor = _ui.resolve_sign_in()
admin = actor is not None and actor.role is Role.ADMIN

families = st.Page("pages/families.py", title="Families", icon=":material/groups:", default=not admin)
family = st.Page("pages/family.py", title="Family", icon=":material/home:", url_path="family")
background = st.Page("pages/background.py", title="Family background", icon=":material/badge:", url_path="background")
sharing = st.Page("pages/sharing.py", title="Record of sharing", icon=":material/share:", url_path="sharing")
audit = st.Page("pages/audit.py", title="Audit trail", icon=":material/policy:", url_path="audit", default=admin)
sign_out = st.Page("pages/sign_out.py", title="Sign out", icon=":material/logout:", url_path="sign_out")

# Every page is registered for everyone, so a link keeps its address through signing in; family
# and section pages need an id in the URL, so they are reached from a family, not the menu.
page = st.navigation([families, family, background, sharing, audit, sign_out], position="hidden")
if actor is None:
    _ui.keep_cookie()
    _sign_in.show()
else:
    # Each page starts with _ui.current_actor(), which draws the sidebar and checks again.
    page.run()
