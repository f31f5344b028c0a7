"""Which paragraphs need the full parse: a regex pre-pass built from the data files.

Most paragraphs of a news article carry no platform, state, organisation or person of the
gazetteer and no removal, network, asset, denial or CIB word: no rule can make a fact from
them, so tagging, parsing and NER them is wasted. ``Prefilter.kept`` says which paragraphs of
an article carry such words, by regexes compiled at load time from

* every gazetteer alias (the span ruler's patterns: exact case for short names and
  acronyms, any case else; tokens may be joined by any spacing),
* every ``lemma``/``phrase``/``text`` of the word lists (``kg/data/*.jsonl``), in every form
  the model's lemmatizer can map to the lemma (a prefix for regular inflection, the
  lemmatizer's exception table for irregular forms such as "took"), unless
  ``kg/data/prefilter.jsonl`` says how a rule reads the class:

  - ``context_only``: only in a sentence kept for another word ("said", "may");
  - ``needs``: only beside one of some words ("did not use", "no links", "real citizens");
    phrasal verbs likewise need their particle ("took ... down", not "take care");
  - ``until``: also in earlier sentences, but only for a later sentence with one of the
    ``anchors`` words (a titled speaker remembered for a denial further on), so the class
    keeps a paragraph when that paragraph or a later one of the article carries an anchor;
  - ``window``: in the sentences right after a removal (up to ``after`` paragraphs after a
    paragraph kept on its own words), or anywhere beside ``or_with_classes``;

* the words of any other data file (``lemma``, ``phrase``, ``text``, ``name``, ``aliases``...)
  not listed as ``skip_file``: a list another rule adds is honoured without a code change.

The test is a superset of what the rules can match (more paragraphs kept costs time, never
facts). Paragraphs that fail it are still split into sentences (tokenizer and punctuation
rules, no model) so sentence windows of the rules ("the next two sentences") stay as wide.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.language import Language

from kg.lexicon.gazetteer import data_rows, load_gazetteer

#: keys of data-file rows whose string values are words or phrases of article text
WORD_KEYS = ("lemma", "phrase", "text", "name", "aliases", "word", "words", "phrases", "lemmas")
_BEFORE_LOWER = r"(?<![a-z0-9])"
_BEFORE_EXACT = r"(?<![A-Za-z0-9])"
_QUOTES = str.maketrans({"\u201c": " ", "\u201d": " ", '"': " ", "\u2019": "'"})


@dataclass(frozen=True)
class Settings:
    """What ``kg/data/prefilter.jsonl`` says of each word class (see its rows' ``why``)."""

    context_only: frozenset[str]  # never keeps a paragraph
    skip: frozenset[str]  # data files that hold no words of facts
    needs: dict[str, dict[str, Any]]  # class -> words one of which must be in the paragraph too
    until: dict[str, tuple[str, ...]]  # class -> classes one of which a later paragraph must carry
    window: dict[str, dict[str, Any]]  # class -> paragraphs after a kept one it is read in


def settings() -> Settings:
    rows = list(data_rows("prefilter.jsonl"))
    return Settings(
        context_only=frozenset(r["context_only"] for r in rows if "context_only" in r),
        skip=frozenset(r["skip_file"] for r in rows if "skip_file" in r),
        needs={r["needs"]: r for r in rows if "needs" in r},
        until={r["until"]: tuple(r["anchors"]) for r in rows if "until" in r},
        window={r["window"]: r for r in rows if "window" in r},
    )


def _strings(row: dict[str, Any]) -> Iterator[str]:
    for key in WORD_KEYS:
        value = row.get(key)
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str) and v.strip():
                yield v


@dataclass
class _Words:
    lemmas: list[str] = field(default_factory=list)
    phrases: list[str] = field(default_factory=list)


