"""The rules of the whole assessment, as pure functions with `today` passed in."""

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from eha import consent as consent_rules
from eha import plan as plan_rules
from eha import threshold as threshold_rules
from eha import views as view_rules
from eha.assessment import Assessment, Opened, Section, check_review_date, kept_review_reason
from eha.attachments import check_upload, clean_filename, decode, encode, media_type_of
from eha.background import Carer, Child, FamilyBackground, Professional
from eha.config import ConfigError, load_consent_wording, load_mash
from eha.consent import Consent, ConsentKind, ConsentMethod, ConsentWording, DecisionAnswers
from eha.demo import generate_families
from eha.errors import ImportRefused, ValidationFailed
from eha.family import AssessmentStatus, SectionStatus
from eha.plan import DesiredOutcome, Plan, PlanAction
from eha.recipients import Directory, professional_recipient
from eha.record import parse_record
from eha.taf import LeadHistory, TafOverview
from eha.threshold import SameDayConcern, ThresholdLevel, ThresholdOfNeed
from eha.views import CarersViews, CarerView, ChildView, ChildViews, HowGathered, ProfessionalView, ProfessionalViews
from tests.support.eha import TINY_PDF
from tests.support.hostile import HOSTILE, SAMPLES

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 14, 2, tzinfo=UTC)
MUM = Carer(name="Maryam Khan", main_carer=True)
DAD = Carer(name="Imran Khan")
CHILD = Child(name="Ayaan Khan", date_of_birth=date(2017, 9, 14))
UNBORN = Child(name="Baby Khan", born=False, due_date=TODAY + timedelta(days=60))
GP = Professional(name="Dr Okafor", agency="GP surgery", role="GP")
BACKGROUND = FamilyBackground(
    address="4 Cowley Road", reason="Attendance", carers=(MUM, DAD), children=(CHILD, UNBORN), professionals=(GP,)
)
WORDING = ConsentWording(version="1", text="We agree.")


# --- threshold and same-day concerns -----------------------------------------------------


def test_every_level_has_guidance_and_only_level_four_is_not_early_help():
    assert all(level.guidance for level in ThresholdLevel)
    assert [lv.is_early_help for lv in ThresholdLevel] == [True, True, True, False]
    assert "social care, not early help" in ThresholdLevel.CRITICAL.guidance
    assert ThresholdLevel.COMPLEX.label == "Level 3 (complex)"


def test_the_start_date_is_needed_and_not_in_the_future():
    assert threshold_rules.check_started_on(None, today=TODAY) == {
        "started_on": "Enter the date the assessment started."
    }
    assert (
        "today or in the past" in threshold_rules.check_started_on(TODAY + timedelta(days=1), today=TODAY)["started_on"]
    )
    assert threshold_rules.check_started_on(TODAY, today=TODAY) == {}


def test_ticking_a_same_day_concern_stops_the_route_and_logs_who_and_when():
    t = threshold_rules.with_same_day_concerns(
        ThresholdOfNeed(), (SameDayConcern.ABANDONED, SameDayConcern.ABUSE), note="", at=NOW, by="sam"
    )
    assert t.stopped and t.same_day_concerns == (SameDayConcern.ABUSE, SameDayConcern.ABANDONED)
    assert t.stopped_since is not None and (t.stopped_since.at, t.stopped_since.by) == (NOW, "sam")
    # Saving the same ticks again is not a new event.
    assert threshold_rules.with_same_day_concerns(t, t.same_day_concerns, note="", at=NOW, by="kit") == t


def test_clearing_the_concerns_needs_what_the_mash_advised():
    t = threshold_rules.with_same_day_concerns(ThresholdOfNeed(), (SameDayConcern.ABUSE,), note="", at=NOW, by="sam")
    with pytest.raises(ValidationFailed) as caught:
        threshold_rules.with_same_day_concerns(t, (), note="   ", at=NOW, by="sam")
    assert "what the MASH advised" in caught.value.errors["note"]
    cleared = threshold_rules.with_same_day_concerns(t, (), note="No further action", at=NOW, by="kit")
    assert not cleared.stopped and [e.kind for e in cleared.mash_log] == ["stopped", "resumed"]
    assert cleared.mash_log[1].concerns == (SameDayConcern.ABUSE,)


def test_every_same_day_concern_from_the_guidance_is_on_the_checklist():
    labels = " ".join(c.label for c in SameDayConcern).lower()
    for words in ("sexually or physically abused", "severe neglect", "frightened to return home", "immediate risk"):
        assert words in labels
    assert "abandoned or the parent is absent" in labels


# --- views -------------------------------------------------------------------------------


