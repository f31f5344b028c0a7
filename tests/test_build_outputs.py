"""The outputs of one build are one set (kg/build/outputs.py): a kill at every file-system step of a
publish leaves the old set or the new one, never a mix; a full disk is a one-line error with
the old set intact; two builds into one folder: the second stops naming the first's process;
``--out FILE`` is a one-line error."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.build.outputs import OUTPUT_NAMES, OutputSet
from kg.cli import app
from kg.util.atomic import atomic_write

ROOT = Path(__file__).resolve().parent.parent

#: The os functions a publish calls (shutil.rmtree's included); each call is a kill point.
_CALLS = (
    "symlink",
    "replace",
    "rename",
    "unlink",
    "link",
    "mkdir",
    "fsync",
    "rmdir",
    "open",
    "ftruncate",
    "pwrite",
    "chmod",
)


def _child(out: Path, tag: str, names: tuple[str, ...], kill_at: int) -> int:
    """In a forked child: publish a set tagged ``tag``, counting the os calls; SIGKILL at
    call number ``kill_at`` (0: never). Returns the number of calls."""
    calls = 0

    def counted(fn):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            nonlocal calls
            calls += 1
            if calls == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)

        return wrapper

    for name in _CALLS:  # only this child's os module: it was forked
        setattr(os, name, counted(getattr(os, name)))
    with OutputSet(out) as outputs:
        folder = outputs.begin()
        for name in names:
            target = folder / name / "part-00000.nt" if name == "graph-parts" else folder / name
            atomic_write(target, f"build {tag} {name}\n")
        outputs.publish()
    return calls


def _publish(out: Path, tag: str, names: tuple[str, ...], kill_at: int = 0) -> tuple[int, int]:
    """(signal that ended the child or 0, os calls it made): a real process, killed for real."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        status = 1
        try:
            os.close(read)
            os.write(write, str(_child(out, tag, names, kill_at)).encode())
            status = 0
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    os.close(write)
    with os.fdopen(read, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return os.WTERMSIG(status), 0
    assert os.WEXITSTATUS(status) == 0, "the publishing child failed (traceback above)"
    return 0, int(data)


def _seen(out: Path) -> dict[str, str]:
    """What a user sees at the documented paths: name -> build tag."""
    seen = {}
    for name in OUTPUT_NAMES:
        path = out / name / "part-00000.nt" if name == "graph-parts" else out / name
        if path.exists():
            text = path.read_text("utf-8")
            assert text == f"build {text.split()[1]} {name}\n", text  # whole, never torn
            seen[name] = text.split()[1]
    return seen


def _legacy(out: Path, tag: str, names: tuple[str, ...]) -> None:
    """An output folder of the older layout: plain files (and a plain graph-parts folder)."""
    out.mkdir(parents=True)
    for name in names:
        if name == "graph-parts":
            (out / name).mkdir()
            (out / name / "part-00000.nt").write_text(f"build {tag} {name}\n", "utf-8")
        else:
            (out / name).write_text(f"build {tag} {name}\n", "utf-8")


ALL = ("graph.ttl", "events.jsonl", "graph-parts", "graph.html")
NO_HTML = ("graph.ttl", "events.jsonl")


@pytest.fixture()
def ram_path(tmp_path: Path) -> Path:
    """A folder in RAM where there is one (/dev/shm): the kills are about processes, not power
    loss, and hundreds of fsyncs on a busy disk would only make the test slow."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or not os.access(shm, os.W_OK):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="kg-outputs-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize(
    ("start", "old", "new"),
    [
        ("empty", (), ALL),  # first build
        ("published", ALL, ALL),  # a rebuild
        ("published", ALL, NO_HTML),  # a rebuild writing fewer outputs (--no-html, no parts)
        ("published", NO_HTML, ALL),  # ... and more
        ("legacy", ALL, ALL),  # plain files of the older layout, adopted on the way
    ],
)
def test_kill_at_every_step_leaves_one_set(ram_path: Path, start: str, old: tuple, new: tuple) -> None:
    tmp_path = ram_path
    def fresh(where: Path) -> None:
        if start == "published":
            assert _publish(where, "1", old)[0] == 0
        elif start == "legacy":
            _legacy(where, "1", old)

    probe = tmp_path / "probe"
    fresh(probe)
    killed_by, steps = _publish(probe, "2", new)
    assert killed_by == 0
    assert steps > 10
    assert _seen(probe) == dict.fromkeys(new, "2")
    before = dict.fromkeys(old, "1")
    after = dict.fromkeys(new, "2")
    outcomes = set()
    template = tmp_path / "template"
    fresh(template)
    for kill_at in range(1, steps + 1):
        out = tmp_path / f"k{kill_at}"
        if template.exists():
            shutil.copytree(template, out, symlinks=True)
        assert _publish(out, "2", new, kill_at)[0] == signal.SIGKILL, kill_at
        seen = _seen(out)
        assert seen in (before, after), (kill_at, seen)  # all old or all new, never a mix
        outcomes.add(seen == after)
        # the next build after the kill works and leaves no debris
        assert _publish(out, "3", new)[0] == 0
        assert _seen(out) == dict.fromkeys(new, "3")
        assert len(list((out / ".generations").iterdir())) == 1
        assert not [p for p in out.iterdir() if p.name.endswith(".link-tmp")]
    assert outcomes == {False, True} or start == "empty"


def test_documented_paths_are_files_users_can_open(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _publish(out, "1", ALL)[0] == 0
    for name in ("graph.ttl", "events.jsonl", "graph.html"):
        assert (out / name).is_file() and (out / name).read_text("utf-8") == f"build 1 {name}\n"
        assert os.readlink(out / name) == f".current/{name}"  # relative: OUT can be moved
    moved = tmp_path / "moved"
    out.rename(moved)
    assert (moved / "graph.ttl").read_text("utf-8") == "build 1 graph.ttl\n"


def test_out_is_a_file(tmp_path: Path) -> None:
    target = tmp_path / "taken.txt"
    target.write_text("not a folder", "utf-8")
    for out in (target, target / "sub"):
        result = CliRunner().invoke(app, ["build", str(ROOT / "corpus"), "--out", str(out)])
        assert result.exit_code == 2, result.output
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {out}")
        assert "Traceback" not in result.output
    assert target.read_text("utf-8") == "not a folder"


def test_lock_names_the_holder(tmp_path: Path) -> None:
    """A process holding the folder (any kg build) makes a second OutputSet stop at once."""
    from kg.errors import BusyError

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom kg.build.outputs import OutputSet\n"
            "with OutputSet(sys.argv[1]):\n    print('locked', flush=True)\n    time.sleep(60)\n",
            str(tmp_path / "out"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with pytest.raises(BusyError, match=rf"another build \(process {holder.pid}\) is writing"):
            with OutputSet(tmp_path / "out"):
                pass
    finally:
        holder.kill()
        holder.wait(timeout=30)
    with OutputSet(tmp_path / "out"):  # released by the kernel when the holder died
        pass


@pytest.mark.model
def test_two_builds_into_one_out(tmp_path: Path, corpus_dir: Path) -> None:
    """Two real ``kg build`` processes: the second stops with one line naming the first's pid;
    the first finishes and its outputs are whole."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for k in range(8):  # enough articles that the first build is still parsing when the second starts
        for seed in corpus_dir.glob("*.txt"):
            text = seed.read_text("utf-8") + f"\nCopy {k} of the report.\n"
            (corpus / f"{k}-{seed.name}").write_text(text, "utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out), "--no-cache"]
    first = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not ((out / ".lock").is_file() and (out / ".lock").read_text().strip() == str(first.pid)):
            assert first.poll() is None and time.monotonic() < deadline, "first build never took the lock"
            time.sleep(0.02)
        second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert first.poll() is None, "the first build ended before the second one started: make it longer"
        assert second.returncode == 2, second.stderr
        assert second.stderr == (
            f"error: {out}: another build (process {first.pid}) is writing into this folder; "
            "wait for it to finish or use another --out\n"
        )
        _, err = first.communicate(timeout=300)
        assert first.returncode == 0, err
    finally:
        if first.poll() is None:
            first.kill()
    assert (out / "graph.ttl").read_bytes() and (out / "graph.html").read_bytes()


@pytest.fixture()
def small_disk() -> Path:
    """A 6 MB tmpfs (we run as root in CI; elsewhere skip with the reason)."""
    folder = Path(tempfile.mkdtemp(prefix="kg-small-disk-"))
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(folder)], capture_output=True, text=True
    )
    if done.returncode != 0:
        folder.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


