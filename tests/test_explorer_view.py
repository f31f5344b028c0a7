"""The view's triple index: the page made from a build's triple set is the page made from rdflib."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.namespace import PROV
from rdflib.term import Node

from kg.explorer.cards import _TERM_FIELDS, CandidateRow, EvidenceMemo
from kg.explorer.evidence import Candidate, Terms
from kg.explorer.index import TripleIndex, _sorted
from kg.explorer.page import render_html
from kg.explorer.view import summarize, to_view
from kg.rdf.graph import load_graph
from kg.rdf.namespace import CIB, RES

ROOT = Path(__file__).resolve().parent.parent
SEED_GRAPH = ROOT / "tests" / "data" / "golden" / "seeds_graph.ttl"


def _page(source: object) -> str:
    view = to_view(source)  # type: ignore[arg-type]
    return render_html(view, view.graph["summary"])


def test_page_from_triples_is_the_page_from_rdflib() -> None:
    graph = load_graph(SEED_GRAPH)
    assert _page(set(graph)) == _page(graph)
    assert _page(list(graph) + list(graph)) == _page(graph)  # duplicates count once
    assert summarize(set(graph)) == summarize(graph)


def _mixed() -> Graph:
    g = Graph()
    a, b = URIRef(str(RES) + "network/a"), URIRef(str(RES) + "state/b")
    blank = BNode("b1")
    same_text = URIRef("b1")  # an IRI with the blank node's text: must not be confused with it
    g.add((a, RDF.type, CIB.Network))
    g.add((a, CIB.attributedTo, b))
    g.add((a, CIB.attributedTo, blank))
    g.add((blank, CIB.attributedTo, a))
    g.add((same_text, CIB.attributedTo, b))
    g.add((a, CIB.wording, Literal("linked to")))
    g.add((a, CIB.wording, Literal(str(b))))  # a literal with an IRI's text is not that IRI
    g.add((b, CIB.accounts, Literal(12)))
    return g


@pytest.mark.parametrize("graph", [_mixed(), load_graph(SEED_GRAPH)], ids=["mixed", "seeds"])
def test_index_answers_as_rdflib(graph: Graph) -> None:
    index = TripleIndex(set(graph))
    assert len(index) == len(graph)
    assert sorted(index) == sorted(graph)
    terms = {t for triple in graph for t in triple}
    preds = set(graph.predicates())
    for s in terms:
        for p in preds:
            assert sorted(index.objects(s, p)) == sorted(graph.objects(s, p)), (s, p)
            assert sorted(index.subjects(p, s)) == sorted(graph.subjects(p, s)), (p, s)
    assert sorted(index.subjects()) == sorted(s for s, _, _ in graph)
    assert sorted(index.objects()) == sorted(o for _, _, o in graph)
    assert set(index.iris.values()) == {t for t in terms if isinstance(t, URIRef)} - preds | {
        t for s, _, o in graph for t in (s, o) if isinstance(t, URIRef)
    }


@pytest.mark.parametrize("graph", [_mixed(), load_graph(SEED_GRAPH)], ids=["mixed", "seeds"])
def test_index_lists_and_links(graph: Graph) -> None:
    """The raw lists the view reads hold what rdflib answers; ``links`` is every triple from an
    IRI to an IRI as text (the edge candidates), none with a blank node or a literal."""
    index = TripleIndex(set(graph))
    terms = {t for triple in graph for t in triple}
    for s in terms:
        for p in set(graph.predicates()):
            assert sorted(index.object_list(s, p)) == sorted(graph.objects(s, p)), (s, p)
            if not isinstance(s, Literal):
                assert sorted(index.subject_list(p, s)) == sorted(graph.subjects(p, s)), (p, s)
    assert sorted(index.links) == sorted(
        (str(s), str(p), str(o)) for s, p, o in graph if isinstance(s, URIRef) and isinstance(o, URIRef)
    )
    # one term object per IRI: equal IRIs in the lists are the same object
    for s, p, _ in graph:
        for o in index.object_list(s, p):
            if isinstance(o, URIRef):
                assert o is index.iris[str(o)]


@pytest.mark.parametrize("terms", [
    [URIRef("https://x/b"), URIRef("https://x/a"), URIRef("https://x/a/"), URIRef("https://x/A")],
    [URIRef("https://x/b"), BNode("a"), Literal("a"), Literal(3), URIRef("https://x/a")],
    [Literal(10), Literal(9), Literal("9")],
    [URIRef("https://x/z")],
    [],
], ids=["iris", "mixed", "literals", "one", "none"])
def test_sorted_is_rdflib_order(terms: list[Node]) -> None:
    """IRIs are sorted by their text (without rdflib's comparison per pair): the same order."""
    assert _sorted(terms) == sorted(terms)
    assert _sorted(reversed(terms)) == sorted(terms)


def test_candidate_rows_are_candidates_and_the_memo_key_reads_every_term() -> None:
    """The evidence memo's key is made from plain rows in :class:`Candidate`'s field order and
    from every field of :class:`Terms`: a field added to either must not be left out of it."""
    assert tuple(f.name for f in fields(Candidate)) == (
        "sentence", "article", "where", "offset", "confidence", "headline")
    assert CandidateRow.__args__ == (str, str, str, int, float, str)
    assert _TERM_FIELDS == tuple(f.name for f in fields(Terms))


def test_evidence_memo_keys_change_with_each_input() -> None:
    """Each thing a fact's evidence is chosen from changes its memo key: a sentence, an offset,
    a confidence, a name among the graph's states, the fact's figures."""
    base = load_graph(SEED_GRAPH)

    def keys(graph: Graph) -> set[str]:
        memo = EvidenceMemo()
        to_view(graph, memo)
        return set(memo.new)

    before = keys(base)
    takedown = next(iter(sorted(base.subjects(RDF.type, CIB.Takedown))))
    mention = sorted(base.objects(takedown, PROV.wasDerivedFrom))[0]
    changes = [
        (mention, CIB.sentence, lambda v: Literal(str(v) + " More.")),
        (mention, CIB.startOffset, lambda v: Literal(int(v) + 1)),
        (mention, CIB.confidence, lambda v: Literal(round(float(v) / 2, 3))),
    ]
    for s, p, change in changes:
        g = Graph()
        for t in base:
            g.add(t)
        old = g.value(s, p)
        assert old is not None, p
        g.remove((s, p, old))
        g.add((s, p, change(old)))
        assert keys(g) != before, p
    g = Graph()
    for t in base:
        g.add(t)
    g.add((URIRef(str(RES) + "state/atlantis"), RDF.type, CIB.State))
    g.add((URIRef(str(RES) + "state/atlantis"), RDFS.label, Literal("Atlantis")))
    assert not keys(g) & before  # every fact's choice depends on the names of all states
    g = Graph()
    for t in base:
        g.add(t)
    g.add((takedown, CIB.channels, Literal(77)))
    assert len(keys(g) - before) >= 1


def _self_loop() -> Graph:
    """A network attributed to itself (a self-loop edge) beside an ordinary edge."""
    g = _mixed()
    a = URIRef(str(RES) + "network/a")
    g.add((a, CIB.actor, a))
    g.add((URIRef(str(RES) + "state/b"), RDF.type, CIB.State))
    return g


@pytest.mark.parametrize("graph", [_mixed(), _self_loop(), load_graph(SEED_GRAPH)],
                         ids=["mixed", "loop", "seeds"])
def test_plain_view_is_the_networkx_view(graph: Graph) -> None:
    """The page's networkx-free view reads as the ``nx.MultiDiGraph`` of to_view: the same
    nodes and attributes in the same order, keyed edges, degrees, counts and graph attributes;
    and the page, a fresh layout and a kept layout made from either are the same."""
    from kg.explorer.layout import layout_positions
    from kg.explorer.page import render_html
    from kg.explorer.view import plain_view

    plain, view = plain_view(graph), to_view(graph)
    assert list(plain.nodes.items()) == list(view.nodes(data=True))
    assert sorted(plain.edges(keys=True, data=True)) == sorted(view.edges(keys=True, data=True))
    assert sorted(plain.edges(keys=True)) == sorted(view.edges(keys=True))
    assert sorted(plain.edges()) == sorted(view.edges())
    assert {e: plain.edges[e] for e in plain.edges} == {e: view.edges[e] for e in view.edges(keys=True)}
    assert dict(plain.degree()) == dict(view.degree())
    assert plain.number_of_nodes() == view.number_of_nodes()
    assert plain.number_of_edges() == view.number_of_edges()
    assert plain.graph == view.graph
    fresh = layout_positions(plain)
    assert fresh == layout_positions(view)
    kept = {k: v for i, (k, v) in enumerate(sorted(fresh.items())) if i % 7}
    assert layout_positions(plain, kept) == layout_positions(view, kept)
    summary = view.graph["summary"]
    assert render_html(plain, summary, fresh) == render_html(view, summary, fresh)
