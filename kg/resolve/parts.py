"""One announcement told in parts: an article gives a removal's breakdown as several records
(per kind: "23,750 core accounts, along with another 150,000 amplifiers"; per state: "accounts
linked to the governments of Iran, Saudi Arabia, Cuba and Russia") while another article
reports it as one removal ("more than 170,000 accounts"; "668 accounts attributed to Russia,
Cuba, Iran and Saudi Arabia"). The parts and the whole are one event (``total=parts``), so
there an event holds several records of one article.

Two records of one article can be parts (:func:`units`) only if the article tells them
together: in one sentence, or in the next record's sentence opening on a tie ("as well as",
"along with", "plus", "in addition", "a further"; not "Another network", which opens a new
one), with the same date. That alone does not make them one removal: a monthly report's
Russian and Iranian networks share a sentence too. They join one event only when a record of
another article reports their whole:

- **sum**: its figure, or a figure its sentence gives vaguely ("more than 170,000"), agrees
  with the sum of the parts' figures (each part's total), and each part's states are among its
  states (or one side names none); or
- **union**: it gives a figure and its states are exactly the union of the parts' states (one
  state each, none twice; the parts' figures, if they give any, sum to its figure), and the two
  articles tell one story (round 1 linked them) or are dated inside the window: a state list
  alone is no figure.

The parts of a sum are all the unit's records with figures (a subset of many small figures
sums to anything). The whole must fit every part but for the figures (dates, firms,
operations, topic, named day); where two untied records of one article are its whole, nothing
joins. Joining keeps every other rule between the
groups it joins: records of different articles must be compatible but for their figures (a
part's figure is not the whole's) and their states (parts of different states are bridged by
the whole's), and two records of one article only if they are parts of one unit.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable

from kg.resolve.evidence import DISTINCT_FIGURE, compatible, in_window, near_in_window, stands_for
from kg.resolve.sources import Source

#: A record's sentence that opens on one of these goes on telling the record before it; so
#: does one whose subject is followed by "also" ("The company also took down", "Meta also
#: removed"), unless it opens on a new network ("Another network", "Separately", "A second").
_TIE = re.compile(
    r"^\W*(?:as well as|along with|together with|plus|in addition(?: to)?|and (?:a further|another)|"
    r"a further|(?!another\b|separately\b|a second\b|in a separate\b)(?:[\w'’-]+\s+){1,3}also)\b",
    re.IGNORECASE,
)
#: A unit with more records than this is a list of networks, not one removal's breakdown.
MAX_PARTS = 6


def _sentence(s: Source) -> str:
    return s.takedown.evidence.sentence


def _tied(x: Source, y: Source) -> bool:
    """``y``, the record after ``x`` in its article, goes on telling ``x``'s removal: one
    sentence (or one cut shorter than the other), or a sentence opening on a tie."""
    if x.takedown.date != y.takedown.date:
        return False
    a, b = sorted((_sentence(x).strip(), _sentence(y).strip()), key=len)
    if (bool(a) and b.startswith(a)) or _TIE.match(_sentence(y)) is not None:
        return True
    # the headline told one part, the body both ("Twitter takes down 23,750 core accounts" ...
    # "removed 23,750 accounts ..., along with 150,000 amplifiers"): a sentence both records cite
    return bool(_cited(x) & _cited(y))


def _cited(s: Source) -> set[str]:
    """The sentences a record cites: its evidence and its support."""
    return {e.sentence.strip() for e in (s.takedown.evidence, *s.takedown.support) if e.sentence.strip()}


def units(block: list[Source]) -> dict[int, int]:
    """Each record that is told together with another of its article (same sentence, or a
    sentence opening on a tie), mapped to its unit's id (its first record's rank)."""
    by_article: dict[str, list[Source]] = defaultdict(list)
    for s in block:
        by_article[s.article].append(s)
    unit_of: dict[int, int] = {}
    for records in by_article.values():
        records.sort(key=lambda s: (s.takedown.evidence.start, s.rank))
        run = [records[0]]
        for prev, s in zip(records, records[1:], strict=False):
            if _tied(prev, s):
                run.append(s)
                continue
            _close(run, unit_of)
            run = [s]
        _close(run, unit_of)
    return unit_of


def _close(run: list[Source], unit_of: dict[int, int]) -> None:
    if 2 <= len(run) <= MAX_PARTS:
        first = min(s.rank for s in run)
        for s in run:
            unit_of[s.rank] = first


def _total(s: Source) -> int:
    return sum(v for _, v in s.counts)


def _holds(whole: Source, total: int) -> bool:
    """The whole's figure (or a breakdown's total, or a vague figure of its sentence) is ``total``.
    A figure the whole gives may be a rounding of the parts' sum; a breakdown's total is a sum
    of exact figures, however round it comes out (2,797 and 3 is no "about 2,800")."""
    values = [v for _, v in whole.counts]
    if len(values) >= 2 and sum(values) == total:
        return True
    return any(stands_for(v, total) for v in values) or any(lo <= total <= hi for lo, hi in whole.vague)


def _fits(whole: Source, part: Source) -> bool:
    """Everything but the figures fits between a whole and its part (states: the part's are
    among the whole's, or one side names none)."""
    if not compatible(whole, part, states=False, figures=False):
        return False
    return not whole.states or not part.states or part.states <= whole.states


def _sum_matches(unit: list[Source], wholes: _FigureIndex) -> list[tuple[Source, list[Source]]]:
    """(whole, parts) for each record of another article whose figure is the sum of the unit's
    records with figures (all of them: a subset of many small figures sums to anything). Parts
    of different states need a whole that names states (theirs, :func:`_fits`): a sum alone
    does not make one removal of two states' networks listed in one sentence."""
    parts = [s for s in unit if s.counts]
    if len(parts) < 2:
        return []
    total = sum(_total(p) for p in parts)
    if total < DISTINCT_FIGURE:
        return []
    states = frozenset().union(*(p.states for p in parts))
    out = [
        (w, parts)
        for w in wholes.near(total)
        if w.article != unit[0].article and _holds(w, total) and all(_fits(w, p) for p in parts)
        and (len(states) <= 1 or bool(w.states))
    ]
    if len(states) > 1:
        # "23,750 core accounts tied to China, along with 150,000 amplifiers. It also removed
        # 1,152 accounts linked to Russia": one state's records of the unit are a whole of their
        # own that a record naming that state alone may report ("more than 170,000 accounts
        # tied to China"); every record of the unit with a figure is that state's or another's
        for st in sorted(states):
            own = [p for p in parts if p.states == {st}]
            if len(own) < 2 or any(p.states and st in p.states and p.states != {st} for p in parts):
                continue
            if any(not p.states for p in parts):
                continue  # a record of no state could be a part of either
            sub = sum(_total(p) for p in own)
            out += [
                (w, own)
                for w in wholes.near(sub)
                if w.article != unit[0].article and w.states == {st} and _holds(w, sub)
                and all(_fits(w, p) for p in own)
            ]
    return out


def _union_matches(
    unit: list[Source], by_state: dict[str, list[Source]], links: frozenset[tuple[str, str]]
) -> list[tuple[Source, list[Source]]]:
    """(whole, parts) for each record of another article with a figure whose states are exactly
    the union of some of the unit's records of one state each, none twice (their figures, if
    any, sum to its figure), told in one story with them or dated inside the window."""
    states = frozenset().union(*(s.states for s in unit))
    out = []
    candidates = {w.rank: w for st in states for w in by_state.get(st, ())}
    for w in (candidates[r] for r in sorted(candidates)):
        if w.article == unit[0].article or not w.states <= states:
            continue
        parts = [s for s in unit if s.states and s.states <= w.states]
        if len(parts) < 2 or sum(len(p.states) for p in parts) != len(w.states):
            continue
        if frozenset().union(*(p.states for p in parts)) != w.states:
            continue
        given = [p for p in parts if p.counts]
        if given and (len(given) != len(parts) or not _holds(w, sum(_total(p) for p in parts))):
            continue
        linked = tuple(sorted((w.article, unit[0].article))) in links
        if not all(_fits(w, p) and (linked or in_window(w, p) or near_in_window(w, p)) for p in parts):
            continue
        out.append((w, parts))
    return out


class _FigureIndex:
    """The records of a block by the figures a whole can give: exact ones by value (and round
    ones by the roundings they stand for), vague ones by their bounds."""

    def __init__(self, block: list[Source]) -> None:
        self.exact: dict[int, list[Source]] = defaultdict(list)
        self.vague: list[tuple[int, int, int]] = []
        self.by_rank = {s.rank: s for s in block}
        for s in block:
            values = [v for _, v in s.counts]
            if len(values) >= 2:
                values.append(sum(values))
            for v in set(values):
                self.exact[v].append(s)
            for lo, hi in s.vague:
                self.vague.append((lo, hi, s.rank))
        self.vague.sort()
        self.lows = [lo for lo, _, _ in self.vague]

    def near(self, total: int) -> list[Source]:
        found = {s.rank: s for s in self.exact.get(total, ())}
        for k in range(2, len(str(total))):  # the round figures on either side
            down = total - total % 10**k
            for s in (*self.exact.get(down, ()), *self.exact.get(down + 10**k, ())):
                found[s.rank] = s
        # A vague figure's bounds are at most a tenth of it wide (clues.vague_figures).
        start = bisect_left(self.lows, total - total // 9 - 1)
        for lo, hi, rank in self.vague[start : bisect_right(self.lows, total)]:
            if lo <= total <= hi:
                found[rank] = self.by_rank[rank]
        return [found[r] for r in sorted(found)]


def part_matches(
    block: list[Source], links: frozenset[tuple[str, str]]
) -> tuple[dict[int, int], list[tuple[Source, list[Source]]]]:
    """The block's units and each (whole, parts) match, in canonical order; per unit, the
    wholes of an article must be one record or records told together (else that article's
    records are two candidates, and none joins)."""
    unit_of = units(block)
    members: dict[int, list[Source]] = defaultdict(list)
    for s in block:
        if s.rank in unit_of:
            members[unit_of[s.rank]].append(s)
    out: list[tuple[Source, list[Source]]] = []
    if not members:
        return unit_of, out
    wholes = _FigureIndex(block)
    by_state: dict[str, list[Source]] = defaultdict(list)  # records of several states with a figure
    for s in block:
        if len(s.states) >= 2 and s.counts:
            for st in s.states:
                by_state[st].append(s)
    for uid in sorted(members):
        unit = members[uid]
        by_article: dict[str, list[tuple[Source, list[Source]]]] = defaultdict(list)
        for w, parts in _sum_matches(unit, wholes) + _union_matches(unit, by_state, links):
            by_article[w.article].append((w, parts))
        for article in sorted(by_article):
            found = by_article[article]
            if len({unit_of.get(w.rank, -1 - w.rank) for w, _ in found}) == 1:
                out.extend(found)
    return unit_of, out


def parts_fit(x: Source, y: Source, unit_of: dict[int, int], members: Iterable[Source]) -> bool:
    """May ``x`` and ``y``, in two groups being joined as parts of one whole, be in one event?
    Two records of one article if they are parts of one unit; of two articles if compatible
    but for their figures, their states meeting or a member's states holding both."""
    if x.article == y.article:
        return x.rank in unit_of and unit_of[x.rank] == unit_of.get(y.rank)
    if not compatible(x, y, states=False, figures=False):
        return False
    if not x.states or not y.states or x.states & y.states:
        return True
    both = x.states | y.states
    return any(both <= m.states for m in members)
