"""The contact log on the family's page, through Streamlit's AppTest: recording a contact, an
error beside its field with nothing typed lost, removal with a reason, the text shown exactly,
an LCSS reviewer's read-only log, and still one "viewed" entry per run of the page."""

from datetime import timedelta

from eha.audit import AuditAction
from eha.contacts import Contact, ContactKind
from storage.services import Workbook
from tests.support.hostile import HOSTILE
from tests.ui.conftest import ACTOR, OPERATOR

SUBMIT = "FormSubmitter:form:contact:{}-Record the contact"


def red(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(":red[")]


def texts(at) -> list[str]:
    return [t.value for t in at.text]


def contact(workbook: Workbook, **changes) -> Contact:
    fields = {
        "contact_on": workbook.today() - timedelta(days=1),
        "kind": ContactKind.PHONE_CALL,
        "who": "Maryam (mum)",
        "note": "Rang to check the new routine.",
    }
    return Contact(**{**fields, **changes})


def test_a_contact_is_recorded_and_listed_and_the_form_starts_afresh(open_page, workbook: Workbook, family):
    at = open_page("pages/family.py", family=family[0])
    assert "Contact log" in [h.value for h in at.subheader]
    assert "No contacts recorded yet." in [i.value for i in at.info]
    at.date_input(key="contact:0:contact_on").set_value(workbook.today() - timedelta(days=2))
    at.selectbox(key="contact:0:kind").set_value(ContactKind.MEETING)
    at.text_input(key="contact:0:who").input("Mum and the school nurse")
    at.text_area(key="contact:0:note").input("Met at school about the morning routine.")
    at.button(key=SUBMIT.format(0)).click().run()
    assert not at.exception
    (saved,) = workbook.contacts.entries(family_id=family[0], actor=ACTOR)
    assert saved.contact == Contact(
        contact_on=workbook.today() - timedelta(days=2),
        kind=ContactKind.MEETING,
        who="Mum and the school nurse",
        note="Met at school about the morning routine.",
    )
    assert any(s.value.startswith("Saved at ") for s in at.success)
    assert "Who: Mum and the school nurse\nMet at school about the morning routine." in texts(at)
    assert any("Meeting outside the TAF" in m.value for m in at.markdown)
    assert at.text_input(key="contact:1:who").value == ""  # a fresh form for the next one


def test_a_missing_field_is_shown_beside_it_and_what_was_typed_is_kept(open_page, workbook: Workbook, family):
    at = open_page("pages/family.py", family=family[0])
    at.selectbox(key="contact:0:kind").set_value(ContactKind.OTHER)
    at.text_area(key="contact:0:note").input("Left a card: nobody was in.")
    at.button(key=SUBMIT.format(0)).click().run()
    assert not at.exception
    assert at.error[0].value.startswith("There is a problem")
    assert ":red[Enter who was involved\\.]" in red(at)
    assert ":red[Say what kind of contact it was\\.]" in red(at)
    assert at.text_area(key="contact:0:note").value == "Left a card: nobody was in."
    assert workbook.contacts.entries(family_id=family[0], actor=ACTOR) == ()

    at.text_input(key="contact:0:who").input("Nobody in")
    at.text_input(key="contact:0:kind_other").input("A card through the door")
    at.button(key=SUBMIT.format(0)).click().run()
    (saved,) = workbook.contacts.entries(family_id=family[0], actor=ACTOR)
    assert saved.kind_label == "Other: A card through the door"
    assert red(at) == []


def test_the_log_shows_hostile_text_exactly(open_page, workbook: Workbook, family):
    workbook.contacts.record(
        family_id=family[0],
        contact=contact(workbook, who=HOSTILE, note=HOSTILE, kind=ContactKind.OTHER, kind_other=HOSTILE),
        actor=ACTOR,
    )
    at = open_page("pages/family.py", family=family[0])
    # st.text drops the trailing space HOSTILE ends with; everything else is drawn as typed.
    assert f"Who: {HOSTILE}\n{HOSTILE}".rstrip() in texts(at)
    heading = next(m.value for m in at.markdown if m.value.startswith("**") and "Other" in m.value)
    assert "*Jo*" not in heading and "\\*Jo\\*" in heading  # escaped, so drawn as typed


def test_a_contact_is_removed_with_a_reason_and_stays_listed_as_removed(open_page, workbook: Workbook, family):
    saved = workbook.contacts.record(family_id=family[0], contact=contact(workbook), actor=ACTOR)
    at = open_page("pages/family.py", family=family[0])
    at.button(key=f"contact:remove:{saved.id}").click().run()
    submit = f"FormSubmitter:form:contact-remove:{saved.id}-Remove this contact"
    at.button(key=submit).click().run()
    assert ":red[Enter why this contact is being removed\\.]" in red(at)
    assert not workbook.contacts.entries(family_id=family[0], actor=ACTOR)[0].removed

    at.text_area(key=f"contact:remove-reason:{saved.id}").input("Recorded on the wrong family")
    at.button(key=submit).click().run()
    assert not at.exception
    (removed,) = workbook.contacts.entries(family_id=family[0], actor=ACTOR)
    assert removed.removal is not None and removed.removal.reason == "Recorded on the wrong family"
    assert "Removed contacts (1)" in [e.label for e in at.expander]
    assert any("Recorded on the wrong family" in t for t in texts(at))
    assert "Who: Maryam (mum)\nRang to check the new routine." not in texts(at)  # no longer in the log
    assert "No contacts recorded yet." in [i.value for i in at.info]


def test_an_lcss_reviewer_sees_the_log_without_a_form(open_page, workbook: Workbook, family):
    saved = workbook.contacts.record(family_id=family[0], contact=contact(workbook), actor=ACTOR)
    at = open_page("pages/family.py", as_="lcss.central", family=family[0])
    assert "Who: Maryam (mum)\nRang to check the new routine." in texts(at)
    keys = {w.key for kind in ("text_input", "text_area", "selectbox", "date_input") for w in at.get(kind)}
    assert not {k for k in keys if k and k.startswith("contact:")}
    assert all(b.key != f"contact:remove:{saved.id}" for b in at.button)
    assert any("can read this record but not change it" in i.value for i in at.info)


def viewed(workbook: Workbook, username: str) -> int:
    lines = workbook.audit.trail(actor=OPERATOR, person=username)
    return len([line for line in lines if line.entry.action == AuditAction.VIEWED.value])


def test_each_run_of_the_family_page_is_one_view_with_its_contacts(open_page, workbook: Workbook, family):
    workbook.contacts.record(family_id=family[0], contact=contact(workbook), actor=ACTOR)
    at = open_page("pages/family.py", family=family[0])
    before = viewed(workbook, ACTOR.username)
    at.run()
    assert viewed(workbook, ACTOR.username) == before + 1
    at.text_input(key="contact:0:who").input("Mum")
    at.text_area(key="contact:0:note").input("Quick call.")
    at.button(key=SUBMIT.format(0)).click().run()  # the save's run, and the run it asks for
    assert len(workbook.contacts.entries(family_id=family[0], actor=OPERATOR)) == 2
    assert viewed(workbook, ACTOR.username) == before + 3
