"""Networks: the mentions of one article grouped into one takedown record per network.

Mentions of a platform are merged by their exact counts first, then count-less mentions join
the record that shares their state (or the nearest counted one); a mention naming several
states without a figure is one network per state.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Token

from kg.extract.context import STATE_LABELS, Sentence, list_first
from kg.extract.mentions import Mention
from kg.extract.numbers import parse_number
from kg.extract.services import accounts_are, channel_platforms, other_services
from kg.lexicon.gazetteer import load_gazetteer, load_lexicon
from kg.records import Attribution, Counts, Evidence, Takedown

NEAR = 3  # sentences: how far a count-less mention may lend its states to a counted one


# ---- clustering --------------------------------------------------------------------------------
@dataclass
class _Record:
    platform: str
    mentions: list[Mention]
    counts: dict[str, int]
    states: dict[str, Attribution]
    earlier: bool

    def compatible_counts(self, counts: dict[str, int]) -> bool:
        shared = set(self.counts) & set(counts)
        if shared:
            return all(self.counts[k] == counts[k] for k in shared)
        # one figure over all kinds and its breakdown ("47 Pages, accounts and Groups" ...
        # "in all there were 31 Pages, 12 accounts and 4 Groups"): the same network
        return _breakdown(self.counts, counts) or _breakdown(counts, self.counts)


def _breakdown(combined: dict[str, int], parts: dict[str, int]) -> bool:
    """``parts`` splits ``combined``'s one figure into two or more kinds."""
    return (
        set(combined) == {"combined_count"}
        and len(parts) >= 2
        and "combined_count" not in parts
        and sum(parts.values()) == combined["combined_count"]
    )


def _is_total(r: _Record, records: list[_Record]) -> bool:
    """ "In total, Facebook removed 80 accounts" after 50 from Iran and 30 from Russia: a
    sentence repeating the sum of networks already counted is no network of its own."""
    others = [
        o for o in records if o is not r and o.platform == r.platform and o.earlier == r.earlier and o.counts
    ]
    if not others or not r.counts:
        return False
    if all(m.total for m in r.mentions):
        # "Altogether the company removed 1,200 accounts": a summary, unless it names a state
        # no other record has
        known = {s for o in others for s in o.states}
        if set(r.states) <= known:
            return True
    if len(others) < 2:
        return False
    for k, v in r.counts.items():
        parts = [o.counts[k] for o in others if k in o.counts]
        if len(parts) < 2 or sum(parts) != v:
            return False
    return True


def _fold_summaries(records: list[_Record]) -> list[_Record]:
    """ "Meta removed three networks. One was based in Russia. Another was based in China.": a
    record with no figure, state or actor beside networks the text then tells one by one is
    their summary, not a network of its own; it supports the nearest of them."""
    out = []
    for r in records:
        told = [
            o for o in records
            if o is not r and o.platform == r.platform and o.earlier == r.earlier
            and any(m.ordinal for m in o.mentions)
        ]
        if told and not r.counts and not r.states and not any(m.actors for m in r.mentions):
            nearest = min(told, key=lambda o: min(_distance(o, m) for m in r.mentions))
            nearest.mentions.extend(r.mentions)
            continue
        out.append(r)
    return out


def _not_influence(r: _Record) -> bool:
    """A purge of spam, scams or fake engagement with no state or actor behind it, one the
    text calls financially motivated, or a ban under another policy is not the takedown of an
    influence network."""
    if any(m.profit for m in r.mentions) or all(m.policy for m in r.mentions):
        return True  # after money, or banned under another policy ("dangerous organisations")
    if all(m.commercial and m.scam_tied for m in r.mentions):
        return True  # "accounts linked to a scam compound in Cambodia": the place of a scam
    places = load_lexicon().phrases.get("place_wording", ())
    placed = all(
        a.evidence.rule.startswith("takedown.next") and a.wording in places
        for a in r.states.values()
    )
    if all(m.commercial for m in r.mentions) and placed and not any(m.actors for m in r.mentions):
        # "10,000 bots promoting a crypto scam. The accounts were run from Nigeria.": the place a
        # scam was run from, told after it, makes no influence network of the purge (an operator
        # told after it, "run by Iran's state broadcaster", does)
        return True
    if r.states or any(m.actors for m in r.mentions):
        return False
    if not r.counts and any(m.mass for m in r.mentions):
        # "the platform banned 2.2 billion fake accounts": an enforcement statistic, no network
        return True
    return all(m.commercial for m in r.mentions)


