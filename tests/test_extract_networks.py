"""Grouping mentions into networks (``kg.extract.networks``): what is one network, what is
none, and the state a platform's report says once ("two networks linked to Peru. The first ...
The second ..." all carry it; attributions are scored per record). Sentences are our own."""

from __future__ import annotations

import pytest
from extract_tools import TD, takedowns_of

from kg.extract import extract_article
from kg.ingest import parse_article

pytestmark = pytest.mark.model

ONE_NETWORK: list[tuple[str, list[TD]]] = [
    # figures per month of one subject: a network each, all of the subject's origin
    ("Google said it terminated YouTube channels in several coordinated influence operations.\n\n"
     "PRC-aligned networks lost 1,545 channels in April and 3,592 in May.",
     [("YouTube", {"channels": 1545}, {"China"}), ("YouTube", {"channels": 3592}, {"China"})]),
    ("Google said it terminated YouTube channels in several coordinated influence operations.\n\n"
     "Russia-linked actors saw 1,045 channels terminated in April and 507 in May.",
     [("YouTube", {"channels": 1045}, {"Russia"}), ("YouTube", {"channels": 507}, {"Russia"})]),
    # "along with" adds a second set of the same kind (its own network); other kinds are its breakdown
    ("Twitter said a core network of 5,000 accounts had been removed, along with another 90,000 amplifier "
     "accounts.", [("Twitter", {"accounts": 5000}, set()), ("Twitter", {"accounts": 90000}, set())]),
    ("YouTube said 1,200 channels were terminated, along with another 30 channels that had reappeared.",
     [("YouTube", {"channels": 1200}, set()), ("YouTube", {"channels": 30}, set())]),
    ("Facebook said 300 Pages were taken down, along with 40 Groups and 12 Instagram accounts.",
     [("Facebook", {"pages": 300, "groups": 40, "instagram_accounts": 12}, set())]),
    # a breakdown of one total into kinds is the same network
    ("Facebook removed a network linked to Iran for coordinated inauthentic behaviour. In all there were "
     "31 Pages, 12 accounts and 4 Groups.",
     [("Facebook", {"pages": 31, "accounts": 12, "groups": 4}, {"Iran"})]),
    ("Meta removed 47 accounts, pages and groups linked to Iran for coordinated inauthentic behaviour. "
     "The network comprised 31 Pages, 12 accounts and 4 Groups.",
     [("Facebook", {"combined_count": 47, "pages": 31, "accounts": 12, "groups": 4}, {"Iran"})]),
    ("Twitter suspended 90 accounts and pages tied to Egypt in a coordinated campaign. Of these, 60 were "
     "accounts and 30 were pages, it said.",
     [("Twitter", {"combined_count": 90}, {"Egypt"})]),
    # a sentence repeating the totals of networks already counted is not a new one
    ("Facebook removed 50 accounts from Iran and 30 accounts from Russia in a coordinated campaign. "
     "In total, Facebook removed 80 accounts.",
     [("Facebook", {"accounts": 30}, {"Russia"}), ("Facebook", {"accounts": 50}, {"Iran"})]),
    ("Meta removed 120 fake Pages run from Egypt and 80 fake Pages run from Sudan. Altogether the company "
     "took down 200 Pages for coordinated inauthentic behaviour.",
     [("Facebook", {"pages": 120}, {"Egypt"}), ("Facebook", {"pages": 80}, {"Sudan"})]),
    ("TikTok removed 40 accounts tied to China and 25 accounts tied to Russia. Overall, 65 accounts were "
     "deleted by TikTok in the coordinated sweep.",
     [("TikTok", {"accounts": 25}, {"Russia"}), ("TikTok", {"accounts": 40}, {"China"})]),
    ("Meta removed 120 fake Pages run from Egypt in a coordinated campaign. In total, the company removed "
     "1,400 accounts and Pages across six networks this quarter.",
     [("Facebook", {"pages": 120}, {"Egypt"})]),
    ("Twitter removed 300 fake accounts linked to Iran. All told, Twitter suspended 5,000 accounts in the "
     "sweep.",
     [("Twitter", {"accounts": 300}, {"Iran"})]),
    # negatives beside them: a second figure that is no sum, or a total naming its own state, is a
    # network of its own
    ("Facebook removed a total of 80 fake accounts linked to Iran. It also removed 30 fake accounts from "
     "Russia.",
     [("Facebook", {"accounts": 30}, {"Russia"}), ("Facebook", {"accounts": 80}, {"Iran"})]),
    ("Facebook removed 50 accounts from Iran and 30 accounts from Russia in a coordinated campaign. "
     "Facebook also removed 70 accounts from Egypt.",
     [("Facebook", {"accounts": 30}, {"Russia"}), ("Facebook", {"accounts": 50}, {"Iran"}),
      ("Facebook", {"accounts": 70}, {"Egypt"})]),
    # one list naming the kinds of two networks in turn: a network each time a kind comes again
    ("Facebook removed 35 fake accounts, 14 Pages and 1 Group from Mexico, and 29 accounts and 6 Pages "
     "from Venezuela.",
     [("Facebook", {"accounts": 29, "pages": 6}, {"Venezuela"}),
      ("Facebook", {"accounts": 35, "pages": 14, "groups": 1}, {"Mexico"})]),
    ("Twitter suspended 300 fake accounts from Egypt and 150 accounts from Saudi Arabia.",
     [("Twitter", {"accounts": 150}, {"Saudi Arabia"}), ("Twitter", {"accounts": 300}, {"Egypt"})]),
    # "one" standing for a network counts nothing, and the total of the networks told is no network
    ("Meta removed 500 fake accounts in three networks. The network from China included 300 accounts. "
     "The one from Iran had 150 accounts. The Russian network had 50 accounts.",
     [("Facebook", {"accounts": 150}, {"Iran"}), ("Facebook", {"accounts": 300}, {"China"}),
      ("Facebook", {"accounts": 50}, {"Russia"})]),
    # negative beside it: "one" as a number of assets still counts
    ("Twitter removed 271 fake accounts from Egypt and one from Sudan.",
     [("Twitter", {"accounts": 1}, {"Sudan"}), ("Twitter", {"accounts": 271}, {"Egypt"})]),
    # a counted network tied to a named person is not the state-linked network named next
    ("Facebook took down 50 pages connected to John Stone and his aides. On the same day it removed fake "
     "accounts tied to the Brazilian government.",
     [("Facebook", {"pages": 50}, set()), ("Facebook", {}, {"Brazil"})]),
    ("Twitter removed 30 accounts linked to the ruling party. It also removed fake accounts run by the "
     "Kenyan army.",
     [("Twitter", {"accounts": 30}, set()), ("Twitter", {}, {"Kenya"})]),
    # ... unless the counted network's own sentence names that state in its operator's name
    ("Facebook removes Azerbaijani troll network\nFacebook said it removed 589 fake accounts linked to the "
     "youth wing of Azerbaijan's ruling party.",
     [("Facebook", {"accounts": 589}, {"Azerbaijan"})]),
    # negative beside them: with nothing known of its operator, the counted network takes the state
    ("Facebook took down 50 fake pages in a coordinated campaign. The pages were run by the Brazilian army.",
     [("Facebook", {"pages": 50}, {"Brazil"})]),
    # follower, member, view, like and ad-spend figures are not assets and start no network
    ("Meta took down 40 accounts and 10 Pages tied to Iran. About 50,000 accounts followed one or more of "
     "these Pages, and 3,000 people joined its groups.",
     [("Facebook", {"accounts": 40, "pages": 10}, {"Iran"})]),
    ("Twitter suspended 200 fake accounts run from Egypt. The accounts had 1.2 million followers and their "
     "tweets got 4,000 likes.",
     [("Twitter", {"accounts": 200}, {"Egypt"})]),
    ("Meta removed 12 fake Pages linked to the army of Sudan. The network spent about $5,000 on ads and "
     "its videos had 90,000 views.",
     [("Facebook", {"pages": 12}, {"Sudan"})]),
    ("Facebook removed 31 Pages tied to Iran. The Pages were followed by about 90,000 accounts.",
     [("Facebook", {"pages": 31}, {"Iran"})]),
    # a breakdown told with its audience is the one network's, not one network per figure
    ("Meta removed 60 pages, groups and accounts belonging to the Kenyan police.\n\n\"We removed 60 Pages, "
     "Groups and accounts for coordinated inauthentic behaviour as part of a network that originated in "
     "Kenya,\" Meta said.\n\nAccording to Meta there were 20 Pages, 30 Facebook accounts, 6 Groups and 4 "
     "Instagram accounts with about 1.5 million accounts following one or more of these pages.\n\nMeta "
     "also said that about 3,000 accounts were members of at least one of these groups and around 900 "
     "accounts followed one or more of these Instagram accounts.",
     [("Facebook", {"combined_count": 60, "pages": 20, "accounts": 30, "groups": 6, "instagram_accounts": 4},
       {"Kenya"})]),
    ("YouTube removed 20 channels tied to Russia, four ad accounts and a Blogger site.",
     [("YouTube", {"channels": 20}, {"Russia"})]),
    # "the other network" tells again of one of the networks just reported, by its state
    ("Meta removed two networks for coordinated inauthentic behaviour, one tied to Iran and another with "
     "links to Egypt. One of them posed as news outlets. The other network used stolen photos and was "
     "tied to an Egyptian marketing firm.",
     [("Facebook", {}, {"Egypt"}), ("Facebook", {}, {"Iran"})]),
    ("Twitter suspended two networks for coordinated inauthentic behaviour, one tied to China and another "
     "tied to Russia. One network posted about Hong Kong. The other campaign ran fake news sites and was "
     "linked to Russian military intelligence.",
     [("Twitter", {}, {"China"}), ("Twitter", {}, {"Russia"})]),
    # negatives beside them: "a third network" is one more
    ("Facebook removed two networks for coordinated inauthentic behaviour, one from Ghana and one from "
     "Nigeria. A third network was run from Nigeria and posed as local news.",
     [("Facebook", {}, {"Ghana"}), ("Facebook", {}, {"Nigeria"}), ("Facebook", {}, {"Nigeria"})]),
    # a network conjoined after the counted assets, with an article of its own, is another one
    ("Meta said it had removed about 7,700 Facebook accounts and 950 pages tied to a Chinese influence "
     "operation, as well as a smaller network from Russia that targeted voters in Germany.",
     [("Facebook", {"accounts": 7700, "pages": 950}, {"China"}), ("Facebook", {}, {"Russia"})]),
    # ... also plural, and also when the parser hangs it on the verb
    ("Twitter said it had removed 23,750 fake accounts tied to a Chinese state-backed influence operation, "
     "as well as networks linked to Russia and Turkey.",
     [("Twitter", {"accounts": 23750}, {"China"}), ("Twitter", {}, {"Russia"}), ("Twitter", {}, {"Turkey"})]),
    # a list item whose noun is left out, made a clause of its own by the parser
    ("Google said it terminated YouTube channels for coordinated influence operations. Google also "
     "terminated 90 channels linked to Azerbaijan and 30 linked to Iran.",
     [("YouTube", {"channels": 90}, {"Azerbaijan"}), ("YouTube", {"channels": 30}, {"Iran"})]),
    # a sentence that counts a set of its own, as its subject, tells of another set: its state is
    # not the counted network's before it, however vague its figure ("254 of them" is a share)
    ("Google said it terminated YouTube channels for coordinated influence operations. The largest "
     "share, 7,700 channels, was linked to China. More than 2,000 channels were linked to Russia.",
     [("YouTube", {"channels": 7700}, {"China"})]),
    ("Facebook removed 652 pages for coordinated inauthentic behavior linked to Iran. Its security chief "
     "said 254 of them were linked to Russia.",
     [("Facebook", {"pages": 652}, {"Iran", "Russia"})]),
    # a later sentence's removal of its own lends its states to no earlier removal, taken or not
    # (an article with no word of inauthentic behaviour keeps only the counted removal)
    ("Facebook said it took down 50 Instagram accounts run from Russia that targeted American voters.\n\n"
     "The social network also removed networks linked to Iran.",
     [("Facebook", {"instagram_accounts": 50}, {"Russia"})]),
    # negatives beside it: assets conjoined (no network noun), a counted network
    ("Meta said it had removed 7,700 Facebook accounts and 950 pages tied to a Chinese influence "
     "operation, as well as the network's Instagram accounts.",
     [("Facebook", {"accounts": 7700, "pages": 950}, {"China"})]),
    ("Meta said it had removed 7,700 Facebook accounts and 950 pages from China and Russia.",
     [("Facebook", {"accounts": 7700, "pages": 950}, {"China", "Russia"})]),
    # a state's networks named one by one are as many networks; counted but not named, one
    ("OpenAI said it disrupted four influence operations: two China-affiliated actors known as Alpha "
     "Storm and Beta Storm, an Iran-affiliated actor known as Gamma, and a Russia-affiliated actor "
     "known as Delta.",
     [("OpenAI", {}, {"China"}), ("OpenAI", {}, {"China"}), ("OpenAI", {}, {"Iran"}),
      ("OpenAI", {}, {"Russia"})]),
    ("Meta said it removed two networks from Iran for coordinated inauthentic behaviour.",
     [("Facebook", {}, {"Iran"})]),
    ("Meta said it removed two Iranian networks, known as Alpha, for coordinated inauthentic behaviour.",
     [("Facebook", {}, {"Iran"})]),
    ("Meta said it removed two networks of 300 accounts from Iran, known as Alpha and Beta.",
     [("Facebook", {"accounts": 300}, {"Iran"})]),
]


