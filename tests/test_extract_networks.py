"""Networks: the records of one article, and the state a platform's report says once.

Issue 30: attributions are scored per record, so a platform's networks that the text ties to one
state only once ("two networks linked to Peru. The first ... The second ...") all carry it.
Sentences written for these tests.
"""

from __future__ import annotations

import pytest

from kg.extract import extract_article
from kg.ingest import parse_article

pytestmark = pytest.mark.model



def records(nlp, text: str) -> list[tuple]:
    facts = extract_article(parse_article("Case\n" + text, file="case.txt"), nlp)
    return sorted(
        (t.platform, tuple(a.state for a in t.attributions), t.counts.accounts, t.counts.pages)
        for t in facts.takedowns
    )


SAID_ONCE: list[tuple[str, list[tuple]]] = [
    (
        "Twitter said it removed more than 9,000 accounts for coordinated inauthentic behaviour: "
        "2,000 accounts in a core network, and 7,000 amplifier accounts tied to a Peruvian influence "
        "operation.",
        [("Twitter", ("Peru",), 2000, None), ("Twitter", ("Peru",), 7000, None)],
    ),
    (
        "Meta said it removed two networks linked to Peru for coordinated inauthentic behaviour. The "
        "first network had 90 pages and 30 accounts. The second network had 45 accounts and 12 pages.",
        [("Facebook", ("Peru",), 30, 90), ("Facebook", ("Peru",), 45, 12)],
    ),
]

NOT_SHARED: list[tuple[str, list[tuple]]] = [
    # the other network has a named operator of its own
    (
        "Meta removed 90 pages and 30 accounts linked to Peru for coordinated inauthentic behaviour. "
        "It also removed 45 accounts and 12 pages run by Brightline Media for coordinated inauthentic "
        "behaviour.",
        [("Facebook", (), 45, 12), ("Facebook", ("Peru",), 30, 90)],
    ),
    # another platform's network
    (
        "Meta removed 90 pages and 30 accounts linked to Peru for coordinated inauthentic behaviour. "
        "Twitter removed 45 accounts for platform manipulation.",
        [("Facebook", ("Peru",), 30, 90), ("Twitter", (), 45, None)],
    ),
    # the report names several origins: each network keeps its own
    (
        "Meta removed hundreds of accounts from Peru, Chile and Bolivia for coordinated inauthentic "
        "behaviour. One operation originated in Peru, the other in Chile and Bolivia. The effort out "
        "of Peru targeted Ecuador. 45 accounts and 12 pages were deleted. From the Chile and Bolivia "
        "network, Meta removed 90 pages and 30 accounts.",
        [("Facebook", ("Bolivia", "Chile"), 30, 90), ("Facebook", ("Peru",), 45, 12)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SAID_ONCE + NOT_SHARED)
def test_platform_state_said_once(nlp, text: str, expected: list[tuple]) -> None:
    assert records(nlp, text) == expected


# ---- platforms: Google's takedowns are YouTube's (the events' convention) ---------------------
GOOGLE: list[tuple[str, list[tuple]]] = [
    (
        "Google said it had removed accounts tied to a Peruvian influence operation.",
        [("YouTube", ("Peru",), None, None)],
    ),
    (
        "Google's Threat Analysis Group terminated 40 accounts linked to Peru's government in a "
        "coordinated influence operation.",
        [("YouTube", ("Peru",), 40, None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), GOOGLE)
def test_google_takedowns_are_youtube(nlp, text: str, expected: list[tuple]) -> None:
    assert records(nlp, text) == expected
