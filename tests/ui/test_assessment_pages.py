"""Every page of the assessment through Streamlit's AppTest: sections 1-6, consent, check your answers."""

from datetime import timedelta

import pytest

from eha.assessment import Section
from eha.background import Child
from eha.consent import ConsentKind, ConsentMethod, DecisionAnswers, coverage
from eha.family import AssessmentStatus
from eha.plan import DesiredOutcome, PlanAction
from eha.recipients import Recipient, RecipientKind
from eha.threshold import SameDayConcern, ThresholdLevel
from storage.services import Workbook
from tests.support.eha import TINY_PDF, add_professional, give_consent, make_ready, png_claiming, tiny_png
from tests.support.hostile import HOSTILE, LONG
from tests.ui.conftest import ACTOR

ASSESSMENT_PAGES = (
    "pages/background.py",
    "pages/carers_views.py",
    "pages/childs_view.py",
    "pages/professional_views.py",
    "pages/plan.py",
    "pages/consent.py",
    "pages/check_answers.py",
)


def texts(at) -> str:
    """Everything on screen; markdown escapes dropped, so text reads as the person sees it."""
    return "\n".join(
        [e.value for e in at.markdown]
        + [e.value for e in at.text]
        + [e.value for e in at.caption]
        + [e.value for e in at.title]
        + [e.value for e in at.header]
        + [e.value for e in at.subheader]
        + [e.value for e in at.info]
        + [e.value for e in at.warning]
        + [e.value for e in at.error]
        + [e.value for e in at.success]
    ).replace("\\", "")


def red(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith(":red[")]


def submit(at, form: str, label: str) -> None:
    at.button(key=f"FormSubmitter:form:{form}-{label}").click().run()
    assert not at.exception, at.exception


def eha(workbook: Workbook, assessment_id: str):
    return workbook.assessments.open(assessment_id=assessment_id, actor=ACTOR)


@pytest.mark.parametrize("page", ASSESSMENT_PAGES)
def test_every_assessment_page_shows_the_progress_list_with_links_and_when_it_was_saved(
    open_page, workbook, family, page
):
    at = open_page(page, assessment=family[1])
    links = [p.value for p in at.sidebar.get("page_link")]
    assert any(link.startswith("Family EH-") for link in links)
    for section in Section:
        assert any(link.startswith(section.heading + " · ") for link in links), section
    assert "3. Outcome Star · not started" in links
    assert "Star chart across reviews" in links
    assert "Check your answers" in links
    assert any(c.value.startswith("Saved ") for c in at.sidebar.caption)
    assert any("Early Help Assessment · Draft" in c.value for c in at.sidebar.caption)


def test_section_one_threshold_and_start_date_save_and_level_four_says_it_is_social_care(open_page, workbook, family):
    at = open_page("pages/background.py", assessment=family[1])
    assert "Still to do: choose the threshold of need level." in texts(at)
    at.radio(key="level:level:0").set_value(ThresholdLevel.CRITICAL)
    at.date_input(key="level:started_on:0").set_value(workbook.today() - timedelta(days=2))
    submit(at, "level", "Save level and date")
    a = eha(workbook, family[1])
    assert a.threshold.data.level is ThresholdLevel.CRITICAL
    assert a.started_on == workbook.today() - timedelta(days=2)
    assert "children's social care, not early help" in texts(at)
    assert any(s.value.startswith("Saved at ") for s in at.success)


def test_a_same_day_concern_shows_the_mash_contact_and_clearing_needs_their_advice(open_page, workbook, family):
    at = open_page("pages/background.py", assessment=family[1])
    at.checkbox(key=f"same-day:{SameDayConcern.ABANDONED.value}:0").check()
    submit(at, "same-day", "Save the checks")
    shown = texts(at)
    assert "Contact the MASH today" in shown and "0345 050 7666" in shown and "0800 833 408" in shown
    assert eha(workbook, family[1]).threshold.data.stopped

    # The stop is shown on every other page of the assessment too.
    assert "Contact the MASH today" in texts(open_page("pages/plan.py", assessment=family[1]))

    at.checkbox(key=f"same-day:{SameDayConcern.ABANDONED.value}:0").uncheck()
    submit(at, "same-day", "Save the checks")
    assert any("what the MASH advised" in m for m in red(at))
    assert eha(workbook, family[1]).threshold.data.stopped
    at.text_area(key="same-day:note:0").input("MASH advised early help " + HOSTILE)
    submit(at, "same-day", "Save the checks")
    log = eha(workbook, family[1]).threshold.data.mash_log
    assert [e.kind for e in log] == ["stopped", "resumed"] and log[1].note.endswith(HOSTILE)


