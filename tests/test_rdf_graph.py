"""Graph stage: core triples, datatypes, IRIs, provenance, and Turtle every user tool accepts."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, RDFS, XSD, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL

from kg.errors import GraphError, KGError
from kg.rdf.graph import build_graph, load_graph, looks_like_person
from kg.rdf.namespace import CIB, PROV, RES, SCHEMA, WD, iri_for, ontology_terms
from kg.rdf.turtle import serialize_turtle, write_turtle
from kg.records import (
    Article,
    Attribution,
    Corpus,
    Counts,
    Denial,
    DenialEvent,
    Entity,
    Evidence,
    Paragraph,
    Takedown,
    TakedownEvent,
)

# Everything a hostile article can put in a literal: quotes (also a closing triple quote and a
# trailing quote), backslashes, newlines, markup, a right-to-left mark, Arabic, an emoji, a bell.
HOSTILE = (
    'He said """not us""" and \'no\' \\ C:\\path\\n\n<script>alert("x")</script>\r\n'
    '\u200fمرحبا\u200e 😀 \x07 tab\there "'
)
A1, A2 = "a1a1a1a1a1a1a1a1", "b2b2b2b2b2b2b2b2"
TD_KEY = "facebook|2018-08-21|russia"


def _ev(article: str, start: int, end: int, rule: str, sentence: str, conf: float = 0.9) -> Evidence:
    return Evidence(article, f"{article}.txt", sentence, start, end, rule, conf)


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    e1 = _ev(A1, 0, 60, "removal.verb", "Facebook removed 5 accounts and 7 Pages linked to Russia.")
    e1_attr = _ev(
        A1, 0, 60, "attribution.linked_to", "Facebook removed 5 accounts and 7 Pages linked to Russia."
    )
    e2 = _ev(A2, 10, 90, "removal.verb", HOSTILE, 0.75)
    e2_dup = _ev(A2, 10, 90, "removal.verb", HOSTILE, 0.75)  # same (article, span, rule): one Mention
    d_ev = _ev(A2, 100, 160, "denial.reject", f"Peskov said: {HOSTILE}", 0.8)
    d2_ev = _ev(
        A1, 70, 120, "denial.groundless", "Iran's Foreign Ministry called Microsoft's claim groundless."
    )
    attr = Attribution("Russia", "linked to", "Internet Research Agency", e1_attr)
    counts = Counts(accounts=5, pages=7)
    articles = (
        Article(
            A1,
            f"{A1}.txt",
            f"/tmp/{A1}.txt",
            "Facebook removes Russian network",
            date(2018, 8, 22),
            "x",
            (Paragraph(0, "x"),),
        ),
        Article(A2, f"{A2}.txt", f"/tmp/{A2}.txt", HOSTILE, None, HOSTILE, ()),
    )
    takedown = TakedownEvent(
        key=TD_KEY,
        platform="Facebook",
        network="IRA-linked network",
        counts=counts,
        date=date(2018, 8, 21),
        attributions=(attr,),
        actors=("Internet Research Agency",),
        sources=(
            Takedown(
                "Facebook",
                "IRA-linked network",
                counts,
                date(2018, 8, 21),
                (attr,),
                ("Internet Research Agency",),
                e1,
            ),
            Takedown("Facebook", HOSTILE, Counts(accounts=5), None, (), (), e2, (e2_dup,)),
        ),
    )
    denial = DenialEvent(
        key="russia|peskov|2018-08-22",
        state="Russia",
        speaker="Dmitry Peskov",
        denies_claim_of=("Facebook",),
        quote=HOSTILE,
        date=date(2018, 8, 22),
        sources=(Denial("Russia", "Dmitry Peskov", ("Facebook",), HOSTILE, None, d_ev),),
        claim_keys=(TD_KEY,),
    )
    denial_of_nothing = DenialEvent(
        key="iran|microsoft",
        state="Iran",
        speaker="Foreign Ministry",
        denies_claim_of=("Microsoft",),
        quote="groundless",
        date=None,
        sources=(Denial("Iran", "Foreign Ministry", ("Microsoft",), "groundless", None, d2_ev),),
    )
    entities = (
        Entity("facebook", "Facebook", "platform", wikidata="Q355"),
        Entity("microsoft", "Microsoft", "platform", wikidata="Q2283"),
        Entity("russia", "Russia", "state", state="Russia", wikidata="Q159"),
        Entity("iran", "Iran", "state", state="Iran", wikidata="Q794"),
        Entity("dmitry-peskov", "Dmitry Peskov", "person", state="Russia", role="spokesperson"),
        Entity(
            "internet-research-agency",
            "Internet Research Agency",
            "organisation",
            state="Russia",
            role="troll farm",
        ),
    )
    return Corpus(articles, (takedown,), (denial, denial_of_nothing), entities)


def _reverse(corpus: Corpus) -> Corpus:
    """The same corpus with every record tuple in reverse order."""
    takedowns = tuple(dataclasses.replace(t, sources=t.sources[::-1]) for t in corpus.takedowns[::-1])
    return Corpus(corpus.articles[::-1], takedowns, corpus.denials[::-1], corpus.entities[::-1])


@pytest.fixture(scope="module")
def graph(corpus: Corpus) -> Graph:
    return build_graph(corpus)


def _one(graph: Graph, s: URIRef | None, p: URIRef, o: URIRef | None = None) -> URIRef:
    found = set(graph.objects(s, p)) if o is None else set(graph.subjects(p, o))
    assert len(found) == 1, found
    return found.pop()  # type: ignore[return-value]


def test_core_triples(graph: Graph) -> None:
    fb, russia, iran = iri_for("platform", "Facebook"), iri_for("state", "Russia"), iri_for("state", "Iran")
    network = iri_for("network", TD_KEY)
    takedown = iri_for("takedown", TD_KEY)
    assert (fb, CIB.removed, network) in graph
    assert (network, CIB.attributedTo, russia) in graph
    assert (takedown, RDF.type, CIB.Takedown) in graph
    assert (takedown, CIB.platform, fb) in graph and (takedown, CIB.network, network) in graph
    claim = _one(graph, None, CIB.claimAbout, network)
    assert (claim, CIB.claimant, fb) in graph and (claim, CIB.claimedState, russia) in graph
    assert (claim, CIB.wording, Literal("linked to")) in graph
    assert (russia, CIB.denied, claim) in graph
    denial = iri_for("denial", "russia|peskov|2018-08-22")
    assert (denial, CIB.deniesClaim, claim) in graph
    assert (denial, CIB.deniedBy, russia) in graph
    assert (denial, CIB.speaker, iri_for("person", "Dmitry Peskov")) in graph
    assert (denial, CIB.quote, Literal(HOSTILE)) in graph
    assert (network, CIB.actor, iri_for("org", "Internet Research Agency")) in graph
    # Microsoft removed nothing: Iran denies a claim minted from the denial, with no network.
    other = _one(graph, iri_for("denial", "iran|microsoft"), CIB.deniesClaim)
    assert (iran, CIB.denied, other) in graph
    assert (other, CIB.claimant, iri_for("platform", "Microsoft")) in graph
    assert (other, CIB.claimedState, iran) in graph
    assert not set(graph.objects(other, CIB.claimAbout))
    assert (other, CIB.reportedIn, iri_for("article", A1)) in graph


def test_entities(graph: Graph) -> None:
    fb, russia = iri_for("platform", "Facebook"), iri_for("state", "Russia")
    assert (fb, RDF.type, CIB.Platform) in graph and (fb, RDFS.label, Literal("Facebook")) in graph
    assert (fb, OWL.sameAs, WD.Q355) in graph and (russia, OWL.sameAs, WD.Q159) in graph
    peskov = iri_for("person", "Dmitry Peskov")
    assert (peskov, RDF.type, CIB.Person) in graph and (peskov, CIB.actsFor, russia) in graph
    assert (peskov, CIB.role, Literal("spokesperson")) in graph
    assert (iri_for("org", "Internet Research Agency"), CIB.actsFor, russia) in graph
    ministry = iri_for("org", "Foreign Ministry")  # not in the gazetteer: minted, acts for Iran
    assert (ministry, RDF.type, CIB.Organisation) in graph
    assert (ministry, CIB.actsFor, iri_for("state", "Iran")) in graph
    assert (russia, CIB.actsFor, None) not in graph


def test_datatypes(graph: Graph) -> None:
    takedown = iri_for("takedown", TD_KEY)
    assert (takedown, CIB.accounts, Literal(5, datatype=XSD.integer)) in graph
    assert (takedown, CIB.pages, Literal(7, datatype=XSD.integer)) in graph
    assert (takedown, CIB.date, Literal("2018-08-21", datatype=XSD.date)) in graph
    article = iri_for("article", A1)
    assert (article, SCHEMA.datePublished, Literal("2018-08-22", datatype=XSD.date)) in graph
    datatypes: dict[URIRef, set] = {}
    for _, p, o in graph:
        if isinstance(o, Literal):
            datatypes.setdefault(p, set()).add(o.datatype)
            assert o.language is None
    assert all(len(kinds) == 1 for kinds in datatypes.values()), datatypes
    for p in (CIB.accounts, CIB.pages, CIB.startOffset, CIB.endOffset):
        assert datatypes[p] == {XSD.integer}
    assert datatypes[CIB.confidence] == {XSD.decimal}
    assert {str(o) for o in graph.objects(None, CIB.confidence)} == {"0.900", "0.750", "0.800"}


def test_provenance(graph: Graph) -> None:
    takedown = iri_for("takedown", TD_KEY)
    mentions = set(graph.objects(takedown, PROV.wasDerivedFrom))
    # e1, e1's attribution (another rule, same span) and e2 (twice, deduplicated)
    assert len(mentions) == 3
    assert set(graph.objects(takedown, CIB.reportedIn)) == {iri_for("article", A1), iri_for("article", A2)}
    for mention in mentions:
        assert (mention, RDF.type, CIB.Mention) in graph
        assert len(set(graph.objects(mention, CIB.sentence))) == 1
        assert len(set(graph.objects(mention, CIB.inArticle))) == 1
    claim = _one(graph, None, CIB.claimAbout, iri_for("network", TD_KEY))
    (claim_mention,) = set(graph.objects(claim, PROV.wasDerivedFrom))
    assert (claim_mention, CIB.rule, Literal("attribution.linked_to")) in graph
    assert claim_mention in mentions
    assert len(set(graph.subjects(RDF.type, CIB.Mention))) == 5


def test_no_blank_nodes_and_iri_patterns(graph: Graph) -> None:
    pattern = re.compile(
        re.escape(str(RES)) + r"(?:(?:platform|state|org|person)/[a-z0-9]+(?:-[a-z0-9]+)*"
        r"|(?:article|takedown|network|claim|denial|mention)/[0-9a-f]{16})"
    )
    for triple in graph:
        for term in triple:
            assert not isinstance(term, BNode)
            if isinstance(term, URIRef) and term.startswith(str(RES)):
                assert pattern.fullmatch(term), term
                assert len(term) <= len(str(RES)) + 8 + 64


def test_only_declared_terms(graph: Graph) -> None:
    terms = ontology_terms()
    cib = str(CIB)
    used = {str(t)[len(cib) :] for triple in graph for t in triple if str(t).startswith(cib)}
    assert used <= terms, used - terms


def test_every_node_labelled(graph: Graph) -> None:
    for node in set(graph.subjects(RDF.type, None)):
        assert len(set(graph.objects(node, RDFS.label))) == 1, node


def test_turtle_is_deterministic(corpus: Corpus) -> None:
    first = serialize_turtle(build_graph(corpus))
    assert serialize_turtle(build_graph(corpus)) == first
    assert serialize_turtle(build_graph(_reverse(corpus))) == first
    assert first.endswith(" .\n") and "_:" not in first


def test_turtle_round_trips(graph: Graph) -> None:
    text = serialize_turtle(graph)
    parsed = Graph().parse(data=text, format="turtle")
    assert isomorphic(parsed, graph)
    assert len(parsed) == len(graph)
    assert (iri_for("denial", "russia|peskov|2018-08-22"), CIB.quote, Literal(HOSTILE)) in parsed
    quads = list(pyoxigraph.parse(text.encode("utf-8"), pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(graph)
    assert any(isinstance(q.object, pyoxigraph.Literal) and q.object.value == HOSTILE for q in quads)


@pytest.mark.parametrize("tool", ["rapper", "serdi"])
def test_turtle_parses_with_c_tools(graph: Graph, tool: str, tmp_path: Path) -> None:
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} not installed")
    path = write_turtle(graph, tmp_path / "graph.ttl")
    args = [exe, "-i", "turtle", "-o", "ntriples", str(path)]
    done = subprocess.run(args, capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    assert len([ln for ln in done.stdout.splitlines() if ln.strip()]) == len(graph)


def test_write_turtle_atomic(graph: Graph, tmp_path: Path) -> None:
    target = tmp_path / "out" / "graph.ttl"
    write_turtle(graph, target)
    write_turtle(graph, target)  # replacing an existing file
    assert target.read_bytes() == serialize_turtle(graph).encode("utf-8")
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.ttl"]
    assert isomorphic(load_graph(target), graph)


def test_load_graph_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix x: <http://x/> .\nx:a x:b "unterminated .\n', encoding="utf-8")
    with pytest.raises(GraphError) as info:
        load_graph(bad)
    message = str(info.value)
    assert str(bad) in message and "\n" not in message
    assert isinstance(info.value, KGError)
    with pytest.raises(GraphError, match="missing.ttl"):
        load_graph(tmp_path / "missing.ttl")


def test_empty_corpus() -> None:
    graph = build_graph(Corpus((), (), ()))
    assert len(graph) == 0
    assert Graph().parse(data=serialize_turtle(graph), format="turtle").__len__() == 0


def test_unknown_names_are_minted() -> None:
    ev = _ev(A1, 0, 5, "r", "s")
    event = TakedownEvent(
        "k",
        "Nowhere Social",
        "net",
        Counts(channels=1),
        None,
        (Attribution("Ruritania", "state-backed", "Ruritanian Ministry of Truth", ev),),
        (),
        (Takedown("Nowhere Social", "net", Counts(channels=1), None, (), (), ev),),
    )
    graph = build_graph(Corpus((), (event,), ()))
    assert (iri_for("platform", "Nowhere Social"), RDF.type, CIB.Platform) in graph
    assert (iri_for("state", "Ruritania"), RDF.type, CIB.State) in graph
    assert (iri_for("org", "Ruritanian Ministry of Truth"), RDF.type, CIB.Organisation) in graph
    # an article only evidence names still gets a typed, labelled node
    assert (iri_for("article", A1), RDF.type, CIB.Article) in graph
    assert (iri_for("article", A1), CIB.sourceFile, Literal(f"{A1}.txt")) in graph


def test_speaker_guess() -> None:
    assert looks_like_person("Zhao Lijian")
    assert looks_like_person("Mohammad Javad Zarif")
    assert not looks_like_person("Foreign Ministry")
    assert not looks_like_person("The Kremlin")
    assert not looks_like_person("Ministry of Foreign Affairs")
    assert not looks_like_person("Peskov")


def test_denial_with_unnamed_accuser(corpus: Corpus) -> None:
    """"The allegations are untrue" names no accuser: the denial still denies a claim, one
    with a claimed state and no claimant, and the graph conforms to the shapes."""
    from kg.rdf.validate import format_report, validate_graph

    unnamed = DenialEvent(
        key="turkey|official",
        state="Turkey",
        speaker=None,
        denies_claim_of=(),
        quote="untrue",
        date=None,
        sources=(Denial("Turkey", None, (), "untrue", None, corpus.denials[1].sources[0].evidence),),
    )
    g = build_graph(dataclasses.replace(corpus, denials=(*corpus.denials, unnamed)))
    denial = URIRef(iri_for("denial", "turkey|official"))
    claim = _one(g, denial, CIB.deniesClaim)
    assert g.value(claim, CIB.claimant) is None
    assert str(g.value(g.value(claim, CIB.claimedState), RDFS.label)) == "Turkey"
    assert (g.value(denial, CIB.deniedBy), CIB.denied, claim) in g
    assert "accuser unnamed" in str(g.value(claim, RDFS.label))
    report = validate_graph(g)
    assert report.conforms, format_report(report)
    from kg.explorer.view import to_view

    cards = [d["title"] for n, d in to_view(g).nodes(data=True) if str(n) == str(denial)]
    assert cards and "an accusation against Turkey, accuser unnamed" in cards[0]


# -- literals made without rdflib's constructor, and the Turtle writer's shortcuts ---------


def test_direct_literals_are_used_with_this_rdflib() -> None:
    """The fast path is on here; were rdflib's literals to change, it would turn itself off."""
    from kg.rdf import literals as g

    assert g.direct_literals_agree()
    assert g.literal is g.made_directly


