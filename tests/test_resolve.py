"""Cross-article merging: one event per real-world takedown, whatever the article order.

Each case is a pair of records written for these tests (two articles unless said otherwise):
merge cases name the keys that must be recorded as agreeing, do-not-merge cases say why not.
"""

from __future__ import annotations

from datetime import date
from itertools import permutations
from typing import Any

import pytest

from kg.records import ArticleFacts, ArticleMeta, Attribution, Counts, Evidence, Takedown
from kg.resolve import event_ids, resolve
from kg.resolve.merge import compare_figures, figures_agree, shown_counts, source_key


def takedown(
    aid: str,
    platform: str = "Twitter",
    counts: dict[str, int] | None = None,
    states: tuple[str, ...] = (),
    when: date | None = None,
    start: int = 0,
    sentence: str = "The company removed the accounts.",
    actors: tuple[str, ...] = (),
    network: str = "net",
) -> Takedown:
    ev = Evidence(aid, f"{aid}.txt", sentence, start, start + len(sentence), "rule", 0.9)
    attributions = tuple(Attribution(s, "linked to", None, ev) for s in states)
    return Takedown(platform, network, Counts(**(counts or {})), when, attributions, actors, ev)


def facts(
    aid: str, *tds: Takedown, published: date | None = None, title: str = "", estimated: date | None = None
) -> ArticleFacts:
    meta = ArticleMeta(aid, f"{aid}.txt", f"{aid}.txt", title or aid, published, estimated)
    return ArticleFacts(meta, tds, ())


def article(aid: str, spec: dict[str, Any]) -> ArticleFacts:
    spec = dict(spec)
    published, title = spec.pop("published", None), spec.pop("title", "")
    estimated = spec.pop("estimated", None)
    return facts(aid, takedown(aid, **spec), published=published, title=title, estimated=estimated)


D = date(2020, 9, 22)

# (case, record of article a, record of article b, keys that must be among the recorded ones)
MERGE = [
    ("exact figures, no dates", {"counts": {"accounts": 936}, "states": ("China",)},
     {"counts": {"accounts": 936}, "states": ("China",)}, {"figures", "states"}),
    ("about 200,000 vs an exact figure", {"counts": {"accounts": 200_000}},
     {"counts": {"accounts": 201_012}}, {"figures"}),
    ("rounded thousands", {"counts": {"accounts": 2_000}, "states": ("Iran",)},
     {"counts": {"accounts": 1_987}, "states": ("Iran",)}, {"figures"}),
    ("a total equals the other's breakdown", {"platform": "Facebook", "counts": {"combined_count": 150}},
     {"platform": "Facebook", "counts": {"accounts": 50, "pages": 70, "groups": 30}}, {"total=breakdown"}),
    ("two small kinds agree", {"counts": {"accounts": 5, "pages": 7}},
     {"counts": {"accounts": 5, "pages": 7}}, {"figures"}),
    ("a small figure inside the window", {"counts": {"pages": 7}, "when": D},
     {"counts": {"pages": 7}, "published": D}, {"small figures", "date"}),
    ("the same figure under another kind", {"counts": {"combined_count": 652}},
     {"counts": {"accounts": 652}}, {"figures"}),
    ("a figure vs none, states and dates agree",
     {"platform": "Facebook", "counts": {"accounts": 57, "pages": 31}, "states": ("Philippines",), "when": D},
     {"platform": "Facebook", "states": ("Philippines",), "published": date(2020, 9, 24)},
     {"states", "date"}),
    ("a relative date vs another article's date (within the window)",
     {"states": ("Uganda",), "when": date(2021, 1, 11), "published": date(2021, 1, 13)},
     {"states": ("Uganda",), "published": date(2021, 1, 16)}, {"states", "date"}),
    ("an operation name vs its state",
     {"sentence": "Meta took down the Spamouflage network.", "published": D},
     {"states": ("China",), "published": D}, {"topic", "date"}),
    ("a figure with hundreds of other kinds vs the vague total of all",
     {"platform": "Facebook", "counts": {"accounts": 7_700}, "states": ("Ruritania",),
      "sentence": "Facebook removed around 7,700 accounts and hundreds of other pages and groups."},
     {"platform": "Facebook", "counts": {"accounts": 9_000}, "states": ("Ruritania",),
      "sentence": "Meta removed approximately 9,000 accounts."}, {"vague figures", "states"}),
    ("one operation named by both",
     {"sentence": "It removed accounts of the Doppelganger campaign.", "when": D},
     {"sentence": "Doppelganger pages were deleted.", "when": date(2020, 9, 25)}, {"operation"}),
    ("one actor named by both, states agree",
     {"actors": ("Ministry of Truth",), "states": ("Uganda",), "when": D},
     {"actors": ("Ministry of Truth",), "states": ("Uganda",), "published": D}, {"actors", "states"}),
    ("a later article looks back at the removal (its own date is only its publication)",
     {"counts": {"accounts": 470}, "states": ("Russia",), "when": date(2017, 9, 6)},
     {"counts": {"accounts": 470}, "states": ("Russia",), "published": date(2018, 4, 5)}, {"figures"}),
    ("two articles published far apart give one exact figure",
     {"counts": {"accounts": 470}, "published": date(2017, 9, 8)},
     {"counts": {"accounts": 470}, "published": date(2018, 4, 5)}, {"figures"}),
    ("an unattributed record whose article is about one state",
     {"states": ("Cuba",), "published": D},
     {"counts": {"accounts": 363}, "title": "Cuba protests the closure of its accounts", "published": D},
     {"topic"}),
    ("an undated reaction placed by the latest date it writes, no figure",
     {"states": ("China",), "estimated": date(2019, 8, 21)},
     {"counts": {"accounts": 936}, "states": ("China",), "published": date(2019, 8, 20)}, {"states", "date"}),
    ("a quarterly report retells an exact figure weeks after the announcement",
     {"counts": {"accounts": 1_907}, "states": ("Ruritania",), "when": date(2021, 5, 4)},
     {"counts": {"accounts": 1_907}, "states": ("Ruritania",), "when": date(2021, 6, 24)}, {"figures"}),
    ("an old date in an undated article never keeps an exact figure apart",
     {"counts": {"accounts": 936}, "estimated": date(2019, 6, 12)},
     {"counts": {"accounts": 936}, "when": date(2019, 8, 19)}, {"figures"}),
    ("a vague figure holds the exact one, states agree",
     {"sentence": "The platform closed nearly 4,000 accounts run from Ruritania.", "states": ("Ruritania",)},
     {"counts": {"accounts": 3_861}, "states": ("Ruritania",), "when": D}, {"vague figures", "states"}),
    ("a vague total holds the other's breakdown",
     {"sentence": "It removed more than 120,000 accounts.", "states": ("Ruritania",)},
     {"counts": {"accounts": 21_400, "pages": 100_250}, "states": ("Ruritania",)}, {"vague figures"}),
    ("an undated record names the day the other gives",
     {"sentence": "The company said on March 3 it had removed the accounts.", "states": ("Ruritania",)},
     {"states": ("Ruritania",), "when": date(2021, 3, 3)}, {"named date", "states"}),
    ("an undated record names the month of the only dated report of its state",
     {"sentence": "In June, the company removed accounts tied to Ruritania.", "states": ("Ruritania",)},
     {"states": ("Ruritania",), "published": date(2021, 6, 9)}, {"named date", "states"}),
    ("a later article recaps the month and year of the removal",
     {"sentence": "In August 2018, Facebook removed accounts tied to Ruritania.", "states": ("Ruritania",),
      "published": date(2019, 3, 1)},
     {"states": ("Ruritania",), "when": date(2018, 8, 21)}, {"named date", "states"}),
    ("a recap names the month of last year",
     {"sentence": "In October last year, Facebook removed accounts tied to Ruritania.",
      "states": ("Ruritania",), "published": date(2021, 3, 2)},
     {"states": ("Ruritania",), "when": date(2020, 10, 14)}, {"named date", "states"}),
    ("a quarterly report covers a removal announced in its quarter",
     {"sentence": "Its threat report for the third quarter of 2022 lists the network.",
      "states": ("Ruritania",), "published": date(2022, 11, 22)},
     {"states": ("Ruritania",), "when": date(2022, 9, 27)}, {"named date", "states"}),
    ("a person fronting the operation vs its firm, states agree",
     {"actors": ("Ivan Petrovich Sidorov",), "states": ("Ruritania",), "when": D},
     {"actors": ("Acme Strategies",), "states": ("Ruritania",), "published": D}, {"states", "date"}),
    ("one figure, one record names the state targeted, one week",
     {"counts": {"accounts": 1_907}, "states": ("Russia",), "when": D},
     {"counts": {"accounts": 1_907}, "sentence": "It removed 1,907 accounts targeting Sudan.",
      "published": D},
     {"figures", "date"}),
    ("one firm under two spellings, states agree",
     {"actors": ("Acme-Media",), "states": ("Ruritania",), "when": D},
     {"actors": ("acme media group",), "states": ("Ruritania",), "published": D}, {"states", "date"}),
]

