"""``kg build --cluster``: the same bytes as one process, on a LocalCluster and on a real
scheduler with worker processes on loopback; a killed worker costs a retry, an unreachable
scheduler a one-line error; ``--split-graph`` parts add up to the graph."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _outputs(out: Path) -> tuple[bytes, bytes]:
    return (out / "graph.ttl").read_bytes(), (out / "events.jsonl").read_bytes()


def _build(corpus: Path | str, out: Path, *args: str) -> tuple[bytes, bytes]:
    result = runner.invoke(app, ["build", str(corpus), "--out", str(out), "--no-html", "--no-cache", *args])
    assert result.exit_code == 0, result.output
    return _outputs(out)


# --------------------------------------------------------------------------------------
# Fast: no cluster


def test_pipeline_and_cli_do_not_import_dask() -> None:
    code = (
        "import sys, kg.build.pipeline, kg.cli; "
        "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert found.stdout.strip() == "[]"


def test_parse_cluster() -> None:
    from kg.build.cluster import parse_cluster

    assert parse_cluster("local:3") == ("local", 3)
    assert parse_cluster("local")[0] == "local"
    assert parse_cluster("tcp://10.0.0.5:8786") == ("address", None)


def test_unreachable_scheduler_is_one_line_and_keeps_old_outputs(tmp_path: Path, corpus_dir: Path) -> None:
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("# previous graph\n")
    address = f"tcp://127.0.0.1:{_free_port()}"
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(corpus_dir), "--out", str(out), "--cluster", address],
        capture_output=True, text=True, cwd=ROOT, timeout=60, env={**os.environ, "KG_CLUSTER_TIMEOUT": "3"},
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and address in lines[0], done.stderr
    assert (out / "graph.ttl").read_text() == "# previous graph\n"
    assert not (out / "events.jsonl").exists()


@pytest.mark.model
def test_graph_parts_union_is_the_graph(tmp_path: Path, corpus_dir: Path) -> None:
    from rdflib import Graph

    from kg.stores.push import _parts

    out = tmp_path / "out"
    _build(corpus_dir, out, "--split-graph", "--partition-size", "2")
    parts = sorted((out / "graph-parts").glob("part-*.nt"))
    assert [p.name for p in parts] == ["part-00000.nt", "part-00001.nt", "part-00002.nt"]
    union: set = set()
    for p in parts:
        lines = p.read_text().splitlines()
        assert lines == sorted(lines)
        triples = set(Graph().parse(p, format="nt"))
        assert not union & triples  # each triple in exactly one part
        union |= triples
    assert union == set(Graph().parse(out / "graph.ttl", format="turtle"))
    assert _parts(out / "graph-parts") == parts  # `kg push OUT/graph-parts` takes the folder
    # a rebuild with fewer partitions leaves no stale part behind
    _build(corpus_dir, out, "--split-graph", "--partition-size", "16")
    assert [p.name for p in (out / "graph-parts").glob("*.nt")] == ["part-00000.nt"]


# --------------------------------------------------------------------------------------
# Clusters


def _mixed_corpus(tmp_path: Path, corpus_dir: Path) -> Path:
    """Seed articles, a duplicate and a near-duplicate in a later partition, bad files, other formats."""
    import shutil

    corpus = tmp_path / "mixed"
    shutil.copytree(corpus_dir, corpus)
    shutil.copytree(ROOT / "tests" / "data" / "formats", corpus / "zz")
    seeds = sorted(corpus_dir.glob("*.txt"))
    (corpus / "zz" / "zz_dup.txt").write_bytes(seeds[0].read_bytes())
    (corpus / "zz" / "zz_near.txt").write_text(seeds[1].read_text().replace(" the ", " The ", 1))
    return corpus


@pytest.fixture(scope="module")
def single(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> tuple[bytes, bytes]:
    return _build(corpus_dir, tmp_path_factory.mktemp("single") / "out")


@pytest.mark.model
@pytest.mark.cluster
def test_local_cluster_and_jobs_give_the_single_process_bytes(
    tmp_path: Path, corpus_dir: Path, single: tuple[bytes, bytes]
) -> None:
    pytest.importorskip("distributed")
    assert _build(corpus_dir, tmp_path / "jobs", "--jobs", "2") == single
    assert _build(corpus_dir, tmp_path / "local", "--cluster", "local:2", "--partition-size", "2") == single


@pytest.mark.model
@pytest.mark.cluster
def test_workers_read_a_corpus_behind_a_url(
    tmp_path: Path, corpus_dir: Path, single: tuple[bytes, bytes], ftp_root: tuple[Path, str]
) -> None:
    """The corpus on an FTP server (any fsspec URL): workers fetch their own files, the client
    reads none, and the bytes are those of the local build."""
    pytest.importorskip("distributed")
    import shutil

    import kg.ingest

    folder, url = ftp_root
    shutil.copytree(corpus_dir, folder / "corpus")
    opened: list[str] = []
    real = kg.ingest.RemoteFile.read_bytes

    def spy(self: kg.ingest.RemoteFile) -> bytes:  # this process is the client: it must not read
        opened.append(self.url)
        return real(self)

    kg.ingest.RemoteFile.read_bytes = spy  # type: ignore[method-assign]
    try:
        out = _build(f"{url}/corpus", tmp_path / "ftp", "--cluster", "local:2", "--partition-size", "2")
    finally:
        kg.ingest.RemoteFile.read_bytes = real  # type: ignore[method-assign]
    assert out == single
    assert opened == []
    assert _build(f"{url}/corpus", tmp_path / "ftp1") == single  # and without a cluster


@pytest.mark.cluster
def test_worker_error_is_one_line_and_writes_nothing(tmp_path: Path, corpus_dir: Path) -> None:
    """Our error on a worker (here: no such model there) stops the build with its own message."""
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    args = ["build", str(corpus_dir), "--out", str(out), "--cluster", "local:1", "--model", "no_such_model_x"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "no_such_model_x" in result.output
    assert not (out / "graph.ttl").exists()


@pytest.mark.model
@pytest.mark.cluster
def test_mixed_corpus_skips_and_duplicates_match(tmp_path: Path, corpus_dir: Path) -> None:
    """Duplicates across partitions are decided like ``ingest`` does: same facts, same skips."""
    pytest.importorskip("distributed")
    from kg.build.cluster import extract_corpus_on_cluster
    from kg.build.pipeline import extract_corpus

    corpus = _mixed_corpus(tmp_path, corpus_dir)
    facts, skipped = extract_corpus(corpus)
    on_cluster = extract_corpus_on_cluster(corpus, "local:2", partition_size=3)
    assert on_cluster == (facts, skipped)
    assert any("near-duplicate" in s.reason for s in skipped)
    assert any("duplicate of" in s.reason for s in skipped)
    # the near-duplicate is kept as a copy reporting its original's takedowns; the exact one is not
    (near,) = [f for f in facts if f.article.file == "zz/zz_near.txt"]
    (original,) = [f for f in facts if f.article.id == near.article.copy_of]
    assert near.article.copy_of is not None and len(near.takedowns) == len(original.takedowns) > 0
    assert not any(f.article.file == "zz/zz_dup.txt" for f in facts)


class DaskProcesses:
    """A ``dask scheduler`` and ``dask worker`` processes on loopback, each in its own session."""

    def __init__(self, workers: int) -> None:
        self.port = _free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
        self.env = {**os.environ, "PYTHONPATH": path}
        self.scheduler = self._start(
            ["scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard"]
        )
        self.workers = [
            self._start(["worker", self.address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"])
            for _ in range(workers)
        ]
        self._wait_for_workers(workers)

    def _start(self, args: list[str]) -> subprocess.Popen[bytes]:
        dask = Path(sys.executable).with_name("dask")
        cmd = [str(dask)] if dask.exists() else [sys.executable, "-m", "dask"]
        return subprocess.Popen(
            [*cmd, *args], cwd=ROOT, env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    def _wait_for_workers(self, n: int, timeout: float = 60) -> None:
        from distributed import Client

        deadline = time.monotonic() + timeout
        while True:
            try:
                with Client(self.address, timeout=5) as client:
                    client.wait_for_workers(n, timeout=max(deadline - time.monotonic(), 1))
                    return
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the process group: the ``dask worker`` nanny and its worker process."""
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)

    def close(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=10)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    self.kill(proc)
            else:  # the session may hold a worker the nanny started
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


