"""Where the corpus is: a local folder (or one file), or an fsspec URL (remote files)."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kg.errors import InputError
from kg.ingest.text import Skipped, _skip, one_line

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


def corpus_files(corpus: Path | str, follow_outside_links: bool = False) -> list[Path] | list[RemoteFile]:
    """Article files under ``corpus`` (recursively), in a stable order: a folder, a file or a URL.

    What :func:`scan_corpus_files` skips (links out of the corpus, special files, unreadable
    folders) is left out silently here; builds use that function to report it.
    """
    return scan_corpus_files(corpus, follow_outside_links)[0]


def scan_corpus_files(
    corpus: Path | str, follow_outside_links: bool = False, exclude: Path | None = None
) -> tuple[list[Path] | list[RemoteFile], list[Skipped]]:
    """Article files under ``corpus`` and what was not read on the way, with one-line reasons.

    A folder is walked without following links to folders (so no loop and no second copy).
    A link to a file is read only if it resolves inside the corpus (or ``follow_outside_links``)
    and to a regular file: a link to ``/etc/passwd``, a device or a FIFO is never opened. A
    dangling link, a FIFO, socket or device, and a folder that cannot be listed are named in
    the skips (``--strict`` makes them errors). ``exclude`` (the build's output folder, when it
    lies inside the corpus) is left out of the walk: its pages are not articles.
    """
    if isinstance(corpus, str):
        if is_url(corpus):
            return _remote_files(corpus), []
        corpus = Path(corpus)
    if not corpus.exists():
        raise InputError(f"{one_line(str(corpus))}: corpus folder does not exist")
    if corpus.is_file():
        return [corpus], []
    if not corpus.is_dir():
        raise InputError(f"{one_line(str(corpus))}: not a folder or a file")
    files: list[Path] = []
    skipped: list[Skipped] = []
    skip = None
    if exclude is not None:
        try:
            skip = Path(exclude).resolve()
        except (OSError, RuntimeError):
            skip = None
    _walk(corpus, corpus.resolve(), follow_outside_links, files, skipped, skip)
    return sorted(files), skipped


_KINDS = (
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _walk(
    folder: Path, root: Path, follow_outside: bool, files: list[Path], skipped: list[Skipped],
    exclude: Path | None = None,
) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        skipped.append(_skip(str(folder), f"{folder}: cannot read the folder ({exc.strerror or exc})"))
        return
    for entry in entries:
        path = folder / entry.name
        wanted = path.suffix.lower() in SUFFIXES
        try:
            if entry.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except FileNotFoundError:
                    skipped.append(_skip(str(path), f"{path}: dangling link to {os.readlink(path)}"))
                    continue
                except (OSError, RuntimeError):
                    skipped.append(_skip(str(path), f"{path}: link loop"))
                    continue
                inside = target == root or root in target.parents
                mode = os.stat(path).st_mode
                if stat.S_ISDIR(mode):
                    skipped.append(_skip(str(path), f"{path}: link to a folder ({target}), not followed"))
                elif not wanted:
                    continue
                elif not inside and not follow_outside:
                    reason = f"{path}: link to {target}, outside the corpus (--follow-outside-links reads it)"
                    skipped.append(_skip(str(path), reason))
                elif not stat.S_ISREG(mode):
                    skipped.append(_skip(str(path), f"{path}: link to {_kind(mode)} ({target}), not read"))
                else:
                    files.append(path)
                continue
            mode = entry.stat(follow_symlinks=False).st_mode
        except OSError as exc:
            skipped.append(_skip(str(path), f"{path}: cannot read ({exc.strerror or exc})"))
            continue
        if stat.S_ISDIR(mode):
            if exclude is not None and path.resolve() == exclude:
                continue  # the build's own output folder
            _walk(path, root, follow_outside, files, skipped, exclude)
        elif not wanted:
            continue
        elif stat.S_ISREG(mode):
            files.append(path)
        else:
            skipped.append(_skip(str(path), f"{path}: {_kind(mode)}, not read"))
