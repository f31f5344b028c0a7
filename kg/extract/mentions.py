"""Mentions: each place an article reports a removal, with its platform, counts and date.

Removal verbs and nouns by lemma (active, passive, reduced passive, relative clause, phrasal),
their agents (subject, "by" phrase, or the platform last spoken of for "it", "the company"),
their objects (what was removed, and the counts in it); plus sentences that only give counts
for a platform already reported removing something, and "the second network ..." sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from spacy.tokens import Token

from kg.extract.attribution import (
    _attribution_subtrees,
    _continue_attributions,
    _inherit_states,
    fronted_place,
    network_attributions,
    network_nouns,
    tied_to_someone,
)
from kg.extract.context import (
    PRONOUNS_PLURAL,
    PRONOUNS_SINGULAR,
    ArticleContext,
    Sentence,
    has_phrase,
    subtree_ids,
)
from kg.extract.counts import ELIDED_NEXT, CountResult, asset_lemma, count_assets, list_tail, parse_number
from kg.extract.when import is_earlier, removal_date
from kg.gazetteer import data_rows
from kg.records import Attribution, Evidence

OBJECT_PREPS = frozenset({"from", "in", "across", "within", "with", "including", "of", "as"})
NEW_NETWORK = ("another", "second", "third", "fourth", "fifth", "separate", "other", "also", "additional")


@dataclass
class Mention:
    """One place an article reports a removal; several mentions may be one network."""

    platforms: list[str]
    sent: Sentence
    evidence: Evidence
    counts: dict[str, int] = field(default_factory=dict)
    vague: bool = False
    attributions: dict[str, Attribution] = field(default_factory=dict)
    actors: list[str] = field(default_factory=list)
    date: date | None = None
    network: str = ""
    earlier: bool = False
    new_marker: bool = False
    ordinal: bool = False  # "the second network ...": a network of its own
    told_again: bool = False  # "the other network ...": one of those just reported, by its states
    support: list[Evidence] = field(default_factory=list)
    commercial: bool = False  # spam, scams, fake engagement, and no word of influence
    total: bool = False  # "in total", "altogether": the sentence sums networks up
    tied: bool = False  # tied to a named actor that gives no state ("pages connected to Stone")
    profit: bool = False  # said to be financially motivated


# ---- triggers --------------------------------------------------------------------------------
def is_trigger(tok: Token, ctx: ArticleContext) -> bool:
    lem = tok.lemma_.lower()
    lex = ctx.lex
    if tok.pos_ in ("VERB", "AUX") or tok.tag_ in ("VBN", "VBD", "VBG"):
        if lex.is_("removal_verb", lem):
            return True
        prts = {c.lower_ for c in tok.children if c.dep_ in ("prt", "advmod", "prep")}
        nxt = tok.doc[tok.i + 1].lower_ if tok.i + 1 < len(tok.doc) else ""
        return any((lem, p) in lex.phrasal for p in prts | {nxt})
    if tok.pos_ in ("NOUN", "PROPN") and lex.is_("removal_noun", lem):
        return True
    return False


def is_asserted(tok: Token, ctx: ArticleContext) -> bool:
    """False for negated, modal or conditional removals ("did not remove", "could remove")."""
    lex = ctx.lex
    chain = [tok]
    t = tok
    while t.dep_ in ("conj", "xcomp") and t.head.i != t.i:
        t = t.head
        chain.append(t)
    for v in chain:
        for c in v.children:
            if c.dep_ == "neg" or c.lower_ in ("never", "not", "n't"):
                return False
            if c.dep_ == "aux" and lex.is_("modal", c.lower_):
                return False
            if c.dep_ == "mark" and lex.is_("conditional", c.lower_):
                return False
    for c in tok.head.children if tok.dep_ == "xcomp" else ():
        if c.dep_ == "neg":
            return False
    # "threatened to remove", "asked Facebook to remove": an xcomp of a non-asserting head
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in (
        "threaten",
        "ask",
        "urge",
        "plan",
        "want",
        "call",
        "demand",
        "pledge",
        "promise",
        "vow",
        "fail",
        "refuse",
    ):
        return False
    return True


# ---- agents -----------------------------------------------------------------------------------
def _np_platforms(ctx: ArticleContext, sent: Sentence, tok: Token) -> list[str] | None:
    """Platforms a noun phrase names or refers to; None when it is some other agent."""
    names: list[str] = []
    heads = [tok] + [c for c in tok.children if c.dep_ == "conj"]
    for h in heads:
        ent = sent.entity_at(h)
        if ent is not None and ent.label == "PLATFORM":
            names.append(ent.entity)
            continue
        low, lem = h.lower_, h.lemma_.lower()
        if low in PRONOUNS_SINGULAR:
            names.extend(ctx.recent_platforms(sent.index, h)[:1])
            continue
        if low in PRONOUNS_PLURAL:
            names.extend(ctx.recent_platform_group(sent.index, h))
            continue
        owner = [sent.entity_at(c) for c in h.children if c.dep_ in ("poss", "compound")]
        owned = [e.entity for e in owner if e is not None and e.label == "PLATFORM"]
        if owned:
            names.extend(owned[:1])
            continue
        if ctx.lex.is_("platform_anaphor", lem) or ctx.lex.is_("platform_anaphor", low):
            plural = h.tag_ == "NNS" or any(c.lower_ in ("two", "both", "three") for c in h.children)
            if plural:
                names.extend(ctx.recent_platform_group(sent.index, h))
            else:
                # "accused Facebook of bias after the social network removed ...": a definite
                # description may take up a platform of its own sentence in any role
                here = [e for e in ctx.platforms_in(sent) if e.span.end <= h.i]
                if here and not any(e.root.dep_ in ("nsubj", "nsubjpass") for e in here):
                    names.append(here[-1].entity)
                else:
                    names.extend(ctx.recent_platforms(sent.index, h)[:1])
            continue
        if h is tok:
            return None
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


_SUBORDINATORS = frozenset({"after", "before", "when", "since", "until", "as", "because", "once", "while"})


def _clause_subject(verb: Token) -> Token | None:
    """ "after the social network this week removed ...": the parser often reads the clause's
    subject as the object of "after" hung on the main verb; the noun phrase ending right
    before the clause is its subject."""
    if verb.dep_ != "advcl" or verb.head.i == verb.i:
        return None
    left = verb.left_edge.i
    for c in verb.head.children:
        if c.dep_ == "prep" and c.lower_ in _SUBORDINATORS and c.i < verb.i:
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs and objs[0].right_edge.i == left - 1:
                return objs[0]
    return None


def _foreign_agent(ctx: ArticleContext, sent: Sentence, tok: Token) -> bool:
    """ "after the election commission removed 40 accounts": the removal's own subject is no
    platform, so its counts are not a platform's takedown."""
    if tok.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return False
    subj = _subject(tok)
    return subj is not None and subj.pos_ == "NOUN" and _np_platforms(ctx, sent, subj) is None


