"""Regenerate docs/graph.png: the explorer's story view of the seed graph, in headless Chromium.

Run ``python bench/screenshot.py [GRAPH.ttl] [OUT.png]`` from the repository root (defaults:
build ``corpus/`` into a temporary folder, write ``docs/graph.png``). Needs Playwright and
/usr/bin/chromium. The page is opened from disk; any request leaving it or any console error
stops the script, so the picture is also a smoke test of the page.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def shoot(html: Path, png: Path, width: int = 1400, height: int = 820) -> None:
    """Open ``html`` offline, wait for the view to settle, open the busiest pair, save ``png``."""
    from playwright.sync_api import sync_playwright

    errors: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                   else (errors.append("request: " + r.request.url), r.abort()))
        page.goto(html.resolve().as_uri())
        _wait(page)
        # A reader's first click: the busiest platform-state pair opens into its networks and
        # its card (takedowns, accounts, years) is pinned beside the chart.
        xy = page.evaluate("""() => { const ps = Object.values(cib.pairs());
            ps.sort((a, b) => b.tds.length - a.tds.length || (a.key < b.key ? -1 : 1));
            const e = network.body.edges['agg\\u0001' + ps[0].key];
            const r = document.getElementById('network').getBoundingClientRect();
            for (let k = 10; k <= 90; k += 2) {
              const p = network.canvasToDOM(e.edgeType.getPoint(k / 100));
              if (network.getEdgeAt(p) === e.id && network.getNodeAt(p) === undefined) {
                return [r.left + p.x, r.top + p.y]; } }
            return null; }""")
        if xy is None:
            raise SystemExit("no clickable point on the busiest pair's edge")
        page.mouse.click(xy[0], xy[1])
        page.wait_for_timeout(400)
        _wait(page)
        page.screenshot(path=str(png))
        browser.close()
    if errors:
        raise SystemExit(f"{html}: {errors[0]}")


def _wait(page) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 120
    while not page.evaluate("window.cibReady === true && window.cibBusy === false"):
        if time.monotonic() > deadline:
            raise SystemExit("the page never finished drawing")
        time.sleep(0.05)


def main() -> None:
    from kg.explorer.page import viz_file

    out = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("docs/graph.png")
    with tempfile.TemporaryDirectory() as tmp:
        if len(sys.argv) > 1:
            ttl = Path(sys.argv[1])
        else:
            from kg.build.pipeline import build

            build(Path("corpus"), Path(tmp) / "out", html=False)
            ttl = Path(tmp) / "out" / "graph.ttl"
        html = viz_file(ttl, Path(tmp) / "graph.html")
        shoot(html, out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
