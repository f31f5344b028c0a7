"""Explorer: the graph as an interactive HTML page (``graph.html``), made with pyvis.

``index`` indexes a graph's triples for the view, ``view`` reads the graph into drawable nodes,
edges and records (``cards`` makes each node's card, ``evidence`` chooses and marks the
sentence that states each fact), ``page`` lays the view out and renders the page with pyvis and
``explorer.js``/``explorer.css`` inlined (it opens offline; the script also draws each state's
and platform's own view, its tables and their CSV export), ``reuse`` keeps a page, its layout
and its evidence between builds when nothing they depend on changed.

The only package that imports pyvis. Card text is article text: the page escapes it.
Takes: a graph (rdflib, or a Turtle file). Gives: ``graph.html`` and the view records.
May import: ``kg.rdf``, ``kg.lexicon``, ``kg.util``, ``kg.ingest.encodings`` (reads kept state
without following links), ``kg.errors``; rdflib, networkx, pyvis.
"""