def _fill(disk: Path, keep: int) -> Path:
    """Fill ``disk`` leaving about ``keep`` bytes free."""
    filler = disk / "filler"
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    with open(filler, "wb") as fh:
        try:
            fh.write(b"\0" * max(0, free - keep))
            fh.flush()
        except OSError:
            pass
    return filler


@pytest.mark.model
def test_full_disk_keeps_the_old_set(small_disk: Path, tmp_path: Path, corpus_dir: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in corpus_dir.glob("*.txt"):
        (corpus / seed.name).write_bytes(seed.read_bytes())
    out = small_disk / "out"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    old = {name: (out / name).read_bytes() for name in ("graph.ttl", "events.jsonl", "graph.html")}
    (corpus / "new.txt").write_text("New report\n2021-05-01\nTwitter removed 77 accounts tied to Iran.\n")
    filler = _fill(small_disk, keep=64 * 1024)  # room for the cache, not for a new graph.html
    full = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert full.returncode == 2, full.stderr
    assert "Traceback" not in full.stderr and full.stderr.count("\n") == 1, full.stderr
    assert full.stderr.startswith(f"error: {out}: cannot write the outputs (")
    assert "No space left on device" in full.stderr and "the previous outputs are kept" in full.stderr
    assert {name: (out / name).read_bytes() for name in old} == old
    assert len(list((out / ".generations").iterdir())) == 1  # the unfinished set was removed
    filler.unlink()
    again = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert b"new.txt" in (out / "events.jsonl").read_bytes()


# --------------------------------------------------------------------------------------
# The output folder's own state is untrusted (issue 29 item 3): links and wrong kinds of file
# placed at OUT/.lock, .generations, .current, .kg and its files never make a build act
# outside OUT, read without bound or hang; each is one warning line and a rebuild.


@pytest.fixture(scope="module")
def seeded_out(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    out = tmp_path_factory.mktemp("state") / "out"
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus_dir), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return out


def _limited() -> None:  # pragma: no cover - in the child: a runaway read dies, not the machine
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def _trap(out: Path, trap: str, victim: Path) -> Path:
    """Place ``trap`` in ``out``; returns the path that was turned into the trap."""
    victim.mkdir()
    (victim / "keep.txt").write_text("keep me\n", "utf-8")
    kind, name = trap.split(":")
    target = out / name if name.startswith(".") else out / ".kg" / name
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    else:
        target.unlink(missing_ok=True)
    if kind == "link-file":
        os.symlink(victim / "keep.txt", target)
    elif kind == "link-folder":
        os.symlink(victim, target)
    elif kind == "zero":
        os.symlink("/dev/zero", target)
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
        (target / "inside.txt").write_text("x", "utf-8")
    return target


STATE_TRAPS = [
    "link-file:.lock", "link-folder:.generations", "link-folder:.kg", "link-folder:.current",
    "zero:build.json", "zero:graph.html.key", "fifo:build.json", "fifo:graph.html.key",
    "folder:build.json", "folder:graph.html.key", "link-file:build.json", "fifo:.lock", "folder:.lock",
    "link-file:.generations", "link-file:.kg", "zero:layout.json", "link-folder:.cache",
]


@pytest.mark.model
@pytest.mark.parametrize("trap", STATE_TRAPS)
def test_state_paths_are_never_followed(
    seeded_out: Path, corpus_dir: Path, tmp_path: Path, trap: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(seeded_out, out, symlinks=True)
    victim = tmp_path / "victim"
    _trap(out, trap, victim)
    before = {p: p.read_bytes() for p in victim.rglob("*") if p.is_file()}
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus_dir), "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=_limited)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert {p: p.read_bytes() for p in victim.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in victim.rglob("*")) == ["keep.txt"]
    assert (out / "graph.ttl").read_bytes() == (seeded_out / "graph.ttl").read_bytes()
    assert (out / "graph.html").read_bytes() == (seeded_out / "graph.html").read_bytes()
    assert "warning" in done.stderr and len(done.stderr.splitlines()) <= 8
    again = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(corpus_dir), "--out", str(out)],
                           cwd=ROOT, capture_output=True, text=True, timeout=300, preexec_fn=_limited)
    assert again.returncode == 0 and "warning" not in again.stderr, again.stderr


