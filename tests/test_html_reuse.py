"""graph.html is kept when the Turtle (and renderer) it was made from are the same."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.html_reuse import STAMP, write_html_unless_same
from kg.pipeline import build


def _writer(path: Path, calls: list[int], text: str = "<html>page</html>"):  # type: ignore[no-untyped-def]
    def write() -> None:
        calls.append(1)
        path.write_text(text, "utf-8")

    return write


def test_same_turtle_keeps_the_page_other_turtle_rewrites_it(tmp_path: Path) -> None:
    ttl, page, calls = tmp_path / "graph.ttl", tmp_path / "graph.html", []
    ttl.write_text("<a> <b> <c> .\n", "utf-8")
    assert write_html_unless_same(ttl, page, _writer(page, calls))
    assert not write_html_unless_same(ttl, page, _writer(page, calls))
    assert len(calls) == 1
    ttl.write_text("<a> <b> <d> .\n", "utf-8")
    assert write_html_unless_same(ttl, page, _writer(page, calls))
    assert len(calls) == 2


@pytest.mark.parametrize("damage", ["edit", "delete", "stamp", "garble-stamp"])
def test_a_damaged_page_or_stamp_is_rewritten(tmp_path: Path, damage: str) -> None:
    ttl, page, calls = tmp_path / "graph.ttl", tmp_path / "graph.html", []
    ttl.write_text("<a> <b> <c> .\n", "utf-8")
    write_html_unless_same(ttl, page, _writer(page, calls))
    if damage == "edit":
        page.write_text("<html>edited</html>", "utf-8")
    elif damage == "delete":
        page.unlink()
    elif damage == "stamp":
        (tmp_path / STAMP).unlink()
    else:
        (tmp_path / STAMP).write_text("{not json", "utf-8")
    assert write_html_unless_same(ttl, page, _writer(page, calls))
    assert page.read_text("utf-8") == "<html>page</html>"


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
    assert page.read_bytes() == (fresh / "graph.html").read_bytes()
