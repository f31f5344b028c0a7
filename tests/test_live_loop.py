"""``kg watch`` and ``kg serve --watch`` with real processes and real files.

Each test starts the command, changes files in its corpus folder and waits (with a deadline,
never a fixed sleep) for ``OUT/version.json`` to say the next set is out; outputs are compared
with a cold build of the same folder. Articles are the ones of tests/test_live_state.py."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.test_live_state import ARTICLES, NEW, _cold

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parent.parent
DEADLINE = 90.0


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def until(condition: Callable[[], object], what: str, timeout: float = DEADLINE) -> object:
    """Wait for ``condition`` to hold (checked every 20 ms), or fail naming ``what``."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := condition():
            return value
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def version(out: Path) -> int:
    try:
        return int(json.loads((out / "version.json").read_text("utf-8"))["version"])
    except (OSError, ValueError, KeyError):
        return 0


def _banner(log: Path) -> str:
    """The servers' address lines, once they are up (else empty)."""
    text = log.read_text("utf-8")
    return text if "press Ctrl-C" in text else ""


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, "utf-8")
    return folder


def _start(args: list[str], log: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", *args], cwd=ROOT, env=_env(), text=True,
        stdout=log.open("w"), stderr=subprocess.STDOUT,
    )


@pytest.fixture()
def watching(corpus: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path, Path]]:
    out, log = tmp_path / "out", tmp_path / "watch.log"
    process = _start(["watch", str(corpus), "--out", str(out), "--no-html"], log)
    try:
        until(lambda: version(out) >= 1, "the first set")
        yield process, out, log
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)


@pytest.fixture()
def serving(corpus: Path, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """``kg serve OUT --watch CORPUS`` on free ports: the process and its banner."""
    if shutil.which("oxigraph") is None and not (Path(sys.executable).parent / "oxigraph").exists():
        pytest.skip("the oxigraph server binary is absent")
    out, log = tmp_path / "out", tmp_path / "serve.log"
    process = _start(["serve", str(out), "--watch", str(corpus), "--port", "0", "--page-port", "0"], log)
    try:
        banner = until(lambda: _banner(log), "the servers")
        assert isinstance(banner, str)
        yield process, banner
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def test_watch_follows_adds_edits_and_deletes(
    watching: tuple[subprocess.Popen[str], Path, Path], corpus: Path, tmp_path: Path
) -> None:
    process, out, log = watching
    steps: list[Callable[[], None]] = [
        lambda: (corpus / "d.txt").write_text(NEW, "utf-8"),
        lambda: (corpus / "c.txt").write_text(ARTICLES["c.txt"].replace("300", "310"), "utf-8"),
        lambda: (corpus / "b.txt").unlink(),  # merged with a.txt
        lambda: (corpus / "c.txt").unlink(),  # the only source of its event
    ]
    for n, change in enumerate(steps, start=2):
        change()
        until(lambda n=n: version(out) >= n, f"set {n}")
        turtle, events = _cold(corpus, tmp_path / f"cold{n}")
        assert (out / "graph.ttl").read_text("utf-8") == turtle
        assert (out / "events.jsonl").read_text("utf-8") == events
    assert process.poll() is None


def test_polling_follows_an_add_and_a_delete(corpus: Path, tmp_path: Path) -> None:
    """Where the platform gives no file events: ``--poll`` looks at sizes and mtimes instead."""
    out, log = tmp_path / "out", tmp_path / "watch.log"
    process = _start(["watch", str(corpus), "--out", str(out), "--no-html", "--poll"], log)
    try:
        until(lambda: version(out) >= 1, "the first set")
        # the notice is written once the first set is out, not before it
        until(lambda: "(polling)" in log.read_text("utf-8"), "the polling notice")
        (corpus / "d.txt").write_text(NEW, "utf-8")
        until(lambda: version(out) >= 2, "the set with the new file")
        (corpus / "c.txt").unlink()
        until(lambda: version(out) >= 3, "the set without the deleted file")
        turtle, events = _cold(corpus, tmp_path / "cold")
        assert (out / "graph.ttl").read_text("utf-8") == turtle
        assert (out / "events.jsonl").read_text("utf-8") == events
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=DEADLINE) == 0


