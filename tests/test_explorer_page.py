"""graph.html: the view built from RDF, the page's safety rules, and the page in a real browser.

Browser tests (``-m browser``) drive the Debian Chromium through Playwright; they are skipped
when /usr/bin/chromium or Playwright is missing. They check what a reader sees: as many drawn
nodes and edges as the view has, evidence in the tooltip, hostile article text shown as text
and never run, and no network request at all (the page must open from disk offline).
"""

from __future__ import annotations

import gc
import importlib
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from kg.explorer.evidence import DANGLING
from kg.explorer.layout import layout_positions
from kg.explorer.page import LAYOUT_THRESHOLD, render_html, viz_file, write_html
from kg.explorer.view import summarize, to_view
from kg.rdf.namespace import CIB, PROV, RES, SCHEMA

ROOT = Path(__file__).resolve().parent.parent
SEED_GRAPH = ROOT / "tests" / "data" / "golden" / "seeds_graph.ttl"
#: The evidence of Twitter's 936-account takedown in the seed graph: the two sentences with the
#: figure, then the one naming Twitter and China; not the headline, not the sentence about
#: blocking in the mainland or about Russia's network, each once.
TWITTER_936_EVIDENCE = [
    "The company said it took down 936 accounts that originated within China and attempted to "
    "manipulate perspectives on the pro-democracy movement in Hong Kong.",
    "Twitter said on Monday that it had terminated 936 accounts that are likely related to the campaign.",
    "Twitter Inc. found and deleted hundreds of accounts it said China used to undermine the Hong Kong "
    "protest movement and calls for political change.",
]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
TAKEDOWN_SENTENCE = "Facebook removed 12 accounts and 3 Pages linked to Russia, the company said."
DENIAL_QUOTE = "We have nothing to do with these accounts"


def iri(path: str) -> URIRef:
    return URIRef(str(RES) + path)


def small_graph(headline: str = "Facebook removes Russian network", sentence: str = TAKEDOWN_SENTENCE,
                quote: str = DENIAL_QUOTE) -> Graph:
    """Two takedowns (Facebook/Russia 2020, Twitter/Iran 2019), one claim, one denial, mentions."""
    g = Graph()
    fb, tw = iri("platform/facebook"), iri("platform/twitter")
    ru, ir = iri("state/russia"), iri("state/iran")
    n1, n2 = iri("network/n1"), iri("network/n2")
    t1, t2 = iri("takedown/t1"), iri("takedown/t2")
    a1, a2 = iri("article/a1"), iri("article/a2")
    c1, d1, peskov = iri("claim/c1"), iri("denial/d1"), iri("person/dmitry-peskov")
    m1, m2, m3 = iri("mention/m1"), iri("mention/m2"), iri("mention/m3")
    for node, cls, label in [
        (fb, CIB.Platform, "Facebook"), (tw, CIB.Platform, "Twitter"), (ru, CIB.State, "Russia"),
        (ir, CIB.State, "Iran"), (n1, CIB.Network, "12 accounts and 3 Pages"),
        (n2, CIB.Network, "a network of 40 accounts"),
        (t1, CIB.Takedown, "Facebook takedown of 12 accounts"),
        (t2, CIB.Takedown, "Twitter takedown of 40 accounts"),
        (c1, CIB.Claim, "Facebook attribution to Russia"),
        (d1, CIB.Denial, "Russia denial by Dmitry Peskov"), (peskov, CIB.Person, "Dmitry Peskov"),
    ]:
        g.add((node, RDF.type, cls))
        g.add((node, RDFS.label, Literal(label)))
    articles = [(a1, headline, "2020-03-05", "a1.txt"), (a2, "Twitter and Iran", "2019-06-01", "a2.txt")]
    for art, title, day, file in articles:
        g.add((art, RDF.type, CIB.Article))
        g.add((art, SCHEMA.headline, Literal(title)))
        g.add((art, SCHEMA.datePublished, Literal(day, datatype=XSD.date)))
        g.add((art, CIB.sourceFile, Literal(file)))
    mentions = [(m1, a1, sentence), (m2, a1, quote), (m3, a2, "Twitter suspended 40 accounts from Iran.")]
    for m, art, text in mentions:
        g.add((m, RDF.type, CIB.Mention))
        g.add((m, CIB.inArticle, art))
        g.add((m, CIB.sentence, Literal(text)))
        g.add((m, CIB.startOffset, Literal(0)))
        g.add((m, CIB.endOffset, Literal(len(text))))
    g.add((t1, CIB.platform, fb))
    g.add((t1, CIB.network, n1))
    g.add((t1, CIB.accounts, Literal(12)))
    g.add((t1, CIB.pages, Literal(3)))
    g.add((t1, CIB.date, Literal("2020-03-04", datatype=XSD.date)))
    g.add((t1, CIB.reportedIn, a1))
    g.add((t1, PROV.wasDerivedFrom, m1))
    g.add((t2, CIB.platform, tw))
    g.add((t2, CIB.network, n2))
    g.add((t2, CIB.accounts, Literal(40)))
    g.add((t2, CIB.date, Literal("2019-05-30", datatype=XSD.date)))
    g.add((t2, CIB.reportedIn, a2))
    g.add((t2, PROV.wasDerivedFrom, m3))
    g.add((fb, CIB.removed, n1))
    g.add((tw, CIB.removed, n2))
    g.add((n1, CIB.attributedTo, ru))
    g.add((n2, CIB.attributedTo, ir))
    g.add((c1, CIB.claimant, fb))
    g.add((c1, CIB.claimAbout, n1))
    g.add((c1, CIB.claimedState, ru))
    g.add((c1, CIB.wording, Literal("linked to")))
    g.add((c1, CIB.reportedIn, a1))
    g.add((ru, CIB.denied, c1))
    g.add((d1, CIB.deniedBy, ru))
    g.add((d1, CIB.speaker, peskov))
    g.add((d1, CIB.deniesClaim, c1))
    g.add((d1, CIB.quote, Literal(quote)))
    g.add((d1, CIB.date, Literal("2020-03-06", datatype=XSD.date)))
    g.add((d1, CIB.reportedIn, a1))
    g.add((d1, PROV.wasDerivedFrom, m2))
    g.add((peskov, CIB.actsFor, ru))
    g.add((peskov, CIB.role, Literal("spokesperson")))
    return g


