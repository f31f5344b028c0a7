"""The build: corpus folder -> articles -> facts -> resolved corpus -> graph and exports.

The CLI only parses arguments and calls ``build``; everything a build does is here, so the
same build runs from Python, a notebook or a test.
"""

from __future__ import annotations

import importlib
import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import TYPE_CHECKING

from kg import build_memo
from kg.cache import FactsCache, open_cache
from kg.errors import GraphError, KGError
from kg.events import write_events
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
from kg.nlp import load_pipeline, parse_mode
from kg.records import Article, ArticleFacts, Corpus
from kg.resolve import event_ids, resolve

if TYPE_CHECKING:
    from kg.outputs import OutputSet

#: ``scan_corpus_files`` of a corpus: its article files and what was skipped on the way.
Scan = tuple[list[Path] | list[RemoteFile], list[Skipped]]
Progress = Callable[[int, int], None]
#: Articles per task sent to a worker: big enough to fill spaCy batches, small enough to balance.
BATCH_ARTICLES = 16
#: Tasks in flight per worker process: keeps workers busy while bounding the texts held.
IN_FLIGHT_PER_JOB = 4


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
    extracted: int = 0  # articles parsed in this build (the rest came from the cache)
    cached: int = 0
    notes: tuple[str, ...] = ()  # one line each: cache entries found but not trusted
    #: (step, wall seconds) in order: model load (in this process; 0 when workers parse, and
    #: load alongside the reading: ``model_seconds``), read + parse, memo, graph import,
    #: resolve, triples, Turtle, events, graph.html, publish; for the benchmark's breakdown
    steps: tuple[tuple[str, float], ...] = ()


_worker_nlp = None
_worker_parse: str | None = None
_worker_error: KGError | None = None
_worker_load: float = 0.0  # seconds this worker took to load the pipeline, until reported


def _init_worker(model: str | None, parse: str | None = None) -> None:
    """Pool initializer: each worker loads the pipeline once, not once per batch.

    It never raises: a Pool replaces a worker whose initializer failed, forever (a missing
    model would hang the build). The error is kept and raised by the worker's first task,
    so it reaches the build as the same one-line error one process gives. Ctrl-C is the
    build's to handle (it stops the workers), not each worker's."""
    global _worker_nlp, _worker_parse, _worker_error, _worker_load
    import signal

    from kg.outputs import close_inherited_locks

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    close_inherited_locks()  # a forked worker holds copies of the build's descriptors
    _worker_parse = parse
    t0 = time.perf_counter()
    try:
        _worker_nlp = load_pipeline(model)
    except KGError as exc:
        _worker_error = exc
    _worker_load = time.perf_counter() - t0


def _extract_batch(batch: Sequence[Article]) -> tuple[list[ArticleFacts], float]:
    """Worker task: facts (small picklable records, never Docs) of a batch of articles, and
    the seconds the worker took to load the pipeline (with its first batch only)."""
    global _worker_load
    from kg.extract import extract_articles

    if _worker_error is not None:
        raise _worker_error
    load, _worker_load = _worker_load, 0.0
    return list(extract_articles(batch, _worker_nlp, parse=_worker_parse)), load


class Workers:
    """Processes that parse for a build (a ``multiprocessing`` Pool) and the longest time one
    took to load the pipeline; :meth:`close` stops them."""

    def __init__(self, jobs: int, model: str | None, parse: str | None) -> None:
        self.jobs = jobs
        self.pool = _mp_context().Pool(jobs, initializer=_init_worker, initargs=(model, parse))
        self.load_seconds = 0.0

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()


def _start_workers(jobs: int, model: str | None, parse: str | None) -> Workers | None:
    """:class:`Workers`, or None (parse as without them) if the system will not start processes.

    A build starts them before it reads anything, where a worker is a copy of this process
    (``forks_cheaply``): they load the model while the build reads the corpus and the cache
    (the build never imports spaCy), so a rebuild with a few new articles waits for the load
    only as long as it outlasts the reading. Not when the corpus looks unchanged since the
    last build (same files, sizes and times, ``build_memo.corpus_stat``): starting and
    stopping one unused costs a no-op rebuild 0.15 s, and what must be parsed after all is
    parsed in the build's process."""
    try:
        return Workers(jobs, model, parse)
    except OSError:  # fork refused (process or memory limits)
        return None


