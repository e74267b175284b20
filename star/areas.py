"""The ten Family Star Plus areas, the 1-10 scale and its five stages.

Keys are stable identifiers for storage and URLs; labels are what people see. The order is
the order of the star itself and must not change: stored readings and charts rely on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from star.errors import StarScoreError

MIN_SCORE = 1
MAX_SCORE = 10
STAGE_COUNT = 5
POINTS_PER_STAGE = 2


@dataclass(frozen=True)
class StarArea:
    """One area of the star. ``number`` is its position (1-10) on the star."""

    key: str
    label: str
    number: int


AREAS: tuple[StarArea, ...] = tuple(
    StarArea(key=key, label=label, number=number)
    for number, (key, label) in enumerate(
        (
            ("physical_health", "Physical health"),
            ("well_being", "Your well-being"),
            ("emotional_needs", "Meeting emotional needs"),
            ("keeping_safe", "Keeping your children safe"),
            ("social_networks", "Social networks"),
            ("education", "Education and learning"),
            ("boundaries", "Boundaries and behaviour"),
            ("routine", "Family routine"),
            ("home_money", "Home and money"),
            ("progress_to_work", "Progress to work"),
        ),
        start=1,
    )
)

AREA_KEYS: tuple[str, ...] = tuple(area.key for area in AREAS)

_BY_KEY = {area.key: area for area in AREAS}


def unknown_area_message(key: object) -> str:
    """The one wording for "that is not an area", shared by readings and configuration."""
    return f"Unknown area {_short_repr(key)}: Family Star Plus has only these ten areas: {', '.join(AREA_KEYS)}."


def area_by_key(key: str) -> StarArea:
    """The area with this key.

    Raises:
        StarScoreError: if ``key`` is not one of the ten area keys.
    """
    if isinstance(key, str) and key in _BY_KEY:
        return _BY_KEY[key]
    raise StarScoreError(unknown_area_message(key))


def check_score(value: object, *, area: StarArea | None = None, whose: str = "Score") -> int:
    """Return ``value`` as a plain int if it is a whole number from 1 to 10.

    ``bool`` is refused even though Python counts it as an int: a tick box that leaked into
    a score would otherwise be stored as 1.

    Raises:
        StarScoreError: naming the area (when given) and the value received.
    """
    if isinstance(value, int) and not isinstance(value, bool) and MIN_SCORE <= value <= MAX_SCORE:
        return int(value)
    subject = f"{whose} for {area.label}" if area is not None else "A Family Star Plus score"
    raise StarScoreError(
        f"{subject} must be a whole number from {MIN_SCORE} to {MAX_SCORE} (got {_short_repr(value)})."
    )


def stage_of(score: int) -> int:
    """The stage (1-5) a score falls in: 1-2 is stage 1, 3-4 stage 2, ... 9-10 stage 5.

    Raises:
        StarScoreError: if ``score`` is not a whole number from 1 to 10.
    """
    checked = check_score(score)
    return (checked + POINTS_PER_STAGE - 1) // POINTS_PER_STAGE


def _short_repr(value: object) -> str:
    # Hostile input can be huge; an error message must stay readable.
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