def test_carers_views_keep_hostile_and_long_text_exactly(open_page, workbook, family):
    carer = eha(workbook, family[1]).background.data.carers[0]
    at = open_page("pages/carers_views.py", assessment=family[1])
    form = f"carer-{carer.id}"
    assert "the view of Maryam Khan" in texts(at)
    big = HOSTILE + LONG
    for field in ("own_words", "going_well", "worries", "would_like_to_change", "not_given_reason"):
        at.text_area(key=f"{form}:{field}:0").input(f"{field}: {big}")
    submit(at, form, "Save")
    view = eha(workbook, family[1]).carers.data.for_carer(carer.id)
    assert view is not None and view.own_words == f"own_words: {big}" and view.worries == f"worries: {big}"
    assert at.text_area(key=f"{form}:own_words:0").value == f"own_words: {big}"
    assert any(s.value.startswith("Saved at ") for s in at.success)
    assert eha(workbook, family[1]).status_of(Section.CARERS).value == "complete"


def test_childs_view_saves_and_refuses_a_young_child_asked_directly(open_page, workbook, family):
    child = eha(workbook, family[1]).background.data.children[0]
    at = open_page("pages/childs_view.py", assessment=family[1])
    form = f"child-{child.id}"
    assert not at.checkbox  # what is saved is shown; the form opens on Edit
    at.button(key=f"edit:{child.id}").click().run()
    at.checkbox(key=f"{form}:too_young:0").check()
    at.selectbox(key=f"{form}:how_gathered:0").select_index(0)  # directly
    submit(at, form, "Save")
    assert any("too young" in m for m in red(at))
    assert at.checkbox(key=f"{form}:too_young:0").value is True  # what was typed is kept
    at.selectbox(key=f"{form}:how_gathered:0").select_index(5)  # observation
    at.text_area(key=f"{form}:observation:0").input(HOSTILE)
    at.text_input(key=f"{form}:gathered_by:0").set_value("Health visitor")
    at.date_input(key=f"{form}:gathered_on:0").set_value(workbook.today())
    submit(at, form, "Save")
    view = eha(workbook, family[1]).children.data.for_child(child.id)
    assert view is not None and view.observation == HOSTILE and view.too_young
    assert eha(workbook, family[1]).status_of(Section.CHILDREN).value == "complete"
    # The form closes; the summary shows what was saved, exactly.
    assert not at.checkbox and any(s.value.startswith("Saved at ") for s in at.success)
    assert any(f"{HOSTILE}\nHow the view was gathered: " in t.value for t in at.text)


def test_childs_work_wrong_type_and_oversized_files_are_refused_and_good_ones_previewed(
    open_page, workbook, family, monkeypatch
):
    # The app under test uses this very workbook, so its limit is the app's limit: about 51 KB.
    monkeypatch.setattr(workbook.assessments, "upload_limit", int(0.05 * 1024 * 1024))
    child = eha(workbook, family[1]).background.data.children[0]
    at = open_page("pages/childs_view.py", assessment=family[1])
    form = f"work-{child.id}"

    def attach(name: str, content: bytes, mime: str) -> None:
        at.file_uploader(key=f"{form}:file").set_value((name, content, mime))
        submit(at, form, "Attach")

    attach("drawing.png", b"MZ\x90\x00 not a picture", "image/png")
    assert any("PNG or JPEG, or a PDF" in m for m in red(at))
    attach("huge.png", tiny_png() + b"\0" * 60_000, "image/png")
    assert any("files must be 51 KB or smaller" in m for m in red(at))
    assert eha(workbook, family[1]).child_work == ()

    attach("house <b>& 😀.png", tiny_png(), "image/png")
    attach("wishes.pdf", TINY_PDF, "application/pdf")
    works = eha(workbook, family[1]).child_work
    assert [w.media_type for w in works] == ["image/png", "application/pdf"]
    assert len(at.get("image")) == 1  # the image is shown; the PDF is offered to download
    assert len(at.get("download_button")) == 2
    assert any(t.value.startswith("house <b>& 😀.png · ") for t in at.text)

    at.button(key=f"remove:{works[1].id}").click().run()
    at.button(key=f"yes:work:{works[1].id}").click().run()
    assert [w.id for w in eha(workbook, family[1]).child_work] == [works[0].id]