def hostile_graph() -> Graph:
    return small_graph(
        headline=f"Breaking {SCRIPT} news {IMG}",
        sentence=f"Facebook removed 12 accounts {IMG} linked to Russia {SCRIPT}.",
        quote=f"{SCRIPT}{IMG} lies",
    )


# ---------------------------------------------------------------- view (no browser)


def test_to_view_nodes_edges_and_tooltips() -> None:
    view = to_view(small_graph())
    kinds = {n: d["kind"] for n, d in view.nodes(data=True)}
    assert sorted(set(kinds.values())) == sorted(
        ["platform", "state", "network", "takedown", "claim", "denial", "person", "article"])
    assert not any("/mention/" in n for n in view.nodes), "mentions are folded, not drawn"
    assert len(view) == 13
    labels = {(u.rsplit("/", 1)[1], k, v.rsplit("/", 1)[1]) for u, v, k in view.edges(keys=True)}
    assert ("facebook", "removed", "n1") in labels
    assert ("n1", "attributedTo", "russia") in labels
    assert ("russia", "denied", "c1") in labels
    assert ("d1", "deniesClaim", "c1") in labels
    assert all(d["label"] == k for _, _, k, d in view.edges(keys=True, data=True))

    t1 = view.nodes[str(iri("takedown/t1"))]
    assert t1["year"] == 2020 and t1["states"] == ["Russia"] and t1["platforms"] == ["Facebook"]
    for text in (TAKEDOWN_SENTENCE, "12 accounts", "3 pages", "2020-03-04",
                 "Facebook removes Russian network (2020-03-05)", "Attributed to: Russia"):
        assert text in t1["title"]
    d1 = view.nodes[str(iri("denial/d1"))]
    assert DENIAL_QUOTE in d1["title"] and "Speaker: Dmitry Peskov" in d1["title"]
    assert "2020-03-06" in d1["title"]
    assert "linked to" in view.nodes[str(iri("claim/c1"))]["title"]
    # Facets spread from facts: Facebook is involved with Russia only, the Russia node with 2020.
    assert view.nodes[str(iri("platform/facebook"))]["states"] == ["Russia"]
    assert view.nodes[str(iri("state/russia"))]["years"] == [2020]
    assert view.nodes[str(iri("state/iran"))]["platforms"] == ["Twitter"]
    assert view.nodes[str(iri("article/a2"))]["year"] == 2019
    assert view.graph["summary"] == summarize(small_graph())
    assert view.graph["summary"] == {
        "articles": 2, "takedowns": 2, "denials": 1, "entities": 5, "triples": len(small_graph())}


