"""The watch loop: lock OUT, build once, then one update per batch of changed files.

Each update re-reads only the changed files (:class:`kg.live.state.LiveCorpus`), runs the
graph pass into kept parts (:class:`kg.live.state.LiveGraph`), which hands the triple diff to
``apply`` (the served store's one-transaction update) as soon as it is known, then writes
Turtle, events and the page into a new generation, publishes it in one rename
(:mod:`kg.build.outputs`) and writes ``OUT/version.json`` (the number the open explorer
polls). OUT stays locked for the whole watch, so a second watcher or a ``kg build`` on it is
refused with this process's id.

A bad file is a one-line warning and the watch goes on; an update that fails to write keeps
the last published set. Ctrl-C and SIGTERM end the watch; while a set is being published the
signal waits for the switch, so what is left is always a whole set.
"""

from __future__ import annotations

import gc
import json
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from kg.build import memo as build_memo
from kg.build.cache import open_cache
from kg.build.outputs import OutputSet
from kg.errors import GraphError, InputError, KGError
from kg.extract.model import load_pipeline, parse_mode
from kg.live.state import GraphUpdate, LiveCorpus, LiveGraph
from kg.live.watcher import Changes
from kg.records import Article, ArticleFacts
from kg.stores.serve import LIVE_VERSION
from kg.util.atomic import atomic_write
from kg.util.gc_pause import paused_gc

_log = logging.getLogger("kg.live")
#: Beside the outputs (not in a generation): the number of the set published last.
VERSION_FILE = LIVE_VERSION


@dataclass(frozen=True)
class Update:
    """One published update, for the summary line and the benchmark."""

    version: int
    articles: int
    takedowns: int
    denials: int
    triples: int
    added: int
    removed: int
    changed: int  # subjects whose triples changed
    parsed: int  # articles parsed for this update (the rest were kept or cached)
    seconds: float
    steps: tuple[tuple[str, float], ...]


#: Called with each graph update before its files are written (the served store's diff).
Apply = Callable[[GraphUpdate], None]


