"""``kg serve``: the graph behind a local SPARQL endpoint, with the explorer page beside it.

The endpoint is the Oxigraph server (``pip install -e ".[serve]"`` in a checkout ships its
``oxigraph`` binary): ``graph.ttl`` is loaded into a store in a temporary folder and
``oxigraph serve-read-only`` answers on a private loopback port. In front of it, on the port the
user sees, a small stdlib server (:class:`EndpointHandler`) passes on what reads the graph
(``/query``, a GET of ``/store``) and nothing else:

- a query that federates (``SERVICE``, decided on the parsed query: :mod:`kg.query.guard`) is
  refused with 403, so no web page and no pasted query makes the server contact another host;
- writes (``/update``, PUT/POST/DELETE of ``/store``) are refused with 403 unless the user
  asked for a writable store (``kg serve --writable``: then Oxigraph runs read-write, and a
  write carrying another site's ``Origin`` is still refused, since any page the user opens
  can send one);
- ``/`` is a minimal query page of our own (inline script and style, no request leaves the
  machine; Oxigraph's page loads a prefix lookup from the internet).

A second stdlib server serves the build's output files (``graph.html`` at ``/``) from that one
folder: plain files directly inside it, by name only, so no path leaves the folder. Ctrl-C (or
SIGTERM) stops both, removes the store and returns normally; both listen on loopback unless
``bind`` says otherwise, with ``SO_REUSEADDR`` so a restart right after a stop gets its ports
back. The Oxigraph child is asked by the kernel to die with us (``PR_SET_PDEATHSIG``), so a
``kill -9`` of ``kg serve`` leaves no server running; the store it leaves is removed by the
next ``kg serve``.
"""

from __future__ import annotations

import ctypes
import errno
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from kg.errors import DependencyError, InputError, ServeError
from kg.stores.endpoint import EndpointHandler

#: Output files the page server hands out (by suffix), with their media types.
SERVED_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".nt": "application/n-triples; charset=utf-8",
    ".trig": "application/trig; charset=utf-8",
    ".jsonld": "application/ld+json; charset=utf-8",
    ".jsonl": "application/x-ndjson; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".graphml": "application/xml; charset=utf-8",
    ".cypher": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
#: What ``kg serve --watch`` writes beside the outputs for the open explorer to poll (kg.live).
LIVE_VERSION = "version.json"
DEFAULT_SPARQL_PORT = 7878
DEFAULT_PAGE_PORT = 8000
START_TIMEOUT = 60.0


@dataclass(frozen=True)
class Addresses:
    """Where the running servers answer."""

    sparql: str  # the SPARQL query endpoint (GET/POST ?query=)
    ui: str  # Oxigraph's query page
    page: str  # the explorer (graph.html)
    has_page: bool = True  # False when OUT has no graph.html (built with --no-html)


def oxigraph_binary() -> str:
    """The ``oxigraph`` server binary (from the ``oxigraph`` PyPI package), or a one-line error."""
    candidates = [
        shutil.which("oxigraph"),
        str(Path(sysconfig.get_path("scripts")) / "oxigraph"),
        str(Path(sys.executable).parent / "oxigraph"),
    ]
    for found in candidates:
        if found and Path(found).is_file():
            return found
    raise DependencyError(
        'the oxigraph server is not installed: pip install -e ".[serve]" in the cib-kg checkout '
        "(or pip install oxigraph)"
    )


def _bound(server_class: type[http.server.ThreadingHTTPServer], bind: str, port: int, what: str,
           handler: type[http.server.BaseHTTPRequestHandler]) -> http.server.ThreadingHTTPServer:
    """A server listening on ``bind:port`` (0: any free port; ``SO_REUSEADDR``, so a port left in
    TIME_WAIT by the last run is not refused); a taken port is a one-line error."""
    family = socket.AF_INET6 if ":" in bind else socket.AF_INET
    cls = type("Server", (server_class,), {"address_family": family, "allow_reuse_address": True,
                                           "daemon_threads": True})
    try:
        return cls((bind, port), handler)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            taken = f"{what} port {port} on {bind} is taken"
            raise ServeError(f"{taken} (choose another, or 0 for any free port)") from None
        raise ServeError(f"cannot listen on {bind}:{port} ({exc.strerror or exc})") from None
    except (OverflowError, ValueError, UnicodeError) as exc:
        raise ServeError(f"cannot listen on {bind}:{port} ({exc})") from None


