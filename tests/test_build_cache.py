"""The extraction cache: hits on rebuild, invalidation, and corrupt entries never trusted."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

import kg.build.cache
import kg.build.pipeline
from kg.build.cache import FactsCache, article_key, pipeline_version
from kg.ingest import Fingerprint, fingerprint, parse_article
from kg.records import Article, ArticleFacts, Counts, Evidence, Takedown

VERSION = "ab" * 32


class _Entry:
    """An article with the facts and fingerprint a build would cache for it."""

    def __init__(self, text: str = "Meta removed 12 accounts.\n", path: str = "") -> None:
        self.article: Article = parse_article(f"Title\n\nMay 1, 2021\n\n{text}", file="a.txt", path=path)
        ev = Evidence(self.article.id, "a.txt", text.splitlines()[0], 0, 10, "rule", 0.9)
        t = Takedown("Facebook", "net", Counts(accounts=12), date(2021, 5, 1), (), (), ev)
        self.facts = ArticleFacts(article=self.article.meta, takedowns=(t,), denials=())
        self.fingerprint: Fingerprint = fingerprint(self.article)

    def put(self, cache: FactsCache) -> None:
        cache.put(self.article, self.facts, self.fingerprint)


def _facts(text: str = "Meta removed 12 accounts.\n") -> _Entry:
    return _Entry(text)


def test_round_trip(tmp_path: Path) -> None:
    cache = FactsCache(tmp_path, VERSION)
    facts = _facts()
    assert cache.get(facts.article) is None
    facts.put(cache)
    entry = cache.get(facts.article)
    assert entry is not None and entry.facts == facts.facts and entry.fingerprint == facts.fingerprint
    assert (cache.stats.hits, cache.stats.misses, cache.stats.written) == (1, 1, 1)


def test_facts_keep_no_text(tmp_path: Path) -> None:
    """What a build holds per article is its metadata and evidence: the text stays in the file."""
    facts = _Entry("Meta removed 12 accounts.\n\nA closing paragraph about zebras.\n")
    facts.put(FactsCache(tmp_path, VERSION))
    entry = FactsCache(tmp_path, VERSION).get(facts.article)
    assert entry is not None and not hasattr(entry.facts.article, "text")
    assert b"zebras" not in next(tmp_path.rglob("*.facts")).read_bytes()
    assert len(entry.fingerprint.signature) == 128 * 8


def test_an_entry_written_before_estimated_dates_hits_with_the_estimate(tmp_path: Path) -> None:
    """An undated article's entry from a build that did not estimate dates is still its facts:
    the estimate is read from the text the entry's key covers, so it is a hit, not a re-parse."""
    cache = FactsCache(tmp_path, VERSION)
    article = parse_article("Title\nIt removed 12 accounts on March 4, 2021.\n", file="a.txt")
    assert article.meta.estimated == date(2021, 3, 4)
    ev = Evidence(article.id, "a.txt", "It removed 12 accounts", 0, 10, "rule", 0.9)
    t = Takedown("Facebook", "net", Counts(accounts=12), None, (), (), ev)
    old = ArticleFacts(article=replace(article.meta, estimated=None), takedowns=(t,), denials=())
    cache.put(article, old, fingerprint(article))
    entry = cache.get(article)
    assert entry is not None and entry.facts.article == article.meta and not cache.notes


def test_same_article_by_another_path_hits_with_the_new_path(tmp_path: Path) -> None:
    """``kg build corpus`` then ``kg build /abs/corpus``: same entries, current paths in facts."""
    cache = FactsCache(tmp_path, VERSION)
    first = _Entry(path="corpus/a.txt")
    first.put(cache)
    again = _Entry(path="/data/corpus/a.txt")
    entry = cache.get(again.article)
    assert entry is not None
    assert entry.facts.article.path == "/data/corpus/a.txt"
    assert entry.facts.takedowns == first.facts.takedowns


