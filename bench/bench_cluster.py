"""``kg build --cluster local:2`` against ``--jobs 2`` and one process, in one run.

Run ``PYTHONPATH=. python bench/bench_cluster.py [--articles 1000]``. It writes a synthetic
corpus (``bench/corpus_gen.py``) and builds it three times, each in a fresh process, with no
cache and no graph.html: one process, ``--jobs 2`` and ``--cluster local:2``. For each it
reports wall time, CPU seconds of the client process and of all processes (client, pool or
Dask workers, Dask nannies), and peak RSS of the client and of the largest other process.
With ``--repeat R`` it runs R rounds in rotated order and keeps each mode's fastest run
(the machine may be shared). It checks the builds wrote the same graph.ttl and events.jsonl, and derives the
scheduler's overhead per article (extra wall time and extra client CPU against ``--jobs 2``).
Prints a Markdown table and writes ``bench/cluster_results.md``/``.json``. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MODES: dict[str, list[str]] = {
    "one process": [],
    "--jobs 2": ["--jobs", "2"],
    "--cluster local:2": ["--cluster", "local:2"],
}


class _Tree:
    """Samples every descendant's peak RSS (VmHWM) and CPU time; the last CPU sample of a pid wins."""

    def __init__(self, interval: float = 0.2) -> None:
        self.peak_kb: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(self._interval):
            for child in me.children(recursive=True):
                try:
                    times = child.cpu_times()
                    status = Path(f"/proc/{child.pid}/status").read_text()
                except (psutil.Error, OSError):
                    continue
                self.cpu[child.pid] = times.user + times.system
                for line in status.splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_kb[child.pid] = max(self.peak_kb.get(child.pid, 0), int(line.split()[1]))

    def stop(self) -> tuple[float, float]:
        """(CPU seconds of all descendants, largest descendant peak RSS in MB)."""
        self._stop.set()
        self._thread.join()
        return round(sum(self.cpu.values()), 1), round(max(self.peak_kb.values(), default=0) / 1024, 1)


def _stage(corpus: Path, out: Path, mode: str) -> None:
    """One build in this process; prints its numbers as JSON on the last line."""
    from kg.build.pipeline import build

    args = MODES[mode]
    jobs = int(args[1]) if args[:1] == ["--jobs"] else 1
    cluster = args[1] if args[:1] == ["--cluster"] else None
    tree = _Tree()
    t0 = time.perf_counter()
    result = build(corpus, out, html=False, jobs=jobs, cache=False, cluster=cluster)
    wall = time.perf_counter() - t0
    others_cpu, others_peak = tree.stop()
    me = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = me.ru_utime + me.ru_stime
    print(
        json.dumps(
            {
                "mode": mode,
                "articles": result.articles,
                "wall_s": round(wall, 1),
                "client_cpu_s": round(client_cpu, 1),
                "total_cpu_s": round(client_cpu + others_cpu, 1),
                "client_peak_mb": round(me.ru_maxrss / 1024, 1),
                "worker_peak_mb": others_peak,
            }
        )
    )


def run_stage(corpus: Path, out: Path, mode: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, __file__, "--stage", mode, str(corpus), str(out)],
        capture_output=True, text=True, env=env, check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def machine() -> str:
    import dask
    import spacy

    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"spaCy {spacy.__version__}, Dask {dask.__version__}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1, help="Rounds; each mode's fastest run is kept.")
    parser.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-cluster"))
    parser.add_argument("--stage", nargs=3, metavar=("MODE", "CORPUS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        _stage(Path(args.stage[1]), Path(args.stage[2]), args.stage[0])
        return

    sys.path.insert(0, str(HERE))
    from corpus_gen import write_corpus

    corpus = args.work / f"corpus-{args.articles}"
    if not corpus.is_dir() or len(list(corpus.glob("*.txt"))) != args.articles:
        write_corpus(corpus, args.articles)
    names = list(MODES)
    runs: dict[str, list[dict[str, object]]] = {mode: [] for mode in names}
    outputs = []
    for r in range(args.repeat):  # rotate the order: a busy spell of the machine hits every mode
        for mode in names[r % len(names) :] + names[: r % len(names)]:
            out = args.work / f"out-{names.index(mode)}"
            runs[mode].append(run_stage(corpus, out, mode))
            outputs.append(((out / "graph.ttl").read_bytes(), (out / "events.jsonl").read_bytes()))
            print(runs[mode][-1], flush=True)
    rows = [min(runs[mode], key=lambda row: float(row["wall_s"])) for mode in names]  # type: ignore[arg-type]
    identical = all(o == outputs[0] for o in outputs)
    n = int(rows[0]["articles"])  # type: ignore[call-overload]
    jobs, cluster = rows[1], rows[2]
    ratio = float(cluster["wall_s"]) / float(jobs["wall_s"])  # type: ignore[arg-type]
    wall_ms = 1000 * (float(cluster["wall_s"]) - float(jobs["wall_s"])) / n  # type: ignore[arg-type]
    cpu_ms = 1000 * (float(cluster["client_cpu_s"]) - float(jobs["client_cpu_s"])) / n  # type: ignore[arg-type]
    per_core = n / (float(rows[0]["total_cpu_s"]))  # type: ignore[arg-type]
    lines = [
        f"{n} generated articles ({machine()}); no cache, no graph.html; "
        f"fastest of {args.repeat} run(s) per mode.",
        "",
        "| build | wall s | client CPU s | total CPU s | client peak MB | largest worker peak MB |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {r['mode']} | {r['wall_s']} | {r['client_cpu_s']} | {r['total_cpu_s']} | "
            f"{r['client_peak_mb']} | {r['worker_peak_mb'] or '-'} |"
            for r in rows
        ),
        "",
        f"`--cluster local:2` / `--jobs 2` wall time: {ratio:.2f}x (goal <= 1.15x). "
        f"Scheduler overhead per article against `--jobs 2`: {wall_ms:+.1f} ms wall, "
        f"{cpu_ms:+.1f} ms client CPU. One-process rate: {per_core:.1f} articles per CPU second. "
        f"Outputs identical: {identical}.",
    ]
    text = "\n".join(lines)
    print(text)
    (HERE / "cluster_results.md").write_text(text + "\n")
    (HERE / "cluster_results.json").write_text(
        json.dumps(
            {
                "rows": rows,
                "ratio": ratio,
                "overhead_wall_ms": wall_ms,
                "overhead_client_cpu_ms": cpu_ms,
                "articles_per_cpu_s": per_core,
                "identical": identical,
            },
            indent=2,
        )
        + "\n"
    )
    if not identical:
        raise SystemExit("outputs differ between modes")


if __name__ == "__main__":
    main()
