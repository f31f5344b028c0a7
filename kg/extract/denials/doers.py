"""Doers: who the accused side says did (or did not do) what it is accused of.

A negated involvement speaks for the accused when its subject is "we", a state or a state body
("Russia has never interfered", "the army has not used"); a doer set against a state office
under "not" ("run by patriotic citizens, not the government"); no intent ("had no plan to
interfere"); "not a perpetrator"; and the doing given to someone else ("the accounts were opened
by unknown people"). Used by :mod:`kg.extract.denials.stance`; imports only the sentence record
and the denial lexicon.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import Sentence
from kg.lexicon.denial import DenialLexicon, load_denial_lexicon

_FIRST_PERSON = frozenset({"we", "i", "us", "our", "me", "my"})  # the speaker's own side

def negated(tok: Token) -> bool:
    """``tok`` or its auxiliary chain carries a negation ("did not deny", "never used")."""
    if any(c.dep_ == "neg" or c.lower_ in ("never",) for c in tok.children):
        return True
    nobody = ("none", "nobody", "neither")
    if any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in nobody for c in tok.children):
        return True  # "none of the accounts belonged to government employees"
    # "refused to accept", "failed to admit"
    head = tok.head
    return tok.dep_ == "xcomp" and load_denial_lexicon().is_("refusal_verb", head.lemma_)


def own_side(verb: Token, sent: Sentence) -> bool:
    """A negated involvement speaks for the accused: its subject is "we", a state or a state
    body ("Russia has never interfered", "the army has not used"), or what it denies belongs
    to one ("the pages do not belong to the AFP"); "that group will not operate" is a threat."""
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subj and verb.dep_ in ("xcomp", "conj"):
        subj = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    side = set(subj)
    lex = load_denial_lexicon()
    if lex.is_("belonging_verb", verb.lemma_):
        preps = [c for c in verb.children if c.dep_ in ("prep", "agent")]
        side |= {g for c in preps for g in c.children if g.dep_ == "pobj"}
    # "the accounts were not run by the government": the passive's doer is who denies doing it
    side |= {g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"}
    for t in side:
        if any(x.lower_ in _FIRST_PERSON for x in t.subtree):
            return True
        if side_word(t, sent, lex):
            return True
        if lex.is_("state_noun", t.lemma_) and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children):
            return True  # "the mission said the country does not engage in ..."
        if t.lower_ == "it" and t.dep_ == "nsubj" and verb.dep_ == "ccomp":
            # "the ministry said it had never used ...": "it" is the office reporting
            said = [c for c in verb.head.children if c.dep_ == "nsubj"]
            if any(side_word(c, sent, lex) for c in said):
                return True
    return False


def side_word(t: Token, sent: Sentence, lex: DenialLexicon) -> bool:
    """``t``'s phrase names a state or body (not a platform), or is an office or a title."""
    ids = {x.i for x in t.subtree}
    if any(e.root.i in ids and e.label != "PLATFORM" for e in sent.entities):
        return True
    if any(c.dep_ in ("compound", "poss") and lex.is_("office", c.lemma_) for c in t.children):
        return True  # "government employees", "the army's staff"
    return lex.is_("office", t.lemma_) or lex.is_("person_title", t.lemma_)


def contrasted(verb: Token, lex: DenialLexicon) -> bool:
    """ "the accounts were run by patriotic citizens, not the government": the doer an
    involvement names is set against a state office, negated beside it (an apposition or a
    conjunct under "not"), which is a denial that the office did it."""
    preps = [c for c in verb.children if c.dep_ in ("agent", "prep") and c.lower_ == "by"]
    if len(preps) > 1:  # "managed by volunteers, not by the government": a second agent under "not"
        for p in preps[1:]:
            offices = [g for g in p.children if g.dep_ == "pobj"]
            if any(c.dep_ == "neg" for c in p.children) and any(
                lex.is_("office", g.lemma_) or lex.is_("state_noun", g.lemma_) for g in offices
            ):
                return True
    doers = [g for c in verb.children if c.dep_ in ("agent", "prep") for g in c.children if g.dep_ == "pobj"]
    doers += [c for c in verb.children if c.dep_ == "nsubj"]
    for doer in doers:
        nots = [c.i for c in doer.children if c.dep_ == "neg"]
        for x in doer.children:
            if x.dep_ not in ("appos", "conj"):
                continue
            # the parser hangs "not" on the office or on the doer just before it
            if not any(c.dep_ == "neg" for c in x.children) and not any(doer.i < n < x.i for n in nots):
                continue
            if lex.is_("office", x.lemma_) or lex.is_("state_noun", x.lemma_):
                return True
    return False


def no_intent(verb: Token, sent: Sentence) -> bool:
    """ "We have no policy to use information operations", "had no plan to interfere", "have
    never had a policy of using ...": an involvement that completes a noun under "no" (or the
    negated verb's object), said by the accused side."""
    if verb.dep_ == "acl":
        noun = verb.head
    elif verb.dep_ == "pcomp" and verb.head.lower_ == "of":  # "never had a policy of using ..."
        noun = verb.head.head
    else:
        return False
    owner = noun.head
    refused = any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children) or (
        noun.dep_ == "dobj" and negated(owner)
    )
    return refused and owner.pos_ in ("VERB", "AUX") and own_side(owner, sent)


def not_before(tok: Token) -> bool:
    """ "not a perpetrator", "not the source": "not" hung on the noun or written just before it."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    doc = tok.doc
    i = tok.i - 1
    while i >= 0 and doc[i].dep_ == "det":
        i -= 1
    return i >= 0 and doc[i].lower_ == "not"


def other_doer(verb: Token, sent: Sentence, lex: DenialLexicon) -> bool:
    """ "the spokesman said the accounts were opened by unknown people": a state speaker gives
    the doing to someone who is not its side. A passive involvement of the accounts, with its
    doer named and not the speaker's own (not "we", a state, a body or an office), in what a
    reporting verb says."""
    if verb.tag_ != "VBN" or negated(verb) or verb.dep_ != "ccomp":
        return False
    if not any(c.dep_ == "nsubjpass" and lex.is_("account_noun", c.lemma_) for c in verb.children):
        return False
    doers = [g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    if not doers:
        return False
    for doer in doers:
        if any(x.lower_ in _FIRST_PERSON for x in doer.subtree) or side_word(doer, sent, lex):
            return False
        if lex.is_("state_noun", doer.lemma_):
            return False
    return True
