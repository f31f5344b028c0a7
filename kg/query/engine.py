"""Ask the graph questions: a named question (:mod:`kg.query.questions`) or any SPARQL.

Results are plain strings (or ``None`` for an
unbound cell) in fixed column order, formatted as an aligned table, CSV, TSV or JSON.

Graphs of ``OXIGRAPH_MIN_TRIPLES`` or more are queried with Oxigraph (pyoxigraph) on a copy
made once per graph, since rdflib's engine needs seconds to minutes per named question on a
million triples; callers keep passing rdflib graphs and get the same ``QueryResult``.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import os
import weakref
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import QueryError
from kg.query.files import OXIGRAPH_FORMATS, load_store
from kg.query.questions import query_origin, resolve_query
from kg.util.gc_pause import paused_gc

if TYPE_CHECKING:  # rdflib is imported only where used: `kg query` on a file never needs it
    from rdflib import Graph

FORMATS: tuple[str, ...] = ("table", "csv", "json", "tsv")
#: Longest cell the table format shows; CSV, TSV and JSON are never truncated.
MAX_TABLE_CELL = 80
#: Query engines; ``auto`` uses Oxigraph from this many triples up (see ``choose_engine``).
ENGINES: tuple[str, ...] = ("auto", "rdflib", "oxigraph")
ENGINE_ENV = "KG_QUERY_ENGINE"
OXIGRAPH_MIN_TRIPLES = 20_000

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_IRIS = frozenset(
    _XSD + n for n in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger")
)
_BOOLEAN_IRI = _XSD + "boolean"


@dataclass(frozen=True)
class QueryResult:
    """A result table: column names and rows of lexical values (``None`` = unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    datatypes: tuple[tuple[str | None, ...], ...] = ()  # per cell: "iri", "int", "bool" or None

    def as_dicts(self) -> list[dict[str, str | None]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _error_message(exc: BaseException, text: str, origin: str = "query",
                   known: Sequence[str] = ()) -> str:
    """``ORIGIN:LINE:COL: problem`` (see :mod:`kg.rdf.syntax_errors`)."""
    from kg.rdf.syntax_errors import describe_sparql

    return describe_sparql(text, origin, exc, known)


def _cell(term: object) -> tuple[str | None, str | None]:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None, None
    if isinstance(term, URIRef):
        return str(term), "iri"
    if isinstance(term, BNode):
        return f"_:{term}", None
    if isinstance(term, Literal):
        if str(term.datatype) in _INTEGER_IRIS:
            return str(term), "int"
        if str(term.datatype) == _BOOLEAN_IRI:
            return str(term).lower(), "bool"
        return str(term), None
    return str(term), None


def oxigraph_store(graph: Graph) -> Any:
    """A ``pyoxigraph.Store`` holding the triples of ``graph`` (terms converted once each)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    memo: dict[object, object] = {}

    def term(t: object) -> object:
        found = memo.get(t)
        if found is None:
            if isinstance(t, URIRef):
                found = ox.NamedNode(str(t))
            elif isinstance(t, BNode):
                found = ox.BlankNode(str(t))
            elif isinstance(t, Literal):
                if t.language:
                    found = ox.Literal(str(t), language=t.language)
                elif t.datatype is not None:
                    found = ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype)))
                else:
                    found = ox.Literal(str(t))
            else:
                raise QueryError(f"cannot query a graph holding a {type(t).__name__} term")
            memo[t] = found
        return found

    def quads() -> Iterator[Any]:
        # Subject by subject in sorted order: fed in rdflib's hash order, the same triples made
        # a store 4x slower to query at a million triples (poor locality).
        for subject in sorted(graph.subjects(unique=True), key=lambda t: (type(t).__name__, str(t))):
            s = term(subject)
            for p, o in graph.predicate_objects(subject):
                yield ox.Quad(s, term(p), term(o))  # type: ignore[arg-type]

    store = ox.Store()
    with paused_gc():  # converting many terms beside a big graph (kg.util.gc_pause)
        store.bulk_extend(quads())
    return store


# id(graph) -> (the graph, weakly; its size when copied; the Oxigraph copy). Keyed by identity,
# not by rdflib's Graph equality (two graphs with one identifier are equal). A copy is dropped
# when a triple is added to the graph (rdflib dispatches an event for every add), when its size
# changes (rdflib's memory store dispatches no event on remove) and when the graph is collected.
_STORES: dict[int, tuple[weakref.ref[Graph], int, Any]] = {}
_WATCHED: set[int] = set()


def _store_for(graph: Graph) -> Any:
    from rdflib.store import TripleAddedEvent

    size = len(graph)
    key = id(graph)
    cached = _STORES.get(key)
    if cached is None or cached[0]() is not graph or cached[1] != size:
        ref = weakref.ref(graph, lambda _ref: (_STORES.pop(key, None), _WATCHED.discard(key)))
        cached = (ref, size, oxigraph_store(graph))
        _STORES[key] = cached
        if key not in _WATCHED:
            _WATCHED.add(key)
            graph.store.dispatcher.subscribe(TripleAddedEvent, lambda _event: _STORES.pop(key, None))
    return cached[2]


def choose_engine(graph: Graph, engine: str | None = None) -> str:
    """``rdflib`` or ``oxigraph``: ``auto`` picks Oxigraph for graphs of
    ``OXIGRAPH_MIN_TRIPLES`` or more when pyoxigraph is installed (rdflib's engine takes seconds
    to minutes per named question at a million triples; Oxigraph well under a second)."""
    engine = (engine or os.environ.get(ENGINE_ENV) or "auto").lower()
    if engine not in ENGINES:
        raise QueryError(f"unknown query engine {engine!r} (choose from {', '.join(ENGINES)})")
    if engine != "auto":
        return engine
    if len(graph) < OXIGRAPH_MIN_TRIPLES or importlib.util.find_spec("pyoxigraph") is None:
        return "rdflib"
    return "oxigraph"


def _ox_cell(term: Any) -> tuple[str | None, str | None]:
    """Like :func:`_cell`, for a pyoxigraph term (same strings, so both engines agree)."""
    import pyoxigraph as ox

    if term is None:
        return None, None
    if isinstance(term, ox.NamedNode):
        return term.value, "iri"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}", None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGER_IRIS:
            try:
                return str(int(term.value)), "int"  # rdflib's canonical lexical form
            except ValueError:
                return term.value, "int"
        if datatype == _BOOLEAN_IRI:
            return term.value.lower(), "bool"
        return term.value, None
    return str(term), None


def _run_oxigraph(graph: Graph, sparql: str, store: Any = None, origin: str = "query") -> QueryResult:
    """The query on an Oxigraph copy of ``graph``; the graph's own prefixes stay usable, as in
    rdflib (passed as default prefixes, so error positions stay those of the user's text)."""

    if store is None:
        store = _store_for(graph)
    prefixes = {str(p): str(ns) for p, ns in graph.namespaces() if p}
    with paused_gc():  # converting many terms beside a big graph (kg.util.gc_pause)
        return _ox_result(store, sparql, prefixes, origin)


def _ox_result(
    store: Any, sparql: str, prefixes: Mapping[str, str] | None = None, origin: str = "query"
) -> QueryResult:
    import pyoxigraph as ox

    try:
        result = store.query(sparql, prefixes=dict(prefixes or {}))
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(("ask",), ((str(bool(result)).lower(),),), (("bool",),))
        if isinstance(result, ox.QueryTriples):
            triples = sorted(
                ((t.subject, t.predicate, t.object) for t in result),
                key=lambda t: tuple(_ox_cell(x)[0] or "" for x in t),
            )
            cells = [tuple(_ox_cell(x) for x in t) for t in triples]
            columns: tuple[str, ...] = ("subject", "predicate", "object")
        else:
            columns = tuple(v.value for v in result.variables)
            cells = [tuple(_ox_cell(row[i]) for i in range(len(columns))) for row in result]
    except SyntaxError as exc:
        raise QueryError(_error_message(exc, sparql, origin, list(prefixes or ()))) from None
    except (OSError, ValueError, TypeError) as exc:
        raise QueryError(f"{origin}: SPARQL error: {' '.join(str(exc).split())[:300]}") from None
    return QueryResult(
        columns=columns,
        rows=tuple(tuple(v for v, _ in row) for row in cells),
        datatypes=tuple(tuple(t for _, t in row) for row in cells),
    )


def run_query(
    graph: Graph,
    sparql: str,
    engine: str | None = None,
    *,
    timeout: float | None = None,
    allow_service: bool = False,
    origin: str = "query",
) -> QueryResult:
    """Run SPARQL on ``graph``; syntax and prefix errors become a one-line ``QueryError``.

    ``engine`` is ``rdflib``, ``oxigraph`` or ``auto`` (default, or ``$KG_QUERY_ENGINE``): see
    :func:`choose_engine`. Both give the same :class:`QueryResult` for the named questions.
    ``SERVICE`` is refused unless ``allow_service``; ``timeout`` seconds (None/0: no limit) and
    Ctrl-C stop the query on either engine (see :mod:`kg.query.guard`). ``origin`` names the
    query in error messages (a ``.rq`` file, or ``query``).
    """
    from kg.query.guard import check_service, run_bounded

    check_service(sparql, allow_service, origin)
    chosen = choose_engine(graph, engine)
    if chosen == "oxigraph":
        store = _store_for(graph)  # copied before the clock starts: loading is not the query
        return run_bounded(lambda: _run_oxigraph(graph, sparql, store, origin), timeout)
    return run_bounded(lambda: _run_rdflib(graph, sparql, origin), timeout)


def _run_rdflib(graph: Graph, sparql: str, origin: str) -> QueryResult:
    try:
        result = graph.query(sparql)
        if result.type == "ASK":
            return QueryResult(("ask",), ((str(bool(result.askAnswer)).lower(),),), (("bool",),))
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            assert result.graph is not None
            triples = sorted(result.graph, key=lambda t: tuple(str(x) for x in t))
            cells = [tuple(_cell(x) for x in t) for t in triples]
            columns: tuple[str, ...] = ("subject", "predicate", "object")
        else:
            columns = tuple(str(v) for v in (result.vars or ()))
            cells = [tuple(_cell(row[i]) for i in range(len(columns))) for row in result]
    except QueryError:
        raise
    except Exception as exc:  # rdflib raises bare Exception/ParseException for bad queries
        known = [str(p) for p, _ in graph.namespaces() if p]
        raise QueryError(_error_message(exc, sparql, origin, known)) from None
    return QueryResult(
        columns=columns,
        rows=tuple(tuple(v for v, _ in row) for row in cells),
        datatypes=tuple(tuple(t for _, t in row) for row in cells),
    )


def ask(
    graph: Graph,
    query: str,
    params: Mapping[str, str] | None = None,
    engine: str | None = None,
    *,
    timeout: float | None = None,
    allow_service: bool = False,
) -> QueryResult:
    """Resolve ``query`` (name, ``.rq`` file or SPARQL) and run it on ``graph``."""
    return run_query(
        graph, resolve_query(query, params), engine, timeout=timeout,
        allow_service=allow_service, origin=query_origin(query),
    )


def _prefixes(graph: Graph | Mapping[str, str] | None) -> list[tuple[str, str]]:
    """The ontology's prefixes, then the graph's own bindings (or a file's prefixes) for the rest."""
    from kg.query.files import ontology_prefixes  # without rdflib: `kg query` starts fast

    known = dict(ontology_prefixes())
    seen = set(known.values())
    if isinstance(graph, Mapping):
        bindings: Any = graph.items()
    else:
        bindings = graph.namespaces() if graph is not None else ()
    for prefix, ns in bindings:
        if prefix and str(ns) not in seen and str(prefix) not in known:
            known[str(prefix)] = str(ns)
            seen.add(str(ns))
    return sorted(known.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def compact(value: str, prefixes: Sequence[tuple[str, str]]) -> str:
    """``prefix:rest`` for an IRI under one of ``prefixes`` (longest namespace wins)."""
    for prefix, ns in prefixes:
        if value.startswith(ns) and len(value) > len(ns):
            return f"{prefix}:{value[len(ns):]}"
    return value


def format_result(
    result: QueryResult, fmt: str = "table", graph: Graph | Mapping[str, str] | None = None
) -> str:
    """Render a result; ``table`` compacts IRIs with ``graph``'s prefixes, others keep full IRIs."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "json":
        rows = []
        for row, types in zip(result.rows, result.datatypes or [()] * len(result.rows), strict=True):
            obj: dict[str, object] = {}
            for i, (col, value) in enumerate(zip(result.columns, row, strict=True)):
                kind = types[i] if types else None
                if value is not None and kind == "int":
                    obj[col] = int(value)
                elif value is not None and kind == "bool":
                    obj[col] = value == "true"
                else:
                    obj[col] = value
            rows.append(obj)
        return json.dumps(rows, indent=2, ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow(["" if v is None else _flat(v) if fmt == "tsv" else v for v in row])
        return buf.getvalue().rstrip("\n")
    return _table(result, graph)


def _flat(value: str) -> str:
    return " ".join(value.split())


def _table(result: QueryResult, graph: Graph | Mapping[str, str] | None) -> str:
    prefixes = _prefixes(graph)

    def show(value: str | None, kind: str | None) -> str:
        if value is None:
            return ""
        text = compact(value, prefixes) if kind == "iri" else _flat(value)
        return text if len(text) <= MAX_TABLE_CELL else text[: MAX_TABLE_CELL - 1] + "…"

    types = result.datatypes or tuple((None,) * len(result.columns) for _ in result.rows)
    body = [
        [show(v, t) for v, t in zip(row, kinds, strict=True)]
        for row, kinds in zip(result.rows, types, strict=True)
    ]
    widths = [len(c) for c in result.columns]
    for row in body:
        widths = [max(w, len(v)) for w, v in zip(widths, row, strict=True)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row, kinds in zip(body, types, strict=True):
        cells = [
            v.rjust(w) if k == "int" else v.ljust(w)
            for v, w, k in zip(row, widths, kinds, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    n = len(body)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines)


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
    source = Path(path)
    chosen = (engine or os.environ.get(ENGINE_ENV) or "auto").lower()
    if chosen not in ENGINES:
        raise QueryError(f"unknown query engine {chosen!r} (choose from {', '.join(ENGINES)})")
    if chosen == "rdflib" or source.suffix.lower() not in OXIGRAPH_FORMATS:
        from kg.rdf.graph import load_graph

        graph = load_graph(source)
        return ask(graph, query, params, chosen, timeout=timeout, allow_service=allow_service), graph
    from kg.query.guard import check_service, run_bounded

    sparql = resolve_query(query, params)  # a bad query fails before a big graph is read
    origin = query_origin(query)
    check_service(sparql, allow_service, origin)
    store, prefixes = load_store(source)
    return run_bounded(lambda: _ox_result(store, sparql, prefixes, origin), timeout), prefixes
