"""The article gate keeps every article a rule could make a fact of: properties over the data files.

Whatever the data files hold (they grow), an article of neutral filler plus one platform alias
passes, and so does one with a state-side name, a stance word in any form the model's
lemmatizer maps to it (a ``needs`` word with its partner, a phrasal verb with its particle)
and a core topic word (or a loose topic head with a topic modifier); the filler alone does
not, nor does a state, a stance and a loose topic word alone ("involvement", "an election"),
which the denial rules never make a fact of (checked on the parsed article below).
``tests/test_extract_parse_modes.py`` checks that the gated mode gives the facts of ``full``; the
README's identity check does it on the dev sets.
"""

from __future__ import annotations

import pytest
from extract_tools import candidate_forms
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from kg.extract import extract_articles
from kg.extract.gate import (
    LOOSE,
    MODIFIER,
    TOPIC,
    core_topics,
    load_gate,
    loose_heads,
    sentences,
    stance_classes,
)
from kg.extract.prefilter import class_words
from kg.extract.prefilter import settings as prefilter_settings
from kg.ingest import parse_article
from kg.lexicon.gazetteer import load_gazetteer

pytestmark = pytest.mark.model

FILLER = (
    "The weather stayed mild along the coast for most of the week.",
    "Crowds gathered at the harbour to watch the fireworks over the water.",
    "Local farmers expect a good harvest after the late rains.",
    "The council opened a new library in the town centre on Saturday.",
    "Ticket sales for the summer concerts rose by a third.",
    "A bakery on the main street has won a regional prize for its bread.",
)

_ALIASES = load_gazetteer().aliases
PLATFORM_ALIASES = sorted({a.text for a in _ALIASES if a.label == "PLATFORM"})
STATE_ALIASES = sorted({a.text for a in _ALIASES if a.label != "PLATFORM"})
_WORDS = class_words()
_NEEDS = prefilter_settings().needs


def _words_of(cls: str) -> list[str]:
    words = _WORDS.get(cls)
    return sorted(set(words.lemmas + words.phrases)) if words is not None else []


def _stance_samples() -> list[str]:
    """A phrase of every stance word: alone, beside its ``needs`` partner, with its particle."""
    out: list[str] = []
    for cls in stance_classes():
        partner = ""
        if cls in _NEEDS:
            row = _NEEDS[cls]
            partner = (row.get("with") or [""])[0] or (row.get("with_prefix") or [""])[0]
            if not partner and row.get("with_classes"):
                partner = _words_of(row["with_classes"][0])[0]
        for w in _words_of(cls):
            out.append(f"{partner} {w}".strip() if partner else w)
        for key in sorted(k for k in _WORDS if k.startswith("phrasal:") and k.split(":")[2] == cls):
            particle = key.split(":")[1]
            out += [f"{lemma} it {particle}" for lemma in _WORDS[key].lemmas]
    return out


STANCE = _stance_samples()
TOPICS = sorted(set(core_topics()) | set(_WORDS[TOPIC].phrases))
LOOSE_TOPICS = sorted(set(_words_of(LOOSE)) - set(TOPICS))
#: a modifier that is no topic alone ("covert")
ONLY_MODIFIER = sorted(set(_words_of(MODIFIER)) - set(TOPICS))[0]
#: "a covert campaign": every loose head under every modifier
MODIFIED = [f"{m} {h}" for h in loose_heads() for m in _words_of(MODIFIER)]


def _article(paragraphs: list[str]):  # type: ignore[no-untyped-def]
    return parse_article("\n\n".join(["A title", *paragraphs]), "a.txt")


def test_the_data_files_give_each_side_words() -> None:
    assert len(PLATFORM_ALIASES) > 10 and len(STATE_ALIASES) > 100
    assert len(STANCE) > 100 and len(TOPICS) > 10
    assert LOOSE_TOPICS and MODIFIED and not set(LOOSE_TOPICS) & set(TOPICS)


