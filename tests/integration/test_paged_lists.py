"""Lists that stay flat: every list is read a page at a time in the database, with its total,
in the same number of SQL statements whatever the page or the size of the county."""

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event

from eha.actor import Actor, Role
from eha.background import Carer, Child
from eha.errors import ValidationFailed
from eha.family import AssessmentStatus
from eha.localities import load_localities
from eha.taf import ReviewDue
from storage.db import make_engine, upgrade
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.clock import Clock

SAM = Actor(username="sam.worker", display_name="Sam Worker", role=Role.PRACTITIONER)
KIM = Actor(username="kim.other", display_name="Kim Other", role=Role.PRACTITIONER)
LEE = Actor(username="lee.central", display_name="Lee", role=Role.LCSS, locality="central")
ADA = Actor(username="ada.admin", display_name="Ada", role=Role.ADMIN)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    upgrade(database_url)
    made = make_engine(database_url)
    yield made
    made.dispose()


@pytest.fixture
def workbook(engine: Engine, clock: Clock) -> Workbook:
    return Workbook(engine, localities=load_localities(), clock=clock, audit_key=AUDIT_KEY.encode())


def add_families(workbook: Workbook, clock: Clock, start: int, stop: int) -> None:
    """Families `start`..`stop`-1: Sam's, two in three in Central and the rest in North; every
    fifth is Kim's instead (Sam may not see it). Every child is a Zoë Nowak (so one search
    finds them all), told apart by the date of birth."""
    for n in range(start, stop):
        clock.offset += timedelta(seconds=1)  # "recently changed" has an order to keep
        workbook.families.create(
            locality="north" if n % 3 == 2 else "central",
            address=f"{n} Cowley Road\nOxford",
            main_carer=Carer(name="Maryam Nowak", relationship="Mother"),
            child=Child(name="Zoë Nowak", date_of_birth=date(2010, 1, 1) + timedelta(days=n)),
            actor=KIM if n % 5 == 4 else SAM,
        )


def statements(engine: Engine, call: Callable[..., Any], *args: Any) -> int:
    """How many SQL statements `call(*args)` sends."""
    sent: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        call(*args)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(sent)


LISTS: dict[str, Callable[[Workbook, int], Any]] = {
    "families.all": lambda wb, page: wb.families.all(actor=SAM, page=page),
    "families.search": lambda wb, page: wb.families.search(query="zoe nowak", actor=LEE, page=page),
    "my_families (practitioner)": lambda wb, page: wb.taf.my_families(actor=SAM, page=page),
    "my_families (LCSS)": lambda wb, page: wb.taf.my_families(actor=LEE, page=page),
    "my_families (LCSS, filtered)": lambda wb, page: wb.taf.my_families(
        actor=LEE, due=ReviewDue.NONE, status=AssessmentStatus.DRAFT, page=page
    ),
    "audit.trail (LCSS)": lambda wb, page: wb.audit.trail(actor=LEE, page=page),
    "audit.trail (admin)": lambda wb, page: wb.audit.trail(actor=ADA, page=page),
}


def test_a_page_of_fifty_costs_the_same_statements_at_60_and_at_180_families(workbook, engine, clock):
    add_families(workbook, clock, 0, 60)
    small = {name: [statements(engine, read, workbook, p) for p in (1, 2)] for name, read in LISTS.items()}
    add_families(workbook, clock, 60, 180)
    large = {name: [statements(engine, read, workbook, p) for p in (1, 3)] for name, read in LISTS.items()}
    assert large == small
    # A page is read in a handful of statements, not one or more per row.
    assert all(n <= 15 for counts in large.values() for n in counts), large
    for name, read in LISTS.items():
        assert len(read(workbook, 1)) == 50, name


def test_pages_hold_every_row_once_in_order_with_the_total(workbook, clock):
    add_families(workbook, clock, 0, 60)
    whole = workbook.families.all(actor=SAM, per_page=200)
    assert whole.total == len(whole) == 48 and whole.pages == 1  # every fifth is Kim's
    assert [f.reference for f in whole] == sorted(f.reference for f in whole)
    pages = [workbook.families.all(actor=SAM, page=p, per_page=20) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [20, 20, 8] and {p.total for p in pages} == {48}
    assert [f.family_id for p in pages for f in p] == [f.family_id for f in whole]
    assert (pages[1].first, pages[1].last, pages[1].showing()) == (21, 40, "Showing 21–40 of 48")
    assert pages[0].has_next and not pages[0].has_previous and not pages[2].has_next
    # A page past the last is the last; one before the first is the first.
    assert workbook.families.all(actor=SAM, page=99, per_page=20) == pages[2]
    assert workbook.families.all(actor=SAM, page=0, per_page=20) == pages[0]
    for per_page in (0, 201):
        with pytest.raises(ValidationFailed) as refused:
            workbook.families.all(actor=SAM, per_page=per_page)
        assert "per_page" in refused.value.errors

    # Search: the most recently changed first, accents and case folded, paged the same way.
    found = [workbook.families.search(query="ZOE", actor=SAM, page=p, per_page=30) for p in (1, 2)]
    assert found[0].total == 48 and [len(p) for p in found] == [30, 18]
    everyone = [f.family_id for p in found for f in p]
    assert len(set(everyone)) == 48
    assert everyone == [f.family_id for f in workbook.families.search(query="zoë", actor=SAM, per_page=200)]


def test_scope_holds_on_every_page(workbook, clock):
    add_families(workbook, clock, 0, 90)
    central = {
        f.family_id for f in workbook.families.all(actor=Actor.system("t"), per_page=200) if f.locality == "central"
    }
    sams = {f.family_id for f in workbook.families.all(actor=SAM, per_page=200)}
    kims = {f.family_id for f in workbook.families.all(actor=KIM, per_page=200)}
    assert len(sams) == 72 and len(kims) == 18 and not sams & kims
    for actor, allowed in ((SAM, sams), (KIM, kims), (LEE, central)):
        mine = workbook.taf.my_families(actor=actor, per_page=25)
        seen = {
            e.family_id
            for p in range(1, mine.pages + 1)
            for e in workbook.taf.my_families(actor=actor, page=p, per_page=25)
        }
        assert seen == allowed and mine.total == len(allowed), actor.username
        searched = workbook.families.search(query="nowak", actor=actor, per_page=200)
        assert {f.family_id for f in searched} == allowed and searched.total == len(allowed)
    # The LCSS reviewer's trail: their locality's families (and their own reads), nothing of North's.
    north = {f.family_id for f in workbook.families.all(actor=Actor.system("t"), per_page=200)} - central
    trail = workbook.audit.trail(actor=LEE, per_page=200)
    assert trail.total > 0 and not {line.entry.family_id for line in trail} & north


def test_a_list_read_is_one_audit_entry_whatever_the_page(workbook, clock):
    add_families(workbook, clock, 0, 60)
    for read in LISTS.values():
        before = workbook.audit.trail(actor=ADA, per_page=1).total
        read(workbook, 2)
        # One entry for the read, one for the admin's own look at the trail above.
        assert workbook.audit.trail(actor=ADA, per_page=1).total == before + 2
    searched = workbook.audit.trail(actor=ADA, record="families", per_page=2)
    assert searched[0].entry.action == "searched"
