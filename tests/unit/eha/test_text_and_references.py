import pytest

from eha.family import new_reference
from eha.text import fold, is_text, repaired, text_problem
from tests.support.hostile import SAMPLES


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("zoe", "Zoë"), ("lukasz", "Łukasz"), ("STEFAN", "Ștefan"), ("o briain", "Ó  Briain"), ("nguyen", "Nguyễn")],
)
def test_search_keys_ignore_case_accents_and_spacing(typed: str, stored: str):
    assert fold(typed) == fold(stored)


def test_arabic_script_names_keep_their_letters_in_the_search_key():
    assert fold("مريم حداد") == "مريم حداد"


def test_text_problem_names_the_limit_and_the_length():
    assert text_problem("abc", label="a name", limit=2) == "A name must be 2 characters or fewer (it is 3)."
    assert text_problem("", label="a name", limit=2, required=True) == "Enter a name."


def test_text_that_is_not_valid_unicode_is_refused_saying_what_to_do():
    # A lone surrogate: half of an emoji, as a broken copy and paste leaves behind.
    assert text_problem("Zo\ud800ë", label="the child's name", limit=200) == (
        "The child's name contains a character that isn't valid text (a broken emoji or symbol); retype it."
    )
    assert text_problem("\udfff", label="a note", limit=200, required=True) is not None
    assert not is_text("a\ud83d")


@pytest.mark.parametrize("text", SAMPLES.values(), ids=SAMPLES)
def test_markup_emoji_right_to_left_marks_and_any_script_are_text(text: str):
    assert is_text(text)
    assert text_problem(text, label="a note", limit=len(text)) is None
    assert repaired(text) == text


def test_text_stored_before_it_was_checked_is_repaired_for_showing_and_exporting():
    assert repaired("a\ud800b") == "a\ufffdb"
    assert repaired("\ud83d\ude00") == "😀"  # the two halves of one emoji, kept apart
    assert repaired("Zoë 😀") == "Zoë 😀"


def test_references_are_opaque_and_never_contain_vowels():
    refs = {new_reference() for _ in range(500)}
    assert len(refs) == 500
    for ref in refs:
        assert ref.startswith("EH-") and len(ref) == 9
        assert not set(ref[3:]) & set("AEIOU01")
    assert new_reference(12345) == new_reference(12345)
