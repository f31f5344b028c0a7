"""Turtle writer: a set of triples as sorted Turtle, the same bytes for the same triples.

rdflib's own writers promise no order and escape some strings in ways strict parsers reject;
this one writes subjects, predicates (``a`` first, then ``rdfs:label``, then by IRI) and
objects in a fixed order, with the ontology's prefixes where the local name is safe, and
escapes text (quotes, backslashes, newlines, control characters) for the strictest parsers.
It is part of the graph stage and runs once per build over
the whole graph, so each term is rendered and ordered once and the loops are kept tight.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import GraphError
from kg.rdf.namespace import PREFIXES
from kg.util.atomic import write_output
from kg.util.gc_pause import paused_gc

#: One triple of the graph stage (:func:`kg.rdf.graph.build_triples` makes a set of them).
Triple = tuple[URIRef, URIRef, Node]

_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BARE = {
    str(XSD.integer): re.compile(r"[+-]?[0-9]+"),
    str(XSD.decimal): re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    str(XSD.boolean): re.compile(r"true|false"),
}
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# Controls (C0, DEL, C1) and the Unicode line/paragraph separators are written as \u escapes:
# legal raw, but some parsers and every line-oriented tool trip on them.
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')


def _escape(value: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda m: _ESCAPES.get(m.group(), f"\\u{ord(m.group()):04X}"), value)


class _Writer:
    """Renders terms with the fixed prefixes of the ontology; only safe local names are prefixed."""

    def __init__(self) -> None:
        # Longest namespace first so nested namespaces pick the most specific prefix.
        self.prefixes = sorted(PREFIXES, key=lambda p: (-len(p[1]), p[0]))
        self.used: set[str] = set()
        # IRI up to its last "/" or "#" -> the prefixes that can apply to IRIs that start so
        # (in the order above): most IRIs share a few heads, and most prefixes never apply.
        self.candidates: dict[str, list[tuple[str, str]]] = {}
        self.datatypes: dict[str, str] = {}

    def iri(self, term: URIRef) -> str:
        value = str(term)
        head = value[: max(value.rfind("/"), value.rfind("#")) + 1]
        candidates = self.candidates.get(head)
        if candidates is None:
            # A prefixed name needs a local name without "/" or "#", so the namespace must
            # reach at least to the end of the head: the head starts it.
            candidates = [(prefix, ns) for prefix, ns in self.prefixes if ns.startswith(head)]
            self.candidates[head] = candidates
        for prefix, ns in candidates:
            if value.startswith(ns) and _LOCAL.fullmatch(value[len(ns) :]):
                self.used.add(prefix)
                return f"{prefix}:{value[len(ns) :]}"
        if _IRI_FORBIDDEN.search(value):
            raise GraphError(f"cannot write IRI {value!r} as Turtle: it has characters IRIs forbid")
        return f"<{value}>"

    def term(self, term: Node) -> str:
        # Exact types first: isinstance against rdflib's abstract Node classes costs more
        # than the rendering when the answer is no.
        kind = type(term)
        if kind is Literal:
            return self.literal(term)
        if kind is URIRef or isinstance(term, URIRef):
            return self.iri(term)
        if isinstance(term, BNode):
            return "_:" + re.sub(r"[^A-Za-z0-9_]", "_", str(term))
        if isinstance(term, Literal):
            return self.literal(term)
        raise GraphError(f"cannot write {type(term).__name__} term as Turtle")

    def literal(self, term: Literal) -> str:
        lexical = str(term)
        language = term.language
        if language:
            return f'"{_escape(lexical)}"@{language}'
        datatype = term.datatype
        if datatype is None:
            return f'"{_escape(lexical)}"'
        iri = str(datatype)
        bare = _BARE.get(iri)
        if bare is not None and bare.fullmatch(lexical):
            return lexical
        written = self.datatypes.get(iri)
        if written is None:
            written = self.datatypes[iri] = self.iri(datatype)
        elif written[0] != "<":  # rendered before: its prefix is used by this text too
            self.used.add(written[: written.index(":")])
        return f'"{_escape(lexical)}"^^{written}'


def _order(term: Node) -> tuple[int, str, str, str]:
    """Total order on terms: IRIs, then blank nodes, then literals by datatype, language, text."""
    kind = type(term)
    if kind is URIRef:
        return (0, str(term), "", "")
    if kind is not Literal:
        if isinstance(term, URIRef):
            return (0, str(term), "", "")
        if isinstance(term, BNode):
            return (1, str(term), "", "")
    assert isinstance(term, Literal)
    return (2, str(term.datatype or ""), term.language or "", str(term))


def _predicate_order(term: Node) -> tuple[int, str]:
    """``a`` first, then ``rdfs:label``, then the rest by IRI: readable and stable."""
    return (0 if term == RDF.type else 1 if term == RDFS.label else 2, str(term))


def serialize_turtle(graph: Graph | Iterable[Triple]) -> str:
    """Sorted Turtle: the same triples always give the same text (rdflib's own writers do not
    promise an order, and escape some strings in ways strict parsers reject)."""
    with paused_gc():  # only acyclic strings, lists and dicts are made (kg.util.gc_pause)
        return _serialize_turtle(graph)


def _serialize_turtle(graph: Graph | Iterable[Triple]) -> str:
    writer = _Writer()
    # Whole triples by subject (one dict lookup each); predicates are grouped per subject below.
    by_subject: dict[Node, list[Triple]] = defaultdict(list)
    for triple in graph:
        by_subject[triple[0]].append(triple)
    # Terms repeat (predicates, classes, shared nodes, rules, offsets): render and order each
    # object once. Keyed by id(): every term stays referenced by ``by_subject`` meanwhile, and
    # an id is hashed and compared in C, where rdflib's terms hash and compare in Python.
    rendered: dict[int, str] = {}
    orders: dict[int, tuple[int, str, str, str]] = {}

    def text(term: Node) -> str:
        out = rendered.get(id(term))
        if out is None:
            out = rendered[id(term)] = writer.term(term)
        return out

    def order(term: Node) -> tuple[int, str, str, str]:
        key = orders.get(id(term))
        if key is None:
            key = orders[id(term)] = _order(term)
        return key

    # A few dozen predicates: their order and their verb, once.
    predicates_used = {t[1] for triples in by_subject.values() for t in triples}
    rank = {p: i for i, p in enumerate(sorted(predicates_used, key=_predicate_order))}
    verbs = {p: "    " + ("a" if p == RDF.type else writer.term(p)) + " " for p in predicates_used}

    def plan(shape: tuple[Node, ...]) -> list[tuple[str, list[int]]]:
        """For a subject whose triples have these predicates: per predicate in order, what
        goes before its objects and where its triples are."""
        where: dict[Node, list[int]] = {}
        for i, predicate in enumerate(shape):
            where.setdefault(predicate, []).append(i)
        ordered = sorted(where, key=rank.__getitem__)
        return [((" ;\n" if n else "\n") + verbs[p], where[p]) for n, p in enumerate(ordered)]

    # Subjects of one kind have the same predicates (every mention the same eight): a plan
    # is made once per combination (in the order the subject's triples came).
    plans: dict[tuple[Node, ...], list[tuple[str, list[int]]]] = {}
    predicate_of = itemgetter(1)

    # One list of pieces, joined once: a block per subject, predicates in order, then objects.
    out: list[str] = []
    put = out.append
    cached = rendered.get
    render = writer.term
    for subject in sorted(by_subject, key=order):
        put(text(subject))
        triples = by_subject[subject]
        shape = tuple(map(predicate_of, triples))
        steps = plans.get(shape)
        if steps is None:
            steps = plans[shape] = plan(shape)
        for lead, where in steps:
            put(lead)
            if len(where) == 1:
                term = triples[where[0]][2]
                piece = cached(id(term))
                if piece is None:
                    piece = rendered[id(term)] = render(term)
                put(piece)
            else:
                objects = sorted([triples[i][2] for i in where], key=order)
                put(",\n        ".join([text(o) for o in objects]))
        put(" .\n\n")
    if out:
        out[-1] = " .\n"  # blocks are separated by a blank line, not followed by one
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES if p in writer.used or p == "cib")
    return header + ("\n" if out else "") + "".join(out)


def write_turtle(graph: Graph | Iterable[Triple], path: str | os.PathLike[str]) -> Path:
    """Write :func:`serialize_turtle` output atomically: a reader never sees half a file."""
    return write_output(path, serialize_turtle(graph), "graph")


# --------------------------------------------------------------------------------------
# Kept parts: the same Turtle, re-rendered only where the triples changed


def _block(writer: _Writer, subject: Node, triples: Iterable[Triple]) -> str:
    """One subject's block as :func:`serialize_turtle` writes it (without the closing " .")."""
    by_predicate: dict[Node, list[Node]] = defaultdict(list)
    for _s, p, o in triples:
        by_predicate[p].append(o)
    pieces = [writer.term(subject)]
    for n, predicate in enumerate(sorted(by_predicate, key=_predicate_order)):
        verb = "a" if predicate == RDF.type else writer.term(predicate)
        pieces.append((" ;\n" if n else "\n") + "    " + verb + " ")
        objects = sorted(by_predicate[predicate], key=_order)
        pieces.append(",\n        ".join([writer.term(o) for o in objects]))
    return "".join(pieces)


