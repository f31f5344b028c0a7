"""Which sentences are the evidence of one fact, which words in them matched, and whole-phrase labels.

A takedown's mentions include every sentence the extractor tied to it: the headline, a
sentence about another takedown in the same article, a second rule firing on the same
sentence. A reader of the explorer's card wants only the sentences that state *this* fact,
once each, best first, with the words that made them match marked. This module decides that
from plain strings (no rdflib), so it is easy to test with tables of sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kg.lexicon.gazetteer import load_gazetteer, load_lexicon


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    """``kg/data/phrase_words.tsv``: class -> words (dangling, phrase_start, asset)."""
    text = resources.files("kg.data").joinpath("phrase_words.tsv").read_text("utf-8")
    rows = [ln.split("\t", 1) for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return {cls: frozenset(words.split()) for cls, words in rows}


#: Words an extracted phrase must not end on: the phrase continues in the sentence.
DANGLING = _words()["dangling"]
_PHRASE_START = _words()["phrase_start"]
_QUOTES = re.compile(r"[“”\"‘]|(?<!\w)'|'(?!\w)")
_PHRASE_END = re.compile(r"[,;:.!?—–]\s|[.!?]$|\s[-–—]\s|\s(?:" + "|".join(sorted(_words()["clause_start"]))
                         + r")\s")
_ASSETS = "(?:" + "|".join(sorted(_words()["asset"])) + ")"
_COUNTED = re.compile(r"\b(\d{1,3}(?:,\d{3})+|\d+)\s+(?:[A-Za-z-]+\s+){0,3}?" + _ASSETS + r"\b", re.I)


@dataclass(frozen=True)
class Candidate:
    """One sentence a fact was derived from, as the graph records it."""

    sentence: str
    article: str  # the article's id (IRI)
    where: str  # "headline (date)" of the article, for the card
    offset: int
    confidence: float
    headline: str = ""


@dataclass(frozen=True)
class Terms:
    """What a fact is about, as names: used to keep its sentences and mark the words."""

    platforms: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    counts: tuple[int, ...] = ()
    people: tuple[str, ...] = ()
    verbs: str = "removal_verb"


@dataclass(frozen=True)
class Evidence:
    """A kept sentence: text, where it is from, its best confidence and its marked spans."""

    text: str
    where: str
    confidence: float
    marks: tuple[tuple[int, int, str], ...]


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split()).casefold()


@lru_cache(maxsize=1)
def _irregular() -> dict[str, tuple[str, ...]]:
    text = resources.files("kg.data").joinpath("irregular_verbs.tsv").read_text("utf-8")
    rows = [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return {r[0]: tuple(r[1].split("|")) for r in rows if len(r) >= 2}


def _verb_forms(lemma: str) -> set[str]:
    forms = {lemma, lemma + "s", lemma + "ed", lemma + "ing", lemma + "d"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ied", lemma[:-1] + "ies"}
    if re.search(r"[^aeiou][aeiou][bdgkmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms.update(_irregular().get(lemma, ()))
    return forms


def _alternation(words: set[str] | list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=4)
def _verb_pattern(cls: str) -> re.Pattern[str]:
    lex = load_lexicon()
    lemmas = lex.lemmas.get(cls)
    if lemmas is None:  # the denial word classes live in their own data files
        from kg.lexicon.denial import load_denial_lexicon

        lemmas = load_denial_lexicon().lemmas.get(cls, frozenset())
    single: set[str] = set()
    for lemma in lemmas:
        single |= _verb_forms(lemma)
    phrasal = {f"{form} {particle}" for lemma, particle in lex.phrasal if cls == "removal_verb"
               for form in _verb_forms(lemma)}
    return re.compile(r"\b(?:" + _alternation(phrasal | single) + r")\b", re.I)


@lru_cache(maxsize=1)
def _cue_pattern() -> re.Pattern[str]:
    cues = {w for w in load_lexicon().wording.values() if " " in w}
    return re.compile(r"\b(?:" + _alternation(cues) + r")\b", re.I)


@lru_cache(maxsize=256)
def _aliases(name: str) -> tuple[str, ...]:
    """A state's or platform's surface forms (names, demonyms, places) from the gazetteer."""
    gaz = load_gazetteer()
    forms = {name}
    entity = gaz.get(name)
    if entity is not None:
        forms.update(entity.aliases)
    forms.update(a.text for a in gaz.aliases if a.entity == name and a.label in ("STATE", "DEMONYM", "PLACE"))
    # one-letter aliases ("X" for Twitter) would mark every stray capital
    return tuple(sorted(f for f in forms if len(f) > 1))


@lru_cache(maxsize=4096)
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    forms = {f for n in names for f in _aliases(n)}
    if not forms:
        return None
    return re.compile(r"(?<![\w-])(?:" + _alternation(forms) + r")(?![\w-])")


@lru_cache(maxsize=4096)
def _count_pattern(counts: tuple[int, ...]) -> re.Pattern[str] | None:
    if not counts:
        return None
    forms = {f"{c:,}" for c in counts} | {str(c) for c in counts}
    return re.compile(r"(?<![\d,.])(?:" + _alternation(forms) + r")(?![\d]|,\d)")


#: Where a figure may begin: a digit right after no digit, comma or point.
_FIGURE_START = re.compile(r"(?<![\d,.])\d")
_ASCII_DIGITS = frozenset("0123456789")


@lru_cache(maxsize=4096)
def _count_forms(counts: tuple[int, ...]) -> tuple[str, ...]:
    """A fact's figures as written ("4,100" and "4100"), in :func:`_count_pattern`'s order."""
    forms = {f"{c:,}" for c in counts} | {str(c) for c in counts}
    return tuple(sorted(forms, key=lambda w: (-len(w), w)))


def count_spans(sentence: str, counts: tuple[int, ...]) -> list[tuple[int, int]]:
    """The fact's figures in ``sentence``: the spans ``_count_pattern(counts).finditer`` gives,
    without compiling a pattern per set of figures (one a fact, a tenth of a cold page).

    At each place a figure may start, the forms are tried longest first, and the first that
    is not followed by a digit or by a comma and a digit is the match; the search goes on
    after it. Forms that do not start with an ASCII digit (a negative figure) use the pattern.
    """
    if not counts:
        return []
    forms = _count_forms(counts)
    if any(f[:1] not in _ASCII_DIGITS for f in forms):
        return [(m.start(), m.end()) for m in _count_pattern(counts).finditer(sentence)]  # type: ignore[union-attr]
    spans: list[tuple[int, int]] = []
    end, size = 0, len(sentence)
    for start in _FIGURE_START.finditer(sentence):
        i = start.start()
        if i < end:
            continue
        for form in forms:
            if sentence.startswith(form, i):
                j = i + len(form)
                if j < size and (sentence[j].isdecimal()  # \d is a Unicode decimal digit (Nd)
                                 or (sentence[j] == "," and j + 1 < size and sentence[j + 1].isdecimal())):
                    continue
                spans.append((i, j))
                end = j
                break
    return spans


def mark(sentence: str, terms: Terms) -> tuple[tuple[int, int, str], ...]:
    """Non-overlapping ``(start, end, kind)`` spans of the words that matched, in order."""
    found: list[tuple[int, int, str]] = [(i, j, "count") for i, j in count_spans(sentence, terms.counts)]
    patterns = [
        ("platform", _name_pattern(terms.platforms)),
        ("state", _name_pattern(terms.states)),
        ("person", _name_pattern(terms.people)),
        ("cue", _cue_pattern()),
        ("verb", _verb_pattern(terms.verbs)),
    ]
    for kind, pattern in patterns:
        if pattern is not None:
            found.extend((m.start(), m.end(), kind) for m in pattern.finditer(sentence)
                         if m.end() > m.start())
    kept: list[tuple[int, int, str]] = []
    for span in sorted(found, key=lambda s: (s[0], -(s[1] - s[0]))):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return tuple(kept)


def _is_headline(c: Candidate) -> bool:
    if not c.headline:
        return False
    s, h = _norm(c.sentence), _norm(c.headline)
    return s == h or (c.offset == 0 and (h.startswith(s) or s.startswith(h)))


def _names_other(sentence: str, names: tuple[str, ...], own: tuple[str, ...]) -> bool:
    """Does ``sentence`` name one of ``names`` outside ``own``? The same answer as searching the
    alternation of those names' forms, but with one pattern per name (compiled once per page),
    not one per subset of names: a subset's alternation of hundreds of aliases costs a
    compile per fact. The pattern of all names rules most sentences out in one search."""
    others = [n for n in names if n not in own]
    if not others:
        return False
    every = _name_pattern(names)
    if every is None or every.search(sentence) is None:
        return False
    return any((p := _name_pattern((n,))) is not None and p.search(sentence) for n in others)


def _other_state(sentence: str, terms: Terms, all_states: tuple[str, ...]) -> bool:
    """True when the sentence names a state this fact is not about, and none it is about."""
    if not terms.states:
        return False
    own = _name_pattern(terms.states)
    if own is not None and own.search(sentence):
        return False
    return _names_other(sentence, all_states, terms.states)


def _other_platform(sentence: str, terms: Terms, all_platforms: tuple[str, ...]) -> bool:
    """True when the sentence also names a platform this fact is not about (which one acted is unclear)."""
    return _names_other(sentence, all_platforms, terms.platforms)


def _other_count(sentence: str, terms: Terms) -> bool:
    """True when the sentence counts assets, none of them this fact's figures."""
    numbers = {int(m.group(1).replace(",", "")) for m in _COUNTED.finditer(sentence)}
    return bool(numbers) and not numbers & set(terms.counts)


