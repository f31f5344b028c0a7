"""Counts per asset kind from a region of tokens.

"seven Pages, three Groups and five Facebook accounts" gives one number per noun;
"652 pages, accounts, and groups" gives one combined figure; "120 Facebook and 40 Instagram
accounts" shares the head noun; "over 200 accounts" is vague (no count) while "about 200" is a
count. Numbers in other clauses (ads bought, protesters) are not assets and are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.extract.numbers import SCALES, parse_number
from kg.lexicon.gazetteer import Lexicon


@dataclass
class CountItem:
    """One counted asset noun: its field, exact value (None if vague) and first token index."""

    noun: int
    field: str
    value: int | None
    vague: bool
    start: int
    figure: int | None = None  # the number said, exact or not ("more than 1,000" gives 1000)


@dataclass
class CountResult:
    counts: dict[str, int] = field(default_factory=dict)
    vague: bool = False  # an asset was quantified, but not exactly
    items: list[CountItem] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return bool(self.counts)

    def repeated_fields(self) -> bool:
        """The same kind counted twice ("300 accounts from Egypt and 150 accounts from ...")."""
        seen = [i.field for i in self.items if i.value is not None]
        return len(seen) != len(set(seen))


def _quantifier(first: Token, lex: Lexicon) -> bool | None:
    """Vague (True), exact (False) or none (None) for the words just before a number."""
    doc = first.doc
    window = [t.lower_ for t in doc[max(0, first.i - 3) : first.i]]
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


_SKIP_POS = frozenset({"ADJ", "PROPN", "VERB"})
_SKIP_WORDS = frozenset({"more", "other", "additional", "further", "new", "separate", "such"})
_SKIP_TEXT = frozenset({"“", "”", '"', "'", "-", "–", "(", ")"})
_NUMBER_JOIN = frozenset({"-", "–", "and"})


def _is_number(t: Token) -> bool:
    return t.like_num or t.lower_ in SCALES


def _between_adjectives(t: Token) -> bool:
    doc = t.doc
    return (
        t.lower_ in ("and", "or", ",")
        and 0 < t.i < len(doc) - 1
        and doc[t.i - 1].pos_ == "ADJ"
        and doc[t.i + 1].pos_ == "ADJ"
    )


def _left_number(noun: Token, lex: Lexicon, floor: int) -> tuple[list[Token], list[str]]:
    """Number tokens written before ``noun`` (skipping adjectives, names, quotes) and the
    platform-like qualifiers skipped on the way ("Instagram")."""
    doc = noun.doc
    i = noun.i - 1
    qualifiers: list[str] = []
    while i >= floor:
        t = doc[i]
        if _is_number(t):
            break
        if (
            t.text in _SKIP_TEXT
            or t.lower_ in _SKIP_WORDS
            or t.pos_ in _SKIP_POS
            or (t.pos_ == "NOUN" and t.dep_ in ("compound", "amod", "nmod"))
            or (t.dep_ == "advmod" and t.head.pos_ == "ADJ")  # "2,750 highly active accounts"
            or _between_adjectives(t)  # "50 personal and professional pages"
        ):
            if t.lower_ in lex.qualifier_field:
                qualifiers.append(t.lower_)
            i -= 1
            continue
        return [], qualifiers
    nums: list[Token] = []
    while i >= floor and (
        _is_number(doc[i])
        or (doc[i].lower_ in _NUMBER_JOIN and i - 1 >= floor and _is_number(doc[i - 1]) and nums)
    ):
        nums.insert(0, doc[i])
        i -= 1
    return nums, qualifiers


def _field(noun: Token, lex: Lexicon, qualifiers: list[str]) -> str | None:
    lemma = asset_lemma(noun, lex)
    base = lex.asset_field.get(lemma) if lemma else None
    if base is None:
        return None
    quals = list(qualifiers)
    # "accounts on Instagram", "accounts from Instagram" (a qualifier is a platform, not an origin)
    # "30 accounts on Facebook and 300 on Instagram": a phrase after the conjunct is the conjunct's
    conj = min((c.i for c in noun.children if c.dep_ == "conj"), default=len(noun.doc))
    for c in noun.children:
        if c.dep_ == "compound" and c.lower_ in lex.qualifier_field:
            quals.append(c.lower_)
        if c.dep_ == "prep" and c.lower_ in ("on", "across", "from") and c.i < conj:  # "from its app" too
            named = [g for p in c.children for g in (p, *(x for x in p.children if x.dep_ == "compound"))]
            quals.extend(g.lower_ for g in named if g.lower_ in lex.qualifier_field)
    doc = noun.doc
    j = noun.i + 2  # the parser may hang the phrase on the verb: read it in text order
    while j < len(doc) and doc[j].tag_ in ("DT", "PRP$"):
        j += 1
    if j < len(doc) and doc[noun.i + 1].lower_ in ("on", "from") and doc[j].lower_ in lex.qualifier_field:
        quals.append(doc[j].lower_)
    for q in quals:
        qfield, applies = lex.qualifier_field[q]
        if applies == base:
            return qfield
    return base


def _of_quantity(noun: Token, lex: Lexicon) -> tuple[int | None, bool]:
    """ "hundreds of accounts" (vague), "100 of the accounts", "200 of its Facebook accounts",
    "200 of the network's accounts" (100, 200)."""
    doc = noun.doc
    i = noun.i - 1
    while i >= 0 and (
        doc[i].pos_ in ("ADJ", "DET", "PROPN")
        or doc[i].text in _SKIP_TEXT
        or doc[i].tag_ in ("PRP$", "POS")
        or (doc[i].dep_ == "poss" and doc[i].head.i == noun.i)
    ):
        i -= 1
    if i < 1 or doc[i].lower_ != "of":
        return None, False
    q = doc[i - 1]
    if q.lemma_.lower() in lex.lemmas.get("vague_amount", ()) or q.lower_ in lex.lemmas.get(
        "vague_amount", ()
    ):
        return None, True
    if q.like_num:
        value = parse_number([q.text])
        if value is None or _quantifier(q, lex) is True:
            return None, True
        return value, False
    return None, False


def _apposed_number(noun: Token) -> Token | None:
    """A figure in apposition to the asset noun ("the accounts (about 7,700)") or to the share
    of them it is counted under ("the bulk of the channels, 1,900,")."""
    holders = [noun]
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and noun.head.head.pos_ == "NOUN":
        holders.append(noun.head.head)
    for h in holders:
        # in digits: "one based in China" beside "networks of accounts" is a pronoun, not a figure
        nums = [c for c in h.children if c.dep_ == "appos" and c.pos_ == "NUM"]
        nums = [c for c in nums if any(x.isdigit() for x in c.text)]
        if nums:
            return nums[0]
    return None


ELIDED_NEXT = frozenset(
    {"from", "in", "linked", "tied", "based", "run", "connected", "associated", "originating"}
)


def _people_group(noun: Token, items: list[CountItem]) -> bool:
    """ "two disinformation groups" are groups of people; "Groups" capitalised, "Facebook
    groups" or groups listed beside pages and accounts are the platform's Groups."""
    if noun.lemma_.lower() != "group" and noun.lower_ not in ("group", "groups"):
        return False
    if noun.text[:1].isupper():
        return False
    if any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in noun.children):
        return False
    return not any(it.noun != noun.i and it.field != "groups" for it in items)


