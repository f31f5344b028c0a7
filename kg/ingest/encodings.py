"""Bytes to text: size limits, BOMs, UTF-8, detected legacy encodings, binary files."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from kg.errors import InputError
from kg.ingest.files import FileRef, RemoteFile
from kg.ingest.text import one_line

#: Largest single-article file (and largest JSONL line) read; bigger ones are skipped.
MAX_BYTES = 5_000_000
#: Share of control characters above which a decodable file is still called binary.
MAX_CONTROL_SHARE = 0.1


def _read_bytes(path: FileRef, limit: int) -> bytes:
    try:
        if isinstance(path, RemoteFile):
            size = path.size()
            if size > limit:
                raise InputError(f"{path}: file is {size} bytes, over the {limit}-byte limit")
            raw = path.read_bytes()
        else:
            raw = read_regular_file(path, limit)
    except (OSError, TimeoutError) as exc:  # fsspec backends raise OSError subclasses (and timeouts)
        detail = getattr(exc, "strerror", None) or one_line(str(exc)) or type(exc).__name__
        raise InputError(f"{path}: cannot read ({detail})") from None
    if not raw.strip():
        raise InputError(f"{path}: empty file")
    return raw


#: The corpus folder (resolved) files are read from, and whether links may leave it.
_SCOPE: ContextVar[tuple[Path, bool] | None] = ContextVar("kg_corpus_scope", default=None)


@contextmanager
def corpus_scope(root: Path | None, follow_outside_links: bool = False) -> Iterator[None]:
    """While inside: a local file read by :func:`read_regular_file` must be, once opened, a
    file under ``root`` (unless ``follow_outside_links``), whatever the path became after the
    walk listed it: a file swapped for a link to ``/etc/passwd``, or a folder for a link out."""
    token = _SCOPE.set(None if root is None else (root.resolve(), follow_outside_links))
    try:
        yield
    finally:
        _SCOPE.reset(token)


def _opened_path(fd: int) -> Path | None:
    """The path of the file an open descriptor refers to (Linux ``/proc/self/fd``), or None."""
    try:
        return Path(os.readlink(f"/proc/self/fd/{fd}"))
    except OSError:
        return None


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes.

    Opened without blocking and checked with ``fstat`` before any read, so a FIFO, a device
    (a link to ``/dev/zero``) or a socket is refused, never read, whatever the walk saw. Inside
    :func:`corpus_scope`, the file opened must also lie in the corpus: it is the opened file
    that is checked, not the path the walk listed.
    """
    scope = _SCOPE.get()
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
        try:
            if scope is not None and not scope[1]:
                opened = _opened_path(fd)
                if opened is None:  # no /proc: the path's target now, compared with the file opened
                    real = Path(os.path.realpath(path))
                    st, now = os.fstat(fd), os.stat(real)
                    opened = real if (st.st_dev, st.st_ino) == (now.st_dev, now.st_ino) else Path("/")
                root = scope[0]
                if opened != root and root not in opened.parents:
                    raise ValueError(
                        f"now leads to {opened}, outside the corpus (changed since it was listed); not read"
                    )
            return read_fd_bounded(fd, limit)
        finally:
            os.close(fd)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None


def read_unlinked_file(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` if it is a regular file of at most ``limit`` bytes and not a
    symbolic link: for build state and cache entries, which nothing should redirect. Opened
    without following a link (``OSError`` ELOOP) or blocking; ``ValueError`` says why else not."""
    return _read_bounded(path, limit, follow_links=False)


def _read_bounded(path: Path, limit: int, follow_links: bool) -> bytes:
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        return read_fd_bounded(fd, limit)
    finally:
        os.close(fd)


def read_fd_bounded(fd: int, limit: int) -> bytes:
    """The bytes of an open regular file of at most ``limit`` bytes (``ValueError`` saying why
    not): checked with ``fstat`` first and counted while read, so a file that grows is refused."""
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise ValueError("not a regular file (a device, FIFO or socket), not read")
    if st.st_size > limit:
        raise ValueError(f"file is {st.st_size} bytes, over the {limit}-byte limit")
    chunks: list[bytes] = []
    size = 0
    while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
        chunks.append(chunk)
        size += len(chunk)
        if size > limit:  # grew while being read
            raise ValueError(f"file is over the {limit}-byte limit")
    return b"".join(chunks)


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


#: Control characters (C0 but tab, line feed, form feed, carriage return; DEL; C1).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _checked_text(text: str, path: Path | str) -> str:
    """Reject decodable text that is mostly control characters (a binary file in disguise)."""
    sample = text[:8192]
    controls = len(_CONTROLS.findall(sample))
    if sample and controls / len(sample) > MAX_CONTROL_SHARE:
        raise InputError(f"{path}: binary file, not text ({controls} control characters)")
    return text