def _same_literal(ours: Literal, theirs: Literal) -> None:
    assert type(ours) is type(theirs)
    assert (str(ours), repr(ours), hash(ours)) == (str(theirs), repr(theirs), hash(theirs))
    assert ours == theirs and ours.eq(theirs)
    assert (ours.value, type(ours.value), ours.datatype, ours.language, ours.ill_typed) == (
        theirs.value, type(theirs.value), theirs.datatype, theirs.language, theirs.ill_typed)
    assert ours.n3() == theirs.n3()


@pytest.mark.parametrize("value", ["", "plain", HOSTILE, "tab\tand\nnewline", "é 😀 مرحبا", " spaced ", "0"])
def test_text_literal_is_rdflibs(value: str) -> None:
    from kg.rdf.literals import text_literal as _text

    _same_literal(_text(value), Literal(value))


def test_text_literal_replaces_lone_surrogates() -> None:
    from kg.rdf.literals import text_literal as _text

    _same_literal(_text("bad \udcff byte"), Literal("bad ? byte"))


@pytest.mark.parametrize("value", [0, 1, -1, 7, 470, 2**70, True])
def test_integer_literal_is_rdflibs(value: int) -> None:
    from kg.rdf.literals import integer_literal as _integer

    _same_literal(_integer(value), Literal(str(int(value)), datatype=XSD.integer))


