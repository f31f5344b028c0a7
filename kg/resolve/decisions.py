"""Deciding a block: which candidate pairs join groups (round 1 on strong evidence, rounds 2
and 3 on what linked articles and unique keys agree on), keeping every group compatible."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from kg.resolve.blocking import _lasting_keys, candidate_pairs
from kg.resolve.evidence import (
    STRONG,
    Pair,
    _ordered,
    _pair,
    compare_figures,
    compatible,
    in_window,
    remainder_fits,
)
from kg.resolve.names import states_named
from kg.resolve.parts import part_matches, parts_fit
from kg.resolve.sources import Source


def _bridged(x: Source, y: Source, group: list[Source]) -> bool:
    """Records tied to different states can be parts of one removal that a record of the group
    reports as a whole: "652 pages in two campaigns, one Iranian, one Russian" holds a report of
    the Iranian one and a report of the Russian one."""
    both = x.states | y.states
    return any(both <= m.states for m in group)


def _counted_in_part(x: Source, y: Source, group: list[Source]) -> bool:
    """Figures that conflict can be one removal counted in part and in all: a record of the group
    gives ``x``'s figure with an uncounted remainder of other kinds ("7,700 accounts and hundreds
    of other pages") whose total holds ``y``'s figure ("approximately 9,000 accounts")."""
    if not compatible(x, y, figures=False):
        return False
    return any(
        m.remainder and compare_figures(m.counts, part.counts) == "figures" and remainder_fits(m, whole)
        for part, whole in ((x, y), (y, x))
        for m in group
    )


class Groups:
    """Records of one block in groups; a merge must keep every pair in a group compatible."""

    def __init__(self, block: list[Source]) -> None:
        self.of: dict[int, int] = {s.rank: s.rank for s in block}
        self.members: dict[int, list[Source]] = {s.rank: [s] for s in block}
        self.reasons: dict[int, set[str]] = {s.rank: set() for s in block}

    def join(self, pair: Pair, reason: str | None = None) -> bool:
        ga, gb = self.of[pair.a.rank], self.of[pair.b.rank]
        if ga == gb:
            self.reasons[ga].update(pair.keys)
            return True
        merged = self.members[ga] + self.members[gb]
        bridged = False
        for x in self.members[ga]:
            for y in self.members[gb]:
                if compatible(x, y) or _counted_in_part(x, y, merged):
                    continue
                if not (compatible(x, y, states=False) and _bridged(x, y, merged)):
                    return False
                bridged = True
        keep, drop = min(ga, gb), max(ga, gb)
        for s in self.members[drop]:
            self.of[s.rank] = keep
        self.members[keep].extend(self.members.pop(drop))
        self.reasons[keep].update(pair.keys, self.reasons.pop(drop))
        if reason:
            self.reasons[keep].add(reason)
        if bridged:
            self.reasons[keep].add("states=breakdown")
        return True

    def join_parts(self, records: list[Source], unit_of: dict[int, int], reason: str) -> bool:
        """Join the groups of a whole and its parts (:mod:`kg.resolve.parts`): every two records
        of two of these groups must be compatible, or fit as parts (:func:`parts_fit`)."""
        gids = sorted({self.of[s.rank] for s in records})
        if len(gids) == 1:
            return True
        members = [m for g in gids for m in self.members[g]]
        for i, ga in enumerate(gids):
            for gb in gids[i + 1 :]:
                for x in self.members[ga]:
                    for y in self.members[gb]:
                        if not compatible(x, y) and not parts_fit(x, y, unit_of, members):
                            return False
        keep = gids[0]
        for g in gids[1:]:
            for s in self.members[g]:
                self.of[s.rank] = keep
            self.members[keep].extend(self.members.pop(g))
            self.reasons[keep].update(self.reasons.pop(g))
        self.reasons[keep].add(reason)
        return True

    def result(self) -> list[tuple[list[Source], tuple[str, ...]]]:
        return [
            (sorted(self.members[g], key=lambda s: s.rank), tuple(sorted(self.reasons[g])))
            for g in sorted(self.members)
        ]


