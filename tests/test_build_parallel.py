"""``--jobs N``: worker processes parse, and the outputs are byte-identical to one process."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.build.workers import iter_facts
from kg.cli import app
from kg.ingest import corpus_files, ingest

pytestmark = pytest.mark.model
runner = CliRunner()


def test_workers_give_the_same_facts(corpus_dir: Path) -> None:
    articles, _ = ingest(corpus_files(corpus_dir))
    one = list(iter_facts(articles, jobs=1))
    two = list(iter_facts(articles, jobs=2))  # 5 articles: batches of 3 and 2, two workers
    assert [f.article.id for f in two] == [a.id for a in articles]
    assert two == one


def test_workers_stream_the_articles(nlp) -> None:  # type: ignore[no-untyped-def]
    """Articles are pulled as workers need them: the first facts come back long before the
    last article is read, so a build holds a window of texts, not the corpus."""
    from kg.build.workers import BATCH_ARTICLES, IN_FLIGHT_PER_JOB
    from kg.ingest import parse_article

    read = 0

    def articles():  # type: ignore[no-untyped-def]
        nonlocal read
        for i in range(400):
            read += 1
            yield parse_article(f"Report {i}\n\nTwitter removed {i + 2} accounts.\n", file=f"{i}.txt")

    facts = iter_facts(articles(), jobs=2)
    first = next(facts)
    assert first.article.file == "0.txt"
    assert read <= 2 * IN_FLIGHT_PER_JOB * BATCH_ARTICLES + BATCH_ARTICLES < 400
    rest = list(facts)
    assert [f.article.file for f in rest] == [f"{i}.txt" for i in range(1, 400)]
    assert rest[-1].takedowns[0].counts.accounts == 401


def test_jobs_2_build_is_byte_identical(corpus_dir: Path, tmp_path: Path) -> None:
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"j{jobs}"
        result = runner.invoke(app, ["build", str(corpus_dir), "-o", str(out), "--no-html", "--no-cache",
                                     "--jobs", jobs])
        assert result.exit_code == 0, result.output
        assert "5 parsed, 0 from cache" in result.output
        outs.append(out)
    for name in ("graph.ttl", "events.jsonl"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes()


def test_jobs_must_be_positive(corpus_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", str(corpus_dir), "-o", str(tmp_path), "-j", "0"])
    assert result.exit_code == 2


def test_later_steps_are_imported_while_workers_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    """The thread imports what it can and swallows the rest (the build's own import reports it)."""
    import sys
    import threading

    from kg.build.workers import import_in_background

    monkeypatch.delitem(sys.modules, "kg.exporters.cypher", raising=False)
    for name in [n for n in sys.modules if n == "pyvis" or n.startswith("pyvis.")]:
        monkeypatch.delitem(sys.modules, name)
    import_in_background(["kg.no_such_module", "kg.exporters.cypher", "kg.explorer.page"])
    for thread in threading.enumerate():
        if thread.name == "kg-imports":
            thread.join(timeout=60)
    assert "kg.exporters.cypher" in sys.modules
    assert "kg.no_such_module" not in sys.modules
    assert "pyvis.network" in sys.modules  # the page exporter's preload() ran too


def test_a_forked_worker_does_not_hold_the_output_lock(tmp_path: Path) -> None:
    """Workers forked during a build close their copies of its lock: once the build lets go,
    the folder is free even while a worker lives on (a killed build's orphan would otherwise
    keep every later build out)."""
    import multiprocessing
    import os
    import sys

    from kg.build.outputs import OutputSet
    from kg.build.workers import _init_worker

    if sys.platform != "linux":
        pytest.skip("fork start method: Linux only")
    out = tmp_path / "out"
    build = OutputSet(out).__enter__()
    with multiprocessing.get_context("fork").Pool(1, initializer=_init_worker, initargs=(None, None)) as pool:
        assert pool.apply(os.getpid) != os.getpid()  # the worker is up, forked while the lock was held
        build.__exit__(None, None, None)
        with OutputSet(out):  # not BusyError: the worker holds no copy
            pass


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_model_that_cannot_load_is_one_line_not_a_hang(corpus_dir: Path, tmp_path: Path, jobs: str) -> None:
    """A Pool replaces a worker whose initializer raised, forever: the worker keeps the error
    for its first task instead, so ``--jobs 2`` fails like one process does."""
    import subprocess
    import sys

    argv = [sys.executable, "-m", "kg.cli", "build", str(corpus_dir), "--out", str(tmp_path / "out"),
            "--jobs", jobs, "--model", "no_such_model", "--no-cache"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]  # one line, no traceback
    assert "cannot load spaCy model 'no_such_model'" in done.stderr


def test_a_build_whose_workers_cannot_start_parses_in_process(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.build.pipeline
    import kg.build.workers

    kg.build.pipeline.build(corpus_dir, tmp_path / "a", html=False, cache=False)

    def refuse(*args: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(kg.build.pipeline, "forks_cheaply", lambda: True)
    monkeypatch.setattr(kg.build.workers, "Workers", refuse)
    result = kg.build.pipeline.build(corpus_dir, tmp_path / "b", html=False, cache=False)
    assert result.extracted == 5 and result.model_seconds > 0  # loaded here, not in a worker
    assert (tmp_path / "a" / "graph.ttl").read_bytes() == (tmp_path / "b" / "graph.ttl").read_bytes()


def test_a_fresh_build_loads_the_model_only_in_its_worker(corpus_dir: Path, tmp_path: Path) -> None:
    """From a fresh process (as the CLI runs), one job parses in a forked worker that loads the
    model while the build reads: the build itself never loads a pipeline nor imports spaCy,
    graph.html included (its evidence marks read the word lists, not the rules)."""
    import subprocess
    import sys

    if sys.platform != "linux":
        pytest.skip("workers fork only on Linux")
    code = (
        "import sys, kg.extract.model, kg.build.pipeline\n"
        f"r = kg.build.pipeline.build({str(corpus_dir)!r},"
        f" __import__('pathlib').Path({str(tmp_path / 'out')!r}),"
        " cache=False)\n"
        "loaded = kg.extract.model.load_pipeline.cache_info().currsize\n"
        "print(r.extracted, r.model_seconds > 0, loaded, 'spacy' in sys.modules)\n"
    )
    argv = [sys.executable, "-c", code]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=True)
    assert done.stdout.split() == ["5", "True", "0", "False"]


def test_workers_from_a_forkserver_give_the_same_facts(
    corpus_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where forking is not cheap (a process with threads: a notebook), workers come from a
    forkserver (or spawn): the same facts."""
    import kg.build.pipeline
    import kg.build.workers

    articles, _ = ingest(corpus_files(corpus_dir))
    one = list(iter_facts(articles, jobs=1))
    monkeypatch.setattr(kg.build.workers, "forks_cheaply", lambda: False)
    assert kg.build.workers._mp_context().get_start_method() in ("forkserver", "spawn")
    assert list(iter_facts(articles, jobs=2)) == one


def test_a_corpus_unchanged_since_the_last_build_forks_no_worker(
    corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers are forked before reading only when the corpus looks changed (files, sizes or
    times differ from the last build's): a rebuild with nothing new starts none, and one
    whose stat misleads (a file edited but stat-identical) still parses what it must."""
    import json
    import os
    import shutil

    import kg.build.pipeline
    import kg.build.workers

    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    started: list[int] = []
    real = kg.build.workers.Workers

    def counted(*args: object) -> object:
        started.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(kg.build.pipeline, "forks_cheaply", lambda: True)
    monkeypatch.setattr(kg.build.workers, "Workers", counted)
    out = tmp_path / "out"
    first = kg.build.pipeline.build(corpus, out, html=False)
    assert len(started) == 1 and first.extracted == 5
    again = kg.build.pipeline.build(corpus, out, html=False)
    assert len(started) == 1 and again.extracted == 0  # nothing new: no worker
    (corpus / "new.txt").write_text("New article\n\nMarch 3, 2020\n\nYouTube removed 9 channels.\n", "utf-8")
    third = kg.build.pipeline.build(corpus, out, html=False)
    assert len(started) == 2 and third.extracted == 1
    # an edit that keeps the size and the time: no worker forked, the article parsed here
    path = corpus / "new.txt"
    st = path.stat()
    path.write_text(path.read_text("utf-8").replace("9 channels", "8 channels"), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    fourth = kg.build.pipeline.build(corpus, out, html=False)
    assert len(started) == 2 and fourth.extracted == 1
    records = [json.loads(line) for line in (out / "events.jsonl").read_text("utf-8").splitlines()]
    assert [t["channels"] for r in records if r["file"] == "new.txt" for t in r["takedowns"]] == [8]


def test_auto_jobs_from_corpus_size() -> None:
    """No --jobs: one parse process for a small corpus (a second one's model load costs more than
    it saves: bench/jobs_results.md), more for a large one, never more than the CPUs."""
    from kg.build.pipeline import AUTO_JOBS_BYTES, auto_jobs

    assert auto_jobs(None) == 1 and auto_jobs(0) == 1 and auto_jobs(20_000) == 1
    assert auto_jobs(300_000, cpus=2) == 1  # the 130 articles: one process was faster
    assert auto_jobs(AUTO_JOBS_BYTES - 1, cpus=8) == 1
    assert auto_jobs(AUTO_JOBS_BYTES, cpus=2) == 2
    assert auto_jobs(AUTO_JOBS_BYTES * 10, cpus=2) == 2
    assert auto_jobs(AUTO_JOBS_BYTES * 3, cpus=8) == 4
    assert auto_jobs(AUTO_JOBS_BYTES * 3, cpus=1) == 1


def test_a_rebuild_chooses_its_jobs_from_what_it_will_parse() -> None:
    """With the facts cache, a rebuild parses about the corpus's growth, so ten new articles in
    a large corpus get one process (each loads its own model), and a first build the whole."""
    from kg.build.pipeline import AUTO_JOBS_BYTES, _bytes_to_parse, auto_jobs

    big = [1_000, AUTO_JOBS_BYTES * 4, 0]
    assert _bytes_to_parse(big, None) == AUTO_JOBS_BYTES * 4  # no last build (or no cache)
    assert auto_jobs(_bytes_to_parse(big, None), cpus=8) == 5
    grown = [1_010, AUTO_JOBS_BYTES * 4 + 40_000, 1]
    assert _bytes_to_parse(grown, big) == 40_000 and auto_jobs(_bytes_to_parse(grown, big), cpus=8) == 1
    assert _bytes_to_parse(big, grown) == 0  # articles removed: nothing new to parse
    assert _bytes_to_parse([2_000, AUTO_JOBS_BYTES * 8, 2], big) == AUTO_JOBS_BYTES * 4
    assert _bytes_to_parse(None, big) is None  # a remote corpus: not listed, one process


def test_a_rebuild_after_a_rule_edit_parses_the_whole_corpus(tmp_path: Path) -> None:
    """The growth hint holds only for the facts cache the last build filled: after an edit of a
    rule (a new cache version) nothing of the corpus is cached, so no hint is given."""
    from kg.build import memo

    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("", "utf-8")
    memo.record(out, "key", [out / "graph.ttl"], {}, corpus=[10, 5_000, 1], cache="aaaa")
    assert memo.last_corpus_stat(out) == [10, 5_000, 1]
    assert memo.last_corpus_stat(out, "aaaa") == [10, 5_000, 1]
    assert memo.last_corpus_stat(out, "bbbb") is None
    memo.record(out, "key", [out / "graph.ttl"], {}, corpus=[10, 5_000, 1])  # a build without the cache
    assert memo.last_corpus_stat(out, "aaaa") is None


def test_a_build_chooses_its_jobs_unless_given(corpus_dir: Path, tmp_path: Path) -> None:
    """From a fresh process (as the CLI runs): no jobs -> chosen from the corpus size (with the
    threshold lowered to 1 kB, the five seeds get two processes); jobs given -> as given."""
    import subprocess
    import sys

    if sys.platform != "linux":
        pytest.skip("workers fork only on Linux")
    code = (
        "import os, pathlib, kg.build.pipeline as p\n"
        f"corpus, tmp = {str(corpus_dir)!r}, pathlib.Path({str(tmp_path)!r})\n"
        "r = p.build(corpus, tmp / 'a', cache=False, html=False)\n"
        "print(r.jobs, r.jobs_chosen, r.extracted)\n"
        "p.AUTO_JOBS_BYTES = 1000\n"
        "r = p.build(corpus, tmp / 'b', cache=False, html=False)\n"
        "print(r.jobs, r.jobs_chosen, r.extracted, min(2, len(os.sched_getaffinity(0))))\n"
        "r = p.build(corpus, tmp / 'c', cache=False, html=False, jobs=1)\n"
        "print(r.jobs, r.jobs_chosen, r.extracted)\n"
    )
    argv = [sys.executable, "-c", code]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=True)
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["1", "True", "5"]
    two = lines[1].split()
    assert two[:3] == [two[3], "True", "5"]  # two processes where two CPUs are allowed
    assert lines[2].split() == ["1", "False", "5"]
    for name in ("graph.ttl", "events.jsonl"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
