"""Denials, module by module: stance, speakers, accusations, and the whole component.

Every sentence here is our own. Each family of wording has several positives and, beside
them, the negatives a demanding reader would expect the rules to leave alone.
"""

from __future__ import annotations

import pytest

from kg.extract import extract_article
from kg.extract.context import ArticleContext, sentences_of
from kg.extract.denials import find_accusations, find_stance
from kg.extract.takedowns import extract_takedowns
from kg.ingest import parse_article
from kg.lexicon.denial import load_denial_lexicon

pytestmark = pytest.mark.model


def context(nlp, text: str) -> ArticleContext:
    article = parse_article("Case\n" + text, file="case.txt")
    docs = [(p.start, nlp(p.text)) for p in article.paragraphs]
    return ArticleContext(article=article, sentences=list(sentences_of(docs)))


def denials(nlp, text: str) -> list[tuple[str, str | None]]:
    facts = extract_article(parse_article(text, file="case.txt"), nlp)
    return sorted(((d.state, d.speaker) for d in facts.denials), key=repr)


# ---- stance ------------------------------------------------------------------------------------
REJECTING: list[tuple[str, str]] = [
    # rejection verbs and phrasal verbs
    ("The ministry denied the allegations.", "verb"),
    ("Officials dismissed the report out of hand.", "verb"),
    ("The embassy rejected the accusation.", "verb"),
    ("The government refuted the researchers' findings.", "verb"),
    ("Moscow repudiated the charges on Friday.", "verb"),
    ("The spokesman brushed off the claims.", "verb"),
    ("The cabinet disputed the conclusions of the study.", "verb"),
    # negated admissions and involvement, relation nouns under "no"
    ("The ministry refused to acknowledge the findings.", "negation"),
    ("Officials did not accept the report's conclusions.", "negation"),
    ("We have never used fake accounts.", "negation"),
    ("The army did not create any of these pages.", "negation"),
    ("Our country has never interfered in the elections of another nation.", "negation"),
    ("These pages do not belong to the armed forces.", "negation"),
    ("The government has no links to the accounts.", "negation"),
    ("The agency had no role in the campaign.", "negation"),
    # evaluative words said of the claim
    ("The claims are untrue.", "evaluative"),
    ("These allegations are groundless.", "evaluative"),
    ("The report is slanderous.", "evaluative"),
    ("It is nonsense.", "evaluative"),
    ("The ministry condemned the baseless accusations.", "evaluative"),
    ("The ministry called the report a smear.", "evaluative"),
    ("The foreign ministry called the findings a provocation.", "evaluative"),
    ("The embassy described the findings as fabricated.", "evaluative"),
    # idioms
    ("The accusation does not stand up to scrutiny.", "idiom"),
    ("These assertions are without any foundation.", "idiom"),
    ("There is no basis for such claims.", "idiom"),
    ("Those allegations simply don't hold water.", "idiom"),
    ("The story is far from the truth.", "idiom"),
    ('The spokesman called the report "lacking credibility".', "idiom"),
    ("The ministry said the findings lacked credibility.", "idiom"),
    ('"We are not aware of such accounts," the spokesman said.', "idiom"),
    # a label on the accounts rejected
    ("The spokeswoman said that their accounts should not be labeled as state-backed.", "negation"),
    ("The finding is part of an anti-Iranian campaign in the Western press.", "idiom"),
    # distancing
    ("The ministry distanced itself from the network.", "distancing"),
    ("The government has nothing to do with these accounts.", "distancing"),
    ("The party disowned the pages.", "verb"),
    # the claim named as a piece of what the word says
    ("Moscow responded by calling the report \"a new round of Russophobia\".", "evaluative"),
    ("Moscow hit back, calling the report a fabrication.", "verb"),  # "hit back": the phrasal verb
    ("The spokeswoman said the report was another manifestation of Russophobia.", "evaluative"),
    # genuine accounts
    ("These accounts are genuine.", "genuine"),
    ("The owners of the pages are verified.", "genuine"),
    ("They are real citizens.", "genuine"),
    # the owners are real people of a nation, by the preposition that names them
    ("The accounts belonged to ordinary Filipinos.", "genuine"),
    ("The minister said the removed accounts belonged to genuine Pakistanis.", "genuine"),
    ("The accounts belonged to real Ugandans, the minister said.", "genuine"),
    ("The pages were run by real Kenyans, not by the government.", "negation"),  # the office under "not"
    ("Twitter had shut the accounts of real Iranians.", "genuine"),
    # the accounts said to be a nation's real people, or "those of" them
    ("The ministry said the accounts were real Cubans.", "genuine"),
    ("The minister said the suspended accounts were those of ordinary Cubans.", "genuine"),
    # judgements with their own negation, whatever verb carries them; a particle the parser
    # reads as an adverb
    ("The ministry said the claims had no basis in reality.", "idiom"),
    ("The ministry said the allegations were without merit.", "idiom"),
    ("The ministry said it had never heard of the network.", "idiom"),
    ("The ministry pushed back on the findings.", "verb"),
    # the doer set against a state office under "not": the office did not do it
    ('The spokesman said the accounts were run by "patriotic citizens", not the government.', "negation"),
    ("The army said the pages were created by supporters, not the military.", "negation"),
    ("Citizens, not the state, run these pages, a government spokesman said.", "negation"),
    # no intent to do it, and "not a perpetrator", said by the accused side
    ("We have no policy to use information operations against our own people, the spokesman said.",
     "negation"),
    ("The ministry said the army had no plan to interfere in the vote.", "negation"),
    ("The minister wrote that the report was a new episode of the media war against Cuba.", "idiom"),
    ("The deputy minister said the company had not provided evidence.", "idiom"),
    ('"We have never had a policy of using information operations against critics," the spokesman said.',
     "negation"),
    # the doing given to someone who is not the speaker's side
    ("The spokesman said the accounts were opened by unknown people to tarnish the army.", "negation"),
    ("The spokesman said the pages were run by opposition activists.", "negation"),
    ('The embassy said that "China is a victim of disinformation, not a perpetrator".', "negation"),
    ("Russia is not the source of these fake accounts, the ministry said.", "negation"),
    # a second agent under "not" that is a state office; a subject that is nobody
    ("The spokesman said the pages are managed by volunteers, not by the government.", "negation"),
    ("None of the pages belong to the army, a spokesman said.", "negation"),
    # partiality said of the claim
    ('The spokesperson said the report was "full of ideological bias".', "evaluative"),
    ("The minister said the report was biased and politicised.", "evaluative"),
]