@pytest.fixture
def dask_processes() -> Iterator[Callable[[int], DaskProcesses]]:
    pytest.importorskip("distributed")
    started: list[DaskProcesses] = []

    def start(workers: int) -> DaskProcesses:
        started.append(DaskProcesses(workers))
        return started[-1]

    yield start
    for cluster in started:
        cluster.close()


@pytest.mark.model
@pytest.mark.cluster
def test_scheduler_and_worker_processes_give_the_same_bytes(
    tmp_path: Path,
    corpus_dir: Path,
    single: tuple[bytes, bytes],
    dask_processes: Callable[[int], DaskProcesses],
) -> None:
    cluster = dask_processes(2)
    out = tmp_path / "out"
    assert _build(corpus_dir, out, "--cluster", cluster.address, "--partition-size", "1") == single


@pytest.mark.model
@pytest.mark.cluster
def test_killed_worker_costs_a_retry_not_the_build(
    tmp_path: Path, dask_processes: Callable[[int], DaskProcesses]
) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from corpus_gen import write_corpus
    finally:
        sys.path.remove(str(ROOT / "bench"))
    from kg.build.pipeline import build

    corpus = tmp_path / "corpus"
    write_corpus(corpus, 40, seed=7)
    cluster = dask_processes(2)
    victim = cluster.workers[0]
    ticks: list[int] = []

    def progress(done: int, total: int) -> None:
        ticks.append(done)
        if len(ticks) == 2:  # tasks are running on both workers: kill one mid-build
            cluster.kill(victim)

    build(corpus, tmp_path / "cluster", html=False, cache=False, cluster=cluster.address, partition_size=2,
          progress=progress)
    assert victim.poll() is not None
    assert sorted(ticks) == list(range(1, 41))
    build(corpus, tmp_path / "single", html=False, cache=False)
    assert _outputs(tmp_path / "cluster") == _outputs(tmp_path / "single")


