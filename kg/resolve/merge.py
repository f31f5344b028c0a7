"""One takedown event per real removal, however many articles report it.

Merging is a key-based group-by, deterministic and independent of the order the articles
come in (records are ranked by content-hash ids and offsets):

1. **Block** by platform: records of two platforms are never one takedown, so each block is
   decided alone (``map_blocks``: here, or one block per task on a cluster, same result).
2. **Candidates** inside a block: records are compared only if they share a key: a
   distinctive figure or the total of a breakdown at any date, a round figure and the figures
   near it, or a state, actor, operation or small figure within one window bucket.
3. **Decide** each pair on its evidence (:func:`compatible` for the hard rules: two
   articles, dates that fit the window, no conflicting states or figures; :func:`compare`
   for the keys that agree), strongest pair first. A pair joins two groups only if every
   record of one is compatible with every record of the other, so one article's two
   takedowns never end up in one event, whatever the chain of pairs. Round 1 merges on
   distinctive figures, or on a lasting key (state, topic, actor, operation, small figure)
   inside the window (an undated article's estimated date, the latest full date its text
   writes, places it for this evidence only); round 2 (:func:`merge_weak`) merges what
   articles linked by round 1 agree on, and the only two groups that name a key.

The keys that agreed are kept on the event (``merged_on``) and written to the graph.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from itertools import combinations
from typing import Any

from kg.lexicon.gazetteer import load_gazetteer
from kg.records import ArticleFacts, ArticleMeta, Attribution, Counts, Takedown, TakedownEvent

#: Two reports of one removal are announced within this many days of each other (the
#: takedown's date, else the article's publication date: outlets report a removal days later).
WINDOW_DAYS = 7
#: Figures "agree" when equal, or when one is a round figure within half its last unit of the
#: other and within this fraction of it ("about 200,000" vs 201,012).
ROUND_TOLERANCE = 0.05
#: Evidence weights of the keys that can agree; a pair merges only with one of
#: :data:`STRONG` among them, or one of :data:`LASTING` on two dated records (a date alone does
#: not tell two takedowns of one day apart, a state or troll farm not two of different years).
WEIGHTS = {
    "figures": 8, "total=breakdown": 8, "operation": 6, "actors": 6, "states": 4, "small figures": 3,
    "topic": 2, "date": 1,
}
#: A figure this large (or two kinds agreeing) is distinctive; "7 pages" in two reports is not.
DISTINCT_FIGURE = 10
STRONG = frozenset({"figures", "total=breakdown"})
#: The evidence rule of a list item's label ("• Brazil:"): the item's topic (kg.extract.mentions).
LABEL_RULE = "takedown.label"
LASTING = frozenset({"operation", "actors", "states", "topic", "small figures"})


@dataclass(frozen=True)
class Source:
    """A takedown record with what merging compares, computed once."""

    rank: int
    takedown: Takedown
    article: str
    when: date | None
    told: bool  # ``when`` is the takedown's date from the text, not the article's publication
    near: date | None  # ``when``, else the undated article's estimated date (a soft placing)
    states: frozenset[str]
    about: frozenset[str]  # its states, else its operations' states, else its topic (_about)
    actors: frozenset[str]
    operations: frozenset[str]
    counts: tuple[tuple[str, int], ...]


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


RecordKey = tuple[str, int, int, str, str, str, str]
MapBlocks = Callable[[Callable[[Any], Any], list[Any]], list[Any]]


def source_key(t: Takedown) -> RecordKey:
    """A record's identity and place in the canonical order: article id (a content hash),
    offsets, platform, network, states and figures (one sentence can give several networks)."""
    counts = ",".join(f"{k}={v}" for k, v in t.counts.items())
    return (
        t.evidence.article_id, t.evidence.start, t.evidence.end, t.platform, t.network,
        ",".join(t.attributed_to), counts,
    )


#: Up to this many case-sensitive aliases, substring tests rule texts out before the pattern.
FEW_ALIASES = 32
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD_CHAR = re.compile(r"\w")


@lru_cache(maxsize=4096)
def _inert(char: str) -> bool:
    """A character that case-insensitive matching can only match to itself and that is no
    word character: curly quotes, dashes, ellipses. Lower-casing a text leaves it as it is."""
    return (
        char.lower() == char == char.upper() and char.casefold() == char
        and _WORD_CHAR.match(char) is None
    )


def _lowers_exactly(text: str) -> bool:
    """``text.lower()`` changes only ASCII letters: the text is ASCII but for inert characters."""
    return text.isascii() or all(_inert(c) for c in set(_NON_ASCII.findall(text)))


@dataclass(frozen=True)
class _Names:
    """Whole-word finder for many aliases at once: one regex per case mode (short and
    all-capital aliases such as "IRA" match case-sensitively, others in any case).

    Case-insensitive matching costs about four times a case-sensitive one, so a text that
    :func:`_lowers_exactly` is lower-cased and searched with the lower-cased aliases
    (``lowered``, same order), which finds the same matches; other texts use ``folded``.
    """

    exact: re.Pattern[str] | None
    folded: re.Pattern[str] | None
    lowered: re.Pattern[str] | None
    entity: dict[str, str]  # alias (lowercased for folded ones) -> entity name
    casefolded: dict[str, str]  # folded alias, case-folded -> entity name
    #: The case-sensitive aliases when they are few: a text holding none of them as a
    #: substring has no match, and a few substring tests cost a third of the pattern's scan.
    exact_aliases: tuple[str, ...] | None = None

    def folded_entity(self, matched: str) -> str | None:
        """The entity of a case-insensitive match: "ſpamouflage" (long s) matches too, and
        lower-cases to no alias; case-folding takes it to one."""
        return self.entity.get(matched.lower()) or self.casefolded.get(matched.casefold())

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]], fold: Callable[[str], bool]) -> _Names:
        entity: dict[str, str] = {}
        casefolded: dict[str, str] = {}
        exact, folded = [], []
        for alias, name in sorted(set(pairs)):
            (folded if fold(alias) else exact).append(alias)
            entity.setdefault(alias.lower() if fold(alias) else alias, name)
            if fold(alias):
                casefolded.setdefault(alias.casefold(), name)

        def ordered(aliases: list[str]) -> list[str]:
            return sorted(aliases, key=lambda a: (-len(a), a))

        def compile_(aliases: list[str], flags: int) -> re.Pattern[str] | None:
            if not aliases:
                return None
            alternation = "|".join(re.escape(a) for a in aliases)
            return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", flags)

        # An alias with a non-ASCII letter can match no text that lowers exactly; the rest
        # lower-case only their ASCII letters, so their matches on lower-cased text are those
        # of the case-insensitive pattern on the text.
        lowered = [a.lower() for a in ordered(folded) if _lowers_exactly(a)]
        patterns = compile_(ordered(exact), 0), compile_(ordered(folded), re.I), compile_(lowered, 0)
        return cls(*patterns, entity, casefolded, tuple(exact) if len(exact) <= FEW_ALIASES else None)

    def find(self, text: str) -> frozenset[str]:
        found = set()
        if self.exact is not None and (
            self.exact_aliases is None or any(alias in text for alias in self.exact_aliases)
        ):
            found.update(self.entity[m.group(0)] for m in self.exact.finditer(text))
        if self.folded is not None:
            if self.lowered is not None and _lowers_exactly(text):
                found.update(self.entity[m.group(0)] for m in self.lowered.finditer(text.lower()))
            else:
                matched = (self.folded_entity(m.group(0)) for m in self.folded.finditer(text))
                found.update(name for name in matched if name is not None)
        return frozenset(found)


@lru_cache(maxsize=1)
def _operation_names() -> _Names:
    """Organisation and operation names of the gazetteer."""
    gaz = load_gazetteer()
    pairs = [(a, e.name) for e in gaz.entities.values() if e.type == "organisation" for a in e.aliases]
    return _Names.of(pairs, fold=lambda a: not (a.isupper() or len(a) <= 4))


def operations_in(t: Takedown) -> frozenset[str]:
    """Named operations, troll farms and firms the record's own words mention."""
    text = " ".join([t.network, t.evidence.sentence, *(s.sentence for s in t.support)])
    return _operation_names().find(text)


