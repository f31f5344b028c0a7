"""Names in their text: the words around a speaker's name that are not the speaker.

A dateline before the subject ("BANGKOK (Reuters) - the army denied ..."), honorifics before a
name ("Lt. Gen."), a quotation still open from the sentence before, and states named inside
other names ("the Thai foreign ministry"), and the speaker's own phrase (its noun phrase without
relative clauses, a title's owner, a titled name the model mislabelled). Takes spaCy tokens;
used by the speaker and accusation rules of :mod:`kg.extract.denials`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Span, Token

from kg.extract.context import STATE_LABELS, Sentence
from kg.lexicon.denial import DenialLexicon
from kg.lexicon.gazetteer import load_gazetteer

DATELINE = frozenset({")", "-", "—", "–", ":", "--"})
_HONORIFIC = re.compile(
    r"^(?:(?:Lt|Gen|Col|Maj|Capt|Brig|Adm|Sgt|Dr|Mr|Mrs|Ms|Prof|Rep|Sen|Gov|Amb|Lieutenant|General|Colonel|"
    r"Major|Captain|Brigadier|Admiral)\.?\s+)+"
)


@lru_cache(maxsize=1)
def _state_aliases() -> tuple[dict[str, str], frozenset[str]]:
    """Surface forms of states, demonyms and capitals (exact case), for words inside other
    names, and the first words of those forms (to look only where one can start)."""
    aliases = {a.text: a.entity for a in load_gazetteer().aliases if a.label in STATE_LABELS}
    return aliases, frozenset(a.split()[0] for a in aliases)


def state_words_in(toks: list[Token]) -> list[str]:
    """States named by words of ``toks``, also inside names the gazetteer leaves to the parser."""
    aliases, starts = _state_aliases()
    ids = {t.i for t in toks}
    out: list[str] = []
    for t in toks:
        if t.text not in starts:
            continue
        for n in (3, 2, 1):
            if all(t.i + k in ids for k in range(n)) and t.i + n <= len(t.doc):
                state = aliases.get(t.doc[t.i : t.i + n].text)
                if state is not None:
                    if state not in out:
                        out.append(state)
                    break
    return out


_DASHES = frozenset({"-", "\u2014", "\u2013", "--"})


def spaced(t: Token) -> bool:
    """A dash set off by spaces ("BANGKOK (Reuters) - "), not a hyphen inside a name."""
    return t.text != "-" or (t.i > 0 and bool(t.doc[t.i - 1].whitespace_))


def after_dateline(tok: Token) -> Token | None:
    """ "BANGKOK (Reuters) - Thailand's army": the noun after the dateline's dash."""
    doc = tok.doc
    for c in tok.children:
        if c.dep_ == "appos" and c.i > tok.i:
            between = doc[tok.i + 1 : c.i]
            if any(t.text in _DASHES and spaced(t) for t in between):
                return c
            # "METRO MANILA, Philippines - The Philippine government": the place's own apposition
            # (its country) carries the noun after the dash
            further = after_dateline(c) if c.ent_type_ == "GPE" else None
            if further is not None:
                return further
    return None


def is_dateline(tok: Token) -> bool:
    """ "Metro Manila (CNN Philippines) — The army denied": a place the parser made a subject of
    the verb, before a spaced dash and the verb's real subject after it."""
    doc = tok.doc
    later = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass") and c.i > tok.i]
    return tok.dep_ in ("nsubj", "nsubjpass") and any(
        any(t.text in _DASHES and spaced(t) for t in doc[tok.i + 1 : o.left_edge.i]) for o in later
    )


def inside_open_quote(sent: Sentence) -> bool:
    """The sentence goes on in a quotation opened by a sentence before it in its paragraph."""
    before = sent.span.doc.text[: sent.span.start_char]
    return before.count("\u201c") > before.count("\u201d") or before.count('"') % 2 == 1


def opens_quote(sent: Sentence) -> bool:
    """The sentence opens a quotation it does not close ("“It holds no water ... .")."""
    text = sent.text
    return text.count("\u201c") > text.count("\u201d") or text.count('"') % 2 == 1


def quote_closer(sentences: list[Sentence], sent: Sentence) -> Sentence | None:
    """The sentence of the same paragraph that closes the quotation ``sent`` opens, where its
    speaker is named ("..., it should shut down those accounts,” said Hua Chunying.")."""
    for nxt in sentences[sent.index + 1 : sent.index + 4]:
        if nxt.offset != sent.offset:
            return None
        if "\u201d" in nxt.text or nxt.text.count('"') % 2 == 1:
            return nxt
    return None


def clean_name(text: str) -> str:
    """A person's name without honorifics, or a title the model took into it ("spokesperson Hua
    Chunying"): the name starts at its first capitalised word."""
    words = _HONORIFIC.sub("", text.strip()).strip(" ,").split(" ")
    while len(words) > 1 and words[0][:1].islower():
        words = words[1:]
    return " ".join(words)


# ---- a speaker's phrase ----------------------------------------------------------------------
_SKIP_DEPS = frozenset({"relcl", "acl", "punct", "cc", "advcl", "npadvmod", "advmod", "conj"})
_NAME_PREPS = frozenset({"of", "for", "in", "to", "at", "from"})


def speaker_phrase(tok: Token) -> list[Token]:
    """The speaker's noun phrase, without relative clauses and after any dateline."""
    toks = [tok]
    stack = [c for c in tok.children if c.dep_ not in _SKIP_DEPS]
    ids = {t.i for t in tok.subtree}
    while stack:
        c = stack.pop()
        toks.append(c)
        stack += [g for g in c.children if g.dep_ not in _SKIP_DEPS]
    toks = [t for t in toks if not (t.dep_ == "prep" and t.lower_ not in _NAME_PREPS)]
    toks = [t for t in toks if all(a.lower_ in _NAME_PREPS for a in _preps_above(t, ids))]
    toks.sort(key=lambda t: t.i)
    cut = [t.i for t in toks if t.text in DATELINE and t.i < tok.i and spaced(t)]
    if cut:
        toks = [t for t in toks if t.i > max(cut)]
    return toks


def _preps_above(tok: Token, ids: set[int]) -> list[Token]:
    return [a for a in tok.ancestors if a.i in ids and a.dep_ == "prep"]


def is_owner(tok: Token) -> bool:
    """ "Erdogan's spokesman Ali Veli": the possessor owns the title; the speaker is the other
    name (sorts after)."""
    return tok.dep_ == "poss"


def named_person(e: Span, lex: DenialLexicon) -> bool:
    """A person's name, also one the model labelled an organisation when a person's title
    stands right before it ("government spokesperson Yolande Makolo"): a title and a name
    make a person, whatever the label."""
    if e.label_ == "PERSON":
        # not "The Ugandan government" (a state's adjective the model took for a name)
        return not (len(e) == 1 and e.root.dep_ in ("amod", "compound") and state_words_in([e.root]))
    before = e.doc[e.start - 1] if e.start > 0 else None
    return (
        e.label_ == "ORG"
        and 2 <= len(e) <= 3
        and all(t.pos_ == "PROPN" and t.is_title for t in e)
        and before is not None
        and before.head.i in range(e.start, e.end)
        and lex.is_("person_title", before.lemma_)
    )
