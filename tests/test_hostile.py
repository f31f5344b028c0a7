"""Hostile article text never breaks an output: property-based tests run random and nasty text
through ingest -> extract -> resolve -> graph -> Turtle, events JSONL, HTML and Cypher.

The strategy fills template sentences the extractor turns into takedowns and denials with
hostile names and quotes, so the nasty text reaches network labels, speaker names, quotes,
headlines and evidence literals, not only sentences nobody reads.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal
from rdflib.compare import isomorphic

from kg.explorer.page import write_html
from kg.exporters.events import write_events
from kg.extract import extract_articles
from kg.ingest import ingest_corpus
from kg.rdf.graph import build_graph
from kg.rdf.namespace import CIB
from kg.rdf.turtle import serialize_turtle
from kg.records import Article, ArticleFacts
from kg.resolve import resolve

try:
    from kg.exporters.cypher import to_cypher
except ImportError:  # pragma: no cover - the Cypher exporter is optional
    to_cypher = None  # type: ignore[assignment]

pytestmark = pytest.mark.model

CYPHER_DIR = Path(__file__).parent / "cypher"
NODE = shutil.which("node")
HAS_CYPHER_PARSER = NODE is not None and (CYPHER_DIR / "node_modules" / "@neo4j-cypher").is_dir()

FRAGMENTS = [
    '"',
    "'",
    "\\",
    '"""',
    "'''",
    "\\u0022",
    "\\n",
    "\n",
    "\r\n",
    "\t",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\u2028",
    "\u2029",
    "\u200b",
    "\u202e",
    "\u200f",
    "\ufeff",
    "\U0001f600",
    "\U0001f1fa\U0001f1e6",
    "\u0645\u0631\u062d\u0628\u0627",
    "<script>alert(1)</script>",
    "</script><script>window.__pwned=1</script>",
    '<img src=x onerror="alert(1)">',
    "<!--",
    "]]>",
    "&amp;&lt;",
    "`",
    "${x}",
    "{{x}}",
    "}) MATCH (n) DETACH DELETE n //",
    "'; MATCH (n) DETACH DELETE n; //",
    "/* open comment",
    '" } ; DELETE WHERE { ?s ?p ?o } #',
    "<http://evil.example/x> ",
    "@prefix evil: <http://evil.example/> .",
    "_:b0",
    "^^xsd:integer",
    "Ω" * 300,
    "A" * 1200,
]

TAKEDOWN_TEMPLATES = [
    "The network, called {name}, was removed by Facebook, which said it had {n} accounts linked to Russia.",
    "Facebook removed {n} accounts and 5 pages tied to Iran, according to {name}.",
    "Twitter removed {n} fake accounts from Iran targeting users in Israel, {name} said.",
    "Meta removed {n} fake accounts it attributed to the {name} Agency.",
]
DENIAL_TEMPLATES = [
    "Reddit banned {n} troll accounts connected to Iran. \u201cIran has nothing to do with these accounts,"
    " {quote}\u201d said {name}, a spokesman for Iran's mission to the United Nations.",
    "Reddit banned {n} troll accounts connected to Iran. \u201c{quote} has nothing to do with these "
    "accounts,\u201d said Alireza Miryousefi, a spokesman for Iran's mission to the United Nations.",
]

# Any character but lone surrogates (those cannot be written to a file; JSON \ud800 escapes are
# covered in test_ingest_formats).
random_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
hostile = st.lists(st.one_of(st.sampled_from(FRAGMENTS), random_text), min_size=1, max_size=4).map("".join)


@st.composite
def sentence(draw: st.DrawFn) -> str:
    template = draw(st.sampled_from(TAKEDOWN_TEMPLATES + DENIAL_TEMPLATES))
    n = draw(st.integers(min_value=2, max_value=99999))
    return template.format(name=draw(hostile), quote=draw(hostile), n=n)


@st.composite
def article_row(draw: st.DrawFn, index: int) -> dict[str, Any]:
    lines = draw(st.lists(st.one_of(sentence(), hostile), min_size=1, max_size=4))
    published = draw(st.one_of(st.none(), st.dates(date(1990, 1, 1), date(2030, 12, 31)).map(str)))
    return {"id": f"a{index}", "title": draw(hostile), "published": published, "text": "\n".join(lines)}


corpora = st.integers(min_value=1, max_value=3).flatmap(
    lambda k: st.tuples(*(article_row(i) for i in range(k))).map(list)
)


