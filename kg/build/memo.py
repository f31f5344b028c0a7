"""Skip writing a build's outputs when they would be byte-identical to the ones on disk.

A rebuild with nothing new reads every article and cache entry, then resolves, makes the
triple set and writes Turtle and events again, only to produce the same bytes. Everything
those outputs depend on is the list of facts (with skips), the build options and kg's code
and data files; a stamp in ``OUT/.kg/`` records a hash of all of it and of each output
written. When the next build's hash is the same and every output still has its recorded
hash, the outputs (and the summary counts, kept in the stamp) are reused as they are.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kg.util.atomic import atomic_write, sha256_file
from kg.util.fingerprint import code_fingerprint, source_files

STAMP = Path(".kg") / "build.json"

__all__ = ["STAMP", "build_key", "code_fingerprint", "corpus_stat", "forget", "last_corpus_stat", "record",
           "reusable", "source_files"]

def build_key(facts: Sequence[object], skipped: Sequence[object], options: dict[str, Any]) -> str:
    """Hash of everything a build's outputs are made from."""
    h = hashlib.sha256(code_fingerprint().encode())
    h.update(json.dumps(options, sort_keys=True, default=str).encode())
    h.update(repr(list(skipped)).encode())
    for f in facts:
        h.update(repr(f).encode())
    return h.hexdigest()


def _read_stamp(out: Path) -> bytes:
    """The stamp's bytes: a regular file of at most 1 MB, never through a link (else an error)."""
    from kg.build.outputs import read_state

    return read_state(out / STAMP)


def reusable(out: Path, key: str, outputs: Sequence[Path]) -> dict[str, Any] | None:
    """The recorded counts if ``out`` holds intact outputs of a build with ``key``, else None."""
    try:
        stamp = json.loads(_read_stamp(out))
        if stamp.get("key") != key or sorted(stamp["outputs"]) != sorted(p.name for p in outputs):
            return None
        if all(sha256_file(p) == stamp["outputs"][p.name] for p in outputs):
            return dict(stamp["counts"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        pass
    return None


def forget(out: Path) -> None:
    """Drop the stamp before outputs are rewritten (a crash midway must not leave it valid)."""
    (out / STAMP).unlink(missing_ok=True)


def record(out: Path, key: str, outputs: Sequence[Path], counts: dict[str, int],
           corpus: list[int] | None = None, cache: str | None = None) -> None:
    """Stamp ``out``'s outputs with the build key; ``corpus`` is :func:`corpus_stat` of the
    corpus they were built from and ``cache`` the facts cache's version they filled (hints for
    the next build, never a reason to skip work)."""
    from kg.build.outputs import check_state_file, check_state_folder

    try:
        check_state_folder((out / STAMP).parent)
        (out / STAMP).parent.mkdir(parents=True, exist_ok=True)
        check_state_file(out / STAMP)
        stamp: dict[str, Any] = {"key": key, "counts": counts}
        stamp["outputs"] = {p.name: sha256_file(p) for p in outputs}
        if corpus is not None:
            stamp["corpus"] = corpus
        if cache is not None:
            stamp["cache"] = cache
        atomic_write(out / STAMP, json.dumps(stamp, sort_keys=True) + "\n")
    except OSError as exc:  # the outputs are published and whole: only the shortcut is lost
        with contextlib.suppress(OSError):
            forget(out)
        logging.getLogger("kg.build.memo").warning(
            "warning: %s: cannot write the build stamp (%s); the outputs are complete, the next "
            "build redoes the work", out / STAMP, exc.strerror or exc)


def corpus_stat(files: Sequence[object]) -> list[int] | None:
    """[files, bytes, newest mtime in ns] of a local corpus's files, or None (a remote corpus,
    or a file that vanished): what tells a build cheaply that the corpus has likely changed."""
    total, newest = 0, 0
    for f in files:
        if not isinstance(f, Path):
            return None
        try:
            st = f.stat()
        except OSError:
            return None
        total, newest = total + st.st_size, max(newest, st.st_mtime_ns)
    return [len(files), total, newest]


def last_corpus_stat(out: Path, cache: str | None = None) -> list[int] | None:
    """The :func:`corpus_stat` the last build of ``out`` recorded, if any (anything else: None);
    with ``cache``, only if that build filled the same facts cache version (after an edit of a
    rule the cache holds nothing of this corpus: the whole of it is parsed again)."""
    try:
        stamp = json.loads(_read_stamp(out))
        value = stamp.get("corpus")
        if cache is not None and stamp.get("cache") != cache:
            return None
    except (OSError, ValueError, AttributeError):
        return None
    if isinstance(value, list) and len(value) == 3 and all(type(v) is int for v in value):
        return value
    return None
