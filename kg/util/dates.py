"""Dates: the article's date line, and day-precise dates in sentences resolved against it.

Only day-precise dates are returned: "in August" or "in 2016" say when something happened,
not the day of a takedown, so they give ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBER_WORDS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_ANY_YEAR = re.compile(r"(?:19|20)\d{2}")
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})\b")
_MDY = re.compile(rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b", re.I)
_DMY = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b", re.I)
_WEEKDAY = re.compile(r"\b(?:on|last|this past)?\s*(?P<wd>" + "|".join(WEEKDAYS) + r")\b", re.I)
_RELATIVE = re.compile(
    r"\b(?P<n>a|one|two|three|four|five|six|seven)\s+days?\s+(?P<dir>earlier|later|ago)\b",
    re.I,
)
_YESTERDAY = re.compile(r"\byesterday\b", re.I)
_TODAY = re.compile(r"\btoday\b", re.I)


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date_line(line: str) -> date | None:
    """The published date if ``line`` is a date line (a date, maybe a time and zone; no prose)."""
    s = line.strip()
    if not s or len(s) > 60 or s.endswith((".", "?", "!")) and len(s.split()) > 6:
        return None
    for rx in (_ISO, _MDY, _DMY):
        m = rx.search(s)
        if m and m.group("year"):
            rest = (s[: m.start()] + s[m.end() :]).strip(" ,|-·")
            # allow a weekday name or a time of day around the date, nothing wordier
            if re.fullmatch(
                r"(?i)(?:(?:"
                + "|".join(WEEKDAYS)
                + r"),?\s*)?(?:(?:at\s+)?\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s*[A-Z]{0,4}\s*)?(?:updated.*)?",
                rest,
            ):
                month = m.group("month")
                mm = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
                return _make(int(m.group("year")), mm, int(m.group("day")))
    return None


@dataclass(frozen=True)
class DateMention:
    """One day-precise date written in a text: its value, wording and character span."""

    value: date
    text: str
    start: int
    end: int


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every day-precise date in ``text`` in text order, relative ones resolved against
    ``published`` (none of those without it); overlapping wordings count once."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(d: date | None, m: re.Match[str], group: int | str = 0) -> None:
        start, end = m.span(group)
        if d is None or any(start < e and s < end for s, e in taken):
            return
        taken.append((start, end))
        found.append(DateMention(d, m.group(group).strip(), start, end))

    for rx in (_ISO, _MDY, _DMY):
        for m in rx.finditer(text):
            add(_absolute(m, published), m)
    if published is not None:
        for m in _RELATIVE.finditer(text):
            n = NUMBER_WORDS[m.group("n").lower()]
            sign = 1 if m.group("dir").lower() == "later" else -1
            add(published + timedelta(days=sign * n), m)
        for m in _YESTERDAY.finditer(text):
            add(published - timedelta(days=1), m)
        for m in _WEEKDAY.finditer(text):
            back = (published.weekday() - WEEKDAYS.index(m.group("wd").lower())) % 7
            add(published - timedelta(days=back), m, "wd")
        for m in _TODAY.finditer(text):
            add(published, m)
    return sorted(found, key=lambda d: d.start)


def _absolute(m: re.Match[str], published: date | None) -> date | None:
    month = m.group("month")
    mm = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
    year = m.group("year")
    if year:
        return _make(int(year), mm, int(m.group("day")))
    if published is None:
        return None
    d = _make(published.year, mm, int(m.group("day")))
    if d is not None and d > published:  # "on December 30" in a January article: last year
        d = _make(published.year - 1, mm, int(m.group("day")))
    return d


def find_date(text: str, published: date | None) -> tuple[date | None, str | None]:
    """The first day-precise date in ``text``, resolved against ``published``; and its wording."""
    for rx in (_ISO, _MDY, _DMY):
        for m in rx.finditer(text):
            month = m.group("month")
            mm = int(month) if month.isdigit() else MONTHS[month.lower().rstrip(".")]
            year = m.group("year")
            if year:
                d = _make(int(year), mm, int(m.group("day")))
            elif published is not None:
                d = _make(published.year, mm, int(m.group("day")))
                if d is not None and d > published:
                    d = _make(published.year - 1, mm, int(m.group("day")))
            else:
                d = None
            if d is not None:
                return d, m.group(0)
    if published is None:
        return None, None
    m = _RELATIVE.search(text)
    if m:
        n = NUMBER_WORDS[m.group("n").lower()]
        sign = 1 if m.group("dir").lower() == "later" else -1
        return published + timedelta(days=sign * n), m.group(0)
    m = _YESTERDAY.search(text)
    if m:
        return published - timedelta(days=1), m.group(0)
    m = _WEEKDAY.search(text)
    if m:
        target = WEEKDAYS.index(m.group("wd").lower())
        back = (published.weekday() - target) % 7
        return published - timedelta(days=back), m.group(0).strip()
    m = _TODAY.search(text)
    if m:
        return published, m.group(0)
    return None, None


def estimate_published(text: str) -> date | None:
    """A lower bound for an undated article's date: the latest full date (with its year) the
    text writes. An article is written on or after what it reports, and a report's latest
    date ("on Aug 21, 2019" in a photo caption) is usually within days of it; relative and
    yearless dates cannot be placed without a date, so they are not read."""
    if _ANY_YEAR.search(text) is None:  # no year, no full date (most news: one search)
        return None
    found = [
        d
        for rx in (_ISO, _MDY, _DMY)
        for m in rx.finditer(text)
        if m.group("year") and (d := _absolute(m, None))
    ]
    return max(found, default=None)


def leading_date(line: str) -> date | None:
    """The full date (with its year) a line opens with, prose following: a dateline."""
    s = line.strip()
    for rx in (_ISO, _MDY, _DMY):
        m = rx.match(s)
        if m and m.group("year") and s[m.end() :].strip(" ,|-·—–:"):
            return _absolute(m, None)
    return None
