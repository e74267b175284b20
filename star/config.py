"""The words shown around the star: stage names, a prompt per area, optional scale text.

Family Star Plus is licensed. The software must not carry Triangle Consulting's scale
descriptions or Journey of Change wording, so by default it uses neutral wording of its own;
an organisation that holds a licence loads its own text from a TOML file (see
``star/example-star-text.toml`` for the format). The attribution line is not configurable:
it has to appear whatever text is loaded.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from star.areas import AREA_KEYS, AREAS, STAGE_COUNT, area_by_key, unknown_area_message
from star.errors import StarConfigError

ATTRIBUTION = "Family Star Plus is an Outcomes Star™, © Triangle Consulting Social Enterprise Ltd"

BUILT_IN_SOURCE = "built-in neutral wording"

# The software's own wording. Deliberately plain and generic: it must never drift towards
# the licensed scale descriptions.
_NEUTRAL_STAGE_NAMES: tuple[str, ...] = (
    "Stage 1 — starting out",
    "Stage 2 — getting going",
    "Stage 3 — making changes",
    "Stage 4 — steadier ground",
    "Stage 5 — managing well",
)

_NEUTRAL_PROMPTS: dict[str, str] = {
    "physical_health": "How are things with your family's physical health?",
    "well_being": "How are you feeling in yourself at the moment?",
    "emotional_needs": "How are things with meeting your children's emotional needs?",
    "keeping_safe": "How are things with keeping your children safe?",
    "social_networks": "How are things with the people and support around your family?",
    "education": "How are things with your children's education and learning?",
    "boundaries": "How are things with boundaries and behaviour at home?",
    "routine": "How are things with your family's day-to-day routine?",
    "home_money": "How are things with your home and money?",
    "progress_to_work": "How are things with moving towards work, training or volunteering?",
}

_Fail = Callable[[str], StarConfigError]

_AREA_SETTINGS = ("label", "prompt", "stages")
_TOP_LEVEL_SECTIONS = ("stages", "areas")


@dataclass(frozen=True)
class AreaText:
    """The words for one area. ``stage_descriptions`` is empty unless an organisation
    supplied its own (one per stage)."""

    key: str
    label: str
    prompt: str
    stage_descriptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class StarText:
    """All the configurable words, in star order. Build it with :func:`load_star_text`."""

    stage_names: tuple[str, ...]
    areas: tuple[AreaText, ...]
    source: str = BUILT_IN_SOURCE

    @property
    def attribution(self) -> str:
        return ATTRIBUTION

    def area_text(self, area_key: str) -> AreaText:
        """Raises StarScoreError for an unknown area key."""
        return self.areas[area_by_key(area_key).number - 1]

    def label(self, area_key: str) -> str:
        return self.area_text(area_key).label

    def prompt(self, area_key: str) -> str:
        return self.area_text(area_key).prompt

    def stage_name(self, stage: int) -> str:
        """Raises ValueError if ``stage`` is not 1-5."""
        if isinstance(stage, bool) or not isinstance(stage, int) or not 1 <= stage <= STAGE_COUNT:
            raise ValueError(f"A stage is a whole number from 1 to {STAGE_COUNT} (got {stage!r}).")
        return self.stage_names[stage - 1]

    def stage_description(self, area_key: str, stage: int) -> str | None:
        """The organisation's description of this stage for this area, if it supplied one."""
        self.stage_name(stage)
        descriptions = self.area_text(area_key).stage_descriptions
        return descriptions[stage - 1] if descriptions else None


def default_star_text() -> StarText:
    """The neutral wording used when no organisation file is configured."""
    return StarText(
        stage_names=_NEUTRAL_STAGE_NAMES,
        areas=tuple(AreaText(key=area.key, label=area.label, prompt=_NEUTRAL_PROMPTS[area.key]) for area in AREAS),
    )


