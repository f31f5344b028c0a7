"""The outputs of one build are one set: after any kill, all from the old build or all new.

Layout of an output folder ``OUT``::

    OUT/graph.ttl     -> .current/graph.ttl        (relative links, made once)
    OUT/events.jsonl  -> .current/events.jsonl
    OUT/graph.html    -> .current/graph.html
    OUT/graph-parts   -> .current/graph-parts
    OUT/.current      -> .generations/<id>         (switched by one rename)
    OUT/.generations/<id>/graph.ttl ...            (one folder per build)
    OUT/.lock                                      (flock'd by the running build; its pid)

A build writes its whole set into a new generation folder (each file fsynced), then makes
``.current`` point to it with one ``rename`` of a new link over the old one: the only step
that changes what ``OUT/graph.ttl`` and its siblings are, and it changes them together.
Then it removes the old generation. A kill before the rename leaves the old set (and an
unpublished folder the next build removes); after it, the new set. A full disk fails a write
before the rename: one-line error, old set intact.

Users open the documented paths (``OUT/graph.ttl``...), which resolve through the links. An
output folder of the older layout (plain files) is adopted on its first build: its files are
hard-linked into a first generation, then each is replaced by its link, so at every moment
each path shows the old bytes.

Only one build writes into ``OUT`` at a time: a second one stops with a one-line message
naming the running build's process id (an ``fcntl.flock`` on ``OUT/.lock``, released by the
kernel when that process dies, so a killed build never leaves a stale lock).

The folder's own state is untrusted: anyone who could write into ``OUT`` could have put a link
at ``.lock``, ``.generations``, ``.current``, ``.kg``, ``.cache`` or a file of ``.kg``. Each is opened or
inspected without following links (``O_NOFOLLOW``, ``lstat``) and must be of its kind (a
regular file, a real folder, a link of the form ``.generations/<id>``); anything else is one
warning line, the entry itself (never what it points to) is removed, and the build goes on
as a rebuild. Files of ``.kg`` are read with a bound (:func:`read_state`).
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import logging
import os
import shutil
import stat
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from kg.errors import BusyError, GraphError, InputError
from kg.util.atomic import link_or_copy

#: Every name a build may write into OUT (files and the split-graph folder).
OUTPUT_NAMES: tuple[str, ...] = ("graph.ttl", "events.jsonl", "graph-parts", "graph.html")
CURRENT = ".current"
GENERATIONS = ".generations"
LOCK = ".lock"
#: The hidden folder of build state (memo stamp, page stamp, layout, evidence).
STATE = ".kg"
#: Largest build-state file read as a whole (stamps are a few hundred bytes).
MAX_STATE_BYTES = 1 << 20
_log = logging.getLogger("kg.build.outputs")
#: descriptors of the output locks this process holds (a forked worker closes its copies)
_HELD: set[int] = set()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """Make a generation durable before it is published (files, then folders)."""
    for folder, _dirs, files in os.walk(root):
        for name in files:
            fd = os.open(os.path.join(folder, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(folder))


def _swap_link(link: Path, target: str) -> None:
    """Make ``link`` a symlink to ``target`` in one rename (readers see the old or the new)."""
    tmp = link.with_name(f"{link.name}.{os.getpid()}.link-tmp")
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    os.symlink(target, tmp)
    os.replace(tmp, link)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL):  # old kernel or a file system without it
        return False
    raise OSError(err, os.strerror(err), str(b))


def _swap_folder_for_link(folder: Path, target: str) -> None:
    """Replace a plain folder by a link in one step where the kernel can (a folder cannot be
    renamed over); elsewhere the folder is moved aside first (absent for a moment)."""
    tmp = folder.with_name(f"{folder.name}.{os.getpid()}.link-tmp")
    os.symlink(target, tmp)
    if not _exchange(tmp, folder):
        os.unlink(tmp)
        os.rename(folder, tmp)
        os.symlink(target, folder)
    shutil.rmtree(tmp)  # now the old folder (its bytes are in the generation)


def _warn(path: Path, problem: str) -> None:
    _log.warning("warning: %s: %s; removed it (not what it points to) and rebuilt", path, problem)


def _remove_entry(path: Path) -> None:
    """Remove ``path`` itself: a link or file is unlinked (never followed), a real folder removed."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        shutil.rmtree(path)  # a real folder inside OUT; rmtree never follows the links in it
    else:
        os.unlink(path)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISREG(mode):
        return "a file"
    return "a device, FIFO or socket"


