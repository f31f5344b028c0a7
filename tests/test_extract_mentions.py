"""Removal mentions (``kg.extract.mentions``; triggers and agents in ``kg.extract.agents``,
objects in ``kg.extract.objects``): what is a removal, who removed, under which canonical
platform name, and which platform an agentless removal belongs to (a platform named only as a
place, an object or an example removed nothing; a later "accounts were also banned" is the
reporting platform's removal). Sentences are our own."""

from __future__ import annotations

import pytest
from extract_tools import TD, takedowns_of

from kg.extract import extract_article
from kg.ingest import parse_article

pytestmark = pytest.mark.model

NOT_REMOVALS = [
    # networks counted over years are a platform's record; its examples are no networks
    "The company has removed dozens of networks of fake accounts in recent years, including operations "
    "linked to Russia, China and Iran.",
    "Meta has taken down more than 200 covert influence networks since 2017.",
    # a removal asked for, or fought over, is none
    "TikTok filed a lawsuit to block a law that would ban the app in the United States, citing fake news.",
    "Russia's regulator has demanded that Google remove thousands of fake videos.",
    "Lawmakers asked that Twitter remove the fake accounts.",
    # CIB wording only inside other words ("both", "control", "personal"): the article is about
    # something else, and "killed" has a person for its object
    "Virus warning\n\nExperts said the virus attacks both home and business computers through Microsoft's "
    "Outlook, and its spread is out of control. Officials said a second person was killed.",
    # a headline's future
    "TikTok to remove fake accounts ahead of vote\n\nTikTok said it will remove fake accounts and label "
    "state media ahead of the election.",
    # a platform closing its own office removed no network
    "Twitter shuttered its office in Dubai last year.",
    # kept from existing is not removed
    "LinkedIn said it blocked 2 million fake accounts from being created in the first half of the year.",
    "Twitter stopped 400,000 bots from signing up last month, it said.",
    # one leader's page frozen for a rule breach
    "Facebook suspended the prime minister's page for 30 days for breaking its rules on hate speech.",
    "Twitter suspended the account of President Jair Bolsonaro for spreading misinformation.",
    "Facebook suspended the page of the president for 30 days for breaking its rules.",
    # one person banned, however the person is named
    "TikTok said it had banned a user who posted fake accounts content about the election.",
    "Twitter suspended a prominent blogger for fake accounts linked to Russia.",
    "X suspended Andrew Tate for running fake accounts linked to Russia.",
    # a threat report that removes nothing
    "Microsoft's threat report said Russian hackers targeted 60 accounts of officials with fake messages.",
    # a rate of the platform's whole enforcement, not a network
    "TikTok said it removed 98 percent of fake accounts before anyone reported them.",
    "LinkedIn said its defenses blocked 93% of all fake accounts it caught or took down in the period.",
    "Snapchat said it took down a small share of the fake accounts within an hour.",
    # content moderation: posts and content, and requests to remove them, with no state or actor
    "Meta removed content it said broke its rules against fake accounts.",
    "YouTube received 9,000 requests to take down content over copyright, covering 40,000 pieces of "
    "content, and 39,000 of those were pulled down, its report on fake accounts said.",
]

