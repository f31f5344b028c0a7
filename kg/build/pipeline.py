"""The build: corpus folder -> articles -> facts -> resolved corpus -> graph and exports.

The CLI only parses arguments and calls ``build``; everything a build does is here, so the
same build runs from Python, a notebook or a test.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.build import memo as build_memo
from kg.build.cache import FactsCache, open_cache
from kg.build.counts import COUNTS, admitted, listed
from kg.build.workers import Workers, forks_cheaply, import_in_background, iter_facts, start_workers
from kg.errors import GraphError, InputError
from kg.exporters.events import record_event_ids, write_events
from kg.extract.model import load_pipeline, parse_mode
from kg.ingest import (
    Deduplicator,
    FileRef,
    Fingerprint,
    RemoteFile,
    Skipped,
    corpus_root,
    fingerprint,
    iter_articles,
    raise_if_skipped,
    read_files,
    scan_corpus_files,
    with_copies,
)
from kg.records import Article, ArticleFacts, Corpus
from kg.resolve import resolve

if TYPE_CHECKING:
    from kg.build.outputs import OutputSet

#: ``scan_corpus_files`` of a corpus: its article files and what was skipped on the way.
Scan = tuple[list[Path] | list[RemoteFile], list[Skipped]]
Progress = Callable[[int, int], None]
#: Called with each article's facts as extraction yields them (a progress bar's facts so far).
OnFacts = Callable[[ArticleFacts], None]


#: With no ``--jobs``, one parse process below this many bytes of corpus, one more per as many
#: above. Parse time follows the text's length, not the number of files, and every parse
#: process loads its own spaCy model (bench/jobs_results.md): a second process cost more than
#: it saved on 130 articles (0.3 MB; 24.7 s against 26.5 s) and on 400 (1 MB), and saved a
#: third to a half of the time on 2 MB and more (README, Performance: 300 long articles, 1.54x;
#: 1,000 articles, 2.00x).
AUTO_JOBS_BYTES = 1_500_000


def auto_jobs(size: int | None, cpus: int | None = None) -> int:
    """Parse processes for a corpus of ``size`` bytes when the user does not say: one below
    ``AUTO_JOBS_BYTES``, then one more per ``AUTO_JOBS_BYTES``, at most one per CPU this
    process may use. Unknown size (a corpus not listed before parsing): one."""
    if not size or size < AUTO_JOBS_BYTES:
        return 1
    if cpus is None:
        cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, size // AUTO_JOBS_BYTES + 1))


def _bytes_to_parse(now: list[int] | None, last: list[int] | None) -> int | None:
    """What a build will likely parse, for :func:`auto_jobs`: the corpus's bytes, or on a
    rebuild with the facts cache only its growth since the last build (the cache holds the
    rest). Each parse process loads its own model, so ten new articles in a thousand get one
    process, not one per 1.5 MB of corpus (README, A live graph: +1% build). An edited corpus
    of the same size is underestimated: it parses in fewer processes, with the same facts."""
    if now is None:
        return None
    if last is None:
        return now[1]
    return max(now[1] - last[1], 0)


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote and the numbers for its summary line."""

    out: Path
    articles: int
    takedowns: int
    denials: int
    entities: int
    triples: int
    skipped: tuple[Skipped, ...]
    seconds: float
    model_seconds: float
    outputs: tuple[Path, ...]
    extracted: int = 0  # articles extracted in this build (the rest came from the cache)
    gated: int = 0  # of those, articles the gate skipped unparsed (no words a fact needs)
    #: articles listed in the outputs (with a takedown or a denial); the rest are only counted
    with_facts: int = 0
    duplicates: int = 0  # exact and near duplicates of an earlier article with facts
    cached: int = 0
    notes: tuple[str, ...] = ()  # one line each: cache entries found but not trusted
    #: (step, wall seconds) in order: model load (in this process; 0 when workers parse, and
    #: load alongside the reading: ``model_seconds``), read + parse, memo, graph import,
    #: resolve, triples, Turtle, events, graph.html, publish; for the benchmark's breakdown
    steps: tuple[tuple[str, float], ...] = ()
    #: Parse processes used, and whether the build chose the number (no ``jobs`` given).
    jobs: int = 1
    jobs_chosen: bool = False


