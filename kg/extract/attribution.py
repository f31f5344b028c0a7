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
from kg.lexicon.gazetteer import Lexicon
from kg.records import Attribution

MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod"})


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


_CUE_PREPS = frozenset({"to", "with", "by", "in", "within", "inside", "from", "of"})
_SKIPPABLE = frozenset({"the", "a", "an", "“", "”", '"', "'"})


def _stance_prefixed(ent: EntitySpan, lex: Lexicon) -> bool:
    doc = ent.span.doc
    i = ent.span.start
    if i >= 2 and doc[i - 1].text in ("-", "\u2013") and lex.is_("stance_prefix", doc[i - 2].lower_):
        return True
    return i >= 1 and lex.is_("stance_prefix", doc[i - 1].lower_.rstrip("-"))


_TARGET_PREPS = frozenset({"at", "on", "toward", "towards", "against", "in", "to"})


def _target_before(ent: EntitySpan, lex: Lexicon) -> bool:
    """A target verb written just before the state ("and targeted Ukrainians", "aimed at
    Iranian users", "focused on Sudan"): the state is the audience, whatever the parser hung
    the noun on (a coordination with "linked to ..." often carries it into an attribution)."""
    doc = ent.span.doc
    i = ent.span.start - 1
    while i >= 0 and (doc[i].lower_ in _SKIPPABLE or doc[i].pos_ in ("DET", "ADJ")):
        i -= 1
    if i >= 0 and doc[i].lower_ in _TARGET_PREPS and doc[i].lower_ != "against":
        i -= 1
    return i >= 0 and doc[i].pos_ in ("VERB", "ADP") and (
        lex.is_("target_cue", doc[i].lemma_.lower()) or lex.is_("target_cue", doc[i].lower_)
    )


_MEMBER_PREPS = frozenset({"for", "at", "with"})


def _owned_by_state_body(root: Token, anchors: set[int], lex: Lexicon) -> bool:
    """ "accounts of the Cuban ministry", "accounts of journalists for Iranian state media": the
    accounts belong to a state body or to its staff. Not "accounts of critics of the Russian
    government": a person "of" a body may be its opponent, one "for"/"at" it works there."""
    body = root
    while body.dep_ in MODIFIER_DEPS and body.head.i != body.i:
        body = body.head
    if body.dep_ != "pobj" or not (
        lex.is_("state_body", body.lemma_.lower()) or lex.is_("state_body", body.lower_)
    ):
        return False
    prep = body.head
    if prep.lower_ == "of":
        return prep.head.i in anchors
    # the person noun written just before "for"/"at", whatever the parser hung the "for" on
    person = prep.doc[prep.i - 1] if prep.i > 0 else prep
    return (
        prep.lower_ in _MEMBER_PREPS
        and person.pos_ == "NOUN"
        and person.dep_ == "pobj"
        and person.head.lower_ == "of"
        and person.head.head.i in anchors
    )


def _linear_cue(ent: EntitySpan, lex: Lexicon, anchors: set[int], stop: Token | None) -> str | None:
    """Wording of an attribution cue written just before ``ent`` ("tied to the Iranian army",
    "accounts from Iran"), whatever the parser made of the attachment."""
    doc = ent.span.doc
    i = ent.span.start - 1
    while i >= 0 and (doc[i].lower_ in _SKIPPABLE or doc[i].pos_ in ("ADJ",) and doc[i].i != ent.root.i):
        if lex.is_("target_cue", doc[i].lemma_.lower()):
            return None
        i -= 1
    if i < 0:
        return None
    prep = doc[i]
    if (
        prep.lower_ == "from"
        and i > 0
        and doc[i - 1].lemma_.lower() not in ("tip", "report", "data", "evidence")
    ):
        return None if _topic_cue(prep, lex) or _pretended(prep, anchors, stop, lex) else "from"
    if prep.lower_ not in _CUE_PREPS:
        return None
    j = i - 1
    while j >= 0 and (doc[j].pos_ in ("ADV", "AUX", "PART") or doc[j].lower_ in _SKIPPABLE):
        j -= 1
    if j < 0:
        return None
    lem = doc[j].lemma_.lower()
    if lem in lex.wording and lem not in ("from", "behind") and doc[j].pos_ in ("VERB", "ADJ", "NOUN", "ADP"):
        if _topic_cue(doc[j], lex) or _pretended(doc[j], anchors, stop, lex):
            return None
        return lex.wording[lem]
    return None


def _gapped_cue(root: Token, lex: Lexicon) -> str | None:
    """ "two operations, one based in China and another in Russia": the cue said once for the
    first conjunct ("based in") holds for the second, which keeps only its preposition."""
    prep = root.head
    if root.dep_ != "pobj" or prep.dep_ != "prep" or prep.head.i == prep.i:
        return None
    holder = prep.head
    if holder.pos_ in ("VERB", "AUX") or not any(c.dep_ in ("conj", "cc") for c in holder.children) and (
        holder.dep_ != "conj"
    ):
        return None
    for cand in (holder, *holder.conjuncts):
        for v in cand.children:
            lem = v.lemma_.lower()
            if v.dep_ in ("acl", "relcl") and lem in lex.wording and v.i != prep.head.i:
                if any(c.dep_ == "prep" and c.lower_ == prep.lower_ for c in v.children):
                    return lex.wording[lem]
    return None