def class_words(skip: frozenset[str] | None = None) -> dict[str, _Words]:
    """Words of every class of the data files' rows: ``class`` -> lemmas and phrases; rows of a
    file without classes and TSV cells count under the file's name. Phrasal verbs ("take down",
    "brush off") are listed under ``phrasal:PARTICLE:CLASS``: the verb keeps a paragraph only
    with its particle. ``skip``: the data files to leave out (default: ``settings().skip``)."""
    if skip is None:
        skip = settings().skip
    out: dict[str, _Words] = {}
    data = resources.files("kg.data")
    for entry in sorted(data.iterdir(), key=lambda e: e.name):
        name = entry.name
        if name in skip or not entry.is_file():
            continue
        if name.endswith(".jsonl"):
            for row in data_rows(name):
                cls = str(row.get("class", name))
                if "particle" in row and isinstance(row.get("lemma"), str):
                    out.setdefault(f"phrasal:{row['particle']}:{cls}", _Words()).lemmas.append(row["lemma"])
                    continue
                words = out.setdefault(cls, _Words())
                for s in _strings(row):
                    is_lemma = " " not in s.strip() and s == row.get("lemma")
                    (words.lemmas if is_lemma else words.phrases).append(s)
        elif name.endswith(".tsv"):
            for cells in csv.reader(entry.read_text("utf-8").splitlines(), delimiter="\t"):
                if cells and not cells[0].startswith("#"):
                    words = out.setdefault(name, _Words())
                    words.phrases += [v for c in cells for v in c.split("|") if v.strip() and not _is_id(v)]
    return out


def trigger_words(
    s: Settings | None = None, words: dict[str, _Words] | None = None
) -> tuple[list[str], list[str]]:
    """(lemmas, phrases) of the data files that keep a paragraph alone (not the gazetteer's names).

    Lemmas are single words the rules compare with a token's lemma; phrases are matched as
    text. Every class counts unless ``kg/data/prefilter.jsonl`` lists it as context-only, as
    needing a word beside it (``needs``, and phrasal verbs their particle), as read only
    before a later paragraph's words (``until``) or only after a kept paragraph (``window``);
    rows of other data files count unless the file is skipped. ``s`` and ``words``: what
    :func:`settings` and :func:`class_words` give, when the caller has them already.
    """
    s = s or settings()
    conditional = s.context_only | set(s.needs) | set(s.until) | set(s.window)
    lemmas: list[str] = []
    phrases: list[str] = []
    for cls, of_class in (words if words is not None else class_words(s.skip)).items():
        if cls in conditional or cls.startswith("phrasal:"):
            continue
        lemmas += of_class.lemmas
        phrases += of_class.phrases
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
    (take/took). Checked against the lemmatizer itself by ``tests/test_extract_prefilter.py``."""
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


_Pair = tuple[re.Pattern[str], re.Pattern[str]]  # (words, one of which must be beside them)


def _normal(low: str) -> str:
    """``low`` with quotes as spaces and runs of spaces as one; ``low`` itself where that
    changes nothing (most paragraphs), so :func:`_search` searches it once."""
    norm = " ".join(low.translate(_QUOTES).split())
    return low if norm == low else norm


def _search(pattern: re.Pattern[str], low: str, norm: str) -> bool:
    return pattern.search(low) is not None or (norm is not low and pattern.search(norm) is not None)


@dataclass(frozen=True)
class Prefilter:
    """The pre-pass: ``kept(paragraphs)`` says which paragraphs of an article a rule could
    read; ``keeps(text)`` is its test of one paragraph alone (without the article's context)."""

    lower: re.Pattern[str]  # lemmas' forms and phrases, on lower-cased text
    exact: re.Pattern[str]  # case-sensitive gazetteer aliases (acronyms, short names)
    #: (class words, words one of which must be beside them): "use" with "not", "take" with "down"
    needs: tuple[_Pair, ...] = ()
    #: (class words, anchors a later paragraph must carry): a title keeps only before a denial
    #: word; an anchor is a word of a class, or one that needs a word beside it (as ``needs``)
    until: tuple[tuple[re.Pattern[str], re.Pattern[str], tuple[_Pair, ...]], ...] = ()
    #: (class words, paragraphs after a kept one, words that keep them anywhere)
    window: tuple[tuple[re.Pattern[str], int, re.Pattern[str]], ...] = ()
    #: a number before a word that opens a list item with its noun left out ("300 from Iran")
    numbered: re.Pattern[str] = re.compile("(?!)")

    def keeps(self, text: str) -> bool:
        low = text.lower()
        return self._keeps(text, low, _normal(low))

    def _keeps(self, text: str, low: str, norm: str) -> bool:
        if _search(self.lower, low, norm) or self.exact.search(text) is not None:
            return True
        if self.numbered.search(low) is not None:
            return True
        return any(_search(words, low, norm) and _search(beside, low, norm) for words, beside in self.needs)

    def kept(self, texts: Sequence[str]) -> list[bool]:
        """Which paragraphs of one article (in order) go through the pipeline."""
        lows = [t.lower() for t in texts]
        norms = [_normal(low) for low in lows]
        kept = [self._keeps(t, low, norm) for t, low, norm in zip(texts, lows, norms, strict=True)]
        if not (self.until or self.window) or all(kept):
            return kept
        for words, after, anywhere in self.window:
            last = -(after + 1)  # the last paragraph kept on its own words
            for i in range(len(texts)):
                if kept[i]:
                    last = i
                elif _search(words, lows[i], norms[i]):
                    if _search(anywhere, lows[i], norms[i]):  # "the second network": a removal of its own
                        kept[i] = True
                        last = i
                    elif i - last <= after:  # read only for the removal just before
                        kept[i] = True
        last_anchor: dict[tuple[str, ...], int] = {}  # rows share their anchors: find them once
        for words, anchors, paired in self.until:
            key = (anchors.pattern, *(p.pattern for pair in paired for p in pair))
            if key not in last_anchor:  # the last paragraph carrying an anchor word, or -1
                last_anchor[key] = next(
                    (
                        i
                        for i in range(len(texts) - 1, -1, -1)
                        if _search(anchors, lows[i], norms[i])
                        or any(_search(w, lows[i], norms[i]) and _search(b, lows[i], norms[i]) for w, b in paired)  # noqa: E501
                    ),
                    -1,
                )
            for i in range(last_anchor[key] + 1):  # a later paragraph (or this one) has an anchor
                if not kept[i] and _search(words, lows[i], norms[i]):
                    kept[i] = True
        return kept


def _forms_pattern(nlp: Language, words: _Words | None) -> str:
    """Whole-word forms of the lemmas (as the lemmatizer maps them) and phrases anywhere."""
    if words is None:
        return "(?!)"
    forms = {f for lemma in words.lemmas for f in forms_of(nlp, lemma)}
    seqs = {_tokens(nlp, p) for p in words.phrases}
    alts = [f"{_BEFORE_LOWER}{_trie(forms)}(?![a-z])"] if forms else []
    alts += [_trie(seqs)] if seqs else []
    return "|".join(alts) or "(?!)"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace(_GAP, r"\s*"))


