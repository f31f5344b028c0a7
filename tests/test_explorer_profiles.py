"""graph.html in Chromium on a real build of 110 generated articles: edge labels that say what
they count and never overlap in the first view, groups drawn apart from states, the state and
platform views (tables by date, denials with speaker and quote, a timeline) and their CSV export.

The corpus is generated from our own templates (``bench/corpus_gen.py``, the ``generated_build``
fixture of conftest.py): no real article text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_explorer_page import IMG, SCRIPT, Opened, _open, browser, small_graph  # noqa: F401

DATA = "JSON.parse(document.getElementById('cib-data').textContent)"
PAIR_LABEL = re.compile(r"^\d+ takedowns?( \u00b7 [\d,]+ accounts)?$")


@pytest.fixture(scope="module")
def opened(browser: Any, generated_build: Path) -> Iterator[Opened]:  # noqa: F811
    page = Opened(browser, generated_build / "graph.html")
    page.context.set_default_timeout(30_000)
    yield page
    page.close()


def _overlaps(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (a["left"] < b["left"] + b["width"] and b["left"] < a["left"] + a["width"]
                    and a["top"] < b["top"] + b["height"] and b["top"] < a["top"] + a["height"]):
                found.append((a["id"], b["id"]))
    return found


def _csv(download: Any) -> list[list[str]]:
    text = Path(download.path()).read_text("utf-8")
    return list(csv.reader(io.StringIO(text)))


def _table(page: Any, name: str) -> list[list[str]]:
    return page.evaluate(
        """name => [...document.querySelectorAll(`#profile table[data-table="${name}"] tr`)]
                   .map(tr => [...tr.children].map(c => c.textContent))""", name)


@pytest.mark.browser
@pytest.mark.model
def test_first_view_labels_say_what_they_count_and_do_not_overlap(opened: Opened) -> None:
    page = opened.page
    page.click("#reset")
    opened.idle()
    labels = page.evaluate("cibEdges.get().filter(e => e.pair).map(e => e.fullLabel)")
    assert len(labels) > 20
    assert all(PAIR_LABEL.match(label) for label in labels), labels  # "41 takedowns · 9,934 accounts"
    assert any("accounts" in label for label in labels)
    boxes = page.evaluate("cibLabelBoxes()")
    assert len(boxes) > 30  # node labels and most edge labels are drawn...
    assert _overlaps(boxes) == []  # ...and none over another
    opened.clean()


@pytest.mark.browser
@pytest.mark.model
def test_groups_are_drawn_apart_from_states(opened: Opened) -> None:
    page = opened.page
    page.click("#reset")
    opened.idle()
    groups = page.evaluate(
        "cibNodes.get().filter(n => ['cib:other-states', 'cib:unattributed'].includes(n.id))"
        ".map(n => [n.id, n.label, n.shape, n.shapeProperties.borderDashes.length])")
    assert {g[0] for g in groups} == {"cib:other-states", "cib:unattributed"}
    assert any(re.fullmatch(r"\d+ other states", g[1]) for g in groups)
    assert all(g[2] == "box" and g[3] == 2 for g in groups)  # dashed boxes, not state triangles
    states = page.evaluate("cibNodes.get().filter(n => n.kind === 'state').map(n => n.shape)")
    assert states.count("triangle") >= 5
    ys = page.evaluate(
        """() => { const p = network.getPositions(); const real = [], group = [];
             cibNodes.get().filter(n => n.kind === 'state').forEach(n =>
               (n.group_ ? group : real).push(p[n.id].y));
             return [Math.max(...real), Math.min(...group)]; }""")
    assert ys[1] - ys[0] >= 100, ys  # below the states, with a gap
    assert page.locator("#legend [data-kind=group]").count() == 1
    opened.clean()


@pytest.fixture(scope="module")
def dated_kinds_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build of 110 generated articles (bench/corpus_gen.py, our own templates) where one
    in five lost its date line and states a month about the past ("in March 2019": a text date)
    and one in five lost its date line and every full date (nothing known: undated)."""
    import importlib
    import sys

    from kg.build.pipeline import build

    bench = str(Path(__file__).resolve().parents[1] / "bench")
    sys.path.insert(0, bench)
    try:
        corpus_gen = importlib.import_module("corpus_gen")
    finally:
        sys.path.remove(bench)
    root = tmp_path_factory.mktemp("dated-kinds")
    files = sorted(corpus_gen.write_corpus(root / "corpus", 110, seed=5))
    full_date = re.compile(r"\b(?:January|February|March|April|May|June|July|August|September|October|"
                           r"November|December) \d{1,2}, \d{4}\b")
    for i, path in enumerate(files):
        title, _, date_line, _, body = path.read_text("utf-8").split("\n", 4)
        assert full_date.fullmatch(date_line), date_line
        if i % 5 == 1:
            first = f"The first posts of the network appeared in March {2016 + i % 4}.\n"
            path.write_text(f"{title}\n\n{body}{first}", "utf-8")
        elif i % 5 == 2:
            path.write_text(f"{title}\n\n{full_date.sub('that day', body)}", "utf-8")
    build(root / "corpus", root / "out", html=True)
    return root / "out"


