"""Query: SPARQL over a built graph, the library of named questions, and graph statistics.

``engine`` runs a query (SPARQL text, a ``.rq`` file or a named question from ``named/``) with
Oxigraph or rdflib and formats the rows; ``files`` loads a graph file straight into Oxigraph;
``guard`` refuses queries that would reach outside the machine and bounds their time;
``stats`` counts classes and predicates, centralities and components, and draws charts.
A new named question is one ``.rq`` file in ``named/`` (its first comment line is its help).

Takes: a graph file and a query. Gives: result rows, counts.
May import: ``kg.rdf``, ``kg.util``, ``kg.errors``; rdflib, pyoxigraph, networkx.
"""
