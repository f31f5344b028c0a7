"""Clues a record's own sentence gives that its fields do not: figures given only vaguely
("more than 170,000", "almost 6,000": records keep them null) and a date without a year
("on April 2", "in August": an undated article's record has no date to keep).

Both only add evidence for the merge; neither keeps two records apart.
"""

from __future__ import annotations

import re

#: Vague figures: the bounds (lowest, highest) each qualifier allows around the figure N, whose
#: unit is ``u`` (10 to the power of its trailing zeros: 6,000 -> 1,000; 23,750 -> 10).
_QUALIFIERS: tuple[tuple[str, str], ...] = (
    ("more", r"more than|over|upwards of|in excess of|at least|north of"),
    ("less", r"almost|nearly|close to|just under|fewer than|less than|under|up to"),
    ("about", r"about|around|approximately|roughly|some|an estimated|estimated|~"),
)
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(\s+(?:million|thousand))?"
_VAGUE = re.compile(
    r"(?<!\w)(" + "|".join(f"(?P<{name}>{words})" for name, words in _QUALIFIERS) + r")\s+" + _NUMBER,
    re.IGNORECASE,
)
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
    below it; "about N" is N within half a unit and 5%."""
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
    return tuple(out)


_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
_MONTH = "|".join(m.capitalize() for m in _MONTHS)
#: "April 2" / "2 April" (a day), or "in August" / "early last September" (a month): "May" alone
#: is a month only after "in", "on", "early", "mid", "late" or "since".
_DAY_DATE = re.compile(rf"\b(?:({_MONTH})\.?\s+(\d{{1,2}})(?!\d|,\d)|(\d{{1,2}})\s+({_MONTH}))\b")
_MONTH_DATE = re.compile(
    rf"\b(?i:in|on|early|mid|late|since|during|last|this)[-\s]+(?:(?i:early|mid|late|last)[-\s]+)?({_MONTH})\b"
)


def named_date(text: str) -> tuple[int, int | None] | None:
    """(month, day or None) of the one date without a year the text names; None if it names
    none, or two different ones (the removal cannot be told from, say, the report's date)."""
    found: set[tuple[int, int | None]] = set()
    for m in _DAY_DATE.finditer(text):
        month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        if 1 <= int(day) <= 31:
            found.add((_MONTHS.index(month.lower()) + 1, int(day)))
    months_with_day = {mo for mo, _ in found}
    for m in _MONTH_DATE.finditer(text):
        month = _MONTHS.index(m.group(1).lower()) + 1
        if month not in months_with_day:
            found.add((month, None))
    return next(iter(found)) if len(found) == 1 else None
