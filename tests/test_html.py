"""graph.html: the view built from RDF, the page's safety rules, and the page in a real browser.

Browser tests (``-m browser``) drive the Debian Chromium through Playwright; they are skipped
when /usr/bin/chromium or Playwright is missing. They check what a reader sees: as many drawn
nodes and edges as the view has, evidence in the tooltip, hostile article text shown as text
and never run, and no network request at all (the page must open from disk offline).
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef

from kg.exporters.html import LAYOUT_THRESHOLD, render_html, viz_file, write_html
from kg.graph_view import summarize, to_view
from kg.namespace import CIB, PROV, RES, SCHEMA

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
    page = render_html(to_view(g), summarize(g))
    assert '"physics":false' in page.replace(" ", "") and '"x":' in page


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


class Opened:
    """A page opened from disk, with every non-file request and every JS error recorded."""

    def __init__(self, browser: Any, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.remote: list[str] = []
        self.errors: list[str] = []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.route("**/*", self._route)
        self.page.goto(path.resolve().as_uri())
        # Poll from Python: Playwright's interval polling uses eval, which the page's CSP forbids.
        deadline = time.monotonic() + 60
        while not self.page.evaluate("window.cibReady === true"):
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

    def close(self) -> None:
        self.context.close()


def _open(browser: Any, tmp_path: Path, graph: Graph) -> Opened:
    path = tmp_path / "graph.html"
    write_html(graph, path)
    return Opened(browser, path)


@pytest.mark.browser
def test_page_draws_the_view_offline(browser: Any, tmp_path: Path) -> None:
    graph = small_graph()
    view = to_view(graph)
    opened = _open(browser, tmp_path, graph)
    try:
        counts = opened.page.evaluate(
            "[network.body.data.nodes.length, network.body.data.edges.length,"
            " Object.keys(network.body.nodes).length, network.physics.options.enabled]")
        assert counts[:3] == [view.number_of_nodes(), view.number_of_edges(), view.number_of_nodes()]
        assert counts[3] is False, "physics must stop once the layout is stable"
        header = opened.page.inner_text("header")
        assert "2 articles" in header and "2 takedowns" in header and "1 denials" in header
        assert "Takedown" in opened.page.inner_text("#legend")
        assert opened.remote == [] and opened.errors == []
    finally:
        opened.close()


@pytest.mark.browser
def test_hover_and_click_show_evidence(browser: Any, tmp_path: Path) -> None:
    opened = _open(browser, tmp_path, small_graph())
    page = opened.page
    try:
        x, y = opened.node_point(str(iri("takedown/t1")))
        page.mouse.move(x, y)
        page.wait_for_selector("#tooltip", state="visible", timeout=5_000)
        tip = page.inner_text("#tooltip")
        assert TAKEDOWN_SENTENCE in tip and "12 accounts" in tip and "2020-03-04" in tip
        assert "Facebook removes Russian network (2020-03-05)" in tip
        page.mouse.click(x, y)
        assert TAKEDOWN_SENTENCE in page.inner_text("#details")
        x, y = opened.node_point(str(iri("denial/d1")))
        page.mouse.click(x, y)
        assert DENIAL_QUOTE in page.inner_text("#details")
    finally:
        opened.close()


@pytest.mark.browser
def test_filters_and_search(browser: Any, tmp_path: Path) -> None:
    opened = _open(browser, tmp_path, small_graph())
    page = opened.page
    visible = "cibNodes.get({filter: n => !n.hidden}).map(n => n.fullLabel).sort()"
    try:
        page.select_option("#filter-state", "Iran")
        shown = page.evaluate(visible)
        assert "Iran" in shown and "Twitter" in shown and "Russia" not in shown and "Facebook" not in shown
        page.select_option("#filter-state", "")
        page.select_option("#filter-year", "2020")
        shown = page.evaluate(visible)
        assert "Russia" in shown and "Twitter takedown of 40 accounts" not in shown
        page.select_option("#filter-year", "")
        page.select_option("#filter-platform", "Twitter")
        assert "Facebook" not in page.evaluate(visible)
        page.click("#reset")
        assert len(page.evaluate(visible)) == 13
        page.fill("#search", "peskov")
        page.press("#search", "Enter")
        assert page.evaluate("network.getSelectedNodes()") == [str(iri("person/dmitry-peskov"))]
        assert "spokesperson" in page.inner_text("#details")
    finally:
        opened.close()


@pytest.mark.browser
def test_hostile_article_text_is_shown_not_run(browser: Any, tmp_path: Path) -> None:
    opened = _open(browser, tmp_path, hostile_graph())
    page = opened.page
    try:
        for node in ("takedown/t1", "denial/d1", "article/a1"):
            x, y = opened.node_point(str(iri(node)))
            page.mouse.move(x, y)
            page.wait_for_selector("#tooltip", state="visible", timeout=5_000)
            page.mouse.click(x, y)
            details = page.inner_text("#details")
            assert SCRIPT in details and IMG in details, f"{node}: markup must show literally"
            page.mouse.move(5, 5)
        page.fill("#search", "Breaking")
        page.press("#search", "Enter")
        page.wait_for_timeout(300)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        assert page.evaluate("document.scripts.length") == 3
        assert opened.remote == []
    finally:
        opened.close()


@pytest.mark.browser
@pytest.mark.model
def test_hostile_article_through_the_pipeline(browser: Any, tmp_path: Path) -> None:
    """A real build from an article file whose text carries markup."""
    from kg.pipeline import build

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
        takedown = page.evaluate("cibNodes.get({filter: n => n.kind === 'takedown'})[0].id")
        x, y = opened.node_point(takedown)
        page.mouse.click(x, y)
        details = page.inner_text("#details")
        assert IMG in details and SCRIPT in details
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert opened.remote == []
    finally:
        opened.close()