def test_other_version_or_article_misses(tmp_path: Path) -> None:
    facts = _facts()
    facts.put(FactsCache(tmp_path, VERSION))
    assert FactsCache(tmp_path, "cd" * 32).get(facts.article) is None
    other = _facts("Twitter suspended 40 accounts.\n")
    assert FactsCache(tmp_path, VERSION).get(other.article) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-5] + bytes(x ^ 0xFF for x in b[-5:]),  # garbled payload
        lambda b: b[:20] + b"\0" + b[21:],  # garbled header (pipeline version)
        lambda b: b"",  # empty
        lambda b: b"not a cache entry at all",
    ],
)
def test_damaged_entry_is_a_miss(tmp_path: Path, damage) -> None:  # type: ignore[no-untyped-def]
    cache = FactsCache(tmp_path, VERSION)
    facts = _facts()
    facts.put(cache)
    path = cache.path(facts.article)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get(facts.article) is None
    assert cache.stats.bad == 1


def test_entry_of_another_article_is_a_miss(tmp_path: Path) -> None:
    """An entry copied under another article's name (stale or foreign) is not trusted."""
    cache = FactsCache(tmp_path, VERSION)
    a, b = _facts(), _facts("Twitter suspended 40 accounts.\n")
    a.put(cache)
    cache.path(b.article).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(cache.path(a.article), cache.path(b.article))
    assert cache.get(b.article) is None


def test_key_covers_every_article_field() -> None:
    a = _facts().article
    renamed = parse_article(a.text, file="b.txt")
    assert renamed.id == a.id  # same content id ...
    assert article_key(renamed) != article_key(a)  # ... but evidence names the file: another entry


def test_pipeline_version_covers_its_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    pipeline_version.cache_clear()
    base = pipeline_version()
    monkeypatch.setattr("kg.extract.model.PIPELINE_VERSION", "changed")
    pipeline_version.cache_clear()
    assert pipeline_version() != base
    monkeypatch.undo()
    monkeypatch.setattr(kg.build.cache, "data_fingerprint", lambda: b"other gazetteer")
    pipeline_version.cache_clear()
    assert pipeline_version() != base
    monkeypatch.setattr(kg.build.cache, "model_fingerprint", lambda model: "other-model==9")
    pipeline_version.cache_clear()
    assert pipeline_version() != base
    monkeypatch.undo()
    pipeline_version.cache_clear()
    assert pipeline_version() == base


# -- through the build (needs the model) ---------------------------------------------------


