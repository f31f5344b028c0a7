"""What the merge compares of a takedown record (:class:`Source`), its canonical key and rank,
and the blocks (one per platform) in which records are decided."""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kg.lexicon.gazetteer import load_gazetteer
from kg.records import ArticleFacts, ArticleMeta, Takedown
from kg.resolve.clues import NamedDate, named_date, open_totals, vague_figures
from kg.resolve.names import operations_in, operations_in_text, states_named

#: The evidence rule of a list item's label ("• Brazil:"): the item's topic (kg.extract.mentions).
LABEL_RULE = "takedown.label"


@dataclass(frozen=True)
class Source:
    """A takedown record with what merging compares, computed once."""

    rank: int
    takedown: Takedown
    article: str
    when: date | None
    told: bool  # ``when`` is the takedown's date from the text, not the article's publication
    near: date | None  # ``when``, else the undated article's estimated date (a soft placing)
    states: frozenset[str]
    about: frozenset[str]  # its states, else its operations' states, else its topic (_about)
    actors: frozenset[str]
    operations: frozenset[str]
    counts: tuple[tuple[str, int], ...]
    #: Named firms, troll farms and operations (not state bodies), normalised (:func:`operators_of`).
    operators: frozenset[str] = frozenset()
    #: Figures its sentence gives only vaguely, as (lowest, highest) (:func:`vague_figures`).
    vague: tuple[tuple[int, int], ...] = ()
    #: For a record without the takedown's date: the day, month or quarter its sentence names
    #: (the year from its publication when the sentence gives none).
    named: NamedDate | None = None
    #: The bounds of its removal's total when its sentence gives one of its figures with an
    #: uncounted remainder of other kinds ("7,700 accounts and hundreds of other pages"; :func:`open_totals`).
    remainder: tuple[tuple[int, int], ...] = ()
    #: The quarter its sentence names, also beside the takedown's date ("said on Thursday that
    #: in the third quarter it had removed"): a quarterly report's, the year from its date.
    quarter: NamedDate | None = None


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


RecordKey = tuple[str, int, int, str, str, str, str]


def source_key(t: Takedown) -> RecordKey:
    """A record's identity and place in the canonical order: article id (a content hash),
    offsets, platform, network, states and figures (one sentence can give several networks)."""
    counts = ",".join(f"{k}={v}" for k, v in t.counts.items())
    return (
        t.evidence.article_id, t.evidence.start, t.evidence.end, t.platform, t.network,
        ",".join(t.attributed_to), counts,
    )


def _about(t: Takedown, title: str, operations: frozenset[str] | None = None) -> frozenset[str]:
    """The states a record is about: those it attributes; else the states of the operations
    and organisations it names ("Spamouflage" is about China); else its topic: the one state
    its sentence (with a list item's label) and its article's title name, or else the one its
    own sentence names (the title may name the target too: "X's campaign to sway Y's lawmakers").
    ``operations`` is :func:`operations_in` of ``t`` when the caller has it already."""
    attributed = t.attributed_to
    if attributed:
        return frozenset(attributed)
    gaz = load_gazetteer()
    if operations is None:
        operations = operations_in(t)
    named = frozenset(s for name in (*operations, *t.actors) if (s := gaz.state_of(name)))
    if named:
        return named
    labels = [e.sentence for e in t.support if e.rule == LABEL_RULE]  # "• Brazil:" over a list item
    own = states_named("\n".join([*labels, t.evidence.sentence]))
    both = own | states_named(title)
    return both if len(both) == 1 else own if len(own) == 1 else frozenset()


#: Words of a state body, not of an operator: "Ministry of Diaspora Affairs" is the state acting.
_STATE_BODY = re.compile(
    r"\b(government|ministry|military|army|police|state|intelligence|embassy|law enforcement|"
    r"agency of|armed forces|communist party|kremlin)\b",
    re.IGNORECASE,
)


