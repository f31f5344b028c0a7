"""Build speed against bare spaCy, per parse configuration, on two corpora, in one run.

Run ``PYTHONPATH=. python bench/bench_build.py [--articles 2000 --sparse-articles 1000]
[--dev /path/to/dev]``. It writes two synthetic corpora, ``bench/corpus_gen.py`` (news-length
takedown reports) and ``bench/corpus_sparse.py`` (long general news, names in every sentence,
one takedown per article), and on each times, every run in a fresh process on the same texts
(wall time of the whole process, as a user's command takes it: interpreter start, imports
and reading included; CPU of the process and its workers):

* floor: load the model as shipped (with the gazetteer ruler; spaCy's own attribute_ruler, which
  ``kg build`` replaces by the equivalent ``kg.extract.attribute_rules``) and ``nlp.pipe`` every paragraph
  ``kg build`` reads, discarding the Docs (the bare full parse);
* ``kg build`` as users run it (graph.html included, cold cache) in each parse configuration
  (``--parse filtered``, the default; ``--parse full``; and, not selectable, ``filtered`` with
  the NER component disabled, to show what the statistical NER costs and is worth);
* ``--jobs 2`` (default configuration, cold cache);
* rebuilds with the first build's cache: nothing new, then 1% new articles;
* the default build on a quarter of the corpus (peak RSS at two sizes);
* a breakdown of the default build: read, pre-pass, parse, rules, resolve, triples, Turtle,
  events, graph.html (one process, timed in-process).

Then macro F1 of each configuration on the seed corpus (``corpus/`` against
``tests/data/seeds_gold.jsonl``) and, with ``--dev DIR``, on ``DIR/articles`` +
``DIR/gold.jsonl`` and ``DIR/check/articles`` + ``DIR/check/gold.jsonl`` (totals only).

Writes ``bench/results.md`` and ``bench/results.json``; ``bench/readme_table.py`` copies the
summary table into the README. Not a test: nothing here runs under pytest.
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
CONFIGS = {  # name -> (parse mode, NER on)
    "filtered": ("filtered", True),
    "full": ("full", True),
    "filtered, no NER": ("filtered", False),
}
DEFAULT = "filtered"


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
    """Samples VmHWM (peak RSS) and CPU of every descendant of process ``root`` (pool workers:
    forked children, or the forkserver's). It runs in the benchmark's own process, not in the
    stage: a thread there would change how ``kg build --jobs N`` starts its workers (it forks
    only a process that runs no other thread)."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_kb = 0
        self.cpu_ticks: dict[int, int] = {}  # last utime+stime seen per descendant
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for pid in _descendants(self.root):
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


def _pipeline(ner: bool = True):  # type: ignore[no-untyped-def]
    from kg.extract.model import load_pipeline

    nlp = load_pipeline(None)  # the same lru_cache entry as kg.build.pipeline's load_pipeline(model=None)
    if not ner:
        nlp.disable_pipe("ner")  # the cached pipeline: every later load_pipeline(None) gets it too
    return nlp


def stage_floor(corpus: Path) -> dict[str, object]:
    from kg.ingest import corpus_files, ingest

    articles, _ = ingest(corpus_files(corpus))
    texts = [p.text for a in articles for p in a.paragraphs]
    t0 = time.perf_counter()
    from kg.extract.model import load_pipeline

    nlp = load_pipeline(None, stock_attributes=True)  # the model as shipped (its own attribute_ruler)
    t_load = time.perf_counter() - t0
    words = 0
    for doc in nlp.pipe(texts, batch_size=64):
        words += len(doc)
    t = time.perf_counter() - t0
    return {"seconds": t, "load_seconds": t_load, "paragraphs": len(texts), "tokens": words}


def stage_build(args: argparse.Namespace) -> dict[str, object]:
    from kg.build.pipeline import build

    t0 = time.perf_counter()
    if not args.ner:
        _pipeline(ner=False)
    cache = not args.no_cache
    r = build(args.corpus, args.out, html=args.html, jobs=args.jobs, cache=cache, parse=args.parse)
    t = time.perf_counter() - t0
    return {
        "seconds": t,
        "load_seconds": r.model_seconds,
        "articles": r.articles,
        "triples": r.triples,
        "parsed": r.extracted,
        "cached": r.cached,
        "steps": dict(r.steps),  # the build's own timers (BuildResult.steps)
    }


def stage_breakdown(corpus: Path, out: Path, parse: str) -> dict[str, object]:
    """The default build's steps, timed one by one in this process."""
    from kg.explorer.page import write_html
    from kg.exporters.events import write_events
    from kg.extract import extract_articles
    from kg.ingest import corpus_files, ingest
    from kg.rdf.graph import build_triples
    from kg.rdf.turtle import write_turtle
    from kg.resolve import resolve

    steps: dict[str, float] = {}
    t0 = time.perf_counter()
    articles, _ = ingest(corpus_files(corpus))
    steps["read"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    nlp = _pipeline()
    steps["model load"] = time.perf_counter() - t0
    timings: dict[str, float] = {}
    facts = list(extract_articles(articles, nlp, parse=parse, timings=timings))
    steps["pre-pass"] = timings.get("prefilter", 0.0)
    steps["parse"] = timings["parse"] - steps["pre-pass"]
    steps["rules"] = timings["rules"]
    out.mkdir(parents=True, exist_ok=True)
    for name, step in (
        ("resolve", lambda: resolve(facts)),
        ("triples", lambda: build_triples(steps_out["resolve"])),
        ("Turtle", lambda: write_turtle(steps_out["triples"], out / "graph.ttl")),
        ("events", lambda: write_events(facts, out / "events.jsonl")),
        ("graph.html", lambda: write_html(steps_out["triples"], out / "graph.html")),  # as a build does
    ):
        t0 = time.perf_counter()
        steps_out[name] = step()
        steps[name] = time.perf_counter() - t0
    return {"seconds": sum(steps.values()), "steps": steps}


steps_out: dict[str, object] = {}


def stage_f1(corpus: Path, gold: Path, parse: str, ner: bool) -> dict[str, object]:
    from kg.evaluation.scores import evaluate
    from kg.exporters.events import read_events, to_record
    from kg.extract import extract_articles
    from kg.ingest import corpus_files, ingest

    articles, _ = ingest(corpus_files(corpus))
    nlp = _pipeline(ner)
    t0 = time.perf_counter()
    pred = [to_record(f) for f in extract_articles(articles, nlp, parse=parse)]
    t = time.perf_counter() - t0
    report = evaluate(list(read_events(gold)), pred)
    return {"seconds": t, "macro_f1": round(report.macro_f1, 4), "articles": len(articles)}


def _stage(args: argparse.Namespace) -> None:
    if args.stage == "floor":
        row = stage_floor(args.corpus)
    elif args.stage == "build":
        row = stage_build(args)
    elif args.stage == "breakdown":
        row = stage_breakdown(args.corpus, args.out, args.parse)
    else:
        row = stage_f1(args.corpus, args.gold, args.parse, args.ner)
    own = resource.getrusage(resource.RUSAGE_SELF)
    row["cpu_seconds"] = own.ru_utime + own.ru_stime
    # forked workers are this process's children, reaped when the build stops them: exact
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    row["children_cpu_seconds"] = kids.ru_utime + kids.ru_stime
    row["children_maxrss_mb"] = round(kids.ru_maxrss / 1024, 1)
    row["rss_mb"] = _rss_mb()
    print(json.dumps(row))
    if args.stage == "build":  # a build ends as the ``kg`` command does (no interpreter teardown)
        from kg.cli import exit_now

        exit_now(0)


def run_stage(*argv: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    env.pop("KG_PARSE", None)  # every run names its configuration
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stage", *argv]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    children = _ChildPeak(proc.pid)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    children_rss, children_cpu = children.stop()
    if proc.returncode != 0:
        raise SystemExit(f"stage {argv} failed:\n{stderr}")
    row = json.loads(stdout.strip().splitlines()[-1])
    # the workers': their exact figures if the stage reaped them (forked), else as last sampled
    # (a forkserver's children), which misses up to a sampling interval of each
    reaped = float(row.pop("children_cpu_seconds", 0.0))
    row["cpu_seconds"] = round(float(row["cpu_seconds"]) + (reaped or children_cpu), 1)
    row["children_rss_mb"] = max(children_rss, float(row.pop("children_maxrss_mb", 0.0)))
    row["wall"] = wall  # the whole process: interpreter start and imports (spaCy's 0.6-1 s) included
    print(f"  {' '.join(argv)}: {wall:.1f}s", file=sys.stderr)
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


def _build_argv(corpus: Path, out: Path, config: str = DEFAULT, jobs: int = 1, cache: bool = True,
                html: bool = True) -> list[str]:
    parse, ner = CONFIGS[config]
    argv = ["build", str(corpus), "--out", str(out), "--jobs", str(jobs), "--parse", parse]
    argv += [] if cache else ["--no-cache"]
    argv += [] if html else ["--no-html"]
    return argv + ([] if ner else ["--no-ner"])


def _config_out(work: Path, label: str, config: str) -> Path:
    return work / f"{label}-{config.replace(' ', '').replace(',', '-')}"


def bench_corpus(label: str, write, n: int, work: Path) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Every timed row on one corpus of ``n`` articles written by ``write(folder, n, start=)``."""
    corpus, small = work / f"{label}-corpus", work / f"{label}-small"
    write(corpus, n)
    write(small, max(1, n // 4))
    words = sum(len(p.read_text("utf-8").split()) for p in corpus.iterdir())
    print(f"{label}: {n} articles, {words} words", file=sys.stderr)
    runs: dict[str, dict] = {"floor": run_stage("floor", str(corpus))}
    runs["default"] = run_stage(*_build_argv(corpus, work / f"{label}-out1"))  # fills the cache
    runs[DEFAULT] = runs["default"]
    for config in CONFIGS:
        if config != DEFAULT:
            argv = _build_argv(corpus, _config_out(work, label, config), config, cache=False)
            runs[config] = run_stage(*argv)
    same_facts = {  # every configuration against the default: the same graph and events?
        config: all(
            (work / f"{label}-out1" / f).read_bytes() == (_config_out(work, label, config) / f).read_bytes()
            for f in ("graph.ttl", "events.jsonl")
        )
        for config in CONFIGS
        if config != DEFAULT
    }
    runs["jobs2"] = run_stage(*_build_argv(corpus, work / f"{label}-out2", jobs=2))
    same = all(
        (work / f"{label}-out1" / f).read_bytes() == (work / f"{label}-out2" / f).read_bytes()
        for f in ("graph.ttl", "events.jsonl", "graph.html")
    )
    runs["noop"] = run_stage(*_build_argv(corpus, work / f"{label}-out1"))
    runs["noop, --no-html"] = run_stage(*_build_argv(corpus, work / f"{label}-out1", html=False))
    added = max(1, n // 100)
    write(corpus, added, start=n)
    runs["incr"] = run_stage(*_build_argv(corpus, work / f"{label}-out1"))
    runs["quarter"] = run_stage(*_build_argv(small, work / f"{label}-out3", cache=False))
    runs["breakdown"] = run_stage("breakdown", str(corpus), "--out", str(work / f"{label}-out4"),
                                  "--parse", CONFIGS[DEFAULT][0])
    return {"label": label, "articles": n, "added": added, "words": words, "same_output": same,
            "same_facts": same_facts, "runs": runs}


def _s(row: dict) -> float:
    """Wall seconds of the whole process (as a user's command takes), else the stage's own timer."""
    return float(row.get("wall", row["seconds"]))


def _cpu(row: dict) -> float:
    return float(row["cpu_seconds"])


def corpus_table(c: dict) -> list[str]:
    r, n = c["runs"], c["articles"]
    floor = _s(r["floor"])
    rows = [
        ("floor: load + bare `nlp.pipe`, the model as shipped + gazetteer ruler, every paragraph", r["floor"],
         "1.00"),
        (f"`kg build` (default `--parse {DEFAULT}`, graph.html, cold cache)", r["default"],
         f"**{_s(r['default']) / floor:.2f}x** floor, CPU {_cpu(r['default']) / _cpu(r['floor']):.2f}x "
         "(goal <= 1.15x; beyond the floor: <= 0.5x)"),
    ]
    for config in CONFIGS:
        if config != DEFAULT:
            same = "same as" if c["same_facts"][config] else "**different from**"
            note = (f"{_s(r[config]) / floor:.2f}x floor, CPU {_cpu(r[config]) / _cpu(r['floor']):.2f}x; "
                    f"graph.ttl and events.jsonl {same} the default's")
            rows.append((f"`kg build`, configuration: {config}", r[config], note))
    rows += [
        ("`kg build --jobs 2` (default, cold cache)", r["jobs2"],
         f"**{_s(r['default']) / _s(r['jobs2']):.2f}x** faster than 1 process (goal >= 1.7x); "
         f"same bytes: {c['same_output']}"),
        ("rebuild, nothing new (graph.html kept)", r["noop"],
         f"**{_s(r['noop']) / _s(r['default']):.1%}** of the full build (goal <= 2%)"),
        ("rebuild, nothing new, `--no-html`", r["noop, --no-html"],
         f"{_s(r['noop, --no-html']) / _s(r['default']):.1%}"),
        (f"rebuild after +1% ({c['added']} articles; graph.html from the last page's layout)", r["incr"],
         f"**{_s(r['incr']) / _s(r['default']):.1%}** of the full build (goal <= 5%)"),
        (f"`kg build` on {max(1, n // 4)} articles (memory)", r["quarter"],
         f"peak RSS {r['quarter']['rss_mb']} -> {r['default']['rss_mb']} MB at 4x the articles"),
    ]
    lines = [
        f"**{c['label']}**: {n} articles, {c['words']} words, {r['floor']['paragraphs']} paragraphs, "
        f"graph of {r['default']['triples']} triples.",
        "",
        "| run | wall s | CPU s | peak RSS MB (main / largest worker) | ratio |",
        "|---|---:|---:|---:|---|",
    ]
    for label, row, note in rows:
        lines.append(f"| {label} | {_s(row):.1f} | {row['cpu_seconds']} | {row['rss_mb']} / "
                     f"{row['children_rss_mb']} | {note} |")
    steps = r["breakdown"]["steps"]
    total = sum(steps.values())
    lines += ["", "Where the default build's time goes (one process, in-process timers):", "",
              "| " + " | ".join(steps) + " |", "|" + "---:|" * len(steps),
              "| " + " | ".join(f"{v:.1f} s ({v / total:.0%})" for v in steps.values()) + " |"]
    incr = r["incr"].get("steps")
    if incr:  # the build's own timers (kg.build.pipeline.BuildResult.steps)
        lines += ["", f"Where the rebuild after +1% spends its time (the build's own timers; "
                      f"{r['incr']['parsed']} articles parsed, {r['incr']['cached']} from the cache):", "",
                  "| " + " | ".join(incr) + " |", "|" + "---:|" * len(incr),
                  "| " + " | ".join(f"{v:.2f} s" for v in incr.values()) + " |"]
    return lines


def f1_rows(dev: Path | None) -> dict[str, dict[str, dict]]:
    sets = {"seeds": (ROOT / "corpus", ROOT / "tests" / "data" / "seeds_gold.jsonl")}
    if dev is not None:
        sets["dev tuning half"] = (dev / "articles", dev / "gold.jsonl")
        sets["dev check half"] = (dev / "check" / "articles", dev / "check" / "gold.jsonl")
    out: dict[str, dict[str, dict]] = {}
    for config, (parse, ner) in CONFIGS.items():
        out[config] = {}
        for name, (corpus, gold) in sets.items():
            argv = ["f1", str(corpus), "--gold", str(gold), "--parse", parse] + ([] if ner else ["--no-ner"])
            out[config][name] = run_stage(*argv)
    return out


def trade_table(corpora: list[dict], f1: dict[str, dict[str, dict]]) -> list[str]:
    sets = list(next(iter(f1.values())))
    head = ["configuration"] + [f"{c['label']} wall s (x floor)" for c in corpora]
    head += [f"macro F1 {s}" for s in sets]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for config in CONFIGS:
        cells = [config + (" (default)" if config == DEFAULT else "")]
        for c in corpora:
            row = c["runs"][config]
            floor = c["runs"]["floor"]
            cells.append(f"{_s(row):.1f} ({_s(row) / _s(floor):.2f}x; CPU {_cpu(row) / _cpu(floor):.2f}x)")
        cells += [f"{f1[config][s]['macro_f1']:.4f}" for s in sets]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000, help="Articles of the corpus_gen corpus.")
    ap.add_argument("--sparse-articles", type=int, default=1000, help="Articles of the corpus_sparse corpus.")
    ap.add_argument("--dev", type=Path, default=None,
                    help="Dev set folder (articles/, gold.jsonl, check/articles/, check/gold.jsonl): F1.")
    ap.add_argument("--work", type=Path, default=None, help="Scratch folder (default: a temp folder).")
    ap.add_argument("--results", type=Path, default=HERE / "results", help="Writes .md and .json.")
    ap.add_argument("--stage", choices=("floor", "build", "breakdown", "f1"))
    ap.add_argument("corpus", nargs="?", type=Path)
    ap.add_argument("--out", type=Path)
    ap.add_argument("--gold", type=Path)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--parse", default=CONFIGS[DEFAULT][0])
    ap.add_argument("--no-ner", dest="ner", action="store_false")
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--no-html", dest="html", action="store_false")
    args = ap.parse_args()
    if args.stage:
        _stage(args)
        return

    sys.path.insert(0, str(HERE))
    import tempfile

    import corpus_gen
    import corpus_sparse

    work = args.work or Path(tempfile.mkdtemp(prefix="kg-bench-"))
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load_before = os.getloadavg()
    t0 = time.perf_counter()
    corpora = [
        bench_corpus("corpus_gen", corpus_gen.write_corpus, args.articles, work),
        bench_corpus("corpus_sparse", corpus_sparse.write_corpus, args.sparse_articles, work),
    ]
    f1 = f1_rows(args.dev)
    minutes = (time.perf_counter() - t0) / 60
    load_after = os.getloadavg()
    lines = [
        f"Machine: {machine()}  ",
        f"Run: {started}, {minutes:.0f} min; load average (1/5/15 min) before "
        f"{'/'.join(f'{x:.1f}' for x in load_before)}, after {'/'.join(f'{x:.1f}' for x in load_after)}.",
        "",
        "Time against F1 of each parse configuration (cold-cache `kg build` with graph.html; floor = bare "
        "full parse):",
        "",
        *trade_table(corpora, f1),
        "",
    ]
    for c in corpora:
        lines += corpus_table(c) + [""]
    table = "\n".join(lines)
    print(table)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.with_suffix(".md").write_text(table, "utf-8")
    payload = {"machine": machine(), "started": started, "minutes": round(minutes, 1),
               "load_before": load_before, "load_after": load_after, "corpora": corpora, "f1": f1}
    args.results.with_suffix(".json").write_text(json.dumps(payload, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
