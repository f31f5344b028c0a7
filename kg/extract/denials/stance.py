"""Stance: does what a sentence says reject an accusation?

A sentence rejects when, in order of strength, it has
- a rejection verb, not negated, whose object is not a protest ("denied the claims", "brushed
  off the report"; not "denied them entry", "rejected censorship");
- a negated admission ("did not admit", "refused to acknowledge") or a negated involvement
  ("has never used", "did not interfere", "do not belong to"), or a relation noun under "no"
  ("had no links", "no role");
- an evaluative word said of the accusation: as its predicate ("the claims were untrue"), as a
  modifier of a claim noun ("baseless allegations"), or as what a framing verb makes of it
  ("called the report a smear", "dismissed it as propaganda"); or an evaluative idiom ("does
  not stand up", "without any foundation", "no basis", "nothing to do with");
- distancing ("distanced itself from", "disowned"), an accusation cast as hostile ("an
  anti-Russian campaign"), or the claim that the accounts are genuine ("the owners of these
  accounts are verified", "these are real citizens").
A "declined to comment", "did not respond" or "did not deny" sentence rejects nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from kg.extract.agents import removal_verbs
from kg.extract.context import Sentence
from kg.extract.denials.doers import contrasted, negated, no_intent, not_before, other_doer, own_side
from kg.lexicon.denial import DenialLexicon, load_denial_lexicon
from kg.lexicon.gazetteer import load_lexicon

_QUOTE = re.compile(r"[“\"]([^”\"]{3,}?)[”\"“]")


@dataclass(frozen=True)
class Stance:
    """A rejecting stance: the token whose subject (or reporter) is the speaker, and the words."""

    anchor: Token
    words: str
    kind: str  # verb | negation | evaluative | idiom | distancing | genuine


def _clause_head(tok: Token) -> Token:
    """The nearest verb (or predicate) governing ``tok``, itself included."""
    t = tok.head if tok.dep_ in ("aux", "auxpass", "neg") else tok
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        if t.dep_ in ("acomp", "attr", "oprd") and t.head.pos_ in ("AUX", "VERB"):
            return t.head
        t = t.head
    return t


def claim_objects(verb: Token) -> list[Token]:
    out = [c for c in verb.children if c.dep_ in ("dobj", "ccomp", "attr", "pobj")]
    for c in verb.children:
        if c.dep_ in ("prep", "prt"):
            out += [g for g in c.children if g.dep_ == "pobj"]
        if c.dep_ == "dative":
            out += [g for g in verb.children if g.dep_ == "dobj"]
    if verb.dep_ == "relcl" or (verb.tag_ == "VBN" and verb.dep_ in ("acl",)):
        out.append(verb.head)
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        out += [c for c in verb.children if c.dep_ == "nsubjpass"]
    return out


def _admits_claim(verb: Token, lex: DenialLexicon) -> bool:
    """ "did not accept the findings", "refused to admit that it ran them"; not "we cannot
    accept that" (a protest at what was done)."""
    for o in claim_objects(verb):
        if o.dep_ == "ccomp" or lex.is_("claim_noun", o.lemma_) or lex.is_("relation_noun", o.lemma_):
            return True
    return False


def _protest_object(verb: Token, lex: DenialLexicon) -> bool:
    """The verb's object is a protest or an unrelated thing ("entry", "censorship", "a tax bill")."""
    # direct objects first
    objs = [o for o in claim_objects(verb) if o.head.i == verb.i] or claim_objects(verb)
    return bool(objs) and all(lex.is_("protest_noun", o.lemma_) for o in objs)


def _words_from(tok: Token) -> str:
    """From ``tok`` to the end of its subtree: "denied any links to the accounts"."""
    end = max(t.i for t in tok.subtree)
    span = tok.doc[tok.i : end + 1]
    return span.text.strip(" ,.;:“”\"")


def _clause_words(tok: Token) -> str:
    head = _clause_head(tok)
    toks = sorted(head.subtree, key=lambda t: t.i)
    return tok.doc[toks[0].i : toks[-1].i + 1].text.strip(" ,.;:“”\"")


def _quoted(text: str, cue: str) -> str | None:
    for q in _QUOTE.findall(text):
        if cue.lower() in q.lower():
            return q.strip(" ,.")
    return None