def test_full_disk_while_stamping_after_publish_is_a_warning(small_disk: Path) -> None:
    """Issue 29 item 7: the outputs are published and valid; a stamp that cannot be written
    (a full disk) is a warning (the next build redoes the work), never a traceback."""
    from kg.build import memo

    out = small_disk / "out"
    out.mkdir()
    graph = out / "graph.ttl"
    graph.write_text("<urn:a> <urn:b> <urn:c> .\n", "utf-8")
    filler = _fill(small_disk, keep=0)
    fd = os.open(filler, os.O_WRONLY | os.O_APPEND)
    with contextlib.suppress(OSError):  # the last blocks too
        while True:
            os.write(fd, b"\0" * 512)
    os.close(fd)
    big_counts = {f"c{i}": i for i in range(5000)}  # a stamp of some size: no room for it
    import logging

    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("kg.build.memo")  # seen whatever the CLI did to the "kg" logger
    logger.addHandler(handler)
    try:
        memo.record(out, "k" * 64, [graph], big_counts, corpus=[1, 2, 3])
    finally:
        logger.removeHandler(handler)
    assert any("build stamp" in r.getMessage() and "No space left" in r.getMessage() for r in records)
    assert not (out / memo.STAMP).exists()


@pytest.mark.model
def test_out_inside_the_corpus_is_not_read_as_articles(tmp_path: Path, corpus_dir: Path) -> None:
    """Issue 29 item 8: the previous build's page (and Turtle, events) under CORPUS/out are not
    articles of the next build; OUT as the corpus folder itself is refused in one line."""
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    out = corpus / "out"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out)]
    first = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    events = (out / "events.jsonl").read_bytes()
    second = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert b"graph.html" not in (out / "events.jsonl").read_bytes()
    assert (out / "events.jsonl").read_bytes() == events
    assert "out/" not in second.stderr
    same = subprocess.run([*cmd[:-1], str(corpus)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert same.returncode == 2 and same.stderr.count("\n") == 1, same.stderr
    assert "corpus" in same.stderr and "--out" in same.stderr
