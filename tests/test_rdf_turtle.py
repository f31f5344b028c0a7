"""Turtle writer: its shortcuts give what the plain rules give (the bytes of whole graphs are
checked in test_rdf_graph.py, test_hostile.py and the golden Turtle of test_cli.py)."""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, XSD, BNode, Literal, URIRef

from kg.rdf import turtle
from kg.rdf.namespace import CIB, PREFIXES, RES, WD, iri_for
from kg.rdf.turtle import _Writer, serialize_turtle


def _naive_iri(prefixes: list[tuple[str, str]], value: str) -> str:
    """The writer's rule without its per-head shortcut: the longest namespace that leaves a
    safe local name."""
    for prefix, ns in sorted(prefixes, key=lambda p: (-len(p[1]), p[0])):
        if value.startswith(ns) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", value[len(ns):]):
            return f"{prefix}:{value[len(ns):]}"
    return f"<{value}>"


@pytest.mark.parametrize(
    "value",
    [
        str(CIB.Takedown), str(RDF.type), str(XSD.integer), str(WD.Q159), str(WD) + "Q159/x",
        str(iri_for("mention", "k")), str(RES), str(CIB), "https://schema.org/headline",
        "https://schema.org/", "https://schema.org/a-b", "http://example.org/no/prefix#x",
        "https://w3id.org/cib-kg/ontology#", "https://w3id.org/cib-kg/ontology#9x",
    ],
)
def test_writer_prefixes_like_the_naive_rule(value: str) -> None:
    writer = _Writer()
    assert writer.iri(URIRef(value)) == _naive_iri(list(PREFIXES), value)
    assert writer.iri(URIRef(value)) == _naive_iri(list(PREFIXES), value)  # from the per-head memo


def test_writer_handles_a_namespace_ending_inside_a_local_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """A namespace that does not end in / or #: the head of an IRI is shorter than it."""
    prefixes = (("ex", "http://example.org/ns/item_"), ("base", "http://example.org/ns/"))
    monkeypatch.setattr(turtle, "PREFIXES", prefixes)
    writer = turtle._Writer()
    for value in ("http://example.org/ns/item_42", "http://example.org/ns/other", "http://example.org/ns/item-x"):
        assert writer.iri(URIRef(value)) == _naive_iri(list(prefixes), value)


def _plain_serialize(triples: list[tuple[URIRef, URIRef, object]]) -> str:
    """The writer's layout without its plans and caches: group, sort, render term by term."""
    writer = _Writer()
    by_subject: dict = {}
    for s, p, o in triples:
        by_subject.setdefault(s, {}).setdefault(p, []).append(o)
    blocks = []
    for s in sorted(by_subject, key=turtle._order):
        lines = []
        for p in sorted(by_subject[s], key=turtle._predicate_order):
            verb = "a" if p == RDF.type else writer.term(p)
            objects = sorted(by_subject[s][p], key=turtle._order)
            lines.append(f"    {verb} " + ",\n        ".join(writer.term(o) for o in objects))
        blocks.append(f"{writer.term(s)}\n" + " ;\n".join(lines) + " .\n")
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES if p in writer.used or p == "cib")
    return header + ("\n" if blocks else "") + "\n".join(blocks)


def test_writer_same_as_the_plain_layout() -> None:
    """Subjects sharing predicate combinations in different orders, repeated predicates,
    shared objects, every kind of term: the planned, cached writer gives the plain bytes."""
    a, b, c = (iri_for("mention", k) for k in "abc")
    shared, three = Literal("shared text"), Literal(3, datatype=XSD.integer)
    triples = [
        (a, RDF.type, CIB.Mention), (a, CIB.rule, shared), (a, CIB.startOffset, three),
        (b, CIB.rule, shared), (b, RDF.type, CIB.Mention), (b, CIB.startOffset, three),
        (c, CIB.reportedIn, a), (c, CIB.reportedIn, b), (c, CIB.wording, Literal("z")),
        (c, CIB.wording, shared),
        (c, CIB.quote, Literal("hi", lang="en")), (c, CIB.date, Literal("2020-01-02", datatype=XSD.date)),
        (c, CIB.quote, Literal("x", datatype=URIRef("http://example.org/dt"))), (BNode("n1"), CIB.rule, c),
        (URIRef(str(WD) + "Q1"), CIB.removed, URIRef("http://example.org/other/x-y")),
    ]
    for order in (triples, triples[::-1], sorted(triples, key=repr)):
        assert serialize_turtle(order) == _plain_serialize(triples)
    assert serialize_turtle([]) == _plain_serialize([])