def _measure_word(noun: Token) -> bool:
    """ "a 57-page memo", "a 3-account test": a number joined to a singular noun by a hyphen
    measures something else."""
    doc = noun.doc
    return (
        noun.tag_ == "NN"
        and noun.i >= 2
        and doc[noun.i - 1].text in ("-", "–")
        and doc[noun.i - 2].like_num
    )


def _not_an_asset(noun: Token, lex: Lexicon) -> bool:
    """ "four ad accounts", "AdSense accounts": billing accounts, not the network's; "accounts
    that followed the Pages", "followed by 9,000 accounts": the audience, not the network."""
    doc = noun.doc
    mods = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod")]
    if noun.i > 0:
        mods.append(doc[noun.i - 1])
    if any(lex.is_("non_asset_modifier", m.lower_) or lex.is_("non_asset_modifier", m.lemma_) for m in mods):
        return True
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "agent":  # "followed by 9,000 accounts"
        head = head.head
    if noun.dep_ in ("nsubj", "pobj") and head.pos_ == "VERB" and lex.is_("audience_verb", head.lemma_):
        return True
    if _audience_next(noun, lex):
        return True
    return any(
        c.dep_ in ("relcl", "acl")
        and lex.is_("audience_verb", c.lemma_)
        and c.tag_ != "VBN"  # "accounts followed by 9,000 users" are the ones followed
        and not any(g.dep_ in ("auxpass", "nsubjpass") for g in c.children)
        and not _reciprocal(c)
        for c in noun.children
    )


