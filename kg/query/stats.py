"""``kg stats``: what a graph holds (counts by class and predicate) and how it hangs together.

The network analysis runs on the *entity graph*: platforms, states, organisations, people,
networks, takedowns, claims and denials, linked by the object properties between them.
Provenance (mentions, articles) and typing (``rdf:type``, ``owl:sameAs``) are left out: every
fact points at an article, so keeping them would make articles the "central" nodes and say
nothing about who removed or denied what. Every list is sorted with ties broken by label and
IRI, and centralities are rounded, so the same graph always prints the same report.
"""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL

from kg.rdf.namespace import CIB_IRI, PREFIXES

#: Classes kept as nodes of the entity graph, by local name in ``cib:``.
ENTITY_CLASSES: tuple[str, ...] = (
    "Platform", "State", "Organisation", "Person", "Network", "Takedown", "Claim", "Denial",
)
#: Predicates that are not relations between entities.
SKIPPED_PREDICATES = frozenset({RDF.type, OWL.sameAs})
#: Above this many nodes betweenness is estimated from a fixed-seed sample of pivots.
EXACT_BETWEENNESS_MAX = 2000
ROUND = 4


@dataclass(frozen=True)
class Ranked:
    """One node in a ranking."""

    iri: str
    label: str
    kind: str
    value: float


@dataclass(frozen=True)
class Link:
    """A platform and a state joined by takedowns of networks attributed to that state."""

    platform: str
    state: str
    takedowns: int


@dataclass(frozen=True)
class Connected:
    """A platform or state, how many takedowns tie it to the other side, and to how many."""

    label: str
    kind: str
    takedowns: int
    partners: int


@dataclass(frozen=True)
class Stats:
    """Everything ``kg stats`` reports."""

    triples: int
    classes: tuple[tuple[str, int], ...]
    predicates: tuple[tuple[str, int], ...]
    nodes: int
    edges: int
    components: tuple[int, ...]  # sizes, largest first
    degree: tuple[Ranked, ...]
    betweenness: tuple[Ranked, ...]
    links: tuple[Link, ...]
    most_connected: tuple[Connected, ...]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _compact(term: object) -> str:
    value = str(term)
    for prefix, ns in sorted(PREFIXES, key=lambda p: (-len(p[1]), p[0])):
        if value.startswith(ns) and len(value) > len(ns):
            return f"{prefix}:{value[len(ns):]}"
    return value


