"""``kg serve`` end to end with real processes: the command starts the Oxigraph server and the
page server, answers SPARQL over HTTP as rdflib does on the same graph, serves the explorer
(opened in headless Chromium), refuses paths outside its outputs, and on SIGINT exits 0 with
its child ended and its temporary store removed."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from kg.query.questions import resolve_query
from kg.rdf.graph import load_graph

pytestmark = [pytest.mark.server, pytest.mark.model]

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
if shutil.which("oxigraph") is None and not (Path(sys.executable).parent / "oxigraph").exists():
    pytest.skip('the oxigraph server binary is absent: pip install ".[serve]"', allow_module_level=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    from kg.build.pipeline import build

    out = tmp_path_factory.mktemp("served") / "out"
    build(corpus_dir, out, html=True)
    (out / ".cache").mkdir(exist_ok=True)
    (out / ".cache" / "secret.json").write_text("{}", "utf-8")
    return out


@dataclass
class Running:
    process: subprocess.Popen[str]
    sparql: str
    page: str
    banner: list[str]


def children(pid: int) -> list[int]:
    """Live child processes of ``pid`` (from /proc)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        ppid = re.search(r"^PPid:\s*(\d+)", text, re.M)
        state = re.search(r"^State:\s*(\S)", text, re.M)
        if ppid and int(ppid.group(1)) == pid and not (state and state.group(1) == "Z"):
            found.append(int(status.parent.name))
    return found


def kg_serve(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=env,
    )


def start(*args: str, env: dict[str, str] | None = None) -> Running:
    process = kg_serve(*args, env=env)
    assert process.stdout is not None
    banner: list[str] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        banner.append(line.rstrip("\n"))
        if line.startswith("press Ctrl-C"):
            text = "\n".join(banner)
            sparql = re.search(r"SPARQL endpoint: (\S+)", text)
            page = re.search(r"(?:explorer|outputs): +(\S+)", text)
            assert sparql and page, text
            return Running(process, sparql.group(1), page.group(1), banner)
    process.kill()
    pytest.fail(f"kg serve did not start: {banner}")


@pytest.fixture(scope="module")
def running(built: Path) -> Iterator[Running]:
    env = dict(os.environ, TMPDIR=str(built.parent))  # the temporary store lands where we can look
    server = start(str(built), "--port", "0", "--page-port", "0", env=env)
    try:
        yield server
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=30)


