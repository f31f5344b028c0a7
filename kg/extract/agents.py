"""Who removed what: removal triggers and their agents.

A removal is a verb or noun of the lexicon's removal classes (active, passive, reduced passive,
relative clause, phrasal), asserted (not hedged, negated, planned or prevented); its agent is the
subject, the "by" phrase, or the platform last spoken of for "it", "the company". A platform's own
finding ("the company identified 470 fake accounts") stands for the removal where the sentence
names none.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import (
    PRONOUNS_PLURAL,
    PRONOUNS_SINGULAR,
    ArticleContext,
    Sentence,
    subtree_ids,
)
from kg.lexicon.gazetteer import Lexicon


def removal_verbs(lex: Lexicon) -> frozenset[str]:
    """Lemmas of the removal verbs, a phrasal one by its verb ("shut" of "shut down")."""
    return frozenset(lex.lemmas.get("removal_verb", frozenset()) | {lemma for lemma, _ in lex.phrasal})


def trigger_lemmas(ctx: ArticleContext) -> frozenset[str]:
    """Every lemma :func:`is_trigger` can accept: a sentence with none of them has no trigger."""
    return removal_verbs(ctx.lex) | ctx.lex.lemmas.get("removal_noun", frozenset())


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
    top = chain[-1]
    if top.dep_ == "ROOT" and top.tag_ == "VB" and any(c.dep_ == "nsubj" for c in top.children):
        if any(c.dep_ == "aux" and c.tag_ == "TO" for c in top.children):
            return False  # "TikTok to remove fake accounts": a headline's future, not a removal
    # "threatened to remove", "asked Facebook to remove", "demanded that Google remove": the
    # complement of a head that asks for, plans or promises a removal does not report one
    if tok.dep_ in ("xcomp", "ccomp") and lex.is_("nonasserting_head", tok.head.lemma_.lower()):
        return False
    return True


def is_prevented(tok: Token) -> bool:
    """ "blocked 2 million accounts from being created", "stopped bots from signing up": kept
    from existing, not removed."""
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "from" and c.i + 1 < len(c.doc):
            nxt = c.doc[c.i + 1]
            # "from being created", "from signing up"; not "from Iran targeting ..."
            if nxt.tag_ == "VBG" and any(g.dep_ == "pcomp" and nxt.i in subtree_ids(g) for g in c.children):
                return True
    return False


def noun_trigger_ok(tok: Token, sent: Sentence) -> bool:
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


def np_platforms(ctx: ArticleContext, sent: Sentence, tok: Token) -> list[str] | None:
    """Platforms a noun phrase names or refers to; None when it is some other agent."""
    names: list[str] = []
    # every conjunct, also down a chain ("Facebook, Twitter and Google": "Google" hangs on "Twitter")
    heads = [tok] + [c for c in tok.conjuncts if c.i > tok.i]
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


def clause_subject(verb: Token) -> Token | None:
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


def foreign_agent(ctx: ArticleContext, sent: Sentence, tok: Token) -> bool:
    """ "after the election commission removed 40 accounts": the removal's own subject is no
    platform, so its counts are not a platform's takedown."""
    if tok.pos_ not in ("VERB", "AUX") or any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        return False
    subj = subject_of(tok)
    return subj is not None and subj.pos_ == "NOUN" and np_platforms(ctx, sent, subj) is None


def subject_of(tok: Token) -> Token | None:
    t = tok
    for _ in range(4):
        for c in t.children:
            if c.dep_ == "nsubj":
                return c
        clause = clause_subject(t)
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
            found = np_platforms(ctx, sent, objs[0])
            return found or []
    if tok.pos_ in ("NOUN", "PROPN"):
        for c in tok.children:
            if c.dep_ in ("poss", "compound"):
                found = np_platforms(ctx, sent, c)
                if found:
                    return found
        head = tok.head
        if tok.dep_ in ("dobj", "pobj", "attr", "nsubj") and head.i != tok.i:
            verb = head if head.pos_ in ("VERB", "AUX") else head.head
            subj = subject_of(verb)
            if subj is not None:
                found = np_platforms(ctx, sent, subj)
                if found is not None:
                    return found
        return ctx.recent_platforms(sent.index, tok)[:1]
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children)
    if tok.dep_ == "acl" and tok.tag_ == "VB" and tok.head.pos_ == "NOUN":
        # "Twitter and Facebook's move to close accounts", "the company's decision to remove":
        # the owner of the decision is the agent
        for c in tok.head.children:
            if c.dep_ == "poss":
                found = np_platforms(ctx, sent, c) or []
                # "Twitter and Facebook's move", read as "Twitter" and "Facebook's move"
                first = tok.head.head if tok.head.dep_ == "conj" else None
                ent = sent.entity_at(first) if first is not None else None
                if found and ent is not None and ent.label == "PLATFORM" and ent.entity not in found:
                    found = [ent.entity, *found]
                if found:
                    return found
    own = [c for c in tok.children if c.dep_ == "nsubj"]
    if tok.dep_ in ("acl", "amod") and own and not passive:
        # "Twitter and Facebook removed accounts ..." read with "removed" as a modifier of
        # "accounts": the verb's own subject still names who removed them
        found = np_platforms(ctx, sent, own[0])
        if found:
            return found
    if tok.dep_ in ("acl", "amod") or passive:
        return ctx.recent_platforms(sent.index, tok)[:1]
    subj = subject_of(tok)
    if subj is None:
        return ctx.recent_platforms(sent.index, tok)[:1]
    found = np_platforms(ctx, sent, subj)
    return found if found is not None else []


def agent_is_anaphor(tok: Token) -> bool:
    """The removal's subject is "we", "it", "they" or absent: the text names no platform there."""
    subj = subject_of(tok)
    if subj is None:
        return not any(c.dep_ == "agent" for c in tok.children)
    return subj.lower_ in PRONOUNS_SINGULAR | PRONOUNS_PLURAL


def is_finding(tok: Token, ctx: ArticleContext) -> bool:
    """ "identified", "uncovered": a finding verb (a removal only with :func:`finders`)."""
    return tok.pos_ == "VERB" and ctx.lex.is_("finding_verb", tok.lemma_.lower())


def finders(ctx: ArticleContext, sent: Sentence, tok: Token) -> list[str]:
    """The platform that reports finding fake accounts, as the finding verb's subject or "by"
    phrase ("Facebook identified", "were uncovered by the company"), or as the owner of the
    inquiry that found them ("an investigation by the website's administration", "its
    security team"): a platform that finds fake accounts on its own service removes them. An
    inquiry of anyone else (researchers, a newspaper, a committee) gives no platform."""
    by = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    subj = by[0] if by else subject_of(tok)
    if subj is None:
        return []
    found = np_platforms(ctx, sent, subj)
    if found or not any(ctx.lex.is_("inquiry_noun", t.lemma_.lower()) for t in subj.subtree):
        return found or []
    for t in subj.subtree:
        owner = t.dep_ in ("poss", "compound") or (t.dep_ == "pobj" and t.head.lower_ in ("by", "at"))
        if t.i != subj.i and owner and (found := np_platforms(ctx, sent, t)):
            return found
    return []


def is_inauthentic(region: set[int], sent: Sentence, ctx: ArticleContext) -> bool:
    """What was found is said to be fake ("470 fake accounts", "a group of bogus pages")."""
    return any(ctx.lex.is_("inauthentic_modifier", t.lemma_.lower()) for t in sent.span if t.i in region)
