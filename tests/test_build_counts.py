"""Articles without facts are counted, not listed: the outputs grow with the facts found.

A build lists in graph.ttl (``cib:Article``) and events.jsonl only the articles that report a
takedown or a denial; the others are counts (``cib:Corpus``, the summary). The duplicate
check remembers only articles with facts, so a duplicate of an article without facts is just
another article without facts; a near duplicate of one with facts stays a copy (listed).
``kg eval`` reads a gold article missing from events.jsonl as one with no facts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from typer.testing import CliRunner

from kg.build.counts import COUNTS, listed
from kg.build.pipeline import build
from kg.cli import app
from kg.evaluation.scores import evaluate
from kg.exporters.events import read_events
from kg.ingest import parse_article
from kg.records import ArticleFacts

pytestmark = pytest.mark.model
runner = CliRunner()
CIB = "https://w3id.org/cib-kg/ontology#"

REPORT = (
    "Platform removes network\n\n"
    "Twitter said on Tuesday it had removed 310 accounts linked to Venezuela for coordinated "
    "inauthentic behaviour. The accounts posed as local news pages and posted about the vote.\n"
)
QUIET = (
    "Harbour festival draws crowds\n\n"
    "Thousands of visitors came to the harbour festival over the weekend. The organisers said "
    "the fireworks on Saturday night were the largest the town had seen in a decade.\n"
)
QUIET_TOO = (
    "Library opens\n\n"
    "The council opened a new library in the town centre on Saturday, with a reading room and "
    "a cafe. Borrowers can now return books at any hour through a slot in the wall.\n"
)


def _corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a-report.txt").write_text(REPORT, "utf-8")
    (folder / "b-quiet.txt").write_text(QUIET, "utf-8")
    (folder / "c-quiet-again.txt").write_text(QUIET, "utf-8")  # the same text: no fact, not remembered
    (folder / "d-library.txt").write_text(QUIET_TOO, "utf-8")
    (folder / "e-report-again.txt").write_text(REPORT, "utf-8")  # a duplicate of an article with facts
    return folder


def test_listed_keeps_articles_with_facts_and_counts_the_rest() -> None:
    quiet = ArticleFacts(article=parse_article(QUIET, "q.txt").meta, takedowns=(), denials=())
    counts: dict[str, int] = {}
    assert list(listed([quiet, quiet], counts)) == []
    assert counts == {"articles": 2, "without_facts": 2}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("counts")
    corpus = _corpus(root / "corpus")
    out = root / "out"
    return out, build(corpus, out, html=False, cache=False, jobs=1)


def test_only_articles_with_facts_are_listed(built) -> None:  # type: ignore[no-untyped-def]
    out, _ = built
    events = [json.loads(line) for line in (out / "events.jsonl").read_text("utf-8").splitlines()]
    assert [e["file"] for e in events] == ["a-report.txt"]
    graph = Graph().parse(out / "graph.ttl")
    files = {str(o) for s in graph.subjects(RDF.type, URIRef(CIB + "Article"))
             for o in graph.objects(s, URIRef(CIB + "sourceFile"))}
    assert files == {"a-report.txt"}


def test_the_rest_are_counted_in_the_summary_and_the_graph(built) -> None:  # type: ignore[no-untyped-def]
    out, result = built
    assert (result.articles, result.with_facts, result.duplicates) == (4, 1, 1)
    graph = Graph().parse(out / "graph.ttl")
    (node,) = set(graph.subjects(RDF.type, URIRef(CIB + "Corpus")))
    got = {str(p).removeprefix(CIB): int(o) for p, o in graph.predicate_objects(node) if p != RDF.type}
    assert got == {"articlesRead": 4, "articlesWithFacts": 1, "articlesWithoutFacts": 3,
                   "duplicateArticles": 1}
    assert len(got) == len(COUNTS) - 1  # the gate's count is the summary's only
    assert result.gated == 3  # the summary says how many the gate passed over


def test_eval_reads_a_missing_line_as_no_facts(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out, _ = built
    gold = tmp_path / "gold.jsonl"
    rows = [{"file": "b-quiet.txt", "takedowns": [], "denials": []},
            {"file": "d-library.txt", "takedowns": [], "denials": []}]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    report = evaluate(read_events(gold), read_events(out / "events.jsonl"))
    assert report.files == 2
    assert all(s.fp == 0 and s.fn == 0 for s in report.scores.values())
    result = runner.invoke(app, ["eval", str(gold), "--pred", str(out / "events.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["files"] == 2


def test_a_cluster_lists_and_counts_the_same(built, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("distributed")
    out, result = built
    corpus = out.parent / "corpus"
    on_cluster = build(corpus, tmp_path / "o", html=False, cache=False, cluster="local:1", partition_size=2)
    for name in ("graph.ttl", "events.jsonl"):
        assert (tmp_path / "o" / name).read_bytes() == (out / name).read_bytes()
    assert (on_cluster.articles, on_cluster.with_facts, on_cluster.duplicates) == (4, 1, 1)