def test_a_file_written_slowly_is_read_once_whole(
    watching: tuple[subprocess.Popen[str], Path, Path], corpus: Path, tmp_path: Path
) -> None:
    process, out, log = watching
    with (corpus / "d.txt").open("w", encoding="utf-8") as fh:  # a copy in progress
        for i in range(0, len(NEW), 40):
            fh.write(NEW[i:i + 40])
            fh.flush()
            time.sleep(0.02)
    until(lambda: version(out) >= 2, "the set with the new file")
    turtle, _events = _cold(corpus, tmp_path / "cold")
    assert (out / "graph.ttl").read_text("utf-8") == turtle
    updates = [line for line in log.read_text("utf-8").splitlines() if line.startswith("update ")]
    assert len(updates) == 2, updates  # the first set, then one update with the whole file


def test_a_bad_file_is_one_warning_and_the_watch_goes_on(
    watching: tuple[subprocess.Popen[str], Path, Path], corpus: Path
) -> None:
    process, out, log = watching
    (corpus / "bad.txt").write_bytes(b"\x00\x01\x02" * 400)
    until(lambda: version(out) >= 2, "the set after the bad file")
    (corpus / "d.txt").write_text(NEW, "utf-8")
    until(lambda: version(out) >= 3, "the set after the good file")
    text = log.read_text("utf-8")
    warnings = [line for line in text.splitlines() if "bad.txt" in line]
    assert len(warnings) == 1 and warnings[0].startswith("warning: "), text
    assert "Traceback" not in text and process.poll() is None


def test_a_second_watcher_is_refused_with_the_first_ones_pid(
    watching: tuple[subprocess.Popen[str], Path, Path], corpus: Path
) -> None:
    process, out, log = watching
    second = subprocess.run(
        [sys.executable, "-m", "kg.cli", "watch", str(corpus), "--out", str(out), "--no-html"],
        cwd=ROOT, env=_env(), text=True, capture_output=True, timeout=DEADLINE,
    )
    assert second.returncode != 0
    assert f"process {process.pid}" in second.stderr and "Traceback" not in second.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_watch_leaving_the_last_set(
    watching: tuple[subprocess.Popen[str], Path, Path], corpus: Path, tmp_path: Path, sig: int
) -> None:
    process, out, log = watching
    (corpus / "d.txt").write_text(NEW, "utf-8")
    until(lambda: version(out) >= 2, "the set with the new file")
    process.send_signal(sig)
    assert process.wait(timeout=DEADLINE) == 0
    assert "stopped" in log.read_text("utf-8")
    turtle, _events = _cold(corpus, tmp_path / "cold")
    assert (out / "graph.ttl").read_text("utf-8") == turtle
    assert len(list((out / ".generations").iterdir())) == 1


@pytest.mark.server
def test_serve_watch_answers_a_new_article_from_the_endpoint(
    serving: tuple[subprocess.Popen[str], str], corpus: Path
) -> None:
    process, banner = serving
    sparql = banner.split("SPARQL endpoint: ")[1].split()[0]
    page = banner.split("explorer:")[1].split()[0]
    query = (
        "PREFIX cib: <https://w3id.org/cib-kg/ontology#> "
        "SELECT (COUNT(?t) AS ?n) WHERE { ?t a cib:Takedown }"
    )

    def count() -> int:
        url = sparql + "?" + urllib.parse.urlencode({"query": query})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            data = json.load(response)
        return int(data["results"]["bindings"][0]["n"]["value"])

    assert count() == 2
    with urllib.request.urlopen(page.rstrip("/") + "/version.json", timeout=10) as response:
        assert json.load(response)["version"] == 1
    (corpus / "d.txt").write_text(NEW, "utf-8")
    until(lambda: count() == 3, "the new article's takedown at the endpoint")
    (corpus / "c.txt").unlink()
    until(lambda: count() == 2, "the deleted article's takedown gone from the endpoint")
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=DEADLINE) == 0


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.server
@pytest.mark.browser
def test_the_open_explorer_offers_the_update(
    serving: tuple[subprocess.Popen[str], str], corpus: Path
) -> None:
    if not CHROMIUM.exists():
        pytest.skip("needs the Debian chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")
    _process, banner = serving
    page_url = banner.split("explorer:")[1].split()[0]
    origin = page_url.rstrip("/")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_url, wait_until="load")
            page.wait_for_function("() => performance.getEntriesByName("
                                   "new URL('version.json', location.href).href).length > 0",
                                   timeout=30000)
            assert page.query_selector("#live-notice") is None
            (corpus / "d.txt").write_text(NEW, "utf-8")
            page.wait_for_selector("#live-notice", timeout=DEADLINE * 1000)
            assert "updated" in page.inner_text("#live-notice")
            assert all(u.startswith(origin) or u.startswith("data:") for u in requests), requests
        finally:
            browser.close()
