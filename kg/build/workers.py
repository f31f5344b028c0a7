"""Worker processes that parse: started before the build reads, fed batches of articles.

A worker loads the spaCy pipeline once and extracts the facts of each batch it is sent; the
build keeps a bounded window of batches in flight, so no more than a few batches of texts are
held. On Linux, in a process without threads (the CLI), workers are forked before anything is
read, so the model loads while the build reads files and cache entries.
"""

from __future__ import annotations

import importlib
import multiprocessing
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from multiprocessing.pool import AsyncResult

from kg.errors import KGError
from kg.extract.model import load_pipeline
from kg.records import Article, ArticleFacts

#: Articles per task sent to a worker: big enough to fill spaCy batches, small enough to balance.
BATCH_ARTICLES = 16


#: Tasks in flight per worker process: keeps workers busy while bounding the texts held.
IN_FLIGHT_PER_JOB = 4


_worker_nlp = None


_worker_parse: str | None = None


_worker_error: KGError | None = None


_worker_load: float = 0.0  # seconds this worker took to load the pipeline, until reported


def _end_with_parent() -> None:
    """A worker whose build is gone (``kill -9``) ends at once and quietly: Linux sends it SIGKILL
    when its parent dies (``PR_SET_PDEATHSIG``), instead of it writing results into a closed
    pipe (two BrokenPipe tracebacks on the terminal) and running on. Elsewhere a no-op."""
    import os
    import signal
    import sys

    if not sys.platform.startswith("linux"):
        return
    parent = os.getppid()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the build died before the request took effect
        os._exit(0)


def _init_worker(model: str | None, parse: str | None = None) -> None:
    """Pool initializer: each worker loads the pipeline once, not once per batch.

    It never raises: a Pool replaces a worker whose initializer failed, forever (a missing
    model would hang the build). The error is kept and raised by the worker's first task,
    so it reaches the build as the same one-line error one process gives. Ctrl-C is the
    build's to handle (it stops the workers), not each worker's."""
    global _worker_nlp, _worker_parse, _worker_error, _worker_load
    import signal

    from kg.build.outputs import close_inherited_locks

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent()
    close_inherited_locks()  # a forked worker holds copies of the build's descriptors
    _worker_parse = parse
    t0 = time.perf_counter()
    try:
        _worker_nlp = load_pipeline(model)
    except KGError as exc:
        _worker_error = exc
    _worker_load = time.perf_counter() - t0


def _extract_batch(batch: Sequence[Article]) -> tuple[list[ArticleFacts], float, int]:
    """Worker task: facts (small picklable records, never Docs) of a batch of articles, the
    seconds the worker took to load the pipeline (with its first batch only) and how many
    articles of the batch the gate kept from the pipeline."""
    global _worker_load
    from kg.extract import extract_articles

    if _worker_error is not None:
        raise _worker_error
    load, _worker_load = _worker_load, 0.0
    counts: dict[str, int] = {}
    facts = list(extract_articles(batch, _worker_nlp, parse=_worker_parse, counts=counts))
    return facts, load, counts.get("gated", 0)


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


def start_workers(jobs: int, model: str | None, parse: str | None) -> Workers | None:
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
    (:func:`kg.build.outputs.close_inherited_locks`) before anything else."""
    if forks_cheaply():
        return multiprocessing.get_context("fork")
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["kg.extract.run"])  # import spaCy once, in the server, not per worker
    return ctx


def import_in_background(modules: Sequence[str]) -> None:
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
    counts: dict[str, int] | None = None,
) -> Iterator[ArticleFacts]:
    """Facts of each article in input order, parsed in ``jobs`` processes (``parse``: what
    is parsed, one of ``kg.extract.model.PARSE_MODES``), or by ``workers`` already started.

    Streams: articles are read from ``articles`` as workers need them (at most
    ``IN_FLIGHT_PER_JOB`` batches per worker are in flight), so no more than a window of texts
    is held. Each article is parsed on its own Docs whatever the batching, so the facts (and
    the build's output bytes) are the same for any ``jobs``, in this process or in workers.
    The pipeline is loaded (and ``before_parse`` called) only once there is a first article.
    ``counts``, if given, gets ``"gated"``: articles the gate kept from the pipeline.
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
        yield from extract_articles(stream, load_pipeline(model), parse=parse, counts=counts)
        return
    own = workers is None
    running = workers if workers is not None else Workers(jobs, model, parse)
    try:
        if before_parse is not None:  # after the workers start: it may start a thread
            before_parse()
        window: deque[AsyncResult[tuple[list[ArticleFacts], float, int]]] = deque()

        def done() -> list[ArticleFacts]:
            facts, load, gated = window.popleft().get()
            running.load_seconds = max(running.load_seconds, load)
            if counts is not None and gated:
                counts["gated"] = counts.get("gated", 0) + gated
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
