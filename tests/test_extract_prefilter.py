"""The pre-pass keeps every paragraph a rule could read: properties over the data files.

Whatever words the data files hold (they grow), a sentence that carries one of them, in
any form the model's lemmatizer maps to it, or any gazetteer name the span ruler finds,
is kept; unrelated news is not.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest
from extract_tools import candidate_forms

from kg.extract.model import SPANS_KEY
from kg.extract.prefilter import load_prefilter, trigger_words
from kg.lexicon.gazetteer import load_gazetteer

pytestmark = pytest.mark.model

FRAMES = (
    "Officials said on Monday that {} had been discussed at length.",
    "\u201c{}\u201d, the statement read.",
    "In a long report ({}) the authors gave no details.",
)
def test_every_trigger_lemma_in_every_form_the_lemmatizer_maps_to_it(nlp) -> None:
    keeps = load_prefilter(nlp).keeps
    lemmas, _ = trigger_words()
    assert len(lemmas) > 50
    missed, checked = [], 0
    for lemma in sorted(set(lemmas)):
        for form in sorted(candidate_forms(nlp, lemma.lower())):
            for cased in (form, form.capitalize(), form.upper()):
                text = f"Officials said the {cased} was discussed."
                doc = nlp(text)
                if any(t.lemma_.lower() == lemma.lower() for t in doc):
                    checked += 1
                    if not keeps(text):
                        missed.append((lemma, cased))
    assert missed == []
    assert checked > len(set(lemmas))


def test_every_phrase_of_the_data_files_is_kept() -> None:
    from kg.extract.model import load_pipeline

    keeps = load_prefilter(load_pipeline()).keeps
    _, phrases = trigger_words()
    assert phrases
    missed = [
        (p, frame)
        for p in phrases
        for variant in (p, p.upper(), p.capitalize(), p.replace("'", "\u2019"))
        for frame in FRAMES
        if not keeps(frame.format(variant))
    ]
    assert missed == []


def test_every_gazetteer_name_the_ruler_finds_is_kept(nlp) -> None:
    keeps = load_prefilter(nlp).keeps
    missed = []
    for alias in load_gazetteer().aliases:
        for frame in FRAMES:
            text = frame.format(alias.text)
            if nlp(text).spans[SPANS_KEY] and not keeps(text):
                missed.append(text)
    assert missed == []


def test_context_only_classes_exist_and_are_not_triggers() -> None:
    data = resources.files("kg.data")

    def rows_of(name: str) -> list[dict]:
        return [json.loads(x) for x in data.joinpath(name).read_text("utf-8").splitlines() if x.strip()]

    rows = rows_of("prefilter.jsonl")
    skipped = {r["skip_file"] for r in rows if "skip_file" in r}
    lexicon = [  # every word-list row the pre-pass reads (context-only classes in any file)
        r for e in sorted(data.iterdir(), key=lambda e: e.name)
        if e.name.endswith(".jsonl") and e.name not in skipped for r in rows_of(e.name)
    ]
    classes = {r["class"] for r in lexicon if "class" in r}
    context_only = {r["context_only"] for r in rows if "context_only" in r}
    assert context_only <= classes  # a stale name would keep nothing out
    assert all(r.get("why") for r in rows)
    for name in (r["skip_file"] for r in rows if "skip_file" in r):
        assert data.joinpath(name).is_file()
    lemmas, phrases = trigger_words()
    only_context = {r["lemma"] for r in lexicon if r.get("class") in context_only and "lemma" in r} - {
        r.get("lemma") for r in lexicon if r.get("class") not in context_only
    }
    assert only_context and not only_context & set(lemmas)


@pytest.mark.parametrize(
    "text",
    [
        "The bus company met on Tuesday to discuss the new timetable.",
        "Rain is expected over the weekend, with temperatures dropping to eight degrees.",
        "\u201cWe are looking forward to the final,\u201d the coach told reporters.",
        "Shares in the bakery chain rose by four percent after the results were published.",
    ],
)
def test_unrelated_news_is_not_parsed(nlp, text: str) -> None:
    assert not load_prefilter(nlp).keeps(text)


def _settings_rows() -> list[dict]:
    data = resources.files("kg.data").joinpath("prefilter.jsonl").read_text("utf-8")
    return [json.loads(x) for x in data.splitlines() if x.strip()]


def test_conditional_classes_exist_and_are_not_triggers() -> None:
    """``needs``, ``until`` and ``window`` rows name real classes, say why, and their words
    keep no paragraph alone (unless another class lists the same word as a trigger)."""
    from kg.extract.prefilter import class_words

    words = class_words()
    rows = _settings_rows()
    conditional = set()
    for r in rows:
        for key in ("needs", "until", "window"):
            if key in r:
                assert r[key] in words and r.get("why"), r
                conditional.add(r[key])
        named = r.get("with_classes", []) + r.get("anchors", []) + r.get("or_with_classes", [])
        phrasal = {k.split(":")[2] for k in words if k.startswith("phrasal:")}
        assert all(c in words or c in phrasal for c in named), r
    lemmas, _ = trigger_words()
    only = {w for c in conditional for w in words[c].lemmas} - set(lemmas)
    assert only and not only & set(lemmas)


def _forms_in_use(nlp, lemma: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Forms of ``lemma`` that the lemmatizer maps back to it in a plain sentence."""
    out = []
    for form in sorted(candidate_forms(nlp, lemma.lower())):
        doc = nlp(f"Officials said the {form} was discussed.")
        if any(t.lemma_.lower() == lemma.lower() for t in doc):
            out.append(form)
    return out


