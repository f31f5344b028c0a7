"""When a removal happened: the date that dates it, and whether it is an earlier one.

A date in the sentence belongs to the takedown only when it dates the removal or its
announcement: it hangs on the removal verb, or on a verb that governs it through clauses only,
and not on an event noun ("the October 9 election") or a clause of its own ("accounts created
on May 1"). The article's date line resolves relative dates ("on Tuesday", "a day earlier").
"""

from __future__ import annotations

import re
from datetime import date

from spacy.tokens import Token

from kg.extract.agents import is_trigger
from kg.extract.context import ArticleContext, Sentence, head_chain, subtree_ids
from kg.util.dates import DateMention, find_dates

_YEAR = re.compile(r"\b(19|20)\d{2}\b")


def removal_date(ctx: ArticleContext, sent: Sentence, trigger: Token | None = None) -> date | None:
    """The day of the removal: a date in the sentence that dates the removal itself (or the
    announcement of it), else one in an earlier sentence of the paragraph that dates a report
    or a removal. An election day or the date of another event is not the removal's."""
    published = ctx.article.published
    for dm in find_dates(sent.text, published):
        if not _label(sent.text, dm) and _dates_removal(ctx, sent, dm, trigger):
            return dm.value
    for prev in reversed(ctx.sentences[: sent.index]):
        if prev.offset != sent.offset:
            break
        for dm in find_dates(prev.text, published):
            if not _label(prev.text, dm) and _dates_removal(ctx, prev, dm, None):
                return dm.value
    if _TIME_WORDS.search(sent.text) is None:
        return _recalled_date(ctx, sent)
    return None


#: A word before a date that makes it a page's date stamp ("date 2019-09-23", "Updated: May 2,
#: 2021"), not a date the sentence tells.
_LABEL = re.compile(r"\b(?:date|dated|published|updated|posted)\s*:?\s*$", re.IGNORECASE)
#: Words that place a removal in time: a sentence with one is dated by itself or not at all
#: (an earlier removal, "last month"), never by another sentence's day.
_TIME_WORDS = re.compile(
    r"\b(?:(?:19|20)\d\d|january|february|march|april|may|june|july|august|september|october|"
    r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|"
    r"week|month|year|ago|earlier|previously|quarter)\b",
    re.IGNORECASE,
)
_DEFINITE = frozenset({"the", "this", "that", "these", "those", "its", "their", "his", "her"})


def _label(text: str, dm: DateMention) -> bool:
    """The date is a page's date stamp that the text runs into ("date 2019-09-23 Twitter said")."""
    return _LABEL.search(text, max(0, dm.start - 12), dm.start) is not None


def _recalled_date(ctx: ArticleContext, sent: Sentence) -> date | None:
    """The one day other sentences of the article give "the takedown" (a removal noun with a
    definite determiner or possessive: "the takedown conducted on Tuesday", "announced the
    suspensions on Friday", "the removal was announced on Monday"), for a record whose own
    sentence and paragraph give none and say nothing of time; not from a sentence that names
    only other platforms than the record's sentence does. Two such days: none (the article
    tells of more than one removal)."""
    published = ctx.article.published
    found: set[date] = set()
    platforms = {e.entity for e in ctx.platforms_in(sent)}
    for other in ctx.sentences:
        if other.index == sent.index:
            continue
        named = {e.entity for e in ctx.platforms_in(other)}
        if platforms and named and not platforms & named:  # another platform's removal
            continue
        for dm in find_dates(other.text, published):
            if not _label(other.text, dm) and _dates_removal_noun(ctx, other, dm):
                found.add(dm.value)
    return next(iter(found)) if len(found) == 1 else None


def _dates_removal_noun(ctx: ArticleContext, sent: Sentence, dm: DateMention) -> bool:
    """The date phrase hangs on a definite removal noun, or on the verb whose subject or
    object that noun is (first noun or verb up its head chain)."""
    phrase = _phrase(sent, dm)
    if phrase is None:
        return False
    inside, ids, root = phrase
    lex = ctx.lex

    def definite_removal(t: Token) -> bool:
        return lex.is_("removal_noun", t.lemma_.lower()) and _definite(t)

    for h in head_chain(root):
        if h.i in ids:
            continue
        if h.pos_ in ("NOUN", "PROPN"):
            return definite_removal(h)
        if h.pos_ in ("VERB", "AUX"):
            args = [c for c in h.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")]
            if any(definite_removal(c) for c in args) or (h.dep_ == "acl" and definite_removal(h.head)):
                return True
            return _platform_tells(ctx, sent, h)
    return False


def _phrase(sent: Sentence, dm: DateMention) -> tuple[list[Token], set[int], Token] | None:
    """The date phrase's tokens, their indices and the one whose head lies outside it."""
    base = sent.span.start_char
    inside = [t for t in sent.tokens if dm.start <= t.idx - base < dm.end]
    if not inside:
        return None
    ids = {t.i for t in inside}
    return inside, ids, next((t for t in inside if t.head.i not in ids), inside[0])


def _definite(t: Token) -> bool:
    return any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE) for c in t.children)


