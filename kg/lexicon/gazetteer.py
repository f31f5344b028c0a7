"""Gazetteer and lexicon: the data files under ``kg/data`` as typed lookups.

Everything the extractor knows about names and wording lives in data files, so adding a
platform, a spokesperson or a denial idiom is an edit to a JSONL/TSV row, not to code.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from kg.records import Entity


@dataclass(frozen=True)
class Alias:
    """One surface form: the entity it names and how (name, demonym, place, ...)."""

    text: str
    entity: str  # canonical name
    label: str  # PLATFORM | STATE | DEMONYM | PLACE | ORG | PERSON


def _read(name: str) -> str:
    return resources.files("kg.data").joinpath(name).read_text("utf-8")


def data_rows(name: str) -> list[dict[str, Any]]:
    """The rows of a packaged JSONL data file (``kg/data/NAME``); blank and ``#`` lines skipped."""
    lines = (line.strip() for line in _read(name).splitlines())
    return [json.loads(line) for line in lines if line and not line.startswith("#")]


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


@dataclass(frozen=True)
class Gazetteer:
    entities: dict[str, Entity]
    aliases: tuple[Alias, ...]
    person_org: dict[str, str]

    def get(self, name: str | None) -> Entity | None:
        return self.entities.get(name) if name else None

    def state_of(self, name: str | None) -> str | None:
        """The state an entity is or acts for."""
        ent = self.get(name)
        if ent is None:
            return None
        return ent.name if ent.type == "state" else ent.state


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    entities: dict[str, Entity] = {}
    aliases: list[Alias] = []
    person_org: dict[str, str] = {}
    rows = csv.reader(
        (ln for ln in _read("states.tsv").splitlines() if ln and not ln.startswith("#")),
        delimiter="\t",
    )
    for row in rows:
        row = row + [""] * (5 - len(row))
        name, qid, names, demonyms, places = row[:5]
        split = [a for a in names.split("|") if a]
        entities[name] = Entity(
            key=slug(name),
            name=name,
            type="state",
            state=name,
            wikidata=qid or None,
            aliases=tuple([name, *split]),
        )
        for a in [name, *split]:
            aliases.append(Alias(a, name, "STATE"))
        for a in demonyms.split("|"):
            if a:
                aliases.append(Alias(a, name, "DEMONYM"))
        for a in places.split("|"):
            if a:
                aliases.append(Alias(a, name, "PLACE"))
    for file, kind, label in (
        ("platforms.jsonl", "platform", "PLATFORM"),
        ("organisations.jsonl", "organisation", "ORG"),
        ("people.jsonl", "person", "PERSON"),
    ):
        for row in data_rows(file):
            entities[row["name"]] = Entity(
                key=slug(row["name"]),
                name=row["name"],
                type=kind,
                state=row.get("state"),
                wikidata=row.get("wikidata"),
                aliases=tuple(row["aliases"]),
                role=row.get("role"),
            )
            if row.get("org"):
                person_org[row["name"]] = row["org"]
            aliases.extend(Alias(a, row["name"], label) for a in row["aliases"])
    # news writes the apostrophe curly as often as straight: "People’s Republic of China" must
    # not leave "Republic of China" (Taiwan) to match inside it
    aliases += [Alias(a.text.replace("'", "\u2019"), a.entity, a.label) for a in aliases if "'" in a.text]
    return Gazetteer(entities=entities, aliases=tuple(aliases), person_org=person_org)


@dataclass(frozen=True)
class Lexicon:
    """Word classes for the extraction rules (``kg/data/lexicon.jsonl``)."""

    lemmas: dict[str, frozenset[str]]
    phrasal: frozenset[tuple[str, str]]
    phrases: dict[str, tuple[str, ...]]
    asset_field: dict[str, str]
    qualifier_field: dict[str, tuple[str, str]]
    wording: dict[str, str]
    suffix_wording: dict[str, str]
    quantifiers: dict[str, bool]

    def is_(self, cls: str, lemma: str) -> bool:
        return lemma.lower() in self.lemmas.get(cls, frozenset())


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    lemmas: dict[str, set[str]] = defaultdict(set)
    phrasal: set[tuple[str, str]] = set()
    phrases: dict[str, list[str]] = defaultdict(list)
    asset_field: dict[str, str] = {}
    qualifier: dict[str, tuple[str, str]] = {}
    wording: dict[str, str] = {}
    suffix: dict[str, str] = {}
    quant: dict[str, bool] = {}
    for row in data_rows("lexicon.jsonl"):
        cls = row["class"]
        if "particle" in row:
            phrasal.add((row["lemma"], row["particle"]))
        elif "lemma" in row:
            lemmas[cls].add(row["lemma"].lower())
        if "phrase" in row and cls != "quantifier":
            phrases[cls].append(row["phrase"].lower())
        if cls == "asset":
            asset_field[row["lemma"]] = row["field"]
        elif cls == "asset_qualifier":
            qualifier[row["text"]] = (row["field"], row["applies_to"])
        elif cls == "attribution_cue":
            wording[row["lemma"]] = row["wording"]
        elif cls == "attribution_suffix":
            suffix[row["lemma"]] = row["wording"]
        elif cls == "quantifier":
            quant[row["phrase"].lower()] = bool(row["vague"])
    return Lexicon(
        lemmas={k: frozenset(v) for k, v in lemmas.items()},
        phrasal=frozenset(phrasal),
        phrases={k: tuple(v) for k, v in phrases.items()},
        asset_field=asset_field,
        qualifier_field=qualifier,
        wording=wording,
        suffix_wording=suffix,
        quantifiers=quant,
    )
