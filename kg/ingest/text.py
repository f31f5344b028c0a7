"""Text to articles: line ends, boilerplate, kept paragraphs, ids, dates, one-line reasons.

Article text is the text evidence offsets point into; every format ends here.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from kg.errors import InputError
from kg.ingest.textdate import read_text_date
from kg.lexicon.gazetteer import data_rows
from kg.records import Article, Paragraph
from kg.util.dates import leading_date, parse_date_line


@dataclass(frozen=True)
class Skipped:
    """A file (or JSONL line) that was not ingested, and why (one line)."""

    path: str
    reason: str


@dataclass(frozen=True)
class _Rule:
    action: str
    pattern: re.Pattern[str]


@lru_cache(maxsize=1)
def _boilerplate_rules() -> tuple[_Rule, ...]:
    return tuple(_Rule(row["action"], re.compile(row["pattern"])) for row in data_rows("boilerplate.jsonl"))


@lru_cache(maxsize=1)
def _any_boilerplate() -> re.Pattern[str] | None:
    """One pattern that matches where any rule does: most lines match none, and one search
    tells so instead of one per rule. None if the rules cannot be joined (a global flag)."""
    try:
        return re.compile("|".join(f"(?:{r.pattern.pattern})" for r in _boilerplate_rules()))
    except re.error:
        return None


def normalise(text: str) -> str:
    """The form ids are computed on: NFC, one space between words, case kept."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def article_id(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:16]


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")


def one_line(text: str) -> str:
    """``text`` safe for a one-line message: controls, line breaks and bidi marks as escapes,
    undecodable file-name bytes (lone surrogates) as ``\\udcxx``."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _printable_name(name: str) -> str:
    """A file name every writer can encode: undecodable bytes become U+FFFD."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _clean(text: str) -> str:
    """Unify line ends, drop a BOM and replace lone surrogates (JSON ``\\ud800``) so it encodes."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) pairs, offsets into ``text``."""
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, line.rstrip("\r\n")
        pos += len(line)


def _kept_paragraphs(text: str, skip_to: int) -> tuple[Paragraph, ...]:
    """Each non-boilerplate line from ``skip_to`` on is a paragraph (news text is one per line)."""
    rules, any_rule = _boilerplate_rules(), _any_boilerplate()
    kept: list[Paragraph] = []
    seen: set[str] = set()
    for offset, line in _lines(text):
        if offset < skip_to:
            continue
        stripped = line.strip()
        rule = None
        if any_rule is None or any_rule.match(stripped) is not None:
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
    text = _clean(text)
    if not text.strip():
        raise InputError(f"{path or file}: empty file")
    lines = [(o, ln) for o, ln in _lines(text) if ln.strip()]
    title = lines[0][1].strip()
    published = _published(title, [ln for _, ln in lines[1:6]])
    # The title is read too: many scraped files have body text on line 1.
    paragraphs = _kept_paragraphs(text, 0)
    return Article(
        id=article_id(text),
        file=file,
        path=_printable_name(path or file),
        title=title,
        published=published,
        text=text,
        paragraphs=paragraphs,
        text_date=_text_date(published, paragraphs),
    )


def _published(title: str, body: list[str]) -> date | None:
    """The date line: one of the first two body lines (a headline repeated under itself is
    skipped), or a dateline that opens one of them ("February 28, 2022 Facebook said").
    A date inside prose ("On March 4, 2021 the platform ...") is not the article's date."""
    body = [ln for ln in body if ln.strip() != title.strip()][:2]
    for read in (parse_date_line, leading_date):
        for line in body:
            if (found := read(line)) is not None:
                return found
    return None


def compose_article(title: str | None, published: date | None, body: str, file: str, path: str) -> Article:
    """An article from separate fields: text is ``title``, ISO date and body, one per line.

    The title is folded to one line so it stays the first line; offsets point into the result.
    """
    body = _clean(body).strip("\n")
    head = " ".join(_clean(title or "").split())
    if not body.strip():
        raise InputError(f"{path}: no article text")
    if not head:  # no title given: the first line of the body is the title, still first
        first, _, body = body.lstrip("\n").partition("\n")
        head = first.strip()
    lines = [head]
    if published is not None:
        lines.append(published.isoformat())
    text = "\n".join([*lines, body]) + "\n" if body.strip() else "\n".join(lines) + "\n"
    paragraphs = _kept_paragraphs(text, 0)
    return Article(
        id=article_id(text),
        file=file,
        path=_printable_name(path),
        title=head,
        published=published,
        text=text,
        paragraphs=paragraphs,
        text_date=_text_date(published, paragraphs),
    )


def _text_date(published: date | None, paragraphs: tuple[Paragraph, ...]) -> str | None:
    """Only an article with no date line gets one; boilerplate (a footer's copyright year) is
    not read."""
    if published is not None:
        return None
    return read_text_date("\n".join(p.text for p in paragraphs))


# --------------------------------------------------------------------------------------
# Dates


def parse_published(value: Any) -> date | None:
    """A published date from an export field or meta tag; ``ValueError`` if it is not a date.

    ``None`` and empty strings mean no date; ISO dates and datetimes (with ``Z`` or an offset)
    and the date lines :func:`kg.util.dates.parse_date_line` reads are dates.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValueError(f"unparseable date {value!r}")
    text = value.strip()
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        pass
    if len(text) > 10 and text[10] in "T ":  # an ISO datetime with a zone Python does not read
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            pass
    found = parse_date_line(text)
    if found is None:
        raise ValueError(f"unparseable date {one_line(text[:80])!r}")
    return found


def _skip(path: str, reason: str) -> Skipped:
    return Skipped(one_line(path), one_line(reason))


#: Longest paragraph parsed: the parser's memory grows with a paragraph's length (a
#: 200,000-character paragraph takes a worker to about 850 MB, 2.4M characters to 6.5 GB), so an
#: article with a longer paragraph is skipped with one line (split it into paragraphs).
MAX_PARAGRAPH_CHARS = 200_000
#: Longest text handed to the parser in one piece (spaCy needs ~1 GB per 100,000 characters).
PART_CHARS = 100_000
#: Where a long paragraph is cut, best first: sentence ends, then clause breaks, then spaces.
_CUTS = (
    re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"),
    re.compile(r"[;:,]\s+|\s[-\u2013\u2014]\s"),
    re.compile(r"\s+"),
)


def split_long_text(text: str, limit: int) -> list[tuple[int, str]]:
    """``text`` as (offset, part) pairs of at most ``limit`` characters each.

    Cut after the last sentence end in the second half of the window, else the last clause
    break, else the last space; a hard cut only where there is none (one 'word' over half the
    limit). Parts are ``text[offset:offset + len(part)]`` with outer spaces left out, so facts
    found in a part keep their offsets in the whole text.
    """
    if len(text) <= limit:
        return [(0, text)]
    parts: list[tuple[int, str]] = []
    pos = 0
    while pos < len(text):
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if len(text) - pos <= limit:
            end = len(text)
        else:
            window = text[pos : pos + limit + 1]  # one more: a space right after the limit is a cut
            end = pos + limit
            for pattern in _CUTS:
                found = [m.end() for m in pattern.finditer(window, limit // 2)]
                if found:
                    end = pos + found[-1]
                    break
        part = text[pos:end].rstrip()
        if part:
            parts.append((pos, part))
        pos = end
    return parts