def store_as_older_versions_did(workbook: Workbook, assessment_id: str, child_id: str, name: str, data: bytes) -> str:
    """A file put straight into the database, as uploads were kept before they were decoded."""
    import uuid

    from storage.models import AttachmentRow

    row_id = str(uuid.uuid4())
    with workbook._core._sessions.begin() as session:
        session.add(
            AttachmentRow(
                id=row_id,
                assessment_id=assessment_id,
                child_id=child_id,
                filename=name,
                media_type="image/png",
                size=len(data),
                data=data,
                uploaded_at=workbook.now(),
                uploaded_by=ACTOR.username,
            )
        )
    return row_id


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + b"garbage" * 10,
        b"\x89PNG\r\n\x1a\n<!doctype html><script>alert(1)</script>",
        png_claiming(100_000, 100_000),
    ],
    ids=["garbage", "html", "100000x100000"],
)
def test_a_damaged_picture_already_stored_shows_a_placeholder_and_can_still_be_removed(
    open_page, workbook, family, content
):
    child = eha(workbook, family[1]).background.data.children[0]
    good = workbook.assessments.add_child_work(
        assessment_id=family[1], child_id=child.id, filename="house.png", content=tiny_png(), actor=ACTOR
    )
    broken = store_as_older_versions_did(workbook, family[1], child.id, "drawing.png", content)
    at = open_page("pages/childs_view.py", assessment=family[1])
    assert not at.exception
    assert "This picture can't be shown (the file is damaged); remove it and upload it again" in texts(at)
    assert len(at.get("image")) == 1  # the good picture is still shown
    assert len(at.get("download_button")) == 2  # and both can still be downloaded
    at.button(key=f"remove:{broken}").click().run()
    at.button(key=f"yes:work:{broken}").click().run()
    assert not at.exception
    assert [w.id for w in eha(workbook, family[1]).child_work] == [good.id]
    assert "can't be shown" not in texts(at)


def test_professional_views_save_and_sharing_is_refused_after_consent_is_withdrawn(open_page, workbook, family):
    first = add_professional(workbook, family[1], ACTOR, "Dr Adaeze Okafor")
    second = add_professional(workbook, family[1], ACTOR, "Ms Siân Davies")
    at = open_page("pages/professional_views.py", assessment=family[1])
    form = f"professional-{first}"
    at.button(key=f"edit:{first}").click().run()
    assert at.text_input(key=f"{form}:agency:0").value == "GP surgery"  # from section 1
    at.text_area(key=f"{form}:view:0").input(HOSTILE)
    at.multiselect(key=f"{form}:may_receive:0").select(second)
    submit(at, form, "Save")
    view = eha(workbook, family[1]).professionals.data.for_professional(first)
    assert view is not None and view.view == HOSTILE and view.may_receive == (second,)

    make_ready(workbook, family[1], ACTOR)
    a = eha(workbook, family[1])
    workbook.assessments.record_consent_decision(
        assessment_id=family[1],
        expected_version=a.consent.version,
        decision=DecisionAnswers(
            person_id=a.background.data.carers[0].id,
            kind=ConsentKind.WITHDRAWN,
            method=ConsentMethod.VERBAL,
            decided_on=workbook.today(),
            explained="All sharing stops.",
        ),
        actor=ACTOR,
    )
    at = open_page("pages/professional_views.py", assessment=family[1])
    assert "Sharing is not possible now" in texts(at)
    at.button(key=f"edit:{first}").click().run()
    at.multiselect(key=f"{form}:may_receive:0").select(second)
    submit(at, form, "Save")
    assert any("cannot be shared" in m for m in red(at))


