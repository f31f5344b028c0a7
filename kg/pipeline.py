"""The build: corpus folder -> articles -> facts -> resolved corpus -> graph and exports.

The CLI only parses arguments and calls ``build``; everything a build does is here, so the
same build runs from Python, a notebook or a test.
"""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.cache import CacheStats, FactsCache, open_cache
from kg.events import write_events
from kg.extract import extract_articles
from kg.ingest import Skipped, ingest_corpus, raise_if_skipped
from kg.nlp import load_pipeline
from kg.records import Article, ArticleFacts, Corpus
from kg.resolve import resolve

Progress = Callable[[int, int], None]
#: Articles per task sent to a worker: big enough to fill spaCy batches, small enough to balance.
BATCH_ARTICLES = 16


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


_worker_nlp = None


def _init_worker(model: str | None) -> None:
    """Pool initializer: each worker loads the pipeline once, not once per batch."""
    global _worker_nlp
    _worker_nlp = load_pipeline(model)


def _extract_batch(batch: Sequence[Article]) -> list[ArticleFacts]:
    """Worker task: facts (small picklable records, never Docs) of a batch of articles."""
    return list(extract_articles(batch, _worker_nlp))


def _mp_context() -> multiprocessing.context.BaseContext:
    """forkserver where available (no fork of a process holding threads/models), else spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.pipeline"])  # import spaCy once, in the server, not per worker
    return ctx


def iter_facts(
    articles: Sequence[Article], model: str | None = None, jobs: int = 1
) -> Iterator[ArticleFacts]:
    """Facts of each article in input order, parsed in ``jobs`` processes.

    Each article is parsed on its own Docs whatever the batching, so the facts (and the
    build's output bytes) are the same for any ``jobs``.
    """
    jobs = max(jobs, 1)
    size = max(1, min(BATCH_ARTICLES, -(-len(articles) // jobs)))  # every worker gets work
    batches = [articles[i : i + size] for i in range(0, len(articles), size)]
    workers = min(jobs, len(batches))
    if workers <= 1:
        yield from extract_articles(articles, load_pipeline(model))
        return
    with _mp_context().Pool(workers, initializer=_init_worker, initargs=(model,)) as pool:
        for facts in pool.imap(_extract_batch, batches):
            yield from facts


def extract_corpus(
    corpus: Path,
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
    """
    articles, skipped = ingest_corpus(corpus)
    if strict:
        raise_if_skipped(skipped)
    found: list[ArticleFacts | None] = [cache.get(a) if cache is not None else None for a in articles]
    todo = [a for a, f in zip(articles, found, strict=True) if f is None]
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(articles))

    for f in found:
        if f is not None:
            tick()
    if todo and before_parse is not None:
        before_parse()
    fresh = iter_facts(todo, model, jobs) if todo else iter([])
    facts: list[ArticleFacts] = []
    for f in found:
        if f is None:
            f = next(fresh)
            if cache is not None:
                cache.put(f)
            tick()
        facts.append(f)
    return facts, skipped


def build(
    corpus: Path,
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
) -> BuildResult:
    """Build the outputs into ``out``; extraction is cached in ``cache_dir`` (``out/.cache``).

    The pipeline is loaded only if an article must be parsed: in this process for one job
    (its load time is reported), in each worker for more.
    """
    from kg.graph import build_graph, write_turtle

    t0 = time.perf_counter()
    # On a cluster, workers parse every article (the cache is this machine's; see docs/distributed.md).
    store = open_cache(cache_dir or out / ".cache", model) if cache and cluster is None else None
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
            corpus, cluster, model, progress, partition_size=partition_size or PARTITION_FILES, strict=strict
        )
    else:
        facts, skipped = extract_corpus(
            corpus, model, progress, jobs=jobs, cache=store, before_parse=load, strict=strict
        )
    stats = store.stats if store is not None else CacheStats(misses=len(facts))
    resolved: Corpus = resolve(facts)
    graph = build_graph(resolved)
    out.mkdir(parents=True, exist_ok=True)
    outputs = [out / "graph.ttl", out / "events.jsonl"]
    write_turtle(graph, outputs[0])
    write_events(facts, outputs[1])
    if split_graph:
        from kg.distributed import PARTITION_FILES, write_graph_parts

        outputs.append(write_graph_parts(graph, facts, out, partition_size or PARTITION_FILES))
    if html:
        from kg.exporters.html import write_html

        outputs.append(out / "graph.html")
        write_html(graph, outputs[-1])
    return BuildResult(
        out=out,
        articles=len(facts),
        takedowns=len(resolved.takedowns),
        denials=len(resolved.denials),
        entities=len(resolved.entities),
        triples=len(graph),
        skipped=tuple(skipped),
        seconds=time.perf_counter() - t0,
        model_seconds=t_model,
        outputs=tuple(outputs),
        extracted=stats.misses,
        cached=stats.hits,
    )
