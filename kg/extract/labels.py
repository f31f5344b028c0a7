"""List labels: what a report's list row or heading says of the network under it.

Threat reports and the articles that retell them list networks one per row or paragraph,
each under a label: "• Brazil:", "Iran (second network):", "Russia: 12 Pages and 30 Instagram
accounts". A label naming a state is kept as the record's support (the merge reads it as the
record's topic), and a label that is a state's name and nothing else gives the networks under
it their origin (the conventions' "a network in X"), unless a record carries its own. A
heading line of its own ("Iran", "Network from Iran", "The Iranian network": a paragraph
with no finite verb, no closing stop and no figure) does the same for the paragraphs under it,
and ends what the text before it was telling.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.extract.attribution import network_nouns, sentence_attributions
from kg.extract.context import STATE_LABELS, ArticleContext, Sentence
from kg.records import Attribution, Evidence

__all__ = ["heading_state", "is_heading", "list_label", "row_state"]

_FINITE = frozenset({"VBD", "VBP", "VBZ", "MD"})
_CLOSING = (".", "!", "?", '"', "\u201d", "\u2019", ":", ";", ",")
UNDER = 2  # paragraphs: how far below its heading a network takes the heading's origin

#: A list item's label, before the item's first sentence: "• Brazil:", "Iran (second network):".
_LABEL = re.compile(r"[^\w]*[A-Z][^:.!?\n]{0,58}")
#: A list row's label, cut at its colon, or at a dash or bracket before its figures (not a
#: dateline's "WASHINGTON (Sputnik) – Facebook ..."): bullets, then the name, then maybe "(second
#: network)" ("Iran: 40 accounts", "Russia – 1,200 channels", "• China (3,100 channels)").
_LABEL_NAME = r"[^\w]*(?P<name>[A-Z][^:()\n]{0,40}?)\s*(?:\((?!\s*\d)[^()\n]{0,40}\))?\s*"
_ROW_LABEL = re.compile(_LABEL_NAME + r"(?::|(?:[\u2013\u2014]|-\s|\()(?=\s*\d))")
#: A heading over a list item, or a row's label the parser cut off as a sentence of its own.
_HEADING = re.compile(_LABEL_NAME + r":?\s*")


def list_label(ctx: ArticleContext, sent: Sentence) -> Evidence | None:
    """The label a list item opens with ("• Brazil: Facebook removed ..."), when the parser cut
    it off as a sentence of its own ("• Brazil:" | "Facebook removed", or "• Brazil" | ": Facebook
    removed"), or a heading line "Brazil:" over the item: what the item is about, as support
    evidence (the merge reads its one state as the record's topic)."""
    if sent.index == 0:
        return None
    prev = ctx.sentences[sent.index - 1]
    text = prev.span.text.strip()
    if text.endswith(":"):
        label = text[:-1]
    elif prev.offset == sent.offset and sent.span.text.lstrip().startswith(":"):
        label = text
    else:
        return None
    # only a label naming a state tells the merge anything (and its paragraph is always parsed)
    states = any(e.label in ("STATE", "DEMONYM") for e in prev.entities)
    return ctx.evidence(prev, "takedown.label", 0.5) if states and _LABEL.fullmatch(label.rstrip()) else None


def row_state(ctx: ArticleContext, sent: Sentence, labelled: bool) -> Attribution | None:
    """The origin a list row gives its network: its own label ("Iran: 40 accounts ..."), else,
    when ``labelled`` (:func:`list_label` found one), the heading or cut-off label before it."""
    found = _state_of_label(ctx, sent, _ROW_LABEL.match)
    if found is None and labelled:
        found = _state_of_label(ctx, ctx.sentences[sent.index - 1], _HEADING.fullmatch)
    return found


def _state_of_label(
    ctx: ArticleContext, sent: Sentence, match: Callable[[str], re.Match[str] | None]
) -> Attribution | None:
    """The state a label is the name of ("• Iran", "Russia (second network)"), if it is that
    name and nothing else."""
    m = match(sent.text)
    if m is None:
        return None
    base = sent.span.start_char
    named = [
        e for e in sent.entities
        if e.label in STATE_LABELS and e.span.start_char - base == m.start("name")
        and e.span.end_char - base == m.end("name")
    ]
    state = ctx.gaz.state_of(named[0].entity) if len(named) == 1 else None
    if state is None:
        return None
    return Attribution(state, "listed under", None, ctx.evidence(sent, "takedown.label", 0.7))


def is_heading(ctx: ArticleContext, sent: Sentence) -> bool:
    """A heading line inside the article that names a state: a paragraph of one short sentence
    with no finite verb and no closing stop ("Network from Iran"); not the title. (A line naming
    no state tells no network's origin, and the gated parse may leave it unparsed.)"""
    if sent.index == 0 or len(sent.tokens) > 12 or sent.span.text.rstrip().endswith(_CLOSING):
        return False
    if not any(e.label in STATE_LABELS for e in sent.entities) or any(t.like_num for t in sent.tokens):
        return False  # no state, or figures: a list row, not a heading
    near = ctx.sentences[sent.index - 1 : sent.index + 2]
    if any(o is not sent and o.offset == sent.offset for o in near):
        return False
    return not any(t.tag_ in _FINITE for t in sent.tokens)


def heading_state(ctx: ArticleContext, sent: Sentence) -> Attribution | None:
    """The origin a heading above gives the network told in ``sent``: the state the nearest
    heading no more than ``UNDER`` paragraphs up is the name of ("Iran"), or ties its network
    to ("Network from Iran", "The Iranian network"); one state, not a target ("Networks
    targeting Iran")."""
    paragraphs = 0
    for prev in reversed(ctx.sentences[: sent.index]):
        if prev.offset != sent.offset and is_heading(ctx, prev):
            found = _state_of_label(ctx, prev, _HEADING.fullmatch)
            if found is not None:
                return found
            anchors = network_nouns(prev, ctx)
            if not anchors:
                return None
            scope = {t.i for t in prev.tokens}
            atts = sentence_attributions(ctx, prev, scope, anchors, None, "takedown.label")
            if len({a.state for a in atts}) != 1:
                return None
            evidence = ctx.evidence(prev, "takedown.label", 0.7)
            return Attribution(atts[0].state, "listed under", atts[0].actor, evidence)
        if prev.offset != ctx.sentences[prev.index + 1].offset:
            paragraphs += 1
            if paragraphs > UNDER:
                return None
    return None