@pytest.mark.browser
@pytest.mark.model
def test_chart_says_how_many_takedowns_each_kind_of_date_places(
    browser: Any, dated_kinds_build: Path,  # noqa: F811
) -> None:
    """Every takedown is charted by its reported date, else its first report, else its text date;
    the note says how many each placed, and the undated are one bar apart, counted."""
    opened = Opened(browser, dated_kinds_build / "graph.html")
    page = opened.page
    try:
        page.click("#reset")
        opened.idle()
        data = page.evaluate(
            f"{DATA}.takedowns.map(t => [t.dateUsed, t.year, t.when, t.platformNames.length])")
        assert len(data) > 100
        kinds = {k: sum(1 for used, *_ in data if used == k)
                 for k in ("reported date", "first report", "text date", "undated")}
        assert all(kinds.values()), kinds  # each kind places some takedowns in this build
        assert all((year is None) == (used == "undated") for used, year, *_ in data)
        assert all(str(year) == when[:4] for used, year, when, _ in data if year)
        # at the text's precision: "2019-03", or a full date a briefing sentence gives
        assert 7 in {len(when) for used, _, when, _ in data if used == "text date"} <= {7, 10}
        note = page.text_content("#chart-note")
        said = (f"{kinds['reported date']} by reported date, {kinds['first report']} by first report, "
                f"{kinds['text date']} by text date, {kinds['undated']} undated")
        assert said in note, note
        for attr, kind in (("reported", "reported date"), ("first", "first report"), ("text", "text date"),
                           ("undated", "undated")):
            assert page.get_attribute("#chart-note", f"data-{attr}") == str(kinds[kind])
        # the undated takedowns: one dashed bar apart, labelled n.d., holding all of them
        undated = page.locator("#chart rect.bar.undated")
        assert undated.count() == 1 and undated.get_attribute("data-count") == str(kinds["undated"])
        assert page.text_content("#chart text.axis.undated:not(.count)") == "n.d."
        assert page.text_content("#chart text.undated.count") == str(kinds["undated"])  # capped bar
        # by platform, every dated takedown is in one year's bar (one platform each)
        page.select_option("#chart-by", "platform")
        assert all(n == 1 for *_, n in data)
        drawn = page.evaluate("[...document.querySelectorAll('#chart rect.bar:not(.undated)')]"
                              ".reduce((s, r) => s + Number(r.getAttribute('data-count')), 0)")
        assert drawn == len(data) - kinds["undated"]
        ux = float(undated.get_attribute("x"))
        assert all(float(x) < ux for x in page.evaluate(
            "[...document.querySelectorAll('#chart rect.bar:not(.undated)')].map(r => r.getAttribute('x'))"))
        # a state's view says which date placed each of its takedowns
        sid = page.evaluate(
            f"{DATA}.takedowns.find(t => t.dateUsed === 'text date' && t.states.length).states[0]")
        page.evaluate("id => cib.openProfile(id)", sid)
        rows = _table(page, "takedowns")[1:]
        assert {r[1] for r in rows} <= {"reported date", "first report", "text date", "undated"}
        assert "text date" in {r[1] for r in rows}
        dated = [r[0] for r in rows if r[1] != "undated"]
        assert dated == sorted(dated) and all(r[0] == "" for r in rows[len(dated):])  # undated last
        assert "takedowns dated: " in page.text_content("#profile .p-sum")
        opened.clean()
    finally:
        opened.close()


