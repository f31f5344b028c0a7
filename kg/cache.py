"""Extraction cache: pickled ``ArticleFacts`` per (article content, pipeline version).

Parsing is nearly all of a build's time, so a rebuild after adding a few articles should
parse only those. An entry also keeps the article's duplicate-check
:class:`~kg.ingest.Fingerprint`, so a rebuild does not hash unchanged articles again. An
entry is trusted only if everything that could change its facts is unchanged: the article
record (text, file name, title, date, paragraphs; not the path the corpus was reached by,
so ``kg build corpus`` and ``kg build /abs/corpus`` share entries) and the pipeline version
(model name and version, spaCy, kg ``__version__``/``PIPELINE_VERSION``, the gazetteer and
lexicon files in ``kg/data`` and the extractor's own source). Entries carry a checksum: a
truncated, garbled or foreign entry is a miss (re-extracted and rewritten), never an error
and never trusted.

Layout: ``DIR/<pipeline version[:16]>/<key[:2]>/<key>.facts``; entries of another pipeline
version are never looked at (delete the old folders to reclaim space).
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.atomic import atomic_write
from kg.ingest import Fingerprint
from kg.records import Article, ArticleFacts

MAGIC = b"KGFACTS2"
_HEADER = len(MAGIC) + 32 + 32 + 32  # magic, pipeline version, article key, payload sha256
#: Modules whose code decides what is extracted from an article (besides kg/data and the model).
_EXTRACTOR_SOURCES = ("nlp.py", "ingest.py", "dates.py", "gazetteer.py", "records.py", "extract")


def _digest(*parts: bytes) -> bytes:
    h = hashlib.sha256()
    for part in parts:
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.digest()


def _tree_files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in (".py", ".jsonl", ".tsv"))


def data_fingerprint() -> bytes:
    """Hash of the gazetteer/lexicon files and extractor source: editing a rule or alias
    changes what an article yields, so it must invalidate every entry."""
    parts: list[bytes] = []
    data = resources.files("kg.data")
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        if entry.is_file() and entry.name.endswith((".jsonl", ".tsv")):
            parts += [entry.name.encode(), entry.read_bytes()]
    kg_dir = Path(__file__).resolve().parent
    for name in _EXTRACTOR_SOURCES:
        for path in _tree_files(kg_dir / name):
            parts += [path.relative_to(kg_dir).as_posix().encode(), path.read_bytes()]
    return _digest(*parts)


def model_fingerprint(model: str | None) -> str:
    """``name==version`` of the spaCy pipeline, without loading it when it is an installed package."""
    import spacy
    import spacy.util

    from kg.nlp import default_model

    name = model or default_model()
    version = spacy.util.get_package_version(name)
    if version is None:  # a pipeline folder, not a package: its meta.json names the version
        meta_path = Path(name) / "meta.json"
        version = hashlib.sha256(meta_path.read_bytes()).hexdigest() if meta_path.is_file() else "?"
    return f"{name}=={version};spacy=={spacy.about.__version__}"


@lru_cache(maxsize=8)
def pipeline_version(model: str | None = None) -> str:
    """Hex id of everything besides the article that decides its facts (64 hex digits)."""
    import kg
    from kg.nlp import PIPELINE_VERSION

    return _digest(
        model_fingerprint(model).encode(),
        kg.__version__.encode(),
        PIPELINE_VERSION.encode(),
        data_fingerprint(),
    ).hex()


def article_key(article: Article) -> str:
    """Content key of an article: every field the extractor reads or copies into facts, but
    the path (which only says how the corpus was reached; hits take the current one)."""
    return _digest(repr(replace(article, path="")).encode("utf-8")).hex()


@dataclass(frozen=True)
class Entry:
    """A cache hit: the article's facts (with its current path) and its fingerprint."""

    facts: ArticleFacts
    fingerprint: Fingerprint


@dataclass
class CacheStats:
    """How a build used the cache: ``hits`` were read, ``misses`` extracted, ``bad`` rejected."""

    hits: int = 0
    misses: int = 0
    bad: int = 0
    written: int = 0


class FactsCache:
    """A folder of checksummed ``ArticleFacts`` entries for one pipeline version."""

    def __init__(self, root: Path, version: str) -> None:
        self.root = Path(root)
        self.version = version
        self.dir = self.root / version[:16]
        self.stats = CacheStats()

    def path(self, article: Article) -> Path:
        key = article_key(article)
        return self.dir / key[:2] / f"{key}.facts"

    def get(self, article: Article) -> Entry | None:
        """The cached entry of ``article``, or ``None`` (missing, corrupt or not for this article)."""
        path = self.path(article)
        try:
            raw = path.read_bytes()
        except OSError:
            self.stats.misses += 1
            return None
        entry = self._decode(raw, article)
        if entry is None:
            self.stats.bad += 1
            self.stats.misses += 1
        else:
            self.stats.hits += 1
        return entry

    def _decode(self, raw: bytes, article: Article) -> Entry | None:
        if len(raw) < _HEADER or not raw.startswith(MAGIC):
            return None
        head = raw[len(MAGIC) : _HEADER]
        version, key, checksum = head[:32], head[32:64], head[64:96]
        payload = raw[_HEADER:]
        if version != bytes.fromhex(self.version) or key != bytes.fromhex(article_key(article)):
            return None
        if hashlib.sha256(payload).digest() != checksum:
            return None
        try:
            facts, fp = pickle.loads(payload)
        except Exception:  # checksum matched but unpicklable (e.g. records changed shape)
            return None
        meta = article.meta
        if (
            not isinstance(facts, ArticleFacts)
            or not isinstance(fp, Fingerprint)
            or replace(facts.article, path=meta.path) != meta
            or (fp.id, fp.file) != (meta.id, meta.file)
        ):
            return None
        if facts.article != meta:
            facts = replace(facts, article=meta)
        return Entry(facts, fp)

    def put(self, article: Article, facts: ArticleFacts, fingerprint: Fingerprint) -> None:
        """Write one entry atomically (temp file + rename); a failed write only costs a re-parse."""
        payload = pickle.dumps((facts, fingerprint), protocol=pickle.HIGHEST_PROTOCOL)
        blob = b"".join(
            (
                MAGIC,
                bytes.fromhex(self.version),
                bytes.fromhex(article_key(article)),
                hashlib.sha256(payload).digest(),
                payload,
            )
        )
        path = self.path(article)
        try:
            # no fsync: an entry lost or torn by a crash fails its checksum and is re-extracted,
            # and an fsync per article would cost more than parsing it
            atomic_write(path, blob, durable=False)
        except OSError:
            return
        self.stats.written += 1


def open_cache(root: Path, model: str | None = None, parse: str | None = None) -> FactsCache:
    """The cache of ``model`` and parse mode (``kg.extract.PARSE_MODES``, default as a build's:
    a mode's facts are only ever served to a build in the same mode)."""
    from kg.extract import parse_mode

    parse = parse_mode(parse)
    version = pipeline_version(model)
    if parse != "full":  # full keeps the keys of builds made before there were modes
        version = _digest(bytes.fromhex(version), parse.encode()).hex()
    return FactsCache(root, version)