# negatives beside them: a share inside a counted network, accounts beside posts, and the second
# verb of a relative clause ("accounts it found and removed") are removals
STILL_REMOVALS: list[tuple[str, list[TD]]] = [
    # networks removed in a recent span, and accounts counted since a year, are takedowns
    ("Over the past week, Facebook removed networks of fake accounts linked to Iran.",
     [("Facebook", {}, {"Iran"})]),
    ("Since 2018, Facebook has removed 40 fake accounts linked to Iran.",
     [("Facebook", {"accounts": 40}, {"Iran"})]),
    # a removal reported in a clause of saying
    ("Twitter said that it removed 300 fake accounts linked to Iran.",
     [("Twitter", {"accounts": 300}, {"Iran"})]),
    ("Twitter shuttered 200 accounts linked to Iran.", [("Twitter", {"accounts": 200}, {"Iran"})]),
    # "axed" (the model's lemma is "ax"), "erased", "booted off", "shut off"
    ("Twitter axed 200 accounts linked to Iran.", [("Twitter", {"accounts": 200}, {"Iran"})]),
    ("Twitter erased 200 accounts linked to Iran.", [("Twitter", {"accounts": 200}, {"Iran"})]),
    ("Twitter booted off 200 accounts linked to Iran.", [("Twitter", {"accounts": 200}, {"Iran"})]),
    ("Meta removed 40 fake accounts, 10 percent of them run from Iran.",
     [("Facebook", {"accounts": 40}, {"Iran"})]),
    ("Facebook removed posts and 30 fake accounts linked to the Iranian government.",
     [("Facebook", {"accounts": 30}, {"Iran"})]),
    ("Twitter removed posts from 50 fake accounts run by the Chinese government.",
     [("Twitter", {"accounts": 50}, {"China"})]),
    ("Meta described 40 fake accounts it found and removed as part of a network linked to Iran.",
     [("Facebook", {"accounts": 40}, {"Iran"})]),
    ("Twitter listed 300 fake accounts that it identified and suspended for ties to the Chinese government.",
     [("Twitter", {"accounts": 300}, {"China"})]),
    # a removal told by its noun, and the figures of the sentence after it
    ("Meta announced the dismantling of a covert influence operation from China.",
     [("Facebook", {}, {"China"})]),
    ("Meta announced the dismantling of a covert influence operation from China. The campaign ran 7,704 "
     "fake Facebook accounts.",
     [("Facebook", {"accounts": 7704}, {"China"})]),
]


# the agent of a removal in an "after ..." clause: a platform named earlier in the sentence in
# any role ("accused Facebook ... after the social network removed"), never a body that is no
# platform ("after the election commission removed"), whose counts are not a platform's
AGENTS: list[tuple[str, list[TD]]] = [
    ("The minister accused Facebook of bias after the social network this week removed Kenyan accounts "
     "linked to his campaign for coordinated inauthentic behaviour.",
     [("Facebook", {}, {"Kenya"})]),
    ("Officials protested to Twitter after the company removed 60 Egyptian accounts for platform "
     "manipulation.",
     [("Twitter", {"accounts": 60}, {"Egypt"})]),
    ("Ministers met Facebook before the company suspended 25 Pages run by the Sudanese army for "
     "coordinated inauthentic behaviour.",
     [("Facebook", {"pages": 25}, {"Sudan"})]),
    ("Meta was criticised after the election commission removed 40 fake accounts for coordinated "
     "inauthentic behaviour.",
     []),
    ("Facebook's report on coordinated inauthentic behaviour came out after the government removed 30 "
     "accounts of officials.",
     []),
    ("Twitter said the police removed 12 fake accounts that posed as officers, in a case of platform "
     "manipulation.",
     []),
]


