"""Stores: the graph served and pushed to SPARQL stores.

``serve`` runs a local Oxigraph SPARQL endpoint on a build's ``graph.ttl`` with the explorer
beside it, behind ``endpoint``'s read-only front (no writes unless asked, no ``SERVICE``,
a query page that stays on the machine); ``push`` loads a graph into any store over the
SPARQL 1.1 Graph Store Protocol (GraphDB, Virtuoso, Fuseki, Oxigraph), logging in when the
store asks.

Takes: a graph file and an endpoint. Gives: a running endpoint, or the graph in a store.
May import: ``kg.query``, ``kg.rdf``, ``kg.util``, ``kg.errors``.
"""
