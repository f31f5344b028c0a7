"""The few lookups graph.html's view makes, over a build's plain set of triples.

Split from :mod:`kg.explorer.view` at its seam: this module answers pattern lookups (the graph
stage's half of the view may read rdflib terms; it never builds an rdflib store), the view
module turns the answers into nodes, cards and edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]


class TripleIndex:
    """The few lookups the view makes, over a plain set of triples.

    A build hands the view its triple set directly: loading 40,000 triples into an rdflib
    store (and answering ~300,000 pattern queries through it) costs more than the rest of the
    page. Same answers as an rdflib ``Graph`` for these calls (the caller sorts them). Keys
    are plain strings (rdflib hashes its terms in Python, a cost per lookup); only IRIs and
    blank nodes are subjects or looked-up objects, and a blank node's key is marked apart.
    """

    def __init__(self, triples: Iterable[Triple]) -> None:
        if not isinstance(triples, (set, frozenset, Graph)):
            triples = set(triples)  # an rdflib graph and a set hold each triple once
        self._triples: list[Triple] = list(triples)
        sp: dict[tuple[str, str], list[Node]] = {}
        po: dict[tuple[str, str], list[Node]] = {}
        #: every IRI that is a subject or an object, by its text (one term object per IRI: the
        #: lists below hold these, so the view's dict lookups mostly match by identity)
        self.iris: dict[str, URIRef] = {}
        iris = self.iris
        #: (subject, predicate, object) texts of the triples between two IRIs: the edge candidates
        self.links: list[tuple[str, str, str]] = []
        links = self.links
        # _key inlined: a function call per term is a third of this loop
        for s, p, o in self._triples:
            kind = type(s)
            if kind is URIRef:
                ks = str(s)
                s = iris.setdefault(ks, s)
            elif kind is BNode or isinstance(s, BNode):
                ks = "\0" + str(s)
            elif isinstance(s, URIRef):
                ks = str(s)
                s = iris.setdefault(ks, s)
            else:  # a literal subject (not RDF; an rdflib graph may hold one)
                continue
            kp = str(p)
            kind = type(o)
            if kind is URIRef or (kind is not BNode and isinstance(o, URIRef) and not isinstance(o, BNode)):
                ko: str | None = str(o)
                o = iris.setdefault(ko, o)  # type: ignore[arg-type]
                if ks[:1] != "\0":
                    links.append((ks, kp, ko))  # type: ignore[arg-type]
            elif kind is BNode or isinstance(o, BNode):
                ko = "\0" + str(o)
            else:
                ko = None
            got = sp.get((ks, kp))
            if got is None:
                sp[ks, kp] = [o]
            else:
                got.append(o)
            if ko is not None:
                got = po.get((kp, ko))
                if got is None:
                    po[kp, ko] = [s]
                else:
                    got.append(s)
        self._sp, self._po = sp, po

    def objects(self, s: Node | None = None, p: Node | None = None) -> Iterator[Node]:
        if s is None and p is None:
            return (o for _, _, o in self._triples)
        key = _key(s)
        return iter(self._sp.get((key, str(p)), ())) if key is not None else iter(())


    def object_list(self, s: Node, p: Node) -> list[Node] | tuple[()]:
        """The objects of (s, p) in index order, as stored (do not modify)."""
        key = str(s) if type(s) is URIRef else _key(s)
        return self._sp.get((key, str(p)), ()) if key is not None else ()  # type: ignore[index]

    def subject_list(self, p: Node, o: Node) -> list[Node] | tuple[()]:
        """The subjects of (p, o) in index order, as stored (do not modify); () for a literal."""
        key = str(o) if type(o) is URIRef else _key(o)
        return self._po.get((str(p), key), ()) if key is not None else ()

    def subjects(self, p: Node | None = None, o: Node | None = None) -> Iterator[Node]:
        if p is None and o is None:
            return (s for s, _, _ in self._triples)
        key = _key(o)
        if key is None:  # a literal object: never asked for by the view, answered all the same
            return (s for s, pp, oo in self._triples if pp == p and oo == o)
        return iter(self._po.get((str(p), key), ()))

    def __iter__(self) -> Iterator[Triple]:
        return iter(self._triples)

    def __len__(self) -> int:
        return len(self._triples)


def _key(term: Node | None) -> str | None:
    """A term's index key: an IRI's text; a blank node's, marked so no IRI can equal it; None
    for a literal. Exact types first: ``isinstance`` on rdflib terms is slow in this loop."""
    kind = type(term)
    if kind is URIRef:
        return str(term)
    if kind is BNode:
        return "\0" + str(term)
    if isinstance(term, BNode):
        return "\0" + str(term)
    if isinstance(term, URIRef):
        return str(term)
    return None


#: What the view is made from: an rdflib graph (``kg viz``) or a build's triple set.
Source = Graph | TripleIndex | Iterable[Triple]


def index_of(source: Source) -> TripleIndex:
    """``source`` as a :class:`TripleIndex` (an rdflib graph is read once, triple by triple)."""
    return source if isinstance(source, TripleIndex) else TripleIndex(source)


def _sorted(terms: Iterable[Node]) -> list[Node]:
    """``sorted(terms)``; IRIs alone by their text, which is rdflib's order for them, without a
    Python-level comparison per pair."""
    out = list(terms)
    if len(out) > 1:
        if all(type(t) is URIRef for t in out):
            out.sort(key=str)
        else:
            out.sort()
    return out
