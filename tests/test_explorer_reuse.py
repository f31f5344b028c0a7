"""graph.html is kept when the Turtle (and renderer) it was made from are the same."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from page_tools import page_parts

from kg.build.pipeline import build
from kg.explorer.layout import layout_positions
from kg.explorer.page import write_html
from kg.explorer.reuse import (
    EVIDENCE,
    LAYOUT,
    STAMP,
    load_evidence,
    load_layout,
    save_evidence,
    save_layout,
    write_html_unless_same,
)
from kg.explorer.view import to_view
from kg.rdf.graph import load_graph

ROOT = Path(__file__).resolve().parent.parent
SEED_GRAPH = ROOT / "tests" / "data" / "golden" / "seeds_graph.ttl"
def _writer(path: Path, calls: list[int], text: str = "<html>page</html>"):  # type: ignore[no-untyped-def]
    def write() -> None:
        calls.append(1)
        path.write_text(text, "utf-8")

    return write


def _generation(root: Path, name: str, turtle: str) -> tuple[Path, Path]:
    """(graph.ttl, graph.html) of a new generation folder, as a build stages them."""
    folder = root / ".generations" / name
    folder.mkdir(parents=True)
    (folder / "graph.ttl").write_text(turtle, "utf-8")
    return folder / "graph.ttl", folder / "graph.html"


def test_same_turtle_keeps_the_page_other_turtle_rewrites_it(tmp_path: Path) -> None:
    calls: list[int] = []
    ttl1, page1 = _generation(tmp_path, "1", "<a> <b> <c> .\n")
    assert write_html_unless_same(ttl1, page1, _writer(page1, calls), tmp_path)
    ttl2, page2 = _generation(tmp_path, "2", "<a> <b> <c> .\n")
    assert not write_html_unless_same(ttl2, page2, _writer(page2, calls), tmp_path, previous=page1)
    assert len(calls) == 1 and page2.read_bytes() == page1.read_bytes()
    ttl3, page3 = _generation(tmp_path, "3", "<a> <b> <d> .\n")
    assert write_html_unless_same(ttl3, page3, _writer(page3, calls), tmp_path, previous=page2)
    assert len(calls) == 2


def test_no_previous_page_writes(tmp_path: Path) -> None:
    calls: list[int] = []
    ttl1, page1 = _generation(tmp_path, "1", "<a> <b> <c> .\n")
    write_html_unless_same(ttl1, page1, _writer(page1, calls), tmp_path)
    ttl2, page2 = _generation(tmp_path, "2", "<a> <b> <c> .\n")
    assert write_html_unless_same(ttl2, page2, _writer(page2, calls), tmp_path, previous=None)


@pytest.mark.parametrize("damage", ["edit", "delete", "stamp", "garble-stamp"])
def test_a_damaged_page_or_stamp_is_rewritten(tmp_path: Path, damage: str) -> None:
    calls: list[int] = []
    ttl1, page1 = _generation(tmp_path, "1", "<a> <b> <c> .\n")
    write_html_unless_same(ttl1, page1, _writer(page1, calls), tmp_path)
    if damage == "edit":
        page1.write_text("<html>edited</html>", "utf-8")
    elif damage == "delete":
        page1.unlink()
    elif damage == "stamp":
        (tmp_path / STAMP).unlink()
    else:
        (tmp_path / STAMP).write_text("{not json", "utf-8")
    ttl2, page2 = _generation(tmp_path, "2", "<a> <b> <c> .\n")
    assert write_html_unless_same(ttl2, page2, _writer(page2, calls), tmp_path, previous=page1)
    assert page2.read_text("utf-8") == "<html>page</html>"


@pytest.mark.model
def test_rebuild_keeps_graph_html_and_new_article_remakes_it(tmp_path: Path, corpus_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    out = tmp_path / "out"
    build(corpus, out)
    page = out / "graph.html"
    first, mtime = page.read_bytes(), page.stat().st_mtime_ns
    build(corpus, out)
    assert page.stat().st_mtime_ns == mtime and page.read_bytes() == first  # not rewritten
    (corpus / "zz_new.txt").write_text(
        "Extra report\n2021-05-01\nTwitter removed 123 fake accounts tied to Iran.\n", "utf-8"
    )
    build(corpus, out)
    assert page.read_bytes() != first
    fresh = tmp_path / "fresh"
    build(corpus, fresh, cache=False)
    # the same page but for where the nodes drawn before stay (see test_layout_* below)
    assert page_parts(page)[:2] == page_parts(fresh / "graph.html")[:2]


def test_the_page_key_covers_the_page_script_styles_and_data() -> None:
    """A new explorer.js (or evidence word list) with the same Turtle must rewrite graph.html."""
    from importlib import resources

    from kg.util.fingerprint import source_files

    covered = {p.name for p in source_files()}
    exporters, data = resources.files("kg.explorer"), resources.files("kg.data")
    page_files = [e.name for e in exporters.iterdir() if e.name.endswith((".js", ".css"))]
    data_files = [e.name for e in data.iterdir() if e.name.endswith((".jsonl", ".tsv"))]
    assert page_files and data_files
    assert set(page_files) <= covered and set(data_files) <= covered


def _cold_page(tmp_path: Path, triples: set[Any], name: str) -> Path:
    page = tmp_path / name
    write_html(triples, page)  # no state: a layout of the graph alone
    return page


def test_layout_keeps_old_nodes_and_places_new_ones(tmp_path: Path) -> None:
    """A page made with the last page's layout: same page and data as a cold one, old nodes
    where they were, each new node at a position of its own; the same inputs, the same bytes."""
    triples = set(load_graph(SEED_GRAPH))
    view = to_view(triples)
    some = sorted(view.nodes)[::15]  # a few nodes "new" in this build
    old = {k: v for k, v in layout_positions(view).items() if k not in some}
    save_layout(tmp_path, old)
    page = tmp_path / "graph.html"
    write_html(triples, page, state=tmp_path)
    cold = _cold_page(tmp_path, triples, "cold.html")
    outside, data, positions = page_parts(page)
    assert (outside, data) == page_parts(cold)[:2]
    assert set(positions) == set(view.nodes)
    assert all(positions[k] == v for k, v in old.items())
    assert len({(round(x / 11), round(y / 11)) for x, y in positions.values()}) == len(positions)
    assert load_layout(tmp_path) == positions  # kept for the next build
    again = tmp_path / "again.html"
    save_layout(tmp_path, old)
    write_html(triples, again, state=tmp_path)
    assert again.read_bytes() == page.read_bytes()


def test_a_mostly_new_graph_gets_a_fresh_layout(tmp_path: Path) -> None:
    triples = set(load_graph(SEED_GRAPH))
    view = to_view(triples)
    full = layout_positions(view)
    few = dict(list(sorted(full.items()))[: len(full) // 2])
    few = {k: (x + 1000.0, y) for k, (x, y) in few.items()}
    assert layout_positions(view, few) == full
    assert layout_positions(view, {}) == full and layout_positions(view, None) == full


def test_a_new_component_goes_on_the_ring(tmp_path: Path) -> None:
    import networkx as nx

    from kg.explorer.layout import _extend_layout

    view = nx.MultiDiGraph()
    for i in range(20):
        view.add_edge(f"a{i}", f"a{i + 1}", key="p")
    view.add_edge("z1", "z2", key="p")  # a component none of whose nodes was drawn
    previous = {f"a{i}": (float(i) * 30, 0.0) for i in range(21)}
    positions = _extend_layout(view, previous)
    assert {k: positions[k] for k in previous} == previous
    assert positions["z1"] != positions["z2"]
    assert _extend_layout(view, previous) == positions


GARBAGE = {
    "not-json": b"{not json",
    "not-utf8": b"\xff\xfe{}",
    "nan": b'{"format":1,"positions":{"a":[NaN,0]}}',
    "infinity": b'{"format":1,"positions":{"a":[Infinity,0]}}',
    "overflow": b'{"format":1,"positions":{"a":[1e400,0]}}',
    "huge": b'{"format":1,"positions":{"a":[1e12,0]}}',
    "bool-format": b'{"format":true,"positions":{}}',
    "other-format": b'{"format":2,"positions":{}}',
    "extra-key": b'{"format":1,"positions":{},"code":"x"}',
    "string-coordinate": b'{"format":1,"positions":{"a":["1",0]}}',
    "bool-coordinate": b'{"format":1,"positions":{"a":[true,0]}}',
    "three-numbers": b'{"format":1,"positions":{"a":[1,2,3]}}',
    "positions-list": b'{"format":1,"positions":[[1,2]]}',
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "long-int": b'{"format":1,"positions":{"a":[' + b"9" * 5000 + b',0]}}',
}


@pytest.mark.parametrize("kind", [*GARBAGE, "symlink", "fifo", "folder", "dev-zero"])
def test_a_damaged_or_forged_layout_is_ignored(tmp_path: Path, kind: str) -> None:
    """Anything but a layout this code writes is ignored: the page gets the graph's own layout."""
    layout = tmp_path / LAYOUT
    layout.parent.mkdir()
    if kind in GARBAGE:
        layout.write_bytes(GARBAGE[kind])
    elif kind == "symlink":
        good = tmp_path / "elsewhere.json"
        save_layout(tmp_path, {"a": (1.0, 2.0)})
        layout.rename(good)
        layout.symlink_to(good)
    elif kind == "fifo":
        os.mkfifo(layout)
    elif kind == "folder":
        layout.mkdir()
    else:
        layout.symlink_to("/dev/zero")
    assert load_layout(tmp_path) is None
    triples = set(load_graph(SEED_GRAPH))
    page = tmp_path / "graph.html"
    write_html(triples, page, state=tmp_path)
    assert page.read_bytes() == _cold_page(tmp_path, triples, "cold.html").read_bytes()