def _subject(tok: Token) -> Token | None:
    t = tok
    for _ in range(4):
        for c in t.children:
            if c.dep_ == "nsubj":
                return c
        clause = _clause_subject(t)
        if clause is not None:
            return clause
        if t.dep_ in ("conj", "xcomp", "advcl") and t.head.i != t.i:
            t = t.head
            continue
        break
    return None


def agents(ctx: ArticleContext, sent: Sentence, tok: Token) -> list[str]:
    """The platform(s) doing the removal ``tok`` describes."""
    by = [c for c in tok.children if c.dep_ == "agent"]
    if by:
        objs = [g for g in by[0].children if g.dep_ == "pobj"]
        if objs:
            found = _np_platforms(ctx, sent, objs[0])
            return found or []
    if tok.pos_ in ("NOUN", "PROPN"):
        for c in tok.children:
            if c.dep_ in ("poss", "compound"):
                found = _np_platforms(ctx, sent, c)
                if found:
                    return found
        head = tok.head
        if tok.dep_ in ("dobj", "pobj", "attr", "nsubj") and head.i != tok.i:
            verb = head if head.pos_ in ("VERB", "AUX") else head.head
            subj = _subject(verb)
            if subj is not None:
                found = _np_platforms(ctx, sent, subj)
                if found is not None:
                    return found
        return ctx.recent_platforms(sent.index, tok)[:1]
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
    if tok.dep_ == "acl" and tok.tag_ == "VB" and tok.head.pos_ == "NOUN":
        # "Twitter and Facebook's move to close accounts", "the company's decision to remove":
        # the owner of the decision is the agent
        for c in tok.head.children:
            if c.dep_ == "poss":
                found = _np_platforms(ctx, sent, c) or []
                # "Twitter and Facebook's move", read as "Twitter" and "Facebook's move"
                first = tok.head.head if tok.head.dep_ == "conj" else None
                ent = sent.entity_at(first) if first is not None else None
                if found and ent is not None and ent.label == "PLATFORM" and ent.entity not in found:
                    found = [ent.entity, *found]
                if found:
                    return found
    if tok.dep_ in ("acl", "amod") or passive:
        return ctx.recent_platforms(sent.index, tok)[:1]
    subj = _subject(tok)
    if subj is None:
        return ctx.recent_platforms(sent.index, tok)[:1]
    found = _np_platforms(ctx, sent, subj)
    return found if found is not None else []


