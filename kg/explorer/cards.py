"""Each node's card: its fields, sections and the evidence sentences that state its facts.

Card text is plain text taken from articles: whoever renders it must escape it (the page does).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.explorer.evidence import Candidate, Terms, select
from kg.explorer.reader import CIB, COUNT_LABELS, MAX_TEXT, OWL, PROV, SCHEMA, Reader, local_name, shorten

#: A candidate sentence as the fields of :class:`kg.explorer.evidence.Candidate`, in order: plain
#: values hash and ``repr`` fast, and most facts of a rebuild need no ``Candidate`` at all.
CandidateRow = tuple[str, str, str, int, float, str]



def _field(card: dict[str, Any], name: str, value: str | None) -> None:
    if value:
        card["fields"].append([name, value])


def _section(card: dict[str, Any], heading: str, items: list[str]) -> None:
    if items:
        card["sections"].append([heading, items])


def _claim_text(r: Reader, claim: Node) -> str:
    claimant = ", ".join(r.labels(r.objs(claim, CIB.claimant)))
    state = ", ".join(r.labels(r.objs(claim, CIB.claimedState))) or "?"
    if not claimant:  # a denial that names no accuser
        return f"an accusation against {state}, accuser unnamed"
    wording = r.text(claim, CIB.wording)
    return f"{claimant}: network {wording or 'attributed to'} {state}"


def takedown_counts(r: Reader, takedown: Node) -> list[tuple[str, int]]:
    """A takedown's figures in display order (once per takedown: cards, terms and records ask)."""
    got = r.memo_counts.get(takedown)
    if got is None:
        got = r.memo_counts[takedown] = [
            (name, int(v.toPython())) for p, name in COUNT_LABELS  # type: ignore[union-attr]
            if isinstance(v := r.one(takedown, p), Literal)]
    return got


def count_text(counts: Iterable[tuple[str, int]]) -> str:
    """``[("accounts", 936), ("pages", 2)]`` -> ``936 accounts, 2 pages``."""
    return ", ".join(f"{n:,} {name}" for name, n in counts)


def takedown_states(r: Reader, takedown: Node) -> set[Node]:
    got = r.memo_states.get(takedown)
    if got is None:
        networks = r.objs(takedown, CIB.network)
        got = {s for n in networks for s in r.objs(n, CIB.attributedTo)}
        got |= {s for n in networks for c in r.subs(CIB.claimAbout, n) for s in r.objs(c, CIB.claimedState)}
        r.memo_states[takedown] = got
    return got


def _terms(r: Reader, node: Node, kind: str) -> Terms:
    """The names and figures a fact's evidence sentences should carry."""
    if kind == "takedown":
        return Terms(platforms=tuple(r.labels(r.objs(node, CIB.platform))),
                     states=tuple(r.labels(takedown_states(r, node))),
                     counts=tuple(sorted({n for _, n in takedown_counts(r, node)})))
    if kind == "claim":
        networks = r.objs(node, CIB.claimAbout)
        counts = {n for net in networks for t in r.subs(CIB.network, net) for _, n in takedown_counts(r, t)}
        return Terms(platforms=tuple(r.labels(r.objs(node, CIB.claimant))),
                     states=tuple(r.labels(r.objs(node, CIB.claimedState))), counts=tuple(sorted(counts)))
    claimants = {p for c in r.objs(node, CIB.deniesClaim) for p in r.objs(c, CIB.claimant)}
    return Terms(platforms=tuple(r.labels(claimants)), states=tuple(r.labels(r.objs(node, CIB.deniedBy))),
                 people=tuple(r.labels(r.objs(node, CIB.speaker))), verbs="rejection_verb")


#: Every field of :class:`kg.explorer.evidence.Terms`, for the evidence memo's key.
_TERM_FIELDS = tuple(f.name for f in fields(Terms))


def _candidates(r: Reader, fact: Node) -> list[CandidateRow]:
    out = []
    for mention in r.objs(fact, PROV.wasDerivedFrom):
        sentence = r.text(mention, CIB.sentence)
        if not sentence:
            continue
        for article in r.objs(mention, CIB.inArticle) or [None]:
            conf = r.one(mention, CIB.confidence)
            start = r.one(mention, CIB.startOffset)
            out.append((
                " ".join(sentence.split()),
                str(article or ""),
                r.article_line(article) if article is not None else "",
                int(start.toPython()) if isinstance(start, Literal) else 0,  # type: ignore[arg-type]
                float(conf.toPython()) if isinstance(conf, Literal) else 0.0,  # type: ignore[arg-type]
                (r.text(article, SCHEMA.headline) or "") if article is not None else "",
            ))
    return out


