"""Attributing a network to states (``kg.extract.attribution``), by the conventions: origins,
a firm whose country is given, lists; never a target, audience, topic or stance; a party, a
firm with no country or a private person alone gives no state. Sentences are our own."""

from __future__ import annotations

import pytest
from extract_tools import TD, takedowns_of

pytestmark = pytest.mark.model

ATTRIBUTIONS: list[tuple[str, list[TD]]] = [
    # a firm's nationality
    ("Facebook removed 40 fake accounts run by a Brazilian PR company.",
     [("Facebook", {"accounts": 40}, {"Brazil"})]),
    ("Meta said it took down 65 accounts operated by an Israeli marketing firm in a coordinated campaign.",
     [("Facebook", {"accounts": 65}, {"Israel"})]),
    ("Twitter suspended 22 fake accounts managed by a Nigerian digital agency.",
     [("Twitter", {"accounts": 22}, {"Nigeria"})]),
    # lists
    ("TikTok removed 30 fake accounts linked to Peru and Chile.",
     [("TikTok", {"accounts": 30}, {"Chile", "Peru"})]),
    ("Meta removed 18 fake Pages linked to Bolivia, Ecuador and Colombia.",
     [("Facebook", {"pages": 18}, {"Bolivia", "Colombia", "Ecuador"})]),
    ("Meta removed four networks from Palestine, Poland, Belarus, and China for coordinated inauthentic "
     "behavior.",
     [("Facebook", {}, {"Belarus"}), ("Facebook", {}, {"China"}), ("Facebook", {}, {"Palestine"}),
      ("Facebook", {}, {"Poland"})]),
    # origins
    ("Facebook removed 55 fake accounts that originated in Ghana and Nigeria.",
     [("Facebook", {"accounts": 55}, {"Ghana", "Nigeria"})]),
    ("Twitter removed 70 fake accounts operated from Albania.",
     [("Twitter", {"accounts": 70}, {"Albania"})]),
    ("Meta removed 25 fake accounts run out of Vietnam.",
     [("Facebook", {"accounts": 25}, {"Vietnam"})]),
    ("Facebook removed 24 fake accounts linked to individuals in Egypt.",
     [("Facebook", {"accounts": 24}, {"Egypt"})]),
    # more cues of who runs a network: owned, staffed, ordered, at the behest of
    ("Meta removed 120 fake accounts owned by the government of Peru.",
     [("Facebook", {"accounts": 120}, {"Peru"})]),
    ("Meta removed 120 fake accounts staffed by employees in Peru.",
     [("Facebook", {"accounts": 120}, {"Peru"})]),
    ("Meta removed 120 fake accounts ordered by Peru's interior ministry.",
     [("Facebook", {"accounts": 120}, {"Peru"})]),
    ("Meta removed 120 fake accounts acting at the behest of Peru.",
     [("Facebook", {"accounts": 120}, {"Peru"})]),
    ("Meta removed 120 fake accounts run by a firm headquartered in Peru.",
     [("Facebook", {"accounts": 120}, {"Peru"})]),
    ("Meta removed 120 fake accounts maintained by Peru's army.",
     [("Facebook", {"accounts": 120}, {"Peru"})]),
    # ... and a currency an ad was paid in is no payer
    ("Meta removed 120 fake accounts that spent $5,000 on ads paid for in U.S. dollars and rubles.",
     [("Facebook", {"accounts": 120}, set())]),
    # targets, audiences, topics and stances are never attributions
    ("Facebook removed 30 Pages critical of Qatar that were run from Bahrain.",
     [("Facebook", {"pages": 30}, {"Bahrain"})]),
    ("Facebook removed 30 Pages supportive of Iran and run from Iraq.",
     [("Facebook", {"pages": 30}, {"Iraq"})]),
    ("Twitter removed 80 accounts hostile to Turkey that were linked to the UAE.",
     [("Twitter", {"accounts": 80}, {"United Arab Emirates"})]),
    ("Facebook removed 45 fake accounts focused on Sudan.",
     [("Facebook", {"accounts": 45}, set())]),
    ("Meta removed 20 fake accounts posting in support of Russia's position.",
     [("Facebook", {"accounts": 20}, set())]),
    ("Twitter removed 60 fake accounts sharing pro-China content.",
     [("Twitter", {"accounts": 60}, set())]),
    ("TikTok removed 32 fake accounts aimed at audiences in Taiwan and Japan.",
     [("TikTok", {"accounts": 32}, set())]),
    ("Facebook removed 12 fake accounts that posted about Venezuela.",
     [("Facebook", {"accounts": 12}, set())]),
    ("Meta removed 50 fake accounts targeting people in Moldova.",
     [("Facebook", {"accounts": 50}, set())]),
    ("Twitter removed 48 fake accounts engaged in discussions related to Israel.",
     [("Twitter", {"accounts": 48}, set())]),
    ("Facebook removed 15 fake accounts that spread news linked to Ukraine in a coordinated campaign.",
     [("Facebook", {"accounts": 15}, set())]),
    ("Meta removed 36 accounts from Tunisia focused on Togo and Ivory Coast.",
     [("Facebook", {"accounts": 36}, {"Tunisia"})]),
    ("Meta removed 90 Facebook accounts run by people in Iran who posed as news outlets in Israel.",
     [("Facebook", {"accounts": 90}, {"Iran"})]),
    # a target verb just before the state, even when the parser coordinates it with the origin
    ("Facebook and Twitter removed two influence operations. The companies said the operations were "
     "linked to Iran and Syria and targeted Israelis.",
     [("Facebook", {}, {"Iran"}), ("Facebook", {}, {"Syria"}), ("Twitter", {}, {"Iran"}),
      ("Twitter", {}, {"Syria"})]),
    ("Meta removed 50 accounts in an influence operation linked to Iran and aimed at Iraqis.",
     [("Facebook", {"accounts": 50}, {"Iran"})]),
    ("Twitter removed 30 accounts based in Ghana and focused on Nigeria.",
     [("Twitter", {"accounts": 30}, {"Ghana"})]),
    # negatives beside them: the origin after a target phrase still counts
    ("Facebook removed 20 pages targeting voters, run by the Iranian government.",
     [("Facebook", {"pages": 20}, {"Iran"})]),
    ("Facebook removed 20 pages operated by the Russian military against Ukraine.",
     [("Facebook", {"pages": 20}, {"Russia"})]),
    # accounts of a state body, or of its staff ("for", "at" it): the state's
    ("Twitter blocked dozens of accounts of journalists for Venezuelan state-run media in a crackdown "
     "on platform manipulation.",
     [("Twitter", {}, {"Venezuela"})]),
    ("Dozens of accounts of reporters for Iranian state media were also suspended by Twitter on Friday "
     "for platform manipulation.",
     [("Twitter", {}, {"Iran"})]),
    ("Twitter suspended 30 accounts of employees at the Egyptian information ministry for platform "
     "manipulation.",
     [("Twitter", {"accounts": 30}, {"Egypt"})]),
    ("Twitter suspended 12 accounts of the Egyptian information ministry for platform manipulation.",
     [("Twitter", {"accounts": 12}, {"Egypt"})]),
    # negatives beside them: critics or supporters "of" a body, staff of no state body
    ("Twitter suspended dozens of accounts of critics of the Russian government for platform "
     "manipulation.",
     [("Twitter", {}, set())]),
    ("Facebook removed 20 accounts of supporters of the Iranian military for coordinated inauthentic "
     "behavior.",
     [("Facebook", {"accounts": 20}, set())]),
    ("Twitter suspended 40 accounts of students at Russian universities for platform manipulation.",
     [("Twitter", {"accounts": 40}, set())]),
    # "those two countries", "both countries": the states named just before
    ("Peru and Chile: Facebook removed 38 accounts and 76 Pages originating in those two countries for "
     "coordinated inauthentic behaviour.",
     [("Facebook", {"accounts": 38, "pages": 76}, {"Chile", "Peru"})]),
    ("Officials in Kenya and Uganda were questioned. Meta removed 40 fake accounts run from both "
     "countries.",
     [("Facebook", {"accounts": 40}, {"Kenya", "Uganda"})]),
    # negatives beside them: countries named as targets, or as what the posts were about
    ("Russia attacked Ukraine and Georgia. Facebook removed 30 fake accounts that posted about those two "
     "countries.",
     [("Facebook", {"accounts": 30}, set())]),
    ("Voters in Chile and Peru were targeted. Facebook removed 30 fake accounts that targeted those two "
     "countries.",
     [("Facebook", {"accounts": 30}, set())]),
    # a language, a false claim of origin, the source of shared content: no state
    ("Facebook removed 30 Russian-language fake accounts in a coordinated campaign.",
     [("Facebook", {"accounts": 30}, set())]),
    ("Twitter removed 45 Arabic-language accounts linked to Saudi Arabia.",
     [("Twitter", {"accounts": 45}, {"Saudi Arabia"})]),
    ("Twitter removed 25 fake accounts that pretended to be based in Canada but were run from Iran.",
     [("Twitter", {"accounts": 25}, {"Iran"})]),
    ("Meta removed 31 fake accounts purporting to be run from Kenya in a coordinated campaign.",
     [("Facebook", {"accounts": 31}, set())]),
    ("YouTube removed 14 channels that shared content from Russian state media outlets.",
     [("YouTube", {"channels": 14}, set())]),
    ("Meta removed 44 accounts posing as Americans that originated in China.",
     [("Facebook", {"accounts": 44}, {"China"})]),
    # a party, a firm with no country, a private person: no state
    ("Facebook removed 26 fake accounts linked to the ruling party of Kenya.",
     [("Facebook", {"accounts": 26}, set())]),
    ("Twitter suspended 35 fake accounts tied to Zambia's ruling party.",
     [("Twitter", {"accounts": 35}, set())]),
    ("Meta removed 28 fake accounts linked to a Serbian opposition party.",
     [("Facebook", {"accounts": 28}, set())]),
    ("Meta removed 19 fake accounts linked to a marketing firm called Ace Media.",
     [("Facebook", {"accounts": 19}, set())]),
    ("Twitter suspended 33 fake accounts linked to a Brazilian businessman.",
     [("Twitter", {"accounts": 33}, set())]),
    # a place fronted before the removal clause, as in a report's section on one country
    ("In Cuba, Meta deactivated 363 fake Facebook accounts and 270 Pages.",
     [("Facebook", {"accounts": 363, "pages": 270}, {"Cuba"})]),
    ("In Nigeria, Twitter suspended 45 fake accounts that posed as local journalists.",
     [("Twitter", {"accounts": 45}, {"Nigeria"})]),
    ("In Moldova, TikTok removed 28 fake accounts targeting Romania.",
     [("TikTok", {"accounts": 28}, {"Moldova"})]),
    # ... not a place that frames someone else's words, nor a fronted time or document
    ("In Washington, officials said Facebook removed 19 fake accounts.",
     [("Facebook", {"accounts": 19}, set())]),
    ("In a blog post, Meta said it removed 33 fake accounts.",
     [("Facebook", {"accounts": 33}, set())]),
    ("In 2024, TikTok removed 21 fake accounts that posted about Serbia.",
     [("TikTok", {"accounts": 21}, set())]),
    # a definite state body that names no state refers back to the state named last
    ("Myanmar's generals face pressure. Facebook removed 30 fake accounts linked to the country's military.",
     [("Facebook", {"accounts": 30}, {"Myanmar"})]),
    ("Thailand held talks on Monday. Twitter said the 900 accounts it suspended were run by the army in a "
     "coordinated campaign.",
     [("Twitter", {"accounts": 900}, {"Thailand"})]),
    ("Officials in Uganda met on Friday. Facebook removed 20 fake accounts connected to the government's "
     "communications office.",
     [("Facebook", {"accounts": 20}, {"Uganda"})]),
    # ... but not to a target, and not with no state named before
    ("Facebook removed 40 fake accounts targeting Ukraine. The accounts were linked to the government, it "
     "said.",
     [("Facebook", {"accounts": 40}, set())]),
    ("Twitter removed 50 fake accounts linked to the government in a coordinated campaign.",
     [("Twitter", {"accounts": 50}, set())]),
    # a state that acts on the network's operator (sanctions, bans, blacklists it) is not its origin
    ("Meta removed 80 fake Pages run by Lakhta, a company sanctioned by the United States.",
     [("Facebook", {"pages": 80}, set())]),
    ("Facebook removed 50 fake accounts run by a firm that was blacklisted by Washington.",
     [("Facebook", {"accounts": 50}, set())]),
    ("Facebook removed 90 fake accounts linked to a news outlet banned by India.",
     [("Facebook", {"accounts": 90}, set())]),
    # ... beside one that hires or employs it, which does tie the network
    ("Facebook removed 30 fake accounts linked to a marketing firm employed by the Saudi government.",
     [("Facebook", {"accounts": 30}, {"Saudi Arabia"})]),
    ("Twitter removed 100 fake accounts created by a PR firm hired by the Egyptian government.",
     [("Twitter", {"accounts": 100}, {"Egypt"})]),
    # what the accounts claim of themselves is no origin; what is found of them is
    ("Facebook removed 35 fake accounts that falsely claimed to be based in Canada but were operated from "
     "Iran.",
     [("Facebook", {"accounts": 35}, {"Iran"})]),
    ("Facebook removed 35 fake accounts claiming to be based in Canada.",
     [("Facebook", {"accounts": 35}, set())]),
    ("Facebook removed 35 fake accounts claimed to be based in Iran.",
     [("Facebook", {"accounts": 35}, {"Iran"})]),
    # the identity put on, through the noun it is given ("journalists from Israel")
    ("Meta removed 300 fake accounts linked to Iran for coordinated inauthentic behaviour.\n\nThe people "
     "behind the activity posed as journalists from Israel.",
     [("Facebook", {"accounts": 300}, {"Iran"})]),
    ("Meta removed 300 fake accounts for coordinated inauthentic behaviour.\n\nThe people behind the "
     "activity were journalists from Israel.",
     [("Facebook", {"accounts": 300}, {"Israel"})]),
    # what a piece of content shows is not the network
    ("Meta removed 300 fake accounts for coordinated inauthentic behaviour.\n\nSome of the accounts used "
     "photos of Turkish actors.",
     [("Facebook", {"accounts": 300}, set())]),
    ("Meta removed 300 fake accounts for coordinated inauthentic behaviour.\n\nThe network was run by "
     "Turkish actors.",
     [("Facebook", {"accounts": 300}, {"Turkey"})]),
    # a network this one is compared with is not this one
    ("Twitter removed 22 fake accounts, similar to a network Russia ran in 2016.",
     [("Twitter", {"accounts": 22}, set())]),
    ("Twitter removed 22 fake accounts that used tactics like those of a network Iran operated in 2019.",
     [("Twitter", {"accounts": 22}, set())]),
    ("Twitter removed 22 fake accounts linked to Russia, similar to a network removed in 2016.",
     [("Twitter", {"accounts": 22}, {"Russia"})]),
    ("Meta removed 300 fake accounts for coordinated inauthentic behaviour.\n\nThe campaign was similar "
     "to one Meta removed in 2020 from Russia.",
     [("Facebook", {"accounts": 300}, set())]),
    ("Meta removed 300 fake accounts for coordinated inauthentic behaviour.\n\nThe campaign resembled "
     "one run from Russia.",
     [("Facebook", {"accounts": 300}, set())]),
    # a clause that likens what it tells to this network tells of others
    ("Meta closed 363 Facebook accounts for coordinated inauthentic behaviour.\n\nThe users were financed "
     "by the government, a situation which occurred with similar characteristics in countries such as "
     "Serbia and Bolivia.",
     [("Facebook", {"accounts": 363}, set())]),
    ("Meta closed 363 Facebook accounts for coordinated inauthentic behaviour.\n\nThe users were financed "
     "by the government of Serbia, with similar characteristics.",
     [("Facebook", {"accounts": 363}, {"Serbia"})]),
    ("Meta removed 300 fake accounts for coordinated inauthentic behaviour.\n\nThe campaign, much like "
     "others, was run from Russia.",
     [("Facebook", {"accounts": 300}, {"Russia"})]),
    # a cue read as its preposition has it: "based on a tip" gives grounds, "operated in" where the
    # network was active, which an origin the sentence also gives outranks
    ("Based on a tip from US law enforcement, Facebook removed 107 fake Pages that originated in Russia and "
     "operated in Ukraine.",
     [("Facebook", {"pages": 107}, {"Russia"})]),
    ("TikTok removed 120 fake accounts operating in Taiwan.", [("TikTok", {"accounts": 120}, {"Taiwan"})]),
    ("Facebook removed 45 fake accounts operating in Libya that it traced to people in Egypt.",
     [("Facebook", {"accounts": 45}, {"Egypt"})]),
    ("Facebook removed 30 fake accounts operated by the Iranian army.",
     [("Facebook", {"accounts": 30}, {"Iran"})]),
    # a cue said once for two conjuncts holds for the second ("and another in Russia")
    ("Meta said it removed two fake networks, one based in Iran and another in Egypt.",
     [("Facebook", {}, {"Egypt"}), ("Facebook", {}, {"Iran"})]),
    ("Meta said it removed two fake networks, one linked to Iran and another to Egypt.",
     [("Facebook", {}, {"Egypt"}), ("Facebook", {}, {"Iran"})]),
    # negatives beside them: a place of something else in the second conjunct
    ("Meta removed a fake network based in Iran, with pages in Arabic and posts about Iraq.",
     [("Facebook", {}, {"Iran"})]),
    # state organs by their own names: a regional government's service is its state's; a military
    # media wing known by its acronym; an intelligence service
    ("Meta removed 200 fake accounts run by the intelligence service of the Kurdistan Regional Government.",
     [("Facebook", {"accounts": 200}, {"Iraq"})]),
    ("Facebook removed 90 fake accounts linked to ISPR.", [("Facebook", {"accounts": 90}, {"Pakistan"})]),
    ("Twitter removed 90 fake accounts tied to the Ministry of State Security.",
     [("Twitter", {"accounts": 90}, {"China"})]),
    # negatives beside them: a state body or a state's government still gives the state
    ("Facebook removed 24 fake accounts linked to individuals associated with the Egyptian government.",
     [("Facebook", {"accounts": 24}, {"Egypt"})]),
    ("Twitter suspended 35 fake accounts tied to Zambia's information ministry.",
     [("Twitter", {"accounts": 35}, {"Zambia"})]),
    # the subject of an accusing or linking verb is the accuser, wherever it is based; its object
    # is the accused
    ("Meta removed 1,600 fake accounts linked to Russia for coordinated inauthentic behaviour.\n\n"
     "Russia's embassy in the United States accused Meta of information terrorism.",
     [("Facebook", {"accounts": 1600}, {"Russia"})]),
    ("Meta removed 300 fake accounts in a coordinated influence campaign.\n\n"
     "Officials in Britain blamed Iran for the accounts.",
     [("Facebook", {"accounts": 300}, {"Iran"})]),
    ("Meta removed 300 fake accounts in a coordinated influence campaign.\n\n"
     "The United States accused Iran of running the accounts.",
     [("Facebook", {"accounts": 300}, {"Iran"})]),
    ("Meta removed 300 fake accounts in a coordinated influence campaign.\n\n"
     "Researchers in Germany linked the accounts to Russia.",
     [("Facebook", {"accounts": 300}, {"Russia"})]),
    # a state in what the operator made or did is not who the operator is
    ("X suspended 40 accounts tied to a Russian bot farm that used AI to create fake American personas.",
     [("Twitter", {"accounts": 40}, {"Russia"})]),
    ("X suspended 40 accounts tied to a bot farm that created fake Canadian personas.",
     [("Twitter", {"accounts": 40}, set())]),
    ("X suspended 40 accounts tied to a bot farm that amplified Chinese state media.",
     [("Twitter", {"accounts": 40}, set())]),
    ("X suspended 40 accounts tied to a bot farm that was created by the Chinese army.",
     [("Twitter", {"accounts": 40}, {"China"})]),
]


