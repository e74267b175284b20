"""The Family Star Plus screens through Streamlit's AppTest: scoring, quick entry, the chart."""

import json
from datetime import timedelta

import pytest

from star import AREA_KEYS, AREAS, OccasionKind
from storage.services import Workbook
from tests.support.hostile import HOSTILE, LONG
from tests.ui.conftest import ACTOR
from tests.ui.test_family_pages import texts


def start(workbook: Workbook, assessment_id: str, **changes):
    arguments = {
        "assessment_id": assessment_id,
        "taken_on": workbook.today(),
        "occasion": "first",
        "completed_by": "worker_and_family",
        "actor": ACTOR,
        **changes,
    }
    return workbook.star.start(**arguments)


def score_all(workbook: Workbook, reading_id: str, scores: list[int]) -> None:
    version = workbook.star.reading(reading_id=reading_id, actor=ACTOR).version
    for key, score in zip(AREA_KEYS, scores, strict=True):
        version = workbook.star.score_area(
            reading_id=reading_id, expected_version=version, area=key, agreed=score, actor=ACTOR
        ).version


def stored(workbook: Workbook, reading_id: str):
    return workbook.star.reading(reading_id=reading_id, actor=ACTOR).reading


def test_starting_the_first_reading_opens_it_at_the_first_area(open_page, workbook, family):
    at = open_page("pages/star.py", assessment=family[1])
    assert "Start the first reading" in texts(at)
    at.button(key="FormSubmitter:star-start-Start scoring").click().run()
    assert not at.exception
    readings = workbook.assessments.open(assessment_id=family[1], actor=ACTOR).star_readings
    assert len(readings) == 1 and readings[0].reading.occasion.label == "First reading"
    assert at.query_params["reading"] in (readings[0].reading.id, [readings[0].reading.id])
    assert "1 of 10" in texts(at)
    assert "Physical health" in texts(at)

    # With a first reading there, the form offers a TAF review; a second first reading is
    # refused next to the field.
    again = open_page("pages/star.py", assessment=family[1])
    assert again.radio(key="star-start:occasion").value is OccasionKind.REVIEW
    again.radio(key="star-start:occasion").set_value(OccasionKind.FIRST)
    again.button(key="FormSubmitter:star-start-Start scoring").click().run()
    assert any("already has its first reading" in m.value for m in again.markdown)
    assert len(workbook.assessments.open(assessment_id=family[1], actor=ACTOR).star_readings) == 1


def test_tapping_a_number_saves_it_and_next_moves_on(open_page, workbook, family):
    reading = start(workbook, family[1])
    rid = reading.reading.id
    at = open_page("pages/star.py", assessment=family[1], reading=rid)
    assert "Area 1 of 10" in texts(at).replace("**", "")
    for number, score in ((1, 6), (2, 3), (3, 8)):
        area = AREAS[number - 1]
        assert f"{number} of 10" in texts(at)
        at.button(key=f"tap:{rid}:{area.key}:{score}").click().run()
        assert not at.exception
        assert stored(workbook, rid).agreed(area.key) == score
        assert any(s.value.startswith("Saved at ") for s in at.success)
        assert at.button(key=f"tap:{rid}:{area.key}:{score}").proto.type == "primary"
        at.button(key=f"next:{area.key}").click().run()
    assert "4 of 10" in texts(at)
    assert "Keeping your children safe" in texts(at)
    # Back goes to the area before, with its score still chosen.
    at.button(key="back:keeping_safe").click().run()
    assert "3 of 10" in texts(at)
    assert at.button(key=f"tap:{rid}:emotional_needs:8").proto.type == "primary"
    # The star drawn so far has the three scores and gaps for the rest.
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["data"][0]["r"][:4] == [6, 3, 8, None]


def test_a_refresh_comes_back_to_the_first_area_not_scored(open_page, workbook, family):
    reading = start(workbook, family[1])
    rid = reading.reading.id
    score_all(workbook, rid, [5] * 10)
    version = workbook.star.reading(reading_id=rid, actor=ACTOR).version
    workbook.star.score_area(reading_id=rid, expected_version=version, area="routine", agreed=None, actor=ACTOR)
    at = open_page("pages/star.py", assessment=family[1], reading=rid)
    assert "8 of 10" in texts(at) and "Family routine" in texts(at)


