"""The graph's literals: one datatype per property, made fast and the same every time.

``xsd:integer`` counts and offsets, ``xsd:date`` dates, ``xsd:decimal`` confidences with three
decimals, plain strings for text (lone surrogates replaced so the text encodes), Wikidata IRIs
from ids or URLs. The graph stage makes tens of thousands of these, so the hot ones skip
rdflib's constructor when that gives rdflib's own literal (:func:`direct_literals_agree`).
"""

from __future__ import annotations

import math
import re
from datetime import date
from functools import lru_cache

from rdflib import XSD, Literal, URIRef

from kg.rdf.namespace import WD


def made_by_rdflib(lexical: str, value: object, datatype: URIRef | None) -> Literal:
    return Literal(lexical, datatype=datatype)


def made_directly(lexical: str, value: object, datatype: URIRef | None) -> Literal:
    """The literal rdflib's constructor would make, without its parsing and normalising.

    ``Literal(...)`` re-derives the Python value from the lexical form and back (about 1.5 us
    for a string, 5 us for an integer); the graph stage makes over ten thousand and already
    knows both forms. Only used when :func:`direct_literals_agree` holds for this rdflib.
    """
    lit = str.__new__(Literal, lexical)
    lit._language = None
    lit._datatype = datatype
    lit._value = value
    lit._ill_typed = None if datatype is None else False
    return lit


_XSD_INTEGER = XSD.integer


def direct_literals_agree() -> bool:
    """Does :func:`made_directly` give rdflib's own literal (every attribute, hash, equality)?"""
    probes = [('a "quoted"\nline', 'a "quoted"\nline', None), ("", "", None), ("42", 42, _XSD_INTEGER),
              ("-7", -7, _XSD_INTEGER)]
    try:
        for lexical, value, datatype in probes:
            ours, theirs = made_directly(lexical, value, datatype), Literal(lexical, datatype=datatype)
            same = (
                type(ours) is type(theirs) and str(ours) == str(theirs) and repr(ours) == repr(theirs)
                and ours == theirs and hash(ours) == hash(theirs) and ours.eq(theirs)
                and type(ours.value) is type(theirs.value) and ours.value == theirs.value
                and ours.datatype == theirs.datatype and ours.language == theirs.language
                and ours.ill_typed == theirs.ill_typed and ours.toPython() == theirs.toPython()
            )
            if not same:
                return False
    except (AttributeError, TypeError):  # rdflib renamed or dropped the slots
        return False
    return True


#: How the hot literals (text, integers) are made: directly where that is rdflib's literal.
literal = made_directly if direct_literals_agree() else made_by_rdflib


def text_literal(value: str) -> Literal:
    """A plain string literal; lone surrogates (undecodable input) become ``?`` so it encodes."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "replace").decode("utf-8")
    return literal(value, value, None)


@lru_cache(maxsize=65536)
def date_literal(value: date) -> Literal:
    """``xsd:date`` of the calendar day (a ``datetime`` loses its time, keeping one datatype)."""
    return Literal(f"{value.year:04d}-{value.month:02d}-{value.day:02d}", datatype=XSD.date)


@lru_cache(maxsize=65536)  # offsets and counts repeat
def integer_literal(value: int) -> Literal:
    number = int(value)
    return literal(str(number), number, _XSD_INTEGER)


@lru_cache(maxsize=4096)  # a few rules' confidences, over and over
def confidence_literal(value: float) -> Literal | None:
    """``xsd:decimal`` with exactly three decimals, so equal confidences give equal bytes."""
    if not math.isfinite(value):
        return None
    return Literal(f"{value:.3f}", datatype=XSD.decimal)


_QID = re.compile(r"(?:^|[/:])(Q[1-9][0-9]*)$")


def wikidata_iri(value: str | None) -> URIRef | None:
    """``wd:Q…`` for ``Q159``, ``wd:Q159`` or a Wikidata entity/page URL; ``None`` otherwise."""
    match = _QID.search(value.strip()) if value else None
    return WD[match.group(1)] if match else None
