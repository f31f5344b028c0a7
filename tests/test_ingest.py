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
        ("Headline\nHeadline\nMarch 4, 2021\nBody.", "Headline", date(2021, 3, 4)),  # repeated headline
        ("Headline\nA subtitle of the piece\n4 March 2021\nBody.", "Headline", date(2021, 3, 4)),
        ("Headline\nMarch 4, 2021 The platform removed two networks.\n", "Headline", date(2021, 3, 4)),
        ("Headline\nA lead sentence.\n2021-03-04 — The platform said.\n", "Headline", date(2021, 3, 4)),
        ("Headline\nA lead.\nA second line.\nMarch 4, 2021 The platform said.\n", "Headline", None),
        ("Headline\nMarch 4 The platform removed two networks.\n", "Headline", None),  # no year
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


@pytest.mark.parametrize(
    "line",
    ["Read More", "Read more about it", "Subscribe to our podcast now", "Dear readers,", "Dear readers, hi",
     "A Message from The Example Times:", "Facebook removed 5 pages.", "read more", "", "Remind me later.",
     "Support us today", "Disclaimer: none", "Follow TicToc on Twitter:", "A real sentence."],
)
def test_the_joined_boilerplate_test_matches_where_a_rule_does(line: str) -> None:
    """Lines are first tested against all rules joined in one pattern, then (if it matches)
    rule by rule: the joined pattern must match exactly where some rule does."""
    from kg.ingest.text import _any_boilerplate, _boilerplate_rules

    joined = _any_boilerplate()
    assert joined is not None  # the shipped rules join
    assert (joined.match(line) is not None) == any(r.pattern.match(line) for r in _boilerplate_rules())


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


# -- corpora behind fsspec URLs -----------------------------------------------------------


def _nested_corpus(root: Path) -> None:
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(
        "Meta removes network\n\nMay 1, 2021\n\nMeta removed 12 accounts.\n", "utf-8"
    )
    markdown = "# Twitter suspends accounts\n\nTwitter suspended 40 accounts.\n"
    (root / "sub" / "b.md").write_text(markdown, "utf-8")
    (root / "sub" / "notes.csv").write_text("not,an,article\n", "utf-8")
    (root / "dup.txt").write_bytes((root / "a.txt").read_bytes())


def test_file_url_corpus_reads_like_the_folder(tmp_path: Path) -> None:
    from kg.ingest import RemoteFile, as_corpus, ingest_corpus

    _nested_corpus(tmp_path / "c")
    url = (tmp_path / "c").as_uri()
    assert as_corpus(url) == url and as_corpus("corpus") == Path("corpus")
    files = corpus_files(url)
    assert all(isinstance(f, RemoteFile) for f in files)
    assert [f.relative for f in files] == ["a.txt", "dup.txt", "sub/b.md"]
    local, local_skips = ingest_corpus(tmp_path / "c")
    remote, remote_skips = ingest_corpus(url)
    assert [a.file for a in remote] == [a.file for a in local] == ["a.txt", "sub/b.md"]
    assert [(a.id, a.title, a.text) for a in remote] == [(a.id, a.title, a.text) for a in local]
    assert [s.reason.split(": ", 1)[1] for s in remote_skips] == ["duplicate of a.txt"]
    assert remote_skips[0].path == f"{url}/dup.txt" and local_skips[0].path == str(tmp_path / "c" / "dup.txt")


def test_url_errors_are_one_line_input_errors(tmp_path: Path) -> None:
    missing = (tmp_path / "nowhere").as_uri()
    with pytest.raises(InputError, match="nowhere: corpus folder does not exist"):
        corpus_files(missing)
    with pytest.raises(InputError, match="zzz://x: cannot open this URL"):
        corpus_files("zzz://x")


def test_ftp_corpus_is_read_over_the_network(ftp_root) -> None:  # type: ignore[no-untyped-def]
    from kg.ingest import ingest_corpus

    folder, url = ftp_root
    _nested_corpus(folder / "c")
    articles, skipped = ingest_corpus(f"{url}/c")
    assert [a.file for a in articles] == ["a.txt", "sub/b.md"]
    assert articles[0].title == "Meta removes network" and articles[0].published == date(2021, 5, 1)
    assert [s.path for s in skipped] == [f"{url}/c/dup.txt"]
    (folder / "c" / "big.txt").write_bytes(b"x" * 6_000_000)
    _, skipped = ingest_corpus(f"{url}/c")
    too_big = f"{url}/c/big.txt: file is 6000000 bytes, over the 5000000-byte limit"
    assert any(s.reason == too_big for s in skipped)