def test_a_note_and_a_disagreement_are_saved_and_shown_exactly(open_page, workbook, family):
    reading = start(workbook, family[1])
    rid = reading.reading.id
    at = open_page("pages/star.py", assessment=family[1], reading=rid, area="4")
    note = HOSTILE + LONG
    at.text_area(key=f"star-note:{rid}:keeping_safe").input(note)
    at.button(key="save-note:keeping_safe").click().run()
    assert stored(workbook, rid).score_for("keeping_safe").note == note
    at.toggle(key=f"star-disagree:{rid}:keeping_safe").set_value(True).run()
    controls = {c.label: c for c in at.segmented_control}
    controls["The family's score"].set_value(7).run()
    controls = {c.label: c for c in at.segmented_control}
    controls["The worker's score"].set_value(4).run()
    at.button(key=f"tap:{rid}:keeping_safe:5").click().run()
    assert not at.exception
    area = stored(workbook, rid).score_for("keeping_safe")
    assert (area.agreed, area.family_score, area.worker_score, area.note) == (5, 7, 4, note)
    assert {c.label: c.value for c in at.segmented_control} == {"The family's score": 7, "The worker's score": 4}
    # The note comes back exactly as typed after a fresh start of the page.
    again = open_page("pages/star.py", assessment=family[1], reading=rid, area="4")
    assert again.text_area(key=f"star-note:{rid}:keeping_safe").value == note


def test_separate_family_and_worker_scores_are_stored(open_page, workbook, family):
    reading = start(workbook, family[1])
    rid = reading.reading.id
    version = reading.version
    version = workbook.star.score_area(
        reading_id=rid, expected_version=version, area="routine", agreed=5, family_score=7, worker_score=4, actor=ACTOR
    ).version
    at = open_page("pages/star.py", assessment=family[1], reading=rid, area="8")
    assert at.toggle(key=f"star-disagree:{rid}:routine").value is True
    at.toggle(key=f"star-disagree:{rid}:routine").set_value(False).run()
    area = stored(workbook, rid).score_for("routine")
    assert (area.agreed, area.family_score, area.worker_score) == (5, None, None)


def test_a_tap_against_a_reading_changed_elsewhere_is_refused_and_shows_the_latest(open_page, workbook, family):
    reading = start(workbook, family[1])
    rid = reading.reading.id
    at = open_page("pages/star.py", assessment=family[1], reading=rid)
    workbook.star.score_area(
        reading_id=rid, expected_version=reading.version, area="physical_health", agreed=9, actor=ACTOR
    )
    at.button(key=f"tap:{rid}:physical_health:2").click().run()
    assert any("changed on another device" in e.value for e in at.error)
    assert stored(workbook, rid).agreed("physical_health") == 9
    assert at.button(key=f"tap:{rid}:physical_health:9").proto.type == "primary"


def test_quick_entry_shows_a_bad_value_next_to_its_area_and_saves_nothing_until_fixed(open_page, workbook, family):
    reading = start(workbook, family[1])
    rid = reading.reading.id
    at = open_page("pages/star_quick.py", assessment=family[1], reading=rid)
    for number, key in enumerate(AREA_KEYS, start=1):
        at.number_input(key=f"quick:{rid}:0:{key}:score").set_value(number)
    at.number_input(key=f"quick:{rid}:0:education:score").set_value(11)
    at.text_area(key=f"quick:{rid}:0:well_being:note").input(HOSTILE)
    at.button(key="FormSubmitter:star-quick-Save all scores").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("There is a problem")
    red = [m.value for m in at.markdown if m.value.startswith(":red[")]
    assert any("Education and learning must be a whole number from 1 to 10" in m for m in red)
    assert stored(workbook, rid).agreed_scores() == dict.fromkeys(AREA_KEYS)
    assert at.number_input(key=f"quick:{rid}:0:education:score").value == 11  # what was typed is kept

    at.number_input(key=f"quick:{rid}:0:education:score").set_value(6)
    at.button(key="FormSubmitter:star-quick-Save all scores").click().run()
    assert any(s.value.startswith("Saved at ") for s in at.success)
    saved = stored(workbook, rid)
    assert saved.agreed_scores() == dict(zip(AREA_KEYS, range(1, 11), strict=True))
    assert saved.score_for("well_being").note == HOSTILE


