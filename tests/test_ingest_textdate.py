"""The date read from an undated article's text: the latest date it states about the past, at
the precision it gives, never a future, a count, an age or an event's name."""

from __future__ import annotations

from datetime import date

import pytest

from kg.ingest import compose_article, parse_article
from kg.ingest.textdate import read_text_date, text_date_start

# (text, expected): sentences written for these tests
CASES = [
    # full dates, day precision; the latest wins
    ("The pages were removed on March 3, 2021, weeks after the vote.", "2021-03-03"),
    ("A rally on 14 July 2018 was filmed. The network was taken down on 2019-02-11.", "2019-02-11"),
    # month and year
    ("The last post went up in November 2017.", "2017-11"),
    ("The operation ran between February and Sept. 2022 on two platforms.", "2022-09"),
    ("Its earliest ad ran in May 2016 and its latest in August of 2018.", "2018-08"),
    # a year placed by a preposition
    ("Most of the posts appeared in early 2020.", "2020"),
    ("The troll farm was busiest during the second half of 2017.", "2017"),
    ("Activity peaked in mid-2019 before it faded.", "2019"),
    # a range gives its end; a start with no readable end, or one lasting to the present, nothing
    ("The campaign targeted voters from 2016 to 2018.", "2018"),
    ("Posts appeared from May 2016 to August 2018.", "2018-08"),
    ("The pages were run between 2017 and 2019 by one agency.", "2019"),
    ("The ads ran from 2015 until earlier this year.", None),
    ("The accounts had been active since 2015, the platform said.", None),
    ("The broadcaster has posted on the pages ever since March 2014.", None),
    ("The accounts, active since 2016, were removed in 2019.", "2019"),
    ("The pages posted in 2017 and 2018.", "2018"),
    ("The accounts were created in 2014-16 and left dormant.", "2016"),
    ("In Q3 2023 the company closed the channels.", "2023"),
    ("In 2020 Twitter suspended the accounts.", "2020"),
    # an older event recalled beside a later one: the later one
    ("The agency meddled in 2016. The new network was found in March 2019.", "2019-03"),
    ("Since 2012 the broadcaster has run pages; on June 2, 2020 they were removed.", "2020-06-02"),
    # a month beats its own year, a later year beats an earlier month
    ("It began in 2019 and was removed in October 2019.", "2019-10"),
    ("The first ad ran in December 2018 and the network lived on in 2020.", "2020"),
    # negatives: counts, ages, names, decades, modifiers, relative dates
    ("Facebook removed 2,019 accounts and 1,985 pages.", None),
    ("Twitter suspended 2019 accounts tied to the group.", None),
    ("In 2019 accounts were suspended by the thousand.", None),  # "2019 accounts": a count
    ("A 45-year-old administrator ran 2,020 pages.", None),
    ("The page attacked the 1989 protests and the 2016 presidential election.", None),
    ("The plan, called Vision 2030, was promoted by the pages.", None),
    ("Researchers studied posts of the 2010s and the 1990s.", None),
    ("The January 2021 report described the network.", None),
    ("The accounts were removed last year, on Tuesday, the company said.", None),
    ("The group's phone number was 2019-555 and its office 2020/B.", None),
    ("It spent $2020 on ads.", None),
    # negatives: sentences that look ahead
    ("The country will hold elections in 2027.", None),
    ("Officials plan to expand the programme in March 2026.", None),
    ("The posts came ahead of the November 2024 vote.", None),
    ("The state aims to reach its targets by 2030.", None),
    ("Next year, in 2025, the rules change.", None),
    ("Elections are scheduled for May 2026. The pages were removed in April 2023.", "2023-04"),
    ("The ministry said it would respond by January 2022. It denied it in 2021.", "2021"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_read_text_date(text: str, expected: str | None) -> None:
    assert read_text_date(text) == expected


def test_reading_is_deterministic_and_order_free() -> None:
    """The text alone decides: the same sentences in any order give the same date."""
    sentences = [text for text, _ in CASES]
    forward = read_text_date("\n".join(sentences))
    assert forward == read_text_date("\n".join(reversed(sentences))) == "2023-04"


@pytest.mark.parametrize(
    ("value", "start"),
    [("2019", date(2019, 1, 1)), ("2019-08", date(2019, 8, 1)), ("2019-08-21", date(2019, 8, 21))],
)
def test_text_date_start(value: str, start: date) -> None:
    assert text_date_start(value) == start


def test_only_an_article_with_no_date_line_gets_a_text_date() -> None:
    undated = parse_article("Pages removed\nThe pages were removed in June 2020.\n", file="a.txt")
    assert undated.published is None and undated.text_date == "2020-06"
    assert undated.meta.text_date == "2020-06"
    dated = parse_article("Pages removed\n2021-03-04\nThe pages were removed in June 2020.\n", file="b.txt")
    assert dated.published == date(2021, 3, 4) and dated.text_date is None and dated.meta.text_date is None
    composed = compose_article("Pages removed", None, "It ran until late 2018.", "c.md", "c.md")
    assert composed.text_date == "2018"
    dated_md = compose_article("Pages removed", date(2020, 1, 2), "It ran in 2018.", "d.md", "d.md")
    assert dated_md.text_date is None


def test_boilerplate_is_not_read() -> None:
    """What follows a newsletter footer is not what the article reports."""
    text = ("Pages removed\nThe pages were removed in June 2020.\nSubscribe to our newsletter\n"
            "Our archive covers events in 2024.\n")
    assert parse_article(text, file="a.txt").text_date == "2020-06"


def test_a_run_on_text_is_read_in_bounded_time() -> None:
    """Hostile input: one 'sentence' of tens of thousands of dates costs linear time, and only
    the first MAX_CHARS characters are read."""
    import time

    from kg.ingest.textdate import MAX_CHARS

    start = time.monotonic()
    assert read_text_date("in 2019 and on Aug 21, 2018, " * 5_000) == "2019"
    assert read_text_date("x" * MAX_CHARS + " It was removed in May 2019.") is None
    assert time.monotonic() - start < 30
