"""Parse repairs: the serial comma before a list's last name, which the small model misreads,
and a figure opening a sentence (or a name after a title's abbreviation), which it cuts off as
a sentence of its own.

"... accounts linked to the governments of Egypt, Saudi Arabia, Honduras, and Indonesia were
removed": before a serial ("Oxford") comma the parser often ends the list and reads "and
Indonesia were removed" as a clause of its own, so the last state becomes the subject of the
removal and the accounts lose their verb. Without that comma the same model parses the
sentence right. So where a name of the same kind as the list before it follows ", and" and
the parser made it a subject (or a conjunct of a word of another kind, "accounts ... and
Indonesia"), the sentence is parsed again with that comma read as a space
(same length, so every character offset holds) and its tree is taken from that parse, the
comma hanging on the word before it. Nothing else changes: tokens, tags, lemmas and entities
are the first parse's; a sentence the second parse cuts differently, or where it does not make
the name a conjunct of a name of its kind, is left as it was.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.lexicon.gazetteer import data_rows

__all__ = ["SerialComma", "may_repair", "number_start"]

_SUBJECTS = frozenset({"nsubj", "nsubjpass"})
_PARSE = ("tok2vec", "tagger", "parser")  # what the tree needs (en_core_web_sm's own names)


def _name_root(tok: Token) -> Token:
    """The head word of a name ("Arabia" of "Saudi Arabia")."""
    while tok.dep_ == "compound" and tok.head.i > tok.i and tok.head.i - tok.i < 4:
        tok = tok.head
    return tok


def _serial_comma(name: Token, typed: bool = True) -> Token | None:
    """The comma before ", and NAME" when NAME closes a list of names of its kind and the
    parser made it a subject or hung it on a word of another kind. ``typed=False`` leaves the
    names' entity types unread (a superset, for a Doc not yet through NER: :func:`may_repair`)."""
    doc = name.doc
    # a subject of a clause of its own, or a conjunct hung on a word of another kind ("accounts
    # linked to Egypt, Honduras, and Indonesia were removed": Indonesia joined to "accounts")
    hung = name.dep_ == "conj" and name.head.i < name.i
    if typed:
        hung = hung and name.head.ent_type_ != name.ent_type_
    if not (name.dep_ in _SUBJECTS or hung) or name.pos_ != "PROPN" or (typed and not name.ent_type_):
        return None
    start = name.left_edge.i
    if start < 4 or doc[start - 1].lower_ not in ("and", "or") or doc[start - 2].text != ",":
        return None
    before = _name_root(doc[start - 3])
    if before.pos_ != "PROPN" or (typed and before.ent_type_ != name.ent_type_):
        return None
    # a list: another name of the kind, a comma before the one before
    left = before.left_edge.i
    if left < 2 or doc[left - 1].text != "," or (typed and doc[left - 2].ent_type_ != name.ent_type_):
        return None
    return doc[start - 2]


def may_repair(sent: Span) -> bool:
    """Whether this component could change ``sent``'s tree once NER has run: a serial comma
    before a name that is a subject or a conjunct, whatever the names' entity types (read on a
    Doc before NER, by the gate's parsed test, ``kg.extract.gate.Gate.may_hold_fact_parsed``)."""
    return any(_serial_comma(t, typed=False) is not None for t in sent)


