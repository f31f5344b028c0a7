"""Where each node of the page starts: a seeded, deterministic layout, kept between builds.

Small views get networkx's spring layout; big ones lay out their hubs and place the rest on
spirals around them. A rebuild that adds a few nodes keeps the previous positions and places
only the new nodes (``layout_positions(view, previous)``), so the page does not jump.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import chain
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from kg.explorer.view import PlainView

    #: What the page is drawn from: :func:`kg.explorer.view.to_view` or its plain twin.
    View = nx.MultiDiGraph | PlainView


#: Above this many nodes, the first physics run of the "All facts" view is shorter.
PRESEED_ABOVE = 300


#: Seed of every layout, so the same graph always gives the same page.
SEED = 42


#: Nodes laid out by spring_layout in big graphs; the rest are placed around them.
HUBS = 300


SPIRAL_STEP = 22.0


#: A previous layout is kept when at least this share of the nodes already has a position in
#: it; below that the graph is mostly new and gets a fresh layout.
KEEP_LAYOUT_SHARE = 0.9


GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def _spiral(i: int, step: float) -> tuple[float, float]:
    """The ``i``-th point of a golden-angle spiral: even, deterministic packing around a centre."""
    r = step * math.sqrt(i + 1)
    return r * math.cos(i * GOLDEN_ANGLE), r * math.sin(i * GOLDEN_ANGLE)


def _spread(graph: nx.Graph | dict[str, set[str]], roots: list[str], owner: dict[str, str],
            depth: dict[str, int]) -> None:
    """Breadth-first from ``roots`` at once: each node not yet in ``owner`` gets its nearest
    root and the distance to it (ties go to the root reached first, neighbours by id)."""
    for root in roots:
        owner[root], depth[root] = root, 0
    frontier = list(roots)
    while frontier:
        nxt = []
        for u in frontier:
            for v in sorted(graph[u]):
                if v not in owner:
                    owner[v], depth[v] = owner[u], depth[u] + 1
                    nxt.append(v)
        frontier = nxt


def _undirected(view: View) -> nx.Graph:
    """The view as a simple undirected graph, nodes and edges added in sorted order (the
    layouts walk it in insertion order, so the same view always gives the same positions)."""
    import networkx as nx  # only a fresh layout needs it: 0.1 s to import

    simple = nx.Graph()
    simple.add_nodes_from(sorted(view.nodes))
    simple.add_edges_from(sorted((u, v) for u, v, _ in view.edges(keys=True) if u != v))
    return simple


def _layout(view: View) -> dict[str, tuple[float, float]]:
    """Fixed-seed positions for every node, in O(nodes + edges), even for 5,000 nodes.

    networkx's spring layout needs ~40 s for 5,000 nodes, so it is run only on the hubs: the
    best-connected nodes (states, platforms, busy networks) are laid out by spring_layout on
    the graph of their neighbourhoods, and every other node sits on a small spiral around the
    hub it is closest to (multi-source BFS). Components no hub reaches go on an outer ring.
    """
    import networkx as nx

    simple = _undirected(view)
    degree = dict(simple.degree())
    hubs = sorted(simple.nodes, key=lambda v: (-degree[v], v))[:HUBS]
    owner: dict[str, str] = {}
    depth: dict[str, int] = {}
    _spread(simple, hubs, owner, depth)
    outer: list[str] = []
    for v in simple.nodes:
        if v not in owner:
            outer.append(v)
            _spread(simple, [v], owner, depth)
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


def _adjacency(view: View) -> dict[str, set[str]]:
    """Each node's neighbours in the view taken as a simple undirected graph (the graph of
    :func:`_undirected`, without networkx)."""
    adjacency: dict[str, set[str]] = {v: set() for v in view.nodes}
    for u, v, _ in view.edges(keys=True):
        if u != v:
            adjacency[u].add(v)
            adjacency[v].add(u)
    return adjacency


def _component(adjacency: dict[str, set[str]], start: str) -> set[str]:
    """The nodes connected to ``start``, itself included."""
    seen, stack = {start}, [start]
    while stack:
        for w in adjacency[stack.pop()]:
            if w not in seen:
                seen.add(w)
                stack.append(w)
    return seen


def _extend_layout(view: View, previous: dict[str, tuple[float, float]]
                   ) -> dict[str, tuple[float, float]]:
    """Positions for ``view`` that keep every node ``previous`` placed where it was and put each
    new node on the first free point of a spiral around its closest placed node (BFS over the
    graph, ties by node id); a new component with no placed node goes on the outer ring.
    Deterministic for the same ``view`` and ``previous``; O(nodes + edges)."""
    simple = _adjacency(view)
    positions = {v: previous[v] for v in sorted(simple) if v in previous}
    cell = SPIRAL_STEP / 2

    def at(x: float, y: float) -> tuple[int, int]:
        return round(x / cell), round(y / cell)

    taken = {at(x, y) for x, y in positions.values()}
    anchor: dict[str, str] = {}
    depth: dict[str, int] = {}
    _spread(simple, sorted(positions), anchor, depth)  # nearest placed node of every new node
    scale = 25.0 * math.sqrt(max(len(simple), 1))
    ring = 0
    # unreached nodes (depth 0) first, by id: the first of each new component founds it
    for v in sorted((v for v in simple if v not in positions), key=lambda v: (depth.get(v, 0), v)):
        points: Iterator[tuple[float, float]] = (_spiral(i, SPIRAL_STEP) for i in range(100_000))
        if v in anchor:
            cx, cy = positions[anchor[v]]
        else:  # a component none of whose nodes was drawn before: on the outer ring
            angle, radius = ring * GOLDEN_ANGLE, scale * (1.35 + 0.25 * (ring % 4))
            cx, cy = radius * math.cos(angle), radius * math.sin(angle)
            ring += 1
            for w in _component(simple, v):
                anchor.setdefault(w, v)
            points = chain([(0.0, 0.0)], points)
        x, y = cx, cy
        for dx, dy in points:
            x, y = round(cx + dx, 1), round(cy + dy, 1)
            if at(x, y) not in taken:
                break
        positions[v] = (x, y)
        taken.add(at(x, y))
    return positions


def layout_positions(view: View, previous: dict[str, tuple[float, float]] | None = None
                     ) -> dict[str, tuple[float, float]]:
    """Deterministic ``{node id: (x, y)}`` for every node of ``view`` (as from ``kg.explorer.view.to_view``).

    These are the positions of the explorer's "All facts" view (small graphs get a short run
    of physics in the browser on top of them). Exporters (GraphML) use it without
    ``previous``: a function of the graph alone. A build passes the layout of its last page
    as ``previous``: when it already places at least :data:`KEEP_LAYOUT_SHARE` of the nodes,
    those stay put and only the new ones are placed (:func:`_extend_layout`), which is both
    cheaper than a new layout and keeps the reader's map of the graph from build to build.
    """
    if not view.number_of_nodes():
        return {}
    if previous:
        kept = sum(1 for v in view.nodes if v in previous)
        if kept >= KEEP_LAYOUT_SHARE * view.number_of_nodes():
            return _extend_layout(view, previous)
    return _layout(view)