@dataclass
class Tally:
    """What a stream of facts skipped (as found) and how many articles it parsed."""

    skipped: list[Skipped] = field(default_factory=list)
    parsed: int = 0
    cached: int = 0  # articles whose facts came from the cache
    #: ``"gated"``: of the parsed, articles the gate skipped (``kg.extract.gate``)
    counts: dict[str, int] = field(default_factory=dict)


def stream_facts(
    corpus: Path | str,
    tally: Tally,
    model: str | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    cache: FactsCache | None = None,
    before_parse: Callable[[], None] | None = None,
    follow_outside_links: bool = False,
    parse: str | None = None,
    workers: Workers | None = None,
    scanned: Scan | None = None,
) -> Iterator[ArticleFacts]:
    """Facts of every article of ``corpus``, in corpus order, read and parsed as a stream
    (in ``jobs`` processes, or by ``workers`` already started: :func:`iter_facts`).
    ``scanned`` is ``scan_corpus_files`` of the corpus if the caller has it already.

    Files are read one at a time; an article whose cache entry is valid is not parsed, the
    others go to :func:`iter_facts` (and into the cache). Duplicates are dropped once the
    facts are known, in corpus order, against the earlier articles with facts only
    (:func:`kg.build.counts.admitted`: the check needs only fingerprints, which the cache
    keeps too; a duplicate is parsed, which costs little on a stream). Skips and the count of
    parsed articles go to ``tally``; ``progress(files done, files)`` ticks once per file.
    Memory: the facts already yielded are the caller's; this holds a window of texts.
    """
    files, skipped_files = scanned if scanned is not None else scan_corpus_files(corpus, follow_outside_links)
    root = corpus_root(corpus)
    skipped = tally.skipped
    skipped.extend(skipped_files)
    dedup = Deduplicator()
    # In corpus order: articles being parsed and ready facts (each with its fingerprint), and
    # a file when it is done. A file's items are queued before it is marked done.
    order: deque[tuple[Article | ArticleFacts, Fingerprint] | FileRef] = deque()
    done = 0

    def plan() -> Iterator[Article]:
        for item in read_files(files, root, follow_outside_links):
            if isinstance(item, Skipped):
                skipped.append(item)
            elif isinstance(item, Article):
                entry = cache.get(item) if cache is not None else None
                if entry is not None:
                    tally.cached += 1
                    order.append((entry.facts, entry.fingerprint))
                else:
                    order.append((item, fingerprint(item)))
                    yield item
            else:
                order.append(item)

    def ready() -> Iterator[ArticleFacts]:
        """Everything at the head of ``order`` that needs no parse."""
        nonlocal done
        while order and not (isinstance(order[0], tuple) and isinstance(order[0][0], Article)):
            head = order.popleft()
            if not isinstance(head, tuple):  # a file is done
                done += 1
                if progress is not None:
                    progress(done, len(files))
            else:
                assert isinstance(head[0], ArticleFacts)
                yield from admitted(head[0], head[1], dedup, skipped, tally.counts)

    to_parse = plan()
    for facts in iter_facts(to_parse, model, jobs, before_parse, parse, workers, tally.counts):
        yield from ready()
        head = order.popleft()
        assert isinstance(head, tuple) and head[0].id == facts.article.id, "facts out of order"  # type: ignore[union-attr]
        tally.parsed += 1
        if cache is not None:
            cache.put(head[0], facts, head[1])  # type: ignore[arg-type]
        yield from admitted(facts, head[1], dedup, skipped, tally.counts)
    assert next(to_parse, None) is None, "an article was never parsed"
    yield from ready()