def test_event_id_and_first_reported() -> None:
    """Each takedown and denial carries its event key as cib:eventId, and cib:firstReported is
    the earliest publication date of the reports merged into it, kept apart from cib:date."""
    from kg.records import ArticleFacts, ArticleMeta, Counts, Denial
    from kg.resolve import resolve

    def facts(aid: str, published: date | None) -> ArticleFacts:
        ev = Evidence(aid, f"{aid}.txt", "Twitter removed 936 accounts linked to China.", 0, 40, "rule", 0.9)
        td = Takedown("Twitter", "936 accounts", Counts(accounts=936), None,
                      (Attribution("China", "linked to", None, ev),), (), ev)
        dn = Denial("China", "Hua Chunying", ("Twitter",), "groundless", None, ev)
        return ArticleFacts(ArticleMeta(aid, f"{aid}.txt", f"{aid}.txt", aid, published), (td,), (dn,))

    corpus = resolve([facts("a1", date(2019, 8, 21)), facts("a2", date(2019, 8, 20)), facts("a3", None)])
    graph = build_graph(corpus)
    (takedown,) = corpus.takedowns
    node = iri_for("takedown", takedown.key)
    assert graph.value(node, CIB.eventId) == Literal(takedown.key)
    assert graph.value(node, CIB.firstReported) == Literal(date(2019, 8, 20))
    assert graph.value(node, CIB.date) is None  # no removal date: not invented from the reports
    published = {"a1": date(2019, 8, 21), "a2": date(2019, 8, 20)}
    for denial in corpus.denials:
        dnode = iri_for("denial", denial.key)
        assert graph.value(dnode, CIB.eventId) == Literal(denial.key)
        dates = [published[a] for s in denial.sources if (a := s.evidence.article_id) in published]
        first = graph.value(dnode, CIB.firstReported)
        assert first == (Literal(min(dates)) if dates else None)


