"""What was removed: a removal's objects, the region of text they span, and the objects that
are not a network (one person's account, a rate of enforcement, content only, a platform)."""

from __future__ import annotations

import re

from spacy.tokens import Token

from kg.extract.context import (
    ArticleContext,
    Sentence,
    subtree_ids,
)
from kg.extract.counts import asset_lemma
from kg.lexicon.gazetteer import load_lexicon

OBJECT_PREPS = frozenset({"from", "in", "across", "within", "with", "along", "including", "of", "as"})


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
    if not heads and tok.pos_ == "VERB" and tok.dep_ == "ccomp":
        # "admits that Meta closed, 'in one fell swoop,' 363 profiles": an object after an aside,
        # which the parser hung on the verb the removal clause completes
        heads += [c for c in tok.head.children if c.dep_ == "dobj" and c.i > tok.i and c.pos_ == "NOUN"]
    if not heads and tok.pos_ == "VERB" and tok.i > 0 and tok.doc[tok.i - 1].text in ("—", "–", "-", ","):
        # "the Israeli network — shut down in March — comprised ...": a participle set off after
        # its noun, which the parser made the noun's verb; the noun is what was removed
        lex = load_lexicon()
        heads += [
            s for s in tok.children
            if s.dep_ == "nsubj" and s.pos_ == "NOUN" and s.i < tok.i
            and (lex.is_("network_noun", s.lemma_) or asset_lemma(s, lex) is not None)
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


def is_individual_asset(heads: list[Token], sent: Sentence, ctx: ArticleContext) -> bool:
    """ "the candidate's YouTube channel": one person's account, not a network."""
    for h in heads:
        if h.tag_ in ("NN", "NNP") and not any(c.dep_ in ("nummod", "conj") for c in h.children):
            # "banned a user who posted ...", "suspended a blogger": one person, no network
            ent = sent.entity_at(h)
            person = h.ent_type_ == "PERSON" or (ent is not None and ent.label == "PERSON")
            if person or ctx.lex.is_("individual_owner", h.lemma_.lower()):
                return True
        owners = [c for c in h.children if c.dep_ == "poss"]
        if h.tag_ in ("NN", "NNP"):  # "the page of President X": one page, its owner after "of"
            owners += [g for c in h.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
        elif h.tag_ in ("NNS", "NNPS"):  # "the accounts of leader X, his daughter Y and ...": the
            # named people's own accounts, one each, not a network
            named = [g for c in h.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
            if any(g.ent_type_ == "PERSON" and g.dep_ == "pobj" for g in named):
                return True
        for c in owners:
            ent = sent.entity_at(c)
            if ent is not None and ent.label == "PLATFORM":
                continue  # "Facebook's move to close ...": the platform's own
            if c.ent_type_ == "PERSON" or (ent is not None and ent.label == "PERSON"):
                return True
            if ctx.lex.is_("individual_owner", c.lemma_.lower()):
                return True
    return False


def is_single_asset(heads: list[Token], ctx: ArticleContext) -> bool:
    """ "Telegram removed the channel", "suspended an account": one uncounted asset named in the
    singular is one account, post or channel, not a network (a count or a network noun says so)."""
    if not heads:
        return False
    for h in heads:
        if h.tag_ not in ("NN", "NNP") or asset_lemma(h, ctx.lex) is None:
            return False
        if any(c.dep_ in ("nummod", "conj") for c in h.children):
            return False
    return True


def is_indefinite(trigger: Token, heads: list[Token], ctx: ArticleContext) -> bool:
    """ "something that we are kicking off": what the verb acts on is no asset, only an
    indefinite pronoun, itself or as the antecedent of the relative clause of the verb (the
    verb starts a process rather than removing a network)."""
    objects = list(heads) + ([trigger.head] if trigger.dep_ == "relcl" else [])
    return any(ctx.lex.is_("indefinite_object", h.lemma_.lower()) for h in objects)


def is_removal_instrument(heads: list[Token], ctx: ArticleContext) -> bool:
    """What the verb acts on is itself a removal or what would make one ("block a law that
    would ban the app", "halt the ban"): a fight over a removal, not a network removed."""
    lex = ctx.lex
    for h in heads:
        if h.pos_ == "NOUN" and lex.is_("removal_noun", h.lemma_.lower()):
            return True
        # the clause's removal has an object of its own: the noun removes, it is not removed
        for c in (c for c in h.children if c.dep_ in ("relcl", "acl")):
            verbs = [t for t in c.subtree if t.pos_ == "VERB" and lex.is_("removal_verb", t.lemma_.lower())]
            if any(any(o.dep_ == "dobj" for o in v.children) for v in verbs):
                return True
    return False


def is_tally(heads: list[Token], sent: Sentence, ctx: ArticleContext) -> bool:
    """ "has removed dozens of networks in recent years, including operations linked to ...":
    networks counted over a span of years (``tally_span``) are a platform's record, not one
    takedown; its examples are no networks of their own."""
    lex = ctx.lex
    low = sent.text.lower()
    if not any(p in low for p in lex.phrases.get("tally_span", ())):
        return False
    for h in heads:
        noun = h
        if lex.is_("vague_amount", h.lemma_.lower()):
            of = [g for c in h.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
            noun = of[0] if of else h
        if noun.tag_ == "NNS" and lex.is_("network_noun", noun.lemma_.lower()):
            return True
    return False


def is_proportion(heads: list[Token], ctx: ArticleContext) -> bool:
    """ "blocked 93% of all fake accounts", "removed a share of the spam accounts": a rate of the
    platform's whole enforcement, not a network it took down."""
    for h in heads:
        for t in (h, h.head.head if h.dep_ == "pobj" and h.head.lower_ == "of" else None):
            if t is not None and ctx.lex.is_("proportion_noun", t.lemma_.lower() if t.text != "%" else "%"):
                return True
    return False


def is_content_only(heads: list[Token], ctx: ArticleContext) -> bool:
    """What was removed is content ("posts", "content", "messages"), not accounts or a network:
    moderation, unless the text ties it to a state or an actor."""
    return bool(heads) and all(ctx.lex.is_("content_noun", partitive_noun(h).lemma_.lower()) for h in heads)


def partitive_noun(h: Token) -> Token:
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


def names_platform(heads: list[Token], sent: Sentence, ctx: ArticleContext) -> bool:
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


def describe_network(region: set[int], sent: Sentence, heads: list[Token]) -> str:
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


def predicate_objects(heads: list[Token], ctx: ArticleContext) -> set[int]:
    """ "The banned accounts included 276 accounts ...", "The network Facebook removed had 44
    pages": what the removed thing is said to include or consist of."""
    out: set[int] = set()
    for h in heads:
        if h.dep_ not in ("nsubj", "nsubjpass"):
            continue
        # "the network - shut down in March - comprised 510 accounts": a conjoined verb with no
        # subject of its own shares the removed thing as its subject
        shared = [c for c in h.head.children if c.dep_ == "conj" and c.pos_ == "VERB"]
        shared = [c for c in shared if not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)]
        for verb in [h.head, *shared]:
            if not ctx.lex.is_("composition_verb", verb.lemma_.lower()):
                continue
            for c in verb.children:
                if c.dep_ in ("dobj", "attr", "prep", "acomp") and c.i > verb.i:
                    out |= subtree_ids(c)
    return out


def asset_platform(sent: Sentence, region: set[int]) -> str | None:
    """ "3 YouTube channels", "589 Facebook accounts": the platform the assets are on."""
    for ent in sent.entities:
        if ent.label == "PLATFORM" and ent.root.i in region and ent.root.dep_ == "compound":
            return ent.entity
    return None


def separate_network(region: set[int], sent: Sentence, ctx: ArticleContext) -> Token | None:
    """ "removed 7,700 accounts tied to a Chinese operation, as well as a smaller network from
    Russia", "as well as networks linked to Russia and Turkey": a network noun conjoined after the
    counted assets, with an article of its own (or a bare plural) and no figure, is another
    network; the figures and states before it are not its."""
    lex = ctx.lex
    end = max(region, default=-1)
    for t in sent.tokens:
        # a conjunct of the object; or a second object the parser hangs on the verb after it
        second = t.i > end and t.dep_ == "npadvmod" and t.head.pos_ == "VERB" and t.head.i < t.i
        if (t.i not in region and not second) or t.dep_ not in ("conj", "npadvmod") or t.pos_ != "NOUN":
            continue
        if not lex.is_("network_noun", t.lemma_.lower()) or asset_lemma(t, lex) is not None:
            continue
        kids = list(t.children)
        own = any(c.dep_ == "det" and c.lower_ in ("a", "an", "another") for c in kids)
        # "..., as well as networks linked to Russia and Turkey": networks of their own, plural
        own = own or (t.tag_ == "NNS" and not any(c.dep_ in ("det", "poss") for c in kids))
        counted = any(c.dep_ == "nummod" for c in kids)
        if own and not counted and any(asset_lemma(x, lex) is not None for x in sent.tokens if x.i < t.i):
            return t
    return None
