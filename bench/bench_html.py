"""How big and how slow graph.html gets: synthetic graphs of 1,000 and 5,000 nodes.

Run ``PYTHONPATH=. python bench/bench_html.py [SIZES...]``. For each size it builds a graph
following ontology/VOCABULARY.md, writes the page, and opens it in headless Chromium
(Playwright) to time (1) the story view drawn and settled (``window.cibReadyAt``, ms since
navigation start) and (2) the switch to "All facts", every node drawn (precomputed layout
above the threshold, physics below). Needs /usr/bin/chromium.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from kg.explorer.page import PHYSICS_MAX, write_html
from kg.explorer.view import to_view
from kg.rdf.namespace import CIB, PROV, RES, SCHEMA

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SIZES = (1000, 5000)


def synthetic_graph(n_nodes: int, seed: int = 7) -> Graph:
    """About ``n_nodes`` drawn nodes: fixed entities, then takedown/network/claim/article units."""
    rng = random.Random(seed)
    g = Graph()

    def node(path: str, cls: URIRef, label: str) -> URIRef:
        iri = URIRef(f"{RES}{path}")
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, Literal(label)))
        return iri

    states = [node(f"state/s{i}", CIB.State, f"State {i}") for i in range(40)]
    platforms = [node(f"platform/p{i}", CIB.Platform, f"Platform {i}") for i in range(8)]
    orgs = [node(f"org/o{i}", CIB.Organisation, f"Organisation {i}") for i in range(30)]
    people = [node(f"person/q{i}", CIB.Person, f"Person {i}") for i in range(20)]
    for who in orgs + people:
        g.add((who, CIB.actsFor, rng.choice(states)))
    i, drawn = 0, len(states) + len(platforms) + len(orgs) + len(people)
    while drawn < n_nodes:
        state, platform = rng.choice(states), rng.choice(platforms)
        year = rng.randint(2016, 2024)
        day = Literal(f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", datatype=XSD.date)
        art = node(f"article/a{i}", CIB.Article, f"Article {i}")
        g.add((art, SCHEMA.headline, Literal(f"Platform removes network number {i}")))
        g.add((art, SCHEMA.datePublished, day))
        net = node(f"network/n{i}", CIB.Network, f"network {i}")
        td = node(f"takedown/t{i}", CIB.Takedown, f"takedown {i}")
        claim = node(f"claim/c{i}", CIB.Claim, f"attribution {i}")
        mention = URIRef(f"{RES}mention/m{i}")
        g.add((mention, RDF.type, CIB.Mention))
        g.add((mention, CIB.inArticle, art))
        g.add((mention, CIB.sentence, Literal(f"Platform removed {i} accounts linked to a state.")))
        for s, p, o in [(td, CIB.platform, platform), (td, CIB.network, net), (td, CIB.date, day),
                        (td, CIB.accounts, Literal(rng.randint(5, 5000))), (td, CIB.reportedIn, art),
                        (td, PROV.wasDerivedFrom, mention), (platform, CIB.removed, net),
                        (net, CIB.attributedTo, state), (claim, CIB.claimant, platform),
                        (claim, CIB.claimAbout, net), (claim, CIB.claimedState, state),
                        (claim, CIB.wording, Literal("linked to"))]:
            g.add((s, p, o))
        if rng.random() < 0.3:
            g.add((net, CIB.actor, rng.choice(orgs)))
        drawn += 4
        if i % 3 == 0:
            drawn += 1
            den = node(f"denial/d{i}", CIB.Denial, f"denial {i}")
            for s, p, o in [(den, CIB.deniedBy, state), (den, CIB.deniesClaim, claim),
                            (den, CIB.speaker, rng.choice(people)), (den, CIB.quote, Literal("Nonsense.")),
                            (den, CIB.reportedIn, art), (state, CIB.denied, claim)]:
                g.add((s, p, o))
        i += 1
    return g


def measure(n_nodes: int, folder: Path) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    graph = synthetic_graph(n_nodes)
    view = to_view(graph)
    path = folder / f"graph_{n_nodes}.html"
    t0 = time.perf_counter()
    write_html(graph, path)
    write_s = time.perf_counter() - t0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(path.as_uri())
        deadline = time.monotonic() + 600
        while not page.evaluate("window.cibReady === true"):  # polls without eval: the page's CSP forbids it
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path} not ready after 600 s")
            time.sleep(0.1)
        ready_ms = page.evaluate("window.cibReadyAt")
        story = page.evaluate("cibNodes.length")
        t1 = time.perf_counter()
        page.select_option("#level", "facts")
        while not page.evaluate("window.cibBusy === false"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{path}: all facts not drawn after 600 s")
            time.sleep(0.05)
        facts_s = time.perf_counter() - t1
        drawn = page.evaluate("[cibNodes.length, cibEdges.length]")
        browser.close()
    return {
        "nodes": view.number_of_nodes(), "edges": view.number_of_edges(), "drawn": drawn,
        "mode": "physics" if view.number_of_nodes() <= PHYSICS_MAX else "precomputed",
        "bytes": path.stat().st_size, "write_s": write_s, "ready_s": ready_ms / 1000.0,
        "story": story, "facts_s": facts_s,
    }


def main() -> None:
    sizes = tuple(int(a) for a in sys.argv[1:]) or SIZES
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(n, Path(tmp)) for n in sizes]
    print(f"{'nodes':>6} {'edges':>6} {'facts layout':>12} {'page bytes':>11} {'write s':>8} "
          f"{'story nodes':>11} {'story ready s':>13} {'all facts s':>11}")
    for r in rows:
        assert r["drawn"] == [r["nodes"], r["edges"]], r
        print(f"{r['nodes']:>6} {r['edges']:>6} {r['mode']:>12} {r['bytes']:>11,} {r['write_s']:>8.2f} "
              f"{r['story']:>11} {r['ready_s']:>13.2f} {r['facts_s']:>11.2f}")


if __name__ == "__main__":
    main()