def parse_port(value: str | int, option: str) -> int:
    """A port option's value (0 to 65535), or a one-line error naming the option."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 65535:
        raise ServeError(f"{option} {value!r}: not a port (a number from 0 to 65535; 0 for any free port)")
    return int(text)


def _private_port() -> int:
    """A free loopback port for the Oxigraph server behind the endpoint."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    """Linux: the kernel sends the child SIGKILL when ``kg serve`` dies, even by ``kill -9``."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


_OWNER = "owner.pid"


def _sweep_stale_stores() -> None:
    """Remove stores of ``kg serve`` runs that were killed (their owner process is gone)."""
    root = Path(tempfile.gettempdir())
    try:
        entries = list(root.glob("kg-serve-*"))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_symlink() or not entry.is_dir() or entry.stat().st_uid != os.getuid():
                continue
            pid = int((entry / _OWNER).read_text("ascii").strip())
        except (OSError, ValueError):
            continue
        try:
            os.kill(pid, 0)
            continue  # still running
        except ProcessLookupError:
            shutil.rmtree(entry, ignore_errors=True)
        except PermissionError:
            continue


def _url(bind: str, port: int, path: str = "/") -> str:
    host = f"[{bind}]" if ":" in bind else bind
    if bind in ("0.0.0.0", "::"):
        host = "127.0.0.1" if bind == "0.0.0.0" else "[::1]"
    return f"http://{host}:{port}{path}"


