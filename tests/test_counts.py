"""Number words and digits."""

from __future__ import annotations

import pytest

from kg.extract.counts import parse_number


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["7,906"], 7906),
        (["936"], 936),
        (["seven"], 7),
        (["Six"], 6),
        (["twenty-two"], 22),
        (["twenty", "-", "two"], 22),
        (["1.2", "million"], 1_200_000),
        (["4.8K"], 4800),
        (["two", "hundred"], 200),
        (["3", "thousand"], 3000),
        (["1.25"], None),
        (["many"], None),
    ],
)
def test_parse_number(words: list[str], value: int | None) -> None:
    assert parse_number(words) == value