def test_filler_alone_does_not_pass(nlp) -> None:
    gate = load_gate(nlp)
    assert not gate.passes_article(list(FILLER))
    for sentence in FILLER:
        assert not gate.passes(sentence)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    alias=st.sampled_from(PLATFORM_ALIASES),
    at=st.integers(0, len(FILLER)),
    frame=st.sampled_from(["{} said on Monday it was reviewing the posts.", "Posts on {} were shared widely.",
                           "Officials ({}) gave no details."]),
)
def test_any_platform_alias_keeps_its_article(nlp, alias: str, at: int, frame: str) -> None:
    paragraphs = list(FILLER)
    paragraphs.insert(at, frame.format(alias))
    assert load_gate(nlp).passes_article(paragraphs)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    state=st.sampled_from(STATE_ALIASES),
    stance=st.sampled_from(STANCE),
    topic=st.sampled_from(TOPICS + MODIFIED),
    order=st.permutations([0, 1, 2]),
    spread=st.booleans(),
)
def test_a_state_word_a_stance_word_and_a_topic_keep_their_article(
    nlp, state: str, stance: str, topic: str, order: list[int], spread: bool
) -> None:
    parts = [f"{state} officials spoke.", f"They said {stance} today.", f"It was about the {topic}."]
    parts = [parts[i] for i in order]
    paragraphs = [*FILLER[:2], *parts, *FILLER[2:]] if spread else [*FILLER, " ".join(parts)]
    assert load_gate(nlp).passes_article(paragraphs), (state, stance, topic)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    state=st.sampled_from(STATE_ALIASES), stance=st.sampled_from(STANCE), loose=st.sampled_from(LOOSE_TOPICS)
)
def test_a_loose_topic_word_alone_does_not_pass(nlp, state: str, stance: str, loose: str) -> None:
    gate = load_gate(nlp)

    def article(topic: str) -> list[str]:
        return [*FILLER, f"{state} officials spoke.", f"They said {stance} today.", f"It was on the {topic}."]

    assume(not gate.passes_article(article("weather")))  # no topic in the name or the stance words
    # nor half of a modified topic ("a covert ... campaign" split across the sentences)
    assume(not gate.passes_article(article(loose_heads()[0])))
    assume(not gate.passes_article(article(ONLY_MODIFIER)))
    assert gate.passes_article(article("accounts"))
    assert not gate.passes_article(article(loose)), (state, stance, loose)


#: (article, whether the gate passes it): the denial rules need an accusation about accounts,
#: influence or interference, so a loose topic alone makes no fact even when fully parsed.
RULE_CASES = [
    ("Moscow rejected claims of Russian involvement in the bombing of the bridge.", False),
    ("The Kremlin denied it was responsible for the military operation near the border.", False),
    ("China's foreign ministry dismissed the reports about the election as baseless lies.", False),
    ("Tehran denied any role in the campaign against the dam, a spokesman said.", False),
    # a stance word and its partner in two sentences are no stance ("did not ... use")
    ("Russian officials did not attend the meeting. Engineers use the rail network every day.", False),
    ("The Kremlin said it did not use the network of fake accounts.", True),
    ("Moscow denied running the covert campaign on social media, the ministry said.", True),
    ("The Kremlin rejected claims that it ran fake accounts to sway the vote.", True),
]


@pytest.mark.parametrize(("text", "passes"), RULE_CASES)
def test_what_the_gate_drops_a_full_parse_makes_no_fact_of(nlp, text: str, passes: bool) -> None:
    article = _article([FILLER[0], text, FILLER[1]])
    assert load_gate(nlp).passes_article([p.text for p in article.paragraphs]) is passes
    facts = next(iter(extract_articles([article], nlp, parse="full")))
    if not passes:
        assert facts.denials == () and facts.takedowns == ()


def test_every_stance_and_topic_lemma_in_every_form_the_lemmatizer_maps_to_it(nlp) -> None:
    gate = load_gate(nlp)
    lemmas = [(TOPIC, w) for w in core_topics()]
    lemmas += [(c, w) for c in stance_classes() if c not in _NEEDS and c in _WORDS for w in _WORDS[c].lemmas]
    missed, checked = [], 0
    for cls, lemma in sorted(set(lemmas)):
        for form in sorted(candidate_forms(nlp, lemma.lower())):
            for cased in (form, form.capitalize(), form.upper()):
                word = f"the {cased} was"
                text = (f"Moscow officials rejected it. {word} discussed." if cls == TOPIC
                        else f"Moscow officials spoke of the accounts, and {word} discussed.")
                if any(t.lemma_.lower() == lemma.lower() for t in nlp(text)):
                    checked += 1
                    if not gate.passes(text):
                        missed.append((cls, lemma, cased))
    assert missed == []
    assert checked > len(set(lemmas))


