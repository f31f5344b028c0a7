"""The Cypher script route into Neo4j (kg.exporters.cypher).

No Neo4j server runs here, so the script is checked with Neo4j's own Cypher front end from npm
(tests/cypher: ``@neo4j-cypher/language-support``, pinned; install with ``npm ci --prefix
tests/cypher``): the seed graph's script, a script from a hostile article, and a deliberately
broken script, which must be rejected so the check cannot pass vacuously. The model checks
(labels, relationship types, property keys) stand for what n10s builds from the same Turtle.
"""

from __future__ import annotations

import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef

from kg.exporters.cypher import MULTIVALUED, cypher_string, local_name, to_cypher, write_cypher
from kg.rdf.graph import load_graph
from kg.rdf.namespace import CIB

CHECKER_DIR = Path(__file__).resolve().parent / "cypher"
CHECKER = CHECKER_DIR / "check.mjs"
PARSER_PACKAGE = CHECKER_DIR / "node_modules" / "@neo4j-cypher" / "language-support"
NODE = shutil.which("node")

#: What an article can carry into a literal: quotes of both kinds and a closing triple quote,
#: backslashes (also before n and u), markup, a Cypher injection, emoji and controls.
EVIL = (
    'He said """not us""" and \'no\' \\ C:\\path\\n \\u0027 <script>alert("x")</script> '
    "'}) DETACH DELETE n // 😀"
)
NASTY = EVIL + (
    "\nline two\r\n\ttab \x00 nul \x07 bell \x7f \x85 \u2028 \u2029 \u202e rtl \ufeff \U000e0001 `back`"
)

needs_parser = pytest.mark.skipif(
    NODE is None or not PARSER_PACKAGE.is_dir(),
    reason="Neo4j's Cypher parser is not installed: run `npm ci --prefix tests/cypher` (needs node >= 18)",
)


def check(*paths: Path) -> subprocess.CompletedProcess[str]:
    """Run Neo4j's parser on scripts (exit 0: no syntax or semantic error in any of them)."""
    assert NODE is not None
    return subprocess.run(
        [NODE, str(CHECKER), *map(str, paths)], capture_output=True, text=True, timeout=300, check=False
    )


def unescape(literal: str) -> str:
    """Read back one of our Cypher string literals, as Neo4j's lexer does."""
    assert literal[0] == literal[-1] == "'"
    simple = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t"}

    def one(match: re.Match[str]) -> str:
        code = match.group(1)
        return chr(int(code[1:], 16)) if code.startswith("u") else simple[code]

    text = re.sub(r"\\(u[0-9A-Fa-f]{4}|.)", one, literal[1:-1])
    return text.encode("utf-16", "surrogatepass").decode("utf-16")


def statements(script: str) -> list[str]:
    """Statements of a script we wrote: strings hold no raw newline, so a line ending in ``;``
    ends a statement. Comment lines are dropped."""
    out, current = [], []
    for line in script.splitlines():
        if line.startswith("//"):
            continue
        current.append(line)
        if line.endswith(";"):
            out.append("\n".join(current))
            current = []
    assert not current, "script ends inside a statement"
    return out


def hostile_graph() -> Graph:
    graph = Graph()
    node = URIRef("https://w3id.org/cib-kg/id/denial/0000000000000000")
    graph.add((node, RDF.type, CIB.Denial))
    graph.add((node, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(NASTY)))
    graph.add((node, CIB.quote, Literal(NASTY, lang="en")))
    graph.add((node, CIB.date, Literal("2020-02-30", datatype=XSD.date)))  # not a day: a string
    graph.add((node, CIB.deniedBy, URIRef("https://w3id.org/cib-kg/id/state/russia")))
    graph.add((node, URIRef("http://example.org/v#odd-name`x"), URIRef("http://example.org/o")))
    return graph


@pytest.fixture(scope="module")
def seed_graph(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Graph:
    from kg.build.pipeline import build

    out = tmp_path_factory.mktemp("seed")
    build(corpus_dir, out, html=False)
    return load_graph(out / "graph.ttl")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Graph:
    """A real build from an article whose title and sentences carry the hostile text."""
    from kg.build.pipeline import build

    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        f"Facebook removes Russian network {EVIL}\nMarch 5, 2020\n\n"
        f"Facebook said it removed 12 accounts and 3 Pages linked to Russia on Tuesday. {EVIL}\n\n"
        f"Kremlin spokesman Dmitry Peskov denied the claims. \"We reject Facebook's claims, {EVIL}\n"
        'second line", he said.\n',
        encoding="utf-8",
    )
    result = build(corpus, root / "out", html=False)
    assert result.takedowns >= 1 and result.denials >= 1
    return load_graph(root / "out" / "graph.ttl")


