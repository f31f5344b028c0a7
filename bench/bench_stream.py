"""A real-text news stream through ``kg build``: the article gate against the bare parse.

Run ``PYTHONPATH=. python bench/bench_stream.py [--sizes 10000 100000] [--sample 300]
[--repeat 3] [--check]`` (needs the ``bench`` extra: gensim's wheel holds the Lee corpus).
The stream is ``bench/corpus_stream.py``: real ABC news articles, one in 100 reporting a
takedown. Rows:

* **gate**: the gate alone (``kg.extract.gate``'s text tests, article and sentence level, in
  this process) on the stream's articles that report nothing, CPU seconds per article (median
  of ``--repeat`` passes), and how many it lets through to the pipeline (where the parsed
  test, before NER, may still stop them);
* **floor**: the bare parse (load + ``nlp.pipe`` of every paragraph, the model as shipped
  with the gazetteer ruler, as ``bench/bench_build.py``'s floor) of the first ``--sample``
  articles of the stream, extrapolated to each size by its per-article time (the whole
  stream is not parsed bare: 100,000 articles would take about an hour here);
* **build**: ``kg build STREAM --no-html --no-cache`` (defaults: ``--parse gated``, parse
  workers by the corpus's size: two for the 13 MB of 10,000 articles on two cores) in a fresh
  process per size, wall and CPU seconds (the build and its workers), peak RSS; ``--repeat``
  runs for the smallest size, one for the others.

``--check`` also builds the smallest stream with ``--parse filtered`` (no gate; the same
facts as ``full`` on every corpus checked) and compares events.jsonl and graph.ttl.
Writes ``bench/stream_results.md`` and ``.json``. Not a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus_stream  # noqa: E402


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def stage_gate(folder: Path, repeat: int) -> dict[str, object]:
    from kg.extract.gate import load_gate
    from kg.extract.model import load_pipeline
    from kg.ingest import corpus_files, ingest

    articles, _ = ingest(corpus_files(folder))
    news = [a for a in articles if not corpus_stream.is_takedown(int(Path(a.file).stem))]
    texts = [[p.text for p in a.paragraphs] for a in news]
    t0 = time.process_time()
    gate = load_gate(load_pipeline(None))
    compile_s = time.process_time() - t0
    runs = []
    for _ in range(repeat):
        t0 = time.process_time()
        passed = sum(1 for t in texts if gate.may_hold_fact(t))
        runs.append(time.process_time() - t0)
    cpu = statistics.median(runs)
    words = sum(1 for t in texts if gate.passes_article(t))  # the article-level words alone
    return {"articles": len(texts), "passed": passed, "cpu_s": cpu, "runs": runs,
            "per_core": len(texts) / cpu, "compile_s": compile_s, "passed_article_words": words}


def stage_floor(folder: Path, sample: int) -> dict[str, object]:
    from kg.ingest import ingest

    files = sorted(folder.glob("*.txt"))[:sample]
    articles, _ = ingest(files)
    texts = [p.text for a in articles for p in a.paragraphs]
    t0, c0 = time.perf_counter(), time.process_time()
    from kg.extract.model import load_pipeline

    nlp = load_pipeline(None, stock_attributes=True)
    load, load_cpu = time.perf_counter() - t0, time.process_time() - c0
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=64))
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"articles": len(articles), "paragraphs": len(texts), "tokens": tokens, "load_s": load,
            "wall_s": wall, "cpu_s": cpu, "per_article_s": (wall - load) / len(articles),
            "load_cpu_s": load_cpu, "per_article_cpu_s": (cpu - load_cpu) / len(articles)}


def _stage(name: str, *argv: str) -> dict[str, object]:
    """Run a stage in a fresh process (its own model load and memory)."""
    done = subprocess.run([sys.executable, __file__, "--stage", name, *argv], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_build(folder: Path, out: Path, parse: str | None = None) -> dict[str, object]:
    argv = [sys.executable, "-m", "kg.cli", "build", str(folder), "--out", str(out), "--no-html",
            "--no-cache"]
    if parse:
        argv += ["--parse", parse]
    c0 = _children_cpu()
    t0 = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    cpu = _children_cpu() - c0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    summary = next(line for line in done.stdout.splitlines() if " articles, " in line)
    return {"wall_s": wall, "cpu_s": cpu, "peak_rss_mb_largest": rss, "summary": summary}


def load_average() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--sample", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", type=Path, default=Path("/tmp/kg-bench-stream"))
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--stage", choices=("gate", "floor"))
    ap.add_argument("folder", nargs="?", type=Path)
    args = ap.parse_args()
    if args.stage == "gate":
        print(json.dumps(stage_gate(args.folder, args.repeat)))
        return
    if args.stage == "floor":
        print(json.dumps(stage_floor(args.folder, args.sample)))
        return
    from bench_build import machine

    sizes = sorted(args.sizes)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    result: dict[str, object] = {"machine": machine(), "started": started, "load_before": load_average()}
    folders = {n: corpus_stream.write_stream(args.work / f"stream-{n}", n) for n in sizes}
    small = folders[sizes[0]]
    result["gate"] = _stage("gate", str(small), "--repeat", str(args.repeat))
    floors = [_stage("floor", str(small), "--sample", str(args.sample)) for _ in range(args.repeat)]
    floor = sorted(floors, key=lambda f: f["per_article_s"])[len(floors) // 2]  # the median run
    result["floor"] = floor
    builds: dict[str, object] = {}
    for n in sizes:
        repeat = args.repeat if n == sizes[0] else 1
        runs = [run_build(folders[n], args.work / f"out-{n}") for _ in range(repeat)]
        run = sorted(runs, key=lambda r: r["wall_s"])[len(runs) // 2]
        bare = floor["load_s"] + floor["per_article_s"] * n
        bare_cpu = floor["load_cpu_s"] + floor["per_article_cpu_s"] * n
        run.update(n=n, runs=[r["wall_s"] for r in runs], bare_s=bare, ratio=run["wall_s"] / bare,
                   bare_cpu_s=bare_cpu, cpu_ratio=run["cpu_s"] / bare_cpu,
                   cpu_per_article_ms=1000 * run["cpu_s"] / n, articles_per_cpu_s=n / run["cpu_s"])
        builds[str(n)] = run
    result["builds"] = builds
    if args.check:
        out_f = args.work / f"out-{sizes[0]}-filtered"
        result["check"] = run_build(small, out_f, parse="filtered")
        same = all((args.work / f"out-{sizes[0]}" / name).read_bytes() == (out_f / name).read_bytes()
                   for name in ("events.jsonl", "graph.ttl"))
        result["check"]["same_outputs"] = same
    result["load_after"] = load_average()
    (HERE / "stream_results.json").write_text(json.dumps(result, indent=1))
    (HERE / "stream_results.md").write_text("\n".join(table(result)) + "\n")
    print("\n".join(table(result)))


def table(r: dict) -> list[str]:
    g, f = r["gate"], r["floor"]
    lines = [
        f"Machine: {r['machine']}  ",
        f"Run: {r['started']}; load average (1/5/15 min) before {r['load_before']}, after {r['load_after']} "
        "(a shared machine).", "",
        f"Gate alone, on {g['articles']:,} stream articles that report nothing: "
        f"**{g['per_core']:,.0f} articles/s per core** (median CPU {g['cpu_s']:.2f} s of "
        f"{', '.join(f'{x:.2f}' for x in g['runs'])}); {g['passed']:,} "
        f"({100 * g['passed'] / g['articles']:.1f}%) let through to the pipeline"
        + (f" (the article-level words alone: {g['passed_article_words']:,})"
           if "passed_article_words" in g else "")
        + f"; compiled in {g['compile_s']:.2f} s.",
        "",
        f"Bare parse (floor) of the first {f['articles']} articles ({f['paragraphs']} paragraphs, "
        f"{f['tokens']:,} tokens): {f['wall_s']:.1f} s wall with {f['load_s']:.1f} s load, "
        f"**{1000 * f['per_article_s']:.1f} ms an article** ({1000 * f['per_article_cpu_s']:.1f} ms CPU), "
        "extrapolated below.", "",
        "| stream | `kg build` wall s | CPU s (build + workers) | CPU ms an article | articles per CPU s "
        "| bare parse s (extrapolated) | x bare parse (wall; CPU) | summary |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for b in r["builds"].values():
        runs = ", ".join(f"{x:.1f}" for x in b["runs"])
        lines.append(
            f"| {b['n']:,} | {b['wall_s']:.1f} ({runs}) | {b['cpu_s']:.1f} | {b['cpu_per_article_ms']:.2f} "
            f"| {b['articles_per_cpu_s']:.0f} | {b['bare_s']:.0f} "
            f"| **{b['ratio']:.3f}x**; {b['cpu_ratio']:.3f}x | {b['summary']} |"
        )
    if "check" in r:
        c = r["check"]
        lines += ["", f"`--parse filtered` (no gate) on the smallest stream: {c['wall_s']:.1f} s wall; "
                  f"events.jsonl and graph.ttl {'**identical**' if c['same_outputs'] else '**DIFFERENT**'} "
                  f"to the gated build's ({c['summary']})."]
    return lines


if __name__ == "__main__":
    main()
