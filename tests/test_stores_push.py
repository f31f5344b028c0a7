"""kg push: the graph loaded into a real SPARQL server answers as rdflib does.

A throwaway Oxigraph server (the ``oxigraph`` PyPI package ships the binary) listens on
loopback; the seed graph is pushed with the Graph Store Protocol, then the shipped questions
and a few more run on the server's ``/query`` endpoint and in-process, and must give the same
rows. Refusals (bad path, malformed body) and an unreachable server must be one-line
``RemoteError``s naming the status or the address.
"""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import InputError, RemoteError
from kg.query.questions import named_queries, resolve_query
from kg.rdf.graph import load_graph
from kg.stores.push import Login, find_login, push

pytestmark = pytest.mark.server
ROOT_DIR = Path(__file__).resolve().parent.parent

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
    from kg.build.pipeline import build

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


# Issue 29 item 6 (credentials never echoed) and item 7 (one line, never a traceback).
@pytest.mark.parametrize(
    "endpoint",
    ["ftp://admin:s3cretPW@127.0.0.1/store", "http://admin:s3cretPW@/store",
     "http://admin:s3cretPW@127.0.0.1:99999/store", "http://admin:s3cretPW@127.0.0.1:abc/store",
     "http://admin:s3cretPW@[::1/store", "http://admin:s3cretPW@127.0.0.1:1/store"],
)
def test_bad_endpoints_are_one_line_without_the_password(
    tmp_path: Path, endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    graph = tmp_path / "g.ttl"
    graph.write_text("<http://example.org/s> <http://example.org/p> 1 .\n", "utf-8")
    command = [sys.executable, "-m", "kg.cli", "push", str(graph), "-e", endpoint, "--timeout", "5"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60,
                          env={"HOME": str(tmp_path), "PATH": "/usr/bin"}, cwd=ROOT_DIR)
    assert done.returncode == 2, done.stderr
    lines = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert "s3cretPW" not in done.stderr + done.stdout


def test_a_malformed_netrc_never_echoes_its_tokens(tmp_path: Path) -> None:
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text("machine store.example login ann s3cretPW\n", "utf-8")  # no `password`
    netrc_file.chmod(0o600)
    with pytest.raises(InputError) as caught:
        find_login("http://store.example/x", None, {}, netrc_file)
    assert "s3cretPW" not in str(caught.value) and str(netrc_file) in str(caught.value)


def test_unknown_auth_scheme_is_one_line(tmp_path: Path) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_text("<http://example.org/s> <http://example.org/p> 1 .\n", "utf-8")
    done = CliRunner().invoke(app, ["push", str(graph), "-e", "http://127.0.0.1:1/store", "--auth", "ntlm"])
    assert done.exit_code == 2
    assert done.stderr.strip() == "error: --auth must be one of auto, basic, digest, not 'ntlm'"


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


# ------------------------------------------------------------------ stores that need a login
#
# Virtuoso (Debian's virtuoso-opensource) guards its Graph Store endpoint
# /sparql-graph-crud-auth with HTTP Digest and the SPARQL_UPDATE role: a fresh database in a
# temporary folder, its own virtuoso.ini on free loopback ports, a user created with isql.
# Basic is checked against the Oxigraph server behind a loopback proxy that demands it.

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
PUSH_USER, PUSH_PASSWORD = "kgpush", "pa55-Wörd:x"
SPARQL_JSON = "application/sparql-results+json"

VIRTUOSO_INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 5
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {db}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {db}
MaxClientConnections = 5
ServerThreads = 5
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a fresh Virtuoso on loopback with user ``kgpush`` granted SPARQL_UPDATE."""
    if VIRTUOSO is None or ISQL is None:
        pytest.skip("virtuoso-t or isql-vt is absent: apt-get install virtuoso-opensource")
    db = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(db=db, http_port=http_port, sql_port=sql_port), "utf-8")
    log = (db / "stdout.log").open("w+b")
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)], cwd=db, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"virtuoso exited with {process.returncode}: {log.read().decode()[-800:]}")
            try:
                _get(f"{base}/sparql?query=" + urllib.parse.quote("ASK {}"), SPARQL_JSON)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("virtuoso did not answer within 120 s")
                time.sleep(0.2)
        setup = (
            f"DB.DBA.USER_CREATE('{PUSH_USER}', '{PUSH_PASSWORD}'); "
            f'GRANT SPARQL_UPDATE TO "{PUSH_USER}"; '
            f"DB.DBA.RDF_DEFAULT_USER_PERMS_SET('nobody', 1);"
        )
        done = subprocess.run(
            [ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={setup}"],
            capture_output=True, text=True, timeout=60, check=False,
        )
        assert done.returncode == 0 and "Error" not in done.stdout + done.stderr, done.stdout + done.stderr
        yield base
    finally:
        _stop(process)
        log.close()


def virtuoso_rows(base: str, sparql: str, graph_iri: str) -> list[tuple[Node | None, ...]]:
    """SELECT rows from Virtuoso's ``/sparql``, with ``graph_iri`` as the default graph."""
    body = urllib.parse.urlencode({"query": sparql, "default-graph-uri": graph_iri}).encode()
    request = urllib.request.Request(
        f"{base}/sparql", data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": SPARQL_JSON},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        result = json.load(response)
    columns = result["head"]["vars"]
    return [
        tuple(_term(row[c]) if c in row else None for c in columns) for row in result["results"]["bindings"]
    ]


def loose(rows: list[tuple[Node | None, ...]]) -> list[tuple[str | None, ...]]:
    """Rows by lexical value: Virtuoso types aggregates and dates its own way."""
    def value(cell: Node | None) -> str | None:
        if isinstance(cell, Literal) and cell.value is not None and not isinstance(cell.value, str):
            return str(cell.value)
        return None if cell is None else str(cell)

    return sorted((tuple(value(c) for c in row) for row in rows), key=repr)


def virtuoso_count(base: str, graph_iri: str) -> int:
    rows = virtuoso_rows(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", graph_iri)
    return int(rows[0][0])  # type: ignore[arg-type]


@pytest.mark.model
def test_cli_push_digest_login_to_virtuoso(
    virtuoso: str, seed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint = f"{virtuoso}/sparql-graph-crud-auth"
    graph_iri = NAMED_GRAPH + "/virtuoso"
    monkeypatch.setenv("KG_PUSH_PASSWORD", PUSH_PASSWORD)
    monkeypatch.setenv("HOME", str(seed.parent))  # no ~/.netrc in the way
    runner = CliRunner()
    done = runner.invoke(app, ["push", str(seed), "-e", endpoint, "-g", graph_iri, "--user", PUSH_USER])
    assert done.exit_code == 0, done.output
    assert PUSH_PASSWORD not in done.output
    local = load_graph(seed)
    assert virtuoso_count(virtuoso, graph_iri) == len(local)
    for name in ("takedowns-by-state", "denials", "multi-source-takedowns"):
        sparql = resolve_query(name, {})
        expected = loose(local_rows(local, sparql))
        assert expected, name
        assert loose(virtuoso_rows(virtuoso, sparql, graph_iri)) == expected, name
    # pushing again replaces: same count, and --auth digest (explicit) works as auto did
    again = runner.invoke(
        app, ["push", str(seed), "-e", endpoint, "-g", graph_iri, "-u", PUSH_USER, "--auth", "digest"]
    )
    assert again.exit_code == 0, again.output
    assert virtuoso_count(virtuoso, graph_iri) == len(local)


@pytest.mark.model
def test_digest_login_for_every_part(virtuoso: str, seed: Path, tmp_path: Path) -> None:
    """Each part is a request of its own: the Digest answer is counted (nc) per request."""
    lines = sorted(line for line in load_graph(seed).serialize(format="nt").splitlines() if line.strip())
    parts = tmp_path / "parts"
    parts.mkdir()
    for i in range(3):
        (parts / f"part-{i:03d}.nt").write_text("\n".join(lines[i::3]) + "\n", "utf-8")
    graph_iri = NAMED_GRAPH + "/virtuoso-parts"
    result = push(
        parts, f"{virtuoso}/sparql-graph-crud-auth", graph_iri=graph_iri,
        login=Login(PUSH_USER, PUSH_PASSWORD),
    )
    assert len(result.files) == 3
    assert virtuoso_count(virtuoso, graph_iri) == len(lines)


def test_wrong_password_is_one_line(virtuoso: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_text("<http://example.org/s> <http://example.org/p> 1 .\n", "utf-8")
    endpoint = f"{virtuoso}/sparql-graph-crud-auth"
    monkeypatch.setenv("KG_PUSH_PASSWORD", "not-the-password")
    monkeypatch.setenv("HOME", str(tmp_path))
    result = CliRunner().invoke(app, ["push", str(graph), "-e", endpoint, "-g", NAMED_GRAPH, "-u", PUSH_USER])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"error: {endpoint}?graph=") and "HTTP 401" in lines[0], lines[0]
    assert "not-the-password" not in result.output
    # no login at all: the same endpoint says so
    monkeypatch.delenv("KG_PUSH_PASSWORD")
    anonymous = CliRunner().invoke(app, ["push", str(graph), "-e", endpoint, "-g", NAMED_GRAPH])
    assert anonymous.exit_code == 2 and "HTTP 401" in anonymous.output and "give --user" in anonymous.output
    # Virtuoso offers Digest only: Basic up front is refused too
    with pytest.raises(RemoteError, match=r"login refused: HTTP 401 .*\(Basic login\)"):
        push(graph, endpoint, graph_iri=NAMED_GRAPH, login=Login(PUSH_USER, PUSH_PASSWORD), auth="basic")


def test_netrc_login_matched_by_host(virtuoso: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_text("<http://example.org/s> <http://example.org/p> 1 .\n", "utf-8")
    home = tmp_path / "home"
    home.mkdir()
    netrc_file = home / ".netrc"
    netrc_file.write_text(
        f"machine other.example login {PUSH_USER} password wrong\n"
        f"machine 127.0.0.1 login {PUSH_USER} password {PUSH_PASSWORD}\n", "utf-8"
    )
    netrc_file.chmod(0o600)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("KG_PUSH_PASSWORD", raising=False)
    graph_iri = NAMED_GRAPH + "/netrc"
    endpoint = f"{virtuoso}/sparql-graph-crud-auth"
    done = CliRunner().invoke(app, ["push", str(graph), "-e", endpoint, "-g", graph_iri])
    assert done.exit_code == 0, done.output
    assert virtuoso_count(virtuoso, graph_iri) == 1
    assert find_login(f"{virtuoso}/x", "someone-else", environ={}, netrc_file=netrc_file) is None


def test_find_login_order(tmp_path: Path) -> None:
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text("machine store.example login ann password from-netrc\n", "utf-8")
    netrc_file.chmod(0o600)
    env = {"KG_PUSH_PASSWORD": "from-env"}
    url = "http://store.example:8890/sparql-graph-crud-auth"
    assert find_login("http://bob:in%20url@store.example/x", "ann", env, netrc_file) == Login("bob", "in url")
    assert find_login(url, "ann", env, netrc_file) == Login("ann", "from-env")
    assert find_login(url, None, {}, netrc_file) == Login("ann", "from-netrc")
    assert find_login(url, "ann", {}, netrc_file) == Login("ann", "from-netrc")
    assert find_login(url, "bob", {}, netrc_file) is None  # the caller prompts
    assert find_login("http://elsewhere.example/x", None, {}, netrc_file) is None
    assert "from-env" not in repr(Login("ann", "from-env"))
    netrc_file.write_text("machine\n", "utf-8")
    with pytest.raises(InputError, match="netrc: cannot read"):
        find_login(url, None, {}, netrc_file)


@pytest.fixture(params=["all", "writes"])
def basic_proxy(server: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A loopback proxy to the Oxigraph server that demands HTTP Basic (as Fuseki or GraphDB do)
    for every request, or only for writes (anonymous reads, so the ``HEAD`` probe gets in)."""
    guard_reads = request.param == "all"
    import http.server
    import threading

    expected = "Basic " + base64.b64encode(f"{PUSH_USER}:{PUSH_PASSWORD}".encode()).decode()

    class Proxy(http.server.BaseHTTPRequestHandler):
        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            guarded = guard_reads or self.command in ("PUT", "POST")
            if guarded and self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="kg test store"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
            request = urllib.request.Request(
                server + self.path, data=body, headers=headers, method=self.command
            )
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status, data = response.status, response.read()
            except urllib.error.HTTPError as exc:
                status, data = exc.code, exc.read()
            self.send_response(status)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        do_GET = do_PUT = do_POST = do_HEAD = _forward

        def log_message(self, *args: object) -> None:
            pass

    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{proxy.server_address[1]}"
    finally:
        proxy.shutdown()
        proxy.server_close()


@pytest.mark.parametrize("auth", ["auto", "basic"])
def test_basic_login(basic_proxy: str, server: str, tmp_path: Path, auth: str) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_text("<http://example.org/s> <http://example.org/p> 1 .\n", "utf-8")
    graph_iri = NAMED_GRAPH + "/basic-" + auth
    login = Login(PUSH_USER, PUSH_PASSWORD)
    push(graph, f"{basic_proxy}/store", graph_iri=graph_iri, login=login, auth=auth)
    assert len(store_graph(server, graph_iri)) == 1
    with pytest.raises(RemoteError, match=r"login refused: HTTP 401 Unauthorized \(Basic login\)") as caught:
        push(graph, f"{basic_proxy}/store", graph_iri=graph_iri, login=Login(PUSH_USER, "wrong"), auth=auth)
    assert "wrong" not in str(caught.value)
    with pytest.raises(RemoteError, match="does not offer Digest login .*basic"):
        push(graph, f"{basic_proxy}/store", graph_iri=graph_iri, login=login, auth="digest")
    with pytest.raises(RemoteError, match=r"login refused: HTTP 401 Unauthorized \(no login"):
        push(graph, f"{basic_proxy}/store", graph_iri=graph_iri)


def test_password_prompt_is_not_echoed(virtuoso: str, tmp_path: Path) -> None:
    """``--user`` with no password configured asks on the terminal (a real pty), echo off."""
    import os
    import pty
    import select

    graph = tmp_path / "g.ttl"
    graph.write_text("<http://example.org/s> <http://example.org/p> 1 .\n", "utf-8")
    graph_iri = NAMED_GRAPH + "/prompt"
    env = {k: v for k, v in os.environ.items() if k != "KG_PUSH_PASSWORD"} | {"HOME": str(tmp_path)}
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "push", str(graph), "-e", f"{virtuoso}/sparql-graph-crud-auth",
         "-g", graph_iri, "-u", PUSH_USER],
        stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    os.close(slave)
    seen, answered = b"", False
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
        if not answered and b"password for kgpush: " in seen:
            os.write(master, PUSH_PASSWORD.encode() + b"\n")
            answered = True
        if process.poll() is not None and not ready:
            break
    assert process.wait(timeout=30) == 0, seen.decode(errors="replace")
    os.close(master)
    text = seen.decode("utf-8", "replace")
    assert answered and "pushed " in text
    assert PUSH_PASSWORD not in text  # the terminal never showed it
    assert virtuoso_count(virtuoso, graph_iri) == 1


def _big_graph(path: Path, triples: int = 12_000) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(triples):
            out.write(f"<http://example.org/s{i}> <http://example.org/p> \"value {i} {'x' * 40}\" .\n")
    return path


@pytest.mark.parametrize("auth", ["auto", "basic", "digest"])
def test_wrong_password_on_a_large_graph_names_the_login(
    virtuoso: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, auth: str
) -> None:
    """Issue 28 item 3: the login is checked with a small request before the body is sent."""
    graph = _big_graph(tmp_path / "big.nt")
    endpoint = f"{virtuoso}/sparql-graph-crud-auth"
    monkeypatch.setenv("KG_PUSH_PASSWORD", "not-the-password")
    monkeypatch.setenv("HOME", str(tmp_path))
    args = ["push", str(graph), "-e", endpoint, "-g", NAMED_GRAPH + "/big", "-u", PUSH_USER, "--auth", auth]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "login refused: HTTP 401" in lines[0], result.output
    anonymous = CliRunner().invoke(app, ["push", str(graph), "-e", endpoint, "-g", NAMED_GRAPH + "/big"])
    assert anonymous.exit_code == 2 and "HTTP 401" in anonymous.output and "give --user" in anonymous.output


def test_virtuoso_without_a_named_graph_says_to_add_one(virtuoso: str, tmp_path: Path) -> None:
    graph = tmp_path / "g.ttl"
    graph.write_text("<http://example.org/s> <http://example.org/p> 1 .\n", "utf-8")
    for path in ("sparql-graph-crud", "sparql-graph-crud-auth"):
        result = CliRunner().invoke(app, ["push", str(graph), "-e", f"{virtuoso}/{path}"])
        assert result.exit_code == 2
        assert result.output.count("\n") == 1 and "--graph" in result.output, result.output
        assert "<" not in result.output  # no HTML page