def test_the_plan_needs_smart_actions_linked_to_outcomes(open_page, workbook, family):
    at = open_page("pages/plan.py", assessment=family[1])
    assert "Add a desired outcome first" in texts(at)
    at.text_area(key="analysis:analysis:0").input(HOSTILE + LONG)
    submit(at, "analysis", "Save")
    at.text_input(key="new-outcome-0:text:0").input(HOSTILE)
    submit(at, "new-outcome-0", "Add outcome")
    plan = eha(workbook, family[1]).plan.data
    assert plan.analysis == HOSTILE + LONG and [o.text for o in plan.outcomes] == [HOSTILE]
    assert at.text_input(key="new-outcome-1:text:0").value == ""  # a fresh add form

    at.text_area(key="new-action-0:action:0").input("Morning routine chart")
    submit(at, "new-action-0", "Add action")
    messages = red(at)
    assert any("Enter who will do it" in m for m in messages)
    assert any("Enter the date it will be done by" in m for m in messages)
    assert any("Choose the outcome this action serves" in m for m in messages)
    assert at.text_area(key="new-action-0:action:0").value == "Morning routine chart"

    at.text_input(key="new-action-0:who:0").input("Maryam")
    at.date_input(key="new-action-0:by_when:0").set_value(workbook.today() + timedelta(days=14))
    at.selectbox(key="new-action-0:outcome_id:0").select_index(0)
    submit(at, "new-action-0", "Add action")
    plan = eha(workbook, family[1]).plan.data
    assert [(a.action, a.who, a.outcome_id) for a in plan.actions] == [
        ("Morning routine chart", "Maryam", plan.outcomes[0].id)
    ]
    assert eha(workbook, family[1]).status_of(Section.PLAN).value == "complete"

    outcome_id = plan.outcomes[0].id
    at.button(key=f"FormSubmitter:form:outcome-{outcome_id}-Remove").click().run()
    at.button(key=f"yes:outcome:{outcome_id}").click().run()
    assert any("1 action serves this outcome" in e.value for e in at.error)
    assert len(eha(workbook, family[1]).plan.data.outcomes) == 1


def consent_key(at, name: str) -> str:
    """A widget of the consent decision form: its keys change after each decision recorded, so
    the next person's decision starts from an empty form."""
    generation = at.session_state["generation"] if "generation" in at.session_state else 0  # noqa: SIM401 (no .get)
    return f"consent:{name}:{generation}"


