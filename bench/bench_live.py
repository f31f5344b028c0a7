"""The live graph's bars (issue 26), on both benchmark corpus shapes.

    python bench/bench_live.py [--articles 1000] [--adds 20] [--rss-updates 1000] [--work DIR]

For each shape (``corpus_gen``: news-length takedown reports; ``corpus_sparse``: long general
news with one takedown paragraph), with real processes and files:

1. one-shot ``kg build``: a cold build (empty cache), then the same ``kg build`` after +1%
   articles; the ratio of their wall times (bar: <= 5%);
2. ``kg serve OUT --watch CORPUS --no-html``: each of ``--adds`` new articles is moved into
   the corpus folder (one rename) and the clock runs until the ``timeline`` named question
   (``kg/query/named/timeline.rq``), asked over the served endpoint, lists an event reported
   in it; then the next, once that update's set is published (bar: median <= 1 s, worst
   <= 2 s). The per-step times of the watcher's own updates are logged too;
3. ``kg watch`` on a ``--rss-articles`` corpus through ``--rss-updates`` single-article
   updates (adds and deletes in turn, new articles each time): peak RSS (VmHWM) after the
   first update and after the last (bar: within 10%).

Writes ``bench/live_results.json`` and ``bench/live_results.md``; the machine's load average is
recorded with each run (the machine is shared).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import corpus_gen  # noqa: E402
import corpus_sparse  # noqa: E402

SHAPES = {"corpus_gen": corpus_gen.write_corpus, "corpus_sparse": corpus_sparse.write_corpus}
KG = [sys.executable, "-m", "kg.cli"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def timed(args: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(KG + args, check=True, env=_env(), cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def until(condition: Any, timeout: float = 600.0, step: float = 0.01) -> Any:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := condition():
            return value
        time.sleep(step)
    raise TimeoutError("timed out")


def version(out: Path) -> int:
    try:
        return int(json.loads((out / "version.json").read_text())["version"])
    except (OSError, ValueError, KeyError):
        return 0


def article_iri(path: Path) -> str:
    from kg.ingest import read_articles
    from kg.rdf.namespace import iri_for

    found, _bad = read_articles(path, path.name)
    return str(iri_for("article", found[0].id))


def ask(endpoint: str, query: str) -> list[dict[str, Any]]:
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)["results"]["bindings"]


def build_ratio(corpus: Path, pool: list[Path], work: Path) -> dict[str, Any]:
    out = work / "build"
    shutil.rmtree(out, ignore_errors=True)
    cold = timed(["build", str(corpus), "--out", str(out), "--no-html"])
    for path in pool:
        shutil.copy(path, corpus / path.name)
    more = timed(["build", str(corpus), "--out", str(out), "--no-html"])
    return {"cold_s": round(cold, 2), "plus_1pct_s": round(more, 2), "ratio": round(more / cold, 4),
            "added": len(pool), "load": load()}


def live_latency(corpus: Path, pool: list[Path], work: Path) -> dict[str, Any]:
    out = work / "live"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    if (work / "build" / ".cache").is_dir():  # the facts of the corpus so far: the watch starts warm
        shutil.copytree(work / "build" / ".cache", out / ".cache")
    log = work / "serve.log"
    process = subprocess.Popen(
        KG + ["serve", str(out), "--watch", str(corpus), "--no-html", "--port", "0", "--page-port", "0"],
        env=_env(), cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT, text=True,
    )
    timeline = (ROOT / "kg" / "query" / "named" / "timeline.rq").read_text()
    latencies: list[float] = []
    published: list[float] = []
    try:
        banner = until(lambda: "press Ctrl-C" in log.read_text() and log.read_text())
        endpoint = banner.split("SPARQL endpoint: ")[1].split()[0]
        staging = work / "staging"
        staging.mkdir(exist_ok=True)
        for path in pool:
            iri = article_iri(path)
            mine = f"SELECT DISTINCT ?e WHERE {{ ?e <https://w3id.org/cib-kg/ontology#reportedIn> <{iri}> }}"
            before = version(out)
            shutil.copy(path, staging / path.name)
            t0 = time.perf_counter()
            os.replace(staging / path.name, corpus / path.name)

            def listed(mine: str = mine) -> bool:
                events = {row["e"]["value"] for row in ask(endpoint, mine)}
                if not events:
                    return False
                answer = {row["event"]["value"] for row in ask(endpoint, timeline) if "event" in row}
                return bool(events & answer)

            until(listed)
            latencies.append(time.perf_counter() - t0)
            until(lambda b=before: version(out) > b)
            published.append(time.perf_counter() - t0)
    finally:
        process.terminate()
        process.wait(timeout=120)
    updates = [line for line in log.read_text().splitlines() if line.startswith("update ")]
    return {
        "median_s": round(statistics.median(latencies), 3), "worst_s": round(max(latencies), 3),
        "latencies_s": [round(x, 3) for x in latencies],
        "published_median_s": round(statistics.median(published), 3),
        "watch_updates": updates[-3:], "load": load(),
    }


def rss(shape: str, articles: int, updates: int, work: Path) -> dict[str, Any]:
    corpus, pool_dir, out = work / "rss-corpus", work / "rss-pool", work / "rss-out"
    for folder in (corpus, pool_dir, out):
        shutil.rmtree(folder, ignore_errors=True)
    SHAPES[shape](corpus, articles)
    pool = SHAPES[shape](pool_dir, updates // 2 + 1, start=articles)
    log = work / "watch.log"
    process = subprocess.Popen(KG + ["watch", str(corpus), "--out", str(out), "--no-html"], env=_env(),
                               cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)

    def peak(field: str = "VmHWM:") -> int:
        for line in Path(f"/proc/{process.pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
        return 0

    try:
        until(lambda: version(out) >= 1)
        marks: dict[int, int] = {}
        now: dict[int, int] = {}  # VmRSS: the resident size then (the peak includes the first parse)
        added: list[Path] = []
        for n in range(1, updates + 1):
            before = version(out)
            if n % 2 and pool:  # add a new article, then delete it: new facts, same corpus size
                path = pool.pop()
                os.replace(path, corpus / path.name)
                added.append(corpus / path.name)
            else:
                added.pop().unlink()
            until(lambda b=before: version(out) > b)
            if n in (1, 10, 100) or n == updates:
                marks[n], now[n] = peak(), peak("VmRSS:")
    finally:
        process.terminate()
        process.wait(timeout=120)
    first, last = marks[1], marks[updates]
    return {"articles": articles, "updates": updates, "peak_kb": marks, "rss_kb": now,
            "growth": round(last / first - 1, 4), "rss_growth": round(now[updates] / now[1] - 1, 4),
            "load": load()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--adds", type=int, default=20)
    ap.add_argument("--rss-articles", type=int, default=100)
    ap.add_argument("--rss-updates", type=int, default=1000)
    ap.add_argument("--shapes", nargs="+", default=list(SHAPES))
    ap.add_argument("--skip", nargs="*", default=[], choices=["build", "live", "rss"])
    ap.add_argument("--work", type=Path, default=Path("/tmp/bench_live"))
    args = ap.parse_args()
    saved = HERE / "live_results.json"
    results: dict[str, Any] = json.loads(saved.read_text()) if saved.is_file() else {}
    results.update({"cpus": os.cpu_count(), "articles": args.articles})
    for shape in args.shapes:
        work = args.work / shape
        corpus = work / "corpus"
        shutil.rmtree(corpus, ignore_errors=True)
        SHAPES[shape](corpus, args.articles)
        grow = max(1, args.articles // 100)
        pool = SHAPES[shape](work / "pool", grow + args.adds, start=args.articles)
        row: dict[str, Any] = results.get(shape, {})  # a run that skips a part keeps its last figures
        if "build" not in args.skip:
            row["build"] = build_ratio(corpus, pool[:grow], work)
            print(shape, "build", row["build"], flush=True)
        if "live" not in args.skip:
            row["live"] = live_latency(corpus, pool[grow:], work)
            print(shape, "live", row["live"], flush=True)
        if "rss" not in args.skip and shape == args.shapes[0]:
            row["rss"] = rss(shape, args.rss_articles, args.rss_updates, work)
            print(shape, "rss", row["rss"], flush=True)
        results[shape] = row
    (HERE / "live_results.json").write_text(json.dumps(results, indent=1) + "\n")
    lines = ["| corpus | cold build | +1% build | ratio | endpoint median | worst | set published (median) |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for shape in SHAPES:
        if shape not in results:
            continue
        b, live = results[shape].get("build", {}), results[shape].get("live", {})
        lines.append(f"| {shape} | {b.get('cold_s', '-')} s | {b.get('plus_1pct_s', '-')} s | "
                     f"{b.get('ratio', '-')} | {live.get('median_s', '-')} s | "
                     f"{live.get('worst_s', '-')} s | {live.get('published_median_s', '-')} s |")
    for shape in SHAPES:
        if (r := results.get(shape, {}).get("rss")) is not None:
            lines.append(
                f"\n{shape}, {r['articles']} articles, {r['updates']} single-article updates: peak RSS "
                f"{r['peak_kb']} kB (growth {r['growth']:.1%}), resident {r.get('rss_kb', '-')} kB "
                f"(growth {r.get('rss_growth', 0):.1%}); load {r['load']}"
            )
    loads = {s: tuple(results[s].get(part, {}).get("load") for part in ("build", "live"))
             for s in SHAPES if s in results}
    lines.append(f"\nload average (1/5/15 min) at the end of each part (build, live): {loads}")
    (HERE / "live_results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
