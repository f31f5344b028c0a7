"""``kg stats``: counts, the entity graph and its analytics, on a hand-made graph and the seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace
from typer.testing import CliRunner

from kg.query.stats import (
    Connected,
    Link,
    class_counts,
    compute_stats,
    format_stats,
    platform_state_links,
    predicate_counts,
    to_networkx,
)

CIB = Namespace("https://w3id.org/cib-kg/ontology#")
R = Namespace("https://w3id.org/cib-kg/id/")


def small_graph() -> Graph:
    """Facebook removed two networks attributed to Russia and one to Iran; Twitter one to Iran.
    Russia denied one claim. A mention and an article hang off a takedown (provenance)."""
    g = Graph()

    def node(iri, cls, label):
        g.add((iri, RDF.type, cls))
        g.add((iri, RDFS.label, Literal(label)))

    node(R["platform/facebook"], CIB.Platform, "Facebook")
    node(R["platform/twitter"], CIB.Platform, "Twitter")
    node(R["state/russia"], CIB.State, "Russia")
    node(R["state/iran"], CIB.State, "Iran")
    for i, (platform, state) in enumerate(
        [("facebook", "russia"), ("facebook", "russia"), ("facebook", "iran"), ("twitter", "iran")]
    ):
        t, n = R[f"takedown/{i}"], R[f"network/{i}"]
        node(t, CIB.Takedown, f"takedown {i}")
        node(n, CIB.Network, f"network {i}")
        g.add((t, CIB.platform, R[f"platform/{platform}"]))
        g.add((t, CIB.network, n))
        g.add((R[f"platform/{platform}"], CIB.removed, n))
        g.add((n, CIB.attributedTo, R[f"state/{state}"]))
    node(R["claim/0"], CIB.Claim, "claim 0")
    g.add((R["claim/0"], CIB.claimAbout, R["network/0"]))
    g.add((R["state/russia"], CIB.denied, R["claim/0"]))
    node(R["mention/0"], CIB.Mention, "mention")
    node(R["article/a"], CIB.Article, "article")
    g.add((R["takedown/0"], CIB.reportedIn, R["article/a"]))
    g.add((R["mention/0"], CIB.inArticle, R["article/a"]))
    node(R["org/lonely"], CIB.Organisation, "Lonely Org")  # no relation: its own component
    return g


def test_counts() -> None:
    g = small_graph()
    assert dict(class_counts(g)) == {
        "cib:Takedown": 4, "cib:Network": 4, "cib:Platform": 2, "cib:State": 2, "cib:Claim": 1,
        "cib:Mention": 1, "cib:Article": 1, "cib:Organisation": 1,
    }
    assert class_counts(g)[0] == ("cib:Network", 4)  # ties by name
    preds = dict(predicate_counts(g))
    assert preds["rdf:type"] == 16 and preds["cib:removed"] == 4 and preds["cib:denied"] == 1


def test_entity_graph_leaves_out_provenance_and_types() -> None:
    nxg = to_networkx(small_graph())
    kinds = {d["kind"] for _, d in nxg.nodes(data=True)}
    assert kinds == {"Platform", "State", "Takedown", "Network", "Claim", "Organisation"}
    assert nxg.number_of_nodes() == 2 + 2 + 4 + 4 + 1 + 1
    # per takedown: platform, network, removed, attributedTo; plus claimAbout and denied
    assert nxg.number_of_edges() == 4 * 4 + 2
    assert nxg.nodes[str(R["state/russia"])]["label"] == "Russia"
    assert nxg.edges[str(R["takedown/0"]), str(R["network/0"])]["predicates"] == ["cib:network"]


def test_links_and_most_connected() -> None:
    g = small_graph()
    assert platform_state_links(g) == (
        Link("Facebook", "Russia", 2), Link("Facebook", "Iran", 1), Link("Twitter", "Iran", 1),
    )
    stats = compute_stats(g, top=3)
    assert stats.most_connected == (
        Connected("Facebook", "Platform", 3, 2),
        Connected("Iran", "State", 2, 2),
        Connected("Russia", "State", 2, 1),
        Connected("Twitter", "Platform", 1, 1),
    )
    assert stats.components == (13, 1)
    assert len(stats.degree) == 3
    assert stats.degree[0].label == "Facebook"  # 3 networks + 3 takedowns of 13 others
    assert stats.degree[0].value == round(6 / 13, 4)


def test_report_is_deterministic_text_and_json() -> None:
    text = format_stats(compute_stats(small_graph()))
    assert text == format_stats(compute_stats(small_graph()))
    assert "14 nodes, 18 edges, 2 connected components (sizes 13, 1)" in text
    assert "  Facebook  Russia  2" in text
    data = json.loads(format_stats(compute_stats(small_graph()), "json"))
    assert data["links"][0] == {"platform": "Facebook", "state": "Russia", "takedowns": 2}


# --------------------------------------------------------------------------------------
# Seed corpus (hand-written answers)


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Path:
    from kg.build.pipeline import build

    out = tmp_path_factory.mktemp("seed")
    build(corpus_dir, out, html=False)
    return out / "graph.ttl"


@pytest.mark.model
def test_seed_stats(seed_graph: Path) -> None:
    from kg.rdf.graph import load_graph

    stats = compute_stats(load_graph(seed_graph))
    classes = dict(stats.classes)
    assert {k: classes[k] for k in (
        "cib:Takedown", "cib:Network", "cib:Claim", "cib:Denial", "cib:Platform", "cib:State",
        "cib:Organisation", "cib:Person", "cib:Article",
    )} == {
        "cib:Takedown": 9, "cib:Network": 9,
        "cib:Claim": 10,  # 9 state attributions (the 652 network has two) + Microsoft's, denied
        "cib:Denial": 4, "cib:Platform": 4,  # Facebook, Twitter, YouTube, Microsoft
        "cib:State": 3, "cib:Organisation": 2,  # Internet Research Agency, China Daily
        "cib:Person": 1, "cib:Article": 5,
    }
    preds = dict(stats.predicates)
    assert (preds["cib:removed"], preds["cib:attributedTo"], preds["cib:deniedBy"]) == (9, 9, 4)
    assert preds["cib:deniesClaim"] == 6  # China Daily 3, Peskov 1 + 1 + 1
    assert stats.nodes == 42 and stats.components == (42,)
    assert [r.label for r in stats.degree[:4]] == ["Russia", "Facebook", "Twitter", "China"]
    assert stats.betweenness[0].label == "Russia"
    assert stats.links == (
        Link("Facebook", "Russia", 3),  # 652 combined, 470, 13 + 2
        Link("Twitter", "China", 2),  # 936, 200000
        Link("Facebook", "China", 1),
        Link("Facebook", "Iran", 1),
        Link("Twitter", "Russia", 1),
        Link("YouTube", "Iran", 1),
    )
    assert stats.most_connected == (
        Connected("Facebook", "Platform", 5, 3),
        Connected("Russia", "State", 4, 2),
        Connected("Twitter", "Platform", 3, 2),
        Connected("China", "State", 3, 2),
        Connected("Iran", "State", 2, 2),
        Connected("YouTube", "Platform", 1, 1),
    )


@pytest.mark.model
def test_cli_stats(seed_graph: Path) -> None:
    from kg.cli import app

    result = CliRunner().invoke(app, ["stats", str(seed_graph), "--top", "3"])
    assert result.exit_code == 0, result.output
    assert "42 nodes" in result.stdout and "cib:Takedown" in result.stdout
    result = CliRunner().invoke(app, ["stats", str(seed_graph), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["most_connected"][0]["label"] == "Facebook"


def test_cli_stats_bad_graph(tmp_path: Path) -> None:
    from kg.cli import app

    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle")
    result = CliRunner().invoke(app, ["stats", str(bad)])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


# ------------------------------------------------------------------ kg stats --plot

XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
SCHEMA_PUBLISHED = "https://schema.org/datePublished"


def dated_graph() -> Graph:
    """small_graph with dates: takedown 0 in 2019 (its own date), 1 and 3 in 2020 (1 by its
    article's publication date), 2 undated; one more Twitter takedown of an unattributed network."""
    from rdflib import URIRef

    g = small_graph()
    g.add((R["takedown/0"], CIB.date, Literal("2019-05-01", datatype=URIRef(XSD_DATE))))
    g.add((R["takedown/1"], CIB.reportedIn, R["article/b"]))
    g.add((R["article/b"], URIRef(SCHEMA_PUBLISHED), Literal("2020-02-03", datatype=URIRef(XSD_DATE))))
    g.add((R["takedown/3"], CIB.date, Literal("2020-11-30", datatype=URIRef(XSD_DATE))))
    g.add((R["takedown/4"], RDF.type, CIB.Takedown))
    g.add((R["takedown/4"], CIB.platform, R["platform/twitter"]))
    g.add((R["takedown/4"], CIB.date, Literal("2020-01-01", datatype=URIRef(XSD_DATE))))
    return g


def test_takedowns_per_year() -> None:
    from kg.query.stats import YearCounts, takedowns_per_year

    by_state, by_platform = takedowns_per_year(dated_graph())
    years = ("2019", "2020", "undated")
    # (a graph without cib:chartDate) three takedowns have a removal date, one is placed by the
    # date first reported, one is undated
    kinds = (("reported date", 3), ("first report", 1), ("undated", 1))
    assert by_state == YearCounts(years, (
        ("Iran", (0, 1, 1)), ("Russia", (1, 1, 0)), ("unattributed", (0, 1, 0)),
    ), kinds=kinds, takedowns=5)
    assert by_platform == YearCounts(years, (("Facebook", (1, 1, 1)), ("Twitter", (0, 2, 0))), kinds, 5)


def test_takedowns_per_year_by_chart_date() -> None:
    """A graph with cib:chartDate: its year, and the kind cib:chartDateSource names."""
    from kg.query.stats import YearCounts, plot_title, takedowns_per_year

    g = small_graph()
    dated = [("0", "2019-05-01", "reported date"), ("1", "2018-11", "text date"), ("3", "2021", "text date")]
    for n, when, kind in dated:
        g.add((R[f"takedown/{n}"], CIB.chartDate, Literal(when)))
        g.add((R[f"takedown/{n}"], CIB.chartDateSource, Literal(kind)))
    g.add((R["takedown/2"], CIB.chartDateSource, Literal("undated")))
    by_state, _ = takedowns_per_year(g)
    assert by_state.years == ("2018", "2019", "2021", "undated")
    assert by_state.kinds == (("reported date", 1), ("text date", 2), ("undated", 1))
    assert plot_title(by_state) == "Takedowns per year (of 4: 1 by reported date, 2 by text date, 1 undated)"
    assert plot_title(YearCounts((), ())) == "Takedowns per year"


def test_plot_svg_has_one_bar_per_segment(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    import xml.etree.ElementTree as ET

    from kg.query.stats import write_plot

    svg = write_plot(dated_graph(), tmp_path / "chart.svg")
    root = ET.parse(svg).getroot()  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    ids = sorted(e.get("id") for e in root.iter() if (e.get("id") or "").startswith("bar-"))
    # non-empty segments only: by state Iran 2020/undated, Russia 2019/2020, unattributed 2020;
    # by platform Facebook 2019/2020/undated, Twitter 2020
    assert ids == sorted([
        "bar-state-0-2020", "bar-state-0-undated", "bar-state-1-2019", "bar-state-1-2020",
        "bar-state-2-2020", "bar-platform-0-2019", "bar-platform-0-2020", "bar-platform-0-undated",
        "bar-platform-1-2020",
    ])
    text = svg.read_text("utf-8")
    # the title says which dates place the takedowns, and how many each placed
    title = "Takedowns per year (of 5: 3 by reported date, 1 by first report, 1 undated)"
    assert f">{title}<" in text
    for label in ("by state", "by platform", "Iran", "Russia", "Twitter", "undated"):
        assert f">{label}<" in text, label
    again = write_plot(dated_graph(), tmp_path / "again.svg")
    assert again.read_bytes() == svg.read_bytes()  # no date, no random ids


def test_plot_png_is_a_drawn_image(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib import image

    from kg.query.stats import PALETTE, write_plot

    png = write_plot(dated_graph(), tmp_path / "chart.png")
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = image.imread(png)
    assert pixels.shape[:2] == (420, 1100)
    rgb = {tuple(int(round(c * 255)) for c in px[:3]) for px in pixels.reshape(-1, pixels.shape[2])}
    assert len(rgb) > 20  # not blank
    for colour in PALETTE[:2]:  # the two largest series of each chart are drawn
        assert tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5)) in rgb, colour
    assert write_plot(dated_graph(), tmp_path / "again.png").read_bytes() == data


def test_cli_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from kg.cli import app

    ttl = tmp_path / "graph.ttl"
    dated_graph().serialize(ttl, format="turtle")
    runner = CliRunner()
    done = runner.invoke(app, ["stats", str(ttl), "--json", "--plot", str(tmp_path / "c.svg")])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "c.svg").is_file() and f"wrote {tmp_path / 'c.svg'}" in done.output
    bad = runner.invoke(app, ["stats", str(ttl), "--plot", str(tmp_path / "c.pdf")])
    assert bad.exit_code == 2 and "--plot FILE must end in .png or .svg" in bad.output
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    unwritable = runner.invoke(app, ["stats", str(ttl), "--plot", str(blocker / "c.png")])
    assert unwritable.exit_code == 2 and "cannot write the plot" in unwritable.output
    assert "Traceback" not in unwritable.output


def test_plot_without_matplotlib_is_one_line(tmp_path: Path) -> None:
    """With matplotlib not importable (as after a plain ``pip install .``), one line names the extra."""
    import subprocess
    import sys

    ttl = tmp_path / "graph.ttl"
    dated_graph().serialize(ttl, format="turtle")
    code = (
        "import sys; sys.modules['matplotlib'] = None; from kg.cli import app; "
        f"app(['stats', {str(ttl)!r}, '--plot', {str(tmp_path / 'c.png')!r}])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 2
    assert done.stderr.strip() == 'error: matplotlib is not installed: pip install "cib-kg[plot]"'
    assert not (tmp_path / "c.png").exists()
