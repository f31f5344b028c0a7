"""The RDF graph as a drawable view: one node per resource, one edge per resource-to-resource triple.

This is the graph-stage half of the HTML export (it may read rdflib; the exporter may not).
Mentions are provenance, not actors, so they are folded into the tooltips of the facts they
support instead of being drawn. Every node carries what the page needs for its tooltip and
its filters (``states``, ``platforms``, ``years``), so the exporter never goes back to RDF.
Tooltip text is plain text taken from articles: whoever renders it must escape it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

import networkx as nx
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.term import Node

from kg.namespace import CIB, PROV, RES, SCHEMA

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
MAX_LABEL = 32


def local_name(iri: URIRef | str) -> str:
    """``https://...#removed`` -> ``removed``: the edge label."""
    text = str(iri)
    for sep in ("#", "/"):
        if sep in text:
            text = text.rsplit(sep, 1)[1]
    return text


def _kind(graph: Graph, node: Node) -> str | None:
    if not isinstance(node, URIRef):
        return None
    for cls in sorted(graph.objects(node, RDF.type)):
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

    def __init__(self, graph: Graph) -> None:
        self.g = graph

    def objs(self, s: Node, p: URIRef) -> list[Node]:
        return sorted(self.g.objects(s, p))

    def subs(self, p: URIRef, o: Node) -> list[Node]:
        return sorted(self.g.subjects(p, o))

    def one(self, s: Node, p: URIRef) -> Node | None:
        values = self.objs(s, p)
        return values[0] if values else None

    def text(self, s: Node, p: URIRef) -> str | None:
        value = self.one(s, p)
        return None if value is None else str(value)

    def label(self, node: Node) -> str:
        for p in (RDFS.label, SCHEMA.headline):
            value = self.text(node, p)
            if value:
                return " ".join(value.split())
        return local_name(node)  # type: ignore[arg-type]

    def labels(self, nodes: Iterable[Node]) -> list[str]:
        return sorted({self.label(n) for n in nodes})

    def article_line(self, article: Node) -> str:
        published = self.text(article, SCHEMA.datePublished)
        return f"{self.label(article)} ({published or 'undated'})"

    def evidence(self, fact: Node) -> list[str]:
        """Evidence sentences of a fact, each with its article: read through its mentions."""
        lines = set()
        for mention in self.objs(fact, PROV.wasDerivedFrom):
            sentence = self.text(mention, CIB.sentence)
            if not sentence:
                continue
            articles = self.objs(mention, CIB.inArticle)
            where = "; ".join(self.article_line(a) for a in articles)
            lines.add(f"“{_short(sentence)}”" + (f" — {where}" if where else ""))
        return sorted(lines)

    def sources(self, fact: Node) -> list[str]:
        articles = set(self.objs(fact, CIB.reportedIn))
        for mention in self.objs(fact, PROV.wasDerivedFrom):
            articles.update(self.objs(mention, CIB.inArticle))
        return sorted(self.article_line(a) for a in articles)


def _section(lines: list[str], heading: str, items: list[str]) -> None:
    if items:
        lines.append(f"{heading}:")
        lines.extend(f"• {item}" for item in items)


def _field(lines: list[str], name: str, value: str | None) -> None:
    if value:
        lines.append(f"{name}: {value}")


def _claim_text(r: _Reader, claim: Node) -> str:
    claimant = ", ".join(r.labels(r.objs(claim, CIB.claimant))) or "?"
    state = ", ".join(r.labels(r.objs(claim, CIB.claimedState))) or "?"
    wording = r.text(claim, CIB.wording)
    return f"{claimant}: network {wording or 'attributed to'} {state}"


