"""Clues a record's own sentence gives that its fields do not: figures given only vaguely
("more than 170,000", "almost 6,000": records keep them null) and a date without a year
("on April 2", "in August": an undated article's record has no date to keep).

Both only add evidence for the merge; neither keeps two records apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

#: Vague figures: the bounds (lowest, highest) each qualifier allows around the figure N, whose
#: unit is ``u`` (10 to the power of its trailing zeros: 6,000 -> 1,000; 23,750 -> 10).
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("more", r"more than|over|upwards of|in excess of|at least|north of"),
    ("less", r"almost|nearly|close to|just under|fewer than|less than|under|up to"),
    ("about", r"about|around|approximately|roughly|some|an estimated|estimated|~"),
)
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s+(?:million|thousand))?"
#: What a vague figure must count (within a few words): "about 200,000 followers" is no takedown's size.
_KINDS = r"(?:accounts?|pages?|groups?|profiles?|channels?|assets|handles|bots)\b"
_COUNTED = r"(?=(?:\s+[\w'\-’“”\"]+){0,3}?\s+" + _KINDS + ")"
_QUALIFIER = "|".join(f"(?P<{name}>{words})" for name, words in _QUALIFIERS)
_VAGUE = re.compile(r"(?<!\w)(" + _QUALIFIER + r")\s+" + _NUMBER + _COUNTED, re.IGNORECASE)
_SCALE = {"million": 1_000_000, "thousand": 1_000}


def _unit(n: int) -> int:
    u = 1
    while n and n % (u * 10) == 0:
        u *= 10
    return u


def vague_figures(text: str) -> tuple[tuple[int, int], ...]:
    """(lowest, highest) of each vague figure the text gives, in text order.

    "more than N" is N up to half its unit above (170,000 -> 175,000: a writer rounding down
    would have said "more than 180,000" past it); "almost N" is N down to half a unit or a tenth
    below it; "about N" is N within half a unit and 5%. Bounds wider than a tenth of the
    figure ("more than 1,000": up to 1,500) are left out: they tell too little apart."""
    out = []
    for m in _VAGUE.finditer(text):
        raw, scale = m.groups()[-2:]
        try:
            value = float(raw.replace(",", ""))
        except ValueError:  # pragma: no cover - the pattern gives digits
            continue
        if scale:
            value *= _SCALE[scale.strip().lower()]
        n = int(value)
        if n < 10:
            continue
        u = _unit(n)
        if m.group("more"):
            out.append((n, n + u // 2))
        elif m.group("less"):
            out.append((max(n - u // 2, n - n // 10), n))
        else:
            half = min(u // 2, n // 20)
            out.append((n - half, n + half))
    return tuple((lo, hi) for lo, hi in out if (hi - lo) * 10 <= hi)  # "more than 1,000" says little


#: A figure with an uncounted remainder of other kinds: "7,700 Facebook accounts and hundreds
#: of other pages, groups and Instagram accounts". What each remainder word adds, at least and at most.
_REMAINDER = re.compile(
    r"(?<![\d,.])(\d{1,3}(?:,\d{3})+|\d+)(?:\s+[\w'\-’“”\"]+){0,3}?\s+" + _KINDS
    + r",?\s+(?:and|plus|as well as|along with)\s+(dozens|hundreds|thousands)\s+(?:of\s+)?(?:other|more)\b",
    re.IGNORECASE,
)
_REMAINDER_ADDS = {"dozens": (24, 99), "hundreds": (200, 999), "thousands": (2_000, 9_999)}


def open_totals(text: str) -> tuple[tuple[int, int, int], ...]:
    """(figure, lowest, highest) for each figure the text gives with an uncounted remainder of
    other kinds: the removal's total of all kinds lies in the bounds (the figure within half its
    unit, "around 7,700", plus what "dozens", "hundreds" or "thousands" can be)."""
    out = []
    for m in _REMAINDER.finditer(text):
        n = int(m.group(1).replace(",", ""))
        least, most = _REMAINDER_ADDS[m.group(2).lower()]
        half = _unit(n) // 2
        out.append((n, n - half + least, n + half + most))
    return tuple(out)


_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
_MONTH = "|".join(m.capitalize() for m in _MONTHS)
def _year(tag: str) -> str:
    """A year after a day or month: "2018", ", 2018" or "last year" / "this year"."""
    return rf"(?:,?\s+(?P<{tag}y>(?:19|20)\d\d)|\s+(?P<{tag}r>last|this)\s+year)?"


#: "April 2" / "2 April" (a day, maybe with its year), or "in August" / "early last September" /
#: "August 2018" / "in October last year" (a month): "May" alone is a month only after "in",
#: "on", "early", "mid", "late"... ("since" starts an operation, not its removal); "last month".
#: A year alone ("in 2019") is left out: it is as often the accounts' creation or activity.
_DAY_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\.?\s+(?P<d1>\d{{1,2}})(?!\d|,\d\d\d)|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})){_year('a')}\b"
)
_MONTH_DATE = re.compile(
    rf"\b(?:(?i:in|on|early|mid|late|during|last|this)[-\s]+(?:(?i:early|mid|late|last)[-\s]+)?"
    rf"(?P<m1>{_MONTH}){_year('a')}|(?P<m2>{_MONTH}),?\s+(?P<by>(?:19|20)\d\d))\b"
)
_LAST_MONTH = re.compile(r"\b(?i:last|past|previous)\s+month\b")
_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
#: "Q3 2022", "the third quarter of 2022", "the first quarter of this year".
_QUARTER = re.compile(
    r"\b(?:Q([1-4])(?:\s+|\s*of\s+)?((?:19|20)\d\d)?|(?i:(first|second|third|fourth|1st|2nd|3rd|4th)"
    r"[-\s]+quarter)(?:\s+of)?(?:\s+(?:((?:19|20)\d\d)|(this|last) year))?)\b"
)
@dataclass(frozen=True)
class NamedDate:
    """A date a sentence names without the day, month or year all given: months ``first`` to
    ``last`` (one month, or a quarter), of ``year`` if known (``relative``: "this"/"last" year,
    resolved against the publication), on ``day`` if given."""

    first: int
    last: int
    year: int | None = None
    day: int | None = None
    relative: str | None = None
    #: The sentence gives the year ("August 2018"), not the publication.
    year_stated: bool = False

    def resolved(self, published: date | None) -> NamedDate:
        """The year from the publication date: "this year" is its year, "last year" the one
        before, a month without a year the last such month up to the publication, and "last
        month" the month before it."""
        if self.year is not None or published is None:
            return self
        if self.relative == "last month":
            month = published.month - 1 or 12
            year = published.year - (month == 12)
            return replace(self, first=month, last=month, year=year, relative=None)
        if self.relative == "last":
            year = published.year - 1
        elif self.relative == "this" or self.first <= published.month:
            year = published.year
        else:
            year = published.year - 1
        return replace(self, year=year, relative=None)


