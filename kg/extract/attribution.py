"""Attribution: which states (and organisations of states) the text ties a network to.

A state, or an organisation resolved to its state, counts when it is reached from the network
through an attribution cue ("linked to", "originated in", "-backed"), or modifies it directly
("Iranian accounts"); never through a target cue ("targeting", "aimed at") or a stance prefix
("pro-", "anti-"). Also: attributions said in the next sentences about the same takedown, and
"this campaign" inheriting the states of the campaign named before.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import (
    STATE_LABELS,
    ArticleContext,
    EntitySpan,
    Sentence,
    head_chain,
    subtree_ids,
)
from kg.extract.counts import asset_lemma, parse_number
from kg.extract.cues import (
    ACTIVE_IN,
    MODIFIER_DEPS,
    compared,
    cue_sense,
    gapped_cue,
    language,
    likened,
    linear_cue,
    nonstate_holder,
    owned_by_state_body,
    pretended,
    stance_prefixed,
    target_before,
    topic_cue,
)
from kg.records import Attribution


def _attribution_subtrees(sent: Sentence, ctx: ArticleContext) -> set[int]:
    """Tokens inside attribution phrases: counts there describe something else."""
    out: set[int] = set()
    if ctx.lex.wording.keys().isdisjoint(sent.lemmas):
        return out
    for t in sent.tokens:
        if t.lemma_.lower() in ctx.lex.wording and t.pos_ in ("VERB", "ADP") and t.lower_ != "from":
            if t.dep_ in ("acl", "relcl", "amod") or t.lemma_.lower() == "behind":
                for c in t.children:
                    if c.dep_ in ("prep", "agent"):
                        out |= subtree_ids(c)
    return out


# ---- attributions ------------------------------------------------------------------------------
def _state_of(ctx: ArticleContext, ent: EntitySpan) -> tuple[str | None, str | None]:
    """(state, actor) for an entity span."""
    if ent.label in STATE_LABELS:
        return ent.entity, None
    if ent.label in ("ORG", "PERSON"):
        return ctx.gaz.state_of(ent.entity), ent.entity
    return None, None


def _body_actor(ent: EntitySpan, ctx: ArticleContext) -> str | None:
    """ "the Egyptian Ministry of Defence", "Iranian army": a state body named through a demonym."""
    head = ent.root.head
    if ent.label != "DEMONYM":
        return None
    if ent.root.dep_ in ("amod", "compound", "poss") and ctx.lex.is_("state_body", head.lemma_.lower()):
        toks = [t for t in head.subtree if t.dep_ not in ("det", "punct") and t.i <= head.i + 3]
        proper = [t for t in toks if t.pos_ == "PROPN" or t.i == ent.root.i]
        if len(proper) >= 2 and head.pos_ == "PROPN":
            return " ".join(t.text for t in toks if t.pos_ in ("PROPN", "ADP", "ADJ"))
    return None


def attribution_for(
    ctx: ArticleContext,
    sent: Sentence,
    ent: EntitySpan,
    anchors: set[int],
    stop: Token | None,
    rule: str,
) -> Attribution | None:
    """The attribution ``ent`` expresses for the network at ``anchors``, if it is one."""
    state, actor = _state_of(ctx, ent)
    if state is None:
        return None
    lex = ctx.lex
    actor = actor or _body_actor(ent, ctx)
    root = ent.root
    # "Russia-based", "Kremlin-backed", "Iranian-linked"
    doc = root.doc
    if root.i + 2 < len(doc) and doc[root.i + 1].text in ("-", "–"):
        suffix = doc[root.i + 2].lemma_.lower()
        if suffix in lex.suffix_wording:
            return Attribution(
                state,
                f"{ent.span.text}{lex.suffix_wording[suffix]}",
                actor,
                ctx.evidence(sent, rule + ".suffix", 0.9),
            )
    if stance_prefixed(ent, lex):
        return None  # "anti-Ukrainian", "pro-Russian": what the network opposes or supports
    if target_before(ent, lex):
        return None  # "... and targeted Ukrainians": the audience, not the operator
    if language(ent, lex):
        return None  # "Russian-language accounts": a language, not an origin
    if nonstate_holder(root, lex):
        return None  # "linked to Kenya's ruling party", "a Brazilian businessman": no state
    linear = linear_cue(ent, lex, anchors, stop)
    if linear is not None:
        return Attribution(state, linear, actor, ctx.evidence(sent, rule + ".cue", 0.9))
    gapped = gapped_cue(root, lex)
    if gapped is not None:
        return Attribution(state, gapped, actor, ctx.evidence(sent, rule + ".gapped", 0.8))
    if owned_by_state_body(root, anchors, lex):
        return Attribution(state, "accounts of", actor, ctx.evidence(sent, rule + ".owner", 0.8))
    prev = root
    for t in head_chain(root, stop):
        lem = t.lemma_.lower()
        if t.i in anchors or (stop is not None and t.i == stop.i):
            if prev.dep_ in MODIFIER_DEPS or prev.i == root.i and root.dep_ in MODIFIER_DEPS:
                return Attribution(
                    state,
                    "demonym" if ent.label == "DEMONYM" else "possessive",
                    actor,
                    ctx.evidence(sent, rule + ".modifier", 0.8),
                )
            if prev.dep_ == "relcl" and root.dep_ == "nsubj" and prev.i == root.head.i:
                return Attribution(
                    state, f"used by {ent.span.text}", actor, ctx.evidence(sent, rule + ".subject", 0.7)
                )
            return None
        if lex.is_("target_cue", lem) or lex.is_("target_cue", t.lower_):
            return None
        if lem == "from" and lex.is_("source_noun", t.head.lemma_.lower()):
            return None  # "a tip from US law enforcement": where the tip came from
        cue = lem in lex.wording and t.i != root.i
        if t.pos_ == "VERB" and prev.dep_ == "dobj" and not (cue and lex.is_("accuser_verb", lem)):
            # "used AI to create fake American personas", "a firm that amplified Iranian state TV":
            # the state is in what the operator made or did, not who the operator is (only an
            # accusing verb's object is the accused: "accused Iran of ...")
            return None
        if cue:
            if prev.dep_ == "nsubj" and lex.is_("accuser_verb", lem):
                return None  # "Russia's embassy in the United States accused Meta": the accuser
            if topic_cue(t, lex) or pretended(t, anchors, stop, lex) or compared(t, anchors, stop, lex):
                return None
            wording = cue_sense(lem, prev, lex) if prev.dep_ == "prep" else lex.wording[lem]
            if wording is None:
                return None
            return Attribution(state, wording, actor, ctx.evidence(sent, rule + ".cue", 0.9))
        if t.pos_ == "VERB" and likened(t, lex):
            return None  # "occurred with similar characteristics in Serbia": another network
        if ctx.lex.is_("reporting_verb", lem) and t.pos_ == "VERB":
            return None  # "China said ...": a speaker, not an attribution
        shared = t.pos_ == "VERB" and prev.dep_ == "nsubj" and lex.is_("share_verb", lem)
        if shared and _counts_anchor(t, anchors):
            # "Russia accounted for 612 of the terminated channels": the state's share of them
            return Attribution(state, "accounted for", actor, ctx.evidence(sent, rule + ".share", 0.8))
        if t.pos_ == "VERB" and prev.dep_ in ("nsubj", "nsubjpass", "agent") and lem not in lex.wording:
            # "sites which the U.S. government designated", "a firm sanctioned by the United
            # States": the state does something else to the network's operator
            return None
        prev = t
    return None


def _counts_anchor(verb: Token, anchors: set[int]) -> bool:
    """The verb's object phrase holds a network noun (the channels it accounts for)."""
    return any(x.i in anchors for c in verb.children if c.dep_ in ("prep", "dobj") for x in c.subtree)


