"""A date for an article with no date line, read from its text at the precision the text gives.

The rule (``kg/data/text_dates.jsonl`` holds its word lists):

* Read are full dates with a year ("Aug 21, 2019", "2019-08-21"; day precision), a month with
  its year ("in January 2019", "between April and June 2025"; month precision) and a bare year
  only where a preposition places something in it ("in 2019", "in early 2018", "during the
  second half of 2019", "in 2018 and 2019"; year precision).
* A range gives its end: "from 2016 to 2018" is 2018, "from May 2016 to August 2018" August
  2018. A date that opens a range and no readable end ("from 2015 until earlier this year"), or
  a start that lasts to the present ("active since 2011") is not read: the article's time is
  later than it, by how much is not said.
* Not read: a year that names something ("the 2016 election", "Vision 2030") or counts
  something ("2019 accounts", "2,019 accounts"), a month or year followed by a noun ("the
  January 2019 report": a modifier), decades ("the 2010s"), relative or yearless dates ("last
  year", "on Tuesday": nothing to resolve them against), and every date of a sentence that looks
  ahead ("will", "plans to", "ahead of", "next", "by 2030"): such a date may be in the article's
  future.
* Of what is read, the latest wins (the one whose period starts last; a finer one on a tie): an
  article is written on or after everything it reports, so the latest date is the best lower
  bound of its date, and an older event it recalls ("interfered in 2016") never wins over a
  later one it also states.

The result is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``: deterministic (the text alone decides,
never the clock) and never finer than the text. The first 100,000 characters are read, in
pieces of at most 1,000 (a run-on text costs linear time).
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from datetime import date
from functools import lru_cache

from kg.lexicon.gazetteer import data_rows
from kg.util.dates import MONTHS, find_dates

_SENTENCE = re.compile(r"\n+|(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z])")
_YEAR = r"(?:19|20)\d{2}"
#: Four digits that could be a year: a text (or sentence) without them states no date read here.
_ANY_YEAR = re.compile(_YEAR)
# a year not inside a longer number ("2,019", "12019", "2019.5") and not a decade ("2010s")
_BARE_YEAR = re.compile(rf"(?<![\w$\u20ac\u00a3.,/])(?P<year>{_YEAR})(?![\w/]|[.,]\d)")
_MONTH_YEAR = re.compile(
    r"\b(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + rf")\.?\s+(?:of\s+)?(?P<year>{_YEAR})"
    r"(?![\w/]|[.,]\d)",
    re.I,
)
_SHORT_END = re.compile(r"\s*[-\u2013]\s*(?P<yy>\d{2})(?![\w/]|[.,]\d)")  # "2016-18"
_NEXT_WORD = re.compile(r"\s*(?P<word>[^\W\d_][\w'\u2019-]*)?")


def _alternation(words: list[str]) -> str:
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") + (r"\b" if w[-1].isalnum() else "")
        for w in sorted(words, key=len, reverse=True)
    )


class _Words:
    """The word lists of ``text_dates.jsonl`` as patterns."""

    def __init__(self) -> None:
        rows = {row["class"]: row["words"] for row in data_rows("text_dates.jsonl")}
        qualifier = rf"(?:(?:{_alternation(rows['qualifier'])})\s*)?"
        #: a preposition (and a qualifier) right before the year
        self.placed = re.compile(rf"(?:^|\W)(?:{_alternation(rows['preposition'])})\s+{qualifier}$", re.I)
        #: right before a date that opens a range (only its end is read) or lasts to the present
        self.opens = re.compile(rf"(?:^|\W)(?:{_alternation(rows['range_start'])})\s+{qualifier}$", re.I)
        self.open_range = re.compile(rf"(?:^|\W)(?:{_alternation(rows['open_range'])})\s+{qualifier}$", re.I)
        #: after a read year: the next year of a range or list
        self.continued = re.compile(rf"^\s*(?:{_alternation(rows['continuation'])})\s*{qualifier}$", re.I)
        self.followers = frozenset(w.lower() for w in rows["follower"])
        future = [w for w in rows["future"] if w != "by"]
        self.future = re.compile(rf"(?<![\w'\u2019])(?:{_alternation(future)})", re.I)
        self.by = "by" in rows["future"]


@lru_cache(maxsize=1)
def _words() -> _Words:
    return _Words()


def _followed_well(sentence: str, end: int, words: _Words) -> bool:
    """Not a modifier: the date ends the clause, or a capitalised or function word follows."""
    m = _NEXT_WORD.match(sentence, end)
    word = m.group("word") if m else None
    return word is None or word[0].isupper() or word.lower() in words.followers


#: How far before a date its preposition is looked for: enough for "in the second half of",
#: and a bound, so a long run-on text costs linear time.
_WINDOW = 60


def _before(sentence: str, start: int) -> str:
    """The words right before ``start`` (at most :data:`_WINDOW` characters, whole words)."""
    low = max(0, start - _WINDOW)
    text = sentence[low:start]
    return re.sub(r"^\S*", "", text) if low else text


def _after_by(sentence: str, start: int) -> bool:
    return re.search(r"(?:^|\W)by\s+(?:\w+\s+)?$", _before(sentence, start), re.I) is not None


def _opening(sentence: str, start: int, words: _Words) -> str | None:
    """``"open"`` for a date that lasts to the present ("since 2011"), ``"start"`` for one that
    opens a range ("from 2016"), else None: neither is read, a start's range end may be."""
    before = _before(sentence, start)
    if words.open_range.search(before):
        return "open"
    return "start" if words.opens.search(before) else None