def forks_cheaply() -> bool:
    """Whether workers start as copies of this process (``fork``): on Linux, when it runs no
    other thread (a thread could hold a lock the copy would inherit)."""
    import sys

    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods() and (
        threading.active_count() == 1
    )


def _mp_context() -> multiprocessing.context.BaseContext:
    """How workers start. ``fork`` on Linux when this process runs no other thread (the CLI):
    a worker is then a copy of this process, running at once (it imports spaCy and loads the
    model itself, while the build reads). Otherwise (a thread could hold a lock the copy
    would inherit, or the platform forks badly) ``forkserver``, which imports spaCy once in
    its server, or ``spawn``. A forked worker closes its copies of the build's output locks
    (:func:`kg.outputs.close_inherited_locks`) before anything else."""
    if forks_cheaply():
        return multiprocessing.get_context("fork")
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.extract"])  # import spaCy once, in the server, not per worker
    return ctx


def _import_in_background(modules: Sequence[str]) -> None:
    """Import ``modules`` on a daemon thread: while workers parse, this process mostly waits
    on them, so the later steps' imports (pyvis alone is 0.4 s) cost nothing there instead of
    adding to the serial tail. A module's ``preload()``, if it has one, runs too (the imports
    it defers until used). An import the build then makes waits for the thread's (Python's
    import lock); a failure here is left for that import to report."""

    def run() -> None:
        for name in modules:
            try:
                preload = getattr(importlib.import_module(name), "preload", None)
                if callable(preload):
                    preload()
            except Exception:  # noqa: BLE001, S110 - the build's own import raises it again
                pass

    threading.Thread(target=run, name="kg-imports", daemon=True).start()


def _batches(articles: Iterator[Article], jobs: int) -> Iterator[list[Article]]:
    """Batches of 1, 2, 4 ... up to ``BATCH_ARTICLES`` articles, ``jobs`` of each size, so every
    worker starts at once even on a small corpus (whose length a stream does not tell)."""
    size, made = 1, 0
    while batch := list(islice(articles, size)):
        yield batch
        made += 1
        if made % jobs == 0:
            size = min(size * 2, BATCH_ARTICLES)


def iter_facts(
    articles: Iterable[Article],
    model: str | None = None,
    jobs: int = 1,
    before_parse: Callable[[], None] | None = None,
    parse: str | None = None,
    workers: Workers | None = None,
) -> Iterator[ArticleFacts]:
    """Facts of each article in input order, parsed in ``jobs`` processes (``parse``: what
    is parsed, one of ``kg.nlp.PARSE_MODES``), or by ``workers`` already started.

    Streams: articles are read from ``articles`` as workers need them (at most
    ``IN_FLIGHT_PER_JOB`` batches per worker are in flight), so no more than a window of texts
    is held. Each article is parsed on its own Docs whatever the batching, so the facts (and
    the build's output bytes) are the same for any ``jobs``, in this process or in workers.
    The pipeline is loaded (and ``before_parse`` called) only once there is a first article.
    """
    stream = iter(articles)
    first = next(stream, None)
    if first is None:
        return
    stream = chain([first], stream)
    if workers is None and max(jobs, 1) == 1:
        from kg.extract import extract_articles

        if before_parse is not None:
            before_parse()
        yield from extract_articles(stream, load_pipeline(model), parse=parse)
        return
    own = workers is None
    running = workers if workers is not None else Workers(jobs, model, parse)
    try:
        if before_parse is not None:  # after the workers start: it may start a thread
            before_parse()
        window: deque[AsyncResult[tuple[list[ArticleFacts], float]]] = deque()

        def done() -> list[ArticleFacts]:
            facts, load = window.popleft().get()
            running.load_seconds = max(running.load_seconds, load)
            return facts

        for batch in _batches(stream, running.jobs):
            window.append(running.pool.apply_async(_extract_batch, (batch,)))
            while len(window) >= IN_FLIGHT_PER_JOB * running.jobs or (window and window[0].ready()):
                yield from done()
        while window:
            yield from done()
    finally:
        if own:
            running.close()


