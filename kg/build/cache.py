"""Extraction cache: ``ArticleFacts`` as validated JSON, per (article content, pipeline version).

Parsing is nearly all of a build's time, so a rebuild after adding a few articles should
parse only those. An entry also keeps the article's duplicate-check
:class:`~kg.ingest.Fingerprint`, so a rebuild does not hash unchanged articles again. An
entry is trusted only if everything that could change its facts is unchanged: the article
record (text, file name, title, date, paragraphs; not the path the corpus was reached by,
so ``kg build corpus`` and ``kg build /abs/corpus`` share entries) and the pipeline version
(model name and version, spaCy, kg ``__version__``/``PIPELINE_VERSION``, the gazetteer and
lexicon files in ``kg/data`` and the extractor's own source). Entries are signed (HMAC-SHA256)
with a key of the user's own, kept outside any cache (``$XDG_CONFIG_HOME/kg/cache.key``,
0600, made on first use): a truncated, garbled, foreign or forged entry (one written by
another user into a shared cache folder) is a miss (re-extracted and rewritten, with one note
line), never an error and never trusted. A signed entry is still checked value by value
(:func:`_check_values`), and entries are data, never code. A shard folder that is a link is
never written through.

Layout: ``DIR/<pipeline version[:16]>/<key[:2]>/<key>.facts``; entries of another pipeline
version are never looked at (delete the old folders to reclaim space).
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import hmac
import json
import logging
import math
import os
import secrets
import stat
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

from kg.build.codec import CodecError, from_json, to_json
from kg.ingest import Fingerprint, one_line
from kg.ingest.duplicates import SIGNATURE_BYTES
from kg.ingest.encodings import read_unlinked_file
from kg.records import Article, ArticleFacts, Evidence
from kg.util.atomic import atomic_write

#: First word of an entry's header line: ``KGFACTS3 <pipeline version> <article key> <sha256>``,
#: then the payload, JSON of the facts and the fingerprint (never a pickle: see :mod:`kg.build.codec`).
MAGIC = b"KGFACTS4"
#: Largest entry read or written: a link to /dev/zero or a huge planted file is a miss, not a hang.
MAX_ENTRY_BYTES = 64 * 1024 * 1024
#: Bytes of the per-user signing key (``$XDG_CONFIG_HOME/kg/cache.key``, mode 0600).
KEY_BYTES = 32
#: Modules whose code decides what is extracted from an article (besides kg/data and the model).
_EXTRACTOR_SOURCES = ("extract", "ingest", "lexicon", "util/__init__.py", "util/dates.py", "records.py")


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
    kg_dir = Path(__file__).resolve().parent.parent
    for name in _EXTRACTOR_SOURCES:
        for path in _tree_files(kg_dir / name):
            parts += [path.relative_to(kg_dir).as_posix().encode(), path.read_bytes()]
    return _digest(*parts)


def model_fingerprint(model: str | None) -> str:
    """``name==version`` of the spaCy pipeline, without loading it when it is an installed package
    (nor importing spaCy: package metadata, as ``spacy.util.get_package_version`` reads it)."""
    from importlib import metadata

    from kg.extract.model import default_model

    name = model or default_model()
    try:
        version: str | None = metadata.version(name)
    except metadata.PackageNotFoundError:
        version = None
    if version is None:  # a pipeline folder, not a package: its meta.json names the version
        meta_path = Path(name) / "meta.json"
        version = hashlib.sha256(meta_path.read_bytes()).hexdigest() if meta_path.is_file() else "?"
    return f"{name}=={version};spacy=={metadata.version('spacy')}"


@lru_cache(maxsize=8)
def pipeline_version(model: str | None = None) -> str:
    """Hex id of everything besides the article that decides its facts (64 hex digits)."""
    import kg
    from kg.extract.model import PIPELINE_VERSION

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


def key_path() -> Path:
    """Where this user's cache signing key lives: outside any cache folder, in the user's config."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "kg" / "cache.key"