def _in_quote_or(sent: Sentence, cue: str, fallback: str) -> str:
    return _quoted(sent.text, cue) or fallback


def said_of_claim(tok: Token, lex: DenialLexicon) -> bool:
    """An evaluative word applies to what is claimed, not to something the accused did."""
    if negated(tok) or negated(tok.head) and tok.dep_ in ("acomp", "attr", "oprd"):
        return False
    if tok.head.lower_ == "as" and tok.dep_ in ("amod", "pobj", "acomp"):
        # "described the allegations as ridiculous" (the adjective hung on "as")
        return any(
            lex.is_("frame_verb", a.lemma_) or lex.is_("rejection_verb", a.lemma_)
            for a in tok.ancestors
        )
    if tok.dep_ == "amod":
        head = tok.head
        return lex.is_("claim_noun", head.lemma_) or lex.is_("evaluative", head.lemma_)
    if lex.is_("partiality", tok.lemma_):
        return _partial_claim(tok, lex)
    if tok.dep_ == "advmod":  # "falsely accused"
        return tok.head.lemma_.lower() in ("accuse", "claim", "allege", "blame", "link", "portray")
    if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("dobj", "pobj", "conj", "nsubj", "compound"):
        if tok.dep_ == "pobj":
            if tok.head.lower_ == "of" and tok.head.head.dep_ in ("oprd", "attr"):
                # "called the report an act of Russophobia", "the report was a manifestation of
                # Russophobia": the claim is named as a piece of what the word says
                return _piece_of_claim(tok.head.head, lex)
            return tok.head.lower_ == "as"  # "dismissed it as propaganda"
        if tok.dep_ == "dobj":
            return lex.is_("frame_verb", tok.head.lemma_)
        if tok.dep_ == "conj":
            return said_of_claim(tok.head, lex) if lex.is_("evaluative", tok.head.lemma_) else False
        return False
    if tok.dep_ in ("acomp", "attr") and _of_accounts(tok, lex):
        return False  # "the pages were obviously fake": said of the accounts, not of the claim
    return True  # predicate, complement or sentence of its own: "it is untrue", "Nonsense."


def _accounts_framed(verb: Token, lex: DenialLexicon) -> bool:
    """A passive framing verb whose subject is the accounts and which says "as" what, in what
    someone says (not "the accounts were not labelled as spam by the filter")."""
    accounts = any(c.dep_ == "nsubjpass" and lex.is_("account_noun", c.lemma_) for c in verb.children)
    framed = any(c.dep_ == "prep" and c.lower_ == "as" for c in verb.children)
    return accounts and framed and verb.dep_ == "ccomp"


def _of_accounts(tok: Token, lex: DenialLexicon) -> bool:
    """The predicate's subject is the accounts or pages themselves."""
    verb = tok.head
    return any(c.dep_ == "nsubj" and lex.is_("account_noun", c.lemma_) for c in verb.children)


def _partial_claim(tok: Token, lex: DenialLexicon) -> bool:
    """ "the report was full of ideological bias", "it is politicised": partiality rejects an
    accusation only when it is said of the claim; "Meta was biased against Cuba" protests."""
    verb = _clause_head(tok)
    if verb.pos_ not in ("VERB", "AUX") or negated(verb):
        return False
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(lex.is_("claim_noun", c.lemma_) or lex.is_("anaphor", c.lower_) for c in subj)


def _piece_of_claim(noun: Token, lex: DenialLexicon) -> bool:
    """ "an act of ..." as what a frame verb calls the claim, or as the predicate of a claim
    ("the report was ..."); not "they had become superspreaders of disinformation"."""
    verb = noun.head
    if noun.pos_ != "NOUN" or negated(verb):
        return False
    if noun.dep_ == "oprd" and not lex.is_("frame_verb", verb.lemma_):
        return False
    # what is called so: the frame verb's object, or the subject the noun is said of
    deps = ("dobj",) if noun.dep_ == "oprd" else ("nsubj", "nsubjpass")
    called = [c for c in verb.children if c.dep_ in deps]
    return any(lex.is_("claim_noun", c.lemma_) or lex.is_("anaphor", c.lower_) for c in called)


