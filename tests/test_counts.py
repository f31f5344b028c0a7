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


# (sentence, counts of every asset noun in it): audiences and billing accounts are not assets
ASSET_CASES = [
    ("About 90,000 accounts followed one or more of these Pages.", {}),
    ("Roughly 12,000 accounts liked at least one of the Pages.", {}),
    ("The Pages were followed by about 90,000 accounts.", {}),
    ("The channels were watched by 5,000 accounts.", {}),
    ("Some 4,000 accounts that joined its Groups were left alone.", {}),
    ("The 300 accounts subscribing to the channel were real people.", {}),
    ("It terminated four ad accounts and 20 channels.", {"channels": 20}),
    ("It closed 5 AdSense accounts and 12 YouTube channels.", {"channels": 12}),
    ("It disabled 3 advertising accounts and 9 Pages.", {"pages": 9}),
    # negatives beside them: the network's own assets still count
    ("It removed 31 Pages and 12 accounts that followed each other.", {"pages": 31, "accounts": 12}),
    ("It removed 40 accounts posing as news outlets.", {"accounts": 40}),
    ("It removed 25 Instagram accounts with 9,000 followers.", {"instagram_accounts": 25}),
    ("It removed 40 accounts that were followed by 90,000 users.", {"accounts": 40}),
    ("It removed 40 accounts followed by 90,000 people.", {"accounts": 40}),
    ("It removed 40 accounts that engaged in coordinated behaviour.", {"accounts": 40}),
    ("She cited a 57-page memo and a 3-page letter.", {}),
    ("It removed 8 pages and a 12-page report's sources.", {"pages": 8}),
    # adverbs and coordinated adjectives between the number and its noun
    ("It suspended a core network of 2,750 highly active accounts.", {"accounts": 2750}),
    ("It removed 50 personal and professional pages.", {"pages": 50}),
    ("It removed 12 new, inauthentic pages and 30 very active accounts.", {"pages": 12, "accounts": 30}),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), ASSET_CASES, ids=[t[:40] for t, _ in ASSET_CASES])
def test_count_assets(nlp, text: str, expected: dict[str, int]) -> None:
    from kg.extract.counts import count_assets
    from kg.gazetteer import load_lexicon

    assert count_assets(nlp(text), load_lexicon()).counts == expected