#: Words before a date that make it the accounts' or the operation's, not the removal's.
_NOT_REMOVAL = re.compile(
    r"\b(?:created|registered|opened|set up|active|began|begun|started|launched|joined|founded|operating|"
    r"operated|since|dating)\b[^.;]{0,20}$",
    re.IGNORECASE,
)


def _of_removal(text: str, m: re.Match[str]) -> bool:
    return _NOT_REMOVAL.search(text, max(0, m.start() - 40), m.start()) is None


def named_date(text: str) -> NamedDate | None:
    """The one date without a full day, month and year the text names (a day or month, maybe
    with its year, or a quarter); None if it names none, or two different ones (the
    removal cannot be told from, say, the report's date)."""
    found: set[NamedDate] = set()
    for m in filter(lambda m: _of_removal(text, m), _DAY_DATE.finditer(text)):
        month, day = m.group("m1") or m.group("m2"), int(m.group("d1") or m.group("d2"))
        if 1 <= day <= 31:
            mo = _MONTHS.index(month.lower()) + 1
            found.add(_dated(mo, mo, m.group("ay"), m.group("ar"), day))
    months_with_day = {d.first for d in found}
    for m in filter(lambda m: _of_removal(text, m), _MONTH_DATE.finditer(text)):
        mo = _MONTHS.index((m.group("m1") or m.group("m2")).lower()) + 1
        if mo not in months_with_day:  # "on May 29, 2024" is no second date "on May"
            found.add(_dated(mo, mo, m.group("ay") or m.group("by"), m.group("ar")))
    for m in filter(lambda m: _of_removal(text, m), _QUARTER.finditer(text)):
        q = int(m.group(1)) if m.group(1) else _ORDINAL[m.group(3).lower()]
        found.add(_dated(3 * q - 2, 3 * q, m.group(2) or m.group(4), m.group(5)))
    if not found:
        if _LAST_MONTH.search(text):
            found.add(NamedDate(0, 0, relative="last month"))
    return next(iter(found)) if len(found) == 1 else None


def _dated(
    first: int, last: int, year: str | None, relative: str | None, day: int | None = None
) -> NamedDate:
    stated = int(year) if year else None
    return NamedDate(first, last, stated, day, relative, stated is not None)
