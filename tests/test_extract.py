"""Extraction rules, as tables of (text, expected facts). Sentences are our own, not the seeds'.

Each expected takedown is (platform, {count field: value}, {states}); each expected denial is
(state, claimant platforms). A case passes when the extracted facts are exactly these.
"""

from __future__ import annotations

import pytest

from kg.extract import extract_article
from kg.ingest import parse_article

pytestmark = pytest.mark.model

TD = tuple[str, dict[str, int], set[str]]


def facts(nlp, text: str):
    article = parse_article(text, file="case.txt")
    return extract_article(article, nlp)


def takedowns_of(nlp, text: str) -> list[TD]:
    f = facts(nlp, text)
    return sorted(
        ((t.platform, dict(t.counts.items()), set(t.attributed_to)) for t in f.takedowns),
        key=repr,
    )


REMOVALS: list[tuple[str, list[TD]]] = [
    # verb classes, active
    ("Snapchat removed 41 accounts that pushed coordinated propaganda on behalf of the Iranian government.",
     [("Snapchat", {"accounts": 41}, {"Iran"})]),
    ("TikTok suspended 18 fake accounts run from Pakistan.",
     [("TikTok", {"accounts": 18}, {"Pakistan"})]),
    ("Reddit banned 61 troll accounts it linked to Russia.",
     [("Reddit", {"accounts": 61}, {"Russia"})]),
    ("OpenAI terminated 12 accounts associated with a covert influence operation based in Israel.",
     [("OpenAI", {"accounts": 12}, {"Israel"})]),
    ("Microsoft disabled 9 accounts used by a state-backed hacking group in North Korea, tied to Pyongyang.",
     [("Microsoft", {"accounts": 9}, {"North Korea"})]),
    ("Twitter purged 3,021 bot accounts that originated in Saudi Arabia in a coordinated manipulation campaign.",
     [("Twitter", {"accounts": 3021}, {"Saudi Arabia"})]),
    ("Meta deleted 250 inauthentic Pages linked to the army of Myanmar.",
     [("Facebook", {"pages": 250}, {"Myanmar"})]),
    # phrasal verbs
    ("YouTube took down 210 channels that behaved in a coordinated manner and were tied to China.",
     [("YouTube", {"channels": 210}, {"China"})]),
    ("Facebook shut down 22 fake Pages operated from Nigeria.",
     [("Facebook", {"pages": 22}, {"Nigeria"})]),
    ("TikTok is cracking down on 95 propaganda accounts run by Russian state media.",
     [("TikTok", {"accounts": 95}, {"Russia"})]),
    # passive, reduced passive, relative clause, noun
    ("Some 77 fake accounts were suspended by Twitter after it tied them to the Venezuelan government.",
     [("Twitter", {"accounts": 77}, {"Venezuela"})]),
    ("In coordinated inauthentic behaviour news, 64 Instagram accounts removed by Meta were Iranian.",
     [("Facebook", {"instagram_accounts": 64}, set())]),
    ("Meta announced the takedown of 35 fake pages run by the Egyptian military.",
     [("Facebook", {"pages": 35}, {"Egypt"})]),
    ("Reddit announced the removal of 14 troll accounts connected to the Chinese embassy.",
     [("Reddit", {"accounts": 14}, {"China"})]),
    ("The inauthentic network Facebook removed on Friday included 44 accounts tied to the Kremlin.",
     [("Facebook", {"accounts": 44}, {"Russia"})]),
    # count formats
    ("Facebook removed 120 Facebook and 40 Instagram accounts tied to the Iranian army in a coordinated campaign.",
     [("Facebook", {"accounts": 120, "instagram_accounts": 40}, {"Iran"})]),
    ("Meta removed eleven Pages, four Groups and twenty-two Facebook accounts from Belarus for coordinated inauthentic behavior.",
     [("Facebook", {"pages": 11, "groups": 4, "accounts": 22}, {"Belarus"})]),
    ("Facebook removed 310 accounts, pages and groups that were part of a coordinated network linked to Iran.",
     [("Facebook", {"combined_count": 310}, {"Iran"})]),
    ("Twitter said it suspended about 4,300 accounts that were part of a state-backed campaign in Turkey, linked to Ankara.",
     [("Twitter", {"accounts": 4300}, {"Turkey"})]),
    ("Twitter said it suspended over 4,300 accounts linked to the Turkish government in a coordinated campaign.",
     [("Twitter", {}, {"Turkey"})]),
    ("Meta removed more than a thousand fake accounts tied to Ethiopia.",
     [("Facebook", {}, {"Ethiopia"})]),
    ("Facebook removed hundreds of fake accounts linked to the Sudanese military.",
     [("Facebook", {}, {"Sudan"})]),
    ("TikTok deleted approximately 1,500 fake accounts connected to the Chinese government.",
     [("TikTok", {"accounts": 1500}, {"China"})]),
    ("Google removed 5 YouTube channels in a coordinated influence operation linked to Iran.",
     [("YouTube", {"channels": 5}, {"Iran"})]),
    ("Twitter removed 1.2 million fake accounts tied to the Iranian government.",
     [("Twitter", {"accounts": 1_200_000}, {"Iran"})]),
    ("Facebook removed 93 profiles on Instagram linked to Iran in a coordinated network.",
     [("Facebook", {"instagram_accounts": 93}, {"Iran"})]),
    # attribution wording and organisations
    ("Meta removed 80 fake accounts it attributed to the Internet Research Agency.",
     [("Facebook", {"accounts": 80}, {"Russia"})]),
    ("Twitter removed 130 Cuban accounts spreading state propaganda.",
     [("Twitter", {"accounts": 130}, {"Cuba"})]),
    ("Facebook removed 39 Russia-based fake accounts in a coordinated operation.",
     [("Facebook", {"accounts": 39}, {"Russia"})]),
    ("Facebook removed a Kremlin-backed network of 52 fake accounts.",
     [("Facebook", {"accounts": 52}, {"Russia"})]),
    ("YouTube terminated 17 channels run by Global Times staff in a coordinated campaign.",
     [("YouTube", {"channels": 17}, {"China"})]),
    ("TikTok suspended 26 propaganda accounts directed by the Royal Thai Army.",
     [("TikTok", {"accounts": 26}, {"Thailand"})]),
    ("Facebook removed 70 fake accounts that originated in Iran and Russia and had 3,000 followers.",
     [("Facebook", {"accounts": 70}, {"Iran", "Russia"})]),
    # targets are not attributions
    ("Twitter removed 88 fake accounts from Iran targeting users in Israel.",
     [("Twitter", {"accounts": 88}, {"Iran"})]),
    ("Facebook removed 45 fake accounts targeting Ukraine.",
     [("Facebook", {"accounts": 45}, set())]),
    ("Meta removed 27 inauthentic accounts aimed at audiences in France and Mali.",
     [("Facebook", {"accounts": 27}, set())]),
    ("Twitter suspended 19 fake accounts attacking the Qatari government.",
     [("Twitter", {"accounts": 19}, set())]),
    ("Facebook removed 31 fake accounts posting about Chinese politics.",
     [("Facebook", {"accounts": 31}, set())]),
    # attribution in the next sentence
    ("Reddit removed 55 troll accounts on Tuesday. The accounts were linked to Iran, the company said.",
     [("Reddit", {"accounts": 55}, {"Iran"})]),
    ("Facebook took down 66 fake Pages. The firm said they were run by people associated with the Saudi government.",
     [("Facebook", {"pages": 66}, {"Saudi Arabia"})]),
    # several networks of one platform
    ("Meta removed three networks from Iran, Russia and Egypt for coordinated inauthentic behaviour.",
     [("Facebook", {}, {"Egypt"}), ("Facebook", {}, {"Iran"}), ("Facebook", {}, {"Russia"})]),
    ("Twitter removed 300 accounts from Egypt and 150 accounts from Saudi Arabia in a coordinated manipulation sweep.",
     [("Twitter", {"accounts": 150}, {"Saudi Arabia"}), ("Twitter", {"accounts": 300}, {"Egypt"})]),
    ("Facebook removed two fake networks. The first network had 24 accounts and 3 pages, and originated in Iran. "
     "The second network had 61 accounts and was run from Russia.",
     [("Facebook", {"accounts": 24, "pages": 3}, {"Iran"}), ("Facebook", {"accounts": 61}, {"Russia"})]),
    ("Facebook removed 450 fake accounts run from Mexico and 320 more fake accounts run from Honduras.",
     [("Facebook", {"accounts": 320}, {"Honduras"}), ("Facebook", {"accounts": 450}, {"Mexico"})]),
    # counts behind "the company", no removal verb in the counting sentence
    ("Meta said it had removed a troll network tied to the Chinese police. The company said the network "
     "comprised 57 Facebook accounts and 12 Pages.",
     [("Facebook", {"accounts": 57, "pages": 12}, {"China"})]),
    # two platforms in one sentence
    ("Facebook and Twitter both suspended fake accounts linked to Iran.",
     [("Facebook", {}, {"Iran"}), ("Twitter", {}, {"Iran"})]),
    ("Twitter removed 210 fake accounts, while TikTok deleted 35 accounts tied to Russia.",
     [("TikTok", {"accounts": 35}, {"Russia"}), ("Twitter", {"accounts": 210}, set())]),
    # "we" in a quote is the platform the sentence says is speaking
    ("\u201cWorking with Microsoft, we removed 16 fake accounts tied to Iran,\u201d OpenAI said.",
     [("OpenAI", {"accounts": 16}, {"Iran"})]),
    # the removed thing "included" the counts
    ("The suspended accounts included 48 accounts that posted propaganda for Russia and 23 Cuban accounts, "
     "Twitter said.",
     [("Twitter", {"accounts": 23}, {"Cuba"}), ("Twitter", {"accounts": 48}, set())]),
    # a number whose noun is left out
    ("Twitter removed 4,100 fake accounts from Egypt and 260 from Qatar.",
     [("Twitter", {"accounts": 260}, {"Qatar"}), ("Twitter", {"accounts": 4100}, {"Egypt"})]),
    # stance prefixes and targets
    ("Facebook removed 33 anti-Ukrainian fake accounts linked to Belarus.",
     [("Facebook", {"accounts": 33}, {"Belarus"})]),
    ("Meta removed 19 pro-Russian fake accounts run from Serbia.",
     [("Facebook", {"accounts": 19}, {"Serbia"})]),
    # a place inside a newspaper's name is not a state
    ("Twitter removed 21 fake accounts that shared Washington Post stories, tied to Saudi Arabia.",
     [("Twitter", {"accounts": 21}, {"Saudi Arabia"})]),
    # another platform's report of "the same operation"
    ("Meta removed 900 fake accounts linked to Chinese police. YouTube later removed 40 channels tied to the "
     "same operation.",
     [("Facebook", {"accounts": 900}, {"China"}), ("YouTube", {"channels": 40}, {"China"})]),
    # three platforms, the last hung on the second
    ("Facebook, Twitter and Google removed fake accounts tied to Iran.",
     [("Facebook", {}, {"Iran"}), ("Twitter", {}, {"Iran"}), ("YouTube", {}, {"Iran"})]),
    # two platforms as the subject of a removal the parser reads as a modifier of its object
    ("Election interference\n\nTwitter and Facebook removed accounts linked to Iran.",
     [("Facebook", {}, {"Iran"}), ("Twitter", {}, {"Iran"})]),
    # "another N" with its noun left out is a further set; "another N" that does something is not
    ("Twitter removed 23,750 fake accounts that formed the core of a network linked to China and another "
     "150,000 that amplified its content.",
     [("Twitter", {"accounts": 23750}, {"China"}), ("Twitter", {"accounts": 150000}, {"China"})]),
    ("Meta removed 300 accounts for inauthentic behavior linked to Iran and another 2,000 followed its pages.",
     [("Facebook", {"accounts": 300}, {"Iran"})]),
    # ... or to "the same firm"
    ("Meta removed 500 fake accounts run by a marketing firm in Israel. OpenAI said it had banned accounts "
     "linked to the same firm.",
     [("Facebook", {"accounts": 500}, {"Israel"}), ("OpenAI", {}, {"Israel"})]),
    # another platform's removal of accounts tied to "the network" named before it
    ("Meta removed 300 fake accounts linked to Iran. Twitter said it had also suspended accounts tied to "
     "the network.",
     [("Facebook", {"accounts": 300}, {"Iran"}), ("Twitter", {}, {"Iran"})]),
    ("Meta removed 300 fake accounts linked to Iran. Twitter suspended 40 accounts connected to the "
     "Russian network.",
     [("Facebook", {"accounts": 300}, {"Iran"}), ("Twitter", {"accounts": 40}, {"Russia"})]),
    ("Meta removed 300 fake accounts linked to Iran. Twitter suspended 40 accounts tied to a network in Egypt.",
     [("Facebook", {"accounts": 300}, {"Iran"}), ("Twitter", {"accounts": 40}, {"Egypt"})]),
    # networks told one by one ("Another operation", "A third network"): each its own, the
    # next one's state never the one before's, however the parser reads the first phrase
    ("OpenAI said it banned accounts tied to influence operations from China. Another operation, linked "
     "to Iran, generated articles, the company said. A third network, run by a commercial firm in the "
     "Philippines, produced comments.",
     [("OpenAI", {}, {"China"}), ("OpenAI", {}, {"Iran"}), ("OpenAI", {}, {"Philippines"})]),
    # ... and one a summary named by its state is that one, told again
    ("OpenAI disrupts Chinese and Iranian influence campaigns\n\nOpenAI said it banned accounts tied to "
     "influence operations. Another operation, linked to Iran, generated articles.",
     [("OpenAI", {}, {"China"}), ("OpenAI", {}, {"Iran"})]),
    # a sentence about a further network of the same removal
    ("Facebook removed 60 fake accounts from Iran in a coordinated campaign. Another network of fake accounts "
     "originated in Russia.",
     [("Facebook", {"accounts": 60}, {"Iran"}), ("Facebook", {}, {"Russia"})]),
    # more phrasings
    ("TikTok said it had dismantled a covert influence network of 12 accounts operated from Azerbaijan.",
     [("TikTok", {"accounts": 12}, {"Azerbaijan"})]),
    ("Meta said on Thursday it took down 1,600 fake accounts and 63 Pages run by people in Nicaragua.",
     [("Facebook", {"accounts": 1600, "pages": 63}, {"Nicaragua"})]),
    ("The takedown included 23 Facebook accounts, 14 Pages and 11 Instagram accounts originating in Ethiopia, Meta said.",
     [("Facebook", {"accounts": 23, "pages": 14, "instagram_accounts": 11}, {"Ethiopia"})]),
    ("X suspended more than 500 accounts that it said were part of a state-backed campaign from China.",
     [("Twitter", {}, {"China"})]),
    ("Google said it had blocked 1,000 YouTube channels as part of a Chinese government disinformation push.",
     [("YouTube", {"channels": 1000}, {"China"})]),
    ("OpenAI said it banned accounts linked to covert influence operations from Russia, China and Israel.",
     [("OpenAI", {}, {"China"}), ("OpenAI", {}, {"Israel"}), ("OpenAI", {}, {"Russia"})]),
    ("Microsoft said it had disabled 20 accounts belonging to a hacking group backed by the North Korean state.",
     [("Microsoft", {"accounts": 20}, {"North Korea"})]),
    ("Roughly 1,100 accounts tied to the Thai military were suspended by Twitter on Wednesday.",
     [("Twitter", {"accounts": 1100}, {"Thailand"})]),
    ("Meta removed a network of 50 Facebook accounts and 4 Instagram accounts. Meta said the operation "
     "originated in Russia and targeted Ukraine.",
     [("Facebook", {"accounts": 50, "instagram_accounts": 4}, {"Russia"})]),
    ("Facebook said it had suspended 5 fake accounts. The accounts, which had 3,000 followers, posted about "
     "politics in Kenya.",
     [("Facebook", {"accounts": 5}, set())]),
    # no attribution at all
    ("YouTube removed 40 spam channels in a coordinated inauthentic campaign.",
     [("YouTube", {"channels": 40}, set())]),
    # a place fronted before the removal clause is where the network was (tests/test_extract_attribution.py)
    ("In India, Facebook removed 15 fake accounts spreading misinformation.",
     [("Facebook", {"accounts": 15}, {"India"})]),
]