# (case, record of article a, record of article b)
APART = [
    ("different platforms", {"platform": "Twitter", "counts": {"accounts": 936}},
     {"platform": "Facebook", "counts": {"accounts": 936}}),
    ("dates far apart", {"counts": {"accounts": 936}, "when": date(2019, 8, 19)},
     {"counts": {"accounts": 936}, "when": date(2020, 1, 1)}),
    ("two told dates a quarter apart", {"counts": {"accounts": 1_907}, "when": date(2021, 5, 4)},
     {"counts": {"accounts": 1_907}, "when": date(2021, 8, 20)}),
    ("two told dates weeks apart, a small exact figure",
     {"counts": {"accounts": 13}, "when": date(2021, 5, 4)},
     {"counts": {"accounts": 13}, "when": date(2021, 6, 24)}),
    ("two told dates weeks apart, a round figure", {"counts": {"accounts": 2_000}, "when": date(2021, 5, 4)},
     {"counts": {"accounts": 2_000}, "when": date(2021, 6, 24)}),
    ("dates just outside the window", {"states": ("Iran",), "when": D},
     {"states": ("Iran",), "published": date(2020, 9, 30)}),
    ("conflicting states", {"counts": {"accounts": 936}, "states": ("China",)},
     {"counts": {"accounts": 936}, "states": ("Iran",)}),
    ("conflicting figures on one day", {"counts": {"accounts": 936}, "states": ("China",), "when": D},
     {"counts": {"accounts": 200_000}, "states": ("China",), "when": D}),
    ("a round figure too far from the exact one", {"counts": {"accounts": 200_000}},
     {"counts": {"accounts": 230_000}}),
    ("a report cannot precede the removal", {"counts": {"accounts": 470}, "when": date(2020, 9, 22)},
     {"counts": {"accounts": 470}, "published": date(2020, 8, 1)}),
    ("two articles published far apart give one round figure",
     {"counts": {"accounts": 1_000}, "published": date(2019, 1, 1)},
     {"counts": {"accounts": 1_000}, "published": date(2022, 1, 1)}),
    ("the only two reports of a state, years apart", {"states": ("Cuba",), "when": date(2019, 9, 11)},
     {"states": ("Cuba",), "published": date(2023, 2, 25)}),
    ("a state alone, both undated", {"states": ("Russia",)}, {"states": ("Russia",)}),
    ("a small figure alone, undated", {"counts": {"pages": 7}}, {"counts": {"pages": 7}}),
    ("a date alone", {"when": D}, {"when": D}),
    ("one troll farm, years apart",
     {"actors": ("Internet Research Agency",), "when": date(2018, 4, 3)},
     {"actors": ("Internet Research Agency",), "when": date(2021, 12, 13)}),
    ("an article about two states", {"states": ("Cuba",), "published": D},
     {"title": "Cuba and Venezuela respond", "published": D}),
    ("two undated articles whose latest written dates are months apart",
     {"states": ("China",), "estimated": date(2019, 6, 12)},
     {"states": ("China",), "estimated": date(2019, 8, 20)}),
    ("an estimated date alone", {"estimated": D}, {"published": D}),
    ("two firms of one state named by each",
     {"actors": ("Acme Strategies",), "states": ("Ruritania",), "when": D},
     {"actors": ("Blue Lantern LLC",), "states": ("Ruritania",), "published": D}),
    ("one figure, but one record is about another state",
     {"counts": {"accounts": 418}, "states": ("Russia",)},
     {"counts": {"accounts": 418}, "sentence": "It removed 418 accounts active in Uganda."}),
    ("a vague figure that does not hold the other's",
     {"sentence": "It closed more than 2,500 channels.", "states": ("China",)},
     {"counts": {"channels": 2_598}, "states": ("China",)}),
    ("a recap names another year's month",
     {"sentence": "In August 2018, Facebook removed accounts tied to Ruritania.", "states": ("Ruritania",),
      "published": date(2021, 3, 1)},
     {"states": ("Ruritania",), "when": date(2020, 8, 21)}),
    ("a named day weeks from the other's told date",
     {"sentence": "The company said on March 3 it had removed the accounts.", "states": ("Ruritania",)},
     {"states": ("Ruritania",), "when": date(2021, 3, 24)}),
    ("a named month, both only about one state they are not attributed",
     {"sentence": "In June, a firm based in Ecuador found the accounts."},
     {"title": "Ecuador's accounts", "published": date(2021, 6, 9)}),
]