def _is_finding(tok: Token, ctx: ArticleContext) -> bool:
    """ "identified", "uncovered": a finding verb (a removal only with :func:`_finders`)."""
    return tok.pos_ == "VERB" and ctx.lex.is_("finding_verb", tok.lemma_.lower())


def _finders(ctx: ArticleContext, sent: Sentence, tok: Token) -> list[str]:
    """The platform that reports finding fake accounts, as the finding verb's subject or "by"
    phrase ("Facebook identified", "were uncovered by the company"), or as the owner of the
    inquiry that found them ("an investigation by the website's administration", "its
    security team"): a platform that finds fake accounts on its own service removes them. An
    inquiry of anyone else (researchers, a newspaper, a committee) gives no platform."""
    by = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    subj = by[0] if by else _subject(tok)
    if subj is None:
        return []
    found = _np_platforms(ctx, sent, subj)
    if found or not any(ctx.lex.is_("inquiry_noun", t.lemma_.lower()) for t in subj.subtree):
        return found or []
    for t in subj.subtree:
        owner = t.dep_ in ("poss", "compound") or (t.dep_ == "pobj" and t.head.lower_ in ("by", "at"))
        if t.i != subj.i and owner and (found := _np_platforms(ctx, sent, t)):
            return found
    return []


def _inauthentic(region: set[int], sent: Sentence, ctx: ArticleContext) -> bool:
    """What was found is said to be fake ("470 fake accounts", "a group of bogus pages")."""
    return any(ctx.lex.is_("inauthentic_modifier", t.lemma_.lower()) for t in sent.span if t.i in region)


