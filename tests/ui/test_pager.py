"""Long lists page through Previous and Next, the page number in the address (?page=2)."""

from datetime import date, timedelta

from eha.background import Carer, Child
from storage.services import Workbook
from tests.ui.conftest import ACTOR


def many_families(workbook: Workbook, n: int) -> None:
    for i in range(n):
        workbook.families.create(
            locality="central",
            address=f"{i} High Street\nBanbury",
            main_carer=Carer(name="Ioana Popescu", relationship="Mother"),
            child=Child(name="Zoë Popescu", date_of_birth=date(2012, 1, 1) + timedelta(days=i)),
            actor=ACTOR,
        )


def opened_at_page(open_page, page: str, number: str):
    """The page opened with ?page=<number>, as a refresh or a shared link would."""
    at = open_page(page)
    at.query_params["page"] = number
    return at.run()


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def test_my_families_pages_through_and_a_refresh_keeps_the_page(open_page, workbook):
    many_families(workbook, 55)
    at = open_page("pages/my_families.py")
    assert "55 families · 0 overdue · 0 due this week" in captions(at)
    assert "Showing 1–50 of 55 · page 1 of 2" in captions(at)
    at.button(key="my_families:next").click().run()
    assert at.query_params["page"] == "2"
    assert "Showing 51–55 of 55 · page 2 of 2" in captions(at)
    # Opened afresh at ?page=2 (a refresh): the same page.
    again = opened_at_page(open_page, "pages/my_families.py", "2")
    assert "Showing 51–55 of 55 · page 2 of 2" in captions(again)
    again.button(key="my_families:previous").click().run()
    assert "page" not in again.query_params
    assert "Showing 1–50 of 55 · page 1 of 2" in captions(again)


def test_families_page_past_the_last_shows_the_last_and_a_search_starts_again(open_page, workbook):
    many_families(workbook, 52)
    at = opened_at_page(open_page, "pages/families.py", "9")
    assert "Showing 51–52 of 52 · page 2 of 2" in captions(at)
    assert at.query_params["page"] == "2"
    at.text_input(key="search:query").input("zoe")
    at.button[0].click().run()
    assert "page" not in at.query_params
    assert "Showing 1–50 of 52 · page 1 of 2" in captions(at)