def _tooltip(r: _Reader, node: URIRef, kind: str) -> str:
    """Plain-text tooltip: heading line, then ``Field: value`` lines and bulleted sections."""
    label = r.label(node)
    lines = [f"{kind.capitalize()}: {label}"]
    if kind == "takedown":
        network = r.one(node, CIB.network)
        _field(lines, "Platform", ", ".join(r.labels(r.objs(node, CIB.platform))))
        if network is not None:
            _field(lines, "Network", r.label(network))
            _field(lines, "Attributed to", ", ".join(r.labels(r.objs(network, CIB.attributedTo))))
            _field(lines, "Actors", ", ".join(r.labels(r.objs(network, CIB.actor))))
            wordings = sorted({str(w) for c in r.subs(CIB.claimAbout, network)
                               for w in r.objs(c, CIB.wording)})
            _field(lines, "Wording", ", ".join(wordings))
        counts = [f"{int(v.toPython()):,} {name}" for p, name in COUNT_LABELS  # type: ignore[union-attr]
                  if isinstance(v := r.one(node, p), Literal)]
        _field(lines, "Counts", ", ".join(counts) or "no exact figure")
        _field(lines, "Date", r.text(node, CIB.date) or "unknown")
    elif kind == "denial":
        _field(lines, "State", ", ".join(r.labels(r.objs(node, CIB.deniedBy))))
        _field(lines, "Speaker", ", ".join(r.labels(r.objs(node, CIB.speaker))) or "unnamed")
        quote = r.text(node, CIB.quote)
        _field(lines, "Quote", f"“{_short(quote)}”" if quote else None)
        _field(lines, "Date", r.text(node, CIB.date) or "unknown")
        _section(lines, "Denies", [_claim_text(r, c) for c in r.objs(node, CIB.deniesClaim)])
    elif kind == "claim":
        _field(lines, "Says", _claim_text(r, node))
        _field(lines, "Wording", r.text(node, CIB.wording))
        _field(lines, "About", ", ".join(r.labels(r.objs(node, CIB.claimAbout))))
    elif kind == "article":
        _field(lines, "Published", r.text(node, SCHEMA.datePublished) or "undated")
        _field(lines, "File", r.text(node, CIB.sourceFile))
        _field(lines, "Id", r.text(node, CIB.articleId))
    elif kind == "network":
        _field(lines, "Removed by", ", ".join(r.labels(r.subs(CIB.removed, node))))
        _field(lines, "Attributed to", ", ".join(r.labels(r.objs(node, CIB.attributedTo))))
        _field(lines, "Actors", ", ".join(r.labels(r.objs(node, CIB.actor))))
    else:
        _field(lines, "Role", ", ".join(str(v) for v in r.objs(node, CIB.role)))
        _field(lines, "Acts for", ", ".join(r.labels(r.objs(node, CIB.actsFor))))
        _field(lines, "Wikidata", ", ".join(local_name(v) for v in r.objs(node, OWL.sameAs)))  # type: ignore[arg-type]
    if kind in ("takedown", "denial", "claim"):
        _section(lines, "Evidence", r.evidence(node))
        _section(lines, "Sources", r.sources(node))
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


def summarize(graph: Graph) -> dict[str, int]:
    """The numbers of the page header (same meaning as the build's summary line)."""

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


def to_view(graph: Graph) -> nx.MultiDiGraph:
    """The drawable view of ``graph``: nodes and edges sorted by IRI, so output is deterministic.

    Node attributes: ``kind``, ``label`` (short, for drawing), ``full_label``, ``title``
    (plain-text tooltip), ``year`` (int or None), ``states``, ``platforms``, ``years`` (sorted
    lists, for filters). Edge key and ``label``: the predicate's local name. The summary is
    in ``view.graph["summary"]``.
    """
    r = _Reader(graph)
    kinds: dict[URIRef, str] = {}
    for s in set(graph.subjects()) | {o for o in graph.objects() if isinstance(o, URIRef)}:
        kind = _kind(graph, s)
        if kind is not None:
            kinds[s] = kind  # type: ignore[index]
    facets = _facets(r, kinds)
    view = nx.MultiDiGraph(summary=summarize(graph))
    for node in sorted(kinds):
        kind = kinds[node]
        full = r.label(node)
        year_of = CIB.date if kind in ("takedown", "denial") else SCHEMA.datePublished
        year = _year(r.one(node, year_of)) if kind in ("takedown", "denial", "article") else None
        states, platforms, years = facets[node]
        view.add_node(
            str(node),
            kind=kind,
            label=_short(full, MAX_LABEL),
            full_label=full,
            title=_tooltip(r, node, kind),
            year=year,
            states=sorted(states),
            platforms=sorted(platforms),
            years=sorted(years),
        )
    edges = sorted(
        (str(s), local_name(p), str(o))  # type: ignore[arg-type]
        for s, p, o in graph
        if p not in _SKIP_PREDICATES and s in kinds and o in kinds
    )
    for s, name, o in edges:
        view.add_edge(s, o, key=name, label=name)
    return view
