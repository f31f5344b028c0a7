"""Resolve: canonical entities, and one event per real-world takedown across articles.

Merging is a group-by on a key (platform and exact counts), then a split by compatible dates
and states inside each group, so it never needs more than one group in memory at a time and
gives the same events whatever order the articles come in.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from kg.gazetteer import load_gazetteer, slug
from kg.records import (
    ArticleFacts,
    ArticleMeta,
    Attribution,
    Corpus,
    Counts,
    Denial,
    DenialEvent,
    Entity,
    Takedown,
    TakedownEvent,
)

MAX_DAYS_APART = 7
_ORG_WORDS = re.compile(
    r"\b(ministry|embassy|army|military|agency|government|office|department|council|party|"
    r"media|news|daily|times|press|service|services|forces|command|bureau|committee|mission|"
    r"kremlin|commentary|newspaper|outlet|broadcaster|consulate)\b",
    re.I,
)


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _dates_compatible(a: date | None, b: date | None) -> bool:
    return a is None or b is None or abs((a - b).days) <= MAX_DAYS_APART


def _states_compatible(a: Takedown, b: Takedown) -> bool:
    sa, sb = set(a.attributed_to), set(b.attributed_to)
    return not sa or not sb or bool(sa & sb)


def _source_key(t: Takedown) -> tuple[str, int, str]:
    return (t.evidence.article_id, t.evidence.start, t.platform)


def merge_takedowns(facts: Iterable[ArticleFacts]) -> list[TakedownEvent]:
    """Takedowns with the same platform and exact counts, dates and states agreeing, are one."""
    groups: dict[tuple[str, tuple[tuple[str, int], ...]], list[Takedown]] = defaultdict(list)
    singles: list[Takedown] = []
    for f in facts:
        for t in f.takedowns:
            if t.counts.is_empty():
                singles.append(t)
            else:
                groups[(t.platform, t.counts.items())].append(t)
    events: list[TakedownEvent] = []
    for (platform, counts), members in sorted(groups.items()):
        clusters: list[list[Takedown]] = []
        for t in sorted(members, key=_source_key):
            home = next(
                (
                    c
                    for c in clusters
                    if all(_dates_compatible(t.date, o.date) and _states_compatible(t, o) for o in c)
                ),
                None,
            )
            if home is None:
                clusters.append([t])
            else:
                home.append(t)
        for i, c in enumerate(clusters):
            sig = ",".join(f"{k}={v}" for k, v in counts)
            key = f"{platform}|{sig}" if len(clusters) == 1 else f"{platform}|{sig}|{i}"
            events.append(_event(_hash("takedown", key), c))
    for t in sorted(singles, key=_source_key):
        key = f"{t.platform}|{t.evidence.article_id}|{t.evidence.start}|{','.join(t.attributed_to)}"
        events.append(_event(_hash("takedown", key), [t]))
    return sorted(events, key=lambda e: e.key)


def _event(key: str, sources: list[Takedown]) -> TakedownEvent:
    sources = sorted(sources, key=_source_key)
    first = sources[0]
    attributions: dict[str, Attribution] = {}
    for s in sources:
        for a in s.attributions:
            attributions.setdefault(a.state, a)
    fields: dict[str, int] = {}
    for s in sources:
        for k, v in s.counts.items():
            fields.setdefault(k, v)
    dates = sorted(s.date for s in sources if s.date is not None)
    actors = sorted({a for s in sources for a in s.actors})
    return TakedownEvent(
        key=key,
        platform=first.platform,
        network=first.network,
        counts=Counts(**fields),
        date=dates[0] if dates else None,
        attributions=tuple(attributions[s] for s in sorted(attributions)),
        actors=tuple(actors),
        sources=tuple(sources),
    )


def merge_denials(facts: Iterable[ArticleFacts], takedowns: list[TakedownEvent]) -> list[DenialEvent]:
    """Denials of one speaker against one claimant on one day are one event."""
    by_article: dict[str, list[TakedownEvent]] = defaultdict(list)
    for e in takedowns:
        for s in e.sources:
            by_article[s.evidence.article_id].append(e)
    groups: dict[str, list[Denial]] = defaultdict(list)
    for f in facts:
        for d in f.denials:
            when = d.date.isoformat() if d.date else d.evidence.article_id
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


def _mint(name: str, state: str | None, person_hint: bool) -> Entity:
    looks_person = person_hint and not _ORG_WORDS.search(name) and 1 < len(name.split()) <= 4
    return Entity(
        key=slug(name) or _hash("entity", name),
        name=name,
        type="person" if looks_person else "organisation",
        state=state,
    )


def entities_for(takedowns: list[TakedownEvent], denials: list[DenialEvent]) -> tuple[Entity, ...]:
    """An entity for every name the events use: gazetteer entries, or minted ones."""
    gaz = load_gazetteer()
    found: dict[str, Entity] = {}

    def add(name: str | None, state: str | None = None, person: bool = False) -> None:
        if not name or name in found:
            return
        found[name] = gaz.entities.get(name) or _mint(name, state, person)
        ent = found[name]
        if ent.state and ent.state != name:
            add(ent.state)

    for e in takedowns:
        add(e.platform)
        for a in e.attributions:
            add(a.state)
            add(a.actor, a.state)
        for actor in e.actors:
            add(actor, e.attributed_to[0] if len(e.attributed_to) == 1 else None)
    for d in denials:
        add(d.state)
        add(d.speaker, d.state, person=True)
        for p in d.denies_claim_of:
            add(p)
    return tuple(found[k] for k in sorted(found))


def resolve(facts: Iterable[ArticleFacts]) -> Corpus:
    facts = sorted(facts, key=lambda f: f.article.id)
    articles: tuple[ArticleMeta, ...] = tuple(f.article for f in facts)
    takedowns = merge_takedowns(facts)
    denials = merge_denials(facts, takedowns)
    return Corpus(
        articles=articles,
        takedowns=tuple(takedowns),
        denials=tuple(denials),
        entities=entities_for(takedowns, denials),
    )