def _fold_parent_platform(records: list[_Record], parent: str, child: str) -> list[_Record]:
    """No "Google" record beside "YouTube" ones for the same removal: a count-less Google
    record whose states a YouTube record already has (or that has none) joins it. Any other
    Google record is YouTube's too, unless its sentence names another Google service (Blogger,
    Play, Ads): a network Google takes down lives on YouTube (the events' convention, "YouTube
    also for Google or Alphabet when YouTube is meant")."""
    children = [r for r in records if r.platform == child]
    out = []
    for r in records:
        if r.platform == parent and not r.counts:
            home = [c for c in children if not r.states or set(r.states) & set(c.states)]
            if home:
                home[0].mentions.extend(r.mentions)
                continue
        if r.platform == parent and not any(_names_service(m, parent) for m in r.mentions):
            r.platform = child
        out.append(r)
    return out


def _split(m: Mention, platform: str) -> list[tuple[Mention, dict[str, Attribution]]]:
    """A count-less mention naming several states is one network per state, and a state's
    networks named one by one are that many networks."""
    if m.counts or not m.attributions:
        return [(m, dict(m.attributions))]
    out: list[tuple[Mention, dict[str, Attribution]]] = []
    for s, a in sorted(m.attributions.items()):
        out += [(m if k == 0 else replace(m, apart=k), {s: a}) for k in range(named_apart(m, s))]
    if len(out) == 1:
        return [(m, dict(m.attributions))]
    return out


def named_apart(m: Mention, state: str) -> int:
    """ "two China-affiliated threat actors known as Charcoal Typhoon and Salmon Typhoon": a
    number of a state's networks given with as many names is that many networks; without the
    names ("two networks from Iran") the text does not report them one by one."""
    lex = load_lexicon()
    for e in m.sent.entities:
        if e.entity != state or e.label not in STATE_LABELS:
            continue
        noun = e.root
        for _ in range(3):
            lemma = noun.lemma_
            if noun.pos_ == "NOUN" and lex.is_("network_noun", lemma) and not lex.is_("asset", lemma):
                break
            noun = noun.head
        else:
            continue
        nums = [parse_number([c.text]) for c in noun.children if c.dep_ == "nummod"]
        n = nums[0] if nums and nums[0] else 0
        if 2 <= n <= 9 and _names_given(noun) == n:
            return n
    return 1


def _names_given(noun: Token) -> int:
    """Proper names a network noun is given in apposition or by a naming verb ("known as",
    "dubbed"), conjuncts counted."""
    lex = load_lexicon()
    heads = [c for c in noun.children if c.dep_ == "appos" and _proper(c)]
    for c in noun.children:
        if c.dep_ in ("acl", "relcl") and lex.is_("naming_verb", c.lemma_):
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ == "as":
                    heads += [g for g in p.children if g.dep_ == "pobj" and _proper(g)]
                elif p.dep_ in ("oprd", "dobj") and _proper(p):
                    heads.append(p)
    return sum(1 + len([x for x in h.conjuncts if x.i > h.i and _proper(x)]) for h in heads)


def _proper(tok: Token) -> bool:
    """A name: a proper noun, or a noun under a proper one ("Charcoal Typhoon" as tagged)."""
    return tok.pos_ == "PROPN" or any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in tok.children)