def load_star_text(path: Path | None = None) -> StarText:
    """Load an organisation's star text from a TOML file, or the neutral wording if ``path``
    is None. Anything the file leaves out falls back to the neutral wording.

    Raises:
        StarConfigError: the file cannot be read, is not TOML, or breaks the format; the
            message names the file and the problem.
    """
    if path is None:
        return default_star_text()
    try:
        with Path(path).open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise StarConfigError(f"Star text file {path} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise StarConfigError(f"Could not read star text file {path}: {exc.strerror}") from exc
    return _parse(data, source=str(path))


def _parse(data: dict[str, object], *, source: str) -> StarText:
    def fail(problem: str) -> StarConfigError:
        return StarConfigError(f"Star text file {source}: {problem}")

    for section in data:
        if section not in _TOP_LEVEL_SECTIONS:
            raise fail(f"unknown section [{section}]; the file may only have [stages] and [areas].")

    default = default_star_text()
    stage_names = default.stage_names
    stages = data.get("stages")
    if stages is not None:
        if not isinstance(stages, dict):
            raise fail("[stages] must be a table with a 'names' list.")
        unknown = [name for name in stages if name != "names"]
        if unknown:
            raise fail(f"unknown setting '{unknown[0]}' in [stages]; only 'names' is allowed.")
        if "names" not in stages:
            raise fail("[stages] must have a 'names' list of 5 stage names.")
        stage_names = _five_texts(stages["names"], where="[stages] names", fail=fail)

    area_tables = data.get("areas", {})
    if not isinstance(area_tables, dict):
        raise fail("[areas] must be a table of areas, e.g. [areas.physical_health].")
    for key in area_tables:
        if key not in AREA_KEYS:
            raise fail(unknown_area_message(key))

    areas: list[AreaText] = []
    for area_default in default.areas:
        table = area_tables.get(area_default.key)
        if table is None:
            areas.append(area_default)
            continue
        where = f"[areas.{area_default.key}]"
        if not isinstance(table, dict):
            raise fail(f"{where} must be a table with label, prompt and/or stages.")
        for setting in table:
            if setting not in _AREA_SETTINGS:
                raise fail(f"unknown setting '{setting}' in {where}; use {', '.join(_AREA_SETTINGS)}.")
        areas.append(
            AreaText(
                key=area_default.key,
                label=_text(table.get("label", area_default.label), where=f"{where} label", fail=fail),
                prompt=_text(table.get("prompt", area_default.prompt), where=f"{where} prompt", fail=fail),
                stage_descriptions=(
                    _five_texts(table["stages"], where=f"{where} stages", fail=fail) if "stages" in table else ()
                ),
            )
        )

    # The chart uses labels as its category names: two equal labels would merge two areas.
    seen: dict[str, str] = {}
    for area_text in areas:
        if area_text.label in seen:
            raise fail(
                f"areas {seen[area_text.label]} and {area_text.key} both have the label "
                f"'{area_text.label}'; each area needs its own label."
            )
        seen[area_text.label] = area_text.key

    return StarText(stage_names=stage_names, areas=tuple(areas), source=source)


def _text(value: object, *, where: str, fail: _Fail) -> str:
    if not isinstance(value, str):
        raise fail(f"{where} must be text in quotes (got {_toml_type(value)} {value!r}).")
    if not value.strip():
        raise fail(f"{where} must not be blank.")
    return value


def _five_texts(value: object, *, where: str, fail: _Fail) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise fail(f"{where} must be a list of {STAGE_COUNT} texts (got {_toml_type(value)}).")
    if len(value) != STAGE_COUNT:
        raise fail(f"{where} must have exactly {STAGE_COUNT} entries, one per stage (found {len(value)}).")
    return tuple(_text(item, where=f"{where} entry {number}", fail=fail) for number, item in enumerate(value, start=1))


def _toml_type(value: object) -> str:
    names: dict[type, str] = {
        bool: "true/false",
        int: "a number",
        float: "a number",
        str: "text",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)