def scan_corpus(
    corpus: Path | str, follow_outside_links: bool = False, scanned: Scan | None = None
) -> list[Skipped]:
    """What ingest would skip (files, lines, duplicates), holding one text at a time: for --strict."""
    files, listed = scanned if scanned is not None else scan_corpus_files(corpus, follow_outside_links)
    skipped = list(listed)
    for _ in iter_articles(files, corpus_root(corpus), skipped, follow_outside_links=follow_outside_links):
        pass
    return skipped


def extract_corpus(
    corpus: Path | str,
    model: str | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
    cache: FactsCache | None = None,
    before_parse: Callable[[], None] | None = None,
    strict: bool = False,
) -> tuple[list[ArticleFacts], list[Skipped]]:
    """Ingest and extract every article of ``corpus``; bad files are skipped, not fatal.

    With a ``cache``, articles whose entry is valid are not parsed; the rest are parsed (in
    ``jobs`` processes) and written to it. Facts come back in corpus order either way.
    ``before_parse`` runs once before the first article is parsed (not at all if none is).
    With ``strict``, any skip raises ``InputError`` before anything is parsed.
    """
    facts, tally = _extract(corpus, model, progress, jobs, cache, before_parse, strict)
    return facts, tally.skipped


def _extract(
    corpus: Path | str,
    model: str | None,
    progress: Progress | None,
    jobs: int,
    cache: FactsCache | None,
    before_parse: Callable[[], None] | None,
    strict: bool,
    follow_outside_links: bool = False,
    parse: str | None = None,
    workers: Workers | None = None,
    scanned: Scan | None = None,
    on_facts: OnFacts | None = None,
) -> tuple[list[ArticleFacts], Tally]:
    if strict:
        raise_if_skipped(scan_corpus(corpus, follow_outside_links, scanned))
    tally = Tally()
    facts = stream_facts(
        corpus, tally, model, progress, jobs, cache, before_parse, follow_outside_links, parse, workers,
        scanned,
    )
    return with_copies(listed(_watched(facts, on_facts), tally.counts)), tally


def _watched(facts: Iterator[ArticleFacts], on_facts: OnFacts | None) -> Iterator[ArticleFacts]:
    """``facts``, each also handed to ``on_facts`` as it comes."""
    if on_facts is None:
        yield from facts
        return
    for f in facts:
        on_facts(f)
        yield f


def _read(facts: list[ArticleFacts], counts: dict[str, int]) -> int:
    """Articles whose facts were extracted (parsed or from the cache): every article read but
    the copies (``facts`` holds the articles with facts, copies among them)."""
    return counts.get("articles", 0) - sum(1 for f in facts if f.article.copy_of is not None)


def _counts(tally: Tally) -> dict[str, int]:
    """The build's counts (:data:`kg.build.counts.COUNTS`), for the summary and the graph."""
    return {k: tally.counts.get(k, 0) for k in COUNTS}


def _memo(
    out: Path, facts: list[ArticleFacts], tally: Tally, html: bool
) -> tuple[str, dict[str, int] | None, tuple[Path, ...]]:
    """(build key, counts of the intact outputs already made from it or None, output paths);
    on a miss the old stamp is dropped before anything is rewritten."""
    outputs = tuple(out / name for name in ("graph.ttl", "events.jsonl") + (("graph.html",) if html else ()))
    key = build_memo.build_key(facts, tally.skipped, {"html": html, "counts": _counts(tally)})
    counts = build_memo.reusable(out, key, outputs)
    if counts is None:
        build_memo.forget(out)
    return key, counts, outputs


