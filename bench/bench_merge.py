"""What the cross-article merge costs as the corpus grows (``kg.resolve.merge``).

Run ``PYTHONPATH=. python bench/bench_merge.py [N ...]``: synthetic text-free records (five
platforms, twenty states, random figures, 70% of articles dated over five years, one to three
takedowns an article), so the merge's candidate generation is measured without extraction.
Prints a Markdown table of articles, records, events, events holding two records of one
article, and seconds. Not a test.

The generator's truth: every record is a takedown of its own. Records of two articles that
agree by chance (a state inside the window, a figure) merge as the rules say; two records of
one article never report one takedown here, so every event in the one-article column is a
wrong join by the parts rule (:mod:`kg.resolve.parts`), which reads records given in one
sentence as one announcement's parts: a fifth of the articles list their records in one
sentence (until December 2026 every article did, with one placeholder sentence).
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


#: The share of articles that list their records in one sentence ("A removed 120 accounts tied
#: to X and 80 tied to Y"): the parts rule reads these as one announcement's parts, which must
#: not join anything unless another record is their whole (here: only by chance, so wrongly).
LISTING_SHARE = 0.2


def corpus(n: int, seed: int = 1) -> list[ArticleFacts]:
    rnd = random.Random(seed)
    listing = random.Random(seed + 1)  # apart, so the records are those of every earlier version
    out = []
    for i in range(n):
        aid = f"{i:016x}"
        published = date(2018, 1, 1) + timedelta(days=rnd.randrange(2000)) if rnd.random() < 0.7 else None
        tds = []
        one_sentence = listing.random() < LISTING_SHARE
        for j in range(rnd.choice([1, 1, 2, 3])):
            sentence = f"Article {i} lists its networks." if one_sentence else f"Record {j} of article {i}."
            ev = Evidence(aid, f"{aid}.txt", sentence, j * 50, j * 50 + len(sentence), "bench", 0.9)
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
    print("| articles | records | events | one-article events | merge s |\n|---:|---:|---:|---:|---:|")
    for n in sizes:
        facts = corpus(n)
        t0 = time.perf_counter()
        events = merge_takedowns(facts)
        seconds = time.perf_counter() - t0
        records = sum(len(f.takedowns) for f in facts)
        one_article = sum(
            len({s.evidence.article_id for s in e.sources}) < len(e.sources) for e in events
        )
        print(f"| {n:,} | {records:,} | {len(events):,} | {one_article:,} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
