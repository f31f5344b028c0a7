"""Formats: ``.txt``, Markdown, HTML and JSONL exports, each file to ``Article`` records."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

from kg.errors import InputError
from kg.ingest.encodings import MAX_BYTES, _read_bytes, decode
from kg.ingest.files import HTML_SUFFIXES, JSONL_SUFFIXES, MARKDOWN_SUFFIXES, FileRef
from kg.ingest.text import (
    MAX_PARAGRAPH_CHARS,
    Skipped,
    _clean,
    _skip,
    compose_article,
    one_line,
    parse_article,
    parse_published,
)
from kg.records import Article

#: Largest JSONL export read (it holds many articles).
MAX_JSONL_BYTES = 200_000_000
#: Fewest words of main text (title aside) an HTML page needs to count as an article.
MIN_HTML_WORDS = 5


def _read_txt(path: FileRef, file: str) -> Article:
    text = decode(_read_bytes(path, MAX_BYTES), path)
    return parse_article(text, file=file, path=str(path))


_MD_FENCE = re.compile(r"^\s*(```|~~~)")
_MD_RULE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")
_MD_BLOCK = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?)+|^\s*(?:[-*+]|\d+[.)])\s+")
_MD_TRAILING_HASHES = re.compile(r"\s+#+\s*$")
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_MD_CODE = re.compile(r"`([^`]+)`")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")


def markdown_to_text(markdown: str) -> tuple[str, dict[str, str]]:
    """Plain text of a Markdown article, one block per line, and its front-matter fields."""
    lines = _clean(markdown).split("\n")
    meta: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            for row in lines[1:end]:
                key, sep, value = row.partition(":")
                if sep and key.strip():
                    meta[key.strip().lower()] = value.strip().strip("'\"")
            lines = lines[end + 1 :]
    out: list[str] = []
    joinable = False  # the last output line is prose a wrapped line continues
    for line in lines:
        if _MD_FENCE.match(line) or _MD_RULE.match(line) or not line.strip():
            out.append("")
            joinable = False
            continue
        block = _MD_BLOCK.match(line) is not None
        heading = line.lstrip().startswith("#")
        line = _MD_BLOCK.sub("", line)
        line = _MD_TRAILING_HASHES.sub("", line)
        line = _MD_IMAGE.sub(r"\1", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_AUTOLINK.sub(r"\1", line)
        line = _MD_CODE.sub(r"\1", line)
        line = _MD_EMPHASIS.sub(r"\2", line).strip()
        if joinable and not block:  # hard-wrapped prose: one paragraph is one line
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        joinable = not heading
    return "\n".join(out), meta


def _read_markdown(path: FileRef, file: str) -> Article:
    text, meta = markdown_to_text(decode(_read_bytes(path, MAX_BYTES), path))
    if "date" in meta or "published" in meta:
        raw_date = meta.get("date") or meta.get("published")
        try:
            published = parse_published(raw_date)
        except ValueError as exc:
            raise InputError(f"{path}: {exc} in the front matter") from None
        return compose_article(meta.get("title"), published, text, file, str(path))
    if meta.get("title"):
        return compose_article(meta["title"], None, text, file, str(path))
    return parse_article(text, file=file, path=str(path))


#: Meta tags (name, property or itemprop) that carry a page's publication date.
DATE_METAS = frozenset(
    {
        "article:published_time",
        "og:published_time",
        "datepublished",
        "date",
        "pubdate",
        "publishdate",
        "publish-date",
        "publication_date",
        "dc.date",
        "dc.date.issued",
        "dcterms.created",
        "dcterms.date",
        "sailthru.date",
        "parsely-pub-date",
    }
)


def _date_metas(html: str) -> list[tuple[str, str]]:
    """(tag key, content) of the page's date meta tags, parsed with lxml."""
    import lxml.html
    from lxml import etree

    try:
        tree = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    found = []
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key in DATE_METAS:
            found.append((key, meta.get("content") or ""))
    return found


