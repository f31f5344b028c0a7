"""``kg export``/``kg viz`` on a graph this builder did not write: ill-typed literals and IRIs a
strict parser rejects. One warning line per kind, no traceback, and every format's output is
accepted by the strict parsers (rapper, serdi, RDF4J Rio with datatype checks, pyoxigraph,
rdflib with warnings as failures, networkx's GraphML reader, Neo4j's Cypher parser).
"""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from rdf_tools import compile_rio, parse_oxigraph, parse_rapper, parse_rdflib, parse_serdi
from rdflib import XSD, Graph, Literal, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.exporters.formats import EXPORT_FORMATS, SUFFIXES, export
from kg.rdf.safe_terms import encode_iri, sanitize

EX = "http://example.org/"
#: Every character an IRIREF cannot hold, each in its own IRI.
BAD_CHARS = (" ", "<", ">", '"', "{", "}", "|", "^", "`", "\\", "\x01", "\n", "\x7f")
CYPHER_DIR = Path(__file__).resolve().parent / "cypher"
NODE = shutil.which("node")


def hostile() -> Graph:
    g = Graph()
    s = URIRef(EX + "s")
    g.add((s, URIRef(EX + "count"), Literal("abc", datatype=XSD.integer)))
    g.add((s, URIRef(EX + "date"), Literal("2021-02-30", datatype=XSD.date)))
    g.add((s, URIRef(EX + "ok"), Literal("3", datatype=XSD.integer)))
    g.add((s, URIRef(EX + "amount"), Literal("1.5.2", datatype=XSD.decimal)))
    g.add((s, URIRef(EX + "odd"), Literal("x", datatype=URIRef(EX + "a type"))))  # datatype IRI
    for i, ch in enumerate(BAD_CHARS):
        g.add((URIRef(f"{EX}a{ch}b{i}"), URIRef(EX + "p"), URIRef(f"{EX}o{ch}{i}")))
    g.add((URIRef("no-scheme"), URIRef(EX + "p"), s))  # cannot be made absolute: dropped
    return g


@pytest.fixture(scope="module")
def parse_rio(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Path], int]:
    return compile_rio(tmp_path_factory.mktemp("rio"))


def test_sanitize_warns_once_per_kind_and_leaves_clean_graphs_alone() -> None:
    lines: list[str] = []
    clean = sanitize(hostile(), lines.append)
    assert len(lines) == 3, lines
    assert lines[0].startswith(f"{2 * len(BAD_CHARS)} IRIs (")
    assert "not absolute" in lines[1] and "<no-scheme>" in lines[1]
    assert lines[2].startswith("4 ill-typed literals (") and "written as plain strings" in lines[2]
    assert len(clean) == len(hostile()) - 1
    assert Literal("abc") in set(clean.objects())
    assert sanitize(clean, lines.append) is clean and len(lines) == 3


def test_encode_iri() -> None:
    assert encode_iri("http://x/a b>c\\d é") == "http://x/a%20b%3Ec%5Cd%20é"


@pytest.mark.parametrize("fmt", ["nt", "trig"])
@pytest.mark.parametrize("parser", ["rdflib", "oxigraph", "rapper", "serdi", "rio"])
def test_strict_parsers_accept_every_export(
    fmt: str, parser: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    out = export(hostile(), fmt, tmp_path / f"g{SUFFIXES[fmt]}", warn=lambda _line: None)
    check = {
        "rdflib": parse_rdflib, "oxigraph": parse_oxigraph, "rapper": parse_rapper, "serdi": parse_serdi,
    }.get(parser) or request.getfixturevalue("parse_rio")
    assert check(out) == len(hostile()) - 1


def test_jsonld_export_parses_strictly(tmp_path: Path) -> None:
    out = export(hostile(), "jsonld", tmp_path / "g.jsonld", warn=lambda _line: None)
    assert parse_oxigraph(out) == len(hostile()) - 1


def test_graphml_export_reads_back(tmp_path: Path) -> None:
    out = export(hostile(), "graphml", tmp_path / "g.graphml", warn=lambda _line: None)
    ET.parse(out)  # well-formed XML
    read = nx.read_graphml(out)
    assert all(" " not in n and "<" not in n for n in read.nodes)


@pytest.mark.skipif(
    NODE is None or not (CYPHER_DIR / "node_modules").is_dir(),
    reason="Neo4j's Cypher parser is not installed: run `npm ci --prefix tests/cypher`",
)
def test_cypher_export_parses(tmp_path: Path) -> None:
    out = export(hostile(), "cypher", tmp_path / "g.cypher", warn=lambda _line: None)
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(CYPHER_DIR / "check.mjs"), str(out)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr


HOSTILE_TTL = """\
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:s ex:count "abc"^^xsd:integer ;
    ex:date "2021-02-30"^^xsd:date ;
    ex:ok "3"^^xsd:integer .
<http://example.org/a b> ex:p <http://example.org/c{d}> .
"""


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_cli_export_warns_in_lines_without_traceback(fmt: str, tmp_path: Path) -> None:
    source = tmp_path / "foreign.ttl"
    source.write_text(HOSTILE_TTL)
    out = tmp_path / f"out{SUFFIXES[fmt]}"
    result = CliRunner().invoke(app, ["export", str(source), "-f", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr and "Failed to convert" not in result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith("warning: ") for line in lines), lines
    assert any('"abc"^^xsd:integer' in line and '"2021-02-30"^^xsd:date' in line for line in lines)
    assert any("<http://example.org/a b>" in line for line in lines)
    assert len(lines) == 4  # on load: literals, IRIs; on export: IRIs fixed, literals as strings
    if fmt == "nt":
        text = out.read_text()
        assert "<http://example.org/a%20b>" in text and '"abc" .' in text


def test_cli_viz_warns_in_lines_without_traceback(tmp_path: Path) -> None:
    source = tmp_path / "foreign.ttl"
    source.write_text(HOSTILE_TTL)
    result = CliRunner().invoke(app, ["viz", str(source), "-o", str(tmp_path / "g.html")])
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["warning", "warning"]


@pytest.mark.parametrize(
    ("target", "problem"),
    # (-o FOLDER writes FOLDER/<stem>.html: tests/test_cli_defaults.py)
    [
        ("afile/x.html", "afile is a file, not a folder"),
        ("afile/sub/x.html", "afile is a file, not a folder"),
    ],
)
def test_cli_viz_into_a_place_it_cannot_write(target: str, problem: str, tmp_path: Path) -> None:
    source = tmp_path / "g.ttl"
    source.write_text('<http://example.org/a> <http://example.org/b> "c" .\n')
    (tmp_path / "afile").write_text("")
    out = tmp_path / target
    result = CliRunner().invoke(app, ["viz", str(source), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"error: {out}: cannot write the page: ") and problem in result.stderr


def test_cli_viz_onto_a_read_only_filesystem(tmp_path: Path) -> None:
    source = tmp_path / "g.ttl"
    source.write_text('<http://example.org/a> <http://example.org/b> "c" .\n')
    result = CliRunner().invoke(app, ["viz", str(source), "-o", "/proc/kg-test.html"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