# --------------------------------------------------------------------------------------
# One takedown, many reports: the merge on a cluster

_REPORTS = {
    "a.txt": "Facebook removes Iranian network\n2021-03-10\nFacebook said on Tuesday it had removed 120"
    " accounts and 30 pages linked to Iran that posed as local news outlets.\n",
    "b.txt": "Meta takes down fake news pages run from Iran\n2021-03-11\nMeta has taken down 120 Facebook"
    " accounts and 30 pages tied to Iran, the company said in a report.\n",
    "c.txt": "Social media firms act against influence campaigns\n2021-03-12\nFacebook removed a network"
    " of accounts linked to Iran this week.\nSeparately, Twitter suspended 45 accounts tied to Russia"
    " on Thursday.\n",
    "d.txt": "Twitter suspends Russian accounts\n2021-03-11\nTwitter said it suspended 45 accounts linked"
    " to Russia that spread false claims.\n",
}


@pytest.mark.model
@pytest.mark.cluster
def test_merged_graph_on_a_cluster_is_the_single_process_graph(
    tmp_path: Path, dask_processes: Callable[[int], DaskProcesses]
) -> None:
    """Four articles report two takedowns: the cluster build merges them into the same bytes,
    and the merge's blocks run on the cluster's workers give the same events."""
    from distributed import Client

    from kg.build.pipeline import extract_corpus
    from kg.resolve import resolve

    corpus = tmp_path / "reports"
    corpus.mkdir()
    for name, text in _REPORTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    single = _build(corpus, tmp_path / "single")
    import json

    records = [json.loads(line) for line in single[1].decode().splitlines()]
    events = sorted((t["platform"], t["event"]) for r in records for t in r["takedowns"])
    assert [p for p, _ in events] == ["Facebook"] * 3 + ["Twitter"] * 2 and len({e for _, e in events}) == 2
    assert b"cib:mergedOn" in single[0] and b"cib:reportedFigures" in single[0]
    cluster = dask_processes(2)
    args = ("--cluster", cluster.address, "--partition-size", "1")
    assert _build(corpus, tmp_path / "cluster", *args) == single

    facts, _ = extract_corpus(corpus)
    here = resolve(facts)
    assert sorted(len(e.sources) for e in here.takedowns) == [2, 3]
    with Client(cluster.address, timeout=30) as client:

        def on_cluster(fn: Callable[..., object], items: list[object]) -> list[object]:
            return client.gather(client.map(fn, items, pure=False))

        assert resolve(list(reversed(facts)), map_blocks=on_cluster) == here
