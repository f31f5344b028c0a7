"""A synthetic news corpus about takedowns, written from our own templates and the gazetteers.

Every article is news-length (about 500-700 words): a takedown lead with counts and an
attribution, a platform quote, often a denial by a spokesperson of the attributed state, a
second platform's takedown now and then, and background paragraphs, with varied names,
numbers, dates and wording. Nothing is copied from a real article. Deterministic per seed.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
FIRST = ("Anna", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kavya",
         "Liam", "Mira", "Nadia", "Omar", "Priya", "Rafael", "Sofia", "Tomas", "Yara", "Zoe", "Malik")
LAST = ("Adler", "Brennan", "Castillo", "Dumont", "Eriksen", "Fischer", "Gallo", "Haddad", "Ivanova",
        "Jensen", "Kowalski", "Lindqvist", "Moreau", "Nakamura", "Okafor", "Pereira", "Quinn", "Rossi",
        "Sandoval", "Tanaka", "Varga", "Whitfield")
TOPICS = ("the upcoming election", "the war in Ukraine", "public health measures", "a border dispute",
          "protests in the capital", "energy prices", "a trade agreement", "local military operations",
          "the opposition leader", "migration policy", "a disputed referendum", "regional security")
OUTLETS = ("The Daily Ledger", "Northern Herald", "Coastline Post", "Metro Wire", "The Continental")


@dataclass(frozen=True)
class State:
    name: str
    demonym: str
    capital: str


def _gazetteer() -> tuple[list[str], list[State], dict[str, list[str]], dict[str, list[str]]]:
    data = resources.files("kg.data")
    lines = data.joinpath("platforms.jsonl").read_text().splitlines()
    platforms = [json.loads(line)["name"] for line in lines if line.strip()]
    states = []
    rows = csv.reader(data.joinpath("states.tsv").read_text().splitlines(), delimiter="\t")
    for row in rows:
        if row and not row[0].startswith("#") and len(row) >= 5 and row[3] and row[4]:
            states.append(State(row[0], row[3].split("|")[0], row[4].split("|")[0]))
    people: dict[str, list[str]] = {}
    for line in data.joinpath("people.jsonl").read_text().splitlines():
        if line.strip():
            p = json.loads(line)
            people.setdefault(p["state"], []).append(p["name"])
    orgs: dict[str, list[str]] = {}
    for line in data.joinpath("organisations.jsonl").read_text().splitlines():
        if line.strip():
            o = json.loads(line)
            if o.get("state"):
                orgs.setdefault(o["state"], []).append(o["name"])
    return platforms, states, people, orgs


def _date(d: date) -> str:
    return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"


def _counts(rng: random.Random) -> str:
    parts = []
    kinds = rng.sample(["accounts", "pages", "groups", "Instagram accounts"], k=rng.randint(1, 3))
    for kind in kinds:
        n = rng.choice([rng.randint(2, 99), rng.randint(100, 999), rng.randint(1000, 9000)])
        parts.append(f"{n:,} {kind}")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def article(rng: random.Random, gaz: tuple, serial: int) -> tuple[str, str]:
    """(file name, text) of one article."""
    platforms, states, people, orgs = gaz
    main = ["Facebook", "Twitter", "YouTube", "TikTok", "Meta", "Reddit", "Microsoft", "OpenAI"]
    platform = rng.choice(main if rng.random() < 0.8 else platforms)
    state = rng.choice([s for s in states if s.name in people] if rng.random() < 0.6 else states)
    when = date(2017, 1, 1) + timedelta(days=rng.randint(0, 8 * 365))
    published = when + timedelta(days=rng.randint(0, 3))
    day = WEEKDAYS[when.weekday() % 5]
    topic = rng.choice(TOPICS)
    researcher = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    actor = rng.choice(orgs.get(state.name, [f"{state.demonym} government"]))
    counts = _counts(rng)
    title = rng.choice([
        f"{platform} Removes {state.demonym} Network Targeting {topic.title()}",
        f"{platform} takes down fake accounts linked to {state.name}",
        f"{state.name} rejects {platform} claims over fake accounts",
        f"Inside the {state.demonym} influence campaign {platform} just shut down",
    ])
    lead = rng.choice([
        f"{platform} said on {day} it had removed {counts} linked to {state.name} for engaging in "
        f"coordinated inauthentic behavior aimed at {topic}.",
        f"{platform} has taken down {counts} that it said were part of a {state.demonym} influence "
        f"operation focused on {topic}, the company announced on {day}.",
        f"On {day}, {platform} announced the removal of {counts} which it traced to individuals "
        f"associated with the {state.demonym} government.",
    ])
    paras = [lead]
    paras.append(rng.choice([
        f"The network used fake personas to post about {topic} and to amplify content from {actor}, "
        f"according to a report the company published on its website.",
        f"According to {platform}, the operators tried to conceal their identities, but the investigation "
        f"found links to {actor}.",
        f"The company said the accounts posed as local news outlets and independent commentators, and "
        f"that some of them had been active since {when.year - rng.randint(1, 4)}.",
    ]))
    paras.append(
        f"“We removed this activity because it relied on fake accounts to mislead people about who was "
        f"behind it,” {researcher}, who leads threat investigations at {platform}, said in a statement. "
        f"“The people behind it spent about ${rng.randint(2, 900) * 100:,} on advertising.”"
    )
    if state.name in people and rng.random() < 0.8:
        speaker = rng.choice(people[state.name])
        paras.append(rng.choice([
            f"{speaker} dismissed the accusations as groundless. “These claims by {platform} are "
            f"baseless and have nothing to do with reality,” {speaker} told reporters in {state.capital}.",
            f"{state.name} denied any involvement. “We reject the allegations made by {platform},” "
            f"{speaker} said at a regular briefing on {_date(published)}.",
            f"In {state.capital}, {speaker} rejected the report, calling {platform}'s claims "
            f"“another attempt to smear our country.”",
        ]))
    if rng.random() < 0.4:
        other = rng.choice([p for p in main if p != platform])
        paras.append(
            f"Separately, {other} said it suspended {rng.randint(12, 4000):,} accounts tied to the same "
            f"operation, which it also attributed to {state.name}."
        )
    background = [
        f"Researchers at {rng.choice(OUTLETS)} who reviewed a sample of the posts said most of them "
        f"received little engagement, with fewer than {rng.randint(5, 60)} reactions on average.",
        f"The takedown is the latest in a series of actions by social media companies against state-backed "
        f"campaigns since {rng.randint(2016, 2019)}, when several platforms began publishing "
        f"regular reports.",
        f"Experts say such networks often recycle content across platforms, making it hard to measure "
        f"their real reach. “Removing them is a game of whack-a-mole,” said {rng.choice(FIRST)} "
        f"{rng.choice(LAST)}, a researcher who studies online propaganda.",
        f"Some of the pages had accumulated around {rng.randint(1, 90) * 1000:,} followers before they "
        f"were taken down, while the groups counted about {rng.randint(1, 40) * 100:,} members.",
        f"The operation posted in English and in local languages and frequently shared articles about "
        f"{rng.choice(TOPICS)} and {rng.choice(TOPICS)}.",
        f"Lawmakers in several countries have called for stricter rules on political advertising, arguing "
        f"that voluntary disclosure by the companies is not enough ahead of {rng.choice(TOPICS)}.",
        f"{platform} said it had shared information about the network with other companies, independent "
        f"researchers and policymakers, and that its investigation was continuing.",
        f"Analysts noted that the content mixed genuine news with misleading claims about {topic}, a "
        f"pattern seen in earlier operations, and that it peaked in {MONTHS[rng.randint(0, 11)]}.",
    ]
    background += [
        f"{state.name} has been accused before of running similar campaigns, and officials in "
        f"{state.capital} have repeatedly said that the country is itself a target of foreign "
        f"disinformation rather than a source of it.",
        "The accounts often posted at the same times of day and reused profile pictures generated with "
        "software, two signals that investigators use to tell coordinated networks from ordinary users.",
        "Civil society groups welcomed the announcement but said the company should give outside "
        "researchers more access to data, so that the scale of such operations could be checked "
        "independently.",
        f"A spokesperson for the electoral commission said it was aware of the report and would study it, "
        f"adding that there was no evidence so far that the campaign had affected {topic}.",
    ]
    rng.shuffle(background)
    paras += background[: rng.randint(7, 11)]
    if rng.random() < 0.3:
        paras.append("Subscribe to our newsletter for more stories like this one.")
        paras.append("Follow us on Twitter and Facebook for updates.")
    text = f"{title}\n\n{_date(published)}\n\n" + "\n\n".join(paras) + "\n"
    return f"{serial:06d}.txt", text


def write_corpus(folder: Path, n: int, seed: int = 1, start: int = 0, make=None) -> list[Path]:  # type: ignore[no-untyped-def]
    """Write articles ``start .. start+n-1`` of the stream for ``seed`` into ``folder``
    (``make(rng, gazetteer, serial) -> (name, text)``, default this module's ``article``)."""
    folder.mkdir(parents=True, exist_ok=True)
    gaz = _gazetteer()
    paths = []
    for serial in range(start, start + n):
        rng = random.Random(seed * 1_000_003 + serial)
        name, text = (make or article)(rng, gaz, serial)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