def test_a_layout_round_trips(tmp_path: Path) -> None:
    save_layout(tmp_path, {"b": (1.5, -2.0), "a": (0.0, 3.25)})
    assert load_layout(tmp_path) == {"a": (0.0, 3.25), "b": (1.5, -2.0)}
    assert load_layout(tmp_path / "missing") is None


@pytest.mark.model
def test_rebuilds_after_adding_changing_removing_articles(tmp_path: Path, corpus_dir: Path) -> None:
    """Each rebuild: Turtle and events byte-identical to a cold build of the same corpus, and
    graph.html the cold page but for the positions of nodes drawn before."""
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    out = tmp_path / "out"
    build(corpus, out)
    changes = [
        lambda: (corpus / "zz_new.txt").write_text(
            "Extra report\n2021-05-01\nTwitter removed 123 fake accounts tied to Iran.\n", "utf-8"),
        lambda: (corpus / "zz_new.txt").write_text(
            "Extra report\n2021-05-01\nFacebook removed 45 fake accounts tied to Russia.\n", "utf-8"),
        lambda: sorted(p for p in corpus.iterdir() if p.is_file())[0].unlink(),
    ]
    kept = []
    for i, change in enumerate(changes):
        before = load_layout(out)
        assert before
        change()
        build(corpus, out)
        cold = tmp_path / f"cold{i}"
        build(corpus, cold, cache=False)
        for name in ("graph.ttl", "events.jsonl"):
            assert (out / name).read_bytes() == (cold / name).read_bytes(), (i, name)
        outside, data, positions = page_parts(out / "graph.html")
        assert (outside, data) == page_parts(cold / "graph.html")[:2], i
        assert all(positions[k] == tuple(v) for k, v in before.items() if k in positions), i
        kept.append(positions != page_parts(cold / "graph.html")[2])
    assert any(kept)  # the last layout was kept, not made again (else this tests nothing)


