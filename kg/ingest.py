"""Ingest: read corpus files into ``Article`` records (title, published date, kept paragraphs).

Formats (by suffix, from nested folders): ``.txt`` (title line, optional date line, body),
``.md``/``.markdown`` (the same after removing Markdown markup; front matter ``title:`` and
``date:`` are read), ``.html``/``.htm`` (main text, title and date found by trafilatura) and
``.jsonl`` exports (one article per line: ``id``, ``url``, ``title``, ``published``, ``text``).

Article text is the text evidence offsets point into. For ``.txt`` it is the file verbatim;
for the other formats it is built as ``title + "\\n" + ISO date + "\\n" + body``, so the title
comes first and a reader can check every offset against ``Article.text`` alone. Boilerplate
lines are only left out of the paragraphs the extractor reads.

Bad input never stops a build: each bad file (or bad JSONL line) becomes a ``Skipped`` with a
one-line reason naming it; :func:`raise_if_skipped` turns skips into an error for ``--strict``.
Ids hash the normalised text, so the same article under two file names is a duplicate; an
article whose words match an earlier one's (case, punctuation, boilerplate and date format
aside), or whose MinHash similarity is >= 0.9, is a near-duplicate and is also read once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from kg.dates import parse_date_line
from kg.errors import InputError
from kg.records import Article, ArticleMeta, Paragraph

#: Largest single-article file (and largest JSONL line) read; bigger ones are skipped.
MAX_BYTES = 5_000_000
#: Largest JSONL export read (it holds many articles).
MAX_JSONL_BYTES = 200_000_000
TEXT_SUFFIXES = (".txt",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
#: Fewest words of main text (title aside) an HTML page needs to count as an article.
MIN_HTML_WORDS = 5
#: Share of control characters above which a decodable file is still called binary.
MAX_CONTROL_SHARE = 0.1
#: Near-duplicate threshold on the MinHash estimate of word-5-shingle Jaccard similarity.
NEAR_DUPLICATE = 0.9


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
    text = _clean(text)
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
        path=_printable_name(path or file),
        title=title,
        published=published,
        text=text,
        paragraphs=paragraphs,
    )


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
    return Article(
        id=article_id(text),
        file=file,
        path=_printable_name(path),
        title=head,
        published=published,
        text=text,
        paragraphs=_kept_paragraphs(text, 0),
    )


# --------------------------------------------------------------------------------------
# Bytes -> text


def _read_bytes(path: FileRef, limit: int) -> bytes:
    try:
        size = path.size() if isinstance(path, RemoteFile) else path.stat().st_size
        if size > limit:
            raise InputError(f"{path}: file is {size} bytes, over the {limit}-byte limit")
        raw = path.read_bytes()
    except (OSError, TimeoutError) as exc:  # fsspec backends raise OSError subclasses (and timeouts)
        detail = getattr(exc, "strerror", None) or one_line(str(exc)) or type(exc).__name__
        raise InputError(f"{path}: cannot read ({detail})") from None
    if not raw.strip():
        raise InputError(f"{path}: empty file")
    return raw


_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _latin_only(text: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in text if c.isalpha())


def decode(raw: bytes, path: Path | str) -> str:
    """Text of a file: BOM or UTF-8 if valid, else the encoding charset-normalizer detects.

    Western legacy files are usually cp1252 (a superset of latin-1 for printable text), and
    short ones fool detectors into cp1250 or mac_latin2: when both the detected reading and
    the cp1252 reading are Latin script, cp1252 wins.
    """
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
    if encoding is not None:
        try:
            return _checked_text(raw.decode(encoding), path)
        except UnicodeDecodeError:
            raise InputError(f"{path}: binary file, not text (bad {encoding} data)") from None
    if b"\x00" in raw[:8192]:
        raise InputError(f"{path}: binary file, not text")
    try:
        return _checked_text(raw.decode("utf-8"), path)
    except UnicodeDecodeError:
        pass
    import charset_normalizer

    best = charset_normalizer.from_bytes(raw[:MAX_BYTES]).best()
    try:
        western: str | None = raw.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if best is None:  # no encoding reads it as plausible text
        raise InputError(f"{path}: binary file, or text in an unknown encoding")
    detected = str(best)
    if western is not None and _latin_only(detected) and _latin_only(western):
        return _checked_text(western, path)
    return _checked_text(detected, path)


def _checked_text(text: str, path: Path | str) -> str:
    """Reject decodable text that is mostly control characters (a binary file in disguise)."""
    sample = text[:8192]
    controls = sum(1 for c in sample if c < " " and c not in "\t\n\r\f" or "\x7f" <= c <= "\x9f")
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        raise InputError(f"{path}: binary file, not text ({controls} control characters)")
    return text


# --------------------------------------------------------------------------------------
# Dates


def parse_published(value: Any) -> date | None:
    """A published date from an export field or meta tag; ``ValueError`` if it is not a date.

    ``None`` and empty strings mean no date; ISO dates and datetimes (with ``Z`` or an offset)
    and the date lines :func:`kg.dates.parse_date_line` reads are dates.
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


