"""Candidate pairs: which records of a block are compared at all (they share a figure, a
rounding of one, or a lasting key inside one window bucket)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from itertools import combinations

from kg.resolve.evidence import (
    DISTINCT_FIGURE,
    WINDOW_DAYS,
    Pair,
    _ordered,
    _pair,
    _trailing_zeros,
    figures_agree,
    partial_sums,
    remainder_fits,
)
from kg.resolve.sources import Source


def _lasting_keys(s: Source) -> set[tuple[str, object]]:
    """States (or topic), actors and operations: keys that outlive one takedown."""
    return {("s", st) for st in s.about} | {("a", a) for a in s.actors} | {("o", o) for o in s.operations}


def _figures(s: Source) -> list[int]:
    """Distinctive figures of a record, and the total of its breakdown."""
    values = [v for _, v in s.counts]
    return [v for v in [*values, *([sum(values)] if len(values) >= 2 else [])] if v >= DISTINCT_FIGURE]


def _figure_keys(s: Source) -> set[tuple[str, object]]:
    """Equal figures share a key at any date; so do a single figure and the sum of some of
    another record's kinds (:func:`partial_sums`)."""
    partial = {("n", v) for v in partial_sums(s.counts) if v >= DISTINCT_FIGURE}
    return {("n", v) for v in _figures(s)} | partial


def _round_keys(s: Source) -> tuple[set[int], set[int]]:
    """(anchors, probes): a round figure is an anchor under its own value; any figure probes
    the round values it is near (each rounding to 100, 1,000, ...). Only an anchor and a
    figure that probes it (or two anchors) are compared, never two exact figures that merely
    share a rounding."""
    anchors, probes = set(), set()
    for v in _figures(s):
        if _trailing_zeros(v) >= 2:
            anchors.add(v)
        probes.update(r for k in range(2, len(str(v))) if figures_agree(r := round(v, -k), v))
    return anchors, probes


def _dated_keys(s: Source) -> set[tuple[str, object]]:
    """Keys that decide only inside the window, with the record's window bucket: a dated record
    is compared with those of its bucket and the next (a bucket is one window plus a day)."""
    if s.near is None:
        return set()
    bucket = s.near.toordinal() // (WINDOW_DAYS + 1)
    small = {("n", v) for _, v in s.counts if v < DISTINCT_FIGURE}
    return {(k, bucket) for k in _lasting_keys(s) | small}


def _vague_candidates(block: list[Source]) -> list[tuple[Source, Source]]:
    """Each record whose sentence gives a vague figure ("almost 6,000") with the records one of
    whose figures (or the total of whose breakdown) lies in its bounds, found by bisection."""
    if not any(s.vague for s in block):
        return []
    values = sorted((v, s.rank) for s in block for v in set(_figures(s)))
    by_rank = {s.rank: s for s in block}
    out = []
    for s in block:
        for lo, hi in s.vague:
            inside = values[bisect_left(values, (lo, -1)) : bisect_right(values, (hi, len(block) + 1))]
            for _, rank in inside:
                if rank != s.rank:
                    out.append((s, by_rank[rank]))
    return out


def _remainder_candidates(block: list[Source]) -> list[tuple[Source, Source]]:
    """Each record whose figure comes with an uncounted remainder ("and hundreds of other
    pages") with the records whose figure or vague figure lies in its total's bounds (such
    records are rare: each is compared with the block)."""
    out = []
    for s in block:
        if s.remainder:
            out.extend((s, x) for x in block if x.rank != s.rank and remainder_fits(s, x))
    return out


def candidate_pairs(block: list[Source]) -> list[Pair]:
    """Pairs of a block that share a distinctive figure, or a state, actor, operation or
    small figure inside the window; strongest first, then in canonical order."""
    by_key: dict[tuple[object, ...], list[Source]] = defaultdict(list)
    anchors: dict[int, list[Source]] = defaultdict(list)
    probes: dict[int, list[Source]] = defaultdict(list)
    for s in block:
        for k in _figure_keys(s):
            by_key[("figure", k)].append(s)
        for k, bucket in _dated_keys(s):
            by_key[("dated", k, bucket)].append(s)
        near, probing = _round_keys(s)
        for r in near:
            anchors[r].append(s)
        for r in probing:
            probes[r].append(s)
    seen: set[tuple[int, int]] = set()
    out = []

    def consider(a: Source, b: Source) -> None:
        """Compare two records once, in rank order."""
        x, y = (a, b) if a.rank < b.rank else (b, a)
        if x.rank == y.rank or (x.rank, y.rank) in seen:
            return
        seen.add((x.rank, y.rank))
        if (pair := _pair(x, y)) is not None:
            out.append(pair)

    for r, round_ones in anchors.items():
        for a in round_ones:
            for b in probes.get(r, []):
                consider(a, b)
    for a, b in _vague_candidates(block) + _remainder_candidates(block):
        consider(a, b)
    for key, members in by_key.items():  # members are in rank order: the block is
        if key[0] == "dated":  # the next bucket too: two dates a day apart can straddle a border
            later = by_key.get(("dated", key[1], key[2] + 1))
            if later:
                members = sorted(members + later, key=lambda s: s.rank)
        if len(members) < 2:
            continue
        for a, b in combinations(members, 2):
            if (a.rank, b.rank) in seen or a.rank == b.rank:
                continue
            seen.add((a.rank, b.rank))
            if (pair := _pair(a, b)) is not None:
                out.append(pair)
    return _ordered(out)
