"""Build: the whole flow, corpus to outputs (what ``kg build`` runs).

``pipeline`` reads the corpus (``kg.ingest``), extracts each article in worker processes
(``kg.extract``), resolves (``kg.resolve``), makes the graph (``kg.rdf``) and writes Turtle,
events and the page; ``cluster`` runs extraction and the merge's blocks on a Dask cluster;
``cache`` keeps each article's facts by its text and the pipeline's version (``codec`` is the
entry format: JSON, never pickle); ``memo`` knows when a build's outputs can be reused;
``outputs`` replaces a build's output files as one set; ``counts`` decides which articles
are listed (those with a takedown or a denial) and counts the others, and runs the duplicate
check against the articles with facts only, so a build keeps what grows with the facts.

The top of the stack: it may import every stage below it, and none of them imports it.
Takes: a corpus folder or URL. Gives: ``graph.ttl``, ``events.jsonl``, ``graph.html``.
May import: every ``kg`` package except ``kg.cli``, ``kg.stores`` and ``kg.evaluation``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["BuildResult", "build"]

if TYPE_CHECKING:
    from kg.build.pipeline import BuildResult, build


def __getattr__(name: str) -> Any:
    """``from kg.build import build``: the pipeline is imported when first asked for, so the
    package's own modules (cache, memo, outputs) import without it."""
    if name in __all__:
        from kg.build import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'kg.build' has no attribute {name!r}")
