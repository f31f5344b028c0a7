"""graph.html: one self-contained page to explore the graph, opened from disk with no network.

pyvis holds the nodes, edges and vis-network options, and supplies the vis-network JS/CSS it
ships for ``cdn_resources="in_line"``. Its own page template is not used: even in in-line mode
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
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
from pyvis.network import Network

from kg.atomic import atomic_write

if TYPE_CHECKING:
    from rdflib import Graph

#: Above this many nodes, positions are computed in Python and physics stays off.
LAYOUT_THRESHOLD = 1500
#: Above this many nodes, physics starts from the precomputed layout and runs fewer iterations.
PRESEED_ABOVE = 300
#: Seed of every layout, so the same graph always gives the same page.
SEED = 42
#: Nodes laid out by spring_layout in big graphs; the rest are placed around them.
HUBS = 300
SPIRAL_STEP = 22.0
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))
#: The vis-network build pyvis inlines in ``cdn_resources="in_line"`` mode.
VIS_JS = "lib/vis-9.1.2/vis-network.min.js"
VIS_CSS = "lib/vis-9.1.2/vis-network.css"

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


def _json_for_script(value: Any) -> str:
    """JSON that cannot close its ``<script>`` element or open a comment."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _spiral(i: int, step: float) -> tuple[float, float]:
    """The ``i``-th point of a golden-angle spiral: even, deterministic packing around a centre."""
    r = step * math.sqrt(i + 1)
    return r * math.cos(i * GOLDEN_ANGLE), r * math.sin(i * GOLDEN_ANGLE)