def _sorted_counts(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def class_counts(graph: Graph) -> tuple[tuple[str, int], ...]:
    """Instances per class (compact names), most frequent first."""
    return _sorted_counts(Counter(_compact(o) for o in graph.objects(None, RDF.type)))


def predicate_counts(graph: Graph) -> tuple[tuple[str, int], ...]:
    """Triples per predicate (compact names), most frequent first."""
    return _sorted_counts(Counter(_compact(p) for p in graph.predicates(None, None)))


def _kinds(graph: Graph) -> dict[URIRef, str]:
    classes = {URIRef(CIB_IRI + name): name for name in ENTITY_CLASSES}
    kinds: dict[URIRef, str] = {}
    for s, o in graph.subject_objects(RDF.type):
        if isinstance(s, URIRef) and o in classes:
            kinds[s] = classes[o]  # type: ignore[index]
    return kinds


def _label(graph: Graph, node: URIRef) -> str:
    labels = sorted(str(o) for o in graph.objects(node, RDFS.label) if isinstance(o, Literal))
    return labels[0] if labels else _compact(node)


def to_networkx(graph: Graph) -> nx.Graph:
    """The entity graph as an undirected networkx graph; nodes carry ``label`` and ``kind``.

    Parallel relations between two nodes become one edge whose ``predicates`` lists them.
    """
    kinds = _kinds(graph)
    g = nx.Graph()
    for node in sorted(kinds, key=str):
        g.add_node(str(node), label=_label(graph, node), kind=kinds[node])
    edges: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s, p, o in graph:
        if p in SKIPPED_PREDICATES or s not in kinds or o not in kinds or s == o:
            continue
        a, b = sorted((str(s), str(o)))
        edges[(a, b)].add(_compact(p))
    for (a, b), preds in sorted(edges.items()):
        g.add_edge(a, b, predicates=sorted(preds))
    return g


def _ranking(g: nx.Graph, values: dict[str, float], top: int) -> tuple[Ranked, ...]:
    ranked = [
        Ranked(iri=n, label=g.nodes[n]["label"], kind=g.nodes[n]["kind"], value=round(v, ROUND))
        for n, v in values.items()
    ]
    ranked.sort(key=lambda r: (-r.value, r.label, r.iri))
    return tuple(ranked[:top])


def platform_state_links(graph: Graph) -> tuple[Link, ...]:
    """(platform, state, number of takedowns) for every platform that removed a network
    attributed to that state, most takedowns first."""
    counts: Counter[tuple[str, str]] = Counter()
    for takedown in set(graph.subjects(RDF.type, URIRef(CIB_IRI + "Takedown"))):
        platforms = {_label(graph, p) for p in graph.objects(takedown, URIRef(CIB_IRI + "platform"))}
        states = {
            _label(graph, s)
            for n in graph.objects(takedown, URIRef(CIB_IRI + "network"))
            for s in graph.objects(n, URIRef(CIB_IRI + "attributedTo"))
        }
        for platform in platforms:
            for state in states:
                counts[(platform, state)] += 1
    links = [Link(p, s, n) for (p, s), n in counts.items()]
    return tuple(sorted(links, key=lambda link: (-link.takedowns, link.platform, link.state)))


def most_connected(links: tuple[Link, ...]) -> tuple[Connected, ...]:
    """Platforms and states ranked by the takedowns that tie them to the other side."""
    totals: dict[tuple[str, str], list[int]] = {}
    partners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for link in links:
        for key, other in (((link.platform, "Platform"), link.state), ((link.state, "State"), link.platform)):
            totals.setdefault(key, [0])[0] += link.takedowns
            partners[key].add(other)
    out = [Connected(label, kind, totals[(label, kind)][0], len(partners[(label, kind)]))
           for label, kind in totals]
    return tuple(sorted(out, key=lambda c: (-c.takedowns, -c.partners, c.kind, c.label)))


def compute_stats(graph: Graph, top: int = 10) -> Stats:
    """Counts and network analytics of ``graph``; ``top`` bounds each centrality ranking."""
    g = to_networkx(graph)
    if g.number_of_nodes() > EXACT_BETWEENNESS_MAX:
        between = nx.betweenness_centrality(g, k=EXACT_BETWEENNESS_MAX, seed=0)
    else:
        between = nx.betweenness_centrality(g)
    links = platform_state_links(graph)
    components = sorted((len(c) for c in nx.connected_components(g)), reverse=True)
    return Stats(
        triples=len(graph),
        classes=class_counts(graph),
        predicates=predicate_counts(graph),
        nodes=g.number_of_nodes(),
        edges=g.number_of_edges(),
        components=tuple(components),
        degree=_ranking(g, nx.degree_centrality(g), top),
        betweenness=_ranking(g, between, top),
        links=links,
        most_connected=most_connected(links),
    )


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_stats(stats: Stats, fmt: str = "text") -> str:
    """The report as aligned text sections, or as JSON (``fmt="json"``)."""
    if fmt == "json":
        return json.dumps(stats.as_dict(), indent=2, ensure_ascii=False)
    if fmt != "text":
        raise ValueError(f"unknown stats format {fmt!r}")

    def section(title: str, rows: list[tuple[str, ...]]) -> list[str]:
        lines = [title]
        if not rows:
            return [*lines, "  (none)", ""]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        numeric = [all(r[i].replace(".", "", 1).isdigit() for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            cells = [c.rjust(w) if num else c.ljust(w)
                     for c, w, num in zip(r, widths, numeric, strict=True)]
            lines.append("  " + "  ".join(cells).rstrip())
        return [*lines, ""]

    comps = stats.components
    lines = [f"{stats.triples} triples", ""]
    lines += section("instances by class", [(c, str(n)) for c, n in stats.classes])
    lines += section("triples by predicate", [(p, str(n)) for p, n in stats.predicates])
    lines += [
        "entity graph (without mentions, articles, rdf:type, owl:sameAs)",
        f"  {stats.nodes} nodes, {stats.edges} edges, {len(comps)} connected components"
        + (f" (sizes {', '.join(map(str, comps[:10]))}{', …' if len(comps) > 10 else ''})" if comps else ""),
        "",
    ]
    lines += section("degree centrality (top)",
                     [(_short(r.label), r.kind, f"{r.value:.{ROUND}f}") for r in stats.degree])
    lines += section("betweenness centrality (top)",
                     [(_short(r.label), r.kind, f"{r.value:.{ROUND}f}") for r in stats.betweenness])
    lines += section("platform -> state links (takedowns)",
                     [(link.platform, link.state, str(link.takedowns)) for link in stats.links])
    lines += section("most connected through takedowns (takedowns, partners)",
                     [(c.label, c.kind, str(c.takedowns), str(c.partners)) for c in stats.most_connected])
    return "\n".join(lines).rstrip("\n")


# ------------------------------------------------------------------ takedowns per year (charts)

#: Bucket of takedowns with no date of their own and no dated article.
UNDATED = "undated"
#: Bucket of takedowns of networks attributed to no state.
UNATTRIBUTED = "unattributed"
#: ``kg stats --plot`` formats, by file suffix.
PLOT_FORMATS = {".png": "png", ".svg": "svg"}
#: Fixed colours (matplotlib's tab10), given in sorted label order so a label keeps its colour.
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)
#: Above this many series a chart keeps the largest and sums the rest as "other".
MAX_SERIES = len(PALETTE) - 1


@dataclass(frozen=True)
class YearCounts:
    """Takedowns per year for each series (a state or a platform): ``counts[i]`` is for ``years[i]``."""

    years: tuple[str, ...]
    series: tuple[tuple[str, tuple[int, ...]], ...]  # largest total first, ties by label
    #: How many takedowns each kind of date placed, (kind, n) in DATE_KINDS order, kinds with
    #: none left out; and all takedowns.
    kinds: tuple[tuple[str, int], ...] = ()
    takedowns: int = 0


#: Which date placed a takedown in a year (``cib:chartDateSource``, best first): the removal date
#: the text gives, else the date it was first reported, else the date read from the text of its
#: undated articles; else none (kg.rdf.dating).
REMOVAL_DATE, REPORTED_DATE, TEXT_DATE = "reported date", "first report", "text date"
DATE_KINDS = (REMOVAL_DATE, REPORTED_DATE, TEXT_DATE, UNDATED)


def _year(graph: Graph, takedown: URIRef) -> tuple[str, str]:
    """(year, which date gave it): its chart date; for graphs built before ``cib:chartDate`` its
    own date, else the date first reported, else the earliest publication of an article."""
    chart = sorted(str(d)[:4] for d in graph.objects(takedown, URIRef(CIB_IRI + "chartDate")))
    given = sorted(str(k) for k in graph.objects(takedown, URIRef(CIB_IRI + "chartDateSource")))
    if given:
        kind = given[0] if given[0] in DATE_KINDS else UNDATED
        return (chart[0], kind) if chart and kind != UNDATED else (UNDATED, UNDATED)
    own = sorted(str(d)[:4] for d in graph.objects(takedown, URIRef(CIB_IRI + "date")))
    if own:
        return own[0], REMOVAL_DATE
    first = sorted(str(d)[:4] for d in graph.objects(takedown, URIRef(CIB_IRI + "firstReported")))
    if first:
        return first[0], REPORTED_DATE
    published = URIRef("https://schema.org/datePublished")
    reported = sorted(
        str(d)[:4]
        for article in graph.objects(takedown, URIRef(CIB_IRI + "reportedIn"))
        for d in graph.objects(article, published)
    )
    return (reported[0], REPORTED_DATE) if reported else (UNDATED, UNDATED)


def takedowns_per_year(graph: Graph) -> tuple[YearCounts, YearCounts]:
    """Takedowns per year by attributed state and by platform (the explorer page's chart).

    A takedown of a network attributed to two states counts once for each. It is placed by its
    chart date (``kinds`` says how many each kind of date placed; the undated are a bucket apart).
    """
    n_kinds: Counter[str] = Counter()
    n_takedowns = 0
    by_state: Counter[tuple[str, str]] = Counter()
    by_platform: Counter[tuple[str, str]] = Counter()
    years: set[str] = set()
    for takedown in sorted(set(graph.subjects(RDF.type, URIRef(CIB_IRI + "Takedown"))), key=str):
        if not isinstance(takedown, URIRef):
            continue
        year, basis = _year(graph, takedown)
        n_takedowns += 1
        n_kinds[basis] += 1
        years.add(year)
        states = {
            _label(graph, s)
            for n in graph.objects(takedown, URIRef(CIB_IRI + "network"))
            for s in graph.objects(n, URIRef(CIB_IRI + "attributedTo"))
            if isinstance(s, URIRef)
        } or {UNATTRIBUTED}
        platforms = {
            _label(graph, p)
            for p in graph.objects(takedown, URIRef(CIB_IRI + "platform"))
            if isinstance(p, URIRef)
        }
        for state in states:
            by_state[(state, year)] += 1
        for platform in platforms:
            by_platform[(platform, year)] += 1
    ordered = tuple(sorted(years - {UNDATED}) + ([UNDATED] if UNDATED in years else []))
    kinds = tuple((k, n_kinds[k]) for k in DATE_KINDS if n_kinds[k])
    return (_year_counts(by_state, ordered, kinds, n_takedowns),
            _year_counts(by_platform, ordered, kinds, n_takedowns))


def _year_counts(counts: Counter[tuple[str, str]], years: tuple[str, ...],
                 kinds: tuple[tuple[str, int], ...] = (), takedowns: int = 0) -> YearCounts:
    labels = sorted({label for label, _ in counts}, key=lambda lab: (-sum(
        n for (other, _), n in counts.items() if other == lab), lab))
    if len(labels) > MAX_SERIES:
        kept, rest = labels[: MAX_SERIES - 1], set(labels[MAX_SERIES - 1:])
        merged: Counter[tuple[str, str]] = Counter()
        for (label, year), n in counts.items():
            merged[("other" if label in rest else label, year)] += n
        counts, labels = merged, [*kept, "other"]
    series = tuple((lab, tuple(counts[(lab, y)] for y in years)) for lab in labels)
    return YearCounts(years, series, kinds, takedowns)


def write_plot(graph: Graph, path: str | os.PathLike[str]) -> Path:
    """Draw takedowns per year by state and by platform to a PNG or SVG file (by its suffix).

    Stacked bars, one colour per state or platform; each bar segment carries the SVG id
    ``bar-<chart>-<series index>-<year>``. Byte-identical for the same graph.
    """
    from kg.errors import DependencyError, GraphError, InputError

    target = Path(path)
    fmt = PLOT_FORMATS.get(target.suffix.lower())
    if fmt is None:
        given = target.suffix or "no suffix"
        raise InputError(f"{target}: the plot is written as .png or .svg, not {given!r}")
    try:  # a Figure without pyplot: no display, no global backend switched under a notebook
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        raise DependencyError('matplotlib is not installed: pip install "cib-kg[plot]"') from None
    import io

    from kg.util.atomic import atomic_write

    charts = dict(zip(("state", "platform"), takedowns_per_year(graph), strict=True))
    with matplotlib.rc_context({"svg.hashsalt": "cib-kg", "svg.fonttype": "none", "font.size": 9}):
        fig = Figure(figsize=(11, 4.2))
        axes = fig.subplots(1, 2, sharey=True)
        for ax, (chart, data) in zip(axes, charts.items(), strict=True):
            _stacked_bars(ax, chart, data)
        axes[0].set_ylabel("takedowns")
        fig.suptitle(plot_title(charts["state"]))
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, dpi=100, metadata=_plot_metadata(fmt))
    try:
        atomic_write(target, buffer.getvalue())
    except OSError as exc:
        raise GraphError(f"{target}: cannot write the plot: {exc.strerror or exc}") from None
    return target


def plot_title(data: YearCounts) -> str:
    """The chart's title, saying which date places a takedown in a year and how many each placed:
    "Takedowns per year (of 5: 3 by reported date, 1 by first report, 1 undated)"."""
    if not data.takedowns:
        return "Takedowns per year"
    kinds = ", ".join(f"{n} undated" if k == UNDATED else f"{n} by {k}" for k, n in data.kinds)
    return f"Takedowns per year (of {data.takedowns}: {kinds})"


def _plot_metadata(fmt: str) -> dict[str, Any]:
    """No date or version in the file, so the same graph gives the same bytes."""
    if fmt == "svg":
        return {"Date": None, "Creator": "cib-kg"}
    return {"Software": "cib-kg"}


def _stacked_bars(ax: Any, chart: str, data: YearCounts) -> None:
    ax.set_title(f"by {chart}")
    positions = list(range(len(data.years)))
    bottom = [0] * len(data.years)
    for index, (label, counts) in enumerate(data.series):
        colour = "#999999" if label in ("other", UNATTRIBUTED) else PALETTE[index % len(PALETTE)]
        bars = ax.bar(positions, counts, bottom=bottom, color=colour, label=label, width=0.7)
        for bar, year, n in zip(bars, data.years, counts, strict=True):
            if n:  # an empty segment has no height; it stays (hidden by size) for the legend's swatch
                bar.set_gid(f"bar-{chart}-{index}-{year}")
        bottom = [b + n for b, n in zip(bottom, counts, strict=True)]
    ax.set_xticks(positions, list(data.years))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    if data.series:
        ax.legend(fontsize=8, frameon=False)
    else:
        ax.text(0.5, 0.5, "no takedowns", ha="center", va="center", transform=ax.transAxes)