def test_needs_words_are_kept_beside_the_word_they_need(nlp) -> None:
    """ "did not use", "no links", "real citizens", "anti-Russian campaign", "took down": every
    form of every word of a ``needs`` class (and every phrasal verb) is kept with its partner."""
    from kg.extract.prefilter import class_words

    keeps = load_prefilter(nlp).keeps
    words = class_words()
    cases: list[tuple[str, str]] = []  # (lemma, partner word)
    for r in _settings_rows():
        if "needs" not in r:
            continue
        partners = list(r.get("with", [])) + [p + "-x" for p in r.get("with_prefix", [])]
        partners += [w for c in r.get("with_classes", []) for w in words[c].lemmas[:3]]
        cases += [(lemma, p) for lemma in words[r["needs"]].lemmas for p in partners]
    phrasal = [k for k in words if k.startswith("phrasal:")]
    cases += [(lemma, k.split(":")[1]) for k in phrasal for lemma in words[k].lemmas]
    missed, checked = [], 0
    for lemma, partner in cases:
        for form in _forms_in_use(nlp, lemma):
            checked += 1
            text = f"Officials said the {form} was discussed, {partner} more."
            if not keeps(text):
                missed.append(text)
    assert missed == [] and checked > 100


NEEDS_CASES = [  # (kept, text): our own sentences, the partner word present or not
    (True, "The ministry said it did not use any of the accounts."),
    (True, "Officials said they never funded the group."),
    (True, "The embassy said it didn't run the pages."),
    (True, "The army refused to acknowledge the findings."),
    (False, "The club will use the new stadium from next season."),
    (False, "Officials said the bakery would fund a new playground."),
    (True, "The government said it had no links to the campaign."),
    (False, "Officials said the new bridge links the two towns."),
    (True, "The embassy said the owners of the pages were real citizens."),
    (False, "It was a real pleasure to watch the final."),
    (True, "The spokesman called the report part of an anti-Chinese campaign."),
    (False, "The charity began its winter campaign on Monday."),
    (True, "Facebook said it took the pages down on Tuesday."),
    (False, "Forecasters urged drivers to take care on the roads."),
    (True, "The ministry brushed the report off as invented."),
]


@pytest.mark.parametrize(("kept", "text"), NEEDS_CASES)
def test_needs_cases(nlp, kept: bool, text: str) -> None:
    assert load_prefilter(nlp).keeps(text) is kept


