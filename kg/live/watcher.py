"""When the corpus changed: file events (``watchfiles``) or, where there are none, polling.

:func:`changes` yields a set of paths each time something under the corpus was added,
changed or removed, after :func:`wait_stable` has seen every changed file keep its size and
modification time over a short window (a copy or an editor's save still in progress is not
read half-written). Editors' temporary files (``.#x``, ``x~``, ``.x.swp``) never wake it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from kg.live.state import is_temporary

#: A changed file is read once its size and mtime held still this long (seconds).
STABLE_SECONDS = 0.1
#: A file still growing after this long is read as it is (a stuck copy must not stop the watch).
STABLE_LIMIT = 30.0
#: Polling fallback: seconds between two looks at the corpus.
POLL_SECONDS = 0.25


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def wait_stable(
    paths: set[Path], stop: threading.Event | None = None, window: float = STABLE_SECONDS
) -> None:
    """Return once each of ``paths`` (files; gone ones count as stable) kept its size and mtime
    over ``window`` seconds, or after :data:`STABLE_LIMIT`."""
    deadline = time.monotonic() + STABLE_LIMIT
    pending = {p: _stat(p) for p in paths}
    while pending and time.monotonic() < deadline:
        if stop is None:
            time.sleep(window)
        elif stop.wait(window):
            return
        still = {}
        for path, before in pending.items():
            now = _stat(path)
            if now is not None and now != before:
                still[path] = now
        pending = still


def _wanted(path: str) -> bool:
    return not is_temporary(os.path.basename(path))


def _snapshot(corpus: Path, exclude: Path | None) -> dict[str, tuple[int, int, int]]:
    """Every file under ``corpus`` (not under ``exclude``) with its size, mtime and inode."""
    seen: dict[str, tuple[int, int, int]] = {}
    skip = str(exclude.resolve()) if exclude is not None else None
    for folder, dirs, files in os.walk(corpus):
        if skip is not None:
            dirs[:] = [d for d in dirs if os.path.realpath(os.path.join(folder, d)) != skip]
        for name in files:
            path = os.path.join(folder, name)
            try:
                st = os.lstat(path)
            except OSError:
                continue
            seen[path] = (st.st_size, st.st_mtime_ns, st.st_ino)
    return seen


class Changes:
    """Sets of changed paths under ``corpus`` until ``stop`` is set, each once stable.

    The watch starts when this is made, so a file that changes while the first set is being
    built is seen. File events from ``watchfiles`` when it is installed and ``poll`` is not
    asked for (``KG_WATCH_POLL=1`` asks for it too), else a look at every file's size and
    mtime every :data:`POLL_SECONDS`."""

    def __init__(
        self, corpus: Path, stop: threading.Event, exclude: Path | None = None, poll: bool | None = None
    ) -> None:
        self.corpus, self.stop, self.exclude = Path(corpus), stop, exclude
        self.skip = exclude.resolve() if exclude is not None else None
        self.mode = mode(poll)
        self.notify = None
        self.last: dict[str, tuple[int, int, int]] = {}
        if self.mode == "events":
            from watchfiles._rust_notify import RustNotify  # watchfiles' own watcher, started here

            self.notify = RustNotify([str(self.corpus)], False, False, 50, True, False)
        else:
            self.last = _snapshot(self.corpus, exclude)

    def close(self) -> None:
        if self.notify is not None:
            self.notify.close()

    def _wanted(self, path: str) -> bool:
        if not _wanted(path):
            return False
        return self.skip is None or not Path(path).resolve().is_relative_to(self.skip)

    def _batches(self) -> Iterator[set[Path]]:
        while not self.stop.is_set():
            if self.notify is not None:
                raw = self.notify.watch(400, 30, 1000, self.stop)
                if raw in ("signal", "stop"):
                    if self.stop.is_set():
                        return
                    raise KeyboardInterrupt
                if raw == "timeout":
                    continue
                changed = {Path(path) for _change, path in raw if self._wanted(path)}
            else:
                if self.stop.wait(POLL_SECONDS):
                    return
                now = _snapshot(self.corpus, self.exclude)
                if now == self.last:
                    continue
                names = set(now) ^ set(self.last) | {p for p in now if self.last.get(p) != now[p]}
                self.last = now
                changed = {Path(p) for p in names if _wanted(p)}
            if changed:
                yield changed

    def __iter__(self) -> Iterator[set[Path]]:
        for batch in self._batches():
            wait_stable({p for p in batch if p.suffix}, self.stop)
            if self.stop.is_set():
                return
            yield batch


def mode(poll: bool | None = None) -> str:
    """What :func:`changes` will use: ``"events"`` or ``"polling"``."""
    if poll or os.environ.get("KG_WATCH_POLL", "") not in ("", "0"):
        return "polling"
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        return "polling"
    return "events"
