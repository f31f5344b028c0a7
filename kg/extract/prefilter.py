"""Which paragraphs need the full parse: a regex pre-pass built from the data files.

Most paragraphs of a news article carry no platform, state, organisation or person of the
gazetteer and no removal, network, asset, denial or CIB word: no rule can make a fact from
them, so tagging, parsing and NER them is wasted. ``Prefilter.keeps`` says whether a
paragraph carries any of those words, by a regex compiled at load time from

* every gazetteer alias (the span ruler's patterns: exact case for short names and
  acronyms, any case else; tokens may be joined by any spacing),
* every ``lemma``/``phrase``/``text`` of ``kg/data/lexicon.jsonl`` whose class is not listed as
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
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.language import Language

from kg.gazetteer import load_gazetteer

#: keys of data-file rows whose string values are words or phrases of article text
WORD_KEYS = ("lemma", "phrase", "text", "name", "aliases", "word", "words", "phrases", "lemmas")
_BEFORE_LOWER = r"(?<![a-z0-9])"
_BEFORE_EXACT = r"(?<![A-Za-z0-9])"
_QUOTES = str.maketrans({"\u201c": " ", "\u201d": " ", '"': " ", "\u2019": "'"})


def _rows(name: str) -> Iterator[dict[str, Any]]:
    for line in resources.files("kg.data").joinpath(name).read_text("utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            yield json.loads(line)


def _settings() -> tuple[frozenset[str], frozenset[str]]:
    rows = list(_rows("prefilter.jsonl"))
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
            for row in _rows(name):
                if name == "lexicon.jsonl" and row.get("class") in context_only:
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


def _stem(lemma: str) -> str:
    """A prefix every regular inflection of ``lemma`` starts with (English lemmatizer rules
    only drop or replace a final -e, -y, -f, or -an of -man: deny/denied, spy/spies,
    remove/removing, spokesman/spokesmen; lie/lying is in the exception table)."""
    low = lemma.lower()
    if low.endswith("man") and len(low) > 4:
        return low[:-2]
    if low[-1:] in ("e", "y", "f") and len(low) > 2 and not low.endswith(("ee", "ie", "oe", "ye")):
        return low[:-1]
    return low


def _irregular(nlp: Language) -> dict[str, set[str]]:
    """lemma -> forms the model's lemmatizer maps to it by exception ("took" -> "take")."""
    out: dict[str, set[str]] = {}
    if "lemmatizer" not in nlp.pipe_names:
        return out
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_exc"):
        return out
    table = lookups.get_table("lemma_exc")
    for key in table.keys():
        for form, lemmas in table[key].items():
            for lemma in lemmas:
                out.setdefault(lemma.lower(), set()).add(form.lower())
    return out


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
        alts = [re.escape(ch) + walk(child) for ch, child in sorted(node.items()) if ch]
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(root) if root else "(?!)"


def _content(nlp: Language, text: str) -> list[str]:
    """Tokens of ``text`` that are words but not stop words."""
    return [t.text for t in nlp.make_doc(text) if t.is_alpha and t.lower_ not in nlp.Defaults.stop_words]


def _longest_token(nlp: Language, text: str) -> str:
    """The longest content token of ``text`` (any text the phrase matches contains each of its
    tokens literally, and the rarest is the best filter); the text itself if it has none."""
    return max(_content(nlp, text), key=len, default=text)


def _phrase_regex(nlp: Language, text: str) -> str:
    """Regex for all of ``text``'s tokens with any spacing between them (lower case)."""
    return r"\s*".join(re.escape(t.lower_) for t in nlp.make_doc(text))


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

    Lemmas match as a word start (a prefix of every form, plus irregular forms); phrases and
    multi-token names by their longest token anywhere (a superset of the rules' phrase and
    span tests, as one factored alternation of literals rather than hundreds of regexes).
    """
    lemmas, phrases = trigger_words()
    irregular = _irregular(nlp)
    forms: set[str] = set()
    for lemma in lemmas:
        low = lemma.lower()
        forms.add(_stem(low))
        forms |= irregular.get(low, set())
    anywhere = {_longest_token(nlp, p).lower() for p in phrases if _content(nlp, p)}
    whole = sorted({_phrase_regex(nlp, p) for p in phrases if not _content(nlp, p)})  # "made-up"
    names: set[str] = set()  # a token of a name the ruler matches: a whole token of the text
    exact_words: set[str] = set()
    exact_anywhere: set[str] = set()
    for alias in load_gazetteer().aliases:
        if not (len(alias.text) <= 4 or alias.text.isupper()):  # as kg.nlp's ruler patterns
            names.add(_longest_token(nlp, alias.text).lower())
        elif len(nlp.make_doc(alias.text)) == 1:
            exact_words.add(alias.text)
        else:
            exact_anywhere.add(_longest_token(nlp, alias.text))
    lower = re.compile(
        f"{_BEFORE_LOWER}{_trie(forms)}|(?<![a-z]){_trie(names)}(?![a-z])|{_trie(anywhere)}"
        + "".join(f"|{w}" for w in whole)
    )
    exact = f"{_BEFORE_EXACT}{_trie(exact_words)}(?![A-Za-z0-9])"
    if exact_anywhere:
        exact += f"|{_trie(exact_anywhere)}"
    return Prefilter(lower=lower, exact=re.compile(exact))
