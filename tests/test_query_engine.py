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


def _dated_graph() -> Graph:
    """One takedown (and one denial) per kind of date: reported, first report, text, undated."""
    from datetime import date

    from kg.rdf.graph import build_triples, to_graph
    from kg.records import ArticleFacts, ArticleMeta, Attribution, Counts, Denial, Evidence, Takedown
    from kg.resolve import resolve

    cases = [  # platform, state, article date line, text date, removal date
        ("Twitter", "Iran", date(2020, 3, 5), None, date(2020, 3, 2)),
        ("Facebook", "China", date(2021, 5, 30), None, None),
        ("TikTok", "Russia", None, "2019-08", None),
        ("Reddit", "Iran", None, "2018", None),
        ("YouTube", "China", None, None, None),
    ]
    facts = []
    for platform, state, published, text_date, removed in cases:
        aid = platform.lower()
        sentence = f"{platform} removed 321 accounts linked to {state}."
        ev = Evidence(aid, f"{aid}.txt", sentence, 0, 40, "r", 0.9)
        td = Takedown(platform, "321 accounts", Counts(accounts=321), removed,
                      (Attribution(state, "linked to", None, ev),), (), ev)
        dn = Denial(state, None, (platform,), "baseless", None, ev)
        meta = ArticleMeta(aid, f"{aid}.txt", f"{aid}.txt", aid, published, text_date=text_date)
        facts.append(ArticleFacts(meta, (td,), (dn,)))
    return to_graph(build_triples(resolve(facts)))


def test_date_questions_on_oxigraph() -> None:
    """The timeline, the per-year figures and dates-used say which date places each takedown and
    how many each kind placed, on Oxigraph as on rdflib."""
    graph = _dated_graph()

    def rows(name: str, *columns: str) -> list[tuple[str | None, ...]]:
        result = ask(graph, name, engine="oxigraph")
        assert result == ask(graph, name, engine="rdflib")
        index = [result.columns.index(c) for c in columns]
        return [tuple(row[i] for i in index) for row in result.rows]

    timeline = [r for r in rows("timeline", "when", "dateUsed", "kind", "who") if r[2] == "takedown"]
    assert timeline == [
        ("2018", "text date", "takedown", "Reddit"),
        ("2019-08", "text date", "takedown", "TikTok"),
        ("2020-03-02", "reported date", "takedown", "Twitter"),
        ("2021-05-30", "first report", "takedown", "Facebook"),
        (None, "undated", "takedown", "YouTube"),  # last, and said so
    ]
    cols = ("platform", "year", "takedowns", "byReportedDate", "byFirstReport", "byTextDate", "accounts")
    assert rows("assets-per-platform-year", *cols) == [
        ("Facebook", "2021", "1", "0", "1", "0", "321"),
        ("Reddit", "2018", "1", "0", "0", "1", "321"),
        ("TikTok", "2019", "1", "0", "0", "1", "321"),
        ("Twitter", "2020", "1", "1", "0", "0", "321"),
        ("YouTube", "undated", "1", "0", "0", "0", "321"),
    ]
    assert rows("dates-used", "kind", "dateUsed", "events", "earliest", "latest") == [
        ("takedown", "reported date", "1", "2020-03-02", "2020-03-02"),
        ("takedown", "first report", "1", "2021-05-30", "2021-05-30"),
        ("takedown", "text date", "2", "2018", "2019-08"),
        ("takedown", "undated", "1", None, None),
        # the denials give no date of their own: their articles' dates place them
        ("denial", "reported date", "0", None, None),
        ("denial", "first report", "2", "2020-03-05", "2021-05-30"),
        ("denial", "text date", "2", "2018", "2019-08"),
        ("denial", "undated", "1", None, None),
    ]
