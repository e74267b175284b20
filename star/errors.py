"""What can go wrong with Family Star Plus data, as exceptions a person can read.

All of them are ``ValueError`` subclasses so a caller that only wants "bad input" can catch
one thing, while a screen can still tell a bad score from a bad configuration file.
"""

from __future__ import annotations


class StarError(ValueError):
    """Base class for every Family Star Plus problem the software reports to a person."""


class StarReadingError(StarError):
    """A star reading is malformed (no id, wrong date, unreadable stored data...)."""


class StarScoreError(StarReadingError):
    """A score or an area is not acceptable: outside 1-10, not a whole number, unknown area,
    the same area twice."""


class StarConfigError(StarError):
    """The organisation's star text file cannot be used; the message names the problem."""


class TooManyReadings(StarError):
    """More readings were chosen for one chart than stay readable when overlaid."""
