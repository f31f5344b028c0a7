"""The ``kg`` command through typer's runner: build, extract, eval, and its error messages."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from typer.testing import CliRunner

from kg.cli import app

GOLDEN = Path(__file__).parent / "data" / "golden" / "seeds_graph.ttl"
pytestmark = pytest.mark.model
runner = CliRunner()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = runner.invoke(app, ["build", str(corpus_dir), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "5 articles, 9 takedowns, 4 denials" in result.output
    (out.parent / f"{out.name}-summary.txt").write_text(result.output, "utf-8")
    return out


def test_summary_and_page_give_one_entity_count(built: Path) -> None:
    import re

    summary = re.search(r"(\d+) entities", (built.parent / f"{built.name}-summary.txt").read_text("utf-8"))
    header = re.search(r'data-stat="entities"><b>([\d,]+)</b>', (built / "graph.html").read_text("utf-8"))
    assert summary and header and summary.group(1) == header.group(1).replace(",", "")


def test_build_writes_every_output(built: Path) -> None:
    for name in ("graph.ttl", "events.jsonl", "graph.html"):
        assert (built / name).stat().st_size > 0


def test_graph_parses_with_rdflib_and_pyoxigraph(built: Path) -> None:
    data = (built / "graph.ttl").read_bytes()
    g = rdflib.Graph().parse(data=data, format="turtle")
    store = pyoxigraph.Store()
    store.load(data, format=pyoxigraph.RdfFormat.TURTLE)
    assert len(g) == len(store) > 500
    assert not any(isinstance(t, rdflib.BNode) for triple in g for t in triple)


def test_graph_matches_golden_file(built: Path) -> None:
    """The seed corpus gives exactly this Turtle. Regenerate with KG_UPDATE_GOLDEN=1."""
    produced = (built / "graph.ttl").read_text(encoding="utf-8")
    if os.environ.get("KG_UPDATE_GOLDEN"):
        GOLDEN.write_text(produced, encoding="utf-8")
    assert produced == GOLDEN.read_text(encoding="utf-8")


def test_build_is_byte_identical(built: Path, tmp_path: Path, corpus_dir: Path) -> None:
    copy = tmp_path / "corpus"
    shutil.copytree(corpus_dir, copy)
    result = runner.invoke(app, ["build", str(copy), "--out", str(tmp_path / "o"), "--no-html"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "graph.ttl").read_bytes() == (built / "graph.ttl").read_bytes()


def test_events_file_scores_perfectly_on_seed_gold(built: Path, seeds_gold: Path) -> None:
    result = runner.invoke(app, ["eval", str(seeds_gold), "--pred", str(built / "events.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["macro_f1"] == 1.0
    assert {k: v["f1"] for k, v in report["scores"].items()} == {
        "takedown": 1.0,
        "count": 1.0,
        "attribution": 1.0,
        "denial": 1.0,
    }


def test_eval_extracts_a_corpus_folder(seeds_gold: Path, corpus_dir: Path) -> None:
    result = runner.invoke(app, ["eval", str(seeds_gold), str(corpus_dir)])
    assert result.exit_code == 0, result.output
    assert "macro_f1 1.0000 over 5 articles" in result.output


def test_extract_table_and_jsonl(corpus_dir: Path) -> None:
    path = str(corpus_dir / "002_bf99df3db55ccd8f.txt")
    table = runner.invoke(app, ["extract", path])
    assert table.exit_code == 0 and "accounts=936" in table.output and "China" in table.output
    lines = runner.invoke(app, ["extract", path, "--format", "jsonl"]).output.splitlines()
    record = json.loads(lines[0])
    assert record["file"] == "002_bf99df3db55ccd8f.txt" and len(record["takedowns"]) == 2


def test_missing_corpus_is_one_line_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(tmp_path / "missing"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "does not exist" in result.output
    assert "Traceback" not in result.output


def test_bad_article_is_skipped_and_named(tmp_path: Path) -> None:
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_text("Meta removed 12 fake accounts tied to Iran.\n", encoding="utf-8")
    (corpus / "bad.txt").write_bytes(b"\x00\x00binary")
    result = runner.invoke(app, ["build", str(corpus), "--out", str(tmp_path / "o"), "--no-html"])
    assert result.exit_code == 0, result.output
    assert "bad.txt: binary file" in result.output and "1 articles, 1 takedowns" in result.output


def test_malformed_gold_is_one_line(tmp_path: Path) -> None:
    gold = tmp_path / "g.jsonl"
    gold.write_text("[1, 2]\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(gold), "--pred", str(gold)])
    assert result.exit_code == 2 and "g.jsonl:1: record has no 'file' key" in result.output


def test_eval_needs_pred_or_corpus(tmp_path: Path, seeds_gold: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no out/events.jsonl here, so nothing to score
    result = runner.invoke(app, ["eval", str(seeds_gold)])
    assert result.exit_code == 2
    assert "out/events.jsonl: no such file" in result.output and "Traceback" not in result.output


def _main(*args: str, pre: str = "") -> list[str]:
    import sys

    code = f"import sys; {pre}sys.argv = ['kg', *{list(args)!r}]; from kg.cli import main; main()"
    return [sys.executable, "-c", code]


def test_the_command_ends_without_teardown_as_sys_exit_would(tmp_path: Path, corpus_dir: Path) -> None:
    """``main`` ends the process with ``os._exit`` (:func:`kg.cli.exit_now`): the exit status,
    the output and exit handlers are those ``sys.exit`` gives; a reader that stops early gets
    status 1 and no traceback."""
    import subprocess
    from importlib.metadata import entry_points

    assert [e.value for e in entry_points(group="console_scripts", name="kg")] == ["kg.cli:main"]
    bye = "import atexit; atexit.register(lambda: print('handler ran', file=sys.stderr)); "
    # a teardown would wait for this thread's two minutes: the process ends without one
    sleeper = "import threading, time; threading.Thread(target=time.sleep, args=(120,)).start(); "
    build = _main("build", str(corpus_dir), "--out", str(tmp_path / "out"), "--no-html", pre=bye + sleeper)
    ok = subprocess.run(build, capture_output=True, text=True, timeout=90)
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr.rstrip().endswith("handler ran") and "wrote" in ok.stdout  # flushed, then ended
    nowhere = _main("build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o2"), pre=bye)
    missing = subprocess.run(nowhere, capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and missing.stderr.count("\n") == 2, missing.stderr
    assert missing.stderr.startswith("error: ") and "handler ran" in missing.stderr
    query = _main("query", str(tmp_path / "out" / "graph.ttl"), "SELECT ?s WHERE { ?s ?p ?o }")
    read_all = subprocess.run(query, capture_output=True, text=True, timeout=300)
    assert read_all.returncode == 0 and read_all.stdout.count("\n") > 100
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte
    closed = subprocess.run(query, stdout=write, stderr=subprocess.PIPE, text=True, timeout=300)
    os.close(write)
    assert closed.returncode == 1 and "Traceback" not in closed.stderr, closed.stderr
