"""kg's attribute ruler (``kg.extract.attribute_rules``) against the model's own ``attribute_ruler``: the
same tag, part of speech, morphology, lemma and label on every token."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.extract.attribute_rules import FastAttributeRuler, _token_test, _value_test
from kg.extract.model import load_pipeline

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def stock() -> Language:
    return load_pipeline(None, stock_attributes=True)


def _attributes(doc: Doc) -> list[tuple[str, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, str(t.head.i), t.ent_type_) for t in doc]


# Every kind of exception the model's ruler holds: negations and contractions, "be"/"have"
# as auxiliaries, "that"/"if" as subordinators, pronoun case by label, "there is", the
# two-token and regex patterns (gonna, gotta, let's, c'mon, y'all, ain't, nothin'), and
# whitespace tokens (between words, at the start, a tab, a line break).
SENTENCES = [
    "Meta said it had removed 40 accounts that it did not link to any government.",
    "The ministry didn't comment, and officials wouldn't say whether they'd seen it.",
    "There is no evidence, and there were never any links, the spokesman said.",
    "I told them it was fake; they told me it wasn't, and you believed it.",
    "We're gonna take it down, we gotta act, let's go, c'mon, y'all know it ain't over.",
    "Nothin' changed: the company has had enough and does what it has to.",
    "Twitter  suspended\taccounts\n\nin 2019 because they were run from Iran.",
    "  Leading spaces, then a list:\n- 30 from Egypt\n- 12 in Cuba",
    "Which accounts? Those that posted; that is all. If so, whether or not, since then.",
    "He's been there; she'd have done it; I'm sure you've heard; they're wrong.",
    "",
    " ",
]


@pytest.mark.parametrize("text", SENTENCES)
def test_same_attributes_as_the_models_ruler(nlp, stock: Language, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "cib_attributes" in nlp.pipe_names and "attribute_ruler" not in nlp.pipe_names
    assert _attributes(nlp(text)) == _attributes(stock(text))


def test_same_attributes_on_the_seed_corpus(nlp, stock: Language) -> None:  # type: ignore[no-untyped-def]
    texts = [p.read_text("utf-8") for p in sorted((ROOT / "corpus").iterdir()) if p.is_file()]
    assert texts
    ours, theirs = list(nlp.pipe(texts)), list(stock.pipe(texts))
    assert [_attributes(d) for d in ours] == [_attributes(d) for d in theirs]


def test_patterns_split_between_lookups_and_a_matcher(stock: Language) -> None:
    """One-token patterns on tag, word, label and whitespace are looked up; the rest (several
    tokens, a regex) stay with a Matcher, so nothing the model ships is dropped."""
    ruler = stock.get_pipe("attribute_ruler")
    fast = FastAttributeRuler(ruler)  # type: ignore[arg-type]
    assert len(fast._simple) + len(fast._targets) == len(ruler.patterns)
    assert 0 < len(fast._targets) < len(ruler.patterns) // 10


@pytest.mark.parametrize(
    ("spec", "value", "expected"),
    [
        ("VBZ", "VBZ", True),
        ("VBZ", "VBD", False),
        ({"IN": ["is", "'s"]}, "'s", True),
        ({"IN": ["is", "'s"]}, "was", False),
        ({"NOT_IN": ["TO", ""]}, "", False),
        ({"NOT_IN": ["TO", ""]}, "MD", True),
        (True, True, True),
        (True, False, False),
    ],
)
def test_value_tests_read_as_the_matcher(spec: object, value: object, expected: bool) -> None:
    test = _value_test(spec)
    assert test is not None and test(value) is expected


@pytest.mark.parametrize(
    "token",
    [
        {"LOWER": {"REGEX": "^n't$"}},  # a regex: left to the Matcher
        {"LENGTH": {">=": 3}},  # another attribute
        {"TAG": {"IN": ["NN", 3]}},  # not a list of strings
        {"IS_SPACE": "yes"},  # a flag must be a bool
        {"TAG": True},  # and a tag a string
    ],
)
def test_other_patterns_are_not_looked_up(token: dict[str, object]) -> None:
    assert _token_test(token) is None
