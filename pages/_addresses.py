"""Every screen's address, named once (not a page: app.py routes with st.navigation).

app.py registers each of these with st.navigation, and every link (st.page_link) and every
move (st.switch_page) names its screen from here, never by a file path typed again.

A screen's url_path is its file's name: on a fresh server's first run Streamlit still treats
pages/ as an old-style pages folder and looks the address up by file name, so any other
url_path would show a false "Page not found" to the first visitor after a restart.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from eha.assessment import Section


@dataclass(frozen=True)
class Address:
    """One screen: its file (relative to app.py, as st.Page, st.page_link and st.switch_page
    take it), its title and icon in the navigation, and the ids it reads from its URL."""

    path: str
    title: str
    icon: str | None = None
    ids: tuple[str, ...] = ()

    @property
    def url_path(self) -> str:
        return PurePosixPath(self.path).stem

    @property
    def opens_an_assessment(self) -> bool:
        return "assessment" in self.ids


_ASSESSMENT = ("assessment",)

FAMILIES = Address("pages/families.py", "Families", ":material/groups:")
MY_FAMILIES = Address("pages/my_families.py", "My families", ":material/folder_shared:")
FAMILY = Address("pages/family.py", "Family", ":material/home:", ids=("family",))
BACKGROUND = Address("pages/background.py", "Family background", ":material/badge:", ids=_ASSESSMENT)
CARERS_VIEWS = Address("pages/carers_views.py", "Parents' and carers' views", ids=_ASSESSMENT)
CHILDS_VIEW = Address("pages/childs_view.py", "Child's view", ids=_ASSESSMENT)
PROFESSIONAL_VIEWS = Address("pages/professional_views.py", "Professional views", ids=_ASSESSMENT)
PLAN = Address("pages/plan.py", "Summary, plan and next steps", ids=_ASSESSMENT)
CONSENT = Address("pages/consent.py", "Consent", ids=_ASSESSMENT)
CHECK_ANSWERS = Address("pages/check_answers.py", "Check your answers", ids=_ASSESSMENT)
STAR = Address("pages/star.py", "Family Star Plus", ":material/star:", ids=_ASSESSMENT)
STAR_QUICK = Address("pages/star_quick.py", "Star quick entry", ":material/edit_note:", ids=_ASSESSMENT)
STAR_CHART = Address("pages/star_chart.py", "Star chart", ":material/radar:", ids=_ASSESSMENT)
TAF = Address("pages/taf.py", "Team Around the Family", ":material/diversity_3:", ids=_ASSESSMENT)
TAF_MEETING = Address("pages/taf_meeting.py", "TAF meeting", ":material/event:", ids=("assessment", "meeting"))
TAF_CLOSE = Address("pages/taf_close.py", "Closing the TAF", ":material/task_alt:", ids=_ASSESSMENT)
SHARING = Address("pages/sharing.py", "Record of sharing", ":material/share:", ids=("family",))
AUDIT = Address("pages/audit.py", "Audit trail", ":material/policy:")
SIGN_OUT = Address("pages/sign_out.py", "Sign out", ":material/logout:")

# Every screen, in the order app.py registers them.
ALL: tuple[Address, ...] = (
    FAMILIES,
    MY_FAMILIES,
    FAMILY,
    BACKGROUND,
    CARERS_VIEWS,
    CHILDS_VIEW,
    PROFESSIONAL_VIEWS,
    PLAN,
    CONSENT,
    CHECK_ANSWERS,
    STAR,
    STAR_QUICK,
    STAR_CHART,
    TAF,
    TAF_MEETING,
    TAF_CLOSE,
    SHARING,
    AUDIT,
    SIGN_OUT,
)

# The screen of each section of the assessment (section 3 is the star).
SECTIONS: dict[Section, Address] = {
    Section.BACKGROUND: BACKGROUND,
    Section.CARERS: CARERS_VIEWS,
    Section.STAR: STAR,
    Section.CHILDREN: CHILDS_VIEW,
    Section.PROFESSIONALS: PROFESSIONAL_VIEWS,
    Section.PLAN: PLAN,
    Section.CONSENT: CONSENT,
}