def _layout(view: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Fixed-seed positions for graphs too big for in-browser physics, in O(nodes + edges).

    networkx's spring layout needs ~40 s for 5,000 nodes, so it is run only on the hubs: the
    best-connected nodes (states, platforms, busy networks) are laid out by spring_layout on
    the graph of their neighbourhoods, and every other node sits on a small spiral around the
    hub it is closest to (multi-source BFS). Components no hub reaches go on an outer ring.
    """
    simple = nx.Graph()
    simple.add_nodes_from(sorted(view.nodes))
    simple.add_edges_from(sorted((u, v) for u, v, _ in view.edges(keys=True) if u != v))
    degree = dict(simple.degree())
    hubs = sorted(simple.nodes, key=lambda v: (-degree[v], v))[:HUBS]
    owner: dict[str, str] = {}
    depth: dict[str, int] = {}

    def bfs(roots: list[str]) -> None:
        frontier = []
        for root in roots:
            owner[root], depth[root] = root, 0
            frontier.append(root)
        while frontier:
            nxt = []
            for u in frontier:
                for v in sorted(simple[u]):
                    if v not in owner:
                        owner[v], depth[v] = owner[u], depth[u] + 1
                        nxt.append(v)
            frontier = nxt

    bfs(hubs)
    outer: list[str] = []
    for v in simple.nodes:
        if v not in owner:
            outer.append(v)
            bfs([v])
    hub_graph = nx.Graph()
    hub_graph.add_nodes_from(hubs)
    for u, v in simple.edges:
        a, b = owner[u], owner[v]
        if a != b and a in hub_graph and b in hub_graph:
            w = hub_graph.get_edge_data(a, b, {"weight": 0})["weight"]
            hub_graph.add_edge(a, b, weight=w + 1)
    n = max(simple.number_of_nodes(), 1)
    scale = 25.0 * math.sqrt(n)
    centres: dict[str, tuple[float, float]] = {}
    if hubs:
        pos = nx.spring_layout(hub_graph, seed=SEED, iterations=100)
        centres.update({h: (float(x) * scale, float(y) * scale) for h, (x, y) in pos.items()})
    for i, root in enumerate(outer):
        angle = i * GOLDEN_ANGLE
        radius = scale * (1.35 + 0.25 * (i % 4))
        centres[root] = (radius * math.cos(angle), radius * math.sin(angle))
    members: dict[str, list[str]] = {}
    for v in sorted(simple.nodes, key=lambda v: (depth[v], v)):
        members.setdefault(owner[v], []).append(v)
    positions: dict[str, tuple[float, float]] = {}
    for root, nodes in members.items():
        cx, cy = centres[root]
        positions[root] = (cx, cy)
        for i, v in enumerate(nodes[1:]):
            dx, dy = _spiral(i, SPIRAL_STEP)
            positions[v] = (cx + dx, cy + dy)
    return {v: (round(x, 1), round(y, 1)) for v, (x, y) in positions.items()}


def _options(physics: bool, n_nodes: int) -> dict[str, Any]:
    edge_font = {"size": 10, "color": "#555", "strokeWidth": 2, "strokeColor": "#fff", "align": "middle"}
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
    if physics:
        options["physics"] = {
            "enabled": True,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -90,
                "centralGravity": 0.01,
                "springLength": 140,
                "springConstant": 0.08,
                "avoidOverlap": 0.3,
            },
            "stabilization": {
                "enabled": True,
                "iterations": 600 if n_nodes <= PRESEED_ABOVE else 250,
                "updateInterval": 25,
                "fit": True,
            },
            "minVelocity": 0.75,
        }
    else:
        options["physics"] = {"enabled": False}
    return options


def _size(kind: str, degree: int) -> float:
    """Bigger for better-connected nodes, on a log scale so hubs do not swallow the picture."""
    return round(min(MAX_SIZE, _BASE_SIZE.get(kind, 9.0) + 5.0 * math.log2(1 + degree)), 2)


def _network(view: nx.MultiDiGraph) -> tuple[Network, bool]:
    """The pyvis network of ``view``; the bool says whether the browser runs physics."""
    net = Network(directed=True, cdn_resources="in_line", height="100%", width="100%")
    physics = view.number_of_nodes() <= LAYOUT_THRESHOLD
    positions = _layout(view) if view.number_of_nodes() > PRESEED_ABOVE else {}
    degree = dict(view.degree())
    for node in sorted(view.nodes):
        data = view.nodes[node]
        colour, shape, _ = STYLE.get(data["kind"], ("#999999", "dot", data["kind"]))
        extra: dict[str, Any] = {}
        if node in positions:
            extra["x"], extra["y"] = positions[node]
        net.add_node(
            node,
            label=data["label"] or node,
            shape=shape,
            color=colour,
            size=_size(data["kind"], degree.get(node, 0)),
            kind=data["kind"],
            info=data["title"],
            fullLabel=data.get("full_label", data["label"]),
            year=data.get("year"),
            states=list(data.get("states", [])),
            platforms=list(data.get("platforms", [])),
            years=list(data.get("years", [])),
            **extra,
        )
    for i, (u, v, key) in enumerate(sorted(view.edges(keys=True))):
        net.add_edge(u, v, id=f"e{i}", label=view.edges[u, v, key].get("label", key))
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


def _facet_values(nodes: list[dict[str, Any]], field: str) -> list[Any]:
    return sorted({v for n in nodes for v in n.get(field, [])})


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def render_html(view: nx.MultiDiGraph, summary: dict[str, int]) -> str:
    """The whole page as a string: deterministic for the same view."""
    net, physics = _network(view)
    nodes, edges, _, _, _, options_json = net.get_network_data()
    kinds_present = {n["kind"] for n in nodes}
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": json.loads(options_json),
        "physics": physics,
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
        f"script-src {_csp_hash(vis_js)} {_csp_hash(APP_JS)}",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "font-src data:",
        "connect-src 'none'",
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
    mode = "physics, stopped once stable" if physics else "precomputed layout"
    return PAGE.format(
        csp=html.escape(csp, quote=True),
        vis_css=vis_css,
        css=CSS,
        summary=summary_html,
        legend=legend_html,
        n_nodes=len(nodes),
        n_edges=len(edges),
        mode=html.escape(mode),
        data=_json_for_script(data),
        vis_js=vis_js,
        app_js=APP_JS,
    )


def write_html(graph: Graph, path: Path) -> None:
    """Write the page for an rdflib graph atomically (a reader never sees half a page)."""
    from kg.graph_view import to_view

    view = to_view(graph)
    atomic_write(Path(path), render_html(view, view.graph["summary"]))


def viz_file(ttl_path: Path, out_path: Path) -> Path:
    """``kg viz``: graph.ttl -> graph.html."""
    from kg.graph import load_graph

    write_html(load_graph(ttl_path), out_path)
    return Path(out_path)


CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
  font-size: 14px; color: #222; background: #fafafa; }
body { display: flex; flex-direction: column; }
header { padding: 8px 14px; border-bottom: 1px solid #ddd; background: #fff; }
header h1 { font-size: 17px; margin: 0 12px 0 0; display: inline-block; }
#summary { color: #444; }
#controls { margin-top: 6px; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
#controls label { color: #555; }
#controls input, #controls select, #controls button { font: inherit; padding: 2px 6px; }
#search { width: 240px; }
#status { color: #666; margin-left: 6px; }
#legend { margin-top: 6px; display: flex; flex-wrap: wrap; gap: 14px; }
.legend-item { display: inline-flex; align-items: center; gap: 4px; color: #333; }
main { flex: 1; display: flex; min-height: 0; }
#network { flex: 1; position: relative; background: #fff; min-width: 0; }
#details { width: 360px; overflow: auto; border-left: 1px solid #ddd; padding: 10px 12px; background: #fff; }
#details .hint { color: #777; }
.info .head { font-weight: 600; margin-bottom: 4px; }
.info .key { font-weight: 600; }
.info .sec { font-weight: 600; margin-top: 6px; }
.info .item { margin: 2px 0 2px 10px; }
.info div { overflow-wrap: anywhere; }
#tooltip { position: absolute; display: none; z-index: 10; max-width: 420px; padding: 6px 8px;
  background: #fffef4; border: 1px solid #999; border-radius: 4px; box-shadow: 2px 2px 8px rgba(0,0,0,.2);
  pointer-events: none; font-size: 13px; }
"""

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
    <button id="reset" type="button">Reset</button>
    <span id="status">{n_nodes} nodes, {n_edges} edges ({mode})</span>
  </div>
  <div id="legend">{legend}</div>
</header>
<main>
  <div id="network"></div>
  <aside id="details"><div class="hint">Hover a node for its evidence; click to pin it here.</div></aside>
</main>
<div id="tooltip" class="info"></div>
<script id="cib-data" type="application/json">{data}</script>
<script>{vis_js}</script>
<script>{app_js}</script>
</body>
</html>
"""

#: The page's own code. Article text only ever reaches the DOM through textContent.
APP_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("cib-data").textContent);
  var nodes = new vis.DataSet(DATA.nodes);
  var edges = new vis.DataSet(DATA.edges);
  var container = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var details = document.getElementById("details");
  var status = document.getElementById("status");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, DATA.options);
  window.network = network;
  window.cibNodes = nodes;
  window.cibEdges = edges;
  window.cibReady = false;

  function ready() {
    window.cibReady = true;
    window.cibReadyAt = performance.now();
    document.body.setAttribute("data-ready", "1");
  }
  if (DATA.physics && DATA.nodes.length > 0) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});
      network.fit();
      ready();
    });
  } else {
    network.once("afterDrawing", ready);
    if (DATA.nodes.length === 0) { ready(); }
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }

  // Renders the plain-text tooltip of a node: heading, "Field: value" lines, bulleted sections.
  function renderInfo(target, info) {
    target.textContent = "";
    var lines = String(info || "").split("\n");
    lines.forEach(function (line, i) {
      if (i === 0) { target.appendChild(el("div", "head", line)); return; }
      if (line.indexOf("\u2022 ") === 0) { target.appendChild(el("div", "item", line)); return; }
      if (/:$/.test(line)) { target.appendChild(el("div", "sec", line)); return; }
      var cut = line.indexOf(": ");
      var row = el("div", "row");
      if (cut > 0) {
        row.appendChild(el("span", "key", line.slice(0, cut + 1)));
        row.appendChild(document.createTextNode(" " + line.slice(cut + 2)));
      } else {
        row.textContent = line;
      }
      target.appendChild(row);
    });
  }

  function showDetails(id) {
    var node = nodes.get(id);
    if (!node) { return; }
    var box = el("div", "info");
    box.setAttribute("data-node", id);
    renderInfo(box, node.info);
    details.textContent = "";
    details.appendChild(box);
  }

  network.on("hoverNode", function (params) {
    var node = nodes.get(params.node);
    if (!node) { return; }
    renderInfo(tooltip, node.info);
    tooltip.setAttribute("data-node", params.node);
    var rect = container.getBoundingClientRect();
    var x = rect.left + window.scrollX + params.pointer.DOM.x + 14;
    var y = rect.top + window.scrollY + params.pointer.DOM.y + 14;
    tooltip.style.display = "block";
    var maxX = window.innerWidth - tooltip.offsetWidth - 8;
    var maxY = window.innerHeight - tooltip.offsetHeight - 8;
    tooltip.style.left = Math.max(0, Math.min(x, maxX)) + "px";
    tooltip.style.top = Math.max(0, Math.min(y, maxY)) + "px";
  });
  function hideTooltip() { tooltip.style.display = "none"; }
  network.on("blurNode", hideTooltip);
  network.on("dragStart", hideTooltip);
  network.on("zoom", hideTooltip);
  container.addEventListener("mouseleave", hideTooltip);
  network.on("click", function (params) {
    if (params.nodes.length > 0) { hideTooltip(); showDetails(params.nodes[0]); }
  });

  // Filters: a node stays visible when it involves the chosen state, platform and year.
  function fill(select, values) {
    values.forEach(function (v) {
      var opt = el("option", null, String(v));
      opt.value = String(v);
      select.appendChild(opt);
    });
  }
  var fState = document.getElementById("filter-state");
  var fPlatform = document.getElementById("filter-platform");
  var fYear = document.getElementById("filter-year");
  fill(fState, DATA.facets.states);
  fill(fPlatform, DATA.facets.platforms);
  fill(fYear, DATA.facets.years);

  function has(list, value) {
    return (list || []).map(String).indexOf(value) >= 0;
  }
  function applyFilters() {
    var s = fState.value, p = fPlatform.value, y = fYear.value;
    var updates = [], shown = 0;
    nodes.forEach(function (n) {
      var ok = (!s || has(n.states, s)) && (!p || has(n.platforms, p)) && (!y || has(n.years, y));
      if (ok) { shown += 1; }
      if (Boolean(n.hidden) === ok) { updates.push({id: n.id, hidden: !ok}); }
    });
    if (updates.length) { nodes.update(updates); }
    status.textContent = shown + " of " + nodes.length + " nodes shown";
  }
  [fState, fPlatform, fYear].forEach(function (sel) { sel.addEventListener("change", applyFilters); });

  // Search: exact name first, then the first name containing the text.
  var names = document.getElementById("node-names");
  var sorted = DATA.nodes.slice().sort(function (a, b) {
    return a.fullLabel < b.fullLabel ? -1 : a.fullLabel > b.fullLabel ? 1 : 0;
  });
  if (sorted.length <= 5000) {
    sorted.forEach(function (n) { var o = el("option"); o.value = n.fullLabel; names.appendChild(o); });
  }
  function find(text) {
    var q = text.trim().toLowerCase();
    if (!q) { return null; }
    var exact = null, partial = null;
    sorted.forEach(function (n) {
      var name = String(n.fullLabel).toLowerCase();
      if (exact === null && name === q) { exact = n; }
      if (partial === null && name.indexOf(q) >= 0) { partial = n; }
    });
    return exact || partial;
  }
  var search = document.getElementById("search");
  function focusSearch() {
    var hit = find(search.value);
    if (!hit) { status.textContent = "no node matches"; return; }
    if (nodes.get(hit.id).hidden) {
      fState.value = ""; fPlatform.value = ""; fYear.value = ""; applyFilters();
    }
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: 1.3, animation: {duration: 400, easingFunction: "easeInOutQuad"}});
    showDetails(hit.id);
    status.textContent = "found: " + hit.fullLabel;
  }
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { focusSearch(); } });
  search.addEventListener("change", focusSearch);
  document.getElementById("reset").addEventListener("click", function () {
    fState.value = ""; fPlatform.value = ""; fYear.value = ""; search.value = "";
    applyFilters();
    network.unselectAll();
    network.fit();
  });
  window.cibFocus = function (text) { search.value = text; focusSearch(); };
})();
"""
