"""A second synthetic corpus, shaped unlike ``corpus_gen``: long general news, few takedowns.

Each article (about 1,100-1,500 words) is mostly unrelated news (markets, city politics,
courts, sport, weather, diplomacy) dense in names: several people, companies, cities and
now and then a state of the gazetteer in one sentence. One or two paragraphs somewhere in
it report a takedown (counts, an attribution) and sometimes a denial. Written from our own
templates and the gazetteers; nothing is copied from a real article. Deterministic per seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import corpus_gen
from corpus_gen import FIRST, LAST, MONTHS, OUTLETS, _counts

COMPANIES = ("Hallgren Logistics", "Brightwater Foods", "Norvik Steel", "Castellan Bank",
             "Pioneer Rail", "Aldermoor Energy", "Quayside Textiles", "Silverline Pharma", "Orchard Telecom",
             "Kestrel Motors")
CITIES = ("Eastbrook", "Port Alden", "Marrowfield", "Stonehaven", "Linwick", "Brackenridge", "Fairholm",
          "Westmere", "Coldharbour", "Ravensby")
TEAMS = ("Eastbrook Rovers", "Port Alden United", "Linwick Athletic", "Fairholm City", "Westmere Wanderers")
ROLES = ("the finance minister", "the mayor", "a senior judge", "the chief executive", "an opposition MP",
         "the union leader", "the central bank governor", "a regional governor")


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _news(rng: random.Random, states: list, when: date) -> str:
    """One unrelated paragraph, two or three sentences, several names in each."""
    a, b, c = _name(rng), _name(rng), _name(rng)
    co, co2 = rng.sample(COMPANIES, 2)
    city, city2 = rng.sample(CITIES, 2)
    st = rng.choice(states)
    pct = rng.randint(1, 19)
    kinds = [
        f"Shares in {co} rose {pct} percent on {MONTHS[when.month - 1]} {when.day} after {a}, its chief "
        f"executive, told analysts in {city} that orders from {co2} had doubled. {b} of {co2} said the "
        f"contract would run until {when.year + rng.randint(2, 6)}.",
        f"The council of {city} voted {rng.randint(10, 30)} to {rng.randint(2, 9)} to approve the new "
        f"tram line to {city2}, which {a} and {b} had opposed. {c} said construction would start in spring.",
        f"{a}, {ROLES[rng.randrange(len(ROLES))]}, met {b} and {c} in {city} to discuss the budget. The "
        f"talks, attended by delegations from {co} and {co2}, ended without agreement.",
        f"{TEAMS[rng.randrange(len(TEAMS))]} beat {TEAMS[rng.randrange(len(TEAMS))]} {rng.randint(1, 4)}-"
        f"{rng.randint(0, 3)} on Saturday, with {a} scoring twice before {b} was sent off. Coach {c} "
        f"praised the crowd of {rng.randint(8, 60) * 1000:,}.",
        f"Heavy rain is expected across {city} and {city2} this week, forecasters said, with up to "
        f"{rng.randint(20, 90)} millimetres in places. {a} of the regional weather office urged drivers "
        f"to take care.",
        f"A court in {city} sentenced {a} to {rng.randint(2, 9)} years for fraud at {co}. Prosecutor {b} "
        f"said the scheme cost investors in {city2} about ${rng.randint(2, 90)} million; {c}, the defence "
        f"lawyer, said his client would appeal.",
        f"Trade officials from {st.name} and delegates of {co} met {a} in {city} to discuss tariffs on "
        f"steel. {b} told the {rng.choice(OUTLETS)} that a deal could come before the summer.",
        f"{a} and {b} of {co} presented plans for {rng.randint(200, 900)} new homes near {city2}. "
        f"Residents led by {c} said the roads could not cope.",
    ]
    return rng.choice(kinds)


def article(rng: random.Random, gaz: tuple, serial: int) -> tuple[str, str]:
    platforms, states, people, orgs = gaz
    platform = rng.choice(["Facebook", "Twitter", "YouTube", "TikTok", "Meta", "Reddit"])
    state = rng.choice([s for s in states if s.name in people] if rng.random() < 0.5 else states)
    when = date(2017, 1, 1) + timedelta(days=rng.randint(0, 8 * 365))
    day = f"{MONTHS[when.month - 1]} {when.day}"
    actor = rng.choice(orgs.get(state.name, [f"{state.demonym} government"]))
    news = [_news(rng, states, when) for _ in range(rng.randint(26, 34))]
    cib = [
        f"Separately, {platform} said on {day} it had removed {_counts(rng)} linked to {state.name} "
        f"for coordinated inauthentic behaviour, in a network that also promoted {actor}.",
    ]
    if rng.random() < 0.5:
        cib.append(
            f"The accounts posed as local residents and posted about {rng.choice(CITIES)}, the company "
            f"said, adding that the operators had tried to hide their location."
        )
    if state.name in people and rng.random() < 0.5:
        cib.append(
            f"{rng.choice(people[state.name])} rejected the report as baseless and said {state.name} "
            f"had nothing to do with the accounts."
        )
    at = rng.randint(3, len(news) - 3)
    paras = news[:at] + cib + news[at:]
    title = f"{rng.choice(CITIES)} news roundup, {day}"
    published = when + timedelta(days=rng.randint(0, 2))
    text = f"{title}\n{published.isoformat()}\n\n" + "\n\n".join(paras) + "\n"
    return f"news_{serial:06d}.txt", text


def write_corpus(folder: Path, n: int, seed: int = 7, start: int = 0) -> list[Path]:
    """Write articles ``start .. start+n-1`` of the stream for ``seed`` into ``folder``."""
    return corpus_gen.write_corpus(folder, n, seed, start, make=article)
