"""The live graph's kept parts give a cold build's bytes after adds, edits and deletes.

Each step changes real files in a corpus folder, refreshes the kept state (only the changed
files are parsed) and compares graph.ttl and events.jsonl with a cold ``kg build`` of the same
folder, byte for byte. Articles are our own sentences: a and b report one takedown (merged into
one event), c is the only source of its own event."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build.pipeline import build
from kg.extract import extract_articles
from kg.extract.model import load_pipeline
from kg.live.state import LiveCorpus, LiveGraph, Refresh, is_temporary
from kg.rdf.graph import build_triples
from kg.rdf.turtle import TurtleParts, serialize_turtle, sparql_update
from kg.records import Article, ArticleFacts

pytestmark = pytest.mark.model

ARTICLES = {
    "a.txt": (
        "Meta removes network tied to Iran\n2024-03-04\n\n"
        "Meta said on Monday it had removed 120 Facebook accounts and 40 Instagram accounts linked to "
        "Iran for coordinated inauthentic behaviour.\n\n"
        "Iran's foreign ministry spokesman Nasser Kanaani rejected the report as baseless.\n"
    ),
    "b.txt": (
        "Facebook owner takes down Iranian accounts\n2024-03-05\n\n"
        "Meta said it had removed 120 Facebook accounts and 40 Instagram accounts linked to Iran for "
        "coordinated inauthentic behaviour, the company said in its quarterly report.\n"
    ),
    "c.txt": (
        "TikTok removes Russian influence network\n2024-05-10\n\n"
        "TikTok said on Friday it had removed 300 accounts linked to Russia for coordinated inauthentic "
        "behaviour targeting voters in Germany.\n\n"
        "The Kremlin denied any involvement, calling the claims unfounded.\n"
    ),
}
NEW = (
    "Platform acts against Chinese network\n2024-06-02\n\n"
    "Meta said on Tuesday it had removed 75 Facebook pages linked to China for coordinated "
    "inauthentic behaviour aimed at audiences in Taiwan.\n"
)
QUIET = "Weather service warns of storms\n2024-06-03\n\nHeavy rain is expected across the north on Sunday.\n"


def _extract(articles: list[Article]) -> list[ArticleFacts]:
    return list(extract_articles(articles, load_pipeline(None)))


def _cold(corpus: Path, out: Path) -> tuple[str, str]:
    build(corpus, out, html=False, jobs=1, cache=False)
    return (out / "graph.ttl").read_text("utf-8"), (out / "events.jsonl").read_text("utf-8")


class Counting:
    """The extractor, counting the articles it was given (only changed files should be)."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, articles: list[Article]) -> list[ArticleFacts]:
        self.seen += [a.file for a in articles]
        return _extract(articles)


def _found(found: Refresh) -> tuple[list[ArticleFacts], dict[str, int]]:
    """A refresh's facts and counts, as the watch hands them to the graph."""
    return found.facts, found.counts


def test_adds_edits_and_deletes_give_a_cold_builds_bytes(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, "utf-8")
    extract = Counting()
    live, graph = LiveCorpus(corpus, extract), LiveGraph()
    step = 0

    def check(parsed: list[str]) -> None:
        nonlocal step
        step += 1
        extract.seen.clear()
        update = graph.update(*_found(live.refresh()))
        assert sorted(extract.seen) == parsed
        turtle, events = _cold(corpus, tmp_path / f"cold{step}")
        assert update.turtle == turtle
        assert update.events == events

    check(["a.txt", "b.txt", "c.txt"])
    (corpus / "d.txt").write_text(NEW, "utf-8")  # an add
    check(["d.txt"])
    (corpus / "quiet.txt").write_text(QUIET, "utf-8")  # an article with no fact
    check(["quiet.txt"])
    (corpus / "c.txt").write_text(ARTICLES["c.txt"].replace("300", "310"), "utf-8")  # an edit
    check(["c.txt"])
    (corpus / "b.txt").unlink()  # merged into an event with a.txt: the event stays, with one source
    check([])
    (corpus / "c.txt").unlink()  # the only source of its event: the event goes
    check([])
    (corpus / "b.txt").write_text(ARTICLES["b.txt"], "utf-8")  # back again
    check(["b.txt"])
    (corpus / ".#d.txt").symlink_to("nowhere@123")  # an editor's lock file: not an article, no skip
    (corpus / "d.txt~").write_text(NEW, "utf-8")
    check([])


