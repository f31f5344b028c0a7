"""Fuzz: a few thousand generated bad inputs through ingest and the CLI, in bounded time.

Every file must end as articles or as one-line skip reasons naming it: no traceback, no hang.
Inputs are generated from a fixed seed (mutations of the format fixtures, random bytes, broken
JSON, broken HTML), so a failure reproduces exactly.
"""

from __future__ import annotations

import json
import random
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.ingest import SUFFIXES, corpus_files, ingest, ingest_corpus

FORMATS = Path(__file__).parent / "data" / "formats"
SEEDS = sorted(p.read_bytes() for p in FORMATS.rglob("*") if p.is_file())
FILES = 2500
TIME_LIMIT = 60

JUNK = [
    b"\x00",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
    b"\r",
    b"\n\n\n",
    b"\\u",
    b'"\\ud800"',
    b"{",
    b"}",
    b"[",
    b"<",
    b"<html>",
    b"<meta property='article:published_time' content='",
    b"<![CDATA[",
    b"<!--",
    b"<script>",
    b"---\n",
    b"date: ",
    b"\xe2\x80\xae",
    b"\xf0\x9f\x98\x80",
    b"\x1b[2J",
]


def _mutate(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 6)):
        op = rng.randrange(5)
        pos = rng.randint(0, len(out))
        if op == 0 and out:  # flip a byte
            out[min(pos, len(out) - 1)] = rng.randrange(256)
        elif op == 1:  # insert junk
            out[pos:pos] = rng.choice(JUNK)
        elif op == 2:  # truncate
            del out[pos:]
        elif op == 3 and out:  # duplicate a slice
            end = rng.randint(pos, min(len(out), pos + 200))
            out[pos:pos] = out[pos:end] * rng.randint(1, 3)
        else:  # delete a slice
            del out[pos : pos + rng.randint(1, 50)]
    return bytes(out)


def _jsonl(rng: random.Random) -> bytes:
    lines: list[str] = []
    for _ in range(rng.randint(0, 6)):
        kind = rng.randrange(7)
        if kind == 0:
            lines.append(
                json.dumps({"id": rng.random(), "text": "Facebook removed 5 accounts tied to Iran."})
            )
        elif kind == 1:
            lines.append(json.dumps({"text": rng.choice([None, 1, [], {}, "", " "])}))
        elif kind == 2:
            lines.append(
                json.dumps({"text": "Body.", "published": rng.choice(["2021-02-30", "x", 5, "9999"])})
            )
        elif kind == 3:
            lines.append("[" * rng.randint(1, 5000) + "]" * rng.randint(0, 3))
        elif kind == 4:
            lines.append(json.dumps({"id": {"nested": 1}, "title": ["x"], "text": "Body."}))
        elif kind == 5:
            lines.append(json.dumps(rng.choice([1, "s", None, True, []])))
        else:
            lines.append(json.dumps({"id": "d", "text": "Dup\u2028line\x00 ok"}))
    return "\n".join(lines).encode("utf-8")


def _random_bytes(rng: random.Random) -> bytes:
    return bytes(rng.randrange(256) for _ in range(rng.randint(0, 1500)))


def generate(folder: Path, n: int = FILES, seed: int = 1234) -> list[Path]:
    """``n`` generated files under ``folder`` (some in nested folders), all with ingest suffixes."""
    rng = random.Random(seed)
    paths = []
    for i in range(n):
        suffix = rng.choice(SUFFIXES)
        kind = rng.randrange(10)
        if kind < 5:
            data = _mutate(rng, rng.choice(SEEDS))
        elif kind < 7:
            data = _jsonl(rng) if suffix == ".jsonl" else _mutate(rng, rng.choice(JUNK) * rng.randint(1, 40))
        elif kind < 9:
            data = _random_bytes(rng)
        else:
            data = rng.choice(
                [b"", b" \n\t", b"\xef\xbb\xbf", b"\xff\xfe", b"<html></html>", b"{}", b"---\n---\n"]
            )
        sub = folder / f"d{i % 7}" / ("deep" if i % 3 == 0 else "")
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"f{i:04d}{suffix}"
        path.write_bytes(data)
        paths.append(path)
    return paths


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail, not hang, if the block runs longer than ``seconds``."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"fuzz run exceeded {seconds}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_thousands_of_bad_inputs_never_raise(tmp_path: Path) -> None:
    paths = generate(tmp_path)
    start = time.perf_counter()
    with time_limit(TIME_LIMIT):
        articles, skipped = ingest_corpus(tmp_path)
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT
    assert len(corpus_files(tmp_path)) == len(paths)
    accounted = {a.path.split(":")[0] for a in articles} | {s.path.split(":")[0] for s in skipped}
    for path in paths:  # a JSONL path is "file:line"
        assert str(path) in accounted or any(str(path) in s.reason for s in skipped), path
    for s in skipped:
        assert "\n" not in s.reason and "\r" not in s.reason and "Traceback" not in s.reason
        assert s.reason.startswith(str(tmp_path)), s.reason
    for a in articles:
        a.text.encode("utf-8")
        assert a.text.splitlines()[0].strip() or a.title
        for p in a.paragraphs:
            assert a.text[p.start : p.start + len(p.text)] == p.text
    # both outcomes happen: the generator is not trivially all-bad or all-good
    assert len(articles) > 50 and len(skipped) > 500


def test_ingest_is_deterministic_on_bad_input(tmp_path: Path) -> None:
    generate(tmp_path, n=300, seed=99)
    first = ingest_corpus(tmp_path)
    second = ingest(corpus_files(tmp_path), root=tmp_path)
    assert first == second


@pytest.mark.model
def test_cli_on_generated_inputs_gives_no_traceback(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    generate(corpus, n=120, seed=7)
    runner = CliRunner()
    with time_limit(TIME_LIMIT):
        result = runner.invoke(app, ["build", str(corpus), "--out", str(tmp_path / "out"), "--no-html"])
        assert result.exit_code == 0, result.output
        assert result.exception is None
        assert "Traceback" not in result.output
        assert "skipped: " in result.stderr
        assert all(
            line.startswith(("skipped: ", "extracting")) for line in result.stderr.splitlines() if line
        )
        for bad in sorted(corpus.rglob("*"))[:40]:
            if bad.is_file():
                result = runner.invoke(app, ["extract", str(bad)])
                assert (
                    result.exit_code in (0, 2)
                    and result.exception is None
                    or isinstance(result.exception, SystemExit)
                ), result.output
                assert "Traceback" not in result.output
    result = runner.invoke(app, ["build", str(tmp_path / "missing"), "--out", str(tmp_path / "o2")])
    assert result.exit_code == 2 and "corpus folder does not exist" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