def test_the_consent_page_records_a_refusal_then_consent_with_recipients_a_childs_own_and_a_withdrawal(
    open_page, workbook, family
):
    professional_id = add_professional(workbook, family[1], ACTOR, HOSTILE[:200])
    teen = Child(name="*Zara* [x](javascript:alert(1))", date_of_birth=workbook.today() - timedelta(days=14 * 366))
    a = eha(workbook, family[1])
    workbook.assessments.save_member(
        assessment_id=family[1], expected_version=a.background.version, member=teen, actor=ACTOR
    )
    carer = a.background.data.carers[0]
    at = open_page("pages/consent.py", assessment=family[1])
    shown = texts(at)
    assert any(workbook.assessments.consent_wording.text.strip()[:40] in t.value for t in at.text)
    assert "Nothing may be shared on the basis of consent, and the assessment cannot be completed" in shown
    assert "Maryam Khan (main carer): no decision recorded" in shown
    assert "*Zara* [x](javascript:alert(1)) (child): no decision recorded · old enough to be asked" in shown

    assert "*Zara* [x](javascript:alert(1)) (child, 14)" in at.selectbox(key=consent_key(at, "person")).options
    # A refusal is a decision to record: who, when, how, and what was explained.
    at.radio(key=consent_key(at, "kind")).set_value(ConsentKind.REFUSED)
    submit(at, "consent", "Record the decision")
    messages = red(at)
    assert any("in writing or verbally" in m for m in messages) and any(
        "Enter what was explained" in m for m in messages
    )
    assert eha(workbook, family[1]).consent.data.decisions == ()
    assert at.radio(key=consent_key(at, "kind")).value is ConsentKind.REFUSED  # nothing typed is lost
    at.radio(key=consent_key(at, "method")).set_value(ConsentMethod.VERBAL)
    at.text_area(key=consent_key(at, "explained")).input("What the assessment is. " + HOSTILE)
    submit(at, "consent", "Record the decision")
    (refusal,) = eha(workbook, family[1]).consent.data.decisions
    assert refusal.kind is ConsentKind.REFUSED and refusal.explained == "What the assessment is. " + HOSTILE
    assert f"Maryam Khan (main carer): refused verbally on {workbook.today():%-d %B %Y}" in texts(at)

    # A week later she agrees: sharing with the early help hub and one professional.
    offered = at.multiselect(key=consent_key(at, "recipients")).options
    assert offered[0] == HOSTILE[:200] + " (GP, GP surgery)" and "Early Help Hub" in offered  # names as typed
    at.radio(key=consent_key(at, "kind")).set_value(ConsentKind.GIVEN)
    at.radio(key=consent_key(at, "method")).set_value(ConsentMethod.WRITTEN)
    at.checkbox(key=consent_key(at, "share")).check()
    at.checkbox(key=consent_key(at, "storage")).check()
    at.multiselect(key=consent_key(at, "recipients")).select("directory:early-help-hub").select(
        f"professional:{professional_id}"
    )
    at.text_area(key=consent_key(at, "explained")).input("")
    submit(at, "consent", "Record the decision")
    consent = eha(workbook, family[1]).consent.data
    assert [d.kind for d in consent.decisions] == [ConsentKind.REFUSED, ConsentKind.GIVEN]
    # Nothing of her decision is carried into the next one's form.
    assert at.multiselect(key=consent_key(at, "recipients")).value == []
    assert not at.checkbox(key=consent_key(at, "storage")).value
    given = consent.decisions[-1]
    assert [r.key for r in given.recipients] == ["early-help-hub", professional_id]
    assert given.wording == workbook.assessments.consent_wording
    shown = texts(at)
    assert f"Maryam Khan (main carer): given in writing on {workbook.today():%-d %B %Y}" in shown
    history = [t.value for t in at.text if t.value.startswith("Recorded ")]
    assert len(history) == 2 and all(f"wording version {given.wording.version}" in h for h in history)
    assert "Early Help Hub" in history[0] and "Early Help Hub" not in history[1]  # newest first
    housing = Recipient(kind=RecipientKind.DIRECTORY, key="housing", name="District Council Housing")
    background = eha(workbook, family[1]).background.data
    assert coverage(consent, housing, directory=workbook.directory, background=background).covered

    at.button(key="FormSubmitter:form:confirm-Consent of Maryam Khan confirmed at the end of the assessment").click()
    at.run()
    assert eha(workbook, family[1]).status_of(Section.CONSENT).value == "complete"

    # The child's own decision carries a note of their understanding.
    at.selectbox(key=consent_key(at, "person")).set_value(teen.id).run()
    assert at.text_area(key=consent_key(at, "understanding")) is not None
    submit(at, "consent", "Record the decision")
    assert any("Enter a short note of the child's understanding" in m for m in red(at))
    at.radio(key=consent_key(at, "method")).set_value(ConsentMethod.VERBAL)
    at.text_area(key=consent_key(at, "understanding")).input("Knows the school nurse will be told.")
    submit(at, "consent", "Record the decision")
    mine = eha(workbook, family[1]).consent.data.decisions[-1]
    assert mine.person_id == teen.id and mine.understanding == "Knows the school nurse will be told."

    # The main carer withdraws: every assessment page says so.
    at.selectbox(key=consent_key(at, "person")).set_value(carer.id).run()
    at.radio(key=consent_key(at, "kind")).set_value(ConsentKind.WITHDRAWN)
    at.checkbox(key=consent_key(at, "share")).uncheck()
    at.checkbox(key=consent_key(at, "storage")).uncheck()
    at.multiselect(key=consent_key(at, "recipients")).set_value([])
    at.text_area(key=consent_key(at, "explained")).input("Sharing with the school stops " + HOSTILE)
    submit(at, "consent", "Record the decision")
    assert eha(workbook, family[1]).consent.data.latest(carer.id).kind is ConsentKind.WITHDRAWN
    for page in ASSESSMENT_PAGES:
        page_at = open_page(page, assessment=family[1])
        assert any("Consent withdrawn" in e.value and "Maryam Khan" in e.value for e in page_at.error), page