@lru_cache(maxsize=1)
def _state_names() -> _Names:
    """State names and demonyms of the gazetteer (not places: a capital is often a target)."""
    pairs = [(a.text, a.entity) for a in load_gazetteer().aliases if a.label in ("STATE", "DEMONYM")]
    return _Names.of(pairs, fold=lambda a: False)


def states_named(text: str) -> frozenset[str]:
    """States a text names (by name or demonym)."""
    return _state_names().find(text)


def _topic(text: str) -> frozenset[str]:
    """The one state a record's sentence and its article's title name, if just one."""
    named = states_named(text)
    return named if len(named) == 1 else frozenset()


def _about(t: Takedown, title: str, operations: frozenset[str] | None = None) -> frozenset[str]:
    """The states a record is about: those it attributes; else the states of the operations
    and organisations it names ("Spamouflage" is about China); else its topic.
    ``operations`` is :func:`operations_in` of ``t`` when the caller has it already."""
    attributed = t.attributed_to
    if attributed:
        return frozenset(attributed)
    gaz = load_gazetteer()
    if operations is None:
        operations = operations_in(t)
    named = {gaz.state_of(name) for name in (*operations, *t.actors)} - {None}
    labels = [e.sentence for e in t.support if e.rule == LABEL_RULE]  # "• Brazil:" over a list item
    return frozenset(s for s in named if s) or _topic("\n".join([title, *labels, t.evidence.sentence]))


