"""Objects: what a removal acts on (issue 30, family 3: takedowns that are not).

One uncounted asset named in the singular ("removed the channel", "suspended an account") is one
account or channel, not a network; a count, a plural or a network noun keeps the takedown.
Sentences written for these tests.
"""

from __future__ import annotations

import pytest

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
