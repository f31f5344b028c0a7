"""Paired A/B of the parse configurations in one process, in alternation: robust on a busy machine.

Run ``PYTHONPATH=. python bench/bench_ab.py [--articles 150 --sparse-articles 60 --rounds 5]``.
The pipeline is loaded once; then, round after round and in a rotating order, the same
articles go through: the floor (bare ``nlp.pipe`` of every paragraph, the model as shipped),
the same with kg's attribute ruler (``kg.extract.attribute_rules``: what that component saves),
``extract_articles``
with ``--parse full``, with ``--parse filtered`` and (not selectable) filtered without the
NER component. Each is timed by this process's CPU time (``time.process_time``), which other
processes on the machine disturb far less than wall time. Prints medians and their ratios
to the floor and writes ``bench/ab_results.md``. Not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=150)
    ap.add_argument("--sparse-articles", type=int, default=60)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--results", type=Path, default=HERE / "ab_results.md")
    args = ap.parse_args()
    sys.path.insert(0, str(HERE))
    import corpus_gen
    import corpus_sparse
    from bench_build import machine

    from kg.extract import extract_articles
    from kg.extract.model import load_pipeline
    from kg.extract.prefilter import load_prefilter
    from kg.ingest import corpus_files, ingest

    nlp = load_pipeline()
    stock = load_pipeline(stock_attributes=True)  # the model's own attribute_ruler: the floor
    work = Path(tempfile.mkdtemp(prefix="kg-ab-"))
    lines = [f"Machine: {machine()}  ", f"Run: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
             f"{args.rounds} rounds in rotating order, CPU seconds of one process (medians).", ""]
    for label, write, n in (("corpus_gen", corpus_gen.write_corpus, args.articles),
                            ("corpus_sparse", corpus_sparse.write_corpus, args.sparse_articles)):
        write(work / label, n)
        articles, _ = ingest(corpus_files(work / label))
        texts = [p.text for a in articles for p in a.paragraphs]

        def bare(pipeline: Language, texts: list[str] = texts) -> Callable[[], None]:
            def run() -> None:
                for _ in pipeline.pipe(texts, batch_size=64):
                    pass

            return run

        def extract(parse: str, ner: bool = True, articles: list = articles) -> Callable[[], None]:
            def run() -> None:
                if ner:
                    list(extract_articles(articles, nlp, parse=parse))
                else:
                    with nlp.select_pipes(disable=["ner"]):
                        list(extract_articles(articles, nlp, parse=parse))

            return run

        runs = {"floor: bare nlp.pipe, every paragraph, the model as shipped": bare(stock),
                "bare nlp.pipe, every paragraph, kg's attribute ruler (kg.extract.attribute_rules)":
                    bare(nlp),
                "extract --parse full": extract("full"),
                "extract --parse filtered (default)": extract("filtered"),
                "extract filtered, no NER (not selectable)": extract("filtered", ner=False)}
        names = list(runs)
        times: dict[str, list[float]] = {k: [] for k in names}
        for r in range(args.rounds):
            for k in names[r % len(names):] + names[: r % len(names)]:
                t0 = time.process_time()
                runs[k]()
                times[k].append(time.process_time() - t0)
            done = ", ".join(f"{times[k][-1]:.1f}" for k in names)
            print(f"{label} round {r + 1}: {done}", file=sys.stderr)
        base = statistics.median(times[names[0]])
        words = sum(len(t.split()) for t in texts)
        prefilter = load_prefilter(nlp)
        kept = sum(sum(prefilter.kept([p.text for p in a.paragraphs])) for a in articles)
        lines += [f"**{label}**: {n} articles, {words} words, {len(texts)} paragraphs; the pre-pass "
                  f"sends {kept} ({kept / len(texts):.0%}) through the pipeline.", "",
                  "| run | median CPU s | min-max | x floor |", "|---|---:|---:|---:|"]
        for k in names:
            med = statistics.median(times[k])
            lines.append(f"| {k} | {med:.2f} | {min(times[k]):.2f}-{max(times[k]):.2f} | {med / base:.2f} |")
        lines.append("")
    table = "\n".join(lines)
    print(table)
    args.results.write_text(table, "utf-8")


if __name__ == "__main__":
    main()
