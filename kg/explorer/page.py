"""graph.html: one self-contained page to explore the graph, opened from disk with no network.

pyvis holds the nodes, edges and vis-network options, and supplies the vis-network JS/CSS it
ships for ``cdn_resources="in_line"``. It is imported only when a page is made (``pyvis.network``
imports IPython, 0.4 s; a build imports this module on a thread while its worker parses). Its
own page template is not used: even in in-line mode
it links Bootstrap from a CDN and would put tooltip text into ``innerHTML``. Our page inlines
the same vis-network files and renders every piece of article text with ``textContent``:
the data travels as JSON inside a non-executable ``<script type="application/json">`` (with
``<``, ``>`` and ``&`` escaped) and vis-network never receives a ``title``. A Content Security
Policy that lists the hashes of our own scripts is a second fence: even if markup slipped
through, no injected script or event handler could run and nothing could be fetched.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.explorer.layout import PRESEED_ABOVE, SEED, layout_positions
from kg.util.atomic import atomic_write
from kg.util.gc_pause import paused_gc

if TYPE_CHECKING:
    import networkx as nx
    from pyvis.network import Network
    from rdflib import Graph

    from kg.explorer.view import PlainView

    #: What the page is drawn from: :func:`kg.explorer.view.to_view` or its plain twin.
    View = nx.MultiDiGraph | PlainView

#: Above this many nodes, edges are drawn straight and hidden while dragging or zooming.
LAYOUT_THRESHOLD = 1500
#: The vis-network build pyvis inlines in ``cdn_resources="in_line"`` mode.
VIS_JS = "lib/vis-9.1.2/vis-network.min.js"
VIS_CSS = "lib/vis-9.1.2/vis-network.css"

#: Above this many drawn nodes the browser does not run physics on a view change.
PHYSICS_MAX = 600
#: The story view's first size: the busiest states and platforms (the rest in one "other" node
#: each) and the most frequent deniers of each state.
STORY_STATES = 8
STORY_PLATFORMS = 10
STORY_DENIERS = 2
#: The node standing for "no state named" in the story view (never in the RDF).
UNATTRIBUTED = "cib:unattributed"

#: kind -> (colour, vis shape, legend name). Shapes put labels below, so size shows degree.
STYLE: dict[str, tuple[str, str, str]] = {
    "platform": ("#1f77b4", "square", "Platform"),
    "state": ("#d62728", "triangle", "State"),
    "network": ("#ff7f0e", "dot", "Network"),
    "takedown": ("#9467bd", "diamond", "Takedown"),
    "claim": ("#8c564b", "triangleDown", "Claim"),
    "denial": ("#e377c2", "star", "Denial"),
    "organisation": ("#2ca02c", "hexagon", "Organisation"),
    "person": ("#17becf", "dot", "Person"),
    "article": ("#8a8a8a", "square", "Article"),
}
_BASE_SIZE = {"article": 6.0}
MAX_SIZE = 40.0


def _vis_asset(net: Network, name: str) -> str:
    """A vis-network file exactly as pyvis's in-line template includes it."""
    source, _, _ = net.templateEnv.loader.get_source(net.templateEnv, name)
    # A source-map comment would make devtools look for a .map file next to the page.
    return re.sub(r"^//# sourceMappingURL=.*$", "", source, flags=re.M)


def preload() -> None:
    """Import what making a page needs and this module defers: ``pyvis.network`` imports
    IPython (0.4 s). A build runs this on a thread while its workers parse."""
    import pyvis.network  # noqa: F401


