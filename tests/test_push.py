"""kg push: the graph loaded into a real SPARQL server answers as rdflib does.

A throwaway Oxigraph server (the ``oxigraph`` PyPI package ships the binary) listens on
loopback; the seed graph is pushed with the Graph Store Protocol, then the shipped questions
and a few more run on the server's ``/query`` endpoint and in-process, and must give the same
rows. Refusals (bad path, malformed body) and an unreachable server must be one-line
``RemoteError``s naming the status or the address.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import RemoteError
from kg.graph import load_graph
from kg.push import push
from kg.query import named_queries, resolve_query

pytestmark = pytest.mark.server

NAMED_GRAPH = "https://w3id.org/cib-kg/graph/seed"
PREFIXES = """
PREFIX cib: <https://w3id.org/cib-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
#: Questions beyond the shipped ones, each a different shape (grouping, optional, having).
EXTRA = {
    "takedowns per attributed state": PREFIXES + """
SELECT ?state (COUNT(DISTINCT ?takedown) AS ?takedowns) (SUM(?accounts) AS ?accountsTotal) WHERE {
  ?takedown a cib:Takedown ; cib:network/cib:attributedTo/rdfs:label ?state .
  OPTIONAL { ?takedown cib:accounts ?a }
  BIND(COALESCE(?a, 0) AS ?accounts)
} GROUP BY ?state ORDER BY DESC(?takedowns) ?state""",
    "denials with speaker": PREFIXES + """
SELECT ?denial ?state ?speaker ?quote ?date WHERE {
  ?denial a cib:Denial ; cib:deniedBy/rdfs:label ?state .
  OPTIONAL { ?denial cib:speaker/rdfs:label ?speaker }
  OPTIONAL { ?denial cib:quote ?quote }
  OPTIONAL { ?denial cib:date ?date }
} ORDER BY ?denial""",
    "takedowns with two or more sources": PREFIXES + """
SELECT ?takedown (COUNT(DISTINCT ?article) AS ?sources) WHERE {
  ?takedown a cib:Takedown ; cib:reportedIn ?article .
} GROUP BY ?takedown HAVING (COUNT(DISTINCT ?article) >= 2) ORDER BY ?takedown""",
    "denied claims": PREFIXES + """
SELECT ?state ?platform (COUNT(?claim) AS ?claims) WHERE {
  ?s cib:denied ?claim . ?s rdfs:label ?state . ?claim cib:claimant/rdfs:label ?platform .
} GROUP BY ?state ?platform ORDER BY ?state ?platform""",
}


def _oxigraph() -> str | None:
    found = shutil.which("oxigraph")
    if found:
        return found
    candidate = Path(sysconfig.get_path("scripts")) / "oxigraph"
    return str(candidate) if candidate.exists() else None