@pytest.mark.parametrize(("case", "a", "b", "keys"), MERGE, ids=[c[0] for c in MERGE])
def test_reports_of_one_removal_merge(
    case: str, a: dict[str, Any], b: dict[str, Any], keys: set[str]
) -> None:
    corpus = resolve([article("a", a), article("b", b)])
    (event,) = corpus.takedowns
    assert [s.evidence.article_id for s in event.sources] == ["a", "b"]
    assert keys <= set(event.merged_on)
    assert resolve([article("b", b), article("a", a)]) == corpus


@pytest.mark.parametrize(("case", "a", "b"), APART, ids=[c[0] for c in APART])
def test_reports_of_different_removals_stay_apart(case: str, a: dict[str, Any], b: dict[str, Any]) -> None:
    assert len(resolve([article("a", a), article("b", b)]).takedowns) == 2


REMAINDER_APART = [
    ("the vague total is beyond what hundreds can add", "Meta removed approximately 9,900 accounts.", 9_900),
    ("no remainder: the figures of one kind conflict", "Meta removed approximately 9,000 accounts.", 9_000),
]


@pytest.mark.parametrize(("case", "sentence", "figure"), REMAINDER_APART, ids=[c[0] for c in REMAINDER_APART])
def test_a_count_with_a_remainder_is_no_licence_for_any_figure(case: str, sentence: str, figure: int) -> None:
    part = ("Facebook removed around 7,700 accounts and hundreds of other pages and groups."
            if figure != 9_000 else "Facebook removed around 7,700 accounts.")
    same = {"platform": "Facebook", "states": ("Ruritania",)}
    a = {**same, "counts": {"accounts": 7_700}, "sentence": part}
    b = {**same, "counts": {"accounts": figure}, "sentence": sentence}
    assert len(resolve([article("a", a), article("b", b)]).takedowns) == 2


def test_a_remainder_one_report_gives_bridges_another_reports_count() -> None:
    """b gives a's 7,700 with "hundreds of other pages": c's approximate 9,000 counts them all,
    so a, which gives 7,700 accounts alone, is one removal with c too."""
    def fb(aid: str, figure: int, sentence: str) -> ArticleFacts:
        return facts(aid, takedown(aid, "Facebook", counts={"accounts": figure}, states=("Ruritania",),
                                   sentence=sentence))
    a = fb("a", 7_700, "Facebook removed 7,700 accounts.")
    b = fb("b", 7_700, "It removed around 7,700 accounts and hundreds of other pages and groups.")
    c = fb("c", 9_000, "Meta removed approximately 9,000 accounts.")
    (event,) = resolve([a, b, c]).takedowns
    assert "vague figures" in event.merged_on
    assert len(resolve([a, c]).takedowns) == 2


@pytest.mark.parametrize(
    ("text", "totals"),
    [
        ("removed around 7,700 Facebook accounts and hundreds of other pages, groups and Instagram accounts",
         ((7_700, 7_850, 8_749),)),
        ("removed 40 accounts and dozens of other pages", ((40, 59, 144),)),
        ("removed 93 accounts and 17 pages", ()),
        ("removed hundreds of other pages", ()),
    ],
)
def test_open_totals(text: str, totals: tuple[tuple[int, int, int], ...]) -> None:
    from kg.resolve.clues import open_totals

    assert open_totals(text) == totals


def test_two_takedowns_of_one_article_never_merge() -> None:
    one = facts(
        "a",
        takedown("a", counts={"accounts": 936}, states=("China",), start=0),
        takedown("a", counts={"accounts": 936}, states=("China",), start=50),
    )
    assert len(resolve([one]).takedowns) == 2


def test_a_chain_of_pairs_never_joins_one_articles_two_takedowns() -> None:
    """b matches a's first record on figures and a's second on the state: it joins one only."""
    a = facts(
        "a",
        takedown("a", counts={"accounts": 936}, states=("China",), when=D),
        takedown("a", states=("China",), when=D, start=50),
    )
    b = facts("b", takedown("b", counts={"accounts": 936}, states=("China",), when=D))
    events = resolve([a, b]).takedowns
    assert sorted(len(e.sources) for e in events) == [1, 2]
    for e in events:
        assert len({s.evidence.article_id for s in e.sources}) == len(e.sources)


def test_a_record_that_fits_two_takedowns_of_one_article_stays_alone() -> None:
    a = facts(
        "a",
        takedown("a", counts={"accounts": 936}, states=("China",), when=D),
        takedown("a", counts={"accounts": 200_000}, states=("China",), when=D, start=50),
    )
    b = facts("b", takedown("b", states=("China",), when=D))
    assert len(resolve([a, b]).takedowns) == 3


def test_articles_that_tell_one_story_merge_their_other_takedowns() -> None:
    """Two articles share Twitter's 936 accounts; their undated Facebook records (one with
    figures, one without) agree on the state, so they are the same removal too."""
    a = facts(
        "a",
        takedown("a", counts={"accounts": 936}, states=("China",)),
        takedown("a", "Facebook", states=("China",), start=50),
    )
    b = facts(
        "b",
        takedown("b", counts={"accounts": 936}, states=("China",)),
        takedown("b", "Facebook", counts={"accounts": 5, "pages": 7}, states=("China",), start=50),
    )
    events = {e.platform: e for e in resolve([a, b]).takedowns}
    assert len(events["Facebook"].sources) == 2 and "co-reported" in events["Facebook"].merged_on
    # Without the shared Twitter takedown nothing ties the undated Facebook records together.
    a2 = facts("a", takedown("a", "Facebook", states=("China",), start=50))
    b2 = facts("b", takedown("b", "Facebook", counts={"accounts": 5}, states=("China",), start=50))
    assert len(resolve([a2, b2]).takedowns) == 2


def test_the_only_two_reports_of_a_state_merge_and_three_do_not() -> None:
    a = facts("a", takedown("a", "Facebook", states=("Cuba",)), published=D)
    b = facts("b", takedown("b", "Facebook", counts={"accounts": 363}, states=("Cuba",)))
    (event,) = resolve([a, b]).takedowns
    assert "only-match" in event.merged_on
    c = facts("c", takedown("c", "Facebook", counts={"accounts": 40}, states=("Cuba",)))
    assert len(resolve([a, b, c]).takedowns) == 3
    # Two undated records: nothing places them in one time.
    a3 = facts("a", takedown("a", "Facebook", states=("Cuba",)))
    assert len(resolve([a3, b]).takedowns) == 2


