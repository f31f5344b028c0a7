"""SHACL validation of a built graph against ``kg/rdf/ontology/shapes.ttl``.

The shapes are the checkable half of ontology/VOCABULARY.md: cardinalities, datatypes, value
ranges, closed property sets and the rule that every fact has a Mention. Validation runs
without inference (the builder writes the exact classes the shapes name, so RDFS/OWL
reasoning would only cost time) and without mixing the ontology in (its classes carry
``rdfs:label`` and would become focus nodes of the label shape). The shapes' SHACL-SPARQL
constraints (core triples backed by events, ``cib:reportedIn`` following the mentions) run as
whole-graph queries rather than once per node, which is what makes large graphs feasible.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg.errors import GraphError
from kg.rdf.namespace import PREFIXES, packaged_graph, packaged_text

SHAPES_FILE = "shapes.ttl"
SHAPES_IRI = "https://w3id.org/cib-kg/shapes#"
# Prefixes for display only; longest namespace first so the most specific one wins.
_DISPLAY = sorted([*PREFIXES, ("cibsh", SHAPES_IRI), ("sh", str(SH))], key=lambda p: -len(p[1]))
_MAX_VALUE = 80


def shapes_text() -> str:
    """The shapes Turtle, read from the installed package (beside cib.ttl)."""
    return packaged_text(SHAPES_FILE)


def shapes_graph() -> Graph:
    """The parsed shapes (cached; callers must not modify it)."""
    return packaged_graph(SHAPES_FILE)


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result, reduced to what a reader needs to find and fix it."""

    focus: str
    path: str
    message: str
    shape: str
    component: str
    value: str = ""
    severity: str = "Violation"


@dataclass(frozen=True)
class ValidationReport:
    """Outcome of :func:`validate`; ``violations`` are sorted so reports diff cleanly."""

    source: str
    conforms: bool
    violations: tuple[Violation, ...]
    triples: int

    def shapes_failed(self) -> set[tuple[str, str]]:
        """``{(shape, path)}`` of every violation, e.g. ``("cibsh:TakedownShape", "cib:platform")``."""
        return {(v.shape, v.path) for v in self.violations}


def short(term: Node | None) -> str:
    """A compact, single-line rendering of an RDF term for reports."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        value = str(term)
        for prefix, ns in _DISPLAY:
            if value.startswith(ns) and len(value) > len(ns):
                return f"{prefix}:{value[len(ns) :]}"
        return f"<{value}>"
    if isinstance(term, Literal):
        text = " ".join(str(term).split())
        if len(text) > _MAX_VALUE:
            text = text[: _MAX_VALUE - 1] + "…"
        suffix = f"^^{short(term.datatype)}" if term.datatype else ""
        return f'"{text}"{suffix}'
    return f"_:{term}"


def _path(graphs: tuple[Graph, ...], path: Node | None) -> str:
    """``cib:platform``, ``^prov:wasDerivedFrom`` for an inverse path, else the raw node."""
    if path is None:
        return ""
    for graph in graphs:
        inverse = graph.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + short(inverse)
    return short(path)


def _owner(shapes: Graph, data: Graph, source: Node, focus: Node) -> Node:
    """The node shape a result belongs to: the source shape itself, or the node shape that
    uses the (possibly shared) property shape and targets the focus node's class."""
    if (source, RDF.type, SH.NodeShape) in shapes:
        return source
    owners = sorted(shapes.subjects(SH.property, source), key=str)
    for owner in owners:
        targets = set(shapes.objects(owner, SH.targetClass))
        if any((focus, RDF.type, cls) in data for cls in targets):
            return owner
    return owners[0] if owners else source


def _violations(results: Graph, data: Graph) -> list[Violation]:
    shapes = shapes_graph()
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        source = results.value(result, SH.sourceShape)
        path = results.value(result, SH.resultPath)
        if path is None and source is not None:
            path = shapes.value(source, SH.path)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        if component == SH.ClosedConstraintComponent:  # pyshacl's own text repeats the node
            messages = ["predicate not allowed on this class (closed shape; see VOCABULARY.md)"]
        severity = results.value(result, SH.resultSeverity)
        owner = _owner(shapes, data, source, focus) if source is not None else None
        found.append(
            Violation(
                focus=short(focus),
                path=_path((results, shapes), path),
                message="; ".join(messages) or "constraint not met",
                shape=short(owner) if isinstance(owner, URIRef) else "",
                component=short(component).removeprefix("sh:").removesuffix("ConstraintComponent"),
                value=short(results.value(result, SH.value)),
                severity=short(severity).removeprefix("sh:"),
            )
        )
    return sorted(set(found))