def test_render_is_offline_deterministic_and_escaped() -> None:
    view = to_view(hostile_graph())
    page = render_html(view, view.graph["summary"])
    assert page == render_html(to_view(hostile_graph()), view.graph["summary"])
    # nothing fetched: no remote (or protocol-relative) src/href, no external stylesheet/script
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "<link" not in page
    assert "vis.Network" in page and "Content-Security-Policy" in page
    # the article text never appears as markup: it adds no tag to the page
    clean = render_html(to_view(small_graph()), view.graph["summary"])
    assert "<img" not in page
    assert page.count("<script") == clean.count("<script") and page.count("<") == clean.count("<")
    assert "window.__pwned" in page  # present, but only inside escaped JSON


def test_big_graph_gets_precomputed_positions() -> None:
    g = Graph()
    for i in range(LAYOUT_THRESHOLD + 10):
        node = iri(f"network/n{i}")
        g.add((node, RDF.type, CIB.Network))
        g.add((node, CIB.attributedTo, iri(f"state/s{i % 7}")))
    view = to_view(g)
    page = render_html(view, summarize(g))
    assert '"x":' in page
    positions = layout_positions(view)
    assert set(positions) == set(view.nodes) and positions == layout_positions(to_view(g))
    assert all(isinstance(x, float) and isinstance(y, float) for x, y in positions.values())


def test_view_records_cards_and_whole_labels() -> None:
    view = to_view(small_graph())
    (t1,) = [t for t in view.graph["takedowns"] if t["id"].endswith("/t1")]
    assert t1["platformNames"] == ["Facebook"] and t1["stateNames"] == ["Russia"]
    assert t1["counts"] == {"accounts": 12, "pages": 3} and t1["year"] == 2020
    (d1,) = view.graph["denials"]
    assert d1["speakers"] == [str(iri("person/dmitry-peskov"))] and d1["networks"] == [str(iri("network/n1"))]
    card = view.nodes[str(iri("takedown/t1"))]["card"]
    assert ["Counts", "12 accounts, 3 pages"] in card["fields"]
    (ev,) = card["evidence"]
    assert ev["text"] == TAKEDOWN_SENTENCE and ev["where"] == "Facebook removes Russian network (2020-03-05)"
    marked = {ev["text"][a:b]: k for a, b, k in ev["marks"]}
    assert marked["Facebook"] == "platform" and marked["12"] == "count" and marked["Russia"] == "state"
    assert marked["removed"] == "verb" and marked["linked to"] == "cue"
    removed = [d for u, v, k, d in view.edges(keys=True, data=True) if k == "removed" and v.endswith("/n1")]
    assert removed[0]["counts"] == "12 accounts, 3 pages"


def test_seed_graph_labels_and_evidence() -> None:
    """The seed graph's known defects: cut labels, and a takedown card with eleven sentences."""
    view = to_view(Graph().parse(SEED_GRAPH))
    for _, d in view.nodes(data=True):
        last = d["label"].rstrip("…").split()[-1].lower()
        assert last not in DANGLING, d["label"]
        assert not d["full_label"].endswith(" linked"), d["full_label"]
    labels = {d["full_label"] for _, d in view.nodes(data=True)}
    assert "Twitter takedown of a campaign linked to Russia’s Internet Research Agency (IRA)" in labels
    (card,) = [d["card"] for _, d in view.nodes(data=True)
               if d["full_label"] == "Twitter takedown of 936 accounts"]
    assert [e["text"] for e in card["evidence"]] == TWITTER_936_EVIDENCE
    confidences = [e["confidence"] for e in card["evidence"]]
    assert confidences == sorted(confidences, reverse=True)


def test_node_ids_with_a_set_give_pyvis_own_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    """``_network`` gives pyvis an id list with a set beside it (its membership test was a scan
    per node): the same nodes in the same order as with pyvis's own list, a repeat still dropped."""
    from kg.explorer import page

    view = to_view(Graph().parse(SEED_GRAPH))
    fast, _ = page._network(view)
    assert isinstance(fast.node_ids, page._NodeIds) and len(fast.nodes) == view.number_of_nodes()
    monkeypatch.setattr(page, "_NodeIds", list)
    plain, _ = page._network(view)
    assert type(plain.node_ids) is list
    assert fast.nodes == plain.nodes and list(fast.node_ids) == plain.node_ids
    first = fast.nodes[0]["id"]
    fast.add_node(first, label="again")
    assert len(fast.nodes) == view.number_of_nodes()
    assert first in fast.node_ids and "nowhere" not in fast.node_ids


