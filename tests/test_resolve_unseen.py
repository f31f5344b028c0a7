"""Cross-article merging on the ways reports nobody here has read tell one takedown (issue 25):
an announcement dated days after the removal it names, a quarterly report retelling a removal
announced months before, a figure that leaves one kind out, a breakdown told over two sentences.

Every case is written for these tests, a merge beside a look-alike that must stay apart.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import permutations
from typing import Any

import pytest

from kg.records import ArticleFacts
from kg.resolve import resolve
from kg.resolve.evidence import partial_sum, partial_sums
from tests.test_resolve import D, facts, takedown

RURITANIA = ("Ruritania",)


def _groups(articles: list[ArticleFacts]) -> list[list[str]]:
    """The events as sorted lists of their articles' ids (a record of each)."""
    return sorted(sorted(s.evidence.article_id for s in e.sources) for e in resolve(articles).takedowns)


def _every_order(articles: list[ArticleFacts]) -> list[list[str]]:
    """The events, checked to be the same in every article order."""
    first = resolve(articles)
    for order in permutations(articles):
        assert resolve(list(order)) == first
    return _groups(articles)


# -- a removal named by its day or month, announced days later -----------------------------------

#: (case, sentence of the undated recap, the told date of the announcement, merged)
ANNOUNCED = [
    ("a month, announced five days after it", "In late April, Facebook took down pages tied to Ruritania.",
     date(2020, 5, 5), True),
    ("a month, announced inside it", "In April, Facebook took down pages tied to Ruritania.",
     date(2020, 4, 21), True),
    ("a month, the announcement weeks after it", "In April, Facebook took down pages tied to Ruritania.",
     date(2020, 5, 20), False),
    ("a day, announced two days after it", "On April 28, Facebook took down pages tied to Ruritania.",
     date(2020, 4, 30), True),
    ("a day, the announcement a week after it", "On April 28, Facebook took down pages tied to Ruritania.",
     date(2020, 5, 6), False),
]


@pytest.mark.parametrize(("case", "sentence", "told", "merged"), ANNOUNCED, ids=[c[0] for c in ANNOUNCED])
def test_a_named_day_or_month_fits_an_announcement_days_later(
    case: str, sentence: str, told: date, merged: bool
) -> None:
    """The recap has no date (no date line) but names the removal's month or day; another
    Ruritanian removal months later keeps the only match from deciding."""
    recap = facts("r", takedown("r", "Facebook", states=RURITANIA, sentence=sentence))
    announced = facts("a", takedown("a", "Facebook", counts={"pages": 389}, states=RURITANIA, when=told))
    other = facts("o", takedown("o", "Facebook", counts={"pages": 12}, states=RURITANIA,
                                when=date(2020, 10, 27)))
    groups = _every_order([recap, announced, other])
    assert (["a", "r"] in groups) is merged
    assert ["o"] in groups


# -- a quarterly report retells a removal announced months before --------------------------------

#: (case, sentence of the report, its told date, the first announcement's date, figures, merged)
QUARTERLY = [
    ("the report names the quarter of the announcement",
     "Meta said on Thursday that in the third quarter it had removed 2,817 accounts.",
     date(2022, 11, 17), date(2022, 7, 7), {"accounts": 2_817, "pages": 146}, True),
    ("'Q3 2022' names it too", "Its Q3 2022 report said it had removed 2,817 accounts.",
     date(2022, 11, 17), date(2022, 7, 7), {"accounts": 2_817}, True),
    ("the announcement is in another quarter",
     "Meta said on Thursday that in the third quarter it had removed 2,817 accounts.",
     date(2022, 11, 17), date(2022, 6, 20), {"accounts": 2_817}, False),
    ("the report names no quarter", "Meta said on Thursday it had removed 2,817 accounts.",
     date(2022, 11, 17), date(2022, 7, 7), {"accounts": 2_817}, False),
    ("the report comes too long after its quarter",
     "Meta said on Thursday that in the third quarter it had removed 2,817 accounts.",
     date(2023, 3, 2), date(2022, 7, 7), {"accounts": 2_817}, False),
    ("a small figure", "Meta said on Thursday that in the third quarter it had removed 28 accounts.",
     date(2022, 11, 17), date(2022, 7, 7), {"accounts": 28}, False),
    ("a round figure", "Meta said on Thursday that in the third quarter it had removed 2,800 accounts.",
     date(2022, 11, 17), date(2022, 7, 7), {"accounts": 2_800}, False),
]


