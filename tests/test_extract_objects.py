"""Objects: what a removal acts on (issue 30, family 3: takedowns that are not).

One uncounted asset named in the singular ("removed the channel", "suspended an account") is one
account or channel, not a network; a count, a plural or a network noun keeps the takedown.
Sentences written for these tests.
"""

from __future__ import annotations

import pytest
from extract_tools import TD, takedowns_of

from kg.extract import extract_article
from kg.ingest import parse_article

pytestmark = pytest.mark.model


def takedowns(nlp, text: str) -> list[tuple[str, tuple[str, ...]]]:
    facts = extract_article(parse_article("Case\n" + text, file="case.txt"), nlp)
    return sorted((t.platform, tuple(a.state for a in t.attributions)) for t in facts.takedowns)


ONE_ASSET: list[str] = [
    "Hackers linked to Peru leaked emails on a messaging app. Telegram removed the channel after the "
    "leak, calling it an influence operation.",
    "Twitter suspended an account linked to Peru's army, citing coordinated inauthentic behaviour.",
    "Researchers tied the influence operation to Peru. YouTube later deleted the account.",
]

A_NETWORK: list[tuple[str, list[tuple[str, tuple[str, ...]]]]] = [
    (
        "Meta removed a network of accounts linked to Peru's army for coordinated inauthentic behaviour.",
        [("Facebook", ("Peru",))],
    ),
    (
        "Twitter suspended 30 accounts linked to Peru's army, citing coordinated inauthentic behaviour.",
        [("Twitter", ("Peru",))],
    ),
    (
        "Meta removed a page and three accounts linked to Peru's army for coordinated inauthentic "
        "behaviour.",
        [("Facebook", ("Peru",))],
    ),
]


@pytest.mark.parametrize("text", ONE_ASSET, ids=[t[:40] for t in ONE_ASSET])
def test_one_singular_asset_is_no_network(nlp, text: str) -> None:
    assert takedowns(nlp, text) == []


@pytest.mark.parametrize(("text", "expected"), A_NETWORK, ids=[t[:40] for t, _ in A_NETWORK])
def test_counted_or_network_is_kept(nlp, text: str, expected: list) -> None:
    assert takedowns(nlp, text) == expected


# what a network set off by dashes "comprised" is what was removed (the parser makes the dashed
# participle the noun's verb, and the composition verb its conjunct)
COMPOSED: list[tuple[str, list[TD]]] = [
    ("Meta said that the Chilean network \u2014 shut down in May \u2014 comprised 120 Facebook and 12 "
     "Instagram accounts, 9 pages and one group, in a report on coordinated inauthentic behaviour.",
     [("Facebook", {"accounts": 120, "instagram_accounts": 12, "pages": 9, "groups": 1}, {"Chile"})]),
    ("Meta said the Chilean network, removed in May, included 120 Facebook accounts, in a report on "
     "coordinated inauthentic behaviour.",
     [("Facebook", {"accounts": 120}, {"Chile"})]),
    # an object after an aside the parser hung on the verb the removal clause completes
    ("The spokesman admits that Meta closed, \u201cin one fell swoop,\u201d 36 Facebook profiles and 27 "
     "pages linked to the Chilean government for coordinated inauthentic behaviour.",
     [("Facebook", {"accounts": 36, "pages": 27}, {"Chile"})]),
    # negative beside them: what the network had that is no asset
    ("Meta said the Chilean network \u2014 shut down in May \u2014 had 12,000 followers, in a report on "
     "coordinated inauthentic behaviour.", [("Facebook", {}, {"Chile"})]),
]


@pytest.mark.parametrize(("text", "expected"), COMPOSED, ids=[t[10:50] for t, _ in COMPOSED])
def test_what_a_removed_network_comprised(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, "Case\n\n" + text) == sorted(expected, key=repr)
