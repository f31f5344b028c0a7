"""Ingest: read corpus files into ``Article`` records (title, published date, kept paragraphs).

Article text is kept verbatim (evidence offsets point into it); boilerplate lines are only
left out of the paragraphs the extractor reads. Ids hash the normalised text, so the same
article under two file names is detected as a duplicate.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.dates import parse_date_line
from kg.errors import InputError
from kg.records import Article, Paragraph

MAX_BYTES = 5_000_000
SUFFIXES = (".txt",)


@dataclass(frozen=True)
class Skipped:
    """A file that was not ingested, and why (one line)."""

    path: str
    reason: str


@dataclass(frozen=True)
class _Rule:
    action: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def _boilerplate_rules() -> tuple[_Rule, ...]:
    text = resources.files("kg.data").joinpath("boilerplate.jsonl").read_text("utf-8")
    rules = []
    for line in text.splitlines():
        if line.strip():
            row = json.loads(line)
            rules.append(_Rule(row["action"], re.compile(row["pattern"])))
    return tuple(rules)


def normalise(text: str) -> str:
    """The form ids are computed on: NFC, one space between words, case kept."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def article_id(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:16]


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) pairs, offsets into ``text``."""
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, line.rstrip("\r\n")
        pos += len(line)


def _kept_paragraphs(text: str, skip_to: int) -> tuple[Paragraph, ...]:
    """Each non-boilerplate line from ``skip_to`` on is a paragraph (news text is one per line)."""
    rules = _boilerplate_rules()
    kept: list[Paragraph] = []
    seen: set[str] = set()
    for offset, line in _lines(text):
        if offset < skip_to:
            continue
        stripped = line.strip()
        rule = next((r for r in rules if r.pattern.match(stripped)), None)
        if rule is not None and rule.action == "truncate":
            break
        if rule is not None or not stripped:
            continue
        if stripped in seen:  # repeated headline or caption: read once
            continue
        seen.add(stripped)
        lead = len(line) - len(line.lstrip())
        kept.append(Paragraph(start=offset + lead, text=stripped))
    return tuple(kept)


def parse_article(text: str, file: str, path: str = "") -> Article:
    """Split a ``.txt`` article: title line, optional date line, body."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise InputError(f"{path or file}: empty file")
    lines = [(o, ln) for o, ln in _lines(text) if ln.strip()]
    title = lines[0][1].strip()
    published: date | None = None
    if len(lines) > 1:
        published = parse_date_line(lines[1][1])
    # The title is read too: many scraped files have body text on line 1.
    paragraphs = _kept_paragraphs(text, 0)
    return Article(
        id=article_id(text),
        file=file,
        path=path or file,
        title=title,
        published=published,
        text=text,
        paragraphs=paragraphs,
    )


def read_article(path: Path) -> Article:
    """Read one file; raise ``InputError`` with a one-line reason naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{path}: file is {size} bytes, over the {MAX_BYTES}-byte limit")
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if b"\x00" in raw[:8192]:
        raise InputError(f"{path}: binary file, not text")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return parse_article(text, file=path.name, path=str(path))


def corpus_files(corpus: Path) -> list[Path]:
    """Article files under ``corpus`` (recursively), in a stable order."""
    if not corpus.exists():
        raise InputError(f"{corpus}: corpus folder does not exist")
    if corpus.is_file():
        return [corpus]
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


def ingest(paths: Iterable[Path]) -> tuple[list[Article], list[Skipped]]:
    """Read every file; bad files and duplicates are skipped with a reason, never fatal."""
    articles: list[Article] = []
    skipped: list[Skipped] = []
    seen: dict[str, str] = {}
    for path in paths:
        try:
            article = read_article(path)
        except InputError as exc:
            skipped.append(Skipped(str(path), str(exc)))
            continue
        if article.id in seen:
            skipped.append(Skipped(str(path), f"{path}: duplicate of {seen[article.id]}"))
            continue
        seen[article.id] = article.file
        articles.append(article)
    return articles, skipped
