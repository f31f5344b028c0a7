"""Ingest of real-world inputs: txt/md/html/jsonl from nested folders, legacy encodings,
duplicates and near-duplicates, and a one-line reason for every bad file or line."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import (
    Deduplicator,
    compose_article,
    corpus_files,
    ingest,
    ingest_corpus,
    markdown_to_text,
    parse_published,
    raise_if_skipped,
    read_article,
    read_articles,
)
from kg.ingest import formats as ingest_module
from kg.records import Article

FORMATS = Path(__file__).parent / "data" / "formats"
GOOD = FORMATS / "good"
BAD = FORMATS / "bad"


def _by_file(articles: list[Article]) -> dict[str, Article]:
    return {a.file: a for a in articles}


def _offsets_point_into_text(article: Article) -> None:
    for p in article.paragraphs:
        assert article.text[p.start : p.start + len(p.text)] == p.text


def test_every_good_fixture_is_ingested_with_title_date_and_stable_name() -> None:
    articles, skipped = ingest_corpus(GOOD)
    assert skipped == []
    got = {a.file: (a.title, a.published) for a in articles}
    assert got == {
        "exports/feed.jsonl#a1": ("Meta removes fake accounts tied to Ethiopia", date(2021, 6, 16)),
        "exports/feed.jsonl#2": ("Twitter removes Iranian accounts", date(2020, 7, 1)),
        "exports/feed.jsonl#3": ("Google removes channels", None),
        "notes/legacy/cp1252.txt": ("Twitter removes Cuban accounts", date(2021, 6, 12)),
        "notes/legacy/latin1.txt": ("Facebook retire des comptes", date(2020, 9, 22)),
        "notes/report.md": ("Meta removes a network from Belarus", date(2020, 11, 5)),
        "web/snapchat.html": ("Snapchat removes 41 accounts tied to Iran", date(2021, 3, 4)),
        "web/youtube.htm": ("YouTube takes down 210 channels linked to China", date(2022, 7, 15)),
    }
    for article in articles:
        _offsets_point_into_text(article)
        assert article.text.splitlines()[0] == article.title


def test_html_keeps_the_article_and_drops_page_furniture() -> None:
    article = read_article(GOOD / "web" / "snapchat.html")
    assert article.text.startswith("Snapchat removes 41 accounts tied to Iran\n2021-03-04\n")
    assert "Snapchat removed 41 accounts that pushed coordinated propaganda" in article.text
    for furniture in ("tracker", "Most read", "Home", "Copyright", "<p>"):
        assert furniture not in article.text


def test_markdown_markup_is_removed_and_wrapped_lines_joined() -> None:
    article = read_article(GOOD / "notes" / "report.md")
    texts = [p.text for p in article.paragraphs]
    assert (
        "Meta removed eleven Pages, four Groups and twenty-two Facebook accounts from Belarus for "
        "coordinated inauthentic behavior, according to the company report." in texts
    )
    assert "The accounts used fake names." in texts
    assert not any(ch in article.text for ch in "*[]>#")


def test_markdown_without_front_matter_reads_like_text() -> None:
    text, meta = markdown_to_text(
        "# Title\n\n2021-01-02\n\nSome *body* with `code` and [a link](http://x).\n"
    )
    assert meta == {}
    assert text.split("\n") == ["Title", "", "2021-01-02", "", "Some body with code and a link.", ""]


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("cp1252.txt", "\u2014 a \u201cclear\u201d case, according to the caf\u00e9 owner\u2019s"),
        ("latin1.txt", "r\u00e9sum\u00e9 of the na\u00efve d\u00e9l\u00e9gu\u00e9 in Z\u00fcrich"),
    ],
)
def test_legacy_encodings_are_detected(name: str, needle: str) -> None:
    assert needle in read_article(GOOD / "notes" / "legacy" / name).text


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Title\n2021-01-02\nBody text \u00e9.\n".encode("utf-16"))
    article = read_article(path)
    assert article.title == "Title" and article.published == date(2021, 1, 2)


def test_jsonl_lines_are_articles_named_by_id_or_line() -> None:
    articles, skipped = read_articles(GOOD / "exports" / "feed.jsonl")
    assert skipped == []
    assert [a.file for a in articles] == ["feed.jsonl#a1", "feed.jsonl#2", "feed.jsonl#3"]
    first = articles[0]
    assert first.text == (
        "Meta removes fake accounts tied to Ethiopia\n2021-06-16\n"
        "Meta removed more than a thousand fake accounts tied to Ethiopia.\n"
        "The accounts posted about the election.\n"
    )


def test_bad_inputs_each_get_one_line_naming_file_and_problem() -> None:
    articles, skipped = ingest(corpus_files(BAD), root=BAD)
    # the good line of the mixed export and the near-duplicate (alone here) still ingest
    assert sorted(a.file for a in articles) == ["mixed.jsonl#ok1", "near_dup.txt"]
    reasons = {
        Path(s.path.split(":")[0]).name + s.path[len(s.path.split(":")[0]) :]: s.reason for s in skipped
    }
    expected = {
        "bad_date.html": "unparseable date 'sometime last spring' in <meta \"article:published_time\">",
        "binary.txt": "binary file",
        "empty.txt": "empty file",
        "mixed.jsonl:2": "invalid JSONL line (Unterminated string",
        "mixed.jsonl:3": "unparseable date 'the day after tomorrow' in 'published'",
        "mixed.jsonl:4": "JSONL record has no 'text'",
        "mixed.jsonl:5": "JSONL line is not an object",
        "no_text.html": "no article text found in the HTML",
    }
    assert set(reasons) == set(expected)
    for key, problem in expected.items():
        reason = reasons[key]
        assert str(BAD / key.split(":")[0]) in reason and problem in reason, reason
        assert "\n" not in reason


def test_near_duplicate_across_folders_is_counted_once() -> None:
    articles, skipped = ingest_corpus(FORMATS)
    dupes = [s.reason for s in skipped if "duplicate" in s.reason]
    assert dupes == [f"{GOOD / 'notes/legacy/cp1252.txt'}: near-duplicate of bad/near_dup.txt (same words)"
        ": same text, recorded as another report of its takedowns"]
    assert sum("130 Cuban accounts" in a.text or "130 cuban accounts" in a.text for a in articles) == 1


def test_byte_identical_copies_in_nested_folders(tmp_path: Path) -> None:
    for sub in ("a", "b/c"):
        (tmp_path / sub).mkdir(parents=True)
        shutil.copy(GOOD / "web" / "youtube.htm", tmp_path / sub / "youtube.htm")
    articles, skipped = ingest_corpus(tmp_path)
    assert [a.file for a in articles] == ["a/youtube.htm"]
    assert [s.reason for s in skipped] == [f"{tmp_path / 'b/c/youtube.htm'}: duplicate of a/youtube.htm"]


def test_same_base_name_in_two_folders_stays_unique(tmp_path: Path) -> None:
    for sub, body in (("x", "Body one is here."), ("y", "Body two is different.")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "same.txt").write_text(f"Title\n{body}\n", encoding="utf-8")
    articles, _ = ingest_corpus(tmp_path)
    assert [a.file for a in articles] == ["x/same.txt", "y/same.txt"]


def test_minhash_flags_a_one_word_edit_but_not_a_rewrite() -> None:
    words = [f"w{(i * 7919) % 1009}" for i in range(400)]
    edited = list(words)
    edited[200] = "changed"
    rewritten = [w if i % 8 else "other" for i, w in enumerate(words)]
    dedup = Deduplicator()
    assert dedup.check(compose_article("T", None, " ".join(words), "a", "a")) is None
    reason = dedup.check(compose_article("T", None, " ".join(edited), "b", "b"))
    assert reason is not None and reason.startswith("near-duplicate of a (similarity")
    assert dedup.check(compose_article("T", None, " ".join(rewritten), "c", "c")) is None


def test_signatures_compare_as_numpy_does_and_without_it() -> None:
    """The check reads stored signatures (little-endian uint64) without importing numpy: a
    rebuild from the cache compares fingerprints only. Its similarity is numpy's mean."""
    import subprocess
    import sys

    import numpy as np

    from kg.ingest.duplicates import _same_values, fingerprint

    words = [f"w{(i * 7919) % 1009}" for i in range(400)]
    a = fingerprint(compose_article("T", None, " ".join(words), "a", "a")).signature
    b = fingerprint(compose_article("T", None, " ".join(words[:390] + ["x"] * 10), "b", "b")).signature
    na, nb = np.frombuffer(a, dtype="<u8"), np.frombuffer(b, dtype="<u8")
    expected = float((na == nb).mean())
    assert 0.9 < expected < 1.0
    assert _same_values(int.from_bytes(a, "little"), int.from_bytes(b, "little")) / len(na) == expected
    for i in (0, 5, 127):  # one value differs in a single byte, its lowest or highest
        for byte in (0, 7):
            c = bytearray(a)
            c[i * 8 + byte] ^= 0x01
            assert _same_values(int.from_bytes(a, "little"), int.from_bytes(bytes(c), "little")) == 127
    code = (
        "import sys\n"
        "from kg.ingest.duplicates import Deduplicator, Fingerprint\n"
        f"fa, fb = Fingerprint('a', 'a', 'x', {a!r}), Fingerprint('b', 'b', 'y', {b!r})\n"
        "d = Deduplicator(); assert d.check(fa) is None; print(d.check(fb))\n"
        "assert 'numpy' not in sys.modules\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == f"near-duplicate of a (similarity {expected:.2f})"


def test_jsonl_repeated_id_and_lone_surrogate(tmp_path: Path) -> None:
    path = tmp_path / "e.jsonl"
    rows = [
        {"id": "x", "text": "Body one, long enough."},
        {"id": "x", "text": "Another body."},
        {"id": "y", "title": "Sur\ud800rogate", "text": "Lone \udc00 half."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    articles, skipped = read_articles(path)
    assert [a.file for a in articles] == ["e.jsonl#x", "e.jsonl#y"]
    assert [s.reason for s in skipped] == [f"{path}:2: id repeats line 1"]
    articles[1].text.encode("utf-8")  # lone surrogates were replaced, so every writer can encode


def test_file_over_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest_module, "MAX_BYTES", 100)
    path = tmp_path / "big.txt"
    path.write_text("Title\n" + "word " * 100, encoding="utf-8")
    with pytest.raises(InputError, match=r"big\.txt: file is 506 bytes, over the 100-byte limit"):
        read_article(path)


def test_control_character_soup_is_binary(tmp_path: Path) -> None:
    path = tmp_path / "soup.txt"
    path.write_bytes(bytes(range(1, 32)) * 20 + b"Title\n")
    with pytest.raises(InputError, match="binary file"):
        read_article(path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("2021-03-04", date(2021, 3, 4)),
        ("2021-03-04T10:00:00Z", date(2021, 3, 4)),
        ("2021-03-04T10:00:00.123+05:30", date(2021, 3, 4)),
        ("March 4, 2021", date(2021, 3, 4)),
        ("4 March 2021", date(2021, 3, 4)),
    ],
)
def test_published_values(value: str | None, expected: date | None) -> None:
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["yesterday", "2021-13-45", "not a date", 20210304, ["2021-03-04"]])
def test_unparseable_published_values(value: object) -> None:
    with pytest.raises(ValueError, match="unparseable date"):
        parse_published(value)