NEGATIVES: list[str] = [
    "Facebook did not remove the fake accounts linked to Iran.",
    "Twitter could remove fake accounts tied to Russia if it finds more evidence of coordinated activity.",
    "Meta would suspend any fake accounts linked to China, the company said.",
    "Officials asked TikTok to remove the propaganda accounts linked to Russia.",
    "A spokesperson for Facebook declined to comment on accounts linked to Iran.",
    "Facebook has 2.9 billion users and 200 million businesses use its fake-free tools.",
    "The company opened an office in Dubai with 40 staff.",
    "Russia banned Facebook and Twitter in March.",
    "China blocks Facebook, Twitter and YouTube.",
    "YouTube removed the campaign channel of the candidate to comply with US sanctions.",
    "The protesters said 300 of their accounts were suspended, and the government denied any role.",
    "Twitter will remove fake accounts linked to Russia, the company said, after it finds them.",
    "Facebook has been criticised for not removing fake accounts linked to Russia.",
    "Twitter is among the social media platforms banned in Iran, yet Iranian diplomats keep fake-free accounts.",
]


@pytest.mark.parametrize(("text", "expected"), REMOVALS, ids=[t[:48] for t, _ in REMOVALS])
def test_removals(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


@pytest.mark.parametrize("text", NEGATIVES, ids=[t[:48] for t in NEGATIVES])
def test_negatives(nlp, text: str) -> None:
    f = facts(nlp, text)
    assert f.takedowns == ()
    assert f.denials == ()


DENIALS: list[tuple[str, list[tuple[str, tuple[str, ...]]]]] = [
    ("TikTok removed 40 fake accounts linked to Iran. Iran's foreign ministry denied the allegations.",
     [("Iran", ("TikTok",))]),
    ("Meta removed 60 troll accounts tied to China. Foreign ministry spokesperson Wang Wenbin called the "
     "report groundless.",
     [("China", ("Facebook",))]),
    ("Twitter suspended 90 fake accounts linked to Russia. Kremlin spokesman Dmitry Peskov dismissed the "
     "claims.",
     [("Russia", ("Twitter",))]),
    ("Facebook removed 25 fake accounts run by the Egyptian military. The Egyptian embassy branded the "
     "report fabricated.",
     [("Egypt", ("Facebook",))]),
    ("Reddit banned 30 troll accounts connected to Iran. \u201cIran has nothing to do with these accounts,\u201d "
     "said Alireza Miryousefi, a spokesman for Iran's mission to the United Nations.",
     [("Iran", ("Reddit",))]),
    ("YouTube terminated 12 channels tied to Venezuela. The Venezuelan government rejected the accusation as "
     "baseless.",
     [("Venezuela", ("YouTube",))]),
    ("Twitter removed 400 fake accounts linked to the Thai army. The Royal Thai Army said the claims were "
     "unfounded.",
     [("Thailand", ("Twitter",))]),
    ("Meta removed 77 fake accounts tied to Belarus. Belarus's foreign ministry said Meta had failed to "
     "provide evidence.",
     [("Belarus", ("Facebook",))]),
    ("Chinese foreign ministry spokesperson Hua Chunying said the accusations by Twitter were groundless. "
     "Twitter had removed 936 fake accounts linked to China.",
     [("China", ("Twitter",))]),
    ("Iran's foreign ministry dismissed Facebook's announcement that it removed 120 fake accounts tied to "
     "Tehran as propaganda.",
     [("Iran", ("Facebook",))]),
]

B = "Facebook removed 40 fake accounts linked to Iran. "
DENIALS += [
    (B + "Tehran rejected the allegations as baseless.", [("Iran", ("Facebook",))]),
    (B + "An Iranian foreign ministry spokesman, Nasser Kanaani, said the claims were \u201cfabricated\u201d.",
     [("Iran", ("Facebook",))]),
    (B + "\u201cThis is another American lie,\u201d the Iranian embassy in London said in a statement.",
     [("Iran", ("Facebook",))]),
    (B + "Iran's state news agency IRNA called the report a smear campaign.", [("Iran", ("Facebook",))]),
    ("YouTube removed 25 channels linked to Russia. Kremlin spokesman Dmitry Peskov said Moscow had "
     "\u201cnothing to do\u201d with the channels.", [("Russia", ("YouTube",))]),
    ("TikTok removed 33 fake accounts run from China. China's embassy in Washington said it "
     "\u201cfirmly opposes\u201d the groundless smear.", [("China", ("TikTok",))]),
]

NOT_DENIALS: list[str] = [
    B + "Iranian officials did not respond to a request for comment.",
    B + "Iran did not deny the report.",
    "Twitter removed 50 fake accounts linked to Egypt. An Egyptian government spokesman declined to comment.",
    "TikTok removed 40 fake accounts linked to Iran. Iran's foreign ministry declined to comment.",
    "TikTok removed 40 fake accounts linked to Iran. Iran's foreign ministry did not respond to requests.",
    "TikTok removed 40 fake accounts linked to Iran. Iran's foreign ministry did not deny the claims.",
    "Twitter removed 50 fake accounts linked to Iran. France's ministry rejected a new tax bill.",
]


@pytest.mark.parametrize(("text", "expected"), DENIALS, ids=[t[:48] for t, _ in DENIALS])
def test_denials(nlp, text: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    f = facts(nlp, text)
    assert sorted((d.state, d.denies_claim_of) for d in f.denials) == sorted(expected)


@pytest.mark.parametrize("text", NOT_DENIALS, ids=[t[:48] for t in NOT_DENIALS])
def test_not_denials(nlp, text: str) -> None:
    assert facts(nlp, text).denials == ()


DATES = [
    ("Facebook cib\n2020-10-14\nOn Tuesday, Facebook removed 20 fake accounts linked to Iran.", "2020-10-13"),
    ("Facebook cib\n2020-10-14\nA day earlier, Facebook removed 20 fake accounts linked to Iran.", "2020-10-13"),
    ("Facebook cib\nOctober 14, 2020\nFacebook removed 20 fake accounts linked to Iran on October 9.", "2020-10-09"),
    ("Facebook cib\nFacebook removed 20 fake accounts linked to Iran on Tuesday.", None),
    ("Facebook cib\n2020-10-14\nFacebook removed 20 fake accounts linked to Iran in August.", None),
]


@pytest.mark.parametrize(("text", "expected"), DATES, ids=[t[1] or "none" for t in DATES])
def test_takedown_dates(nlp, text: str, expected: str | None) -> None:
    (td,) = facts(nlp, text).takedowns
    assert (td.date.isoformat() if td.date else None) == expected


def test_evidence_is_exact_substring(nlp) -> None:
    text = "Title line\n2021-05-01\nSome intro.\nMeta removed 14 fake accounts tied to Iran, it said.\n"
    f = facts(nlp, text)
    (td,) = f.takedowns
    ev = td.evidence
    assert text[ev.start : ev.end] == ev.sentence
    assert "14 fake accounts" in ev.sentence


def test_boilerplate_yields_nothing(nlp) -> None:
    text = (
        "News\nFacebook removed 10 fake accounts linked to Iran.\n"
        "Subscribe to our YouTube channel:\nTwitter removed 99 fake accounts linked to Russia.\n"
    )
    assert takedowns_of(nlp, text) == [("Facebook", {"accounts": 10}, {"Iran"})]


EARLIER = [
    # a year that dates something else does not make the removal an earlier one
    ("Facebook cib\n2018-04-03\nFacebook removed 70 fake accounts linked to Russia that meddled in the 2016 "
     "U.S. election. The company also said it removed more fake accounts tied to Russia.",
     [("Facebook", {"accounts": 70}, {"Russia"})]),
    # an earlier takedown mentioned in passing keeps its own count
    ("Facebook cib\n2018-04-03\nFacebook removed 70 fake accounts linked to Russia. In 2017, Facebook removed "
     "470 fake accounts linked to Russia.",
     [("Facebook", {"accounts": 70}, {"Russia"}), ("Facebook", {"accounts": 470}, {"Russia"})]),
]


@pytest.mark.parametrize(("text", "expected"), EARLIER, ids=["year-of-other-thing", "earlier-takedown"])
def test_earlier_takedowns(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)