@pytest.mark.parametrize(("text", "expected"), ATTRIBUTIONS, ids=[t[:48] for t, _ in ATTRIBUTIONS])
def test_attributions(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


# states said after a removal: the first sentence after it that names states is about this
# network; the one after that is about something else ("similar pages", "other accounts"). With
# nothing said in the first sentence after, the second one still names the network's state.
CARRIED: list[tuple[str, list[TD]]] = [
    ("Twitter suspends accounts\nTwitter suspended 80 fake accounts for platform manipulation. It said they"
     " were linked to Saudi Arabia. Analysts said some posts echoed claims by accounts tied to Egypt.",
     [("Twitter", {"accounts": 80}, {"Saudi Arabia"})]),
    ("Meta removes pages\nMeta removed 35 Pages for coordinated inauthentic behavior. The Pages were linked"
     " to Ethiopia. Similar pages linked to Kenya stayed online.",
     [("Facebook", {"pages": 35}, {"Ethiopia"})]),
    ("Facebook removes fake accounts\nFacebook removed 60 fake accounts for coordinated inauthentic"
     " behavior. The accounts posted about the election. The company said they were run from Iran.",
     [("Facebook", {"accounts": 60}, {"Iran"})]),
    ("Twitter suspends accounts\nTwitter suspended 80 fake accounts for platform manipulation. The accounts"
     " praised the government. It said they were linked to Saudi Arabia.",
     [("Twitter", {"accounts": 80}, {"Saudi Arabia"})]),
    # a counted network already tied to its state is followed by another network's sentence; a
    # state said once for two conjuncts ("one based in China and another in Russia") is each one's
    ("Meta disrupts networks\nMeta said it had dismantled two covert influence operations, one based in"
     " China and another in Russia. The Chinese operation ran 7,704 fake Facebook accounts. The Russian"
     " operation, known as Doppelganger, used websites that impersonated news outlets.",
     [("Facebook", {"accounts": 7704}, {"China"}), ("Facebook", {}, {"Russia"})]),
    # negatives beside it: the sentence after a counted network says more of where it was run
    ("Meta removes accounts\nMeta removed 90 fake accounts linked to Iran. The company said the network"
     " was run by people in Iran and Iraq.",
     [("Facebook", {"accounts": 90}, {"Iran", "Iraq"})]),
    ("Meta removes accounts\nMeta removed 90 fake accounts linked to Iran. The company said the network"
     " was run from Iraq.",
     [("Facebook", {"accounts": 90}, {"Iran", "Iraq"})]),
]


@pytest.mark.parametrize(("text", "expected"), CARRIED, ids=[t[:40] for t, _ in CARRIED])
def test_states_carried_from_the_first_sentence_naming_any(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


# ---- a state that is the subject of a verb of share whose object holds the assets ---------------
SHARES: list[tuple[str, dict[int, set[str]]]] = [
    ("Google said it terminated YouTube channels in coordinated influence operations.\n\nRussia accounted "
     "for 612 terminated channels.", {612: {"Russia"}}),
    ("Google said it terminated YouTube channels in coordinated influence operations.\n\nIran accounted "
     "for 58 of the channels, China for 300.", {58: {"Iran"}}),
    # negative beside them: the state accounts for no assets of the removal
    ("Google said it terminated 612 YouTube channels in coordinated influence operations.\n\nRussia "
     "accounted for most of the views, the company said.", {612: set()}),
]


@pytest.mark.parametrize(("text", "expected"), SHARES, ids=[t[-40:] for t, _ in SHARES])
def test_a_state_accounting_for_assets_is_their_origin(nlp, text: str, expected: dict[int, set[str]]) -> None:
    found = {c["channels"]: states for _, c, states in takedowns_of(nlp, text) if "channels" in c}
    assert {n: found.get(n) for n in expected} == expected


# a counted part named with "one", an ordinal or "another" is one of the plural set counted
# shortly before, and takes that set's states
PARTS: list[tuple[str, list[TD]]] = [
    ("Twitter released data on three sets of accounts from Nepal that it removed for platform "
     "manipulation. One set of 1,666 accounts shared news. A second set of 248 accounts discussed Bhutan. "
     "A third set of 2,865 accounts was removed in May.",
     [("Twitter", {"accounts": 1666}, {"Nepal"}), ("Twitter", {"accounts": 248}, {"Nepal"}),
      ("Twitter", {"accounts": 2865}, {"Nepal"})]),
    # negatives beside them: a part of a set counted without a state, a part of something else
    ("Twitter released data on three sets of accounts that it removed for platform manipulation. One set "
     "of 1,666 accounts shared news from Nepal's media.",
     [("Twitter", {"accounts": 1666}, set())]),
    ("Twitter said it removed two networks from Nepal for platform manipulation. One set of 1,666 "
     "accounts shared news.",
     [("Twitter", {"accounts": 1666}, {"Nepal"})]),
]


# what was removed "along with" a network the sentence ties to a state is of the same operation
PARTS += [
    ("Twitter said a core network of 2,375 Nepalese accounts had been removed, along with another 15,000 "
     "amplifier accounts. It also removed 300 accounts from Bhutan.",
     [("Twitter", {"accounts": 2375}, {"Nepal"}), ("Twitter", {"accounts": 15000}, {"Nepal"}),
      ("Twitter", {"accounts": 300}, {"Bhutan"})]),
    # negative beside it: a second removal in the sentence, not along with the first
    ("Twitter said a core network of 2,375 Nepalese accounts had been removed, while 15,000 other accounts "
     "were removed in a separate sweep. It also removed 300 accounts from Bhutan.",
     [("Twitter", {"accounts": 2375}, {"Nepal"}), ("Twitter", {"accounts": 15000}, set()),
      ("Twitter", {"accounts": 300}, {"Bhutan"})]),
]


@pytest.mark.parametrize(("text", "expected"), PARTS, ids=[t[-40:] for t, _ in PARTS])
def test_a_part_takes_the_states_of_its_set(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, "Case\n\n" + text) == sorted(expected, key=repr)
