"""``kg query GRAPH`` loads the file into Oxigraph itself (no rdflib): same output as the rdflib
route for every named question and format, the ontology's prefixes, and rdflib left unimported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.query.engine import ask_file
from kg.query.files import ontology_prefixes
from kg.query.questions import named_queries

GOLDEN = Path(__file__).parent / "data" / "golden" / "seeds_graph.ttl"
PARAMS = {"entity": ["-p", "name=Russia"]}


def test_ontology_prefixes_are_the_namespace_modules() -> None:
    from kg.rdf.namespace import PREFIXES

    assert ontology_prefixes() == PREFIXES


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("name", sorted(named_queries()))
def test_file_route_prints_what_the_rdflib_route_prints(
    name: str, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.cli import app

    args = ["query", str(GOLDEN), name, *PARAMS.get(name, []), "-f", fmt]
    monkeypatch.delenv("KG_QUERY_ENGINE", raising=False)
    fast = CliRunner().invoke(app, args)
    monkeypatch.setenv("KG_QUERY_ENGINE", "rdflib")
    slow = CliRunner().invoke(app, args)
    assert fast.exit_code == slow.exit_code == 0, fast.stderr + slow.stderr
    assert fast.stdout.strip() and fast.stdout == slow.stdout


def test_core_prefixes_need_no_declaration() -> None:
    result, _ = ask_file(GOLDEN, "SELECT (COUNT(*) AS ?n) WHERE { ?s rdf:type owl:Thing }", engine="auto")
    assert result.rows == (("0",),)
    result, _ = ask_file(GOLDEN, "ASK { ?s a cib:Takedown ; rdfs:label ?l }", engine="oxigraph")
    assert result.rows == (("true",),)


def test_kg_query_does_not_import_rdflib() -> None:
    """What made `kg query` start slowly: it must not come back through an import."""
    code = (
        "import sys\n"
        "from kg.cli import app\n"
        f"app(['query', {str(GOLDEN)!r}, 'takedowns-by-state'], standalone_mode=False)\n"
        "print('RDFLIB' if 'rdflib' in sys.modules else 'CLEAN')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("CLEAN")