def _words_with_contractions(nlp: Language, words: Iterable[str]) -> set[str]:
    """``words`` and every tokenizer exception that yields one of them ("didn't", "dont",
    "cannot" for "n't", "nt", "not")."""
    wanted = {w.lower() for w in words}
    out = set(wanted)
    for key, pieces in nlp.tokenizer.rules.items():  # type: ignore[attr-defined]
        orths = {str(p.get(65, p.get("ORTH", ""))).lower() for p in pieces if isinstance(p, dict)}
        if orths & wanted:
            out.add(key.lower().replace("\u2019", "'"))
    return out


def _beside(nlp: Language, row: dict[str, Any], words: dict[str, _Words]) -> str:
    """The words a ``needs`` row asks for: whole words (with their contractions), word
    starts (``with_prefix``: "anti" of "anti-Russian") and words of other classes."""
    alts: list[str] = []
    plain = _words_with_contractions(nlp, row.get("with", []))
    if plain:
        alts.append(f"{_BEFORE_LOWER}{_trie(plain)}(?![a-z0-9])")
    prefixes = {p.lower() for p in row.get("with_prefix", [])}
    if prefixes:
        alts.append(f"(?<![a-z0-9_]){_trie(prefixes)}")
    alts += [_forms_pattern(nlp, words.get(c)) for c in row.get("with_classes", [])]
    return "|".join(alts) or "(?!)"


