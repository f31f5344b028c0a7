"""Live graph: watch a corpus folder and keep its outputs (and a served endpoint) up to date.

``kg watch CORPUS --out OUT`` and ``kg serve --watch`` run one long-lived process that holds
the spaCy model. ``watcher`` says when files were added, changed or removed (``watchfiles``
where it is installed, else polling) and waits until a file being written is stable;
``state`` keeps what each file gave (its articles' facts, by the file's stat signature), so an
update parses only the files that changed, and re-runs the graph pass into kept per-subject
Turtle blocks (:class:`kg.rdf.turtle.TurtleParts`) and per-article event lines, which gives
the same bytes as a cold ``kg build`` of the same corpus; ``loop`` locks OUT as ``kg build``
does, publishes each update as one output set and hands the triple diff to ``apply``;
``serve`` starts the endpoint and the page server (``kg.stores.serve``) on the first set and
makes ``apply`` the store's one-transaction SPARQL Update.

Takes: a corpus folder and an output folder. Gives: the build's outputs, kept current.
May import: every ``kg`` package except ``kg.cli``; watchfiles (optional).
"""
