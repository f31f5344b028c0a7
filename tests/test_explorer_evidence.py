"""kg.explorer.evidence: which sentences a card shows, the words marked in them, and whole-phrase labels."""

from __future__ import annotations

import pytest

from kg.explorer.evidence import Candidate, Terms, mark, select, short_label, whole_phrase

HEADLINE = "Beijing attacks Twitter after fake accounts deleted"
STATES = ("China", "Iran", "Russia")
PLATFORMS = ("Facebook", "Twitter", "YouTube")
TWITTER_CHINA = Terms(platforms=("Twitter",), states=("China",), counts=(936,))


def cand(sentence: str, confidence: float = 0.9, offset: int = 100, article: str = "a1") -> Candidate:
    return Candidate(sentence=sentence, article=article, where=f"{article} (2019-08-20)", offset=offset,
                     confidence=confidence, headline=HEADLINE)


# (sentences with confidence, kept sentences in order)
SELECT_CASES = [
    pytest.param(
        [(HEADLINE, 0.6), ("Twitter said it had terminated 936 accounts.", 0.9)],
        ["Twitter said it had terminated 936 accounts."],
        id="headline-dropped",
    ),
    pytest.param(
        [("The company took down 936 accounts that originated within China.", 0.9),
         ("The company took down 936 accounts that originated within China.", 0.6)],
        ["The company took down 936 accounts that originated within China."],
        id="same-sentence-once",
    ),
    pytest.param(
        [("The social networks are blocked in the mainland, but many use VPNs.", 0.6),
         ("Twitter deleted 936 accounts.", 0.9)],
        ["Twitter deleted 936 accounts."],
        id="no-name-no-figure-dropped",
    ),
    pytest.param(
        [("The networks began removing campaigns after discovering Russia's network.", 0.6),
         ("Twitter removed 936 accounts from China.", 0.9)],
        ["Twitter removed 936 accounts from China."],
        id="other-state-dropped",
    ),
    pytest.param(
        [("Twitter also removed 4,301 accounts tied to China in June.", 0.9),
         ("Twitter removed 936 accounts.", 0.7)],
        ["Twitter removed 936 accounts."],
        id="other-figure-dropped",
    ),
    pytest.param(
        [("Twitter and Facebook suspended accounts in China.", 0.9),
         ("Twitter Inc. deleted hundreds of accounts China used.", 0.6),
         ("Twitter removed 936 accounts.", 0.7)],
        ["Twitter removed 936 accounts.", "Twitter Inc. deleted hundreds of accounts China used."],
        id="figure-first-then-platform-and-state-ranked-by-confidence",
    ),
    pytest.param(
        [(HEADLINE, 0.6)],
        [HEADLINE],
        id="headline-kept-when-nothing-else",
    ),
]


@pytest.mark.parametrize(("sentences", "expected"), SELECT_CASES)
def test_select(sentences: list[tuple[str, float]], expected: list[str]) -> None:
    offsets = [0 if s == HEADLINE else 100 + i for i, (s, _) in enumerate(sentences)]
    got = select([cand(s, c, o) for (s, c), o in zip(sentences, offsets, strict=True)],
                 TWITTER_CHINA, STATES, PLATFORMS)
    assert [e.text for e in got] == sorted(expected, key=lambda t: -dict(sentences)[t])


def test_denial_evidence_keeps_quotes_without_names() -> None:
    terms = Terms(states=("Russia",), people=("Dmitry Peskov",), verbs="rejection_verb")
    got = select([cand("“We have nothing to do with this,” he said.", 0.8),
                  cand("Iran rejected a separate report.", 0.7)], terms, STATES, PLATFORMS, strict=False)
    assert [e.text for e in got] == ["“We have nothing to do with this,” he said."]


def test_marks_are_the_matched_words() -> None:
    sentence = "Twitter said it took down 936 accounts linked to Chinese state actors in Beijing."
    marks = mark(sentence, TWITTER_CHINA)
    words = {(sentence[a:b], kind) for a, b, kind in marks}
    assert {("Twitter", "platform"), ("took down", "verb"), ("936", "count"), ("linked to", "cue"),
            ("Chinese", "state"), ("Beijing", "state")} <= words
    assert all(marks[i][1] <= marks[i + 1][0] for i in range(len(marks) - 1)), "spans never overlap"
    # a figure inside a bigger number is not the figure
    assert not [m for m in mark("It removed 1,936 accounts.", TWITTER_CHINA) if m[2] == "count"]
    assert [(a, b) for a, b, k in mark("It removed 4,301 accounts.", Terms(counts=(4301,))) if k == "count"] \
        == [(11, 16)]


def test_denial_verbs_marked() -> None:
    s = "Moscow denied the report and rejected the claims."
    kinds = [s[a:b] for a, b, k in mark(s, Terms(states=("Russia",), verbs="rejection_verb")) if k == "verb"]
    assert kinds == ["denied", "rejected"]