def test_viz_file_and_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    ttl = tmp_path / "graph.ttl"
    small_graph().serialize(ttl, format="turtle")
    out = viz_file(ttl, tmp_path / "a.html")
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")
    result = CliRunner().invoke(app, ["viz", str(ttl), "-o", str(tmp_path / "b.html")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "b.html").read_text("utf-8") == out.read_text("utf-8")
    missing = CliRunner().invoke(app, ["viz", str(tmp_path / "nope.ttl")])
    assert missing.exit_code != 0



@pytest.mark.parametrize("enabled", [True, False])
def test_the_collector_is_as_it_was_after_a_page(tmp_path: Path, enabled: bool) -> None:
    """The page is made with the cyclic GC paused; afterwards it is on again exactly when it
    was on before, also when the write fails."""
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        write_html(small_graph(), tmp_path / "g.html", state=tmp_path)
        assert gc.isenabled() is enabled
        (tmp_path / "dir.html").mkdir()
        with pytest.raises(OSError):
            write_html(small_graph(), tmp_path / "dir.html")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


# ---------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists() or shutil.which(str(CHROMIUM)) is None:
        pytest.skip("needs the Debian chromium at /usr/bin/chromium (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


DRAWN = "cibNodes.get().map(n => n.id)"
DRAWN_LABELS = "cibNodes.get().map(n => n.fullLabel).sort()"
KINDS = "[...new Set(cibNodes.get().map(n => n.kind))].sort()"


class Opened:
    """A page opened from disk, with every non-file request and every JS error recorded."""

    def __init__(self, browser: Any, path: Path, timeout: float = 120) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.route("**/*", self._route)
        self.page.goto(path.resolve().as_uri())
        self.idle(timeout)

    def idle(self, timeout: float = 60) -> None:
        """Wait until the view has settled (polled from Python: the page's CSP forbids eval)."""
        deadline = time.monotonic() + timeout
        while not self.page.evaluate("window.cibReady === true && window.cibBusy === false"):
            assert time.monotonic() < deadline, "page never finished drawing"
            time.sleep(0.05)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith("file:"):
            route.continue_()
        else:
            self.remote.append(url)
            route.abort()

    def node_point(self, node_id: str) -> tuple[float, float]:
        """Page coordinates of a drawn node's centre."""
        xy = self.page.evaluate(
            """id => { const p = network.canvasToDOM(network.getPositions([id])[id]);
                       const r = document.getElementById('network').getBoundingClientRect();
                       return [r.left + p.x, r.top + p.y]; }""",
            node_id,
        )
        return xy[0], xy[1]

    def edge_point(self, edge_id: str) -> tuple[float, float]:
        """Page coordinates of a point where a click lands on this edge (and nothing else)."""
        xy = self.page.evaluate(
            """id => { const e = network.body.edges[id];
                       const r = document.getElementById('network').getBoundingClientRect();
                       for (let k = 10; k <= 90; k += 2) {
                         const p = network.canvasToDOM(e.edgeType.getPoint(k / 100));
                         if (network.getEdgeAt(p) === id && network.getNodeAt(p) === undefined) {
                           return [r.left + p.x, r.top + p.y]; } }
                       return null; }""",
            edge_id,
        )
        assert xy is not None, f"no clickable point on {edge_id}"
        return xy[0], xy[1]

    def click_node(self, node_id: str, double: bool = False) -> None:
        x, y = self.node_point(node_id)
        if double:
            self.page.mouse.dblclick(x, y)
        else:
            self.page.mouse.click(x, y)
        self.page.wait_for_timeout(350)  # vis-network tells a click from a double-click
        self.idle()

    def id_of(self, label: str) -> str:
        """The id of the node whose full label is ``label`` (drawn or not)."""
        return str(self.page.evaluate(
            "l => JSON.parse(document.getElementById('cib-data').textContent).nodes"
            ".find(n => n.fullLabel === l).id", label))

    def all_in_canvas(self) -> bool:
        """True when every drawn node's centre is inside the canvas (nothing lost off-screen)."""
        return bool(self.page.evaluate(
            """() => { const c = document.getElementById('network').getBoundingClientRect();
                 const pos = network.getPositions();
                 return Object.values(pos).every(p => { const d = network.canvasToDOM(p);
                   return d.x >= -1 && d.y >= -1 && d.x <= c.width + 1 && d.y <= c.height + 1; }); }"""))

    def clean(self) -> None:
        assert self.errors == [] and self.remote == [], (self.errors, self.remote)

    def close(self) -> None:
        self.context.close()


def _open(browser: Any, tmp_path: Path, graph: Graph, timeout: float = 120) -> Opened:
    path = tmp_path / "graph.html"
    write_html(graph, path)
    return Opened(browser, path, timeout)


@pytest.fixture
def seed_page(browser: Any, tmp_path: Path) -> Iterator[Opened]:
    opened = _open(browser, tmp_path, Graph().parse(SEED_GRAPH))
    yield opened
    opened.close()


@pytest.mark.browser
def test_seed_opens_on_the_story(seed_page: Opened) -> None:
    page = seed_page.page
    assert page.evaluate(KINDS) == ["organisation", "person", "platform", "state"]
    labels = page.evaluate(DRAWN_LABELS)
    assert {"Facebook", "Twitter", "YouTube", "Russia", "China", "Iran", "Dmitry Peskov"} <= set(labels)
    assert len(labels) <= 12
    pairs = page.evaluate("cibEdges.get().filter(e => e.pair).map(e => [e.label, e.width])")
    assert "2 takedowns · 200,936 accounts" in [p[0] for p in pairs]
    widths = dict(pairs)
    assert widths["2 takedowns · 200,936 accounts"] > widths["1 takedown"]
    denied = page.evaluate("cibEdges.get().map(e => e.fullLabel).filter(l => l.startsWith('denied'))")
    assert "denied ×3" in denied
    header = page.inner_text("header")
    assert "5 articles" in header and "9 takedowns" in header and "4 denials" in header
    assert "Takedown" in page.inner_text("#legend")
    assert page.evaluate("network.physics.options.enabled") is False
    seed_page.clean()


@pytest.mark.browser
def test_clicking_a_pair_or_a_state_opens_its_networks(seed_page: Opened) -> None:
    page = seed_page.page
    twitter, china = seed_page.id_of("Twitter"), seed_page.id_of("China")
    x, y = seed_page.edge_point(f"agg\u0001{twitter}\u0001{china}")
    page.mouse.click(x, y)
    page.wait_for_timeout(350)
    seed_page.idle()
    labels = page.evaluate(DRAWN_LABELS)
    assert "936 accounts" in labels and "a larger, spammy network of approximately 200,000 accounts" in labels
    assert "Twitter takedown of 936 accounts" not in labels, "n-ary nodes come in on demand only"
    edges = page.evaluate("cibEdges.get().map(e => e.label)")
    assert "removed · 936 accounts" in edges and "attributedTo" in edges
    card = page.inner_text("#details")
    assert "Twitter → China" in card and "Takedowns: 2" in card and "200,936 accounts" in card
    # a state click opens all of its pairs
    seed_page.click_node(seed_page.id_of("Russia"))
    labels = page.evaluate(DRAWN_LABELS)
    assert "470 inauthentic Russia-based accounts that bought 3,000 social and political ads for $100,000" \
        in labels
    assert "Russia" in page.inner_text("#details")
    # denied edges reach the networks of the open pairs from who denied
    assert page.evaluate("cibEdges.get().some(e => e.id.startsWith('dn\\u0001'))")
    assert seed_page.all_in_canvas()
    seed_page.clean()


@pytest.mark.browser
def test_facts_come_in_on_demand_and_on_the_toggle(seed_page: Opened) -> None:
    page = seed_page.page
    page.select_option("#level", "networks")
    seed_page.idle()
    assert page.evaluate(KINDS) == ["network", "organisation", "person", "platform", "state"]
    network_id = seed_page.id_of("936 accounts")
    seed_page.click_node(network_id, double=True)
    labels = page.evaluate(DRAWN_LABELS)
    assert "Twitter takedown of 936 accounts" in labels
    assert "Twitter attribution of 936 accounts to China" in labels
    page.select_option("#level", "facts")
    seed_page.idle()
    view = to_view(Graph().parse(SEED_GRAPH))
    assert page.evaluate("cibNodes.length") == view.number_of_nodes()
    assert page.evaluate("cibEdges.length") == view.number_of_edges()
    seed_page.clean()


@pytest.mark.browser
def test_takedown_card_shows_its_own_evidence_marked(seed_page: Opened) -> None:
    page = seed_page.page
    page.fill("#search", "Twitter takedown of 936 accounts")
    page.press("#search", "Enter")
    seed_page.idle()
    selected = page.evaluate("network.getSelectedNodes()")
    assert selected == [seed_page.id_of("Twitter takedown of 936 accounts")]
    texts = page.evaluate("[...document.querySelectorAll('#details .ev .text')].map(e => e.textContent)")
    assert texts == TWITTER_936_EVIDENCE
    counts = page.evaluate("[...document.querySelectorAll('#details mark.m-count')].map(e => e.textContent)")
    assert counts == ["936", "936"]
    kinds = set(page.evaluate("[...document.querySelectorAll('#details mark')].map(e => e.className)"))
    assert {"m-count", "m-platform", "m-state", "m-verb"} <= kinds
    assert "Counts: 936 accounts" in page.inner_text("#details")
    # the evidence is built from DOM nodes: marks are elements, the text has no markup in it
    assert page.evaluate("document.querySelector('#details .ev .text').childElementCount") >= 2
    seed_page.clean()


@pytest.mark.browser
def test_search_then_reset_then_filter_shows_the_graph(seed_page: Opened) -> None:
    """The old bug: after a search, Reset left the view zoomed in and a filter drew an empty canvas."""
    page = seed_page.page
    start_scale = page.evaluate("network.getScale()")
    start = page.evaluate(DRAWN)
    page.fill("#search", "peskov")
    page.press("#search", "Enter")
    seed_page.idle()
    assert page.evaluate("network.getSelectedNodes()") == [seed_page.id_of("Dmitry Peskov")]
    assert "spokesperson" in page.inner_text("#details")
    page.select_option("#level", "networks")
    page.uncheck("#edge-labels")
    seed_page.idle()
    page.click("#reset")
    seed_page.idle()
    assert abs(page.evaluate("network.getScale()") - start_scale) < 1e-6
    assert sorted(page.evaluate(DRAWN)) == sorted(start)
    assert page.input_value("#search") == "" and page.input_value("#level") == "story"
    assert page.is_checked("#edge-labels")
    page.select_option("#filter-state", "Iran")
    seed_page.idle()
    drawn = page.evaluate(DRAWN_LABELS)
    assert "Iran" in drawn and "Russia" not in drawn and "China" not in drawn
    assert seed_page.all_in_canvas()
    assert page.inner_text("#status").startswith(f"{len(drawn)} nodes")
    # Fit brings a zoomed-in view back
    page.evaluate("network.moveTo({scale: 6, position: {x: 3000, y: 3000}})")
    assert not seed_page.all_in_canvas()
    page.click("#fit")
    assert seed_page.all_in_canvas()
    seed_page.clean()


@pytest.mark.browser
def test_pinned_card_clears_when_filtered_out_and_labels_toggle(seed_page: Opened) -> None:
    page = seed_page.page
    seed_page.click_node(seed_page.id_of("YouTube"))
    assert page.get_attribute("#details .info", "data-node") == seed_page.id_of("YouTube")
    page.select_option("#filter-state", "Russia")
    seed_page.idle()
    assert page.query_selector("#details .info") is None
    assert page.evaluate("cibEdges.get().every(e => e.label)")
    page.uncheck("#edge-labels")
    seed_page.idle()
    assert page.evaluate("cibEdges.length > 0 && cibEdges.get().every(e => !e.label)")
    page.check("#edge-labels")
    seed_page.idle()
    assert page.evaluate("cibEdges.get().every(e => e.label)")
    seed_page.clean()


@pytest.mark.browser
def test_chart_counts_and_filters(browser: Any, tmp_path: Path) -> None:
    opened = _open(browser, tmp_path, small_graph())
    page = opened.page
    try:
        bars = page.evaluate("[...document.querySelectorAll('#chart rect.bar')]"
                             ".map(r => [r.dataset.year, r.dataset.group, +r.dataset.count])")
        assert sorted(bars) == [["2019", "Iran", 1], ["2020", "Russia", 1]]
        page.click("#chart rect.bar[data-year='2019']")
        opened.idle()
        assert page.input_value("#filter-year") == "2019" and page.input_value("#filter-state") == "Iran"
        drawn = page.evaluate(DRAWN_LABELS)
        assert "Twitter" in drawn and "Facebook" not in drawn and "Russia" not in drawn
        page.click("#chart rect.bar[data-year='2019']")  # a second click clears it
        opened.idle()
        assert page.input_value("#filter-year") == ""
        page.select_option("#chart-by", "platform")
        groups = page.evaluate("[...document.querySelectorAll('#chart rect.bar')].map(r => r.dataset.group)")
        assert sorted(groups) == ["Facebook", "Twitter"]
        page.click("#chart text.axis[data-year='2020']")
        opened.idle()
        assert page.input_value("#filter-year") == "2020" and page.input_value("#filter-platform") == ""
        assert "Twitter" not in page.evaluate(DRAWN_LABELS)
        opened.clean()
    finally:
        opened.close()


@pytest.mark.browser
def test_graphs_without_a_story(browser: Any, tmp_path: Path) -> None:
    """An empty graph, and one with networks but no takedown records, still open cleanly."""
    g = Graph()
    for i in range(6):
        g.add((iri(f"network/n{i}"), RDF.type, CIB.Network))
        g.add((iri(f"network/n{i}"), CIB.attributedTo, iri(f"state/s{i % 2}")))
    for graph, drawn in ((Graph(), 0), (g, 8)):
        opened = _open(browser, tmp_path, graph)
        try:
            assert opened.page.evaluate("cibNodes.length") == drawn
            assert opened.page.input_value("#level") == "facts"
            opened.page.click("#reset")
            opened.idle()
            assert opened.page.evaluate("cibNodes.length") == drawn
            assert "No takedowns" in opened.page.inner_text("#chart-note")
            opened.clean()
        finally:
            opened.close()


@pytest.mark.browser
def test_hover_and_click_show_the_card(browser: Any, tmp_path: Path) -> None:
    opened = _open(browser, tmp_path, small_graph())
    page = opened.page
    try:
        page.select_option("#level", "facts")
        opened.idle()
        x, y = opened.node_point(str(iri("takedown/t1")))
        page.mouse.move(x, y)
        page.wait_for_selector("#tooltip", state="visible", timeout=5_000)
        tip = page.inner_text("#tooltip")
        assert TAKEDOWN_SENTENCE in tip and "12 accounts" in tip and "2020-03-04" in tip
        opened.click_node(str(iri("takedown/t1")))
        details = page.inner_text("#details")
        assert TAKEDOWN_SENTENCE in details and "Facebook removes Russian network (2020-03-05)" in details
        opened.click_node(str(iri("denial/d1")))
        assert DENIAL_QUOTE in page.inner_text("#details")
        opened.clean()
    finally:
        opened.close()


@pytest.mark.browser
def test_hostile_article_text_is_shown_not_run(browser: Any, tmp_path: Path) -> None:
    opened = _open(browser, tmp_path, hostile_graph())
    page = opened.page
    try:
        page.select_option("#level", "facts")
        opened.idle()
        for node in ("takedown/t1", "denial/d1", "article/a1"):
            x, y = opened.node_point(str(iri(node)))
            page.mouse.move(x, y)
            page.wait_for_selector("#tooltip", state="visible", timeout=5_000)
            opened.click_node(str(iri(node)))
            details = page.inner_text("#details")
            assert SCRIPT in details and IMG in details, f"{node}: markup must show literally"
            page.mouse.move(5, 5)
        page.fill("#search", "Breaking")
        page.press("#search", "Enter")
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.scripts.length") == 3
        opened.clean()
    finally:
        opened.close()


@pytest.mark.browser
@pytest.mark.model
def test_hostile_article_through_the_pipeline(browser: Any, tmp_path: Path) -> None:
    """A real build from an article file whose text carries markup."""
    from kg.build.pipeline import build

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        f"Facebook removes Russian network {SCRIPT}\nMarch 5, 2020\n"
        f"Facebook said it removed 12 accounts and 3 Pages linked to Russia {IMG} on Tuesday.\n",
        encoding="utf-8",
    )
    result = build(corpus, tmp_path / "out", html=True)
    assert result.takedowns >= 1
    opened = Opened(browser, tmp_path / "out" / "graph.html")
    page = opened.page
    try:
        page.select_option("#level", "facts")
        opened.idle()
        takedown = page.evaluate("cibNodes.get({filter: n => n.kind === 'takedown'})[0].id")
        opened.click_node(takedown)
        details = page.inner_text("#details")
        assert IMG in details and SCRIPT in details
        assert page.evaluate("typeof window.__pwned") == "undefined"
        opened.clean()
    finally:
        opened.close()


def _bench(name: str) -> Any:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "bench"))


