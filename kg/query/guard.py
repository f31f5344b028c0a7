"""What a query may do: no network unless asked, no unbounded run time, Ctrl-C stops it.

``SERVICE <http://...>`` makes both engines (rdflib and Oxigraph) send the query's pattern to
that address, so a shared ``.rq`` file or a pasted query could reach any host: it is refused
unless the caller allows it (``kg query --allow-service``). It is decided on the parsed query
(rdflib's SPARQL grammar, after SPARQL's ``\\u`` escapes are decoded as the spec says): a
``ServiceGraphPattern`` anywhere in the tree is a SERVICE, however it was written (right after
a dot, after an escaped ``\\#``...). A text scan missed those. Where the two parsers might read
the text differently (rdflib cannot parse it, or it holds a ``\\#`` that rdflib takes for a
comment), the check errs towards refusing: the word ``SERVICE`` anywhere is refused. A text
without the word (after decoding) holds no SERVICE and is not parsed here, so ``kg query``
still starts without importing rdflib.

Oxigraph evaluates a query in Rust without looking at Python's signal flags, so Ctrl-C waited
for the whole query (20 s and more). :func:`run_bounded` runs the query in a worker thread and
waits in short slices (pyoxigraph releases the GIL while it works), so SIGINT and the deadline
are seen at once; an rdflib worker is stopped by an asynchronous exception, an Oxigraph worker
is abandoned (a daemon thread: it ends with the process, which the CLI ends right away).
"""

from __future__ import annotations

import ctypes
import re
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from kg.errors import QueryError

T = TypeVar("T")

#: Seconds a named question may run from ``kg query`` unless ``--timeout`` says otherwise.
DEFAULT_NAMED_TIMEOUT = 60.0
_POLL = 0.05

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKENS = re.compile(
    r'(?P<skip>\#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
    r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>)'
    r"|(?<![\w:?$.-])(?P<service>SERVICE)(?![\w:.-])",
    re.I,
)


def decode_codepoints(text: str) -> str:
    """SPARQL's ``\\uXXXX``/``\\UXXXXXXXX`` escapes decoded, as parsers do before reading."""

    def sub(m: re.Match[str]) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)

    return _CODEPOINT.sub(sub, text)


_WORD = re.compile(r"service", re.I)


def _position(text: str, start: int) -> tuple[int, int]:
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def _lexical(text: str) -> int | None:
    for m in _TOKENS.finditer(text):
        if m.group("service"):
            return m.start()
    return None


def _has_service_pattern(node: object, depth: int = 0) -> bool:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if depth > 400:  # deeper than any query a person writes: treated as federating
        return True
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_has_service_pattern(v, depth + 1) for v in node.values())
    if isinstance(node, (list, tuple, ParseResults)):
        return any(_has_service_pattern(v, depth + 1) for v in node)
    if isinstance(node, dict):
        return any(_has_service_pattern(v, depth + 1) for v in node.values())
    return False


def _parsed_service(text: str) -> bool | None:
    """Whether the parsed query (or update) holds a SERVICE pattern; None if rdflib cannot parse it."""
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    for parse in (parseQuery, parseUpdate):
        try:
            tree = parse(text)
        except RecursionError:
            return None
        except Exception:  # noqa: BLE001 - any parse failure: try the other form, then refuse
            continue
        return _has_service_pattern(tree)
    return None


def find_service(sparql: str) -> tuple[int, int] | None:
    """(line, column), 1-based, of the first ``SERVICE`` of the query, or None.

    Decided on the parsed query; a query rdflib cannot parse, or one with an escaped ``\\#``
    (where parsers disagree on what is a comment), counts as federating if the word
    ``SERVICE`` appears anywhere in it.
    """
    text = decode_codepoints(sparql)
    if _WORD.search(text) is None and _WORD.search(sparql) is None:
        return None  # no SERVICE keyword can be parsed from a text without the word: no rdflib needed
    found = None if "\\#" in sparql or "\\#" in text else _parsed_service(text)
    if found is False:
        return None
    at = _lexical(text)
    if found is None:
        if at is not None:
            return _position(text, at)
        word = _WORD.search(text)
        if word is not None:
            return _position(text, word.start())
        word = _WORD.search(sparql)
        return None if word is None else _position(sparql, word.start())
    if at is None:
        word = _WORD.search(text)
        at = word.start() if word else 0
    return _position(text, at)


def check_service(sparql: str, allow: bool, origin: str = "query") -> None:
    """QueryError when the query federates (``SERVICE``) and the caller did not allow it."""
    where = find_service(sparql)
    if where is not None and not allow:
        raise QueryError(
            f"{origin}:{where[0]}:{where[1]}: SERVICE would send the query to another server; "
            "refused (use --allow-service to allow outbound requests)"
        )


def _raise_in(thread: threading.Thread, exc: type[BaseException]) -> None:
    """Ask Python to raise ``exc`` in ``thread`` at its next bytecode (pure-Python rdflib work)."""
    if thread.ident is not None:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(exc))


class _Stopped(BaseException):
    """Raised inside an abandoned rdflib worker so it stops using the CPU."""


def run_bounded(work: Callable[[], T], timeout: float | None, what: str = "query") -> T:
    """``work()`` in a worker thread; QueryError after ``timeout`` seconds (None or 0: no limit).

    KeyboardInterrupt reaches the caller within ``_POLL`` seconds whatever the worker does.
    """
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except _Stopped:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread as is
            box["error"] = exc

    worker = threading.Thread(target=target, name="kg-query", daemon=True)
    limit = timeout if timeout and timeout > 0 else None
    worker.start()
    start = time.monotonic()
    try:
        while worker.is_alive():
            worker.join(_POLL)
            if limit is not None and worker.is_alive() and time.monotonic() - start >= limit:
                _raise_in(worker, _Stopped)
                raise QueryError(
                    f"{what} stopped after {limit:g} s (--timeout SECONDS; 0 = no limit)"
                )
    except BaseException:  # Ctrl-C, the deadline, or a caller's own alarm: stop the worker too
        if worker.is_alive():
            _raise_in(worker, _Stopped)
        raise
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]