@pytest.mark.parametrize(("text", "expected"), ONE_NETWORK, ids=[t[:48] for t, _ in ONE_NETWORK])
def test_networks(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


NOT_INFLUENCE = [
    # a spam, scam or fake-engagement purge with no state link
    "Twitter said it suspended 70,000 spam accounts that sold fake followers and likes.",
    "LinkedIn said it removed 2 million fake accounts in the first half of the year, most of them scammers.",
    "Instagram deleted 9,000 fake accounts that sold fake likes to brands.",
    "YouTube terminated 300 channels for spam and scams over the quarter.",
    # influence wording only inside other words ("selection", "patrolled"): still a spam purge
    "YouTube terminated 300 channels for spam and scams in a selection of its markets.",
    "Instagram deleted 9,000 fake accounts selling fake likes in patrolled sweeps.",
    "Google said it terminated 14 YouTube channels in an operation it believes was financially motivated.",
    # ... also where the text then says where the scam was run from
    "Twitter said it removed 10,000 bot accounts promoting a cryptocurrency scam.\n\nThe accounts were run "
    "from Nigeria, the company said.",
    # a threat report that removes nothing
    "Microsoft's threat report said hackers linked to Russia targeted 60 accounts of officials with fake "
    "messages.",
    "OpenAI's latest threat report described five covert influence operations linked to China and Iran.",
    # a ban under another policy, in an article about inauthentic behaviour
    "Meta publishes reports on coordinated inauthentic behaviour.\n\nThe company banned accounts linked to "
    "the Wagner Group under its dangerous organisations policy.",
    "Meta publishes reports on coordinated inauthentic behaviour.\n\nYouTube removed 40 channels linked to "
    "the Iranian militia for hate speech.",
]


@pytest.mark.parametrize("text", NOT_INFLUENCE, ids=[t[:48] for t in NOT_INFLUENCE])
def test_not_influence_takedowns(nlp, text: str) -> None:
    assert takedowns_of(nlp, text) == []


STILL_INFLUENCE: list[tuple[str, list[TD]]] = [
    # negatives beside them: spam wording with a state, an actor or influence wording stays
    ("Twitter removed 259 accounts tied to a ruling party for spamming and coordinated retweets.",
     [("Twitter", {"accounts": 259}, set())]),
    ("YouTube removed 40 spam channels in a coordinated inauthentic campaign.",
     [("YouTube", {"channels": 40}, set())]),
    ("Facebook removed 80 spammy accounts run from Iran that pushed state propaganda.",
     [("Facebook", {"accounts": 80}, {"Iran"})]),
    ("Twitter said it removed 10,000 spam accounts.\n\nThe accounts were run by Iran's state broadcaster, "
     "the company said.", [("Twitter", {"accounts": 10000}, {"Iran"})]),
    # another policy beside inauthentic behaviour in the removal's own sentence
    ("Meta banned 60 accounts linked to the Wagner Group for coordinated inauthentic behaviour, after "
     "earlier bans under its dangerous organisations policy.",
     [("Facebook", {"accounts": 60}, {"Russia"})]),
    # accounts kept from being created are not counted as removed
    ("LinkedIn removed 20 fake accounts tied to Iran. LinkedIn added that it stopped 7 million accounts "
     "from being created last year.",
     [("LinkedIn", {"accounts": 20}, {"Iran"})]),
]


@pytest.mark.parametrize(("text", "expected"), STILL_INFLUENCE, ids=[t[:48] for t, _ in STILL_INFLUENCE])
def test_still_influence(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)

def records(nlp, text: str) -> list[tuple]:
    facts = extract_article(parse_article("Case\n" + text, file="case.txt"), nlp)
    return sorted(
        (t.platform, tuple(a.state for a in t.attributions), t.counts.accounts, t.counts.pages)
        for t in facts.takedowns
    )


SAID_ONCE: list[tuple[str, list[tuple]]] = [
    (
        "Twitter said it removed more than 9,000 accounts for coordinated inauthentic behaviour: "
        "2,000 accounts in a core network, and 7,000 amplifier accounts tied to a Peruvian influence "
        "operation.",
        [("Twitter", ("Peru",), 2000, None), ("Twitter", ("Peru",), 7000, None)],
    ),
    (
        "Meta said it removed two networks linked to Peru for coordinated inauthentic behaviour. The "
        "first network had 90 pages and 30 accounts. The second network had 45 accounts and 12 pages.",
        [("Facebook", ("Peru",), 30, 90), ("Facebook", ("Peru",), 45, 12)],
    ),
]

NOT_SHARED: list[tuple[str, list[tuple]]] = [
    # the other network has a named operator of its own
    (
        "Meta removed 90 pages and 30 accounts linked to Peru for coordinated inauthentic behaviour. "
        "It also removed 45 accounts and 12 pages run by Brightline Media for coordinated inauthentic "
        "behaviour.",
        [("Facebook", (), 45, 12), ("Facebook", ("Peru",), 30, 90)],
    ),
    # another platform's network
    (
        "Meta removed 90 pages and 30 accounts linked to Peru for coordinated inauthentic behaviour. "
        "Twitter removed 45 accounts for platform manipulation.",
        [("Facebook", ("Peru",), 30, 90), ("Twitter", (), 45, None)],
    ),
    # the report names several origins: each network keeps its own
    (
        "Meta removed hundreds of accounts from Peru, Chile and Bolivia for coordinated inauthentic "
        "behaviour. One operation originated in Peru, the other in Chile and Bolivia. The effort out "
        "of Peru targeted Ecuador. 45 accounts and 12 pages were deleted. From the Chile and Bolivia "
        "network, Meta removed 90 pages and 30 accounts.",
        [("Facebook", ("Bolivia", "Chile"), 30, 90), ("Facebook", ("Peru",), 45, 12)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SAID_ONCE + NOT_SHARED)
def test_platform_state_said_once(nlp, text: str, expected: list[tuple]) -> None:
    assert records(nlp, text) == expected


# ---- platforms: Google's takedowns are YouTube's (the events' convention) ---------------------
GOOGLE: list[tuple[str, list[tuple]]] = [
    (
        "Google said it had removed accounts tied to a Peruvian influence operation.",
        [("YouTube", ("Peru",), None, None)],
    ),
    (
        "Google's Threat Analysis Group terminated 40 channels linked to Peru's government in a "
        "coordinated influence operation.",
        [("YouTube", ("Peru",), None, None)],
    ),
]


@pytest.mark.parametrize(("text", "expected"), GOOGLE)
def test_google_takedowns_are_youtube(nlp, text: str, expected: list[tuple]) -> None:
    assert records(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "channels"),
    [
        ("Google's Threat Analysis Group terminated 40 accounts linked to Peru's government in a "
         "coordinated influence operation.", 40),
        ("YouTube removed 40 accounts linked to Peru's government in a coordinated influence operation.", 40),
    ],
)
def test_youtube_accounts_are_channels(nlp, text: str, channels: int) -> None:
    """An account removed on YouTube is a channel (the events' convention)."""
    from extract_tools import facts

    found = [(t.platform, t.counts.channels) for t in facts(nlp, "Case\n\n" + text).takedowns]
    assert found == [("YouTube", channels)]


# ---- a summary's states: each goes to the counted network whose own sentence names it ----------
SUMMARY_STATES: list[tuple[str, dict[int, set[str]]]] = [
    ("Twitter said it has deleted thousands of fake accounts from Iran, Russia, Venezuela and Bangladesh."
     "\n\nThe company said it had suspended 2,617 malicious accounts in Iran.\n\nIt also deleted 418 "
     "Russian accounts.",
     {2617: {"Iran"}, 418: {"Russia"}}),
    ("Meta said it removed fake accounts from Bolivia and Peru.\n\nMeta said it suspended 120 fake "
     "accounts in Peru.",
     {120: {"Peru"}}),
]


@pytest.mark.parametrize(("text", "expected"), SUMMARY_STATES, ids=[t[:40] for t, _ in SUMMARY_STATES])
def test_a_summary_state_goes_to_the_network_naming_it(nlp, text: str, expected: dict[int, set[str]]) -> None:
    found = {c["accounts"]: states for _, c, states in takedowns_of(nlp, text) if "accounts" in c}
    assert {n: found.get(n) for n in expected} == expected


# ---- a summary's states the breakdown leaves out: a network each, from the summary alone -------
LISTED_APART: list[tuple[str, list[TD]]] = [
    ("Twitter said it has deleted thousands of fake accounts from Iran, Russia, Venezuela and Bangladesh."
     "\n\nThe company said it had suspended 2,617 malicious accounts in Iran.\n\nIt also deleted 418 "
     "Russian accounts.",
     [("Twitter", {"accounts": 2617}, {"Iran"}), ("Twitter", {"accounts": 418}, {"Russia"}),
      ("Twitter", {}, {"Venezuela"}), ("Twitter", {}, {"Bangladesh"})]),
    ("Facebook said on Tuesday it had removed fake accounts from Egypt, Nigeria and Peru.\n\nThe Egyptian "
     "network included 120 accounts and 40 pages.\n\nThe company removed 30 accounts in Nigeria.",
     [("Facebook", {"accounts": 120, "pages": 40}, {"Egypt"}), ("Facebook", {"accounts": 30}, {"Nigeria"}),
      ("Facebook", {}, {"Peru"})]),
    ("YouTube said it took down inauthentic channels tied to China, Russia and Iran.\n\nIt removed 1,200 "
     "channels linked to China and 300 channels linked to Russia.",
     [("YouTube", {"channels": 1200}, {"China"}), ("YouTube", {"channels": 300}, {"Russia"}),
      ("YouTube", {}, {"Iran"})]),
    # negatives beside them: every listed state counted, or told again by a network of its own
    ("Facebook said it removed fake accounts from Iran and Russia.\n\nThe Iranian network had 50 "
     "accounts.\n\nThe Russian network had 20 pages.",
     [("Facebook", {"accounts": 50}, {"Iran"}), ("Facebook", {"pages": 20}, {"Russia"})]),
    ("Facebook takes down inauthentic accounts from Iran and Russia\n\nFacebook removed three networks "
     "for coordinated inauthentic behaviour. The first network had 93 accounts and was run from Iran. "
     "The second and third networks originated in Russia and Iran.",
     [("Facebook", {"accounts": 93}, {"Iran"}), ("Facebook", {}, {"Iran"}), ("Facebook", {}, {"Russia"})]),
    # states in separate roles are no list of networks
    ("China's disinformation campaign has prompted concern from U.S. lawmakers.\n\nYouTube said it "
     "disabled 210 channels that behaved in a coordinated manner tied to China.",
     [("YouTube", {"channels": 210}, {"China"})]),
]


@pytest.mark.parametrize(("text", "expected"), LISTED_APART, ids=[t[:48] for t, _ in LISTED_APART])
def test_a_summary_state_left_out_of_the_breakdown_is_a_network(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


# ---- what the next sentence says of another set: a larger one, or an earlier removal -----------
OTHER_SET: list[tuple[str, list[TD]]] = [
    ("Twitter removed 418 fake Russian accounts.\n\nMore than 1,000 accounts located in Venezuela were "
     "engaged in a state-backed influence campaign, the company said.",
     [("Twitter", {"accounts": 418}, {"Russia"})]),
    ("Facebook removed 80 fake accounts on Tuesday.\n\nMore than 5,000 accounts linked to Iran were "
     "removed last year, the company said.",
     [("Facebook", {"accounts": 80}, set())]),
    # negatives beside them: a part of the network, or the same figure rounded
    ("Facebook removed 652 fake pages, groups and accounts on Tuesday. Of those, 254 were linked to Iran.",
     [("Facebook", {"combined_count": 652}, {"Iran"})]),
    ("Facebook removed 1,050 fake accounts on Tuesday. More than 1,000 of the accounts were linked to "
     "Iran, the company said.",
     [("Facebook", {"accounts": 1050}, {"Iran"})]),
]


@pytest.mark.parametrize(("text", "expected"), OTHER_SET, ids=[t[:48] for t, _ in OTHER_SET])
def test_the_next_sentence_about_another_set_lends_no_state(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


# ---- networks told one by one after their summary, the noun left out ----------------------------
ONE_BY_ONE: list[tuple[str, list[TD]]] = [
    ("Meta said it removed three networks for coordinated inauthentic behaviour.\n\nOne was based in Russia. "
     "Another was based in China. The third originated in Israel.",
     [("Facebook", {}, {"Russia"}), ("Facebook", {}, {"China"}), ("Facebook", {}, {"Israel"})]),
    ("OpenAI said it disrupted three covert influence operations that used its tools.\n\nThe first, from "
     "Russia, wrote comments in English.\n\nThe third was linked to Iran.",
     [("OpenAI", {}, {"Russia"}), ("OpenAI", {}, {"Iran"})]),
    # negatives beside them: "the other" tells again of one already reported; "one of the accounts"
    # is no network
    ("Meta removed two networks for coordinated inauthentic behaviour, one tied to Iran and another tied "
     "to Egypt. The other was run by a marketing firm based in Egypt.",
     [("Facebook", {}, {"Iran"}), ("Facebook", {}, {"Egypt"})]),
    ("Meta removed a network for coordinated inauthentic behaviour that originated in Russia. Another of "
     "the accounts posed as a journalist.",
     [("Facebook", {}, {"Russia"})]),
]


@pytest.mark.parametrize(("text", "expected"), ONE_BY_ONE, ids=[t[:48] for t, _ in ONE_BY_ONE])
def test_networks_told_one_by_one_after_their_summary(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


# ---- a summary's actor and a network told again by its state ------------------------------------
def test_a_summary_lends_each_network_only_its_own_states_actors(nlp) -> None:
    from extract_tools import facts

    text = ("Meta removes networks\n\nMeta said it had taken down two networks of fake accounts, one based "
            "in China and another in Russia.\n\nThe Chinese network comprised 412 Facebook accounts.\n\nThe "
            "Russian operation had 63 Facebook accounts. Meta said it found links to individuals associated "
            "with the Internet Research Agency.")
    found = {t.attributed_to: t.actors for t in facts(nlp, text).takedowns}
    assert found == {("China",): (), ("Russia",): ("Internet Research Agency",)}


TOLD_AGAIN: list[tuple[str, list[TD]]] = [
    ("Twitter suspended 5,350 fake accounts directed by the government of Saudi Arabia.\n\nIn a separate "
     "move, Twitter also removed 4,000 spam accounts promoting a cryptocurrency giveaway. Analysts said "
     "the Saudi network had tweeted more than 32 million times.",
     [("Twitter", {"accounts": 5350}, {"Saudi Arabia"})]),
    # negative beside it: a state no other network has is this network's
    ("Twitter suspended 5,350 fake accounts directed by the government of Saudi Arabia.\n\nTwitter also "
     "removed 400 fake accounts on Tuesday. Analysts said the Egyptian network had tweeted 2 million times.",
     [("Twitter", {"accounts": 5350}, {"Saudi Arabia"}), ("Twitter", {"accounts": 400}, {"Egypt"})]),
]


@pytest.mark.parametrize(("text", "expected"), TOLD_AGAIN, ids=[t[:48] for t, _ in TOLD_AGAIN])
def test_a_network_told_again_by_its_state_lends_it_to_no_other(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)