class _TagCollector(HTMLParser):
    """Start tags and attribute names of a page, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.update(name for name, _ in attrs)


def _tags(page: str) -> tuple[list[str], set[str]]:
    parser = _TagCollector()
    parser.feed(page)
    parser.close()
    return parser.tags, parser.attrs


def cypher_quoting_is_balanced(script: str) -> bool:
    """Every string, backtick name and comment closes, strings hold no raw line break, and each
    statement ends with ``;`` outside them."""
    state, i, n = "code", 0, len(script)
    last_code = ""
    while i < n:
        c = script[i]
        if state == "code":
            if c in "'\"`":
                state = c
            elif script.startswith("//", i):
                state = "line"
            elif script.startswith("/*", i):
                state, i = "block", i + 1
            elif not c.isspace():
                last_code = c
        elif state == "line":
            if c == "\n":
                state = "code"
        elif state == "block":
            if script.startswith("*/", i):
                state, i = "code", i + 1
        elif state == "`":
            if c == "`" and script.startswith("``", i):
                i += 1
            elif c == "`":
                state = "code"
            elif c == "\n":
                return False
        else:  # inside a '...' or "..." string
            if c == "\\":
                i += 1
            elif c == state:
                state = "code"
                last_code = c
            elif c in "\n\r":
                return False
        i += 1
    return state in ("code", "line") and last_code in ("", ";")


@lru_cache(maxsize=1)
def _benign_tags() -> tuple[frozenset[str], frozenset[str], int]:
    """Tags, attributes and ``<script`` count of a page built from harmless text."""
    with tempfile.TemporaryDirectory() as tmp:
        page = _html_page(
            _graph_of([{"id": "a", "title": "Plain", "text": TAKEDOWN_TEMPLATES[0].format(name="X", n=5)}]),
            Path(tmp),
        )
    tags, attrs = _tags(page)
    return frozenset(tags), frozenset(attrs), tags.count("script")


_NLP: list[Any] = []


def _facts_of(rows: list[dict[str, Any]], folder: Path) -> list[ArticleFacts]:
    return [f for _, f in _read_and_extract(rows, folder)]


def _read_and_extract(rows: list[dict[str, Any]], folder: Path) -> list[tuple[Article, ArticleFacts]]:
    corpus = folder / "corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "export.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    # the first article also as .txt, .md and .html files, so every reader meets the same text
    # (copies that read the same are skipped as duplicates; that is fine)
    first = rows[0]
    (corpus / "first.txt").write_text(first["title"] + "\n" + first["text"], encoding="utf-8")
    (corpus / "first.md").write_text(f"# {first['title']}\n\n{first['text']}\n", encoding="utf-8")
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in first["text"].split("\n"))
    (corpus / "first.html").write_text(
        f"<html><head><title>{html.escape(first['title'])}</title></head>"
        f"<body><article>{paragraphs}</article></body></html>",
        encoding="utf-8",
    )
    articles, _skipped = ingest_corpus(corpus)
    return list(zip(articles, extract_articles(articles, _NLP[0]), strict=True))


def _graph_of(rows: list[dict[str, Any]]) -> Graph:
    with tempfile.TemporaryDirectory() as tmp:
        return build_graph(resolve(_facts_of(rows, Path(tmp))))


def _html_page(graph: Graph, folder: Path) -> str:
    write_html(graph, folder / "graph.html")
    return (folder / "graph.html").read_text(encoding="utf-8")


@pytest.fixture(autouse=True, scope="module")
def _model(nlp: Any) -> None:
    if not _NLP:
        _NLP.append(nlp)


def check_outputs(rows: list[dict[str, Any]], folder: Path) -> tuple[Graph, list[ArticleFacts]]:
    """Build every output of ``rows`` and assert each one is whole; return the graph and facts."""
    pairs = _read_and_extract(rows, folder)
    facts = [f for _, f in pairs]
    for article, f in pairs:  # evidence offsets point into Article.text
        assert f.article == article.meta
        for ev in [t.evidence for t in f.takedowns] + [d.evidence for d in f.denials]:
            assert article.text[ev.start : ev.end] == ev.sentence
    graph = build_graph(resolve(facts))
    turtle = serialize_turtle(graph)

    strict = list(pyoxigraph.parse(turtle.encode("utf-8"), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(strict) == len(graph)
    assert isomorphic(Graph().parse(data=turtle, format="turtle"), graph)

    write_events(facts, folder / "events.jsonl")
    lines = (folder / "events.jsonl").read_text(encoding="utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(facts)
    records = [json.loads(line) for line in lines[:-1]]
    assert sorted(r["title"] for r in records) == sorted(f.article.title for f in facts)

    page = _html_page(graph, folder)
    tags, attrs = _tags(page)
    benign_tags, benign_attrs, benign_scripts = _benign_tags()
    assert set(tags) <= benign_tags and attrs <= benign_attrs
    assert tags.count("script") == benign_scripts
    for fragment in ("<script>alert(1)", "<script>window", "<img src=x", "<!--"):
        assert fragment not in page

    if to_cypher is not None:
        assert cypher_quoting_is_balanced(to_cypher(graph))
    return graph, facts


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=corpora)
def test_hostile_corpus_gives_whole_outputs(rows: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        graph, facts = check_outputs(rows, Path(tmp))
    # visible with --hypothesis-show-statistics: most examples should reach the graph
    event(f"takedowns found: {min(sum(len(f.takedowns) for f in facts), 3)}")
    networks = [t.network for f in facts for t in f.takedowns]
    event(f"network label with a called-name: {any(n.startswith('The network, called') for n in networks)}")


def _every_fragment_rows() -> list[dict[str, Any]]:
    rows = []
    for i, fragment in enumerate(FRAGMENTS):
        template = (TAKEDOWN_TEMPLATES + DENIAL_TEMPLATES)[i % 6]
        rows.append(
            {
                "id": f"f{i}",
                "title": f"Headline {fragment} end",
                "published": "2021-03-04",
                "text": template.format(name=f"Name {fragment} End", quote=f"Quote {fragment}", n=100 + i),
            }
        )
    return rows


def test_every_fragment_reaches_labels_and_evidence(tmp_path: Path) -> None:
    """The templates really carry hostile text into labels, headlines, quotes and sentences."""
    graph, facts = check_outputs(_every_fragment_rows(), tmp_path)
    assert sum(len(f.takedowns) for f in facts) >= len(FRAGMENTS) // 2
    literals = [str(o) for o in graph.objects() if isinstance(o, Literal)]
    for needle in ("<script>alert(1)</script>", '"""', "}) MATCH (n) DETACH DELETE n //", "\u202e"):
        assert any(needle in text for text in literals), needle
    sentences = [str(o) for o in graph.objects(None, CIB.sentence)]
    assert any("<img src=x" in text for text in sentences)


