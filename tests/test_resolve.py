"""Cross-article merging: one event per real-world takedown, whatever the article order."""

from __future__ import annotations

from datetime import date

from kg.records import Article, ArticleFacts, Attribution, Counts, Evidence, Takedown
from kg.resolve import resolve


def article(aid: str) -> Article:
    return Article(
        id=aid, file=f"{aid}.txt", path=f"{aid}.txt", title=aid, published=None, text="x", paragraphs=()
    )


def takedown(
    aid: str,
    platform: str,
    counts: Counts,
    states: tuple[str, ...] = (),
    when: date | None = None,
    start: int = 0,
) -> Takedown:
    ev = Evidence(aid, f"{aid}.txt", "s", start, start + 1, "rule", 0.9)
    return Takedown(
        platform, "net", counts, when, tuple(Attribution(s, "linked to", None, ev) for s in states), (), ev
    )


def facts(aid: str, *tds: Takedown) -> ArticleFacts:
    return ArticleFacts(article(aid), tds, ())


def test_same_counts_and_platform_merge_across_articles() -> None:
    a = facts("a", takedown("a", "Twitter", Counts(accounts=936), ("China",)))
    b = facts("b", takedown("b", "Twitter", Counts(accounts=936), ("China",)))
    corpus = resolve([a, b])
    (event,) = corpus.takedowns
    assert [s.evidence.article_id for s in event.sources] == ["a", "b"]
    assert resolve([b, a]) == corpus


def test_conflicts_keep_events_apart() -> None:
    a = facts("a", takedown("a", "Twitter", Counts(accounts=936), ("China",), date(2019, 8, 19)))
    b = facts("b", takedown("b", "Twitter", Counts(accounts=936), ("China",), date(2020, 1, 1)))
    c = facts("c", takedown("c", "Twitter", Counts(accounts=936), ("Iran",)))
    d = facts("d", takedown("d", "Facebook", Counts(accounts=936), ("China",)))
    assert len(resolve([a, b, c, d]).takedowns) == 4


def test_countless_takedowns_never_merge() -> None:
    a = facts("a", takedown("a", "Twitter", Counts(), ("Russia",)))
    b = facts("b", takedown("b", "Twitter", Counts(), ("Russia",)))
    assert len(resolve([a, b]).takedowns) == 2


def test_missing_state_or_date_is_compatible() -> None:
    a = facts("a", takedown("a", "Facebook", Counts(accounts=5, pages=7), ("China",), date(2019, 8, 19)))
    b = facts("b", takedown("b", "Facebook", Counts(accounts=5, pages=7)))
    (event,) = resolve([a, b]).takedowns
    assert event.attributed_to == ("China",) and event.date == date(2019, 8, 19)


def test_entities_cover_every_name() -> None:
    corpus = resolve([facts("a", takedown("a", "Facebook", Counts(pages=3), ("Iran",)))])
    names = {e.name: e for e in corpus.entities}
    assert names["Facebook"].type == "platform" and names["Facebook"].wikidata == "Q355"
    assert names["Iran"].type == "state" and names["Iran"].wikidata == "Q794"
