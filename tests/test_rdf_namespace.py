"""The ontology, the namespace module and VOCABULARY.md agree; IRIs never carry raw text."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph

from kg.rdf.namespace import CIB, RES, hash16, iri_for, ontology_graph, ontology_terms, slug
from kg.records import COUNT_FIELDS

ROOT = Path(__file__).resolve().parents[1]
VOCABULARY = ROOT / "ontology" / "VOCABULARY.md"


def _sources() -> list[Path]:
    return sorted((ROOT / "kg").rglob("*.py"))


def test_every_cib_term_used_in_code_is_declared() -> None:
    used: dict[str, set[str]] = {}
    pattern = re.compile(r"""\bCIB(?:\.(\w+)|\[\s*["'](\w+)["']\s*\])""")
    for path in _sources():
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(match.group(1) or match.group(2), set()).add(path.name)
    assert used, "no CIB terms found: is the scan broken?"
    missing = {term: files for term, files in used.items() if term not in ontology_terms()}
    assert not missing, missing


def test_every_cib_term_in_queries_is_declared() -> None:
    used = {
        term: path.name
        for path in sorted((ROOT / "kg").rglob("*.rq"))
        for term in re.findall(r"\bcib:(\w+)", path.read_text(encoding="utf-8"))
    }
    missing = {term: name for term, name in used.items() if term not in ontology_terms()}
    assert not missing, missing


def test_count_fields_have_properties() -> None:
    for name in COUNT_FIELDS:
        head, *rest = name.split("_")
        CIB[head + "".join(p.capitalize() for p in rest)]


def test_unknown_term_raises() -> None:
    with pytest.raises(AttributeError):
        CIB.removes  # noqa: B018
    with pytest.raises(KeyError):
        CIB["Takedowns"]
    assert str(CIB.removed).endswith("#removed")


def test_vocabulary_and_ontology_agree() -> None:
    documented = set(re.findall(r"\bcib:(\w+)", VOCABULARY.read_text(encoding="utf-8")))
    assert documented == ontology_terms()


def test_ontology_is_complete_and_parses_strictly() -> None:
    graph = ontology_graph()
    for term in ontology_terms():
        node = CIB[term]
        assert graph.value(node, RDFS.label) is not None, term
        assert graph.value(node, RDFS.comment) is not None, term
        if (node, RDF.type, OWL.Class) not in graph:
            assert graph.value(node, RDFS.domain) is not None, term
            assert graph.value(node, RDFS.range) is not None, term
    assert len(set(graph.subjects(RDF.type, OWL.Ontology))) == 1
    text = resources.files("kg.rdf.ontology").joinpath("cib.ttl").read_bytes()
    assert len(list(pyoxigraph.parse(text, pyoxigraph.RdfFormat.TURTLE))) == len(graph)
    assert len(Graph().parse(data=text, format="turtle")) == len(graph)


def test_object_and_datatype_properties() -> None:
    graph = ontology_graph()
    for term in ontology_terms():
        node = CIB[term]
        rng = graph.value(node, RDFS.range)
        if (node, RDF.type, OWL.DatatypeProperty) in graph:
            assert str(rng).startswith("http://www.w3.org/2001/XMLSchema#"), term
        elif (node, RDF.type, OWL.ObjectProperty) in graph:
            assert isinstance(rng, BNode) or str(rng).startswith(str(CIB)), term


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Facebook", "facebook"),
        ("People's Republic of China", "people-s-republic-of-china"),
        ("X (formerly Twitter)", "x-formerly-twitter"),
        ("  Internet  Research\tAgency ", "internet-research-agency"),
    ],
)
def test_slug(name: str, expected: str) -> None:
    assert slug(name) == expected
    assert iri_for("state", name) == RES[f"state/{expected}"]


@pytest.mark.parametrize(
    "name", ["Türkiye", "中国", "<script>alert(1)</script>é", "a\u200fb", "😀", "", "---", "x" * 65]
)
def test_unsluggable_names_are_hashed(name: str) -> None:
    assert slug(name) == hash16(name)
    assert re.fullmatch(r"[0-9a-f]{16}", slug(name))


def test_iri_kinds() -> None:
    assert iri_for("organisation", "GRU") == iri_for("org", "GRU") == RES["org/gru"]
    assert iri_for("takedown", "Facebook|2018") == RES[f"takedown/{hash16('Facebook|2018')}"]
    assert iri_for("article", "0123456789abcdef") == RES["article/0123456789abcdef"]
    assert iri_for("article", "../../etc/passwd") == RES[f"article/{hash16('../../etc/passwd')}"]
    with pytest.raises(ValueError):
        iri_for("tweet", "x")


def test_term_cache_looks_up_once_and_still_rejects_typos() -> None:
    from kg.rdf.namespace import TermCache

    terms = TermCache(CIB)
    assert terms.Takedown == CIB.Takedown
    assert "Takedown" in vars(terms)  # a plain attribute from now on
    assert terms.Takedown is terms.Takedown
    with pytest.raises(AttributeError):
        terms.Takedwon  # noqa: B018 - the lookup is the test
    assert "Takedwon" not in vars(terms)