def _source(rank: int, t: Takedown, meta: ArticleMeta) -> Source:
    operations = operations_in(t)  # once: _about needs them too
    return Source(
        rank=rank,
        takedown=t,
        article=t.evidence.article_id,
        when=t.date or meta.published,
        told=t.date is not None,
        near=t.date or meta.published or meta.estimated,
        states=frozenset(t.attributed_to),
        about=_about(t, meta.title, operations),
        actors=frozenset(a.lower() for a in (*t.actors, *(x.actor for x in t.attributions if x.actor))),
        operations=operations,
        counts=t.counts.items(),
    )


def _sources(facts: Iterable[ArticleFacts]) -> list[Source]:
    records = [(source_key(t), t, f.article) for f in facts for t in f.takedowns]
    records.sort(key=lambda r: r[0])
    return [_source(i, t, meta) for i, (_, t, meta) in enumerate(records)]


# -- figures ----------------------------------------------------------------------------


def _trailing_zeros(n: int) -> int:
    k = 0
    while n and n % 10 == 0:
        n //= 10
        k += 1
    return k


def figures_agree(x: int, y: int) -> bool:
    """Equal, or one is a round figure for the other ("about 200,000" and 201,012)."""
    if x == y:
        return True
    r, other = (x, y) if _trailing_zeros(x) >= _trailing_zeros(y) else (y, x)
    k = _trailing_zeros(r)
    if k < 2:
        return False
    return abs(r - other) * 2 <= 10**k and abs(r - other) <= ROUND_TOLERANCE * r


def _total_matches(total: tuple[tuple[str, int], ...], parts: tuple[tuple[str, int], ...]) -> bool:
    """One source's single figure is the sum of the other's breakdown."""
    return len(total) == 1 and len(parts) >= 2 and figures_agree(total[0][1], sum(v for _, v in parts))