def test_an_undated_removal_of_several_states_is_no_only_match_for_one_of_them() -> None:
    """One state shared by a dated report of that state alone and an undated report of a
    removal of several states: nothing places the one in the other's time, and a removal of
    four states is another announcement than one of a single state."""
    dated = facts("a", takedown("a", "Twitter", states=("Cuba",)), published=D)
    wider = facts("b", takedown("b", "Twitter", counts={"accounts": 668}, states=("Cuba", "Iran", "Russia")))
    assert len(resolve([dated, wider]).takedowns) == 2
    # the same two reports when the wider one is dated: the only two that name Cuba, they merge
    placed = facts("b", takedown("b", "Twitter", counts={"accounts": 668}, states=("Cuba", "Iran", "Russia")),
                   published=D)
    (event,) = resolve([dated, placed]).takedowns
    assert event.merged_on and len(event.sources) == 2
    # and reports of the same states still merge as the only two, one of them undated
    same = facts("b", takedown("b", "Twitter", counts={"accounts": 668}, states=("Cuba",)))
    (event,) = resolve([dated, same]).takedowns
    assert "only-match" in event.merged_on


def test_an_undated_report_of_one_state_is_the_only_match_of_a_later_recap_about_it() -> None:
    """A later article recaps a ban in one clause and attributes it to no one (its title says
    whose network it was); the only other report of that state is undated. One state against
    none is no wider removal: the two are one takedown."""
    recap = facts(
        "a",
        takedown("a", "Facebook", sentence="Last autumn the company banned the troll network for good."),
        published=D, title="Cuba's troll network is back on Facebook",
    )
    undated = facts("b", takedown("b", "Facebook", counts={"accounts": 412, "pages": 96}, states=("Cuba",)))
    (event,) = resolve([recap, undated]).takedowns
    assert "only-match" in event.merged_on and "topic" in event.merged_on
    # a third report of Cuba leaves the state to no one
    third = facts("c", takedown("c", "Facebook", counts={"accounts": 30}, states=("Cuba",)))
    assert len(resolve([recap, undated, third]).takedowns) == 3


def test_a_records_own_sentence_gives_its_topic_when_the_title_names_the_target_too() -> None:
    """The title names the state behind the campaign and the one it targeted; the record's
    own sentence names just the first: that is the record's topic (the only other report of
    the state is dated, so they merge as the only match)."""
    dated = facts("a", takedown("a", "OpenAI", states=("Israel",)), published=D)
    told = takedown("b", "OpenAI", sentence="The firm banned accounts that spread pro-Israel posts.")
    titled = facts("b", told, title="Israel's campaign aimed at Canadian lawmakers")
    (event,) = resolve([dated, titled]).takedowns
    assert {"topic", "only-match"} <= set(event.merged_on)
    # a sentence naming two states gives no topic, whatever the title says
    two = takedown("b", "OpenAI", sentence="The firm banned accounts posting about Israel and Canada.")
    assert len(resolve([dated, facts("b", two, title="Israel's campaign")]).takedowns) == 2


def test_merging_is_independent_of_article_order() -> None:
    arts = [
        facts("a", takedown("a", counts={"accounts": 936}, states=("China",)),
              takedown("a", "Facebook", states=("China",), start=40)),
        facts("b", takedown("b", counts={"accounts": 936}), published=D),
        facts("c", takedown("c", "Facebook", counts={"accounts": 5, "pages": 7}, states=("China",))),
        facts("d", takedown("d", counts={"accounts": 200_000}, states=("China",)), published=D),
    ]
    first = resolve(arts)
    for order in permutations(arts):
        assert resolve(order) == first


def test_the_takedown_shows_the_figures_most_sources_gave() -> None:
    full = takedown("a", counts={"accounts": 5, "pages": 7})
    assert shown_counts([takedown("x", counts={"pages": 7}), full, full]) == Counts(accounts=5, pages=7)
    # On a tie the most detailed wins: the breakdown over its total.
    total = takedown("a", counts={"combined_count": 15})
    parts = takedown("b", counts={"accounts": 5, "pages": 10})
    assert shown_counts([total, parts]) == Counts(accounts=5, pages=10)
    assert shown_counts([takedown("a")]) == Counts()


@pytest.mark.parametrize(
    ("x", "y", "agree"),
    [(936, 936, True), (200_000, 201_012, True), (200_000, 199_800, True), (2_000, 1_987, True),
     (900, 936, True), (200, 240, False), (200_000, 230_000, False), (936, 937, False), (5, 6, False),
     # rounded to ten from a hundred up ("about 950 Pages" for 954); not a small figure, not far off
     (950, 954, True), (7_700, 7_704, True), (950, 956, False), (40, 44, False), (90, 91, False)],
)
def test_figures_agree(x: int, y: int, agree: bool) -> None:
    assert figures_agree(x, y) is agree and figures_agree(y, x) is agree


@pytest.mark.parametrize(
    ("a", "b", "result"),
    [
        ((("accounts", 5), ("pages", 70)), (("pages", 70),), "figures"),
        ((("accounts", 5), ("pages", 7)), (("pages", 7),), "small figures"),
        ((("accounts", 5), ("pages", 7)), (("accounts", 5), ("pages", 7)), "figures"),
        ((("combined_count", 150),), (("accounts", 50), ("pages", 70), ("groups", 30)), "total=breakdown"),
        ((("combined_count", 9),), (("accounts", 2), ("pages", 4), ("groups", 3)), "small figures"),
        ((("accounts", 936),), (("accounts", 200_000),), "conflict"),
        ((("accounts", 7_704), ("pages", 954)), (("accounts", 7_700), ("pages", 950)), "figures"),
        # a round total for a breakdown's sum, but a sum that comes out round is still exact
        ((("combined_count", 2_800),), (("accounts", 2_757), ("pages", 40)), "total=breakdown"),
        ((("combined_count", 2_757),), (("accounts", 2_797), ("pages", 3)), None),
        ((("accounts", 5),), (("pages", 7),), None),
        ((), (("pages", 7),), None),
    ],
)
def test_compare_figures(
    a: tuple[tuple[str, int], ...], b: tuple[tuple[str, int], ...], result: str | None
) -> None:
    assert compare_figures(a, b) == result


def test_event_ids_name_each_records_event() -> None:
    a = facts("a", takedown("a", counts={"accounts": 936}))
    b = facts("b", takedown("b", counts={"accounts": 936}), takedown("b", "Facebook", start=9))
    corpus = resolve([a, b])
    ids = event_ids(corpus)
    ta, (tb, fb) = a.takedowns[0], b.takedowns
    assert ids[source_key(ta)] == ids[source_key(tb)] != ids[source_key(fb)]


