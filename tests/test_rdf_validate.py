"""SHACL shapes: every shape has fixtures that pass and fixtures that fail on exactly the
expected (shape, path); the seed build conforms; ``kg validate`` maps outcomes to exit codes.

Fixtures in tests/data/shapes/ are read on top of ``base.ttl`` (a small conforming graph), so
each one only states what it adds. A failing fixture lists what it must break in
``# expect: SHAPE PATH`` lines (``-`` for a SPARQL constraint, which has no path).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.rdf.validate import ValidationReport, format_report, shapes_graph, validate, validate_graph

SHAPES_DIR = Path(__file__).resolve().parent / "data" / "shapes"
BASE = SHAPES_DIR / "base.ttl"
PASSING = sorted(SHAPES_DIR.glob("*.pass.ttl"))
FAILING = sorted(SHAPES_DIR.glob("*.fail.ttl"))


def _with_base(fixture: Path) -> Graph:
    graph = Graph()
    graph.parse(BASE, format="turtle")
    graph.parse(fixture, format="turtle")
    return graph


def _expected(fixture: Path) -> set[tuple[str, str]]:
    expected = set()
    for line in fixture.read_text("utf-8").splitlines():
        if line.startswith("# expect:"):
            shape, path = line.removeprefix("# expect:").split()
            expected.add((shape, "" if path == "-" else path))
    return expected


def _node_shapes() -> set[str]:
    from rdflib import RDF
    from rdflib.namespace import SH

    from kg.rdf.validate import short

    return {short(s) for s in shapes_graph().subjects(RDF.type, SH.NodeShape)}


def test_base_fixture_conforms() -> None:
    report = validate(BASE)
    assert report.conforms, format_report(report)


@pytest.mark.parametrize("fixture", PASSING, ids=lambda p: p.name)
def test_passing_fixture_conforms(fixture: Path) -> None:
    report = validate_graph(_with_base(fixture), fixture.name)
    assert report.conforms, format_report(report)


@pytest.mark.parametrize("fixture", FAILING, ids=lambda p: p.name)
def test_failing_fixture_fails_on_expected_shape_and_path(fixture: Path) -> None:
    expected = _expected(fixture)
    assert expected, f"{fixture.name} has no '# expect:' line"
    report = validate_graph(_with_base(fixture), fixture.name)
    assert not report.conforms
    assert report.shapes_failed() == expected, format_report(report)


@pytest.mark.parametrize("fixture", PASSING + FAILING, ids=lambda p: p.name)
def test_shapes_file_as_written_agrees(fixture: Path) -> None:
    """kg validate runs the SPARQL constraints as whole-graph queries (fast); pyshacl running
    shapes.ttl as written (what another SHACL engine sees) must find the same focus nodes."""
    from pyshacl import validate as shacl_validate
    from rdflib import RDF
    from rdflib.namespace import SH

    from kg.rdf.validate import short

    data = _with_base(fixture)
    conforms, results, _ = shacl_validate(data, shacl_graph=shapes_graph(), inference="none")
    assert isinstance(results, Graph)
    focus = {short(results.value(r, SH.focusNode)) for r in results.subjects(RDF.type, SH.ValidationResult)}
    report = validate_graph(data)
    assert (conforms, focus) == (report.conforms, {v.focus for v in report.violations})


def test_shapes_cover_exactly_the_ontology() -> None:
    """Closed shapes must list every property the ontology declares (or the builder's use of
    a new term fails validation), and name no term the ontology lacks."""
    from rdflib.namespace import SH

    from kg.rdf.namespace import CIB_IRI, ontology_terms

    shapes = shapes_graph()
    iris = {t for t in shapes.all_nodes() if isinstance(t, URIRef) and t.startswith(CIB_IRI)}
    named = {str(t)[len(CIB_IRI) :] for t in iris}
    assert named <= ontology_terms()
    paths = {str(p)[len(CIB_IRI) :] for p in shapes.objects(None, SH.path) if str(p).startswith(CIB_IRI)}
    classes = {str(c)[len(CIB_IRI) :] for c in shapes.objects(None, SH.targetClass)}
    assert paths | classes == ontology_terms()


def test_every_node_shape_has_a_passing_and_a_failing_fixture() -> None:
    failing = {shape for f in FAILING for shape, _ in _expected(f)}
    passing = {
        f"cibsh:{f.name.split('.')[0].replace('-', ' ').title().replace(' ', '')}Shape" for f in PASSING
    }
    shapes = _node_shapes()
    assert shapes - failing == set()
    assert shapes - passing == set()


@pytest.mark.model
def test_seed_graph_conforms(tmp_path: Path, corpus_dir: Path) -> None:
    from kg.build.pipeline import build

    build(corpus_dir, tmp_path, html=False)
    report = validate(tmp_path / "graph.ttl")
    assert report.conforms, format_report(report)
    assert report.triples > 100


def test_report_has_one_line_per_violation() -> None:
    report = validate_graph(_with_base(SHAPES_DIR / "mention-incomplete.fail.ttl"), "g.ttl")
    lines = format_report(report).splitlines()
    assert lines[0].startswith("g.ttl: 4 SHACL violation(s)")
    assert len(lines) == 1 + len(report.violations) == 5
    assert all(line.startswith("  cibr:mention/m3  cib:") for line in lines[1:])
    assert "cibsh:MentionShape MinCount" in lines[1]


def test_report_of_conforming_graph_is_one_line() -> None:
    report = ValidationReport(source="g.ttl", conforms=True, violations=(), triples=3)
    assert format_report(report) == "g.ttl: conforms to the cib-kg shapes (3 triples)"


# ---------------------------------------------------------------------------------------
# CLI

runner = CliRunner()


def test_cli_validate_conforming_graph_exits_0() -> None:
    result = runner.invoke(app, ["validate", str(BASE)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.stdout


def test_cli_validate_nonconforming_graph_exits_1(tmp_path: Path) -> None:
    graph = tmp_path / "bad.ttl"
    graph.write_text(
        BASE.read_text("utf-8") + "\n<takedown/t1> <https://w3id.org/cib-kg/ontology#pages> -1 .\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", str(graph)])
    assert result.exit_code == 1
    assert "cibr:takedown/t1  cib:pages" in result.stdout
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("content", [None, "this is not turtle <<<", ""])
def test_cli_validate_unreadable_input_exits_2(tmp_path: Path, content: str | None) -> None:
    graph = tmp_path / "graph.ttl"
    if content is not None:
        graph.write_text(content, encoding="utf-8")
    result = runner.invoke(app, ["validate", str(graph)])
    if content == "":
        assert result.exit_code == 0  # an empty graph has no focus nodes: nothing to violate
        return
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and "Traceback" not in result.output


def test_cli_validate_folder_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