# --------------------------------------------------------------------------------------
# Formats


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
        return _read_jsonl(path, file)
    if suffix in HTML_SUFFIXES:
        return [_read_html(path, file)], []
    if suffix in MARKDOWN_SUFFIXES:
        return [_read_markdown(path, file)], []
    return [_read_txt(path, file)], []


def read_article(path: Path) -> Article:
    """Read one single-article file; raise ``InputError`` with a one-line reason naming it."""
    articles, skipped = read_articles(path)
    if skipped:
        raise InputError(skipped[0].reason)
    if len(articles) != 1:
        raise InputError(f"{path}: holds {len(articles)} articles, not one")
    return articles[0]


# --------------------------------------------------------------------------------------
# Where the corpus is: a local folder (or file), or an fsspec URL


@dataclass(frozen=True)
class RemoteFile:
    """A corpus file behind an fsspec URL (``s3://``, ``ftp://``, ``file://``...).

    Small and picklable: a cluster sends these to workers, which open the file themselves.
    ``relative`` is its path under the corpus URL, the article's stable file name.
    """

    url: str
    relative: str

    def __str__(self) -> str:
        return self.url

    @property
    def name(self) -> str:
        return PurePosixPath(self.relative).name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.relative).suffix

    def size(self) -> int:
        fs, path = _filesystem(self.url)
        return int(fs.size(path))

    def read_bytes(self) -> bytes:
        fs, path = _filesystem(self.url)
        with fs.open(path, "rb") as handle:
            data: bytes = handle.read()
        return data


#: A corpus file: local, or behind a URL.
FileRef = Path | RemoteFile


def is_url(corpus: str | os.PathLike[str]) -> bool:
    """``scheme://...`` (two or more letters, so a Windows drive is not one)."""
    return isinstance(corpus, str) and re.match(r"[A-Za-z][A-Za-z0-9+.-]+://", corpus) is not None


def as_corpus(value: str | os.PathLike[str]) -> Path | str:
    """A corpus argument: a URL stays a string (``Path`` would fold its ``//``), else a Path."""
    return value if isinstance(value, str) and is_url(value) else Path(value)


def _filesystem(url: str) -> tuple[Any, str]:
    """fsspec's filesystem and path for ``url``; ``InputError`` if fsspec or its backend is missing."""
    try:
        import fsspec.core
    except ImportError:
        raise InputError(f"{one_line(url)}: reading a URL needs fsspec (pip install fsspec)") from None
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:
        raise InputError(f"{one_line(url)}: cannot open this URL ({one_line(str(exc))[:160]})") from None


def _remote_files(url: str) -> list[RemoteFile]:
    fs, root = _filesystem(url)
    try:
        if fs.isfile(root):
            return [RemoteFile(url, PurePosixPath(root).name)]
        if not fs.isdir(root):
            raise InputError(f"{one_line(url)}: corpus folder does not exist")
        found = fs.find(root)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"{one_line(url)}: cannot list the corpus ({one_line(str(exc))[:160]})") from None
    base = url.rstrip("/")
    prefix = root.rstrip("/") + "/"
    files = []
    for path in found:
        relative = path[len(prefix) :] if path.startswith(prefix) else PurePosixPath(path).name
        if PurePosixPath(relative).suffix.lower() in SUFFIXES:
            files.append(RemoteFile(f"{base}/{relative}", relative))
    return sorted(files, key=lambda f: f.relative)


