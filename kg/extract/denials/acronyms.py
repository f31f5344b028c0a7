"""Acronyms of state offices, learnt as an article goes on: "the army's media wing, ISPR,"
(an apposition), "the Philippine National Police (PNP)" (in brackets) and the initials of a
state body the gazetteer knows ("the Armed Forces of the Philippines" ... "AFP spokesman"). Also
the :class:`Speaker` record the denial stage passes around. Imports the extraction context only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.context import STATE_LABELS, ArticleContext, Sentence


@dataclass(frozen=True)
class Speaker:
    """Who speaks: a name (person or office) or None when only the state is named."""

    name: str | None
    state: str
    is_person: bool


def learn_acronyms(
    ctx: ArticleContext,
    sent: Sentence,
    acronyms: dict[str, Speaker],
    resolve: Callable[[Sentence, Token], Speaker | None],
) -> None:
    """Add the acronyms ``sent`` spells out for a state office (``resolve`` names the office)."""
    for t in sent.tokens:  # "the army's media wing, ISPR,": the acronym of an office
        if t.dep_ == "appos" and t.text.isupper() and len(t.text) >= 2 and t.text not in acronyms:
            full = resolve(sent, t.head)
            if full is not None and not full.is_person:
                acronyms[t.text] = full
    for t in sent.tokens:  # "the Philippine National Police (PNP)"
        if t.text != "(":
            continue
        nxt = t.nbor(1) if t.i + 2 < len(t.doc) else None
        if nxt is not None and nxt.text.isupper() and len(nxt.text) >= 2 and t.i > 0:
            if nxt.nbor(1).text == ")":
                head = t.doc[t.i - 1]
                while head.dep_ in ("pobj", "prep") and head.head.i < head.i:
                    head = head.head
                full = resolve(sent, head)
                if full is not None and not full.is_person:
                    acronyms.setdefault(nxt.text, full)
    for e in sent.entities:  # "the Armed Forces of the Philippines" ... "AFP spokesman"
        state = ctx.gaz.state_of(e.entity) if e.label not in STATE_LABELS else None
        initials = "".join(t.text[0] for t in e.span if t.text[:1].isupper())
        if state and e.label != "PLATFORM" and len(initials) >= 3 and len(e.span) >= 3:
            acronyms.setdefault(initials, Speaker(e.entity, state, False))