@pytest.fixture()
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Files of the articles the build really parses (in this process: no worker, whose
    calls a spy here would not see)."""
    import kg.extract

    seen: list[str] = []
    real = kg.extract.extract_articles
    monkeypatch.setattr(kg.build.pipeline, "forks_cheaply", lambda: False)

    def spy(articles, nlp, *args, **kwargs):  # type: ignore[no-untyped-def]
        articles = list(articles)
        seen.extend(a.file for a in articles)
        return real(articles, nlp, *args, **kwargs)

    monkeypatch.setattr(kg.extract, "extract_articles", spy)
    return seen


def _outputs(out: Path) -> tuple[bytes, bytes]:
    return (out / "graph.ttl").read_bytes(), (out / "events.jsonl").read_bytes()


@pytest.fixture()
def seeds(tmp_path: Path, corpus_dir: Path) -> Path:
    copy = tmp_path / "corpus"
    shutil.copytree(corpus_dir, copy)
    return copy


@pytest.mark.model
def test_rebuild_reads_the_cache(seeds: Path, tmp_path: Path, parsed: list[str]) -> None:
    first = kg.build.pipeline.build(seeds, tmp_path / "a", html=False)
    assert (first.extracted, first.cached) == (5, 0) and len(parsed) == 5
    parsed.clear()
    again = kg.build.pipeline.build(seeds, tmp_path / "a", html=False)
    assert (again.extracted, again.cached) == (0, 5) and parsed == []
    kg.build.pipeline.build(seeds, tmp_path / "b", html=False, cache=False)
    assert _outputs(tmp_path / "a") == _outputs(tmp_path / "b")
    assert not (tmp_path / "b" / ".cache").exists()


@pytest.mark.model
def test_changed_article_is_reparsed(seeds: Path, tmp_path: Path, parsed: list[str]) -> None:
    cache = tmp_path / "cache"
    kg.build.pipeline.build(seeds, tmp_path / "a", html=False, cache_dir=cache)
    changed = sorted(seeds.glob("*.txt"))[2]
    changed.write_text(changed.read_text("utf-8") + "\nTwitter suspended 41 accounts.\n", "utf-8")
    (seeds / "new.txt").write_text("New article\n\nMarch 3, 2020\n\nYouTube removed 9 channels.\n", "utf-8")
    parsed.clear()
    result = kg.build.pipeline.build(seeds, tmp_path / "b", html=False, cache_dir=cache)
    assert sorted(parsed) == sorted([changed.name, "new.txt"])
    assert (result.extracted, result.cached) == (2, 4)
    kg.build.pipeline.build(seeds, tmp_path / "c", html=False, cache=False)
    assert _outputs(tmp_path / "b") == _outputs(tmp_path / "c")


@pytest.mark.model
def test_new_pipeline_version_reparses_everything(
    seeds: Path, tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    kg.build.pipeline.build(seeds, tmp_path / "a", html=False, cache_dir=cache)
    monkeypatch.setattr(kg.build.cache, "data_fingerprint", lambda: b"an edited gazetteer")
    pipeline_version.cache_clear()
    try:
        parsed.clear()
        result = kg.build.pipeline.build(seeds, tmp_path / "a", html=False, cache_dir=cache)
        assert result.extracted == 5 and len(parsed) == 5
    finally:
        pipeline_version.cache_clear()


@pytest.mark.model
def test_corrupt_entries_are_rebuilt(seeds: Path, tmp_path: Path, parsed: list[str]) -> None:
    out = tmp_path / "out"
    kg.build.pipeline.build(seeds, out, html=False)
    expected = _outputs(out)
    entries = sorted((out / ".cache").rglob("*.facts"))
    assert len(entries) == 5
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # truncated
    data = bytearray(entries[1].read_bytes())
    data[-10] ^= 0x55  # one flipped bit pattern in the payload
    entries[1].write_bytes(bytes(data))
    entries[2].write_bytes(entries[3].read_bytes())  # another article's entry
    parsed.clear()
    result = kg.build.pipeline.build(seeds, out, html=False)
    assert (result.extracted, result.cached) == (3, 2) and len(parsed) == 3
    assert _outputs(out) == expected
    parsed.clear()
    assert kg.build.pipeline.build(seeds, out, html=False).extracted == 0  # rewritten whole


# -- hostile entries: data never runs, links and special files are never read ---------------


class _Trap:
    """Unpickling this creates ``marker``: what a forged pickle entry would do."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Path.touch, (self.marker,))


def _forge(cache: FactsCache, entry: _Entry, marker: Path) -> list[bytes]:
    """Entries that would run code if unpickled: the old pickle layout with its (recomputable)
    checksum, and the current header over a pickle payload."""
    import hashlib
    import pickle

    payload = pickle.dumps((_Trap(marker), entry.fingerprint))
    key = article_key(entry.article)
    old = b"KGFACTS2" + bytes.fromhex(cache.version) + bytes.fromhex(key) + hashlib.sha256(payload).digest()
    new = b" ".join(
        (
            kg.build.cache.MAGIC, cache.version.encode(), key.encode(),
            cache.sign(payload).encode(),  # signed as its writer would: the payload is what is refused
        )
    )
    assert pickle.loads(payload) and marker.exists()  # the trap works ...
    marker.unlink()
    return [old + payload, new + b"\n" + payload]