def html_fields(html: str) -> tuple[str | None, str | None, str]:
    """(title, ISO date or None, main text) of a page, from trafilatura's ``bare_extraction``."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_images=False,
        date_extraction_params={"original_date": True, "extensive_search": False},
    )
    if doc is None:
        return None, None, ""
    return doc.title, doc.date, doc.text or ""


def _read_html(path: FileRef, file: str) -> Article:
    html = decode(_read_bytes(path, MAX_BYTES), path)
    try:
        title, iso, body = html_fields(html)
    except Exception as exc:  # noqa: BLE001 - lxml/trafilatura raise many types on broken pages
        detail = one_line(str(exc))[:120] or type(exc).__name__
        raise InputError(f"{path}: cannot parse the HTML ({detail})") from None
    words = sum(len(ln.split()) for ln in body.splitlines() if ln.strip() != (title or "").strip())
    if words < MIN_HTML_WORDS:  # a menu or a title alone is not an article
        raise InputError(f"{path}: no article text found in the HTML")
    published: date | None = None
    if iso:
        try:
            published = parse_published(iso)
        except ValueError:
            published = None
    if published is None:
        for key, content in _date_metas(html):
            try:
                published = parse_published(content)
            except ValueError as exc:
                raise InputError(f'{path}: {exc} in <meta "{key}">') from None
            if published is not None:
                break
    return compose_article(title, published, body, file, str(path))


def _jsonl_article(line: str, n: int, path: FileRef, base: str) -> Article:
    """One export line as an article; ``InputError`` names the file and line."""
    where = f"{path}:{n}"
    if len(line.encode("utf-8", "replace")) > MAX_BYTES:
        raise InputError(f"{where}: JSONL line is over the {MAX_BYTES}-byte limit")
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(f"{where}: invalid JSONL line ({exc.msg}, column {exc.colno})") from None
    except RecursionError:
        raise InputError(f"{where}: invalid JSONL line (nested too deeply)") from None
    if not isinstance(row, dict):
        raise InputError(f"{where}: JSONL line is not an object")
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: JSONL record has no 'text'")
    title = row.get("title")
    if title is not None and not isinstance(title, str):
        raise InputError(f"{where}: 'title' must be a string")
    ident = row.get("id")
    if ident is not None and not isinstance(ident, str | int | float) or isinstance(ident, bool):
        raise InputError(f"{where}: 'id' must be a string or a number")
    try:
        published = parse_published(row.get("published"))
    except ValueError as exc:
        raise InputError(f"{where}: {exc} in 'published'") from None
    name = str(ident).strip() if ident is not None and str(ident).strip() else str(n)
    return compose_article(title, published, text, f"{base}#{name}", where)


def _read_jsonl(path: FileRef, file: str) -> tuple[list[Article], list[Skipped]]:
    """Every good line of an export; a bad line is skipped with its line number."""
    text = decode(_read_bytes(path, MAX_JSONL_BYTES), path)
    articles: list[Article] = []
    skipped: list[Skipped] = []
    names: dict[str, int] = {}
    # split on "\n" only: JSON strings may hold U+2028, which str.splitlines would break on
    for n, line in enumerate(text.split("\n"), start=1):
        line = line.strip("\r")
        if not line.strip():
            continue
        try:
            article = _jsonl_article(line, n, path, file)
        except InputError as exc:
            skipped.append(_skip(f"{path}:{n}", str(exc)))
            continue
        if article.file in names:
            skipped.append(_skip(f"{path}:{n}", f"{path}:{n}: id repeats line {names[article.file]}"))
            continue
        names[article.file] = n
        articles.append(article)
    if not articles and not skipped:
        raise InputError(f"{path}: empty file")
    return articles, skipped


def read_articles(path: FileRef, file: str | None = None) -> tuple[list[Article], list[Skipped]]:
    """Articles of one file (a JSONL export holds many) and the lines skipped in it.

    ``file`` is the stable name articles carry (default: the base name). Raises ``InputError``
    when the whole file is unusable.
    """
    file = file or path.name
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        found, skipped = _read_jsonl(path, file)
    elif suffix in HTML_SUFFIXES:
        found, skipped = [_read_html(path, file)], []
    elif suffix in MARKDOWN_SUFFIXES:
        found, skipped = [_read_markdown(path, file)], []
    else:
        found, skipped = [_read_txt(path, file)], []
    kept = []
    for article in found:
        longest = max((len(p.text) for p in article.paragraphs), default=0)
        if longest <= MAX_PARAGRAPH_CHARS:
            kept.append(article)
            continue
        where = str(path) if len(found) == 1 else f"{path} ({article.id})"
        reason = (f"{where}: a paragraph of {longest:,} characters, over the "
                  f"{MAX_PARAGRAPH_CHARS:,}-character limit (parsing it would take gigabytes of memory); "
                  "split it into paragraphs")
        if len(found) == 1:
            raise InputError(reason)
        skipped.append(_skip(str(path), reason))
    return kept, skipped


def read_article(path: Path) -> Article:
    """Read one single-article file; raise ``InputError`` with a one-line reason naming it."""
    articles, skipped = read_articles(path)
    if skipped:
        raise InputError(skipped[0].reason)
    if len(articles) != 1:
        raise InputError(f"{path}: holds {len(articles)} articles, not one")
    return articles[0]


