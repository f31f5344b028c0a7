"""Helpers for the extraction tables: run the real pipeline on a sentence we wrote."""

from __future__ import annotations

from kg.extract import extract_article
from kg.ingest import parse_article
from kg.records import ArticleFacts

TD = tuple[str, dict[str, int], set[str]]


def facts(nlp, text: str) -> ArticleFacts:  # type: ignore[no-untyped-def]
    return extract_article(parse_article(text, file="case.txt"), nlp)


def takedowns_of(nlp, text: str) -> list[TD]:  # type: ignore[no-untyped-def]
    """(platform, counts, states) of every takedown, in a stable order."""
    f = facts(nlp, text)
    return sorted(
        ((t.platform, dict(t.counts.items()), set(t.attributed_to)) for t in f.takedowns),
        key=repr,
    )
