"""The gazetteer (``kg.lexicon.gazetteer``): every sovereign state the news may name, each once,
with its Wikidata item; a state named by its name, demonym or capital ties a network to it."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from extract_tools import facts, takedowns_of

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


def test_state_bodies_and_officials_name_a_state_and_never_clash() -> None:
    """Armies, agencies, state media and officials each name one state; no alias is claimed
    twice, and none is a short name the news uses for something else (AFP, CRI, RDF, VTV)."""
    gaz = load_gazetteer()
    owners: dict[str, set[str]] = {}
    for a in gaz.aliases:
        if a.label in ("ORG", "PERSON"):
            owners.setdefault(a.text, set()).add(a.entity)
            assert gaz.entities[a.entity].state is not None or a.label == "ORG", a
    assert {t: s for t, s in owners.items() if len(s) > 1} == {}
    assert {"AFP", "CRI", "RDF", "VTV", "SDA", "Royal Court"}.isdisjoint(owners)
    states = {e.name for e in _states()}
    for e in gaz.entities.values():
        if e.type in ("organisation", "person"):
            assert e.state is None or e.state in states, e


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("Facebook removed 70 accounts tied to the IDF for coordinated inauthentic behaviour.", "Israel"),
        ("Facebook removed 20 Pages run by the Tatmadaw for coordinated inauthentic behaviour.", "Myanmar"),
        ("Meta removed 90 accounts operated by Force 47 for coordinated inauthentic behaviour.", "Vietnam"),
        ("Facebook removed 40 accounts linked to the PNP for coordinated inauthentic behaviour.",
         "Philippines"),
        ("Twitter removed 926 accounts linked to ISOC for platform manipulation.", "Thailand"),
        ("Meta removed 60 accounts linked to the Pentagon for coordinated inauthentic behaviour.",
         "United States"),
    ],
)
def test_state_bodies_tie_a_network_to_their_state(nlp, text: str, state: str) -> None:  # type: ignore[no-untyped-def]
    assert [states for _, _, states in takedowns_of(nlp, "Case\n\n" + text)] == [{state}]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "state", "speaker"),
    [
        ('"The IDF does not operate fake profiles," an army spokesperson said.', "Israel",
         "army spokesperson"),
        ("Esmaeil Baghaei called the report baseless and politically motivated.", "Iran",
         "Esmaeil Baghaei"),
        ("Maduro dismissed the report as a lie invented by the empire.", "Venezuela", "Nicolás Maduro"),
        ("Hikmet Hajiyev said the accounts belonged to genuine citizens.", "Azerbaijan", "Hikmet Hajiyev"),
    ],
)
def test_an_official_or_a_body_denies_for_its_state(nlp, text: str, state: str, speaker: str) -> None:  # type: ignore[no-untyped-def]
    """The sentence names no state: the speaker's own state comes from the gazetteer."""
    lead = f"Meta removed 300 fake accounts linked to {state} for coordinated inauthentic behaviour.\n\n"
    den = [(d.state, d.speaker) for d in facts(nlp, "Case\n\n" + lead + text).denials]
    assert den == [(state, speaker)]


@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "state"),
    [
        # a curly apostrophe names the state as a straight one does; "Republic of China" inside it
        # is not Taiwan
        ("Meta removed 40 fake accounts linked to the People\u2019s Republic of China in an influence "
         "campaign.", "China"),
        ("Meta removed 40 fake accounts linked to the People's Republic of China in an influence "
         "campaign.", "China"),
        ("Meta removed 40 fake accounts linked to the Republic of China in an influence campaign.", "Taiwan"),
        # "aligned with" and "-aligned": the platforms' word for a state-aligned operation
        ("Google terminated 40 YouTube channels tied to networks aligned with Russia in an influence "
         "campaign.", "Russia"),
        ("Google terminated 40 YouTube channels run by PRC-aligned networks in an influence campaign.",
         "China"),
    ],
)
def test_curly_apostrophes_and_aligned_networks(nlp, text: str, state: str) -> None:  # type: ignore[no-untyped-def]
    assert [states for _, _, states in takedowns_of(nlp, "Case\n\n" + text)] == [{state}]
