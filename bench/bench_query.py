"""The named SPARQL questions over a ~1M-triple graph: rdflib's engine against Oxigraph.

Run ``PYTHONPATH=. python bench/bench_query.py [--triples 1000000]``. The graph is built by the
real ``resolve`` and ``build_graph`` stages from synthetic ``ArticleFacts`` (many takedowns,
attributions, denials and mentions, names from the gazetteer plus minted ones), so it follows
the vocabulary exactly. Times Turtle serialisation (``kg.rdf.turtle.serialize_turtle``), parsing
with rdflib and pyoxigraph, and each named question on each engine (rdflib queries that pass
``--timeout`` seconds are stopped), checking both engines give the same rows. Prints a
Markdown table; writes ``bench/query_results.md``.
"""

from __future__ import annotations

import argparse
import random
import signal
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from kg.records import ArticleFacts, ArticleMeta, Attribution, Counts, Denial, Evidence, Takedown

HERE = Path(__file__).resolve().parent
PLATFORMS = ("Facebook", "Twitter", "YouTube", "TikTok", "Reddit", "Microsoft", "OpenAI", "Telegram")
SPEAKERS = {"Russia": ("Dmitry Peskov", "Maria Zakharova"), "China": ("Hua Chunying", "Wang Wenbin"),
            "Iran": ("Nasser Kanaani", "Saeed Khatibzadeh")}
WORDINGS = ("attributed to", "linked to", "originated in", "demonym", "associated with")


def synthetic_facts(n_articles: int, seed: int = 11) -> list[ArticleFacts]:
    """Facts of ``n_articles`` articles: 1-3 takedowns each, a denial in about half."""
    from kg.lexicon.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    states = sorted(e.name for e in gaz.entities.values() if e.type == "state")
    orgs = sorted(e.name for e in gaz.entities.values() if e.type in ("organisation", "org"))
    rng = random.Random(seed)
    out = []
    for i in range(n_articles):
        aid = f"{i:016x}"
        file = f"{i:06d}.txt"
        published = date(2016, 1, 1) + timedelta(days=rng.randint(0, 3300))
        article = ArticleMeta(aid, file, file, f"Takedown report {i}", published)

        def ev(rule: str, start: int, aid: str = aid, file: str = file) -> Evidence:
            sentence = f"Sentence {start} of article {aid} about a removal, with some words for length."
            return Evidence(aid, file, sentence, start, start + len(sentence), rule, rng.random())

        takedowns = []
        for k in range(rng.randint(1, 3)):
            state = rng.choice(states[:12] if rng.random() < 0.7 else states)
            actor = rng.choice(orgs) if rng.random() < 0.3 else None
            attrs = [Attribution(state, rng.choice(WORDINGS), actor, ev("attribution.x", 300 + k * 100))]
            if rng.random() < 0.15:
                other = rng.choice(states)
                attrs.append(Attribution(other, rng.choice(WORDINGS), None, ev("attribution.y", 350)))
            platform = rng.choice(PLATFORMS)
            n = rng.randint(5, 50000)
            counts = Counts(accounts=n, pages=rng.randint(1, 90) if rng.random() < 0.5 else None)
            when = published - timedelta(days=rng.randint(0, 3))
            if rng.random() < 0.1:  # one of a few hundred takedowns several articles report
                shared = rng.randint(0, 300)
                n, platform, when = 100_000 + shared, PLATFORMS[shared % len(PLATFORMS)], date(2018, 1, 1)
                counts, state = Counts(accounts=n), states[shared % 12]
                attrs = [Attribution(state, rng.choice(WORDINGS), None, ev("attribution.x", 300 + k * 100))]
            takedowns.append(Takedown(
                platform=platform, network=f"{n} accounts linked to {state}", counts=counts,
                date=when, attributions=tuple(attrs), actors=(), evidence=ev("takedown.verb", k * 100),
                support=(ev("takedown.support", k * 100 + 50),) if rng.random() < 0.3 else (),
            ))
        denials = []
        t0 = takedowns[0]
        state = t0.attributions[0].state
        if rng.random() < 0.5:
            speaker = rng.choice(SPEAKERS.get(state, (f"Spokesperson {rng.randint(1, 200)} Official",)))
            denials.append(Denial(state, speaker, (t0.platform,), f"These claims are baseless ({i}).",
                                  published, ev("denial.quote", 900)))
        out.append(ArticleFacts(article, tuple(takedowns), tuple(denials)))
    return out


