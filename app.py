"""The workbook's entry point: only a router. Each screen lives in pages/.

No page is drawn until someone has signed in; what each person may then see is decided by the
service layer, not by which links are shown.
"""

from __future__ import annotations

import streamlit as st

from eha.actor import Role
from pages import _ui

_ui.configure_page()

actor = _ui.resolve_sign_in()
admin = actor is not None and actor.role is Role.ADMIN

families = st.Page("pages/families.py", title="Families", icon=":material/groups:", default=not admin)
family = st.Page("pages/family.py", title="Family", icon=":material/home:", url_path="family")
background = st.Page("pages/background.py", title="Family background", icon=":material/badge:", url_path="background")
star = st.Page("pages/star.py", title="Family Star Plus", icon=":material/star:", url_path="star")
star_quick = st.Page(
    "pages/star_quick.py", title="Star quick entry", icon=":material/edit_note:", url_path="star_quick"
)
star_chart = st.Page("pages/star_chart.py", title="Star chart", icon=":material/radar:", url_path="star_chart")
carers_views = st.Page("pages/carers_views.py", title="Parents' and carers' views", url_path="carers_views")
childs_view = st.Page("pages/childs_view.py", title="Child's view", url_path="childs_view")
professional_views = st.Page("pages/professional_views.py", title="Professional views", url_path="professional_views")
plan = st.Page("pages/plan.py", title="Summary, plan and next steps", url_path="plan")
consent = st.Page("pages/consent.py", title="Consent", url_path="consent")
check_answers = st.Page("pages/check_answers.py", title="Check your answers", url_path="check_answers")
sharing = st.Page("pages/sharing.py", title="Record of sharing", icon=":material/share:", url_path="sharing")
audit = st.Page("pages/audit.py", title="Audit trail", icon=":material/policy:", url_path="audit", default=admin)
my_families = st.Page(
    "pages/my_families.py", title="My families", icon=":material/folder_shared:", url_path="my_families"
)
taf = st.Page("pages/taf.py", title="Team Around the Family", icon=":material/diversity_3:", url_path="taf")
taf_meeting = st.Page("pages/taf_meeting.py", title="TAF meeting", icon=":material/event:", url_path="taf_meeting")
taf_close = st.Page("pages/taf_close.py", title="Closing the TAF", icon=":material/task_alt:", url_path="taf_close")
sign_out = st.Page("pages/sign_out.py", title="Sign out", icon=":material/logout:", url_path="sign_out")
assessment_pages = [carers_views, childs_view, professional_views, plan, consent, check_answers]
star_pages = [star, star_quick, star_chart]

# Every page is registered for everyone, so a link keeps its address through signing in; family
# and section pages need an id in the URL, so they are reached from a family, not the menu.
# Each url_path is its file's name: on a fresh server's first run Streamlit still treats pages/
# as an old-style pages folder and looks the address up by file name, running that page
# without this router (so every page checks the sign-in itself, through _ui.current_actor).
page = st.navigation(
    [
        families,
        my_families,
        family,
        background,
        *assessment_pages,
        *star_pages,
        taf,
        taf_meeting,
        taf_close,
        sharing,
        audit,
        sign_out,
    ],
    position="hidden",
)
if actor is None:
    _ui.keep_cookie()
    _ui.sign_in_screen()
else:
    # Each page starts with _ui.current_actor(), which draws the sidebar and checks again.
    page.run()