def _read_key(path: Path) -> bytes | None:
    """The key if ``path`` is this user's regular file (not a link), 0600 or stricter, of
    :data:`KEY_BYTES` bytes; None if absent; ``ValueError`` saying why it is not usable."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ValueError("a symbolic link, not a key") from None
        raise ValueError(exc.strerror or str(exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid():
            raise ValueError("not a file of this user")
        if st.st_mode & 0o077:
            raise ValueError(f"readable by others (mode {stat.S_IMODE(st.st_mode):o}; chmod 600 it)")
        data = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(data) != KEY_BYTES:
        raise ValueError("not a key of this kind")
    return data


def _user_key() -> bytes:
    """This user's signing key, made (0600, in a 0700 folder) on first use. A key that cannot
    be read or made is one warning and a key for this process only: its entries are never
    believed by a later build, so the cache only costs, it never misleads."""
    path = key_path()
    for _attempt in range(2):
        try:
            found = _read_key(path)
            if found is not None:
                return found
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            key = secrets.token_bytes(KEY_BYTES)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            try:
                os.write(fd, key)
                os.fsync(fd)
            finally:
                os.close(fd)
            return key
        except FileExistsError:
            continue  # another build made it meanwhile: read that one
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            logging.getLogger("kg.build.cache").warning(
                "warning: %s: cannot use as the cache signing key (%s); cached facts are not reused",
                path, reason)
            break
    return secrets.token_bytes(KEY_BYTES)


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
    """A folder of checksummed JSON entries (facts and fingerprint) for one pipeline version.

    Reading an entry never runs code and never blocks: it is opened without following a
    link and without waiting (a FIFO planted in the folder), and only a regular file of at
    most :data:`MAX_ENTRY_BYTES` is read. Anything else is a miss, noted in ``notes``.
    """

    def __init__(self, root: Path, version: str) -> None:
        self.root = Path(root)
        self.version = version
        self.dir = self.root / version[:16]
        self.stats = CacheStats()
        self._key = _user_key()
        #: One line per entry found but not trusted: ``cache: <entry>: <reason>, re-extracting``.
        self.notes: list[str] = []

    def sign(self, payload: bytes) -> str:
        """HMAC-SHA256 of an entry's payload under this user's key (hex)."""
        return hmac.new(self._key, payload, hashlib.sha256).hexdigest()

    def path(self, article: Article) -> Path:
        key = article_key(article)
        return self.dir / key[:2] / f"{key}.facts"

    def get(self, article: Article) -> Entry | None:
        """The cached entry of ``article``, or ``None`` (missing, corrupt or not for this article)."""
        path = self.path(article)
        try:
            raw = _read_entry(path)
            entry = self._decode(raw, article)
        except FileNotFoundError:
            self.stats.misses += 1
            return None
        except (OSError, BadEntry) as exc:
            reason = str(exc) if isinstance(exc, BadEntry) else f"cannot read ({exc.strerror or exc})"
            self.notes.append(f"cache: {one_line(str(path))}: {one_line(reason)}, re-extracting")
            self.stats.bad += 1
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        return entry

    def _decode(self, raw: bytes, article: Article) -> Entry:
        head, newline, payload = raw.partition(b"\n")
        fields = head.split(b" ")
        if not newline or len(fields) != 4 or fields[0] != MAGIC:
            raise BadEntry("not a cache entry of this kind")
        version, key, checksum = (f.decode("ascii", "replace") for f in fields[1:])
        if version != self.version:
            raise BadEntry("entry of another pipeline version")
        if key != article_key(article):
            raise BadEntry("entry of another article")
        if not hmac.compare_digest(self.sign(payload), checksum):
            raise BadEntry("checksum mismatch (damaged, or signed with another key)")
        try:
            data = json.loads(payload)
        except (ValueError, RecursionError):
            raise BadEntry("not valid JSON") from None
        if not isinstance(data, dict) or set(data) != {"facts", "fingerprint"}:
            raise BadEntry("not an object with facts and fingerprint")
        try:
            facts = from_json(ArticleFacts, data["facts"])
            fp = from_json(Fingerprint, data["fingerprint"])
        except (CodecError, RecursionError) as exc:
            raise BadEntry(f"invalid record ({str(exc)[:200]})") from None
        if len(fp.signature) not in (0, SIGNATURE_BYTES):
            raise BadEntry(f"fingerprint signature of {len(fp.signature)} bytes")
        meta = article.meta
        # the path and the estimated and text dates (read from the text the key covers) are refreshed
        refreshed = replace(facts.article, path=meta.path, estimated=meta.estimated, text_date=meta.text_date)
        if refreshed != meta or (fp.id, fp.file) != (meta.id, meta.file):
            raise BadEntry("facts of another article")
        _check_values(facts, article)
        if facts.article != meta:
            facts = replace(facts, article=meta)
        return Entry(facts, fp)

    def put(self, article: Article, facts: ArticleFacts, fingerprint: Fingerprint) -> None:
        """Write one entry atomically (temp file + rename); a failed write only costs a re-parse."""
        payload = json.dumps(
            {"facts": to_json(facts), "fingerprint": to_json(fingerprint)},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        head = b" ".join(
            (
                MAGIC,
                self.version.encode(),
                article_key(article).encode(),
                self.sign(payload).encode(),
            )
        )
        if len(head) + 1 + len(payload) > MAX_ENTRY_BYTES:
            return  # facts this large are re-extracted next time rather than stored
        path = self.path(article)
        if not _real_folders(self.root, path.parent):
            return  # a shard (or version folder) that is a link: never written through
        try:
            # no fsync: an entry lost or torn by a crash fails its checksum and is re-extracted,
            # and an fsync per article would cost more than parsing it
            atomic_write(path, head + b"\n" + payload, durable=False)
        except OSError:
            return
        self.stats.written += 1


class BadEntry(Exception):
    """An entry that exists but is not trusted; the message is the reason."""


#: Largest count or offset an entry may hold (no article reports a quadrillion accounts).
MAX_INT = 10**15


def _check_values(facts: ArticleFacts, article: Article) -> None:
    """Every value of the facts in the range this code writes, else ``BadEntry``: ints (counts,
    offsets) from 0 to :data:`MAX_INT`, floats finite (confidence in [0, 1]), strings valid
    Unicode (no lone surrogate) no longer than the article, and every piece of evidence a
    sentence of this very article (its text found there, its offsets inside it)."""
    text = article.text
    longest = len(text) + 4096
    seen: list[object] = [facts]
    while seen:
        value = seen.pop()
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, int):
            if not 0 <= value <= MAX_INT:
                raise BadEntry("a count or offset out of range")
        elif isinstance(value, float):
            if not math.isfinite(value):
                raise BadEntry("a confidence or figure that is not a finite number")
        elif isinstance(value, str):
            if len(value) > longest:
                raise BadEntry("a string longer than the article")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise BadEntry("a string with a lone surrogate (not Unicode text)") from None
        elif isinstance(value, (tuple, list)):
            seen.extend(value)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            if isinstance(value, Evidence):
                _check_evidence(value, article)
            seen.extend(getattr(value, f.name) for f in dataclasses.fields(value))


def _check_evidence(ev: Evidence, article: Article) -> None:
    if ev.article_id != article.id:
        raise BadEntry("evidence of another article")
    if not 0.0 <= ev.confidence <= 1.0:  # NaN fails this too
        raise BadEntry("a confidence outside [0, 1]")
    if not 0 <= ev.start <= ev.end <= len(article.text):
        raise BadEntry("evidence offsets out of range of the article")
    if not ev.sentence or ev.sentence not in article.text:
        raise BadEntry("evidence that is not a sentence of the article")


def _real_folders(root: Path, folder: Path) -> bool:
    """Whether every folder from below ``root`` down to ``folder`` is absent or a real folder
    (not a link), making the absent ones."""
    try:
        parts = folder.relative_to(root).parts
    except ValueError:
        return False
    current = root
    try:
        root.mkdir(parents=True, exist_ok=True)
        for part in parts:
            current = current / part
            try:
                st = os.lstat(current)
            except FileNotFoundError:
                os.mkdir(current)
                continue
            if not stat.S_ISDIR(st.st_mode):
                return False
    except OSError:
        return False
    return True


def _read_entry(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_ENTRY_BYTES``, opened without following a
    link or blocking; ``BadEntry`` for a link, a device, a FIFO, a socket or an oversized file."""
    try:
        return read_unlinked_file(path, MAX_ENTRY_BYTES)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise BadEntry("a symbolic link, not an entry") from None
        raise
    except ValueError as exc:
        raise BadEntry(str(exc)) from None


def open_cache(root: Path, model: str | None = None, parse: str | None = None) -> FactsCache:
    """The cache of ``model`` and parse mode (``kg.extract.PARSE_MODES``, default as a build's:
    a mode's facts are only ever served to a build in the same mode)."""
    from kg.extract.model import parse_mode

    parse = parse_mode(parse)
    version = pipeline_version(model)
    if parse != "full":  # full keeps the keys of builds made before there were modes
        version = _digest(bytes.fromhex(version), parse.encode()).hex()
    return FactsCache(root, version)
