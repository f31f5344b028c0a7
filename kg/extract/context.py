"""Sentence context shared by the extraction rules: entity spans, lexicon tests, discourse.

Rules ask questions of tokens ("is this a removal verb?", "which entity covers this token?",
"which platform does 'the company' mean here?"); answering them in one place keeps the rules
short and keeps every word list in the data files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from spacy.tokens import Doc, Span, Token

from kg.extract.model import SPANS_KEY
from kg.lexicon.gazetteer import Gazetteer, Lexicon, load_gazetteer, load_lexicon
from kg.records import Article, Evidence

PRONOUNS_SINGULAR = frozenset({"it", "its", "we", "our", "us"})
PRONOUNS_PLURAL = frozenset({"they", "their", "them", "both"})
STATE_LABELS = frozenset({"STATE", "DEMONYM", "PLACE"})


@dataclass(frozen=True)
class EntitySpan:
    """A gazetteer match: canonical entity name, label, and the tokens it covers."""

    span: Span
    entity: str
    label: str

    @property
    def root(self) -> Token:
        return self.span.root


@dataclass
class Sentence:
    """One sentence with its offset in the article and the gazetteer entities in it."""

    index: int
    span: Span
    offset: int  # character offset of the sentence's paragraph doc in the article text
    entities: list[EntitySpan]

    @property
    def start(self) -> int:
        return self.offset + self.span.start_char

    @property
    def end(self) -> int:
        return self.offset + self.span.end_char

    @cached_property
    def text(self) -> str:
        """The sentence's text (built once: the rules ask for it many times)."""
        return self.span.text

    @cached_property
    def tokens(self) -> list[Token]:
        """The sentence's tokens, made once (iterating a Span makes new Token objects)."""
        return list(self.span)

    @cached_property
    def lemmas(self) -> frozenset[str]:
        """Lower-case lemmas of the tokens: a quick "no word of that class here"."""
        return frozenset(t.lemma_.lower() for t in self.tokens)

    @cached_property
    def lowers(self) -> frozenset[str]:
        """Lower-case forms of the tokens."""
        return frozenset(t.lower_ for t in self.tokens)

    def entity_at(self, token: Token) -> EntitySpan | None:
        for ent in self.entities:
            if ent.span.start <= token.i < ent.span.end:
                return ent
        return None


@dataclass
class ArticleContext:
    """The parsed article and what the rules share across its sentences."""

    article: Article
    sentences: list[Sentence]
    gaz: Gazetteer = field(default_factory=load_gazetteer)
    cib_article: bool | None = None
    lex: Lexicon = field(default_factory=load_lexicon)

    def evidence(self, sent: Sentence, rule: str, confidence: float) -> Evidence:
        start, end = sent.start, sent.end
        return Evidence(
            article_id=self.article.id,
            file=self.article.file,
            sentence=self.article.text[start:end],
            start=start,
            end=end,
            rule=rule,
            confidence=confidence,
        )

    # ---- discourse -------------------------------------------------------------------------
    def platforms_in(self, sent: Sentence) -> list[EntitySpan]:
        return [e for e in sent.entities if e.label == "PLATFORM"]

    def recent_platforms(self, before: int, token: Token | None = None) -> list[str]:
        """Platforms an anaphor at sentence ``before`` (and before ``token``) can refer to.

        The subject platform of the same sentence comes first ("Facebook said it removed"),
        then the platforms of earlier sentences, nearest first.
        """
        out: list[str] = []
        sent = self.sentences[before]
        if token is not None:
            speaker = self.reporting_platform(sent)
            if token.lower_ in ("we", "our", "us") and speaker:
                return [speaker]  # "we" in a quote is whoever the sentence says is speaking
            here = [e for e in self.platforms_in(sent) if e.span.end <= token.i]
            subj = [e for e in here if e.root.dep_ in ("nsubj", "nsubjpass")]
            for e in reversed(subj):
                if e.entity not in out:
                    out.append(e.entity)
            if out:
                return out
            if speaker:
                return [speaker]  # "The suspended accounts included ..., Twitter said."
        for s in reversed(self.sentences[:before]):
            subj = [e for e in self.platforms_in(s) if e.root.dep_ in ("nsubj", "nsubjpass")]
            for e in subj + self.platforms_in(s):
                if e.entity not in out:
                    out.append(e.entity)
            if out:
                return out
        return out

    def reporting_platform(self, sent: Sentence) -> str | None:
        """The platform that is the subject of a reporting verb in ``sent`` ("Twitter said")."""
        if not self.lex.lemmas.get("reporting_verb", frozenset()) & sent.lemmas:
            return None
        for t in sent.tokens:
            if self.lex.is_("reporting_verb", t.lemma_.lower()) and t.pos_ == "VERB":
                for c in t.children:
                    ent = sent.entity_at(c) if c.dep_ == "nsubj" else None
                    if ent is not None and ent.label == "PLATFORM":
                        return ent.entity
        return None

    def recent_platform_group(self, before: int, token: Token | None = None) -> list[str]:
        """For plural anaphors ("the two companies", "they"): the last platforms named together."""
        candidates = list(range(before, -1, -1))
        for i in candidates:
            sent = self.sentences[i]
            names = []
            for e in self.platforms_in(sent):
                if i == before and token is not None and e.span.start >= token.i:
                    continue
                if e.entity not in names:
                    names.append(e.entity)
            if len(names) >= 2:
                return names
        return self.recent_platforms(before, token)[:1]