def test_entities_cover_every_name() -> None:
    corpus = resolve([facts("a", takedown("a", "Facebook", counts={"pages": 3}, states=("Iran",)))])
    names = {e.name: e for e in corpus.entities}
    assert names["Facebook"].type == "platform" and names["Facebook"].wikidata == "Q355"
    assert names["Iran"].type == "state" and names["Iran"].wikidata == "Q794"


def test_a_record_without_a_description_still_names_its_network() -> None:
    (event,) = resolve([facts("a", takedown("a", "TikTok", network=""))]).takedowns
    assert event.network == "a TikTok network"


def test_two_multi_network_reports_merge_on_their_only_shared_state_only_if_each_names_it_once() -> None:
    """An undated round-up of several networks and a dated article on several others share one
    state that the round-up names in two records (one attributed, one in its sentence): no
    evidence which is which; a single-network article naming it, or a round-up naming it once,
    is."""
    sentence = "It removed 38 accounts originating in Canada and Ecuador."
    roundup = facts(
        "a",
        takedown("a", "Facebook", counts={"accounts": 303, "pages": 181}, states=("Ecuador",)),
        takedown("a", "Facebook", counts={"accounts": 38}, states=("Canada",), start=50, sentence=sentence),
    )
    other = facts(
        "b",
        takedown("b", "Facebook", states=("Ecuador",)),
        takedown("b", "Facebook", states=("Ukraine",), start=50),
        published=D,
    )
    assert all(len(e.sources) == 1 for e in resolve([roundup, other]).takedowns)
    single = facts("b", takedown("b", "Facebook", states=("Ecuador",)), published=D)
    merged = [e for e in resolve([roundup, single]).takedowns if len(e.sources) == 2]
    assert len(merged) == 1 and "only-match" in merged[0].merged_on
    named_once = facts(
        "a",
        takedown("a", "Facebook", counts={"accounts": 303, "pages": 181}, states=("Ecuador",)),
        takedown("a", "Facebook", counts={"accounts": 38}, states=("Canada",), start=50),
    )
    merged = [e for e in resolve([named_once, other]).takedowns if len(e.sources) == 2]
    assert len(merged) == 1 and "only-match" in merged[0].merged_on


def test_a_republished_copy_joins_its_originals_takedowns_without_adding_any() -> None:
    """A near-duplicate copy (``copy_of``) carries its original's records: each joins the
    original record's event as another source, the event keeps its key, nothing is counted twice,
    and an undated denial the copy repeats stays one denial."""
    from dataclasses import replace

    from kg.ingest import with_copies
    from kg.records import Denial

    first = takedown("orig", counts={"accounts": 470}, states=("Russia",), start=0)
    second = takedown("orig", platform="Facebook", states=("Iran",), start=80)
    denial = Denial("Russia", "A spokesman", ("Twitter",), "baseless", None, first.evidence)
    original = replace(facts("orig", first, second, published=D), denials=(denial,))
    other = facts("other", takedown("other", counts={"accounts": 470}, states=("Russia",)), published=D)
    alone = resolve([original, other])
    meta = ArticleMeta("copy", "copy.txt", "copy.txt", "Another headline", date(2020, 9, 23), copy_of="orig")
    filled = with_copies([original, ArticleFacts(meta, (), ()), other])
    assert [t.evidence.file for t in filled[1].takedowns] == ["copy.txt", "copy.txt"]
    assert filled[1].article.title == "Another headline"
    corpus = resolve(filled)
    assert [e.key for e in corpus.takedowns] == [e.key for e in alone.takedowns]
    assert len(corpus.denials) == len(alone.denials) == 1
    ids = event_ids(corpus)
    for t_copy, t_orig in zip(filled[1].takedowns, original.takedowns, strict=True):
        assert ids[source_key(t_copy)] == ids[source_key(t_orig)]
    by_platform = {e.platform: e for e in corpus.takedowns}
    assert sorted(s.evidence.article_id for s in by_platform["Twitter"].sources) == ["copy", "orig", "other"]
    assert "same text" in by_platform["Twitter"].merged_on
    assert by_platform["Facebook"].merged_on == ("same text",)
    assert [s.evidence.article_id for s in by_platform["Facebook"].sources] == ["orig", "copy"]


def test_a_copy_whose_original_is_missing_reports_nothing() -> None:
    from kg.ingest import with_copies

    meta = ArticleMeta("copy", "copy.txt", "copy.txt", "Headline", D, copy_of="gone")
    (alone,) = with_copies([ArticleFacts(meta, (), ())])
    assert alone.takedowns == () and resolve([alone]).takedowns == ()


def _labelled(aid: str, label: str, **spec: Any) -> ArticleFacts:
    """An article whose record is a list item under ``label`` ("• Cuba:"), as support evidence."""
    from dataclasses import replace

    t = takedown(aid, platform="Facebook", **spec)
    ev = Evidence(aid, f"{aid}.txt", label, 0, len(label), "takedown.label", 0.5)
    return facts(aid, replace(t, support=(ev,)))


@pytest.mark.parametrize(
    ("label", "merged"),
    [("\u2022 Cuba:", True), ("Cuba:", True), ("\u2022 Cuba and Venezuela:", False),
     ("\u2022 Global:", False)],
)
def test_a_list_items_label_is_its_topic(label: str, merged: bool) -> None:
    """An undated round-up's item "• Cuba: Facebook removed 33 accounts ..." is about Cuba: it
    merges with the only dated report of a Cuba network (not with a label of two states or none)."""
    item = _labelled("a", label, counts={"accounts": 33})
    dated = facts("b", takedown("b", platform="Facebook", states=("Cuba",)), published=D)
    corpus = resolve([item, dated])
    assert len(corpus.takedowns) == (1 if merged else 2)
    if merged:
        assert {"topic", "only-match"} <= set(corpus.takedowns[0].merged_on)


# -- alias finder: lower-cased search for texts that lower exactly ------------------------

_ALIASES = [
    ("Internet Research Agency", "Internet Research Agency"),
    ("Research Agency", "Research Agency"),
    ("Doppelgänger", "Doppelganger"),
    ("Ghostwriter", "Ghostwriter"),
    ("Storm-1516", "Storm-1516"),
    ("Spamouflage", "Spamouflage"),
    ("IRA", "Internet Research Agency"),
]


