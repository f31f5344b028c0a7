"""graph.cypher: the graph as an idempotent Cypher script, for Neo4j without the n10s plugin.

The script builds the same property graph that neosemantics (n10s) builds from graph.ttl with
``handleVocabUris: 'IGNORE'`` and ``handleMultival: 'ARRAY'`` (see docs/neo4j.md), so the same
Cypher questions run on either route:

* every node is ``:Resource {uri: IRI}`` plus one label per ``rdf:type`` (the class local name:
  ``:Takedown``, ``:State``...), merged on the IRI under a uniqueness constraint, so running the
  script twice, or after an n10s import, changes nothing;
* a literal-valued predicate becomes a property named by its local name (``xsd:integer`` ->
  integer, ``xsd:decimal``/``double``/``float`` -> float, ``xsd:date`` -> ``date(...)``,
  ``xsd:boolean`` -> boolean, anything else -> string); :data:`MULTIVALUED` properties are
  always lists, as n10s's ``multivalPropList`` makes them;
* an IRI-valued predicate becomes a relationship typed by its local name (``:removed``).

Article text is untrusted: strings are single-quoted Cypher literals with backslash, quotes and
every control, format or separator character escaped, and identifiers are backtick-quoted
unless they are plain ASCII names. Statements are sorted, so the same graph gives the same bytes.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from rdflib import RDF, XSD, BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import GraphError
from kg.rdf.namespace import CIB
from kg.util.atomic import write_output

#: Literal properties stored as lists (sorted) on every node, as n10s does for ``multivalPropList``.
#: The literal properties the graph builder gives several values: cib:wording (one Claim may be
#: worded "linked to" in one article and "state-backed" in another), and on a takedown several
#: articles report, cib:mergedOn (the keys that agreed) and cib:reportedFigures (one per source).
MULTIVALUED: frozenset[URIRef] = frozenset({CIB.wording, CIB.mergedOn, CIB.reportedFigures})
#: Label every node carries, and the key n10s and this script merge on.
RESOURCE_LABEL = "Resource"
URI_KEY = "uri"
#: Name of the ``:Resource(uri)`` constraint: the one n10s documents, so both routes share it.
RESOURCE_CONSTRAINT = "n10s_unique_uri"
#: Rows per ``UNWIND`` statement: one transaction each in cypher-shell, small enough to stay fast.
BATCH = 500

_INTEGER_TYPES = frozenset(
    str(XSD[name])
    for name in (
        "integer", "long", "int", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
)
_FLOAT_TYPES = frozenset({str(XSD.decimal), str(XSD.double), str(XSD.float)})
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_INT64 = (-(2**63), 2**63 - 1)
_SIMPLE_ESCAPES = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Unicode categories written as \u escapes: controls, format characters (bidi overrides, BOM,
# zero-width), line/paragraph separators, surrogates, private use and unassigned code points.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


# --------------------------------------------------------------------------------------
# Cypher lexical forms


def _escape_char(char: str) -> str:
    simple = _SIMPLE_ESCAPES.get(char)
    if simple is not None:
        return simple
    category = unicodedata.category(char)
    if category not in _ESCAPED_CATEGORIES:
        return char
    if category == "Cs":  # a lone surrogate (undecodable input) is no character: U+FFFD
        return "\\uFFFD"
    code = ord(char)
    if code > 0xFFFF:  # \u takes four digits: write the UTF-16 surrogate pair Neo4j's JVM reads
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04X}\\u{0xDC00 + (code & 0x3FF):04X}"
    return f"\\u{code:04X}"


def cypher_string(value: str) -> str:
    """A single-quoted Cypher string literal that cannot end early or smuggle a line break."""
    return "'" + "".join(_escape_char(c) for c in value) + "'"


def cypher_name(name: str) -> str:
    """A label, relationship type or property key: bare when a plain ASCII name, else backticked."""
    if _PLAIN_NAME.fullmatch(name):
        return name
    if not name or any(unicodedata.category(c) in _ESCAPED_CATEGORIES for c in name):
        raise GraphError(f"cannot write {name!r} as a Cypher name: it is empty or has control characters")
    return "`" + name.replace("`", "``") + "`"


def local_name(iri: str) -> str:
    """The IRI's local name as RDF4J (and so n10s with ``handleVocabUris: 'IGNORE'``) cuts it:
    after the first ``#``, else after the last ``/``, else after the last ``:``."""
    cut = iri.find("#")
    if cut < 0:
        cut = iri.rfind("/")
    if cut < 0:
        cut = iri.rfind(":")
    return iri[cut + 1 :]


def _uri(node: Node) -> str:
    """The ``uri`` of a node: its IRI, or ``bnode://id`` as n10s names blank nodes."""
    return f"bnode://{node}" if isinstance(node, BNode) else str(node)


def _valid_date(lexical: str) -> bool:
    """A real calendar day: ``date('2020-13-45')`` would fail the whole statement in Neo4j."""
    try:
        date.fromisoformat(lexical)
    except ValueError:
        return False
    return True


