"""The RDF graph as a drawable view: one node per resource, one edge per resource-to-resource triple.

This is the graph-stage half of the HTML export (it may read rdflib; the exporter may not).
Mentions are provenance, not actors, so they are not drawn: each fact's card carries the
sentences that state it, chosen and marked by ``kg.evidence``. Every node carries what the
page needs for its card and its filters (``states``, ``platforms``, ``years``), and the view
carries takedown and denial records the page aggregates into its story view, so the exporter
never goes back to RDF. Card text is plain text taken from articles: whoever renders it must
escape it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import fields
from datetime import date
from typing import TYPE_CHECKING, Any

from rdflib import OWL as _OWL
from rdflib import RDF as _RDF
from rdflib import RDFS as _RDFS
from rdflib import Literal, URIRef
from rdflib.term import Node

if TYPE_CHECKING:
    import networkx as nx

from kg.evidence import DANGLING, Candidate, Terms, select, short_label, whole_phrase
from kg.namespace import CIB as _CIB
from kg.namespace import PROV as _PROV
from kg.namespace import RES, TermCache
from kg.namespace import SCHEMA as _SCHEMA
from kg.view_index import Source, TripleIndex, _sorted, index_of

# rdflib runs Python code on every ``CIB.network``; the view asks for terms some 100,000 times
CIB: Any = TermCache(_CIB)
PROV: Any = TermCache(_PROV)
SCHEMA: Any = TermCache(_SCHEMA)
OWL: Any = TermCache(_OWL)
RDF: Any = TermCache(_RDF)
RDFS: Any = TermCache(_RDFS)

#: rdf:type -> view kind. Mentions are deliberately absent: they are folded into tooltips.
KIND_OF_CLASS: dict[URIRef, str] = {
    CIB.Platform: "platform",
    CIB.State: "state",
    CIB.Network: "network",
    CIB.Takedown: "takedown",
    CIB.Denial: "denial",
    CIB.Claim: "claim",
    CIB.Organisation: "organisation",
    CIB.Person: "person",
    CIB.Article: "article",
}
#: Kinds in legend order.
KINDS: tuple[str, ...] = (
    "platform", "state", "network", "takedown", "claim", "denial", "organisation", "person", "article",
)
#: IRI path segment -> kind, for resources referenced but not typed.
_KIND_OF_SEGMENT = {"platform": "platform", "state": "state", "network": "network",
                    "takedown": "takedown", "denial": "denial", "claim": "claim",
                    "org": "organisation", "person": "person", "article": "article"}
#: Predicates never drawn as edges (the type is the node's colour; mentions are folded).
_SKIP_PREDICATES = {RDF.type, PROV.wasDerivedFrom, OWL.sameAs}
#: Count properties of a takedown, in display order.
COUNT_LABELS: tuple[tuple[URIRef, str], ...] = (
    (CIB.accounts, "accounts"),
    (CIB.pages, "pages"),
    (CIB.groups, "groups"),
    (CIB.instagramAccounts, "Instagram accounts"),
    (CIB.channels, "channels"),
    (CIB.combinedCount, "assets (combined)"),
)
#: Longest quoted text kept in a tooltip line; the full text stays in the graph.
MAX_TEXT = 600
#: Longest drawn label; the full label is in the tooltip.
MAX_LABEL = 40


def local_name(iri: URIRef | str) -> str:
    """``https://...#removed`` -> ``removed``: the edge label."""
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _kind(graph: TripleIndex, node: Node) -> str | None:
    if not isinstance(node, URIRef):
        return None
    for cls in _sorted(graph.object_list(node, RDF.type)):
        if cls in KIND_OF_CLASS:
            return KIND_OF_CLASS[cls]  # type: ignore[index]
        if cls == CIB.Mention:
            return None
    text = str(node)
    if text.startswith(str(RES)):
        return _KIND_OF_SEGMENT.get(text[len(str(RES)):].split("/", 1)[0])
    return None