def test_evidence_is_reused_and_the_page_is_the_same(tmp_path: Path) -> None:
    """The second page reads every fact's evidence from the first one's memo; same bytes."""
    from kg.explorer.cards import EvidenceMemo
    from kg.util.fingerprint import code_fingerprint

    triples = set(load_graph(SEED_GRAPH))
    first, second = tmp_path / "first.html", tmp_path / "second.html"
    write_html(triples, first, state=tmp_path)
    memo = EvidenceMemo(load_evidence(tmp_path, code_fingerprint()))
    assert memo.old
    to_view(triples, memo)
    assert memo.hits == len(memo.old) == len(memo.new)
    write_html(triples, second, state=tmp_path)
    cold = _cold_page(tmp_path, triples, "cold.html")
    assert second.read_bytes() == first.read_bytes() == cold.read_bytes()
    assert load_evidence(tmp_path, "another code") is None  # other code: chosen again


def test_a_changed_fact_chooses_its_evidence_again(tmp_path: Path) -> None:
    """A fact whose sentence changed misses the memo: the page is the cold page of the new graph."""
    from rdflib import Literal

    from kg.rdf.namespace import CIB

    triples = set(load_graph(SEED_GRAPH))
    write_html(triples, tmp_path / "first.html", state=tmp_path)
    sentence = next(t for t in sorted(triples) if t[1] == CIB.sentence)
    changed = (triples - {sentence}) | {(sentence[0], sentence[1], Literal("Twitter removed 5 accounts."))}
    page = tmp_path / "second.html"
    write_html(changed, page, state=tmp_path)
    assert page_parts(page)[:2] == page_parts(_cold_page(tmp_path, changed, "cold.html"))[:2]


