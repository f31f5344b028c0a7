"""Resolve: canonical entities, and one event per real-world takedown across articles.

``merge`` groups the takedown records of all articles into events (block by platform, decide
within blocks on the keys that agree), ``denials`` groups denials and links them to the
takedowns they reject, ``entities`` gives every name a canonical entity.

Takes: ``kg.records.ArticleFacts`` of every article. Gives: a ``kg.records.Corpus`` of events.
May import: ``kg.lexicon``, ``kg.records``, ``kg.util``, ``kg.errors``.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext

from kg.records import ArticleFacts, ArticleMeta, Corpus
from kg.resolve.denials import merge_denials
from kg.resolve.entities import entities_for
from kg.resolve.merge import WINDOW_DAYS, MapBlocks, RecordKey, merge_takedowns, source_key
from kg.util.gc_pause import paused_gc

__all__ = ["WINDOW_DAYS", "entities_for", "event_ids", "merge_denials", "merge_takedowns", "resolve"]


def resolve(facts: Iterable[ArticleFacts], map_blocks: MapBlocks | None = None) -> Corpus:
    """The corpus of events; ``map_blocks`` runs the takedown merge's blocks (default: here)."""
    # Frozen records and tuples, no cycles (kg.util.gc_pause); not while a cluster's client
    # runs the blocks, whose networking makes garbage cycles of its own.
    with paused_gc() if map_blocks is None else nullcontext():
        facts = sorted(facts, key=lambda f: f.article.id)
        articles: tuple[ArticleMeta, ...] = tuple(f.article for f in facts)
        takedowns = merge_takedowns(facts, map_blocks)
        denials = merge_denials(facts, takedowns)
        return Corpus(
            articles=articles,
            takedowns=tuple(takedowns),
            denials=tuple(denials),
            entities=entities_for(takedowns, denials),
        )


def event_ids(corpus: Corpus) -> dict[RecordKey, str]:
    """Each takedown record's event key (by the record's canonical key), for events.jsonl."""
    return {source_key(s): e.key for e in corpus.takedowns for s in e.sources}