NOT_REJECTING: list[str] = [
    "The ministry declined to comment.",
    "The embassy did not respond to a request for comment.",
    "A government spokesman could not be reached.",
    "The spokesman did not deny the report.",
    "The ministry has not denied the claims.",
    "The accounts spread false information about the vote.",
    "The network used fake accounts to pose as local voters.",
    "The president touted the herbal tonic as a cure for the virus, without evidence.",
    "The ministry condemned the censorship of its journalists.",
    "Officials rejected the decision to suspend their accounts as censorship.",
    "The ministry protested the double standards of Western platforms.",
    "The border police denied him entry.",
    "That group will not operate in our country.",
    "We cannot accept that.",
    "The claims are not baseless.",
    "The accounts targeted ordinary Pakistanis with false news.",
    "Russophobia is a growing problem in Europe, the minister said.",
    "The diplomats had become superspreaders of disinformation, the study found.",
    "The accounts posed as real Ugandans.",
    # a label not rejected, or rejected by no one's words
    "The researchers said the accounts should be labeled as state-backed.",
    "The accounts were not labeled as spam by the filter.",
    # a judgement of the accounts themselves agrees with the claim
    'The foreign secretary tweeted that the pages were "obviously fake" but did not say who ran them.',
    # real people named, but not as what the accounts are
    "The accounts were aimed at real Cubans.",
    "The victims were ordinary Cubans, the report said.",
    "The accounts targeted those of ordinary Cubans who criticised the state.",
    # the office is the doer, the people the contrast; partiality said of the accuser
    "The army said the pages were run by the government, not by private citizens.",
    "The minister said Meta was biased against Cuba.",
    "The report said the network was biased against the opposition.",
    # "back" as an adverb of another verb is no particle
    "The ministry went back on its plan to tax imports.",
    # the office is the doer, under "not" the other agent; nobody denied
    "The spokesman said the pages are managed by the government, not by volunteers.",
    "None of the officers denied the report.",
    # no intent of someone else's; "not a perpetrator" said of a third party
    "Researchers said the platform had no policy to remove such content.",
    "The company has never had a policy of using fake accounts, its founder said.",
    # ... not the speaker's own side, nothing left undone, and no one's saying it
    "The ministry said it has not opened an investigation into the accounts.",
    "The spokesman said the pages were created by the army's information unit.",
    "The spokesman said the accounts were managed by the military.",
    "The spokesman said the accounts were run by us.",
    "The accounts were opened by unknown people in May.",
    "We have had a policy of using information operations against critics, the spokesman said.",
    "The report said the opposition party was not the source of the leak.",
]


@pytest.mark.parametrize(("text", "kind"), REJECTING, ids=[t[:40] for t, _ in REJECTING])
def test_rejecting(nlp, text: str, kind: str) -> None:
    ctx = context(nlp, text)
    stances = [find_stance(s) for s in ctx.sentences]
    found = [s for s in stances if s is not None]
    assert found, text
    assert found[0].kind == kind
    assert found[0].words and found[0].words in ctx.article.text


@pytest.mark.parametrize("text", NOT_REJECTING, ids=[t[:40] for t in NOT_REJECTING])
def test_not_rejecting(nlp, text: str) -> None:
    ctx = context(nlp, text)
    assert [find_stance(s) for s in ctx.sentences] == [None] * len(ctx.sentences)


def test_lexicon_is_data() -> None:
    lex = load_denial_lexicon()
    assert lex.is_("rejection_verb", "deny") and lex.is_("evaluative", "baseless")
    assert "does not stand up" in lex.phrase_list("evaluative_phrase")
    assert lex.is_("office", "embassy") and lex.is_("document", "statement")
    assert load_denial_lexicon() is lex  # read once