def test_forged_pickle_entry_runs_nothing(tmp_path: Path) -> None:
    cache = FactsCache(tmp_path / "cache", VERSION)
    entry = _facts()
    marker = tmp_path / "pwned"
    for forged in _forge(cache, entry, marker):
        path = cache.path(entry.article)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(forged)
        assert cache.get(entry.article) is None  # ... but the cache never unpickles
        assert not marker.exists()
    assert cache.stats.bad == 2
    assert all(n.startswith(f"cache: {path}: ") and n.endswith(", re-extracting") for n in cache.notes)
    assert len(cache.notes) == 2 and all("\n" not in n for n in cache.notes)


def test_no_pickle_in_the_package() -> None:
    root = Path(kg.build.cache.__file__).parent
    use = re.compile(r"^\s*(import pickle|from pickle import)|\bpickle\.(loads?|Unpickler)\b", re.M)
    assert [p.name for p in root.rglob("*.py") if use.search(p.read_text("utf-8"))] == []


def test_entries_are_json_data(tmp_path: Path) -> None:
    import json

    cache = FactsCache(tmp_path, VERSION)
    entry = _facts()
    entry.put(cache)
    head, _, payload = cache.path(entry.article).read_bytes().partition(b"\n")
    assert head.startswith(kg.build.cache.MAGIC + b" ")
    data = json.loads(payload)
    assert data["facts"]["takedowns"][0]["counts"]["accounts"] == 12


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda d: d["facts"]["takedowns"][0]["counts"].update(accounts="12"), "expected an integer"),
        (lambda d: d["facts"]["takedowns"][0]["counts"].update(accounts=True), "expected an integer"),
        (lambda d: d["facts"]["takedowns"][0].update(date="2021-02-30"), "not an ISO date"),
        (lambda d: d["facts"]["takedowns"][0].update(extra=1), "unknown fields"),
        (lambda d: d["facts"]["takedowns"][0].pop("platform"), "missing fields"),
        (lambda d: d["facts"].update(takedowns={"0": 1}), "expected a list"),
        (lambda d: d["fingerprint"].update(signature="not base64!"), "not base64"),
        (lambda d: d["fingerprint"].update(signature="AAAA"), "signature of 3 bytes"),
        (lambda d: d.update(facts={"__class__": "os.system"}), "unknown fields"),
        (lambda d: d["facts"]["article"].update(id="0" * 16), "facts of another article"),
    ],
)
def test_entry_that_does_not_validate_is_a_miss(tmp_path: Path, edit, reason: str) -> None:  # type: ignore[no-untyped-def]
    """A well-formed entry (right header, right checksum) whose records are not the right shape."""
    _edited_entry_is_a_miss(tmp_path, edit, reason)


def _edited_entry_is_a_miss(tmp_path: Path, edit, reason: str) -> None:  # type: ignore[no-untyped-def]
    """Put an entry, edit its records, sign it again: the cache must refuse it, saying why."""
    import json

    cache = FactsCache(tmp_path, VERSION)
    entry = _facts()
    entry.put(cache)
    path = cache.path(entry.article)
    head, _, payload = path.read_bytes().partition(b"\n")
    data = json.loads(payload)
    edit(data)
    payload = json.dumps(data).encode()
    path.write_bytes(_signed(cache, head, payload))
    assert cache.get(entry.article) is None
    assert len(cache.notes) == 1 and reason in cache.notes[0], cache.notes


def _ev(d):  # type: ignore[no-untyped-def]
    return d["facts"]["takedowns"][0]["evidence"]


