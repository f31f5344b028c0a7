"""``kg query GRAPH.ttl``: load the file straight into Oxigraph and ask it there.

Starting ``kg query`` on the seed graph took 4x ``kg --help``: importing rdflib, parsing the
Turtle into rdflib terms, building rdflib's SPARQL grammar, then (for big graphs) copying the
terms into Oxigraph. Oxigraph parses the file itself ten times faster and answers the named
questions with the same rows (tests compare both routes), so the ``auto`` and ``oxigraph``
engines never import rdflib here; ``--engine rdflib`` (``KG_QUERY_ENGINE=rdflib``) still loads
through :func:`kg.rdf.graph.load_graph`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import GraphError

#: Where kg.rdf.namespace reads the ontology (repeated here so this module needs no rdflib).
ONTOLOGY_PACKAGE, ONTOLOGY_FILE = "kg.rdf.ontology", "cib.ttl"
#: Prefixes a query may use undeclared, as on an rdflib graph (which binds them by default).
CORE_PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
#: Suffix -> pyoxigraph RdfFormat name, for the files Oxigraph loads itself.
OXIGRAPH_FORMATS = {".ttl": "TURTLE", ".nt": "N_TRIPLES", ".nq": "N_QUADS", ".trig": "TRIG"}


@lru_cache(maxsize=1)
def ontology_prefixes() -> tuple[tuple[str, str], ...]:
    """The ontology's ``@prefix`` lines (the same as ``kg.rdf.namespace.PREFIXES``), read by
    Oxigraph so that formatting a result needs no rdflib."""
    from importlib import resources

    import pyoxigraph as ox

    text = resources.files(ONTOLOGY_PACKAGE).joinpath(ONTOLOGY_FILE).read_bytes()
    parser = ox.parse(input=text, format=ox.RdfFormat.TURTLE)
    for _ in parser:
        pass
    return tuple(sorted((p, iri) for p, iri in parser.prefixes.items() if p))


def load_store(path: Path) -> tuple[Any, dict[str, str]]:
    """An Oxigraph store holding the file, and the prefixes it declares; GraphError names the
    file, line and column of a syntax error."""
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, OXIGRAPH_FORMATS[path.suffix.lower()])
    try:
        parser = ox.parse(path=str(path), format=fmt)
        store = ox.Store()
        store.bulk_extend(parser)
    except SyntaxError as exc:
        from kg.rdf.syntax_errors import describe_rdf

        raise GraphError(describe_rdf(path, _rdflib_name(path), exc)) from None
    except OSError as exc:
        raise GraphError(f"{path}: cannot read graph: {exc.strerror or exc}") from None
    return store, {**CORE_PREFIXES, **dict(ontology_prefixes()), **dict(parser.prefixes)}


def _rdflib_name(path: Path) -> str:
    return {".nt": "nt", ".nq": "nquads", ".trig": "trig"}.get(path.suffix.lower(), "turtle")