# (class, alone: dropped, with a trigger: kept); our own sentences
NEW_CONTEXT_ONLY = [
    ("anaphor", "That is what it was like this year.", "That is what the ministry denied."),
    ("protest_noun", "The tariff on steel rose again.", "Officials rejected the tariff on steel."),
    ("frame_verb", "Residents opposed the tram line.", "Residents called the plan a smear."),
    ("claim_noun", "The report on school meals came out.", "The report on Russia came out."),
    ("refusal_verb", "The coach declined to name his team.", "The coach declined to admit it."),
    ("account_noun", "Citizens queued for hours in the rain.", "The pages belonged to real citizens."),
    ("accusation_marker", "Orders from the bakery had doubled.", "Orders from Iran had doubled."),
    ("topic", "The influence of the weather on sales was small.", "Facebook said the influence was small."),
    ("commercial_cue", "A court sentenced him for fraud.", "Twitter suspended the accounts for fraud."),
    ("content_noun", "Market news from the region.", "Market news from Venezuela."),
    ("non_asset_modifier", "The central bank governor spoke.", "The bank accounts were frozen."),
    ("state_word", "The defence lawyer said he would appeal.", "The defence lawyer said he denied it."),
    ("nonstate_body", "The opposition party met on Friday.", "The opposition party in Kenya met on Friday."),
]


@pytest.mark.parametrize(("cls", "alone", "with_trigger"), NEW_CONTEXT_ONLY, ids=[c[0] for c in NEW_CONTEXT_ONLY])  # noqa: E501
def test_context_only_class_keeps_only_beside_a_trigger(nlp, cls: str, alone: str, with_trigger: str) -> None:
    from kg.extract.prefilter import settings

    assert cls in settings().context_only
    keeps = load_prefilter(nlp).keeps
    assert not keeps(alone)
    assert keeps(with_trigger)


NEWS = "Rain is expected over the weekend, with temperatures dropping to eight degrees."


def test_speaker_words_are_kept_only_before_a_stance_word(nlp) -> None:
    """A title or office word keeps its paragraph when the article has a denial word in it
    or later (the speaker is remembered for it), not after the last one, nor in an article
    with none; every form of every word of an ``until`` class is kept before one."""
    from kg.extract.prefilter import class_words, settings

    kept = load_prefilter(nlp).kept
    words = class_words()
    stance = "\u201cIt is baseless,\u201d he said."
    titled = "Senior spokesman Alan Brook said the weather was fine."
    assert kept([titled, NEWS, stance]) == [True, False, True]
    assert kept([stance, NEWS, titled]) == [True, False, False]
    assert kept([titled, NEWS]) == [False, False]
    council = "The council voted on the new tram line."
    assert kept([council, "The mayor said it did not use the accounts."]) == [True, True]
    missed = []
    for cls in settings().until:
        forms = [f for lemma in words[cls].lemmas for f in _forms_in_use(nlp, lemma)]
        for form in forms + words[cls].phrases:
            text = f"Officials said the {form} was discussed."
            if kept([text, NEWS, stance])[0] is not True:
                missed.append(text)
    assert missed == []


def test_network_nouns_are_kept_after_a_removal_or_with_an_ordinal(nlp) -> None:
    """ "The network was run by the government" is read for the removal up to two sentences
    before it (so two paragraphs), or as a network of its own after an ordinal."""
    kept = load_prefilter(nlp).kept
    removal = "Facebook said it removed 40 accounts on Tuesday."
    scheme = "The scheme was run by the government."
    assert kept([removal, scheme]) == [True, True]
    assert kept([removal, NEWS, scheme]) == [True, False, True]
    assert kept([removal, NEWS, NEWS, scheme]) == [True, False, False, False]
    assert kept([NEWS, NEWS, NEWS, "The second scheme was run by the army."]) == [False, False, False, True]
    assert kept([scheme, NEWS]) == [False, False]


@pytest.mark.parametrize(
    ("kept", "text"),
    [
        (True, "350 from the capital, for attacking the opposition"),
        (True, "Forty in the north tied to the army"),
        (True, "2019 from the start was a busy year."),  # parsed: the rule needs to see a date
        (False, "Rain fell in the capital."),
    ],
)
def test_list_items_that_leave_out_their_noun_are_kept(nlp, kept: bool, text: str) -> None:
    """ "271 from Egypt" counts the asset named before: the rule reads the item's parse."""
    assert load_prefilter(nlp).keeps(text) is kept