# Issue 29 item 5: a forged entry whose checksum was recomputed is still checked field by field.
@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda d: _ev(d).update(confidence=float("nan")), "confidence"),
        (lambda d: _ev(d).update(confidence=float("inf")), "confidence"),
        (lambda d: _ev(d).update(confidence=7.5), "confidence"),
        (lambda d: d["facts"]["takedowns"][0]["counts"].update(accounts=-5), "out of range"),
        (lambda d: d["facts"]["takedowns"][0]["counts"].update(accounts=int("9" * 4000)), "out of range"),
        (lambda d: d["facts"]["takedowns"][0].update(network="\ud800"), "surrogate"),
        (lambda d: _ev(d).update(sentence="x" * 3_000_000, end=3_000_000), "of the article"),
        (lambda d: _ev(d).update(sentence="root:x:0:0:root:/root:/bin/sh"), "not a sentence of the article"),
        (lambda d: _ev(d).update(article_id="f" * 16), "another article"),
        (lambda d: _ev(d).update(start=-3), "out of range"),
    ],
)
def test_forged_values_are_a_miss(tmp_path: Path, edit, reason: str) -> None:  # type: ignore[no-untyped-def]
    _edited_entry_is_a_miss(tmp_path, edit, reason)


def _signed(cache: FactsCache, head: bytes, payload: bytes) -> bytes:
    """The entry as its writer would sign it (what a forger with the writer's key could do)."""
    import hashlib

    fields = head.split(b" ")
    fields[3] = getattr(cache, "sign", lambda p: hashlib.sha256(p).hexdigest())(payload).encode()
    return b" ".join(fields) + b"\n" + payload