def test_check_your_answers_refuses_with_the_reasons_then_completes(open_page, workbook, family):
    at = open_page("pages/check_answers.py", assessment=family[1])
    shown = texts(at)
    assert "LCSS locality:** Central" in shown
    assert "Still missing" in shown and "Consent: consent has not been recorded" in shown
    assert any(p.value == "Go there" for p in at.get("page_link"))
    submit(at, "complete", "Complete the assessment")
    refusal = next(e.value for e in at.error if "has not been completed" in e.value)
    assert "threshold of need level" in refusal and "Set a review date" in refusal
    assert eha(workbook, family[1]).status is AssessmentStatus.DRAFT

    make_ready(workbook, family[1], ACTOR)
    at = open_page("pages/check_answers.py", assessment=family[1])
    assert "Still missing" in texts(at)  # only the review date now
    at.date_input(key="complete:review_date").set_value(workbook.today() + timedelta(days=28))
    submit(at, "complete", "Complete the assessment")
    a = eha(workbook, family[1])
    assert a.status is AssessmentStatus.COMPLETED and a.review_date == workbook.today() + timedelta(days=28)
    assert any(s.value.startswith("Completed ") for s in at.success)
    assert "Still missing" not in texts(at)


def test_check_your_answers_shows_every_free_text_exactly_as_typed(open_page, workbook, family):
    make_ready(workbook, family[1], ACTOR)
    a = eha(workbook, family[1])
    outcome = DesiredOutcome(text=HOSTILE)
    v = workbook.assessments.save_outcome(
        assessment_id=family[1], expected_version=a.plan.version, outcome=outcome, actor=ACTOR
    ).version
    workbook.assessments.save_action(
        assessment_id=family[1],
        expected_version=v,
        action=PlanAction(action=HOSTILE, who="Kit", by_when=workbook.today(), outcome_id=outcome.id),
        actor=ACTOR,
    )
    at = open_page("pages/check_answers.py", assessment=family[1])
    plain = "\n".join(t.value for t in at.text)
    assert f"• {HOSTILE}" in plain and f"• {HOSTILE} — Kit" in plain


def test_starting_a_second_assessment_shows_the_active_one(open_page, workbook, family):
    at = open_page("pages/family.py", family=family[0])
    next(b for b in at.button if b.label == "Start a new assessment").click().run()
    warning = at.warning[0].value.replace("\\", "")
    assert "already has an active Early Help Assessment" in warning and "demo.practitioner" in warning
    assert len(workbook.families.get(family_id=family[0], actor=ACTOR).assessments) == 1
    next(b for b in at.button if b.label == "Open the active assessment").click().run()
    assert at.title[0].value == "1. Family background and reason for assessment"


def test_a_refusal_is_shown_on_every_assessment_page_until_consent_is_given(open_page, workbook, family):
    carer = eha(workbook, family[1]).background.data.carers[0]
    refused = DecisionAnswers(
        person_id=carer.id,
        kind=ConsentKind.REFUSED,
        method=ConsentMethod.VERBAL,
        decided_on=workbook.today(),
        explained="What the assessment is and who would see it.",
    )
    workbook.assessments.record_consent_decision(
        assessment_id=family[1],
        expected_version=eha(workbook, family[1]).consent.version,
        decision=refused,
        actor=ACTOR,
    )
    notice = (
        f"Nothing may be shared on the basis of consent. {carer.name} refused consent on {workbook.today():%-d %B %Y}."
    )
    for page in ("pages/carers_views.py", "pages/consent.py", "pages/plan.py"):
        shown = [w.value for w in open_page(page, assessment=family[1]).warning]
        assert sum(notice in w.replace("**", "").replace("\\", "") for w in shown) == 1, (page, shown)  # as drawn
    give_consent(workbook, family[1], ACTOR, person_id=carer.id, on=workbook.today())
    shown = [w.value for w in open_page("pages/carers_views.py", assessment=family[1]).warning]
    assert not any("Nothing may be shared" in w for w in shown)