def _audience_next(noun: Token, lex: Lexicon) -> bool:
    """ "2.8 million accounts following the Pages", "900 accounts followed them", "4,700 accounts
    were members of the Groups": what the words right after the noun say it does, however the
    parser hung them (it often hangs such a clause on a neighbour)."""
    doc = noun.doc
    nxt = doc[noun.i + 1] if noun.i + 1 < len(doc) else None
    if nxt is None:
        return False
    if nxt.pos_ == "VERB" and lex.is_("audience_verb", nxt.lemma_):
        after = doc[nxt.i + 1] if nxt.i + 1 < len(doc) else None
        return (after is None or after.lower_ != "by") and not _reciprocal(nxt)  # not "followed by"
    if nxt.lemma_ == "be" and nxt.i + 1 < len(doc):  # "were members of", "were followers of"
        attr = doc[nxt.i + 1]
        return attr.tag_ == "NNS" and lex.is_("audience_noun", attr.lemma_)
    return False


def _reciprocal(verb: Token) -> bool:
    """ "accounts that followed each other": the network's own behaviour, not an audience."""
    return any(t.lower_ in ("each", "another") for t in verb.subtree if t.i > verb.i)


def count_assets(region: Iterable[Token], lex: Lexicon) -> CountResult:
    """Count assets mentioned in ``region`` (tokens of one object phrase or clause)."""
    toks = sorted(region, key=lambda t: t.i)
    result = CountResult()
    if not toks:
        return result
    doc = toks[0].doc
    floor = toks[0].i
    allowed = {t.i for t in toks}
    nouns = [
        t
        for t in toks
        if (t.pos_ in ("NOUN", "PROPN") or (t.pos_ == "VERB" and t.lower_.endswith("s")))
        and asset_lemma(t, lex) is not None
        # "account-based" (joined), not "accounts – many created later" (a spaced dash)
        and not (t.i + 1 < len(doc) and doc[t.i + 1].text in ("-", "–") and not t.whitespace_)
        and not (t.i + 1 < len(doc) and asset_lemma(doc[t.i + 1], lex) is not None)  # "bot accounts"
        and not _not_an_asset(t, lex)
        and not _measure_word(t)
        and t.dep_ != "poss"  # "90 of the group's pages": the owner is not what was counted
    ]
    items: list[CountItem] = []
    for noun in nouns:
        nums, quals = _left_number(noun, lex, floor)
        fld = _field(noun, lex, quals)
        if fld is None or (noun.pos_ == "VERB" and not nums):
            continue  # "accounts" tagged as a verb counts only right after a number
        value: int | None = None
        figure: int | None = None
        vague = False
        start = noun.i
        part, part_vague = _of_quantity(nums[0], lex) if nums else (None, False)
        if nums and all(n.i in allowed for n in nums) and (part is not None or part_vague):
            # "1,500 of the 2,000 accounts": the part was removed, the figure is the whole
            value, vague = part, part_vague
        elif nums and all(n.i in allowed for n in nums):
            start = nums[0].i
            value = figure = parse_number([n.text for n in nums])
            if value is None or _quantifier(nums[0], lex) is True:
                vague, value = True, None
            elif len(nums) == 1 and nums[0].lower_ in SCALES:
                vague, value = True, None
        elif (apposed := _apposed_number(noun)) is not None:
            # "the accounts (about 7,700)", "the bulk of the channels, 1,900,": a figure set beside
            start = apposed.i
            value = figure = parse_number([apposed.text])
            if value is None or _quantifier(apposed, lex) is True:
                vague, value = True, None
        else:
            value, vague = _of_quantity(noun, lex)
            if value is None and not vague:
                det = doc[noun.i - 1] if noun.i > 0 else None
                if (
                    det is not None
                    and det.lower_ in ("a", "an", "one")
                    and noun.tag_ == "NN"
                    and fld in ("channels", "pages")
                ):
                    value, start = 1, det.i
            if any(c.lemma_.lower() in lex.lemmas.get("vague_amount", ()) for c in noun.children):
                vague = True
        items.append(CountItem(noun.i, fld, value, vague, start, figure))
    # "120 Facebook and 40 Instagram accounts": a number before a platform name and "and"
    for t in toks:
        if not t.like_num or t.i + 2 >= len(doc):
            continue
        nxt, after = doc[t.i + 1], doc[t.i + 2]
        if nxt.pos_ == "PROPN" and after.lower_ in ("and", ",", "or") and nxt.i in allowed:
            head = next((n for n in nouns if n.i > t.i), None)
            if head is None or any(it.start == t.i for it in items):
                continue
            base = lex.asset_field[asset_lemma(head, lex) or "account"]
            fld = base
            q = nxt.lower_
            if q in lex.qualifier_field and lex.qualifier_field[q][1] == base:
                fld = lex.qualifier_field[q][0]
            value = parse_number([t.text])
            if value is not None and _quantifier(t, lex) is not True:
                items.append(CountItem(head.i, fld, value, False, t.i))
    # "4,248 accounts from the UAE and 271 from Egypt": a number whose noun is left out
    used = {it.start for it in items} | {n.i for it in items for n in doc[it.start : it.noun + 1]}
    for t in toks:
        if not t.like_num or t.i in used or t.ent_type_ in ("DATE", "MONEY", "PERCENT", "TIME"):
            continue
        if _pronoun_one(t, lex):
            continue
        # "... and another 150,000 that amplified its content": a further set, its noun left out
        another = any(c.dep_ == "det" and c.lower_ == "another" for c in t.children)
        # not "another 2,000 followed it": a subject, however the parser hangs it
        verb_next = t.i + 1 < len(doc) and doc[t.i + 1].tag_ in ("VBD", "VBZ", "VBP", "MD")
        further = another and t.dep_ in ("conj", "dobj", "appos") and not verb_next
        if t.i + 1 < len(doc) and (doc[t.i + 1].lower_ in ELIDED_NEXT or further) and t.dep_ != "nummod":
            ref = min(
                (it for it in items if it.value is not None),
                key=lambda it: abs(it.noun - t.i),
                default=None,
            )
            value = parse_number([t.text])
            if ref is not None and value is not None and _quantifier(t, lex) is not True:
                items.append(CountItem(t.i, ref.field, value, False, t.i))
        elif (item := _elided_on_platform(t, items, lex)) is not None:
            items.append(item)
    items = [it for it in items if not _people_group(doc[it.noun], items)]
    items.sort(key=lambda it: it.start)
    # one number over a list: "652 pages, accounts, and groups"
    for k, it in enumerate(items):
        if it.value is None or it.vague:
            continue
        run = [it]
        for nxt_item in items[k + 1 :]:
            between = doc[run[-1].noun + 1 : nxt_item.start]
            if (
                nxt_item.value is None
                and not nxt_item.vague
                and all(b.text in (",", "and", "or", "&") or b.text in _SKIP_TEXT for b in between)
            ):
                run.append(nxt_item)
            else:
                break
        if len(run) > 1:
            it.field = "combined_count"
            for r in run[1:]:
                r.vague = True  # consumed by the combined figure
    result.items = items
    for it in items:
        if it.value is not None and not it.vague:
            result.counts[it.field] = result.counts.get(it.field, 0) + it.value
    result.vague = any(it.vague for it in items) and not result.counts
    return result


