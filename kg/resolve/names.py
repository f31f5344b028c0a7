"""Whole-word finding of the gazetteer's operation, organisation and state names in a record's text."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from kg.lexicon.gazetteer import load_gazetteer
from kg.records import Takedown

#: Up to this many case-sensitive aliases, substring tests rule texts out before the pattern.
FEW_ALIASES = 32
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD_CHAR = re.compile(r"\w")


@lru_cache(maxsize=4096)
def _inert(char: str) -> bool:
    """A character that case-insensitive matching can only match to itself and that is no
    word character: curly quotes, dashes, ellipses. Lower-casing a text leaves it as it is."""
    return (
        char.lower() == char == char.upper() and char.casefold() == char
        and _WORD_CHAR.match(char) is None
    )


def _lowers_exactly(text: str) -> bool:
    """``text.lower()`` changes only ASCII letters: the text is ASCII but for inert characters."""
    return text.isascii() or all(_inert(c) for c in set(_NON_ASCII.findall(text)))


@dataclass(frozen=True)
class _Names:
    """Whole-word finder for many aliases at once: one regex per case mode (short and
    all-capital aliases such as "IRA" match case-sensitively, others in any case).

    Case-insensitive matching costs about four times a case-sensitive one, so a text that
    :func:`_lowers_exactly` is lower-cased and searched with the lower-cased aliases
    (``lowered``, same order), which finds the same matches; other texts use ``folded``.
    """

    exact: re.Pattern[str] | None
    folded: re.Pattern[str] | None
    lowered: re.Pattern[str] | None
    entity: dict[str, str]  # alias (lowercased for folded ones) -> entity name
    casefolded: dict[str, str]  # folded alias, case-folded -> entity name
    #: The case-sensitive aliases when they are few: a text holding none of them as a
    #: substring has no match, and a few substring tests cost a third of the pattern's scan.
    exact_aliases: tuple[str, ...] | None = None

    def folded_entity(self, matched: str) -> str | None:
        """The entity of a case-insensitive match: "ſpamouflage" (long s) matches too, and
        lower-cases to no alias; case-folding takes it to one."""
        return self.entity.get(matched.lower()) or self.casefolded.get(matched.casefold())

    @classmethod
    def of(cls, pairs: Iterable[tuple[str, str]], fold: Callable[[str], bool]) -> _Names:
        entity: dict[str, str] = {}
        casefolded: dict[str, str] = {}
        exact, folded = [], []
        for alias, name in sorted(set(pairs)):
            (folded if fold(alias) else exact).append(alias)
            entity.setdefault(alias.lower() if fold(alias) else alias, name)
            if fold(alias):
                casefolded.setdefault(alias.casefold(), name)

        def ordered(aliases: list[str]) -> list[str]:
            return sorted(aliases, key=lambda a: (-len(a), a))

        def compile_(aliases: list[str], flags: int) -> re.Pattern[str] | None:
            if not aliases:
                return None
            alternation = "|".join(re.escape(a) for a in aliases)
            return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", flags)

        # An alias with a non-ASCII letter can match no text that lowers exactly; the rest
        # lower-case only their ASCII letters, so their matches on lower-cased text are those
        # of the case-insensitive pattern on the text.
        lowered = [a.lower() for a in ordered(folded) if _lowers_exactly(a)]
        patterns = compile_(ordered(exact), 0), compile_(ordered(folded), re.I), compile_(lowered, 0)
        return cls(*patterns, entity, casefolded, tuple(exact) if len(exact) <= FEW_ALIASES else None)

    def find(self, text: str) -> frozenset[str]:
        found = set()
        if self.exact is not None and (
            self.exact_aliases is None or any(alias in text for alias in self.exact_aliases)
        ):
            found.update(self.entity[m.group(0)] for m in self.exact.finditer(text))
        if self.folded is not None:
            if self.lowered is not None and _lowers_exactly(text):
                found.update(self.entity[m.group(0)] for m in self.lowered.finditer(text.lower()))
            else:
                matched = (self.folded_entity(m.group(0)) for m in self.folded.finditer(text))
                found.update(name for name in matched if name is not None)
        return frozenset(found)


@lru_cache(maxsize=1)
def _operation_names() -> _Names:
    """Organisation and operation names of the gazetteer."""
    gaz = load_gazetteer()
    pairs = [(a, e.name) for e in gaz.entities.values() if e.type == "organisation" for a in e.aliases]
    return _Names.of(pairs, fold=lambda a: not (a.isupper() or len(a) <= 4))


def operations_in(t: Takedown) -> frozenset[str]:
    """Named operations, troll farms and firms the record's own words mention."""
    text = " ".join([t.network, t.evidence.sentence, *(s.sentence for s in t.support)])
    return _operation_names().find(text)


def operations_in_text(text: str) -> frozenset[str]:
    """Named operations, troll farms and firms a text mentions."""
    return _operation_names().find(text)


@lru_cache(maxsize=1)
def _state_names() -> _Names:
    """State names and demonyms of the gazetteer (not places: a capital is often a target)."""
    pairs = [(a.text, a.entity) for a in load_gazetteer().aliases if a.label in ("STATE", "DEMONYM")]
    return _Names.of(pairs, fold=lambda a: False)


def states_named(text: str) -> frozenset[str]:
    """States a text names (by name or demonym)."""
    return _state_names().find(text)