# ---- speakers ----------------------------------------------------------------------------------
ACC = "Facebook removed 40 fake accounts linked to the government of Thailand. "
SPEAKERS: list[tuple[str, list[tuple[str, str | None]]]] = [
    # named officials, titles before or after the name
    (ACC + "Foreign ministry spokeswoman Anong Srisuk said the claims were untrue.",
     [("Thailand", "Anong Srisuk")]),
    (ACC + "\u201cThe report is baseless,\u201d said Anong Srisuk, a spokeswoman for the Thai foreign "
     "ministry.",
     [("Thailand", "Anong Srisuk")]),
    # a person met earlier with a title, then by surname, then as "he"
    (ACC + "Government spokesman Prasert Wongsa spoke on Monday. Wongsa said the army had nothing to do with "
     "the accounts.", [("Thailand", "Prasert Wongsa")]),
    (ACC + "Government spokesman Prasert Wongsa spoke to reporters on Monday, saying he had seen the "
     "report. \u201cThese accounts are run by real citizens, and the claims are false,\u201d he said.",
     [("Thailand", "Prasert Wongsa")]),
    # offices known only by title: the state from the title's words, or the one accused
    (ACC + "The Thai embassy in London rejected the allegations.", [("Thailand", "Thai embassy in London")]),
    (ACC + "The army's media wing called the report a fabrication.", [("Thailand", "army's media wing")]),
    (ACC + "The presidential palace dismissed the findings.", [("Thailand", "presidential palace")]),
    (ACC + "The ministry said the report was baseless.", [("Thailand", "ministry")]),
    (ACC + "The prime minister's communications director said the allegations were false.",
     [("Thailand", "prime minister's communications director")]),
    # a leader named through the office that serves them: the office speaks
    (ACC + "A spokesman for Prime Minister Somchai Wongsawat said the report was false.",
     [("Thailand", "spokesman for Prime Minister Somchai Wongsawat")]),
    # ... also by the possessive or "to": the office (or its named holder) speaks, not the leader
    (ACC + "Prime Minister Somchai Wongsawat's spokesman called the report a lie.",
     [("Thailand", "Prime Minister Somchai Wongsawat's spokesman")]),
    (ACC + "Anucha Burapa, press secretary to Prime Minister Somchai Wongsawat, said the report was false.",
     [("Thailand", "Anucha Burapa")]),
    # a fronted phrase the parser misread leaves the verbs without a subject: the titled name
    (ACC + "In a reply on Twitter, Thailand's Foreign Minister Somchai Jaidee called the move censorship "
     "and said the accounts belonged to real citizens.", [("Thailand", "Somchai Jaidee")]),
    (ACC + "The office of Prime Minister Somchai Wongsawat called the report a lie.",
     [("Thailand", "office of Prime Minister Somchai Wongsawat")]),
    (ACC + "State media called the accusations a smear.", [("Thailand", "State media")]),
    # two offices in one subject: one denial each
    (ACC + "The Thai police and the Thai army denied any links to the accounts.",
     [("Thailand", "Royal Thai Army"), ("Thailand", "Thai police")]),
    # the modifier is shared, and the state is ambiguous from the sentence alone
    ("Facebook removed pages linked to Thailand that praised American policy. The Thai police and military "
     "denied any links to the pages, which praised American policy.",
     [("Thailand", "Thai police"), ("Thailand", "military")]),
    # one office named twice is one speaker
    (ACC + "The Thai police denied any links to the accounts. The Royal Thai National Police later called "
     "the report baseless.", [("Thailand", "Thai police")]),
    # a dateline is not a speaker; a document speaks through its author; the state itself
    (ACC + "BANGKOK (Reuters) - Thailand's army on Monday denied the report.",
     [("Thailand", "Thailand's army")]),
    # a dateline the parser made a second subject of the verb, before the dash
    (ACC + "Bangkok (Thai PBS) \u2014 The Royal Thai Army denied any links to the accounts.",
     [("Thailand", "Royal Thai Army")]),
    (ACC + "Bangkok, Thailand - The military on Tuesday denied the allegations.", [("Thailand", "military")]),
    (ACC + "A statement from the Thai foreign ministry dismissed the claims.",
     [("Thailand", "Thai foreign ministry")]),
    (ACC + "Bangkok rejected the accusations as groundless.", [("Thailand", None)]),
    (ACC + "Thailand denied the allegations.", [("Thailand", None)]),
    # passive with an agent; "in a statement"; the accusation fronted; a title with no name
    (ACC + "The allegations were rejected by the Thai foreign ministry.",
     [("Thailand", "Thai foreign ministry")]),
    (ACC + "In a statement, the Thai embassy said the report was false.", [("Thailand", "Thai embassy")]),
    (ACC + "Accusations that Bangkok ran the network are groundless, the government spokesman said.",
     [("Thailand", "government spokesman")]),
    (ACC + "A Thai foreign ministry spokesman dismissed the report as a lie.",
     [("Thailand", "Thai foreign ministry spokesman")]),
    (ACC + "Thai officials have dismissed the accusations.", [("Thailand", "Thai officials")]),
    # ... and one whose apposition is an office or a title, or names the state's body
    (ACC + "Somchai Jaidee, a senior aide to the prime minister, said the accusations were false.",
     [("Thailand", "Somchai Jaidee")]),
    (ACC + "Somchai Jaidee, the head of the government's press office, called the report a lie.",
     [("Thailand", "Somchai Jaidee")]),
    # an organisation the gazetteer does not know, described as a state's office
    (ACC + "The Army Public Information Centre, the army's media wing, said the report was baseless.",
     [("Thailand", "Army Public Information Centre")]),
    (ACC + "APIC, the army's media wing, rejected the report.", [("Thailand", "APIC")]),
    # the office named by what it is, its acronym beside it; later by the acronym alone
    (ACC + "The army's media wing, APIC, denied any involvement in the accounts.",
     [("Thailand", "army's media wing")]),
    ("Facebook removed 50 Pages run by people tied to the Thai army's media wing, APIC. The APIC denied any "
     "involvement.", [("Thailand", "Thai army's media wing")]),
    # a document with no author named: the state accused speaks, with no named speaker
    (ACC + "A statement said the report was baseless.", [("Thailand", None)]),
    # a hyphen inside a name is no dateline
    (ACC + "The Inter-Agency Media Office, the government's press office, called the report a fabrication.",
     [("Thailand", "Inter-Agency Media Office")]),
    # an acronym introduced with its office
    # a title before a name the model labelled an organisation: still a person
    (ACC + "Government spokesperson Narong Siriwat called the findings \"baseless\".",
     [("Thailand", "Narong Siriwat")]),
    (ACC + "Government spokesperson Narong Siriwat spoke on Monday. \u201cThese are lies,\u201d Siriwat "
     "said of the findings.", [("Thailand", "Narong Siriwat")]),
    # "it" rejected inside the phrase: "had nothing to do with it"
    (ACC + "Government spokesman Prasert Wongsa told reporters that Bangkok had nothing to do with it.",
     [("Thailand", "Prasert Wongsa")]),
    # words that go on in a quotation its speaker opened: the state they name is what is said
    (ACC + "Government spokesman Prasert Wongsa said: \"We have not seen the report. Thailand has nothing "
     "to do with these accounts.\"", [("Thailand", "Prasert Wongsa")]),
    # "it" after a sentence about an office is that office
    (ACC + "Thailand's foreign ministry reacted angrily. \"These accusations are absurd,\" it said in a "
     "statement.", [("Thailand", "Thailand's foreign ministry")]),
    (ACC + "The Thai army issued a statement on Monday. It said the accusations were groundless.",
     [("Thailand", "Royal Thai Army")]),
    # a noun pointed back to ("does not engage in such activities") is the accusation rejected
    (ACC + "The Thai embassy said Bangkok \"does not engage in\" such activities.",
     [("Thailand", "Thai embassy")]),
    # the bare state's denial and an office's are one, the office's
    (ACC + "Bangkok denied the claims. The Thai foreign ministry said the claims were baseless.",
     [("Thailand", "Thai foreign ministry")]),
    # ... and a state that is the relative clause's own denier
    (ACC + "Critics say the pages were run from Bangkok, an accusation Thailand denies.",
     [("Thailand", None)]),
    # a quotation opened by the stance and closed, a sentence later, by its speaker's name
    (ACC + "\u201cThis holds no water at all. If the company wants to help, it should look at its own "
     "platform,\u201d said foreign ministry spokesman Anon Sukprasert.", [("Thailand", "Anon Sukprasert")]),
    (ACC + "\u201cThe report is baseless. We ask the company to look at its own platform,\u201d the foreign "
     "ministry said in a statement.", [("Thailand", "foreign ministry")]),
    # state media by a hyphenated word
    (ACC + "A state-run newspaper called the findings baseless.", [("Thailand", "state-run newspaper")]),
    (ACC + "The Royal Thai Police (RTP) said its pages were active. "
     "\u201cThe pages taken down are not ours,\u201d the RTP said.", [("Thailand", "Royal Thai Police")]),
    # an acronym made of the initials of a state office the article named before
    ("Facebook removed 57 fake accounts linked to the Armed Forces of the Philippines. \u201cWe did not "
     "create these pages,\u201d AFP spokesman Maj. Gen. Edgard Arevalo told reporters.",
     [("Philippines", "Edgard Arevalo")]),
    # a titled person met earlier, named again by the family name written first; a title the
    # model took into the name is no part of it
    ("Twitter removed 170,000 accounts linked to the Chinese government. Foreign ministry spokesperson "
     "Wu Jianmin criticised the move. \u201cChina's position is clear,\u201d Wu said. \u201cThe claim that "
     "these accounts are directed by the government is groundless.\u201d", [("China", "Wu Jianmin")]),
    # a dateline whose place has its country in apposition, before the dash
    ("Facebook removed 155 fake accounts.\n\nMETRO MANILA, Philippines - The Philippine government on "
     "Wednesday denied that it was behind the fake accounts.", [("Philippines", "Philippine government")]),
    # a state medium the gazetteer knows speaks for its state, whatever its apposition says
    ("Meta removed 300 fake accounts linked to China.\n\nThe Global Times, a tabloid run by the Communist "
     "Party's People's Daily, dismissed the report as a smear.", [("China", "Global Times")]),
    # a state's adjective the model takes for a person's name is the state's office
    ("Meta removed 70 fake accounts that praised the president.\n\nThe Ugandan government denied "
     "allegations that it was behind the accounts.", [("Uganda", "Ugandan government")]),
    # a negated passive whose doer is the state: the speaker denies that it did it
    (ACC + "Government spokesman Prasert Wongsa said the accounts were not run by the government.",
     [("Thailand", "Prasert Wongsa")]),
    (ACC + "The pages were never created by the army, a military spokesman said.",
     [("Thailand", "military spokesman")]),
    # the speaker the parser gives to an aside before the reporting verb
    (ACC + 'A Thai embassy spokesperson, asked about a separate finding on the army\'s operations, said '
     'Bangkok "has never interfered" in the vote.', [("Thailand", "Thai embassy spokesperson")]),
    # a state's own rejection that a platform or an agency reports is still the state's
    (ACC + "The foreign ministry denied the claims, according to Reuters.",
     [("Thailand", "foreign ministry")]),
    (ACC + "Facebook said the foreign ministry had rejected its findings.",
     [("Thailand", "foreign ministry")]),
]