@pytest.mark.parametrize(
    ("text", "estimated"),
    [
        ("Headline\nIn a photo taken on Aug 21, 2019, protesters gather.\nOn June 12, 2019 it began.\n",
         date(2019, 8, 21)),
        ("Headline\nThe accounts were removed on Monday, the company said.\n", None),  # nothing to place
        ("Headline\nIt was removed on December 5 and again on 2020-01-02.\n", date(2020, 1, 2)),
        ("Headline\n2021-03-04\nOn Aug 21, 2022 it was removed.\n", None),  # a date line: no estimate
    ],
)
def test_an_undated_articles_estimated_date_is_the_latest_full_date_it_writes(
    text: str, estimated: date | None
) -> None:
    assert parse_article(text, file="a.txt").meta.estimated == estimated


def test_a_near_duplicate_is_kept_as_a_copy_and_an_exact_duplicate_is_not(tmp_path: Path) -> None:
    """A republished text under another headline is another report (``Deduplicator.copy``);
    the same file twice is one article."""
    from kg.ingest import Deduplicator, fingerprint

    body = " ".join(
        f"In update {k} the platform said it removed a network of accounts that posed as local news"
        f" outlets, ran pages for fake groups number {k} and bought advertising to reach voters."
        for k in range(12)
    ) + "\n"
    texts = {"a.txt": f"First headline\n2021-03-04\n{body}", "b.txt": f"Second headline\n2021-03-05\n{body}"}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "c.txt").write_text(texts["a.txt"], encoding="utf-8")
    a, b, c = (read_article(tmp_path / n) for n in ("a.txt", "b.txt", "c.txt"))
    dedup = Deduplicator()
    skipped: list = []
    assert dedup.admit(a, fingerprint(a), skipped) and dedup.copy(a) is None
    assert not dedup.admit(b, fingerprint(b), skipped)
    copy = dedup.copy(b)
    assert copy is not None and copy.article.copy_of == a.id and copy.article.file == "b.txt"
    assert copy.article.title == "Second headline" and copy.article.published == date(2021, 3, 5)
    assert not dedup.admit(c, fingerprint(c), skipped) and dedup.copy(c) is None
    import re

    near, exact = (s.reason.split(": ", 1)[1] for s in skipped)
    assert re.fullmatch(
        r"near-duplicate of a\.txt \(similarity 0\.9\d\): "
        r"same text, recorded as another report of its takedowns",
        near,
    )
    assert exact == "duplicate of a.txt"


@pytest.mark.model
def test_a_build_lists_a_republished_copy_as_another_source_of_its_takedown(tmp_path: Path) -> None:
    """The copy is not parsed, but events.jsonl has its own line (its file, title and date)
    with the original's takedown, in the same event; the graph counts one takedown, two sources."""
    import json

    from typer.testing import CliRunner

    from kg.cli import app

    lead = "Twitter said on Thursday it removed 312 accounts linked to Iran that posed as local reporters."
    body = " ".join(
        [lead] + [f"Part {k} of the report tells how the network posted about the vote and shared links"
                  f" to the same sites, item {k}." for k in range(20)]
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(f"Twitter removes accounts\n2021-03-04\n{body}\n", encoding="utf-8")
    (corpus / "b.txt").write_text(f"Accounts removed, Twitter says\n2021-03-05\n{body}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["build", str(corpus), "--out", str(tmp_path / "out"), "--no-html"])
    assert result.exit_code == 0, result.output
    assert "b.txt: near-duplicate of a.txt" in result.stderr and "another report" in result.stderr
    assert result.stdout.startswith("2 articles, 1 takedowns")
    rows = [json.loads(line) for line in (tmp_path / "out" / "events.jsonl").read_text().splitlines()]
    assert [(r["file"], r["title"], r["published"]) for r in rows] == [
        ("a.txt", "Twitter removes accounts", "2021-03-04"),
        ("b.txt", "Accounts removed, Twitter says", "2021-03-05"),
    ]
    (first,), (second,) = (r["takedowns"] for r in rows)
    assert first["event"] == second["event"] and first["accounts"] == second["accounts"] == 312
    assert first["evidence"] == second["evidence"]