def test_a_carers_view_is_complete_with_their_words_or_a_reason():
    views = CarersViews(views=(CarerView(carer_id=MUM.id, own_words="Mornings are hard"),))
    assert view_rules.carers_gaps(views, BACKGROUND) == [
        "the view of Imran Khan, in their own words (or why it could not be given)"
    ]
    views = CarersViews(views=(*views.views, CarerView(carer_id=DAD.id, not_given_reason="Works away")))
    assert view_rules.carers_gaps(views, BACKGROUND) == []
    assert view_rules.check_carer_view(CarerView(carer_id="someone-else"), BACKGROUND) == {
        "": "This parent or carer is no longer in the family background."
    }
    assert (
        "100,000 characters"
        in view_rules.check_carer_view(CarerView(carer_id=MUM.id, worries="x" * 100_001), BACKGROUND)["worries"]
    )


def test_a_childs_view_rules():
    ok = ChildView(
        child_id=CHILD.id,
        own_words="I like Lego",
        how_gathered=HowGathered.THREE_HOUSES,
        gathered_by="Sam",
        gathered_on=TODAY,
    )
    assert view_rules.check_child_view(ok, BACKGROUND, today=TODAY) == {}
    too_young_asked = ok.model_copy(update={"too_young": True, "how_gathered": HowGathered.DIRECTLY})
    assert "too young" in view_rules.check_child_view(too_young_asked, BACKGROUND, today=TODAY)["how_gathered"]
    other = ok.model_copy(update={"how_gathered": HowGathered.OTHER})
    assert "how_gathered_other" in view_rules.check_child_view(other, BACKGROUND, today=TODAY)
    future = ok.model_copy(update={"gathered_on": TODAY + timedelta(days=1)})
    assert "gathered_on" in view_rules.check_child_view(future, BACKGROUND, today=TODAY)


def test_a_child_not_gathered_needs_the_reason_and_then_no_longer_blocks_completion():
    bare = ChildView(child_id=CHILD.id, not_gathered=True)
    assert view_rules.check_child_view(bare, BACKGROUND, today=TODAY) == {
        "not_gathered_reason": "Say why the child's view was not gathered."
    }
    assert view_rules.child_gaps(ChildViews(views=(bare,)), BACKGROUND) == ["why Ayaan Khan's view was not gathered"]
    reason = "The family and the school agree Ayaan needs no support; " + HOSTILE
    recorded = bare.model_copy(update={"not_gathered_reason": reason})
    assert view_rules.check_child_view(recorded, BACKGROUND, today=TODAY) == {}
    assert view_rules.child_gaps(ChildViews(views=(recorded,)), BACKGROUND) == []
    a = assessment(children=Opened(ChildViews(views=(recorded,)), 2, None))
    assert a.status_of(Section.CHILDREN) is SectionStatus.COMPLETE
    assert a.reasons_not_to_complete(review_date=TODAY, today=TODAY) == []
    assert view_rules.child_view_text(recorded) == f"Not gathered: {reason.strip()}"
    long = bare.model_copy(update={"not_gathered_reason": "x" * 100_001})
    assert "100,000 characters" in view_rules.check_child_view(long, BACKGROUND, today=TODAY)["not_gathered_reason"]


def test_a_view_given_later_replaces_the_not_gathered_note_but_both_at_once_are_refused():
    note = ChildView(child_id=CHILD.id, not_gathered=True, not_gathered_reason="Needs no support")
    later = note.model_copy(
        update={
            "own_words": "I like Lego",
            "how_gathered": HowGathered.DIRECTLY,
            "gathered_by": "S",
            "gathered_on": TODAY,
        }
    )
    kept = view_rules.replacing_note(note, later)
    assert (kept.not_gathered, kept.not_gathered_reason, kept.own_words) == (False, "", "I like Lego")
    assert view_rules.check_child_view(kept, BACKGROUND, today=TODAY) == {}
    # A view already recorded, then ticked "not gathered" with the words left in: which is meant is unclear.
    given = later.model_copy(update={"not_gathered": False, "not_gathered_reason": ""})
    both = view_rules.replacing_note(given, later)
    assert "untick 'not gathered'" in view_rules.check_child_view(both, BACKGROUND, today=TODAY)["not_gathered"]


