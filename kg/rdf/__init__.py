"""RDF: the resolved corpus as triples in the cib ontology, written as Turtle, and checked.

``namespace`` gives the ontology's terms (read from ``ontology/cib.ttl``: a term that is not
declared there is an error), ``graph`` turns a ``Corpus`` into triples and loads graph files,
``dating`` picks the date that places an event in time (reported, first report, text, undated),
``turtle`` writes sorted, byte-stable Turtle, ``validate`` runs the SHACL shapes,
``safe_terms`` keeps untrusted text out of IRIs and literals, ``syntax_errors`` says where a
Turtle or SPARQL text is wrong in plain words. ``ontology/`` is the OWL ontology and shapes as
package data.

This is the only stage that builds an rdflib graph from facts.
Takes: ``kg.records.Corpus``. Gives: triples, ``graph.ttl``, rdflib graphs.
May import: ``kg.records``, ``kg.lexicon``, ``kg.util``, ``kg.errors``; rdflib, pyshacl, pyoxigraph.
"""
