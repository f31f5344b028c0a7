"""Outputs are never lost: a build killed at a random moment leaves the previous outputs whole
and as one set (graph.ttl, events.jsonl and graph.html all of the old build or all of the new
one), and the extraction cache it leaves behind (maybe half-written) never changes the next build.
Kills at every file-system step of the switch itself are in tests/test_build_outputs.py."""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest
from page_tools import page_parts

ROOT = Path(__file__).resolve().parent.parent
FORMATS = Path(__file__).parent / "data" / "formats" / "good"
OUTPUTS = ("graph.ttl", "events.jsonl", "graph.html")
KILLS = 10

pytestmark = pytest.mark.model


def _build(corpus: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group: the kill reaches any worker too
    )


def _assert_whole(out: Path) -> dict[str, bytes]:
    """Every output exists and parses completely; returns their bytes."""
    data = {name: (out / name).read_bytes() for name in OUTPUTS}
    triples = list(pyoxigraph.parse(data["graph.ttl"], format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) > 100
    text = data["events.jsonl"].decode("utf-8")
    assert text.endswith("\n")
    assert all(isinstance(json.loads(line), dict) for line in text.splitlines())
    page = data["graph.html"].decode("utf-8")
    assert page.lstrip().lower().startswith("<!doctype html") and page.rstrip().endswith("</html>")
    return data


def _extras(out: Path) -> frozenset[str]:
    """The added articles the set holds; each output must hold the same ones (one build's set)."""
    names = [f"extra{i}.txt" for i in range(KILLS)]
    held = []
    for output in OUTPUTS:
        data = (out / output).read_bytes()
        held.append(frozenset(n for n in names if n.encode() in data))
    assert held[0] == held[1] == held[2], f"mixed output set: {dict(zip(OUTPUTS, held, strict=True))}"
    return held[0]


#: besides the outputs: the cache, the lock, the output-set switch and generations, and the
#: build state (``.kg``: the build memo and graph.html's key, checked against the outputs' hashes)
ALLOWED = {*OUTPUTS, ".cache", ".lock", ".current", ".generations", ".kg"}


def _corpus(tmp_path: Path, corpus_dir: Path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    shutil.copytree(FORMATS, corpus / "formats")
    return corpus


def test_killed_builds_leave_previous_outputs_whole(tmp_path: Path, corpus_dir: Path) -> None:
    corpus = _corpus(tmp_path, corpus_dir)
    out = tmp_path / "out"
    start = time.monotonic()
    first = _build(corpus, out)
    _, err = first.communicate(timeout=300)
    full = time.monotonic() - start
    assert first.returncode == 0, err.decode()
    _assert_whole(out)

    rng = random.Random(2024)
    seen = _extras(out)
    assert seen == frozenset()
    kinds = []
    for i in range(KILLS):
        # a new article each round, so a build that got far enough writes different bytes
        (corpus / f"extra{i}.txt").write_text(
            f"Extra report {i}\n2021-05-0{i + 1}\nTwitter removed {100 + i} fake accounts tied to Iran.\n",
            encoding="utf-8",
        )
        proc = _build(corpus, out, "--no-cache" if i % 2 else "--cache")
        # half the kills land late in the build, where the outputs are written
        time.sleep(rng.uniform(0.5, 1.0) * full if i % 2 == 0 else rng.uniform(0.05, 0.9) * full)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=60)
        _assert_whole(out)  # each file is the old one or a whole new one, never a torn one
        now = _extras(out)  # ... and all three from the same build
        new = frozenset(f"extra{k}.txt" for k in range(i + 1))  # the corpus keeps every extra
        assert now in (seen, new), (seen, now)  # the old set or the new one
        kinds.append("new" if now == new else "old")
        seen = now
        leftovers = {p.name for p in out.iterdir()} - ALLOWED
        assert all(name.endswith(".link-tmp") for name in leftovers), leftovers

    # the cache the killed builds left is either valid or detected: same bytes as a clean build
    final = _build(corpus, out)
    _, err = final.communicate(timeout=300)
    assert final.returncode == 0, err.decode()
    clean = _build(corpus, tmp_path / "clean", "--no-cache")
    _, err = clean.communicate(timeout=300)
    assert clean.returncode == 0, err.decode()
    got, want = _assert_whole(out), _assert_whole(tmp_path / "clean")
    assert {n: got[n] for n in OUTPUTS[:2]} == {n: want[n] for n in OUTPUTS[:2]}
    # graph.html keeps the last page's layout (kg.explorer.reuse): the same page but for positions
    assert page_parts(out / "graph.html")[:2] == page_parts(tmp_path / "clean" / "graph.html")[:2]
    assert _extras(out) == frozenset(f"extra{i}.txt" for i in range(KILLS))
    print(f"kills: {kinds.count('old')} left the old set, {kinds.count('new')} the new one")


def test_garbled_cache_entries_are_rebuilt_identically(tmp_path: Path, corpus_dir: Path) -> None:
    """Every kind of damage to every entry: the rebuild re-parses and writes the same bytes."""
    kg_pipeline = pytest.importorskip("kg.build.pipeline")
    if not (ROOT / "kg" / "build" / "cache.py").exists():
        pytest.skip("kg.build.cache is not there yet")
    corpus = _corpus(tmp_path, corpus_dir)
    out = tmp_path / "out"
    first = kg_pipeline.build(corpus, out, html=False)
    expected = [(out / name).read_bytes() for name in OUTPUTS[:2]]
    entries = sorted((out / ".cache").rglob("*.facts"))
    assert len(entries) == first.articles
    rng = random.Random(7)
    for i, entry in enumerate(entries):
        data = bytearray(entry.read_bytes())
        damage = i % 5
        if damage == 0:
            data = data[: rng.randrange(len(data))]
        elif damage == 1:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif damage == 2:
            data = bytearray(rng.randbytes(len(data)))
        elif damage == 3:
            data = bytearray()
        else:
            data = bytearray(entries[(i + 1) % len(entries)].read_bytes())
        entry.write_bytes(bytes(data))
    again = kg_pipeline.build(corpus, out, html=False)
    assert again.cached == 0 and again.extracted == first.articles
    assert [(out / name).read_bytes() for name in OUTPUTS[:2]] == expected


def _processes_with(marker: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if marker.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            continue
    return found


def test_workers_of_a_killed_build_end_quietly(tmp_path: Path, corpus_dir: Path) -> None:
    """Issue 29 item 7: kill -9 of the build alone (not its group): its parsing workers end at
    once and without a traceback (they wrote BrokenPipe tracebacks and ran on)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k in range(40):
        for seed in corpus_dir.glob("*.txt"):
            (corpus / f"{k}-{seed.name}").write_text(seed.read_text("utf-8") + f"\nCopy {k}.\n", "utf-8")
    out = tmp_path / "orphan-out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    build = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), "--no-cache", "-j", "2"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )
    try:
        deadline = time.monotonic() + 120
        while len(_processes_with(str(out))) < 3:  # the build and its workers
            assert build.poll() is None and time.monotonic() < deadline, "no workers started"
            time.sleep(0.1)
        time.sleep(3)  # the workers are parsing
        build.kill()
        _, err = build.communicate(timeout=60)  # EOF: every worker closed the stderr it shared
        assert b"Traceback" not in err and b"BrokenPipe" not in err, err.decode()[-2000:]
        deadline = time.monotonic() + 10
        while _processes_with(str(out)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _processes_with(str(out)) == []
    finally:
        for pid in _processes_with(str(out)):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