def cypher_value(literal: Literal) -> str:
    """The Cypher expression of a literal, with the type n10s gives the same literal."""
    lexical = str(literal)
    datatype = str(literal.datatype) if literal.datatype is not None else None
    if datatype in _INTEGER_TYPES and _INTEGER.fullmatch(lexical.strip()):
        number = int(lexical)
        if _INT64[0] <= number <= _INT64[1]:
            return str(number)
    elif datatype in _FLOAT_TYPES:
        try:
            number_f = float(lexical)
        except ValueError:
            number_f = math.nan
        if math.isfinite(number_f):
            return repr(number_f)
    elif datatype == str(XSD.boolean) and lexical.strip() in ("true", "false", "1", "0"):
        return "true" if lexical.strip() in ("true", "1") else "false"
    elif datatype == str(XSD.date) and _DATE.fullmatch(lexical) and _valid_date(lexical):
        return f"date({cypher_string(lexical)})"
    return cypher_string(lexical)


# --------------------------------------------------------------------------------------
# The property-graph model


class PropertyGraph:
    """Nodes, labels, properties and relationships the script creates (also what tests compare)."""

    def __init__(self, graph: Graph) -> None:
        self.labels: dict[str, set[str]] = {}
        self.properties: dict[str, dict[str, list[tuple[str, str]]]] = defaultdict(lambda: defaultdict(list))
        self.multivalued: set[str] = {local_name(p) for p in MULTIVALUED}
        self.relationships: dict[str, set[tuple[str, str]]] = defaultdict(set)
        for s, p, o in graph:
            subject = _uri(s)
            self.labels.setdefault(subject, set())  # every subject is a node, even untyped
            if p == RDF.type and isinstance(o, URIRef):
                self.labels[subject].add(local_name(str(o)))
            elif isinstance(o, Literal):
                self.properties[subject][local_name(str(p))].append((cypher_value(o), str(o)))
                if p in MULTIVALUED:
                    self.multivalued.add(local_name(str(p)))
            else:
                self.relationships[local_name(str(p))].add((subject, _uri(o)))
                self.labels.setdefault(_uri(o), set())

    def node_map(self, uri: str) -> str:
        """``{uri: '…', key: value, …}``: the node's whole property map, keys sorted."""
        entries = []
        for key in sorted(self.properties.get(uri, {})):
            if key == URI_KEY:
                continue  # the IRI is the identity; a predicate named ``uri`` cannot replace it
            values = sorted(set(self.properties[uri][key]), key=lambda v: (v[1], v[0]))
            if len(values) == 1 and key not in self.multivalued:
                rendered = values[0][0]
            else:
                # Several values of a property outside MULTIVALUED are kept too, rather than
                # dropping all but one as n10s's default does.
                rendered = "[" + ", ".join(v[0] for v in values) + "]"
            entries.append(f"{cypher_name(key)}: {rendered}")
        return "{" + ", ".join([f"{URI_KEY}: {cypher_string(uri)}", *entries]) + "}"


def _batches(rows: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def to_cypher(graph: Graph) -> str:
    """The graph as a Cypher script: constraints, then nodes, then relationships, all ``MERGE``.

    Re-running it is a no-op; it never deletes, so to replace an older load start from an empty
    database (``MATCH (n:Resource) DETACH DELETE n``).
    """
    model = PropertyGraph(graph)
    labels = sorted({label for node_labels in model.labels.values() for label in node_labels})
    out = [
        "// cib-kg graph as Cypher (kg.exporters.cypher). Idempotent: MERGE on :Resource {uri}.",
        "// Same model as neosemantics with handleVocabUris 'IGNORE' (docs/neo4j.md).",
        f"CREATE CONSTRAINT {RESOURCE_CONSTRAINT} IF NOT EXISTS "
        f"FOR (n:{RESOURCE_LABEL}) REQUIRE n.{URI_KEY} IS UNIQUE;",
    ]
    for label in labels:
        constraint = cypher_name("cib_uri_" + re.sub(r"[^A-Za-z0-9_]", "_", label))
        out.append(
            f"CREATE CONSTRAINT {constraint} IF NOT EXISTS FOR (n:{cypher_name(label)}) "
            f"REQUIRE n.{URI_KEY} IS UNIQUE;"
        )

    by_labels: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for uri in sorted(model.labels):
        by_labels[tuple(sorted(model.labels[uri]))].append(uri)
    for label_set in sorted(by_labels):
        set_labels = "".join(f" SET n:{cypher_name(label)}" for label in label_set)
        for batch in _batches([model.node_map(uri) for uri in by_labels[label_set]]):
            rows = ",\n  ".join(batch)
            out.append(
                f"UNWIND [\n  {rows}\n] AS row\n"
                f"MERGE (n:{RESOURCE_LABEL} {{{URI_KEY}: row.{URI_KEY}}}) SET n = row{set_labels};"
            )

    for rel_type in sorted(model.relationships):
        edges = sorted(model.relationships[rel_type])
        pairs = [f"[{cypher_string(s)}, {cypher_string(o)}]" for s, o in edges]
        for batch in _batches(pairs):
            rows = ",\n  ".join(batch)
            out.append(
                f"UNWIND [\n  {rows}\n] AS pair\n"
                f"MERGE (a:{RESOURCE_LABEL} {{{URI_KEY}: pair[0]}}) "
                f"MERGE (b:{RESOURCE_LABEL} {{{URI_KEY}: pair[1]}}) "
                f"MERGE (a)-[:{cypher_name(rel_type)}]->(b);"
            )
    return "\n".join(out) + "\n"


def write_cypher(graph: Graph, path: str | os.PathLike[str]) -> Path:
    """Write :func:`to_cypher` atomically: Neo4j never loads half a script."""
    return write_output(path, to_cypher(graph), "Cypher script")
