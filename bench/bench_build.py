"""Build speed against bare spaCy, ``--jobs 2``, incremental rebuilds and peak memory, in one run.

Run ``PYTHONPATH=. python bench/bench_build.py [--articles 3000]``. It writes a synthetic corpus
(``bench/corpus_gen.py``), then times, each in a fresh process on the same texts:

* floor: load the same pipeline (model + gazetteer ruler) and ``nlp.pipe`` exactly the
  paragraphs ``kg build`` parses, discarding the Docs;
* ``kg build`` in one process (cold cache, which it fills), and ``--jobs 2`` (cold cache);
* an incremental rebuild after adding 1% new articles (cache of the first build);
* the same one-process build on a quarter of the corpus, to see whether peak RSS grows.

Builds skip graph.html (``--html`` times it separately). Prints a Markdown table and writes
``bench/results.md`` and ``bench/results.json``. Not a test: nothing here runs under pytest.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _descendants(root: int) -> list[int]:
    parent: dict[int, int] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            parent[int(d.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        kids = [c for c, p in parent.items() if p == pid]
        found += kids
        todo += kids
    return found


class _ChildPeak:
    """Samples VmHWM (peak RSS) of every descendant (pool workers live under the forkserver)."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self.cpu_ticks: dict[int, int] = {}  # last utime+stime seen per descendant
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            for pid in _descendants(os.getpid()):
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    self.cpu_ticks[pid] = int(fields[11]) + int(fields[12])
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmHWM:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
                except OSError:
                    pass

    def stop(self) -> tuple[float, float]:
        """(peak RSS MB of the largest descendant, CPU seconds of all descendants as last sampled)."""
        self._stop.set()
        self._thread.join()
        return round(self.peak_kb / 1024, 1), sum(self.cpu_ticks.values()) / os.sysconf("SC_CLK_TCK")