def corpus_root(corpus: Path | str) -> Path | None:
    """The folder article names are relative to (``None`` for one file or a URL)."""
    return corpus if isinstance(corpus, Path) and corpus.is_dir() else None


def corpus_files(corpus: Path | str) -> list[Path] | list[RemoteFile]:
    """Article files under ``corpus`` (recursively), in a stable order: a folder, a file or a URL."""
    if isinstance(corpus, str):
        if is_url(corpus):
            return _remote_files(corpus)
        corpus = Path(corpus)
    if not corpus.exists():
        raise InputError(f"{one_line(str(corpus))}: corpus folder does not exist")
    if corpus.is_file():
        return [corpus]
    if not corpus.is_dir():
        raise InputError(f"{one_line(str(corpus))}: not a folder or a file")
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)


# --------------------------------------------------------------------------------------
# Duplicates


_WORD = re.compile(r"\w+")
_SHINGLE = 5
_PERMUTATIONS = 128
_ROWS = 4  # rows per LSH band: 32 bands, so a pair at Jaccard 0.9 shares a band almost surely
_PRIME = 4294967311  # > 2**32: (a * h) % p stays inside uint64 for 32-bit a and h
_MAX_CANDIDATES = 32  # bounded comparison per article


@lru_cache(maxsize=1)
def _permutations() -> tuple[Any, Any]:
    import numpy as np

    rng = np.random.default_rng(20240229)  # fixed: the same corpus always gives the same skips
    a = rng.integers(1, _PRIME - 1, size=_PERMUTATIONS, dtype=np.uint64)
    b = rng.integers(0, _PRIME - 1, size=_PERMUTATIONS, dtype=np.uint64)
    return a, b


def content_words(article: Article) -> list[str]:
    """Lower-cased words of the kept paragraphs, date lines left out: what duplicates compare."""
    words: list[str] = []
    for p in article.paragraphs:
        if parse_date_line(p.text) is None:
            words.extend(w.lower() for w in _WORD.findall(unicodedata.normalize("NFKC", p.text)))
    return words


def minhash(words: list[str]) -> Any:
    """MinHash signature (uint64 array) of the word 5-shingles of ``words``."""
    import numpy as np

    if not words:
        return None
    shingles = {
        zlib.crc32(" ".join(words[i : i + _SHINGLE]).encode("utf-8"))
        for i in range(max(1, len(words) - _SHINGLE + 1))
    }
    h = np.fromiter(sorted(shingles), dtype=np.uint64, count=len(shingles))
    a, b = _permutations()
    return (((a[:, None] * h[None, :]) % np.uint64(_PRIME) + b[:, None]) % np.uint64(_PRIME)).min(axis=1)


@dataclass(frozen=True)
class Fingerprint:
    """What the duplicate check needs of an article, without its text (~1 KB).

    Computed where the text is (a worker, or before a cache entry is written) and kept in
    the cache, so the check runs on a client that never reads the texts and a rebuild does
    not hash unchanged articles again.
    """

    id: str
    file: str
    words: str  # sha256 of the content words, "" when there are none
    signature: bytes  # MinHash signature (uint64, little-endian), b"" when there are no words


def fingerprint(article: Article) -> Fingerprint:
    words = content_words(article)
    key = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest() if words else ""
    signature = minhash(words)
    raw = signature.astype("<u8").tobytes() if signature is not None else b""
    return Fingerprint(article.id, article.file, key, raw)