# --------------------------------------------------------------------------------------
# Strings and names


@pytest.mark.parametrize("text", [EVIL, NASTY, "", "'", "\\", "\\'", "'\\", "😀\U0001f9d1\u200d\U0001f4bb"])
def test_string_literals_read_back_exactly(text: str) -> None:
    literal = cypher_string(text)
    assert unescape(literal) == text
    # Nothing that could end the literal or the line survives unescaped.
    inner = literal[1:-1]
    assert "\n" not in inner and "\r" not in inner
    assert not re.search(r"(?<!\\)(?:\\\\)*'", inner)
    assert all(ord(c) >= 0x20 and c not in "\x7f\x85\u2028\u2029\ufeff" for c in inner)


def test_lone_surrogate_becomes_replacement_character() -> None:
    assert unescape(cypher_string("a\ud800b")) == "a\ufffdb"


def test_local_names_cut_like_rdf4j() -> None:
    assert local_name(str(CIB.Takedown)) == "Takedown"
    assert local_name("https://schema.org/headline") == "headline"
    assert local_name("urn:x:y") == "y"
    assert local_name("http://example.org/a#b/c") == "b/c"


def test_values_typed_as_n10s_types_them() -> None:
    graph = Graph()
    s, p = URIRef("http://example.org/s"), "http://example.org/v#"
    graph.add((s, URIRef(p + "n"), Literal("12", datatype=XSD.integer)))
    graph.add((s, URIRef(p + "c"), Literal("0.900", datatype=XSD.decimal)))
    graph.add((s, URIRef(p + "d"), Literal("2019-08-19", datatype=XSD.date)))
    graph.add((s, URIRef(p + "b"), Literal("true", datatype=XSD.boolean)))
    graph.add((s, URIRef(p + "big"), Literal("99999999999999999999", datatype=XSD.integer)))
    graph.add((s, URIRef(p + "inf"), Literal("INF", datatype=XSD.double)))
    script = to_cypher(graph)
    row = next(line for line in script.splitlines() if line.startswith("  {uri:"))
    # lower(): rdflib may normalise the lexical form of INF
    assert row.lower() == (
        "  {uri: 'http://example.org/s', b: true, big: '99999999999999999999', c: 0.9, "
        "d: date('2019-08-19'), inf: 'inf', n: 12}"
    )


# --------------------------------------------------------------------------------------
# Script shape: idempotent, deterministic, hostile text contained


def test_script_only_merges_after_constraints(hostile_build: Graph) -> None:
    parts = statements(to_cypher(hostile_build))
    constraints = [s for s in parts if s.startswith("CREATE CONSTRAINT")]
    assert constraints and parts[: len(constraints)] == constraints
    for part in constraints:
        assert re.fullmatch(
            r"CREATE CONSTRAINT \w+ IF NOT EXISTS FOR \(n:\w+\) REQUIRE n\.uri IS UNIQUE;", part
        ), part
    for part in parts[len(constraints) :]:
        assert part.startswith("UNWIND [\n"), part[:80]
        tail = part.splitlines()[-1]
        assert re.fullmatch(
            r"MERGE \(n:Resource \{uri: row\.uri\}\) SET n = row( SET n:\w+)*;"
            r"|MERGE \(a:Resource \{uri: pair\[0\]\}\) MERGE \(b:Resource \{uri: pair\[1\]\}\) "
            r"MERGE \(a\)-\[:(\w+|`[^`]+`)\]->\(b\);",
            tail,
        ), tail
    assert "CREATE (" not in to_cypher(hostile_build) and "DELETE" not in "".join(
        line for line in to_cypher(hostile_build).splitlines() if not line.startswith("  ")
    )


def test_hostile_text_stays_inside_literals(hostile_build: Graph) -> None:
    script = to_cypher(hostile_build)
    assert any(EVIL in str(o) for o in hostile_build.objects()), "the hostile text should reach the graph"
    assert cypher_string(EVIL)[1:-1] in script
    for part in statements(script)[1:]:
        # Data rows are one per line and every line is a whole row: no literal broke out.
        for line in part.splitlines()[1:-2]:
            assert re.fullmatch(r"  (\{uri: '.*\}|\['.*'\]),?", line), line[:120]
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f\u2028\u2029]", script)


