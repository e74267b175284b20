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

# Family and section pages need an id in the URL, so they are reached from a family, not the menu.
page = st.navigation([families, family, background, star, star_quick, star_chart], position="hidden")
with st.sidebar:
    st.page_link(families, label="Find or create a family", icon=":material/search:")
page.run()
