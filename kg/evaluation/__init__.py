"""Evaluation: how well a build's facts match hand annotations (what ``kg eval`` prints).

``scores`` pairs predicted and gold records per article and platform and gives precision,
recall and F1 per fact type with the missed and spurious facts; ``merge`` scores the
cross-article merge by pairs of articles that report one takedown.

Takes: gold and predicted events JSONL (or a corpus to extract). Gives: scores and misses.
May import: ``kg.exporters.events``, ``kg.resolve``, ``kg.records``, ``kg.errors``.
"""
