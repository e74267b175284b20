"""My families filtered by review date, status and lead professional: the filters are in the
address (a refresh keeps them), the lead only as an opaque token, and an LCSS reviewer filters
their locality's caseload the same way."""

from eha.family import AssessmentStatus
from eha.taf import LeadProfessional
from storage.services import Workbook
from tests.support.eha import completed_family
from tests.ui.conftest import ACTOR


def agree(workbook: Workbook, assessment_id: str, lead: LeadProfessional) -> None:
    version = workbook.assessments.open(assessment_id=assessment_id, actor=ACTOR).taf.lead_version
    workbook.taf.agree_lead_professional(
        assessment_id=assessment_id, expected_version=version, lead=lead, from_on=workbook.today(), actor=ACTOR
    )


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_the_filters_are_kept_in_the_address_and_name_nobody(open_page, workbook, family):
    _, jos = completed_family(workbook, ACTOR, child="Beth Two")
    completed_family(workbook, ACTOR, child="Cal Three")
    agree(workbook, jos, LeadProfessional(name="*Jo* Bloggs", agency="Cherwell School", role="SENCo"))
    at = open_page("pages/my_families.py")
    assert "3 families · 0 overdue · 0 due this week" in captions(at)
    lead = at.selectbox(key="filter:lead")
    # Names are drawn as typed (a selectbox's options are plain text).
    assert lead.options == ["Any lead professional", "*Jo* Bloggs (Cherwell School)"]

    (choice,) = workbook.taf.my_families(actor=ACTOR).leads
    lead.select(choice.token).run()
    token = at.query_params["lead"]
    assert token == choice.token
    assert "jo" not in token.lower() and "bloggs" not in token.lower()
    assert "1 family · 0 overdue · 0 due this week" in captions(at)
    assert [t.value for t in at.text if "Beth Two" in t.value]
    at.selectbox(key="filter:status").select(AssessmentStatus.DRAFT.value).run()
    assert at.query_params["status"] == "draft"
    assert "No families match these filters." in [i.value for i in at.info]

    # A refresh (the address alone) shows the same filters; "any" takes a filter away.
    again = open_page("pages/my_families.py", status="completed", lead=token)
    assert again.selectbox(key="filter:lead").value == token
    assert "1 family · 0 overdue · 0 due this week" in captions(again)
    again.selectbox(key="filter:lead").select("").run()
    assert "lead" not in again.query_params and again.query_params["status"] == "completed"
    assert "2 families · 0 overdue · 0 due this week" in captions(again)
    again.selectbox(key="filter:due").select("overdue").run()
    assert "No families match these filters." in [i.value for i in again.info]

    # The LCSS reviewer of Central: the locality's caseload, the same leads to choose from.
    lcss = open_page("pages/my_families.py", as_="lcss.central", lead=token)
    assert "1 family · 0 overdue · 0 due this week" in captions(lcss)
    assert lcss.selectbox(key="filter:lead").value == token
