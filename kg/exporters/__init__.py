"""Exporters: the graph and the facts in the formats other tools read.

``events`` writes (and reads) events JSONL, the format of the gold annotations, one record per
article; ``formats`` writes N-Triples, JSON-LD, TriG (one named graph per article) and GraphML
(with the explorer's layout); ``cypher`` a Cypher script for Neo4j. A new format is one writer
function (or module) here plus its line in ``formats``' registry.

Takes: a graph (rdflib) or the articles' facts. Gives: files in other syntaxes.
May import: ``kg.explorer`` (GraphML carries the page's layout), ``kg.rdf``, ``kg.resolve``,
``kg.records``, ``kg.util``, ``kg.errors``; rdflib, networkx.
"""