def test_the_chart_shows_first_and_latest_and_refuses_a_fifth_reading(open_page, workbook, family, monkeypatch):
    today = workbook.today()
    ids = []
    for n, (occasion, review) in enumerate((("first", None), ("review", 1), ("review", 2), ("review", 3))):
        reading = start(
            workbook, family[1], occasion=occasion, review_number=review, taken_on=today - timedelta(days=40 - n * 10)
        )
        score_all(workbook, reading.reading.id, [min(10, 2 + n + i % 3) for i in range(10)])
        ids.append(reading.reading.id)
    closure = start(workbook, family[1], occasion="closure", taken_on=today)
    score_all(workbook, closure.reading.id, [9] * 10)
    ids.append(closure.reading.id)

    at = open_page("pages/star_chart.py", assessment=family[1])
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    traces = spec["data"]
    assert [t["name"].split(" — ")[0] for t in traces] == ["First reading", "Closure"]
    assert traces[0]["r"] == [2, 3, 4, 2, 3, 4, 2, 3, 4, 2, 2]  # closed shape: first point repeated
    assert traces[1]["r"] == [9] * 11
    assert traces[0]["theta"][0] == traces[0]["theta"][-1] == "Physical health"
    table = at.dataframe[0].value
    assert list(table["Change"]) == ["+7", "+6", "+5", "+7", "+6", "+5", "+7", "+6", "+5", "+7"]
    assert list(table.columns)[:1] == ["Area"] and table["Area"][3] == "Keeping your children safe"
    assert any("Total over the 10 areas" in m.value for m in at.markdown)
    download = at.get("download_button")[0]
    assert download is not None

    at.multiselect(key=f"star-chart:{family[1]}").set_value(ids).run()
    assert any("Choose at most four readings to compare" in e.value for e in at.error)
    assert not at.get("plotly_chart")

    at.multiselect(key=f"star-chart:{family[1]}").set_value(ids[1:]).run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [t["name"].split(" — ")[0] for t in spec["data"]] == ["Review 1", "Review 2", "Review 3", "Closure"]


def test_a_star_text_file_changes_the_words_and_the_attribution_stays(
    open_page, workbook, family, tmp_path, monkeypatch
):
    wording = tmp_path / "star.toml"
    wording.write_text('[areas.physical_health]\nprompt = "Our own question about health?"\n', encoding="utf-8")
    monkeypatch.setenv("EHA_STAR_TEXT_FILE", str(wording))
    reading = start(workbook, family[1])
    at = open_page("pages/star.py", assessment=family[1], reading=reading.reading.id)
    assert "Our own question about health?" in texts(at)
    assert any("© Triangle Consulting Social Enterprise Ltd" in c.value for c in at.caption)


def test_a_closed_assessment_shows_the_star_without_letting_it_change(open_page, workbook, family):
    reading = start(workbook, family[1])
    from sqlalchemy import update

    from storage.models import AssessmentRow

    with workbook._core.unit() as session:
        session.execute(update(AssessmentRow).where(AssessmentRow.id == family[1]).values(status="closed"))
    at = open_page("pages/star.py", assessment=family[1], reading=reading.reading.id)
    assert any("closed" in i.value for i in at.info)
    assert at.button(key=f"tap:{reading.reading.id}:physical_health:5").disabled


@pytest.mark.parametrize("page", ["pages/star.py", "pages/star_quick.py", "pages/star_chart.py"])
def test_an_unknown_assessment_is_refused_like_someone_elses_without_crashing(open_page, workbook, page):
    at = open_page(page, assessment="not-a-real-id")
    assert [e.value for e in at.error] == ["You don't have access to this record."]