def _elided_on_platform(t: Token, items: list[CountItem], lex: Lexicon) -> CountItem | None:
    """ "30 accounts on Facebook and 300 on Instagram": a conjunct number whose noun is left out
    and whose platform is said, as the first conjunct says its own."""
    doc = t.doc
    if t.dep_ != "conj" or t.i + 2 >= len(doc) or doc[t.i + 1].lower_ not in ("on", "across"):
        return None
    ref = next((it for it in items if it.noun == t.head.i and it.value is not None), None)
    value = parse_number([t.text])
    if ref is None or value is None or _quantifier(t, lex) is True:
        return None
    base = lex.asset_field.get(asset_lemma(doc[ref.noun], lex) or "")
    place = doc[t.i + 2]
    qual = lex.qualifier_field.get(place.lower_)
    prep = doc[t.i + 1].lower_
    parallel = any(c.dep_ == "prep" and c.lower_ == prep and c.i < t.i for c in doc[ref.noun].children)
    named = place.pos_ == "PROPN" and place.ent_type_ in ("", "ORG", "PRODUCT")  # not "on Tuesday"
    if base is None or (qual is None and not (parallel and named)):
        return None
    return CountItem(t.i, qual[0] if qual and qual[1] == base else base, value, False, t.i)


def _pronoun_one(t: Token, lex: Lexicon) -> bool:
    """ "the one from Iran", "two networks: one in China ...": "one" standing for a network,
    not a number of assets."""
    if t.lower_ != "one":
        return False
    if any(c.dep_ == "det" for c in t.children):
        return True
    return t.dep_ == "appos" and lex.is_("network_noun", t.head.lemma_.lower())


