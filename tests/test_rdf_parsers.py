"""Every graph the builder writes loads unchanged into the parsers users' tools are built on.

rdflib and pyoxigraph (SPARQL), raptor's ``rapper`` and ``serdi`` (strict C parsers) and RDF4J
Rio with datatype verification on (the parser inside GraphDB and Neo4j n10s) read the seed
build's graph.ttl, its N-Triples and TriG exports, the ontology and the shapes, and a graph
built from a hostile article (quotes, backslashes, triple quotes, control characters, RTL
marks, emoji, markup, SPARQL and Cypher fragments). All parsers must agree on the count.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from rdf_tools import (
    build_corpus,
    compile_rio,
    parse_oxigraph,
    parse_rapper,
    parse_rdflib,
    parse_serdi,
)

from kg.exporters.formats import export
from kg.rdf.graph import load_graph

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY = ROOT / "kg" / "rdf" / "ontology"

HOSTILE_ARTICLE = (
    'Facebook removes "fake" accounts \\ <script>alert(1)</script> """ \x01\x1b\x7f 🚀 \u202eevil\u202c\n'
    "\n"
    "March 5, 2020\n"
    "\n"
    "Facebook said on Tuesday it removed 52 Facebook accounts, 3 Pages and 7 Groups linked to Russia, "
    'including one called "Bob \\"""" O\'Brien\\\\" \x01\x08\x1b\x7f\x9f <script>alert(\'x\')</script> '
    "🇷🇺👩\u200d💻 \u200fمرحبا\u200e whose bio read } ; DELETE WHERE { ?s ?p ?o } # and "
    "MATCH (n) DETACH DELETE n // ''' \\u0022 \\x00 ${x} \x0b\u2028 .\n"
    "\n"
    'Kremlin spokesman Dmitry Peskov denied the claims, calling them "groundless \\ nonsense '
    '<b>bold</b> """ \t tabbed" and said Russia had nothing to do with it.\n'
)
# What must survive into the graph's literals for the hostile test to test anything.
HOSTILE_FRAGMENTS = (
    "\x01", "\x1b", "\x7f", "\x9f", "\u202e", "\u200f", '"""', "\\", "<script>", "🚀",
    "DELETE WHERE { ?s ?p ?o }", "DETACH DELETE", "''' \\u0022",
)  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed corpus and the hostile article, built, with their N-Triples and TriG exports."""
    out = tmp_path_factory.mktemp("built")
    hostile_corpus = out / "hostile-corpus"
    hostile_corpus.mkdir()
    (hostile_corpus / "hostile.txt").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    files: dict[str, Path] = {}
    for name, corpus in (("seed", ROOT / "corpus"), ("hostile", hostile_corpus)):
        turtle = build_corpus(corpus, out / name)
        graph = load_graph(turtle)
        files[f"{name}.ttl"] = turtle
        files[f"{name}.nt"] = export(graph, "nt", out / name / "graph.nt")
        files[f"{name}.trig"] = export(graph, "trig", out / name / "graph.trig")
    return files


@pytest.fixture(scope="module")
def parse_rio(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], int]:
    return compile_rio(tmp_path_factory.mktemp("rio"))


PARSERS = ("rdflib", "oxigraph", "rapper", "serdi", "rio")
BUILT = ("seed.ttl", "seed.nt", "seed.trig", "hostile.ttl", "hostile.nt", "hostile.trig")


def _parser(name: str, request: pytest.FixtureRequest) -> Callable[[Path], int]:
    if name == "rio":
        return request.getfixturevalue("parse_rio")
    return {"rdflib": parse_rdflib, "oxigraph": parse_oxigraph, "rapper": parse_rapper, "serdi": parse_serdi}[
        name
    ]


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("name", ["cib.ttl", "shapes.ttl"])
def test_ontology_files_parse_strictly(name: str, parser: str, request: pytest.FixtureRequest) -> None:
    path = ONTOLOGY / name
    assert _parser(parser, request)(path) == parse_rdflib(path) > 0


@pytest.mark.model
@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("name", BUILT)
def test_built_graphs_parse_strictly(
    name: str, parser: str, built: dict[str, Path], request: pytest.FixtureRequest
) -> None:
    path = built[name]
    assert _parser(parser, request)(path) == parse_rdflib(path) > 0


@pytest.mark.model
def test_hostile_text_reaches_the_graph(built: dict[str, Path]) -> None:
    """Guard for the test above: the hostile characters must be in the literals it parses."""
    from rdflib import Literal

    literals = [str(o) for o in load_graph(built["hostile.ttl"]).objects() if isinstance(o, Literal)]
    missing = [f for f in HOSTILE_FRAGMENTS if not any(f in text for text in literals)]
    assert not missing


@pytest.mark.model
def test_hostile_graph_is_valid_and_round_trips(built: dict[str, Path]) -> None:
    from kg.rdf.turtle import serialize_turtle
    from kg.rdf.validate import format_report, validate

    report = validate(built["hostile.ttl"])
    assert report.conforms, format_report(report)
    text = built["hostile.ttl"].read_text("utf-8")
    assert serialize_turtle(load_graph(built["hostile.ttl"])) == text


# Negative controls: each checker really is strict, so a pass above means something.
BAD_TURTLE = {
    "bad-escape.ttl": '<http://example.org/a> <http://example.org/b> "x\\q" .\n',
    "raw-newline.ttl": '<http://example.org/a> <http://example.org/b> "x\ny" .\n',
    "space-in-iri.ttl": '<http://example.org/a b> <http://example.org/b> "x" .\n',
}


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize("name", sorted(BAD_TURTLE))
def test_checkers_reject_bad_turtle(
    name: str, parser: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    path = tmp_path / name
    path.write_text(BAD_TURTLE[name], encoding="utf-8")
    check = _parser(parser, request)
    with pytest.raises(Exception):  # noqa: B017 - each parser fails in its own way
        check(path)


XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.mark.parametrize("parser", ["rdflib", "rio"])
@pytest.mark.parametrize("literal", [f'"12a"^^<{XSD}integer>', f'"2020-13-45"^^<{XSD}date>'])
def test_checkers_verify_datatypes(
    literal: str, parser: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    path = tmp_path / "ill-typed.ttl"
    path.write_text(f"<http://example.org/a> <http://example.org/b> {literal} .\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        _parser(parser, request)(path)