def test_a_child_too_young_is_complete_with_an_observation_and_an_unborn_baby_needs_no_view():
    assert view_rules.children_needing_a_view(BACKGROUND) == [CHILD.id]
    young = ChildView(child_id=CHILD.id, too_young=True, how_gathered=HowGathered.OBSERVATION, gathered_by="HV")
    gaps = view_rules.child_gaps(ChildViews(views=(young,)), BACKGROUND)
    assert gaps == [
        "the observation of Ayaan Khan (too young to give a view)",
        "who gathered Ayaan Khan's view, and when",
    ]
    done = young.model_copy(update={"observation": "Plays happily", "gathered_on": TODAY})
    assert view_rules.child_gaps(ChildViews(views=(done,)), BACKGROUND) == []


def test_a_professional_view_is_shared_only_within_consent():
    view = ProfessionalView(professional_id=GP.id, view="Fine", may_receive=(GP.id,))
    assert view_rules.check_professional_view(view, BACKGROUND, sharing_refused=None) == {}
    refused = view_rules.check_professional_view(view, BACKGROUND, sharing_refused="Consent was withdrawn.")
    assert refused["may_receive"] == "This view cannot be shared: Consent was withdrawn."
    unshared = view.model_copy(update={"may_receive": ()})
    assert view_rules.check_professional_view(unshared, BACKGROUND, sharing_refused="Consent was withdrawn.") == {}
    stranger = view.model_copy(update={"may_receive": ("not-listed",)})
    assert "may_receive" in view_rules.check_professional_view(stranger, BACKGROUND, sharing_refused=None)
    assert view_rules.professional_gaps(ProfessionalViews(), BACKGROUND) == [
        "the view of Dr Okafor (or why none was given)"
    ]


# --- the plan ----------------------------------------------------------------------------


def test_actions_are_smart_and_serve_an_outcome():
    outcome = DesiredOutcome(text="At school on time")
    plan = plan_rules.with_outcome(Plan(), outcome)
    errors = plan_rules.check_action(PlanAction(), plan, started_on=TODAY)
    assert set(errors) == {"action", "who", "by_when", "outcome_id"}
    early = PlanAction(action="Chart", who="Mum", by_when=TODAY - timedelta(days=1), outcome_id=outcome.id)
    assert "before the assessment started" in plan_rules.check_action(early, plan, started_on=TODAY)["by_when"]
    good = early.model_copy(update={"by_when": TODAY + timedelta(days=7)})
    plan = plan_rules.with_action(plan, good, started_on=TODAY)
    assert plan_rules.plan_gaps(plan) == ["the analysis"]
    changed = plan_rules.with_action(plan, good.model_copy(update={"who": "Dad"}), started_on=TODAY)
    assert [a.who for a in changed.actions] == ["Dad"]


def test_an_outcome_served_by_actions_cannot_be_removed_and_every_outcome_needs_an_action():
    outcome, spare = DesiredOutcome(text="On time"), DesiredOutcome(text="Sleeps well")
    plan = plan_rules.with_outcome(plan_rules.with_outcome(Plan(analysis="x"), outcome), spare)
    action = PlanAction(action="Chart", who="Mum", by_when=TODAY, outcome_id=outcome.id)
    plan = plan_rules.with_action(plan, action, started_on=TODAY)
    assert plan_rules.plan_gaps(plan) == ["an action for the outcome “Sleeps well”"]
    with pytest.raises(ValidationFailed, match="1 action serves this outcome"):
        plan_rules.without_outcome(plan, outcome.id)
    assert plan_rules.without_outcome(plan, spare.id).outcomes == (outcome,)
    with pytest.raises(ValidationFailed):
        plan_rules.with_outcome(plan, DesiredOutcome(text="  "))


# --- consent (its rules: tests/unit/eha/test_consent_history.py) --------------------------


def given_by_mum(**changes) -> Consent:
    consent = consent_rules.record_decision(
        Consent(),
        DecisionAnswers(
            person_id=MUM.id,
            kind=ConsentKind.GIVEN,
            method=ConsentMethod.VERBAL,
            decided_on=TODAY,
            share_with_professionals=True,
            recipients=(professional_recipient(GP),),
            council_storage=True,
        ).model_copy(update=changes),
        background=BACKGROUND,
        directory=Directory(),
        today=TODAY,
        wording=WORDING,
        at=NOW,
        by="sam",
    )
    return consent_rules.confirm(consent, consent.decisions[-1].id, TODAY, today=TODAY, at=NOW, by="sam")


# --- attachments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "media"),
    [
        (b"\x89PNG\r\n\x1a\nrest", "image/png"),
        (b"\xff\xd8\xff\xe0rest", "image/jpeg"),
        (b"%PDF-1.7\n", "application/pdf"),
        (b"GIF89a", None),
        (b"<svg xmlns=...>", None),
        (b"MZ\x90\x00", None),
        (b" %PDF-1.7", None),
    ],
)
def test_the_type_is_decided_by_content(content: bytes, media: str | None):
    assert media_type_of(content) == media


