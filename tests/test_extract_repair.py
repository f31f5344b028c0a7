"""Parse repairs (``kg.extract.repair``): the serial comma before a list's last name (the
sentence parsed again as if the comma were a space, its tree taken from there).

Sentences are our own. Each repaired shape sits beside clauses the repair must leave alone.
"""

from __future__ import annotations

import pytest
from extract_tools import TD, takedowns_of

pytestmark = pytest.mark.model

CONTEXT = " The accounts were part of state-backed influence operations."

#: (sentence, the name that must be the list's last member, the noun that must be the subject)
REPAIRED = [
    ("Twitter said 10,000 accounts linked to the governments of Egypt, Saudi Arabia, Honduras, and Indonesia "
     "were removed.", "Indonesia", "accounts"),
    ("Twitter announced that 900 accounts based in Cuba, Venezuela, and Nicaragua had been suspended.",
     "Nicaragua", "accounts"),
    # the last name hung as a conjunct on the list's noun ("accounts ... and Indonesia")
    ("Twitter also announced on May 3 that more than 7,000 accounts linked to the governments of Ghana, "
     "Saudi Arabia, Peru, and Indonesia were quietly removed from the service for spreading false content.",
     "Indonesia", "accounts"),
]


@pytest.mark.parametrize(("text", "name", "noun"), REPAIRED, ids=[t[:40] for t, _, _ in REPAIRED])
def test_the_last_name_is_back_in_the_list(nlp, text: str, name: str, noun: str) -> None:
    doc = nlp(text)
    last = next(t for t in doc if t.text == name)
    subject = next(t for t in doc if t.text == noun)
    assert last.dep_ == "conj" and last.head.pos_ == "PROPN"
    assert subject.dep_ in ("nsubj", "nsubjpass") and subject.head.lemma_ in ("remove", "suspend")
    assert len(list(doc.sents)) == 1


#: what the repair leaves alone: a clause with a subject of its own after ", and"
LEFT_ALONE = [
    "Facebook removed accounts from Iran, Russia, and Egypt, and Twitter removed 40 accounts.",
    "Officials from Egypt, Qatar, and Kenya met, and Indonesia sent a delegate.",
    "Twitter said it removed 300 accounts, and Facebook removed 200 pages.",
    "The talks were held in Paris. Egypt, Qatar, and Kenya met, and Indonesia sent a delegate.",
    # the second parse misreads the list another way: the first parse stands
    "A report stated that hackers backed by Russia, China, and Iran are using tools from the company to "
    "refine their skills.",
]


@pytest.mark.parametrize("text", LEFT_ALONE, ids=[t[:40] for t in LEFT_ALONE])
def test_other_clauses_are_left_alone(nlp, text: str) -> None:
    with nlp.select_pipes(disable=["cib_serial_comma"]):
        before = [(t.i, t.dep_, t.head.i) for t in nlp(text)]
    assert [(t.i, t.dep_, t.head.i) for t in nlp(text)] == before


FACTS: list[tuple[str, list[TD]]] = [
    # one exact figure for all: one record with every state (the events' convention)
    (REPAIRED[0][0] + CONTEXT,
     [("Twitter", {"accounts": 10000}, {"Egypt", "Saudi Arabia", "Honduras", "Indonesia"})]),
    # the same without the serial comma, which the model parses right
    ("Twitter said 10,000 accounts linked to the governments of Egypt, Saudi Arabia, Honduras and Indonesia "
     "were removed." + CONTEXT,
     [("Twitter", {"accounts": 10000}, {"Egypt", "Saudi Arabia", "Honduras", "Indonesia"})]),
    (REPAIRED[1][0] + CONTEXT, [("Twitter", {"accounts": 900}, {"Cuba", "Venezuela", "Nicaragua"})]),
]


@pytest.mark.parametrize(("text", "expected"), FACTS, ids=[t[:40] for t, _ in FACTS])
def test_facts_of_a_repaired_list(nlp, text: str, expected: list[TD]) -> None:
    assert takedowns_of(nlp, text) == sorted(expected, key=repr)


@pytest.mark.parametrize("text", [t for t, _, _ in REPAIRED] + LEFT_ALONE, ids=lambda t: t[:40])
def test_a_sentence_the_repair_changes_is_flagged_before_ner(nlp, text: str) -> None:
    """``may_repair`` reads a Doc parsed without NER (the gate's parsed test): wherever the
    repair then changes a sentence's tree, it said so first."""
    from kg.extract.repair import may_repair

    later = ["ner", "cib_gazetteer", "cib_serial_comma"]
    before = nlp(text, disable=later)
    flagged = {s.start for s in before.sents if may_repair(s)}
    after = nlp(text)
    for sent in after.sents:
        tree = [(t.head.i, t.dep_) for t in sent]
        if tree != [(t.head.i, t.dep_) for t in before[sent.start : sent.end]]:
            assert sent.start in flagged, sent.text


def test_no_serial_comma_no_flag(nlp) -> None:
    from kg.extract.repair import may_repair

    doc = nlp("Twitter said it removed 300 accounts and Facebook removed 200 pages.", disable=["ner"])
    assert not any(may_repair(s) for s in doc.sents)


# ---- a figure in digits opening a sentence stays in it (the parser made it a sentence alone) ---
NUMBER_START: list[tuple[str, list[str]]] = [
    ("The effort out of Kenya focused on Uganda, Rwanda, and Tanzania. 217 Facebook accounts, 144 pages, "
     "five groups, and 31 Instagram accounts were deleted.",
     ["The effort out of Kenya focused on Uganda, Rwanda, and Tanzania.",
      "217 Facebook accounts, 144 pages, five groups, and 31 Instagram accounts were deleted."]),
    ("1,200 accounts were removed. 40 of them posed as journalists.",
     ["1,200 accounts were removed.", "40 of them posed as journalists."]),
    # negatives beside them: a figure inside a sentence, or a spelled-out one, is the parser's business
    ("It removed 217 accounts in 2019. Five of them were pages.",
     ["It removed 217 accounts in 2019.", "Five of them were pages."]),
    ("The vote was 3 to 2. It passed.", ["The vote was 3 to 2.", "It passed."]),
]


@pytest.mark.parametrize(("text", "sentences"), NUMBER_START, ids=[t[:40] for t, _ in NUMBER_START])
def test_a_figure_opening_a_sentence_stays_in_it(nlp, text: str, sentences: list[str]) -> None:
    assert [s.text for s in nlp(text).sents] == sentences


def test_the_figure_counts_the_accounts_after_it(nlp) -> None:
    text = ("Facebook removed a network for coordinated inauthentic behaviour on Tuesday.\n\nThe effort "
            "focused on Uganda, Rwanda, and Tanzania. 217 Facebook accounts, 144 pages, five groups, and 31 "
            "Instagram accounts were deleted.")
    assert takedowns_of(nlp, text) == [
        ("Facebook", {"accounts": 217, "pages": 144, "groups": 5, "instagram_accounts": 31}, set())
    ]