@pytest.mark.skipif(
    to_cypher is None or not HAS_CYPHER_PARSER, reason="Cypher exporter or its parser missing"
)
def test_neo4j_parser_accepts_the_hostile_script(tmp_path: Path) -> None:
    graph, _ = check_outputs(_every_fragment_rows(), tmp_path)
    script = tmp_path / "graph.cypher"
    script.write_text(to_cypher(graph), encoding="utf-8")
    assert NODE is not None
    done = subprocess.run(
        [NODE, str(CYPHER_DIR / "check.mjs"), str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize(
    ("script", "ok"),
    [
        ("MERGE (n {uri: 'a\\'b'});\n", True),
        ("MERGE (n {uri: 'a'b'});\n", False),
        ("MERGE (n:`we``ird` {uri: 'x'});\n", True),
        ("MERGE (n {uri: 'a\nb'});\n", False),
        ("MERGE (n {uri: 'a'})\n", False),
        ("// comment ' only\nRETURN 1;\n", True),
    ],
)
def test_cypher_quote_checker(script: str, ok: bool) -> None:
    assert cypher_quoting_is_balanced(script) is ok


@pytest.fixture(scope="module")
def hostile_graph(_model: None) -> Graph:
    return _graph_of(_every_fragment_rows())


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [("nt", pyoxigraph.RdfFormat.N_TRIPLES), ("trig", pyoxigraph.RdfFormat.TRIG)],
)
def test_hostile_text_in_other_rdf_exports(hostile_graph: Graph, fmt: str, rdf_format: Any) -> None:
    from kg.exporters.formats import serialize

    parsed = pyoxigraph.parse(serialize(hostile_graph, fmt).encode("utf-8"), format=rdf_format)
    triples = {(q.subject, q.predicate, q.object) for q in parsed}
    turtle = serialize_turtle(hostile_graph).encode("utf-8")
    expected = {
        (q.subject, q.predicate, q.object)
        for q in pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE)
    }
    assert triples == expected and len(triples) == len(hostile_graph)


def test_hostile_text_in_jsonld(hostile_graph: Graph) -> None:
    from kg.exporters.formats import serialize

    assert isomorphic(Graph().parse(data=serialize(hostile_graph, "jsonld"), format="json-ld"), hostile_graph)


