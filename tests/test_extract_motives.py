"""Motives (``kg.extract.motives``): a removal sentence that speaks of spam, scams or fake
engagement and not of influence, and what its attribution wording ties the accounts to. The
whole-article cases (the purge dropped, the network kept) are family 3 of
``tests/test_extract_families.py``. Sentences are our own."""

from __future__ import annotations

import pytest

from kg.extract.context import ArticleContext, sentences_of
from kg.extract.motives import motives, scam_tied
from kg.ingest import parse_article

pytestmark = pytest.mark.model

#: (sentence, commercial, profit, tied to a scam)
CASES: list[tuple[str, bool, bool, bool]] = [
    ("Meta removed 5,000 accounts that were linked to sextortion scams.", True, False, True),
    ("YouTube removed 50 channels promoting a cryptocurrency scam run from Nigeria.", True, False, True),
    ("TikTok deleted 4,000 accounts linked to a scam network in Laos.", True, False, True),
    # "to scam" read as an infinitive is still the noun the accounts are tied to
    ("Meta said it had removed 2 million accounts linked to scam centres in Myanmar.", True, False, True),
    ("Meta removed 400 accounts linked to Russia to spread propaganda.", False, False, False),
    # a motive word that only describes the operator ties the accounts to no scam
    ("OpenAI banned accounts run by a commercial firm in the Philippines.", False, False, False),
    ("Meta removed 80 accounts linked to a commercial entity in Egypt.", False, False, False),
    # tied to someone: somebody's operation, whatever else it did
    ("Facebook removed 40 fake accounts run from Nigeria that promoted a cryptocurrency scam.",
     False, False, False),
    ("Twitter removed 150 accounts tied to the ruling party for spamming hashtags.", False, False, False),
    # influence named beside the spam
    ("Facebook removed 60 spam accounts that posted political content about the election.",
     False, False, False),
    # said to be after money
    ("Meta said the network of 30 accounts was financially motivated.", True, True, False),
]


def _sentence(nlp, text: str):  # type: ignore[no-untyped-def]
    article = parse_article("Case\n" + text, file="case.txt")
    docs = [(p.start, nlp(p.text)) for p in article.paragraphs]
    ctx = ArticleContext(article=article, sentences=list(sentences_of(docs)))
    return ctx, ctx.sentences[-1]


@pytest.mark.parametrize(("text", "commercial", "profit", "tied"), CASES, ids=[c[0][:40] for c in CASES])
def test_motives(nlp, text: str, commercial: bool, profit: bool, tied: bool) -> None:
    ctx, sent = _sentence(nlp, text)
    assert motives(ctx, sent) == (commercial, profit)
    assert scam_tied(ctx, sent) is tied