@dataclass
class Tally:
    """What a stream of facts skipped (as found) and how many articles it parsed."""

    skipped: list[Skipped] = field(default_factory=list)
    parsed: int = 0


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
    others go to :func:`iter_facts` (and into the cache). Duplicates are dropped on the way
    (the check needs only fingerprints, which the cache keeps too). Skips and the count of
    parsed articles go to ``tally``; ``progress(files done, files)`` ticks once per file.
    Memory: the facts already yielded are the caller's; this holds a window of texts.
    """
    files, skipped_files = scanned if scanned is not None else scan_corpus_files(corpus, follow_outside_links)
    root = corpus_root(corpus)
    skipped = tally.skipped
    skipped.extend(skipped_files)
    dedup = Deduplicator()
    # In corpus order: ready facts, articles being parsed (with their fingerprint), and a
    # file when it is done. A file's items are queued before it is marked done.
    order: deque[ArticleFacts | tuple[Article, Fingerprint] | FileRef] = deque()
    done = 0

    def plan() -> Iterator[Article]:
        for item in read_files(files, root):
            if isinstance(item, Skipped):
                skipped.append(item)
            elif isinstance(item, Article):
                entry = cache.get(item) if cache is not None else None
                fp = entry.fingerprint if entry is not None else fingerprint(item)
                if not dedup.admit(item, fp, skipped):
                    if (copy := dedup.copy(item)) is not None:  # a copy: its facts are its original's
                        order.append(copy)
                    continue
                if entry is not None:
                    order.append(entry.facts)
                else:
                    order.append((item, fp))
                    yield item
            else:
                order.append(item)

    def ready() -> Iterator[ArticleFacts]:
        """Everything at the head of ``order`` that needs no parse."""
        nonlocal done
        while order and not isinstance(order[0], tuple):
            head = order.popleft()
            if not isinstance(head, ArticleFacts):  # a file is done
                done += 1
                if progress is not None:
                    progress(done, len(files))
            else:
                yield head

    to_parse = plan()
    for facts in iter_facts(to_parse, model, jobs, before_parse, parse, workers):
        yield from ready()
        head = order.popleft()
        assert isinstance(head, tuple) and head[0].id == facts.article.id, "facts out of order"
        tally.parsed += 1
        if cache is not None:
            cache.put(head[0], facts, head[1])
        yield facts
    assert next(to_parse, None) is None, "an article was never parsed"
    yield from ready()


def scan_corpus(corpus: Path | str, follow_outside_links: bool = False) -> list[Skipped]:
    """What ingest would skip (files, lines, duplicates), holding one text at a time: for --strict."""
    files, skipped = scan_corpus_files(corpus, follow_outside_links)
    for _ in iter_articles(files, corpus_root(corpus), skipped):
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
) -> tuple[list[ArticleFacts], Tally]:
    if strict:
        raise_if_skipped(scan_corpus(corpus, follow_outside_links))
    tally = Tally()
    facts = stream_facts(
        corpus, tally, model, progress, jobs, cache, before_parse, follow_outside_links, parse, workers,
        scanned,
    )
    return with_copies(facts), tally


def _read(facts: list[ArticleFacts]) -> int:
    """Articles whose facts were extracted (parsed or from the cache): copies are neither."""
    return sum(1 for f in facts if f.article.copy_of is None)


def _memo(
    out: Path, facts: list[ArticleFacts], tally: Tally, html: bool
) -> tuple[str, dict[str, int] | None, tuple[Path, ...]]:
    """(build key, counts of the intact outputs already made from it or None, output paths);
    on a miss the old stamp is dropped before anything is rewritten."""
    outputs = tuple(out / name for name in ("graph.ttl", "events.jsonl") + (("graph.html",) if html else ()))
    key = build_memo.build_key(facts, tally.skipped, {"html": html})
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
    jobs: int = 1,
    cache: bool = True,
    cache_dir: Path | None = None,
    strict: bool = False,
    cluster: str | None = None,
    split_graph: bool = False,
    partition_size: int | None = None,
    follow_outside_links: bool = False,
    parse: str | None = None,
) -> BuildResult:
    """Build the outputs into ``out``; extraction is cached in ``cache_dir`` (``out/.cache``).

    ``parse`` says what is parsed (``kg.extract.PARSE_MODES``; default ``$KG_PARSE`` or
    ``filtered``).
    The pipeline is loaded only if an article must be parsed: in this process for one job
    (its load time is reported), in each worker for more. ``out`` is locked for the whole
    build and its outputs are replaced as one set (:mod:`kg.outputs`).
    """
    from kg.outputs import OutputSet

    with OutputSet(out) as outset:
        return _build(
            outset, corpus, out, model, progress, html, jobs, cache, cache_dir, strict, cluster,
            split_graph, partition_size, follow_outside_links, parse,
        )


def _build(
    outset: OutputSet,
    corpus: Path | str,
    out: Path,
    model: str | None,
    progress: Progress | None,
    html: bool,
    jobs: int,
    cache: bool,
    cache_dir: Path | None,
    strict: bool,
    cluster: str | None,
    split_graph: bool,
    partition_size: int | None,
    follow_outside_links: bool,
    parse: str | None,
) -> BuildResult:
    t0 = time.perf_counter()
    # On a cluster, workers parse every article (the cache is this machine's; see docs/distributed.md).
    parse = parse_mode(parse)
    store = open_cache(cache_dir or out / ".cache", model, parse) if cache and cluster is None else None
    t_model = 0.0

    workers: Workers | None = None
    stat: list[int] | None = None
    scanned = None  # the corpus's files, listed once: here if the stat needs them, else when read
    if cluster is None and forks_cheaply():
        if not split_graph:  # a split build keeps no memo to compare with
            scanned = scan_corpus_files(corpus, follow_outside_links)
            stat = build_memo.corpus_stat(scanned[0])
        if stat is None or stat != build_memo.last_corpus_stat(out):
            workers = _start_workers(max(jobs, 1), model, parse)

    def load() -> None:
        nonlocal t_model
        if workers is None and jobs <= 1:
            t_load = time.perf_counter()
            load_pipeline(model)
            t_model = time.perf_counter() - t_load
        else:
            page = ["kg.exporters.html", "kg.graph_view", "kg.evidence"] if html else []
            _import_in_background(["kg.graph", *page])

    if cluster is not None:  # Dask is imported only here
        from kg.distributed import PARTITION_FILES, extract_corpus_on_cluster

        facts, skipped = extract_corpus_on_cluster(
            corpus, cluster, model, progress, partition_size=partition_size or PARTITION_FILES, strict=strict,
            follow_outside_links=follow_outside_links,
        )
        tally = Tally(skipped, parsed=_read(facts))
    else:
        try:
            facts, tally = _extract(
                corpus, model, progress, jobs, store, load, strict, follow_outside_links, parse, workers,
                scanned,
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
            out=out, articles=len(facts), skipped=tuple(tally.skipped), seconds=time.perf_counter() - t0,
            model_seconds=model_seconds, outputs=memo[2], extracted=tally.parsed,
            cached=_read(facts) - tally.parsed, notes=tuple(store.notes) if store is not None else (),
            steps=(("model load", t_model), *steps),
            **memo[1],
        )
    from kg.graph import build_triples, write_turtle  # rdflib: not needed when the memo holds

    step("graph import")  # rdflib and the ontology, ~0.05 s: the graph stage's, not resolve's
    resolved: Corpus = resolve(facts)
    step("resolve")
    triples = build_triples(resolved)  # a plain set: rdflib's store costs more than the rest
    step("triples")
    try:  # the whole set into a new generation folder, then published in one rename
        folder = outset.begin()
        write_turtle(triples, folder / "graph.ttl")
        step("Turtle")
        write_events(facts, folder / "events.jsonl", event_ids(resolved))
        step("events")
        if split_graph:
            from kg.distributed import PARTITION_FILES, write_graph_parts

            write_graph_parts(triples, facts, folder, partition_size or PARTITION_FILES)
            step("graph parts")
        if html:
            from kg.exporters.html import write_html
            from kg.html_reuse import write_html_unless_same

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
                  "entities": len(resolved.entities), "triples": len(triples)}
        build_memo.record(out, memo[0], outputs, counts, corpus=stat)
    step("publish")
    return BuildResult(
        out=out,
        articles=len(facts),
        takedowns=len(resolved.takedowns),
        denials=len(resolved.denials),
        entities=len(resolved.entities),
        triples=len(triples),
        skipped=tuple(tally.skipped),
        seconds=time.perf_counter() - t0,
        model_seconds=model_seconds,
        outputs=outputs,
        extracted=tally.parsed,
        cached=_read(facts) - tally.parsed,
        notes=tuple(store.notes) if store is not None else (),
        steps=(("model load", t_model), *steps),
    )