def select(candidates: list[Candidate], terms: Terms, all_states: tuple[str, ...] = (),
           all_platforms: tuple[str, ...] = (), strict: bool = True) -> list[Evidence]:
    """The sentences that state this fact: no headline, none about another fact, each once, best first.

    A sentence is kept when it carries one of the fact's figures, or names its platform (or
    speaker), no other platform, and, when the fact has a state, that state; a sentence that
    names only another state or counts other assets is about another fact. When nothing passes, the best
    non-headline sentence is kept, so a fact never shows an empty evidence list. Not
    ``strict`` (denials, whose quote rarely names anyone): every sentence not about another
    state or figure is kept.
    """
    best: dict[tuple[str, str], Candidate] = {}
    for c in candidates:
        key = (c.article, _norm(c.sentence))
        if key not in best or c.confidence > best[key].confidence:
            best[key] = c
    unique = sorted(best.values(), key=lambda c: (-c.confidence, c.where, c.offset, c.sentence))
    body = [c for c in unique if not _is_headline(c)] or unique
    actors = _name_pattern(terms.platforms + terms.people)
    states = _name_pattern(terms.states)

    def keep(c: Candidate) -> bool:
        if count_spans(c.sentence, terms.counts):
            return True
        if _other_state(c.sentence, terms, all_states) or _other_count(c.sentence, terms):
            return False
        if not strict:
            return True
        if _other_platform(c.sentence, terms, all_platforms):
            return False
        named = actors is not None and actors.search(c.sentence) is not None
        stated = states is None or states.search(c.sentence) is not None
        return named and stated

    chosen = [c for c in body if keep(c)]
    if not chosen:
        clean = [c for c in body if not _other_state(c.sentence, terms, all_states)
                 and not _other_count(c.sentence, terms)]
        chosen = (clean or body)[:1]
    return [Evidence(c.sentence, c.where, c.confidence, mark(c.sentence, terms)) for c in chosen]


