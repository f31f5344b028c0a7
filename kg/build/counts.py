"""What a build lists and what it only counts: articles with facts, and the rest.

A news stream is mostly articles that report nothing. The outputs list only the articles
with a takedown or a denial (graph.ttl has a ``cib:Article`` node, events.jsonl a line, for
those alone) and count the others, so what a build keeps grows with the facts it finds, not
with the articles it reads, in one process and on a cluster alike. The counts
(:data:`COUNTS`) go to the build summary and to the graph (``kg.rdf.graph.count_triples``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from kg.ingest import Deduplicator, Fingerprint, Skipped
from kg.records import ArticleFacts

__all__ = ["COUNTS", "admitted", "has_facts", "listed"]

#: The counts a build keeps, in the order the summary gives them: articles read (less exact
#: duplicates), with facts (listed, near-duplicate copies of one with facts included),
#: without facts (counted only), duplicates (exact and near, of an article with facts) and
#: passed over by the article gate (of those without facts).
COUNTS = ("articles", "with_facts", "without_facts", "duplicates", "gated")


def has_facts(facts: ArticleFacts) -> bool:
    """The article reports a takedown or a denial (a copy reports its original's)."""
    return bool(facts.takedowns or facts.denials or facts.article.copy_of is not None)


def admitted(
    facts: ArticleFacts, fp: Fingerprint, dedup: Deduplicator, skipped: list[Skipped], counts: dict[str, int]
) -> Iterator[ArticleFacts]:
    """``facts`` unless the article duplicates an earlier one with facts (then its copy record,
    or nothing for an exact duplicate). Only articles with facts are remembered: a duplicate
    of an article without facts changes nothing, so the check's state grows with the facts,
    not with the articles read. Done once the facts are known, in corpus order, in one
    process and on a cluster alike."""
    if dedup.admit(facts.article, fp, skipped, record=has_facts(facts)):
        yield facts
        return
    counts["duplicates"] = counts.get("duplicates", 0) + 1
    if (copy := dedup.copy(facts.article)) is not None:  # its original's facts, by with_copies
        yield copy


def listed(facts: Iterable[ArticleFacts], counts: dict[str, int]) -> Iterator[ArticleFacts]:
    """The articles with facts among ``facts``; the others are counted in ``counts``."""
    for f in facts:
        counts["articles"] = counts.get("articles", 0) + 1
        if has_facts(f):
            counts["with_facts"] = counts.get("with_facts", 0) + 1
            yield f
        else:
            counts["without_facts"] = counts.get("without_facts", 0) + 1
