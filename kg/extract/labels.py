"""List labels: what a report's list row or heading says of the network under it.

Threat reports and the articles that retell them list networks one per row or paragraph,
each under a label: "• Brazil:", "Iran (second network):", "Russia: 12 Pages and 30 Instagram
accounts". A label naming a state is kept as the record's support (the merge reads it as the
record's topic), and a label that is a state's name and nothing else gives the networks under
it their origin (the conventions' "a network in X"), unless a record carries its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kg.extract.context import STATE_LABELS, ArticleContext, Sentence
from kg.records import Attribution, Evidence

__all__ = ["list_label", "row_state"]

#: A list item's label, before the item's first sentence: "• Brazil:", "Iran (second network):".
_LABEL = re.compile(r"[^\w]*[A-Z][^:.!?\n]{0,58}")
#: A list row's label, cut at its colon: bullets, then the name, then maybe "(second network)".
_LABEL_NAME = r"[^\w]*(?P<name>[A-Z][^:()\n]{0,40}?)\s*(?:\([^()\n]{0,40}\))?\s*"
_ROW_LABEL = re.compile(_LABEL_NAME + ":")
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
