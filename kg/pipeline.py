"""The build: corpus folder -> articles -> facts -> resolved corpus -> graph and exports.

The CLI only parses arguments and calls ``build``; everything a build does is here, so the
same build runs from Python, a notebook or a test.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kg.events import write_events
from kg.extract import extract_articles
from kg.ingest import Skipped, corpus_files, ingest
from kg.nlp import load_pipeline
from kg.records import ArticleFacts, Corpus
from kg.resolve import resolve

Progress = Callable[[int, int], None]


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


def extract_corpus(
    corpus: Path, model: str | None = None, progress: Progress | None = None
) -> tuple[list[ArticleFacts], list[Skipped]]:
    """Ingest and extract every article of ``corpus``; bad files are skipped, not fatal."""
    files = corpus_files(corpus)
    articles, skipped = ingest(files)
    nlp = load_pipeline(model)
    facts: list[ArticleFacts] = []
    for i, f in enumerate(extract_articles(articles, nlp), start=1):
        facts.append(f)
        if progress is not None:
            progress(i, len(articles))
    return facts, skipped


def build(
    corpus: Path,
    out: Path,
    model: str | None = None,
    progress: Progress | None = None,
    html: bool = True,
) -> BuildResult:
    from kg.graph import build_graph, write_turtle

    t0 = time.perf_counter()
    load_pipeline(model)
    t_model = time.perf_counter() - t0
    facts, skipped = extract_corpus(corpus, model, progress)
    resolved: Corpus = resolve(facts)
    graph = build_graph(resolved)
    out.mkdir(parents=True, exist_ok=True)
    outputs = [out / "graph.ttl", out / "events.jsonl"]
    write_turtle(graph, outputs[0])
    write_events(facts, outputs[1])
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
    )