def _memo_file(item: str) -> bytes:
    """An evidence memo of one entry whose one item is ``item`` (JSON text)."""
    return b'{"format":1,"code":"CODE","evidence":{"k":[' + item.encode() + b"]}}"


EVIDENCE_GARBAGE = {
    "not-json": b"{not json",
    "wrong-code": b'{"format":1,"code":"x","evidence":{}}',
    "int-confidence": _memo_file('{"text":"t","where":"w","confidence":1,"marks":[]}'),
    "bad-mark": _memo_file('{"text":"t","where":"w","confidence":1.0,"marks":[[0,"1","c"]]}'),
    "extra-field": _memo_file('{"text":"t","where":"w","confidence":1.0,"marks":[],"html":"<b>"}'),
    "not-a-list": b'{"format":1,"code":"CODE","evidence":{"k":{"text":"t"}}}',
    "nan": _memo_file('{"text":"t","where":"w","confidence":NaN,"marks":[]}'),
}


@pytest.mark.parametrize("kind", [*EVIDENCE_GARBAGE, "symlink", "fifo"])
def test_a_damaged_or_forged_evidence_memo_is_ignored(tmp_path: Path, kind: str) -> None:
    from kg.util.fingerprint import code_fingerprint

    code = code_fingerprint()
    memo = tmp_path / EVIDENCE
    memo.parent.mkdir()
    if kind in EVIDENCE_GARBAGE:
        memo.write_bytes(EVIDENCE_GARBAGE[kind].replace(b"CODE", code.encode()))
    elif kind == "symlink":
        save_evidence(tmp_path, code, {"k": []})
        memo.rename(tmp_path / "elsewhere.json")
        memo.symlink_to(tmp_path / "elsewhere.json")
    else:
        os.mkfifo(memo)
    assert load_evidence(tmp_path, code) is None
    triples = set(load_graph(SEED_GRAPH))
    page = tmp_path / "graph.html"
    write_html(triples, page, state=tmp_path)
    assert page.read_bytes() == _cold_page(tmp_path, triples, "cold.html").read_bytes()


def test_a_page_from_a_kept_layout_is_the_fresh_page(tmp_path: Path) -> None:
    """A rebuild's page, laid out from the last page's layout over a plain adjacency (no
    networkx graph), is the page the fresh networkx layout made, in a new process each."""
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path; from kg.explorer.page import write_html; "
        "from kg.rdf.graph import load_graph; "
        f"write_html(load_graph(Path({str(SEED_GRAPH)!r})), Path(sys.argv[1]), "
        f"state=Path({str(tmp_path)!r}))"
    )

    def run(page: Path) -> None:
        done = subprocess.run([sys.executable, "-c", code, str(page)], capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr

    run(tmp_path / "cold.html")  # the first page lays the graph out afresh
    assert (tmp_path / LAYOUT).is_file()
    run(tmp_path / "again.html")
    assert (tmp_path / "again.html").read_bytes() == (tmp_path / "cold.html").read_bytes()
