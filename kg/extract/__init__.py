"""Extract: articles -> facts (takedowns, denials), each with its evidence.

One spaCy pipeline (``model``: the trained English model, its attribute rules by lookup in
``attribute_rules``, and a span ruler fed from the gazetteer) parses the paragraphs that the
pre-pass (``prefilter``) keeps; ``run`` streams articles through it. The rules read the parse:

* ``takedowns``: removals (``mentions``, with their triggers and agents in ``agents``, objects in
  ``objects``, counts in ``counts`` with number words in ``numbers``, the platform a company's
  removals are on in ``services``, dates in ``when``), their attributions (``attribution``) and
  the networks they make (``networks``); ``context`` is the article and sentence view they share;
* ``denials``: accusations, speakers and stance, each a module.

Word lists and names come from ``kg.lexicon`` (data files), never from Python literals here.

This package's own import is light: ``kg.extract.model`` (package metadata, parse modes) and the
data-driven modules can be imported without spaCy; the names below load ``run`` (and spaCy)
when first used.
Takes: ``kg.records.Article``. Gives: ``kg.records.ArticleFacts``.
May import: ``kg.ingest.text``, ``kg.lexicon``, ``kg.records``, ``kg.util``, ``kg.errors``; spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["DEFAULT_PARSE", "PARSE_ENV", "PARSE_MODES", "extract_article", "extract_articles", "parse_mode"]

if TYPE_CHECKING:
    from kg.extract.run import (
        DEFAULT_PARSE,
        PARSE_ENV,
        PARSE_MODES,
        extract_article,
        extract_articles,
        parse_mode,
    )


def __getattr__(name: str) -> Any:
    """``from kg.extract import extract_articles`` without importing spaCy at ``import kg.extract``."""
    if name in __all__:
        from kg.extract import run

        return getattr(run, name)
    raise AttributeError(f"module 'kg.extract' has no attribute {name!r}")