@pytest.mark.browser
@pytest.mark.model
def test_state_view_from_search_with_tables_timeline_and_csv(opened: Opened) -> None:
    page = opened.page
    page.click("#reset")
    opened.idle()
    # the state with most takedowns in this build
    name, sid, n_td, n_den = page.evaluate(
        f"""() => {{ const d = {DATA}; const tally = {{}};
             d.takedowns.forEach(t => t.states.forEach(s => tally[s] = (tally[s] || 0) + 1));
             const sid = Object.keys(tally).filter(s => s.startsWith('http'))
               .sort((a, b) => tally[b] - tally[a] || (a < b ? -1 : 1))[0];
             const name = d.nodes.find(n => n.id === sid).fullLabel;
             return [name, sid, tally[sid], d.denials.filter(x => x.states.includes(sid)).length]; }}""")
    assert n_td >= 5 and n_den >= 1, (name, n_td, n_den)
    page.fill("#search", name)
    page.press("#search", "Enter")
    opened.idle()
    assert page.is_visible("#profile") and page.get_attribute("#profile", "data-node") == sid
    assert page.text_content("#profile h2") == name
    takedowns = _table(page, "takedowns")
    head, rows = takedowns[0], takedowns[1:]
    assert head[:4] == ["Date", "Placed by", "Platform", "Network"] and head[-2:] == ["Sources", "Event id"]
    assert len(rows) == n_td
    dates = [r[0] for r in rows if r[0]]
    assert dates == sorted(dates) and len(dates) == n_td  # by date; every one has a date
    assert {r[1] for r in rows} <= {"reported date", "first report"}  # every generated article is dated
    assert all(r[2] and r[-2] and r[-1] for r in rows)  # a platform, sources and the event id
    # every figure of every takedown is in its column
    figures = page.evaluate(
        f"id => {DATA}.takedowns.filter(t => t.states.includes(id)).map(t => t.counts)", sid)
    shown = [{head[i]: int(c) for i, c in enumerate(r) if 4 <= i < len(head) - 2 and c} for r in rows]
    assert sorted(sorted(f.items()) for f in figures) == sorted(sorted(f.items()) for f in shown)
    assert any(r[head.index("accounts")] for r in rows)
    denials = _table(page, "denials")
    assert denials[0][:4] == ["Date", "Placed by", "Speaker", "Denies claims of"]
    assert len(denials) - 1 == n_den
    quote = denials[0].index("Quote")
    assert all(r[quote] for r in denials[1:]) and all(r[2] for r in denials[1:])
    assert page.locator("#profile .timeline rect.tl-takedowns").count() >= 1
    # the table as the analyst sees it is the CSV they download (made in the page, no request)
    with page.expect_download() as got:
        page.click("#profile [data-export=takedowns]")
    assert got.value.suggested_filename.endswith("-takedowns.csv")
    assert _csv(got.value) == takedowns
    with page.expect_download() as got:
        page.click("#profile [data-export=denials]")
    assert _csv(got.value) == denials
    page.click("#profile [data-close]")
    assert not page.is_visible("#profile")
    opened.clean()


@pytest.mark.browser
@pytest.mark.model
def test_platform_view_from_its_card(opened: Opened) -> None:
    page = opened.page
    page.click("#reset")
    opened.idle()
    pid = opened.id_of("Facebook")
    opened.click_node(pid)
    page.click("#details button:has-text('Open the platform view')")
    assert page.get_attribute("#profile", "data-node") == pid
    n_td = page.evaluate(f"id => {DATA}.takedowns.filter(t => t.platforms.includes(id)).length", pid)
    takedowns = _table(page, "takedowns")
    assert takedowns[0][2] == "State(s)" and len(takedowns) - 1 == n_td
    assert all(r[2] for r in takedowns[1:])  # a state, or "(no state named)"
    assert "Denials of Facebook" in page.text_content("#profile")
    denials = _table(page, "denials")
    assert denials[0][2] == "State" and len(denials) > 1
    with page.expect_download() as got:
        page.click("#profile [data-export=takedowns]")
    assert _csv(got.value) == takedowns
    page.keyboard.press("Escape")
    assert not page.is_visible("#profile")
    opened.clean()


@pytest.mark.browser
def test_profile_shows_hostile_text_as_text_and_csv_defuses_formulas(
    browser: Any, tmp_path: Path,  # noqa: F811
) -> None:
    formula = '=HYPERLINK("http://example.invalid","x")'
    opened_page = _open(browser, tmp_path, small_graph(
        sentence=f"Facebook removed 12 accounts {IMG} linked to Russia {SCRIPT}.",
        quote=f"{formula} {SCRIPT}{IMG} lies"))
    page = opened_page.page
    try:
        page.evaluate("id => cib.openProfile(id)", opened_page.id_of("Russia"))
        text = page.text_content("#profile")
        assert formula in text and SCRIPT in text and IMG in text
        assert page.evaluate("document.querySelectorAll('#profile img, #profile script').length") == 0
        with page.expect_download() as got:
            page.click("#profile [data-export=denials]")
        rows = _csv(got.value)
        quote = rows[0].index("Quote")
        assert rows[1][quote].startswith("'" + formula)  # a spreadsheet reads it as text
        for cell, safe in (("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
                           ("a,b", '"a,b"'), ('say "x"', '"say ""x"""'), ("plain", "plain")):
            assert page.evaluate("c => cib.csvCell(c)", cell) == safe
        assert page.evaluate("typeof window.__pwned") == "undefined"
        opened_page.clean()
    finally:
        opened_page.close()
