"""Which articles can hold a fact at all: an article-level gate before any parse.

A news stream is mostly articles that report no takedown and no denial. The paragraph
pre-pass (:mod:`kg.extract.prefilter`) keeps any paragraph with a state, a person or a
"said"-free trigger word, so on general news nearly every article still goes through the
pipeline. The rules need more than one word, though, and what they need is a conjunction
the data files spell out:

* a **takedown** has a platform as its agent (the subject or ``by`` phrase, or the platform
  last spoken of for "it", "the company"; a finding by the platform itself), and platforms
  are the gazetteer's ``PLATFORM`` aliases: no platform alias in the article, no takedown;
* a **denial** needs a speaker for a state (a gazetteer state, demonym, place, organisation
  or person: "Moscow denied", "the Russian foreign ministry", "Peskov"; a generic office
  takes the accused state, and an accusation names a state or comes from a takedown, which
  needs a platform) and a rejecting stance word: a word of the stance classes, which are
  the ``anchors`` of the ``until`` rows of ``kg/data/prefilter.jsonl`` (the words a
  remembered speaker waits for), each as the pre-pass matches it (every form the model's
  lemmatizer maps to the lemma, phrases with any spacing, ``needs`` classes only with their
  partner word in the same paragraph, phrasal verbs only with their particle there: the
  stance rules read one sentence, and a sentence never spans two paragraphs);
* and, for a denial without a platform, an accusation about fake accounts, an influence
  operation or interference (``about_operation`` in :mod:`kg.extract.denials.stance`): a
  sentence accuses a state only when it is about one, and a denial that states its own
  accusation ("denied meddling") only when its claim is about one. ``about_operation`` is true
  only for a core topic word (``topic`` but not ``loose_topic`` in
  ``kg/data/accusation_cues.jsonl``: "accounts", "meddling", "propaganda") or a loose topic
  head ("campaign", "operation": ``loose_topic`` and ``topic_head``) under a
  ``topic_modifier`` ("a covert campaign"). So "involvement", "responsible", "an election"
  or "a military operation" alone never make a denial, and the gate asks for a core topic
  word, or a loose head with a modifier word, somewhere in the article.

So an article passes when its text carries a platform alias, or a state-side alias, a
stance word and a core topic word (or a loose topic head and a topic modifier).

A second, sentence-level test (:meth:`Gate.may_hold_fact`) then asks where those words stand.
Without a platform, the only accusations are a sentence's (``accusation_in`` in
:mod:`kg.extract.denials.accusations`: ``about_operation``, an accusation cue, the
``accusation_verb`` and ``accusation_marker`` rows of ``kg/data/accusation_cues.jsonl``, and a
state, all in that one sentence) or the denial's own ("denied meddling": ``self_accused``,
``about_operation`` of the denial sentence's words). So a fact needs a sentence with a stance
word and a topic, or a sentence with a topic, a cue and a state-side name and a stance word
anywhere. The sentences are cut as a text tells them without a parser (:func:`sentences`: only
at a full stop after a whole lower-case word), never finer than the parser's, so each test is
still a superset of the rule's, read in a longer stretch; news that names a state, a topic
and a rejection in different sentences ("the network's coverage", "denied bail") is not parsed.
An article that passes is parsed without NER first, and :meth:`Gate.may_hold_fact_parsed`
asks the same on the parser's sentences with the rules' own tests (``about_operation``, the cue
verb); only then do NER, the gazetteer ruler and the repair run (``kg.extract.run``). Everything
is compiled at load time from the data files with the pre-pass's own helpers (a word or alias
added there is honoured without a code change), and every test is a superset of the
paragraph pre-pass's test for the same words, applied to the whole text: the gate never drops
an article a rule could make a fact of. An article that fails is not parsed at all (not even
tokenized); its record has no facts and is counted as gated. A change to ``about_operation``
or to how an accusation is found must be checked against this gate
(``tests/test_extract_gate.py`` pins both sides).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any

from spacy.language import Language
from spacy.tokens import Span, Token

from kg.extract.denials.stance import _clause_head, _stance_lemmas, plain
from kg.extract.denials.topic import about_operation
from kg.extract.prefilter import (
    _BEFORE_EXACT,
    _beside,
    _compile,
    _forms_pattern,
    _normal,
    _Pair,
    _search,
    _tokens,
    _trie,
    _Words,
    class_words,
    settings,
)
from kg.extract.repair import may_repair
from kg.lexicon.denial import DenialLexicon, load_denial_lexicon
from kg.lexicon.gazetteer import load_gazetteer

__all__ = ["CUE_MARKER", "CUE_VERB", "LOOSE", "MODIFIER", "TOPIC", "TOPIC_HEAD", "Gate", "core_topics",
           "load_gate", "loose_heads", "sentences", "stance_classes"]

#: The class of words an accusation is about (``kg/data/accusation_cues.jsonl``): a denial
#: answers an accusation, made by a takedown (a platform) or by a sentence with one of them.
TOPIC = "topic"
#: Topic words that count only under a modifier ("a covert campaign"), the nouns that may
#: head one, and the modifiers (the classes ``about_operation`` reads).
LOOSE, TOPIC_HEAD, MODIFIER = "loose_topic", "topic_head", "topic_modifier"
#: What makes a sentence an accusation (``accusation_in``): an accusing or reporting verb, or a
#: marker phrase ("linked to", "backed by").
CUE_VERB, CUE_MARKER = "accusation_verb", "accusation_marker"


def core_topics(words: dict[str, _Words] | None = None) -> list[str]:
    """Topic lemmas that make an accusation alone: ``topic`` less ``loose_topic``."""
    words = class_words() if words is None else words
    loose = {w.lower() for w in _lemmas(words, LOOSE)}
    return sorted(w for w in _lemmas(words, TOPIC) if w.lower() not in loose)


def loose_heads(words: dict[str, _Words] | None = None) -> list[str]:
    """Loose topic lemmas that count under a modifier: ``loose_topic`` and ``topic_head``."""
    words = class_words() if words is None else words
    heads = {w.lower() for w in _lemmas(words, TOPIC_HEAD)}
    return sorted(w for w in _lemmas(words, LOOSE) if w.lower() in heads)


def _lemmas(words: dict[str, _Words], cls: str) -> list[str]:
    w = words.get(cls)
    return list(w.lemmas) if w is not None else []


def stance_classes() -> tuple[str, ...]:
    """The classes of rejecting stance words: every ``anchors`` class of the ``until`` rows of
    ``kg/data/prefilter.jsonl`` (what a titled speaker or an office waits for)."""
    return tuple(sorted({a for anchors in settings().until.values() for a in anchors}))


#: A sentence end no parser reads otherwise: a full stop, "!" or "?" after a lower-case word of
#: three letters or more (not "U.S.", "Mr.", "Gen."), a closing quote or bracket maybe, space,
#: then a capital or an opening quote. Cutting less than the parser is safe (a pair is looked
#: for in a longer stretch); a cut the parser would not make could hide a pair, so only such
#: sure ends are cut (events stay identical to ``--parse full`` on every dev set).
_SURE_END = re.compile(r"(?<=[a-z]{3}[.!?])(?:[\"\u201d\u2019)]?)\s+(?=[\"\u201c\u2018(]?[A-Z])")


#: A sentence end for :func:`sentences`: a full stop, "!" or "?" right after a word (letters
#: only), a closing quote or bracket maybe, space, then a capital or an opening quote; the word
#: is checked in :func:`sentences` (whole, lower case, three letters or more).
_END_AFTER_WORD = re.compile(r"(?<![A-Za-z])([A-Za-z]+)[.!?][\"\u201d\u2019)]?\s+(?=[\"\u201c\u2018(]?[A-Z])")


def sentences(paragraph: str) -> list[str]:
    """``paragraph`` cut where any reader ends a sentence: after a whole lower-case word of
    three letters or more ("said. The", not "U.S. The", "Corp. The", "Mr. Smith", "Sept. 5").
    The parser cuts at least there (it also cuts elsewhere), so a word pair the rules read in
    one sentence stands in one of these stretches."""
    out: list[str] = []
    start = 0
    for m in _END_AFTER_WORD.finditer(paragraph):
        word = m.group(1)
        if len(word) >= 3 and word.islower():
            out.append(paragraph[start : m.end()])
            start = m.end()
    out.append(paragraph[start:])
    return out


@dataclass(frozen=True)
class _Names:
    """Gazetteer aliases as the span ruler matches them: any case (lower-cased text), or exact
    case for short names and acronyms."""

    lower: re.Pattern[str]
    exact: re.Pattern[str]

    def search(self, text: str, low: str, norm: str) -> bool:
        return _search(self.lower, low, norm) or self.exact.search(text) is not None


@dataclass(frozen=True)
class Gate:
    """``passes(text)``: whether an article's text can hold a takedown or a denial."""

    platforms: _Names
    states: _Names  # states, demonyms, places, organisations and people: who speaks for a state
    stance: re.Pattern[str]  # stance words that count alone
    stance_pairs: tuple[_Pair, ...]  # (words, partner): "not ... use", "took ... down"
    topic: re.Pattern[str]  # what an accusation is about alone ("accounts", "meddling")
    loose: re.Pattern[str]  # what it is about under a modifier ("campaign", "operation")
    modifier: re.Pattern[str]  # the modifiers ("covert", "fake", "influence")
    cue: re.Pattern[str]  # an accusation cue: "accused", "said", "linked to"
    reach: int = 0  # characters a gazetteer name can span (twice the longest alias)

    def passes(self, text: str) -> bool:
        """``passes_article`` of a text that is one paragraph."""
        return self.passes_article([text])

    def _topic(self, low: str, norm: str) -> bool:
        if _search(self.topic, low, norm):
            return True
        return _search(self.loose, low, norm) and _search(self.modifier, low, norm)

    def _stance(self, low: str, norm: str, paragraphs: list[str]) -> bool:
        if _search(self.stance, low, norm):
            return True
        return any(self._pair(p) for p in paragraphs)

    def _pair(self, paragraph: str) -> bool:
        """A stance word with its partner ("did not use", "brushed it off"): the stance rules
        read one sentence, so both must stand in one sentence of the paragraph, as
        :data:`_SURE_END` cuts it (only where any reader would)."""
        for sentence in _SURE_END.split(paragraph):
            low = sentence.lower()
            if self._pair_in(low, _normal(low)):
                return True
        return False

    def _pair_in(self, low: str, norm: str) -> bool:
        return any(_search(w, low, norm) and _search(beside, low, norm) for w, beside in self.stance_pairs)

    def _stance_in(self, low: str, norm: str) -> bool:
        """A stance word (or pair) in one sentence, read whole."""
        return _search(self.stance, low, norm) or self._pair_in(low, norm)

    def names_platform(self, paragraphs: list[str]) -> bool:
        """Whether the article names a platform (a takedown is possible: no sentence test)."""
        text = "\n".join(paragraphs)
        low = text.lower()
        return self.platforms.search(text, low, _normal(low))

    def may_hold_fact(self, paragraphs: list[str]) -> bool:
        """``passes_article``, and the words where a rule reads them (the module docstring):
        a platform alias, or a sentence with a stance word and a topic, or one with a topic,
        an accusation cue and a state-side name beside a stance word anywhere."""
        if not self.passes_article(paragraphs):
            return False
        if self.names_platform(paragraphs):
            return True
        found = _Found()
        for paragraph in paragraphs:
            for sentence in sentences(paragraph):
                low = sentence.lower()
                norm = _normal(low)
                topic = self._topic(low, norm)
                cue = partial(_search, self.cue, low, norm)
                if found.add(self, low, norm, topic, partial(bool, topic), cue, sentence):
                    return True
        return False

    def may_hold_fact_parsed(self, sents: list[Span]) -> bool:
        """:meth:`may_hold_fact` read again on the parser's sentences of an article that names
        no platform, parsed without NER (tagger, parser, lemmatizer: all that
        ``about_operation`` and the accusation cue read, and the sentences are the rules'
        own): a topic is ``about_operation`` of the sentence (the words' test where the serial
        comma repair, which runs after NER, could change its tree), a cue an accusing verb
        (``accusation_in``'s test), a state-side name one from the sentence to its paragraph's
        end (a name the sentence starts). ``sents``: the sentences of every paragraph, in order."""
        lex = load_denial_lexicon()
        found = _Found()
        for sent in sents:
            text = sent.text
            low = text.lower()
            norm = _normal(low)
            tokens = list(sent)
            if may_repair(sent):  # its tree may change: the words' test
                topic = self._topic(low, norm)
                own: Callable[[], bool] = partial(bool, topic)
            else:
                topic = about_operation(tokens, lex)
                own = partial(_self_accused, tokens, text, lex) if topic else partial(bool, False)

            def cue(tokens: list[Token] = tokens, text: str = text) -> bool:
                verbs = any(t.pos_ == "VERB" and lex.is_(CUE_VERB, t.lemma_) for t in tokens)
                return verbs or lex.find(CUE_MARKER, text) is not None

            # a name the sentence starts ends within the longest alias's reach
            rest = sent.doc.text[sent.start_char : sent.end_char + self.reach]
            if found.add(self, low, norm, topic, own, cue, rest):
                return True
        return False

    def passes_article(self, paragraphs: list[str]) -> bool:
        """Whether the article (its paragraphs, in order) can hold a takedown or a denial."""
        text = "\n".join(paragraphs)
        low = text.lower()
        norm = _normal(low)
        if self.platforms.search(text, low, norm):
            return True
        if not self._topic(low, norm) or not self.states.search(text, low, norm):
            return False
        return self._stance(low, norm, paragraphs)


