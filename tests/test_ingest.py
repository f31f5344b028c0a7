"""Ingest: title and date lines, boilerplate, stable ids, duplicates and bad files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import article_id, corpus_files, ingest, parse_article, read_article


@pytest.mark.parametrize(
    ("text", "title", "published"),
    [
        ("Headline\n2021-03-04\nBody.", "Headline", date(2021, 3, 4)),
        ("Headline\n\nMarch 4, 2021, 3:45 PM UTC\n\nBody.", "Headline", date(2021, 3, 4)),
        ("Headline\n4th March 2021\nBody.", "Headline", date(2021, 3, 4)),
        ("Headline\nThursday, March 4, 2021\nBody.", "Headline", date(2021, 3, 4)),
        ("Headline\nOn March 4, 2021 the platform removed many accounts from the site.\n", "Headline", None),
        ("Only one line that is the whole article.", "Only one line that is the whole article.", None),
    ],
)
def test_title_and_date_line(text: str, title: str, published: date | None) -> None:
    a = parse_article(text, file="a.txt")
    assert a.title == title
    assert a.published == published


def test_paragraph_offsets_point_into_the_text() -> None:
    text = "T\n2020-01-01\n  First paragraph here.\nSecond one.\n"
    a = parse_article(text, file="a.txt")
    for p in a.paragraphs:
        assert a.text[p.start : p.start + len(p.text)] == p.text


@pytest.mark.parametrize(
    "line",
    [
        "Read More",
        "Subscribe to our newsletter:",
        "Follow TicToc on Twitter:",
        "comment COMMENT NOW",
        "Disclaimer: We hold no shares.",
        "Remind me later.",
    ],
)
def test_boilerplate_lines_are_not_read(line: str) -> None:
    a = parse_article(f"Title\nA real sentence.\n{line}\n", file="a.txt")
    assert [p.text for p in a.paragraphs] == ["Title", "A real sentence."]


def test_donation_appeal_truncates_the_rest() -> None:
    text = (
        "Title\nBody sentence.\nA Message from The Example Times:\nDear readers,\nFacebook removed 5 pages.\n"
    )
    a = parse_article(text, file="a.txt")
    assert [p.text for p in a.paragraphs] == ["Title", "Body sentence."]


def test_ids_ignore_whitespace_but_not_words() -> None:
    assert article_id("A  b\nc") == article_id("A b c")
    assert article_id("A b c") != article_id("A b d")


def test_duplicates_are_reported_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Title\nSame body.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Title\nSame   body.\n", encoding="utf-8")
    articles, skipped = ingest(corpus_files(tmp_path))
    assert [a.file for a in articles] == ["a.txt"]
    assert len(skipped) == 1 and "duplicate of a.txt" in skipped[0].reason


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "empty file"), (b"  \n\n", "empty file"), (b"\x00\x01\x02binary", "binary file")],
)
def test_bad_files_name_the_file(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(InputError) as exc:
        read_article(path)
    assert str(path) in str(exc.value) and reason in str(exc.value)
    assert "\n" not in str(exc.value)


def test_one_bad_file_does_not_lose_the_others(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Title\nBody.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    articles, skipped = ingest(corpus_files(tmp_path))
    assert [a.file for a in articles] == ["good.txt"]
    assert [Path(s.path).name for s in skipped] == ["empty.txt"]


def test_cp1252_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Title\nThe caf\u00e9 \u201cquote\u201d.\n".encode("cp1252"))
    assert "caf\u00e9" in read_article(path).text


def test_missing_corpus_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        corpus_files(tmp_path / "nope")