OXIGRAPH = _oxigraph()
if OXIGRAPH is None:
    pytest.skip(
        "the oxigraph server binary is absent: pip install oxigraph (it ships `oxigraph serve`)",
        allow_module_level=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str, accept: str) -> bytes:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return bytes(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a fresh Oxigraph server on loopback, stopped after the module."""
    assert OXIGRAPH is not None
    location = tmp_path_factory.mktemp("oxigraph")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (location.parent / f"oxigraph-{port}.log").open("w+b")
    process = subprocess.Popen(
        [OXIGRAPH, "serve", "--location", str(location / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"oxigraph exited with {process.returncode}: {log.read().decode()[-500:]}")
            try:
                _get(f"{base}/query?query=" + urllib.parse.quote("ASK {}"), "application/sparql-results+json")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph did not answer within 30 s")
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="module")
def seed(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    from kg.pipeline import build

    out = tmp_path_factory.mktemp("seed")
    build(corpus_dir, out, html=False)
    return out / "graph.ttl"


def canon(term: Node | None) -> object:
    """A term compared by value: Oxigraph stores the canonical form of a typed literal
    (``"0.900"^^xsd:decimal`` comes back as ``0.9``), which is the same RDF value."""
    if isinstance(term, Literal) and term.value is not None and term.language is None:
        return ("literal", str(term.datatype), term.value)
    return term


def canon_rows(rows: list[tuple[Node | None, ...]]) -> list[tuple[object, ...]]:
    return [tuple(canon(cell) for cell in row) for row in rows]


def canon_triples(graph: Graph) -> set[tuple[object, ...]]:
    return {tuple(canon(term) for term in triple) for triple in graph}


def _term(binding: dict[str, str]) -> Node:
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    datatype = binding.get("datatype")
    return Literal(value, lang=binding.get("xml:lang"), datatype=URIRef(datatype) if datatype else None)


def local_rows(graph: Graph, sparql: str) -> list[tuple[Node | None, ...]]:
    result = graph.query(sparql)
    names = list(result.vars or ())
    return [tuple(row[i] for i in range(len(names))) for row in result]  # type: ignore[index]


def remote_rows(base: str, sparql: str) -> list[tuple[Node | None, ...]]:
    """SELECT rows from the server's ``/query`` endpoint, as rdflib terms."""
    body = urllib.parse.urlencode({"query": sparql}).encode()
    request = urllib.request.Request(
        f"{base}/query",
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        result = json.load(response)
    columns = result["head"]["vars"]
    return [
        tuple(_term(row[c]) if c in row else None for c in columns) for row in result["results"]["bindings"]
    ]


def store_graph(base: str, graph_iri: str | None = None) -> Graph:
    """The triples the server holds in one graph (GSP GET)."""
    query = "default" if graph_iri is None else "graph=" + urllib.parse.quote(graph_iri, safe="")
    graph = Graph()
    graph.parse(data=_get(f"{base}/store?{query}", "application/n-triples").decode(), format="nt")
    return graph


def questions() -> dict[str, str]:
    """Every shipped question (with a parameter where it needs one) and the extra ones."""
    asked = {
        name: resolve_query(name, {p: "Russia" for p, _ in q.params}) for name, q in named_queries().items()
    }
    return {**asked, **EXTRA}


@pytest.mark.model
def test_pushed_graph_answers_as_rdflib_does(server: str, seed: Path) -> None:
    result = push(seed, f"{server}/store")
    assert result.status in (200, 201, 204) and result.url == f"{server}/store?default"
    local = load_graph(seed)
    assert canon_triples(store_graph(server)) == canon_triples(local)
    for name, sparql in questions().items():
        expected = canon_rows(local_rows(local, sparql))
        got = canon_rows(remote_rows(server, sparql))
        assert expected, f"{name}: no rows on the seed graph, so the comparison proves nothing"
        assert sorted(got, key=repr) == sorted(expected, key=repr), name
        if "ORDER BY" in sparql.upper() and "GROUP_CONCAT" not in sparql.upper():
            assert got == expected, f"{name}: same rows, different order"


@pytest.mark.model
def test_push_replaces_so_twice_is_once(server: str, seed: Path) -> None:
    push(seed, f"{server}/store")
    push(seed, f"{server}/store")
    assert len(store_graph(server)) == len(load_graph(seed))


@pytest.mark.model
def test_push_to_named_graph(server: str, seed: Path) -> None:
    result = push(seed, f"{server}/store", graph_iri=NAMED_GRAPH)
    assert result.url == f"{server}/store?graph=" + urllib.parse.quote(NAMED_GRAPH, safe="")
    assert canon_triples(store_graph(server, NAMED_GRAPH)) == canon_triples(load_graph(seed))
    rows = remote_rows(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{NAMED_GRAPH}> {{ ?s ?p ?o }} }}")
    assert canon_rows(rows) == [(canon(Literal(len(load_graph(seed)))),)]


@pytest.mark.model
def test_push_folder_of_ntriples_parts(server: str, seed: Path, tmp_path: Path) -> None:
    lines = sorted(line for line in load_graph(seed).serialize(format="nt").splitlines() if line.strip())
    half = len(lines) // 2
    parts = tmp_path / "parts"
    parts.mkdir()
    (parts / "part-000.nt").write_text("\n".join(lines[:half]) + "\n", "utf-8")
    (parts / "part-001.nt").write_text("\n".join(lines[half:]) + "\n", "utf-8")
    (parts / "README.txt").write_text("not a part", "utf-8")
    graph_iri = NAMED_GRAPH + "/parts"
    result = push(parts, f"{server}/store", graph_iri=graph_iri)
    assert [p.name for p in result.files] == ["part-000.nt", "part-001.nt"]
    assert canon_triples(store_graph(server, graph_iri)) == canon_triples(load_graph(seed))


def test_wrong_path_is_refused_with_status(server: str, tmp_path: Path) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_text("<http://example.org/s> <http://example.org/p> 1 .\n", "utf-8")
    with pytest.raises(RemoteError, match=r"HTTP 404") as caught:
        push(graph, f"{server}/no-such-service")
    assert "\n" not in str(caught.value) and "/no-such-service" in str(caught.value)


def test_malformed_body_is_refused_and_store_unchanged(server: str, tmp_path: Path) -> None:
    graph_iri = NAMED_GRAPH + "/malformed"
    good = tmp_path / "good.ttl"
    good.write_text("<http://example.org/s> <http://example.org/p> 1 .\n", "utf-8")
    push(good, f"{server}/store", graph_iri=graph_iri)
    bad = tmp_path / "bad.ttl"
    bad.write_text("<http://example.org/s> <http://example.org/p> \"unterminated .\n", "utf-8")
    with pytest.raises(RemoteError, match=r"HTTP 400 Bad Request: \S") as caught:
        push(bad, f"{server}/store", graph_iri=graph_iri)
    assert "\n" not in str(caught.value)
    assert len(store_graph(server, graph_iri)) == 1


def test_unreachable_server_names_the_address(tmp_path: Path) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_text("<http://example.org/s> <http://example.org/p> 1 .\n", "utf-8")
    port = free_port()  # bound and released: nothing listens there
    with pytest.raises(RemoteError, match=rf"cannot reach 127\.0\.0\.1:{port}\b"):
        push(graph, f"http://127.0.0.1:{port}/store", timeout=5)


def test_credentials_never_appear_in_messages(tmp_path: Path) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_text("<http://example.org/s> <http://example.org/p> 1 .\n", "utf-8")
    port = free_port()
    with pytest.raises(RemoteError) as caught:
        push(graph, f"http://admin:s3cret@127.0.0.1:{port}/store", timeout=5)
    assert "s3cret" not in str(caught.value) and "admin" not in str(caught.value)


@pytest.mark.model
def test_cli_push(server: str, seed: Path) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["push", str(seed), "--endpoint", f"{server}/store", "--graph", NAMED_GRAPH])
    assert done.exit_code == 0, done.output
    assert f"to {server}/store?graph=" in done.output
    port = free_port()
    failed = runner.invoke(app, ["push", str(seed), "--endpoint", f"http://127.0.0.1:{port}/store"])
    assert failed.exit_code == 2
    assert f"error: cannot reach 127.0.0.1:{port}" in failed.output
    assert "Traceback" not in failed.output


def test_cli_push_is_a_console_command() -> None:
    """``python -m kg.cli push --help`` lists the GSP options (the command is registered)."""
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "push", "--help"], capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parent.parent, timeout=60,
    )
    assert done.returncode == 0 and "--endpoint" in done.stdout and "--graph" in done.stdout