def network_attributions(
    ctx: ArticleContext,
    sent: Sentence,
    scope: set[int],
    anchors: set[int],
    stop: Token | None,
    rule: str,
) -> list[Attribution]:
    """The attributions of a removed network: named states and organisations, and state
    bodies referred back to ("the country's military", "the government")."""
    out = {a.state: a for a in sentence_attributions(ctx, sent, scope, anchors, stop, rule)}
    for ent in _anaphoric_bodies(ctx, sent, scope):
        att = attribution_for(ctx, sent, ent, anchors, stop, rule + ".anaphor")
        if att is not None and att.state not in out:
            out[att.state] = att
    return list(out.values())


def _anaphoric_bodies(ctx: ArticleContext, sent: Sentence, scope: set[int]) -> list[EntitySpan]:
    """ "linked to the country's military", "run by the government": a definite state body
    (or "the country") that names no state refers to the state named last before it."""
    lex = ctx.lex
    out: list[EntitySpan] = []
    for t in sent.tokens:
        if t.i not in scope or t.pos_ != "NOUN":
            continue
        lem = t.lemma_.lower()
        if lem == "country" and t.tag_ == "NNS":
            for state in _antecedent_states(ctx, sent, t):  # "in those two countries"
                out.append(EntitySpan(t.doc[t.i : t.i + 1], state, "STATE"))
            continue
        country = lem == "country" and t.dep_ == "poss"
        body = lex.is_("state_body", lem) and not lex.is_("nonstate_body", lem)
        if not (country or body):
            continue
        kids = list(t.children)
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in kids):
            continue
        if any(sent.entity_at(c) is not None for c in t.subtree if c.i != t.i) or sent.entity_at(t):
            continue  # "the Iranian government", "the government of Iran": named
        if body and any(c.dep_ == "poss" for c in kids):
            continue  # "the country's military" is handled at "country"
        state = _antecedent_state(ctx, sent, t)
        if state is not None:
            out.append(EntitySpan(t.doc[t.i : t.i + 1], state, "STATE"))
    return out


