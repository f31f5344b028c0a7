"""Terms kept from one build of the graph to the next (the live graph's updates)."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Node


class TermMemo:
    """The terms one build made, handed to the next (``kg.live`` keeps one across updates): a
    term both builds have is then the same object, so comparing their triple sets stops at
    identity instead of comparing rdflib terms in Python. Holds only the last build's terms,
    so it does not grow over updates."""

    def __init__(self) -> None:
        self.texts: dict[str, Literal] = {}
        self.iris: dict[tuple[str, str], URIRef] = {}
        self.terms: dict[tuple[object, object], Node | None] = {}

    def keep(
        self,
        texts: dict[str, Literal],
        iris: dict[tuple[str, str], URIRef],
        terms: dict[tuple[object, object], Node | None],
    ) -> None:
        """Hold these (a build's own) for the next build; the last ones are let go."""
        self.texts, self.iris, self.terms = texts, iris, terms
