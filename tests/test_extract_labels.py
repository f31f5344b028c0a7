"""List labels and headings (``kg.extract.labels``): a heading line over a report's network gives
it the heading's origin, and ends what the text before it was telling. Sentences are our own."""

from __future__ import annotations

import pytest
from extract_tools import TD, takedowns_of

pytestmark = pytest.mark.model

INTRO = ("Meta's report\n\nMeta's quarterly report detailed networks it removed for coordinated inauthentic "
         "behavior.\n\n")
BODY_IRAN = "Meta removed 40 Facebook accounts and 10 pages. The network targeted Israel.\n\n"
BODY_CHINA = "Meta removed 300 accounts and 12 groups. The network targeted Taiwan."
IRAN = ("Facebook", {"accounts": 40, "pages": 10}, {"Iran"})
CHINA = ("Facebook", {"accounts": 300, "groups": 12}, {"China"})

HEADINGS: list[tuple[str, list[TD]]] = [
    (INTRO + "Iran\n\n" + BODY_IRAN + "China\n\n" + BODY_CHINA, [IRAN, CHINA]),
    (INTRO + "Network from Iran\n\n" + BODY_IRAN + "Network from China\n\n" + BODY_CHINA, [IRAN, CHINA]),
    (INTRO + "The Iranian network\n\n" + BODY_IRAN + "The Chinese network\n\n" + BODY_CHINA, [IRAN, CHINA]),
    # negatives beside them: a heading naming a target, a heading two paragraphs too far up
    (INTRO + "Networks targeting Israel\n\n" + BODY_IRAN,
     [("Facebook", {"accounts": 40, "pages": 10}, set())]),
    (INTRO + "Iran\n\nThe report came out on Tuesday.\n\nIt was long.\n\nIts authors were many.\n\n"
     + BODY_IRAN,
     [("Facebook", {"accounts": 40, "pages": 10}, set())]),
    # a line with a finite verb or a closing stop is no heading
    (INTRO + "Iran was busy.\n\n" + BODY_IRAN, [("Facebook", {"accounts": 40, "pages": 10}, set())]),
]


@pytest.mark.parametrize(("text", "expected"), HEADINGS, ids=[t[len(INTRO) :][:40] for t, _ in HEADINGS])
def test_a_heading_gives_the_networks_under_it_their_origin(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


def test_a_heading_over_the_next_removal_lends_nothing_to_the_one_before(nlp) -> None:
    """The sentences after a removal may tell its origin, but not a heading over the next one."""
    text = (INTRO + "Meta removed 40 Facebook accounts and 10 pages. The network targeted Israel.\n\n"
            "Network from China\n\n" + BODY_CHINA)
    alone = ("Facebook", {"accounts": 40, "pages": 10}, set())
    assert takedowns_of(nlp, text) == sorted([alone, CHINA], key=repr)


LEAD = ("Google report\n\nGoogle said it terminated YouTube channels in coordinated influence operations "
        "in the quarter.\n\n")
ROWS: list[tuple[str, list[TD]]] = [
    (LEAD + "Russia \u2013 1,200 channels\n\nChina \u2013 3,100 channels\n\nIran \u2013 45 channels",
     [("YouTube", {"channels": 1200}, {"Russia"}), ("YouTube", {"channels": 3100}, {"China"}),
      ("YouTube", {"channels": 45}, {"Iran"})]),
    # a row naming its figures in brackets is no heading over the next row
    (LEAD + "\u2022 Russia (1,200 channels)\n\n\u2022 China (3,100 channels)\n\n\u2022 Iran (45 channels)",
     [("YouTube", {"channels": 1200}, {"Russia"}), ("YouTube", {"channels": 3100}, {"China"}),
      ("YouTube", {"channels": 45}, {"Iran"})]),
    # negative beside them: a dateline's dash is before no figures
    ("Facebook removes pages\n\nWASHINGTON (Wire) \u2013 Facebook is removing 559 Pages and 251 accounts "
     "that engaged in coordinated inauthentic behavior, the company said.",
     [("Facebook", {"pages": 559, "accounts": 251}, set())]),
]


@pytest.mark.parametrize(("text", "expected"), ROWS, ids=[t[len(LEAD) :][:30] for t, _ in ROWS])
def test_rows_labelled_by_dash_or_bracketed_figures(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)
