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