def _load(binary: str, graph: Path, store: Path) -> None:
    done = subprocess.run(
        [binary, "load", "--location", str(store), "--file", str(graph)],
        capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        detail = " ".join((done.stderr or done.stdout).split())[-300:]
        raise ServeError(f"{graph}: oxigraph could not load the graph: {detail}")


def _wait_until_up(process: subprocess.Popen[bytes], log: Path, url: str) -> None:
    """Poll the endpoint until it answers; a server that exits is a one-line error with its reason."""
    ask = url + "?query=" + urllib.parse.quote("ASK {}")
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            lines = [line for line in log.read_text("utf-8", "replace").splitlines() if line.strip()]
            reason = lines[-1].strip() if lines else f"exit {process.returncode}"
            raise ServeError(f"oxigraph stopped at start ({reason})")
        try:
            with urllib.request.urlopen(ask, timeout=2) as response:
                response.read()
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise ServeError(f"oxigraph did not answer at {url} within {START_TIMEOUT:g}s") from None
            time.sleep(0.1)


class OutputHandler(http.server.BaseHTTPRequestHandler):
    """GET/HEAD of the plain output files directly in ``folder``; anything else is 404/405."""

    folder: Path
    server_version = "kg-serve"

    def _file(self) -> Path | None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        name = "graph.html" if path == "/" else path[1:]
        if not name or "/" in name or "\\" in name or name.startswith(".") or "\x00" in name:
            return None
        if Path(name).suffix.lower() not in SERVED_TYPES:
            return None
        # A build's outputs are links into its current generation (kg/build/outputs.py): follow a link
        # only while it stays inside the output folder.
        root = self.folder.resolve()
        candidate = (self.folder / name).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate

    def _answer(self, body: bool) -> None:
        target = self._file()
        if target is None and urllib.parse.urlsplit(self.path).path == "/" + LIVE_VERSION:
            # no live graph here (a plain `kg serve`): the page's live.js stops asking, quietly
            self._send(b'{"live": false}\n', SERVED_TYPES[".json"], body)
            return
        if target is None:
            self.send_error(404, "not an output of this build")
            return
        try:
            data = target.read_bytes()
        except OSError:
            self.send_error(404, "not readable")
            return
        self._send(data, SERVED_TYPES[target.suffix.lower()], body)

    def _send(self, data: bytes, kind: str, body: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._answer(body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's signature
        pass


@contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Ctrl-C and SIGTERM stop the servers, even where the shell started us ignoring SIGINT
    (``kg serve &``): a service manager's stop and a terminal's Ctrl-C are both clean."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@dataclass
class Served:
    """Running servers (from :func:`running`): their addresses, and the live store's update."""

    addresses: Addresses
    process: subprocess.Popen[bytes]
    upstream: str  # the Oxigraph server behind the endpoint (loopback)

    def update(self, request: str, timeout: float = 120.0) -> None:
        """Run one SPARQL Update on the store (``kg serve --watch``: a graph update's diff).
        Oxigraph runs a request as one transaction: a query sees the graph before or after it."""
        if not request.strip():
            return
        ask = urllib.request.Request(
            self.upstream + "/update", data=request.encode("utf-8"), method="POST",
            headers={"Content-Type": "application/sparql-update"},
        )
        try:
            with urllib.request.urlopen(ask, timeout=timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            detail = " ".join(exc.read().decode("utf-8", "replace").split())[:300]
            raise ServeError(f"oxigraph refused the graph update: HTTP {exc.code} {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise ServeError(f"oxigraph did not take the graph update ({exc})") from None


@contextmanager
def running(
    out: str | Path = "out",
    sparql_port: int = DEFAULT_SPARQL_PORT,
    page_port: int = DEFAULT_PAGE_PORT,
    bind: str = "127.0.0.1",
    writable: bool = False,
    live: bool = False,
) -> Iterator[Served]:
    """The endpoint and page servers of ``out`` while the block runs; stopped and the store
    removed after it. With ``live`` the Oxigraph server behind the front takes updates from
    this process (:meth:`Served.update`); users still only read unless ``writable``."""
    folder = Path(out)
    graph = folder / "graph.ttl"
    if not graph.is_file():
        raise InputError(f"{graph}: no such graph (run `kg build` first, or give the output folder)")
    for port in (sparql_port, page_port):
        if not 0 <= port <= 65535:
            raise ServeError(f"port {port} is out of range (0 to 65535; 0 for any free port)")
    if sparql_port == page_port != 0:
        raise ServeError(f"the SPARQL and page ports must differ (both {page_port})")
    binary = oxigraph_binary()
    _sweep_stale_stores()
    endpoint_handler = type("Endpoint", (EndpointHandler,), {"writable": writable, "upstream": ""})
    front = _bound(http.server.ThreadingHTTPServer, bind, sparql_port, "SPARQL", endpoint_handler)
    pages: http.server.ThreadingHTTPServer | None = None
    process: subprocess.Popen[bytes] | None = None
    store: Path | None = None
    running_servers: list[http.server.ThreadingHTTPServer] = []
    try:
        handler = type("Handler", (OutputHandler,), {"folder": folder.resolve()})
        pages = _bound(http.server.ThreadingHTTPServer, bind, page_port, "page", handler)
        sparql_port, page_port = int(front.server_address[1]), int(pages.server_address[1])
        store = Path(tempfile.mkdtemp(prefix="kg-serve-"))
        (store / _OWNER).write_text(f"{os.getpid()}\n", "ascii")
        _load(binary, graph, store / "db")
        log = store / "oxigraph.log"
        private = _private_port()
        mode = "serve" if writable or live else "serve-read-only"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [binary, mode, "--location", str(store / "db"), "--bind", f"127.0.0.1:{private}"],
                stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
            )
        upstream = f"http://127.0.0.1:{private}"
        _wait_until_up(process, log, upstream + "/query")
        endpoint_handler.upstream = upstream
        for server in (front, pages):
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                             daemon=True).start()
            running_servers.append(server)
        where = Addresses(_url(bind, sparql_port, "/query"), _url(bind, sparql_port),
                          _url(bind, page_port), (folder / "graph.html").is_file())
        yield Served(where, process, upstream)
    finally:
        for server in running_servers:
            server.shutdown()
        for server in (front, pages):
            if server is not None:
                server.server_close()
        if process is not None:
            _stop(process)
        if store is not None:
            shutil.rmtree(store, ignore_errors=True)


def serve(
    out: str | Path = "out",
    sparql_port: int = DEFAULT_SPARQL_PORT,
    page_port: int = DEFAULT_PAGE_PORT,
    bind: str = "127.0.0.1",
    ready: Callable[[Addresses], None] | None = None,
    writable: bool = False,
) -> None:
    """Serve ``out/graph.ttl`` over SPARQL and ``out``'s outputs over HTTP until interrupted.

    Read-only unless ``writable``. ``ready`` is called with the addresses once both answer.
    Returns after Ctrl-C or SIGTERM, with the Oxigraph process ended and its temporary store
    removed.
    """
    try:
        with _stop_on_signals(), running(out, sparql_port, page_port, bind, writable) as served:
            if ready is not None:
                ready(served.addresses)
            try:
                code = served.process.wait()
            except KeyboardInterrupt:
                return
            raise ServeError(f"oxigraph stopped unexpectedly (exit {code})")
    except KeyboardInterrupt:
        return
