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
    # the audience told by the words right after the noun, however the parser hangs them
    ("There were 20 Pages with about 1.5 million accounts following one or more of them.", {"pages": 20}),
    ("It said 3,000 accounts were members of the Groups and 900 accounts followed the Instagram accounts.",
     {}),
    ("About 4,000 accounts were followers of the network's Pages.", {}),
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
    # accounts "on" or "from" a platform-like qualifier are that platform's; an origin is not one
    ("It removed 81 Facebook accounts and 176 accounts from Instagram.",
     {"accounts": 81, "instagram_accounts": 176}),
    ("It removed 81 Facebook accounts and 176 accounts from its Instagram platform.",
     {"accounts": 81, "instagram_accounts": 176}),
    ("It removed 64 accounts on the Instagram app.", {"instagram_accounts": 64}),
    ("It removed 64 accounts from Egypt.", {"accounts": 64}),
    # a spaced dash after the noun is punctuation; a joined one makes a compound ("account-based")
    ("It removed a network of roughly 30,000 accounts \u2013 most created later.", {"accounts": 30000}),
    ("It removed 40 accounts - all of them fake.", {"accounts": 40}),
    ("They bought account-based ads and page-level tools.", {}),
    # "assets": the platforms' word for accounts, Pages and groups counted together
    ("It removed 250 assets and 40 accounts.", {"combined_count": 250, "accounts": 40}),
    # a part of a whole: the part is what was removed, through a possessive too
    ("Twitter suspended 1,500 of the 2,000 accounts.", {"accounts": 1500}),
    ("It removed 200 of its Facebook accounts and 30 of its pages.", {"accounts": 200, "pages": 30}),
    ("It suspended 90 of the group's Facebook pages.", {"pages": 90}),
    ("It removed hundreds of the 2,000 accounts.", {}),
    ("It removed a network of 2,000 accounts.", {"accounts": 2000}),
    # a figure set beside the assets or beside the share of them
    ("More than two-thirds of the accounts (about 7,700) were traced to China.", {"accounts": 7700}),
    ("The bulk of the channels, 1,900, were linked to China.", {"channels": 1900}),
    ("It removed two networks of accounts, one based in China and another in Russia.", {}),
    # the noun left out of the second conjunct, its platform said: each platform keeps its figure
    ("It removed the network: 30 accounts on Facebook and 300 on Instagram.",
     {"accounts": 30, "instagram_accounts": 300}),
    ("The network had 12 accounts on Instagram and 40 on Facebook.",
     {"instagram_accounts": 12, "accounts": 40}),
    ("It removed 30 accounts on Facebook and 300 Pages.", {"accounts": 30, "pages": 300}),
    ("It removed 30 accounts on Facebook and 300 on Tuesday.", {"accounts": 30}),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), ASSET_CASES, ids=[t[:40] for t, _ in ASSET_CASES])
def test_count_assets(nlp, text: str, expected: dict[str, int]) -> None:
    from kg.extract.counts import count_assets
    from kg.lexicon.gazetteer import load_lexicon

    assert count_assets(nlp(text), load_lexicon()).counts == expected


# a list's last item the parser hangs outside the object ("20 Instagram accounts for ...",
# "accounts" read as a verb) still belongs to the removal; a clause after the list does not
LIST_TAIL_CASES = [
    ("Meta said it removed 12 accounts, 40 pages and 9 Instagram accounts for breaking its rules.",
     {"accounts": 12, "pages": 40, "instagram_accounts": 9}),
    ("Facebook said that it removed 80 Facebook accounts, 14 Pages, and 30 Instagram accounts for "
     "violating its policy against government interference.",
     {"accounts": 80, "pages": 14, "instagram_accounts": 30}),
    ("The company took down 6 Pages, 2 Groups and 17 Instagram accounts for inauthentic behaviour.",
     {"pages": 6, "groups": 2, "instagram_accounts": 17}),
    ("Meta deleted 22 accounts, 16 Pages and 41 Instagram accounts originating in Kenya.",
     {"accounts": 22, "pages": 16, "instagram_accounts": 41}),
    # negatives: a number after the list that counts something else
    ("Facebook removed 12 accounts linked to Iran, and 400 people protested in Tehran.", {"accounts": 12}),
    ("Twitter suspended 40 accounts and 3 of them were verified.", {"accounts": 40}),
    ("Meta removed 9 Pages and 20 percent of users noticed.", {"pages": 9}),
]


def test_list_tail_keeps_the_platform(nlp) -> None:
    """The rejoined last item counts, but the remover named by the text stays the platform."""
    from kg.extract import extract_article
    from kg.ingest import parse_article

    text = ("On Monday, Snapchat announced the removal of 90 pages and 12 Instagram accounts which it "
            "traced to the Iranian government, for coordinated inauthentic behaviour.")
    found = extract_article(parse_article(text, file="case.txt"), nlp).takedowns
    assert [(t.platform, set(t.attributed_to)) for t in found] == [("Snapchat", {"Iran"})]


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), LIST_TAIL_CASES, ids=[t[:40] for t, _ in LIST_TAIL_CASES])
def test_list_tail_counts(nlp, text: str, expected: dict[str, int]) -> None:
    from kg.extract import extract_article
    from kg.ingest import parse_article

    found = extract_article(parse_article(text, file="case.txt"), nlp).takedowns
    assert [dict(t.counts.items()) for t in found] == [expected]


# a list item that leaves out its noun counts the kind its lead-in or the item before names;
# a number opening a sentence after no such list is no count
ELIDED_CASES = [
    ("Twitter said it suspended several networks for platform manipulation.\n\nAmong the accounts it "
     "removed:\n\n350 from Iran, for attacking Israel\n\n90 accounts from Egypt, for praising the army",
     [{"accounts": 350}, {"accounts": 90}]),
    ("Twitter suspended networks for platform manipulation.\n\nAccounts suspended:\n\n1,200 from "
     "Venezuela, for posting about the election\n\n45 in Cuba tied to state media",
     [{"accounts": 1200}, {"accounts": 45}]),
    ("Facebook removed 40 Pages from Iran for coordinated inauthentic behaviour.\n\n2019 from the start "
     "was a busy year.",
     [{"pages": 40}]),
    ("Facebook removed networks for coordinated inauthentic behaviour.\n\nThe network spent $5,000 on ads "
     "and had 10,000 followers.\n\n300 from Iran were paid.",
     [{}]),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "expected"), ELIDED_CASES, ids=[t[:40] for t, _ in ELIDED_CASES])
def test_elided_list_items(nlp, text: str, expected: list[dict[str, int]]) -> None:
    from kg.extract import extract_article
    from kg.ingest import parse_article

    found = extract_article(parse_article(text, file="case.txt"), nlp).takedowns
    assert sorted((dict(t.counts.items()) for t in found), key=repr) == sorted(expected, key=repr)