_NAME_LABELS = frozenset({"ORG", "WORK_OF_ART", "FAC", "EVENT", "LAW", "PRODUCT"})


def gazetteer_spans(doc: Doc) -> list[EntitySpan]:
    """Gazetteer matches, less places inside a longer name the gazetteer does not know
    ("Washington" in "the Washington Post" is a newspaper, not the United States)."""
    spans = doc.spans[SPANS_KEY] if SPANS_KEY in doc.spans else []
    out = []
    for s in spans:
        if s.label_ in ("STATE", "PLACE", "DEMONYM"):
            outer = [
                e
                for e in doc.ents
                if e.label_ in _NAME_LABELS
                and e.start <= s.start
                and s.end <= e.end
                and (e.end - _first_word(e)) > (s.end - s.start)
                and not any(o.start == e.start and o.end == e.end for o in spans)
            ]
            if outer and doc[outer[0].end - 1].pos_ == "PROPN":
                continue
        out.append(EntitySpan(s, s.id_, s.label_))
    return out


def _first_word(ent: Span) -> int:
    """Where a name the model found starts, less bullets and marks it swallowed ("• Azerbaijan")."""
    i = ent.start
    while i < ent.end - 1 and not (ent.doc[i].is_alpha or ent.doc[i].like_num):
        i += 1
    return i


def sentences_of(docs: Iterable[tuple[int, Doc]]) -> Iterator[Sentence]:
    """Sentences of the paragraph docs, numbered across the article."""
    n = 0
    for offset, doc in docs:
        ents = gazetteer_spans(doc)
        for sent in doc.sents:
            text = sent.text
            if not text.strip():
                continue
            mine = [e for e in ents if sent.start <= e.span.start < sent.end]
            out = Sentence(index=n, span=sent, offset=offset, entities=mine)
            out.__dict__["text"] = text  # the cached_property's value, already made
            yield out
            n += 1


_QUOTES = str.maketrans({"\u201c": " ", "\u201d": " ", '"': " "})


def has_phrase(text: str, phrases: Iterable[str]) -> str | None:
    """The first phrase of ``phrases`` found in ``text`` at word boundaries (case-insensitive)."""
    # quotation marks inside an idiom ("had \u201cnothing to do\u201d with") do not break it
    unquoted = text.lower().replace("\u2019", "'").translate(_QUOTES)
    low = " " + " ".join(unquoted.split()) + " "
    for p in phrases:
        for sep_before in (" ", "(", "'"):
            if sep_before + p in low:
                i = low.index(sep_before + p) + len(sep_before) + len(p)
                if i >= len(low) or not low[i].isalnum():
                    return p
    return None


@lru_cache(maxsize=32)
def _word_pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alts = [
        re.escape(p[:-1]) + r"[a-z]*" if p.endswith("*") else re.escape(p) + r"(?:s|es)?"
        for p in sorted(phrases, key=lambda p: (-len(p), p))
    ]
    return re.compile("(?:" + "|".join(alts) + ")", re.IGNORECASE) if alts else re.compile(r"(?!)")


def has_words(text: str, phrases: tuple[str, ...]) -> bool:
    """One of ``phrases`` is in ``text`` as whole words, a plural allowed ("bots", not "both";
    "trolls", not "control"); one ending in "*" is a stem ("impersonat*": any ending). A word
    run into the next by a lost space ("financially motivatedWe") still ends at the capital."""
    for m in _word_pattern(phrases).finditer(text):
        i, j = m.span()
        starts = i == 0 or _boundary(text[i - 1], text[i])
        if starts and (j == len(text) or _boundary(text[j - 1], text[j])):
            return True
    return False


def _boundary(before: str, after: str) -> bool:
    return not (before.isalnum() and after.isalnum()) or (before.islower() and after.isupper())


def list_first(tok: Token) -> Token:
    """The first item of the list ``tok`` is a conjunct in ("Bangladesh" in "Iran, Russia and
    Bangladesh" gives "Iran"; the parser chains long lists), or ``tok`` itself."""
    while tok.dep_ == "conj" and tok.head.i < tok.i:
        tok = tok.head
    return tok


def subtree_ids(token: Token) -> set[int]:
    return {t.i for t in token.subtree}


def head_chain(token: Token, stop: Token | None = None) -> Iterator[Token]:
    """Ancestors of ``token``, nearest first, up to (and including) ``stop``."""
    t = token
    while t.head.i != t.i:
        t = t.head
        yield t
        if stop is not None and t.i == stop.i:
            return
