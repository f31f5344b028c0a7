"""``kg export``: every format parses back to the graph it came from, deterministically.

N-Triples, JSON-LD and TriG are read back with rdflib and pyoxigraph; TriG holds one named
graph per source article; GraphML loads in networkx with the node and edge counts the graph
implies. Runs on the seed build (the real builder's output), plus the SHACL base fixture for
tests that need no spaCy model.
"""

from __future__ import annotations

import random
from pathlib import Path

import networkx as nx
import pytest
from rdf_tools import build_corpus, parse_oxigraph
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL
from typer.testing import CliRunner

from kg.cli import app
from kg.exporters.formats import (
    EXPORT_FORMATS,
    FACT_CLASSES,
    SUFFIXES,
    export,
    serialize,
    split_by_article,
)
from kg.rdf.graph import load_graph
from kg.rdf.namespace import CIB

ROOT = Path(__file__).resolve().parent.parent
BASE = Path(__file__).resolve().parent / "data" / "shapes" / "base.ttl"
RDF_FORMATS = ("nt", "jsonld", "trig")
runner = CliRunner()


@pytest.fixture(scope="module")
def seed_ttl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(ROOT / "corpus", tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module", params=["base", pytest.param("seed", marks=pytest.mark.model)])
def source(request: pytest.FixtureRequest) -> Path:
    """A graph file: the small SHACL base fixture, and the seed build when the model is there."""
    return BASE if request.param == "base" else request.getfixturevalue("seed_ttl")


def _read(path: Path, fmt: str) -> Graph:
    """The export read back with rdflib, all named graphs merged."""
    if fmt == "trig":
        dataset = Dataset()
        dataset.parse(path, format="trig")
        merged = Graph()
        for _s, _p, _o, _g in dataset.quads():
            merged.add((_s, _p, _o))
        return merged
    return Graph().parse(path, format={"nt": "nt", "jsonld": "json-ld"}[fmt])


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_rdf_exports_round_trip(fmt: str, source: Path, tmp_path: Path) -> None:
    graph = load_graph(source)
    out = export(graph, fmt, tmp_path / f"graph{SUFFIXES[fmt]}")
    assert set(_read(out, fmt)) == set(graph)
    expected = len(graph) if fmt != "trig" else len(list(_trig_quads(graph)))
    assert parse_oxigraph(out) == expected


def _trig_quads(graph: Graph) -> list[tuple[object, ...]]:
    default, named = split_by_article(graph)
    return [(*t, None) for t in default] + [(*t, g) for g, sub in named.items() for t in sub]


def test_trig_has_one_graph_per_article_with_its_facts(source: Path, tmp_path: Path) -> None:
    import pyoxigraph

    graph = load_graph(source)
    out = export(graph, "trig", tmp_path / "graph.trig")
    articles = {a for a in graph.objects(None, CIB.inArticle)} | {
        a for a in graph.objects(None, CIB.reportedIn)
    }
    dataset = Dataset()
    dataset.parse(out, format="trig")
    named = {g.identifier: g for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier}
    assert set(named) == articles and articles
    facts = {s for cls in FACT_CLASSES for s in graph.subjects(RDF.type, cls)}
    for article, sub in named.items():
        assert len(sub) > 0
        assert {s for s in sub.subjects()} <= facts
        for mention in sub.subjects(RDF.type, CIB.Mention):
            assert (mention, CIB.inArticle, article) in graph
        for fact in set(sub.subjects()) - set(sub.subjects(RDF.type, CIB.Mention)):
            assert (fact, CIB.reportedIn, article) in graph
    default = dataset.default_graph
    assert not {s for s in default.subjects()} & facts
    assert (None, CIB.removed, None) in default and (None, RDF.type, CIB.Article) in default
    oxi_graphs = {q.graph_name for q in pyoxigraph.parse(path=str(out), format=pyoxigraph.RdfFormat.TRIG)}
    assert {str(g.value) for g in oxi_graphs if isinstance(g, pyoxigraph.NamedNode)} == {
        str(a) for a in articles
    }


def test_jsonld_has_context_for_the_vocabularies(source: Path) -> None:
    import json

    document = json.loads(serialize(load_graph(source), "jsonld"))
    context = document["@context"]
    assert context["cib"] == str(CIB) and context["schema"] == "https://schema.org/"
    assert context["prov"] == "http://www.w3.org/ns/prov#"
    ids = [node["@id"] for node in document["@graph"]]
    assert ids == sorted(ids) and all(i.startswith(("cibr:", "wd:")) for i in ids)


def test_graphml_loads_in_networkx_with_matching_counts(source: Path, tmp_path: Path) -> None:
    graph = load_graph(source)
    out = export(graph, "graphml", tmp_path / "graph.graphml")
    loaded = nx.read_graphml(out)
    edges = [(s, p, o) for s, p, o in graph if isinstance(o, URIRef) and p != RDF.type]
    nodes = {s for s in graph.subjects()} | {o for _s, _p, o in edges}
    assert loaded.number_of_nodes() == len(nodes)
    assert loaded.number_of_edges() == len(edges)
    numeric = {"x", "y", "cib:accounts", "cib:pages", "cib:groups", "cib:channels", "cib:combinedCount",
               "cib:instagramAccounts", "cib:startOffset", "cib:endOffset", "cib:confidence",
               "cib:articlesRead", "cib:articlesWithFacts", "cib:articlesWithoutFacts",
               "cib:duplicateArticles"}
    for _node, attrs in loaded.nodes(data=True):
        assert all(isinstance(v, str) for k, v in attrs.items() if k not in numeric)
        assert "label" in attrs and "iri" in attrs
    for _s, _o, attrs in loaded.edges(data=True):
        assert all(isinstance(v, str) for v in attrs.values()) and attrs["label"]
    typed = {n: a["type"] for n, a in loaded.nodes(data=True) if "type" in a}
    assert set(typed.values()) >= {"cib:Takedown", "cib:Platform", "cib:State", "cib:Mention"}


@pytest.mark.parametrize("fmt", [f for f in EXPORT_FORMATS if f != "cypher"])
def test_exports_are_deterministic(fmt: str, source: Path) -> None:
    graph = load_graph(source)
    triples = list(graph)
    random.Random(7).shuffle(triples)
    shuffled = Graph()
    for triple in triples:
        shuffled.add(triple)
    assert serialize(shuffled, fmt) == serialize(graph, fmt)


def test_export_replaces_the_file_atomically(tmp_path: Path) -> None:
    out = tmp_path / "graph.nt"
    out.write_text("old", encoding="utf-8")
    export(load_graph(BASE), "nt", out)
    assert out.read_text("utf-8").startswith("<https://w3id.org/cib-kg/id/")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nt"]


def test_nt_escapes_control_characters(tmp_path: Path) -> None:
    graph = Graph()
    text = 'a "quoted" \\ back\nslash \x01\x7f\u2028 🚀'
    graph.add(
        (
            URIRef("https://w3id.org/cib-kg/id/x"),
            URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal(text),
        )
    )
    out = export(graph, "nt", tmp_path / "g.nt")
    assert out.read_text("utf-8").count("\n") == 1
    assert str(next(iter(_read(out, "nt").objects()))) == text


# ---------------------------------------------------------------------------------------
# CLI


@pytest.mark.parametrize("fmt", RDF_FORMATS + ("graphml",))
def test_cli_export_to_file(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"g{SUFFIXES[fmt]}"
    result = runner.invoke(app, ["export", str(BASE), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {out}"
    assert out.read_text("utf-8") == serialize(load_graph(BASE), fmt)


def test_cli_export_to_stdout_defaults_to_ntriples() -> None:
    result = runner.invoke(app, ["export", str(BASE)])
    assert result.exit_code == 0, result.output
    assert set(Graph().parse(data=result.stdout, format="nt")) == set(load_graph(BASE))


def test_cli_export_cypher_dispatches_to_the_cypher_exporter(tmp_path: Path) -> None:
    out = tmp_path / "g.cypher"
    result = runner.invoke(app, ["export", str(BASE), "-f", "cypher", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 0
    assert "Dmitry Peskov" in out.read_text("utf-8")


@pytest.mark.parametrize("fmt", ["xml", "NT", ""])
def test_cli_export_unknown_format_exits_2_with_one_line(fmt: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(BASE), "--format", fmt, "-o", str(tmp_path / "x")])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: unknown export format")
    assert not (tmp_path / "x").exists()


def test_cli_export_unreadable_graph_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", str(tmp_path / "missing.ttl"), "-f", "nt"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "Traceback" not in result.output


GRAPHML_XSD = """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:g="http://graphml.graphdrawing.org/xmlns"
    targetNamespace="http://graphml.graphdrawing.org/xmlns" elementFormDefault="qualified">
  <!-- The part of GraphML 1.0 (graphml.xsd + graphml-structure.xsd) these exports use, with
       its key/data rules: attr.type from the GraphML list, data keys must name a declared key. -->
  <xs:simpleType name="type"><xs:restriction base="xs:NMTOKEN">
    <xs:enumeration value="boolean"/><xs:enumeration value="int"/><xs:enumeration value="long"/>
    <xs:enumeration value="float"/><xs:enumeration value="double"/><xs:enumeration value="string"/>
  </xs:restriction></xs:simpleType>
  <xs:complexType name="data"><xs:simpleContent><xs:extension base="xs:string">
    <xs:attribute name="key" type="xs:NMTOKEN" use="required"/>
  </xs:extension></xs:simpleContent></xs:complexType>
  <xs:element name="graphml"><xs:complexType><xs:sequence>
    <xs:element name="key" minOccurs="0" maxOccurs="unbounded"><xs:complexType>
      <xs:attribute name="id" type="xs:NMTOKEN" use="required"/>
      <xs:attribute name="for" use="required"><xs:simpleType><xs:restriction base="xs:NMTOKEN">
        <xs:enumeration value="node"/><xs:enumeration value="edge"/><xs:enumeration value="graph"/>
      </xs:restriction></xs:simpleType></xs:attribute>
      <xs:attribute name="attr.name" type="xs:string" use="required"/>
      <xs:attribute name="attr.type" type="g:type" use="required"/>
    </xs:complexType></xs:element>
    <xs:element name="graph"><xs:complexType><xs:sequence>
      <xs:element name="node" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
        <xs:element name="data" type="g:data" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence><xs:attribute name="id" type="xs:string" use="required"/></xs:complexType></xs:element>
      <xs:element name="edge" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
        <xs:element name="data" type="g:data" minOccurs="0" maxOccurs="unbounded"/>
      </xs:sequence>
        <xs:attribute name="id" type="xs:string"/>
        <xs:attribute name="source" type="xs:string" use="required"/>
        <xs:attribute name="target" type="xs:string" use="required"/>
      </xs:complexType></xs:element>
    </xs:sequence><xs:attribute name="edgedefault" type="xs:NMTOKEN" use="required"/>
    </xs:complexType></xs:element>
  </xs:sequence></xs:complexType>
    <xs:key name="keyId"><xs:selector xpath="g:key"/><xs:field xpath="@id"/></xs:key>
    <xs:keyref name="dataKey" refer="g:keyId">
      <xs:selector xpath=".//g:data"/><xs:field xpath="@key"/>
    </xs:keyref>
  </xs:element>
</xs:schema>
"""
_XSD_CHECK = {"int": int, "long": int, "double": float, "float": float, "string": str}


def test_graphml_is_typed_for_gephi(source: Path, tmp_path: Path) -> None:
    """Numbers come back as numbers, every value parses as its key's type, the file passes the
    schema, each attribute name has one key, layout positions and Wikidata labels are there."""
    from lxml import etree

    from kg.rdf.namespace import WD

    graph = load_graph(source)
    out = export(graph, "graphml", tmp_path / "graph.graphml")
    schema = etree.XMLSchema(etree.fromstring(GRAPHML_XSD.encode()))
    doc = etree.parse(str(out))
    assert schema.validate(doc), schema.error_log
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    keys = {
        k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in doc.iterfind("g:key", ns)
    }
    names = [(scope, name) for scope, name, _ in keys.values()]
    assert len(names) == len(set(names)), "an attribute name declared with two types"
    for data in doc.iterfind(".//g:data", ns):
        _XSD_CHECK[keys[data.get("key")][2]](data.text)  # raises if a value is not of its type
    types = {name: kind for _scope, name, kind in keys.values()}
    assert types["x"] == types["y"] == "double"
    if any(True for _ in graph.subjects(CIB.accounts)):
        assert types["cib:accounts"] == "int"
    assert types["cib:confidence"] == "double" and types["cib:startOffset"] == "int"

    loaded = nx.read_graphml(out)
    for node, attrs in loaded.nodes(data=True):
        for name in ("cib:accounts", "cib:startOffset", "cib:endOffset"):
            assert name not in attrs or type(attrs[name]) is int, (node, name)
        assert "cib:confidence" not in attrs or type(attrs["cib:confidence"]) is float
    mentions = [a for _n, a in loaded.nodes(data=True) if a.get("type") == "cib:Mention"]
    assert mentions and all(isinstance(a["cib:confidence"], float) for a in mentions)
    placed = [n for n, a in loaded.nodes(data=True) if "x" in a]
    assert len(placed) >= loaded.number_of_nodes() // 2
    assert all(isinstance(loaded.nodes[n]["x"], float) for n in placed)
    wikidata = [n for n in loaded.nodes if n.startswith(str(WD))]
    for node in wikidata:
        same = [s for s in graph.subjects(OWL.sameAs, URIRef(node))]
        labels = sorted({str(graph.value(s, RDFS.label)) for s in same})
        assert loaded.nodes[node]["label"] == " | ".join(labels)
        assert "x" in loaded.nodes[node]


def test_graphml_numbers_fall_back_to_text_when_mixed() -> None:
    """A property with a non-number (or two values on one node) stays text: one type per key."""
    from kg.exporters.formats import to_networkx

    g = Graph()
    a, b = URIRef("http://example.org/a"), URIRef("http://example.org/b")
    count, score = URIRef("http://example.org/count"), URIRef("http://example.org/score")
    g.add((a, count, Literal(3)))
    g.add((b, count, Literal("about 3")))
    g.add((a, score, Literal(2**40)))
    g.add((b, score, Literal(0.5)))
    nodes = to_networkx(g).nodes
    assert nodes[str(a)]["http://example.org/count"] == "3"
    assert nodes[str(a)]["http://example.org/score"] == float(2**40)


# ---------------------------------------------------------------- events.jsonl joins graph.ttl


@pytest.mark.model
def test_events_jsonl_and_graph_join_on_the_event_id(generated_build: Path) -> None:
    """Every takedown and denial record of events.jsonl names its event, and the graph carries
    the same id as ``cib:eventId`` on that event: the two files join both ways (110 articles)."""
    import json

    rows = [json.loads(line) for line in (generated_build / "events.jsonl").read_text("utf-8").splitlines()]
    in_jsonl: dict[str, set[str]] = {"takedowns": set(), "denials": set()}
    for row in rows:
        for kind in in_jsonl:
            for record in row[kind]:
                assert record["event"], (row["file"], kind, record)
                in_jsonl[kind].add(record["event"])
    graph = Graph().parse(generated_build / "graph.ttl")
    query = """PREFIX cib: <https://w3id.org/cib-kg/ontology#>
               SELECT ?id WHERE { ?event a ?class ; cib:eventId ?id }"""
    in_ttl = {kind: {str(r.id) for r in graph.query(query, initBindings={"class": CIB[cls]})}
              for kind, cls in (("takedowns", "Takedown"), ("denials", "Denial"))}
    assert len(in_jsonl["takedowns"]) > 100 and len(in_jsonl["denials"]) > 20, in_jsonl
    assert in_jsonl == in_ttl
    # one id per event: as many ids as Takedown and Denial nodes
    assert len(in_ttl["takedowns"]) == len(set(graph.subjects(RDF.type, CIB.Takedown)))
    assert len(in_ttl["denials"]) == len(set(graph.subjects(RDF.type, CIB.Denial)))
    # and every takedown has a date to chart by (every generated article has a date line), and
    # says which it is
    for takedown in graph.subjects(RDF.type, CIB.Takedown):
        assert graph.value(takedown, CIB.chartDate), takedown
        assert str(graph.value(takedown, CIB.chartDateSource)) in ("reported date", "first report"), takedown


def test_denial_records_name_their_event() -> None:
    """A denial record says which merged denial (the graph's cib:eventId) it belongs to."""
    from datetime import date

    from kg.exporters.events import record_event_ids, to_record
    from kg.records import ArticleFacts, ArticleMeta, Denial, Evidence
    from kg.resolve import resolve

    facts = []
    for aid in ("a1", "a2"):
        ev = Evidence(aid, f"{aid}.txt", "Moscow denied it.", 0, 17, "rule", 0.9)
        denial = Denial("Russia", "Dmitry Peskov", ("Facebook",), "absurd", date(2020, 1, 2), ev)
        meta = ArticleMeta(aid, f"{aid}.txt", f"{aid}.txt", aid, date(2020, 1, 3))
        facts.append(ArticleFacts(meta, (), (denial,)))
    corpus = resolve(facts)
    ids = record_event_ids(corpus)
    events = {to_record(f, ids)["denials"][0]["event"] for f in facts}
    assert events == {d.key for d in corpus.denials} and None not in events