def test_hostile_text_in_graphml(hostile_graph: Graph) -> None:
    import io
    import xml.etree.ElementTree as ET

    from kg.exporters.formats import serialize

    ET.parse(io.BytesIO(serialize(hostile_graph, "graphml").encode("utf-8")))


def test_cli_build_and_export_of_a_hostile_corpus(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from kg.cli import app

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    rows = _every_fragment_rows()
    (corpus / "export.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    runner = CliRunner()
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", str(corpus), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert f"{len(rows)} articles" in result.stdout
    turtle = (out / "graph.ttl").read_bytes()
    assert len(list(pyoxigraph.parse(turtle, format=pyoxigraph.RdfFormat.TURTLE))) > 100
    assert all(json.loads(line) for line in (out / "events.jsonl").read_text("utf-8").splitlines())
    page = (out / "graph.html").read_text("utf-8")
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    if to_cypher is not None:
        result = runner.invoke(
            app, ["export", str(out / "graph.ttl"), "-f", "cypher", "-o", str(out / "g.cypher")]
        )
        assert result.exit_code == 0, result.output
        assert cypher_quoting_is_balanced((out / "g.cypher").read_text("utf-8"))


def test_hostile_corpus_folder_and_cache_in_one_build(tmp_path: Path) -> None:
    """Links out of the corpus, a device, a FIFO, a dangling link, and a cache whose every entry
    is a pickle that would create a file: one real ``kg build`` (in a child with a timeout, so a
    read of /dev/zero or the FIFO fails the test instead of hanging it) goes through, reads only
    the corpus, runs nothing, names every hostile entry once, and writes whole outputs."""
    import hashlib
    import os
    import pickle
    import sys

    root = Path(__file__).resolve().parent.parent
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for seed in sorted((root / "corpus").glob("*.txt"))[:2]:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out)]
    assert subprocess.run(cmd, cwd=root, capture_output=True, timeout=300).returncode == 0
    marker = tmp_path / "pwned"

    class Trap:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (os.system, (f"touch {marker}",))

    entries = sorted((out / ".cache").rglob("*.facts"))
    for entry in entries:
        head = entry.read_bytes().partition(b"\n")[0].split(b" ")
        payload = pickle.dumps(Trap())
        head[3] = hashlib.sha256(payload).hexdigest().encode()
        entry.write_bytes(b" ".join(head) + b"\n" + payload)
    hostile = {
        "passwd.txt": "/etc/passwd",
        "zero.txt": "/dev/zero",
        "gone.txt": str(tmp_path / "nowhere.txt"),
        "up": "..",
    }
    for name, target in hostile.items():
        (corpus / name).symlink_to(target)
    os.mkfifo(corpus / "pipe.txt")
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and not marker.exists()
    lines = done.stderr.splitlines()
    assert sum(ln.startswith("cache: ") and ln.endswith(", re-extracting") for ln in lines) == len(entries)
    for name in [*hostile, "pipe.txt"]:
        assert sum(ln.startswith(f"skipped: {corpus / name}: ") for ln in lines) == 1, (name, lines)
    assert "2 articles" in done.stdout and "2 parsed, 0 from cache" in done.stdout
    triples = list(pyoxigraph.parse((out / "graph.ttl").read_bytes(), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(triples) > 50 and b"root:" not in (out / "graph.ttl").read_bytes()
    files = [json.loads(line)["file"] for line in (out / "events.jsonl").read_text("utf-8").splitlines()]
    assert files == sorted(p.name for p in (root / "corpus").glob("*.txt"))[:2]


@pytest.mark.model
def test_forged_page_evidence_is_never_shown(tmp_path: Path) -> None:
    """Issue 29 item 5: OUT/.kg/evidence.json with its keys kept and its sentences replaced is
    not believed: a card shows only sentences of its fact's own articles (the same page)."""
    import json

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "kg.cli", "build", str(root / "corpus"), "--out", str(out)]
    assert subprocess.run(cmd, cwd=root, capture_output=True, timeout=300).returncode == 0
    page = (out / "graph.html").read_bytes()
    memo = out / ".kg" / "evidence.json"
    data = json.loads(memo.read_text("utf-8"))
    forged = 0
    for chosen in data["evidence"].values():
        for item in chosen:
            item["text"] = "FORGED root:x:0:0:root:/root:/bin/bash"
            forged += 1
    assert forged > 10
    memo.write_text(json.dumps(data), "utf-8")
    (out / ".kg" / "graph.html.key").unlink()  # the page is made again, from the memo
    (out / ".kg" / "build.json").unlink()
    done = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert b"FORGED" not in (out / "graph.html").read_bytes()
    assert (out / "graph.html").read_bytes() == page