@pytest.mark.parametrize(("text", "expected"), AGENTS, ids=[t[:48] for t, _ in AGENTS])
def test_agents(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


@pytest.mark.parametrize(("text", "expected"), STILL_REMOVALS, ids=[t[:48] for t, _ in STILL_REMOVALS])
def test_still_removals(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


@pytest.mark.parametrize("text", NOT_REMOVALS, ids=[t[:48] for t in NOT_REMOVALS])
def test_not_removals(nlp, text: str) -> None:
    assert takedowns_of(nlp, text) == []


PLATFORMS: list[tuple[str, list[TD]]] = [
    # Google/Alphabet removing YouTube channels is YouTube; Meta and Instagram are Facebook; X is Twitter
    ("Google's Threat Analysis Group removed 300 YouTube channels linked to China in a coordinated "
     "influence campaign.",
     [("YouTube", {"channels": 300}, {"China"})]),
    ("Alphabet removed 80 YouTube channels run from Iran as part of an influence campaign.",
     [("YouTube", {"channels": 80}, {"Iran"})]),
    ("Google removed nearly 11,000 YouTube channels tied to influence campaigns from China and Russia.",
     [("YouTube", {}, {"China"}), ("YouTube", {}, {"Russia"})]),
    ("Google said it terminated 25 channels tied to a Russian influence operation.",
     [("YouTube", {"channels": 25}, {"Russia"})]),
    ("Google removed hundreds of channels on YouTube linked to a Chinese propaganda campaign.",
     [("YouTube", {}, {"China"})]),
    ("X suspended 900 fake accounts linked to the Chinese government.",
     [("Twitter", {"accounts": 900}, {"China"})]),
    ("Instagram removed 40 fake accounts linked to Russia.",
     [("Facebook", {"accounts": 40}, {"Russia"})]),
    # the owner of a decision to remove is the agent
    ("Twitter and Facebook's move to close 900 fake accounts that the companies said were backed by China "
     "drew protests.",
     [("Facebook", {"accounts": 900}, {"China"}), ("Twitter", {"accounts": 900}, {"China"})]),
    ("Facebook's decision to remove 40 fake accounts linked to Iran was welcomed.",
     [("Facebook", {"accounts": 40}, {"Iran"})]),
    # no separate Google record beside YouTube for the same removal
    ("YouTube removed 30 channels linked to Iran. Google said the coordinated campaign was tied to Iran.",
     [("YouTube", {"channels": 30}, {"Iran"})]),
    # negative: Google removing something that is not YouTube's stays Google
    ("Google removed 12 Blogger blogs and 5 Google Play apps tied to a Russian influence campaign.",
     [("Google", {}, {"Russia"})]),
]


@pytest.mark.parametrize(("text", "expected"), PLATFORMS, ids=[t[:48] for t, _ in PLATFORMS])
def test_canonical_platforms(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


# a platform's own finding of fake accounts reports their removal: the platform (or "it", "the
# company", "the site") finds them, or its inquiry does ("an investigation by the site's staff",
# "its security team"); a finding of anyone else, or of accounts not said to be fake, or with no
# exact figure, is none; and a sentence with a removal verb is read by that verb alone
FINDINGS: list[tuple[str, list[TD]]] = [
    ("Twitter said it identified 230 fake accounts linked to the Venezuelan government.",
     [("Twitter", {"accounts": 230}, {"Venezuela"})]),
    ("Facebook published a statement on fake accounts. An inquiry run by the site's security staff uncovered "
     "a cluster of 215 fake accounts that bought political ads.",
     [("Facebook", {"accounts": 215}, set())]),
    ("Reddit released its transparency report. Its security team discovered 61 inauthentic accounts tied "
     "to Iran.",
     [("Reddit", {"accounts": 61}, {"Iran"})]),
    ("A network of 38 bogus pages was detected by the company, Meta said in a report on fake accounts.",
     [("Facebook", {"pages": 38}, set())]),
    ("Meta said it found and removed 44 fake accounts linked to Russia.",
     [("Facebook", {"accounts": 44}, {"Russia"})]),
    # not the platform's finding, not fake, no figure
    ("Researchers at a university identified 500 fake accounts on Twitter that promoted the government.", []),
    ("A parliamentary investigation identified 120 fake accounts on Facebook linked to Russia.", []),
    ("The newspaper's investigation found 80 fake Facebook accounts that praised the governor.", []),
    ("Facebook said outside researchers uncovered 75 fake accounts linked to Iran.", []),
    ("Facebook said it identified 3,000 advertisers who bought political ads on its site, in a report on "
     "fake accounts.", []),
    ("Twitter said it identified a network of fake accounts and would keep studying it.", []),
]


# figures told before the text reports any removal by their platform are someone's finding (a
# researcher's count of where the network was); figures after a removal, also after one told
# without figures, are the removal's
COUNTED_BEFORE: list[tuple[str, list[TD]]] = [
    ("The network also ran 40 fake accounts on Instagram and 12 channels on YouTube, the researchers "
     "said.\n\nMeta removed 100 fake Facebook accounts linked to Iran.",
     [("Facebook", {"accounts": 100}, {"Iran"})]),
    ("Graphika said the Chinese network used 2,000 fake accounts on Twitter.\n\nTwitter said it had "
     "suspended some of the accounts.",
     [("Twitter", {}, set())]),
    # negatives beside them: counts after the removal, or after one told without figures
    ("Twitter said it had suspended a network of fake accounts.\n\nGraphika said the network used 2,000 "
     "accounts on Twitter.",
     [("Twitter", {"accounts": 2000}, set())]),
    ("Meta said it had taken down a covert influence operation from China. The campaign ran 7,704 fake "
     "Facebook accounts.",
     [("Facebook", {"accounts": 7704}, {"China"})]),
]


@pytest.mark.parametrize(("text", "expected"), COUNTED_BEFORE, ids=[t[:48] for t, _ in COUNTED_BEFORE])
def test_figures_before_any_removal_are_a_finding(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


@pytest.mark.parametrize(("text", "expected"), FINDINGS, ids=[t[:48] for t, _ in FINDINGS])
def test_a_platforms_finding_of_fake_accounts(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


# a list item's label naming a state, cut off by the parser (or a heading line over the item),
# is kept as the record's "takedown.label" support (the merge's topic) and, being the state's
# name alone, gives the network's origin; a lead-in that names no state is no label
LABELS: list[tuple[str, str | None]] = [
    ("Facebook removed networks in May\n  \u2022 Peru: First disclosed in June, Facebook removed 41 accounts,"
     " nine pages, one group and 12 Instagram accounts aimed at domestic audiences.", "\u2022 Peru"),
    ("Facebook removed networks in May\nPeru:\nFacebook removed 41 accounts and nine pages aimed at domestic"
     " audiences.", "Peru:"),
    ("Facebook removed networks in May\nIt said the following:\nFacebook removed 41 accounts and nine pages"
     " aimed at domestic audiences.", None),
    ("Facebook removed networks in May\nGlobal:\nFacebook removed 41 accounts and nine pages aimed at"
     " domestic audiences.", None),
]


@pytest.mark.parametrize(("text", "label"), LABELS, ids=[t[33:70] for t, _ in LABELS])
def test_a_list_items_label_is_support_and_origin(nlp, text: str, label: str | None) -> None:
    from extract_tools import facts

    (t,) = facts(nlp, text).takedowns
    assert t.attributed_to == (("Peru",) if label else ())
    assert [e.sentence for e in t.support if e.rule == "takedown.label"] == ([label] if label else [])


# a report's rows, one per country ("Country: N accounts"): each row is a network of that origin;
# a label that is more than a state's name ("Targeting Peru:", "Peru and Chile:") gives none
ROWS: list[tuple[str, list[TD]]] = [
    ("Meta said it removed three networks for coordinated inauthentic behaviour.\n\nIran: 40 Facebook "
     "accounts, 10 Pages and 3 Groups.\n\nRussia: 12 Pages and 30 Instagram accounts.\n\nEcuador: 20 "
     "accounts and 5 Pages.",
     [("Facebook", {"accounts": 40, "pages": 10, "groups": 3}, {"Iran"}),
      ("Facebook", {"pages": 12, "instagram_accounts": 30}, {"Russia"}),
      ("Facebook", {"accounts": 20, "pages": 5}, {"Ecuador"})]),
    ("Meta said it removed two networks for coordinated inauthentic behaviour.\n\n\u2022 Iran "
     "(second network): 45 Facebook accounts.",
     [("Facebook", {"accounts": 45}, {"Iran"})]),
    # a bullet the model's name swallowed ("• Azerbaijan" as one organisation) still names the state
    ("Meta said it removed two networks for coordinated inauthentic behaviour.\n\n\u2022 Azerbaijan "
     "(second network): 45 Facebook accounts.",
     [("Facebook", {"accounts": 45}, {"Azerbaijan"})]),
    ("Meta said it removed two networks for coordinated inauthentic behaviour.\n\nTargeting Peru: 40 "
     "Facebook accounts.\n\nPeru and Chile: 12 Pages.",
     [("Facebook", {"accounts": 40}, set()), ("Facebook", {"pages": 12}, set())]),
    # rows under a removal that counts nothing itself; a total of the rows is no network of its own
    ("Meta removed the following networks:\n\nIran: 40 Facebook accounts, 12 Pages and 8 Instagram "
     "accounts.\n\nRussia: 120 Facebook accounts and 30 Pages.",
     [("Facebook", {"accounts": 40, "pages": 12, "instagram_accounts": 8}, {"Iran"}),
      ("Facebook", {"accounts": 120, "pages": 30}, {"Russia"})]),
    ("Meta removed networks in two countries for coordinated inauthentic behaviour.\n\nIran: 40 Facebook "
     "accounts and 12 Pages.\n\nRussia: 120 Facebook accounts and 30 Pages.\n\nIn total, Meta removed "
     "160 Facebook accounts and 42 Pages.",
     [("Facebook", {"accounts": 40, "pages": 12}, {"Iran"}),
      ("Facebook", {"accounts": 120, "pages": 30}, {"Russia"})]),
    # rows with no removal before them count nothing removed
    ("Meta published its quarterly report on fake accounts.\n\nIran: 40 Facebook accounts and 12 Pages."
     "\n\nRussia: 120 Facebook accounts.", []),
    # a row's own attribution stands
    ("Meta said it removed two networks for coordinated inauthentic behaviour.\n\nIran: 40 Facebook "
     "accounts run from Russia.",
     [("Facebook", {"accounts": 40}, {"Russia"})]),
]


@pytest.mark.parametrize(("text", "expected"), ROWS, ids=[t[40:80] for t, _ in ROWS])
def test_a_rows_label_is_its_networks_origin(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


# a bare removal noun ("after our first suspensions") reports no removal and does not cut the
# sentence: the passive verb after it keeps its subject (a quoted network of the same campaign,
# which takes the campaign's state); a dash set off by spaces does not glue "accounts" to a word
SPLIT_BY_A_BARE_NOUN: list[tuple[str, list[TD]]] = [
    ("Twitter suspends accounts\nTwitter on Tuesday said it suspended 412 accounts run from inside Iran."
     " \u201cThe accounts we disclose today are the core of this campaign; a wider, spammy network of roughly"
     " 30,000 accounts \u2013 most created after our first suspensions \u2013 were suspended before they"
     " became active on the platform.\u201d",
     [("Twitter", {"accounts": 412}, {"Iran"}), ("Twitter", {"accounts": 30000}, {"Iran"})]),
    ("Meta said 120 pages \u2013 all created after its earlier removals \u2013 were taken down for links to"
     " the Russian military.",
     [("Facebook", {"pages": 120}, {"Russia"})]),
]


@pytest.mark.parametrize(
    ("text", "expected"), SPLIT_BY_A_BARE_NOUN, ids=[t[26:70] for t, _ in SPLIT_BY_A_BARE_NOUN]
)
def test_a_bare_removal_noun_does_not_cut_the_sentence(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)

def platforms(nlp, text: str) -> list[str]:
    facts = extract_article(parse_article("Case\n" + text, file="case.txt"), nlp)
    return sorted(t.platform for t in facts.takedowns)


BYSTANDER: list[tuple[str, list[str]]] = [
    (
        "OpenAI banned accounts tied to Peru. The operators built a tool that scanned sites such as X "
        "and Facebook for posts. Accounts were also banned for writing phishing emails.",
        ["OpenAI"],
    ),
    (
        "Microsoft said it disabled accounts linked to a Peruvian influence operation. The group had "
        "studied posts on TikTok about the vote. More accounts were later disabled.",
        ["Microsoft"],
    ),
    (
        "OpenAI said it banned fake accounts run from Peru. They asked the chatbot to draft comments for "
        "Reddit threads. Further accounts were removed in May.",
        ["OpenAI"],
    ),
]

STILL_THE_NAMED_PLATFORM: list[tuple[str, list[str]]] = [
    # the platform named last is a subject: it speaks, and the removal may be its own
    (
        "OpenAI said it banned accounts tied to a Peruvian influence operation. Twitter said on Friday "
        "that the same group was active there. 40 accounts were suspended.",
        ["OpenAI", "Twitter"],
    ),
    (
        "Facebook removed 50 pages run by an influence operation in Peru. Twitter said it had found "
        "related accounts. 40 accounts were suspended.",
        ["Facebook", "Twitter"],
    ),
    # the first removal of the article: nothing reported before to fall back on
    (
        "The influence operation posted on sites such as Facebook. 120 fake accounts tied to Peru "
        "were removed.",
        ["Facebook"],
    ),
    # the removal names its agent
    (
        "OpenAI said it banned accounts tied to a Peruvian influence operation. Twitter later "
        "suspended 40 accounts of the same group.",
        ["OpenAI", "Twitter"],
    ),
]


@pytest.mark.parametrize(("text", "expected"), BYSTANDER + STILL_THE_NAMED_PLATFORM)
def test_agentless_removal_platform(nlp, text: str, expected: list[str]) -> None:
    assert platforms(nlp, text) == expected


@pytest.mark.parametrize(
    ("word", "cib"),
    [("bots", True), ("both", False), ("trolls", True), ("control", False), ("personas", True),
     ("personal", False), ("impersonating", True), ("amplified", True), ("robot", False),
     ("fakeNews", True)],
)
def test_cib_wording_is_read_as_whole_words(word: str, cib: bool) -> None:
    from kg.extract.context import has_words
    from kg.lexicon.gazetteer import load_lexicon

    assert has_words(f"they said {word} were seen", load_lexicon().phrases["cib_context"]) == cib
    assert has_words(f"THEY SAID {word.upper()} WERE SEEN", load_lexicon().phrases["cib_context"]) == cib