class EvidenceMemo:
    """Evidence chosen by an earlier page, by a hash of everything the choice reads.

    Choosing and marking a fact's sentences (:func:`kg.explorer.evidence.select`) is the dearest part
    of a card; most facts of a rebuild's graph are the last build's, with the same sentences,
    names and figures. ``old`` holds the last page's choices (validated by whoever loaded
    them: :func:`kg.explorer.reuse.load_evidence`); ``new`` collects this page's, to be kept for
    the next. The key covers the candidates, the fact's terms, every state and platform name
    and strictness; the code and word lists that choose are checked by the file's loader.
    """

    def __init__(self, old: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.old = old or {}
        self.new: dict[str, list[dict[str, Any]]] = {}
        self.hits = 0


def _from_candidates(kept: list[dict[str, Any]], rows: list[CandidateRow]) -> bool:
    """Whether every kept sentence is one of this fact's own (from its articles, in the graph):
    a forged ``evidence.json`` with valid keys is a miss, chosen again, never shown."""
    own = {(shorten(row[0]), row[2]) for row in rows}
    return all((item["text"], item["where"]) in own for item in kept)


def _evidence(r: Reader, fact: Node, kind: str, names: tuple[tuple[str, ...], tuple[str, ...]],
              memo: EvidenceMemo | None = None, names_key: bytes = b"") -> list[dict[str, Any]]:
    rows, terms, strict = _candidates(r, fact), _terms(r, fact, kind), kind != "denial"
    key = ""
    if memo is not None:
        inputs = (rows, tuple(getattr(terms, name) for name in _TERM_FIELDS), strict)
        key = hashlib.sha256(names_key + repr(inputs).encode("utf-8")).hexdigest()
        if key in memo.old and _from_candidates(memo.old[key], rows):
            memo.hits += 1
            memo.new[key] = memo.old[key]
            return memo.old[key]
    chosen = select([Candidate(*row) for row in rows], terms, names[0], names[1], strict=strict)
    out = [{"text": shorten(e.text), "where": e.where, "confidence": round(e.confidence, 3),
            "marks": [list(m) for m in e.marks if m[1] <= MAX_TEXT - 1]} for e in chosen]
    if memo is not None:
        memo.new[key] = out
    return out


def _charted_by(r: Reader, node: Node) -> str | None:
    """"2019-08 (text date)": the date that places the fact in time and which kind it is."""
    source = r.text(node, CIB.chartDateSource)
    if source is None:  # a graph built before cib:chartDate
        return None
    when = r.text(node, CIB.chartDate)
    return f"{when} ({source})" if when else "undated (no date of any kind)"


def make_card(r: Reader, node: URIRef, kind: str, label: str,
          names: tuple[tuple[str, ...], tuple[str, ...]], memo: EvidenceMemo | None = None,
          names_key: bytes = b"") -> dict[str, Any]:
    """What the page shows for a node: heading, ``[field, value]`` rows, sections, evidence."""
    card: dict[str, Any] = {"kind": kind, "title": label, "fields": [], "sections": [], "evidence": []}
    if kind == "takedown":
        network = r.one(node, CIB.network)
        _field(card, "Platform", ", ".join(r.labels(r.objs(node, CIB.platform))))
        if network is not None:
            _field(card, "Network", r.label(network))
            _field(card, "Attributed to", ", ".join(r.labels(r.objs(network, CIB.attributedTo))))
            _field(card, "Actors", ", ".join(r.labels(r.objs(network, CIB.actor))))
            wordings = sorted({str(w) for c in r.subs(CIB.claimAbout, network)
                               for w in r.objs(c, CIB.wording)})
            _field(card, "Wording", ", ".join(wordings))
        _field(card, "Counts", count_text(takedown_counts(r, node)) or "no exact figure")
        _field(card, "Date", r.text(node, CIB.date) or "unknown")
        _field(card, "Charted by", _charted_by(r, node))
    elif kind == "denial":
        _field(card, "State", ", ".join(r.labels(r.objs(node, CIB.deniedBy))))
        _field(card, "Speaker", ", ".join(r.labels(r.objs(node, CIB.speaker))) or "unnamed")
        quote = r.text(node, CIB.quote)
        _field(card, "Quote", f"“{shorten(quote)}”" if quote else None)
        _field(card, "Date", r.text(node, CIB.date) or "unknown")
        _field(card, "Charted by", _charted_by(r, node))
        _section(card, "Denies", [_claim_text(r, c) for c in r.objs(node, CIB.deniesClaim)])
    elif kind == "claim":
        _field(card, "Says", _claim_text(r, node))
        _field(card, "Wording", r.text(node, CIB.wording))
        _field(card, "About", ", ".join(r.labels(r.objs(node, CIB.claimAbout))))
    elif kind == "article":
        text_date = r.text(node, CIB.textDate)
        _field(card, "Published", r.text(node, SCHEMA.datePublished)
               or (f"no date line; its text gives {text_date}" if text_date else "undated"))
        _field(card, "File", r.text(node, CIB.sourceFile))
        _field(card, "Id", r.text(node, CIB.articleId))
    elif kind == "network":
        _field(card, "Removed by", ", ".join(r.labels(r.subs(CIB.removed, node))))
        _field(card, "Attributed to", ", ".join(r.labels(r.objs(node, CIB.attributedTo))))
        _field(card, "Actors", ", ".join(r.labels(r.objs(node, CIB.actor))))
        counts = [c for t in r.subs(CIB.network, node) if (c := count_text(takedown_counts(r, t)))]
        _field(card, "Counts", "; ".join(counts))
    else:
        _field(card, "Role", ", ".join(str(v) for v in r.objs(node, CIB.role)))
        _field(card, "Acts for", ", ".join(r.labels(r.objs(node, CIB.actsFor))))
        _field(card, "Wikidata", ", ".join(local_name(v) for v in r.objs(node, OWL.sameAs)))  # type: ignore[arg-type]
    if kind in ("takedown", "denial", "claim"):
        card["evidence"] = _evidence(r, node, kind, names, memo, names_key)
        _section(card, "Sources", r.sources(node))
    return card


def card_text(card: dict[str, Any]) -> str:
    """The card as plain text (the view's ``title``): heading, fields, evidence, sections."""
    lines = [f"{card['kind'].capitalize()}: {card['title']}"]
    lines += [f"{k}: {v}" for k, v in card["fields"]]
    if card["evidence"]:
        lines.append("Evidence:")
        lines += [f"• “{e['text']}”" + (f" — {e['where']}" if e["where"] else "") for e in card["evidence"]]
    for heading, items in card["sections"]:
        lines.append(f"{heading}:")
        lines += [f"• {item}" for item in items]
    return "\n".join(lines)