def _json_for_script(value: Any) -> str:
    """JSON that cannot close its ``<script>`` element or open a comment."""
    # no cycle check: the page's data is plain trees (the check costs a tenth of the encoding)
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), check_circular=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _options(physics: bool, n_nodes: int) -> dict[str, Any]:
    edge_font = {"size": 13, "color": "#555", "strokeWidth": 2, "strokeColor": "#fff", "align": "horizontal",
                 "background": "rgba(255,255,255,0.88)"}  # a label stays legible over crossing edges
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            "font": {"size": 14, "face": "sans-serif", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "color": {"color": "#9aa4ad", "highlight": "#333", "hover": "#333"},
            "font": edge_font,
            "smooth": {"type": "continuous"} if physics else False,
            "width": 1,
        },
        "layout": {"randomSeed": SEED, "improvedLayout": n_nodes <= 150},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": not physics,
            "hideEdgesOnZoom": not physics,
            "navigationButtons": False,
            "keyboard": False,
        },
    }
    # Physics starts off: the page runs it (stabilize) on each view small enough to settle.
    options["physics"] = {
        "enabled": False,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -120,
            "centralGravity": 0.015,
            "springLength": 150,
            "springConstant": 0.06,
            "avoidOverlap": 0.5,
        },
        "stabilization": {"enabled": False},
        "minVelocity": 0.75,
    }
    return options


def _size(kind: str, degree: int) -> float:
    """Bigger for better-connected nodes, on a log scale so hubs do not swallow the picture."""
    return round(min(MAX_SIZE, _BASE_SIZE.get(kind, 9.0) + 5.0 * math.log2(1 + degree)), 2)


class _NodeIds(list):  # type: ignore[type-arg]
    """pyvis's list of node ids with a set beside it: ``add_node`` tests membership once per
    node, a scan of the list that cost 0.2 s at 6,500 nodes and grows with their square."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[Any] = set()

    def append(self, n_id: Any) -> None:
        super().append(n_id)
        self._seen.add(n_id)

    def __contains__(self, n_id: object) -> bool:
        return n_id in self._seen


def _network(view: View, positions: dict[str, tuple[float, float]] | None = None) -> tuple[Network, bool]:
    """The pyvis network of ``view`` (at ``positions``, default :func:`layout_positions`); the
    bool says whether edges are drawn smooth (small graphs)."""
    from pyvis.network import Network

    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    net.node_ids = _NodeIds()  # add_node asks "n_id not in node_ids" of a list: quadratic
    physics = view.number_of_nodes() <= LAYOUT_THRESHOLD
    if positions is None:
        positions = layout_positions(view)
    tally: dict[str, int] = {}
    for record in view.graph.get("takedowns", []):
        for key in record["platforms"] + record["states"]:
            tally[key] = tally.get(key, 0) + 1
    degree = dict(view.degree())
    for node in sorted(view.nodes):
        data = view.nodes[node]
        colour, shape, _ = STYLE.get(data["kind"], ("#999999", "dot", data["kind"]))
        extra: dict[str, Any] = {}
        if node in positions:
            extra["x"], extra["y"] = positions[node]
        weight = tally.get(node, 0) if data["kind"] in ("platform", "state") else degree.get(node, 0)
        net.add_node(
            node,
            label=data["label"] or node,
            shape=shape,
            color=colour,
            size=_size(data["kind"], weight),
            kind=data["kind"],
            card=data.get("card") or {"kind": data["kind"], "title": data.get("full_label", node),
                                      "fields": [], "sections": [], "evidence": []},
            fullLabel=data.get("full_label", data["label"]),
            year=data.get("year"),
            states=list(data.get("states", [])),
            platforms=list(data.get("platforms", [])),
            years=list(data.get("years", [])),
            **extra,
        )
    for i, (u, v, key) in enumerate(sorted(view.edges(keys=True))):
        attrs = view.edges[u, v, key]
        extra = {"counts": attrs["counts"]} if attrs.get("counts") else {}
        # appended directly: pyvis's add_edge scans every edge for duplicates (quadratic), and
        # a MultiDiGraph's (u, v, key) triples are unique already
        net.edges.append({"from": u, "to": v, "id": f"e{i}", "pred": attrs.get("label", key), **extra})
    net.options = _options(physics, view.number_of_nodes())
    return net, physics


def _legend_icon(colour: str, shape: str) -> str:
    """A small inline SVG of a vis shape (fixed strings only: nothing from the articles)."""
    body = {
        "dot": '<circle cx="8" cy="8" r="6"/>',
        "square": '<rect x="2" y="2" width="12" height="12"/>',
        "diamond": '<polygon points="8,1 15,8 8,15 1,8"/>',
        "triangle": '<polygon points="8,1 15,14 1,14"/>',
        "triangleDown": '<polygon points="1,2 15,2 8,15"/>',
        "star": '<polygon points="8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6"/>',
        "hexagon": '<polygon points="4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8"/>',
    }[shape]
    return (f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">'
            f'<g fill="{colour}" stroke="#333" stroke-width="0.8">{body}</g></svg>')


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    """The page's own script or stylesheet, shipped beside this module."""
    return resources.files("kg.explorer").joinpath(name).read_text("utf-8")


