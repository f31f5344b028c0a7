"""Extract: articles -> facts (takedowns, denials), with evidence for each.

The spaCy pipeline parses each kept paragraph; the rules in ``takedowns`` and ``denials``
read the parse. ``extract_articles`` streams: it never holds more than one batch of Docs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language

from kg.extract.context import ArticleContext, sentences_of
from kg.extract.denials import extract_denials
from kg.extract.takedowns import extract_takedowns
from kg.ingest.text import PART_CHARS, split_long_text
from kg.records import Article, ArticleFacts

__all__ = ["extract_article", "extract_articles"]


def _facts(article: Article, docs: list) -> ArticleFacts:
    ctx = ArticleContext(article=article, sentences=list(sentences_of(docs)))
    takedowns, _ = extract_takedowns(ctx)
    denials = extract_denials(ctx, takedowns)
    return ArticleFacts(article=article.meta, takedowns=tuple(takedowns), denials=tuple(denials))


def extract_article(article: Article, nlp: Language) -> ArticleFacts:
    """The facts of one article (``extract_articles`` for many: it batches the parsing)."""
    return next(extract_articles([article], nlp))


def extract_articles(
    articles: Iterable[Article], nlp: Language, batch_size: int = 64
) -> Iterator[ArticleFacts]:
    """Facts of each article, in input order; paragraphs of many articles go through one pipe."""

    # A paragraph longer than the parser takes (spaCy's max_length, and parts of at most
    # PART_CHARS to bound the parser's memory) is parsed in parts cut at sentence-ish
    # boundaries; each part keeps its offset, so facts point into the whole text.
    limit = min(nlp.max_length, PART_CHARS)

    def paragraphs() -> Iterator[tuple[str, tuple[Article, int | None]]]:
        for article in articles:
            if not article.paragraphs:
                yield "", (article, None)
            for p in article.paragraphs:
                for offset, part in split_long_text(p.text, limit):
                    yield part, (article, p.start + offset)

    current: Article | None = None
    docs: list = []
    for doc, (article, start) in nlp.pipe(paragraphs(), as_tuples=True, batch_size=batch_size):
        if current is not None and article is not current:
            yield _facts(current, docs)
            docs = []
        current = article
        if start is not None:
            docs.append((start, doc))
    if current is not None:
        yield _facts(current, docs)