def test_deterministic_whatever_the_triple_order(hostile_build: Graph, tmp_path: Path) -> None:
    triples = list(hostile_build)
    random.Random(7).shuffle(triples)
    shuffled = Graph()
    for triple in triples:
        shuffled.add(triple)
    assert to_cypher(shuffled) == to_cypher(hostile_build)
    target = write_cypher(hostile_build, tmp_path / "out" / "graph.cypher")
    assert target.read_text("utf-8") == to_cypher(hostile_build)
    assert [p.name for p in target.parent.iterdir()] == ["graph.cypher"]  # no temporary left


# --------------------------------------------------------------------------------------
# The model n10s would build (handleVocabUris 'IGNORE', handleRDFTypes LABELS)


def _graph_names(graph: Graph) -> tuple[set[str], set[str], set[str]]:
    """Class, object-property and literal-property local names used in the graph."""
    classes = {local_name(str(o)) for o in graph.objects(None, RDF.type)}
    rels = {
        local_name(str(p)) for p, o in graph.predicate_objects() if p != RDF.type and isinstance(o, URIRef)
    }
    props = {local_name(str(p)) for p, o in graph.predicate_objects() if isinstance(o, Literal)}
    return classes, rels, props


def _script_names(script: str) -> tuple[set[str], set[str], set[str]]:
    labels = set(re.findall(r" SET n:(\w+)", script))
    rels = set(re.findall(r"MERGE \(a\)-\[:(\w+)\]->\(b\)", script))
    rows = "\n".join(line for line in script.splitlines() if line.startswith("  {"))
    props = set(re.findall(r"[{,] (\w+): ", rows))
    return labels, rels, props - {"uri"}


@pytest.mark.model
def test_seed_script_names_are_the_graphs_local_names(seed_graph: Graph) -> None:
    classes, rels, props = _graph_names(seed_graph)
    labels, rel_types, keys = _script_names(to_cypher(seed_graph))
    assert labels == classes == {
        "Article", "Claim", "Corpus", "Denial", "Mention", "Network", "Organisation", "Person",
        "Platform", "State", "Takedown",
    }
    assert rel_types == rels and {"removed", "attributedTo", "denied", "reportedIn", "sameAs"} <= rels
    assert keys == props and {"label", "accounts", "date", "wording", "quote"} <= props


@pytest.mark.model
def test_ignore_loses_nothing_on_the_seed_graph(seed_graph: Graph) -> None:
    """IGNORE keeps only local names: safe because no two predicates or classes share one."""
    iris = {p for p in seed_graph.predicates()} | set(seed_graph.objects(None, RDF.type))
    by_name: dict[str, set[str]] = {}
    for iri in iris:
        by_name.setdefault(local_name(str(iri)), set()).add(str(iri))
    assert {name: found for name, found in by_name.items() if len(found) > 1} == {}


@pytest.mark.model
def test_seed_counts_match_the_triples(seed_graph: Graph) -> None:
    script = to_cypher(seed_graph)
    nodes = {str(s) for s in seed_graph.subjects()} | {
        str(o) for p, o in seed_graph.predicate_objects() if p != RDF.type and isinstance(o, URIRef)
    }
    edges = [t for t in seed_graph if t[1] != RDF.type and isinstance(t[2], URIRef)]
    rows = [line for line in script.splitlines() if line.startswith("  ")]
    assert sum(line.startswith("  {uri:") for line in rows) == len(nodes)
    assert sum(line.startswith("  ['") for line in rows) == len(edges)


@pytest.mark.model
def test_only_declared_multivalued_properties_have_several_values(seed_graph: Graph) -> None:
    """docs/neo4j.md's multivalPropList is MULTIVALUED: no other literal property repeats."""
    repeated = {
        p for s, p in set(seed_graph.subject_predicates())
        if sum(isinstance(o, Literal) for o in seed_graph.objects(s, p)) > 1
    }
    assert repeated <= MULTIVALUED
    assert CIB.wording in repeated
    docs = (Path(__file__).resolve().parent.parent / "docs" / "neo4j.md").read_text("utf-8")
    for iri in MULTIVALUED:
        assert str(iri) in docs