class TurtleParts:
    """The graph's Turtle kept as one rendered block per subject, so an update re-renders only
    the subjects whose triples changed; :meth:`text` is byte-identical to
    :func:`serialize_turtle` of the same triples (the live graph, ``kg.live``, relies on it).

    :meth:`update` takes the whole new triple set and returns the diff (added, removed): what
    the graph stage changed, for the served store's one-transaction update.
    """

    def __init__(self) -> None:
        self.writer = _Writer()
        self.triples: set[Triple] = set()
        self.by_subject: dict[Node, set[Triple]] = {}
        #: subject -> (its block, the prefixes the block uses)
        self.blocks: dict[Node, tuple[str, frozenset[str]]] = {}
        self.keys: dict[Node, tuple[int, str, str, str]] = {}
        self._order_cache: list[Node] | None = None
        self.changed: set[Node] = set()  # subjects of the last update

    def update(self, triples: set[Triple]) -> tuple[set[Triple], set[Triple]]:
        """Make ``triples`` the kept graph; returns (added, removed) against the last one."""
        with paused_gc():
            added = triples - self.triples
            removed = self.triples - triples
            changed: set[Node] = set()
            for t in removed:
                subject = t[0]
                group = self.by_subject[subject]
                group.discard(t)
                changed.add(subject)
            for t in added:
                subject = t[0]
                group = self.by_subject.get(subject)
                if group is None:
                    group = self.by_subject[subject] = set()
                group.add(t)
                changed.add(subject)
            writer = self.writer
            for subject in changed:
                group = self.by_subject[subject]
                if not group:
                    del self.by_subject[subject], self.blocks[subject], self.keys[subject]
                    self._order_cache = None
                    continue
                if subject not in self.keys:
                    self.keys[subject] = _order(subject)
                    self._order_cache = None
                writer.used = set()
                text = _block(writer, subject, group)
                self.blocks[subject] = (text, frozenset(writer.used))
            self.triples = triples
            self.changed = changed
            return added, removed

    def text(self) -> str:
        """The whole Turtle, from the kept blocks."""
        if self._order_cache is None:
            keys = self.keys
            self._order_cache = sorted(keys, key=keys.__getitem__)
        blocks = self.blocks
        used: set[str] = set()
        for _text, prefixes in blocks.values():
            used |= prefixes
        header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES if p in used or p == "cib")
        if not blocks:
            return header
        body = " .\n\n".join([blocks[s][0] for s in self._order_cache])
        return header + "\n" + body + " .\n"


def sparql_update(added: Iterable[Triple], removed: Iterable[Triple]) -> str:
    """One SPARQL Update request that takes a store from the old graph to the new one (the
    store runs a request as one transaction: a query sees the old graph or the new, never
    half). Terms are written in full (no prefixes) with the Turtle writer's escaping."""
    writer = _Writer()
    writer.prefixes = []

    def data(triples: Iterable[Triple]) -> str:
        ordered = sorted(triples, key=_triple_order)
        return "\n".join(f"{writer.term(s)} {writer.term(p)} {writer.term(o)} ." for s, p, o in ordered)

    parts = []
    if removed := list(removed):
        parts.append("DELETE DATA {\n" + data(removed) + "\n}")
    if added := list(added):
        parts.append("INSERT DATA {\n" + data(added) + "\n}")
    return " ;\n".join(parts)


def _triple_order(t: Triple) -> tuple[tuple[int, str, str, str], ...]:
    return (_order(t[0]), _order(t[1]), _order(t[2]))


def write_text(text: str, path: str | os.PathLike[str]) -> Path:
    """Write Turtle already made (by :class:`TurtleParts`) as :func:`write_turtle` does."""
    return write_output(path, text, "graph")