def build(
    corpus: Path | str,
    out: Path,
    model: str | None = None,
    progress: Progress | None = None,
    html: bool = True,
    jobs: int | None = None,
    cache: bool = True,
    cache_dir: Path | None = None,
    strict: bool = False,
    cluster: str | None = None,
    split_graph: bool = False,
    partition_size: int | None = None,
    follow_outside_links: bool = False,
    parse: str | None = None,
    on_facts: OnFacts | None = None,
) -> BuildResult:
    """Build the outputs into ``out``; extraction is cached in ``cache_dir`` (``out/.cache``).

    ``parse`` says what is parsed (``kg.extract.PARSE_MODES``; default ``$KG_PARSE`` or
    ``gated``: the article gate, then the paragraph pre-pass). ``jobs`` is the number of parse
    processes; None: :func:`auto_jobs` of the corpus's size.
    The pipeline is loaded only if an article must be parsed: in this process for one job
    (its load time is reported), in each worker for more. ``out`` is locked for the whole
    build and its outputs are replaced as one set (:mod:`kg.build.outputs`). ``on_facts`` is
    called with each article's facts as they come (cached, parsed or gated alike).
    """
    from kg.build.outputs import OutputSet

    if isinstance(corpus, Path) and corpus.is_dir():
        try:
            same = Path(out).resolve() == corpus.resolve()
        except (OSError, RuntimeError):
            same = False
        if same:
            raise InputError(
                f"{out}: --out is the corpus folder itself; its outputs would be read as articles "
                "(give an --out outside it, or a subfolder: a subfolder is left out of the corpus)"
            )
    with OutputSet(out) as outset:
        return _build(
            outset, corpus, out, model, progress, html, jobs, cache, cache_dir, strict, cluster,
            split_graph, partition_size, follow_outside_links, parse, on_facts,
        )