def synthetic_graph(triples: int):  # type: ignore[no-untyped-def]
    """A graph of about ``triples`` triples (``(graph, seconds to build)``)."""
    from kg.rdf.graph import build_graph
    from kg.resolve import resolve

    per_article = 100  # measured on this generator
    t0 = time.perf_counter()
    graph = build_graph(resolve(synthetic_facts(max(1, triples // per_article))))
    return graph, time.perf_counter() - t0


class _Timeout(BaseException):  # not caught by run_query's "except Exception"
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


class Seconds(float):
    """Wall seconds, with the process's CPU seconds alongside (the machine may be shared)."""

    cpu: float = 0.0


def timed(fn, timeout: float | None = None) -> tuple[Seconds | None, object]:  # type: ignore[no-untyped-def]
    """(seconds, result); seconds is None when ``timeout`` passed first (rdflib is pure Python,
    so SIGALRM interrupts it)."""
    if timeout:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        result = fn()
    except _Timeout:
        return None, None
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
    seconds = Seconds(time.perf_counter() - t0)
    seconds.cpu = time.process_time() - c0
    return seconds, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--timeout", type=float, default=60.0, help="Seconds before an rdflib query is stopped.")
    ap.add_argument("--results", type=Path, default=HERE / "query_results.md")
    ap.add_argument("--skip-rdflib", action="store_true", help="Only time Oxigraph queries.")
    args = ap.parse_args()

    import pyoxigraph
    from rdflib import Graph

    from kg.query.engine import _store_for, ask
    from kg.query.questions import named_queries, resolve_query
    from kg.rdf.turtle import serialize_turtle

    graph, t_build = synthetic_graph(args.triples)
    n = len(graph)
    print(f"graph: {n} triples built in {t_build:.1f}s", file=sys.stderr)
    t_ser, text = timed(lambda: serialize_turtle(graph))
    data = text.encode("utf-8")  # type: ignore[union-attr]
    path = Path(tempfile.mkdtemp(prefix="kg-qbench-")) / "graph.ttl"
    path.write_bytes(data)
    t_rdf_parse, parsed = timed(lambda: Graph().parse(path, format="turtle"))
    del parsed
    store = pyoxigraph.Store()
    t_ox_parse, _ = timed(lambda: store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    # kg.query.engine keeps one Oxigraph copy per rdflib graph: the first question pays for it.
    t_ox_copy, _ = timed(lambda: _store_for(graph))

    params = {"entity": {"name": "Russia"}}
    rows = []
    for name in named_queries():
        sparql = resolve_query(name, params.get(name, {}))
        t_raw, _ = timed(lambda s=sparql: list(store.query(s)))  # type: ignore[arg-type]
        t_ox, ox = timed(lambda n=name: ask(graph, n, params.get(n, {}), engine="oxigraph"))
        if args.skip_rdflib:
            t_rdf, res = None, None
        else:
            t_rdf, res = timed(lambda n=name: ask(graph, n, params.get(n, {}), engine="rdflib"), args.timeout)
        same = "-" if res is None else str(res == ox)
        n_rows = len(ox.rows)  # type: ignore[attr-defined]
        rows.append((name, t_rdf, t_raw, t_ox, n_rows, same))
        print(f"  {name}: rdflib {t_rdf}, oxigraph {t_ox}", file=sys.stderr)

    def s(v: Seconds | None) -> str:
        return f"> {args.timeout:.0f}" if v is None else f"{v:.2f} ({v.cpu:.2f})"

    lines = [
        f"Graph: {n} triples, Turtle {len(data) / 2**20:.0f} MB (synthetic, bench/bench_query.py).",
        "",
        "Seconds are wall (CPU of the process), as the machine may be shared.",
        "",
        "| step | seconds |",
        "|---|---:|",
        f"| build graph (resolve, triple set, rdflib Memory store) | {t_build:.1f} (-) |",
        f"| serialise Turtle (kg.rdf.turtle.serialize_turtle) | {s(t_ser)} |",
        f"| parse Turtle with rdflib | {s(t_rdf_parse)} |",
        f"| parse Turtle with pyoxigraph (bulk_load) | {s(t_ox_parse)} |",
        f"| copy rdflib graph into a pyoxigraph Store | {s(t_ox_copy)} |",
        "",
        "| question | rdflib s | Oxigraph s (store.query) | Oxigraph s (kg.query.engine.ask)"
        " | rows | same rows |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for q, tr, traw, to, n_rows, same in rows:
        lines.append(f"| {q} | {s(tr)} | {s(traw)} | {s(to)} | {n_rows} | {same} |")
    table = "\n".join(lines)
    print(table)
    args.results.write_text(table + "\n", "utf-8")


if __name__ == "__main__":
    main()