def cluster(mentions: list[Mention]) -> list[Takedown]:
    """One record per network: mentions of a platform merged by counts, then by state."""
    records: list[_Record] = []
    order = sorted(mentions, key=lambda m: m.sent.index)
    items = [(p, m, st) for m in order for p in m.platforms for m, st in _split(m, p)]
    # anchors first: mentions with exact counts
    for platform, m, states in items:
        if not m.counts:
            continue
        target = next(
            (
                r
                for r in records
                if r.platform == platform
                and r.earlier == m.earlier
                and r.compatible_counts(m.counts)
                and (not r.states or not states or set(r.states) & set(states))
            ),
            None,
        )
        if target is None:
            records.append(_Record(platform, [m], dict(m.counts), dict(states), m.earlier))
        else:
            target.mentions.append(m)
            for k, v in m.counts.items():
                target.counts.setdefault(k, v)
            for s, a in states.items():
                target.states.setdefault(s, a)
    for platform, m, states in items:
        if m.counts:
            continue
        mine = [r for r in records if r.platform == platform and not r.earlier]
        target = None
        add_states = True
        if m.apart:
            target = None  # a network named on its own
        elif m.ordinal:
            target = next((r for r in mine if r.mentions[0].ordinal and set(r.states) == set(states)), None)
            if target is None and states and m.told_again:
                # "removed two networks, one tied to Russia, another to Belarus ... The other
                # campaign was tied to Belarus": the network already reported, told again
                known = [r for r in mine if set(states) <= set(r.states)]
                target = min(known, key=lambda r: _distance(r, m)) if known else None
            elif target is None and states:
                # "OpenAI disrupts Chinese and Iranian campaigns" (the headline) ... "Another
                # operation, linked to Iran": one of the networks the headline listed by state, now
                # told on its own (a body sentence's "two networks, one from Ghana and one from
                # Nigeria ... A third network" counts its networks, so the third is another)
                listed = [
                    r
                    for r in mine
                    if set(r.states) == set(states)
                    and not r.counts
                    and _headline(r.mentions[0].sent)
                    and len(r.mentions[0].attributions) > 1
                ]
                target = listed[0] if len(listed) == 1 else None
        elif states:
            same = [r for r in mine if set(r.states) & set(states)]
            free = [
                r
                for r in mine
                if not r.states
                and r.counts
                and _distance(r, m)[0] <= NEAR
                # tied to a named actor: this state's only if its own sentence names the state
                # ("linked to the youth wing of Azerbaijan's ruling party")
                and (not any(x.tied for x in r.mentions) or _names_any(r, set(states)))
            ]
            # a stateless network whose own sentence names this state ("2,617 accounts in Iran")
            # is this state's; one whose sentence names another of the summary's states is not
            siblings = set(m.attributions) - set(states)
            free = [r for r in free if not _names_any(r, siblings)] if len(states) == 1 else free
            named_here = [r for r in free if _names_any(r, set(states))]
            pool = same or named_here or free
            # a network whose operator is named and is no state cannot be this state's
            counted = [r for r in mine if r.counts and not any(x.tied for x in r.mentions)]
            if pool:
                target = min(pool, key=lambda r: _distance(r, m))
            elif (
                counted
                and not m.new_marker
                and _listed_apart(siblings, counted)
                and _coordinated(m)
                and not any(_names_any(r, set(states)) for r in counted)
                and not _told_alone(set(states), [x for p, x, _ in items if p == platform])
            ):
                # "accounts from Iran, Russia, Venezuela and Bangladesh", then the Iranian and
                # Russian networks counted: the states the breakdown leaves out are networks of
                # their own, which the summary alone reports
                target = None
            elif counted and not m.new_marker:
                # a summary sentence ("thousands of accounts with ties to ...") of networks
                # counted elsewhere: it supports them but adds no state to any one of them
                target = min(counted, key=lambda r: _distance(r, m))
                add_states = False
            elif not counted and mine and not m.new_marker:
                stateless = [r for r in mine if not r.states and not any(x.tied for x in r.mentions)]
                target = min(stateless, key=lambda r: _distance(r, m)) if stateless else None
        elif mine:
            target = min(mine, key=lambda r: _distance(r, m))
        if target is None:
            records.append(_Record(platform, [m], {}, dict(states), m.earlier))
        else:
            target.mentions.append(m)
            # a removal told as earlier ("were removed last year") lends no state to this one
            if add_states and (target.earlier or not m.earlier):
                for s, a in states.items():
                    target.states.setdefault(s, a)
    records = _fold_summaries(records)
    records = [r for r in records if not _is_total(r, records)]
    records = [r for r in records if not _not_influence(r)]
    for parent, child in sorted(channel_platforms().items()):
        records = _fold_parent_platform(records, parent, child)
    _share_platform_state(records, mentions)
    return [_to_takedown(r) for r in records]


def _headline(sent: Sentence) -> bool:
    """The article's first line, written as a headline (no closing full stop)."""
    return sent.index == 0 and not sent.text.rstrip().endswith(".")