@dataclass
class _Found:
    """What the sentences read so far hold: a stance word, an accusation (a topic with a cue
    and a state-side name). ``add`` says whether a fact is now possible."""

    stance: bool = False
    accused: bool = False

    def add(
        self, gate: Gate, low: str, norm: str, topic: bool, own: Callable[[], bool], cue: Callable[[], bool],
        rest: str,
    ) -> bool:
        """One sentence (``low``/``norm``: its text; ``topic``: it may be about an operation;
        ``own``: a stance here may state its own accusation; ``cue``: it has an accusation cue;
        ``rest``: where a state name it starts may run): a stance that states its own
        accusation, or a stance anywhere and an accusation anywhere."""
        if gate._stance_in(low, norm):
            self.stance = True
            if topic and own():
                return True
        if topic and not self.accused and cue():
            rest_low = rest.lower()
            self.accused = gate.states.search(rest, rest_low, _normal(rest_low))
        return self.stance and self.accused


def _self_accused(tokens: list[Token], text: str, lex: DenialLexicon) -> bool:
    """Whether a stance in this sentence could state its own accusation (``self_accused``:
    ``about_operation`` of the rejected words, for a rejection, a negated admission or
    involvement, or distancing): a word of those classes whose clause (the anchor and all it
    governs, a superset of the rejected words) is about an operation; for a distancing phrase,
    the sentence."""
    rejection, negation, _ = _stance_lemmas()
    words = rejection | negation
    for t in tokens:
        if t.lemma_.lower() in words and about_operation(list(_clause_head(t).subtree), lex):
            return True
    return lex.find("distancing_phrase", plain(text)) is not None