def _unambiguous(pairs: list[Pair]) -> list[Pair]:
    """``pairs`` without those a record could not tell apart: without figures that agree, a
    record that matches two records of the partner's article as well cannot be told which of
    that article's takedowns it reports. A match on the very same states beats one where a
    record's states are only some of the other's; and a record that reports several states'
    networks as one (a total) is in no doubt among the partner's records of one state each
    (parts): each part's state tells it (the partner's parts then ask the question themselves)."""
    best: dict[tuple[int, str], list[tuple[int, bool]]] = defaultdict(list)  # (record, article): fits
    for p in pairs:
        fit = (p.score, p.a.states == p.b.states)
        best[(p.a.rank, p.b.article)].append(fit)
        best[(p.b.rank, p.a.article)].append(fit)

    def rivals(x: Source, y: Source, score: int) -> bool:
        if y.states and y.states < x.states:  # x is a total, y one of its parts
            return False
        exact = x.states == y.states
        return sum(1 for s, e in best[(x.rank, y.article)] if s >= score and e >= exact) > 1

    return [
        p
        for p in pairs
        if STRONG.intersection(p.keys) or not (rivals(p.a, p.b, p.score) or rivals(p.b, p.a, p.score))
    ]


def merge_strong(block: list[Source]) -> Groups:
    """Round 1: merges on figures that agree, or on a lasting key inside the date window."""
    groups = Groups(block)
    for pair in _unambiguous(candidate_pairs(block)):
        if pair.strong:
            groups.join(pair)
    return groups


def article_links(groups: Iterable[Groups]) -> frozenset[tuple[str, str]]:
    """Pairs of articles that round 1 found reporting one takedown: they tell one story."""
    links = set()
    for g in groups:
        for members in g.members.values():
            arts = sorted({m.article for m in members})
            links.update(combinations(arts, 2))
    return frozenset(links)


def _placed(a: Source, b: Source) -> bool:
    """One record dated and the other undated, or both inside the window."""
    return (a.when is None) != (b.when is None) or in_window(a, b)


def _mentions(s: Source, key: tuple[str, object]) -> bool:
    """The record names the key: a state it is about or its sentence names, its actor or operation."""
    if key[0] == "s":
        return key[1] in s.about or key[1] in states_named(s.takedown.evidence.sentence)
    return key in _lasting_keys(s)


def _told_apart(key: tuple[str, object], left: list[Source], right: list[Source]) -> bool:
    """May an only match on ``key`` join records of these two articles (their records of the
    block)? Yes if one article reports just one takedown of the platform; between two
    multi-network reports only if each names the key in one record: a monthly round-up's loose
    list of countries ("operated in many regions, including ...") shares a state with another
    article's network by chance as often as by being one removal."""
    if len(left) == 1 or len(right) == 1:
        return True
    return all(sum(_mentions(s, key) for s in side) == 1 for side in (left, right))


def _merge_named_dates(
    block: list[Source], groups: Groups, by_key: dict[tuple[str, object], list[Source]]
) -> None:
    """A record with no date at all whose sentence names a day or month without a year ("on
    April 2", "in August") joins the one group with a dated record that agrees with it on a
    state, actor or operation and has that day or month; with two such groups, neither (a
    match on the very same states counts before one on some of them, and a group whose articles
    all report in another candidate group too is no rival to it). A state that neither record
    is attributed to (the topic of both) is not enough."""
    for s in block:
        if s.named is None:
            continue
        others = sorted({x.rank: x for k in _lasting_keys(s) for x in by_key[k]}.items())
        found = [
            p
            for _, x in others
            if x.when is not None and (p := _pair(s, x)) is not None and p.lasting and "named date" in p.keys
            and (p.a.states or p.b.states or "topic" not in p.keys)
        ]
        exact = [p for p in found if p.a.states == p.b.states]
        by_group = defaultdict(list)  # the group of each pair's other record -> pairs
        for p in exact or found:
            by_group[groups.of[p.a.rank] if p.b is s else groups.of[p.b.rank]].append(p)
        by_group.pop(groups.of[s.rank], None)
        if len(by_group) > 1:  # a group of only articles another candidate group has as well is
            # one of their second mentions (a headline, a "read more" line) that could not join it
            told_by = {g: {m.article for m in groups.members[g]} for g in by_group}
            for g in list(by_group):
                if any(told_by[g] < told_by[h] for h in told_by if h != g):
                    del by_group[g]
        if len(by_group) == 1:
            groups.join(_ordered(next(iter(by_group.values())))[0])


