"""The view's triple index: the page made from a build's triple set is the page made from rdflib."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, Literal, URIRef

from kg.exporters.html import render_html
from kg.graph import load_graph
from kg.graph_view import TripleIndex, summarize, to_view
from kg.namespace import CIB, RES

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