def _platform_tells(ctx: ArticleContext, sent: Sentence, verb: Token) -> bool:
    """A platform says, states or announces on that day what it found of "the accounts" or
    "these operations" (a definite network noun of the sentence): "The company stated on May 30
    that these operations were run from four countries"."""
    lex = ctx.lex
    if not lex.is_("reporting_verb", verb.lemma_.lower()):
        return False
    platforms = {t.i for e in ctx.platforms_in(sent) for t in e.span}
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    told_by_platform = any(
        c.i in platforms or (lex.is_("platform_anaphor", c.lemma_.lower()) and _definite(c)) for c in subjects
    )
    return told_by_platform and any(
        lex.is_("network_noun", t.lemma_.lower()) and _definite(t) for t in sent.tokens if t.i != verb.i
    )


def _dates_removal(ctx: ArticleContext, sent: Sentence, dm: DateMention, trigger: Token | None) -> bool:
    """The date phrase hangs on the removal (or on the verb that reports it) without passing
    through an event noun ("the election on May 4") or a clause of its own ("accounts created
    on May 4")."""
    phrase = _phrase(sent, dm)
    if phrase is None:
        return False
    inside, ids, root = phrase
    lex = ctx.lex
    # "the referendum on October 4" wherever the parser hangs the phrase: an event's date
    k = inside[0].i - 1
    if k >= sent.span.start and sent.span.doc[k].lower_ in ("on", "of"):
        k -= 1
    if k >= sent.span.start and lex.is_("event_noun", sent.span.doc[k].lemma_.lower()):
        return False
    for h in head_chain(root):
        if h.i in ids:
            continue
        lem = h.lemma_.lower()
        if trigger is not None and h.i == trigger.i:
            return True
        if h.pos_ in ("NOUN", "PROPN") and lex.is_("event_noun", lem):
            return False
        if h.pos_ in ("VERB", "AUX"):
            if trigger is not None and h.dep_ == "acl" and lem in lex.wording and h.i in subtree_ids(trigger):
                continue  # "accounts linked to Iran on Monday": a tie has no date; the parser's
            if trigger is not None:  # attachment, the date is the removal's
                return _reports(h, trigger)
            if is_removal(h, ctx) or lex.is_("reporting_verb", lem) or lex.is_("composition_verb", lem):
                return True
            # the main clause of a sentence that does not say what happened on an event's day
            # ("On Tuesday, Twitter took similar action", not "The vote was held on Sunday")
            subjects = [c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")]
            return h.dep_ == "ROOT" and not any(lex.is_("event_noun", c.lemma_.lower()) for c in subjects)
    return trigger is None


def is_removal(tok: Token, ctx: ArticleContext) -> bool:
    return is_trigger(tok, ctx)


def _reports(verb: Token, trigger: Token) -> bool:
    """``verb`` governs the removal through clauses only ("said on Monday it had removed"),
    not through a noun ("denied on Monday links to accounts that were removed") nor a clause of
    time ("spoke on Thursday after Facebook removed")."""
    t = trigger
    while t.i != verb.i:
        if t.i != trigger.i and t.pos_ in ("NOUN", "PROPN", "PRON"):
            return False
        marks = {c.lower_ for c in t.children if c.dep_ in ("mark", "prep")}
        if t.dep_ == "advcl" and marks & TIME_MARKS:
            return False
        if t.head.i == t.i:
            return False
        t = t.head
    return True


TIME_MARKS = frozenset({"after", "before", "since", "until", "once", "when"})


def _perfect_told(verb: Token) -> bool:
    """ "In 2019 it had removed a similar network": a dated removal in the past perfect, told by
    the text itself (not "it said it had removed", where the tense follows the reporting verb),
    lies before the events the article reports, whatever its date line."""
    had = any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children)
    return had and verb.tag_ == "VBN" and verb.dep_ not in ("ccomp", "xcomp", "advcl")


def is_earlier(ctx: ArticleContext, sent: Sentence, trigger: Token | None) -> bool:
    """The removal is dated before the article's year ("In 2017, Facebook removed ..."), or is
    said to be a past one ("previously removed"). Only time words that modify the removal
    itself count: "the 2016 U.S. presidential race" dates a race, not the removal."""
    verb = trigger if trigger is not None else sent.span.root
    pub = ctx.article.published
    for t in sent.tokens:
        is_year = t.ent_type_ == "DATE" and _YEAR.fullmatch(t.text) is not None
        is_past = t.lower_ in ("previously", "formerly") or (
            t.lower_ == "year" and t.i > 0 and t.doc[t.i - 1].lower_ == "last"
        )
        if not (is_year or is_past):
            continue
        for h in head_chain(t, verb):
            if h.i == verb.i:
                if is_past or (pub is not None and int(t.text) < pub.year) or _perfect_told(verb):
                    return True
                break
            if h.pos_ in ("NOUN", "PROPN") and h.ent_type_ != "DATE" and h.lower_ not in ("year", "years"):
                break
    return False