def test_uploads_are_refused_when_empty_too_big_or_not_a_picture_or_pdf():
    assert "empty" in check_upload(b"", limit=100)["file"]
    assert "must be 1 KB or smaller" in check_upload(b"%PDF-" + b"x" * 2000, limit=1024)["file"]
    assert "PNG or JPEG, or a PDF" in check_upload(b"<html>", limit=1024)["file"]
    assert "This PDF can't be read" in check_upload(b"%PDF-1.4", limit=1024)["file"]  # a signature is not a PDF
    assert check_upload(TINY_PDF, limit=1024) == {}
    assert clean_filename("C:\\fakepath\\..\\drawing\x00.png") == "drawing.png"
    assert clean_filename("../") == "childs-work"
    assert decode(encode(b"\x00\xff")) == b"\x00\xff" and decode("not base64!") is None


# --- the whole assessment ----------------------------------------------------------------


def assessment(**changes) -> Assessment:
    def opened(data):
        return Opened(data, 1, None)

    plan = plan_rules.with_outcome(Plan(analysis="Pulled together"), DesiredOutcome(id="o1", text="On time"))
    plan = plan_rules.with_action(
        plan, PlanAction(action="Chart", who="Mum", by_when=TODAY, outcome_id="o1"), started_on=TODAY
    )
    fields = {
        "assessment_id": "a1",
        "family_id": "f1",
        "reference": "EH-BCDFGH",
        "locality": "central",
        "status": AssessmentStatus.DRAFT,
        "started_on": TODAY,
        "led_by": "sam",
        "completed_at": None,
        "completed_by": None,
        "review_date": None,
        "background": opened(BACKGROUND),
        "threshold": opened(ThresholdOfNeed(level=ThresholdLevel.VULNERABLE)),
        "carers": opened(
            CarersViews(views=(CarerView(carer_id=MUM.id, own_words="a"), CarerView(carer_id=DAD.id, own_words="b")))
        ),
        "children": opened(
            ChildViews(
                views=(
                    ChildView(
                        child_id=CHILD.id,
                        own_words="c",
                        how_gathered=HowGathered.DIRECTLY,
                        gathered_by="S",
                        gathered_on=TODAY,
                    ),
                )
            )
        ),
        "professionals": opened(ProfessionalViews(views=(ProfessionalView(professional_id=GP.id, view="d"),))),
        "plan": opened(plan),
        "consent": opened(given_by_mum()),
        "child_work": (),
        "star_status": SectionStatus.NOT_STARTED,
        "star_readings": (),
        "taf": TafOverview(
            assessment_id="a1",
            family_id="f1",
            reference="EH-BCDFGH",
            status=AssessmentStatus.DRAFT,
            started_on=TODAY,
            completed_on=None,
            review_date=None,
            plan=plan,
            lead=LeadHistory(),
            lead_version=0,
            meetings=(),
            closure=None,
        ),
    }
    return Assessment(**(fields | changes))


def test_a_full_assessment_may_be_completed_with_a_review_date_within_six_weeks():
    a = assessment()
    assert a.reasons_not_to_complete(review_date=TODAY + timedelta(days=42), today=TODAY) == []
    assert [a.status_of(s) for s in Section] == [SectionStatus.COMPLETE] * 2 + [SectionStatus.NOT_STARTED] + [
        SectionStatus.COMPLETE
    ] * 4


@pytest.mark.parametrize(
    ("review", "message"),
    [
        (None, "Set a review date"),
        (TODAY - timedelta(days=1), "today or later"),
    ],
)
def test_the_review_date_is_needed_and_not_in_the_past(review, message):
    assert message in check_review_date(review, today=TODAY)["review_date"]
    reasons = assessment().reasons_not_to_complete(review_date=review, today=TODAY)
    assert [r.section for r in reasons] == [None]


def test_a_review_date_6_weeks_on_exactly_needs_no_reason_and_one_day_later_does():
    assert check_review_date(TODAY + timedelta(days=42), today=TODAY) == {}
    later = TODAY + timedelta(days=43)
    assert check_review_date(later, today=TODAY) == {
        "review_date_reason": "The review date is more than 6 weeks after completing (after 03 January 2027): "
        "say why, as agreed with the family, or choose an earlier date."
    }
    assert check_review_date(later, "   ", today=TODAY).keys() == {"review_date_reason"}
    reasons = assessment().reasons_not_to_complete(review_date=later, today=TODAY)
    assert [(r.section, "more than 6 weeks" in r.text) for r in reasons] == [(None, True)]


