"""The corpus walk stays inside the corpus: links out of it, devices, FIFOs, dangling links and
unreadable folders are named in the skipped lines and never read.

Reads that a regression could turn into a hang (a FIFO, /dev/zero) run in a child process with
a timeout, so the suite fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg.ingest import ingest_corpus, scan_corpus_files

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = "Report\n2021-03-01\nTwitter removed 50 fake accounts linked to Iran.\n"


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    """A corpus with one good article and every kind of hostile entry."""
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "good.txt").write_text(ARTICLE, "utf-8")
    (corpus / "sub" / "inner.txt").write_text(ARTICLE.replace("50", "60"), "utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("Secret\nthe outside file: must never become an article\n", "utf-8")
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    (corpus / "secret.txt").symlink_to(outside)
    (corpus / "zero.txt").symlink_to("/dev/zero")
    (corpus / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    (corpus / "inside.txt").symlink_to("sub/inner.txt")  # inside the corpus: read (a duplicate)
    (corpus / "loop").symlink_to(".")  # a folder link: not followed
    os.mkfifo(corpus / "pipe.txt")
    return corpus


def test_scan_names_every_hostile_entry(hostile: Path) -> None:
    files, skipped = scan_corpus_files(hostile)
    assert [p.relative_to(hostile).as_posix() for p in files] == ["good.txt", "inside.txt", "sub/inner.txt"]
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert reasons["passwd.txt"].endswith(
        "passwd.txt: link to /etc/passwd, outside the corpus (--follow-outside-links reads it)"
    )
    assert "outside the corpus" in reasons["secret.txt"]
    assert "outside the corpus" in reasons["zero.txt"]
    assert "dangling link to " in reasons["dangling.txt"]
    assert "link to a folder" in reasons["loop"]
    assert reasons["pipe.txt"].endswith("pipe.txt: a FIFO, not read")
    assert all("\n" not in s.reason for s in skipped)


def test_follow_outside_links_reads_files_never_devices(hostile: Path, tmp_path: Path) -> None:
    files, skipped = scan_corpus_files(hostile, follow_outside_links=True)
    names = [p.name for p in files]
    assert "secret.txt" in names and "passwd.txt" in names
    reasons = {Path(s.path).name: s.reason for s in skipped}
    assert "link to a character device (/dev/zero), not read" in reasons["zero.txt"]


def test_ingest_reads_only_the_corpus(hostile: Path) -> None:
    articles, skipped = ingest_corpus(hostile)
    assert sorted(a.file for a in articles) == ["good.txt", "inside.txt"]
    assert not any("outside file" in a.text or "root:" in a.text for a in articles)
    assert any("sub/inner.txt: duplicate of inside.txt" in s.reason for s in skipped)


_READ = """
import sys
from pathlib import Path
from kg.errors import InputError
from kg.ingest import read_article
try:
    read_article(Path(sys.argv[1]))
except InputError as exc:
    print(exc)
"""


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_reading_a_special_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    """``kg extract pipe.txt`` or a file swapped for a FIFO after the walk: fstat before reading."""
    path = tmp_path / "special.txt"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    done = subprocess.run(
        [sys.executable, "-c", _READ, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip() == f"{path}: not a regular file (a device, FIFO or socket), not read", done


def _without_dac_override() -> list[str]:
    """Run as root without the capabilities that bypass file modes, so a mode-000 folder is
    unreadable as it is for any user (util-linux ``setpriv``)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root and setpriv (util-linux) is missing")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


def test_unreadable_folder_is_named(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "locked").mkdir(parents=True)
    (corpus / "locked" / "a.txt").write_text(ARTICLE, "utf-8")
    (corpus / "good.txt").write_text(ARTICLE, "utf-8")
    (corpus / "locked").chmod(0)
    code = (
        "import json, sys\nfrom kg.ingest import scan_corpus_files\n"
        "files, skipped = scan_corpus_files(sys.argv[1])\n"
        "print(json.dumps([[str(f) for f in files], [s.reason for s in skipped]]))\n"
    )
    try:
        done = subprocess.run(
            [*_without_dac_override(), sys.executable, "-c", code, str(corpus)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
    finally:
        (corpus / "locked").chmod(0o755)
    files, reasons = json.loads(done.stdout)
    assert files == [str(corpus / "good.txt")]
    assert reasons == [f"{corpus / 'locked'}: cannot read the folder (Permission denied)"]


@pytest.mark.model
def test_build_over_a_hostile_corpus(hostile: Path, tmp_path: Path) -> None:
    """The whole build: skipped lines name each entry, nothing hangs, only corpus files become
    articles; ``--strict`` makes the same entries an error (exit 2, one line)."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(hostile), "--out", str(out), "--no-html"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ln.startswith("skipped: ")]
    for name in ("passwd.txt", "secret.txt", "zero.txt", "dangling.txt", "pipe.txt", "loop", "sub/inner.txt"):
        assert sum(f"{hostile / name}:" in ln for ln in lines) == 1, (name, lines)
    files = [json.loads(ln)["file"] for ln in (out / "events.jsonl").read_text("utf-8").splitlines()]
    assert files == ["good.txt", "inside.txt"]
    strict = subprocess.run([*cmd, "--strict"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert strict.returncode == 2 and "Traceback" not in strict.stderr
    assert strict.stderr.count("\n") == 1 and "dangling link" in strict.stderr


def _swap_after_listing(tmp_path: Path) -> tuple[Path, list[Path]]:
    corpus = tmp_path / "race"
    (corpus / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "sub/c.txt"):
        (corpus / name).write_text(ARTICLE, "utf-8")
    (corpus / "d.txt").symlink_to("a.txt")  # a link inside the corpus: read
    files, skipped = scan_corpus_files(corpus)
    assert len(files) == 4 and skipped == []
    # After the listing, before the reading: a file and the inside link become links out,
    # and a folder becomes a link to a folder outside (issue 29 item 4).
    (corpus / "b.txt").unlink()
    (corpus / "b.txt").symlink_to("/etc/passwd")
    (corpus / "d.txt").unlink()
    (corpus / "d.txt").symlink_to("/etc/passwd")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "c.txt").write_text("Secret\nroot:x:0:0 from outside the corpus\n", "utf-8")
    shutil.rmtree(corpus / "sub")
    (corpus / "sub").symlink_to(elsewhere)
    return corpus, files


def test_a_file_swapped_for_a_link_after_listing_is_not_read(tmp_path: Path) -> None:
    from kg.ingest import read_files
    from kg.ingest.text import Skipped

    corpus, files = _swap_after_listing(tmp_path)
    items = list(read_files(files, corpus))
    texts = [item.text for item in items if hasattr(item, "text")]
    assert len(texts) == 1 and all("root:" not in t for t in texts)
    reasons = [item.reason for item in items if isinstance(item, Skipped)]
    assert len(reasons) == 3 and all("outside the corpus" in r for r in reasons), reasons


@pytest.mark.model
def test_a_cluster_worker_checks_the_file_it_opened_too(tmp_path: Path) -> None:
    """The same swap, read by a cluster worker's task (``extract_partition``, called here as a
    worker calls it): the swapped files are skipped, never read."""
    from kg.build.cluster import extract_partition

    corpus, files = _swap_after_listing(tmp_path)
    results = extract_partition([str(f) for f in files], None, str(corpus.absolute()))
    failed = [r.failed.reason for r in results if r.failed is not None]
    assert len(failed) == 3 and all("outside the corpus" in reason for reason in failed), failed
    assert sum(len(r.facts) for r in results) == 1
