"""A query stays on this machine and stops when asked: SERVICE, --timeout and Ctrl-C.

SERVICE is tried against a real HTTP server on 127.0.0.1 that records every request; the
runaway query is a real cross product over a generated graph, run by the real ``kg`` command
in a subprocess and stopped by a real SIGINT or by ``--timeout``.
"""

from __future__ import annotations

import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import QueryError
from kg.query.engine import run_query
from kg.query.guard import find_service, run_bounded

KG = [sys.executable, "-c", "from kg.cli import main; main()"]
ENGINES = ("rdflib", "oxigraph")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f }"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def _answer(self) -> None:
        type(self).hits.append(self.path)
        row = {"x": {"type": "literal", "value": "remote"}}
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [row]}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def endpoint() -> Iterator[tuple[str, list[str]]]:
    """A SPARQL endpoint on 127.0.0.1 answering one row, and the list of paths it was asked."""
    hits: list[str] = []
    handler = type("Handler", (_Recorder,), {"hits": hits})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sparql", hits
    finally:
        server.shutdown()
        server.server_close()


def _graph() -> Graph:
    g = Graph()
    g.add((URIRef("urn:a"), URIRef("urn:b"), Literal("local")))
    return g


@pytest.mark.parametrize("engine", ENGINES)
def test_service_is_refused_and_nothing_is_contacted(engine: str, endpoint: tuple[str, list[str]]) -> None:
    url, hits = endpoint
    sparql = f"SELECT ?x WHERE {{\n  SERVICE <{url}> {{ ?s ?p ?x }}\n}}"
    with pytest.raises(QueryError, match=r"^query:2:3: SERVICE .*--allow-service"):
        run_query(_graph(), sparql, engine)
    assert hits == []


@pytest.mark.parametrize("engine", ENGINES)
def test_service_reaches_the_server_when_allowed(engine: str, endpoint: tuple[str, list[str]]) -> None:
    url, hits = endpoint
    sparql = f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?s ?p ?x }} }}"
    assert run_query(_graph(), sparql, engine, allow_service=True).rows == (("remote",),)
    assert hits  # the engine really asked it: the flag is what stood in the way


@pytest.mark.parametrize("engine", ENGINES)
def test_cli_refuses_service_without_the_flag(
    engine: str, endpoint: tuple[str, list[str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, hits = endpoint
    monkeypatch.setenv("KG_QUERY_ENGINE", engine)
    graph = tmp_path / "g.ttl"
    graph.write_text('<urn:a> <urn:b> "local" .\n')
    sparql = f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?s ?p ?x }} }}"
    refused = CliRunner().invoke(app, ["query", str(graph), sparql])
    assert refused.exit_code == 2
    assert refused.stderr.count("\n") == 1 and "--allow-service" in refused.stderr
    assert hits == []
    allowed = CliRunner().invoke(app, ["query", str(graph), sparql, "--allow-service", "-f", "csv"])
    assert allowed.exit_code == 0, allowed.stderr
    assert allowed.stdout.split() == ["x", "remote"]
    assert hits


@pytest.mark.parametrize(
    ("sparql", "where"),
    [
        ("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", (1, 12)),
        ("select * {\n service silent <http://x/> { ?s ?p ?o } }", (2, 2)),
        ("SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", (1, 12)),  # escapes decode first
        ("SELECT * { ?s ?p ?o } # SERVICE <http://x/> in a comment", None),
        ('SELECT * { ?s ?p "SERVICE <http://x/>" }', None),
        ("SELECT * { ?s ?p '''a\nSERVICE''' }", None),
        ("SELECT * { ?s <http://x/SERVICE> ?o }", None),
        ("SELECT ?service { ?service ?p ?o }", None),
        ("PREFIX ex: <http://x/> SELECT * { ?s ex:SERVICE ?o }", None),
    ],
)
def test_service_keyword_is_found_only_where_it_is_one(sparql: str, where: tuple[int, int] | None) -> None:
    assert find_service(sparql) == where


# The refusal is decided on the parsed query: a SERVICE right after a dot, or after an escaped
# ``\\#`` in a prefixed name (read as a comment by a text scan), got through (issue 29, item 1).
SLIPPED = (
    "SELECT ?x WHERE {{ ?s ?p ?z .SERVICE <{url}> {{ ?a ?b ?x }} }}",
    "PREFIX ex: <urn:x:> SELECT ?x WHERE {{ ?s ex:a\\#b ?z . SERVICE <{url}> {{ ?a ?b ?x }} }}",
    "SELECT ?x WHERE {{ ?s ?p ?z.SERVICE SILENT <{url}> {{ ?a ?b ?x }} }}",
    "SELECT ?x WHERE {{ ?s ?p ?z ;SERVICE <{url}> {{ ?a ?b ?x }} }}",
)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("template", SLIPPED)
def test_service_hidden_from_a_text_scan_is_refused(
    engine: str, template: str, endpoint: tuple[str, list[str]]
) -> None:
    url, hits = endpoint
    with pytest.raises(QueryError, match=r"SERVICE .*--allow-service"):
        run_query(_graph(), template.format(url=url), engine)
    assert hits == []


def test_run_bounded_passes_errors_and_values_through() -> None:
    assert run_bounded(lambda: 42, 5) == 42
    with pytest.raises(QueryError, match="boom"):
        run_bounded(lambda: (_ for _ in ()).throw(QueryError("boom")), 5)
    with pytest.raises(QueryError, match=r"stopped after 0.2 s"):
        run_bounded(lambda: time.sleep(30), 0.2)


# --------------------------------------------------------------------------------------
# The runaway query, in the real command


@pytest.fixture(scope="module")
def big_graph(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 triples: the three-way cross product is 2.7e10 rows, hours on either engine."""
    path = tmp_path_factory.mktemp("runaway") / "g.nt"
    path.write_text("".join(f'<urn:s{i}> <urn:p> "{i}" .\n' for i in range(3000)))
    return path


def _start(graph: Path, engine: str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "KG_QUERY_ENGINE": engine}
    return subprocess.Popen(
        [*KG, "query", str(graph), RUNAWAY, *extra],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # as in a terminal, whatever the test runner's own SIGINT disposition is
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _wait_until_querying(proc: subprocess.Popen[str], limit: float = 60) -> None:
    """Wait until the query runs (a second thread appears: the worker), then a second more, so
    SIGINT lands in the query and not in start-up imports on a loaded machine."""
    tasks = Path(f"/proc/{proc.pid}/task")
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and proc.poll() is None:
        if tasks.is_dir() and len(list(tasks.iterdir())) >= 2:
            break
        time.sleep(0.1)
    time.sleep(1)
    assert proc.poll() is None, proc.communicate()


@pytest.mark.parametrize("engine", ENGINES)
def test_sigint_stops_a_runaway_query_at_once(engine: str, big_graph: Path) -> None:
    proc = _start(big_graph, engine)
    try:
        _wait_until_querying(proc)
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        _, err = proc.communicate(timeout=15)
        waited = time.monotonic() - sent
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err == "error: interrupted\n"
    assert waited < 3, f"SIGINT took {waited:.1f} s to stop the query"


@pytest.mark.parametrize("engine", ENGINES)
def test_timeout_stops_a_runaway_query(engine: str, big_graph: Path) -> None:
    proc = _start(big_graph, engine, "--timeout", "1")
    try:
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 2
    assert err == "error: query stopped after 1 s (--timeout SECONDS; 0 = no limit)\n"
