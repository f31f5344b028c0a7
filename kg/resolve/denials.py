"""Denials across articles: one speaker rejecting one claimant's attribution on one day."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable

from kg.records import ArticleFacts, Denial, DenialEvent, TakedownEvent


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def merge_denials(facts: Iterable[ArticleFacts], takedowns: list[TakedownEvent]) -> list[DenialEvent]:
    """Denials of one speaker against one claimant on one day are one event."""
    by_article: dict[str, list[TakedownEvent]] = defaultdict(list)
    for e in takedowns:
        for s in e.sources:
            by_article[s.evidence.article_id].append(e)
    groups: dict[str, list[Denial]] = defaultdict(list)
    facts = list(facts)
    original = {f.article.id: f.article.copy_of for f in facts if f.article.copy_of is not None}
    for f in facts:
        for d in f.denials:  # an undated denial is its article's (a copy's is its original's)
            article = d.evidence.article_id
            when = d.date.isoformat() if d.date else original.get(article, article)
            key = "|".join([d.state, d.speaker or "", ",".join(d.denies_claim_of), when])
            groups[_hash("denial", key)].append(d)
    out: list[DenialEvent] = []
    for key, members in sorted(groups.items()):
        members = sorted(members, key=lambda d: (d.evidence.article_id, d.evidence.start))
        first = members[0]
        claims = sorted(
            {
                e.key
                for d in members
                for e in by_article[d.evidence.article_id]
                if e.platform in d.denies_claim_of and d.state in e.attributed_to
            }
        )
        out.append(
            DenialEvent(
                key=key,
                state=first.state,
                speaker=first.speaker,
                denies_claim_of=first.denies_claim_of,
                quote=first.quote,
                date=min((d.date for d in members if d.date), default=None),
                sources=tuple(members),
                claim_keys=tuple(claims),
            )
        )
    return out