def _share_platform_state(records: list[_Record], mentions: list[Mention]) -> None:
    """ "Facebook removed two networks linked to Iran. The first had 90 pages ... The second
    had 30 accounts ...": where every network of a platform that the article ties to a state is
    tied to the same states, the platform's networks it ties to nothing are told of that origin
    too (the state is said once for the whole report). Not a network tied to a named actor that
    gives no state, one the text calls commercial, one whose own words name a state in another
    role, or an earlier takedown; and only where no
    mention of the platform's removals names any other state ("from Saudi Arabia, the UAE and
    Egypt" is three origins, and the network left without one may be any of them)."""
    for platform in sorted({r.platform for r in records}):
        mine = [r for r in records if r.platform == platform and not r.earlier]
        stated = [r for r in mine if r.states]
        if len({frozenset(r.states) for r in stated}) != 1:
            continue
        source = stated[0].states
        if any(a.wording == "listed under" for a in source.values()):
            continue  # a list row's label or a heading names its own network's origin only
        named = {s for m in mentions if platform in m.platforms and not m.earlier for s in m.attributions}
        if not named <= set(source):
            continue
        for r in mine:
            if r.states or any(m.tied or m.commercial or m.actors or _names_other(m) for m in r.mentions):
                continue
            r.states = dict(source)


def _listed_apart(siblings: set[str], counted: list[_Record]) -> bool:
    """A summary's other states are counted networks of their own: it lists networks."""
    return bool(siblings) and any(set(r.states) & siblings or _names_any(r, siblings) for r in counted)


def _told_alone(states: set[str], mentions: list[Mention]) -> bool:
    """Another mention gives the state a network of its own: counted, an ordinal one ("the
    third network ... originated in Russia") or one naming that state alone."""
    return any(
        states & set(x.attributions) and (x.counts or x.ordinal or len(x.attributions) == 1) for x in mentions
    )


def _coordinated(m: Mention) -> bool:
    """The mention's states are one list in its sentence ("from Iran, Russia, Venezuela and
    Bangladesh"), conjuncts of one another, not states met in separate roles."""
    roots = {e.entity: list_first(e.root).i for e in m.sent.entities if e.entity in m.attributions}
    return set(roots) == set(m.attributions) and len(set(roots.values())) == 1


def _names_any(r: _Record, states: set[str]) -> bool:
    """One of ``states`` is named in a counted sentence of the record (as a state, demonym or
    place), not in a summary it absorbed."""
    counted = [m for m in r.mentions if m.counts]
    return any(e.label in STATE_LABELS and e.entity in states for m in counted for e in m.sent.entities)


def _names_service(m: Mention, company: str) -> bool:
    """ "Google removed 12 Blogger blogs": the removal names another service of the company."""
    low = m.sent.text.lower()
    return any(service.lower() in low for service in other_services().get(company, ()))


def _names_other(m: Mention) -> bool:
    """ "48 accounts that posted propaganda for Russia": the network's own words name a state in
    some other role (a stance, a target); what it is said to be is not the report's origin."""
    return any(e.label in STATE_LABELS and e.span.text in m.network for e in m.sent.entities)


def _distance(r: _Record, m: Mention) -> tuple[int, int]:
    d = min(abs(x.sent.index - m.sent.index) for x in r.mentions)
    return (d, r.mentions[0].sent.index)


def _to_takedown(r: _Record) -> Takedown:
    ms = sorted(r.mentions, key=lambda m: (not m.counts, m.sent.index))
    main = ms[0]
    dates = [m.date for m in ms if m.date is not None]
    support: list[Evidence] = []
    for m in sorted(r.mentions, key=lambda m: m.sent.index):
        for ev in [m.evidence, *m.support]:
            if ev not in support and ev != main.evidence:
                support.append(ev)
    fields = dict(r.counts)
    kind = accounts_are().get(r.platform)
    if kind and "accounts" in fields and kind not in fields:
        fields[kind] = fields.pop("accounts")  # YouTube's accounts are its channels
    counts = Counts(**fields)
    # a summary naming several states lends each network only the actors of its own state
    # ("networks based in China and Russia ... the Internet Research Agency": not China's)
    gaz = load_gazetteer()
    actors = sorted(
        {
            a
            for m in r.mentions
            for a in m.actors
            if len(m.attributions) < 2 or not r.states or gaz.state_of(a) in (None, *r.states)
        }
    )
    network = main.network or ", ".join(sorted(r.states))
    return Takedown(
        platform=r.platform,
        network=network,
        counts=counts,
        date=dates[0] if dates else None,
        attributions=tuple(r.states[s] for s in sorted(r.states)),
        actors=tuple(actors),
        evidence=main.evidence,
        support=tuple(support),
    )


