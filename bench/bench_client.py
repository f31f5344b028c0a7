"""What the merge costs per article on a cluster's client: time and memory of each step.

Run ``PYTHONPATH=. python bench/bench_client.py CORPUS [--cache DIR]`` on a corpus that was
built once with the cache (``kg build CORPUS --out OUT`` leaves it in ``OUT/.cache``), so no
article is parsed here. It replays what the client of ``kg build --cluster`` does after the
workers have sent their records: the duplicate check over fingerprints, ``resolve``, the
triple set, Turtle, events.jsonl. Prints per-article figures (a Markdown table) used for the
estimate in docs/distributed.md. Not a test.
"""

from __future__ import annotations

import argparse
import gc
import pickle
import resource
import time
import tracemalloc
from pathlib import Path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--cache", type=Path, default=Path("out/.cache"), help="Cache folder (out/.cache).")
    args = ap.parse_args()

    from kg.build.cache import open_cache
    from kg.build.pipeline import Tally, stream_facts
    from kg.exporters.events import write_events
    from kg.ingest import Deduplicator
    from kg.rdf.graph import build_triples
    from kg.rdf.turtle import serialize_turtle
    from kg.resolve import resolve

    # What the workers would send: text-free facts and fingerprints (here read from the cache).
    cache = open_cache(args.cache)
    tally = Tally()
    facts = list(stream_facts(args.corpus, tally, cache=cache))
    if tally.parsed:
        raise SystemExit(f"{tally.parsed} articles were not in the cache: build {args.corpus} once first")
    from kg.ingest import corpus_files, corpus_root, read_files
    from kg.records import Article

    fingerprints = []
    for item in read_files(corpus_files(args.corpus), corpus_root(args.corpus)):
        if isinstance(item, Article) and (entry := cache.get(item)) is not None:
            fingerprints.append(entry.fingerprint)
    n = len(facts)
    rows: list[tuple[str, str]] = []

    def timed(label: str, fn):  # type: ignore[no-untyped-def]
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        rows.append((label, f"{(time.perf_counter() - t0) / n * 1000:.2f} ms"))
        return out

    def replay() -> None:
        dedup = Deduplicator()
        for fp in fingerprints:
            dedup.check(fp)

    timed("duplicate check, replayed over fingerprints", replay)
    resolved = timed("`resolve`", lambda: resolve(facts))
    triples = timed("`build_triples` (the graph as a set)", lambda: build_triples(resolved))
    turtle = timed("Turtle serialisation", lambda: serialize_turtle(triples))
    timed("events.jsonl", lambda: write_events(facts, Path("/dev/null")))
    rows.append(("facts held (pickled, text-free)", f"{len(pickle.dumps(facts)) / n / 1024:.1f} KB"))
    rows.append(("fingerprints held (pickled)", f"{len(pickle.dumps(fingerprints)) / n / 1024:.1f} KB"))

    del triples, turtle
    gc.collect()
    tracemalloc.start()
    triples = build_triples(resolve(facts))
    graph_bytes, _ = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    turtle = serialize_turtle(triples)
    _, turtle_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(("resolved corpus + triple set in memory", f"{graph_bytes / n / 1024:.1f} KB"))
    rows.append(("peak while serialising Turtle (above that)", f"{turtle_peak / n / 1024:.1f} KB"))
    rows.append(("Turtle text", f"{len(turtle.encode('utf-8')) / n / 1024:.1f} KB"))
    rows.append(("triples", f"{len(triples) / n:.0f}"))

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{n} articles; peak RSS of this process {peak:.0f} MB")
    print("| per article, on the client | measured |\n|---|---:|")
    for label, value in rows:
        print(f"| {label} | {value} |")


if __name__ == "__main__":
    main()
