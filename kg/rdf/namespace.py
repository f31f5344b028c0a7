"""The one place code gets ontology terms and resource IRIs.

``CIB`` is built from the terms ``kg/rdf/ontology/cib.ttl`` actually declares, so a typo or an
undeclared term fails loudly (``AttributeError``/``KeyError``) instead of writing a term no
ontology defines. The prefix IRIs are read from the same file's ``@prefix`` lines. IRIs for
resources are minted only by :func:`iri_for`, which keeps article text out of them: names are
slugged to ``[a-z0-9-]`` or hashed, event keys are always hashed.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources

from rdflib import OWL, RDF, Graph, Namespace, URIRef
from rdflib.namespace import PROV as _RDFLIB_PROV
from rdflib.namespace import ClosedNamespace, DefinedNamespace

#: Where the ontology ships (package data, so an installed ``kg`` finds it too).
ONTOLOGY_PACKAGE = "kg.rdf.ontology"
ONTOLOGY_FILE = "cib.ttl"

#: Resource kinds and the IRI path segment each is minted under (``cibr:{segment}/...``).
#: Entity kinds are slugged from a name; event kinds are hashed from a record key.
ENTITY_KINDS: dict[str, str] = {
    "platform": "platform",
    "state": "state",
    "org": "org",
    "organisation": "org",
    "organization": "org",
    "person": "person",
}
EVENT_KINDS: frozenset[str] = frozenset({"takedown", "network", "claim", "denial", "mention"})

#: Longest slug kept readable; longer names are hashed so IRIs stay short.
MAX_SLUG = 64

_DECLARING_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
_SAFE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_ASCII_SEPARATORS = re.compile(r"[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")


def ontology_text() -> str:
    """The ontology Turtle, read from the installed package."""
    return packaged_text(ONTOLOGY_FILE)


def packaged_text(name: str) -> str:
    """A Turtle file shipped in the ontology package (``cib.ttl``, ``shapes.ttl``)."""
    return resources.files(ONTOLOGY_PACKAGE).joinpath(name).read_text("utf-8")


@lru_cache(maxsize=4)
def packaged_graph(name: str) -> Graph:
    """A parsed packaged Turtle file (cached; callers must not modify it)."""
    graph = Graph(bind_namespaces="none")
    graph.parse(data=packaged_text(name), format="turtle")
    return graph


def ontology_graph() -> Graph:
    """The parsed ontology (cached; callers must not modify it)."""
    return packaged_graph(ONTOLOGY_FILE)


def _prefix(name: str) -> str:
    for prefix, iri in ontology_graph().namespaces():
        if prefix == name:
            return str(iri)
    raise RuntimeError(f"{ONTOLOGY_FILE} declares no @prefix {name}:")


CIB_IRI = _prefix("cib")


def ontology_terms() -> set[str]:
    """Local names of every class and property the ontology declares in the ``cib:`` namespace."""
    terms: set[str] = set()
    for kind in _DECLARING_TYPES:
        for subject in ontology_graph().subjects(RDF.type, kind):
            if isinstance(subject, URIRef) and subject.startswith(CIB_IRI):
                terms.add(subject[len(CIB_IRI) :])
    return terms


#: Ontology terms: ``CIB.Takedown``, ``CIB.removed``. Undeclared names raise.
CIB = ClosedNamespace(CIB_IRI, sorted(ontology_terms()))


class TermCache:
    """A namespace's terms as plain attributes, each looked up (and so checked) only once.

    ``ClosedNamespace`` validates the name on every access (microseconds each); the graph
    stage names a few dozen terms tens of thousands of times per build. An undeclared name
    still raises, on its first use.
    """

    def __init__(self, namespace: ClosedNamespace | Namespace | type[DefinedNamespace]) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("__"):  # copy, pickle and friends probe for dunders
            raise AttributeError(name)
        term: URIRef = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


#: Base of every resource IRI minted by :func:`iri_for`.
RES = Namespace(_prefix("cibr"))
WD = Namespace(_prefix("wd"))
SCHEMA = Namespace(_prefix("schema"))
#: rdflib's closed PROV namespace when the IRIs agree (so typos raise), else an open one.
PROV = _RDFLIB_PROV if str(_RDFLIB_PROV) == _prefix("prov") else Namespace(_prefix("prov"))

#: Prefixes a serialiser should bind, in output order.
PREFIXES: tuple[tuple[str, str], ...] = tuple(
    sorted((str(p), str(iri)) for p, iri in ontology_graph().namespaces() if p)
)


def hash16(key: str) -> str:
    """First 16 hex digits of the SHA-256 of ``key`` (UTF-8): the ``{h}`` of VOCABULARY.md."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def slug(name: str) -> str:
    """``[a-z0-9-]`` slug of ``name``, or its :func:`hash16` when no clean, short slug exists.

    ASCII punctuation and whitespace become ``-`` (as ``kg.lexicon.gazetteer.slug`` does for ASCII
    names); a name with any other character (accents, scripts, emoji, control characters),
    an empty slug or one longer than :data:`MAX_SLUG` is hashed instead, so whatever the
    article says never reaches an IRI.
    """
    candidate = _ASCII_SEPARATORS.sub("-", " ".join(name.split()).lower()).strip("-")
    if candidate and len(candidate) <= MAX_SLUG and _SAFE.fullmatch(candidate):
        return candidate
    return hash16(name)


def iri_for(kind: str, name_or_key: str) -> URIRef:
    """The IRI of a resource, following the patterns of VOCABULARY.md.

    ``kind`` is an entity kind (``platform``, ``state``, ``org``/``organisation``, ``person``:
    slug of the canonical name), ``article`` (the article id, hashed if it is not already a
    clean token), ``corpus`` (the build's counts; the name is ignored) or an event kind
    (``takedown``, ``network``, ``claim``, ``denial``, ``mention``: hash of the record key).
    """
    if kind in ENTITY_KINDS:
        return RES[f"{ENTITY_KINDS[kind]}/{slug(name_or_key)}"]
    if kind == "article":
        token = name_or_key if _SAFE.fullmatch(name_or_key) and len(name_or_key) <= MAX_SLUG else None
        return RES[f"article/{token or hash16(name_or_key)}"]
    if kind in EVENT_KINDS:
        return RES[f"{kind}/{hash16(name_or_key)}"]
    if kind == "corpus":  # the one node of a build's counts (cib:Corpus)
        return RES["corpus"]
    raise ValueError(f"unknown resource kind {kind!r}")
