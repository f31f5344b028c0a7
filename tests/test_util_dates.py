"""Day-precise dates in sentences, resolved against the article's date."""

from __future__ import annotations

from datetime import date

import pytest

from kg.util.dates import find_date

PUB = date(2019, 8, 21)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("The company said on Monday it had acted.", PUB, date(2019, 8, 19)),
        ("On Wednesday the firm said so.", PUB, date(2019, 8, 21)),
        ("A day earlier, the accounts were removed.", PUB, date(2019, 8, 20)),
        ("Two days earlier it acted.", PUB, date(2019, 8, 19)),
        ("It acted yesterday.", PUB, date(2019, 8, 20)),
        ("It acted on Aug. 2.", PUB, date(2019, 8, 2)),
        ("It acted on 2 August 2018.", None, date(2018, 8, 2)),
        ("It acted on December 30.", PUB, date(2018, 12, 30)),
        ("It acted on Monday.", None, None),
        ("It acted in August.", PUB, None),
        ("It acted in 2018.", PUB, None),
        ("The move came a day after the other firm acted.", PUB, None),
    ],
)
def test_find_date(text: str, published: date | None, expected: date | None) -> None:
    assert find_date(text, published)[0] == expected


def test_find_dates_in_order_with_spans() -> None:
    from kg.util.dates import find_dates

    text = "Ahead of the vote on October 9, it acted on Monday, a day earlier than planned."
    found = find_dates(text, PUB)
    assert [(d.value, d.text) for d in found] == [
        (date(2019, 10, 9) if date(2019, 10, 9) <= PUB else date(2018, 10, 9), "October 9"),
        (date(2019, 8, 19), "Monday"),
        (date(2019, 8, 20), "a day earlier"),
    ]
    assert all(text[d.start : d.end] == d.text for d in found)
    assert find_dates("It acted on Monday.", None) == []
