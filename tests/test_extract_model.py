"""The pipeline (``kg.extract.model``): the trained model plus the gazetteer ruler."""

from __future__ import annotations

import pytest
import spacy

from kg.extract.model import SPANS_KEY, default_model

pytestmark = pytest.mark.model
IRA = "Internet Research Agency"


def test_components_are_the_models_plus_the_ruler(nlp) -> None:  # type: ignore[no-untyped-def]
    """The ruler's patterns are added with the other components switched off (they would parse
    every alias for nothing); they must all be back on afterwards. The model's attribute
    ruler is replaced in place by kg's equivalent (``tests/test_extract_attribute_rules.py``),
    the figure-at-sentence-start repair (``kg.extract.repair``) runs just before the parser,
    and the serial-comma repair comes last."""
    bare = spacy.load(default_model(), exclude=["textcat"])
    names = ["cib_attributes" if n == "attribute_ruler" else n for n in bare.pipe_names]
    names.insert(names.index("parser"), "cib_number_start")
    assert nlp.pipe_names == [*names, "cib_gazetteer", "cib_serial_comma"]
    assert nlp.disabled == bare.disabled


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The internet research agency ran them.", [("internet research agency", IRA)]),
        ("FACEBOOK and Twitter removed them.", [("FACEBOOK", "Facebook"), ("Twitter", "Twitter")]),
        ("Officials in moscow and the IRA denied it.", [("moscow", "Russia"), ("IRA", IRA)]),
        ("The ira is a word here, not the agency.", []),
    ],
)
def test_phrase_patterns_match_any_case(nlp, text: str, expected: list[tuple[str, str]]) -> None:  # type: ignore[no-untyped-def]
    """Long aliases match in any case (phrase patterns on LOWER), acronyms only as written."""
    doc = nlp(text)
    assert [(s.text, s.id_) for s in doc.spans[SPANS_KEY]] == expected


@pytest.mark.parametrize(
    ("text", "sentences", "platforms"),
    [
        ("The company suspended 300 accounts on X. It said more would follow.", 2, ["X"]),
        ("Meta removed 50 accounts on Facebook and X.", 1, ["Meta", "Facebook", "X"]),
        ("The accounts were removed by X.", 1, ["X"]),
        ("Accounts on X were removed.", 1, ["X"]),
    ],
)
def test_a_one_letter_platform_before_a_period_is_the_platform(  # type: ignore[no-untyped-def]
    nlp, text: str, sentences: int, platforms: list[str]
) -> None:
    """The tokenizer keeps "X." together as an initial; the platform X ends sentences too."""
    doc = nlp(text)
    assert len(list(doc.sents)) == sentences
    assert [s.text for s in doc.spans[SPANS_KEY] if s.label_ == "PLATFORM"] == platforms


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ('"We are not aware of such accounts," Defence spokesman Brig. Gen. Onyema Nwachukwu told AFP.', 1),
        ("Army spokesman Lt. Col. Ahmed Khan denied the report. The ministry said nothing.", 2),
        ("The report was written by Capt. Sgt. Maj. Ali Musa and it was long.", 1),
    ],
)
def test_a_title_abbreviation_ends_no_sentence(nlp, text: str, sentences: int) -> None:  # type: ignore[no-untyped-def]
    """ "Brig.", "Lt.", "Capt." stay one token with their period, and the name after them goes on
    the sentence."""
    doc = nlp(text)
    assert len(list(doc.sents)) == sentences
    assert any(t.text in ("Brig.", "Lt.", "Capt.") for t in doc)