#: Words that name no one in particular ("the Social Liberal Party", "offices of").
_GENERIC_WORDS = frozenset(
    "the and for with from his her their its sons son family staff employees offices office people "
    "associates associated individuals linked tied group firm company companies inc ltd llc party "
    "network networks media news public relations marketing digital center centre based campaign "
    "operation operations".split()
)


#: Words that make a name an organisation's, not a person's ("Archimedes Group").
_ORG_WORDS = frozenset(
    "group strategies strategy agency party inc ltd llc co corp company firm media news network "
    "foundation institute center centre consulting consultancy communications solutions "
    "technologies technology marketing associates partners ventures holdings bureau studio "
    "studios lab labs digital pr pvt limited unit farm".split()
)


def _person_like(name: str) -> bool:
    """Two to four capitalised words, none an organisation's ("Roger Stone"): a person's name
    may be the face of an operation another report names by its firm, so it decides nothing."""
    words = name.split()
    return (
        2 <= len(words) <= 4
        and all(w[:1].isupper() and not w.isupper() for w in words)
        and not any(w.lower().strip(".,") in _ORG_WORDS for w in words)
    )


def operators_of(actors: Iterable[str], operations: Iterable[str]) -> frozenset[str]:
    """The words naming the firms, troll farms and operations a record names ("archimedes",
    "stoic"; an alias counts as its gazetteer name, "IRA" as the Internet Research Agency):
    state bodies, people and generic words are left out (their state is the record's; a
    person may front what another report names by its firm)."""
    gaz = load_gazetteer()
    names = set(operations)
    for actor in actors:
        known = operations_in_text(actor)
        if known:
            names |= known
        elif not _person_like(actor) and ((entity := gaz.get(actor)) is None or entity.type != "person"):
            names.add(actor)
    words: set[str] = set()
    for name in names:
        if _STATE_BODY.search(name) or (gaz.state_of(name) == name):
            continue
        words.update(w for w in re.findall(r"[a-z0-9]+", name.lower()) if len(w) >= 3)
    return frozenset(words - _GENERIC_WORDS)


def _named(sentence: str, published: date | None) -> NamedDate | None:
    named = named_date(sentence)
    return named.resolved(published) if named is not None else None


def _source(rank: int, t: Takedown, meta: ArticleMeta) -> Source:
    operations = operations_in(t)  # once: _about needs them too
    return Source(
        rank=rank,
        takedown=t,
        article=t.evidence.article_id,
        when=t.date or meta.published,
        told=t.date is not None,
        near=t.date or meta.published or meta.estimated,
        states=frozenset(t.attributed_to),
        about=_about(t, meta.title, operations),
        actors=frozenset(a.lower() for a in (*t.actors, *(x.actor for x in t.attributions if x.actor))),
        operations=operations,
        counts=t.counts.items(),
        operators=operators_of((*t.actors, *(x.actor for x in t.attributions if x.actor)), operations),
        vague=vague_figures(t.evidence.sentence),
        named=None if t.date else _named(t.evidence.sentence, meta.published or meta.estimated),
        remainder=_remainder(t),
        quarter=_quarter(t.evidence.sentence, t.date or meta.published or meta.estimated),
    )


def _quarter(sentence: str, when: date | None) -> NamedDate | None:
    named = _named(sentence, when)
    return named if named is not None and named.last > named.first and named.year is not None else None


def _remainder(t: Takedown) -> tuple[tuple[int, int], ...]:
    values = {v for _, v in t.counts.items()}
    return tuple((lo, hi) for n, lo, hi in open_totals(t.evidence.sentence) if n in values)


def _sources(facts: Iterable[ArticleFacts]) -> list[Source]:
    records = [(source_key(t), t, f.article) for f in facts for t in f.takedowns]
    records.sort(key=lambda r: r[0])
    return [_source(i, t, meta) for i, (_, t, meta) in enumerate(records)]


def blocks(facts: Iterable[ArticleFacts]) -> dict[str, list[Source]]:
    """The merge's blocks: every record by platform, in canonical order."""
    out: dict[str, list[Source]] = defaultdict(list)
    for s in _sources(facts):
        out[s.takedown.platform].append(s)
    return dict(sorted(out.items()))