@pytest.mark.browser
@pytest.mark.model
def test_a_hundred_article_build_opens_small(browser: Any, tmp_path: Path) -> None:
    """A real build of 100+ generated articles: the first view is a few dozen nodes, not a hairball."""
    from kg.build.pipeline import build

    _bench("corpus_gen").write_corpus(tmp_path / "corpus", 100, seed=3)
    build(tmp_path / "corpus", tmp_path / "out", html=True)
    opened = Opened(browser, tmp_path / "out" / "graph.html")
    page = opened.page
    try:
        total = page.evaluate("JSON.parse(document.getElementById('cib-data').textContent).nodes.length")
        first = page.evaluate("cibNodes.length")
        assert total > 500 and first <= 40, (total, first)
        # the story level: platforms, states and who denied (a person, an office, or the claim)
        kinds = page.evaluate(KINDS)
        assert {"platform", "state"} <= set(kinds) <= {"claim", "organisation", "person", "platform", "state"}
        assert set(kinds) & {"claim", "organisation", "person"}, kinds
        assert opened.all_in_canvas()
        others = "cib:other-states"
        assert others in page.evaluate(DRAWN)
        opened.click_node(others)
        assert page.evaluate("cibNodes.length") > first
        page.select_option("#level", "networks")
        opened.idle()
        assert "network" in page.evaluate(KINDS)
        page.click("#reset")
        opened.idle()
        assert page.evaluate("cibNodes.length") == first
        page.click("#chart rect.bar")
        opened.idle()
        assert page.input_value("#filter-year") != "" and 0 < page.evaluate("cibNodes.length") <= first
        assert opened.all_in_canvas()
        opened.clean()
    finally:
        opened.close()


