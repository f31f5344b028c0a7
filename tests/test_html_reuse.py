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
    assert page.read_bytes() == (fresh / "graph.html").read_bytes()


def test_the_page_key_covers_the_page_script_styles_and_data() -> None:
    """A new explorer.js (or evidence word list) with the same Turtle must rewrite graph.html."""
    from importlib import resources

    from kg.build_memo import source_files

    covered = {p.name for p in source_files()}
    exporters, data = resources.files("kg.exporters"), resources.files("kg.data")
    page_files = [e.name for e in exporters.iterdir() if e.name.endswith((".js", ".css"))]
    data_files = [e.name for e in data.iterdir() if e.name.endswith((".jsonl", ".tsv"))]
    assert page_files and data_files
    assert set(page_files) <= covered and set(data_files) <= covered
