"""Whether a name the gazetteer does not know reads as a person's (for a denial's speaker).

The graph stage types a speaker missing from the gazetteer as a person or an organisation by
its shape: two to four capitalised words, none of them an office word.
"""

from __future__ import annotations

import re

_NAME_TOKEN = re.compile(r"(?:[A-Z][a-z]+(?:['’-][A-Za-z][a-z]*)*|[A-Z]\.)")
_PARTICLES = frozenset({"al", "bin", "da", "de", "del", "der", "di", "el", "la", "van", "von"})
# Capitalised words that make a two-to-four-word name an institution, not a person.
_ORG_WORDS = frozenset(
    {
        "administration",
        "affairs",
        "agency",
        "army",
        "bureau",
        "cabinet",
        "committee",
        "company",
        "consulate",
        "corporation",
        "council",
        "department",
        "embassy",
        "foreign",
        "government",
        "group",
        "inc",
        "kremlin",
        "media",
        "military",
        "ministry",
        "mission",
        "national",
        "news",
        "office",
        "parliament",
        "presidency",
        "press",
        "radio",
        "republic",
        "service",
        "state",
        "television",
        "the",
        "times",
        "tv",
    }
)


def looks_like_person(name: str) -> bool:
    """Guess for a speaker missing from the gazetteer: 2-4 capitalised words, no office words."""
    tokens = name.split()
    if not 2 <= len(tokens) <= 4:
        return False
    for token in tokens:
        if token.lower() in _ORG_WORDS:
            return False
        if token.lower() not in _PARTICLES and not _NAME_TOKEN.fullmatch(token):
            return False
    return True
