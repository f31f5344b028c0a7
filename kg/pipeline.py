"""The build: corpus folder -> articles -> facts -> resolved corpus -> graph and exports.

The CLI only parses arguments and calls ``build``; everything a build does is here, so the
same build runs from Python, a notebook or a test.
"""

from __future__ import annotations

import multiprocessing
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
from kg.errors import GraphError
from kg.events import write_events
from kg.extract import extract_articles, parse_mode
from kg.ingest import (
    Deduplicator,
    FileRef,
    Fingerprint,
    Skipped,
    corpus_root,
    fingerprint,
    iter_articles,
    raise_if_skipped,
    read_files,
    scan_corpus_files,
    with_copies,
)
from kg.nlp import load_pipeline
from kg.records import Article, ArticleFacts, Corpus
from kg.resolve import event_ids, resolve

if TYPE_CHECKING:
    from kg.outputs import OutputSet

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
    #: (step, wall seconds) in order: read + parse (model load apart), memo, graph import, resolve, triples,
    #: Turtle, events, graph.html, publish; for the benchmark's breakdown of a rebuild
    steps: tuple[tuple[str, float], ...] = ()


_worker_nlp = None
_worker_parse: str | None = None


def _init_worker(model: str | None, parse: str | None = None) -> None:
    """Pool initializer: each worker loads the pipeline once, not once per batch."""
    global _worker_nlp, _worker_parse
    _worker_nlp = load_pipeline(model)
    _worker_parse = parse


def _extract_batch(batch: Sequence[Article]) -> list[ArticleFacts]:
    """Worker task: facts (small picklable records, never Docs) of a batch of articles."""
    return list(extract_articles(batch, _worker_nlp, parse=_worker_parse))


def _mp_context() -> multiprocessing.context.BaseContext:
    """forkserver where available (no fork of a process holding threads/models), else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.pipeline"])  # import spaCy once, in the server, not per worker
    return ctx


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
) -> Iterator[ArticleFacts]:
    """Facts of each article in input order, parsed in ``jobs`` processes (``parse``: what
    is parsed, one of ``kg.extract.PARSE_MODES``).

    Streams: articles are read from ``articles`` as workers need them (at most
    ``IN_FLIGHT_PER_JOB`` batches per worker are in flight), so no more than a window of texts
    is held. Each article is parsed on its own Docs whatever the batching, so the facts (and
    the build's output bytes) are the same for any ``jobs``. The pipeline is loaded (and
    ``before_parse`` called) only once there is a first article.
    """
    stream = iter(articles)
    first = next(stream, None)
    if first is None:
        return
    if before_parse is not None:
        before_parse()
    stream = chain([first], stream)
    if max(jobs, 1) == 1:
        yield from extract_articles(stream, load_pipeline(model), parse=parse)
        return
    with _mp_context().Pool(jobs, initializer=_init_worker, initargs=(model, parse)) as pool:
        window: deque[AsyncResult[list[ArticleFacts]]] = deque()
        for batch in _batches(stream, jobs):
            window.append(pool.apply_async(_extract_batch, (batch,)))
            while len(window) >= IN_FLIGHT_PER_JOB * jobs or (window and window[0].ready()):
                yield from window.popleft().get()
        while window:
            yield from window.popleft().get()


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
) -> Iterator[ArticleFacts]:
    """Facts of every article of ``corpus``, in corpus order, read and parsed as a stream.

    Files are read one at a time; an article whose cache entry is valid is not parsed, the
    others go to :func:`iter_facts` (and into the cache). Duplicates are dropped on the way
    (the check needs only fingerprints, which the cache keeps too). Skips and the count of
    parsed articles go to ``tally``; ``progress(files done, files)`` ticks once per file.
    Memory: the facts already yielded are the caller's; this holds a window of texts.
    """
    files, skipped_files = scan_corpus_files(corpus, follow_outside_links)
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
    for facts in iter_facts(to_parse, model, jobs, before_parse, parse):
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
) -> tuple[list[ArticleFacts], Tally]:
    if strict:
        raise_if_skipped(scan_corpus(corpus, follow_outside_links))
    tally = Tally()
    facts = stream_facts(
        corpus, tally, model, progress, jobs, cache, before_parse, follow_outside_links, parse
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

    def load() -> None:
        nonlocal t_model
        if jobs <= 1:
            t_load = time.perf_counter()
            load_pipeline(model)
            t_model = time.perf_counter() - t_load

    if cluster is not None:  # Dask is imported only here
        from kg.distributed import PARTITION_FILES, extract_corpus_on_cluster

        facts, skipped = extract_corpus_on_cluster(
            corpus, cluster, model, progress, partition_size=partition_size or PARTITION_FILES, strict=strict,
            follow_outside_links=follow_outside_links,
        )
        tally = Tally(skipped, parsed=_read(facts))
    else:
        facts, tally = _extract(
            corpus, model, progress, jobs, store, load, strict, follow_outside_links, parse
        )
    steps: list[tuple[str, float]] = [("read + parse", time.perf_counter() - t0 - t_model)]
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
            model_seconds=t_model, outputs=memo[2], extracted=tally.parsed,
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
        build_memo.record(out, memo[0], outputs, counts)
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
        model_seconds=t_model,
        outputs=outputs,
        extracted=tally.parsed,
        cached=_read(facts) - tally.parsed,
        notes=tuple(store.notes) if store is not None else (),
        steps=(("model load", t_model), *steps),
    )
