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
Stores that need a login get a :class:`Login` (user and password, from ``--user`` and a prompt,
``KG_PUSH_PASSWORD``, ``~/.netrc`` matched by host, or the URL's ``user:password@``) and a
scheme: ``basic`` is sent with every request, ``digest`` answers the server's challenge (a
body-less ``HEAD`` asks for it first, so a large graph is not sent twice), ``auto`` asks and
answers whatever the server's ``WWW-Authenticate`` names. A write refused with a challenge the
``HEAD`` did not show (anonymous reads, or a stale Digest nonce) is answered and resent once.
Passwords never appear in messages.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import logging
import netrc
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
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
#: ``--auth`` choices: send Basic up front, answer a Digest challenge, or answer what is asked.
AUTH_SCHEMES = ("auto", "basic", "digest")
#: Environment variable holding the password for ``--user`` (read before ``.netrc``).
PASSWORD_ENV = "KG_PUSH_PASSWORD"


@dataclass(frozen=True)
class Login:
    """A user and password for the store; the password never shows in ``repr`` or messages."""

    user: str
    password: str = field(repr=False)


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


_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:/*)[^/?#]*@")


def redact(url: str) -> str:
    """``url`` with any ``user:password@`` replaced by ``***@`` (also in URLs that do not parse)."""
    return _USERINFO.sub(r"\1***@", url.strip())


def _split_credentials(endpoint: str) -> tuple[str, Login | None]:
    """The endpoint without ``user:password@``, and that login if the URL has one."""
    shown = redact(endpoint)
    try:
        parts = urllib.parse.urlsplit(endpoint)
        hostname, port = parts.hostname, parts.port
    except ValueError as exc:  # an unclosed "[::1", a port "abc" or 99999
        raise InputError(f"endpoint {shown!r}: not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise InputError(f"endpoint must be an http:// or https:// URL with a host, not {shown!r}")
    if parts.username is None:
        return endpoint, None
    user = urllib.parse.unquote(parts.username)
    password = urllib.parse.unquote(parts.password or "")
    host = hostname if ":" not in hostname else f"[{hostname}]"
    netloc = host + (f":{port}" if port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), Login(user, password)


def find_login(
    endpoint: str,
    user: str | None = None,
    environ: dict[str, str] | None = None,
    netrc_file: str | os.PathLike[str] | None = None,
) -> Login | None:
    """The login for ``endpoint`` without asking anyone, or None if none is configured.

    In order: the URL's ``user:password@``; ``user`` with the password in ``KG_PUSH_PASSWORD``;
    the ``.netrc`` entry for the endpoint's host (its login must be ``user`` when one is given).
    ``user`` with no password found returns None: the caller prompts (see :func:`kg.cli.push`).
    """
    base, login = _split_credentials(endpoint)
    if login is not None:
        return login
    env = os.environ if environ is None else environ
    if user is not None and env.get(PASSWORD_ENV):
        return Login(user, env[PASSWORD_ENV])
    path = Path(netrc_file) if netrc_file is not None else Path.home() / ".netrc"
    if not path.is_file():
        return None
    try:
        entry = netrc.netrc(str(path)).authenticators(urllib.parse.urlsplit(base).hostname or "")
    except netrc.NetrcParseError as exc:  # its message quotes the token: never shown (a password)
        where = f"line {exc.lineno}" if getattr(exc, "lineno", None) else "an entry"
        raise InputError(f"{path}: cannot read ({where} is not a valid .netrc entry; not shown)") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or type(exc).__name__})") from None
    if entry is None or entry[2] is None:
        return None
    login_name, _account, password = entry
    if user is not None and login_name != user:
        return None
    return Login(login_name or user or "", password)


def _address(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"


def _first_line(body: bytes) -> str:
    for line in body.decode("utf-8", "replace").splitlines():
        if line.strip():
            return " ".join(line.split())[:200]
    return ""


def _send(
    opener: urllib.request.OpenerDirector,
    request: urllib.request.Request,
    timeout: float,
    scheme: str | None = None,
) -> int:
    url = request.full_url
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        body = exc.read() if exc.fp is not None else b""
        if exc.code in (401, 403):
            tried = f"{scheme} login" if scheme else "no login (give --user)"
            what = "login refused" if exc.code == 401 else "access denied"
            raise _LoginRefused(
                f"{url}: {what}: HTTP {exc.code} {exc.reason} ({tried})",
                _challenges(exc.headers.get_all("WWW-Authenticate") or []) if exc.code == 401 else {},
            ) from None
        where = f" (redirected to {exc.headers.get('Location')})" if 300 <= exc.code < 400 else ""
        detail = _first_line(body)
        raise RemoteError(
            f"{url}: server refused the graph: HTTP {exc.code} {exc.reason}{where}"
            + (f": {detail}" if detail else "")
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise _network_error(exc, url, timeout) from None


class _LoginRefused(RemoteError):
    """A 401/403; keeps the server's challenges so a stale or unasked-for login can be retried."""

    def __init__(self, message: str, challenges: dict[str, dict[str, str]]) -> None:
        super().__init__(message)
        self.challenges = challenges


def _network_error(exc: BaseException, url: str, timeout: float) -> RemoteError:
    """One line for a server that cannot be reached, naming its address (never credentials)."""
    if isinstance(exc, urllib.error.URLError):
        reason = exc.reason
        if isinstance(reason, OSError) and reason.strerror:
            reason = reason.strerror
        return RemoteError(f"cannot reach {_address(url)} ({reason})")
    if isinstance(exc, TimeoutError):
        return RemoteError(f"{_address(url)} did not answer within {timeout:g}s")
    assert isinstance(exc, OSError)
    return RemoteError(f"connection to {_address(url)} failed ({exc.strerror or exc})")


def _challenges(headers: list[str]) -> dict[str, dict[str, str]]:
    """``WWW-Authenticate`` values as {scheme (lower case): its parameters}."""
    found: dict[str, dict[str, str]] = {}
    for value in headers:
        scheme, _, rest = value.strip().partition(" ")
        params = urllib.request.parse_keqv_list(
            [item for item in urllib.request.parse_http_list(rest) if "=" in item]
        )
        found.setdefault(scheme.lower(), params)
    return found


def _challenge(opener: urllib.request.OpenerDirector, url: str, timeout: float) -> dict[str, dict[str, str]]:
    """How the server wants to be logged in to, asked with a body-less ``HEAD`` of the target.

    Empty when it lets the ``HEAD`` through (or refuses it for another reason than a login).
    """
    request = urllib.request.Request(url, method="HEAD")
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 401:
            return _challenges(exc.headers.get_all("WWW-Authenticate") or [])
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise _network_error(exc, url, timeout) from None
    return {}


class _DigestUTF8(urllib.request.AbstractDigestAuthHandler):
    """urllib's Digest answer, with user and password hashed as UTF-8 (RFC 7616), not ASCII."""

    def get_algorithm_impls(self, algorithm: str):  # type: ignore[no-untyped-def]
        names = {"MD5": "md5", "SHA": "sha1", "SHA-256": "sha256"}
        if algorithm.upper() not in names:
            raise RemoteError(f"server asks for an unsupported Digest algorithm {algorithm!r}")
        name = names[algorithm.upper()]

        def H(x: str) -> str:  # noqa: N802 - RFC 7616's name
            return hashlib.new(name, x.encode("utf-8")).hexdigest()

        return H, lambda secret, data: H(f"{secret}:{data}")


class _Authorizer:
    """``Authorization`` values for one login and scheme (Digest counts its nonce uses)."""

    def __init__(self, login: Login, scheme: str, url: str, challenge: dict[str, str]) -> None:
        self.scheme = scheme
        self._login = login
        self._challenge = challenge
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, login.user, login.password)
        self._digest = _DigestUTF8(passwords)

    def header(self, request: urllib.request.Request) -> str:
        if self.scheme == "basic":
            token = f"{self._login.user}:{self._login.password}".encode()
            return "Basic " + base64.b64encode(token).decode("ascii")
        value = self._digest.get_authorization(request, self._challenge)
        if value is None:
            raise RemoteError(
                f"{request.full_url}: cannot answer the server's Digest challenge "
                f"(algorithm {self._challenge.get('algorithm', 'MD5')})"
            )
        return "Digest " + value


def _authorizer(
    opener: urllib.request.OpenerDirector,
    url: str,
    login: Login | None,
    auth: str,
    timeout: float,
    asked: dict[str, dict[str, str]] | None = None,
) -> _Authorizer | None:
    """How to log in: Basic up front, or the answer to ``asked`` (a ``HEAD``'s challenges if None)."""
    if auth not in AUTH_SCHEMES:
        raise InputError(f"--auth must be one of {', '.join(AUTH_SCHEMES)}, not {auth!r}")
    if login is None:
        return None
    if auth == "basic":
        return _Authorizer(login, "basic", url, {})
    if asked is None:
        asked = _challenge(opener, url, timeout)
    if "digest" in asked:
        return _Authorizer(login, "digest", url, asked["digest"])
    if auth == "digest" and asked:
        offered = ", ".join(sorted(asked))
        raise RemoteError(f"{url}: server does not offer Digest login (it asks for {offered})")
    if "basic" in asked:
        return _Authorizer(login, "basic", url, {})
    if asked:
        raise RemoteError(f"{url}: server asks for an unsupported login scheme: {', '.join(sorted(asked))}")
    return None  # no login asked for (yet): a refused write is answered from its own challenge


_log = logging.getLogger("kg.stores.push")


def push(
    source: str | os.PathLike[str],
    endpoint: str,
    graph_iri: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    replace: bool = True,
    login: Login | None = None,
    auth: str = "auto",
) -> PushResult:
    """Send a graph file (or a folder of ``.nt`` parts) to a GSP endpoint: see :func:`_push`.

    Every error is one line with no password in it: the URL's ``user:password@`` is redacted,
    and as a last fence any password of the login is replaced by ``***`` in the message.
    """
    _, url_login = _split_credentials(endpoint)
    secrets = [s for s in ((login or url_login).password if (login or url_login) else "",
                           url_login.password if url_login else "") if s]
    if url_login is not None:
        _log.warning("warning: a password in the endpoint URL shows in the process list to every user; "
                     "give --user with KG_PUSH_PASSWORD, ~/.netrc or the prompt instead")

    def scrub(text: str) -> str:
        text = redact(text)
        for secret in secrets:
            text = text.replace(secret, "***")
            text = text.replace(urllib.parse.quote(secret, safe=""), "***")
        return " ".join(text.split())

    try:
        return _push(source, endpoint, graph_iri, timeout, replace, login, auth)
    except RemoteError as exc:
        raise RemoteError(scrub(str(exc))) from None
    except InputError as exc:
        raise InputError(scrub(str(exc))) from None
    except (ValueError, http.client.HTTPException) as exc:  # a URL urllib refuses late
        raise InputError(scrub(f"endpoint {endpoint}: not a valid URL ({exc})")) from None


def _check_login(
    opener: urllib.request.OpenerDirector,
    url: str,
    authorizer: _Authorizer | None,
    timeout: float,
) -> None:
    """A body-less ``HEAD`` of the target with the login the upload will carry: a refused login
    is named now, not as a broken pipe when the server closes a large upload half-way."""
    request = urllib.request.Request(url, method="HEAD")
    if authorizer is not None:
        request.add_header("Authorization", authorizer.header(request))
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        if exc.code == 401 and authorizer is not None:
            scheme = authorizer.scheme.capitalize()
            raise RemoteError(f"{url}: login refused: HTTP 401 {exc.reason} ({scheme} login)") from None
        if exc.code == 403 and authorizer is not None:
            raise RemoteError(f"{url}: access denied: HTTP 403 {exc.reason} "
                              f"({authorizer.scheme.capitalize()} login)") from None
        # anything else (a HEAD the store does not serve, no such graph yet): the upload decides
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise _network_error(exc, url, timeout) from None


def _why_cut(opener: urllib.request.OpenerDirector, url: str, method: str, headers: dict[str, str],
             authorizer: _Authorizer | None, timeout: float) -> RemoteError | None:
    """After the server cut an upload short: the same request with an empty body, to read the
    status it gives (a refused login, a size limit) instead of "Broken pipe"."""
    probe_headers = dict(headers, **{"Content-Length": "0"})
    request = urllib.request.Request(url, data=b"", headers=probe_headers, method="POST")
    if authorizer is not None:
        request.add_header("Authorization", authorizer.header(request))
    scheme = authorizer.scheme.capitalize() if authorizer else None
    try:
        _send(opener, request, timeout, scheme)
    except _LoginRefused as exc:
        return exc  # answered (or reported) as a refusal of the upload itself
    except RemoteError as exc:
        return RemoteError(f"{exc} (the server closed the {method} of the graph)")
    return None


def _virtuoso_needs_graph(url: str, graph_iri: str | None) -> None:
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    if graph_iri is None and path.endswith(("/sparql-graph-crud", "/sparql-graph-crud-auth")):
        raise InputError(
            f"{url}: Virtuoso's Graph Store needs a named graph: add --graph IRI "
            "(e.g. --graph https://w3id.org/cib-kg/graph)"
        )


def _push(
    source: str | os.PathLike[str],
    endpoint: str,
    graph_iri: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    replace: bool = True,
    login: Login | None = None,
    auth: str = "auto",
) -> PushResult:
    """Send a graph file (or a folder of ``.nt`` parts) to a GSP endpoint.

    ``replace`` PUTs the first file (the target graph becomes exactly this graph); otherwise
    every file is POSTed (added). ``login`` (or the URL's ``user:password@``) is sent as ``auth``
    says: ``basic``, ``digest`` or ``auto`` (what the server's challenge asks for). Raises
    :class:`RemoteError` with the HTTP status and the first line of the server's answer when it
    refuses, or the address when it cannot be reached.
    """
    parts = _parts(Path(source))
    base, url_login = _split_credentials(endpoint)
    _virtuoso_needs_graph(base, graph_iri)
    url = target_url(base, graph_iri)
    opener = urllib.request.build_opener(_NoRedirect)
    login = login or url_login
    authorizer = _authorizer(opener, url, login, auth, timeout)
    if authorizer is not None:
        _check_login(opener, url, authorizer, timeout)
    sent, status = 0, 0
    for index, part in enumerate(parts):
        size = part.stat().st_size
        headers = {
            "Content-Type": MEDIA_TYPES.get(part.suffix.lower(), "text/turtle") + "; charset=utf-8",
            "Content-Length": str(size),
        }
        method = "PUT" if replace and index == 0 else "POST"
        for retry in (False, True):
            try:
                body = part.open("rb")
            except OSError as exc:
                raise InputError(f"{part}: cannot read: {exc.strerror or exc}") from exc
            with body:
                request = urllib.request.Request(url, data=body, headers=headers, method=method)
                if authorizer is not None:
                    request.add_header("Authorization", authorizer.header(request))
                scheme = authorizer.scheme.capitalize() if authorizer else None
                try:
                    try:
                        status = _send(opener, request, timeout, scheme)
                    except _LoginRefused:
                        raise
                    except RemoteError as cut:
                        if not str(cut).startswith(("cannot reach", "connection to")):
                            raise
                        raise (_why_cut(opener, url, method, headers, authorizer, timeout) or cut) from None
                    break
                except _LoginRefused as refused:
                    # Once per part: a server that let the HEAD through but wants a login to
                    # write, or a Digest nonce gone stale, is answered from this very refusal.
                    if retry or login is None or not refused.challenges or auth == "basic":
                        raise
                    if authorizer is not None and authorizer.scheme == "basic":
                        raise
                    authorizer = _authorizer(opener, url, login, auth, timeout, refused.challenges)
        sent += size
    return PushResult(url, tuple(parts), sent, status)
