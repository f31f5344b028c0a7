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


SUFFIXES = ("", "s", "es", "d", "ed", "ing", "er", "ers")


def candidate_forms(nlp, lemma: str) -> set[str]:  # type: ignore[no-untyped-def]
    """Regular and irregular inflections a lemmatizer could map back to ``lemma``."""
    forms = {lemma + s for s in SUFFIXES}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + s for s in ("ing", "ed", "er")}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + s for s in ("ies", "ied")}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy":
        forms |= {lemma + lemma[-1] + s for s in ("ed", "ing")}  # ban -> banned
    if lemma.endswith("man"):
        forms.add(lemma[:-3] + "men")
    exc = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_exc")  # irregular: took -> take
    forms |= {form for key in exc.keys() for form, lemmas in exc[key].items() if lemma in lemmas}
    return forms
