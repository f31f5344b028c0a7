"""Duplicates: exact (same id), same words, and near (MinHash) duplicates, from fingerprints.

An exact duplicate (the same text, title and date lines included) is dropped. A near
duplicate is a copy another outlet republished: it is not parsed, but it stays an article of
its own (file, title, date) that reports the earlier article's takedowns (:func:`with_copies`),
so the takedown lists both as sources and nothing is counted twice.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from kg.ingest.text import Skipped, _skip
from kg.records import Article, ArticleFacts, ArticleMeta, Evidence
from kg.util.dates import parse_date_line

#: What a near duplicate's skip line adds: it is kept as another report, not dropped.
COPY_NOTE = "same text, recorded as another report of its takedowns"
#: Near-duplicate threshold on the MinHash estimate of word-5-shingle Jaccard similarity.
NEAR_DUPLICATE = 0.9


_WORD = re.compile(r"\w+")
_SHINGLE = 5
_PERMUTATIONS = 128
_ROWS = 4  # rows per LSH band: 32 bands, so a pair at Jaccard 0.9 shares a band almost surely
_PRIME = 4294967311  # > 2**32: (a * h) % p stays inside uint64 for 32-bit a and h
_MAX_CANDIDATES = 32  # bounded comparison per article
#: Bytes of a MinHash signature (a fingerprint's is this long or empty).
SIGNATURE_BYTES = _PERMUTATIONS * 8


@lru_cache(maxsize=1)
def _permutations() -> tuple[Any, Any]:
    import numpy as np

    rng = np.random.default_rng(20240229)  # fixed: the same corpus always gives the same skips
    a = rng.integers(1, _PRIME - 1, size=_PERMUTATIONS, dtype=np.uint64)
    b = rng.integers(0, _PRIME - 1, size=_PERMUTATIONS, dtype=np.uint64)
    return a, b


def content_words(article: Article) -> list[str]:
    """Lower-cased words of the kept paragraphs, date lines left out: what duplicates compare."""
    words: list[str] = []
    for p in article.paragraphs:
        if parse_date_line(p.text) is None:
            words.extend(w.lower() for w in _WORD.findall(unicodedata.normalize("NFKC", p.text)))
    return words


def minhash(words: list[str]) -> Any:
    """MinHash signature (uint64 array) of the word 5-shingles of ``words``."""
    import numpy as np

    if not words:
        return None
    shingles = {
        zlib.crc32(" ".join(words[i : i + _SHINGLE]).encode("utf-8"))
        for i in range(max(1, len(words) - _SHINGLE + 1))
    }
    h = np.fromiter(sorted(shingles), dtype=np.uint64, count=len(shingles))
    a, b = _permutations()
    return (((a[:, None] * h[None, :]) % np.uint64(_PRIME) + b[:, None]) % np.uint64(_PRIME)).min(axis=1)


@dataclass(frozen=True)
class Fingerprint:
    """What the duplicate check needs of an article, without its text (~1 KB).

    Computed where the text is (a worker, or before a cache entry is written) and kept in
    the cache, so the check runs on a client that never reads the texts and a rebuild does
    not hash unchanged articles again.
    """

    id: str
    file: str
    words: str  # sha256 of the content words, "" when there are none
    signature: bytes  # MinHash signature (uint64, little-endian), b"" when there are no words


def fingerprint(article: Article) -> Fingerprint:
    words = content_words(article)
    key = hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest() if words else ""
    signature = minhash(words)
    raw = signature.astype("<u8").tobytes() if signature is not None else b""
    return Fingerprint(article.id, article.file, key, raw)


def _same_values(a: int, b: int) -> int:
    """How many of the uint64 values of two signatures (read as one integer each) are equal:
    the zero lanes of their XOR, counted in C. A lane is zero in either byte order."""
    return memoryview((a ^ b).to_bytes(SIGNATURE_BYTES, "little")).cast("Q").tolist().count(0)


class Deduplicator:
    """Finds exact, normalised and near duplicates among articles seen so far (in input order)."""

    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.words: dict[str, str] = {}
        self.signatures: list[tuple[str, int]] = []  # file, its signature as one integer
        self.bands: dict[tuple[int, bytes], list[int]] = defaultdict(list)
        self.id_of: dict[str, str] = {}  # file -> article id of every article recorded
        self.copies: dict[str, str] = {}  # file of a near duplicate -> the original's article id

    def admit(
        self, article: Article | ArticleMeta, fp: Fingerprint, skipped: list[Skipped], record: bool = True
    ) -> bool:
        """Record ``article`` and return True, or add why it is a duplicate to ``skipped``
        (then :meth:`copy` says whether it is kept as a copy). With ``record=False`` it is
        compared but not remembered (a build remembers only articles with facts)."""
        reason = self.check(fp, record)
        if reason is not None:
            note = f": {COPY_NOTE}" if fp.file in self.copies else ""
            skipped.append(_skip(article.path, f"{article.path}: {reason}{note}"))
        return reason is None

    def copy(self, article: Article | ArticleMeta) -> ArticleFacts | None:
        """The record of an article :meth:`admit` refused as a near duplicate of an earlier one
        (its own metadata, ``copy_of`` the original; :func:`with_copies` fills in the facts);
        ``None`` for an exact duplicate (the same article twice) or an admitted article."""
        original = self.copies.get(article.file)
        if original is None:
            return None
        meta = article.meta if isinstance(article, Article) else article
        return ArticleFacts(article=replace(meta, copy_of=original), takedowns=(), denials=())

    def _copy_of(self, fp: Fingerprint, other: str) -> None:
        if self.id_of[other] != fp.id:
            self.copies[fp.file] = self.id_of[other]

    def check(self, article: Article | Fingerprint, record: bool = True) -> str | None:
        """Why the article is a duplicate of an earlier one, or ``None`` (then it is recorded,
        unless ``record`` is False).

        Fingerprints are compared without numpy: a rebuild that reads only cache entries
        would import it (0.1 s) to compare a few signatures, or none."""
        fp = article if isinstance(article, Fingerprint) else fingerprint(article)
        if fp.id in self.ids:
            return f"duplicate of {self.ids[fp.id]}"
        if fp.words and fp.words in self.words:
            self._copy_of(fp, self.words[fp.words])
            return f"near-duplicate of {self.words[fp.words]} (same words)"
        signature = int.from_bytes(fp.signature, "little") if fp.signature else None
        candidates: list[int] = []
        if signature is not None:
            for band in range(_PERMUTATIONS // _ROWS):
                for j in self.bands.get((band, fp.signature[band * _ROWS * 8 : (band + 1) * _ROWS * 8]), ()):
                    if j not in candidates:
                        candidates.append(j)
                if len(candidates) >= _MAX_CANDIDATES:
                    break
            for j in candidates[:_MAX_CANDIDATES]:
                other, other_sig = self.signatures[j]
                similarity = _same_values(signature, other_sig) / _PERMUTATIONS
                if similarity >= NEAR_DUPLICATE:
                    self._copy_of(fp, other)
                    return f"near-duplicate of {other} (similarity {similarity:.2f})"
        if not record:
            return None
        self.ids[fp.id] = fp.file
        self.id_of[fp.file] = fp.id
        if fp.words:
            self.words[fp.words] = fp.file
        if signature is not None:
            index = len(self.signatures)
            self.signatures.append((fp.file, signature))
            for band in range(_PERMUTATIONS // _ROWS):
                self.bands[(band, fp.signature[band * _ROWS * 8 : (band + 1) * _ROWS * 8])].append(index)
        return None




def _restamp(ev: Evidence, meta: ArticleMeta) -> Evidence:
    return replace(ev, article_id=meta.id, file=meta.file)


def copied_facts(original: ArticleFacts, copy: ArticleMeta) -> ArticleFacts:
    """``original``'s takedowns and denials as ``copy`` reports them: the same records, their
    evidence in the copy (the same sentences; offsets are the original's)."""
    takedowns = tuple(
        replace(
            t,
            evidence=_restamp(t.evidence, copy),
            support=tuple(_restamp(e, copy) for e in t.support),
            attributions=tuple(replace(a, evidence=_restamp(a.evidence, copy)) for a in t.attributions),
        )
        for t in original.takedowns
    )
    denials = tuple(replace(d, evidence=_restamp(d.evidence, copy)) for d in original.denials)
    return ArticleFacts(article=copy, takedowns=takedowns, denials=denials)


def with_copies(facts: Iterable[ArticleFacts]) -> list[ArticleFacts]:
    """``facts`` with each copy's record (:meth:`Deduplicator.copy`) given its original's facts;
    a copy whose original is missing keeps no records."""
    facts = list(facts)
    originals = {f.article.id: f for f in facts if f.article.copy_of is None}
    return [
        copied_facts(originals[f.article.copy_of], f.article)
        if f.article.copy_of is not None and f.article.copy_of in originals
        else f
        for f in facts
    ]