def _folded_only(names: Any, text: str) -> frozenset[str]:
    """What the finder returned before the lower-cased path: the case-insensitive regex."""
    found = set()
    if names.exact is not None:
        found.update(names.entity[m.group(0)] for m in names.exact.finditer(text))
    found.update(names.folded_entity(m.group(0)) for m in names.folded.finditer(text))
    return frozenset(found - {None})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("the internet research agency ran it", {"Internet Research Agency"}),  # longest wins
        ("a research agency in Lagos", {"Research Agency"}),
        ("“GHOSTWRITER” and “Spamouflage”…", {"Ghostwriter", "Spamouflage"}),  # inert quotes
        ("the IRA, not the ira", {"Internet Research Agency"}),  # short alias: exact case
        ("storm-1516’s videos", {"Storm-1516"}),
        ("Storm-15160 and xGhostwriter", set()),  # whole words only
        ("DOPPELGÄNGER sites", {"Doppelganger"}),  # a non-ASCII letter: case-insensitive regex
        ("Doppelgänger sites, Ghostwriter", {"Doppelganger", "Ghostwriter"}),
        ("\u212a and ſpamouflage", {"Spamouflage"}),  # Kelvin sign, long s: re.I folds them
        ("Ghostwr\u0130ter and ghostwrıter", set()),
        ("", set()),
    ],
)
def test_alias_finder_same_as_case_insensitive_regex(text: str, expected: set[str]) -> None:
    from kg.resolve.names import _Names

    names = _Names.of(_ALIASES, fold=lambda a: not (a.isupper() or len(a) <= 4))
    assert names.find(text) == expected
    assert names.find(text) == _folded_only(names, text)


def test_alias_finder_on_gazetteer_names() -> None:
    """The gazetteer's own operation aliases, in many casings and with inert punctuation."""
    from kg.resolve.names import _operation_names

    names = _operation_names()
    aliases = sorted(names.entity)
    assert aliases
    for alias in aliases:
        for text in (alias, alias.upper(), alias.title(), f"“{alias}”— and {alias.swapcase()}…"):
            assert names.find(text) == _folded_only(names, text), text


# -- clues a record's sentence gives: vague figures, a date without a year ----------------


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("It removed more than 120,000 accounts.", ((120_000, 125_000),)),
        ("Nearly 4,000 profiles were closed.", ((3_600, 4_000),)),
        ("about 30,000 accounts and over 1.5 million fake profiles",
         ((28_500, 31_500), (1_500_000, 1_550_000))),
        ("accounts with about 200,000 followers", ()),  # followers count no takedown
        ("It removed 936 accounts.", ()),
        ("It removed more than 10,000 accounts.", ()),  # up to 15,000: too wide to tell apart
        ("more than 5 pages", ()),
    ],
)
def test_vague_figures(text: str, bounds: tuple[tuple[int, int], ...]) -> None:
    from kg.resolve.clues import vague_figures

    assert vague_figures(text) == bounds


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("The company said on March 3 it had removed them.", (3, 3, None, 3, None, False)),
        ("On 14 November, the accounts were gone.", (11, 11, None, 14, None, False)),
        ("In June, the company removed accounts.", (6, 6, None, None, None, False)),
        ("It removed them in early September.", (9, 9, None, None, None, False)),
        ("In August 2018 it removed them.", (8, 8, 2018, None, None, True)),
        ("It said on May 29, 2024, that it had removed them.", (5, 5, 2024, 29, None, True)),
        ("Its Q3 2022 report lists them.", (7, 9, 2022, None, None, True)),
        ("In the first quarter of this year, it removed them.", (1, 3, None, None, "this", False)),
        ("In October last year, it removed them.", (10, 10, None, None, "last", False)),
        ("The accounts, created in 2017, were removed.", None),  # a year alone may be anything
        ("It removed them last month.", (0, 0, None, None, "last month", False)),
        ("The network had run since September.", None),  # when it began, not when it was removed
        ("The accounts, created in August 2018, were removed on Tuesday.", None),
        ("The report may be late.", None),  # "may" is no month
        ("It removed them on March 3 and reported on April 9.", None),  # two dates: which?
        ("It removed them on Tuesday.", None),
    ],
)
def test_named_date(text: str, named: tuple[Any, ...] | None) -> None:
    from dataclasses import astuple

    from kg.resolve.clues import named_date

    found = named_date(text)
    assert (astuple(found) if found else None) == named


@pytest.mark.parametrize(
    ("text", "published", "year"),
    [
        ("In June, the company removed accounts.", date(2021, 8, 1), 2021),
        ("In November, the company removed accounts.", date(2021, 8, 1), 2020),
        ("In the first quarter of this year, it removed them.", date(2024, 5, 31), 2024),
        ("In the third quarter of last year, it removed them.", date(2024, 5, 31), 2023),
        ("It removed them last month.", date(2024, 1, 15), 2023),
    ],
)
def test_a_named_date_takes_its_year_from_the_publication(text: str, published: date, year: int) -> None:
    from kg.resolve.clues import named_date

    found = named_date(text)
    assert found is not None and found.resolved(published).year == year


def test_one_states_report_joins_a_report_of_several_states_as_one() -> None:
    """a reports one removal of a Ruritanian and a Freedonian campaign as one figure; b reports
    its Ruritanian part, c its Freedonian part: all three are one removal."""
    both = ("Freedonia", "Ruritania")
    a = facts("a", takedown("a", "Facebook", counts={"combined_count": 412}, states=both, when=D))
    part = takedown("b", "Facebook", counts={"combined_count": 412}, states=("Ruritania",))
    b = facts("b", part, published=D)
    c = facts("c", takedown("c", "Facebook", states=("Freedonia",), when=D))
    (event,) = resolve([a, b, c]).takedowns
    assert "states=breakdown" in event.merged_on
    # Without a, the Ruritanian and the Freedonian reports are two removals.
    assert len(resolve([b, c]).takedowns) == 2


def test_a_named_month_that_fits_two_takedowns_joins_neither() -> None:
    mention = facts("m", takedown("m", "Facebook", states=("Ruritania",),
                                  sentence="In June, Facebook removed accounts tied to Ruritania."))
    june = facts("j", takedown("j", "Facebook", states=("Ruritania",), when=date(2021, 6, 2)))
    other_june = facts("k", takedown("k", "Facebook", counts={"accounts": 77}, states=("Ruritania",),
                                     when=date(2022, 6, 20)))
    (event,) = [e for e in resolve([mention, june]).takedowns if len(e.sources) == 2]
    assert "named date" in event.merged_on
    assert all(len(e.sources) == 1 for e in resolve([mention, june, other_june]).takedowns)


