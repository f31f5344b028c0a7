"""The denial word lists (``kg/data/denial_stance.jsonl``, ``speaker_titles.jsonl``,
``accusation_cues.jsonl``) as one typed lookup, read once per process."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from kg.lexicon.gazetteer import data_rows

FILES = ("denial_stance.jsonl", "speaker_titles.jsonl", "accusation_cues.jsonl")


@dataclass(frozen=True)
class DenialLexicon:
    """Word classes (lemmas), multiword phrases and phrasal verbs for the denial rules."""

    lemmas: dict[str, frozenset[str]]
    phrases: dict[str, tuple[str, ...]]
    phrasal: frozenset[tuple[str, str]]

    def is_(self, cls: str, lemma: str) -> bool:
        return lemma.lower() in self.lemmas.get(cls, frozenset())

    def phrase_list(self, cls: str) -> tuple[str, ...]:
        return self.phrases.get(cls, ())

    def find(self, cls: str, text: str) -> str | None:
        """The first phrase of class ``cls`` in ``text``, at word boundaries, any case;
        quotation marks inside an idiom ("had \u201cnothing to do\u201d with") do not break it."""
        pattern = _PATTERNS.get(cls)
        if pattern is None:
            alts = "|".join(re.escape(p) for p in self.phrase_list(cls)) or "(?!)"
            pattern = _PATTERNS[cls] = re.compile(rf"(?<![a-z0-9])(?:{alts})(?![a-z0-9])")
        m = pattern.search(_normalized(text))
        return m.group(0) if m else None


@lru_cache(maxsize=64)
def _normalized(text: str) -> str:
    """Lower case, straight apostrophes, no quotation marks, single spaces (made once per
    sentence: every class's ``find`` reads it)."""
    return " ".join(_QUOTES.sub(" ", text.lower().replace("\u2019", "'")).split())


_PATTERNS: dict[str, re.Pattern[str]] = {}  # one alternation per class, compiled on first use
_QUOTES = re.compile("[\u201c\u201d\"]")


@lru_cache(maxsize=1)
def load_denial_lexicon() -> DenialLexicon:
    lemmas: dict[str, set[str]] = defaultdict(set)
    phrases: dict[str, list[str]] = defaultdict(list)
    phrasal: set[tuple[str, str]] = set()
    for name in FILES:
        for row in data_rows(name):
            if "particle" in row:
                phrasal.add((row["lemma"], row["particle"]))
            elif "lemma" in row:
                lemmas[row["class"]].add(row["lemma"].lower())
            elif "phrase" in row:
                phrases[row["class"]].append(row["phrase"].lower())
    # longest first, so "no credible evidence" wins over "no evidence" as the quoted words
    return DenialLexicon(
        lemmas={k: frozenset(v) for k, v in lemmas.items()},
        phrases={k: tuple(sorted(v, key=lambda p: (-len(p), p))) for k, v in phrases.items()},
        phrasal=frozenset(phrasal),
    )