class SerialComma:
    """The ``cib_serial_comma`` component (see the module's docstring)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def _reparse(self, sent: Span, comma: Token) -> list[tuple[int, int, str]] | None:
        """(token, head, dep) of ``sent``'s tokens from a parse with ``comma`` read as a space."""
        text = sent.text
        at = comma.idx - sent.start_char
        other = self.nlp.make_doc(text[:at] + " " + text[at + 1 :])
        for name, proc in self.nlp.pipeline:
            if name in _PARSE:
                other = proc(other)
        if sum(1 for _ in other.sents) != 1:
            return None
        by_char = {t.idx + sent.start_char: t for t in other}
        out: list[tuple[int, int, str]] = []
        for tok in sent:
            if tok.i == comma.i:
                out.append((tok.i, tok.i - 1, "punct"))
                continue
            twin = by_char.get(tok.idx)
            if twin is None or twin.text != tok.text:
                return None
            head = sent[0].i + twin.head.i if twin.head.i != twin.i else tok.i
            out.append((tok.i, head, twin.dep_))
        return out

    def __call__(self, doc: Doc) -> Doc:
        tree: dict[int, tuple[int, str]] = {}
        for sent in doc.sents:
            name, comma = next(((t, c) for t in sent if (c := _serial_comma(t)) is not None), (None, None))
            if name is None or comma is None:
                continue
            found = self._reparse(sent, comma)
            if found is not None and _joins_list(doc, name, found):
                tree.update({i: (head, dep) for i, head, dep in found})
        if tree:
            _set_tree(doc, tree)
        return doc


def _joins_list(doc: Doc, name: Token, found: list[tuple[int, int, str]]) -> bool:
    """The second parse is taken only where it puts the name in the list: conjuncts of names of
    its kind up to the list's first name, which stays where the first parse hung it (without
    the comma the model may still misread the list in another way)."""
    new = {i: (h, d) for i, h, d in found}
    tok, seen = name.i, 0
    while new[tok][1] == "conj" and seen < 20:  # up the list, name by name, to its first name
        tok, seen = new[tok][0], seen + 1
        if doc[tok].ent_type_ != name.ent_type_:
            return False
    first = doc[tok]
    # the list's first name stays where the first parse hung it
    return seen > 0 and new[tok] == (first.head.i, first.dep_)


def _set_tree(doc: Doc, tree: dict[int, tuple[int, str]]) -> None:
    """Heads and labels of the tokens in ``tree``, in one write (no half-made tree between)."""
    kept = doc.to_array([HEAD, DEP])  # uint64: heads as offsets, two's complement
    rows = kept.copy()
    for i, (head, dep) in tree.items():
        rows[i, 0] = numpy.int64(head - i).astype(numpy.uint64)
        rows[i, 1] = numpy.uint64(doc.vocab.strings.add(dep))
    starts = [bool(t.is_sent_start) for t in doc]
    doc.from_array([HEAD, DEP], rows)
    if [bool(t.is_sent_start) for t in doc] != starts:  # the first parse's sentences stand
        doc.from_array([HEAD, DEP], kept)


_ENDS = frozenset({".", "!", "?"})


@lru_cache(maxsize=1)
def title_abbreviations() -> frozenset[str]:
    """ "Brig.", "Lt.", "Dr.": titles written short, with their period."""
    rows = data_rows("speaker_titles.jsonl")
    return frozenset(f"{r['abbrev']}." for r in rows if r.get("class") == "title_abbreviation")


@Language.component("cib_number_start")
def number_start(doc: Doc) -> Doc:
    """ "... and Jordan. 217 Facebook accounts, 144 pages ... were deleted.": the parser makes
    a figure in digits that opens a sentence a sentence alone, and the accounts lose their
    number. Set before the parse (which keeps sentence starts set before it): such a figure
    starts a sentence, and the word after it does not; nor does a name after a title's
    abbreviation ("Brig. Gen. Onyema Nwachukwu")."""
    titles = title_abbreviations()
    for t in doc[:-1]:
        if t.text in titles and doc[t.i + 1].is_title:
            doc[t.i + 1].is_sent_start = False  # "Brig. Gen. Onyema": a title, not a sentence's end
            continue
        if t.text[0].isdigit() and t.like_num and (t.i == 0 or doc[t.i - 1].text in _ENDS):
            after = doc[t.i + 1]
            if not after.is_punct and not after.like_num:
                t.is_sent_start = True
                after.is_sent_start = False
    return doc


@Language.factory("cib_serial_comma")
def make_serial_comma(nlp: Language, name: str) -> Any:
    return SerialComma(nlp)
