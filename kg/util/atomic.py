"""Atomic file writes: a temporary file in the same folder, then ``os.replace``.

A build killed at any moment leaves the previous output whole.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: str | bytes, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never a mix.

    ``durable`` fsyncs before the rename; caches whose entries are checksummed skip it.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private; outputs are ordinary files (keep an existing mode)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_output(path: str | os.PathLike[str], text: str, what: str) -> Path:
    """Write an output atomically; a failure is a one-line ``GraphError`` naming the file."""
    from kg.errors import GraphError

    target = Path(path)
    try:
        atomic_write(target, text)
    except OSError as exc:
        raise GraphError(f"{target}: cannot write {what}: {write_problem(target, exc)}") from None
    return target


def write_problem(target: Path, exc: OSError) -> str:
    """Why ``target`` could not be written, in the user's terms (not the temporary file's)."""
    if target.is_dir():
        return "it is a folder (give a file name)"
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{parent} is a file, not a folder"
            break
    return exc.strerror or str(exc)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in blocks (outputs can be large)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def link_or_copy(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)
