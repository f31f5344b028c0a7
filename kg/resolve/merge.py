"""One takedown event per real removal, however many articles report it.

Merging is a key-based group-by, deterministic and independent of the order the articles
come in (records are ranked by content-hash ids and offsets):

1. **Block** by platform: records of two platforms are never one takedown, so each block is
   decided alone (``map_blocks``: here, or one block per task on a cluster, same result).
2. **Candidates** inside a block: records are compared only if they share a key: a
   distinctive figure or the total of a breakdown at any date, a round figure and the figures
   near it, a vague figure ("almost 6,000") and the figures inside its bounds, or a state,
   actor, operation or small figure within one window bucket.
3. **Decide** each pair on its evidence (:func:`compatible` for the hard rules: two
   articles, dates that fit the window, no conflicting states, figures, named firms or
   operations, topic or named day; :func:`compare` for the keys that agree), strongest pair
   first (on a tie: figures of the same kind, then one told day). A pair joins two groups only
   if every record of one is compatible with every record of the other (records of different
   states only when a member reports them as one: ``states=breakdown``), so one article's two
   takedowns never end up in one event, whatever the chain of pairs. Round 1 merges on
   distinctive figures, or on a lasting key (state, topic, actor, operation, small figure)
   inside the window (an undated article's estimated date, the latest full date its text
   writes, places it for this evidence only) or with a vague figure that holds the other's;
   round 2 (:func:`merge_weak`) merges what articles linked by round 1 agree on, a record whose
   sentence names a day, month or quarter (``named date``) into the one group it fits, and the
   only two groups that name a key; then articles that round 2 linked merge what they agree on
   (``co-reported`` once more). Where two groups fit a record equally, it joins neither.
   In round 2, after ``co-reported``, records one article tells together as parts of one
   announcement join the record of another article that reports their whole (its figure is
   their sum, or its states their states with one figure): ``total=parts``, the one way an
   event holds several records of one article (:mod:`kg.resolve.parts`).

The keys that agreed are kept on the event (``merged_on``) and written to the graph
(``cib:mergedOn``), so every merge is explained by the records.

Layout: :mod:`kg.resolve.names` finds operation and state names in a record's text;
:mod:`kg.resolve.clues` reads vague figures and dates without a year from its sentence;
:mod:`kg.resolve.sources` turns records into :class:`Source` and blocks them by platform;
:mod:`kg.resolve.evidence` holds the pairwise rules (figures, dates, compatibility, keys);
:mod:`kg.resolve.blocking` chooses the candidate pairs; :mod:`kg.resolve.decisions` groups
them (rounds 1 to 3), :mod:`kg.resolve.parts` finds an announcement's parts and their whole;
this module builds the events.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from kg.records import ArticleFacts, Attribution, Counts, Takedown, TakedownEvent
from kg.resolve.decisions import _merge_told, _merge_weak, article_links, merge_strong
from kg.resolve.evidence import WINDOW_DAYS, compare_figures, figures_agree
from kg.resolve.sources import RecordKey, Source, _hash, blocks, source_key

__all__ = [
    "WINDOW_DAYS", "MapBlocks", "RecordKey", "compare_figures", "figures_agree", "merge_takedowns",
    "shown_counts", "source_key",
]

MapBlocks = Callable[[Callable[[Any], Any], list[Any]], list[Any]]


def merge_takedowns(
    facts: Iterable[ArticleFacts], map_blocks: MapBlocks | None = None
) -> list[TakedownEvent]:
    """One event per group of records that report one removal (see the module doc).

    ``map_blocks(fn, items)`` runs ``fn`` on every block and returns the results in order:
    the builtin ``map`` by default, or a cluster's map (each block is decided alone, so the
    events are the same wherever the blocks ran).
    """
    run = map_blocks or (lambda fn, items: list(map(fn, items)))
    facts = list(facts)
    by_platform = blocks(f for f in facts if f.article.copy_of is None)
    names = list(by_platform)
    strong = dict(zip(names, run(merge_strong, [by_platform[k] for k in names]), strict=True))
    links = article_links(strong.values())
    weak = run(_merge_weak, [(by_platform[k], strong[k], links) for k in names])
    # Articles that rounds 2 and 3 found telling one story tell it for their other records too.
    later = article_links(weak) - links
    if later:
        items = [(by_platform[k], groups, later) for k, groups in zip(names, weak, strict=True)]
        weak = run(_merge_told, items)
    events = [_event(members, reasons) for groups in weak for members, reasons in groups.result()]
    return sorted(_with_copies(events, facts), key=lambda e: e.key)


def _with_copies(events: list[TakedownEvent], facts: list[ArticleFacts]) -> list[TakedownEvent]:
    """Each copy's record (``ArticleMeta.copy_of``: a republished article, whose records are
    its original's) joins its original record's event as another source (``same text``); the
    event keeps its key, what it shows and its first source."""
    copies: dict[RecordKey, list[Takedown]] = defaultdict(list)
    for f in facts:
        if f.article.copy_of is not None:
            for t in f.takedowns:
                copies[(f.article.copy_of, *source_key(t)[1:])].append(t)
    if not copies:
        return events
    out = []
    for e in events:
        extra = [c for s in e.sources for c in copies.get(source_key(s), ())]
        if extra:
            sources = (*e.sources, *sorted(extra, key=source_key))
            e = replace(e, sources=sources, merged_on=tuple(sorted({*e.merged_on, "same text"})))
        out.append(e)
    return out


def shown_counts(sources: list[Takedown]) -> Counts:
    """The figures the event shows: those most sources gave; on a tie, the most detailed
    (most kinds counted), then the first source in canonical order. An article that reports
    the takedown in parts (``total=parts``: several of its records) gives their sum per kind
    (:func:`_per_article`)."""
    given = [s.counts.items() for s in sources if not s.counts.is_empty()]
    if not given:
        return Counts()
    freq = Counter(given)
    best = min(given, key=lambda c: (-freq[c], -len(c), given.index(c)))
    return Counts(**dict(best))


def _per_article(sources: list[Takedown]) -> list[Takedown]:
    """The sources with the records of an article that reports the takedown in parts
    (``total=parts``) taken as one, in its first record's place, whose figures are their sum
    per kind."""
    of: dict[str, list[Takedown]] = defaultdict(list)
    for s in sources:
        of[s.evidence.article_id].append(s)
    out = []
    for records in of.values():  # in the order of each article's first record
        summed: Counter[str] = Counter()
        for r in records:
            summed.update(dict(r.counts.items()))
        out.append(records[0] if len(records) == 1 else replace(records[0], counts=Counts(**summed)))
    return out


def _anchor(members: list[Source]) -> Source:
    """The record an event's key comes from: the earliest dated (its takedown's date, else its
    article's publication), then the first in canonical order; undated records last. A report
    that joins later, as most do, leaves the key as it was."""
    return min(members, key=lambda m: (m.when is None, m.when or date.min, m.rank))


def _event(members: list[Source], reasons: tuple[str, ...]) -> TakedownEvent:
    sources = [m.takedown for m in members]
    first = sources[0]
    attributions: dict[str, Attribution] = {}
    for s in sources:
        for a in s.attributions:
            attributions.setdefault(a.state, a)
    counts = shown_counts(_per_article(sources))
    shown = next((s for s in sources if s.counts == counts), first)
    dates = sorted(s.date for s in sources if s.date is not None)
    actors = sorted({a for s in sources for a in s.actors})
    unnamed = f"a {first.platform} network"  # a record with no description still names one
    return TakedownEvent(
        key=_hash("takedown", *map(str, source_key(_anchor(members).takedown))),
        platform=first.platform,
        network=shown.network or next((s.network for s in sources if s.network), unnamed),
        counts=counts,
        date=dates[0] if dates else None,
        attributions=tuple(attributions[s] for s in sorted(attributions)),
        actors=tuple(actors),
        sources=tuple(sources),
        merged_on=reasons if len(sources) > 1 else (),
    )
