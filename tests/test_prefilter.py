"""The pre-pass keeps every paragraph a rule could read: properties over the data files.

Whatever words the data files hold (they grow), a sentence that carries one of them, in
any form the model's lemmatizer maps to it, or any gazetteer name the span ruler finds,
is kept; unrelated news is not.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from kg.extract.prefilter import load_prefilter, trigger_words
from kg.gazetteer import load_gazetteer
from kg.nlp import SPANS_KEY

pytestmark = pytest.mark.model

FRAMES = (
    "Officials said on Monday that {} had been discussed at length.",
    "\u201c{}\u201d, the statement read.",
    "In a long report ({}) the authors gave no details.",
)
SUFFIXES = ("", "s", "es", "d", "ed", "ing", "er", "ers")


def _candidate_forms(nlp, lemma: str) -> set[str]:  # type: ignore[no-untyped-def]
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


def test_every_trigger_lemma_in_every_form_the_lemmatizer_maps_to_it(nlp) -> None:
    keeps = load_prefilter(nlp).keeps
    lemmas, _ = trigger_words()
    assert len(lemmas) > 50
    missed, checked = [], 0
    for lemma in sorted(set(lemmas)):
        for form in sorted(_candidate_forms(nlp, lemma.lower())):
            for cased in (form, form.capitalize(), form.upper()):
                text = f"Officials said the {cased} was discussed."
                doc = nlp(text)
                if any(t.lemma_.lower() == lemma.lower() for t in doc):
                    checked += 1
                    if not keeps(text):
                        missed.append((lemma, cased))
    assert missed == []
    assert checked > len(set(lemmas))


def test_every_phrase_of_the_data_files_is_kept() -> None:
    from kg.nlp import load_pipeline

    keeps = load_prefilter(load_pipeline()).keeps
    _, phrases = trigger_words()
    assert phrases
    missed = [
        (p, frame)
        for p in phrases
        for variant in (p, p.upper(), p.capitalize(), p.replace("'", "\u2019"))
        for frame in FRAMES
        if not keeps(frame.format(variant))
    ]
    assert missed == []


def test_every_gazetteer_name_the_ruler_finds_is_kept(nlp) -> None:
    keeps = load_prefilter(nlp).keeps
    missed = []
    for alias in load_gazetteer().aliases:
        for frame in FRAMES:
            text = frame.format(alias.text)
            if nlp(text).spans[SPANS_KEY] and not keeps(text):
                missed.append(text)
    assert missed == []


def test_context_only_classes_exist_and_are_not_triggers() -> None:
    data = resources.files("kg.data")

    def rows_of(name: str) -> list[dict]:
        return [json.loads(x) for x in data.joinpath(name).read_text("utf-8").splitlines() if x.strip()]

    rows = rows_of("prefilter.jsonl")
    skipped = {r["skip_file"] for r in rows if "skip_file" in r}
    lexicon = [  # every word-list row the pre-pass reads (context-only classes in any file)
        r for e in sorted(data.iterdir(), key=lambda e: e.name)
        if e.name.endswith(".jsonl") and e.name not in skipped for r in rows_of(e.name)
    ]
    classes = {r["class"] for r in lexicon if "class" in r}
    context_only = {r["context_only"] for r in rows if "context_only" in r}
    assert context_only <= classes  # a stale name would keep nothing out
    assert all(r.get("why") for r in rows)
    for name in (r["skip_file"] for r in rows if "skip_file" in r):
        assert data.joinpath(name).is_file()
    lemmas, phrases = trigger_words()
    only_context = {r["lemma"] for r in lexicon if r.get("class") in context_only and "lemma" in r} - {
        r.get("lemma") for r in lexicon if r.get("class") not in context_only
    }
    assert only_context and not only_context & set(lemmas)


@pytest.mark.parametrize(
    "text",
    [
        "The bus company met on Tuesday to discuss the new timetable.",
        "Rain is expected over the weekend, with temperatures dropping to eight degrees.",
        "\u201cWe are looking forward to the final,\u201d the coach told reporters.",
        "Shares in the bakery chain rose by four percent after the results were published.",
    ],
)
def test_unrelated_news_is_not_parsed(nlp, text: str) -> None:
    assert not load_prefilter(nlp).keeps(text)
