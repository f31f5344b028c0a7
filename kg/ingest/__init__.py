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

Modules: ``text`` (text to articles, paragraphs, ids, dates), ``textdate`` (the date an undated
article's text states, ``Article.text_date``), ``encodings`` (bytes to text,
regular files only), ``formats`` (txt, Markdown, HTML, JSONL), ``files`` (the corpus walk, local
or behind an fsspec URL), ``duplicates`` (fingerprints and the duplicate check); this module
reads a corpus with them and re-exports their public names.

Takes: a corpus folder, file list or URL. Gives: ``kg.records.Article`` records and ``Skipped``.
May import: ``kg.lexicon``, ``kg.records``, ``kg.util``, ``kg.errors``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.ingest.duplicates import (
    NEAR_DUPLICATE,
    Deduplicator,
    Fingerprint,
    content_words,
    fingerprint,
    minhash,
    with_copies,
)
from kg.ingest.encodings import MAX_BYTES, MAX_CONTROL_SHARE, corpus_scope, decode
from kg.ingest.files import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    MARKDOWN_SUFFIXES,
    SUFFIXES,
    TEXT_SUFFIXES,
    FileRef,
    RemoteFile,
    as_corpus,
    corpus_files,
    corpus_root,
    is_url,
    scan_corpus_files,
)
from kg.ingest.formats import (
    DATE_METAS,
    MAX_JSONL_BYTES,
    MIN_HTML_WORDS,
    html_fields,
    markdown_to_text,
    read_article,
    read_articles,
)
from kg.ingest.text import (
    Skipped,
    _printable_name,
    _skip,
    article_id,
    compose_article,
    normalise,
    one_line,
    parse_article,
    parse_published,
)
from kg.records import Article

__all__ = [
    "DATE_METAS", "HTML_SUFFIXES", "JSONL_SUFFIXES", "MARKDOWN_SUFFIXES", "MAX_BYTES",
    "MAX_CONTROL_SHARE", "MAX_JSONL_BYTES", "MIN_HTML_WORDS", "NEAR_DUPLICATE", "SUFFIXES",
    "TEXT_SUFFIXES", "Deduplicator", "FileRef", "Fingerprint", "RemoteFile", "Skipped",
    "_skip", "article_id", "as_corpus", "compose_article", "content_words", "corpus_files",
    "corpus_root", "decode", "fingerprint", "html_fields", "ingest", "ingest_corpus", "is_url",
    "iter_articles", "markdown_to_text", "minhash", "normalise", "one_line", "parse_article",
    "parse_published", "raise_if_skipped", "read_article", "read_articles", "read_files",
    "scan_corpus_files", "with_copies",
]


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
    paths: Iterable[FileRef], root: Path | None = None, follow_outside_links: bool = False
) -> Iterator[Article | Skipped | FileRef]:
    """Each file's articles and skipped lines (or the file's own skip), then the file itself.

    One file at a time, so a caller can stream a corpus; the trailing ``Path`` marks the end
    of a file (for progress). ``root`` is the corpus folder, as in :func:`ingest`: a file that
    turned out, once opened, to lie outside it is skipped (unless ``follow_outside_links``).
    """
    for path in paths:
        try:
            with corpus_scope(root, follow_outside_links):
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
    paths: Iterable[FileRef], root: Path | None, skipped: list[Skipped], copies: bool = False,
    follow_outside_links: bool = False,
) -> Iterator[Article]:
    """The articles of ``paths``, one at a time; bad input and duplicates go to ``skipped``
    (with ``copies``, near duplicates are yielded too: another outlet's copy is an article)."""
    dedup = Deduplicator()
    for item in read_files(paths, root, follow_outside_links):
        if isinstance(item, Skipped):
            skipped.append(item)
        elif isinstance(item, Article) and (
            dedup.admit(item, fingerprint(item), skipped) or (copies and dedup.copy(item) is not None)
        ):
            yield item


def ingest(
    paths: Iterable[FileRef], root: Path | None = None, copies: bool = False
) -> tuple[list[Article], list[Skipped]]:
    """Read every file; bad files, bad lines and duplicates are skipped with a reason, never fatal.

    ``root`` (the corpus folder) makes nested files' names unique: ``sub/a.txt``, not ``a.txt``.
    """
    skipped: list[Skipped] = []
    articles = list(iter_articles(paths, root, skipped, copies))
    return articles, skipped


def ingest_corpus(corpus: Path | str, copies: bool = False) -> tuple[list[Article], list[Skipped]]:
    """Every article under a corpus folder (or one file, or a URL), names relative to it
    (``copies``: near duplicates too)."""
    return ingest(corpus_files(corpus), corpus_root(corpus), copies)


def raise_if_skipped(skipped: Iterable[Skipped], limit: int = 20) -> None:
    """For ``--strict``: any skipped input is an ``InputError`` listing the skips on one line."""
    reasons = [s.reason for s in skipped]
    if reasons:
        shown = "; ".join(reasons[:limit]) + (
            f"; and {len(reasons) - limit} more" if len(reasons) > limit else ""
        )
        raise InputError(f"{len(reasons)} input(s) skipped (--strict): {shown}")