class _Stop:
    """Ctrl-C and SIGTERM: stop now, unless a set is being published (then right after)."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self.publishing = False
        self.pending = False

    def handle(self, signum: int, frame: FrameType | None) -> None:
        self.stop.set()
        if self.publishing:
            self.pending = True
            return
        raise KeyboardInterrupt

    @contextmanager
    def publishing_set(self) -> Iterator[None]:
        self.publishing = True
        try:
            yield
        finally:
            self.publishing = False
        if self.pending:
            raise KeyboardInterrupt

    @contextmanager
    def installed(self) -> Iterator[None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous = {sig: signal.signal(sig, self.handle) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


#: Every this many updates the collector looks at the whole heap once (cycles are rare here).
FULL_COLLECT_EVERY = 200


def _collect(published: int) -> None:
    """After an update: what survived is the kept graph, held until changed; move it out of the
    collector's sight (``gc.freeze``) so later collections scan only new objects. Acyclic
    garbage is freed by reference counts as ever; once in a while a full collection (after
    ``gc.unfreeze``) frees any cycles among the frozen, so memory stays flat."""
    if published % FULL_COLLECT_EVERY == 0:
        gc.unfreeze()
        gc.collect()
    else:
        gc.collect(0)
    gc.freeze()


def _extractor(model: str | None, parse: str) -> Callable[[list[Article]], list[ArticleFacts]]:
    def extract(articles: list[Article]) -> list[ArticleFacts]:
        from kg.extract import extract_articles

        return list(extract_articles(articles, load_pipeline(model), parse=parse))

    return extract


def _write_set(outset: OutputSet, out: Path, graph: GraphUpdate, html: bool, guard: _Stop) -> None:
    """Turtle, events and the page into a new generation, published in one rename."""
    from kg.rdf.turtle import write_text

    try:
        folder = outset.begin()
        write_text(graph.turtle, folder / "graph.ttl")
        atomic_write(folder / "events.jsonl", graph.events)
        if html:
            from kg.explorer.page import write_html
            from kg.explorer.reuse import write_html_unless_same

            page = folder / "graph.html"
            current = outset.current()
            write_html_unless_same(
                folder / "graph.ttl", page, lambda: write_html(graph.triples, page, state=out),
                state=out, previous=current / "graph.html" if current is not None else None,
            )
        with guard.publishing_set():
            build_memo.forget(out)  # the build memo's stamp is of another set now
            outset.publish()
    except (OSError, GraphError) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        kept = "the previous outputs are kept"
        raise GraphError(f"{out}: cannot write the outputs ({detail}); {kept}") from None


def watch(
    corpus: Path | str,
    out: Path | str,
    model: str | None = None,
    html: bool = True,
    cache: bool = True,
    parse: str | None = None,
    poll: bool | None = None,
    follow_outside_links: bool = False,
    apply: Apply | None = None,
    on_update: Callable[[Update], None] | None = None,
    on_ready: Callable[[], None] | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Build ``out`` from ``corpus``, then keep it current until Ctrl-C, SIGTERM or ``stop``.

    Returns the number of sets published. ``apply`` gets each graph update (with its triple
    diff) before the files are written; ``on_update`` each published :class:`Update`;
    ``on_ready`` is called once the first set is out and the watch is looking.
    """
    corpus, out = Path(corpus), Path(out)
    if not corpus.is_dir():
        raise InputError(f"{corpus}: not a folder (kg watch follows a corpus folder)")
    try:
        if out.resolve() == corpus.resolve():
            raise InputError(f"{out}: --out is the corpus folder itself; give an --out outside it")
    except (OSError, RuntimeError):
        pass
    stop = stop or threading.Event()
    guard = _Stop(stop)
    published = 0
    with guard.installed():
        try:
            with OutputSet(out) as outset:
                mode = parse_mode(parse)
                store = open_cache(out / ".cache", model, mode) if cache else None
                live = LiveCorpus(corpus, _extractor(model, mode), store, exclude=out,
                                  follow_outside_links=follow_outside_links)
                graph = LiveGraph()

                def update() -> None:
                    # the kept graph is large: no rescans of it mid-update (the first set, a
                    # whole corpus's parse, runs with the collector as a build does)
                    with paused_gc() if published else nullcontext():
                        _update()
                    _collect(published)

                def _update() -> None:
                    nonlocal published
                    t0 = time.perf_counter()
                    found = live.refresh()
                    for skip in found.new_skips:
                        _log.warning("warning: %s", skip.reason)
                    if published and not found.changed:
                        return  # an event that changed no file (a close, a temporary file's)
                    t1 = time.perf_counter()
                    g = graph.update(found.facts, found.counts, apply)  # the store takes the diff first
                    t3 = time.perf_counter()
                    _write_set(outset, out, g, html, guard)
                    published += 1
                    atomic_write(out / VERSION_FILE, json.dumps({"version": published}) + "\n", durable=False)
                    t4 = time.perf_counter()
                    if on_update is not None:
                        on_update(Update(
                            published, len(found.facts), len(g.resolved.takedowns), len(g.resolved.denials),
                            len(g.triples), len(g.added), len(g.removed), g.changed, found.parsed, t4 - t0,
                            (("read + parse", t1 - t0), *g.steps, ("outputs", t4 - t3)),
                        ))

                watcher = Changes(corpus, stop, exclude=out, poll=poll)  # looking from now on
                try:
                    update()
                    load_pipeline(model)  # held from now on: the first new article waits for no load
                    if on_ready is not None:
                        on_ready()
                    for _batch in watcher:
                        try:
                            update()
                        except KGError as exc:  # a bad update: said in one line, the last set stays
                            _log.warning("warning: %s", exc)
                finally:
                    watcher.close()
                    (out / VERSION_FILE).unlink(missing_ok=True)  # open pages stop asking
        except KeyboardInterrupt:
            pass
    return published
