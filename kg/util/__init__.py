"""Util: helpers that know nothing of articles, facts or graphs.

``atomic`` writes a file whole or not at all (and hashes files), ``gc_pause`` pauses the cycle
collector around passes that build many acyclic records, ``dates`` reads and resolves calendar
dates ("on Tuesday" against an article's date line), ``fingerprint`` hashes kg's own sources so
that caches and kept pages know when the code changed.

Takes and gives plain Python values. May import: ``kg.errors`` only.
"""