# (platform, [(article date line, text date, removal date)], expected chart date, kind,
#  cib:firstReported, cib:textDate): one takedown per platform, its reports merged on the figure
CHART_DATE_CASES = [
    ("Twitter", [(date(2020, 3, 5), None, date(2020, 3, 2))], "2020-03-02", "reported date",
     date(2020, 3, 5), None),
    ("Facebook", [(date(2021, 6, 9), None, None), (date(2021, 5, 30), None, None)], "2021-05-30",
     "first report", date(2021, 5, 30), None),
    # a date line wins over an (earlier) text date, which is still kept apart
    ("YouTube", [(date(2019, 9, 1), None, None), (None, "2019-08", None)], "2019-09-01", "first report",
     date(2019, 9, 1), "2019-08"),
    # only undated articles: the earliest period of their text dates, at its precision
    ("TikTok", [(None, "2019-08-21", None), (None, "2019", None)], "2019", "text date", None, "2019"),
    ("Reddit", [(None, "2018-11", None)], "2018-11", "text date", None, "2018-11"),
    ("LinkedIn", [(None, None, None)], None, "undated", None, None),
]


def test_every_takedown_has_a_chart_date_or_is_undated_and_says_which() -> None:
    """The chain reported date > first report > text date > undated, each date kept apart."""
    from kg.records import ArticleFacts, ArticleMeta, Counts
    from kg.resolve import resolve

    articles = []
    for platform, reports, *_ in CHART_DATE_CASES:
        for i, (published, text_date, removed) in enumerate(reports):
            aid = f"{platform}{i}"
            sentence = f"{platform} removed 4,321 accounts linked to Iran."
            ev = Evidence(aid, f"{aid}.txt", sentence, 0, 40, "r", 0.9)
            td = Takedown(platform, "4,321 accounts", Counts(accounts=4321), removed,
                          (Attribution("Iran", "linked to", None, ev),), (), ev)
            meta = ArticleMeta(aid, f"{aid}.txt", f"{aid}.txt", aid, published, text_date=text_date)
            articles.append(ArticleFacts(meta, (td,), ()))
    corpus = resolve(articles)
    graph = build_graph(corpus)
    assert len(corpus.takedowns) == len(CHART_DATE_CASES)  # one event per platform
    for platform, _, chart, kind, first, text in CHART_DATE_CASES:
        (takedown,) = [t for t in corpus.takedowns if t.platform == platform]
        node = iri_for("takedown", takedown.key)
        assert graph.value(node, CIB.chartDateSource) == Literal(kind), platform
        assert graph.value(node, CIB.chartDate) == (Literal(chart) if chart else None), platform
        assert graph.value(node, CIB.firstReported) == (Literal(first) if first else None), platform
        assert graph.value(node, CIB.textDate) == (Literal(text) if text else None), platform
    # an undated article says what its text gives; a dated one only its date line
    assert graph.value(iri_for("article", "Reddit0"), CIB.textDate) == Literal("2018-11")
    assert graph.value(iri_for("article", "YouTube1"), CIB.textDate) == Literal("2019-08")
    assert graph.value(iri_for("article", "YouTube1"), SCHEMA.datePublished) is None
    assert graph.value(iri_for("article", "YouTube0"), CIB.textDate) is None
    from kg.rdf.validate import format_report, validate_graph

    report = validate_graph(graph)
    assert report.conforms, format_report(report)


def test_entity_count_is_the_graphs_and_the_pages() -> None:
    """One entity count: a state that speaks for itself ("Iran denied...") is a State and an
    Organisation node in the graph; the build summary counts what the page's header counts."""
    from kg.explorer.view import summarize
    from kg.rdf.graph import build_triples, entity_count
    from kg.records import ArticleFacts, ArticleMeta, Counts, Denial
    from kg.resolve import resolve

    ev = Evidence("a1", "a1.txt", "Iran denied it.", 0, 15, "rule", 0.9)
    td = Takedown("Twitter", "936 accounts", Counts(accounts=936), None,
                  (Attribution("Iran", "linked to", None, ev),), (), ev)
    denials = (Denial("Iran", "Iran", ("Twitter",), "groundless", None, ev),
               Denial("Iran", "Foreign Ministry", ("Twitter",), "lies", None, ev))
    corpus = resolve([ArticleFacts(ArticleMeta("a1", "a1.txt", "a1.txt", "a1", None), (td,), denials)])
    triples = build_triples(corpus)
    assert entity_count(triples) == summarize(triples)["entities"] == 4
    assert len(corpus.entities) == 3  # the resolve stage's list: what the summary used to say
