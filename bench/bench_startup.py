"""How fast each command starts: ``kg query`` on the seed graph against ``kg --help``.

Run ``python bench/bench_startup.py [--runs 9]`` from the repository root. Every command runs
as a fresh process (the way a user runs it) ``--runs`` times after one warm-up run; the table
gives the median and the fastest wall time, and the ratio of medians to ``kg --help``. The
rdflib row is the route ``kg query`` took before it loaded files into Oxigraph
(``KG_QUERY_ENGINE=rdflib``). Prints a Markdown table; writes ``bench/startup_results.md``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "tests" / "data" / "golden" / "seeds_graph.ttl"
KG = [sys.executable, "-c", "from kg.cli import main; main()"]

CASES: list[tuple[str, list[str], dict[str, str]]] = [
    ("kg --help", ["--help"], {}),
    ("kg query --list", ["query", "--list"], {}),
    ("kg query SEED takedowns-by-state", ["query", str(SEED), "takedowns-by-state"], {}),
    ("kg query SEED timeline", ["query", str(SEED), "timeline"], {}),
    ("kg query SEED takedowns-by-state (rdflib route)", ["query", str(SEED), "takedowns-by-state"],
     {"KG_QUERY_ENGINE": "rdflib"}),
]


def run(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([*KG, *args], env={**os.environ, **env}, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    rows = []
    base = None
    for name, argv, env in CASES:
        run(argv, env)  # warm-up: file cache, bytecode
        times = [run(argv, env) for _ in range(args.runs)]
        median = statistics.median(times)
        base = base or median
        rows.append(f"| `{name}` | {median:.2f} | {min(times):.2f} | {median / base:.1f}x |")
    table = "\n".join(
        [
            f"Seed graph: `{SEED.relative_to(HERE.parent)}`; {args.runs} runs each, fresh process, "
            f"{os.cpu_count()} cores (shared: figures vary with load, the ratios less).",
            "",
            "| command | median s | fastest s | vs --help |",
            "|---|---:|---:|---:|",
            *rows,
        ]
    )
    print(table)
    (HERE / "startup_results.md").write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