def _numbered() -> re.Pattern[str]:
    """A number (as spaCy's ``like_num``: digits, fractions, "1st", number words) then,
    past any punctuation, a word of ``ELIDED_NEXT``: the list items "271 from Egypt", "45 in
    Cuba tied to ..." that count the asset kind of the sentences before (``mentions``); the
    rule needs their entities (a year is not a count), so they are parsed."""
    from spacy.lang.en.lex_attrs import _num_words, _ordinal_words

    from kg.extract.counts import ELIDED_NEXT

    number = rf"(?:\d[\d,./]*(?:st|nd|rd|th)?|{_trie(set(_num_words) | set(_ordinal_words))})"
    return re.compile(rf"{_BEFORE_LOWER}{number}[^a-z0-9]*{_trie(ELIDED_NEXT)}(?![a-z])")


def _any_of(nlp: Language, classes: Iterable[str], words: dict[str, _Words]) -> str:
    """Any word of ``classes``."""
    return "|".join(_forms_pattern(nlp, words[c]) for c in sorted(set(classes)) if c in words) or "(?!)"


@lru_cache(maxsize=4)
def load_prefilter(nlp: Language) -> Prefilter:
    """Compile the pre-pass for ``nlp`` (its tokenizer and lemmatizer exceptions), once.

    Lemmas match as any of their forms, as whole words; phrases and names as their token
    sequence with any spacing between tokens (a superset of the rules' phrase tests and of
    the span ruler), all as factored alternations of literals (fast on many words).
    """
    s = settings()
    words = class_words(s.skip)
    lemmas, phrases = trigger_words(s, words)
    forms = {f for lemma in lemmas for f in forms_of(nlp, lemma)}
    seqs = {_tokens(nlp, p) for p in phrases}  # matched anywhere: the rules test substrings too
    names: set[str] = set()  # names the ruler matches: whole tokens of the text
    exact_names: set[str] = set()
    for alias in load_gazetteer().aliases:
        if len(alias.text) <= 4 or alias.text.isupper():  # as kg.extract.model's ruler patterns
            exact_names.add(_tokens(nlp, alias.text, lower=False))
        else:
            names.add(_tokens(nlp, alias.text))
    lower = "|".join([
        f"{_BEFORE_LOWER}{_trie(forms)}(?![a-z])",
        f"(?<![a-z]){_trie(names)}(?![a-z])",
        _trie(seqs),
    ])
    exact = f"{_BEFORE_EXACT}{_trie(exact_names)}(?![A-Za-z0-9])"
    needs_of = {
        cls: (_compile(_forms_pattern(nlp, words.get(cls))), _compile(_beside(nlp, row, words)))
        for cls, row in sorted(s.needs.items())
        if cls not in s.context_only
    }
    phrasal = {  # "take" with "down"
        cls: (
            _compile(_forms_pattern(nlp, words[cls])),
            _compile(_beside(nlp, {"with": [cls.split(":")[1]]}, words)),
        )
        for cls in sorted(c for c in words if c.startswith("phrasal:"))
    }
    needs = list(needs_of.values()) + list(phrasal.values())
    until = []
    for cls, anchors in sorted(s.until.items()):
        alone = [a for a in anchors if a not in s.needs]
        paired = tuple(pair for a, pair in needs_of.items() if a in s.needs and a in anchors) + tuple(
            pair for k, pair in phrasal.items() if k.split(":")[2] in anchors
        )
        own = _compile(_forms_pattern(nlp, words.get(cls)))
        until.append((own, _compile(_any_of(nlp, alone, words)), paired))
    window = [
        (_compile(_forms_pattern(nlp, words.get(cls))), int(row["after"]),
         _compile(_any_of(nlp, row.get("or_with_classes", []), words)))
        for cls, row in sorted(s.window.items())
    ]
    return Prefilter(
        numbered=_numbered(),
        lower=_compile(lower),
        exact=_compile(exact),
        needs=tuple(needs),
        until=tuple(until),
        window=tuple(window),
    )