def _antecedent_state(ctx: ArticleContext, sent: Sentence, tok: Token) -> str | None:
    """The state named last before ``tok`` (this sentence, then the two before it), unless it
    was named as a target or a stance ("targeting Ukraine", "pro-Russian")."""
    lex = ctx.lex
    for s in reversed(ctx.sentences[max(0, sent.index - 2) : sent.index + 1]):
        before = [e for e in s.entities if s is not sent or e.span.end <= tok.i]
        ents = [e for e in before if e.label in ("STATE", "DEMONYM")]
        for e in reversed(ents):
            if stance_prefixed(e, lex) or any(
                lex.is_("target_cue", h.lemma_.lower()) for h in list(head_chain(e.root))[:3]
            ):
                return None
            return e.entity
    return None


def _antecedent_states(ctx: ArticleContext, sent: Sentence, tok: Token) -> list[str]:
    """ "those two countries", "both countries", "these countries": the states named last
    before ``tok`` (as many as the number says), none of them a target or a stance."""
    kids = list(tok.children)
    if not any(c.lower_ in ("those", "these", "both") for c in kids):
        return []
    nums = [parse_number([c.text]) for c in kids if c.dep_ == "nummod"]
    want = 2 if any(c.lower_ == "both" for c in kids) else (nums[0] if nums and nums[0] else None)
    lex = ctx.lex
    for s in reversed(ctx.sentences[max(0, sent.index - 2) : sent.index + 1]):
        before = [e for e in s.entities if s is not sent or e.span.end <= tok.i]
        states: list[str] = []
        for e in reversed([e for e in before if e.label in ("STATE", "DEMONYM")]):
            if stance_prefixed(e, lex) or target_before(e, lex) or any(
                lex.is_("target_cue", h.lemma_.lower()) for h in list(head_chain(e.root))[:3]
            ):
                return []
            if e.entity not in states:
                states.append(e.entity)
        if states:
            if want is not None and len(states) < want:
                return []
            return sorted(states[:want] if want else states)
    return []