def _app_js() -> str:
    """The page's own script: the explorer, then the live graph's update notice (one element)."""
    return _asset("explorer.js") + "\n" + _asset("live.js")


def _facet_values(nodes: list[dict[str, Any]], field: str) -> list[Any]:
    return sorted({v for n in nodes for v in n.get(field, [])})


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def render_html(view: View, summary: dict[str, int],
                positions: dict[str, tuple[float, float]] | None = None) -> str:
    """The whole page as a string: deterministic for the same view (and ``positions``, default
    :func:`layout_positions` of the view)."""
    net, physics = _network(view, positions)
    nodes, edges, options = net.nodes, net.edges, net.options
    kinds_present = {n["kind"] for n in nodes}
    takedowns = [dict(t) for t in view.graph.get("takedowns", [])]
    for t in takedowns:
        if not t["states"]:
            t["states"] = [UNATTRIBUTED]
    if any(t["states"] == [UNATTRIBUTED] for t in takedowns):
        # a group, not a state: drawn as the page draws groups (a dashed grey box, below the states)
        nodes.append({"id": UNATTRIBUTED, "label": "(no state named)", "fullLabel": "(no state named)",
                      "kind": "state", "shape": "box", "color": "#eeeeee", "size": 14.0, "synthetic": True,
                      "states": [], "platforms": [], "years": [],
                      "card": {"kind": "state", "title": "No state named", "evidence": [], "sections": [],
                               "fields": [["Note", "takedowns whose articles name no state"]]}})
    data = {
        "nodes": nodes,
        "edges": edges,
        "takedowns": takedowns,
        "denials": view.graph.get("denials", []),
        "options": options,
        "physics": True,
        "physicsMax": PHYSICS_MAX,
        "storyStates": STORY_STATES,
        "storyPlatforms": STORY_PLATFORMS,
        "storyDeniers": STORY_DENIERS,
        "iterations": 600 if len(nodes) <= PRESEED_ABOVE else 300,
        "facets": {
            "states": _facet_values(nodes, "states"),
            "platforms": _facet_values(nodes, "platforms"),
            "years": _facet_values(nodes, "years"),
        },
    }
    vis_js = _vis_asset(net, VIS_JS)
    vis_css = _vis_asset(net, VIS_CSS)
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {_csp_hash(vis_js)} {_csp_hash(_app_js())}",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "font-src data:",
        "connect-src 'self'",  # live.js: version.json beside a served page, nothing else
        "base-uri 'none'",
        "form-action 'none'",
    ])
    order = ("articles", "takedowns", "denials", "entities", "triples")
    summary_html = " · ".join(
        f'<span class="stat" data-stat="{k}"><b>{int(summary.get(k, 0)):,}</b> {k}</span>' for k in order
    )
    legend_html = "".join(
        f'<span class="legend-item" data-kind="{kind}">'
        f"{_legend_icon(colour, shape)}{html.escape(name)}</span>"
        for kind, (colour, shape, name) in STYLE.items()
        if kind in kinds_present
    )
    if takedowns:
        legend_html += ('<span class="legend-item" data-kind="group"><span class="group-icon"></span>'
                        "Group: other states or platforms, or no state named (click to open)</span>")
    mode = "drawing…"
    return PAGE.format(
        csp=html.escape(csp, quote=True),
        vis_css=vis_css,
        css=_asset("explorer.css"),
        summary=summary_html,
        legend=legend_html,
        n_nodes=len(nodes),
        n_edges=len(edges),
        mode=html.escape(mode),
        data=_json_for_script(data),
        vis_js=vis_js,
        app_js=_app_js(),
    )