@pytest.mark.parametrize(("label", "sentences", "expected"), [
    ("a campaign linked", ["Facebook and Twitter are cracking down on a campaign linked to Russia's "
                           "Internet Research Agency (IRA), an organisation close to the government."],
     "a campaign linked to Russia's Internet Research Agency (IRA)"),
    ("a small network of 13 accounts and two pages linked",
     ["It removed a “small network” of 13 accounts and two pages linked to people in Iran."],
     "a small network of 13 accounts and two pages linked to people in Iran"),
    ("936 accounts", ["It removed 936 accounts."], "936 accounts"),
    ("a network tied", ["Nothing here matches."], "a network tied"),
])
def test_whole_phrase(label: str, sentences: list[str], expected: str) -> None:
    assert whole_phrase(label, sentences) == expected


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("Twitter takedown of 936 accounts", 40, "Twitter takedown of 936 accounts"),
    ("Twitter takedown of a campaign linked to Russia's Internet Research Agency (IRA)", 40,
     "Twitter takedown of a campaign…"),
    ("a larger, spammy network of approximately 200,000 accounts", 32, "a larger, spammy network…"),
    ("284 accounts it said were engaging in coordinated manipulation", 40,
     "284 accounts it said were engaging…"),
])
def test_short_label_cuts_at_phrase_boundaries(text: str, limit: int, expected: str) -> None:
    got = short_label(text, limit)
    assert got == expected and len(got) <= limit
    assert got.rstrip("…").split()[-1].lower() not in {"linked", "to", "of", "a", "the", "tied"}


@pytest.mark.parametrize(
    ("sentence", "own"),
    [
        ("Facebook removed accounts linked to Russia and Iran.", ("Russia",)),
        ("Facebook removed accounts linked to Russia.", ("Russia",)),
        ("Iranian state media denied it.", ("Russia",)),
        ("The network posed as North Korean outlets.", ("China",)),
        ("Nothing named here at all.", ()),
        ("Accounts run from Moscow and Tehran.", ("Iran", "Russia")),
        ("Twitter and Facebook both acted.", ("Facebook",)),
    ],
)
def test_names_other_is_the_alternation_search(sentence: str, own: tuple[str, ...]) -> None:
    """One pattern per name gives the answer of one alternation of every other name's forms."""
    from kg.explorer.evidence import _name_pattern, _names_other

    names = ("China", "Facebook", "Iran", "North Korea", "Russia", "Twitter")
    others = tuple(n for n in names if n not in own)
    pattern = _name_pattern(others) if others else None
    assert _names_other(sentence, names, own) == bool(pattern and pattern.search(sentence))


# (sentence, figures): count_spans must find exactly what the figures' pattern finds
COUNT_CASES = [
    ("Twitter removed 936 accounts and 4,301 more.", (936, 4301)),
    ("It took down 4301 accounts, not 4,3010 or 14,301 or 4,301,000.", (4301,)),
    ("Figures: 9, 93, 936, 9360, 93,6 and 936,5.", (9, 93, 936)),
    ("A version 3.936 and 936.5 and 1,936 and x936 and 936x.", (936,)),
    ("٩٣٦ and 936٩ and 936,٩ and 936, then", (936,)),
    ("12,345,678 accounts and 12345678 pages and 345,678", (12345678, 345678, 345)),
    ("0 accounts, 00 pages, 10 groups", (0, 10)),
    ("no figures here", (5,)),
    ("minus -5 and 5 and −5", (-5, 5)),
    ("1,000 and 1000 and 1,0000", (1000,)),
    ("", (7,)),
]


@pytest.mark.parametrize(("sentence", "counts"), COUNT_CASES)
def test_count_spans_are_the_figures_pattern(sentence: str, counts: tuple[int, ...]) -> None:
    from kg.explorer.evidence import _count_pattern, count_spans

    pattern = _count_pattern(counts)
    assert pattern is not None
    assert count_spans(sentence, counts) == [(m.start(), m.end()) for m in pattern.finditer(sentence)]


def test_count_spans_without_figures() -> None:
    from kg.explorer.evidence import count_spans

    assert count_spans("936 accounts", ()) == []
    assert count_spans("It removed 936 accounts.", (936,)) == [(11, 14)]


def test_count_spans_match_the_pattern_on_random_text() -> None:
    """Random strings of digits, commas, points, spaces, letters and a non-ASCII digit, with
    figures drawn from the same digits: the scan and the pattern agree on every one."""
    import random

    from kg.explorer.evidence import _count_pattern, count_spans

    rng = random.Random(7)
    alphabet = "0123456789,,.. a٣"
    for _ in range(2000):
        sentence = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        counts = tuple(rng.choice([rng.randint(0, 20), rng.randint(0, 2000), rng.randint(0, 2_000_000)])
                       for _ in range(rng.randint(1, 3)))
        pattern = _count_pattern(counts)
        assert pattern is not None
        assert count_spans(sentence, counts) == [(m.start(), m.end()) for m in pattern.finditer(sentence)], (
            sentence, counts)