def _short(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _year(value: Node | None) -> int | None:
    if isinstance(value, Literal):
        py = value.toPython()
        if isinstance(py, date):
            return py.year
        text = str(value)
        if len(text) >= 4 and text[:4].isdigit():
            return int(text[:4])
    return None


class _Reader:
    """Small sorted accessors over one graph, so output does not depend on triple order."""

    def __init__(self, graph: TripleIndex) -> None:
        self.g = graph
        self._labels: dict[Node, str] = {}
        self._lines: dict[Node, str] = {}
        self._objs: dict[tuple[Node, Node], list[Node]] = {}
        self._subs: dict[tuple[Node, Node], list[Node]] = {}
        #: per takedown, shared by its card, its evidence terms and its record (never modified)
        self.memo_counts: dict[Node, list[tuple[str, int]]] = {}
        self.memo_states: dict[Node, set[Node]] = {}

    def objs(self, s: Node, p: URIRef) -> list[Node]:
        """Sorted objects, sorted once per (s, p) (shared: do not modify the list)."""
        key = (s, p)
        got = self._objs.get(key)
        if got is None:
            got = self._objs[key] = _sorted(self.g.object_list(s, p))
        return got

    def subs(self, p: URIRef, o: Node) -> list[Node]:
        """Sorted subjects, sorted once per (p, o) (shared: do not modify the list)."""
        key = (p, o)
        got = self._subs.get(key)
        if got is None:
            got = self._subs[key] = _sorted(self.g.subjects(p, o) if type(o) is Literal
                                             else self.g.subject_list(p, o))
        return got

    def one(self, s: Node, p: URIRef) -> Node | None:
        """The least object (most properties have one: read straight from the index)."""
        values = self.g.object_list(s, p)
        if len(values) < 2:
            return values[0] if values else None
        return self.objs(s, p)[0]

    def text(self, s: Node, p: URIRef) -> str | None:
        value = self.one(s, p)
        return None if value is None else str(value)

    def label(self, node: Node) -> str:
        if node not in self._labels:
            self._labels[node] = self._label(node)
        return self._labels[node]

    def _label(self, node: Node) -> str:
        for p in (RDFS.label, SCHEMA.headline):
            value = self.text(node, p)
            if value:
                return " ".join(value.split())
        return local_name(node)  # type: ignore[arg-type]

    def labels(self, nodes: Iterable[Node]) -> list[str]:
        return sorted({self.label(n) for n in nodes})

    def article_line(self, article: Node) -> str:
        if article not in self._lines:
            published = self.text(article, SCHEMA.datePublished)
            self._lines[article] = f"{self.label(article)} ({published or 'undated'})"
        return self._lines[article]

    def sources(self, fact: Node) -> list[str]:
        articles = set(self.objs(fact, CIB.reportedIn))
        for mention in self.objs(fact, PROV.wasDerivedFrom):
            articles.update(self.objs(mention, CIB.inArticle))
        return sorted(self.article_line(a) for a in articles)


def _field(card: dict[str, Any], name: str, value: str | None) -> None:
    if value:
        card["fields"].append([name, value])


def _section(card: dict[str, Any], heading: str, items: list[str]) -> None:
    if items:
        card["sections"].append([heading, items])


def _claim_text(r: _Reader, claim: Node) -> str:
    claimant = ", ".join(r.labels(r.objs(claim, CIB.claimant)))
    state = ", ".join(r.labels(r.objs(claim, CIB.claimedState))) or "?"
    if not claimant:  # a denial that names no accuser
        return f"an accusation against {state}, accuser unnamed"
    wording = r.text(claim, CIB.wording)
    return f"{claimant}: network {wording or 'attributed to'} {state}"


def _counts(r: _Reader, takedown: Node) -> list[tuple[str, int]]:
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


def _takedown_states(r: _Reader, takedown: Node) -> set[Node]:
    got = r.memo_states.get(takedown)
    if got is None:
        networks = r.objs(takedown, CIB.network)
        got = {s for n in networks for s in r.objs(n, CIB.attributedTo)}
        got |= {s for n in networks for c in r.subs(CIB.claimAbout, n) for s in r.objs(c, CIB.claimedState)}
        r.memo_states[takedown] = got
    return got


def _terms(r: _Reader, node: Node, kind: str) -> Terms:
    """The names and figures a fact's evidence sentences should carry."""
    if kind == "takedown":
        return Terms(platforms=tuple(r.labels(r.objs(node, CIB.platform))),
                     states=tuple(r.labels(_takedown_states(r, node))),
                     counts=tuple(sorted({n for _, n in _counts(r, node)})))
    if kind == "claim":
        networks = r.objs(node, CIB.claimAbout)
        counts = {n for net in networks for t in r.subs(CIB.network, net) for _, n in _counts(r, t)}
        return Terms(platforms=tuple(r.labels(r.objs(node, CIB.claimant))),
                     states=tuple(r.labels(r.objs(node, CIB.claimedState))), counts=tuple(sorted(counts)))
    claimants = {p for c in r.objs(node, CIB.deniesClaim) for p in r.objs(c, CIB.claimant)}
    return Terms(platforms=tuple(r.labels(claimants)), states=tuple(r.labels(r.objs(node, CIB.deniedBy))),
                 people=tuple(r.labels(r.objs(node, CIB.speaker))), verbs="rejection_verb")


#: A candidate sentence as the fields of :class:`kg.evidence.Candidate`, in order: plain
#: values hash and ``repr`` fast, and most facts of a rebuild need no ``Candidate`` at all.
CandidateRow = tuple[str, str, str, int, float, str]
#: Every field of :class:`kg.evidence.Terms`, for the evidence memo's key.
_TERM_FIELDS = tuple(f.name for f in fields(Terms))


def _candidates(r: _Reader, fact: Node) -> list[CandidateRow]:
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

    Choosing and marking a fact's sentences (:func:`kg.evidence.select`) is the dearest part
    of a card; most facts of a rebuild's graph are the last build's, with the same sentences,
    names and figures. ``old`` holds the last page's choices (validated by whoever loaded
    them: :func:`kg.html_reuse.load_evidence`); ``new`` collects this page's, to be kept for
    the next. The key covers the candidates, the fact's terms, every state and platform name
    and strictness; the code and word lists that choose are checked by the file's loader.
    """

    def __init__(self, old: dict[str, list[dict[str, Any]]] | None = None) -> None:
        self.old = old or {}
        self.new: dict[str, list[dict[str, Any]]] = {}
        self.hits = 0


def _evidence(r: _Reader, fact: Node, kind: str, names: tuple[tuple[str, ...], tuple[str, ...]],
              memo: EvidenceMemo | None = None, names_key: bytes = b"") -> list[dict[str, Any]]:
    rows, terms, strict = _candidates(r, fact), _terms(r, fact, kind), kind != "denial"
    key = ""
    if memo is not None:
        inputs = (rows, tuple(getattr(terms, name) for name in _TERM_FIELDS), strict)
        key = hashlib.sha256(names_key + repr(inputs).encode("utf-8")).hexdigest()
        if key in memo.old:
            memo.hits += 1
            memo.new[key] = memo.old[key]
            return memo.old[key]
    chosen = select([Candidate(*row) for row in rows], terms, names[0], names[1], strict=strict)
    out = [{"text": _short(e.text), "where": e.where, "confidence": round(e.confidence, 3),
            "marks": [list(m) for m in e.marks if m[1] <= MAX_TEXT - 1]} for e in chosen]
    if memo is not None:
        memo.new[key] = out
    return out


def _card(r: _Reader, node: URIRef, kind: str, label: str,
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
        _field(card, "Counts", count_text(_counts(r, node)) or "no exact figure")
        _field(card, "Date", r.text(node, CIB.date) or "unknown")
    elif kind == "denial":
        _field(card, "State", ", ".join(r.labels(r.objs(node, CIB.deniedBy))))
        _field(card, "Speaker", ", ".join(r.labels(r.objs(node, CIB.speaker))) or "unnamed")
        quote = r.text(node, CIB.quote)
        _field(card, "Quote", f"“{_short(quote)}”" if quote else None)
        _field(card, "Date", r.text(node, CIB.date) or "unknown")
        _section(card, "Denies", [_claim_text(r, c) for c in r.objs(node, CIB.deniesClaim)])
    elif kind == "claim":
        _field(card, "Says", _claim_text(r, node))
        _field(card, "Wording", r.text(node, CIB.wording))
        _field(card, "About", ", ".join(r.labels(r.objs(node, CIB.claimAbout))))
    elif kind == "article":
        _field(card, "Published", r.text(node, SCHEMA.datePublished) or "undated")
        _field(card, "File", r.text(node, CIB.sourceFile))
        _field(card, "Id", r.text(node, CIB.articleId))
    elif kind == "network":
        _field(card, "Removed by", ", ".join(r.labels(r.subs(CIB.removed, node))))
        _field(card, "Attributed to", ", ".join(r.labels(r.objs(node, CIB.attributedTo))))
        _field(card, "Actors", ", ".join(r.labels(r.objs(node, CIB.actor))))
        counts = [c for t in r.subs(CIB.network, node) if (c := count_text(_counts(r, t)))]
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


def _facets(r: _Reader, kinds: dict[URIRef, str]) -> dict[URIRef, tuple[set[str], set[str], set[int]]]:
    """States, platforms and years each node is involved with, for the page's filters.

    Each takedown and denial spreads its states, platforms and year to every node it touches
    (platform, network, states, claims, speaker, articles...), so filtering on "Russia" keeps
    the whole neighbourhood of Russian takedowns, not just the Russia node.
    """
    facets: dict[URIRef, tuple[set[str], set[str], set[int]]] = defaultdict(lambda: (set(), set(), set()))

    def spread(touched: set[Node], states: set[str], platforms: set[str], years: set[int]) -> None:
        for n in touched:
            if n in kinds:
                s, p, y = facets[n]  # type: ignore[index]
                s.update(states)
                p.update(platforms)
                y.update(years)

    def fact_years(fact: Node, articles: set[Node]) -> set[int]:
        own = _year(r.one(fact, CIB.date))
        if own is not None:
            return {own}
        return {y for a in articles if (y := _year(r.one(a, SCHEMA.datePublished))) is not None}

    for node, kind in kinds.items():
        if kind == "takedown":
            platforms = set(r.objs(node, CIB.platform))
            networks = set(r.objs(node, CIB.network))
            states = {s for n in networks for s in r.objs(n, CIB.attributedTo)}
            claims = {c for n in networks for c in r.subs(CIB.claimAbout, n)}
            states |= {s for c in claims for s in r.objs(c, CIB.claimedState)}
            actors = {a for n in networks for a in r.objs(n, CIB.actor)}
            articles = set(r.objs(node, CIB.reportedIn))
            touched = {node} | platforms | networks | states | claims | actors | articles
        elif kind == "denial":
            states = set(r.objs(node, CIB.deniedBy))
            claims = set(r.objs(node, CIB.deniesClaim))
            platforms = {p for c in claims for p in r.objs(c, CIB.claimant)}
            articles = set(r.objs(node, CIB.reportedIn))
            touched = {node} | states | claims | platforms | articles | set(r.objs(node, CIB.speaker))
        else:
            continue
        spread(touched, set(r.labels(states)), set(r.labels(platforms)), fact_years(node, articles))
    for node, kind in kinds.items():
        s, p, y = facets[node]
        if kind == "state":
            s.add(r.label(node))
        elif kind == "platform":
            p.add(r.label(node))
        elif kind in ("organisation", "person"):
            s.update(r.labels(r.objs(node, CIB.actsFor)))
        elif kind == "article" and (own := _year(r.one(node, SCHEMA.datePublished))) is not None:
            y.add(own)
    return facets


def summarize(source: Source) -> dict[str, int]:
    """The numbers of the page header (same meaning as the build's summary line)."""
    graph = index_of(source)

    def count(cls: URIRef) -> int:
        return len(set(graph.subjects(RDF.type, cls)))

    entities = sum(count(c) for c in (CIB.Platform, CIB.State, CIB.Organisation, CIB.Person))
    return {
        "articles": count(CIB.Article),
        "takedowns": count(CIB.Takedown),
        "denials": count(CIB.Denial),
        "entities": entities,
        "triples": len(graph),
    }


def _full_labels(r: _Reader, kinds: dict[URIRef, str]) -> dict[URIRef, str]:
    """Each node's label as a whole phrase: a network name extraction cut on a dangling word
    ("a campaign linked") is read on in its evidence sentences, and the takedown and claim
    labels built from it follow."""
    labels = {node: r.label(node) for node in kinds}
    for node, kind in kinds.items():
        if kind != "network":
            continue
        old = labels[node]
        words = old.split()
        if not words or words[-1].casefold() not in DANGLING:  # whole already (whole_phrase's own test)
            continue
        facts = r.subs(CIB.network, node) + r.subs(CIB.claimAbout, node)
        sentences = sorted({str(v) for f in facts for m in r.objs(f, PROV.wasDerivedFrom)
                            for v in r.objs(m, CIB.sentence)})
        new = whole_phrase(old, sentences)
        if new == old:
            continue
        labels[node] = new
        for fact in facts:
            text = labels.get(fact)  # type: ignore[arg-type]
            if text and (text.endswith(old) or f"{old} (" in text):
                labels[fact] = text.replace(old, new, 1)  # type: ignore[index]
    return labels


def _fact_year(r: _Reader, fact: Node) -> int | None:
    own = _year(r.one(fact, CIB.date))
    if own is not None:
        return own
    years = [y for a in r.objs(fact, CIB.reportedIn) if (y := _year(r.one(a, SCHEMA.datePublished)))]
    return min(years) if years else None


def _records(r: _Reader, kinds: dict[URIRef, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Takedowns and denials as small records, so the page can aggregate and filter them itself."""
    takedowns, denials = [], []
    for node in _sorted(kinds):
        if kinds[node] == "takedown":
            platforms = r.objs(node, CIB.platform)
            states = sorted(_takedown_states(r, node))
            takedowns.append({
                "id": str(node),
                "platforms": [str(p) for p in platforms], "states": [str(s) for s in states],
                "networks": [str(n) for n in r.objs(node, CIB.network)],
                "platformNames": r.labels(platforms), "stateNames": r.labels(states),
                "year": _fact_year(r, node), "counts": dict(_counts(r, node)),
            })
        elif kinds[node] == "denial":
            claims = r.objs(node, CIB.deniesClaim)
            states = r.objs(node, CIB.deniedBy)
            platforms = sorted({p for c in claims for p in r.objs(c, CIB.claimant)})
            denials.append({
                "id": str(node),
                "states": [str(s) for s in states], "speakers": [str(s) for s in r.objs(node, CIB.speaker)],
                "claims": [str(c) for c in claims],
                "networks": sorted({str(n) for c in claims for n in r.objs(c, CIB.claimAbout)}),
                "platformNames": r.labels(platforms), "stateNames": r.labels(states),
                "year": _fact_year(r, node),
            })
    return takedowns, denials


class _Edges(dict):  # type: ignore[type-arg]
    """``(u, v, key) -> attributes``; called like networkx's edge view for the triples."""

    def __call__(self, keys: bool = False, data: bool = False) -> list[tuple[Any, ...]]:
        if data:
            return [(u, v, k, d) if keys else (u, v, d) for (u, v, k), d in self.items()]
        return [(u, v, k) if keys else (u, v) for u, v, k in self]


class PlainView:
    """The view in plain dicts, read like the ``nx.MultiDiGraph`` of :func:`to_view`: ``graph``
    (its attributes), ``nodes`` (id -> attributes, in id order), ``edges`` (``(u, v, key)`` ->
    attributes, sorted; ``edges(keys=True)`` lists them), ``degree()``, ``number_of_nodes()``,
    ``number_of_edges()``. The build's page is made from it because importing networkx costs
    0.1 s, a fifth of a rebuild's page; only a fresh layout (spring layout of the hubs) needs it.
    """

    def __init__(self, graph: dict[str, Any], nodes: list[tuple[str, dict[str, Any]]],
                 edges: list[tuple[str, str, str, dict[str, Any]]]) -> None:
        self.graph = graph
        self.nodes: dict[str, dict[str, Any]] = dict(nodes)
        self.edges = _Edges(((u, v, k), d) for u, v, k, d in edges)

    def degree(self) -> list[tuple[str, int]]:
        """Edges at each node, in and out (a self-loop twice), as networkx counts them."""
        degree = dict.fromkeys(self.nodes, 0)
        for u, v, _ in self.edges:
            degree[u] += 1
            degree[v] += 1
        return list(degree.items())

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return len(self.edges)


def to_view(source: Source, memo: EvidenceMemo | None = None) -> nx.MultiDiGraph:
    """The drawable view of ``graph``: nodes and edges sorted by IRI, so output is deterministic.

    Node attributes: ``kind``, ``label`` (shortened at a phrase boundary, for drawing),
    ``full_label`` (the whole phrase), ``card`` (heading, fields, sections and the selected,
    marked evidence), ``title`` (the card as plain text), ``year`` (int or None), ``states``,
    ``platforms``, ``years`` (sorted lists, for filters). Edge key and ``label``: the
    predicate's local name; a ``removed`` edge also has ``counts`` (what the platform removed
    from that network). ``view.graph`` holds ``summary`` and the ``takedowns`` and ``denials``
    records the page aggregates. With ``memo``, evidence an earlier page chose from the same
    inputs is reused (the same view either way).
    """
    import networkx as nx

    plain = plain_view(source, memo)
    view = nx.MultiDiGraph(**plain.graph)
    view.add_nodes_from(plain.nodes.items())
    view.add_edges_from((u, v, key, data) for (u, v, key), data in plain.edges.items())
    return view


def plain_view(source: Source, memo: EvidenceMemo | None = None) -> PlainView:
    """:func:`to_view`'s nodes, edges and attributes as a :class:`PlainView` (the page's path:
    no networkx)."""
    graph = index_of(source)
    r = _Reader(graph)
    kinds: dict[URIRef, str] = {}
    for s in graph.iris.values():
        kind = _kind(graph, s)
        if kind is not None:
            kinds[s] = kind  # type: ignore[index]
    facets = _facets(r, kinds)
    labels = _full_labels(r, kinds)
    names = (tuple(sorted(labels[n] for n, k in kinds.items() if k == "state")),
             tuple(sorted(labels[n] for n, k in kinds.items() if k == "platform")))
    names_key = hashlib.sha256(repr(names).encode("utf-8")).digest()
    takedowns, denials = _records(r, kinds)
    graph_attrs = {"summary": summarize(graph), "takedowns": takedowns, "denials": denials}
    rows = []
    for node in _sorted(kinds):
        kind = kinds[node]
        full = labels[node]
        year_of = CIB.date if kind in ("takedown", "denial") else SCHEMA.datePublished
        year = _year(r.one(node, year_of)) if kind in ("takedown", "denial", "article") else None
        states, platforms, years = facets[node]
        card = _card(r, node, kind, full, names, memo, names_key)
        rows.append((str(node), {
            "kind": kind,
            "label": short_label(full, MAX_LABEL),
            "full_label": full,
            "card": card,
            "title": card_text(card),
            "year": year,
            "states": sorted(states),
            "platforms": sorted(platforms),
            "years": sorted(years),
        }))
    drawn = {str(n) for n in kinds}
    skip = {str(p) for p in _SKIP_PREDICATES}
    names_of: dict[str, str] = {}
    edges = sorted(
        (ks, names_of.get(kp) or names_of.setdefault(kp, local_name(kp)), ko)
        for ks, kp, ko in graph.links
        if ks in drawn and ko in drawn and kp not in skip
    )
    removed: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for t in takedowns:
        for p in t["platforms"]:
            for n in t["networks"]:
                for name, value in t["counts"].items():
                    removed[p, n][name] += value
    return PlainView(graph_attrs, rows, [
        (s, o, name, {"label": name, "counts": count_text(removed[s, o].items())}
         if name == "removed" and (s, o) in removed else {"label": name})
        for s, name, o in edges
    ])
