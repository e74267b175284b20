"""A team deployment's writers at once: several app servers (each its own engine) over one
PostgreSQL database, many threads saving a section, a Family Star Plus reading and a TAF
meeting's minutes, each save against the version it read. No update is lost: every save is
either applied, on the version it read, or refused as stale; the versions count the applied
saves exactly; what is stored is the last applied save; the audit trail has one entry per
applied save and its chain still verifies.

Nothing here measures time; the threads start together at a barrier.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from eha.actor import Actor
from eha.background import Carer, Child
from eha.errors import StaleRecord
from eha.localities import load_localities
from star import CompletedBy, OccasionKind
from star.areas import AREA_KEYS
from storage.db import make_engine, upgrade
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.clock import Clock
from tests.support.eha import completed_family

pytestmark = pytest.mark.postgres

OPERATOR = Actor.system("test")
SERVERS = 3
THREADS = 12  # four per app server, each on one of the three kinds of record
ROUNDS = 4


@dataclass(frozen=True)
class Applied:
    kind: str
    based_on: int  # the version the thread read
    version: int  # the version its save made
    value: tuple[str, int, str] | str


@pytest.fixture
def database(postgres_server) -> Iterator[str]:
    url = postgres_server.create_database()
    upgrade(url)
    yield url
    postgres_server.drop_database(url)


@pytest.fixture
def servers(database: str, clock: Clock) -> Iterator[list[Workbook]]:
    engines = [make_engine(database) for _ in range(SERVERS)]
    yield [Workbook(e, localities=load_localities(), clock=clock, audit_key=AUDIT_KEY.encode()) for e in engines]
    for engine in engines:
        engine.dispose()


def test_many_writers_lose_no_update_and_the_audit_chain_verifies(servers: list[Workbook], sam: Actor, database: str):
    setup = servers[0]
    # A draft assessment (its plan and its first star reading) and a completed one (its TAF meeting).
    _, draft_id = setup.families.create(
        locality="central",
        address="9 Iffley Road\nOxford",
        main_carer=Carer(name="Zoë Nowak", relationship="Mother"),
        child=Child(name="Tomasz Nowak", date_of_birth=setup.today().replace(year=setup.today().year - 8)),
        actor=sam,
    )
    reading_id = setup.star.start(
        assessment_id=draft_id,
        taken_on=setup.today(),
        occasion=OccasionKind.FIRST,
        completed_by=CompletedBy.TOGETHER,
        actor=sam,
    ).reading.id
    _, completed_id = completed_family(setup, sam)
    meeting_id = setup.taf.start_meeting(
        assessment_id=completed_id, held_on=setup.today(), where="The school", actor=sam
    ).meeting_id

    def plan_version(wb: Workbook) -> int:
        return wb.assessments.open(assessment_id=draft_id, actor=sam).plan.version

    def reading_version(wb: Workbook) -> int:
        return wb.star.reading(reading_id=reading_id, actor=sam).version

    def meeting_version(wb: Workbook) -> int:
        (meeting,) = wb.assessments.open(assessment_id=completed_id, actor=sam).taf.meetings
        return meeting.version

    start = {"plan": plan_version(setup), "reading": reading_version(setup), "meeting": meeting_version(setup)}
    entries_before = setup.audit.verify(actor=OPERATOR)[0]

    def writer(number: int) -> Callable[[], list[Applied | str]]:
        wb, kind = servers[number % SERVERS], ("plan", "reading", "meeting")[number % 3]

        def rounds() -> list[Applied | str]:
            outcomes: list[Applied | str] = []
            for round_ in range(ROUNDS):
                value: tuple[str, int, str] | str
                try:
                    if kind == "plan":
                        based_on, value = plan_version(wb), f"Analysis by writer {number}, round {round_}"
                        saved = wb.assessments.save_analysis(
                            assessment_id=draft_id, expected_version=based_on, analysis=value, actor=sam
                        ).version
                    elif kind == "reading":
                        area, score = AREA_KEYS[(number + round_) % len(AREA_KEYS)], (number + round_) % 10 + 1
                        # The note makes every save a change, even of a score to what it was.
                        note = f"Scored by writer {number}, round {round_}"
                        based_on, value = reading_version(wb), (area, score, note)
                        saved = wb.star.score_area(
                            reading_id=reading_id,
                            expected_version=based_on,
                            area=area,
                            agreed=score,
                            note=note,
                            actor=sam,
                        ).version
                    else:
                        based_on, value = meeting_version(wb), f"Minutes by writer {number}, round {round_}"
                        saved = wb.taf.save_minutes(
                            meeting_id=meeting_id, expected_version=based_on, minutes=value, actor=sam
                        ).version
                except StaleRecord:
                    outcomes.append(kind)  # refused as stale: someone saved since it read
                    continue
                outcomes.append(Applied(kind, based_on, saved, value))
            return outcomes

        return rounds

    results = in_parallel([writer(n) for n in range(THREADS)])
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == [], errors
    outcomes = [o for r in results for o in r]  # type: ignore[union-attr]
    assert len(outcomes) == THREADS * ROUNDS  # every save either applied or refused as stale

    applied = {
        kind: sorted((o for o in outcomes if isinstance(o, Applied) and o.kind == kind), key=lambda o: o.version)
        for kind in start
    }
    refused = {kind: sum(1 for o in outcomes if o == kind) for kind in start}
    final = {"plan": plan_version(setup), "reading": reading_version(setup), "meeting": meeting_version(setup)}
    for kind, saves in applied.items():
        assert saves, f"no {kind} save was applied"
        # Each applied save moved the record on by one from the version it read: no two were
        # applied over the same version, so none overwrote another unseen.
        assert [s.version for s in saves] == list(range(start[kind] + 1, final[kind] + 1)), kind
        assert all(s.version == s.based_on + 1 for s in saves), kind
        assert len(saves) + refused[kind] == THREADS // 3 * ROUNDS

    draft = setup.assessments.open(assessment_id=draft_id, actor=sam)
    assert draft.plan.data.analysis == applied["plan"][-1].value
    reading = setup.star.reading(reading_id=reading_id, actor=sam).reading
    last_score: dict[str, tuple[int, str]] = {}
    for save in applied["reading"]:
        area, score, note = save.value  # type: ignore[misc]
        last_score[area] = (score, note)
    stored = {area: (reading.score_for(area).agreed, reading.score_for(area).note) for area in last_score}
    assert stored == last_score
    (meeting,) = setup.assessments.open(assessment_id=completed_id, actor=sam).taf.meetings
    assert meeting.meeting.minutes == applied["meeting"][-1].value

    # One "changed" entry per applied save, and the chain (reads and refusals included) adds up.
    changed = _changes_by_record(database)
    assert changed[f"assessment:{draft_id}/plan"] == len(applied["plan"]), changed
    assert changed[f"star_reading:{reading_id}"] == len(applied["reading"]), changed
    assert changed[f"taf_meeting:{meeting_id}"] == len(applied["meeting"]), changed
    checked, broken = setup.audit.verify(actor=OPERATOR)
    assert broken is None
    assert checked > entries_before + sum(len(s) for s in applied.values())


def _changes_by_record(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT record, count(*) FROM audit_log WHERE action = 'changed' GROUP BY record"))
            return {record: count for record, count in rows}
    finally:
        engine.dispose()


def in_parallel(calls: list[Callable[[], list[Applied | str]]]) -> list[list[Applied | str] | BaseException]:
    """Run each call on its own thread, all released at once; what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list[list[Applied | str] | BaseException] = [[] for _ in calls]

    def run(i: int, call: Callable[[], list[Applied | str]]) -> None:
        barrier.wait()
        try:
            results[i] = call()
        except BaseException as exc:  # looked at on the test's thread
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a save never returned"
    return results
