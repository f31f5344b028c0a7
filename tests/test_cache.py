"""The extraction cache: hits on rebuild, invalidation, and corrupt entries never trusted."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

import kg.cache
import kg.pipeline
from kg.cache import FactsCache, article_key, pipeline_version
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
    monkeypatch.setattr("kg.nlp.PIPELINE_VERSION", "changed")
    pipeline_version.cache_clear()
    assert pipeline_version() != base
    monkeypatch.undo()
    monkeypatch.setattr(kg.cache, "data_fingerprint", lambda: b"other gazetteer")
    pipeline_version.cache_clear()
    assert pipeline_version() != base
    monkeypatch.setattr(kg.cache, "model_fingerprint", lambda model: "other-model==9")
    pipeline_version.cache_clear()
    assert pipeline_version() != base
    monkeypatch.undo()
    pipeline_version.cache_clear()
    assert pipeline_version() == base


# -- through the build (needs the model) ---------------------------------------------------


@pytest.fixture()
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Files of the articles the build really parses (one process)."""
    seen: list[str] = []
    real = kg.pipeline.extract_articles

    def spy(articles, nlp, *args, **kwargs):  # type: ignore[no-untyped-def]
        articles = list(articles)
        seen.extend(a.file for a in articles)
        return real(articles, nlp, *args, **kwargs)

    monkeypatch.setattr(kg.pipeline, "extract_articles", spy)
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
    first = kg.pipeline.build(seeds, tmp_path / "a", html=False)
    assert (first.extracted, first.cached) == (5, 0) and len(parsed) == 5
    parsed.clear()
    again = kg.pipeline.build(seeds, tmp_path / "a", html=False)
    assert (again.extracted, again.cached) == (0, 5) and parsed == []
    kg.pipeline.build(seeds, tmp_path / "b", html=False, cache=False)
    assert _outputs(tmp_path / "a") == _outputs(tmp_path / "b")
    assert not (tmp_path / "b" / ".cache").exists()


@pytest.mark.model
def test_changed_article_is_reparsed(seeds: Path, tmp_path: Path, parsed: list[str]) -> None:
    cache = tmp_path / "cache"
    kg.pipeline.build(seeds, tmp_path / "a", html=False, cache_dir=cache)
    changed = sorted(seeds.glob("*.txt"))[2]
    changed.write_text(changed.read_text("utf-8") + "\nTwitter suspended 41 accounts.\n", "utf-8")
    (seeds / "new.txt").write_text("New article\n\nMarch 3, 2020\n\nYouTube removed 9 channels.\n", "utf-8")
    parsed.clear()
    result = kg.pipeline.build(seeds, tmp_path / "b", html=False, cache_dir=cache)
    assert sorted(parsed) == sorted([changed.name, "new.txt"])
    assert (result.extracted, result.cached) == (2, 4)
    kg.pipeline.build(seeds, tmp_path / "c", html=False, cache=False)
    assert _outputs(tmp_path / "b") == _outputs(tmp_path / "c")


@pytest.mark.model
def test_new_pipeline_version_reparses_everything(
    seeds: Path, tmp_path: Path, parsed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    kg.pipeline.build(seeds, tmp_path / "a", html=False, cache_dir=cache)
    monkeypatch.setattr(kg.cache, "data_fingerprint", lambda: b"an edited gazetteer")
    pipeline_version.cache_clear()
    try:
        parsed.clear()
        result = kg.pipeline.build(seeds, tmp_path / "a", html=False, cache_dir=cache)
        assert result.extracted == 5 and len(parsed) == 5
    finally:
        pipeline_version.cache_clear()


@pytest.mark.model
def test_corrupt_entries_are_rebuilt(seeds: Path, tmp_path: Path, parsed: list[str]) -> None:
    out = tmp_path / "out"
    kg.pipeline.build(seeds, out, html=False)
    expected = _outputs(out)
    entries = sorted((out / ".cache").rglob("*.facts"))
    assert len(entries) == 5
    entries[0].write_bytes(entries[0].read_bytes()[:100])  # truncated
    data = bytearray(entries[1].read_bytes())
    data[-10] ^= 0x55  # one flipped bit pattern in the payload
    entries[1].write_bytes(bytes(data))
    entries[2].write_bytes(entries[3].read_bytes())  # another article's entry
    parsed.clear()
    result = kg.pipeline.build(seeds, out, html=False)
    assert (result.extracted, result.cached) == (3, 2) and len(parsed) == 3
    assert _outputs(out) == expected
    parsed.clear()
    assert kg.pipeline.build(seeds, out, html=False).extracted == 0  # rewritten whole
