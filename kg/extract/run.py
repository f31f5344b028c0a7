"""Run extraction: articles -> facts (takedowns, denials), with evidence for each.

The spaCy pipeline parses each kept paragraph; the rules in ``takedowns`` and ``denials``
read the parse. ``extract_articles`` streams: it never holds more than one batch of Docs.

What is parsed is a configuration (``PARSE_MODES``; ``kg build --parse``, or ``KG_PARSE``):

* ``full``: every paragraph goes through the whole pipeline;
* ``filtered``: only paragraphs the pre-pass keeps (``kg.extract.prefilter``: any
  gazetteer name or trigger word of the data files); the others are only tokenized and split
  into sentences by punctuation, so they still count in the rules' sentence windows but
  carry no tags, parse or entities (no rule can make a fact of them). Same facts, less parse.
* ``gated`` (default): ``filtered``, after an article-level gate (``kg.extract.gate``): an
  article whose text has no platform name and no state-side name with a stance and a topic
  word, or whose sentences do not hold them where the rules read them, cannot hold a takedown
  or a denial; it is neither parsed nor tokenized, its record has no facts, and it is counted
  (``counts["gated"]``). Same facts, on news that reports nothing a fraction of the time.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TypeVar

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from kg.extract.context import ArticleContext, sentences_of
from kg.extract.denials import extract_denials
from kg.extract.gate import load_gate
from kg.extract.model import DEFAULT_PARSE, PARSE_ENV, PARSE_MODES, parse_mode
from kg.extract.prefilter import load_prefilter
from kg.extract.takedowns import extract_takedowns
from kg.ingest.text import PART_CHARS, split_long_text
from kg.records import Article, ArticleFacts

__all__ = ["DEFAULT_PARSE", "PARSE_ENV", "PARSE_MODES", "extract_article", "extract_articles", "parse_mode"]

T = TypeVar("T")
_END = object()
_GATED = (-1, -1)  # where an article the gate skipped would be: it has no parsed paragraph
@lru_cache(maxsize=1)
def _sentencizer() -> Sentencizer:
    return Sentencizer()


def _unparsed(nlp: Language, text: str) -> Doc:
    """A paragraph no rule reads: tokens and punctuation sentences only (cheap)."""
    return _sentencizer()(nlp.make_doc(text))


def _facts(article: Article, docs: list) -> ArticleFacts:
    ctx = ArticleContext(article=article, sentences=list(sentences_of(docs)))
    takedowns, _ = extract_takedowns(ctx)
    denials = extract_denials(ctx, takedowns)
    return ArticleFacts(article=article.meta, takedowns=tuple(takedowns), denials=tuple(denials))


def _from_ner(nlp: Language) -> tuple[str, ...]:
    """The pipeline's components from NER on (NER, the gazetteer ruler, the repair), which the
    gated mode runs only where a fact is still possible; none if the model has no NER."""
    names = nlp.pipe_names
    return tuple(names[names.index("ner") :]) if "ner" in names else ()


def _finish(nlp: Language, names: tuple[str, ...], docs: list[Doc]) -> dict[int, Doc]:
    """Run the components ``names`` (the pipeline's last ones, in its order) on ``docs``, which
    went through the ones before: the same Docs as one ``nlp.pipe`` would give (each component
    reads only its own Doc, so how Docs are batched changes nothing). ``id`` of each Doc given
    -> the Doc the last component returned (the same object for spaCy's components)."""
    out = list(docs)
    for name in names:
        proc = nlp.get_pipe(name)
        out = list(proc.pipe(out)) if hasattr(proc, "pipe") else [proc(doc) for doc in out]
    return {id(doc): new for doc, new in zip(docs, out, strict=True)}


def extract_article(article: Article, nlp: Language, parse: str | None = None) -> ArticleFacts:
    """The facts of one article (``extract_articles`` for many: it batches the parsing)."""
    return next(extract_articles([article], nlp, parse=parse))


def _timed(items: Iterator[T], timings: dict[str, float], key: str) -> Iterator[T]:
    """``items``, adding the time spent producing each to ``timings[key]``."""
    while True:
        t0 = time.perf_counter()
        item = next(items, _END)
        timings[key] = timings.get(key, 0.0) + time.perf_counter() - t0
        if item is _END:
            return
        yield item  # type: ignore[misc]


def extract_articles(
    articles: Iterable[Article],
    nlp: Language,
    batch_size: int = 64,
    parse: str | None = None,
    timings: dict[str, float] | None = None,
    counts: dict[str, int] | None = None,
) -> Iterator[ArticleFacts]:
    """Facts of each article, in input order; paragraphs of many articles go through one pipe.

    ``parse`` is one of ``PARSE_MODES`` (default: ``parse_mode()``). ``timings``, if given,
    gets the seconds spent in the pre-pass, the pipeline (parse) and the rules (the benchmark's
    breakdown; ``parse`` includes reading ``articles``, which the pipe pulls). ``counts``, if
    given, gets ``"gated"``: the articles the gate kept from the pipeline.
    """
    mode = parse_mode(parse)
    kept_of = load_prefilter(nlp).kept if mode in ("filtered", "gated") else None
    the_gate = load_gate(nlp) if mode == "gated" else None
    gate = the_gate.may_hold_fact if the_gate is not None else None
    # gated: NER and what follows it run only on articles the parsed test keeps (_finish)
    later = _from_ner(nlp) if the_gate is not None else ()
    if kept_of is not None and timings is not None:
        test = kept_of

        def kept_of(texts: Sequence[str]) -> list[bool]:
            t0 = time.perf_counter()
            kept = test(texts)
            timings["prefilter"] = timings.get("prefilter", 0.0) + time.perf_counter() - t0
            return kept

    # A paragraph longer than the parser takes (spaCy's max_length, and parts of at most
    # PART_CHARS to bound the parser's memory) is parsed in parts cut at sentence-ish
    # boundaries; each part keeps its offset, so facts point into the whole text.
    limit = min(nlp.max_length, PART_CHARS)

    def paragraphs() -> Iterator[tuple[str, tuple[Article, tuple[int, int] | None]]]:
        for article in articles:
            texts = [p.text for p in article.paragraphs]
            if gate is not None and not gate(texts):  # one empty item: out in its turn, unparsed
                yield "", (article, _GATED)
                continue
            flags = kept_of(texts) if kept_of is not None else [True] * len(texts)
            kept = [i for i, keep in enumerate(flags) if keep]
            if not kept:  # still one item, so the article comes out in its turn
                yield "", (article, None)
            for i in kept:
                p = article.paragraphs[i]
                for offset, part in split_long_text(p.text, limit):
                    yield part, (article, (i, p.start + offset))

    def facts_of(article: Article, parsed: dict[int, list[tuple[int, Doc]]]) -> ArticleFacts:
        docs: list[tuple[int, Doc]] = []
        for i, p in enumerate(article.paragraphs):
            if i in parsed:
                docs.extend(parsed[i])
            else:
                parts = split_long_text(p.text, limit)
                docs.extend((p.start + offset, _unparsed(nlp, part)) for offset, part in parts)
        if later:
            assert the_gate is not None
            texts = [p.text for p in article.paragraphs]
            if not the_gate.names_platform(texts) and not the_gate.may_hold_fact_parsed(
                [s for _, doc in docs for s in doc.sents]
            ):
                return ArticleFacts(article=article.meta, takedowns=(), denials=())
            done = _finish(nlp, later, [doc for part in parsed.values() for _, doc in part])
            docs = [(start, done.get(id(doc), doc)) for start, doc in docs]
        return _facts(article, docs)

    if timings is not None:
        untimed = facts_of

        def facts_of(article: Article, parsed: dict[int, list[tuple[int, Doc]]]) -> ArticleFacts:
            t0 = time.perf_counter()
            facts = untimed(article, parsed)
            timings["rules"] = timings.get("rules", 0.0) + time.perf_counter() - t0
            return facts

    current: Article | None = None
    parsed: dict[int, list[tuple[int, Doc]]] = {}
    docs = nlp.pipe(paragraphs(), as_tuples=True, batch_size=batch_size, disable=list(later))
    if timings is not None:
        docs = _timed(iter(docs), timings, "parse")
    for doc, (article, where) in docs:
        if current is not None and article is not current:
            yield facts_of(current, parsed)
            parsed = {}
        if where is _GATED:
            if counts is not None:
                counts["gated"] = counts.get("gated", 0) + 1
            current = None
            yield ArticleFacts(article=article.meta, takedowns=(), denials=())
            continue
        current = article
        if where is not None:
            i, start = where
            parsed.setdefault(i, []).append((start, doc))
    if current is not None:
        yield facts_of(current, parsed)
