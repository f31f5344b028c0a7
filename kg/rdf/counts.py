"""A build's counts in the graph: the articles without facts are counted, not listed.

Only articles with a takedown or a denial are ``cib:Article`` nodes; one ``cib:Corpus`` node
(``cibr:corpus``) says how many articles the build read, with and without facts, how many
were duplicates (``kg.build.counts.COUNTS``). How many the article gate passed over is the
build summary's: it says how a build ran (a cached or ``--parse full`` build gates none), not
what the corpus holds, and the same corpus must give the same graph.
"""

from __future__ import annotations

from rdflib import RDF

from kg.rdf.literals import integer_literal
from kg.rdf.namespace import CIB, iri_for
from kg.rdf.turtle import Triple

__all__ = ["COUNT_PROPERTIES", "count_triples"]

#: A build's counts (``kg.build.counts.COUNTS``) and the property each is written with.
COUNT_PROPERTIES = {
    "articles": CIB.articlesRead,
    "with_facts": CIB.articlesWithFacts,
    "without_facts": CIB.articlesWithoutFacts,
    "duplicates": CIB.duplicateArticles,
}


def count_triples(counts: dict[str, int]) -> set[Triple]:
    """The build's counts as the one ``cib:Corpus`` node (every count of
    :data:`COUNT_PROPERTIES`, 0 when absent; other keys are the summary's)."""
    node = iri_for("corpus", "")
    out: set[Triple] = {(node, RDF.type, CIB.Corpus)}
    for key, prop in COUNT_PROPERTIES.items():
        out.add((node, prop, integer_literal(counts.get(key, 0))))
    return out
