"""Graphs this builder did not write: ill-typed literals and malformed IRIs, named in one line.

rdflib accepts ``"abc"^^xsd:integer`` or ``<http://x/a b>`` while parsing, logging a traceback
per term; strict parsers (raptor, serd, RDF4J Rio with datatype checks) reject both. On
loading, :func:`quiet_rdflib` swallows those logs and :func:`load_warnings` sums them up in a
line each; on export, :func:`sanitize` percent-encodes what an IRI cannot hold (space, ``<>"{}|^```,
backslash, controls), drops triples whose IRIs still cannot be written (no scheme), and writes
an ill-typed literal as a plain string of its lexical form, so every output parses strictly.
"""

from __future__ import annotations

import contextlib
import logging
import re
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

#: Characters an IRIREF cannot hold in Turtle/N-Triples (besides controls and space).
_BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f]')
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_LANG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
_SHOWN = 3

logger = logging.getLogger("kg.export")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextlib.contextmanager
def quiet_rdflib() -> Iterator[_Collect]:
    """rdflib's per-term warnings (with tracebacks) counted instead of printed."""
    collect = _Collect()
    log = logging.getLogger("rdflib")
    old = log.propagate, log.handlers[:]
    log.handlers[:] = [collect]
    log.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield collect
        collect.count += len(caught)
    finally:
        log.propagate, log.handlers[:] = old[0], old[1]


def bad_iri(term: Node) -> bool:
    return isinstance(term, URIRef) and (_BAD_IRI.search(term) is not None or not _SCHEME.match(term))


def bad_literal(term: Node) -> bool:
    if not isinstance(term, Literal):
        return False
    if term.language and not _LANG.fullmatch(term.language):
        return True
    if term.datatype is not None and bad_iri(term.datatype):
        return True
    return bool(getattr(term, "ill_typed", False))


def _show(term: Node) -> str:
    if isinstance(term, Literal):
        text = f'"{term}"'
        if term.language:
            return f"{text}@{term.language}"
        dt = str(term.datatype or "")
        return f"{text}^^{dt.replace('http://www.w3.org/2001/XMLSchema#', 'xsd:')}" if dt else text
    return f"<{term}>"


def _summary(kind: str, found: list[Node], then: str) -> str:
    shown = ", ".join(_show(t)[:60] for t in found[:_SHOWN])
    more = f" and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
    return f"{len(found)} {kind}{'s' if len(found) != 1 else ''} ({shown}{more}); {then}"


def load_warnings(graph: Graph, source: Path) -> list[str]:
    """One line per kind of bad term in ``graph`` (for a graph rdflib complained about)."""
    literals: dict[Node, None] = {}
    iris: dict[Node, None] = {}
    for triple in graph:
        for term in triple:
            if bad_literal(term):
                literals[term] = None
            elif bad_iri(term):
                iris[term] = None
    out = []
    if literals:
        out.append(f"{source}: " + _summary("ill-typed literal", _sorted(literals), "read as text"))
    if iris:
        out.append(f"{source}: " + _summary("malformed IRI", _sorted(iris), "read as written"))
    return out


def _sorted(terms: dict[Node, None]) -> list[Node]:
    return sorted(terms, key=lambda t: (str(t), str(getattr(t, "datatype", "") or "")))


def encode_iri(value: str) -> str:
    """``value`` with every character an IRIREF cannot hold percent-encoded (UTF-8)."""
    return _BAD_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), value)


def sanitize(graph: Graph, warn: Callable[[str], None] | None = None) -> Graph:
    """``graph`` itself if every term is writable; else a copy a strict parser accepts, with one
    warning line per kind of change (through ``warn``, default the ``kg.export`` logger)."""
    if not any(bad_iri(t) or bad_literal(t) for triple in graph for t in triple):
        return graph
    say = warn or logger.warning
    fixed_iris: dict[Node, None] = {}
    dropped: dict[Node, None] = {}
    plain: dict[Node, None] = {}
    memo: dict[Node, Node | None] = {}

    def term(t: Node) -> Node | None:
        if t in memo:
            return memo[t]
        out: Node | None = t
        if isinstance(t, URIRef) and bad_iri(t):
            encoded = encode_iri(str(t))
            if _SCHEME.match(encoded):
                out = URIRef(encoded)
                fixed_iris[t] = None
            else:
                out = None
                dropped[t] = None
        elif isinstance(t, Literal) and bad_literal(t):
            out = Literal(str(t))
            plain[t] = None
        memo[t] = out
        return out

    clean = Graph(bind_namespaces="none")
    for prefix, ns in graph.namespaces():
        clean.bind(prefix, ns, override=True)
    for s, p, o in graph:
        new = (term(s), term(p), term(o))
        if None in new:
            continue
        assert not isinstance(new[1], (BNode, Literal))
        clean.add(new)  # type: ignore[arg-type]
    if fixed_iris:
        say(_summary("IRI", _sorted(fixed_iris), "written percent-encoded"))
    if dropped:
        say(_summary("IRI", _sorted(dropped), "not absolute: their triples are left out"))
    if plain:
        say(_summary("ill-typed literal", _sorted(plain), "written as plain strings"))
    return clean
