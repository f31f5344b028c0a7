"""Which date places a takedown or a denial in time: the chain of known dates, each kept apart.

An event can be dated four ways, best first; the first one known is its chart date
(``cib:chartDate``) and its kind is named beside it (``cib:chartDateSource``):

1. ``reported date``: the date the text gives the removal or the denial itself (``cib:date``);
2. ``first report``: the publication date of the earliest merged article that has a date line
   (``cib:firstReported``; for a one-article event, that article's own date);
3. ``text date``: for articles with no date line, the latest date their text states about the
   past (``cib:textDate``, the earliest over the event's undated articles, at the precision
   the text gives: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; :mod:`kg.ingest.textdate`), a lower
   bound of when it was reported;
4. ``undated``: nothing at all is known; there is no chart date and charts count it apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from rdflib import Literal, URIRef

from kg.rdf.literals import date_literal, text_literal
from kg.rdf.namespace import CIB

#: The kinds of chart date, best first (the values of ``cib:chartDateSource``).
REPORTED, FIRST_REPORT, TEXT, UNDATED = "reported date", "first report", "text date", "undated"
DATE_KINDS: tuple[str, ...] = (REPORTED, FIRST_REPORT, TEXT, UNDATED)


@dataclass(frozen=True)
class EventDates:
    """An event's dates, each kept apart, and the one it is charted by."""

    first_reported: date | None
    text_date: str | None
    chart_date: str | None
    source: str


def _text_key(value: str) -> tuple[str, int]:
    """Earliest period start first; on a tie the finer date (``2019-01`` before ``2019``)."""
    return (value + "-01-01"[len(value) - 4 :], -len(value))


def event_dates(own: date | None, published: Iterable[date], text_dates: Iterable[str]) -> EventDates:
    """The chain for one event: its own date, its articles' date lines, their text dates."""
    first = min(published, default=None)
    text = min(text_dates, key=_text_key, default=None)
    if own is not None:
        return EventDates(first, text, own.isoformat(), REPORTED)
    if first is not None:
        return EventDates(first, text, first.isoformat(), FIRST_REPORT)
    if text is not None:
        return EventDates(first, text, text, TEXT)
    return EventDates(first, text, None, UNDATED)


def date_terms(
    own: date | None, published: Iterable[date], text_dates: Iterable[str],
    text: Callable[[str], Literal] = text_literal,
    day: Callable[[date], Literal] = date_literal,
) -> Iterator[tuple[URIRef, Literal]]:
    """(predicate, object) of an event's dates: ``cib:date``, ``cib:firstReported``,
    ``cib:textDate`` where known, ``cib:chartDate`` if any and always ``cib:chartDateSource``."""
    found = event_dates(own, published, text_dates)
    if own is not None:
        yield CIB.date, day(own)
    if found.first_reported is not None:
        yield CIB.firstReported, day(found.first_reported)
    if found.text_date is not None:
        yield CIB.textDate, text(found.text_date)
    if found.chart_date is not None:
        yield CIB.chartDate, text(found.chart_date)
    yield CIB.chartDateSource, text(found.source)