def test_a_later_review_date_with_a_reason_may_complete_and_reads_with_its_reason():
    later = TODAY + timedelta(days=90)
    reason = "The family are away for the summer; agreed at the visit"
    assert check_review_date(later, reason, today=TODAY) == {}
    assert assessment().reasons_not_to_complete(review_date=later, review_date_reason=reason, today=TODAY) == []
    done = assessment(review_date=later, review_date_reason=reason)
    assert done.review == f"20 February 2027 (later than 6 weeks: {reason})"
    assert assessment(review_date=TODAY).review == "22 November 2026"
    assert assessment().review == "not set"


def test_the_reason_is_kept_only_with_a_later_date():
    assert kept_review_reason(TODAY + timedelta(days=43), "  away  ", completed_on=TODAY) == "away"
    assert kept_review_reason(TODAY + timedelta(days=42), "away", completed_on=TODAY) == ""
    assert kept_review_reason(None, "away", completed_on=TODAY) == ""


@pytest.mark.parametrize("text", SAMPLES.values(), ids=SAMPLES)
def test_any_text_may_be_the_reason_within_its_limit(text):
    later = TODAY + timedelta(days=60)
    errors = check_review_date(later, text, today=TODAY)
    if len(text) > 1_000:
        assert "1,000 characters or fewer" in errors["review_date_reason"]
    elif not text.strip():
        assert "say why" in errors["review_date_reason"]
    else:
        assert errors == {}


def test_a_reason_that_is_not_text_is_refused_whatever_the_date():
    for review in (TODAY, TODAY + timedelta(days=60)):
        assert "NUL" in check_review_date(review, "away\x00", today=TODAY)["review_date_reason"]
        assert "valid text" in check_review_date(review, "\ud800", today=TODAY)["review_date_reason"]


def test_a_same_day_stop_level_four_and_missing_sections_each_block_completion_with_a_link():
    stopped = ThresholdOfNeed(
        level=ThresholdLevel.CRITICAL,
        same_day_concerns=(SameDayConcern.ABUSE,),
    )
    a = assessment(
        threshold=Opened(stopped, 2, None), carers=Opened(CarersViews(), 0, None), consent=Opened(Consent(), 0, None)
    )
    reasons = a.reasons_not_to_complete(review_date=TODAY, today=TODAY)
    texts = [r.text for r in reasons]
    assert any("same working day concern" in t for t in texts)
    assert any("level 4 (critical)" in t for t in texts)
    assert "Consent: consent has not been recorded" in texts
    assert {r.section for r in reasons} == {Section.BACKGROUND, Section.CARERS, Section.CONSENT}
    assert a.status_of(Section.CARERS) is SectionStatus.NOT_STARTED
    done = assessment(status=AssessmentStatus.COMPLETED)
    assert [r.text for r in done.reasons_not_to_complete(review_date=TODAY, today=TODAY)] == [
        "The assessment is already completed."
    ]


# --- configuration and records -----------------------------------------------------------


def test_the_shipped_configuration_loads_and_a_broken_file_says_what_is_wrong(tmp_path: Path):
    mash = load_mash()
    assert mash.phone == "0345 050 7666" and mash.out_of_hours_phone
    assert load_consent_wording().version
    broken = tmp_path / "mash.toml"
    broken.write_text('name = "MASH"\nphone = ""\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="phone"):
        load_mash(broken)
    with pytest.raises(ConfigError, match="Cannot read"):
        load_consent_wording(tmp_path / "missing.toml")


def test_a_record_with_a_damaged_attachment_or_an_invalid_section_is_refused():
    raw = json.loads(generate_families(count=1, seed=9, today=TODAY)[0].to_json())
    attachment = {
        "id": "w1",
        "child_id": "c1",
        "filename": "a.pdf",
        "media_type": "application/pdf",
        "size": 99,
        "data_base64": encode(b"%PDF-1.4"),
        "uploaded_at": "2026-11-22T10:00:00Z",
        "uploaded_by": "sam",
    }
    raw["assessments"][0]["attachments"] = [attachment]
    with pytest.raises(ImportRefused, match="damaged"):
        parse_record(json.dumps(raw))
    raw["assessments"][0]["attachments"] = [attachment | {"size": 8}]
    assert parse_record(json.dumps(raw)).assessments[0].attachments[0].size == 8
    raw["assessments"][0]["sections"]["plan"] = {
        "data": {"actions": [{"by_when": "soon"}]},
        "updated_at": "2026-11-22T10:00:00Z",
        "updated_by": "sam",
    }
    with pytest.raises(ImportRefused, match="by_when"):
        parse_record(json.dumps(raw))