@contextmanager
def _quiet_literals() -> Iterator[None]:
    """rdflib logs a traceback for every ill-typed literal ("2020-13-45"^^xsd:date); the
    report already names it as a datatype violation, so keep stderr to one line."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


@dataclass(frozen=True)
class _SparqlCheck:
    """One ``sh:sparql`` constraint of a node shape, run once over the whole graph."""

    shape: URIRef
    target: Node
    query: str
    message: str


@lru_cache(maxsize=1)
def _split_shapes() -> tuple[Graph, tuple[_SparqlCheck, ...]]:
    """(the shapes without their ``sh:sparql`` constraints, those constraints as queries).

    pyshacl runs a SPARQL constraint once per focus node, which costs about a millisecond
    each in rdflib (40 s for 30k triples); the same SELECT with ``$this`` left unbound, run
    once and kept for the shape's focus nodes, gives the same results in a fraction of that.
    shapes.ttl keeps the constraints, so other SHACL engines check the full contract.
    """
    shapes = shapes_graph()
    core = Graph(bind_namespaces="none")
    checks = []
    for triple in shapes:
        shape, predicate, constraint = triple
        if predicate != SH.sparql:
            core.add(triple)
            continue
        prefixes = "".join(
            f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
            for source in shapes.objects(constraint, SH.prefixes)
            for d in shapes.objects(source, SH.declare)
        )
        for target in shapes.objects(shape, SH.targetClass):
            checks.append(
                _SparqlCheck(
                    shape=shape,  # type: ignore[arg-type]
                    target=target,
                    query=prefixes + str(shapes.value(constraint, SH.select)),
                    message=str(shapes.value(constraint, SH.message) or "SPARQL constraint not met"),
                )
            )
    return core, tuple(sorted(checks, key=lambda c: (str(c.shape), c.query)))


def _sparql_violations(data: Graph) -> list[Violation]:
    _core, checks = _split_shapes()
    found = []
    for check in checks:
        for row in data.query(check.query):
            focus, value = row[0], row[1]  # type: ignore[index]
            if (focus, RDF.type, check.target) in data:
                found.append(
                    Violation(
                        focus=short(focus),
                        path="",
                        message=check.message,
                        shape=short(check.shape),
                        component="SPARQL",
                        value=short(value),
                    )
                )
    return found


def validate_graph(data: Graph, source: str = "<graph>") -> ValidationReport:
    """Validate an in-memory graph against the shapes (core shapes through pyshacl, the
    SPARQL constraints as whole-graph queries; see :func:`_split_shapes`)."""
    from pyshacl import validate as shacl_validate

    core, _checks = _split_shapes()
    conforms, results, _text = shacl_validate(
        data,
        shacl_graph=core,
        inference="none",
        advanced=False,
        allow_warnings=False,
        abort_on_first=False,
    )
    assert isinstance(results, Graph)
    violations = tuple(sorted(set(_violations(results, data)) | set(_sparql_violations(data))))
    return ValidationReport(
        source=source, conforms=bool(conforms) and not violations, violations=violations, triples=len(data)
    )


def validate(graph_path: str | os.PathLike[str]) -> ValidationReport:
    """Validate a graph file; an unreadable or unparseable file raises ``GraphError``."""
    from kg.rdf.graph import load_graph

    path = Path(graph_path)
    if path.is_dir():
        raise GraphError(f"{path}: is a folder, not a graph file")
    with _quiet_literals():
        return validate_graph(load_graph(path), str(path))


def format_report(report: ValidationReport) -> str:
    """One header line, then one line per violation: focus node, path, message [shape]."""
    if report.conforms:
        return f"{report.source}: conforms to the cib-kg shapes ({report.triples} triples)"
    lines = [f"{report.source}: {len(report.violations)} SHACL violation(s) in {report.triples} triples"]
    for v in report.violations:
        where = f"{v.focus}  {v.path or '-'}"
        value = f" (value {v.value})" if v.value else ""
        lines.append(f"  {where}  {v.message}{value}  [{v.shape or '-'} {v.component}]")
    return "\n".join(lines)
