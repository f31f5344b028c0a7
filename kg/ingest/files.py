"""Where the corpus is: a local folder (or one file), or an fsspec URL (remote files)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kg.errors import InputError
from kg.ingest.text import one_line

TEXT_SUFFIXES = (".txt",)
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl",)
SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES


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


