"""The RDF graph as a drawable view: one node per resource, one edge per resource-to-resource triple.

This is the graph-stage half of the HTML export (it may read rdflib; the exporter may not).
Mentions are provenance, not actors, so they are not drawn: each fact's card carries the
sentences that state it, chosen and marked by ``kg.explorer.evidence``. Every node carries what the
page needs for its card and its filters (``states``, ``platforms``, ``years``), and the view
carries takedown and denial records the page aggregates into its story view, so the exporter
never goes back to RDF. Card text is plain text taken from articles: whoever renders it must
escape it.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

if TYPE_CHECKING:
    import networkx as nx

from kg.explorer.cards import EvidenceMemo, card_text, count_text, make_card, takedown_counts, takedown_states
from kg.explorer.evidence import DANGLING, short_label, whole_phrase
from kg.explorer.index import Source, TripleIndex, _sorted, index_of
from kg.explorer.reader import (
    CIB,
    MAX_LABEL,
    PROV,
    RDF,
    SCHEMA,
    SKIP_PREDICATES,
    Reader,
    kind_of,
    literal_year,
    local_name,
)


def _facets(r: Reader, kinds: dict[URIRef, str]) -> dict[URIRef, tuple[set[str], set[str], set[int]]]:
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
        """The year of its chart date (none if undated); a graph built before cib:chartDate:
        of its own date, else of the articles that report it."""
        own = literal_year(r.one(fact, CIB.chartDate) or r.one(fact, CIB.date))
        if own is not None or r.one(fact, CIB.chartDateSource) is not None:
            return set() if own is None else {own}
        return {y for a in articles if (y := literal_year(r.one(a, SCHEMA.datePublished))) is not None}

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
        elif kind == "article" and (own := literal_year(r.one(node, SCHEMA.datePublished))) is not None:
            y.add(own)
    return facets


def summarize(source: Source) -> dict[str, int]:
    """The numbers of the page header (same meaning as the build's summary line)."""
    graph = index_of(source)

    def count(cls: URIRef) -> int:
        return len(set(graph.subjects(RDF.type, cls)))

    entities = sum(count(c) for c in (CIB.Platform, CIB.State, CIB.Organisation, CIB.Person))
    return {
        "articles": _articles_read(graph) if graph.subject_list(RDF.type, CIB.Corpus) else count(CIB.Article),
        "takedowns": count(CIB.Takedown),
        "denials": count(CIB.Denial),
        "entities": entities,
        "triples": len(graph),
    }


def _articles_read(graph: TripleIndex) -> int:
    """Articles the build read, from its ``cib:Corpus`` counts: only those with facts are
    ``cib:Article`` nodes (a graph of an older build has no counts: its nodes are all)."""
    return sum(int(o.toPython()) for s in graph.subject_list(RDF.type, CIB.Corpus)
               for o in graph.object_list(s, CIB.articlesRead))


def _full_labels(r: Reader, kinds: dict[URIRef, str]) -> dict[URIRef, str]:
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


def _iso(value: Node | None) -> str | None:
    """An ``xsd:date`` literal as ``YYYY-MM-DD`` (None if absent or not a date)."""
    if isinstance(value, Literal):
        text = str(value)
        if len(text) >= 10 and text[:4].isdigit():
            return text[:10]
    return None


#: ``cib:chartDateSource`` values, best first (kg.rdf.dating; the page names them so).
DATE_KINDS = ("reported date", "first report", "text date", "undated")


def _fact_dates(r: Reader, fact: Node) -> dict[str, str | int | None]:
    """Its dates, each kept apart (``date``: removal or denial; ``firstReported``; ``textDate``),
    the one that places it in time (``when``, ``year``) and which that is (``dateUsed``, one of
    :data:`DATE_KINDS`). A graph built before ``cib:chartDate`` gives the removal date, else the
    earliest publication date of the articles that report it."""
    own = _iso(r.one(fact, CIB.date))
    first = _iso(r.one(fact, CIB.firstReported))
    text = r.one(fact, CIB.textDate)
    chart, used = r.one(fact, CIB.chartDate), r.one(fact, CIB.chartDateSource)
    if used is None:  # an older graph
        if first is None:
            articles = r.objs(fact, CIB.reportedIn)
            published = sorted(d for a in articles if (d := _iso(r.one(a, SCHEMA.datePublished))))
            first = published[0] if published else None
        chart = own or first
        used = "reported date" if own else "first report" if first else "undated"
    when = str(chart) if chart is not None else None
    kind = str(used) if str(used) in DATE_KINDS else "undated"
    return {"date": own, "firstReported": first, "textDate": str(text) if text is not None else None,
            "when": when, "dateUsed": kind, "year": int(when[:4]) if when and when[:4].isdigit() else None}


def _sources(r: Reader, fact: Node) -> list[list[str]]:
    """The articles that report a fact: ``[published or "", headline or file, file]``, by date."""
    rows = []
    for a in r.objs(fact, CIB.reportedIn):
        file = str(r.one(a, CIB.sourceFile) or "")
        title = r.one(a, SCHEMA.headline) or file or a
        rows.append([_iso(r.one(a, SCHEMA.datePublished)) or "", str(title), file])
    return sorted(rows)


def _records(r: Reader, kinds: dict[URIRef, str],
             labels: dict[URIRef, str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Takedowns and denials as small records, so the page can aggregate, filter and tabulate
    them itself (the state and platform views). Text in them is article text: escape it."""
    takedowns, denials = [], []
    for node in _sorted(kinds):
        if kinds[node] not in ("takedown", "denial"):
            continue
        common = {"id": str(node), "event": str(r.one(node, CIB.eventId) or ""), **_fact_dates(r, node),
                  "sources": _sources(r, node)}
        if kinds[node] == "takedown":
            platforms = r.objs(node, CIB.platform)
            states = sorted(takedown_states(r, node))
            networks = r.objs(node, CIB.network)
            takedowns.append({
                **common,
                "platforms": [str(p) for p in platforms], "states": [str(s) for s in states],
                "networks": [str(n) for n in networks],
                "networkNames": [labels.get(n, r.label(n)) for n in networks],  # type: ignore[call-overload]
                "platformNames": r.labels(platforms), "stateNames": r.labels(states),
                "counts": dict(takedown_counts(r, node)),
            })
        else:
            claims = r.objs(node, CIB.deniesClaim)
            states = r.objs(node, CIB.deniedBy)
            speakers = r.objs(node, CIB.speaker)
            platforms = sorted({p for c in claims for p in r.objs(c, CIB.claimant)})
            quote = r.one(node, CIB.quote)
            denials.append({
                **common,
                "states": [str(s) for s in states], "speakers": [str(s) for s in speakers],
                "speakerNames": r.labels(speakers), "quote": str(quote) if quote is not None else "",
                "claims": [str(c) for c in claims],
                "networks": sorted({str(n) for c in claims for n in r.objs(c, CIB.claimAbout)}),
                "platforms": [str(p) for p in platforms],
                "platformNames": r.labels(platforms), "stateNames": r.labels(states),
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
    r = Reader(graph)
    kinds: dict[URIRef, str] = {}
    for s in graph.iris.values():
        kind = kind_of(graph, s)
        if kind is not None:
            kinds[s] = kind  # type: ignore[index]
    facets = _facets(r, kinds)
    labels = _full_labels(r, kinds)
    names = (tuple(sorted(labels[n] for n, k in kinds.items() if k == "state")),
             tuple(sorted(labels[n] for n, k in kinds.items() if k == "platform")))
    names_key = hashlib.sha256(repr(names).encode("utf-8")).digest()
    takedowns, denials = _records(r, kinds, labels)
    graph_attrs = {"summary": summarize(graph), "takedowns": takedowns, "denials": denials}
    rows = []
    for node in _sorted(kinds):
        kind = kinds[node]
        full = labels[node]
        year_of = CIB.date if kind in ("takedown", "denial") else SCHEMA.datePublished
        year = literal_year(r.one(node, CIB.chartDate) or r.one(node, year_of)) if kind in (
            "takedown", "denial", "article") else None
        states, platforms, years = facets[node]
        card = make_card(r, node, kind, full, names, memo, names_key)
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
    skip = {str(p) for p in SKIP_PREDICATES}
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