NOT_STATE_SPEAKERS: list[str] = [
    ACC + "A Facebook spokesman denied the claims.",
    ACC + "Researchers at the university rejected the criticism of their method.",
    ACC + "An opposition politician called the government's denial baseless.",
    ACC + "Anong Srisuk, a student, said the claims were untrue.",
    # a person whose apposition names no state's office, wherever they live
    ACC + "Somchai Jaidee, a retired teacher in Bangkok, said the accusations were false.",
    ACC + "Somchai Jaidee, the owner of a noodle shop in Chiang Mai, called the report a lie.",
    ACC + "The company said the claims were untrue.",
    ACC + "A Facebook statement said the report was accurate and the claims were untrue.",
    ACC + "The ruling party said the accounts belonged to its real supporters.",
    # a name the model labelled an organisation, with no title or a title of no state's office
    ACC + "Acme Holdings, a consultancy, called the findings baseless.",
    ACC + "Analyst Narong Siriwat called the findings baseless.",
    # ... but not once the text has turned to a firm
    ACC + "Thailand's foreign ministry reacted angrily. The company stood by its findings. \"The "
    "accusations against us are absurd,\" it said.",
    # "such ..." inside a clause of its own, about something else, is not what is rejected
    ACC + "Government spokesman Prasert Wongsa said the minister had never made such remarks about the king.",
    ACC + "Government spokesman Prasert Wongsa denied that the army had used such weapons.",
    # "it" inside a clause of its own is not what is rejected
    ACC + "Government spokesman Prasert Wongsa denied that the storm had anything to do with it.",
    # an unknown organisation beside a title that is no state's office
    ACC + "The company's research arm, TRC, denied any involvement in the accounts.",
    # a party, ruling or not, speaks for itself; so do officials of a body no gazetteer knows
    ACC + "Thailand's ruling Palang Pracharath Party said the accounts belonged to real supporters.",
    ACC + "Thailand's ruling Palang Pracharath Party (PPRP) was named. PPRP officials denied any wrongdoing.",
    ACC + "SNS officials denied any wrongdoing, saying the accounts belonged to real supporters.",
    # the closing sentence names no state's speaker
    ACC + "\u201cThis holds no water at all. The platform acted fairly,\u201d said analyst Anon "
    "Sukprasert of Chulalongkorn University.",
    # a party's own member, and anyone out of office
    ACC + "A lawmaker from the ruling party dismissed the report as baseless.",
    ACC + "An official of the ruling party dismissed the report as baseless.",
    ACC + "A former foreign minister dismissed the report as baseless.",
    ACC + "A former ambassador called the claims untrue.",
    # a relative clause names its own denier, no state: the accusers are not the deniers
    ACC + "US lawmakers accuse TikTok of spreading propaganda through fake accounts, a claim the company "
    "denies.",
    ACC + "Officials in Washington accuse ByteDance of running an influence campaign, a charge the firm "
    "rejects.",
    # an acronym no office named before spells out is a body of its own
    ACC + "The report named the Royal Thai Army. \u201cWe did not create these pages,\u201d TRC spokesman "
    "Anon Sukprasert told reporters.",
    # what a platform or researchers say of the state is theirs, not the state's
    ACC + "Facebook said the accounts were created by people in Bangkok.",
    ACC + "The Thai government was not behind the accounts, according to Facebook.",
    ACC + "Researchers said the government had not run the accounts.",
    ACC + "Researchers said the accounts were not run by the government but by a consultancy.",
    ACC + "Facebook said the accounts were not run by the government.",
    ACC + "The researchers said the claims were baseless, and that the army had no links to the pages.",
]


