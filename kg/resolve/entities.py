"""Canonical entities: every name the resolved events use, from the gazetteer or minted."""

from __future__ import annotations

import hashlib
import re

from kg.lexicon.gazetteer import load_gazetteer, slug
from kg.records import DenialEvent, Entity, TakedownEvent

_ORG_WORDS = re.compile(
    r"\b(ministry|embassy|army|military|agency|government|office|department|council|party|"
    r"media|news|daily|times|press|service|services|forces|command|bureau|committee|mission|"
    r"kremlin|commentary|newspaper|outlet|broadcaster|consulate)\b",
    re.I,
)


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


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
