"""Graph stage: a resolved :class:`~kg.records.Corpus` as RDF in the cib-kg ontology.

The graph keeps the rules of DESIGN.md ("Graph rules") so the Turtle loads unchanged into
rdflib, Oxigraph, raptor, serd, RDF4J (GraphDB, Neo4j n10s):

* every node has a deterministic IRI from :func:`kg.rdf.namespace.iri_for` (no blank nodes, which
  n10s and GraphDB re-identify on each import and so duplicate);
* one datatype per property: ``xsd:integer`` counts and offsets, ``xsd:date`` dates,
  ``xsd:decimal`` confidence (three decimals), plain strings for text;
* :func:`serialize_turtle` (:mod:`kg.rdf.turtle`) writes its own sorted Turtle, so the same
  corpus gives the same bytes whatever the record order, and text (quotes, backslashes,
  newlines, control characters) is escaped for the strictest parsers.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import OWL
from rdflib.term import Node

from kg.errors import GraphError
from kg.rdf.literals import confidence_literal, date_literal, integer_literal, text_literal, wikidata_iri
from kg.rdf.namespace import CIB as _DECLARED
from kg.rdf.namespace import PREFIXES, PROV, SCHEMA, TermCache, iri_for
from kg.rdf.turtle import Triple
from kg.records import (
    COUNT_FIELDS,
    Attribution,
    Corpus,
    DenialEvent,
    Entity,
    Evidence,
    TakedownEvent,
)
from kg.util.gc_pause import paused_gc

# --------------------------------------------------------------------------------------
# Building


def _camel(field_name: str) -> str:
    """``instagram_accounts`` -> ``instagramAccounts`` (count fields -> ontology properties)."""
    head, *rest = field_name.split("_")
    return head + "".join(part.capitalize() for part in rest)


_NAME_TOKEN = re.compile(r"(?:[A-Z][a-z]+(?:['’-][A-Za-z][a-z]*)*|[A-Z]\.)")
_PARTICLES = frozenset({"al", "bin", "da", "de", "del", "der", "di", "el", "la", "van", "von"})
# Capitalised words that make a two-to-four-word name an institution, not a person.
_ORG_WORDS = frozenset(
    {
        "administration",
        "affairs",
        "agency",
        "army",
        "bureau",
        "cabinet",
        "committee",
        "company",
        "consulate",
        "corporation",
        "council",
        "department",
        "embassy",
        "foreign",
        "government",
        "group",
        "inc",
        "kremlin",
        "media",
        "military",
        "ministry",
        "mission",
        "national",
        "news",
        "office",
        "parliament",
        "presidency",
        "press",
        "radio",
        "republic",
        "service",
        "state",
        "television",
        "the",
        "times",
        "tv",
    }
)


def looks_like_person(name: str) -> bool:
    """Guess for a speaker missing from the gazetteer: 2-4 capitalised words, no office words."""
    tokens = name.split()
    if not 2 <= len(tokens) <= 4:
        return False
    for token in tokens:
        if token.lower() in _ORG_WORDS:
            return False
        if token.lower() not in _PARTICLES and not _NAME_TOKEN.fullmatch(token):
            return False
    return True


def _evidence_key(ev: Evidence) -> tuple[str, int, int, str]:
    """Mentions are deduplicated on (article, start, end, rule)."""
    return (ev.article_id, ev.start, ev.end, ev.rule)


def _mention_iri(key: tuple[str, int, int, str]) -> URIRef:
    return iri_for("mention", "|".join(map(str, key)))


def _evidence_order(ev: Evidence) -> tuple[object, ...]:
    return (*_evidence_key(ev), ev.sentence, ev.file, ev.confidence)


# The terms the builder writes, looked up once (a ClosedNamespace lookup costs microseconds,
# and the same object every time lets the triple set compare by identity).
_A, _LABEL, _SAME_AS = RDF.type, RDFS.label, OWL.sameAs
#: ``kg.rdf.namespace.CIB`` with each term looked up once: ``CIB.Takedown`` reads as everywhere
#: else (and the declared-terms test sees it) but costs a dict lookup, not a validation.
CIB = TermCache(_DECLARED)
_KIND_CLASS = {"platform": CIB.Platform, "state": CIB.State, "org": CIB.Organisation, "person": CIB.Person}
_COUNT_PREDICATE = {name: _DECLARED[_camel(name)] for name in COUNT_FIELDS}
_WAS_DERIVED_FROM, _REPORTED_IN = PROV.wasDerivedFrom, CIB.reportedIn


class _Builder:
    """Accumulates triples; every choice between candidates is order-independent (min/union).

    Triples go into a plain set, not an rdflib ``Graph``: the store's indexes cost more than
    everything else the graph stage does, and the Turtle writer only needs to iterate. Nodes
    whose triples depend only on their name (entities, articles' IRIs, mentions' IRIs) are
    made once per build and reused.
    """

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.triples: set[Triple] = set()
        self.add3 = self.triples.add  # called tens of thousands of times
        by_name: dict[str, Entity] = {}
        for entity in sorted(corpus.entities, key=repr):
            by_name.setdefault(entity.name, entity)
        self.entities = by_name
        # evidence key -> (min duplicate, its mention IRI)
        self.mentions: dict[tuple[str, int, int, str], tuple[Evidence, URIRef]] = {}
        self.article_files: dict[str, set[str]] = defaultdict(set)
        # takedown key -> (platform name, {state name: claim IRI})
        self.claims: dict[str, tuple[str, dict[str, URIRef]]] = {}
        self.made: dict[tuple[str, str, str | None], URIRef | None] = {}  # entity() results
        self.articles: dict[str, URIRef] = {}
        self.texts: dict[str, Literal] = {}  # rules, sentences, names repeat
        # article id -> its publication date (the earliest, should an id be listed twice); for
        # an article with no date line, the latest full date its text mentions (it was written
        # on or after it: ``ArticleMeta.estimated``), the earliest it can have been published
        self.published: dict[str, date] = {}
        for a in corpus.articles:
            when = a.published or getattr(a, "estimated", None)  # (an Article has no estimate)
            if when is not None and (a.id not in self.published or when < self.published[a.id]):
                self.published[a.id] = when

    # -- helpers ------------------------------------------------------------------------

    def add(self, s: URIRef, p: URIRef, o: Node) -> None:
        self.add3((s, p, o))

    def text(self, value: str) -> Literal:
        """:func:`text_literal`, once per distinct string of the build."""
        lit = self.texts.get(value)
        if lit is None:
            lit = self.texts[value] = text_literal(value)
        return lit

    def article(self, article_id: str) -> URIRef:
        iri = self.articles.get(article_id)
        if iri is None:
            iri = self.articles[article_id] = iri_for("article", article_id)
        return iri

    def entity(self, slot: str, name: str, acts_for: str | None = None) -> URIRef | None:
        """Node for a name in a slot (platform, state, actor, speaker), minted if unknown.

        Its triples depend only on the arguments, so they are added on the first call only."""
        made_key = (slot, name, acts_for)
        if made_key in self.made:
            return self.made[made_key]
        iri = self.made[made_key] = self._entity(slot, name, acts_for)
        return iri

    def _entity(self, slot: str, name: str, acts_for: str | None) -> URIRef | None:
        ent = self.entities.get(name)
        etype = ent.type if ent else None
        if slot in ("platform", "state"):
            kind = slot
        elif slot == "actor":
            # cib:actor ranges over Organisation; a state or platform named as the actor is
            # already the attributedTo/removed triple, and a person is outside the range.
            if etype not in (None, "organisation", "organization", "org"):
                return None
            kind = "org"
        elif etype == "person" or (etype is None and looks_like_person(name)):
            kind = "person"
        else:
            kind = "org"
        iri = iri_for(kind, name)
        self.add(iri, _A, _KIND_CLASS[kind])
        self.add(iri, _LABEL, self.text(name))
        if ent is not None and (same := wikidata_iri(ent.wikidata)) is not None:
            self.add(iri, _SAME_AS, same)
        if kind in ("org", "person"):
            if ent is not None and ent.role:
                self.add(iri, CIB.role, self.text(ent.role))
            state = ent.state if ent is not None and ent.state else (acts_for if ent is None else None)
            if state and state != name:
                self.add(iri, CIB.actsFor, self.state(state))
        return iri

    def state(self, name: str) -> URIRef:
        iri = self.entity("state", name)
        assert iri is not None
        return iri

    def platform(self, name: str) -> URIRef:
        iri = self.entity("platform", name)
        assert iri is not None
        return iri

    def mention(self, ev: Evidence) -> URIRef:
        """Register evidence; its node is written once, in :meth:`finish`, from the min duplicate."""
        key = (ev.article_id, ev.start, ev.end, ev.rule)
        current = self.mentions.get(key)
        if current is None:
            iri = _mention_iri(key)
            self.mentions[key] = (ev, iri)
        else:
            iri = current[1]
            if ev is not current[0] and _evidence_order(ev) < _evidence_order(current[0]):
                self.mentions[key] = (ev, iri)
        self.article_files[ev.article_id].add(ev.file)
        return iri

    def first_reported(self, node: URIRef, article_ids: Iterable[str]) -> None:
        """``cib:firstReported``: the earliest publication date of the articles whose records were
        merged into the event (kept apart from ``cib:date``, the date the text gives the event);
        an article with no date line counts by the latest full date its text mentions."""
        dates = [d for a in article_ids if (d := self.published.get(a)) is not None]
        if dates:
            self.add(node, CIB.firstReported, date_literal(min(dates)))

    def provenance(self, node: URIRef, evidence: Iterable[Evidence]) -> None:
        """``prov:wasDerivedFrom`` each mention and ``cib:reportedIn`` each article."""
        add3, mention, article = self.add3, self.mention, self.article
        for ev in evidence:
            add3((node, _WAS_DERIVED_FROM, mention(ev)))
            add3((node, _REPORTED_IN, article(ev.article_id)))

    # -- records ------------------------------------------------------------------------

    def takedown(self, event: TakedownEvent) -> None:
        takedown = iri_for("takedown", event.key)
        network = iri_for("network", event.key)
        platform = self.platform(event.platform)
        add = self.add
        when = f" ({event.date.isoformat()})" if event.date else ""
        add(takedown, _A, CIB.Takedown)
        add(takedown, _LABEL, text_literal(f"{event.platform} takedown of {event.network}{when}"))
        add(takedown, CIB.platform, platform)
        add(takedown, CIB.network, network)
        add(platform, CIB.removed, network)
        add(network, _A, CIB.Network)
        add(network, _LABEL, self.text(event.network))
        for field_name, value in event.counts.items():
            if not isinstance(value, bool):
                add(takedown, _COUNT_PREDICATE[field_name], integer_literal(value))
        add(takedown, CIB.eventId, self.text(event.key))  # events.jsonl's "event": the join key
        if event.date is not None:
            add(takedown, CIB.date, date_literal(event.date))
        self.first_reported(takedown, (s.evidence.article_id for s in event.sources))
        for key in event.merged_on:  # why its sources were merged
            add(takedown, CIB.mergedOn, self.text(key))
        if len(event.sources) > 1:  # the figures each source gave
            for source in event.sources:
                if given := source.counts.items():
                    figures = ", ".join(f"{k}={v}" for k, v in given)
                    add(takedown, CIB.reportedFigures, text_literal(f"{source.evidence.file}: {figures}"))

        attributions: list[Attribution] = list(event.attributions)
        actors = set(event.actors)
        for source in event.sources:
            attributions.extend(source.attributions)
            actors.update(source.actors)
            self.provenance(takedown, (source.evidence, *source.support))
        actors.update(a.actor for a in attributions if a.actor)
        self.provenance(takedown, (a.evidence for a in attributions))
        for actor in sorted(actors):
            if (org := self.entity("actor", actor)) is not None:
                add(network, CIB.actor, org)

        claims: dict[str, URIRef] = {}
        for state_name in sorted({a.state for a in attributions}):
            state = self.state(state_name)
            add(network, CIB.attributedTo, state)
            claim = iri_for("claim", f"takedown|{event.key}|{state_name}")
            claims[state_name] = claim
            add(claim, _A, CIB.Claim)
            label = f"{event.platform} attribution of {event.network} to {state_name}"
            add(claim, _LABEL, text_literal(label))
            add(claim, CIB.claimant, platform)
            add(claim, CIB.claimAbout, network)
            add(claim, CIB.claimedState, state)
            mine = [a for a in attributions if a.state == state_name]
            for wording in sorted({a.wording for a in mine if a.wording}):
                add(claim, CIB.wording, self.text(wording))
            self.provenance(claim, (a.evidence for a in mine))
        self.claims[event.key] = (event.platform, claims)

    def generic_claim(self, platform_name: str | None, state_name: str) -> URIRef:
        """A claim known only from a denial ("Facebook's claims"): no network, so no claimAbout.

        With no platform the text names no accuser ("the allegations are untrue"): the
        denial still denies something, an accusation against the state by someone unnamed.
        """
        if platform_name is None:
            claim = iri_for("claim", f"unnamed|{state_name}")
            label = f"accusation against {state_name}, accuser unnamed"
        else:
            claim = iri_for("claim", f"platform|{platform_name}|{state_name}")
            label = f"{platform_name} attribution to {state_name}"
            self.add(claim, CIB.claimant, self.platform(platform_name))
        self.add(claim, _A, CIB.Claim)
        self.add(claim, _LABEL, self.text(label))
        self.add(claim, CIB.claimedState, self.state(state_name))
        return claim

    def denial(self, event: DenialEvent) -> None:
        denial = iri_for("denial", event.key)
        state = self.state(event.state)
        add = self.add
        by = f" by {event.speaker}" if event.speaker else ""
        when = f" ({event.date.isoformat()})" if event.date else ""
        add(denial, _A, CIB.Denial)
        add(denial, _LABEL, text_literal(f"{event.state} denial{by}{when}"))
        add(denial, CIB.deniedBy, state)
        if event.speaker and (speaker := self.entity("speaker", event.speaker, event.state)):
            add(denial, CIB.speaker, speaker)
        if event.quote:
            add(denial, CIB.quote, self.text(event.quote))
        add(denial, CIB.eventId, self.text(event.key))  # events.jsonl's "event": the join key
        if event.date is not None:
            add(denial, CIB.date, date_literal(event.date))
        self.first_reported(denial, (s.evidence.article_id for s in event.sources))
        evidence = [ev for source in event.sources for ev in (source.evidence, *source.support)]
        self.provenance(denial, evidence)

        claims: set[URIRef] = set()
        covered: set[str] = set()
        minted: set[URIRef] = set()
        for key in event.claim_keys:
            if key not in self.claims:
                continue  # an unknown takedown key: fall back on denies_claim_of below
            platform_name, by_state = self.claims[key]
            claim = by_state.get(event.state)
            if claim is None:
                claim = self.generic_claim(platform_name, event.state)
                minted.add(claim)
            claims.add(claim)
            covered.add(platform_name)
        for platform_name in event.denies_claim_of:
            if platform_name not in covered:
                claim = self.generic_claim(platform_name, event.state)
                minted.add(claim)
                claims.add(claim)
        if not claims:
            claim = self.generic_claim(None, event.state)
            minted.add(claim)
            claims.add(claim)
        for claim in minted:
            # What we know of a denial-only claim is what the denial's articles say of it.
            self.provenance(claim, evidence)
        for claim in claims:
            add(state, CIB.denied, claim)
            add(denial, CIB.deniesClaim, claim)

    def finish(self) -> set[Triple]:
        """Write mentions and articles, whose content is chosen only once all records are in."""
        add3, text, article = self.add3, self.text, self.article
        mention_class, in_article, sentence, start_offset, end_offset, rule, confidence = (
            CIB.Mention, CIB.inArticle, CIB.sentence, CIB.startOffset, CIB.endOffset, CIB.rule,
            CIB.confidence,
        )
        for ev, node in self.mentions.values():
            add3((node, _A, mention_class))
            add3((node, _LABEL, text_literal(f"{ev.file} {ev.start}-{ev.end} ({ev.rule})")))
            add3((node, in_article, article(ev.article_id)))
            add3((node, sentence, text(ev.sentence)))
            add3((node, start_offset, integer_literal(ev.start)))
            add3((node, end_offset, integer_literal(ev.end)))
            add3((node, rule, text(ev.rule)))
            if (conf := confidence_literal(ev.confidence)) is not None:
                add3((node, confidence, conf))

        chosen = {}
        for a in sorted(self.corpus.articles, key=lambda a: (a.id, a.file, a.title, a.path)):
            chosen.setdefault(a.id, a)
        for article_id, a in chosen.items():
            node = article(article_id)
            add3((node, _A, CIB.Article))
            add3((node, _LABEL, text(a.title or a.file or a.id)))
            if a.title:
                add3((node, SCHEMA.headline, text(a.title)))
            if a.published is not None:
                add3((node, SCHEMA.datePublished, date_literal(a.published)))
            add3((node, CIB.articleId, text(a.id)))
            add3((node, CIB.sourceFile, text(a.file)))
        for article_id, files in self.article_files.items():
            if article_id in chosen:
                continue  # evidence from an article the corpus no longer lists: minimal node
            node = article(article_id)
            source = min(files)
            add3((node, _A, CIB.Article))
            add3((node, _LABEL, text(source or article_id)))
            add3((node, CIB.articleId, text(article_id)))
            if source:
                add3((node, CIB.sourceFile, text(source)))
        return self.triples


def build_triples(corpus: Corpus) -> set[Triple]:
    """The corpus as a set of triples following ontology/VOCABULARY.md (no blank nodes)."""
    with paused_gc():  # tens of thousands of acyclic tuples and terms (kg.util.gc_pause)
        builder = _Builder(corpus)
        for event in corpus.takedowns:
            builder.takedown(event)
        for denial in corpus.denials:  # after takedowns: denials link to their claims
            builder.denial(denial)
        return builder.finish()


_ENTITY_CLASSES = frozenset(_KIND_CLASS.values())


def entity_count(triples: Iterable[Triple]) -> int:
    """The graph's entities: nodes typed Platform, State, Organisation or Person. The build's
    summary and the explorer's header both count these (the resolve stage's entity list leaves
    out the speakers and actors the graph mints for names it does not know)."""
    return len({s for s, p, o in triples if p == _A and o in _ENTITY_CLASSES})


def to_graph(triples: Iterable[Triple]) -> Graph:
    """An rdflib graph of ``triples``, with the ontology's prefixes bound."""
    graph = Graph(bind_namespaces="none")
    for prefix, iri in PREFIXES:
        graph.bind(prefix, iri)
    store = graph.store
    for triple in triples:
        store.add(triple, graph, quoted=False)
    return graph


def build_graph(corpus: Corpus) -> Graph:
    """The corpus as an rdflib graph following ontology/VOCABULARY.md (no blank nodes)."""
    return to_graph(build_triples(corpus))


def load_graph(path: str | os.PathLike[str]) -> Graph:
    """Parse an RDF file (format from its suffix, Turtle by default); GraphError names the file."""
    from rdflib.util import guess_format

    from kg.rdf.safe_terms import load_warnings, quiet_rdflib

    source = Path(path)
    graph = Graph()
    try:
        with quiet_rdflib() as complaints:  # ill-typed literals: a line each below, no traceback
            graph.parse(source, format=guess_format(str(source)) or "turtle")
    except OSError as exc:
        raise GraphError(f"{source}: cannot read graph: {exc.strerror or exc}") from exc
    except Exception as exc:  # rdflib's parsers raise many unrelated types on bad input
        from kg.rdf.syntax_errors import describe_rdf  # FILE:LINE:COL: problem, in plain words

        raise GraphError(describe_rdf(source, guess_format(str(source)), exc)) from None
    if complaints.count:
        import logging

        for line in load_warnings(graph, source):
            logging.getLogger("kg.rdf.graph").warning("warning: %s", line)
    return graph
