from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

import star
from star import AREA_KEYS, AREAS, StarConfigError, StarText, load_star_text

EXAMPLE = Path(star.__file__).parent / "example-star-text.toml"
ATTRIBUTION = "Family Star Plus is an Outcomes Star™, © Triangle Consulting Social Enterprise Ltd"

# Phrases from the licensed Journey of Change that must never be shipped as our wording.
LICENSED_PHRASES = ("stuck", "accepting help", "trying", "finding what works", "effective")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "star-text.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_text_is_neutral_and_complete() -> None:
    text = load_star_text(None)
    assert text.attribution == ATTRIBUTION
    assert len(text.stage_names) == 5
    assert text.stage_name(1).startswith("Stage 1")
    assert text.stage_name(5).startswith("Stage 5")
    assert [area.key for area in text.areas] == list(AREA_KEYS)
    assert [text.label(area.key) for area in AREAS] == [area.label for area in AREAS]
    assert text.prompt("physical_health") == "How are things with your family's physical health?"
    assert all(text.prompt(key).endswith("?") for key in AREA_KEYS)
    assert text.stage_description("physical_health", 3) is None
    assert text.source == "built-in neutral wording"


def test_default_wording_does_not_use_journey_of_change_phrases() -> None:
    text = load_star_text()
    words = " ".join([*text.stage_names, *(text.prompt(key) for key in AREA_KEYS)]).lower()
    for phrase in LICENSED_PHRASES:
        assert phrase not in words


def test_shipped_example_file_loads_and_is_neutral() -> None:
    text = load_star_text(EXAMPLE)
    assert text.attribution == ATTRIBUTION
    assert text.source == str(EXAMPLE)
    assert text.stage_description("physical_health", 1) is not None
    assert text.prompt("routine") == "How are mornings, mealtimes and bedtimes going at home?"
    # Areas the file leaves out keep the neutral wording.
    assert text.prompt("home_money") == load_star_text().prompt("home_money")
    raw = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    shipped = " ".join(raw["stages"]["names"] + raw["areas"]["physical_health"]["stages"]).lower()
    for phrase in LICENSED_PHRASES:
        assert phrase not in shipped


def test_a_valid_custom_file_replaces_the_wording(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[stages]
names = ["One", "Two", "Three", "Four", "Five"]

[areas.keeping_safe]
label = "Keeping safe"
prompt = "Our own licensed prompt?"
stages = ["a", "b", "c", "d", "e"]
""",
    )
    text = load_star_text(path)
    assert isinstance(text, StarText)
    assert text.stage_names == ("One", "Two", "Three", "Four", "Five")
    assert text.label("keeping_safe") == "Keeping safe"
    assert text.prompt("keeping_safe") == "Our own licensed prompt?"
    assert text.stage_description("keeping_safe", 4) == "d"
    assert text.label("physical_health") == "Physical health"
    assert text.attribution == ATTRIBUTION


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[areas.spirituality]\nprompt = "?"',
            "Unknown area 'spirituality': Family Star Plus has only these ten areas",
        ),
        (
            '[stages]\nnames = ["a", "b", "c", "d"]',
            "[stages] names must have exactly 5 entries, one per stage (found 4).",
        ),
        (
            '[stages]\nnames = ["a", "b", "c", "d", "e", "f"]',
            "[stages] names must have exactly 5 entries, one per stage (found 6).",
        ),
        (
            '[stages]\nnames = ["a", "b", 3, "d", "e"]',
            "[stages] names entry 3 must be text in quotes (got a number 3).",
        ),
        (
            "[areas.routine]\nprompt = 42",
            "[areas.routine] prompt must be text in quotes (got a number 42).",
        ),
        (
            "[areas.routine]\nlabel = true",
            "[areas.routine] label must be text in quotes (got true/false True).",
        ),
        (
            '[areas.routine]\nstages = ["a", "b", "c", "d"]',
            "[areas.routine] stages must have exactly 5 entries, one per stage (found 4).",
        ),
        ('[areas.routine]\nstages = "a"', "[areas.routine] stages must be a list of 5 texts"),
        ('[areas.routine]\nprompt = "  "', "[areas.routine] prompt must not be blank."),
        ('[areas.routine]\npromt = "x"', "unknown setting 'promt' in [areas.routine]"),
        ('[stages]\nlist = ["a"]', "unknown setting 'list' in [stages]"),
        ("[stages]", "[stages] must have a 'names' list of 5 stage names."),
        ('[journey]\nnames = ["a"]', "unknown section [journey]"),
        ('areas = "x"', "[areas] must be a table of areas"),
        ('[areas]\nroutine = "x"', "[areas.routine] must be a table"),
        (
            '[areas.routine]\nlabel = "Physical health"',
            "areas physical_health and routine both have the label 'Physical health'",
        ),
        ("[stages\nnames =", "is not valid TOML"),
    ],
)
def test_an_invalid_file_is_refused_naming_the_problem(tmp_path: Path, toml: str, message: str) -> None:
    path = write(tmp_path, toml)
    with pytest.raises(StarConfigError) as caught:
        load_star_text(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_missing_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(StarConfigError, match=r"Could not read star text file .*nowhere\.toml"):
        load_star_text(path)


@pytest.mark.parametrize("stage", [0, 6, True])
def test_stage_name_refuses_a_stage_outside_1_to_5(stage: int) -> None:
    with pytest.raises(ValueError, match="A stage is a whole number from 1 to 5"):
        load_star_text().stage_name(stage)
