"""The gazetteer (``kg.lexicon.gazetteer``): every sovereign state the news may name, each once,
with its Wikidata item; a state named by its name, demonym or capital ties a network to it."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from extract_tools import takedowns_of

from kg.lexicon.gazetteer import load_gazetteer


def _states() -> list:  # type: ignore[type-arg]
    return [e for e in load_gazetteer().entities.values() if e.type == "state"]


def test_each_state_once_with_its_wikidata_item() -> None:
    states = _states()
    assert len(states) >= 175  # the UN's members, less micro-states, plus Taiwan, Palestine, Kosovo
    qids = Counter(e.wikidata for e in states)
    assert all(q is not None and re.fullmatch(r"Q\d+", q) for q in qids)
    assert [q for q, n in qids.items() if n > 1] == []


def test_no_alias_names_two_states() -> None:
    owners: dict[str, set[str]] = {}
    for a in load_gazetteer().aliases:
        if a.label in ("STATE", "DEMONYM", "PLACE"):
            owners.setdefault(a.text.lower(), set()).add(a.entity)
    assert {t: s for t, s in owners.items() if len(s) > 1} == {}


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Meta removed 50 fake accounts linked to Burundi for coordinated inauthentic behaviour.", "Burundi"),
        ("Meta removed 50 fake accounts run by the Ivorian government in an influence campaign.",
         "Ivory Coast"),
        ("Twitter removed 40 fake accounts based in Lilongwe in a political influence campaign.", "Malawi"),
        ("Meta removed 30 fake Pages tied to the government of Papua New Guinea for inauthentic behaviour.",
         "Papua New Guinea"),
        ("TikTok removed 20 fake accounts linked to Equatorial Guinea in an influence campaign.",
         "Equatorial Guinea"),
    ],
)
def test_states_by_name_demonym_and_capital(nlp, text: str, state: str) -> None:  # type: ignore[no-untyped-def]
    assert [states for _, _, states in takedowns_of(nlp, "Case\n\n" + text)] == [{state}]
