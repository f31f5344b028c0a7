"""The model's attribute rules (tag map and exceptions), applied with dictionary lookups.

spaCy's ``attribute_ruler`` runs all of its patterns (179 in en_core_web_sm: the tag map,
one pattern per tag, and word exceptions such as "n't" -> PART) through a token ``Matcher``
on every Doc: about a tenth of the whole pipeline's time, more than the tagger and
lemmatizer together. Almost every pattern is one token tested on its tag, word, dependency
label or whitespace flag, so the set of patterns a token matches depends only on those
four values: this component works it out once per distinct combination (a handful of
candidate patterns, found through indexes on the tag and the word) and reuses it. Patterns
of several tokens or with a regex still go through a ``Matcher``, of those few only.

The effect is the stock ruler's exactly: matches are applied in the order it applies them
(by pattern, later patterns win), through the same ``set_token_attrs``. It is built from the
loaded model's own ruler, so it follows whatever patterns the model ships; ``tests/
test_extract_attribute_rules.py`` compares every token attribute with the stock component.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.strings import StringStore
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["FastAttributeRuler", "use_fast_attribute_ruler"]

#: token attributes a one-token pattern may test here (Matcher names -> the token's value)
_KEYS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_Values = tuple[str, str, str, bool]  # (tag, lower, dep, is_space) of a token
_Test = Callable[[Any], bool]
#: distinct (tag, word, label, space) combinations remembered (about 100 bytes each)
MAX_MEMO = 100_000


def _value_test(spec: Any) -> _Test | None:
    """A test of one attribute's value as the Matcher reads ``spec`` (a value, ``IN`` or
    ``NOT_IN``), or None for anything else (``REGEX``, comparisons: left to a Matcher)."""
    if isinstance(spec, (str, bool)):
        return lambda v: v == spec
    if isinstance(spec, dict) and len(spec) == 1:
        (op, arg), = spec.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
            members = frozenset(arg)
            return (lambda v: v in members) if op == "IN" else (lambda v: v not in members)
    return None


def _token_test(token: dict[str, Any]) -> Callable[[_Values], bool] | None:
    """A test of a token's four values for one one-token pattern, or None (not simple)."""
    if not set(token) <= set(_KEYS):
        return None
    tests: list[tuple[int, _Test]] = []
    for key, spec in token.items():
        test = _value_test(spec)
        if test is None or (key == "IS_SPACE") != isinstance(spec, bool):
            return None
        tests.append((_KEYS.index(key), test))
    return lambda values: all(test(values[i]) for i, test in tests)


def _literals(patterns: list[list[dict[str, Any]]], key: str) -> frozenset[str] | None:
    """The values ``key`` must equal in every alternative of ``patterns`` (an index entry),
    or None if some alternative would match other values."""
    out: set[str] = set()
    for (token,) in patterns:
        spec = token.get(key)
        if isinstance(spec, str):
            out.add(spec)
        elif isinstance(spec, dict) and set(spec) == {"IN"}:
            out.update(spec["IN"])
        else:
            return None
    return frozenset(out)


class FastAttributeRuler:
    """The stock ``AttributeRuler``'s effect (see the module docstring); ``Language`` calls it
    on each Doc like any component."""

    def __init__(self, stock: AttributeRuler) -> None:
        self.vocab = stock.vocab
        self._attrs = list(stock.attrs)
        self._simple: dict[int, Callable[[_Values], bool]] = {}  # pattern id -> its test
        self._by_word: dict[str, list[int]] = {}
        self._by_tag: dict[str, list[int]] = {}
        self._other: list[int] = []  # simple patterns neither index narrows
        self._rest = Matcher(self.vocab)  # multi-token and regex patterns, by the stock ids
        self._targets: dict[int, tuple[int, int]] = {}  # match id -> (pattern id, target index)
        for attr_id, entry in enumerate(stock.patterns):
            patterns, index = entry["patterns"], int(entry.get("index", 0))
            tests = [_token_test(p[0]) if len(p) == 1 else None for p in patterns]
            if index in (0, -1) and tests and all(t is not None for t in tests):
                checks = [t for t in tests if t is not None]
                self._simple[attr_id] = lambda v, checks=checks: any(c(v) for c in checks)
                words, tags = _literals(patterns, "LOWER"), _literals(patterns, "TAG")
                if words is not None:
                    for w in words:
                        self._by_word.setdefault(w, []).append(attr_id)
                elif tags is not None:
                    for t in tags:
                        self._by_tag.setdefault(t, []).append(attr_id)
                else:
                    self._other.append(attr_id)
            else:
                self._rest.add(str(attr_id), patterns)
                self._targets[self.vocab.strings[str(attr_id)]] = (attr_id, index)
        self._memo: dict[tuple[int, int, int, int], tuple[tuple[int, ...], dict[int, int]]] = {}
        self._merged: dict[tuple[int, ...], tuple[tuple[int, ...], dict[int, int]]] = {}

    def _matches(self, key: tuple[int, int, int, int], strings: StringStore
                 ) -> tuple[tuple[int, ...], dict[int, int]]:
        """(the simple patterns a token with these hashed values matches, in order; their
        attributes merged in that order: the later pattern's value wins, as the stock ruler
        writes them one after another)."""
        tag, word, dep, space = key
        values: _Values = (strings[tag] if tag else "", strings[word], strings[dep] if dep else "",
                           bool(space))
        candidates = {*self._by_word.get(values[1], ()), *self._by_tag.get(values[0], ()), *self._other}
        ids = tuple(sorted(i for i in candidates if self._simple[i](values)))
        found = self._merged.get(ids)
        if found is None:  # a few hundred distinct lists: each merged once
            merged: dict[int, int] = {}
            for i in ids:
                merged.update(self._attrs[i])
            found = self._merged[ids] = (ids, merged)
        if len(self._memo) >= MAX_MEMO:  # one entry per distinct word and tag: bounded
            self._memo.clear()
        self._memo[key] = found
        return found

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([TAG, LOWER, DEP, IS_SPACE]).tolist()
        memo, matches = self._memo, self._matches
        extra: dict[int, list[tuple[int, int, int]]] = {}  # token -> (pattern id, start, end)
        for match_id, start, end in self._rest(doc, allow_missing=True):
            attr_id, index = self._targets[match_id]
            target = doc[start:end][index].i  # as the stock ruler: Span(doc, start, end)[index]
            extra.setdefault(target, []).append((attr_id, start, end))
        for i, row in enumerate(rows):
            key = tuple(row)
            ids, merged = memo.get(key) or matches(key, doc.vocab.strings)
            if i in extra:  # this token's matches, in the stock ruler's order
                order = sorted([(a, i, i + 1) for a in ids] + extra[i])
                token = doc[i]
                for attr_id, _, _ in order:
                    set_token_attrs(token, self._attrs[attr_id])
            elif merged:
                set_token_attrs(doc[i], merged)
        return doc


@Language.factory("cib_attributes")
def _make(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    stock = nlp.get_pipe("attribute_ruler")
    if not isinstance(stock, AttributeRuler):
        raise ValueError("cib_attributes needs the model's attribute_ruler")
    return FastAttributeRuler(stock)


def use_fast_attribute_ruler(nlp: Language) -> None:
    """Put :class:`FastAttributeRuler` in place of ``nlp``'s ``attribute_ruler`` (if it has one)."""
    if "attribute_ruler" in nlp.pipe_names:
        nlp.add_pipe("cib_attributes", before="attribute_ruler")
        nlp.remove_pipe("attribute_ruler")
