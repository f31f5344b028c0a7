"""Syntax errors in the user's terms: ``FILE:LINE:COL: what is wrong``, on both engines and for
every command that reads a graph; never a grammar rule's name or Python bytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import QueryError
from kg.query.engine import ask, run_query

ENGINES = ("rdflib", "oxigraph")
#: (query, the message both engines give). Written for these tests.
SPARQL_ERRORS = [
    ("SELECT ?x WHERE { ?x ?y }", "query:1:19: not valid SPARQL from here on at '?x ?y }'"),
    ("SELECT ?x WHERE { ?x ?y ?z ", "query:1:17: this '{' is never closed (missing '}')"),
    ("SELECT ?x WHERE { ?x ?y ?z ) }", "query:1:28: ')' found where the '{' of 1:17 needs '}'"),
    ("SELECT ?x WHERE { ?x ?y ?z } }", "query:1:30: '}' closes nothing"),
    (
        "SELECT ?x\nWHERE { ?x ?y ?z . FILTER(?x = ) }",
        "query:2:20: not valid SPARQL from here on at 'FILTER(?x = ) }'",
    ),
    (
        "SELECT ?x WHERE {\n  ?x foo:bar ?z }",
        "query:2:6: unknown prefix 'foo:' (declare it: PREFIX foo: <...>)",
    ),
    ('SELECT ?x WHERE {\n  ?x ?y "abc }', 'query:2:9: this string is never closed (missing ")'),
    (
        "SELECT ?x WHERE { ?x ?y ?z } junk @@@",
        "query:1:30: unexpected text after the end of the query at 'junk @@@'",
    ),
]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("sparql", "message"), SPARQL_ERRORS)
def test_sparql_errors_name_line_and_column(engine: str, sparql: str, message: str) -> None:
    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:b"), Literal("c")))
    with pytest.raises(QueryError) as info:
        run_query(g, sparql, engine)
    assert str(info.value) == message
    assert "Expected" not in str(info.value) and "b'" not in str(info.value)


@pytest.mark.parametrize("engine", ENGINES)
def test_rq_file_is_named(engine: str, tmp_path: Path) -> None:
    rq = tmp_path / "mine.rq"
    rq.write_text("# a comment\nSELECT ?x WHERE {\n  ?x ?y \n}\n")
    with pytest.raises(QueryError, match=rf"^{rq}:3:3: "):
        ask(Graph(), str(rq), engine=engine)


def test_graph_prefixes_are_known(tmp_path: Path) -> None:
    """A prefix the graph binds is usable without PREFIX, so it is not reported as unknown."""
    g = Graph()
    g.bind("ex", "http://example.org/")
    with pytest.raises(QueryError, match=r"^query:1:\d+: not valid SPARQL"):
        run_query(g, "SELECT ?x WHERE { ?x ex:p }", "rdflib")


BAD_TURTLE = "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b junk @@@ .\n"


@pytest.mark.parametrize(
    "command",
    [
        ["query", "{graph}", "ASK {{ ?s ?p ?o }}"],
        ["export", "{graph}", "-f", "nt"],
        ["stats", "{graph}"],
        ["viz", "{graph}", "-o", "{tmp}/g.html"],
        ["validate", "{graph}"],
    ],
)
def test_every_command_names_the_turtle_error(command: list[str], tmp_path: Path) -> None:
    graph = tmp_path / "bad.ttl"
    graph.write_text(BAD_TURTLE)
    args = [a.format(graph=graph, tmp=tmp_path) for a in command]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr == f"error: {graph}:3:11: junk is not a valid RDF object\n"


def test_ntriples_error_names_line_and_column(tmp_path: Path) -> None:
    graph = tmp_path / "bad.nt"
    graph.write_text('<http://e/a> <http://e/b> "c" .\n<http://e/a> <http://e/b> c .\n')
    result = CliRunner().invoke(app, ["export", str(graph)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {graph}:2:") and result.stderr.count("\n") == 1
