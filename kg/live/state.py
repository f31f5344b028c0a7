"""What a live graph keeps between updates, so one changed file costs one file's work.

Per corpus file (by its stat signature): the articles it gave (metadata, duplicate-check
fingerprint, facts) or its one-line skip, so an update reads and parses only new and changed
files. The duplicate check and the copies' facts run again over all files, in corpus order, as
``kg build`` does (cheap: fingerprints only). Then the graph pass: resolve and triples as a
build makes them, Turtle from kept per-subject blocks (:class:`kg.rdf.turtle.TurtleParts`),
events from kept per-article lines; both are byte-identical to a cold build's.
"""

from __future__ import annotations

import fnmatch
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.build.cache import FactsCache
from kg.build.counts import admitted
from kg.build.counts import listed as with_facts_only
from kg.exporters.events import EventIds, denial_key, dumps, record_event_ids, to_record
from kg.ingest import (
    Deduplicator,
    Fingerprint,
    Skipped,
    corpus_root,
    fingerprint,
    read_files,
    scan_corpus_files,
    with_copies,
)
from kg.records import Article, ArticleFacts, ArticleMeta, Corpus
from kg.resolve import resolve, source_key

#: Names editors and copy tools write while a file is not finished (never articles).
TEMPORARY_NAMES = (".#*", "#*#", "*~", "*.swp", "*.swx", "*.swo", "*.tmp", "*.part", "*.crdownload", "4913")


def is_temporary(name: str) -> bool:
    """An editor's lock, backup or swap file, or a download or copy in progress."""
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in TEMPORARY_NAMES)


#: (mtime ns, ctime ns, size, inode): a file whose signature is unchanged is not read again.
Signature = tuple[int, int, int, int]


@dataclass(frozen=True)
class Read:
    """One article a file gave: what the duplicate check and the graph need of it."""

    meta: ArticleMeta
    fp: Fingerprint
    facts: ArticleFacts


@dataclass
class Refresh:
    """What one refresh of the corpus found."""

    facts: list[ArticleFacts]
    skipped: list[Skipped]
    parsed: int = 0
    new_skips: list[Skipped] = field(default_factory=list)  # not reported by the last refresh
    changed: bool = True  # whether any file was added, changed or removed since the last refresh
    #: the build's counts (:data:`kg.build.counts.COUNTS`): the articles without facts, counted
    counts: dict[str, int] = field(default_factory=dict)


Extract = Callable[[list[Article]], list[ArticleFacts]]


def _signature(path: Path) -> Signature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


class LiveCorpus:
    """The corpus's facts, kept per file; :meth:`refresh` re-reads only what changed."""

    def __init__(
        self, corpus: Path, extract: Extract, cache: FactsCache | None = None, exclude: Path | None = None,
        follow_outside_links: bool = False,
    ) -> None:
        self.corpus = Path(corpus)
        self.extract = extract
        self.cache = cache
        self.exclude = exclude
        self.follow = follow_outside_links
        self.files: dict[Path, tuple[Signature, list[Read | Skipped]]] = {}
        self.reported: set[tuple[str, str]] = set()
        self._sequence: list[Read | Skipped] = []
        self._listed: set[tuple[str, str]] = set()  # what the folder walk skipped last time
        self._dedup = Deduplicator()
        self._outcomes: list[tuple[list[ArticleFacts], list[Skipped], int]] = []

    def refresh(self) -> Refresh:
        """The corpus's facts now, in corpus order (copies given their originals' facts)."""
        files, listed = scan_corpus_files(self.corpus, self.follow, exclude=self.exclude)
        local = [f for f in files if isinstance(f, Path) and not is_temporary(f.name)]
        skipped = [s for s in listed if not is_temporary(os.path.basename(s.path))]
        kept: dict[Path, tuple[Signature, list[Read | Skipped]]] = {}
        fresh: list[tuple[Path, Signature, list[Article | Skipped]]] = []
        root = corpus_root(self.corpus)
        for path in local:
            sig = _signature(path)
            old = self.files.get(path)
            if sig is not None and old is not None and old[0] == sig:
                kept[path] = old
            else:
                items = [i for i in read_files([path], root, self.follow) if isinstance(i, Article | Skipped)]
                fresh.append((path, sig or (0, 0, 0, 0), items))
        parsed = self._read(fresh, kept)
        listed_now = {(s.path, s.reason) for s in listed}
        changed = bool(fresh) or len(kept) != len(self.files) or listed_now != self._listed
        self._listed = listed_now
        self.files = {path: kept[path] for path in local if path in kept}
        counts: dict[str, int] = {}
        order = self._admit([item for path in local for item in self.files[path][1]], skipped, counts)
        now = {(s.path, s.reason) for s in skipped}
        new_skips = [s for s in skipped if (s.path, s.reason) not in self.reported]
        self.reported = now
        facts = with_copies(with_facts_only(order, counts))  # as kg build lists and counts them
        return Refresh(facts, skipped, parsed, new_skips, changed, counts)

    def _admit(
        self, sequence: list[Read | Skipped], skipped: list[Skipped], counts: dict[str, int]
    ) -> list[ArticleFacts]:
        """The duplicate check over ``sequence`` (corpus order), as a build runs it
        (:func:`kg.build.counts.admitted`; ``counts`` gets its duplicates). Its verdicts
        on a prefix depend on that prefix only, so when the last sequence is a prefix of this
        one (articles added after all others) only the rest is checked."""
        last = self._sequence
        same = len(last) <= len(sequence) and all(a is b for a, b in zip(last, sequence, strict=False))
        if not same:
            self._dedup, self._outcomes, last = Deduplicator(), [], []
        dedup, outcomes = self._dedup, self._outcomes
        for item in sequence[len(last):]:
            skips: list[Skipped] = []
            if isinstance(item, Skipped):
                outcomes.append(([], [item], 0))
                continue
            dup: dict[str, int] = {}
            kept = list(admitted(item.facts, item.fp, dedup, skips, dup))
            outcomes.append((kept, skips, dup.get("duplicates", 0)))
        self._sequence = sequence
        order: list[ArticleFacts] = []
        for facts, skips, duplicates in outcomes:
            skipped.extend(skips)
            order.extend(facts)
            counts["duplicates"] = counts.get("duplicates", 0) + duplicates
        return order

    def _read(
        self, fresh: list[tuple[Path, Signature, list[Article | Skipped]]],
        kept: dict[Path, tuple[Signature, list[Read | Skipped]]],
    ) -> int:
        """Facts of the articles of new and changed files: from the extraction cache, else parsed."""
        todo: list[tuple[Article, Fingerprint]] = []
        facts_of: dict[int, ArticleFacts] = {}
        fp_of: dict[int, Fingerprint] = {}
        for _path, _sig, items in fresh:
            for item in items:
                if isinstance(item, Article):
                    entry = self.cache.get(item) if self.cache is not None else None
                    if entry is not None:
                        facts_of[id(item)], fp_of[id(item)] = entry.facts, entry.fingerprint
                    else:
                        todo.append((item, fingerprint(item)))
        if todo:
            parsed = self.extract([a for a, _ in todo])
            for (article, fp), f in zip(todo, parsed, strict=True):
                facts_of[id(article)], fp_of[id(article)] = f, fp
                if self.cache is not None:
                    self.cache.put(article, f, fp)
        for path, sig, items in fresh:
            reads: list[Read | Skipped] = [
                Read(item.meta, fp_of[id(item)], facts_of[id(item)]) if isinstance(item, Article) else item
                for item in items
            ]
            kept[path] = (sig, reads)
        return len(todo)


