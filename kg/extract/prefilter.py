"""Which paragraphs need the full parse: a regex pre-pass built from the data files.

Most paragraphs of a news article carry no platform, state, organisation or person of the
gazetteer and no removal, network, asset, denial or CIB word: no rule can make a fact from
them, so tagging, parsing and NER them is wasted. ``Prefilter.keeps`` says whether a
paragraph carries any of those words, by a regex compiled at load time from

* every gazetteer alias (the span ruler's patterns: exact case for short names and
  acronyms, any case else; tokens may be joined by any spacing),
* every ``lemma``/``phrase``/``text`` of the word lists (``kg/data/*.jsonl``) whose class is not listed as
  ``context_only`` in ``kg/data/prefilter.jsonl`` (words such as "said" or "may" that a rule
  reads only in a sentence kept for another word), in every form the model's lemmatizer can
  map to the lemma (a prefix for regular inflection, the lemmatizer's exception table for
  irregular forms such as "took"),
* the words of any other data file (``lemma``, ``phrase``, ``text``, ``name``, ``aliases``...)
  not listed as ``skip_file``: a list another rule adds is honoured without a code change.

The test is a superset of what the rules can match (more paragraphs kept costs time, never
facts). Paragraphs that fail it are still split into sentences (tokenizer and punctuation
rules, no model) so sentence windows of the rules ("the next two sentences") stay as wide.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.language import Language

from kg.gazetteer import data_rows, load_gazetteer

#: keys of data-file rows whose string values are words or phrases of article text
WORD_KEYS = ("lemma", "phrase", "text", "name", "aliases", "word", "words", "phrases", "lemmas")
_BEFORE_LOWER = r"(?<![a-z0-9])"
_BEFORE_EXACT = r"(?<![A-Za-z0-9])"
_QUOTES = str.maketrans({"\u201c": " ", "\u201d": " ", '"': " ", "\u2019": "'"})


def _settings() -> tuple[frozenset[str], frozenset[str]]:
    rows = list(data_rows("prefilter.jsonl"))
    context_only = frozenset(r["context_only"] for r in rows if "context_only" in r)
    skip = frozenset(r["skip_file"] for r in rows if "skip_file" in r)
    return context_only, skip


def _strings(row: dict[str, Any]) -> Iterator[str]:
    for key in WORD_KEYS:
        value = row.get(key)
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str) and v.strip():
                yield v


def trigger_words() -> tuple[list[str], list[str]]:
    """(lemmas, phrases) of the data files that keep a paragraph (not the gazetteer's names).

    Lemmas are single words the rules compare with a token's lemma; phrases are matched as
    text. Every row of ``lexicon.jsonl`` counts unless its class is context-only; rows of
    other data files count unless the file is skipped (``kg/data/prefilter.jsonl``).
    """
    context_only, skip = _settings()
    lemmas: list[str] = []
    phrases: list[str] = []
    data = resources.files("kg.data")
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        name = entry.name
        if name in skip or not entry.is_file():
            continue
        if name.endswith(".jsonl"):
            for row in data_rows(name):
                if row.get("class") in context_only:
                    continue
                for s in _strings(row):
                    is_lemma = " " not in s.strip() and s == row.get("lemma")
                    (lemmas if is_lemma else phrases).append(s)
        elif name.endswith(".tsv"):
            for cells in csv.reader(entry.read_text("utf-8").splitlines(), delimiter="\t"):
                if cells and not cells[0].startswith("#"):
                    phrases += [v for c in cells for v in c.split("|") if v.strip() and not _is_id(v)]
    return lemmas, phrases


def _is_id(value: str) -> bool:
    """Wikidata ids and similar columns of a TSV are not article words."""
    return re.fullmatch(r"Q\d+|https?://\S+", value.strip()) is not None


@lru_cache(maxsize=4)
def _lemmatizer_forms(nlp: Language) -> tuple[list[tuple[str, str]], dict[str, set[str]]]:
    """The model's lemmatizer tables, inverted: suffix rules as (lemma ending, form ending)
    and lemma -> forms it maps to by exception ("took" -> "take")."""
    rules: list[tuple[str, str]] = []
    irregular: dict[str, set[str]] = {}
    if "lemmatizer" not in nlp.pipe_names:
        return rules, irregular
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None:
        return rules, irregular
    if lookups.has_table("lemma_rules"):
        table = lookups.get_table("lemma_rules")
        rules = sorted({(new, old) for key in table.keys() for old, new in table[key]})
    if lookups.has_table("lemma_exc"):
        table = lookups.get_table("lemma_exc")
        for key in table.keys():
            for form, lemmas in table[key].items():
                for lemma in lemmas:
                    irregular.setdefault(lemma.lower(), set()).add(form.lower())
    return rules, irregular


def forms_of(nlp: Language, lemma: str) -> set[str]:
    """Every lower-case word the model's rule lemmatizer can map to ``lemma``: the lemma, its
    suffix-rule inflections (remove/removed, spy/spies, spokesman/spokesmen) and exceptions
    (take/took). Checked against the lemmatizer itself by ``tests/test_prefilter.py``."""
    rules, irregular = _lemmatizer_forms(nlp)
    low = lemma.lower()
    forms = {low} | irregular.get(low, set())
    for new, old in rules:
        if low.endswith(new):
            forms.add(low[: len(low) - len(new)] + old)
    return forms


def _literal(ch: str) -> str:
    return ch if ch == _GAP else re.escape(ch)


def _trie(words: Iterable[str]) -> str:
    """One regex alternation of literal ``words``, factored by prefix (fast on many words)."""
    root: dict[str, Any] = {}
    for w in set(words) - {""}:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict[str, Any]) -> str:
        if "" in node and len(node) == 1:
            return ""
        alts = [_literal(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(root) if root else "(?!)"


_GAP = "\x00"  # between two tokens of a sequence: any spacing (``\s*``) in the regex


def _tokens(nlp: Language, text: str, lower: bool = True) -> str:
    """``text`` as the tokenizer splits it, tokens joined by ``_GAP`` (for ``_trie``)."""
    return _GAP.join(t.lower_ if lower else t.text for t in nlp.make_doc(text))


@dataclass(frozen=True)
class Prefilter:
    """The pre-pass: ``keeps(text)`` is true when a rule could read something in ``text``."""

    lower: re.Pattern[str]  # lemmas' forms and phrases, on lower-cased text
    exact: re.Pattern[str]  # case-sensitive gazetteer aliases (acronyms, short names)

    def keeps(self, text: str) -> bool:
        low = text.lower()
        norm = " ".join(low.translate(_QUOTES).split())
        return (
            self.lower.search(low) is not None
            or self.lower.search(norm) is not None
            or self.exact.search(text) is not None
        )


@lru_cache(maxsize=4)
def load_prefilter(nlp: Language) -> Prefilter:
    """Compile the pre-pass for ``nlp`` (its tokenizer and lemmatizer exceptions), once.

    Lemmas match as any of their forms, as whole words; phrases and names as their token
    sequence with any spacing between tokens (a superset of the rules' phrase tests and of
    the span ruler), all as factored alternations of literals (fast on many words).
    """
    lemmas, phrases = trigger_words()
    forms = {f for lemma in lemmas for f in forms_of(nlp, lemma)}
    seqs = {_tokens(nlp, p) for p in phrases}  # matched anywhere: the rules test substrings too
    names: set[str] = set()  # names the ruler matches: whole tokens of the text
    exact_names: set[str] = set()
    for alias in load_gazetteer().aliases:
        if len(alias.text) <= 4 or alias.text.isupper():  # as kg.nlp's ruler patterns
            exact_names.add(_tokens(nlp, alias.text, lower=False))
        else:
            names.add(_tokens(nlp, alias.text))
    lower = "|".join([
        f"{_BEFORE_LOWER}{_trie(forms)}(?![a-z])",
        f"(?<![a-z]){_trie(names)}(?![a-z])",
        _trie(seqs),
    ])
    exact = f"{_BEFORE_EXACT}{_trie(exact_names)}(?![A-Za-z0-9])"
    gap = r"\s*"
    return Prefilter(lower=re.compile(lower.replace(_GAP, gap)), exact=re.compile(exact.replace(_GAP, gap)))

