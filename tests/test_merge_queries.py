"""The named questions count real takedowns: one per removal, however many articles report it."""

from __future__ import annotations

from datetime import date

from rdflib import Graph

from kg.query.engine import ask
from kg.rdf.graph import build_triples, to_graph
from kg.records import ArticleFacts, ArticleMeta, Attribution, Counts, Evidence, Takedown
from kg.resolve import resolve


def _facts(aid: str, published: date | None, *specs: tuple[str, Counts, str, date | None]) -> ArticleFacts:
    tds = []
    for i, (platform, counts, state, when) in enumerate(specs):
        ev = Evidence(aid, f"{aid}.txt", f"{platform} removed accounts.", i * 40, i * 40 + 20, "rule", 0.9)
        states = (Attribution(state, "linked to", None, ev),)
        tds.append(Takedown(platform, "a network", counts, when, states, (), ev))
    meta = ArticleMeta(aid, f"{aid}.txt", f"{aid}.txt", f"Article {aid}", published)
    return ArticleFacts(meta, tuple(tds), ())


def _graph() -> Graph:
    """Three articles report Twitter's 936 accounts (one with a breakdown total of its own
    figures), two report one Facebook removal, one reports another."""
    twitter = ("Twitter", Counts(accounts=936), "China", None)
    corpus = resolve([
        _facts("a1", date(2019, 8, 20), ("Twitter", Counts(accounts=936), "China", date(2019, 8, 19)),
               ("Facebook", Counts(accounts=50, pages=70, groups=30), "China", date(2019, 8, 19))),
        _facts("a2", date(2019, 8, 21), twitter, ("Facebook", Counts(combined_count=150), "China", None)),
        _facts("a3", None, twitter),
        _facts("a4", date(2020, 9, 22), ("Facebook", Counts(accounts=57), "Philippines", None)),
    ])
    return to_graph(build_triples(corpus))


def _rows(graph: Graph, question: str, *columns: str) -> list[tuple[str | None, ...]]:
    result = ask(graph, question)
    index = [result.columns.index(c) for c in columns]
    return [tuple(row[i] for i in index) for row in result.rows]


def test_counts_are_of_real_takedowns() -> None:
    g = _graph()
    assert _rows(g, "takedowns-by-state", "state", "takedowns") == [("China", "2"), ("Philippines", "1")]
    cols = ("platform", "year", "takedowns", "accounts", "pages", "groups", "combined")
    assert _rows(g, "assets-per-platform-year", *cols) == [
        ("Facebook", "2019", "1", "50", "70", "30", "0"),  # the breakdown, not also its total
        ("Facebook", "2020", "1", "57", "0", "0", "0"),
        ("Twitter", "2019", "1", "936", "0", "0", "0"),  # 936 once, not three times
    ]
    assert _rows(g, "timeline", "date", "kind", "who", "about") == [
        ("2019-08-19", "takedown", "Facebook", "China"),
        ("2019-08-19", "takedown", "Twitter", "China"),
        (None, "takedown", "Facebook", "Philippines"),
    ]


def test_multi_source_takedowns_say_why_they_were_merged() -> None:
    assert _rows(_graph(), "multi-source-takedowns", "platform", "sources", "articles", "mergedOn") == [
        ("Twitter", "3", "a1.txt, a2.txt, a3.txt", "date, figures, states"),
        ("Facebook", "2", "a1.txt, a2.txt", "date, states, total=breakdown"),
    ]