def test_a_merged_delete_and_an_only_source_delete_change_the_diff(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, "utf-8")
    live, graph = LiveCorpus(corpus, _extract), LiveGraph()
    first = graph.update(*_found(live.refresh()))
    takedowns = {str(s) for s, p, o in first.triples if str(o).endswith("#Takedown")}
    assert len(takedowns) == 2
    (corpus / "b.txt").unlink()
    after_b = graph.update(*_found(live.refresh()))
    assert {str(s) for s, p, o in after_b.triples if str(o).endswith("#Takedown")} == takedowns
    assert after_b.removed and not after_b.added & first.triples
    (corpus / "c.txt").unlink()
    after_c = graph.update(*_found(live.refresh()))
    assert len({str(s) for s, p, o in after_c.triples if str(o).endswith("#Takedown")}) == 1
    # the only source gone: its triples are deleted; what is added is the corpus's new counts
    assert {str(s) for s, p, o in after_c.added} == {"https://w3id.org/cib-kg/id/corpus"}
    request = sparql_update(after_c.added, after_c.removed)
    assert request.startswith("DELETE DATA {") and "#Takedown" not in request.split("INSERT DATA")[1]


def test_turtle_parts_match_the_writer_through_any_sequence(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in ARTICLES.items():
        (corpus / name).write_text(text, "utf-8")
    from kg.resolve import resolve

    facts = LiveCorpus(corpus, _extract).refresh().facts
    graphs = [build_triples(resolve(facts[:n])) for n in (3, 1, 2, 0, 3)]
    parts = TurtleParts()
    for triples in graphs:
        parts.update(triples)
        assert parts.text() == serialize_turtle(triples)


@pytest.mark.parametrize(
    ("name", "temporary"),
    [(".#a.txt", True), ("#a.txt#", True), ("a.txt~", True), (".a.txt.swp", True), ("a.txt.part", True),
     ("a.txt", False), ("notes.md", False), ("feed.jsonl", False)],
)
def test_editor_files_are_temporary(name: str, temporary: bool) -> None:
    assert is_temporary(name) is temporary


HOSTILE = [
    'plain', 'quote " and \' and \\ backslash', "line\nbreak\rreturn\ttab",
    '"} ; DROP ALL ; INSERT DATA { <a> <b> "c',
    "separators \u2028 \u2029 and \x7f \x01", "non-ASCII: Бурятия, 北京, emoji \U0001F600",
]


def test_the_store_update_is_exact_for_hostile_text() -> None:
    """Article text goes into the served store's update: escaped, it is data, never a statement."""
    pyoxigraph = pytest.importorskip("pyoxigraph")
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    s, p = URIRef("https://w3id.org/cib-kg/id/mention/x"), URIRef("https://w3id.org/cib-kg/ontology#sentence")
    old = {(s, p, Literal(text)) for text in HOSTILE[:3]} | {(s, p, Literal("7", datatype=XSD.integer))}
    new = {(s, p, Literal(text)) for text in HOSTILE[2:]} | {(s, p, Literal("2024-01-02", datatype=XSD.date))}
    store = pyoxigraph.Store()
    store.update(sparql_update(old, set()))
    assert len(store) == len(old)
    store.update(sparql_update(new - old, old - new))
    got = {str(q.object.value) for q in store}
    assert got == {str(o) for _s, _p, o in new} and len(store) == len(new)