class Deduplicator:
    """Finds exact, normalised and near duplicates among articles seen so far (in input order)."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.words: dict[str, str] = {}
        self.signatures: list[tuple[str, Any]] = []
        self.bands: dict[tuple[int, bytes], list[int]] = defaultdict(list)

    def admit(self, article: Article | ArticleMeta, fp: Fingerprint, skipped: list[Skipped]) -> bool:
        """Record ``article`` and return True, or add why it is a duplicate to ``skipped``."""
        reason = self.check(fp)
        if reason is not None:
            skipped.append(_skip(article.path, f"{article.path}: {reason}"))
        return reason is None

    def check(self, article: Article | Fingerprint) -> str | None:
        """Why the article is a duplicate of an earlier one, or ``None`` (then it is recorded)."""
        import numpy as np

        fp = article if isinstance(article, Fingerprint) else fingerprint(article)
        if fp.id in self.ids:
            return f"duplicate of {self.ids[fp.id]}"
        if fp.words and fp.words in self.words:
            return f"near-duplicate of {self.words[fp.words]} (same words)"
        signature = np.frombuffer(fp.signature, dtype="<u8") if fp.signature else None
        candidates: list[int] = []
        if signature is not None:
            for band in range(_PERMUTATIONS // _ROWS):
                for j in self.bands.get((band, fp.signature[band * _ROWS * 8 : (band + 1) * _ROWS * 8]), ()):
                    if j not in candidates:
                        candidates.append(j)
                if len(candidates) >= _MAX_CANDIDATES:
                    break
            for j in candidates[:_MAX_CANDIDATES]:
                other, other_sig = self.signatures[j]
                similarity = float((signature == other_sig).mean())
                if similarity >= NEAR_DUPLICATE:
                    return f"near-duplicate of {other} (similarity {similarity:.2f})"
        self.ids[fp.id] = fp.file
        if fp.words:
            self.words[fp.words] = fp.file
        if signature is not None:
            index = len(self.signatures)
            self.signatures.append((fp.file, signature))
            for band in range(_PERMUTATIONS // _ROWS):
                self.bands[(band, fp.signature[band * _ROWS * 8 : (band + 1) * _ROWS * 8])].append(index)
        return None


# --------------------------------------------------------------------------------------
# Corpus


def _skip(path: str, reason: str) -> Skipped:
    return Skipped(one_line(path), one_line(reason))


def _name(path: FileRef, root: Path | None) -> str:
    """Stable article file name: the path under the corpus folder (the base name at its top)."""
    if isinstance(path, RemoteFile):
        return _printable_name(path.relative)
    if root is not None:
        try:
            return _printable_name(path.relative_to(root).as_posix())
        except ValueError:
            pass
    return _printable_name(path.name)


def read_files(
    paths: Iterable[FileRef], root: Path | None = None
) -> Iterator[Article | Skipped | FileRef]:
    """Each file's articles and skipped lines (or the file's own skip), then the file itself.

    One file at a time, so a caller can stream a corpus; the trailing ``Path`` marks the end
    of a file (for progress). ``root`` is the corpus folder, as in :func:`ingest`.
    """
    for path in paths:
        try:
            found, bad = read_articles(path, _name(path, root))
        except InputError as exc:
            yield _skip(str(path), str(exc))
        except (OSError, ValueError, RecursionError, MemoryError) as exc:  # last fence: never a traceback
            yield _skip(str(path), f"{path}: cannot read ({type(exc).__name__}: {exc})")
        else:
            yield from bad
            yield from found
        yield path


def iter_articles(
    paths: Iterable[FileRef], root: Path | None, skipped: list[Skipped]
) -> Iterator[Article]:
    """The articles of ``paths``, one at a time; bad input and duplicates go to ``skipped``."""
    dedup = Deduplicator()
    for item in read_files(paths, root):
        if isinstance(item, Skipped):
            skipped.append(item)
        elif isinstance(item, Article) and dedup.admit(item, fingerprint(item), skipped):
            yield item


def ingest(paths: Iterable[FileRef], root: Path | None = None) -> tuple[list[Article], list[Skipped]]:
    """Read every file; bad files, bad lines and duplicates are skipped with a reason, never fatal.

    ``root`` (the corpus folder) makes nested files' names unique: ``sub/a.txt``, not ``a.txt``.
    """
    skipped: list[Skipped] = []
    articles = list(iter_articles(paths, root, skipped))
    return articles, skipped


def ingest_corpus(corpus: Path | str) -> tuple[list[Article], list[Skipped]]:
    """Every article under a corpus folder (or one file, or a URL), names relative to it."""
    return ingest(corpus_files(corpus), corpus_root(corpus))


def raise_if_skipped(skipped: Iterable[Skipped], limit: int = 20) -> None:
    """For ``--strict``: any skipped input is an ``InputError`` listing the skips on one line."""
    reasons = [s.reason for s in skipped]
    if reasons:
        shown = "; ".join(reasons[:limit]) + (
            f"; and {len(reasons) - limit} more" if len(reasons) > limit else ""
        )
        raise InputError(f"{len(reasons)} input(s) skipped (--strict): {shown}")