def test_strict_lists_every_skip_on_one_line() -> None:
    _, skipped = ingest_corpus(BAD)
    with pytest.raises(InputError) as exc:
        raise_if_skipped(skipped)
    message = str(exc.value)
    assert message.startswith(f"{len(skipped)} input(s) skipped (--strict): ")
    assert "empty.txt: empty file" in message and "\n" not in message
    raise_if_skipped([])  # nothing skipped: no error


def test_missing_corpus_folder_names_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope: corpus folder does not exist"):
        ingest_corpus(tmp_path / "nope")


def test_hostile_file_names_stay_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "evil\nname\u202e.txt"
    path.write_bytes(b"")
    _, skipped = ingest([path])
    assert len(skipped) == 1 and "\n" not in skipped[0].reason and "\u202e" not in skipped[0].reason


@pytest.mark.model
def test_cli_build_lists_skips_and_strict_fails(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["build", str(FORMATS), "--out", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 0, result.output
    skips = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert len(skips) == 9 and any("mixed.jsonl:2: invalid JSONL line" in line for line in skips)
    assert result.stdout.startswith("10 articles")  # 9 read, and the near-duplicate kept as a copy

    params = {p.name for p in typer_command(app, "build").params}
    if "strict" not in params:
        pytest.skip("kg build has no --strict yet (kg/build/pipeline.py and kg/cli.py change pending)")
    result = runner.invoke(app, ["build", str(FORMATS), "--out", str(tmp_path / "strict"), "--strict"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: 9 input(s) skipped (--strict): ")
    assert not (tmp_path / "strict" / "graph.ttl").exists()


def typer_command(app: object, name: str):  # type: ignore[no-untyped-def]
    """The click command typer builds for ``name`` (to see which options it has)."""
    import typer.main

    group = typer.main.get_command(app)  # type: ignore[arg-type]
    return group.commands[name]  # type: ignore[attr-defined]


def test_undecodable_file_name_is_written_safely(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.txt")
    (tmp_path / name).write_text("Title\nBody of the article.\n", encoding="utf-8")
    (tmp_path / os.fsdecode(b"bad\xff.txt")).write_bytes(b"")
    articles, skipped = ingest_corpus(tmp_path)
    assert [a.file for a in articles] == ["caf\ufffd.txt"]
    articles[0].path.encode("utf-8")
    assert len(skipped) == 1 and "bad\\udcff.txt: empty file" in skipped[0].reason
    skipped[0].reason.encode("utf-8")


def test_html_without_a_title_keeps_its_first_line_first(tmp_path: Path) -> None:
    path = tmp_path / "untitled.html"
    path.write_text(
        "<html><head><meta name='date' content='2020-01-02'></head><body><article>"
        "<p>Facebook removed 12 accounts linked to Russia in a coordinated operation this week.</p>"
        "<p>A second paragraph of the report follows here.</p></article></body></html>",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.published == date(2020, 1, 2)
    assert article.text.splitlines()[0] == article.title
    _offsets_point_into_text(article)
