"""A locked Family Star Plus reading on the screens: drawn read-only with the reason, corrected
on the star chart with a reason, and the correction shown with both scores."""

from datetime import timedelta

from star import AREAS
from storage.services import Workbook
from tests.support.hostile import HOSTILE
from tests.ui.test_star_pages import score_all, start, stored

FORM = "correct-{}"


def first_and_review(workbook: Workbook, assessment_id: str) -> tuple[str, str]:
    first = start(workbook, assessment_id, taken_on=workbook.today() - timedelta(days=2))
    score_all(workbook, first.reading.id, [5] * 10)
    review = start(workbook, assessment_id, occasion="review", review_number=1)
    score_all(workbook, review.reading.id, [7] * 10)
    return first.reading.id, review.reading.id


def test_a_locked_reading_is_drawn_read_only_saying_why(open_page, workbook, family):
    first, review = first_and_review(workbook, family[1])
    at = open_page("pages/star.py", assessment=family[1], reading=first, area="1")
    assert any("This reading is locked because review 1 was scored after it" in i.value for i in at.info)
    taps = [b for b in at.button if b.key and b.key.startswith(f"tap:{first}:")]
    assert len(taps) == 10 and all(b.disabled for b in taps)
    quick = open_page("pages/star_quick.py", assessment=family[1], reading=first)
    assert quick.button(key="FormSubmitter:star-quick-Save all scores").disabled
    # The latest reading is still scored as usual.
    at = open_page("pages/star.py", assessment=family[1], reading=review, area="1")
    assert not any(b.disabled for b in at.button if b.key and b.key.startswith(f"tap:{review}:"))


def test_a_score_is_corrected_on_the_chart_with_a_reason(open_page, workbook, family):
    first, _review = first_and_review(workbook, family[1])
    at = open_page("pages/star_chart.py", assessment=family[1])
    form = FORM.format(first)
    # Only the locked reading offers a correction.
    assert at.get("selectbox") and [s.key for s in at.selectbox] == [f"{form}:area"]
    at.selectbox(key=f"{form}:area").set_value(AREAS[0].key)
    at.number_input(key=f"{form}:score").set_value(7)
    at.button(key=f"FormSubmitter:form:{form}-Save the correction").click().run()
    assert any("Enter the reason for the correction" in m.value for m in at.markdown)
    assert stored(workbook, first).corrections == ()

    at.text_area(key=f"{form}:reason").input(HOSTILE)
    at.button(key=f"FormSubmitter:form:{form}-Save the correction").click().run()
    assert not at.exception, at.exception
    reading = stored(workbook, first)
    assert reading.agreed(AREAS[0].key) == 7
    assert [(c.before, c.after, c.reason) for c in reading.corrections] == [(5, 7, HOSTILE)]
    history = [t.value for t in at.text if t.value.startswith("Corrected on ")]
    assert len(history) == 1
    # st.text trims the ends of what it shows; the stored reason above is exact.
    assert history[0].endswith(f"by demo.practitioner: {AREAS[0].label} 5 → 7. Reason: {HOSTILE.strip()}")
    # The chart and its table now use the corrected score: no change from 7 to 7.
    assert at.dataframe[0].value["Change"][0] == "0"
    # The reading's own page shows the same history.
    page = open_page("pages/star.py", assessment=family[1], reading=first, area="1")
    assert [t.value for t in page.text if t.value.startswith("Corrected on ")] == history
