"""A rebuild whose facts, options and code are unchanged keeps its intact outputs as they are."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from page_tools import page_parts

from kg.build.memo import STAMP
from kg.build.pipeline import build

pytestmark = pytest.mark.model

OUTPUTS = ("graph.ttl", "events.jsonl", "graph.html")


def _state(out: Path) -> dict[str, tuple[int, bytes]]:
    return {n: ((out / n).stat().st_mtime_ns, (out / n).read_bytes()) for n in OUTPUTS if (out / n).exists()}


@pytest.fixture()
def corpus(tmp_path: Path, corpus_dir: Path) -> Path:
    shutil.copytree(corpus_dir, tmp_path / "corpus")
    return tmp_path / "corpus"


def test_nothing_new_keeps_outputs_and_counts(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(corpus, out)
    before = _state(out)
    again = build(corpus, out)
    assert _state(out) == before  # not rewritten (same mtimes, same bytes)
    for field in ("articles", "takedowns", "denials", "entities", "triples", "outputs"):
        assert getattr(again, field) == getattr(first, field)
    assert again.extracted == 0 and again.cached == first.articles


@pytest.mark.parametrize("damage", ["edit-ttl", "delete-events", "delete-stamp", "garble-stamp"])
def test_damaged_outputs_are_rewritten(corpus: Path, tmp_path: Path, damage: str) -> None:
    out = tmp_path / "out"
    build(corpus, out)
    clean = {n: (out / n).read_bytes() for n in OUTPUTS}
    if damage == "edit-ttl":
        (out / "graph.ttl").write_text("# edited\n", "utf-8")
    elif damage == "delete-events":
        (out / "events.jsonl").unlink()
    elif damage == "delete-stamp":
        (out / STAMP).unlink()
    else:
        (out / STAMP).write_text('{"key": 3', "utf-8")
    build(corpus, out)
    assert {n: (out / n).read_bytes() for n in OUTPUTS} == clean


def test_new_article_or_other_options_rewrite(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(corpus, out, html=False)
    assert not (out / "graph.html").exists()
    build(corpus, out)  # same facts, but now graph.html is asked for
    assert (out / "graph.html").is_file()
    ttl = (out / "graph.ttl").read_bytes()
    (corpus / "zz_new.txt").write_text(
        "Extra report\n2021-05-01\nTwitter removed 123 fake accounts tied to Iran.\n", "utf-8"
    )
    result = build(corpus, out)
    assert (out / "graph.ttl").read_bytes() != ttl and result.extracted == 1
    fresh = tmp_path / "fresh"
    build(corpus, fresh, cache=False)
    for n in ("graph.ttl", "events.jsonl"):
        assert (out / n).read_bytes() == (fresh / n).read_bytes()
    # graph.html keeps the last page's layout (kg.explorer.reuse): the same page but for positions
    assert page_parts(out / "graph.html")[:2] == page_parts(fresh / "graph.html")[:2]


def test_a_build_reports_its_steps(corpus: Path, tmp_path: Path) -> None:
    """The benchmark's breakdown of a build comes from these (names and order; no timing checked)."""
    out = tmp_path / "out"
    first = build(corpus, out)
    names = [name for name, _ in first.steps]
    assert names == ["model load", "read + parse", "memo", "graph import", "resolve", "triples", "Turtle",
                     "events", "graph.html", "publish"]
    assert all(seconds >= 0 for _, seconds in first.steps)
    again = build(corpus, out)  # nothing new: stops after the memo
    assert [name for name, _ in again.steps] == ["model load", "read + parse", "memo"]


def test_the_corpus_is_listed_once_per_build(corpus: Path, tmp_path: Path) -> None:
    """The listing a build takes for its corpus stat is the one it reads (a remote corpus would
    otherwise be listed twice), whether it parses or stops at the memo. Run in a fresh process:
    workers fork (the case this tests) only in a process with no other thread, and earlier
    tests (Dask clusters) leave threads behind in this one."""
    import subprocess

    code = f"""
import sys
from pathlib import Path
import kg.build.pipeline as p
calls = []
real = p.scan_corpus_files
def counted(*args, **kwargs):
    calls.append(args[0])
    return real(*args, **kwargs)
p.scan_corpus_files = counted
assert sys.platform != "linux" or p.forks_cheaply()
first = p.build(Path({str(corpus)!r}), Path({str(tmp_path / "out")!r}))
print(len(calls), first.extracted)
again = p.build(Path({str(corpus)!r}), Path({str(tmp_path / "out")!r}))
print(len(calls), again.extracted)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", str(len(list(corpus.iterdir()))), "2", "0"]
