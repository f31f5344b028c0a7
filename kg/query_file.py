"""``kg query GRAPH.ttl``: load the file straight into Oxigraph and ask it there.

Starting ``kg query`` on the seed graph took 4x ``kg --help``: importing rdflib, parsing the
Turtle into rdflib terms, building rdflib's SPARQL grammar, then (for big graphs) copying the
terms into Oxigraph. Oxigraph parses the file itself ten times faster and answers the named
questions with the same rows (tests compare both routes), so the ``auto`` and ``oxigraph``
engines never import rdflib here; ``--engine rdflib`` (``KG_QUERY_ENGINE=rdflib``) still loads
through :func:`kg.graph.load_graph`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from kg.errors import GraphError, QueryError

#: Where kg.namespace reads the ontology (repeated here so this module needs no rdflib).
ONTOLOGY_PACKAGE, ONTOLOGY_FILE = "kg.ontology", "cib.ttl"
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
    """The ontology's ``@prefix`` lines (the same as ``kg.namespace.PREFIXES``), read by
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
        from kg.syntax_errors import describe_rdf

        raise GraphError(describe_rdf(path, _rdflib_name(path), exc)) from None
    except OSError as exc:
        raise GraphError(f"{path}: cannot read graph: {exc.strerror or exc}") from None
    return store, {**CORE_PREFIXES, **dict(ontology_prefixes()), **dict(parser.prefixes)}


def _rdflib_name(path: Path) -> str:
    return {".nt": "nt", ".nq": "nquads", ".trig": "trig"}.get(path.suffix.lower(), "turtle")


def ask_file(
    path: str | os.PathLike[str],
    query: str,
    params: Mapping[str, str] | None = None,
    engine: str | None = None,
    *,
    timeout: float | None = None,
    allow_service: bool = False,
) -> tuple[Any, Any]:
    """(result, what ``format_result`` compacts IRIs with) for ``query`` on the graph file."""
    from kg.query import ENGINE_ENV, ENGINES, _ox_result, ask, query_origin, resolve_query

    source = Path(path)
    chosen = (engine or os.environ.get(ENGINE_ENV) or "auto").lower()
    if chosen not in ENGINES:
        raise QueryError(f"unknown query engine {chosen!r} (choose from {', '.join(ENGINES)})")
    if chosen == "rdflib" or source.suffix.lower() not in OXIGRAPH_FORMATS:
        from kg.graph import load_graph

        graph = load_graph(source)
        return ask(graph, query, params, chosen, timeout=timeout, allow_service=allow_service), graph
    from kg.query_guard import check_service, run_bounded

    sparql = resolve_query(query, params)  # a bad query fails before a big graph is read
    origin = query_origin(query)
    check_service(sparql, allow_service, origin)
    store, prefixes = load_store(source)
    return run_bounded(lambda: _ox_result(store, sparql, prefixes, origin), timeout), prefixes
