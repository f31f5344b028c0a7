"""Cues: the wording around a state that ties it to a network, or gives it another role.

An attribution cue written before the state ("tied to", "originated in", "from"), said once for
two conjuncts ("one based in China and another in Russia"), or read as its preposition has it
("based on a tip" gives grounds, "operated in" where the network was active); and the roles that
are no origin: a stance prefix ("pro-", "anti-"), a target ("aimed at"), a language
("Russian-language"), a topic ("news linked to China"), a pretence ("posed as"), a comparison
("similar to a network Russia ran"), a party or private person. Used by
:mod:`kg.extract.attribution`.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import EntitySpan, head_chain, list_first
from kg.lexicon.gazetteer import Lexicon

MODIFIER_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod"})

_CUE_PREPS = frozenset({"to", "with", "by", "in", "within", "inside", "from", "of"})
_SKIPPABLE = frozenset({"the", "a", "an", "“", "”", '"', "'"})


def stance_prefixed(ent: EntitySpan, lex: Lexicon) -> bool:
    doc = ent.span.doc
    i = ent.span.start
    if i >= 2 and doc[i - 1].text in ("-", "\u2013") and lex.is_("stance_prefix", doc[i - 2].lower_):
        return True
    return i >= 1 and lex.is_("stance_prefix", doc[i - 1].lower_.rstrip("-"))


_TARGET_PREPS = frozenset({"at", "on", "toward", "towards", "against", "in", "to"})


def target_before(ent: EntitySpan, lex: Lexicon) -> bool:
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


def owned_by_state_body(root: Token, anchors: set[int], lex: Lexicon) -> bool:
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


def linear_cue(ent: EntitySpan, lex: Lexicon, anchors: set[int], stop: Token | None) -> str | None:
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
        and not lex.is_("source_noun", doc[i - 1].lemma_.lower())
    ):
        return None if _tells_of_other(prep, anchors, stop, lex) else "from"
    if prep.lower_ not in _CUE_PREPS:
        return None
    j = i - 1
    while j >= 0 and (doc[j].pos_ in ("ADV", "AUX", "PART") or doc[j].lower_ in _SKIPPABLE):
        j -= 1
    if j < 0:
        return None
    lem = doc[j].lemma_.lower()
    if lem in lex.wording and lem not in ("from", "behind") and doc[j].pos_ in ("VERB", "ADJ", "NOUN", "ADP"):
        return None if _tells_of_other(doc[j], anchors, stop, lex) else cue_sense(lem, prep, lex)
    return None


def _tells_of_other(cue: Token, anchors: set[int], stop: Token | None, lex: Lexicon) -> bool:
    """A cue read off the words before a state that ties content to a topic, sits in a false
    claim, or ties a network this one is compared with."""
    if topic_cue(cue, lex) or pretended(cue, anchors, stop, lex):
        return True
    return compared(cue, anchors, stop, lex, True)


ACTIVE_IN = "active in"


def cue_sense(lem: str, prep: Token, lex: Lexicon) -> str | None:
    """The cue's wording as its preposition reads it: "based on a tip" gives grounds, no place
    (``grounds_cue`` before a ``grounds_prep``); "operated in Ukraine" says where the network was
    active (``activity_cue`` before an ``activity_prep``), which an origin the text also gives
    outranks (:func:`sentence_attributions`)."""
    if lex.is_("grounds_cue", lem) and lex.is_("grounds_prep", prep.lower_):
        return None
    if lex.is_("activity_cue", lem) and lex.is_("activity_prep", prep.lower_):
        return ACTIVE_IN
    return lex.wording[lem]


def gapped_cue(root: Token, lex: Lexicon) -> str | None:
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


def topic_cue(cue: Token, lex: Lexicon) -> bool:
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


def language(ent: EntitySpan, lex: Lexicon) -> bool:
    """ "Russian-language", "Arabic-speaking", "Farsi speakers": a language named by a demonym;
    so is a demonym standing alone after "in" ("comments in English and Chinese", "posted in
    Russian": a place would be "in Russia")."""
    doc = ent.span.doc
    if ent.label == "DEMONYM" and _bare_after_in(ent.root):
        return True
    i = ent.span.end
    if i < len(doc) and doc[i].text in ("-", "\u2013"):
        i += 1
    return i < len(doc) and lex.is_("language_word", doc[i].lemma_.lower()) or (
        i < len(doc) and lex.is_("language_word", doc[i].lower_)
    )


def _bare_after_in(tok: Token) -> bool:
    """The word is the object of "in" (or a conjunct of it) and modifies no noun."""
    tok = list_first(tok)
    return tok.dep_ == "pobj" and tok.head.lower_ == "in" and tok.tag_ in ("NNP", "JJ", "NN")


def pretended(cue: Token, anchors: set[int], stop: Token | None, lex: Lexicon) -> bool:
    """ "pretended to be based in Canada", "claiming to be run from Kenya": a false claim, when
    the cue sits in the verb's own complement."""
    t = cue
    hopped = False
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
            if came_by == "prep" and t.dep_ == "pobj" and t.head.lower_ == "as" and not hopped:
                hopped = True  # "posed as journalists from Israel": the identity put on
                continue
            return False  # "posing as Americans that originated in China": the noun's own clause
    return False


def compared(cue: Token, anchors: set[int], stop: Token | None, lex: Lexicon, own: bool = False) -> bool:
    """ "similar to a network Russia ran in 2016", "like the accounts Iran used": the cue ties
    the state to a network this one is compared with. ``own``: a cue read off the words before
    the state ("similar to one Meta removed in 2020 from Russia") is compared only below the
    first network noun above it ("remarks that echoed ... an operation it tied to Russia" ties
    that operation)."""
    t = cue
    while t.head.i != t.i:
        t = t.head
        if t.i in anchors or (stop is not None and t.i == stop.i):
            return False
        if own and t.pos_ == "NOUN" and lex.is_("network_noun", t.lemma_.lower()):
            return False
        if lex.is_("comparison_word", t.lemma_.lower()):
            return True
    return False


def likened(verb: Token, lex: Lexicon) -> bool:
    """ "occurred with similar characteristics in countries such as Serbia", "worked in a similar
    way": the clause likens what it tells to this network, so it tells of others."""
    objs = [g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    mods = [m for o in objs for m in o.children if m.dep_ == "amod"]
    return any(lex.is_("comparison_word", m.lemma_.lower()) for m in mods)


def nonstate_holder(root: Token, lex: Lexicon) -> bool:
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