def _check_state(path: Path, wanted: Callable[[int], bool], what: str) -> None:
    """Remove (with a warning) ``path`` unless it is absent or of the ``wanted`` kind (its own
    mode, never a link's target)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if not wanted(st.st_mode):
        _warn(path, f"{_kind(st.st_mode)}, not a {what} of build state")
        _remove_entry(path)


def check_state_file(path: Path) -> None:
    """Remove (with a warning) ``path`` unless it is absent or a regular file, not a link."""
    _check_state(path, stat.S_ISREG, "file")


def check_state_folder(path: Path) -> None:
    """Remove (with a warning) ``path`` unless it is absent or a real folder, not a link."""
    _check_state(path, stat.S_ISDIR, "folder")


def read_state(path: Path, limit: int = MAX_STATE_BYTES) -> bytes:
    """A build-state file's bytes: a regular file (not a link, FIFO or device) of at most
    ``limit`` bytes, opened without blocking; ``OSError``/``ValueError`` otherwise."""
    from kg.ingest.encodings import read_unlinked_file

    return read_unlinked_file(path, limit)


class OutputSet:
    """The output folder of one build: locked on enter, published as one set by :meth:`publish`.

    ``with OutputSet(out) as outputs: ...; folder = outputs.begin(); <write into folder>;
    outputs.publish()``. Leaving the block without publishing removes the unpublished folder.
    """

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.staging: Path | None = None
        self._lock_fd: int | None = None

    # -- lock ----------------------------------------------------------------------------

    def __enter__(self) -> OutputSet:
        out = self.out
        if out.exists() and not out.is_dir():
            raise InputError(f"{out}: not a folder (--out names the folder the outputs go into)")
        try:
            out.mkdir(parents=True, exist_ok=True)
            fd = self._open_lock()
        except OSError as exc:
            raise InputError(f"{out}: cannot use as the output folder ({exc.strerror or exc})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                os.close(fd)
                raise InputError(f"{out}: cannot lock the output folder ({exc.strerror or exc})") from None
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise BusyError(
                f"{out}: another build (process {holder}) is writing into this folder; "
                "wait for it to finish or use another --out"
            ) from None
        self._lock_fd = fd
        _HELD.add(fd)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            self._check_state()
            self._tidy()
            self._adopt()
        except OSError as exc:
            self._unlock()
            raise GraphError(f"{out}: cannot prepare the output folder ({exc.strerror or exc})") from None
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self.staging is not None:  # not published: an error, or an interrupt
                shutil.rmtree(self.staging, ignore_errors=True)
                self.staging = None
        finally:
            self._unlock()

    def _open_lock(self) -> int:
        """``OUT/.lock``, opened without following a link and checked to be a regular file;
        anything else there is removed (itself, not its target) with a warning, and made anew."""
        lock = self.out / LOCK
        flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW | os.O_NONBLOCK
        for _attempt in range(3):
            try:
                fd = os.open(lock, flags, 0o644)
            except OSError as exc:
                if exc.errno not in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EACCES) or _attempt == 2:
                    raise
                st = os.lstat(lock)
                _warn(lock, f"{_kind(st.st_mode)}, not the lock file")
                _remove_entry(lock)
                continue
            st = os.fstat(fd)
            if stat.S_ISREG(st.st_mode):
                return fd
            os.close(fd)
            _warn(lock, f"{_kind(st.st_mode)}, not the lock file")
            _remove_entry(lock)
        raise OSError(errno.EEXIST, "the lock file keeps being replaced", str(lock))

    def _check_state(self) -> None:
        """Every state path of OUT of its kind, never a link out (see the module's docstring)."""
        out = self.out
        check_state_folder(out / GENERATIONS)
        check_state_folder(out / STATE)
        check_state_folder(out / ".cache")  # the default cache folder (--cache-dir names another)
        link = out / CURRENT
        try:
            st = os.lstat(link)
        except FileNotFoundError:
            st = None
        if st is not None:
            if not stat.S_ISLNK(st.st_mode):
                _warn(link, f"{_kind(st.st_mode)}, not the link to the current outputs")
                _remove_entry(link)
            elif self.current() is None:
                _warn(link, f"a link to {os.readlink(link)!r}, not to a folder of {GENERATIONS}")
                os.unlink(link)
        state = out / STATE
        if state.is_dir() and not state.is_symlink():
            for entry in os.scandir(state):
                if entry.name.endswith(".tmp"):
                    continue
                check_state_file(state / entry.name)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            _HELD.discard(self._lock_fd)
            os.close(self._lock_fd)  # closing the last descriptor releases the flock
            self._lock_fd = None

    # -- the set ---------------------------------------------------------------------------

    def current(self) -> Path | None:
        """The published generation folder, or ``None`` before the first build."""
        link = self.out / CURRENT
        if not link.is_symlink():
            return None
        value = os.readlink(link)
        prefix = f"{GENERATIONS}/"
        name = value[len(prefix):]
        if not value.startswith(prefix) or not name or "/" in name or name in (".", ".."):
            return None
        gens = self.out / GENERATIONS
        if gens.is_symlink() or not gens.is_dir():
            return None
        target = gens / name
        return target if target.is_dir() and not target.is_symlink() else None

    def begin(self) -> Path:
        """A new, empty generation folder to write this build's outputs into."""
        gens = self.out / GENERATIONS
        check_state_folder(gens)
        gens.mkdir(exist_ok=True)
        self.staging = gens / f"{time.time_ns():x}-{os.getpid()}"
        self.staging.mkdir()
        return self.staging

    def publish(self) -> tuple[Path, ...]:
        """Switch ``OUT`` to the staged set in one rename; returns the documented paths."""
        staged = self.staging
        assert staged is not None, "begin() first"
        names = sorted(p.name for p in staged.iterdir())
        _fsync_tree(staged)
        # links for names new to OUT first: they dangle (no such output) until the switch
        for name in names:
            self._ensure_link(name)
        _swap_link(self.out / CURRENT, f"{GENERATIONS}/{staged.name}")
        _fsync_dir(self.out)
        self.staging = None
        # after the switch, leftovers only: links of outputs this build did not write, old sets
        for name in OUTPUT_NAMES:
            link = self.out / name
            if name not in names and link.is_symlink() and os.readlink(link) == f"{CURRENT}/{name}":
                link.unlink()
        self._tidy()
        return tuple(self.out / name for name in OUTPUT_NAMES if name in names)

    def _ensure_link(self, name: str) -> None:
        link = self.out / name
        target = f"{CURRENT}/{name}"
        if link.is_symlink() and os.readlink(link) == target:
            return
        if link.is_dir() and not link.is_symlink():  # an older layout's folder (graph-parts)
            _swap_folder_for_link(link, target)
        else:
            _swap_link(link, target)

    def _tidy(self) -> None:
        """Remove what killed builds left: unpublished and old generations, temporary links."""
        current = self.current()
        gens = self.out / GENERATIONS
        if gens.is_dir() and not gens.is_symlink():
            for entry in gens.iterdir():
                if current is None or entry.name != current.name:
                    if entry.is_dir() and not entry.is_symlink():
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)
        for entry in self.out.iterdir():
            if entry.name.endswith(".link-tmp"):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)

    def _adopt(self) -> None:
        """Outputs of the older layout (plain files in OUT) become the first generation.

        Each is hard-linked into the generation (same bytes, no copy), ``.current`` is pointed
        at it, then each plain file is replaced by its link: every path shows the old bytes
        throughout, and a kill half-way is finished by the next build.
        """
        plain = [n for n in OUTPUT_NAMES if (self.out / n).exists() and not (self.out / n).is_symlink()]
        if not plain:
            return
        current = self.current()
        if current is None:
            current = self.begin()
            self.staging = None
            fresh = True
        else:
            fresh = False
        for name in plain:
            source, copy = self.out / name, current / name
            if copy.exists():
                continue
            if source.is_dir():
                shutil.copytree(source, copy, copy_function=link_or_copy)
            else:
                link_or_copy(source, copy)
        if fresh:
            _fsync_tree(current)
            _swap_link(self.out / CURRENT, f"{GENERATIONS}/{current.name}")
        for name in plain:
            self._ensure_link(name)
        _fsync_dir(self.out)
        self._tidy()


def close_inherited_locks() -> None:
    """In a worker forked from a build: close its copies of the build's output locks, so a
    worker that outlives the build (its parent killed) cannot keep the folder locked."""
    for fd in list(_HELD):
        _HELD.discard(fd)
        try:
            os.close(fd)
        except OSError:
            pass