@pytest.mark.browser
def test_five_thousand_nodes(browser: Any, tmp_path: Path) -> None:
    graph = _bench("bench_html").synthetic_graph(5000)
    view = to_view(graph)
    assert view.number_of_nodes() >= 5000
    opened = _open(browser, tmp_path, graph, timeout=180)
    page = opened.page
    try:
        assert page.evaluate("cibNodes.length") <= 40
        page.select_option("#level", "facts")
        opened.idle(120)
        drawn = page.evaluate("[cibNodes.length, cibEdges.length]")
        assert drawn == [view.number_of_nodes(), view.number_of_edges()]
        assert page.evaluate("network.physics.options.enabled") is False
        page.select_option("#filter-state", "State 3")
        opened.idle(120)
        shown = page.evaluate("cibNodes.length")
        assert 0 < shown < view.number_of_nodes()
        assert opened.all_in_canvas()
        opened.clean()
    finally:
        opened.close()


EVIDENCE_TEXTS = "[...document.querySelectorAll('#details .ev .text')].map(e => e.textContent)"


@pytest.mark.browser
def test_a_page_from_a_kept_layout_shows_what_a_cold_page_shows(browser: Any, tmp_path: Path) -> None:
    """A rebuild's page (the last layout kept, new nodes placed) draws the same nodes, edges
    and evidence as a page laid out from scratch, all on the canvas after Fit."""
    from kg.explorer.reuse import save_layout

    graph = Graph().parse(SEED_GRAPH)
    triples = set(graph)
    view = to_view(triples)
    new = set(sorted(view.nodes)[::10])
    save_layout(tmp_path, {k: v for k, v in layout_positions(view).items() if k not in new})
    kept, cold = tmp_path / "kept.html", tmp_path / "cold.html"
    write_html(triples, kept, state=tmp_path)
    write_html(triples, cold)
    seen = []
    for path in (kept, cold):
        opened = Opened(browser, path)
        page = opened.page
        try:
            page.select_option("#level", "facts")
            opened.idle()
            page.click("#fit")
            opened.idle()
            drawn = sorted(page.evaluate(DRAWN)), page.evaluate("cibEdges.length")
            page.fill("#search", "Twitter takedown of 936 accounts")
            page.press("#search", "Enter")
            opened.idle()
            texts = page.evaluate(EVIDENCE_TEXTS)
            assert texts == TWITTER_936_EVIDENCE
            seen.append((drawn, page.inner_text("#details")))
            opened.clean()
        finally:
            opened.close()
    assert seen[0] == seen[1]
    assert len(seen[0][0][0]) == view.number_of_nodes() and seen[0][0][1] == view.number_of_edges()
