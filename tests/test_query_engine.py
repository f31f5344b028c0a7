"""Oxigraph as the engine for big graphs: the same answers as rdflib, behind the same API."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

import kg.query.engine
from kg.errors import QueryError
from kg.query.engine import ask, choose_engine, run_query
from kg.query.questions import named_queries
from kg.rdf.graph import load_graph

pytest.importorskip("pyoxigraph")
GOLDEN = Path(__file__).parent / "data" / "golden" / "seeds_graph.ttl"
PARAMS = {"entity": {"name": "Russia"}}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph(GOLDEN)


@pytest.mark.parametrize("name", sorted(named_queries()))
def test_named_questions_agree(graph: Graph, name: str) -> None:
    rdflib_result = ask(graph, name, PARAMS.get(name), engine="rdflib")
    oxigraph_result = ask(graph, name, PARAMS.get(name), engine="oxigraph")
    assert rdflib_result.rows
    assert oxigraph_result == rdflib_result


@pytest.mark.parametrize(
    "sparql",
    [
        "ASK { ?t a cib:Takedown }",
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a cib:State ; rdfs:label ?l }",
        "SELECT ?s ?c WHERE { ?s cib:accounts ?c } ORDER BY ?s",
    ],
)
def test_other_forms_agree_and_graph_prefixes_work(graph: Graph, sparql: str) -> None:
    """No PREFIX lines: the graph's own prefixes apply, as rdflib allows."""
    assert run_query(graph, sparql, "oxigraph") == run_query(graph, sparql, "rdflib")


def test_choice(graph: Graph, monkeypatch: pytest.MonkeyPatch) -> None:
    assert choose_engine(graph) == "rdflib"  # small: rdflib, whose error messages point at a column
    monkeypatch.setattr(kg.query.engine, "OXIGRAPH_MIN_TRIPLES", 10)
    assert choose_engine(graph) == "oxigraph"
    monkeypatch.setenv("KG_QUERY_ENGINE", "rdflib")
    assert choose_engine(graph) == "rdflib"
    assert choose_engine(graph, "oxigraph") == "oxigraph"
    with pytest.raises(QueryError, match="unknown query engine"):
        choose_engine(graph, "virtuoso")


def test_errors_are_one_line(graph: Graph) -> None:
    with pytest.raises(QueryError, match=r"query:1:17: this .{. is never closed"):
        run_query(graph, "SELECT ?x WHERE { ?x ", "oxigraph")


def test_copy_follows_a_changed_graph() -> None:
    g = Graph()
    s = URIRef("https://example.org/s")
    g.add((s, RDFS.label, Literal("one")))
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert run_query(g, count, "oxigraph").rows == (("1",),)
    g.add((s, RDFS.label, Literal("two")))
    assert run_query(g, count, "oxigraph").rows == (("2",),)


def test_copies_are_per_graph_object() -> None:
    """Two graphs with the same identifier (equal for rdflib) still get their own copy."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    s = URIRef("https://example.org/s")
    a, b = Graph(identifier="same"), Graph(identifier="same")
    a.add((s, RDFS.label, Literal("a")))
    b.add((s, RDFS.comment, Literal("b")))
    assert run_query(a, "SELECT ?o WHERE { ?s ?p ?o }", "oxigraph").rows == (("a",),)
    assert run_query(b, "SELECT ?o WHERE { ?s ?p ?o }", "oxigraph").rows == (("b",),)
    assert run_query(a, count, "oxigraph").rows == (("1",),)


def test_oxigraph_copy_is_not_reused_after_a_change() -> None:
    """Removing one triple and adding another keeps the size; the answer must still change."""
    from rdflib import Graph, Literal, URIRef

    from kg.query.engine import run_query

    g = Graph()
    for i in range(5):
        g.add((URIRef(f"urn:s{i}"), URIRef("urn:p"), Literal(i)))
    q = "SELECT ?o WHERE { <urn:s0> <urn:p> ?o }"
    assert [r[0] for r in run_query(g, q, engine="oxigraph").rows] == ["0"]
    g.remove((URIRef("urn:s0"), URIRef("urn:p"), Literal(0)))
    g.add((URIRef("urn:s0"), URIRef("urn:p"), Literal(42)))
    assert [r[0] for r in run_query(g, q, engine="oxigraph").rows] == ["42"]