def _by_article(block: list[Source]) -> dict[str, list[Source]]:
    by_article: dict[str, list[Source]] = defaultdict(list)
    for s in block:
        by_article[s.article].append(s)
    return by_article


def merge_told(block: list[Source], groups: Groups, links: frozenset[tuple[str, str]]) -> Groups:
    """Two articles that report one takedown (``links``) tell one story: their records that
    agree on a state, actor or operation are one takedown too, dated or not ("co-reported")."""
    by_article = _by_article(block)
    told = [
        p
        for x, y in sorted(links)
        if x in by_article and y in by_article
        for a in by_article[x]
        for b in by_article[y]
        if (p := _pair(a, b)) is not None and p.lasting
    ]
    for pair in _unambiguous(_ordered(told)):
        groups.join(pair, "co-reported")
    return groups


def merge_parts(block: list[Source], groups: Groups, links: frozenset[tuple[str, str]]) -> Groups:
    """One announcement told in parts by one article and as a whole by another: the parts and
    the whole join one event (``total=parts``, :mod:`kg.resolve.parts`)."""
    unit_of, matches = part_matches(block, links)
    for whole, parts in matches:
        groups.join_parts([whole, *parts], unit_of, "total=parts")
    return groups


def merge_weak(block: list[Source], groups: Groups, links: frozenset[tuple[str, str]]) -> Groups:
    """Rounds 2 and 3 on a block's round-1 groups.

    2. Two articles that report one takedown (``links``) tell one story: their records that
       agree on a state, actor or operation are one takedown too, dated or not.
    3. When a state, actor or operation is named by just two groups of the block, and records
       of the two agree on it with at least one of them dated, they are one takedown: an
       undated record cannot be placed in the window, but there is nothing else it could be.
       Between two multi-network reports only on a key each names in one record (:func:`_told_apart`);
       a state neither record is attributed to (the topic of both) is not enough.

    Between them, a record with no date but a day or month its sentence names joins the one
    group that fits it (:func:`_merge_named_dates`).
    """
    by_article = _by_article(block)
    merge_told(block, groups, links)
    merge_parts(block, groups, links)
    by_key: dict[tuple[str, object], list[Source]] = defaultdict(list)
    for s in block:
        for k in _lasting_keys(s):
            by_key[k].append(s)
    _merge_named_dates(block, groups, by_key)
    for key in sorted(by_key, key=repr):
        named = sorted({groups.of[s.rank] for s in by_key[key]})
        if len(named) != 2:
            continue
        left = [s for s in by_key[key] if groups.of[s.rank] == named[0]]
        right = [s for s in by_key[key] if groups.of[s.rank] == named[1]]
        if key[0] == "s" and _unplaced_wider(block, groups, named):
            continue
        found = [
            p
            for a in left
            for b in right
            if (p := _pair(a, b)) is not None and p.lasting and _placed(a, b)
            and _told_apart(key, by_article[a.article], by_article[b.article])
            and (a.states or b.states or key[0] != "s")
        ]
        if found:
            groups.join(_ordered(found)[0], "only-match")
    return groups


def _unplaced_wider(block: list[Source], groups: Groups, named: list[int]) -> bool:
    """One group reports a removal of several states, more than the other, and none of its
    records has a date (nor an estimated one): a state they share does not place the one in
    the other's time, and a removal of several states is another announcement than one of a
    single state. A group of one state against one that attributes none (a state only its
    topic) is no wider removal: the only two groups of that state are one takedown."""
    members = [[s for s in block if groups.of[s.rank] == g] for g in named]
    states = [frozenset(st for s in m for st in s.states) for m in members]
    if states[0] == states[1]:
        return False
    wider = 0 if len(states[0]) > len(states[1]) else 1
    if len(states[wider]) < 2:  # one state against none: a report of it, nothing wider
        return False
    return all(s.near is None for s in members[wider])


def _merge_weak(args: tuple[list[Source], Groups, frozenset[tuple[str, str]]]) -> Groups:
    return merge_weak(*args)


def _merge_told(args: tuple[list[Source], Groups, frozenset[tuple[str, str]]]) -> Groups:
    return merge_told(*args)
