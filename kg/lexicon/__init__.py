"""Lexicon: the data files under ``kg/data/`` as typed lookups (the gazetteer and word lists).

Everything the builder knows about names and wording lives in data files, so a new platform,
spokesperson, alias or denial idiom is a row in a JSONL/TSV file, not code. ``gazetteer`` loads
platforms, states (demonyms, capitals, Wikidata ids), organisations, people and the trigger
lexicon; ``denial`` the denial, speaker and accusation word lists.

It is its own package, below extraction, because ingest (boilerplate rules), resolve (aliases
to canonical names) and the explorer (evidence marks) read the same files, and none of them may
import spaCy: nothing here does.

Takes: file names under ``kg/data``. Gives: ``Lexicon``, ``Alias``, word sets and rows.
May import: ``kg.records``, ``kg.util``, ``kg.errors``.
"""
