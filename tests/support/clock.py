"""The clock a test gives the workbook (`Workbook(..., clock=clock)`), so that the test decides
what "now" is: a "Saved at" it can predict, an idle sign-in that ends, a lockout that passes, a
review that falls due, a record made a year ago."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# The instant a stopped clock shows unless a test names another.
NOW = datetime(2026, 11, 22, 14, 2, tzinfo=UTC)


class Clock:
    """Stopped at `start` (`Clock(NOW)`), or running with the real time (`Clock()`); either way
    moved on or back by `offset` (`clock.offset += timedelta(minutes=31)`). Read it as the
    workbook does: `clock()`."""

    def __init__(self, start: datetime | None = None) -> None:
        self.start = start
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return (datetime.now(UTC) if self.start is None else self.start) + self.offset
