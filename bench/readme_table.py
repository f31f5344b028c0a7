"""Copy the build benchmark's tables (``bench/results.md``) into the README's performance block.

Run ``python bench/readme_table.py`` after ``bench/bench_build.py`` (and ``bench/bench_ab.py``):
it replaces everything between ``<!-- bench_build:begin -->`` and ``<!-- bench_build:end -->``
in ``README.md`` with the results file (then the A/B results, if there are), so the README
never quotes figures the benchmarks did not print.
``--check`` exits 1 if the README block differs from the results (nothing is written).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BEGIN, END = "<!-- bench_build:begin -->", "<!-- bench_build:end -->"


def render(readme: str, results: str) -> str:
    """``readme`` with its benchmark block holding ``results``."""
    if readme.count(BEGIN) != 1 or readme.count(END) != 1 or readme.index(BEGIN) > readme.index(END):
        raise SystemExit(f"README: needs exactly one {BEGIN} ... {END} block")
    head, rest = readme.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{results.strip()}\n{END}{tail}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--results", type=Path, default=HERE / "results.md")
    ap.add_argument("--ab", type=Path, default=HERE / "ab_results.md")
    ap.add_argument("--readme", type=Path, default=HERE.parent / "README.md")
    ap.add_argument("--check", action="store_true", help="Only check that the README is up to date.")
    args = ap.parse_args()
    readme = args.readme.read_text("utf-8")
    results = args.results.read_text("utf-8")
    if args.ab.is_file():
        results += "\n\nParse configurations A/B (`bench/bench_ab.py`):\n\n" + args.ab.read_text("utf-8")
    new = render(readme, results)
    if args.check:
        sys.exit(0 if new == readme else 1)
    args.readme.write_text(new, "utf-8")


if __name__ == "__main__":
    main()
