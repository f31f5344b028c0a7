"""Numbers as news writes them: "7,906", "seven", "twenty-one", "1.2 million", "3.5k".

Takes words; gives integers. Used by the count rules (:mod:`kg.extract.counts`) and by the rules
that read how many networks a sentence names.
"""

from __future__ import annotations

import re

UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "k": 1_000, "m": 1_000_000}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_DECIMAL = re.compile(r"^(\d+(?:\.\d+)?)([kKmM])?$")


def parse_number(words: list[str]) -> int | None:
    """Integer value of number words/digits ("7,906", "seven", "twenty-one", "1.2 million")."""
    if not words:
        return None
    total, current, seen = 0.0, 0.0, False
    for raw in words:
        w = raw.lower().replace("\u2009", "").strip()
        if not w or w in ("and", "-", "\u2013"):
            continue
        if _DIGITS.match(w):
            current += int(w.replace(",", ""))
            seen = True
            continue
        m = _DECIMAL.match(w)
        if m:
            value = float(m.group(1))
            if m.group(2):
                value *= SCALES[m.group(2).lower()]
            current += value
            seen = True
            continue
        parts = w.split("-")
        if all(p in UNITS for p in parts):
            current += sum(UNITS[p] for p in parts)
            seen = True
            continue
        if w in SCALES and seen:
            current = (current or 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total += current
                current = 0
            continue
        return None
    if not seen:
        return None
    value = total + current
    return int(round(value)) if abs(value - round(value)) < 1e-6 else None