@pytest.mark.parametrize(("text", "expected"), SPEAKERS, ids=[t[len(ACC) :][:40] for t, _ in SPEAKERS])
def test_speakers(nlp, text: str, expected: list[tuple[str, str | None]]) -> None:
    assert denials(nlp, text) == sorted(expected, key=repr)


@pytest.mark.parametrize("text", NOT_STATE_SPEAKERS, ids=[t[len(ACC) :][:40] for t in NOT_STATE_SPEAKERS])
def test_not_state_speakers(nlp, text: str) -> None:
    assert denials(nlp, text) == []


# ---- accusations -------------------------------------------------------------------------------
ACCUSATIONS: list[tuple[str, dict[str, list[str]]]] = [
    ("A report by Graphika linked the network of fake accounts to China.", {"China": ["Graphika"]}),
    ("The Guardian found that the troll accounts were run by the Saudi government.",
     {"Saudi Arabia": ["Guardian"]}),
    ("Microsoft warned that Iran was running influence operations ahead of the election.",
     {"Iran": ["Microsoft"]}),
    ("Twitter suspended 200 accounts it tied to Venezuela.", {"Venezuela": ["Twitter"]}),
    ("Analysts at the Policy Institute said China ran fake accounts on Twitter.", {"China": ["Twitter"]}),
    # the platform someone speaks on accuses no one of what they say there
    ("The minister wrote on X that the fake accounts story was a campaign funded by the United States.",
     {}),
    ("Meta's Ben Nimmo said on Threads that the fake accounts were linked to Russia.",
     {"Russia": ["Facebook"]}),
]

NOT_ACCUSATIONS: list[str] = [
    # the state after "interference in" is where one intrudes
    "A Chinese spokesman said China opposes any interference in the Philippines' internal affairs through "
    "fake accounts.",
    "The campaign targeted Russian speakers with fake accounts.",
    "Twitter opened an office in Brazil.",
    "China is a large market for phones.",
]


@pytest.mark.parametrize(("text", "expected"), ACCUSATIONS, ids=[t[:40] for t, _ in ACCUSATIONS])
def test_accusations(nlp, text: str, expected: dict[str, list[str]]) -> None:
    ctx = context(nlp, text)
    takedowns, _ = extract_takedowns(ctx)
    assert find_accusations(ctx, takedowns).claims == expected


@pytest.mark.parametrize("text", NOT_ACCUSATIONS, ids=[t[:40] for t in NOT_ACCUSATIONS])
def test_not_accusations(nlp, text: str) -> None:
    ctx = context(nlp, text)
    takedowns, _ = extract_takedowns(ctx)
    assert find_accusations(ctx, takedowns).claims == {}