def test_a_leftover_mention_of_an_article_in_the_group_is_no_rival() -> None:
    """Article d reports the June removal twice (a headline and its body): its second record
    cannot join the event of the first, and is no second June takedown for an undated mention."""
    mention = facts("m", takedown("m", "Facebook", states=("Ruritania",),
                                  sentence="In June, Facebook removed accounts tied to Ruritania."))
    june = facts("j", takedown("j", "Facebook", counts={"accounts": 470}, states=("Ruritania",),
                               when=date(2021, 6, 2)))
    twice = facts(
        "d",
        takedown("d", "Facebook", counts={"accounts": 470}, states=("Ruritania",), when=date(2021, 6, 2)),
        takedown("d", "Facebook", states=("Ruritania",), when=date(2021, 6, 3), start=90),
    )
    events = resolve([mention, june, twice]).takedowns
    joined = [e for e in events if len(e.sources) == 3]
    assert len(joined) == 1 and {s.evidence.article_id for s in joined[0].sources} == {"m", "j", "d"}


def test_on_a_tie_the_figure_of_the_same_kind_wins() -> None:
    """Article d gives one removal twice, as "412 accounts" (a headline) and as a combined 412;
    the other article's combined 412 joins the combined one."""
    d = facts(
        "d",
        takedown("d", "Facebook", counts={"accounts": 412}, states=("Ruritania",), start=0),
        takedown("d", "Facebook", counts={"combined_count": 412}, states=("Ruritania",), start=90),
        published=D,
    )
    other = facts("o", takedown("o", "Facebook", counts={"combined_count": 412}, states=("Ruritania",)),
                  published=D)
    (pair,) = [e for e in resolve([d, other]).takedowns if len(e.sources) == 2]
    assert [s.counts.items() for s in pair.sources] == [(("combined_count", 412),)] * 2


def test_an_event_keeps_its_key_when_a_later_report_joins() -> None:
    """The key comes from the earliest dated record, not from the set of records: a report
    published later (whatever its content-hash id) leaves it as it was."""
    spec = {"counts": {"accounts": 936}, "states": ("China",)}
    first = facts("m", takedown("m", **spec, when=D))
    second = facts("k", takedown("k", **spec), published=date(2020, 9, 24))
    later = facts("a", takedown("a", **spec), published=date(2020, 10, 2))
    (one,) = resolve([first]).takedowns
    (two,) = resolve([first, second]).takedowns
    (three,) = resolve([first, second, later]).takedowns
    assert one.key == two.key == three.key and len(three.sources) == 3


def test_articles_linked_by_a_named_month_merge_their_other_takedowns() -> None:
    """a's Ruritanian record names June and joins b's dated one (round 2); so a and b tell
    one story, and their undated Freedonian records, which nothing else ties, are one removal."""
    a = facts(
        "a",
        takedown("a", "Facebook", states=("Ruritania",), sentence="In June 2021, it removed them."),
        takedown("a", "Facebook", states=("Freedonia",), start=60),
    )
    b = facts(
        "b",
        takedown("b", "Facebook", states=("Ruritania",), when=date(2021, 6, 2)),
        takedown("b", "Facebook", states=("Freedonia",), start=60),
    )
    events = resolve([a, b]).takedowns
    assert sorted(len(e.sources) for e in events) == [2, 2]
    (freedonia,) = [e for e in events if e.attributions[0].state == "Freedonia"]
    assert "co-reported" in freedonia.merged_on


def test_the_new_evidence_is_independent_of_article_order() -> None:
    """Vague figures, named months, a multi-state total and a second co-reported pass: the same
    events and keys in every article order."""
    both = ("Freedonia", "Ruritania")
    arts = [
        facts("a", takedown("a", "Facebook", counts={"combined_count": 412}, states=both, when=D),
              takedown("a", "Twitter", counts={"accounts": 3_861}, states=("Ruritania",), when=D, start=60)),
        facts("b", takedown("b", "Facebook", states=("Freedonia",), sentence="In September 2020, it acted."),
              takedown("b", "Twitter", states=("Ruritania",), sentence="It closed nearly 4,000 accounts.",
                       start=60)),
        facts("c", takedown("c", "Facebook", counts={"combined_count": 412}, states=("Ruritania",)),
              published=date(2020, 9, 25)),
        facts("d", takedown("d", "Twitter", states=("Ruritania",), when=date(2021, 3, 1))),
    ]
    first = resolve(arts)
    assert sorted(len(e.sources) for e in first.takedowns) == [1, 2, 3]
    for order in permutations(arts):
        assert resolve(order) == first


# -- one announcement told in parts (kg.resolve.parts) ------------------------------------

TOLD = "Twitter removed 1,250 core accounts, along with another 8,000 amplifier accounts."
BY_STATE = "Twitter also removed accounts linked to Ruritania, Freedonia and Sylvania."
THREE = ("Freedonia", "Ruritania", "Sylvania")