# ---- objects -----------------------------------------------------------------------------------
def object_heads(tok: Token) -> list[Token]:
    heads = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "obj")]
    if not heads and tok.pos_ == "VERB":
        # "removed 80 channels run from Iran" read as "removed [that] channels run ...": the
        # subject of a clause right after the verb is what was removed
        for c in tok.children:
            if c.dep_ == "ccomp" and c.i > tok.i:
                heads += [
                    s
                    for s in c.children
                    if s.dep_ == "nsubj" and s.pos_ == "NOUN" and s.left_edge.i == tok.i + 1
                ]
    # "removed 300 accounts from Egypt and 150 accounts from ...": a noun the parser hung on
    # the verb as a conjunct is a second object
    if heads:
        heads += [c for c in tok.children if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN")]
    infinitive = any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
    if tok.dep_ in ("acl", "amod", "relcl") and tok.head.pos_ in ("NOUN", "PROPN", "NUM"):
        if not (heads and infinitive):  # "requests to take down content": not the requests
            heads.append(tok.head)
    elif (  # "accounts it found and took down": the second verb of the relative clause
        not heads
        and tok.dep_ == "conj"
        and tok.head.dep_ in ("acl", "relcl")
        and tok.head.head.pos_ in ("NOUN", "PROPN", "NUM")
    ):
        heads.append(tok.head.head)
    for c in tok.children:  # "cracking down on", "the takedown of", "removed 100 of them"
        if c.dep_ in ("prep", "prt") and c.lower_ in ("on", "of", "against"):
            heads.extend(g for g in c.children if g.dep_ == "pobj")
    # "removed 4,100 accounts from Egypt and 260 from Qatar": phrases the parser hung on the verb
    if heads and tok.pos_ in ("VERB", "AUX"):
        heads += [
            c for c in tok.children if c.dep_ == "prep" and c.i > heads[0].i and c.lower_ in OBJECT_PREPS
        ]
    return heads


def object_region(tok: Token, heads: list[Token], exclude: set[int]) -> set[int]:
    region: set[int] = set()
    own = subtree_ids(tok)
    for h in heads:
        ids = subtree_ids(h)
        if h.i not in own:  # the noun a participle or relative clause modifies
            ids -= own
            ids |= {h.i}
            ids |= {t.i for t in h.subtree if t.i not in own}
        region |= ids
    return region - exclude


# ---- mentions ----------------------------------------------------------------------------------
def _cib_context(ctx: ArticleContext, sent: Sentence) -> bool:
    """The article is about inauthentic behaviour: it uses CIB wording somewhere (a channel
    removed over sanctions, or an ambassador's hacked account, is not a takedown of a network)."""
    if ctx.cib_article is None:
        phrases = ctx.lex.phrases.get("cib_context", ())
        text = " ".join([ctx.article.title] + [s.text for s in ctx.sentences]).lower()
        ctx.cib_article = any(p in text for p in phrases)
    return ctx.cib_article


def _individual_asset(heads: list[Token], sent: Sentence, ctx: ArticleContext) -> bool:
    """ "the candidate's YouTube channel": one person's account, not a network."""
    for h in heads:
        owners = [c for c in h.children if c.dep_ == "poss"]
        if h.tag_ in ("NN", "NNP"):  # "the page of President X": one page, its owner after "of"
            owners += [g for c in h.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
        for c in owners:
            ent = sent.entity_at(c)
            if ent is not None and ent.label == "PLATFORM":
                continue  # "Facebook's move to close ...": the platform's own
            if c.ent_type_ == "PERSON" or (ent is not None and ent.label == "PERSON"):
                return True
            if ctx.lex.is_("individual_owner", c.lemma_.lower()):
                return True
    return False


def _proportion(heads: list[Token], ctx: ArticleContext) -> bool:
    """ "blocked 93% of all fake accounts", "removed a share of the spam accounts": a rate of the
    platform's whole enforcement, not a network it took down."""
    for h in heads:
        for t in (h, h.head.head if h.dep_ == "pobj" and h.head.lower_ == "of" else None):
            if t is not None and ctx.lex.is_("proportion_noun", t.lemma_.lower() if t.text != "%" else "%"):
                return True
    return False


def _content_only(heads: list[Token], ctx: ArticleContext) -> bool:
    """What was removed is content ("posts", "content", "messages"), not accounts or a network:
    moderation, unless the text ties it to a state or an actor."""
    return bool(heads) and all(ctx.lex.is_("content_noun", _partitive(h).lemma_.lower()) for h in heads)


def _partitive(h: Token) -> Token:
    """ "290 of those were pulled": the plural noun written last before the partitive."""
    anaphors = ("those", "them", "these")
    if h.pos_ != "NUM" or not any(
        c.dep_ == "prep" and c.lower_ == "of" and any(g.lower_ in anaphors for g in c.children)
        for c in h.children
    ):
        return h
    doc = h.doc
    for i in range(h.i - 1, max(h.sent.start, h.i - 12) - 1, -1):
        if doc[i].tag_ == "NNS":  # "pieces of content": the substance after "of"
            of = [g for c in doc[i].children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
            return of[0] if of else doc[i]
    return h


def _prevented(tok: Token) -> bool:
    """ "blocked 2 million accounts from being created", "stopped bots from signing up": kept
    from existing, not removed."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "from" and c.i + 1 < len(c.doc):
            nxt = c.doc[c.i + 1]
            # "from being created", "from signing up"; not "from Iran targeting ..."
            if nxt.tag_ == "VBG" and any(g.dep_ == "pcomp" and nxt.i in subtree_ids(g) for g in c.children):
                return True
    return False


def _names_platform(heads: list[Token], sent: Sentence, ctx: ArticleContext) -> bool:
    """The thing removed is a platform ("China banned Twitter", "platforms banned in China")."""
    for h in heads:
        ent = sent.entity_at(h)
        if ent is not None and ent.label == "PLATFORM":
            return True
        if (
            ctx.lex.is_("platform_anaphor", h.lemma_.lower())
            and not any(ctx.lex.is_("network_noun", c.lemma_.lower()) for c in h.children)
            and h.lemma_.lower() not in ("network",)
        ):
            return True
    return False


def _describe(region: set[int], sent: Sentence, heads: list[Token]) -> str:
    """A short name for the network: the object phrase as the article spells it."""
    toks = [t for t in sent.tokens if t.i in region and t.text not in ("\u201c", "\u201d", '"')]
    parts: list[str] = []
    for k, t in enumerate(toks):
        if k and t.idx > toks[k - 1].idx + len(toks[k - 1].text):
            parts.append(" ")
        parts.append(t.text)
    text = "".join(parts)
    text = re.sub(r"\s+", " ", text).strip(" ,;:")
    if not text and heads:
        text = heads[0].text
    return text if len(text) <= 120 else text[:119].rsplit(" ", 1)[0] + "\u2026"


def find_mentions(ctx: ArticleContext) -> list[Mention]:
    """Every removal mention in the article, attributions of its own sentence included."""
    mentions: list[Mention] = []
    pending: list[tuple[Sentence, set[int], list[str]]] = []
    lex = ctx.lex
    trigger_lemmas = (  # a sentence with none of these has no trigger (is_trigger reads no other)
        lex.lemmas.get("removal_verb", frozenset())
        | lex.lemmas.get("removal_noun", frozenset())
        | {lemma for lemma, _ in lex.phrasal}
    )
    finding_lemmas = lex.lemmas.get("finding_verb", frozenset())
    for sent in ctx.sentences:
        triggers = [t for t in sent.tokens if is_trigger(t, ctx)] if trigger_lemmas & sent.lemmas else []
        # "the company identified 470 fake accounts": a platform's finding reports the removal
        # only where the sentence names none itself (else the removal verb says it)
        if not triggers and finding_lemmas & sent.lemmas:
            triggers = [t for t in sent.tokens if _is_finding(t, ctx)]
        asserted = [t for t in triggers if is_asserted(t, ctx) and not _prevented(t)]
        # a bare removal noun ("following our initial suspensions") reports no removal, so it
        # does not cut the sentence into clauses either: the verb's subject before it stays its own
        owned = [t for t in asserted if t.pos_ not in ("NOUN", "PROPN") or _noun_trigger_ok(t, sent)]
        blocked = _attribution_subtrees(sent, ctx)
        for t in sent.tokens if "from" in sent.lowers else ():  # "stopped 7.8 million accounts
            if t.pos_ == "VERB" and _prevented(t):  # from being created": never removed
                blocked |= subtree_ids(t)
        found_here: list[Mention] = []
        spans = _linear_scopes(sent, owned)
        for tok in owned:
            others = {t.i for t in sent.tokens} - spans[tok.i]
            heads = object_heads(tok)
            region = object_region(tok, heads, others | blocked)
            parsed_region = set(region)  # the platform the assets name is read from the parse
            region |= list_tail(region, sent.span, ctx.lex, others | blocked)
            counts = count_assets((sent.span.doc[i] for i in region), ctx.lex)
            if not counts.exact:
                region |= _predicate_objects(heads, ctx) - others - blocked
                counts = count_assets((sent.span.doc[i] for i in region), ctx.lex)
            if (_names_platform(heads, sent, ctx) and not counts.items) or _individual_asset(
                heads, sent, ctx
            ):
                continue
            if _proportion(heads, ctx):
                continue
            content_only = _content_only(heads, ctx) and not counts.items
            finding = _is_finding(tok, ctx)
            if finding and not (counts.exact and _inauthentic(region, sent, ctx)):
                continue
            platforms = _finders(ctx, sent, tok) if finding else agents(ctx, sent, tok)
            named = _asset_platform(sent, parsed_region)
            if named and _agent_is_anaphor(tok):
                platforms = [named]
            if not platforms or not _cib_context(ctx, sent):
                continue
            if tok.pos_ in ("NOUN", "PROPN") and not _noun_trigger_ok(tok, sent):
                continue
            rule = "takedown.verb" if tok.pos_ != "NOUN" else "takedown.noun"
            scope = {t.i for t in sent.tokens} - others
            for part_region, part_scope, part in _split_region(region, scope, counts):
                anchors = network_nouns(sent, ctx, part_region) | {h.i for h in heads}
                atts = network_attributions(ctx, sent, part_scope, anchors, tok, "takedown")
                atts = atts or fronted_place(ctx, sent, tok)
                if content_only and not atts:
                    continue  # "content it removed", "requests to take down posts": moderation
                found_here.append(_mention(ctx, sent, platforms, part, atts, part_region, heads, rule, tok))
        if not found_here and not any(_foreign_agent(ctx, sent, t) for t in owned):
            pending.append((sent, blocked, [e.entity for e in ctx.platforms_in(sent)] if asserted else []))
        mentions.extend(found_here)
    # second pass: sentences that only count or describe networks, now that every platform
    # the article reports removing something is known ("Reddit found 143 accounts ...")
    removed_by = [m for m in mentions]
    for sent, blocked, named in pending:
        found = _count_only_mention(ctx, sent, removed_by, blocked, named)
        if not found:
            m = _ordinal_network_mention(ctx, sent, [x for x in mentions if x.sent.index < sent.index])
            found = [m] if m is not None else []
        mentions.extend(found)
    mentions.sort(key=lambda m: m.sent.index)
    for m in mentions:
        label = _list_label(ctx, m.sent)
        if label is not None and label not in m.support:
            m.support.append(label)
    _continue_attributions(ctx, mentions)
    _inherit_states(mentions)
    return mentions


#: A list item's label, before the item's first sentence: "• Brazil:", "Iran (second network):".
_LABEL = re.compile(r"[^\w]*[A-Z][^:.!?\n]{0,58}")


def _list_label(ctx: ArticleContext, sent: Sentence) -> Evidence | None:
    """The label a list item opens with ("• Brazil: Facebook removed ..."), when the parser cut
    it off as a sentence of its own ("• Brazil:" | "Facebook removed", or "• Brazil" | ": Facebook
    removed"), or a heading line "Brazil:" over the item: what the item is about, as support
    evidence (the merge reads its one state as the record's topic; it is no attribution)."""
    if sent.index == 0:
        return None
    prev = ctx.sentences[sent.index - 1]
    text = prev.span.text.strip()
    if text.endswith(":"):
        label = text[:-1]
    elif prev.offset == sent.offset and sent.span.text.lstrip().startswith(":"):
        label = text
    else:
        return None
    # only a label naming a state tells the merge anything (and its paragraph is always parsed)
    states = any(e.label in ("STATE", "DEMONYM") for e in prev.entities)
    return ctx.evidence(prev, "takedown.label", 0.5) if states and _LABEL.fullmatch(label.rstrip()) else None


def _linear_scopes(sent: Sentence, triggers: list[Token]) -> dict[int, set[int]]:
    """Split a sentence with several removals into one stretch per removal clause.

    The parser often hangs a trailing "tied to ..." on the main verb of the sentence; text
    order is the better guide: "Twitter removed X, while YouTube deleted Y, tied to Iran"
    gives the attribution to YouTube.
    """
    everything = {t.i for t in sent.tokens}
    if len(triggers) < 2:
        return {t.i: everything for t in triggers}
    ordered = sorted(triggers, key=lambda t: t.i)
    bounds = [sent.span.start]
    for prev, tok in zip(ordered, ordered[1:], strict=False):
        left = tok.left_edge.i
        if tok.i in subtree_ids(prev) and tok.dep_ in ("conj", "xcomp") and _same_subject(tok, prev):
            left = tok.i  # "found and deleted": one clause, one subject
        bounds.append(max(left, prev.i + 1))
    bounds.append(sent.span.end)
    return {tok.i: set(range(bounds[k], bounds[k + 1])) for k, tok in enumerate(ordered)}


def _same_subject(a: Token, b: Token) -> bool:
    sa, sb = _subject(a), _subject(b)
    return sa is not None and sb is not None and sa.i == sb.i


def _mention(
    ctx: ArticleContext,
    sent: Sentence,
    platforms: list[str],
    counts: CountResult,
    atts: list[Attribution],
    region: set[int],
    heads: list[Token],
    rule: str,
    trigger: Token | None = None,
) -> Mention:
    low = sent.text.lower()
    named = _asset_platform(sent, region)
    platforms = list(dict.fromkeys(_channel_platform(ctx, p, counts, named) for p in platforms))
    commercial, profit = _motives(ctx, sent)
    total = has_phrase(sent.text, ctx.lex.phrases.get("total_marker", ())) is not None
    return Mention(
        total=total,
        tied=not atts and tied_to_someone(ctx, sent, region),
        commercial=commercial,
        profit=profit,
        platforms=platforms,
        sent=sent,
        evidence=ctx.evidence(sent, rule, 0.9 if counts.exact else 0.6),
        counts=dict(counts.counts),
        vague=counts.vague,
        attributions={a.state: a for a in atts},
        actors=sorted({a.actor for a in atts if a.actor}),
        date=removal_date(ctx, sent, trigger),
        network=_describe(region, sent, heads),
        earlier=is_earlier(ctx, sent, trigger),
        new_marker=any(re.search(rf"\b{w}\b", low) for w in NEW_NETWORK),
    )


@lru_cache(maxsize=1)
def channel_platforms() -> dict[str, str]:
    """Company -> the platform its removed channels are on (``channel_platform`` in
    ``platforms.jsonl``: Google's and Alphabet's channel removals are YouTube's)."""
    rows = data_rows("platforms.jsonl")
    return {row["name"]: row["channel_platform"] for row in rows if "channel_platform" in row}


def _channel_platform(
    ctx: ArticleContext, platform: str, counts: CountResult, named: str | None = None
) -> str:
    """Google removing channels, or YouTube accounts, is YouTube removing them."""
    child = channel_platforms().get(platform)
    if child is None:
        return platform
    if named == child or any(it.field == "channels" for it in counts.items):
        return child
    return platform


def _motives(ctx: ArticleContext, sent: Sentence) -> tuple[bool, bool]:
    """(commercial, profit): the sentence speaks of spam, scams or fake engagement and not of
    influence; the sentence says the operation was after money."""
    low = sent.text.lower()
    phrases = ctx.lex.phrases
    # a network "tied to" or "run by" someone is somebody's operation, not a purge of spam
    tied = any(t.lemma_.lower() in ctx.lex.wording and t.lower_ != "from" for t in sent.tokens)
    commercial = (
        not tied
        and any(p in low for p in phrases.get("commercial_cue", ()))
        and not any(p in low for p in phrases.get("influence_cue", ()))
    )
    return commercial, any(p in low for p in phrases.get("profit_motive", ()))


def _predicate_objects(heads: list[Token], ctx: ArticleContext) -> set[int]:
    """ "The banned accounts included 276 accounts ...", "The network Facebook removed had 44
    pages": what the removed thing is said to include or consist of."""
    out: set[int] = set()
    for h in heads:
        verb = h.head
        if h.dep_ in ("nsubj", "nsubjpass") and ctx.lex.is_("composition_verb", verb.lemma_.lower()):
            for c in verb.children:
                if c.dep_ in ("dobj", "attr", "prep", "acomp") and c.i > verb.i:
                    out |= subtree_ids(c)
    return out


def _asset_platform(sent: Sentence, region: set[int]) -> str | None:
    """ "3 YouTube channels", "589 Facebook accounts": the platform the assets are on."""
    for ent in sent.entities:
        if ent.label == "PLATFORM" and ent.root.i in region and ent.root.dep_ == "compound":
            return ent.entity
    return None


def _agent_is_anaphor(tok: Token) -> bool:
    """The removal's subject is "we", "it", "they" or absent: the text names no platform there."""
    subj = _subject(tok)
    if subj is None:
        return not any(c.dep_ == "agent" for c in tok.children)
    return subj.lower_ in PRONOUNS_SINGULAR | PRONOUNS_PLURAL


def _noun_trigger_ok(tok: Token, sent: Sentence) -> bool:
    """ "the takedown of 35 pages", "Facebook's removal": a removal noun with an object or an
    owner; a bare noun ("a report titled 'Misbehavior Removal'") reports no removal."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in ("of", "on", "against"):
            return True
        if c.dep_ in ("poss", "compound"):
            ent = sent.entity_at(c)
            if ent is not None and ent.label == "PLATFORM":
                return True
    return False


def _split_region(
    region: set[int], scope: set[int], counts: CountResult
) -> list[tuple[set[int], set[int], CountResult]]:
    """One object naming the same kind twice is two networks: "300 accounts from Egypt and 150
    accounts from Saudi Arabia". Each gets the stretch of text from its number to the next."""
    if not counts.repeated_fields():
        return [(region, scope, counts)]
    starts = sorted({it.start for it in counts.items if it.value is not None})
    end = max(scope) + 1
    parts = []
    for k, st in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else end
        stretch = set(range(st, stop))
        part = CountResult(items=[it for it in counts.items if it.start in stretch])
        for it in part.items:
            if it.value is not None and not it.vague:
                part.counts[it.field] = part.counts.get(it.field, 0) + it.value
        parts.append((region & stretch, scope & stretch, part))
    return parts


def _count_only_mention(
    ctx: ArticleContext,
    sent: Sentence,
    previous: list[Mention],
    blocked: set[int],
    named: list[str] | None = None,
) -> list[Mention]:
    """ "The first network had 93 Facebook profiles and 17 pages": counts with no removal verb.

    Kept only when the article already reported a removal by the platform the sentence is
    about, so that counts of followers, ads or protesters never become takedowns.
    """
    if not previous and not named:
        return []
    region = {t.i for t in sent.tokens} - blocked
    counts = count_assets((sent.span.doc[i] for i in region), ctx.lex)
    if not counts.exact:
        counts = _elided_item(ctx, sent, region)
    if not counts.exact:
        return []
    platforms: list[str] = []
    for ent in ctx.platforms_in(sent):
        if ent.entity not in platforms:
            platforms.append(ent.entity)
    if not platforms:
        subj = [t for t in sent.tokens if t.dep_ == "nsubj"]
        for s in subj:
            found = _np_platforms(ctx, sent, s)
            if found:
                platforms = found
                break
    reported = {p for m in previous for p in m.platforms} | set(named or ())
    if not platforms:
        platforms = [p for p in ctx.recent_platforms(sent.index) if p in reported][:1]
    platforms = [p for p in platforms if p in reported]
    if not platforms:
        return []
    # a sentence counting assets of several platforms ("120 Facebook and 40 Instagram
    # accounts") belongs to the platform that removed them: one platform per record
    platforms = platforms[:1]
    anchors = network_nouns(sent, ctx)
    heads = [sent.span.doc[i] for i in sorted(anchors)][:1]
    out = []
    for part_region, part_scope, part in _split_region(region, {t.i for t in sent.tokens}, counts):
        atts = network_attributions(ctx, sent, part_scope, anchors, None, "takedown")
        out.append(_mention(ctx, sent, platforms, part, atts, part_region, heads, "takedown.counts"))
    return out


def _opens_elided(sent: Sentence) -> Token | None:
    """The number opening "271 from Egypt, for ...", "45 in Cuba tied to ...", if any."""
    toks = [t for t in sent.tokens if not t.is_punct and not t.is_space]
    if len(toks) < 2 or not toks[0].like_num or toks[1].lower_ not in ELIDED_NEXT:
        return None
    return None if toks[0].ent_type_ in ("DATE", "MONEY", "PERCENT", "TIME") else toks[0]


def _elided_item(ctx: ArticleContext, sent: Sentence, region: set[int]) -> CountResult:
    """A list item that leaves out its noun ("Accounts suspended:" or "4,248 accounts from the
    UAE ..." then "271 from Egypt ..."): a number opening the sentence, followed by an origin
    word, counts the one kind of asset named by the sentence before (or, through items like
    itself, by the list's first item or lead-in)."""
    num = _opens_elided(sent)
    if num is None or num.i not in region:
        return CountResult()
    value = parse_number([num.text])
    k = sent.index - 1
    while value is not None and k >= 0 and k >= sent.index - 8:
        prev = ctx.sentences[k]
        kinds = {ctx.lex.asset_field[a] for t in prev.tokens if (a := asset_lemma(t, ctx.lex)) is not None}
        if len(kinds) == 1:
            return CountResult(counts={kinds.pop(): value})
        if kinds or _opens_elided(prev) is None:
            break
        k -= 1
    return CountResult()


def _ordinal_network(sent: Sentence, ctx: ArticleContext) -> Token | None:
    """The subject of "The third and fourth network ... originated in Russia and Iran"."""
    for t in sent.tokens:
        if t.dep_ in ("nsubj", "nsubjpass") and ctx.lex.is_("network_noun", t.lemma_.lower()):
            mods = [c for c in t.subtree if c.i < t.i]
            if any(ctx.lex.is_("network_ordinal", c.lower_) for c in mods):
                return t
    return None


def _ordinal_network_mention(ctx: ArticleContext, sent: Sentence, previous: list[Mention]) -> Mention | None:
    """A sentence describing another network of a removal already reported, by its states."""
    subj = _ordinal_network(sent, ctx)
    if subj is None or not previous:
        return None
    reported = [p for m in previous for p in m.platforms]
    platforms = [p for p in ctx.recent_platforms(sent.index) if p in reported][:1] or reported[-1:]
    scope = {t.i for t in sent.tokens}
    atts = network_attributions(ctx, sent, scope, network_nouns(sent, ctx), None, "takedown.network")
    if not atts:
        return None
    m = _mention(ctx, sent, platforms, CountResult(), atts, subtree_ids(subj), [subj], "takedown.network")
    m.ordinal = True
    mods = [c.lower_ for c in subj.subtree if c.i < subj.i]
    m.told_again = "the" in mods and any(ctx.lex.is_("network_backref", w) for w in mods)
    return m