def compare_figures(a: tuple[tuple[str, int], ...], b: tuple[tuple[str, int], ...]) -> str | None:
    """``'figures'``, ``'total=breakdown'``, ``'small figures'``, ``'conflict'`` or ``None``.

    Agreeing figures are distinctive when they add up to :data:`DISTINCT_FIGURE` or more, or
    agree on two kinds; "7 pages" in two reports is ``'small figures'``, which like a state
    decides only with more evidence (both dated, or two articles that tell one story).
    """
    if not a or not b:
        return None
    for total, parts in ((a, b), (b, a)):
        if _total_matches(total, parts):
            return "total=breakdown" if total[0][1] >= DISTINCT_FIGURE else "small figures"
    da, db = dict(a), dict(b)
    shared = sorted(set(da) & set(db))
    if any(not figures_agree(da[f], db[f]) for f in shared):
        return "conflict"
    if shared:
        distinct = len(shared) >= 2 or da[shared[0]] >= DISTINCT_FIGURE
        return "figures" if distinct else "small figures"
    # Different kinds, one value in common ("652 pages, accounts and groups" vs 652 accounts).
    if any(figures_agree(x, y) for x in da.values() for y in db.values() if min(x, y) >= DISTINCT_FIGURE):
        return "figures"
    return None


# -- pairs ------------------------------------------------------------------------------


def _exact_figure(a: Source, b: Source) -> bool:
    """A distinctive figure that is not round, equal in both: "470 accounts", not "1,000"."""
    da = dict(a.counts)
    return any(
        da.get(k) == v and v >= DISTINCT_FIGURE and _trailing_zeros(v) < 2 for k, v in b.counts
    )


def in_window(a: Source, b: Source) -> bool:
    return a.when is not None and b.when is not None and abs((a.when - b.when).days) <= WINDOW_DAYS


def near_in_window(a: Source, b: Source) -> bool:
    """Inside the window with an undated article's estimated date standing in for its date.

    The estimate (the latest full date its text writes) only adds evidence, the ``date`` key:
    it never keeps two records apart, since an article may be written long after it."""
    return a.near is not None and b.near is not None and abs((a.near - b.near).days) <= WINDOW_DAYS


def dates_fit(a: Source, b: Source) -> bool:
    """Dates within the window, with one allowance: an article can look back. A record dated
    only by its article's publication may report a removal of any earlier date (not a later
    one); two such records far apart fit only on an exact figure both give."""
    if a.when is None or b.when is None or in_window(a, b):
        return True
    if a.told and b.told:
        return False
    if a.told or b.told:
        told, looking_back = (a, b) if a.told else (b, a)
        assert told.when is not None and looking_back.when is not None
        return told.when <= looking_back.when
    return _exact_figure(a, b)


def compatible(a: Source, b: Source) -> bool:
    """The hard rules: may these two records be reports of one removal at all?"""
    if a.article == b.article or a.takedown.platform != b.takedown.platform:
        return False
    if a.states and b.states and not a.states & b.states:
        return False
    return compare_figures(a.counts, b.counts) != "conflict" and dates_fit(a, b)


def compare(a: Source, b: Source) -> tuple[str, ...]:
    """The keys on which two compatible records agree (sorted; empty if none)."""
    keys: list[str] = []
    figures = compare_figures(a.counts, b.counts)
    if figures:
        keys.append(figures)
    if a.operations & b.operations:
        keys.append("operation")
    if a.actors & b.actors:
        keys.append("actors")
    if a.states & b.states:
        keys.append("states")
    elif a.about & b.about:
        keys.append("topic")
    if near_in_window(a, b):
        keys.append("date")
    return tuple(sorted(keys))


def _score(keys: tuple[str, ...]) -> int:
    return sum(WEIGHTS[k] for k in keys)


def _lasting_keys(s: Source) -> set[tuple[str, object]]:
    """States (or topic), actors and operations: keys that outlive one takedown."""
    return {("s", st) for st in s.about} | {("a", a) for a in s.actors} | {("o", o) for o in s.operations}