# ---- the component: accusations of any kind, one denial per (state, speaker) ------------------
WHOLE: list[tuple[str, list[tuple[str, tuple[str, ...]]]]] = [
    # no takedown in the article: a threat report, an investigation, an election warning
    ("A report by Graphika linked a network of fake accounts to China. The Chinese embassy said the "
     "report was slanderous.", [("China", ("Graphika",))]),
    ("The Guardian found that troll accounts were run by the Saudi government. A Saudi official called "
     "the story baseless.", [("Saudi Arabia", ("Guardian",))]),
    ("Microsoft warned that Iran was running influence operations ahead of the election. Iran's mission "
     "to the United Nations rejected the claims.", [("Iran", ("Microsoft",))]),
    # the denial itself implies the accusation
    ("Russia has repeatedly denied meddling in foreign elections.", [("Russia", ())]),
    # ... and "such" claims just after a removal are the removal's: its platform accuses
    ("Election news\n\nMeta removed 70 fake accounts that praised the president. Uganda has rejected such "
     "allegations in the past.", [("Uganda", ("Facebook",))]),
    # a state that denies on its own is accused too: a generic office after it may be either's
    ("Facebook said the network of 155 fake accounts originated in China.\n\nThe Philippine government "
     "denied that it was behind the fake accounts. \u201cThe government has nothing to do with these "
     "pages,\u201d said Communications Secretary Martin Andanar.", [("Philippines", ())]),
    # a rejection told of the subject of a silence, in a relative clause
    ("Election news\n\nMeta removed 70 fake accounts that spread propaganda. The Kremlin, which has long "
     "denied running troll farms, did not comment.", [("Russia", ())]),
    ("China has repeatedly denied running influence campaigns on social media.", [("China", ())]),
    # more wordings of officials: evaluative, framing, genuine accounts, "not behind"
    ("Twitter suspended 300 accounts linked to Egypt. Egypt's foreign ministry spokesman Ahmed Hafez told "
     "reporters the accusations were \"politically motivated\".", [("Egypt", ("Twitter",))]),
    ("Meta said the network originated in Iran. Tehran has called such claims part of a Western smear "
     "campaign.", [("Iran", ("Facebook",))]),
    ("Researchers at Stanford linked the network to the Russian military. The Russian defence ministry "
     "called the findings \"absurd\".", [("Russia", ("Stanford",))]),
    ("Facebook removed 200 fake accounts tied to the Nicaraguan government. Nicaragua's government said the "
     "accounts belonged to real supporters of the ruling movement.", [("Nicaragua", ("Facebook",))]),
    ("OpenAI said it had disrupted a covert operation from Israel. An Israeli government official rejected "
     "any suggestion that the state was involved.", [("Israel", ("OpenAI",))]),
    ("TikTok removed 40 accounts tied to the Ethiopian government. \"We are not behind these accounts,\" "
     "said government spokesman Legesse Tulu.", [("Ethiopia", ("TikTok",))]),
    ("Google said it terminated 2,000 YouTube channels linked to China. A Chinese embassy spokesperson said "
     "China \"firmly opposes\" the smear.", [("China", ("YouTube",))]),
    ("Moscow has denied interfering in the U.S. election.", [("Russia", ())]),
    ("Twitter removed 100 accounts tied to Russia. Zakharova wrote on Telegram that the report was another "
     "fake.", [("Russia", ("Twitter",))]),
    ("Meta removed 70 accounts linked to China. The embassy said the accusations do not correspond to "
     "reality.", [("China", ("Facebook",))]),
    ("Meta removed 70 accounts linked to China. Beijing slammed the report as malicious slander.",
     [("China", ("Facebook",))]),
    ("A report by the Atlantic Council linked the network to the Russian government. Russian officials have "
     "denied any involvement.", [("Russia", ("the Atlantic Council",))]),
    ("YouTube removed 30 channels linked to Azerbaijan. Hikmet Hajiyev, foreign policy aide to the "
     "president, said the channels were run by ordinary citizens.", [("Azerbaijan", ("YouTube",))]),
    ("Facebook took down 40 pages run by the Honduran government. \"This is false,\" said Juan Perez, the "
     "president's communications director.", [("Honduras", ("Facebook",))]),
    # several states as one subject: one denial each, for the states accused
    ("Facebook removed 200 accounts linked to Russia, China and Iran. Russia, China and Iran have all "
     "rejected the accusations.",
     [("China", ("Facebook",)), ("Iran", ("Facebook",)), ("Russia", ("Facebook",))]),
    ("Twitter suspended 300 accounts tied to Saudi Arabia and the UAE. Saudi Arabia and the UAE denied the "
     "allegations.", [("Saudi Arabia", ("Twitter",)), ("United Arab Emirates", ("Twitter",))]),
    ("Twitter removed 300 accounts linked to Iran. The Kremlin and Tehran denied the claims about fake "
     "accounts.", [("Iran", ("Twitter",))]),
    # the idiom framing the claim ("called the report fake news") is still a rejection
    ("Twitter removed 300 fake accounts linked to Russia. The Kremlin called the report fake news.",
     [("Russia", ("Twitter",))]),
    # claims with a complement about the accounts, the operation or the accused: still rejected
    ("Twitter removed 400 fake accounts linked to China. Beijing dismissed the report on the accounts as "
     "lies.", [("China", ("Twitter",))]),
    ("Meta removed 60 fake accounts linked to Russia. The Kremlin denied reports that Putin ordered the "
     "troll campaign.", [("Russia", ("Facebook",))]),
    ("Meta removed 60 fake accounts linked to Russia. The Kremlin denied reports that Moscow was behind the "
     "campaign.", [("Russia", ("Facebook",))]),
    # several states deny their own doing ("denied interfering", "accusations that they ..."):
    # each is accused by its own denial, whether or not the article accused it before
    ("Meta removed 1,200 fake accounts run from Iran. China, Russia and Iran have all rejected "
     "accusations that they use fake accounts to sway voters.",
     [("China", ()), ("Iran", ("Facebook",)), ("Russia", ())]),
    ("Meta removed 1,200 fake accounts run from Iran. Moscow and Beijing have denied interfering in the "
     "election.", [("China", ()), ("Russia", ())]),
    # a definite state noun for the state in question
    ("Twitter removed 5,000 fake accounts linked to Saudi Arabia. The kingdom has denied using bots.",
     [("Saudi Arabia", ("Twitter",))]),
    ("Facebook removed 100 fake accounts linked to Iran. Iran's mission to the United Nations said the "
     "country does not engage in such campaigns.", [("Iran", ("Facebook",))]),
    ("Facebook removed 100 fake accounts linked to Iran. Iran's mission to the United Nations said it does "
     "not engage in such activities.", [("Iran", ("Facebook",))]),
    # a clause of its own after a no-comment clause
    ("Twitter removed 5,000 fake accounts linked to Saudi Arabia. Saudi officials did not respond, and "
     "Riyadh has denied using bots in the past.", [("Saudi Arabia", ("Twitter",))]),
    # a think tank's accusation (a cue word inside its name is no target)
    ("A report by the Australian Strategic Policy Institute said China ran 30 fake accounts to spread "
     "disinformation. In a reply, the Chinese government said the report was groundless.", [("China", ())]),
    # a military media wing by its acronym
    ("Facebook took down 300 fake accounts linked to Pakistan's army. ISPR denied any role in the campaign.",
     [("Pakistan", ("Facebook",))]),
    # the accounts belong to the nation's real people
    ("Meta removed 40 accounts it tied to the Philippine military. Presidential spokesman Harry Roque said "
     "the accounts belonged to ordinary Filipinos.", [("Philippines", ("Facebook",))]),
    ("Twitter suspended 200 accounts it said were run from Iran. Iran's foreign minister said Twitter had "
     "shut the accounts of real Iranians.", [("Iran", ("Twitter",))]),
    ("Facebook removed 100 fake accounts linked to Iran. Iran's foreign minister Mohammad Javad Zarif said "
     "the platform had shut real Iranian users, not bots.", [("Iran", ("Facebook",))]),
    # the removed said to be real people, with no word of accounts in the sentence
    ("Twitter removed 3,000 fake accounts tied to the Saudi government. Saudi Foreign Minister Adel "
     "al-Jubeir complained that genuine Saudi users had been shut out of the platform.",
     [("Saudi Arabia", ("Twitter",))]),
    ("Twitter removed 3,000 fake accounts tied to the Saudi government. The Saudi foreign ministry said "
     "genuine Saudi users had been suspended by Twitter.", [("Saudi Arabia", ("Twitter",))]),
    # a quote running on from a sentence of the same speaker about the operation, far from the
    # accusation
    ("Meta said it removed 412 fake accounts based in China. The network posted in German. It also "
     "posted in French. Its pages had few followers. China's foreign ministry spokesman Lin Jian said "
     "China \"has always opposed\" the spread of disinformation. \"We urge the relevant company to stop "
     "smearing China,\" he said.", [("China", ("Facebook",))]),
    # a language is no state accused, and the platforms the posts went to accuse no one
    ("OpenAI said it banned ChatGPT accounts used by a covert influence operation originating in China. "
     "The accounts wrote comments in English and Chinese, which were then posted on X, Facebook and "
     "Reddit, the company said. The Chinese embassy said China \"firmly opposes groundless accusations\".",
     [("China", ("OpenAI",))]),
    # a state accuses, a state denies
    ("The German government said Russia was behind the fake accounts. The Kremlin denied the accusations.",
     [("Russia", ("Germany",))]),
    ("Meta removed accounts from China that posed as Americans. The U.S. State Department rejected Chinese "
     "claims that the U.S. runs similar networks.", [("United States", ("China",))]),
    # a target's charge of "cognitive warfare" just before is the same accusation, not another one
    ("Meta removed 900 fake accounts linked to a Chinese influence operation targeting Taiwan. Taiwan's "
     "foreign ministry condemned Beijing's cognitive warfare. The Chinese embassy said China opposes "
     "groundless speculation and accusations.", [("China", ("Facebook",))]),
    # an embassy's host country is not accused; its state denies
    ("Meta removed 300 fake accounts linked to the Chinese government. A spokesperson for China's embassy "
     "in London said that \u201cChina is a victim of disinformation, not a perpetrator\u201d.",
     [("China", ("Facebook",))]),
    # a body known by its acronym in the gazetteer speaks for its state
    ("Facebook removed 70 fake accounts tied to the Israeli military. \u201cThe IDF does not operate fake "
     "profiles,\u201d a spokesperson said.", [("Israel", ("Facebook",))]),
    # no comment now, but an earlier denial
    ("Meta removed 40 fake accounts linked to Iran. Iran's mission to the United Nations did not respond "
     "to a request for comment, but has previously denied such allegations.", [("Iran", ("Facebook",))]),
]

