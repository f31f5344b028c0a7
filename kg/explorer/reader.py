"""Read one graph for the view: its terms, the kind of each node, and sorted accessors.

Output must not depend on triple order, so every accessor sorts; the term caches exist because
rdflib runs Python code on every ``CIB.network`` and the view asks for terms some 100,000 times.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from rdflib import OWL as _OWL
from rdflib import RDF as _RDF
from rdflib import RDFS as _RDFS
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.explorer.index import TripleIndex, _sorted
from kg.rdf.namespace import CIB as _CIB
from kg.rdf.namespace import PROV as _PROV
from kg.rdf.namespace import RES, TermCache
from kg.rdf.namespace import SCHEMA as _SCHEMA

# rdflib runs Python code on every ``CIB.network``; the view asks for terms some 100,000 times
CIB: Any = TermCache(_CIB)


PROV: Any = TermCache(_PROV)


SCHEMA: Any = TermCache(_SCHEMA)


OWL: Any = TermCache(_OWL)


RDF: Any = TermCache(_RDF)


RDFS: Any = TermCache(_RDFS)


#: rdf:type -> view kind. Mentions are deliberately absent: they are folded into tooltips.
KIND_OF_CLASS: dict[URIRef, str] = {
    CIB.Platform: "platform",
    CIB.State: "state",
    CIB.Network: "network",
    CIB.Takedown: "takedown",
    CIB.Denial: "denial",
    CIB.Claim: "claim",
    CIB.Organisation: "organisation",
    CIB.Person: "person",
    CIB.Article: "article",
}


#: Kinds in legend order.
KINDS: tuple[str, ...] = (
    "platform", "state", "network", "takedown", "claim", "denial", "organisation", "person", "article",
)


#: IRI path segment -> kind, for resources referenced but not typed.
_KIND_OF_SEGMENT = {"platform": "platform", "state": "state", "network": "network",
                    "takedown": "takedown", "denial": "denial", "claim": "claim",
                    "org": "organisation", "person": "person", "article": "article"}


#: Predicates never drawn as edges (the type is the node's colour; mentions are folded).
SKIP_PREDICATES = {RDF.type, PROV.wasDerivedFrom, OWL.sameAs}


#: Count properties of a takedown, in display order.
COUNT_LABELS: tuple[tuple[URIRef, str], ...] = (
    (CIB.accounts, "accounts"),
    (CIB.pages, "pages"),
    (CIB.groups, "groups"),
    (CIB.instagramAccounts, "Instagram accounts"),
    (CIB.channels, "channels"),
    (CIB.combinedCount, "assets (combined)"),
)


#: Longest quoted text kept in a tooltip line; the full text stays in the graph.
MAX_TEXT = 600


#: Longest drawn label; the full label is in the tooltip.
MAX_LABEL = 40


def local_name(iri: URIRef | str) -> str:
    """``https://...#removed`` -> ``removed``: the edge label."""
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def kind_of(graph: TripleIndex, node: Node) -> str | None:
    if not isinstance(node, URIRef):
        return None
    for cls in _sorted(graph.object_list(node, RDF.type)):
        if cls in KIND_OF_CLASS:
            return KIND_OF_CLASS[cls]  # type: ignore[index]
        if cls == CIB.Mention:
            return None
    text = str(node)
    if text.startswith(str(RES)):
        return _KIND_OF_SEGMENT.get(text[len(str(RES)):].split("/", 1)[0])
    return None


def shorten(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def literal_year(value: Node | None) -> int | None:
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, date):
            return py.year
        text = str(value)
        if len(text) >= 4 and text[:4].isdigit():
            return int(text[:4])
    return None


class Reader:
    """Small sorted accessors over one graph, so output does not depend on triple order."""

    def __init__(self, graph: TripleIndex) -> None:
        self.g = graph
        self._labels: dict[Node, str] = {}
        self._lines: dict[Node, str] = {}
        self._objs: dict[tuple[Node, Node], list[Node]] = {}
        self._subs: dict[tuple[Node, Node], list[Node]] = {}
        #: per takedown, shared by its card, its evidence terms and its record (never modified)
        self.memo_counts: dict[Node, list[tuple[str, int]]] = {}
        self.memo_states: dict[Node, set[Node]] = {}

    def objs(self, s: Node, p: URIRef) -> list[Node]:
        """Sorted objects, sorted once per (s, p) (shared: do not modify the list)."""
        key = (s, p)
        got = self._objs.get(key)
        if got is None:
            got = self._objs[key] = _sorted(self.g.object_list(s, p))
        return got

    def subs(self, p: URIRef, o: Node) -> list[Node]:
        """Sorted subjects, sorted once per (p, o) (shared: do not modify the list)."""
        key = (p, o)
        got = self._subs.get(key)
        if got is None:
            got = self._subs[key] = _sorted(self.g.subjects(p, o) if type(o) is Literal
                                             else self.g.subject_list(p, o))
        return got

    def one(self, s: Node, p: URIRef) -> Node | None:
        """The least object (most properties have one: read straight from the index)."""
        values = self.g.object_list(s, p)
        if len(values) < 2:
            return values[0] if values else None
        return self.objs(s, p)[0]

    def text(self, s: Node, p: URIRef) -> str | None:
        value = self.one(s, p)
        return None if value is None else str(value)

    def label(self, node: Node) -> str:
        if node not in self._labels:
            self._labels[node] = self._label(node)
        return self._labels[node]

    def _label(self, node: Node) -> str:
        for p in (RDFS.label, SCHEMA.headline):
            value = self.text(node, p)
            if value:
                return " ".join(value.split())
        return local_name(node)  # type: ignore[arg-type]

    def labels(self, nodes: Iterable[Node]) -> list[str]:
        return sorted({self.label(n) for n in nodes})

    def article_line(self, article: Node) -> str:
        if article not in self._lines:
            published = self.text(article, SCHEMA.datePublished)
            self._lines[article] = f"{self.label(article)} ({published or 'undated'})"
        return self._lines[article]

    def sources(self, fact: Node) -> list[str]:
        articles = set(self.objs(fact, CIB.reportedIn))
        for mention in self.objs(fact, PROV.wasDerivedFrom):
            articles.update(self.objs(mention, CIB.inArticle))
        return sorted(self.article_line(a) for a in articles)