def _figures(s: Source) -> list[int]:
    """Distinctive figures of a record, and the total of its breakdown."""
    values = [v for _, v in s.counts]
    return [v for v in [*values, *([sum(values)] if len(values) >= 2 else [])] if v >= DISTINCT_FIGURE]


def _figure_keys(s: Source) -> set[tuple[str, object]]:
    """Equal figures share a key at any date."""
    return {("n", v) for v in _figures(s)}


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


@dataclass(frozen=True)
class Pair:
    score: int
    a: Source
    b: Source
    keys: tuple[str, ...]

    @property
    def strong(self) -> bool:
        """Figures that agree, or a lasting key with both records dated (so in the window)."""
        return bool(STRONG.intersection(self.keys)) or (
            "date" in self.keys and bool(LASTING.intersection(self.keys))
        )

    @property
    def lasting(self) -> bool:
        return bool(LASTING.intersection(self.keys))


def _pair(a: Source, b: Source) -> Pair | None:
    """The pair of two records if they may be one takedown and some key agrees."""
    if a.rank > b.rank:
        a, b = b, a
    if not compatible(a, b):
        return None
    keys = compare(a, b)
    if STRONG.intersection(keys) or LASTING.intersection(keys):
        return Pair(_score(keys), a, b, keys)
    return None


def _ordered(pairs: Iterable[Pair]) -> list[Pair]:
    return sorted(pairs, key=lambda p: (-p.score, p.a.rank, p.b.rank))


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
    for r, round_ones in anchors.items():
        for a in round_ones:
            for b in probes.get(r, []):
                x, y = (a, b) if a.rank < b.rank else (b, a)
                if x.rank == y.rank or (x.rank, y.rank) in seen:
                    continue
                seen.add((x.rank, y.rank))
                if (pair := _pair(x, y)) is not None:
                    out.append(pair)
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
        if not all(compatible(x, y) for x in self.members[ga] for y in self.members[gb]):
            return False
        keep, drop = min(ga, gb), max(ga, gb)
        for s in self.members[drop]:
            self.of[s.rank] = keep
        self.members[keep].extend(self.members.pop(drop))
        self.reasons[keep].update(pair.keys, self.reasons.pop(drop))
        if reason:
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
    that article's takedowns it reports."""
    best: dict[tuple[int, str], list[int]] = defaultdict(list)  # (record, other article) -> scores
    for p in pairs:
        best[(p.a.rank, p.b.article)].append(p.score)
        best[(p.b.rank, p.a.article)].append(p.score)

    def rivals(x: Source, y: Source, score: int) -> bool:
        return sum(1 for s in best[(x.rank, y.article)] if s >= score) > 1

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


def merge_weak(block: list[Source], groups: Groups, links: frozenset[tuple[str, str]]) -> Groups:
    """Rounds 2 and 3 on a block's round-1 groups.

    2. Two articles that report one takedown (``links``) tell one story: their records that
       agree on a state, actor or operation are one takedown too, dated or not.
    3. When a state, actor or operation is named by just two groups of the block, and records
       of the two agree on it with at least one of them dated, they are one takedown: an
       undated record cannot be placed in the window, but there is nothing else it could be.
       Between two multi-network reports only on a key each names in one record (:func:`_told_apart`).
    """
    by_article: dict[str, list[Source]] = defaultdict(list)
    for s in block:
        by_article[s.article].append(s)
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
    by_key: dict[tuple[str, object], list[Source]] = defaultdict(list)
    for s in block:
        for k in _lasting_keys(s):
            by_key[k].append(s)
    for key in sorted(by_key, key=repr):
        named = sorted({groups.of[s.rank] for s in by_key[key]})
        if len(named) != 2:
            continue
        left = [s for s in by_key[key] if groups.of[s.rank] == named[0]]
        right = [s for s in by_key[key] if groups.of[s.rank] == named[1]]
        found = [
            p
            for a in left
            for b in right
            if (p := _pair(a, b)) is not None and p.lasting and _placed(a, b)
            and _told_apart(key, by_article[a.article], by_article[b.article])
        ]
        if found:
            groups.join(_ordered(found)[0], "only-match")
    return groups


