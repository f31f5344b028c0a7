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
