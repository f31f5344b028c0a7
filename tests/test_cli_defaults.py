"""Defaults a user relies on: ``kg viz GRAPH`` writes beside the graph, ``kg eval GOLD`` scores
``out/events.jsonl``; an unwritable target or a missing default is one line, exit 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()

TTL = """@prefix cib: <https://w3id.org/cib-kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/cib-kg/id/platform/facebook> a cib:Platform ; rdfs:label "Facebook" ;
    cib:removed <https://w3id.org/cib-kg/id/network/n1> .
<https://w3id.org/cib-kg/id/network/n1> a cib:Network ; rdfs:label "a network" ;
    cib:attributedTo <https://w3id.org/cib-kg/id/state/russia> .
<https://w3id.org/cib-kg/id/state/russia> a cib:State ; rdfs:label "Russia" .
"""


@pytest.fixture
def graph(tmp_path: Path) -> Path:
    folder = tmp_path / "built"
    folder.mkdir()
    path = folder / "graph.ttl"
    path.write_text(TTL, encoding="utf-8")
    return path


def test_viz_writes_beside_the_graph_not_the_current_folder(
    graph: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = runner.invoke(app, ["viz", str(graph)])
    assert result.exit_code == 0, result.output
    page = graph.parent / "graph.html"
    assert f"wrote {page}" in result.output
    assert page.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert list(elsewhere.iterdir()) == []
    # another stem: <stem>.html beside it
    other = graph.parent / "takedowns-2024.ttl"
    shutil.copy(graph, other)
    assert runner.invoke(app, ["viz", str(other)]).exit_code == 0
    assert (graph.parent / "takedowns-2024.html").is_file()


def test_viz_out_folder_gets_the_stem(graph: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    result = runner.invoke(app, ["viz", str(graph), "-o", str(folder)])
    assert result.exit_code == 0, result.output
    assert (folder / "graph.html").is_file()


def test_viz_unwritable_target_is_one_line(graph: Path, tmp_path: Path) -> None:
    # a regular file where a folder should be: no user (root included) can write below it
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    target = blocker / "sub" / "graph.html"
    result = runner.invoke(app, ["viz", str(graph), "-o", str(target)])
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {target}: cannot write the page")
    assert "Traceback" not in result.output


def test_eval_defaults_to_out_events(
    tmp_path: Path, seeds_gold: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    missing = runner.invoke(app, ["eval", str(seeds_gold), "--json"])
    assert missing.exit_code == 2
    assert missing.output.strip() == (
        "error: out/events.jsonl: no such file (run `kg build` first, or give --pred or a CORPUS_DIR)"
    )
    (tmp_path / "out").mkdir()
    shutil.copy(seeds_gold, tmp_path / "out" / "events.jsonl")  # gold scored against itself
    result = runner.invoke(app, ["eval", str(seeds_gold), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["macro_f1"] == 1.0
    both = runner.invoke(app, ["eval", str(seeds_gold), str(tmp_path), "--pred", "out/events.jsonl"])
    assert both.exit_code == 2
