"""Motives: whether a removal is a purge of spam, scams or fake engagement, not an influence
takedown ("accounts linked to sextortion scams", "a cryptocurrency scam run from Nigeria"), read
from the removal sentence's words (``commercial_cue``, ``influence_cue``, ``profit_motive`` in
``kg/data/lexicon.jsonl``). Takes a sentence of :mod:`kg.extract.context`; gives flags the
mentions keep (:mod:`kg.extract.mentions`); imports nothing of the pipeline's later stages.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.context import ArticleContext, Sentence, has_words
from kg.lexicon.gazetteer import load_lexicon

__all__ = ["motives", "other_policy", "said_of_motive", "scam_tied", "tied_to_motive"]


def scam_tied(ctx: ArticleContext, sent: Sentence) -> bool:
    """What the sentence ties the accounts to is a scam ("linked to a scam compound in X"), or the
    wording describes the scam itself ("a scam run from Nigeria")."""
    cues = ctx.lex.phrases.get("commercial_cue", ())
    return any(tied_to_motive(t, cues) or said_of_motive(t, cues) for t in _cue_words(ctx, sent))


def _cue_words(ctx: ArticleContext, sent: Sentence) -> list[Token]:
    """The sentence's attribution wording ("linked", "run"), less "from"."""
    return [t for t in sent.tokens if t.lemma_.lower() in ctx.lex.wording and t.lower_ != "from"]


def _names_motive(words: str, cues: tuple[str, ...]) -> bool:
    """``words`` name a kind of abuse ("scam", "scams", "spam")."""
    return has_words(words, tuple(cues))


def motives(ctx: ArticleContext, sent: Sentence) -> tuple[bool, bool]:
    """(commercial, profit): the sentence speaks of spam, scams or fake engagement and not of
    influence; the sentence says the operation was after money."""
    text = sent.text
    phrases = ctx.lex.phrases
    # a network "tied to" or "run by" someone is somebody's operation, not a purge of spam
    cues = phrases.get("commercial_cue", ())
    cue_words = _cue_words(ctx, sent)
    # words inside the scam a tie names ("a scam compound that ran schemes") tie nothing more
    inside = {x.i for t in cue_words if tied_to_motive(t, cues) for x in t.subtree if x.i != t.i}
    inside |= {t.i for t in cue_words if said_of_motive(t, cues)}
    tied = any(not tied_to_motive(t, cues) and t.i not in inside for t in cue_words)
    commercial = (
        not tied
        and has_words(text, phrases.get("commercial_cue", ()))
        and not has_words(text, phrases.get("influence_cue", ()))  # not "controlled"
    )
    return commercial, has_words(text, phrases.get("profit_motive", ()))


def other_policy(ctx: ArticleContext, sent: Sentence) -> bool:
    """The removal is grounded on another policy ("under its dangerous organisations policy",
    "for hate speech") and the sentence says nothing of inauthentic behaviour or influence: a
    ban of a group's accounts, not the takedown of an influence network."""
    phrases = ctx.lex.phrases
    if not has_words(sent.text, phrases.get("policy_ground", ())):
        return False
    return not has_words(sent.text, phrases.get("cib_context", ()) + phrases.get("influence_cue", ()))


def said_of_motive(tok: Token, cues: tuple[str, ...]) -> bool:
    """ "a cryptocurrency scam run from Nigeria": the wording describes the scam itself (a clause
    on a scam noun), so it ties no one to the removed accounts."""
    return tok.dep_ in ("acl", "relcl") and _names_motive(tok.head.lower_, cues)


def tied_to_motive(tok: Token, cues: tuple[str, ...]) -> bool:
    """ "accounts linked to sextortion scams": what the wording ties the accounts to is a kind
    of abuse, not someone who runs them."""
    objs = [g for c in tok.children if c.dep_ in ("prep", "agent") for g in c.children if g.dep_ == "pobj"]
    # "linked to scam centres" read as an infinitive ("to scam"): the verb and its object are the noun
    infinitives = [c for c in tok.children if c.dep_ in ("advcl", "xcomp")]
    objs += [c for c in infinitives if any(a.lower_ == "to" for a in c.children)]
    if objs and load_lexicon().is_("operator_noun", objs[0].lemma_.lower()):
        return False  # "run by a commercial firm": an operator the motive word only describes
    words = " ".join(t.lower_ for o in objs[:1] for t in o.subtree if not t.dep_ == "prep" or t.i < o.i)
    return bool(words) and _names_motive(words, cues)