def _build(
    outset: OutputSet,
    corpus: Path | str,
    out: Path,
    model: str | None,
    progress: Progress | None,
    html: bool,
    jobs: int | None,
    cache: bool,
    cache_dir: Path | None,
    strict: bool,
    cluster: str | None,
    split_graph: bool,
    partition_size: int | None,
    follow_outside_links: bool,
    parse: str | None,
    on_facts: OnFacts | None = None,
) -> BuildResult:
    t0 = time.perf_counter()
    # On a cluster, workers parse every article (the cache is this machine's; see docs/distributed.md).
    parse = parse_mode(parse)
    store = open_cache(cache_dir or out / ".cache", model, parse) if cache and cluster is None else None
    t_model = 0.0

    workers: Workers | None = None
    stat: list[int] | None = None
    scanned = None  # the corpus's files, listed once, without the output folder if it is inside
    jobs_chosen = jobs is None
    if cluster is None:
        scanned = scan_corpus_files(corpus, follow_outside_links, exclude=out)
    if cluster is None and forks_cheaply():
        if not split_graph:  # a split build keeps no memo to compare with
            assert scanned is not None
            stat = build_memo.corpus_stat(scanned[0])
        if jobs is None:  # from the corpus's bytes ([files, bytes, mtime]; None: remote)
            listed = stat if stat is not None else build_memo.corpus_stat(scanned[0])
            last = build_memo.last_corpus_stat(out, store.version) if store is not None else None
            jobs = auto_jobs(_bytes_to_parse(listed, last))
        if stat is None or stat != build_memo.last_corpus_stat(out):
            workers = start_workers(max(jobs, 1), model, parse)

    if jobs is None:
        jobs = 1  # not listed before parsing (a cluster, or no cheap fork): one, as before

    def load() -> None:
        nonlocal t_model
        if workers is None and jobs <= 1:
            t_load = time.perf_counter()
            load_pipeline(model)
            t_model = time.perf_counter() - t_load
        else:
            page = ["kg.explorer.page", "kg.explorer.view", "kg.explorer.evidence"] if html else []
            import_in_background(["kg.rdf.graph", *page])

    if cluster is not None:  # Dask is imported only here
        from kg.build.cluster import PARTITION_FILES, extract_corpus_on_cluster

        counts: dict[str, int] = {}
        facts, skipped = extract_corpus_on_cluster(
            corpus, cluster, model, progress, partition_size=partition_size or PARTITION_FILES, strict=strict,
            follow_outside_links=follow_outside_links, exclude=out, parse=parse, counts=counts,
            on_facts=on_facts,
        )
        tally = Tally(skipped, parsed=_read(facts, counts), counts=counts)
    else:
        try:
            facts, tally = _extract(
                corpus, model, progress, jobs, store, load, strict, follow_outside_links, parse, workers,
                scanned, on_facts,
            )
        finally:
            if workers is not None:  # stopped before the graph is made: their memory is free
                workers.close()
    steps: list[tuple[str, float]] = [("read + parse", time.perf_counter() - t0 - t_model)]
    # the "model load" step is this process's; workers load alongside the reading
    model_seconds = workers.load_seconds if workers is not None else t_model
    mark = time.perf_counter()

    def step(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        steps.append((name, now - mark))
        mark = now

    memo = _memo(out, facts, tally, html) if not split_graph else None
    step("memo")
    if memo is not None and memo[1] is not None:  # same facts, options and code: outputs as they are
        return BuildResult(
            out=out, articles=tally.counts.get("articles", 0), skipped=tuple(tally.skipped),
            seconds=time.perf_counter() - t0, model_seconds=model_seconds, outputs=memo[2],
            extracted=tally.parsed, gated=tally.counts.get("gated", 0),
            with_facts=tally.counts.get("with_facts", 0), duplicates=tally.counts.get("duplicates", 0),
            cached=tally.cached,
            notes=tuple(store.notes) if store is not None else (),
            steps=(("model load", t_model), *steps), jobs=jobs, jobs_chosen=jobs_chosen,
            **memo[1],
        )
    # rdflib: not needed when the memo holds
    from kg.rdf.counts import count_triples
    from kg.rdf.graph import build_triples, entity_count
    from kg.rdf.turtle import write_turtle

    step("graph import")  # rdflib and the ontology, ~0.05 s: the graph stage's, not resolve's
    resolved: Corpus = resolve(facts)
    step("resolve")
    triples = build_triples(resolved)  # a plain set: rdflib's store costs more than the rest
    triples |= count_triples(_counts(tally))  # the articles without facts, counted
    entities = entity_count(triples)  # the graph's, as the page's header counts them
    step("triples")
    try:  # the whole set into a new generation folder, then published in one rename
        folder = outset.begin()
        write_turtle(triples, folder / "graph.ttl")
        step("Turtle")
        write_events(facts, folder / "events.jsonl", record_event_ids(resolved))
        step("events")
        if split_graph:
            from kg.build.cluster import PARTITION_FILES, write_graph_parts

            write_graph_parts(triples, facts, folder, partition_size or PARTITION_FILES)
            step("graph parts")
        if html:
            from kg.explorer.page import write_html
            from kg.explorer.reuse import write_html_unless_same

            page = folder / "graph.html"  # the last set's page, if made from the same Turtle and code
            current = outset.current()
            write_html_unless_same(
                folder / "graph.ttl", page, lambda: write_html(triples, page, state=out),
                state=out, previous=current / "graph.html" if current is not None else None,
            )
            step("graph.html")
        outputs = outset.publish()
    except (OSError, GraphError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        kept = "the previous outputs are kept"
        raise GraphError(f"{out}: cannot write the outputs ({detail}); {kept}") from None
    if memo is not None:
        counts = {"takedowns": len(resolved.takedowns), "denials": len(resolved.denials),
                  "entities": entities, "triples": len(triples)}
        build_memo.record(out, memo[0], outputs, counts, corpus=stat,
                          cache=store.version if store is not None else None)
    step("publish")
    return BuildResult(
        out=out,
        articles=tally.counts.get("articles", 0),
        takedowns=len(resolved.takedowns),
        denials=len(resolved.denials),
        entities=entities,
        triples=len(triples),
        skipped=tuple(tally.skipped),
        seconds=time.perf_counter() - t0,
        model_seconds=model_seconds,
        outputs=outputs,
        extracted=tally.parsed,
        gated=tally.counts.get("gated", 0),
        with_facts=tally.counts.get("with_facts", 0),
        duplicates=tally.counts.get("duplicates", 0),
        cached=tally.cached,
        notes=tuple(store.notes) if store is not None else (),
        steps=(("model load", t_model), *steps),
        jobs=jobs,
        jobs_chosen=jobs_chosen,
    )