@pytest.mark.parametrize(
    ("case", "sentence", "reported", "announced", "counts", "merged"), QUARTERLY,
    ids=[c[0] for c in QUARTERLY],
)
def test_a_quarterly_report_retells_a_removal_of_its_quarter(
    case: str, sentence: str, reported: date, announced: date, counts: dict[str, int], merged: bool
) -> None:
    report = facts("q", takedown("q", "Facebook", counts=counts, states=RURITANIA, when=reported,
                                 sentence=sentence))
    first = facts("f", takedown("f", "Facebook", counts=counts, states=RURITANIA, when=announced))
    assert (_every_order([report, first]) == [["f", "q"]]) is merged


# -- a figure that leaves one kind out -------------------------------------------------------------

#: (case, the breakdown, the single figure, its states, merged)
PARTIAL = [
    ("Facebook accounts and pages without the Instagram accounts",
     {"accounts": 41, "pages": 14, "instagram_accounts": 31}, 55, RURITANIA, True),
    ("accounts and Instagram accounts without the pages",
     {"accounts": 41, "pages": 14, "instagram_accounts": 31}, 72, RURITANIA, True),
    ("the same sum, another state", {"accounts": 41, "pages": 14, "instagram_accounts": 31}, 55,
     ("Freedonia",), False),
    ("the same sum, no state to agree on", {"accounts": 41, "pages": 14, "instagram_accounts": 31}, 55,
     (), False),
    ("a sum of no kinds", {"accounts": 41, "pages": 14, "instagram_accounts": 31}, 60, RURITANIA, False),
]


@pytest.mark.parametrize(
    ("case", "kinds", "figure", "states", "merged"), PARTIAL, ids=[c[0] for c in PARTIAL]
)
def test_a_figure_that_leaves_one_kind_out(
    case: str, kinds: dict[str, int], figure: int, states: tuple[str, ...], merged: bool
) -> None:
    """The single figure's article has no date line: only the figures and the state can tell."""
    breakdown = facts("b", takedown("b", "Facebook", counts=kinds, states=RURITANIA, when=date(2021, 11, 1)))
    single = facts("s", takedown("s", "Facebook", counts={"combined_count": figure}, states=states))
    other = facts("o", takedown("o", "Facebook", counts={"accounts": 23, "pages": 9}, states=RURITANIA,
                                when=date(2020, 2, 10)))
    groups = _every_order([breakdown, single, other])
    assert (["b", "s"] in groups) is merged
    if merged:
        (event,) = [e for e in resolve([breakdown, single, other]).takedowns if len(e.sources) == 2]
        assert {"partial sum", "states"} <= set(event.merged_on)


@pytest.mark.parametrize(
    ("a", "b", "found"),
    [
        ((("accounts", 41), ("pages", 14), ("instagram_accounts", 31)), (("combined_count", 55),), True),
        ((("combined_count", 86),), (("accounts", 41), ("pages", 14), ("instagram_accounts", 31)), False),
        ((("accounts", 41), ("pages", 14)), (("combined_count", 55),), False),  # the whole: total=breakdown
        ((("accounts", 4), ("pages", 3), ("groups", 2)), (("combined_count", 7),), False),  # too small
    ],
)
def test_partial_sum(a: tuple[tuple[str, int], ...], b: tuple[tuple[str, int], ...], found: bool) -> None:
    assert partial_sum(a, b) is found
    assert partial_sums((("accounts", 1), ("pages", 2), ("groups", 4))) == {3, 5, 6}


# -- one announcement's breakdown told over two sentences ------------------------------------------

#: (case, the second part's sentence, merged)
SECOND_SENTENCE = [
    ("the company also took down",
     "The company also took down 120 accounts and 30 pages run from Freedonia.", True),
    ("Meta also removed", "Meta also removed 120 accounts and 30 pages run from Freedonia.", True),
    ("in addition", "In addition, it removed 120 accounts and 30 pages run from Freedonia.", True),
    ("another network", "Another network also removed had 120 accounts and 30 pages in Freedonia.", False),
    ("separately", "Separately, the company also removed 120 accounts and 30 pages in Freedonia.", False),
    ("no tie", "The company took down 120 accounts and 30 pages run from Freedonia.", False),
]


