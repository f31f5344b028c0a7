"""The graph in the other syntaxes users load: N-Triples, JSON-LD, TriG, GraphML (and Cypher).

Every writer sorts what it writes, so the same graph gives the same bytes whatever order
rdflib iterates it in, and files are written atomically (a killed export leaves the old file).
Literal escaping reuses the Turtle writer's rules (:func:`kg.rdf.turtle.serialize_turtle`), which
the strict parsers (raptor, serd, RDF4J Rio) accept.

* ``nt``: one sorted line per triple, for line tools and bulk loaders.
* ``jsonld``: a flat ``@graph`` of node objects with a ``@context`` of the graph's prefixes.
* ``trig``: one named graph per source article holding the facts it reports (Takedown,
  Denial, Claim and Mention nodes with their properties); entities, core triples and article
  nodes stay in the default graph. A fact reported in two articles is in both graphs, so
  ``GRAPH ?article { ... }`` asks "what does this article say" and the union is the graph.
* ``graphml``: a networkx MultiDiGraph for Gephi: IRIs become nodes, IRI-valued triples
  edges, numeric literals number attributes and the rest strings (one type per attribute, as
  Gephi needs), with the explorer's layout as ``x``/``y``.
* ``cypher``: delegated to :func:`kg.exporters.cypher.write_cypher`.
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from kg.errors import GraphError, InputError
from kg.rdf.namespace import CIB, PREFIXES, WD
from kg.rdf.safe_terms import logger, sanitize
from kg.rdf.turtle import _escape, _order, serialize_turtle
from kg.util.atomic import write_output

#: Every format ``kg export`` writes, in the order the help lists them.
EXPORT_FORMATS: tuple[str, ...] = ("nt", "jsonld", "trig", "graphml", "cypher")
#: Suffix a file of each format conventionally has.
SUFFIXES: dict[str, str] = {
    "nt": ".nt",
    "jsonld": ".jsonld",
    "trig": ".trig",
    "graphml": ".graphml",
    "cypher": ".cypher",
}

#: Fact classes whose nodes go into their articles' named graphs in TriG.
FACT_CLASSES = (CIB.Takedown, CIB.Denial, CIB.Claim, CIB.Mention)
_MULTI_SEPARATOR = " | "


# --------------------------------------------------------------------------------------
# N-Triples


def _nt_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        text = f'"{_escape(str(term))}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^<{term.datatype}>"
        return text
    raise GraphError(f"cannot write {type(term).__name__} term as N-Triples")


def to_ntriples(graph: Graph) -> str:
    """Sorted N-Triples (ASCII-safe escaping of controls, UTF-8 otherwise)."""
    lines = sorted(f"{_nt_term(s)} {_nt_term(p)} {_nt_term(o)} .\n" for s, p, o in graph)
    return "".join(lines)


# --------------------------------------------------------------------------------------
# JSON-LD


def jsonld_context() -> dict[str, str]:
    """The prefixes of the ontology (cib, cibr, schema, prov, owl, rdfs, xsd, wd...)."""
    return {prefix: iri for prefix, iri in PREFIXES}


def _compact(iri: str, prefixes: list[tuple[str, str]]) -> str:
    """``cib:platform`` for a term of a known namespace (longest namespace wins), else the IRI."""
    for prefix, ns in prefixes:
        local = iri[len(ns) :]
        if iri.startswith(ns) and local and not local.startswith("//"):
            return f"{prefix}:{local}"
    return iri


def to_jsonld(graph: Graph) -> str:
    """Flattened JSON-LD: ``{"@context": ..., "@graph": [nodes sorted by @id]}``."""
    prefixes = sorted(PREFIXES, key=lambda p: (-len(p[1]), p[0]))
    by_subject: dict[Node, dict[Node, list[Node]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in graph:
        by_subject[s][p].append(o)

    def ref(term: Node) -> str:
        return _compact(str(term), prefixes) if isinstance(term, URIRef) else f"_:{term}"

    def value(term: Node) -> Any:
        if isinstance(term, Literal):
            if term.language:
                return {"@value": str(term), "@language": term.language}
            if term.datatype is not None:
                return {"@value": str(term), "@type": ref(term.datatype)}
            return str(term)
        return {"@id": ref(term)}

    nodes = []
    for subject in sorted(by_subject, key=_order):
        node: dict[str, Any] = {"@id": ref(subject)}
        for predicate, objects in by_subject[subject].items():
            ordered = sorted(objects, key=_order)
            if predicate == RDF.type and all(isinstance(o, URIRef) for o in ordered):
                key, values = "@type", [ref(o) for o in ordered]
            else:
                key, values = ref(predicate), [value(o) for o in ordered]
            node[key] = values[0] if len(values) == 1 else values
        nodes.append(node)
    document = {"@context": jsonld_context(), "@graph": nodes}
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------
# TriG


def split_by_article(graph: Graph) -> tuple[Graph, dict[URIRef, Graph]]:
    """(default graph, {article IRI: its facts}) as the TriG export lays them out."""
    default = Graph(bind_namespaces="none")
    named: dict[URIRef, Graph] = defaultdict(lambda: Graph(bind_namespaces="none"))
    homes: dict[Node, list[URIRef]] = {}
    for cls in FACT_CLASSES:
        for fact in graph.subjects(RDF.type, cls):
            where = CIB.inArticle if cls == CIB.Mention else CIB.reportedIn
            homes[fact] = sorted({a for a in graph.objects(fact, where) if isinstance(a, URIRef)})
    for triple in graph:
        articles = homes.get(triple[0])
        if not articles:  # entity, core triple, article node, or a fact no article reports
            default.add(triple)
        for article in articles or ():
            named[article].add(triple)
    return default, dict(named)


def _trig_body(graph: Graph) -> str:
    """The sorted Turtle blocks of ``graph`` without its ``@prefix`` lines."""
    text = serialize_turtle(graph)
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("@prefix "))


def to_trig(graph: Graph) -> str:
    """TriG: the default graph first, then one ``<article> { ... }`` block per article."""
    default, named = split_by_article(graph)
    parts = ["".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES)]
    if len(default):
        parts.append("\n" + _trig_body(default).strip("\n") + "\n")
    for article in sorted(named, key=str):
        body = _trig_body(named[article]).strip("\n")
        indented = "\n".join(f"    {line}" if line else "" for line in body.splitlines())
        parts.append(f"\n<{article}> {{\n{indented}\n}}\n")
    return "".join(parts)


# --------------------------------------------------------------------------------------
# GraphML


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """GraphML is XML 1.0, which cannot hold most control characters even escaped: they become
    U+FFFD (article text is untrusted; the Turtle keeps the exact text)."""
    return _XML_ILLEGAL.sub("\ufffd", text)


_INT_TYPES = frozenset(
    str(XSD[n]) for n in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                          "positiveInteger", "nonPositiveInteger", "negativeInteger",
                          "unsignedInt", "unsignedShort", "unsignedByte", "unsignedLong")
)
_FLOAT_TYPES = frozenset(str(XSD[n]) for n in ("decimal", "double", "float"))
_INT32 = (-(2**31), 2**31 - 1)


def _numeric_kinds(graph: Graph) -> dict[Node, str]:
    """Predicate -> ``int`` or ``double`` when every literal it has is a well-typed number and
    no subject has two values of it (Gephi wants one type per attribute; lists stay text)."""
    kinds: dict[Node, str] = {}
    plain: set[Node] = set()
    seen: set[tuple[Node, Node]] = set()
    for s, p, o in graph:
        if not isinstance(o, Literal) or p in plain:
            continue
        datatype = str(o.datatype or "")
        numeric = datatype in _INT_TYPES or datatype in _FLOAT_TYPES
        if not numeric or getattr(o, "ill_typed", False) or (s, p) in seen:
            plain.add(p)
            kinds.pop(p, None)
            continue
        seen.add((s, p))
        kind = "int" if datatype in _INT_TYPES else "double"
        kinds[p] = "double" if kinds.get(p, kind) != kind else kind
    return kinds


def layout_positions(graph: Graph) -> dict[str, tuple[float, float]]:
    """The explorer's fixed-seed layout (its *All facts* view), by node IRI, so Gephi opens the
    GraphML with the picture the HTML page shows."""
    from kg.explorer.layout import layout_positions as explorer_positions
    from kg.explorer.view import to_view

    return explorer_positions(to_view(graph))


def to_networkx(graph: Graph) -> Any:
    """A MultiDiGraph: IRI nodes with attributes (``label``, ``type``, ``iri``, ``x``/``y`` from
    the explorer's layout, and one per literal property) and one edge per IRI-valued triple
    (``rdf:type`` becomes the ``type`` attribute, not an edge), keyed by predicate.

    Counts, offsets and confidence are numbers (GraphML ``int``, ``long`` past 32 bits, or
    ``double``) so Gephi sizes and filters by them; other literals are strings, several values
    joined by `` | ``. Wikidata nodes (``owl:sameAs`` targets) take the label of what they
    identify."""
    import networkx as nx
    import numpy as np

    prefixes = sorted(PREFIXES, key=lambda p: (-len(p[1]), p[0]))
    numeric = _numeric_kinds(graph)
    names = {p: "label" if p == RDFS.label else _compact(str(p), prefixes) for p in numeric}
    nodes: dict[Node, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    numbers: dict[Node, dict[str, int | float]] = defaultdict(dict)
    edges: list[tuple[str, str, str, str]] = []
    for s, p, o in graph:
        attrs = nodes[s]
        if p == RDF.type and isinstance(o, URIRef):
            attrs["type"].append(_compact(str(o), prefixes))
        elif isinstance(o, Literal) and p in numeric:
            value = o.toPython()
            numbers[s][names[p]] = int(value) if numeric[p] == "int" else float(value)
        elif isinstance(o, Literal):
            attrs["label" if p == RDFS.label else _compact(str(p), prefixes)].append(str(o))
        else:
            nodes[o]  # noqa: B018 - an object IRI is a node even with no triples of its own
            edges.append((str(s), str(o), _compact(str(p), prefixes), str(p)))
    for s, o in graph.subject_objects(OWL.sameAs):
        if isinstance(o, URIRef) and str(o).startswith(str(WD)) and "label" not in nodes[o]:
            nodes[o]["wikidata_of"].extend(str(label) for label in graph.objects(s, RDFS.label))
    small = {
        name for name in set(names.values())
        if all(_INT32[0] <= v[name] <= _INT32[1] for v in numbers.values() if isinstance(v.get(name), int))
    }
    positions = layout_positions(graph)
    for s, o in sorted(graph.subject_objects(OWL.sameAs), key=lambda so: (str(so[1]), str(so[0]))):
        if str(s) in positions and str(o) not in positions:  # beside what it identifies
            x, y = positions[str(s)]
            positions[str(o)] = (x + 10.0, y + 10.0)
    out = nx.MultiDiGraph()
    for node in sorted(nodes, key=_order):
        values = nodes[node]
        wikidata_of = sorted(set(values.pop("wikidata_of", [])))
        attrs: dict[str, Any] = {
            key: _xml_safe(_MULTI_SEPARATOR.join(sorted(vals))) for key, vals in sorted(values.items())
        }
        for name, number in sorted(numbers.get(node, {}).items()):
            attrs[name] = np.int32(number) if isinstance(number, int) and name in small else number
        attrs["iri"] = str(node)
        if wikidata_of:
            attrs["label"] = _xml_safe(_MULTI_SEPARATOR.join(wikidata_of))
        attrs.setdefault("label", _compact(str(node), prefixes))
        if str(node) in positions:
            attrs["x"], attrs["y"] = (round(float(c), 3) for c in positions[str(node)])
        out.add_node(str(node), **attrs)
    for source, target, name, predicate in sorted(edges):
        out.add_edge(source, target, key=name, label=name, predicate=predicate)
    return out


def to_graphml(graph: Graph) -> str:
    """GraphML for Gephi (typed attributes; see :func:`to_networkx`)."""
    import networkx as nx

    buffer = io.BytesIO()
    nx.write_graphml_xml(to_networkx(graph), buffer, encoding="utf-8", prettyprint=True)
    return buffer.getvalue().decode("utf-8")


# --------------------------------------------------------------------------------------
# Dispatch

_TEXT_WRITERS: dict[str, Callable[[Graph], str]] = {
    "nt": to_ntriples,
    "jsonld": to_jsonld,
    "trig": to_trig,
    "graphml": to_graphml,
}


def check_format(fmt: str) -> str:
    """The format name, or an InputError (exit 2) naming the choices."""
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"unknown export format {fmt!r}: choose one of {', '.join(EXPORT_FORMATS)}")
    return fmt


def _cypher_text(graph: Graph) -> str:
    """The Cypher script as text, written through ``write_cypher`` (its one entry point)."""
    from kg.exporters.cypher import write_cypher

    with tempfile.TemporaryDirectory(prefix="kg-cypher-") as tmp:
        return write_cypher(graph, Path(tmp) / "graph.cypher").read_text("utf-8")


def serialize(graph: Graph, fmt: str, warn: Callable[[str], None] | None = None) -> str:
    """The graph in ``fmt`` (one of :data:`EXPORT_FORMATS`) as text; terms a strict parser
    would reject are fixed or left out first, with a warning line each (see ``safe_terms``)."""
    graph = sanitize(graph, _warner(warn))
    if check_format(fmt) == "cypher":
        return _cypher_text(graph)
    return _TEXT_WRITERS[fmt](graph)


def _warner(warn: Callable[[str], None] | None) -> Callable[[str], None]:
    return warn or (lambda line: logger.warning("warning: %s", line))


def export(
    graph: Graph, fmt: str, out: str | os.PathLike[str], warn: Callable[[str], None] | None = None
) -> Path:
    """Write the graph in ``fmt`` to ``out`` atomically; GraphError if it cannot be written."""
    target = Path(out)
    check_format(fmt)
    graph = sanitize(graph, _warner(warn))
    if fmt == "cypher":
        from kg.exporters.cypher import write_cypher

        return write_cypher(graph, target)
    return write_output(target, _TEXT_WRITERS[fmt](graph), fmt)