def sentence_attributions(
    ctx: ArticleContext,
    sent: Sentence,
    scope: set[int],
    anchors: set[int],
    stop: Token | None,
    rule: str,
) -> list[Attribution]:
    out: dict[str, Attribution] = {}
    ents = [e for e in sent.entities if e.label in STATE_LABELS | {"ORG", "PERSON"}]
    for ent in ents:
        if ent.root.i not in scope:
            continue
        if ent.label == "PERSON":
            continue
        att = attribution_for(ctx, sent, ent, anchors, stop, rule)
        if att is not None and att.state not in out:
            out[att.state] = att
        # "tied to Iran and Russia": conjuncts share the attribution
        if att is not None:
            for other in ents:
                if other is not ent and _conjunct_of(other.root, ent.root) and _listed_after(other):
                    st, act = _state_of(ctx, other)
                    if st and st not in out:
                        out[st] = Attribution(st, att.wording, act, att.evidence)
    if any(a.wording != ACTIVE_IN for a in out.values()):
        # "originated in Russia and operated in Ukraine": where it was active is its audience
        out = {s: a for s, a in out.items() if a.wording != ACTIVE_IN}
    return list(out.values())


def _conjunct_of(tok: Token, first: Token) -> bool:
    """ "Palestine, Poland, Belarus and China": each later item is a conjunct of the first,
    directly or through the items between (the parser chains long lists)."""
    t = tok
    while t.dep_ == "conj" and t.head.i != t.i:
        t = t.head
        if t.i == first.i:
            return True
    return False


def _listed_after(ent: EntitySpan) -> bool:
    """ "Russia and Belarus": the conjunct follows a comma or "and", not a verb of its own."""
    doc = ent.span.doc
    i = ent.span.start - 1
    while i >= 0 and doc[i].lower_ in ("the",):
        i -= 1
    return i >= 0 and doc[i].lower_ in (",", "and", "or", "as well as", "&")


def network_nouns(sent: Sentence, ctx: ArticleContext, region: set[int] | None = None) -> set[int]:
    """Nouns that may stand for the network; not one compared with it, nor what content shows
    ("photos of Turkish actors", "videos of bots")."""
    return {
        t.i
        for t in sent.tokens
        if (region is None or t.i in region)
        and t.pos_ in ("NOUN", "PROPN")
        and (ctx.lex.is_("network_noun", t.lemma_.lower()) or asset_lemma(t, ctx.lex) is not None)
        and not compared(t, set(), None, ctx.lex)
        and not _shown(t, ctx)
    }


def _shown(tok: Token, ctx: ArticleContext) -> bool:
    """ "photos of Turkish actors": the noun is what a piece of content shows or is about."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "of":
        return False
    return ctx.lex.is_("content_noun", prep.head.lemma_.lower())


def fronted_place(ctx: ArticleContext, sent: Sentence, tok: Token) -> list[Attribution]:
    """ "In Cuba, Meta deactivated 363 accounts": a place set before the removal clause, as a
    report's section on one country, is where the network was."""
    span = sent.span
    if len(span) < 4 or span[0].lower_ != "in" or span[0].head.i != tok.i:
        return []
    ent = sent.entity_at(span[1])
    if ent is None or ent.label not in ("STATE", "PLACE") or ent.span.end >= span.end:
        return []
    if span.doc[ent.span.end].text != ",":
        return []
    return [Attribution(ent.entity, "in", None, ctx.evidence(sent, "takedown.place", 0.6))]


def tied_to_someone(ctx: ArticleContext, sent: Sentence, region: set[int]) -> bool:
    """The removed thing is tied by a cue to a name or a party ("connected to Stone", "linked
    to the ruling party"): its operator is known, and it is not a state."""
    for i in region:
        t = sent.span.doc[i]
        if t.lemma_.lower() in ctx.lex.wording and t.dep_ in ("acl", "relcl", "amod") and t.lower_ != "from":
            for c in t.subtree:
                if c.i != t.i and c.dep_ == "pobj" and (
                    c.pos_ == "PROPN" or ctx.lex.is_("nonstate_body", c.lemma_.lower())
                ):
                    return True
    return False