# (case, records of article a (its parts), records of article b (its whole), merged)
# A record is (sentence, start, counts, states); both articles are published on D unless the
# case says "undated".
PARTS = [
    ("per kind in one sentence, a vague total",
     [(TOLD, 0, {"accounts": 1_250}, ("Ruritania",)), (TOLD, 0, {"accounts": 8_000}, ("Ruritania",))],
     [("Twitter said it removed more than 9,000 accounts tied to Ruritania.", 0, {}, ("Ruritania",))], True),
    ("per kind in one sentence, an exact total",
     [(TOLD, 0, {"accounts": 1_250}, ()), (TOLD, 0, {"accounts": 8_000}, ())],
     [("Twitter removed 9,250 accounts.", 0, {"accounts": 9_250}, ())], True),
    ("per kind in one sentence, a rounded total",
     [(TOLD, 0, {"accounts": 1_250}, ()), (TOLD, 0, {"accounts": 8_000}, ())],
     [("Twitter removed 9,300 accounts.", 0, {"accounts": 9_300}, ())], True),
    ("one sentence cut at two lengths",
     [(TOLD, 0, {"accounts": 1_250}, ()), (TOLD[:40], 1, {"accounts": 8_000}, ())],
     [("Twitter removed 9,250 accounts.", 0, {"accounts": 9_250}, ())], True),
    ("the next sentence opens on a tie",
     [("Twitter suspended 1,250 core accounts.", 0, {"accounts": 1_250}, ()),
      ("As well as 8,000 amplifier accounts.", 40, {"accounts": 8_000}, ())],
     [("Twitter removed 9,250 accounts.", 0, {"accounts": 9_250}, ())], True),
    ("per state, one figure for exactly their states (dated in the window)",
     [(BY_STATE, 0, {}, ("Ruritania",)), (BY_STATE, 0, {}, ("Freedonia",)), (BY_STATE, 0, {}, ("Sylvania",))],
     [("Twitter removed 400 accounts tied to three states.", 0, {"accounts": 400}, THREE)], True),
    ("per state with figures that sum to the whole",
     [("Twitter removed 150 Ruritanian and 250 Freedonian accounts.", 0, {"accounts": 150}, ("Ruritania",)),
      ("Twitter removed 150 Ruritanian and 250 Freedonian accounts.", 0, {"accounts": 250}, ("Freedonia",))],
     [("Twitter removed 400 accounts.", 0, {"accounts": 400}, ("Freedonia", "Ruritania"))], True),
    # Two networks of one article stay apart:
    ("the whole names another state",
     [("Twitter removed 150 Ruritanian and 250 Freedonian accounts.", 0, {"accounts": 150}, ("Ruritania",)),
      ("Twitter removed 150 Ruritanian and 250 Freedonian accounts.", 0, {"accounts": 250}, ("Freedonia",))],
     [("Twitter removed 400 Sylvanian accounts.", 0, {"accounts": 400}, ("Sylvania",))], False),
    ("two sentences with no tie",
     [("Twitter suspended 1,250 core accounts.", 0, {"accounts": 1_250}, ()),
      ("Separately, it removed 8,000 accounts.", 40, {"accounts": 8_000}, ())],
     [("Twitter removed 9,250 accounts.", 0, {"accounts": 9_250}, ())], False),
    ("a sentence opening on \"Another\" tells a new network",
     [("Twitter suspended 1,250 core accounts.", 0, {"accounts": 1_250}, ()),
      ("Another network of 8,000 accounts was removed.", 40, {"accounts": 8_000}, ())],
     [("Twitter removed 9,250 accounts.", 0, {"accounts": 9_250}, ())], False),
    ("the sum does not agree",
     [(TOLD, 0, {"accounts": 1_250}, ()), (TOLD, 0, {"accounts": 8_000}, ())],
     [("Twitter removed 9,600 accounts.", 0, {"accounts": 9_600}, ())], False),
    ("only some of the sentence's figures sum to the whole",
     [(TOLD, 0, {"accounts": 1_250}, ()), (TOLD, 0, {"accounts": 8_000}, ()), (TOLD, 0, {"pages": 40}, ())],
     [("Twitter removed 9,250 accounts.", 0, {"accounts": 9_250}, ())], False),
    ("per state, the whole has one state more",
     [(BY_STATE, 0, {}, ("Ruritania",)), (BY_STATE, 0, {}, ("Freedonia",))],
     [("Twitter removed 400 accounts tied to three states.", 0, {"accounts": 400}, THREE)], False),
    ("per state with figures that sum, the whole names no state",
     [("Twitter removed 150 Ruritanian and 250 Freedonian accounts.", 0, {"accounts": 150}, ("Ruritania",)),
      ("Twitter removed 150 Ruritanian and 250 Freedonian accounts.", 0, {"accounts": 250}, ("Freedonia",))],
     [("Twitter removed 400 accounts.", 0, {"accounts": 400}, ())], False),
    ("the whole's breakdown sums to a round figure near the parts' sum",
     [(TOLD, 0, {"accounts": 1_250}, ()), (TOLD, 0, {"accounts": 8_000}, ())],
     [("Twitter removed 9,297 accounts and 3 pages.", 0, {"accounts": 9_297, "pages": 3}, ())], False),
    ("per state, the whole gives no figure",
     [(BY_STATE, 0, {}, ("Ruritania",)), (BY_STATE, 0, {}, ("Freedonia",)), (BY_STATE, 0, {}, ("Sylvania",))],
     [("Twitter removed accounts tied to three states.", 0, {}, THREE)], False),
    ("per state, undated: nothing places them together",
     [(BY_STATE, 0, {}, ("Ruritania",)), (BY_STATE, 0, {}, ("Freedonia",)), (BY_STATE, 0, {}, ("Sylvania",))],
     [("Twitter removed 400 accounts tied to three states.", 0, {"accounts": 400}, THREE), "undated"], False),
]


def _told(aid: str, records: list[Any]) -> ArticleFacts:
    undated = "undated" in records
    tds = [
        takedown(aid, counts=counts, states=states, start=start, sentence=sentence)
        for sentence, start, counts, states in (r for r in records if r != "undated")
    ]
    return facts(aid, *tds, published=None if undated else D)


@pytest.mark.parametrize(("case", "a", "b", "merged"), PARTS, ids=[c[0] for c in PARTS])
def test_one_announcement_told_in_parts(case: str, a: list[Any], b: list[Any], merged: bool) -> None:
    undated = "undated" in b
    parts = _told("a", [*a, *(["undated"] if undated else [])])
    whole = _told("b", b)
    corpus = resolve([parts, whole])
    of_a = {e.key for e in corpus.takedowns for s in e.sources if s.evidence.article_id == "a"}
    if merged:
        (event,) = corpus.takedowns
        assert "total=parts" in event.merged_on
        assert len(event.sources) == len(a) + len(b)
    else:
        assert len(of_a) == len(a)
        assert all("total=parts" not in e.merged_on for e in corpus.takedowns)
    assert resolve([whole, parts]) == corpus


def test_parts_that_other_articles_tell_join_their_whole_in_any_order() -> None:
    """a and c each tell the removal in two parts, b its vague total: one event of five records,
    whatever the article order; its id is one of a's events' (the reports that join keep it)."""
    a = facts("a", takedown("a", counts={"accounts": 1_250}, when=D, sentence=TOLD),
              takedown("a", counts={"accounts": 8_000}, when=D, sentence=TOLD), published=D)
    b = _told("b", [("Twitter said it removed more than 9,000 accounts.", 0, {}, ())])
    c = _told("c", [(TOLD, 0, {"accounts": 1_250}, ()), (TOLD, 0, {"accounts": 8_000}, ())])
    first = resolve([a, b, c])
    (event,) = first.takedowns
    assert event.key in {e.key for e in resolve([a]).takedowns}
    for order in permutations([a, b, c]):
        assert resolve(order) == first


def test_a_takedown_told_in_parts_shows_their_sum() -> None:
    a = _told("a", [(TOLD, 0, {"accounts": 1_250}, ()), (TOLD, 0, {"accounts": 8_000}, ())])
    b = _told("b", [(TOLD, 0, {"accounts": 1_250}, ()), (TOLD, 0, {"accounts": 8_000}, ())])
    c = _told("c", [("Twitter said it removed more than 9,000 accounts.", 0, {"accounts": 1_250}, ())])
    (event,) = resolve([a, b, c]).takedowns
    assert event.counts == Counts(accounts=9_250)
