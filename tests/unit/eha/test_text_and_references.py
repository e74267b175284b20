import pytest

from eha.family import new_reference
from eha.text import fold, text_problem


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
    assert text_problem("<b>&amp;</b>", label="a note", limit=100) is None


def test_references_are_opaque_and_never_contain_vowels():
    refs = {new_reference() for _ in range(500)}
    assert len(refs) == 500
    for ref in refs:
        assert ref.startswith("EH-") and len(ref) == 9
        assert not set(ref[3:]) & set("AEIOU01")
    assert new_reference(12345) == new_reference(12345)