def write_html(graph: Graph | Iterable[tuple[Any, Any, Any]], path: Path, state: Path | None = None) -> None:
    """Write the page for an rdflib graph or a build's triple set atomically (a reader never
    sees half a page); the same triples give the same bytes either way.

    With ``state`` (a build's output folder), the layout and evidence of the last page are
    read from and this page's written to its build state (:mod:`kg.explorer.reuse`): nodes keep
    their places from build to build, and evidence is chosen again only for facts whose
    inputs changed. Without it the page is a function of the graph alone."""
    with paused_gc():  # a few million small acyclic containers (kg.util.gc_pause)
        _write_html(graph, Path(path), state)


def _write_html(graph: Graph | Iterable[tuple[Any, Any, Any]], path: Path, state: Path | None) -> None:
    from kg.explorer.cards import EvidenceMemo
    from kg.explorer.view import plain_view

    if state is None:
        view = plain_view(graph)
        atomic_write(Path(path), render_html(view, view.graph["summary"]))
        return
    from kg.explorer.reuse import load_evidence, load_layout, save_evidence, save_layout
    from kg.util.fingerprint import code_fingerprint

    code = code_fingerprint()
    memo = EvidenceMemo(load_evidence(state, code))
    view = plain_view(graph, memo)
    positions = layout_positions(view, load_layout(state))
    atomic_write(Path(path), render_html(view, view.graph["summary"], positions))
    save_layout(state, positions)
    save_evidence(state, code, memo.new)


def viz_file(ttl_path: Path, out_path: Path) -> Path:
    """``kg viz``: graph.ttl -> graph.html."""
    from kg.rdf.graph import load_graph

    write_html(load_graph(ttl_path), out_path)
    return Path(out_path)


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>CIB takedowns knowledge graph</title>
<style>{vis_css}</style>
<style>{css}</style>
</head>
<body>
<header>
  <h1>CIB takedowns knowledge graph</h1>
  <span id="summary">{summary}</span>
  <div id="controls">
    <input id="search" type="search" list="node-names" placeholder="Find a node (Enter)…" autocomplete="off">
    <datalist id="node-names"></datalist>
    <label>State <select id="filter-state"><option value="">all</option></select></label>
    <label>Platform <select id="filter-platform"><option value="">all</option></select></label>
    <label>Year <select id="filter-year"><option value="">all</option></select></label>
    <label>View <select id="level">
      <option value="story">Story: platforms and states</option>
      <option value="networks">Networks</option>
      <option value="facts">All facts</option>
    </select></label>
    <label><input id="edge-labels" type="checkbox" checked> Edge labels</label>
    <button id="fit" type="button">Fit</button>
    <button id="reset" type="button">Reset</button>
    <span id="status">{n_nodes} nodes, {n_edges} edges ({mode})</span>
  </div>
  <div id="legend">{legend}</div>
</header>
<main>
  <div id="network"></div>
  <section id="profile" hidden></section>
  <aside id="side">
    <div id="chart-box">
      <div class="title">Takedowns per year
        <select id="chart-by" aria-label="Colour bars by"><option value="state">by state</option>
          <option value="platform">by platform</option></select></div>
      <div id="chart"></div>
      <div id="chart-legend"></div>
      <div id="chart-note"></div>
    </div>
    <div id="details"></div>
  </aside>
</main>
<div id="tooltip" class="info"></div>
<script id="cib-data" type="application/json">{data}</script>
<script>{vis_js}</script>
<script>{app_js}</script>
</body>
</html>
"""