def blocks(facts: Iterable[ArticleFacts]) -> dict[str, list[Source]]:
    """The merge's blocks: every record by platform, in canonical order."""
    out: dict[str, list[Source]] = defaultdict(list)
    for s in _sources(facts):
        out[s.takedown.platform].append(s)
    return dict(sorted(out.items()))


def _merge_weak(args: tuple[list[Source], Groups, frozenset[tuple[str, str]]]) -> Groups:
    return merge_weak(*args)


def merge_takedowns(
    facts: Iterable[ArticleFacts], map_blocks: MapBlocks | None = None
) -> list[TakedownEvent]:
    """One event per group of records that report one removal (see the module doc).

    ``map_blocks(fn, items)`` runs ``fn`` on every block and returns the results in order:
    the builtin ``map`` by default, or a cluster's map (each block is decided alone, so the
    events are the same wherever the blocks ran).
    """
    run = map_blocks or (lambda fn, items: list(map(fn, items)))
    facts = list(facts)
    by_platform = blocks(f for f in facts if f.article.copy_of is None)
    names = list(by_platform)
    strong = dict(zip(names, run(merge_strong, [by_platform[k] for k in names]), strict=True))
    links = article_links(strong.values())
    weak = run(_merge_weak, [(by_platform[k], strong[k], links) for k in names])
    events = [_event(members, reasons) for groups in weak for members, reasons in groups.result()]
    return sorted(_with_copies(events, facts), key=lambda e: e.key)


def _with_copies(events: list[TakedownEvent], facts: list[ArticleFacts]) -> list[TakedownEvent]:
    """Each copy's record (``ArticleMeta.copy_of``: a republished article, whose records are
    its original's) joins its original record's event as another source (``same text``); the
    event keeps its key, what it shows and its first source."""
    copies: dict[RecordKey, list[Takedown]] = defaultdict(list)
    for f in facts:
        if f.article.copy_of is not None:
            for t in f.takedowns:
                copies[(f.article.copy_of, *source_key(t)[1:])].append(t)
    if not copies:
        return events
    out = []
    for e in events:
        extra = [c for s in e.sources for c in copies.get(source_key(s), ())]
        if extra:
            sources = (*e.sources, *sorted(extra, key=source_key))
            e = replace(e, sources=sources, merged_on=tuple(sorted({*e.merged_on, "same text"})))
        out.append(e)
    return out


def shown_counts(sources: list[Takedown]) -> Counts:
    """The figures the event shows: those most sources gave; on a tie, the most detailed
    (most kinds counted), then the first source in canonical order."""
    given = [s.counts.items() for s in sources if not s.counts.is_empty()]
    if not given:
        return Counts()
    freq = Counter(given)
    best = min(given, key=lambda c: (-freq[c], -len(c), given.index(c)))
    return Counts(**dict(best))


def _event(members: list[Source], reasons: tuple[str, ...]) -> TakedownEvent:
    sources = [m.takedown for m in members]
    first = sources[0]
    attributions: dict[str, Attribution] = {}
    for s in sources:
        for a in s.attributions:
            attributions.setdefault(a.state, a)
    counts = shown_counts(sources)
    shown = next((s for s in sources if s.counts == counts), first)
    dates = sorted(s.date for s in sources if s.date is not None)
    actors = sorted({a for s in sources for a in s.actors})
    unnamed = f"a {first.platform} network"  # a record with no description still names one
    return TakedownEvent(
        key=_hash("takedown", *map(str, source_key(first))),
        platform=first.platform,
        network=shown.network or next((s.network for s in sources if s.network), unnamed),
        counts=counts,
        date=dates[0] if dates else None,
        attributions=tuple(attributions[s] for s in sorted(attributions)),
        actors=tuple(actors),
        sources=tuple(sources),
        merged_on=reasons if len(sources) > 1 else (),
    )
