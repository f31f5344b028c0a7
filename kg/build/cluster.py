"""The build's extraction on a Dask cluster, with the same output as one process.

Only file paths or URLs travel to the workers, in partitions of ``partition_size`` files in
corpus order; each worker reads its files (from a folder every worker sees: local disk on
one machine, NFS or another shared mount on many, or any fsspec URL such as ``s3://``),
parses them with a spaCy pipeline it loads once per process, and sends back small,
text-free :class:`~kg.records.ArticleFacts` records (never Docs), each article's duplicate
:class:`~kg.ingest.Fingerprint` and the reasons files were skipped. The client never reads
an article: it puts partitions back in corpus order and replays :func:`kg.ingest.ingest`'s
duplicate check over the fingerprints (duplicates are decided against every earlier file,
which no single partition can see), so facts, skips, and hence graph.ttl and events.jsonl
are those of the single-process build.

A worker that dies costs only its partitions: the scheduler runs them again elsewhere.
Dask is an optional extra (``pip install cib-kg[dask]``) imported only here, only when a
cluster is asked for.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph
from rdflib.term import Node

from kg.build.counts import admitted, listed
from kg.errors import ClusterError, InputError, KGError
from kg.ingest import (
    Deduplicator,
    FileRef,
    Fingerprint,
    RemoteFile,
    Skipped,
    _name,
    _skip,
    corpus_root,
    fingerprint,
    raise_if_skipped,
    read_articles,
    scan_corpus_files,
    with_copies,
)
from kg.ingest.encodings import corpus_scope
from kg.rdf.turtle import Triple
from kg.records import ArticleFacts

if TYPE_CHECKING:
    from distributed import Client

Progress = Callable[[int, int], None]
#: Files per task: enough to fill spaCy batches and make the scheduler's per-task cost small
#: (about 1 ms a task), few enough that a lost worker costs little and every worker gets work.
PARTITION_FILES = 16
#: Seconds to wait for a scheduler before giving up with a ``ClusterError`` (env ``KG_CLUSTER_TIMEOUT``).
CONNECT_TIMEOUT = 10.0
#: Tasks in flight per worker thread: keeps workers busy while bounding scheduler state
#: and the out-of-order results the client holds.
IN_FLIGHT_PER_THREAD = 4
#: Finished partitions the client may hold (per window) while an earlier one is still running.
BUFFERED_PER_WINDOW = 4
_LOCAL = re.compile(r"local(?::(\d+))?")
#: Dask settings for ``local:N`` workers (docs/distributed.md gives them as environment
#: variables for other clusters). A worker runs its task in a thread beside an event loop
#: that wakes for housekeeping; each wake takes the GIL from the parse. The statistical
#: profiler (every 10 ms) cost ~10% of worker CPU; the event-loop health tick (20 ms) and
#: the memory and system monitors (0.1 s, 0.5 s) are slowed to a few wakes a second. The
#: nanny's MALLOC_TRIM_THRESHOLD_=65536 is dropped: a fixed trim threshold turns off glibc's
#: dynamic mmap threshold, so spaCy's large buffers are mapped and unmapped on every batch
#: (15% more worker CPU here).
LOCAL_WORKER_CONFIG: dict[str, object] = {
    "distributed.nanny.pre-spawn-environ": {
        "OMP_NUM_THREADS": 1,  # the rest of Dask's default environment for worker processes
        "MKL_NUM_THREADS": 1,
        "OPENBLAS_NUM_THREADS": 1,
    },
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.tick.limit": "30s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
}


# --------------------------------------------------------------------------------------
# Worker side


_pipelines: dict[str | None, Any] = {}
_pipeline_lock = threading.Lock()


def _worker_pipeline(model: str | None) -> Any:
    """The spaCy pipeline of this worker process, loaded on its first task and then reused."""
    with _pipeline_lock:
        if model not in _pipelines:
            from kg.extract.model import load_pipeline

            _pipelines[model] = load_pipeline(model)
        return _pipelines[model]


@dataclass(frozen=True)
class FileResult:
    """What one file gave on a worker: its facts (text-free) with each article's duplicate-check
    fingerprint, and its skipped lines, or why it was skipped whole."""

    facts: tuple[ArticleFacts, ...] = ()
    fingerprints: tuple[Fingerprint, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    failed: Skipped | None = None
    gated: int = 0  # articles of the file the gate left unparsed (``kg.extract.gate``)


def extract_partition(
    paths: Sequence[str | RemoteFile],
    model: str | None,
    root: str | None,
    follow_outside_links: bool = False,
    parse: str | None = None,
) -> list[FileResult]:
    """Worker task: read and parse ``paths``; one result per path, in order.

    No duplicate check here: it needs every earlier file, so the client does it, on the
    fingerprints computed here (the texts never leave the worker). Reading mirrors
    :func:`kg.ingest.ingest` (same names, same reasons).
    """
    from kg.extract import extract_articles

    base = Path(root) if root is not None else None
    read: list[tuple[list, list[Skipped], Skipped | None]] = []
    for p in paths:
        path = p if isinstance(p, RemoteFile) else Path(p)
        try:
            with corpus_scope(base, follow_outside_links):  # the file opened must be in the corpus
                found, bad = read_articles(path, _name(path, base))
        except InputError as exc:
            read.append(([], [], _skip(str(path), str(exc))))
            continue
        except (OSError, ValueError, RecursionError, MemoryError) as exc:
            read.append(([], [], _skip(str(path), f"{path}: cannot read ({type(exc).__name__}: {exc})")))
            continue
        read.append((found, list(bad), None))
    articles = [a for found, _, _ in read for a in found]
    counts: dict[str, int] = {}
    nlp = _worker_pipeline(model) if articles else None
    facts = iter(extract_articles(articles, nlp, parse=parse, counts=counts) if articles else ())
    out: list[FileResult] = []
    for found, bad, failed in read:
        before = counts.get("gated", 0)  # the count grows as the file's facts are drawn
        of_file = tuple(next(facts) for _ in found)
        out.append(
            FileResult(
                facts=of_file,
                fingerprints=tuple(fingerprint(a) for a in found),
                skipped=tuple(bad),
                failed=failed,
                gated=counts.get("gated", 0) - before,
            )
        )
    return out


# --------------------------------------------------------------------------------------
# Client side


def parse_cluster(spec: str) -> tuple[str, int | None]:
    """``("local", N)`` for ``local:N`` (N defaults to the CPU count), else ``("address", None)``."""
    match = _LOCAL.fullmatch(spec.strip())
    if match is None:
        return "address", None
    n = int(match.group(1)) if match.group(1) else (os.cpu_count() or 1)
    if n < 1:
        raise ClusterError(f"{spec}: a local cluster needs at least one worker")
    return "local", n


@contextmanager
def connect(spec: str, timeout: float | None = None) -> Iterator[Client]:
    """A client of the scheduler at ``spec``, or of a ``LocalCluster`` started for ``local:N``.

    An unreachable scheduler is a ``ClusterError`` naming the address (nothing written yet).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(
            "--cluster needs Dask: pip install 'cib-kg[dask]' (or 'dask[distributed]')"
        ) from None
    kind, n = parse_cluster(spec)
    if kind == "local":
        import dask

        with dask.config.set(LOCAL_WORKER_CONFIG):
            cluster = LocalCluster(
                n_workers=n,
                processes=True,
                threads_per_worker=1,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
        return
    address = spec.strip()
    if timeout is None:
        timeout = float(os.environ.get("KG_CLUSTER_TIMEOUT") or CONNECT_TIMEOUT)
    try:
        _probe(address, timeout)  # fails fast, before a Client that would complain when collected
        client = Client(address, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {detail}") from None
    try:
        yield client
    finally:
        client.close()


def _probe(address: str, timeout: float) -> None:
    """Check the address parses and, for ``tcp://``, that something listens there."""
    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(address)
    if scheme not in ("tcp", "tls", "ucx", "ws", "wss", "inproc"):
        raise ValueError(f"unknown address scheme {scheme!r}")
    if scheme == "tcp":
        host, port = parse_host_port(location, default_port=8786)
        with socket.create_connection((host, port), timeout=timeout):
            pass


def _partitions(paths: Sequence[FileRef], size: int) -> list[list[str | RemoteFile]]:
    """Absolute path strings (workers do not share the client's working folder) or URLs, ``size`` a task."""
    names = [p if isinstance(p, RemoteFile) else str(p.absolute()) for p in paths]
    return [names[i : i + size] for i in range(0, len(names), size)]


def _results_in_order(
    client: Client,
    parts: list[list[str]],
    model: str | None,
    root: str | None,
    progress: Progress | None,
    follow_outside_links: bool = False,
    parse: str | None = None,
) -> Iterator[list[FileResult]]:
    """Each partition's results in partition order, tasks fed as earlier ones complete.

    Progress ticks once a file, as the cluster completes tasks, not in output order.
    """
    from distributed import as_completed

    total = sum(len(p) for p in parts)
    sized = [0.0, 2]  # (when, window): re-read at most every second, so workers that join count

    def window() -> int:
        if time.monotonic() - sized[0] > 1.0:
            threads = sum(client.nthreads().values())
            sized[:] = [time.monotonic(), max(IN_FLIGHT_PER_THREAD * threads, 2)]
        return int(sized[1])

    index_of: dict[str, int] = {}
    pending = iter(enumerate(parts))
    run = uuid.uuid4().hex[:12]

    def submit_next() -> Any:
        item = next(pending, None)
        if item is None:
            return None
        i, part = item
        future = client.submit(extract_partition, part, model, root, follow_outside_links, parse,
                               key=f"kg-partition-{run}-{i:08d}")
        index_of[future.key] = i
        return future

    ready: dict[int, list[FileResult]] = {}
    queue = as_completed(with_results=True, raise_errors=False)

    def top_up() -> None:
        """Keep ``window`` tasks in flight, but stop while a straggler holds many results back."""
        while len(index_of) < window() and len(ready) < BUFFERED_PER_WINDOW * window():
            future = submit_next()
            if future is None:
                return
            queue.add(future)

    top_up()
    done = 0
    emitted = 0
    for future, result in queue:
        i = index_of.pop(future.key)
        if future.status == "error":
            exc = future.exception()
            if isinstance(exc, KGError):  # e.g. the model is missing on a worker: its own message
                raise exc
            detail = " ".join(str(exc).split()) or type(exc).__name__
            raise ClusterError(f"partition {i} ({parts[i][0]} ...) failed on the cluster: {detail}")
        future.release()
        ready[i] = result
        for _ in result:
            done += 1
            if progress is not None:
                progress(done, total)
        while emitted in ready:
            yield ready.pop(emitted)
            emitted += 1
        top_up()


def _as_given(result: FileResult, sent: str, given: str) -> FileResult:
    """Paths in records and reasons as the caller gave them, not the absolute ones workers used."""
    if sent == given:
        return result

    def fix(text: str) -> str:
        return given + text[len(sent) :] if text.startswith(sent) else text.replace(sent, given, 1)

    def fix_skip(s: Skipped) -> Skipped:
        return Skipped(fix(s.path), fix(s.reason))

    return FileResult(
        facts=tuple(replace(f, article=replace(f.article, path=fix(f.article.path))) for f in result.facts),
        fingerprints=result.fingerprints,
        skipped=tuple(fix_skip(s) for s in result.skipped),
        failed=fix_skip(result.failed) if result.failed is not None else None,
        gated=result.gated,
    )


def iter_facts_on_cluster(
    paths: Sequence[FileRef],
    cluster: str,
    model: str | None = None,
    partition_size: int = PARTITION_FILES,
    progress: Progress | None = None,
    root: Path | None = None,
    timeout: float | None = None,
    follow_outside_links: bool = False,
    parse: str | None = None,
    counts: dict[str, int] | None = None,
) -> Iterator[tuple[list[ArticleFacts], list[Skipped]]]:
    """(facts, skipped) of each partition of ``paths``, in order, duplicates already dropped.

    Concatenated, they equal what ``ingest(paths, root)`` and extraction give in one process
    (``parse``: what the workers parse, ``kg.extract.PARSE_MODES``). ``counts``, if given,
    gets ``"gated"``: the articles the workers' gate left unparsed.
    """
    parts = _partitions(paths, max(partition_size, 1))
    if not parts:
        return
    dedup = Deduplicator()
    shown = iter([str(p) for p in paths])
    with connect(cluster, timeout) as client:
        base = str(root.absolute()) if root is not None else None  # workers get absolute paths
        ordered = _results_in_order(client, parts, model, base, progress, follow_outside_links, parse)
        for part, results in zip(parts, ordered, strict=False):
            facts: list[ArticleFacts] = []
            skipped: list[Skipped] = []
            for sent, r in zip(part, results, strict=True):
                r = _as_given(r, str(sent), next(shown))
                if r.failed is not None:
                    skipped.append(r.failed)
                    continue
                if counts is not None and r.gated:
                    counts["gated"] = counts.get("gated", 0) + r.gated
                skipped.extend(r.skipped)
                for f, fp in zip(r.facts, r.fingerprints, strict=True):
                    facts.extend(admitted(f, fp, dedup, skipped, counts if counts is not None else {}))
            yield facts, skipped


def extract_corpus_on_cluster(
    corpus: Path | str,
    cluster: str,
    model: str | None = None,
    progress: Progress | None = None,
    partition_size: int = PARTITION_FILES,
    strict: bool = False,
    timeout: float | None = None,
    follow_outside_links: bool = False,
    exclude: Path | None = None,
    parse: str | None = None,
    counts: dict[str, int] | None = None,
    on_facts: Callable[[ArticleFacts], None] | None = None,
) -> tuple[list[ArticleFacts], list[Skipped]]:
    """:func:`kg.build.pipeline.extract_corpus` on a cluster: the articles with facts and every
    skip, in corpus order; the articles without facts are counted in ``counts``
    (:mod:`kg.build.counts`), not kept.

    Names are relative to the corpus folder, as ``ingest_corpus`` makes them; ``strict``
    raises on any skip once all partitions are in (as the single-process build does).
    ``parse`` and ``counts`` as :func:`iter_facts_on_cluster`; ``on_facts`` is called with
    each article's facts as partitions come in.
    """
    files, skipped = scan_corpus_files(corpus, follow_outside_links, exclude)
    root = corpus_root(corpus)
    facts: list[ArticleFacts] = []
    tally = counts if counts is not None else {}
    for f, s in iter_facts_on_cluster(
        files, cluster, model, partition_size, progress, root, timeout, follow_outside_links,
        parse=parse, counts=tally,
    ):
        skipped.extend(s)
        if on_facts is not None:
            for one in f:
                on_facts(one)
        facts.extend(listed(f, tally))  # the articles without facts are only counted
    if strict:
        raise_if_skipped(skipped)
    return with_copies(facts), skipped


# --------------------------------------------------------------------------------------
# Graph parts


PARTS_FOLDER = "graph-parts"


def _owners(triples: Iterable[Triple], facts: Sequence[ArticleFacts], partition_size: int) -> dict[Node, int]:
    """Part of each subject: its article's, or the first (lowest) of the articles it is reported in."""
    from kg.rdf.namespace import CIB, iri_for

    part_of_article: dict[Node, int] = {
        iri_for("article", f.article.id): i // partition_size for i, f in enumerate(facts)
    }
    owner: dict[Node, int] = {}
    networks: list[tuple[Node, Node]] = []
    sources = (CIB.reportedIn, CIB.inArticle)
    for s, p, o in triples:
        if s in part_of_article:
            owner[s] = part_of_article[s]
        elif p in sources and o in part_of_article:
            k = part_of_article[o]
            owner[s] = min(owner.get(s, k), k)
        elif p == CIB.network:
            networks.append((s, o))
    for t, network in networks:  # a network goes with its takedown
        if t in owner:
            owner[network] = min(owner.get(network, owner[t]), owner[t])
    return owner


def write_graph_parts(
    triples: Graph | Iterable[Triple],
    facts: Sequence[ArticleFacts],
    out: Path,
    partition_size: int = PARTITION_FILES,
) -> Path:
    """Write ``out/graph-parts/part-NNNNN.nt``: the graph's triples split by source partition.

    Part k holds the nodes of articles ``k*size .. (k+1)*size-1`` of the build (in corpus
    order) and of the events first reported in them; shared nodes (platforms, states,
    actors) go to part 0. Every triple is in exactly one part, so the parts' union is the
    graph; lines are sorted and each file is written atomically. Old parts beyond the new
    count are removed, so the folder can be pushed as is (``kg push OUT/graph-parts``).
    """
    from rdflib.plugins.serializers.nt import _nt_row

    from kg.util.atomic import atomic_write

    size = max(partition_size, 1)
    count = max(1, -(-len(facts) // size))
    triples = list(triples)
    owner = _owners(triples, facts, size)
    lines: list[list[str]] = [[] for _ in range(count)]
    for triple in triples:
        lines[owner.get(triple[0], 0)].append(_nt_row(triple).rstrip("\n"))
    folder = out / PARTS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    names = set()
    for k, part in enumerate(lines):
        name = f"part-{k:05d}.nt"
        names.add(name)
        atomic_write(folder / name, "".join(f"{line}\n" for line in sorted(part)))
    for old in folder.glob("part-*.nt"):
        if old.name not in names:
            old.unlink()
    return folder