WHOLE_NEGATIVES: list[str] = [
    # "such" claims with no removal before them, or far after it
    "China has rejected such allegations in the past.",
    "Election news\n\nMeta removed 70 fake accounts that praised the president. The minister spoke of "
    "trade. The minister spoke of roads. The minister spoke of taxes. Uganda has rejected such allegations.",
    # a silence whose subject's relative clause rejects nothing
    "Election news\n\nMeta removed 70 fake accounts that spread propaganda. The Kremlin, which did not "
    "deny the report, did not comment.",
    # real users shut out by something else than the removal: no answer to it
    "Twitter removed 3,000 fake accounts tied to the Saudi government. Saudi Foreign Minister Adel "
    "al-Jubeir complained that genuine Saudi users had been blocked by Qatar's new media law.",
    "Twitter removed 3,000 fake accounts tied to the Saudi government. The Saudi minister said genuine "
    "Saudi users want faster internet.",
    # a state official denying something unrelated, next to an accusation
    "TikTok removed 40 fake accounts linked to Iran. "
    "Iran's foreign ministry denied that the minister was ill.",
    # no answer, a censorship protest, a cure claim
    "TikTok removed 40 fake accounts linked to Iran. Iran's foreign ministry declined to comment.",
    "Meta removed 40 fake accounts linked to Cuba. The Cuban foreign minister condemned the censorship "
    "of Cuban media.",
    "The president said the herbal tonic cures the virus, without evidence. He denied that the tonic was "
    "dangerous.",
    "Twitter removed accounts linked to the Saudi government. Saudi officials did not respond to requests "
    "for comment.",
    "Facebook removed 200 fake accounts tied to the Nicaraguan government. The vice president called the "
    "move an attack on freedom of expression.",
    "Twitter removed 88 accounts tied to the Indian army. An Indian army spokesman said the army was "
    "looking into the reports.",
    "The president praised the cure and denied reports of side effects. Facebook removed 10 pages linked "
    "to the government of Brazil.",
    "Facebook removed 50 pages linked to Cuba. In a statement, Cuba's foreign ministry said the closures "
    "were an act of censorship against Cuban media.",
    "Twitter took down 20 accounts linked to Cuban state media. Cuba's foreign minister condemned the "
    "decision as censorship and said it showed the company's double standards.",
    "Meta removed 40 fake accounts linked to Cuba. \u201cWe reject the hypocrisy of these companies with a "
    "long history of operations against Cuba,\u201d the Cuban president wrote.",
    # the target of an operation judging it is no denial
    "Ukraine's foreign ministry called the Russian disinformation campaign a lie.",
    "Facebook removed 30 accounts linked to Russia that targeted Ukraine. Ukraine's security service said "
    "the accounts spread false claims about the army.",
    "Facebook removed 30 accounts linked to Russia that targeted Ukraine. Ukraine's security service said "
    "the information spread by the accounts was false.",
    # states named together that answer nothing, or real people who were not the accounts' owners
    "Facebook removed accounts tied to Egypt and Qatar. Egypt, Qatar and the United States declined to "
    "comment.",
    "Twitter removed 300 accounts linked to Iran. Iran's foreign minister said the accounts of real "
    "Iranians had been hacked by criminals last year.",
    "Meta removed 40 accounts tied to the Philippine military. The spokesman said ordinary Filipinos "
    "deserved better internet service.",
    # an idiom's noun as the object of what was done, not a judgement of the claim
    "India's government ordered Twitter to block 250 accounts that it said spread fake news about the "
    "protests.",
    "Twitter removed 300 fake accounts linked to Russia. Peskov said the company was waging an information "
    "war against Russia.",
    # a claim about something else: a person's health, a place's abuses, spying
    "Meta removed 60 fake accounts linked to Russia. The Kremlin denied reports that Putin was ill.",
    "Twitter removed 400 fake accounts linked to China. China has rejected the UN report on Xinjiang as "
    "lies.",
    "Twitter removed 400 fake accounts linked to China. Beijing dismissed claims that its balloon was used "
    "for spying.",
    "Facebook removed 100 fake accounts linked to Iran. Tehran denied spying on dissidents abroad.",
    # an indefinite state noun, a body the country owns, a no-comment clause joined to another
    "Twitter removed 5,000 fake accounts linked to Saudi Arabia. A country in Europe denied using bots.",
    "Twitter removed 5,000 fake accounts linked to Saudi Arabia. The country's football federation denied "
    "the claims.",
    "Twitter removed 5,000 fake accounts linked to Saudi Arabia. Saudi officials did not respond, and the "
    "company declined to comment.",
    # what was shut is not said to be real people; states denying claims about others' accounts
    "Facebook removed 100 fake accounts linked to Iran. Iran's foreign minister said the platform had shut "
    "real news sites, not bots.",
    "Meta removed 1,200 fake accounts run from Iran. Russia and China have denied the claims about the "
    "accounts.",
    # a charge about something else just before a bare denial still answers that charge
    "Meta removed 900 fake accounts linked to China. Taiwan's foreign ministry condemned Beijing's "
    "military drills. The Chinese embassy denied the accusations.",
    # a state denial with no accusation against it in the article
    "The ministry of Peru denied that it would raise taxes.",
    "Peru's finance ministry rejected the report on inflation as misleading.",
]