_SPECIAL = """
import os, sys
from pathlib import Path
from kg.build.cache import FactsCache
from tests.test_build_cache import VERSION, _facts
cache = FactsCache(Path(sys.argv[1]), VERSION)
entry = _facts()
path = cache.path(entry.article)
path.parent.mkdir(parents=True, exist_ok=True)
kind = sys.argv[2]
if kind == "zero":
    path.symlink_to("/dev/zero")
elif kind == "fifo":
    os.mkfifo(path)
elif kind == "link":
    entry.put(cache)
    real = path.with_name("real.facts")
    path.rename(real)
    path.symlink_to(real.name)
elif kind == "huge":
    with open(path, "wb") as fh:
        fh.truncate(70 * 1024 * 1024)
print(cache.get(entry.article), cache.notes[0] if cache.notes else "-")
"""


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("zero", "a symbolic link"),
        ("fifo", "not a regular file"),
        ("link", "a symbolic link"),  # even a link to a good entry: the cache holds files
        ("huge", "over the 67108864-byte limit"),
    ],
)
def test_links_special_and_huge_entries_are_misses(tmp_path: Path, kind: str, reason: str) -> None:
    """Run in a child with a timeout: a regression reads /dev/zero forever or blocks on the FIFO."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", _SPECIAL, str(tmp_path / "cache"), kind],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result, _, note = done.stdout.strip().partition(" ")
    assert result == "None" and reason in note and note.endswith(", re-extracting"), done.stdout


@pytest.mark.model
def test_build_over_forged_entries_runs_nothing_and_reextracts(seeds: Path, tmp_path: Path) -> None:
    """Every entry of a built OUT/.cache replaced by a pickle that would create a file: the next
    ``kg build`` creates nothing, notes each entry on one line, re-parses and writes the same bytes."""
    import pickle

    from typer.testing import CliRunner

    from kg.cli import app

    out = tmp_path / "out"
    kg.build.pipeline.build(seeds, out, html=False)
    expected = _outputs(out)
    entries = sorted((out / ".cache").rglob("*.facts"))
    assert len(entries) == 5
    marker = tmp_path / "pwned"
    signer = FactsCache(out / ".cache", "0" * 64)  # this user's key: the entries pass their signature
    for path in entries:
        head = path.read_bytes().partition(b"\n")[0].split(b" ")
        payload = pickle.dumps(_Trap(marker))
        head[3] = signer.sign(payload).encode()
        path.write_bytes(b" ".join(head) + b"\n" + payload)
    result = CliRunner().invoke(app, ["build", str(seeds), "--out", str(out), "--no-html"])
    assert result.exit_code == 0, result.output
    assert not marker.exists()
    notes = [ln for ln in result.stderr.splitlines() if ln.startswith("cache: ")]
    assert len(notes) == 5 and all(ln.endswith(": not valid JSON, re-extracting") for ln in notes), notes
    assert "5 parsed, 0 from cache" in result.stdout
    assert _outputs(out) == expected


def test_the_cache_version_covers_every_module_the_extractor_imports() -> None:
    """Editing any kg module that extraction runs (a rule, the attribute ruler, a word-list
    loader) must invalidate the cache: each one is under ``_EXTRACTOR_SOURCES``."""
    import subprocess
    import sys

    listing = (
        "import sys, kg.extract.run, kg.extract.attribute_rules, kg.extract.model\n"
        "print('\\n'.join(sorted(m.__file__ for n, m in sys.modules.items() if n.startswith('kg.'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", listing], capture_output=True, text=True, check=True)
    kg_dir = Path(kg.build.cache.__file__).resolve().parent.parent
    covered = [kg_dir / name for name in kg.build.cache._EXTRACTOR_SOURCES]
    files = [Path(f).resolve() for f in done.stdout.split()]
    assert kg_dir / "extract" / "attribute_rules.py" in files
    unrelated = {kg_dir / "errors.py"}  # messages only; kg's version is in the key by itself
    missing = [f for f in files if f not in unrelated and not any(f == c or c in f.parents for c in covered)]
    assert missing == []


# Issue 29 item 5: entries are signed with a per-user key kept outside the cache (0600), so one
# user's forged entry is a miss for another; a shard that is a link is never written through.
def test_an_entry_signed_by_another_user_is_a_miss(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import stat

    shared = tmp_path / "shared-cache"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "mallory"))
    entry = _facts()
    mallory = FactsCache(shared, VERSION)
    entry.put(mallory)
    assert mallory.get(entry.article) is not None  # good for its writer
    key = tmp_path / "mallory" / "kg" / "cache.key"
    assert key.is_file() and stat.S_IMODE(key.stat().st_mode) == 0o600
    assert not any(p.name == "cache.key" for p in shared.rglob("*"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "alice"))
    alice = FactsCache(shared, VERSION)
    assert alice.get(entry.article) is None
    assert len(alice.notes) == 1 and "signed with another key" in alice.notes[0], alice.notes
    entry.put(alice)
    assert FactsCache(shared, VERSION).get(entry.article) is not None


def test_a_key_others_can_read_or_a_link_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "conf"))
    entry = _facts()
    cache = FactsCache(tmp_path / "c", VERSION)
    entry.put(cache)
    key = tmp_path / "conf" / "kg" / "cache.key"
    key.chmod(0o644)  # readable by others: anyone could sign
    assert FactsCache(tmp_path / "c", VERSION).get(entry.article) is None
    key.chmod(0o600)
    assert FactsCache(tmp_path / "c", VERSION).get(entry.article) is not None
    elsewhere = tmp_path / "planted.key"
    elsewhere.write_bytes(key.read_bytes())
    elsewhere.chmod(0o600)
    key.unlink()
    key.symlink_to(elsewhere)
    assert FactsCache(tmp_path / "c", VERSION).get(entry.article) is None


def test_a_shard_that_is_a_link_is_never_written_through(tmp_path: Path) -> None:
    cache = FactsCache(tmp_path / "c", VERSION)
    entry = _facts()
    outside = tmp_path / "outside"
    outside.mkdir()
    shard = cache.path(entry.article).parent
    shard.parent.mkdir(parents=True)
    shard.symlink_to(outside)
    entry.put(cache)
    assert list(outside.iterdir()) == []
    version_link = FactsCache(tmp_path / "d", VERSION)
    version_link.dir.parent.mkdir(parents=True)
    version_link.dir.symlink_to(outside)
    entry.put(version_link)
    assert list(outside.rglob("*")) == []