def _genuine(tok: Token, lex: DenialLexicon) -> bool:
    """ "the owners of these accounts are verified", "these are real citizens"."""
    if negated(tok) or (tok.dep_ == "acomp" and negated(tok.head)):
        return False
    if tok.dep_ == "acomp" or (tok.pos_ == "VERB" and tok.tag_ == "VBN"):
        verb = tok.head if tok.dep_ == "acomp" else tok
        subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        return any(lex.is_("account_noun", s.lemma_) for s in subj)
    if tok.dep_ == "amod" and tok.head.dep_ == "attr":
        # "these are real citizens"; "the accounts were real Cubans": a nation's people said of them
        attr = tok.head
        return lex.is_("account_noun", attr.lemma_) or (_people(attr, lex) and _said_of_accounts(attr, lex))
    if tok.dep_ == "amod" and removed(tok.head):
        # "the platform had shut real Iranian users": the removed were genuine
        return lex.is_("account_noun", tok.head.lemma_) or tok.head.tag_ == "NNPS"
    if tok.dep_ == "amod" and tok.head.dep_ == "pobj":
        owner, prep = tok.head, tok.head.head
        # "ordinary Filipinos", "genuine Pakistanis" (whatever the model's label): a nation's people
        people = _people(owner, lex)
        if prep.lower_ in ("to", "by"):  # "belonged to real supporters", "run by real Filipinos"
            return people
        if prep.lower_ == "of":  # "shut the accounts of real Iranians": the removed were real
            accounts = prep.head
            if accounts.lower_ in ("those", "that") and accounts.dep_ == "attr":
                # "the accounts were those of ordinary Cubans"
                return people and _said_of_accounts(accounts, lex)
            return people and lex.is_("account_noun", accounts.lemma_) and removed(accounts)
    return False


def _people(tok: Token, lex: DenialLexicon) -> bool:
    """Users, citizens, or a nation's people ("Filipinos", whatever the model's label)."""
    return lex.is_("account_noun", tok.lemma_) or tok.ent_type_ == "NORP" or tok.tag_ == "NNPS"


def _said_of_accounts(attr: Token, lex: DenialLexicon) -> bool:
    """``attr`` is what a copula says the accounts are ("the accounts were real Cubans")."""
    subj = [c for c in attr.head.children if c.dep_ == "nsubj"]
    return attr.head.lemma_ == "be" and any(lex.is_("account_noun", s.lemma_) for s in subj)


def removed(tok: Token) -> bool:
    """``tok`` is what a removal verb acts on ("shut the accounts", "the pages were deleted")."""
    return tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in removal_verbs(load_lexicon())