@pytest.mark.parametrize(("text", "expected"), WHOLE, ids=[t[:40] for t, _ in WHOLE])
def test_whole(nlp, text: str, expected: list[tuple[str, tuple[str, ...]]]) -> None:
    facts = extract_article(parse_article(text, file="case.txt"), nlp)
    assert sorted((d.state, d.denies_claim_of) for d in facts.denials) == sorted(expected)
    for d in facts.denials:
        assert d.evidence.sentence in text and d.quote in text


@pytest.mark.parametrize("text", WHOLE_NEGATIVES, ids=[t[:40] for t in WHOLE_NEGATIVES])
def test_whole_negatives(nlp, text: str) -> None:
    assert denials(nlp, text) == []


def test_one_denial_per_state_and_speaker(nlp) -> None:
    text = (
        ACC + "Foreign ministry spokeswoman Anong Srisuk said the claims were untrue. "
        "\u201cThe report is a fabrication,\u201d Anong Srisuk added. The ministry also rejected the report."
    )
    facts = extract_article(parse_article(text, file="case.txt"), nlp)
    assert [(d.state, d.speaker) for d in facts.denials] == [("Thailand", "Anong Srisuk")]
    assert len(facts.denials[0].support) == 2


def test_he_after_a_platform_speaker_is_not_the_state(nlp) -> None:
    text = (
        "Facebook removed 40 fake accounts linked to Thailand's army. Foreign ministry spokeswoman Anong "
        "Srisuk denied the claims. Ben Rowe, Facebook's head of security, said the network was run by the "
        "army. \u201cThe denial is untrue and baseless,\u201d he added."
    )
    facts = extract_article(parse_article(text, file="case.txt"), nlp)
    assert [(d.state, d.speaker) for d in facts.denials] == [("Thailand", "Anong Srisuk")]
    assert [e.sentence for e in (facts.denials[0].evidence, *facts.denials[0].support)] == [
        "Foreign ministry spokeswoman Anong Srisuk denied the claims."
    ]


TWO = "Twitter removed 400 fake accounts linked to Egypt and the UAE. "
SEVERAL_STATES: list[tuple[str, list[tuple[str, str | None]]]] = [
    # one office phrase naming both accused states' places, or a plural "both governments"
    (TWO + "Officials in Cairo and Abu Dhabi denied the claims.",
     [("Egypt", "Officials in Cairo and Abu Dhabi"),
      ("United Arab Emirates", "Officials in Cairo and Abu Dhabi")]),
    (TWO + "Both governments denied the claims.", [("Egypt", None), ("United Arab Emirates", None)]),
    (TWO + "The two countries denied the claims.", [("Egypt", None), ("United Arab Emirates", None)]),
    # negatives beside them: a place not accused, "both" of something else, three states accused
    (TWO.replace(" and the UAE", "") + "Officials in Cairo and Washington denied the claims.",
     [("Egypt", "Officials in Cairo")]),
    (TWO + "Both companies denied the claims.", []),
    ("Twitter removed 400 fake accounts linked to Egypt, the UAE and Saudi Arabia. Both governments "
     "denied the claims.", []),
]


@pytest.mark.parametrize(("text", "expected"), SEVERAL_STATES, ids=[t[-40:] for t, _ in SEVERAL_STATES])
def test_one_speaker_for_several_states(nlp, text: str, expected: list[tuple[str, str | None]]) -> None:
    """One subject that names several accused states denies for each of them."""
    assert denials(nlp, text) == sorted(expected, key=repr)