def _topic_cue(cue: Token, lex: Lexicon) -> bool:
    """ "discussions related to Israel", "news linked to China": the cue ties content to a
    topic, not a network to its operator."""
    if not lex.is_("content_noun", cue.head.lemma_.lower()):
        return False
    if cue.dep_ == "prep":  # "content from Russian state media": where the content came from
        return True
    if cue.dep_ not in ("acl", "amod", "relcl"):
        return False
    # "stories, tied to Saudi Arabia": set off by a comma, the phrase is about the network
    return not any(t.is_punct for t in cue.doc[min(cue.i, cue.head.i) : max(cue.i, cue.head.i)])


def _language(ent: EntitySpan, lex: Lexicon) -> bool:
    """ "Russian-language", "Arabic-speaking", "Farsi speakers": a language named by a demonym."""
    doc = ent.span.doc
    i = ent.span.end
    if i < len(doc) and doc[i].text in ("-", "\u2013"):
        i += 1
    return i < len(doc) and lex.is_("language_word", doc[i].lemma_.lower()) or (
        i < len(doc) and lex.is_("language_word", doc[i].lower_)
    )


def _pretended(cue: Token, anchors: set[int], stop: Token | None, lex: Lexicon) -> bool:
    """ "pretended to be based in Canada", "claiming to be run from Kenya": a false claim, when
    the cue sits in the verb's own complement."""
    t = cue
    while t.head.i != t.i and t.dep_ != "conj":  # "... but were run from Iran": its own claim
        came_by = t.dep_
        t = t.head
        if t.i in anchors or (stop is not None and t.i == stop.i):
            return False
        if lex.is_("pretence_verb", t.lemma_.lower()):
            return True
        if came_by == "xcomp" and t.tag_ != "VBN" and lex.is_("self_claim_verb", t.lemma_.lower()):
            return True  # "claimed to be based in Canada"; not "accounts claimed to be run from Iran"
        if t.pos_ in ("NOUN", "PROPN", "PRON"):
            return False  # "posing as Americans that originated in China": the noun's own clause
    return False


def _compared(cue: Token, anchors: set[int], stop: Token | None, lex: Lexicon) -> bool:
    """ "similar to a network Russia ran in 2016", "like the accounts Iran used": the cue ties
    the state to a network this one is compared with."""
    t = cue
    while t.head.i != t.i:
        t = t.head
        if t.i in anchors or (stop is not None and t.i == stop.i):
            return False
        if lex.is_("comparison_word", t.lemma_.lower()):
            return True
    return False


def _nonstate_holder(root: Token, lex: Lexicon) -> bool:
    """The state only qualifies a party, a candidate or a private person ("Kenya's ruling
    party", "the ruling party of Kenya", "a Brazilian businessman"): by the conventions a party
    or a private person gives no state. Looks up the noun phrase the state sits in, up to the
    first verb."""
    for t in head_chain(root):
        if t.pos_ in ("VERB", "AUX"):
            return False
        if t.pos_ in ("NOUN", "PROPN"):
            lem = t.lemma_.lower()
            if lex.is_("nonstate_body", lem):
                return True
            if lex.is_("network_noun", lem) or lex.is_("state_body", lem):
                return False
    return False


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
    if _stance_prefixed(ent, lex):
        return None  # "anti-Ukrainian", "pro-Russian": what the network opposes or supports
    if _target_before(ent, lex):
        return None  # "... and targeted Ukrainians": the audience, not the operator
    if _language(ent, lex):
        return None  # "Russian-language accounts": a language, not an origin
    if _nonstate_holder(root, lex):
        return None  # "linked to Kenya's ruling party", "a Brazilian businessman": no state
    linear = _linear_cue(ent, lex, anchors, stop)
    if linear is not None:
        return Attribution(state, linear, actor, ctx.evidence(sent, rule + ".cue", 0.9))
    gapped = _gapped_cue(root, lex)
    if gapped is not None:
        return Attribution(state, gapped, actor, ctx.evidence(sent, rule + ".gapped", 0.8))
    if _owned_by_state_body(root, anchors, lex):
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
        if lem in lex.wording and t.i != root.i:
            if _topic_cue(t, lex) or _pretended(t, anchors, stop, lex) or _compared(t, anchors, stop, lex):
                return None
            return Attribution(state, lex.wording[lem], actor, ctx.evidence(sent, rule + ".cue", 0.9))
        if ctx.lex.is_("reporting_verb", lem) and t.pos_ == "VERB":
            return None  # "China said ...": a speaker, not an attribution
        if t.pos_ == "VERB" and prev.dep_ in ("nsubj", "nsubjpass", "agent") and lem not in lex.wording:
            # "sites which the U.S. government designated", "a firm sanctioned by the United
            # States": the state does something else to the network's operator
            return None
        prev = t
    return None


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
            if _stance_prefixed(e, lex) or any(
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
            if _stance_prefixed(e, lex) or _target_before(e, lex) or any(
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
    return {
        t.i
        for t in sent.tokens
        if (region is None or t.i in region)
        and t.pos_ in ("NOUN", "PROPN")
        and (ctx.lex.is_("network_noun", t.lemma_.lower()) or asset_lemma(t, ctx.lex) is not None)
        and not _compared(t, set(), None, ctx.lex)
    }


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