def test_gated_articles_are_counted_and_have_no_facts(nlp) -> None:
    report = "Facebook said it removed 40 accounts linked to Iran."
    articles = [_article(list(FILLER)), _article([*FILLER[:3], report])]
    counts: dict[str, int] = {}
    gated = list(extract_articles(articles, nlp, parse="gated", counts=counts))
    full = list(extract_articles(articles, nlp, parse="full"))
    assert counts == {"gated": 1}
    assert gated == full
    assert gated[0].takedowns == () and gated[1].takedowns


def test_cluster_workers_count_what_their_gate_passes_over(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A Dask task (run here, without a cluster) reports per file the articles its gate skipped."""
    from kg.build.cluster import extract_partition

    (tmp_path / "news.txt").write_text("\n\n".join(["Local news", *FILLER]), "utf-8")
    report = "Facebook said it removed 40 accounts linked to Iran."
    (tmp_path / "takedown.txt").write_text("\n\n".join(["A takedown", FILLER[0], report]), "utf-8")
    paths = [str(tmp_path / "news.txt"), str(tmp_path / "takedown.txt")]
    gated = extract_partition(paths, None, str(tmp_path), parse="gated")
    full = extract_partition(paths, None, str(tmp_path), parse="full")
    assert [r.gated for r in gated] == [1, 0] and [r.gated for r in full] == [0, 0]
    assert [r.facts for r in gated] == [r.facts for r in full]


# ---- the sentence-level tests: what the rules read in one sentence --------------------------

#: Denials without a platform: an accusation of their own ("denied meddling") or a sentence's
#: (a topic, a cue and a state in one sentence) with a rejection elsewhere.
DENIALS_WITHOUT_PLATFORM = [
    "Researchers at Stanford said the accounts were linked to Iran. Tehran denied the claims.",
    "Russia has repeatedly denied meddling in the election.",
    "The Kremlin denied running fake accounts, a spokesman said.",
    "Moscow denied running the covert campaign on social media, the ministry said.",
    "The Kremlin rejected claims that it ran fake accounts to sway the vote.",
    "A report by Graphika linked the network of fake accounts to the Chinese government. China's foreign "
    "ministry dismissed the report as baseless.",
    "Security researchers accused Iran of running a covert influence campaign. Iranian officials rejected "
    "the accusation.",
    "Analysts said the troll accounts were tied to Russia. Peskov called the claims absurd.",
]

#: News whose words pass the text tests but whose parse shows no accusation: a topic word in a
#: name ("Channel Seven"), a modifier ("three-page"), or away from the rejection's clause.
DROPPED_AFTER_PARSE = [
    "Mr Downer has told Channel Seven in Moscow it should not be dismissed.",
    "The bishop flew back to Australia on Monday.\n\nIn a three-page statement, he says he could no longer "
    "allow completely unfounded allegations to be made about him.",
    "The Kremlin said the claims were untrue.\n\nOfficials denied the driver bail, Channel Nine reported.",
]

#: News the article gate passes but whose words stand apart: a rejection, a topic word and a
#: state in different sentences, no sentence an accusation.
DROPPED_BY_SENTENCES = [
    "Moscow dismissed the claims as untrue. The Channel Nine report on the election was aired on Monday.",
    "Officials in Canberra said the bail request was rejected. The network will broadcast the game tonight.",
]


def _before_ner(nlp, article):  # type: ignore[no-untyped-def]
    """The article's sentences as the gated mode tests them: parsed without NER and what follows."""
    later = ["ner", "cib_gazetteer", "cib_serial_comma"]
    return [s for p in article.paragraphs for s in nlp(p.text, disable=later).sents]


def test_sentences_are_cut_only_after_a_whole_lower_case_word() -> None:
    assert sentences("Moscow denied the claim. The accounts were fake.") == [
        "Moscow denied the claim. ", "The accounts were fake."]
    assert sentences('He said that! "We deny it," she added.') == [
        "He said that! ", '"We deny it," she added.']
    for text in ("The U.S. State Department spoke.", "Acme Corp. Officials spoke.",
                 "Mr. Smith and Gen. Lee met.", "On Sept. 5 it rained.", "It was the ABC. Then rain.",
                 "Moscow denied it. The end."):
        assert sentences(text) == [text], text


@pytest.mark.parametrize("text", DENIALS_WITHOUT_PLATFORM, ids=lambda t: t[:40])
def test_a_denial_without_a_platform_passes_every_test(nlp, text: str) -> None:
    article = _article([FILLER[0], text, FILLER[1]])
    gate = load_gate(nlp)
    paragraphs = [p.text for p in article.paragraphs]
    assert not gate.names_platform(paragraphs)
    assert gate.may_hold_fact(paragraphs)
    assert gate.may_hold_fact_parsed(_before_ner(nlp, article))
    gated = next(iter(extract_articles([article], nlp, parse="gated")))
    assert gated.denials and gated == next(iter(extract_articles([article], nlp, parse="full")))


@pytest.mark.parametrize("text", DROPPED_BY_SENTENCES, ids=lambda t: t[:40])
def test_what_the_sentence_test_drops_a_full_parse_makes_no_fact_of(nlp, text: str) -> None:
    article = _article([FILLER[0], text, FILLER[1]])
    gate = load_gate(nlp)
    paragraphs = [p.text for p in article.paragraphs]
    assert gate.passes_article(paragraphs) and not gate.may_hold_fact(paragraphs)
    full = next(iter(extract_articles([article], nlp, parse="full")))
    assert full.takedowns == () and full.denials == ()
    counts: dict[str, int] = {}
    assert next(iter(extract_articles([article], nlp, parse="gated", counts=counts))) == full
    assert counts == {"gated": 1}


@pytest.mark.parametrize("text", DROPPED_AFTER_PARSE, ids=lambda t: t[:40])
def test_what_the_parsed_test_drops_a_full_parse_makes_no_fact_of(nlp, text: str) -> None:
    article = _article([FILLER[0], text, FILLER[1]])
    gate = load_gate(nlp)
    assert gate.may_hold_fact([p.text for p in article.paragraphs])
    assert not gate.may_hold_fact_parsed(_before_ner(nlp, article))
    full = next(iter(extract_articles([article], nlp, parse="full")))
    assert full.takedowns == () and full.denials == ()
    assert next(iter(extract_articles([article], nlp, parse="gated"))) == full


#: Rejecting sentences of every shape the stance rules read, with an accusation of their own
#: or one sentence before: whatever the state, stance and topic words drawn.
_SHAPES = [
    "{state} {stance} the {topic}.",
    "{state} has repeatedly {stance} the {topic}, officials said.",
    "Researchers said the {topic} were linked to {state}. Officials there {stance} the claims.",
    "The {topic} were tied to {state}, a report found. {state} {stance} it.",
    "Officials in {state} {stance} the {topic}, calling the report a smear.",
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    state=st.sampled_from(STATE_ALIASES),
    stance=st.sampled_from(sorted(set(STANCE) | {"denied", "rejected", "dismissed", "did not run"})),
    topic=st.sampled_from(TOPICS + MODIFIED),
    shape=st.sampled_from(_SHAPES),
)
def test_every_article_a_full_parse_finds_a_denial_in_passes_the_sentence_tests(
    nlp, state: str, stance: str, topic: str, shape: str
) -> None:
    article = _article([FILLER[0], shape.format(state=state, stance=stance, topic=topic), FILLER[1]])
    full = next(iter(extract_articles([article], nlp, parse="full")))
    gated = next(iter(extract_articles([article], nlp, parse="gated")))
    assert gated == full
    paragraphs = [p.text for p in article.paragraphs]
    gate = load_gate(nlp)
    if full.denials and not gate.names_platform(paragraphs):
        assert gate.may_hold_fact(paragraphs)
        assert gate.may_hold_fact_parsed(_before_ner(nlp, article))
