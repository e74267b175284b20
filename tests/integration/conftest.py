from collections.abc import Callable, Iterator

import pytest

from eha.actor import Actor, Role
from eha.localities import load_localities
from storage.db import make_engine, upgrade
from storage.services import Workbook
from tests.support import AUDIT_KEY
from tests.support.clock import NOW, Clock


@pytest.fixture
def clock() -> Clock:
    """Stopped at NOW, so 'Saved at' and 'today' are predictable; a test moves it by hand."""
    return Clock(NOW)


@pytest.fixture
def make_workbook(database_url: str, clock: Clock) -> Iterator[Callable[[], Workbook]]:
    """Workbooks over one migrated database: two of them are two people's app servers."""
    upgrade(database_url)
    engines = []

    def make() -> Workbook:
        engine = make_engine(database_url)
        engines.append(engine)
        return Workbook(engine, localities=load_localities(), clock=clock, audit_key=AUDIT_KEY.encode())

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def workbook(make_workbook: Callable[[], Workbook]) -> Workbook:
    return make_workbook()


@pytest.fixture
def sam() -> Actor:
    return Actor(username="sam.worker", display_name="Sam Worker", role=Role.PRACTITIONER)
