"""The workbook's entry point: only a router. Each screen lives in pages/."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="EHA workbook", page_icon=":material/family_restroom:", layout="wide")

families = st.Page("pages/families.py", title="Families", icon=":material/groups:", default=True)
family = st.Page("pages/family.py", title="Family", icon=":material/home:", url_path="family")
background = st.Page("pages/background.py", title="Family background", icon=":material/badge:", url_path="background")
star = st.Page("pages/star.py", title="Family Star Plus", icon=":material/star:", url_path="star")
star_quick = st.Page(
    "pages/star_quick.py", title="Star quick entry", icon=":material/edit_note:", url_path="star-quick"
)
star_chart = st.Page("pages/star_chart.py", title="Star chart", icon=":material/radar:", url_path="star-chart")
carers_views = st.Page("pages/carers_views.py", title="Parents' and carers' views", url_path="carers-views")
childs_view = st.Page("pages/childs_view.py", title="Child's view", url_path="childs-view")
professional_views = st.Page("pages/professional_views.py", title="Professional views", url_path="professional-views")
plan = st.Page("pages/plan.py", title="Summary, plan and next steps", url_path="plan")
consent = st.Page("pages/consent.py", title="Consent", url_path="consent")
check_answers = st.Page("pages/check_answers.py", title="Check your answers", url_path="check-answers")
assessment_pages = [carers_views, childs_view, professional_views, plan, consent, check_answers]
star_pages = [star, star_quick, star_chart]

# Family and section pages need an id in the URL, so they are reached from a family, not the menu.
page = st.navigation([families, family, background, *assessment_pages, *star_pages], position="hidden")
with st.sidebar:
    st.page_link(families, label="Find or create a family", icon=":material/search:")
page.run()