def _rss_mb() -> float:
    """Peak RSS of this process in MB (Linux reports KB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


# -- stages (each runs in its own process and prints one JSON line) ------------------------


def stage_floor(corpus: Path) -> dict[str, object]:
    from kg.ingest import corpus_files, ingest
    from kg.nlp import load_pipeline

    articles, _ = ingest(corpus_files(corpus))
    texts = [p.text for a in articles for p in a.paragraphs]
    t0 = time.perf_counter()
    nlp = load_pipeline()
    t_load = time.perf_counter() - t0
    words = 0
    for doc in nlp.pipe(texts, batch_size=64):
        words += len(doc)
    t = time.perf_counter() - t0
    return {"seconds": t, "load_seconds": t_load, "paragraphs": len(texts), "tokens": words}


def stage_build(corpus: Path, out: Path, jobs: int, cache: bool, profile: Path | None) -> dict[str, object]:
    from kg.pipeline import build

    if profile is not None:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0 = time.perf_counter()
    r = build(corpus, out, html=False, jobs=jobs, cache=cache)
    t = time.perf_counter() - t0
    if profile is not None:
        prof.disable()
        prof.dump_stats(profile)
    return {
        "seconds": t,
        "load_seconds": r.model_seconds,
        "articles": r.articles,
        "triples": r.triples,
        "parsed": r.extracted,
        "cached": r.cached,
    }


def stage_html(out: Path) -> dict[str, object]:
    from kg.exporters.html import write_html
    from kg.graph import load_graph

    graph = load_graph(out / "graph.ttl")
    t0 = time.perf_counter()
    write_html(graph, out / "graph.html")
    return {"seconds": time.perf_counter() - t0, "triples": len(graph)}


def _stage(args: argparse.Namespace) -> None:
    children = _ChildPeak()
    if args.stage == "floor":
        row = stage_floor(args.corpus)
    elif args.stage == "build":
        row = stage_build(args.corpus, args.out, args.jobs, not args.no_cache, args.profile)
    else:
        row = stage_html(args.out)
    row["children_rss_mb"], children_cpu = children.stop()
    own = resource.getrusage(resource.RUSAGE_SELF)
    # Pool workers are the forkserver's children, not ours: their CPU comes from the sampler.
    row["cpu_seconds"] = round(own.ru_utime + own.ru_stime + children_cpu, 1)
    row["rss_mb"] = _rss_mb()
    print(json.dumps(row))


def run_stage(*argv: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", *argv]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"stage {argv} failed:\n{done.stderr}")
    row = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {' '.join(argv[:1])} {argv[1:]}: {row['seconds']:.1f}s", file=sys.stderr)
    return row


# -- the benchmark ----------------------------------------------------------------------------


def machine() -> str:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import spacy

    return (
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GB RAM, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, spaCy {spacy.__version__}"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--work", type=Path, default=None, help="Scratch folder (default: a temp folder).")
    ap.add_argument("--results", type=Path, default=HERE / "results", help="Writes .md and .json.")
    ap.add_argument("--profile", type=Path, default=None, help="cProfile the one-process build here.")
    ap.add_argument("--html", action="store_true", help="Also time graph.html of the full graph.")
    ap.add_argument("--stage", choices=("floor", "build", "html"))
    ap.add_argument("corpus", nargs="?", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args()
    if args.stage:
        _stage(args)
        return

    sys.path.insert(0, str(HERE))
    import tempfile

    from corpus_gen import write_corpus

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    if work.exists():
        shutil.rmtree(work)
    corpus, small = work / "corpus", work / "small"
    n = args.articles
    write_corpus(corpus, n)
    write_corpus(small, n // 4)
    words = sum(len(p.read_text("utf-8").split()) for p in corpus.iterdir())
    print(f"corpus: {n} articles, {words} words in {corpus}", file=sys.stderr)

    floor = run_stage("floor", str(corpus))
    prof = ["--profile", str(args.profile)] if args.profile else []
    one = run_stage("build", str(corpus), "--out", str(work / "out1"), "--jobs", "1", *prof)
    two = run_stage("build", str(corpus), "--out", str(work / "out2"), "--jobs", "2")
    same = all(
        (work / "out1" / f).read_bytes() == (work / "out2" / f).read_bytes()
        for f in ("graph.ttl", "events.jsonl")
    )
    noop = run_stage("build", str(corpus), "--out", str(work / "out1"), "--jobs", "1")
    write_corpus(corpus, max(1, n // 100), start=n)
    incr = run_stage("build", str(corpus), "--out", str(work / "out1"), "--jobs", "1")
    quarter = run_stage("build", str(small), "--out", str(work / "out3"), "--jobs", "1", "--no-cache")
    html = run_stage("html", "--out", str(work / "out1")) if args.html else None

    def ratio(a: dict, b: dict) -> float:
        return float(a["seconds"]) / float(b["seconds"])  # type: ignore[arg-type]

    rows = [
        ("floor: load + bare `nlp.pipe` (same pipeline, same paragraphs)", floor, ""),
        ("`kg build` (1 process, cold cache)", one, f"{ratio(one, floor):.2f}x floor (goal <= 1.15x)"),
        ("`kg build --jobs 2` (cold cache)", two,
         f"{ratio(one, two):.2f}x faster than 1 process (goal >= 1.7x); output identical: {same}"),
        ("rebuild, nothing changed", noop, f"{ratio(noop, one):.1%} of full build"),
        (f"rebuild after adding 1% ({max(1, n // 100)} articles)", incr,
         f"{ratio(incr, one):.1%} of full build (goal <= 5%)"),
        (f"`kg build` on {n // 4} articles (memory scaling)", quarter, ""),
    ]
    if html is not None:
        rows.append(("graph.html of the full graph (separate)", html, ""))
    lines = [
        f"Machine: {machine()}  ",
        f"Corpus: {n} synthetic articles ({words} words, {floor['paragraphs']} paragraphs, "
        f"{floor['tokens']} tokens), graph of {one['triples']} triples.",
        "",
        "| run | wall s | CPU s | model load s | peak RSS MB (main / largest worker) | note |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label, row, note in rows:
        lines.append(
            f"| {label} | {float(row['seconds']):.1f} | {row['cpu_seconds']} | "  # type: ignore[arg-type]
            f"{float(row.get('load_seconds', 0.0)):.1f} | "  # type: ignore[arg-type]
            f"{row['rss_mb']} / {row['children_rss_mb']} | {note} |"
        )
    table = "\n".join(lines)
    print(table)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.with_suffix(".md").write_text(table + "\n", "utf-8")
    payload = {"machine": machine(), "articles": n, "words": words, "same_output": same,
               "runs": {label: row for label, row, _ in rows}}
    args.results.with_suffix(".json").write_text(json.dumps(payload, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
