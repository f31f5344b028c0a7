"""Load graph.ttl into a SPARQL server with the SPARQL 1.1 Graph Store Protocol (GSP).

Every common store speaks GSP, so one HTTP request loads the graph with no client library
(urllib only). ``endpoint`` is the server's GSP base URL; the target graph is chosen with
``?default`` or ``?graph=IRI``:

==========  ==================================================================
Oxigraph    ``http://127.0.0.1:7878/store``
Fuseki      ``http://127.0.0.1:3030/DATASET/data`` (or ``/DATASET``)
GraphDB     ``http://127.0.0.1:7200/repositories/ID/rdf-graphs/service``
Virtuoso    ``http://127.0.0.1:8890/sparql-graph-crud`` (``--graph`` needed; the SPARQL
            user needs ``SPARQL_UPDATE``: the ``-auth`` variant wants Digest auth)
==========  ==================================================================

The first request is a PUT, which replaces the target graph, so pushing the same graph twice
leaves the store as after one push; further parts of a folder of N-Triples are POSTed (added).
Credentials may be given in the URL (``http://user:password@host/...``, sent as HTTP Basic);
they never appear in messages.
"""

from __future__ import annotations

import base64
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError, RemoteError

#: Media type of each file suffix GSP servers accept; anything else is sent as Turtle.
MEDIA_TYPES = {
    ".ttl": "text/turtle",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".owl": "application/rdf+xml",
}
DEFAULT_TIMEOUT = 120.0


@dataclass(frozen=True)
class PushResult:
    """What was sent where: the target URL (without credentials), files, bytes, last status."""

    url: str
    files: tuple[Path, ...]
    bytes: int
    status: int


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirected PUT/POST would be replayed as a body-less GET: report it instead."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _parts(source: Path) -> list[Path]:
    if source.is_dir():
        parts = sorted(p for p in source.iterdir() if p.suffix == ".nt" and p.is_file())
        if not parts:
            raise InputError(f"{source}: folder holds no .nt files to push")
        return parts
    if source.is_file():
        return [source]
    raise InputError(f"{source}: no such graph file or folder")


def target_url(endpoint: str, graph_iri: str | None = None) -> str:
    """``endpoint?default`` or ``endpoint?graph=IRI`` (keeping any query the endpoint has)."""
    query = "default" if graph_iri is None else "graph=" + urllib.parse.quote(graph_iri, safe="")
    return endpoint + ("&" if "?" in endpoint else "?") + query


def _split_credentials(endpoint: str) -> tuple[str, str | None]:
    """The endpoint without ``user:password@``, and the Basic ``Authorization`` value if any."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"endpoint must be an http:// or https:// URL, not {endpoint!r}")
    if parts.username is None:
        return endpoint, None
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), f"Basic {token}"


def _address(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"


def _first_line(body: bytes) -> str:
    for line in body.decode("utf-8", "replace").splitlines():
        if line.strip():
            return " ".join(line.split())[:200]
    return ""


def _send(opener: urllib.request.OpenerDirector, request: urllib.request.Request, timeout: float) -> int:
    url = request.full_url
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        body = exc.read() if exc.fp is not None else b""
        where = f" (redirected to {exc.headers.get('Location')})" if 300 <= exc.code < 400 else ""
        detail = _first_line(body)
        raise RemoteError(
            f"{url}: server refused the graph: HTTP {exc.code} {exc.reason}{where}"
            + (f": {detail}" if detail else "")
        ) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, OSError) and reason.strerror:
            reason = reason.strerror
        raise RemoteError(f"cannot reach {_address(url)} ({reason})") from None
    except TimeoutError:
        raise RemoteError(f"{_address(url)} did not answer within {timeout:g}s") from None
    except (ConnectionError, OSError) as exc:
        raise RemoteError(f"connection to {_address(url)} failed ({exc.strerror or exc})") from None


def push(
    source: str | os.PathLike[str],
    endpoint: str,
    graph_iri: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    replace: bool = True,
) -> PushResult:
    """Send a graph file (or a folder of ``.nt`` parts) to a GSP endpoint.

    ``replace`` PUTs the first file (the target graph becomes exactly this graph); otherwise
    every file is POSTed (added). Raises :class:`RemoteError` with the HTTP status and the first
    line of the server's answer when it refuses, or the address when it cannot be reached.
    """
    parts = _parts(Path(source))
    base, authorization = _split_credentials(endpoint)
    url = target_url(base, graph_iri)
    opener = urllib.request.build_opener(_NoRedirect)
    sent, status = 0, 0
    for index, part in enumerate(parts):
        size = part.stat().st_size
        headers = {
            "Content-Type": MEDIA_TYPES.get(part.suffix.lower(), "text/turtle") + "; charset=utf-8",
            "Content-Length": str(size),
        }
        if authorization:
            headers["Authorization"] = authorization
        method = "PUT" if replace and index == 0 else "POST"
        try:
            body = part.open("rb")
        except OSError as exc:
            raise InputError(f"{part}: cannot read: {exc.strerror or exc}") from exc
        with body:
            request = urllib.request.Request(url, data=body, headers=headers, method=method)
            status = _send(opener, request, timeout)
        sent += size
    return PushResult(url, tuple(parts), sent, status)
