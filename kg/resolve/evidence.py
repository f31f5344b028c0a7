"""Evidence between two records: the hard rules (:func:`compatible`: figures, states and dates
that fit) and the keys that agree (:func:`compare`), weighed into a :class:`Pair`."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from kg.resolve.clues import NamedDate
from kg.resolve.sources import Source

#: Two reports of one removal are announced within this many days of each other (the
#: takedown's date, else the article's publication date: outlets report a removal days later).
WINDOW_DAYS = 7
#: Figures "agree" when equal, or when one is a round figure within half its last unit of the
#: other and within this fraction of it ("about 200,000" vs 201,012).
ROUND_TOLERANCE = 0.05
#: A figure ending in one zero is a rounding of another from this size up ("950 Pages" for 954).
ROUNDED_TO_TEN = 100
#: A quarterly report comes out up to this many days after its quarter.
QUARTER_REPORT_DAYS = 62
#: A removal a text dates to a day ("on April 28") is announced up to this many days later:
#: another text's date ("said on Tuesday") may be the announcement's.
ANNOUNCED_DAYS = 3
#: Evidence weights of the keys that can agree; a pair merges only with one of
#: :data:`STRONG` among them, or one of :data:`LASTING` on two dated records (a date alone does
#: not tell two takedowns of one day apart, a state or troll farm not two of different years).
WEIGHTS = {
    "figures": 8, "total=breakdown": 8, "operation": 6, "actors": 6, "states": 4, "small figures": 3,
    "topic": 2, "date": 1, "vague figures": 5, "named date": 1, "partial sum": 5,
}
#: Figures that hold the other's only within bounds or in part: they decide with a lasting key.
LOOSE = frozenset({"vague figures", "partial sum"})
#: A figure this large (or two kinds agreeing) is distinctive; "7 pages" in two reports is not.
DISTINCT_FIGURE = 10
#: Two texts that date a removal weeks apart (a quarterly report retelling an announcement) are
#: one removal only on an exact figure at least this large that both give ("13 accounts" twice
#: in two months is two removals as often as one).
RETOLD_FIGURE = 100
STRONG = frozenset({"figures", "total=breakdown"})
LASTING = frozenset({"operation", "actors", "states", "topic", "small figures"})

# -- figures ----------------------------------------------------------------------------


def _trailing_zeros(n: int) -> int:
    k = 0
    while n and n % 10 == 0:
        n //= 10
        k += 1
    return k


def figures_agree(x: int, y: int) -> bool:
    """Equal, or one is a round figure for the other ("about 200,000" and 201,012; "950" for
    954 from :data:`ROUNDED_TO_TEN` up)."""
    if x == y:
        return True
    r, other = (x, y) if _trailing_zeros(x) >= _trailing_zeros(y) else (y, x)
    k = _trailing_zeros(r)
    if k < 1 or (k == 1 and r < ROUNDED_TO_TEN):
        return False  # "about 950 Pages" for 954, not "40" for 44
    return abs(r - other) * 2 <= 10**k and abs(r - other) <= ROUND_TOLERANCE * r


def stands_for(given: int, exact: int) -> bool:
    """A figure a source gives is ``exact``, or a round figure for it ("about 2,800" for
    2,757); an exact figure (a breakdown's sum) is no rounding of a figure given, however
    round it comes out (2,797 and 3 make 2,800, which is not "about 2,757")."""
    return given == exact or (_trailing_zeros(given) > _trailing_zeros(exact) and figures_agree(given, exact))


def _total_matches(total: tuple[tuple[str, int], ...], parts: tuple[tuple[str, int], ...]) -> bool:
    """One source's single figure is the sum of the other's breakdown (or a round figure for it)."""
    return len(total) == 1 and len(parts) >= 2 and stands_for(total[0][1], sum(v for _, v in parts))


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


def partial_sums(counts: tuple[tuple[str, int], ...]) -> set[int]:
    """The sums of two or more, but not all, of a breakdown's kinds: "55 Facebook accounts and
    pages" of a removal that another report gives as 41 accounts, 14 pages and 31 Instagram
    accounts (a report that leaves one platform's kind out)."""
    values = [v for _, v in counts]
    n = len(values)
    if n < 3:
        return set()
    return {
        sum(v for i, v in enumerate(values) if mask >> i & 1)
        for mask in range(1, 2**n - 1)
        if bin(mask).count("1") >= 2
    }


def partial_sum(a: tuple[tuple[str, int], ...], b: tuple[tuple[str, int], ...]) -> bool:
    """One record's single figure (of :data:`DISTINCT_FIGURE` or more) is the sum of some of the
    other's kinds (:func:`partial_sums`). Weaker than a whole breakdown's sum (a few figures have
    many subsets): like a vague figure, it decides only with a state, actor or operation."""
    for one, kinds in ((a, b), (b, a)):
        if len(one) == 1 and one[0][1] >= DISTINCT_FIGURE and one[0][1] in partial_sums(kinds):
            return True
    return False


# -- pairs ------------------------------------------------------------------------------


def _exact_figure(a: Source, b: Source, least: int = DISTINCT_FIGURE) -> bool:
    """A distinctive figure (``least`` or more) that is not round, equal in both: "470
    accounts", not "1,000"."""
    da = dict(a.counts)
    return any(da.get(k) == v and v >= least and _trailing_zeros(v) < 2 for k, v in b.counts)


def in_window(a: Source, b: Source) -> bool:
    return a.when is not None and b.when is not None and abs((a.when - b.when).days) <= WINDOW_DAYS


def near_in_window(a: Source, b: Source) -> bool:
    """Inside the window with an undated article's estimated date standing in for its date.

    The estimate (the latest full date its text writes) only adds evidence, the ``date`` key:
    it never keeps two records apart, since an article may be written long after it."""
    return a.near is not None and b.near is not None and abs((a.near - b.near).days) <= WINDOW_DAYS


def dates_fit(a: Source, b: Source) -> bool:
    """Dates within the window, with two allowances. An article can look back: a record dated
    only by its article's publication may report a removal of any earlier date (not a later
    one); two such records far apart fit only on an exact figure both give. And a quarterly
    report retells removals announced weeks before it: two dates their texts give fit up to
    :data:`QUARTER_REPORT_DAYS` apart on an exact figure of :data:`RETOLD_FIGURE` or more."""
    if a.when is None or b.when is None or in_window(a, b) or named_date_fits(a, b):
        return True
    if a.told and b.told:  # a quarterly report retells a removal announced weeks before it
        assert a.when is not None and b.when is not None
        near = abs((a.when - b.when).days) <= QUARTER_REPORT_DAYS or quarter_holds(a, b)
        return near and _exact_figure(a, b, RETOLD_FIGURE)
    if a.told or b.told:
        told, looking_back = (a, b) if a.told else (b, a)
        assert told.when is not None and looking_back.when is not None
        return told.when <= looking_back.when
    return _exact_figure(a, b)


def quarter_holds(a: Source, b: Source) -> bool:
    """One record's sentence names the quarter its report covers ("in the third quarter"), the
    other's date is in that quarter, and the report comes after it, up to
    :data:`QUARTER_REPORT_DAYS` past its end: a report of November retells a removal announced
    in July, more than the two months apart that dates from texts otherwise may be."""
    for report, other in ((a, b), (b, a)):
        q = report.quarter
        if q is None or q.year is None or report.when is None or other.when is None:
            continue
        start = date(q.year, q.first, 1)
        end = date(q.year, q.last, monthrange(q.year, q.last)[1])
        if start <= other.when <= end and other.when <= report.when <= end + timedelta(QUARTER_REPORT_DAYS):
            return True
    return False


def operators_conflict(a: Source, b: Source) -> bool:
    """Both name the firm, troll farm or operation behind them, and no word of those names is
    shared: two removals ("Archimedes Group" is not "STOIC", though both are Israeli firms)."""
    return bool(a.operators and b.operators) and not a.operators & b.operators


def topic_conflict(a: Source, b: Source) -> bool:
    """One record is attributed to states and the other, unattributed, is about another state
    only (its sentence or title names just that one), and nothing places them in one window:
    "418 Russian accounts" is not "418 accounts in Uganda" of an article years later or undated.
    Inside the window the other state may be the target ("1,907 accounts targeting Sudan")."""
    if bool(a.states) == bool(b.states) or near_in_window(a, b):
        return False
    attributed, other = (a, b) if a.states else (b, a)
    return bool(other.about) and not other.about & attributed.states


def vague_agree(a: Source, b: Source) -> bool:
    """A figure one record's sentence gives vaguely ("almost 6,000") holds one of the other's
    figures, or the total of its breakdown (5,929)."""
    for vague, exact in ((a, b), (b, a)):
        values = [v for _, v in exact.counts]
        if len(values) >= 2:
            values.append(sum(values))
        if any(lo <= v <= hi for lo, hi in vague.vague for v in values if v >= DISTINCT_FIGURE):
            return True
    return False


def remainder_fits(a: Source, b: Source) -> bool:
    """One record gives its figure with an uncounted remainder of other kinds ("7,700 accounts
    and hundreds of other pages, groups and Instagram accounts") and the other's distinctive
    figure, or a vague figure of its sentence ("approximately 9,000 accounts"), lies in that
    total's bounds: the other counts all the kinds the first counted only in part."""
    for part, whole in ((a, b), (b, a)):
        if not part.remainder:
            continue
        ranges = [*whole.vague, *((v, v) for _, v in whole.counts if v >= DISTINCT_FIGURE)]
        if any(lo <= top and low <= hi for lo, hi in part.remainder for low, top in ranges):
            return True
    return False


def _named_fits(named: NamedDate, when: date, told: bool) -> bool:
    """Does ``when`` (a takedown's date from a text if ``told``, else a publication date) fit
    the day, month or quarter another record names? A publication may come up to the window
    after the named day or month, a quarterly report two months after its quarter; so may a
    date from a text, which is as often the announcement's ("said on Tuesday it had removed")
    as the removal's: a removal "in late April" is announced on May 5."""
    if named.first == 0:  # "last month" with no publication to count from
        return False
    slack = QUARTER_REPORT_DAYS if named.last > named.first else WINDOW_DAYS
    for year in (named.year,) if named.year is not None else (when.year, when.year - 1):
        if named.day is not None:
            if named.day > monthrange(year, named.first)[1]:
                continue
            lag = (when - date(year, named.first, named.day)).days
            if 0 <= lag <= (ANNOUNCED_DAYS if told else slack):
                return True
            continue
        start = date(year, named.first, 1)
        end = date(year, named.last, monthrange(year, named.last)[1])
        if start <= when <= end + timedelta(slack):
            return True
    return False


def named_date_fits(a: Source, b: Source) -> bool:
    """A record without the takedown's date names a day, month or quarter ("on April 2", "in
    August", "Q3 2022") that the other's date fits (:func:`_named_fits`)."""
    return any(
        x.named is not None and y.when is not None and _named_fits(x.named, y.when, y.told)
        for x, y in ((a, b), (b, a))
    )


def named_date_conflict(a: Source, b: Source) -> bool:
    """A record without the takedown's date names a day ("on March 3") more than the window away
    from the other's date from its text, or a month or quarter with its year ("August 2018")
    that date is not in (a publication date can be any time after; a month without its year
    may be the removal's while the other's date is the report's)."""
    for undated, dated in ((a, b), (b, a)):
        named = undated.named
        if named is None or not dated.told or dated.when is None:
            continue
        when = dated.when
        if named.day is None:  # a month or quarter with the year the sentence gives ("August 2018")
            if named.year_stated and named.year is not None:
                start = date(named.year, named.first, 1) - timedelta(WINDOW_DAYS)
                last = date(named.year, named.last, monthrange(named.year, named.last)[1])
                slack = QUARTER_REPORT_DAYS if named.last > named.first else WINDOW_DAYS
                if not start <= when <= last + timedelta(slack):
                    return True
            continue
        years = (named.year,) if named.year else (when.year - 1, when.year, when.year + 1)
        days = [
            abs((when - date(year, named.first, named.day)).days)
            for year in years
            if named.day <= monthrange(year, named.first)[1]
        ]
        if days and min(days) > WINDOW_DAYS:
            return True
    return False


def compatible(a: Source, b: Source, states: bool = True, figures: bool = True) -> bool:
    """The hard rules: may these two records be reports of one removal at all? (With ``states``
    false, all but that their states must meet: see ``decisions._bridged``; with ``figures``
    false, all but that their figures must agree: a part's figure is not its whole's, see
    :mod:`kg.resolve.parts`.)"""
    if a.article == b.article or a.takedown.platform != b.takedown.platform:
        return False
    if states and a.states and b.states and not a.states & b.states:
        return False
    if operators_conflict(a, b) or topic_conflict(a, b) or named_date_conflict(a, b):
        return False
    if figures and compare_figures(a.counts, b.counts) == "conflict" and not remainder_fits(a, b):
        return False
    return dates_fit(a, b)


def compare(a: Source, b: Source) -> tuple[str, ...]:
    """The keys on which two compatible records agree (sorted; empty if none)."""
    keys: list[str] = []
    figures = compare_figures(a.counts, b.counts)
    if figures == "conflict":  # compatible: one counts all kinds, the other some (remainder_fits)
        figures = None
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
    elif named_date_fits(a, b):
        keys.append("named date")
    if figures is None and (vague_agree(a, b) or remainder_fits(a, b)):
        keys.append("vague figures")
    elif figures is None and partial_sum(a.counts, b.counts):
        keys.append("partial sum")
    return tuple(sorted(keys))


def _score(keys: tuple[str, ...]) -> int:
    return sum(WEIGHTS[k] for k in keys)


@dataclass(frozen=True)
class Pair:
    score: int
    a: Source
    b: Source
    keys: tuple[str, ...]

    @property
    def strong(self) -> bool:
        """Figures that agree, or a lasting key with both records dated (so in the window) or
        with a vague figure that holds the other's."""
        return bool(STRONG.intersection(self.keys)) or (
            bool({"date", *LOOSE}.intersection(self.keys)) and bool(LASTING.intersection(self.keys))
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


def _same_kinds(p: Pair) -> int:
    """How many figures of the pair agree under the same kind: on a tie, "652 accounts, pages and
    groups" is nearer another's combined 652 than a headline's "652 accounts"."""
    da = dict(p.a.counts)
    return sum(1 for k, v in p.b.counts if k in da and figures_agree(da[k], v))


def _same_day(p: Pair) -> bool:
    """Both records give the takedown's date from their text, and it is one day: nearer than two
    articles published within the window."""
    return p.a.told and p.b.told and p.a.when == p.b.when


def _ordered(pairs: Iterable[Pair]) -> list[Pair]:
    """Strongest first; on a tie, figures under the same kinds, then one told day, then in
    canonical order."""
    return sorted(pairs, key=lambda p: (-p.score, -_same_kinds(p), -_same_day(p), p.a.rank, p.b.rank))