def select(endpoint: str, sparql: str) -> list[tuple[str | None, ...]]:
    body = urllib.parse.urlencode({"query": sparql}).encode()
    request = urllib.request.Request(
        endpoint, data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded",
                 "Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        result = json.load(response)
    columns = result["head"]["vars"]
    return [tuple(row[c]["value"] if c in row else None for c in columns)
            for row in result["results"]["bindings"]]


def local(built: Path, sparql: str) -> list[tuple[str | None, ...]]:
    def value(cell: Any) -> str | None:
        if cell is None:
            return None
        python = getattr(cell, "value", None)
        return str(python) if python is not None and not isinstance(python, str) else str(cell)

    return [tuple(value(c) for c in row) for row in load_graph(built / "graph.ttl").query(sparql)]


def test_addresses_are_printed_on_loopback(running: Running) -> None:
    assert running.sparql.startswith("http://127.0.0.1:") and running.sparql.endswith("/query")
    assert running.page.startswith("http://127.0.0.1:")
    assert "query UI: http://127.0.0.1:" in running.banner[0]


def test_select_over_http_gives_the_seed_graphs_rows(running: Running, built: Path) -> None:
    count = select(running.sparql, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(count[0][0] or 0) == len(load_graph(built / "graph.ttl")) > 0
    sparql = resolve_query("takedowns-by-state", {})
    rows = select(running.sparql, sparql)
    assert rows and any(row[0] == "Russia" for row in rows)

    def numeric(rows: list[tuple[str | None, ...]]) -> list[tuple[str | None, ...]]:
        # Oxigraph writes its canonical lexical forms (1.0E0, 0.9): compare numbers as numbers
        def norm(cell: str | None) -> str | None:
            try:
                return repr(float(cell)) if cell is not None else None
            except ValueError:
                return cell

        return [tuple(norm(c) for c in row) for row in rows]

    assert numeric(rows) == numeric(local(built, sparql))
    with urllib.request.urlopen(running.sparql.removesuffix("query"), timeout=30) as ui:
        assert ui.status == 200 and b"<html" in ui.read().lower()  # Oxigraph's query page


def test_page_is_served_and_opens_in_chromium(running: Running, built: Path) -> None:
    with urllib.request.urlopen(running.page, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/html")
        assert response.read() == (built / "graph.html").read_bytes()
    with urllib.request.urlopen(running.page + "events.jsonl", timeout=30) as response:
        assert response.read() == (built / "events.jsonl").read_bytes()
    if not CHROMIUM.exists():
        pytest.skip("needs the Debian chromium at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            outside: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            page.on("request", lambda req: outside.append(req.url)
                    if not req.url.startswith((running.page, "data:", "blob:", "about:")) else None)
            answer = page.goto(running.page, wait_until="load")
            assert answer is not None and answer.status == 200
            page.wait_for_selector("canvas", timeout=30000)
            assert page.evaluate("document.querySelectorAll('canvas').length") >= 1
            assert errors == [] and outside == []
        finally:
            browser.close()


@pytest.mark.parametrize(
    "path",
    ["/../graph.ttl", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fout%2fgraph.ttl", "/.cache/secret.json",
     "/.cache", "/%2Fetc%2Fpasswd", "/nope.html", "/graph.ttl/", "/..\\graph.ttl"],
)
def test_nothing_outside_the_outputs(running: Running, path: str) -> None:
    """Raw request lines (no client normalisation): every one is 404, never a file."""
    parsed = urllib.parse.urlsplit(running.page)
    with socket.create_connection((parsed.hostname, parsed.port), timeout=10) as sock:
        sock.sendall(f"GET {path} HTTP/1.0\r\nHost: x\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 404") or answer.startswith(b"HTTP/1.1 404"), answer[:80]
    assert b"root:" not in answer


def test_taken_port_is_one_line(running: Running, built: Path) -> None:
    taken = urllib.parse.urlsplit(running.sparql).port
    assert taken is not None
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "serve", str(built), "--port", str(taken), "--page-port", "0"],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"error: SPARQL port {taken} on 127.0.0.1 is taken (choose another, or 0 for any free port)"
    )
    missing = subprocess.run(
        [sys.executable, "-m", "kg.cli", "serve", str(built / "nothing-here")],
        capture_output=True, text=True, cwd=ROOT, timeout=120, check=False,
    )
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    assert "nothing-here/graph.ttl: no such graph" in missing.stderr


def test_without_a_page_it_says_how_to_make_one(built: Path, tmp_path: Path) -> None:
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(built / "graph.ttl", bare / "graph.ttl")
    server = start(str(bare), "-p", "0", "--page-port", "0")
    try:
        assert f"(no graph.html: kg viz {bare / 'graph.ttl'})" in server.banner[1]
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(server.page, timeout=10)
        assert missing.value.code == 404
        with urllib.request.urlopen(server.page + "graph.ttl", timeout=10) as response:
            assert response.read() == (bare / "graph.ttl").read_bytes()
    finally:
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=60) == 0


# --------------------------------------------------------------------------------------
# Every door locked (issue 29 items 1, 2; issue 28 item 4): the endpoint is read-only and
# refuses SERVICE, its query page stays on this machine, kill -9 leaves no child, a restart
# right after Ctrl-C gets its port back.


def _status(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def _count(endpoint: str) -> int:
    return int(select(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0][0] or 0)


def test_default_endpoint_accepts_no_write(running: Running) -> None:
    before = _count(running.sparql)
    base = running.sparql.removesuffix("/query")
    foreign = {"Origin": "http://evil.example"}
    update = urllib.parse.urlencode({"update": "DELETE WHERE { ?s ?p ?o }"}).encode()
    tries = [
        urllib.request.Request(base + "/update", data=update, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", **foreign}),
        urllib.request.Request(base + "/update", data=b"DELETE WHERE { ?s ?p ?o }", method="POST",
                               headers={"Content-Type": "application/sparql-update"}),
        urllib.request.Request(base + "/store?default", data=b"<urn:a> <urn:b> <urn:c> .", method="PUT",
                               headers={"Content-Type": "application/n-triples", **foreign}),
        urllib.request.Request(base + "/store?default", data=b"<urn:a> <urn:b> <urn:c> .", method="POST",
                               headers={"Content-Type": "application/n-triples"}),
        urllib.request.Request(base + "/store?default", method="DELETE"),
    ]
    for request in tries:
        assert _status(request) in (403, 405), request.get_method() + " " + request.full_url
    assert _count(running.sparql) == before > 0


def test_service_through_the_endpoint_is_refused(running: Running) -> None:
    import http.server
    import threading

    hits: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            hits.append(self.path)
            self.send_error(500)

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/sparql"
    try:
        for sparql in (f"SELECT * WHERE {{ ?s ?p ?z .SERVICE <{url}> {{ ?a ?b ?c }} }}",
                       f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?a ?b ?c }} }}"):
            encoded = urllib.parse.urlencode({"query": sparql}).encode()
            form = urllib.request.Request(running.sparql, data=encoded,
                                          headers={"Content-Type": "application/x-www-form-urlencoded"})
            direct = urllib.request.Request(running.sparql, data=sparql.encode(),
                                            headers={"Content-Type": "application/sparql-query"})
            get = urllib.request.Request(running.sparql + "?" + urllib.parse.urlencode({"query": sparql}))
            for request in (form, direct, get):
                assert _status(request) == 403
        assert hits == []
    finally:
        server.shutdown()
        server.server_close()