def _sentence_dates(sentence: str, words: _Words) -> list[tuple[date, int, str]]:
    """(period start, precision rank, ISO text) of every date this sentence states."""
    if words.future.search(sentence):
        return []
    found: list[tuple[date, int, str]] = []
    taken = bytearray(len(sentence))  # characters inside a date already seen
    ends: list[int] = []  # where the dates read (or a range's start) end: a range's next year may follow

    def take(start: int, end: int) -> bool:
        """Mark a date's characters; False if it overlaps one already seen."""
        if any(taken[start:end]):
            return False
        taken[start:end] = b"\x01" * (end - start)
        return True

    for d in find_dates(sentence, None):  # with no date to resolve against: full dates only
        take(d.start, d.end)
        opening = _opening(sentence, d.start, words)
        if opening == "start":
            ends.append(d.end)
        if not (opening or (words.by and _after_by(sentence, d.start))):
            found.append((d.value, 2, d.value.isoformat()))
    for m in _MONTH_YEAR.finditer(sentence):
        if not take(*m.span()):
            continue
        month = MONTHS[m.group("month").lower()]
        if (words.by and _after_by(sentence, m.start())) or not _followed_well(sentence, m.end(), words):
            continue
        opening = _opening(sentence, m.start(), words)
        if opening == "start":
            ends.append(m.end())
        if opening is None:
            year = int(m.group("year"))
            found.append((date(year, month, 1), 1, f"{year:04d}-{month:02d}"))
            ends.append(m.end())
    ends.sort()
    for m in _BARE_YEAR.finditer(sentence):
        if any(taken[m.start() : m.end()]):
            continue
        before = _before(sentence, m.start())
        # a range's or a list's next year: right after the last date that ends before it
        last = bisect_right(ends, m.start())
        continues = last > 0 and words.continued.match(sentence[ends[last - 1] : m.start()]) is not None
        opening = None if continues else _opening(sentence, m.start(), words)
        if not (continues or opening == "start" or words.placed.search(before)):
            continue
        year, end = int(m.group("year")), m.end()
        short = _SHORT_END.match(sentence, end)
        if short and (later := year // 100 * 100 + int(short.group("yy"))) > year:
            year, end, opening = later, short.end(), None  # "from 2014-16": the range's end
        if not _followed_well(sentence, end, words):
            continue
        insort(ends, end)
        if opening is None:
            found.append((date(year, 1, 1), 0, f"{year:04d}"))
    return found


#: Characters read: news articles are far shorter; a bound keeps a hostile text's cost small.
MAX_CHARS = 100_000
#: Longest piece read as one sentence (a run-on text is cut at spaces).
MAX_SENTENCE = 1_000


def _sentences(text: str) -> list[str]:
    pieces = []
    for sentence in _SENTENCE.split(text[:MAX_CHARS]):
        while len(sentence) > MAX_SENTENCE:
            cut = sentence.rfind(" ", 0, MAX_SENTENCE)
            cut = cut if cut > 0 else MAX_SENTENCE
            pieces.append(sentence[:cut])
            sentence = sentence[cut:]
        pieces.append(sentence)
    return [p for p in pieces if p.strip()]


def read_text_date(text: str) -> str | None:
    """The latest date ``text`` states about the past, as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``
    (the module docstring gives the rule; its first :data:`MAX_CHARS` characters are read); None
    if it states none."""
    text = text[:MAX_CHARS]
    if _ANY_YEAR.search(text) is None:  # every date read has its year: most news states none
        return None
    words = _words()
    found = [d for s in _sentences(text) if _ANY_YEAR.search(s) for d in _sentence_dates(s, words)]
    return max(found)[2] if found else None


def text_date_start(value: str) -> date:
    """The first day of a text date's period: ``2019`` -> 2019-01-01, ``2019-08`` -> 2019-08-01."""
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])
