"""The graph in the other syntaxes users load: N-Triples, JSON-LD, TriG, GraphML (and Cypher).

Every writer sorts what it writes, so the same graph gives the same bytes whatever order
rdflib iterates it in, and files are written atomically (a killed export leaves the old file).
Literal escaping reuses the Turtle writer's rules (:func:`kg.graph.serialize_turtle`), which
the strict parsers (raptor, serd, RDF4J Rio) accept.

* ``nt``: one sorted line per triple, for line tools and bulk loaders.
* ``jsonld``: a flat ``@graph`` of node objects with a ``@context`` of the graph's prefixes.
* ``trig``: one named graph per source article holding the facts it reports (Takedown,
  Denial, Claim and Mention nodes with their properties); entities, core triples and article
  nodes stay in the default graph. A fact reported in two articles is in both graphs, so
  ``GRAPH ?article { ... }`` asks "what does this article say" and the union is the graph.
* ``graphml``: a networkx MultiDiGraph for Gephi: IRIs become nodes, IRI-valued triples
  edges, literals string attributes (Gephi rejects mixed attribute types).
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

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.atomic import write_output
from kg.errors import GraphError, InputError
from kg.exporters.safe_terms import logger, sanitize
from kg.graph import _escape, _order, serialize_turtle
from kg.namespace import CIB, PREFIXES

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


def to_networkx(graph: Graph) -> Any:
    """A MultiDiGraph: IRI nodes with string attributes (``label``, ``type``, ``iri`` and one
    per literal property, several values joined by `` | ``) and one edge per IRI-valued
    triple (``rdf:type`` becomes the ``type`` attribute, not an edge), keyed by predicate."""
    import networkx as nx

    prefixes = sorted(PREFIXES, key=lambda p: (-len(p[1]), p[0]))
    nodes: dict[Node, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    edges: list[tuple[str, str, str, str]] = []
    for s, p, o in graph:
        attrs = nodes[s]
        if p == RDF.type and isinstance(o, URIRef):
            attrs["type"].append(_compact(str(o), prefixes))
        elif isinstance(o, Literal):
            attrs["label" if p == RDFS.label else _compact(str(p), prefixes)].append(str(o))
        else:
            nodes[o]  # noqa: B018 - an object IRI is a node even with no triples of its own
            edges.append((str(s), str(o), _compact(str(p), prefixes), str(p)))
    out = nx.MultiDiGraph()
    for node in sorted(nodes, key=_order):
        attrs = {
            key: _xml_safe(_MULTI_SEPARATOR.join(sorted(values)))
            for key, values in sorted(nodes[node].items())
        }
        attrs["iri"] = str(node)
        attrs.setdefault("label", _compact(str(node), prefixes))
        out.add_node(str(node), **attrs)
    for source, target, name, predicate in sorted(edges):
        out.add_edge(source, target, key=name, label=name, predicate=predicate)
    return out


def to_graphml(graph: Graph) -> str:
    """GraphML for Gephi (string attributes only; see :func:`to_networkx`)."""
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