def _names(nlp: Language, labels: frozenset[str], inside: bool) -> _Names:
    """The gazetteer aliases of ``labels`` (or of every other label when not ``inside``), with
    the case rule of ``kg.extract.model``'s ruler and the pre-pass."""
    lower: set[str] = set()
    exact: set[str] = set()
    for alias in load_gazetteer().aliases:
        if (alias.label in labels) != inside:
            continue
        if len(alias.text) <= 4 or alias.text.isupper():
            exact.add(_tokens(nlp, alias.text, lower=False))
        else:
            lower.add(_tokens(nlp, alias.text))
    return _Names(
        lower=_compile(f"(?<![a-z]){_trie(lower)}(?![a-z])" if lower else "(?!)"),
        exact=_compile(f"{_BEFORE_EXACT}{_trie(exact)}(?![A-Za-z0-9])" if exact else "(?!)"),
    )


@lru_cache(maxsize=4)
def load_gate(nlp: Language) -> Gate:
    """Compile the gate for ``nlp`` (its tokenizer and lemmatizer tables), once."""
    s = settings()
    words = class_words(s.skip)
    alone: list[str] = []
    pairs: list[_Pair] = []

    def pair(cls: str, row: dict[str, Any]) -> _Pair:  # words of ``cls``, and one of ``row``'s beside them
        return _compile(_forms_pattern(nlp, words.get(cls))), _compile(_beside(nlp, row, words))

    for cls in stance_classes():
        if cls in s.needs:  # "did not use": the word with its partner
            pairs.append(pair(cls, s.needs[cls]))
        elif cls in words:
            alone.append(_forms_pattern(nlp, words[cls]))
        for key in sorted(k for k in words if k.startswith("phrasal:") and k.split(":")[2] == cls):
            pairs.append(pair(key, {"with": [key.split(":")[1]]}))  # "brushed ... off": with its particle
    return Gate(
        platforms=_names(nlp, frozenset({"PLATFORM"}), inside=True),
        states=_names(nlp, frozenset({"PLATFORM"}), inside=False),
        stance=_compile("|".join(alone) or "(?!)"),
        stance_pairs=tuple(pairs),
        topic=_compile(_forms_pattern(nlp, _Words(core_topics(words), list(_phrases(words, TOPIC))))),
        loose=_compile(_forms_pattern(nlp, _Words(loose_heads(words)))),
        modifier=_compile(_forms_pattern(nlp, words.get(MODIFIER))),
        cue=_compile(
            _forms_pattern(nlp, _Words(_lemmas(words, CUE_VERB), _phrases(words, CUE_MARKER)))
        ),
        reach=2 * max((len(a.text) for a in load_gazetteer().aliases), default=0),
    )


def _phrases(words: dict[str, _Words], cls: str) -> list[str]:
    w = words.get(cls)
    return list(w.phrases) if w is not None else []