_LIST_JOIN = frozenset({",", "and", "or", "&", ";"})


def list_tail(region: set[int], span: Span, lex: Lexicon, exclude: set[int]) -> set[int]:
    """Count items that continue a counted list past the end of ``region`` in text order.

    The parser often misreads the last item of a list ("..., 31 Pages and 20 Instagram
    accounts for violating ...": "accounts" as a verb) and hangs it outside the object; the
    words themselves say it belongs: a joiner, a number, qualifiers, an asset noun. Linear in
    the tokens looked at; stops at the first token that does not fit or at the sentence end.
    """
    if not region:
        return set()
    doc, end = span.doc, span.end
    added: set[int] = set()
    i = max(region) + 1
    # "... and 9 Instagram | accounts for ...": the list's last noun cut off from its number
    if i < end and i not in exclude and asset_lemma(doc[i], lex) is not None:
        near = (x for x in range(max(i - 4, 0), i) if x in region)
        if doc[i - 1].pos_ in ("PROPN", "ADJ", "NUM") and any(_is_number(doc[x]) for x in near):
            added.add(i)
            i += 1
    while i < end:
        j = i
        while j < end and doc[j].lower_ in _LIST_JOIN:
            j += 1
        joined = j > i or doc[i - 1].lower_ in _LIST_JOIN  # the joiner may end the region
        if not joined or j >= end or not doc[j].like_num:
            break
        k = j + 1
        while k < end and _is_number(doc[k]):  # "1.2 million"
            k += 1
        if k < end and doc[k].lower_ in ELIDED_NEXT and not exclude & set(range(i, k)):
            # "90 channels linked to Azerbaijan and 30 linked to Iran": the noun left out, the
            # parser making the item a clause of its own
            added |= set(range(i, k))
            break
        hops = 0
        while k < end and asset_lemma(doc[k], lex) is None and hops < 3:
            if doc[k].pos_ not in ("PROPN", "ADJ", "NOUN"):
                return added
            k += 1
            hops += 1
        if k >= end or asset_lemma(doc[k], lex) is None:
            break
        if exclude & set(range(i, k + 1)):
            break
        added |= set(range(i, k + 1))
        i = k + 1
    return added
