"""The real-text stream (``bench/corpus_stream.py``) on a Dask ``LocalCluster``, against one process.

Run ``PYTHONPATH=. python bench/bench_stream_cluster.py [--articles 2000] [--workers 2]
[--partition-size 64]``. Builds the first ``--articles`` articles of the stream twice, each
in a fresh process, with no cache and no graph.html: once in one process (the default
``--parse gated``, one parsing worker) and once with ``--cluster local:W``; checks the two
wrote the same graph.ttl and events.jsonl, and reports wall time, CPU of the client and of
every process, peak RSS of the client and of the largest other process, and the measured
cost of a partition (worker CPU seconds per partition of ``--partition-size`` files), from
which it estimates the wall time of 4 and 32 workers on 1,000,000 articles of the same
stream. Writes ``bench/stream_cluster_results.md``/``.json``. Not a test.

``--short`` uses the stream of news briefs (``corpus_stream.short_text``: three sentences,
one in 100 a takedown) in subfolders of ``--per-folder`` files, for the million-article run:
``--articles 1000000 --short --partition-size 1000 --cluster-only`` builds only on the
cluster (the one-process check is made on a slice: the same command with ``--articles 10000``
and without ``--cluster-only``); results go to ``bench/stream_cluster_short_N.md``/``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus_stream  # noqa: E402
from bench_cluster import _Tree  # noqa: E402


def _stage(corpus: Path, out: Path, cluster: str | None, partition_size: int) -> None:
    from kg.build.pipeline import build

    tree = _Tree()
    t0 = time.perf_counter()
    result = build(corpus, out, html=False, cache=False, cluster=cluster, partition_size=partition_size)
    wall = time.perf_counter() - t0
    others_cpu, others_peak = tree.stop()
    me = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = me.ru_utime + me.ru_stime
    print(json.dumps({
        "cluster": cluster, "articles": result.articles, "gated": result.gated,
        "with_facts": result.with_facts, "duplicates": result.duplicates,
        "takedowns": result.takedowns, "denials": result.denials, "wall_s": round(wall, 1),
        "client_cpu_s": round(client_cpu, 1), "others_cpu_s": others_cpu,
        "client_peak_mb": round(me.ru_maxrss / 1024, 1), "worker_peak_mb": others_peak,
    }))


def run_stage(corpus: Path, out: Path, cluster: str | None, partition_size: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    argv = [sys.executable, __file__, "--stage", str(corpus), str(out), cluster or "-", str(partition_size)]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{cluster} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--partition-size", type=int, default=64)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-stream"))
    ap.add_argument("--short", action="store_true")
    ap.add_argument("--per-folder", type=int, default=1000)
    ap.add_argument("--cluster-only", action="store_true")
    ap.add_argument("--stage", nargs=4, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        corpus, out, cluster, size = args.stage
        _stage(Path(corpus), Path(out), None if cluster == "-" else cluster, int(size))
        return
    n, p, w = args.articles, args.partition_size, args.workers
    tag = f"short-{n}" if args.short else f"{n}"
    per_folder = args.per_folder if args.short else 0
    folder = args.work / f"stream-{tag}"
    corpus = corpus_stream.write_stream(folder, n, short=args.short, per_folder=per_folder)
    load_before = Path("/proc/loadavg").read_text().split()[:3]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    one = None if args.cluster_only else run_stage(corpus, args.work / f"out-{tag}-one", None, p)
    dask = run_stage(corpus, args.work / f"out-{tag}-dask", f"local:{w}", p)
    same = None if one is None else all(
        (args.work / f"out-{tag}-one" / f).read_bytes() == (args.work / f"out-{tag}-dask" / f).read_bytes()
        for f in ("graph.ttl", "events.jsonl"))
    parts = -(-n // p)
    per_part = float(dask["others_cpu_s"]) / parts  # worker (and nanny/scheduler) CPU seconds a partition
    client_per_part = float(dask["client_cpu_s"]) / parts
    million = -(-1_000_000 // p)
    est = {k: million * max(per_part / k, client_per_part) for k in (4, 32)}
    r = {"articles": n, "short": args.short, "partition_size": p, "workers": w, "one": one, "dask": dask,
         "same_outputs": same, "partitions": parts, "cpu_s_per_partition": per_part,
         "client_cpu_s_per_partition": client_per_part, "estimate_1m_s": est, "started": started,
         "load_before": load_before, "load": Path("/proc/loadavg").read_text().split()[:3]}
    lines = [
        f"{n:,} {'short ' if args.short else ''}stream articles, partitions of {p} files, "
        f"`--cluster local:{w}`{'' if one is None else ' against one process'} ({started}; load average "
        f"{' / '.join(load_before)} before, {' / '.join(r['load'])} after: a shared machine).", "",
        "| build | wall s | client CPU s | other processes CPU s | client peak MB | largest other peak MB |",
        "|---|---:|---:|---:|---:|---:|",
        *([] if one is None else [
            f"| one process | {one['wall_s']} | {one['client_cpu_s']} | {one['others_cpu_s']} "
            f"| {one['client_peak_mb']} | {one['worker_peak_mb']} |"]),
        f"| `--cluster local:{w}` | {dask['wall_s']} | {dask['client_cpu_s']} | {dask['others_cpu_s']} "
        f"| {dask['client_peak_mb']} | {dask['worker_peak_mb']} |", "",
        ("" if same is None else f"Outputs identical: {same}. ")
        + f"{dask['articles']} articles, {dask['with_facts']} with facts, {dask['duplicates']} duplicates, "
        f"{dask['gated']} passed over by the gate. "
        f"Per partition: {per_part:.2f} CPU s on the workers, {client_per_part:.3f} CPU s on the client. "
        f"1,000,000 articles ({million:,} partitions) at that cost: about {est[4] / 3600:.1f} h "
        "on 4 workers, "
        f"{est[32] / 60:.0f} min on 32 (one core each; the client's share bounds the latter).",
    ]
    name = f"stream_cluster_short_{n}" if args.short else "stream_cluster_results"
    (HERE / f"{name}.json").write_text(json.dumps(r, indent=1) + "\n")
    (HERE / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
