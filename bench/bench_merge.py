"""What the cross-article merge costs as the corpus grows (``kg.resolve.merge``).

Run ``PYTHONPATH=. python bench/bench_merge.py [N ...]``: synthetic text-free records (five
platforms, twenty states, random figures, 70% of articles dated over five years, one to three
takedowns an article), so the merge's candidate generation is measured without extraction.
Prints a Markdown table of articles, records, events and seconds. Not a test.
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from kg.records import ArticleFacts, ArticleMeta, Attribution, Counts, Evidence, Takedown
from kg.resolve.merge import merge_takedowns

PLATFORMS = ["Facebook", "Twitter", "YouTube", "TikTok", "OpenAI"]
STATES = ["Russia", "China", "Iran", "Cuba", "Uganda", "Egypt", "Saudi Arabia", "Venezuela", "Israel",
          "India", "Pakistan", "Turkey", "Serbia", "Thailand", "Mexico", "Brazil", "Philippines",
          "Nigeria", "Ethiopia", "Azerbaijan"]


def corpus(n: int, seed: int = 1) -> list[ArticleFacts]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        aid = f"{i:016x}"
        published = date(2018, 1, 1) + timedelta(days=rnd.randrange(2000)) if rnd.random() < 0.7 else None
        tds = []
        for j in range(rnd.choice([1, 1, 2, 3])):
            ev = Evidence(aid, f"{aid}.txt", "s", j * 50, j * 50 + 10, "bench", 0.9)
            states = (rnd.choice(STATES),) if rnd.random() < 0.8 else ()
            counts = Counts(
                accounts=rnd.choice([None, rnd.randrange(1, 5000)]),
                pages=rnd.choice([None, None, rnd.randrange(1, 100)]),
            )
            atts = tuple(Attribution(s, "linked to", None, ev) for s in states)
            tds.append(Takedown(rnd.choice(PLATFORMS), "net", counts, None, atts, (), ev))
        out.append(ArticleFacts(ArticleMeta(aid, f"{aid}.txt", f"{aid}.txt", "t", published), tuple(tds), ()))
    return out


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 5_000, 20_000]
    print("| articles | records | events | merge s |\n|---:|---:|---:|---:|")
    for n in sizes:
        facts = corpus(n)
        t0 = time.perf_counter()
        events = merge_takedowns(facts)
        seconds = time.perf_counter() - t0
        records = sum(len(f.takedowns) for f in facts)
        print(f"| {n:,} | {records:,} | {len(events):,} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