def test_writable_endpoint_takes_updates_but_not_from_another_site(built: Path, tmp_path: Path) -> None:
    server = start(str(built), "-p", "0", "--page-port", "0", "--writable")
    try:
        base = server.sparql.removesuffix("/query")
        insert = b"INSERT DATA { <urn:kg:a> <urn:kg:b> <urn:kg:c> }"
        before = _count(server.sparql)
        foreign = urllib.request.Request(base + "/update", data=insert, method="POST", headers={
            "Content-Type": "application/sparql-update", "Origin": "http://evil.example"})
        assert _status(foreign) == 403 and _count(server.sparql) == before
        own = urllib.request.Request(base + "/update", data=insert, method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
        assert _status(own) == 204 and _count(server.sparql) == before + 1
    finally:
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=60) == 0


@pytest.mark.parametrize("value", ["99999", "abc", "-1"])
def test_bad_port_is_one_line(built: Path, value: str) -> None:
    done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(built), "--port", value],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "--port" in done.stderr and "Traceback" not in done.stderr
    assert "\u256d" not in done.stderr  # no boxed usage error


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_kill_9_leaves_no_oxigraph_child(built: Path) -> None:
    server = start(str(built), "-p", "0", "--page-port", "0")
    kids = children(server.process.pid)
    assert kids
    server.process.kill()
    server.process.wait(timeout=30)
    deadline = time.monotonic() + 10
    alive = kids
    while alive and time.monotonic() < deadline:
        alive = [k for k in kids if Path(f"/proc/{k}").exists()
                 and "State:\tZ" not in Path(f"/proc/{k}/status").read_text()]
        time.sleep(0.1)
    assert alive == []


def test_restart_right_after_ctrl_c_gets_the_same_ports(built: Path) -> None:
    port, page_port = _free_port(), _free_port()
    for _ in range(3):
        server = start(str(built), "-p", str(port), "--page-port", str(page_port))
        assert _count(server.sparql) > 0  # a connection the server closes: TIME_WAIT on its side
        with urllib.request.urlopen(server.page, timeout=10) as response:
            response.read()
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=60) == 0


def test_query_page_makes_no_request_off_the_machine(running: Running) -> None:
    if not CHROMIUM.exists():
        pytest.skip("needs the Debian chromium at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")
    ui = running.sparql.removesuffix("query")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            outside: list[str] = []
            failed: list[str] = []
            errors: list[str] = []

            def route(r: Any) -> None:
                if r.request.url.startswith(ui):
                    r.continue_()
                else:
                    outside.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("requestfailed", lambda req: failed.append(req.url))
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
            answer = page.goto(ui, wait_until="load")
            assert answer is not None and answer.status == 200
            page.fill("textarea", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
            page.click("button")
            page.wait_for_selector("table td", timeout=30000)
            assert int(page.inner_text("table td")) > 0
            page.wait_for_timeout(500)
            assert outside == [] and failed == [] and errors == []
        finally:
            browser.close()


def test_missing_server_binary_says_how_to_install_from_a_checkout(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sysconfig

    from kg.errors import DependencyError
    from kg.stores import serve as serve_module

    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(sysconfig, "get_path", lambda name, *a, **k: str(tmp_path))
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(DependencyError) as missing:
        serve_module.oxigraph_binary()
    assert 'pip install -e ".[serve]"' in str(missing.value)
    assert "cib-kg[serve]" not in str(missing.value)


def test_sigint_stops_cleanly(running: Running, built: Path) -> None:
    """Last in the module: Ctrl-C ends the command with 0, its oxigraph child and its store."""
    pid = running.process.pid
    kids = children(pid)
    assert kids, "kg serve should run oxigraph as a child process"
    stores = list(built.parent.glob("kg-serve-*"))
    assert len(stores) == 1 and (stores[0] / "db").is_dir()
    running.process.send_signal(signal.SIGINT)
    rest, _ = running.process.communicate(timeout=60)
    assert running.process.returncode == 0, rest
    assert rest.strip().splitlines()[-1] == "stopped" and "Traceback" not in rest
    for kid in kids:
        with pytest.raises(ProcessLookupError):
            os.kill(kid, 0)
    assert not list(built.parent.glob("kg-serve-*"))
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(running.sparql + "?query=ASK%7B%7D", timeout=5)
