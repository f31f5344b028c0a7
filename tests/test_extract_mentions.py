"""Mentions: which platform an agentless removal belongs to (issue 30, family 3).

A platform named only as a place, an object or an example ("tools that scan sites such as
X") removed nothing; a later "accounts were also banned" is the reporting platform's removal.
Sentences written for these tests.
"""

from __future__ import annotations

import pytest

from kg.extract import extract_article
from kg.ingest import parse_article

pytestmark = pytest.mark.model


def platforms(nlp, text: str) -> list[str]:
    facts = extract_article(parse_article("Case\n" + text, file="case.txt"), nlp)
    return sorted(t.platform for t in facts.takedowns)


BYSTANDER: list[tuple[str, list[str]]] = [
    (
        "OpenAI banned accounts tied to Peru. The operators built a tool that scanned sites such as X "
        "and Facebook for posts. Accounts were also banned for writing phishing emails.",
        ["OpenAI"],
    ),
    (
        "Microsoft said it disabled accounts linked to a Peruvian influence operation. The group had "
        "studied posts on TikTok about the vote. More accounts were later disabled.",
        ["Microsoft"],
    ),
    (
        "OpenAI said it banned accounts run from Peru. They asked the chatbot to draft comments for "
        "Reddit threads. Further accounts were removed in May.",
        ["OpenAI"],
    ),
]

STILL_THE_NAMED_PLATFORM: list[tuple[str, list[str]]] = [
    # the platform named last is a subject: it speaks, and the removal may be its own
    (
        "OpenAI said it banned accounts tied to a Peruvian influence operation. Twitter said on Friday "
        "that the same group was active there. 40 accounts were suspended.",
        ["OpenAI", "Twitter"],
    ),
    (
        "Facebook removed 50 pages run by an influence operation in Peru. Twitter said it had found "
        "related accounts. 40 accounts were suspended.",
        ["Facebook", "Twitter"],
    ),
    # the first removal of the article: nothing reported before to fall back on
    (
        "The influence operation posted on sites such as Facebook. 120 fake accounts tied to Peru "
        "were removed.",
        ["Facebook"],
    ),
    # the removal names its agent
    (
        "OpenAI said it banned accounts tied to a Peruvian influence operation. Twitter later "
        "suspended 40 accounts of the same group.",
        ["OpenAI", "Twitter"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), BYSTANDER + STILL_THE_NAMED_PLATFORM)
def test_agentless_removal_platform(nlp, text: str, expected: list[str]) -> None:
    assert platforms(nlp, text) == expected