@lru_cache(maxsize=1)
def _hostile_re() -> re.Pattern[str]:
    nouns = "|".join(sorted(load_denial_lexicon().lemmas.get("hostile_frame", ())))
    return re.compile(rf"\banti[-\s]?[A-Za-z]+(?:\s+[a-z]+){{0,2}}?\s+(?:{nouns})\w*\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _stance_lemmas() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """The lemmas each pass of ``_token_stance`` can start from (rejection; negation;
    evaluative, also as a lower-case form): a pass over a sentence without one finds nothing."""
    lex = load_denial_lexicon()

    def of(*classes: str) -> frozenset[str]:
        return frozenset(w for c in classes for w in lex.lemmas.get(c, ()))

    rejection = of("rejection_verb", "rejection_noun") | {lemma for lemma, _ in lex.phrasal}
    negation = of("admission_verb", "involvement_verb", "relation_noun", "culprit_noun")
    return rejection, negation, of("evaluative")


def _token_stance(sent: Sentence, lex: DenialLexicon, start: int = 0) -> Stance | None:
    passes = (True, True, True)
    if lex is load_denial_lexicon():
        rejection, negation, evaluative = _stance_lemmas()
        # not the gate's: "open" and the framing verbs ("see", "call") are in most news
        opening = lex.lemmas.get("opening_verb", frozenset()) | lex.lemmas.get("frame_verb", frozenset())
        passes = (
            not rejection.isdisjoint(sent.lemmas),
            not (negation | opening).isdisjoint(sent.lemmas),
            not evaluative.isdisjoint(sent.lemmas | sent.lowers),
        )
        if not any(passes):
            return None
    span = [t for t in sent.tokens if t.i >= start]
    for t in span if passes[0] else ():  # rejection verbs
        lemma = t.lemma_.lower()
        if t.pos_ == "VERB" and lex.is_("rejection_verb", lemma):
            if negated(t) or _protest_object(t, lex):
                continue
            return Stance(t, _in_quote_or(sent, t.text, _words_from(t)), "verb")
        if t.pos_ == "VERB" and any(
            c.dep_ in ("prt", "advmod") and c.i == t.i + 1 and (lemma, c.lower_) in lex.phrasal
            for c in t.children
        ):
            return Stance(t, _words_from(t), "verb")
        if t.pos_ == "NOUN" and lex.is_("rejection_noun", lemma):
            return Stance(_clause_head(t), _in_quote_or(sent, t.text, _clause_words(t)), "verb")
    for t in span if passes[1] else ():  # negated admission or involvement; "no links"
        lemma = t.lemma_.lower()
        admits = lex.is_("admission_verb", lemma) or lex.is_("involvement_verb", lemma)
        if t.pos_ in ("VERB", "ADJ") and admits and negated(t):
            if lex.is_("involvement_verb", lemma) and _inability(t, sent, lex):
                continue
            if (lex.is_("admission_verb", lemma) and _admits_claim(t, lex)) or (
                lex.is_("involvement_verb", lemma) and not _protest_object(t, lex) and own_side(t, sent)
            ):
                return Stance(t, _in_quote_or(sent, t.text, _clause_words(t)), "negation")
        if t.pos_ == "VERB" and lex.is_("involvement_verb", lemma) and not negated(t):
            if contrasted(t, lex) or no_intent(t, sent) or other_doer(t, sent, lex):
                return Stance(t, _in_quote_or(sent, t.text, _clause_words(t)), "negation")
        if t.pos_ == "VERB" and lex.is_("opening_verb", lemma) and other_doer(t, sent, lex):
            return Stance(t, _in_quote_or(sent, t.text, _clause_words(t)), "negation")
        if t.pos_ == "VERB" and lex.is_("frame_verb", lemma) and negated(t) and _accounts_framed(t, lex):
            # "their accounts should not be labeled as state-backed": the label rejected
            return Stance(t, _in_quote_or(sent, t.text, _clause_words(t)), "negation")
        if t.pos_ == "NOUN" and lex.is_("culprit_noun", lemma) and not_before(t):
            verb = _clause_head(t)
            if verb.pos_ in ("VERB", "AUX") and own_side(verb, sent):
                # "China is a victim of disinformation, not a perpetrator"
                return Stance(t, _in_quote_or(sent, t.text, _clause_words(t)), "negation")
        if t.pos_ == "NOUN" and lex.is_("relation_noun", lemma):
            dets = {c.lower_ for c in t.children if c.dep_ == "det"}
            if "no" in dets or ("any" in dets and negated(t.head)):
                return Stance(_clause_head(t), _in_quote_or(sent, t.text, _clause_words(t)), "negation")
    for t in span if passes[2] else ():  # evaluative words said of the claim
        if lex.is_("evaluative", t.lemma_) or lex.is_("evaluative", t.lower_):
            if said_of_claim(t, lex):
                return Stance(_clause_head(t), _in_quote_or(sent, t.text, _clause_words(t)), "evaluative")
    return None


def _inability(tok: Token, sent: Sentence, lex: DenialLexicon) -> bool:
    """ "people could not use Twitter", "why can we not ...?": a negated ability or a question
    protests; it does not deny having done something."""
    if sent.text.rstrip(" \"'”’").endswith("?"):
        return True
    return any(c.dep_ == "aux" and lex.is_("ability_modal", c.lower_) for c in tok.children)


def _phrase_stance(sent: Sentence, lex: DenialLexicon) -> Stance | None:
    text = plain(sent.text)
    for cls, kind in (("distancing_phrase", "distancing"), ("evaluative_phrase", "idiom")):
        phrase = lex.find(cls, text)
        if phrase and _done_not_said(sent, phrase, lex):
            continue  # "accounts that spread fake news": what was done, not how a claim is called
        if phrase:
            anchor = _anchor_at(sent, phrase)
            return Stance(anchor, _in_quote_or(sent, phrase, _clause_words(anchor)), kind)
    m = _hostile_re().search(text)
    if m:
        anchor = _anchor_at(sent, m.group(0))
        return Stance(anchor, _in_quote_or(sent, m.group(0), _clause_words(anchor)), "idiom")
    if lex.lemmas.get("genuine_word", frozenset()).isdisjoint(sent.lemmas):
        return None
    for t in sent.tokens:
        if lex.is_("genuine_word", t.lemma_) and _genuine(t, lex):
            return Stance(_clause_head(t), _in_quote_or(sent, t.text, _clause_words(t)), "genuine")
    return None


def _done_not_said(sent: Sentence, phrase: str, lex: DenialLexicon) -> bool:
    """The phrase's noun is the object of a verb that neither frames nor rejects ("spread fake
    news", "waged an information war"): something done, not a judgement of the accusation."""
    words = phrase.lower().split()
    if words[0] in ("no", "not", "without"):
        return False  # "the claims had no basis in reality": a judgement, whatever its verb
    toks = list(sent.tokens)
    for k in range(len(toks)):
        span = toks[k : k + len(words)]
        if [x.lower_ for x in span] != words:
            continue
        ids = {x.i for x in span}
        heads = [x for x in span if x.head.i not in ids]
        if len(heads) != 1 or heads[0].pos_ != "NOUN" or heads[0].dep_ != "dobj":
            return False
        verb = heads[0].head
        return not (lex.is_("frame_verb", verb.lemma_) or lex.is_("rejection_verb", verb.lemma_))
    return False


def _anchor_at(sent: Sentence, phrase: str) -> Token:
    """The clause head of the first word of ``phrase`` in the sentence (else the root)."""
    first = phrase.split()[0].strip("-").lower()
    for t in sent.tokens:
        if t.lower_ == first or t.lower_.startswith(first):
            return _clause_head(t)
    return sent.span.root


def plain(text: str) -> str:
    """Contractions spelt out, so one idiom row covers "don't" and "do not"."""
    text = text.replace("’", "'")
    for short, full in (("won't", "will not"), ("can't", "cannot"), ("n't", " not")):
        text = text.replace(short, full).replace(short.capitalize(), full.capitalize())
    return text


def find_stance(sent: Sentence, lex: DenialLexicon | None = None) -> Stance | None:
    """The rejecting stance of ``sent``, or None when it rejects nothing (or only declines)."""
    lex = lex or load_denial_lexicon()
    if lex.find("nondenial_phrase", plain(sent.text)):
        # "did not respond to a request for comment, but has previously denied the claims"
        turn = _turn_after_silence(sent, lex)
        return _token_stance(sent, lex, turn.i + 1) if turn is not None else _told_of_subject(sent, lex)
    return _token_stance(sent, lex) or _phrase_stance(sent, lex)


def _told_of_subject(sent: Sentence, lex: DenialLexicon) -> Stance | None:
    """ "The Kremlin, which has long denied running troll farms, did not comment": a rejection
    the sentence tells of its subject, in a relative clause, beside the silence."""
    for t in sent.tokens:
        if t.pos_ == "VERB" and t.dep_ == "relcl" and lex.is_("rejection_verb", t.lemma_.lower()):
            if t.head.dep_ in ("nsubj", "nsubjpass") and not negated(t) and not _protest_object(t, lex):
                return Stance(t, _words_from(t), "verb")
    return None


def _turn_after_silence(sent: Sentence, lex: DenialLexicon) -> Token | None:
    """The "but" (or "however", ";") after the last no-comment phrase, if the sentence turns."""
    low = plain(sent.text).lower()
    ends = [low.rfind(p) + len(p) for p in lex.phrase_list("nondenial_phrase") if p in low]
    end = sent.span.start_char + max(ends)
    for t in sent.tokens:
        if t.idx >= end and t.lower_ in ("but", "however", ";", "although", "though"):
            return t
        if t.idx >= end and t.lower_ == "and" and t.dep_ == "cc" and _opens_clause(t):
            return t  # "did not respond, and Riyadh has denied using bots": a clause of its own
    return None


def _opens_clause(cc: Token) -> bool:
    """The conjunction joins a verb with a subject of its own ("..., and Riyadh has denied")."""
    return any(
        c.dep_ == "conj" and c.i > cc.i and c.pos_ in ("VERB", "AUX")
        and any(g.dep_ == "nsubj" for g in c.children)
        for c in cc.head.children
    )
