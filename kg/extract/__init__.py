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

    def paragraphs() -> Iterator[tuple[str, tuple[Article, int]]]:
        for article in articles:
            if not article.paragraphs:
                yield "", (article, -1)
            for i, p in enumerate(article.paragraphs):
                yield p.text, (article, i)

    current: Article | None = None
    docs: list = []
    for doc, (article, i) in nlp.pipe(paragraphs(), as_tuples=True, batch_size=batch_size):
        if current is not None and article is not current:
            yield _facts(current, docs)
            docs = []
        current = article
        if i >= 0:
            docs.append((article.paragraphs[i].start, doc))
    if current is not None:
        yield _facts(current, docs)
