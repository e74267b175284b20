"""The audit page as an administrator and as the family's LCSS reviewer (AppTest): both read
what changed, who and when; only the reviewer reads the values."""

from storage.services import Workbook
from tests.ui.conftest import ACTOR

WORDS = "Mornings are hard since Dad left <b>&</b> **Ayaan** 😀"
REASON = "Ayaan's attendance fell after the move to Quarry Road."


def table(at) -> str:
    return "\n".join(frame.value.to_csv() for frame in at.dataframe)


def test_the_audit_page_hides_a_familys_values_from_an_administrator_and_says_why(
    open_page, workbook: Workbook, family
):
    _, assessment_id = family
    view = workbook.assessments.open(assessment_id=assessment_id, actor=ACTOR)
    workbook.assessments.save_details(
        assessment_id=assessment_id,
        expected_version=view.background.version,
        address="9 Quarry Road",
        reason=REASON,
        actor=ACTOR,
    )
    eha = workbook.assessments.open(assessment_id=assessment_id, actor=ACTOR)
    from eha.views import CarerView

    carer = eha.background.data.main_carer()
    assert carer is not None
    workbook.assessments.save_carer_view(
        assessment_id=assessment_id,
        expected_version=eha.carers.version,
        view=CarerView(carer_id=carer.id, own_words=WORDS),
        actor=ACTOR,
    )
    workbook.families.search(query="Ayaan Khan", actor=ACTOR)

    admin = open_page("pages/audit.py", as_="ada.admin")
    shown = table(admin)
    for needle in ("Mornings", "Quarry", "Ayaan", "Maryam", "Cowley"):
        assert needle not in shown, needle
    frame = admin.dataframe[0].value
    changed = frame[(frame["Record"] == f"assessment:{assessment_id}/background") & (frame["What"] == "Changed")]
    assert len(changed) == 1
    assert '"field":"reason"' in changed["Details"].iloc[0] and "[value hidden]" in changed["Details"].iloc[0]
    assert changed["Values"].iloc[0] == "Value hidden: you can't see this family's record"
    assert changed["Who"].iloc[0] == "demo.practitioner"
    assert any("families whose record you can't see" in c.value for c in admin.caption)

    lcss = open_page("pages/audit.py", as_="lcss.central")
    shown = table(lcss)
    assert "Mornings are hard since Dad left <b>&</b> **Ayaan** 😀" in shown and REASON in shown
    assert "Value hidden" not in shown
    assert not any("families whose record you can't see" in c.value for c in lcss.caption)


def test_without_an_audit_key_the_app_says_what_to_set_instead_of_starting(sqlite_url: str, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from tests.ui.conftest import APP

    monkeypatch.setenv("EHA_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("EHA_AUDIT_KEY", "")
    monkeypatch.setenv("EHA_AUDIT_KEY_FILE", "")
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=30).run()
    finally:
        st.cache_resource.clear()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("The workbook cannot start. There is no audit key")
    assert "EHA\\_AUDIT\\_KEY" in error  # drawn literally, not as markdown
    assert not at.text_input  # no sign-in form
