"""Topic: is a rejection about our accusation, and are words about an influence operation?

A rejection counts when the sentence names a claim that is about the accounts, the operation or
the accused ("the allegations", "reports that Moscow was behind the campaign"; not "reports that
Putin was ill" or "the UN report on Xinjiang"), a word that names the accusation by rejecting
it ("the smear"), or "it"/"such activities" rejected; or when it runs on from a sentence that
did (a quote that goes on, "They are genuine citizens"). :func:`about_operation` tells words
about fake accounts, influence operations or interference from a military operation, spying or
an election named alone.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Sentence
from kg.extract.denials.stance import Stance, claim_objects, removed, said_of_claim
from kg.lexicon.denial import DenialLexicon, load_denial_lexicon


def mentions_claim(sent: Sentence, stance: Stance, lex: DenialLexicon | None = None) -> bool:
    """The sentence is about an accusation: a topic word, people or accounts a removal verb
    acts on ("genuine users had been shut out"), a claim noun that is not about something else
    ("the allegations", "claims by Twitter"; not "reports of side effects"), a word that names an
    accusation by rejecting it ("the smear"), or "it"/"this" rejected."""
    lex = lex or load_denial_lexicon()
    for t in sent.tokens:
        lemma = t.lemma_.lower()
        if _on_topic(lemma, lex):
            return True
        if lex.is_("account_noun", lemma) and removed(t) and not _removed_by_other(t, sent):
            return True  # "real users had been shut out": the removal itself is the topic
        if lex.is_("claim_noun", lemma) and not _about_else(t, sent, lex):
            return True
        if t.pos_ == "NOUN" and lex.is_("evaluative", lemma) and said_of_claim(t, lex):
            if not _framed_else(t, sent, lex):
                return True
    return stance.anchor.pos_ in ("VERB", "AUX") and _rejects_anaphor(stance.anchor, lex)


def _removed_by_other(tok: Token, sent: Sentence) -> bool:
    """ "users had been blocked by a new law": the removal's agent is no platform."""
    platforms = {x.i for e in sent.entities if e.label == "PLATFORM" for x in e.span}
    agents = [o for a in tok.head.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"]
    return any(not ({x.i for x in o.subtree} & platforms) for o in agents)


def _anaphoric(tok: Token, lex: DenialLexicon) -> bool:
    """ "it", or a noun its determiner points back with ("such activities", "these claims")."""
    return lex.is_("anaphor", tok.lower_) or (
        tok.pos_ == "NOUN" and any(c.dep_ in ("det", "amod", "predet") and lex.is_("anaphor", c.lower_)
                                   for c in tok.children)
    )


def _rejects_anaphor(head: Token, lex: DenialLexicon) -> bool:
    """The rejection is of "it"/"this": its object, or the object inside its own phrase
    ("had nothing to do with it", "does not engage in such activities"), not one of a clause of
    its own."""
    if any(lex.is_("anaphor", o.lower_) for o in claim_objects(head)):
        return True
    for t in head.subtree:
        if t.dep_ not in ("pobj", "dobj") or t.i < head.i or not _anaphoric(t, lex):
            continue
        path = [a for a in t.ancestors if a.i != head.i and head.i in {x.i for x in a.ancestors}]
        if all(a.dep_ in ("prep", "dobj", "relcl", "xcomp", "pobj") for a in path):
            return True
    return False


def _about_else(noun: Token, sent: Sentence, lex: DenialLexicon) -> bool:
    """A claim noun whose complement ("of ...", "about ...", "that ...") names no operation,
    no accuser and no state: a report on something else."""
    comps = [
        c for c in noun.children if (c.dep_ == "prep" and lex.is_("about_prep", c.lower_)) or c.dep_ == "acl"
    ]
    if not comps:
        return False
    ids = {x.i for c in comps for x in c.subtree}
    # a person or a place in the complement is what the report is about ("reports that Putin
    # was ill", "the UN report on Xinjiang"); a state, a platform or a body may be the accused
    if any(x.i in ids for e in sent.entities if e.label not in ("PERSON", "PLACE") for x in e.span):
        return False
    return not any(_on_topic(sent.span.doc[i].lemma_.lower(), lex) for i in ids)


def _framed_else(word: Token, sent: Sentence, lex: DenialLexicon) -> bool:
    """ "rejected the UN report on Xinjiang as lies": the word frames a claim that is about
    something else, so it names no accusation of ours."""
    verb = word.head.head if word.dep_ == "pobj" and word.head.lower_ == "as" else word.head
    objs = [c for c in verb.children if c.dep_ == "dobj" and lex.is_("claim_noun", c.lemma_)]
    return bool(objs) and all(_about_else(o, sent, lex) for o in objs)


def _on_topic(lemma: str, lex: DenialLexicon) -> bool:
    """A topic word of the accusations, not one that names another charge ("spying")."""
    return lex.is_("topic", lemma) and not lex.is_("other_charge_topic", lemma)


def runs_on(sent: Sentence, stance: Stance) -> bool:
    """A rejection that continues the topic of the sentence before: a quote that runs on, or
    one about "it"/"they" ("It is untrue", "They are genuine citizens")."""
    if sent.text.lstrip().startswith(("“", '"', "‘")):
        return True
    lex = load_denial_lexicon()
    head = stance.anchor
    subj = [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
    for v in head.ancestors:
        subj += [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass") and lex.is_("anaphor", c.lower_)]
    named = any(lex.is_("anaphor", c.lower_) or c.lower_ == "they" for c in subj)
    return named or _rejects_anaphor(head, lex)


def names_topic(sent: Sentence, lex: DenialLexicon | None = None) -> bool:
    """The sentence itself names what was alleged: accounts, influence, meddling, a campaign."""
    lex = lex or load_denial_lexicon()
    return any(lex.is_("topic", t.lemma_) for t in sent.tokens)


def about_operation(tokens: list[Token], lex: DenialLexicon | None = None) -> bool:
    """The words are about fake accounts, an influence operation or interference: a core topic
    word ("meddling", "disinformation", "trolls", "accounts"), or a loose one ("campaign",
    "operation") under a modifier that makes it one ("a covert campaign", "an influence
    operation"). A military operation, involvement in a killing, espionage or an election alone
    are about something else; so are "a spy network" (an account noun under a loose modifier)
    and accounts that only make the claim ("accounts on social media claimed a coup")."""
    lex = lex or load_denial_lexicon()
    for t in tokens:
        lemma = t.lemma_.lower()
        if not lex.is_("topic", lemma) or _bare_idiom(t, lex):
            continue
        if t.pos_ in ("VERB", "AUX") and lex.is_("topic_head", lemma):
            continue  # "held to account", "accounted for": the verb, not the accounts
        mods = [c for c in t.children if c.dep_ in ("amod", "compound", "npadvmod")]
        mods += [g for c in mods for g in c.children if g.dep_ in ("amod", "compound", "npadvmod")]
        made = any(lex.is_("topic_modifier", m.lemma_.lower()) for m in mods)
        if t.dep_ in ("dobj", "nsubjpass") and lex.is_("intrusion_verb", t.head.lemma_.lower()):
            continue  # "breached the email accounts of officials": accounts hacked, not fake ones
        entered = t.dep_ == "pobj" and t.head.lower_ == "into"
        if entered and lex.is_("intrusion_verb", t.head.head.lemma_.lower()):
            continue  # "breaking into telecom networks": networks entered, not a network run
        if not lex.is_("loose_topic", lemma):
            spoke = t.dep_ == "nsubj" and lex.is_("accusation_verb", t.head.lemma_.lower())
            unmade = any(lex.is_("loose_topic", m.lemma_.lower()) for m in mods)
            if made or not (spoke or unmade):
                return True
        elif made and lex.is_("topic_head", lemma):
            return True
    return False


def _bare_idiom(tok: Token, lex: DenialLexicon) -> bool:
    """A bare noun after a preposition, as in "hold them to account", "take into account"."""
    return (
        tok.dep_ == "pobj"
        and lex.is_("account_idiom_prep", tok.head.lower_)
        and not any(True for _ in tok.children)
        and tok.tag_ == "NN"
    )