@pytest.mark.parametrize(
    ("case", "sentence", "merged"), SECOND_SENTENCE, ids=[c[0] for c in SECOND_SENTENCE]
)
def test_a_breakdown_told_over_two_sentences_joins_its_whole(case: str, sentence: str, merged: bool) -> None:
    """Article p gives the Ruritanian part, then the Freedonian one in its next sentence; article
    w reports the whole, 530 accounts and pages of both states."""
    both = ("Freedonia", "Ruritania")
    whole = facts("w", takedown("w", "Facebook", counts={"combined_count": 530}, states=both,
                                when=date(2021, 3, 2)))
    first = "Facebook removed 300 accounts and 80 pages linked to Ruritania, the company said."
    parts = facts(
        "p",
        takedown("p", "Facebook", counts={"accounts": 300, "pages": 80}, states=RURITANIA, sentence=first),
        takedown("p", "Facebook", counts={"accounts": 120, "pages": 30}, states=("Freedonia",),
                 start=len(first) + 1, sentence=sentence),
        published=date(2021, 3, 4),
    )
    events = resolve([whole, parts]).takedowns
    assert (len(events) == 1) is merged
    if merged:
        assert "total=parts" in events[0].merged_on


def test_cases_are_named_once() -> None:
    cases: list[Any] = [*ANNOUNCED, *QUARTERLY, *PARTIAL, *SECOND_SENTENCE]
    assert len({c[0] for c in cases}) == len(cases)


# -- a headline that tells one part, a body sentence that tells both ------------------------------

HEADLINE = "Twitter takes down network of 1,250 core accounts"
BODY = "Twitter removed 1,250 core accounts, along with about 8,000 amplifier accounts."
LATER = "On Thursday it also removed 300 accounts linked to Freedonia."


def _headline_parts(*, cited: bool, other_state: bool = False) -> ArticleFacts:
    """An article whose first record cites the headline (and, if ``cited``, the body sentence
    that tells both parts); with ``other_state``, a record of another state told on a tie."""
    core = takedown("a", counts={"accounts": 1_250}, states=RURITANIA, when=D, sentence=HEADLINE)
    amplifiers = takedown("a", counts={"accounts": 8_000}, states=RURITANIA, when=D, sentence=BODY, start=60)
    if cited:
        core = replace(core, support=(amplifiers.evidence,))
    records = [core, amplifiers]
    if other_state:
        records.append(takedown("a", counts={"accounts": 300}, states=("Freedonia",), when=D, sentence=LATER,
                                start=150))
    return facts("a", *records, published=D)


WHOLE = "Twitter said it removed more than 9,000 accounts tied to Ruritania."


@pytest.mark.parametrize(
    ("cited", "other_state", "merged"),
    [
        (True, False, True),  # the headline's record also cites the body sentence: one unit
        (False, False, False),  # nothing ties the headline's figure to the body's
        (True, True, True),  # one state's parts of a unit that goes on to another state's network
    ],
)
def test_a_headline_part_and_the_body_that_tells_both(cited: bool, other_state: bool, merged: bool) -> None:
    whole = facts("b", takedown("b", states=RURITANIA, when=D, sentence=WHOLE), published=D)
    parts = _headline_parts(cited=cited, other_state=other_state)
    events = resolve([parts, whole]).takedowns
    joined = [e for e in events if "total=parts" in e.merged_on]
    if merged:
        (event,) = joined
        assert sorted(s.counts.accounts or 0 for s in event.sources) == [0, 1_250, 8_000]
    else:
        assert not joined
    assert resolve([whole, parts]) == resolve([parts, whole])


def test_one_states_parts_join_no_whole_of_another_state() -> None:
    """The Ruritanian parts sum to 9,250; a whole of Freedonia with that figure is another removal."""
    whole = facts("b", takedown("b", counts={"accounts": 9_250}, states=("Freedonia",), when=D,
                                sentence="Twitter removed 9,250 accounts tied to Freedonia."), published=D)
    events = resolve([_headline_parts(cited=True, other_state=True), whole]).takedowns
    assert all("total=parts" not in e.merged_on for e in events)
