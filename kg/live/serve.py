"""``kg serve --watch``: the watch loop with the endpoint and the explorer beside it.

The first set is built (or reused from the cache) before the servers start on it; from then
on each update's triple diff goes to the store as one SPARQL Update (one transaction: a query
sees the graph before or after an update, never half of one) before its files are published,
and the open explorer sees ``version.json`` change and offers a reload.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from kg.live.loop import Update, watch
from kg.live.state import GraphUpdate
from kg.stores.serve import DEFAULT_PAGE_PORT, DEFAULT_SPARQL_PORT, Addresses, Served, running


def serve_watch(
    corpus: Path | str,
    out: Path | str,
    sparql_port: int = DEFAULT_SPARQL_PORT,
    page_port: int = DEFAULT_PAGE_PORT,
    bind: str = "127.0.0.1",
    ready: Callable[[Addresses], None] | None = None,
    on_update: Callable[[Update], None] | None = None,
    stop: threading.Event | None = None,
    **options: object,
) -> int:
    """Watch ``corpus`` into ``out`` and serve it; returns the number of sets published."""
    served: list[Served] = []
    stale = False  # an update the store did not take: the next one reloads the whole graph

    with ExitStack() as stack:

        def apply(update: GraphUpdate) -> None:
            nonlocal stale
            if not served:  # the first set is loaded whole when the servers start
                return
            from kg.rdf.turtle import sparql_update

            if stale:
                request = "CLEAR DEFAULT ;\n" + sparql_update(update.triples, ())
            else:
                request = sparql_update(update.added, update.removed)
            stale = True
            served[0].update(request)
            stale = False

        def started() -> None:
            served.append(stack.enter_context(running(out, sparql_port, page_port, bind, live=True)))
            if ready is not None:
                ready(served[0].addresses)

        return watch(corpus, out, apply=apply, on_update=on_update, on_ready=started, stop=stop,
                     **options)  # type: ignore[arg-type]
    return 0  # pragma: no cover - the block returns