# --------------------------------------------------------------------------------------
# Neo4j's parser


@needs_parser
@pytest.mark.model
def test_neo4j_parser_accepts_seed_script(seed_graph: Graph, tmp_path: Path) -> None:
    done = check(write_cypher(seed_graph, tmp_path / "seed.cypher"))
    assert done.returncode == 0, done.stderr


@needs_parser
@pytest.mark.model
def test_neo4j_parser_accepts_hostile_build(hostile_build: Graph, tmp_path: Path) -> None:
    done = check(write_cypher(hostile_build, tmp_path / "hostile.cypher"))
    assert done.returncode == 0, done.stderr


@needs_parser
def test_neo4j_parser_accepts_hostile_literals_and_names(tmp_path: Path) -> None:
    script = to_cypher(hostile_graph())
    assert "[:`odd-name``x`]" in script
    path = tmp_path / "nasty.cypher"
    path.write_text(script, "utf-8")
    done = check(path)
    assert done.returncode == 0, done.stderr


BROKEN = {
    # the hostile text pasted without escaping, as a naive exporter would
    "unescaped": "MERGE (n:Resource {uri: 'x'}) SET n.label = '" + EVIL + "';\n",
    # one escape dropped from a good row
    "dropped-escape": (
        "UNWIND [{uri: 'x', label: 'it's'}] AS row MERGE (n:Resource {uri: row.uri}) SET n = row;\n"
    ),
    # a relationship type that needed backticks
    "bare-name": "MERGE (a:Resource {uri: 'a'}) MERGE (b:Resource {uri: 'b'}) MERGE (a)-[:odd-name]->(b);\n",
    # a misspelt keyword, and a variable never bound (a semantic, not a syntax, error)
    "keyword": "MERGE (n:Resource {uri: 'x'}) SETT n.label = 'y';\n",
    "unbound": "MERGE (n:Resource {uri: 'x'}) SET m.label = 'y';\n",
    "empty": "",
}


@needs_parser
def test_neo4j_parser_rejects_broken_scripts(tmp_path: Path) -> None:
    """Each broken script is reported on its own line, so the check cannot pass vacuously."""
    paths = []
    for name, text in BROKEN.items():
        paths.append(tmp_path / f"{name}.cypher")
        paths[-1].write_text(text, "utf-8")
    done = check(*paths)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert done.stdout == ""
    for path in paths:
        assert re.search(rf"^{re.escape(str(path))}:(\d+:\d+: |\s*empty)", done.stderr, re.M), (
            path.name,
            done.stderr,
        )


@needs_parser
def test_checker_fails_if_any_file_fails(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.cypher", tmp_path / "bad.cypher"
    good.write_text(to_cypher(hostile_graph()), "utf-8")
    bad.write_text(BROKEN["unescaped"], "utf-8")
    done = check(good, bad)
    assert done.returncode == 1 and f"{good}: ok" in done.stdout and str(bad) in done.stderr


# --------------------------------------------------------------------------------------
# docs/neo4j.md


DOCS = Path(__file__).resolve().parent.parent / "docs" / "neo4j.md"


def doc_blocks() -> list[str]:
    return re.findall(r"```cypher\n(.*?)```", DOCS.read_text("utf-8"), flags=re.S)


@needs_parser
def test_neo4j_parser_accepts_every_docs_block(tmp_path: Path) -> None:
    blocks = doc_blocks()
    assert len(blocks) >= 8
    paths = []
    for index, block in enumerate(blocks):
        paths.append(tmp_path / f"block-{index}.cypher")
        paths[-1].write_text(block, "utf-8")
    done = check(*paths)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(": ok") == len(blocks)


@pytest.mark.model
def test_docs_questions_use_names_the_script_creates(seed_graph: Graph) -> None:
    labels, rel_types, keys = _script_names(to_cypher(seed_graph))
    questions = [b for b in doc_blocks() if b.startswith("MATCH")]
    assert len(questions) >= 6
    for block in questions:
        assert set(re.findall(r"\(\w*:(\w+)", block)) <= labels | {"Resource"}, block
        assert set(re.findall(r"\[:(\w+)\]", block)) <= rel_types, block
        assert set(re.findall(r"\b[a-z]\w*\.(\w+)", block)) <= keys | {"uri"}, block