class EventLines:
    """events.jsonl as kept per-article lines: a line is rendered again only when its article's
    facts or the events its records were merged into changed (the same bytes as
    :func:`kg.exporters.events.write_events`)."""

    def __init__(self) -> None:
        self.lines: dict[tuple[str, str, int], tuple[ArticleFacts, tuple[str | None, ...], str]] = {}

    def text(self, facts: list[ArticleFacts], event_ids: EventIds) -> str:
        kept: dict[tuple[str, str, int], tuple[ArticleFacts, tuple[str | None, ...], str]] = {}
        seen: dict[tuple[str, str], int] = {}
        for f in facts:  # the n-th record of a (file, id) keeps its place, as a stable sort does
            n = seen[(f.article.file, f.article.id)] = seen.get((f.article.file, f.article.id), -1) + 1
            key = (f.article.file, f.article.id, n)
            ids = tuple(event_ids.get(source_key(t)) for t in f.takedowns) + tuple(
                event_ids.get(denial_key(d)) for d in f.denials
            )
            old = self.lines.get(key)
            if old is not None and old[0] is f and old[1] == ids:
                kept[key] = old
            else:
                kept[key] = (f, ids, dumps(to_record(f, event_ids)) + "\n")
        self.lines = kept
        return "".join(kept[k][2] for k in sorted(kept))


@dataclass
class GraphUpdate:
    """One update of the graph: its Turtle and events text, the triples and their diff."""

    turtle: str
    events: str
    triples: set
    added: set
    removed: set
    changed: int  # subjects whose triples changed
    resolved: Corpus
    steps: tuple[tuple[str, float], ...] = ()  # (step, wall seconds) of the graph pass


class LiveGraph:
    """The graph pass, kept: each update resolves and makes the triples as a build does, then
    re-renders only the Turtle blocks and event lines that changed."""

    def __init__(self) -> None:
        from kg.rdf.terms import TermMemo
        from kg.rdf.turtle import TurtleParts

        self.parts = TurtleParts()
        self.events = EventLines()
        self.memo = TermMemo()  # the last update's terms: the triple diff compares by identity

    def update(
        self, facts: list[ArticleFacts], counts: dict[str, int],
        apply: Callable[[GraphUpdate], None] | None = None,
    ) -> GraphUpdate:
        """The graph of ``facts`` and the build's ``counts`` (:attr:`Refresh.counts`); ``apply``
        (the served store's update) gets it as soon as the triple diff is known, before the
        Turtle and the event lines are assembled."""
        from kg.rdf.counts import count_triples
        from kg.rdf.graph import build_triples

        t0 = time.perf_counter()
        resolved = resolve(facts)
        t1 = time.perf_counter()
        triples = build_triples(resolved, self.memo)
        triples |= count_triples(counts)  # the articles without facts, counted, as kg build does
        t2 = time.perf_counter()
        added, removed = self.parts.update(triples)
        update = GraphUpdate("", "", triples, added, removed, len(self.parts.changed), resolved)
        t3 = time.perf_counter()
        if apply is not None:
            apply(update)
        t4 = time.perf_counter()
        update.turtle = self.parts.text()
        t5 = time.perf_counter()
        update.events = self.events.text(facts, record_event_ids(resolved))
        t6 = time.perf_counter()
        update.steps = (("resolve", t1 - t0), ("triples", t2 - t1), ("diff", t3 - t2), ("store", t4 - t3),
                        ("Turtle", t5 - t4), ("events", t6 - t5))
        return update