def whole_phrase(label: str, sentences: list[str]) -> str:
    """``label`` completed to the end of its phrase when extraction cut it on a dangling word.

    "a campaign linked" found in "... a campaign linked to Russia's Internet Research Agency
    (IRA), an organisation ..." becomes "a campaign linked to Russia's Internet Research
    Agency (IRA)": the sentence is read on to the next comma, semicolon, dash or clause.
    """
    words = label.split()
    if not words or words[-1].casefold() not in DANGLING:
        return label
    for sentence in sorted(sentences, key=len):
        sentence = _QUOTES.sub("", sentence)
        label = _QUOTES.sub("", label)
        at = sentence.find(label)
        if at < 0:
            continue
        rest = sentence[at + len(label):]
        stop = _PHRASE_END.search(rest)
        tail = rest[: stop.start()] if stop else rest
        phrase = (label + tail).strip().rstrip(".,;:")
        if len(phrase.split()) - len(words) <= 12 and phrase.split()[-1].casefold() not in DANGLING:
            return phrase
    return label


def short_label(text: str, limit: int) -> str:
    """``text`` shortened at a phrase boundary with an ellipsis; never ends on a dangling word."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    words = text.split(" ")
    best = ""
    for i in range(1, len(words)):
        head = " ".join(words[:i]).rstrip(",;:")
        if len(head) > limit - 1:
            break
        boundary = words[i - 1].endswith((",", ";", ":", ")")) or words[i].casefold() in _PHRASE_START \
            or words[i].startswith("(")
        if boundary and words[i - 1].casefold().strip(",;:") not in DANGLING:
            best = head
    if not best:
        for i in range(len(words) - 1, 0, -1):
            head = " ".join(words[:i]).rstrip(",;:")
            if len(head) <= limit - 1 and words[i - 1].casefold() not in DANGLING:
                best = head
                break
    return (best or words[0][: limit - 1]) + "…"
