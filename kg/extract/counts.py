"""Counts per asset kind from a region of tokens.

"seven Pages, three Groups and five Facebook accounts" gives one number per noun;
"652 pages, accounts, and groups" gives one combined figure; "120 Facebook and 40 Instagram
accounts" shares the head noun; "over 200 accounts" is vague (no count) while "about 200" is a
count. Numbers in other clauses (ads bought, protesters) are not assets and are ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Token

from kg.gazetteer import Lexicon

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "k": 1_000, "m": 1_000_000}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+$")
_DECIMAL = re.compile(r"^(\d+(?:\.\d+)?)([kKmM])?$")


def parse_number(words: list[str]) -> int | None:
    """Integer value of number words/digits ("7,906", "seven", "twenty-one", "1.7 million")."""
    if not words:
        return None
    total, current, seen = 0, 0, False
    for raw in words:
        w = raw.lower().replace("\u2009", "").strip()
        if not w or w in ("and", "-"):
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
            current += int(round(value))
            seen = True
            continue
        parts = w.split("-")
        if all(p in UNITS for p in parts):
            current += sum(UNITS[p] for p in parts)
            seen = True
            continue
        if w in SCALES and seen:
            current = max(current, 1) * SCALES[w]
            if SCALES[w] >= 1000:
                total += current
                current = 0
            continue
        return None
    return total + current if seen else None


@dataclass
class CountResult:
    counts: dict[str, int] = field(default_factory=dict)
    vague: bool = False  # an asset was quantified, but not exactly
    assets: list[int] = field(default_factory=list)  # token indices of asset nouns seen

    @property
    def exact(self) -> bool:
        return bool(self.counts)


def _number_tokens(noun: Token, allowed: set[int]) -> list[Token]:
    """The number words directly modifying ``noun`` (nummod children, contiguous)."""
    nums = [c for c in noun.children if c.dep_ == "nummod" and c.i in allowed]
    if not nums:
        return []
    num = nums[-1]
    toks = [num] + [c for c in num.subtree if c.i != num.i and c.like_num]
    return sorted(toks, key=lambda t: t.i)


def _quantifier(tokens: list[Token], lex: Lexicon) -> bool | None:
    """Vague (True), exact (False) or none (None) for the words just before a number."""
    if not tokens:
        return None
    doc = tokens[0].doc
    first = tokens[0].i
    window = [t.lower_ for t in doc[max(0, first - 3) : first]]
    for n in (3, 2, 1):
        phrase = " ".join(window[-n:]) if len(window) >= n else None
        if phrase and phrase in lex.quantifiers:
            return lex.quantifiers[phrase]
    return None


def asset_lemma(token: Token, lex: Lexicon) -> str | None:
    """The asset lemma of ``token`` ("Pages" tagged as a name still counts as pages)."""
    lemma = token.lemma_.lower()
    if lemma in lex.asset_field:
        return lemma
    low = token.lower_
    for cand in (low, low[:-1] if low.endswith("s") else low):
        if cand in lex.asset_field:
            return cand
    return None


def _field(noun: Token, lex: Lexicon, qualifiers: dict[int, str]) -> str | None:
    lemma = asset_lemma(noun, lex)
    base = lex.asset_field.get(lemma) if lemma else None
    if base is None:
        return None
    # "Instagram accounts", "accounts on Instagram"
    qual = qualifiers.get(noun.i)
    if qual is None:
        for c in noun.children:
            if c.dep_ == "compound" and c.lower_ in lex.qualifier_field:
                qual = c.lower_
            if c.dep_ == "prep" and c.lower_ in ("on", "across"):
                for p in c.children:
                    if p.lower_ in lex.qualifier_field:
                        qual = p.lower_
    if qual is not None:
        qfield, applies = lex.qualifier_field[qual]
        if applies == base:
            return qfield
    return base


def count_assets(region: Iterable[Token], lex: Lexicon) -> CountResult:
    """Count assets mentioned in ``region`` (tokens of one object phrase or clause)."""
    toks = sorted(region, key=lambda t: t.i)
    allowed = {t.i for t in toks}
    result = CountResult()
    if not toks:
        return result
    doc = toks[0].doc
    nouns = [
        t for t in toks
        if t.pos_ in ("NOUN", "PROPN") and asset_lemma(t, lex) is not None
        and not (t.i + 1 < len(doc) and doc[t.i + 1].lower_ in ("-", "–"))  # "account-based"
    ]
    # shared head noun: "120 Facebook and 40 Instagram accounts" -> Facebook gets its own number
    qualifiers: dict[int, str] = {}
    elided: list[tuple[str, int]] = []
    for t in toks:
        if t.like_num and t.i + 2 < len(doc) and doc[t.i + 1].ent_type_ != "DATE":
            nxt, after = doc[t.i + 1], doc[t.i + 2]
            if nxt.pos_ == "PROPN" and after.lower_ in ("and", ",", "or") and nxt.i in allowed:
                head = next((n for n in nouns if n.i > t.i), None)
                if head is not None:
                    base = lex.asset_field[asset_lemma(head, lex) or "account"]
                    q = nxt.lower_
                    fld = base
                    if q in lex.qualifier_field and lex.qualifier_field[q][1] == base:
                        fld = lex.qualifier_field[q][0]
                    value = parse_number([t.text])
                    if value is not None and _quantifier([t], lex) is not True:
                        elided.append((fld, value))
    listed: list[tuple[Token, str, int | None, bool]] = []
    for noun in nouns:
        fld = _field(noun, lex, qualifiers)
        if fld is None:
            continue
        nums = _number_tokens(noun, allowed)
        vague = False
        value: int | None = None
        if nums:
            value = parse_number([n.text for n in nums])
            q = _quantifier(nums, lex)
            if value is None or q is True:
                vague, value = True, None
        else:
            # "a channel", "one page"; "dozens of accounts", "hundreds of pages"
            det = [c for c in noun.children if c.dep_ == "det" and c.lower_ in ("a", "an")]
            head = noun.head
            if head.dep_ in ("pobj",) or noun.dep_ == "pobj" and head.lower_ == "of":
                quant = head.head if head.lower_ == "of" else head
                if quant.lemma_.lower() in lex.lemmas.get("vague_amount", ()) or quant.like_num:
                    value = parse_number([quant.text]) if quant.like_num else None
                    vague = value is None
                    if quant.like_num and _quantifier([quant], lex) is True:
                        vague, value = True, None
            if det and noun.tag_ == "NN" and value is None and not vague:
                value = 1
            if any(
                c.lemma_.lower() in lex.lemmas.get("vague_amount", ()) for c in noun.children
            ):
                vague = True
        listed.append((noun, fld, value, vague))
        result.assets.append(noun.i)
    # one number over a coordinated list: "652 pages, accounts, and groups"
    for i, (noun, fld, value, vague) in enumerate(listed):
        if value is None or vague:
            continue
        siblings = _coordinated(noun, listed)
        bare = [s for s in siblings if s[2] is None and not s[3]]
        if bare and len(siblings) == len(bare) + 1:
            result.counts["combined_count"] = result.counts.get("combined_count", 0) + value
            for s in bare:
                listed[listed.index(s)] = (s[0], s[1], None, True)
            listed[i] = (noun, fld, None, False)
            continue
        result.counts[fld] = result.counts.get(fld, 0) + value
    for fld, value in elided:
        result.counts.setdefault(fld, value)
    result.vague = any(v for _, _, _, v in listed) and not result.counts
    return result


def _coordinated(
    noun: Token, listed: list[tuple[Token, str, int | None, bool]]
) -> list[tuple[Token, str, int | None, bool]]:
    """Items of ``listed`` in the same coordination as ``noun`` (conj chain)."""
    chain = {noun.i}
    t = noun
    while t.dep_ == "conj":
        t = t.head
        chain.add(t.i)
    stack = [t]
    while stack:
        cur = stack.pop()
        chain.add(cur.i)
        stack.extend(c for c in cur.children if c.dep_ == "conj")
    return [x for x in listed if x[0].i in chain]
