"""Attributions carried across sentences: what the text says of a takedown after its removal.

"Facebook removed 652 pages. Its CEO said they were part of two campaigns, one linked to Iran"
attaches Iran to the removal; "the most active portions of this campaign" takes the states of
the campaign named before. Runs once an article's mentions are found (``mentions``) and before
they are grouped into networks (``networks``).
"""

from __future__ import annotations

import re

from spacy.tokens import Token

from kg.extract.agents import is_asserted, is_trigger
from kg.extract.attribution import network_attributions, network_nouns, sentence_attributions
from kg.extract.context import ArticleContext, Sentence
from kg.extract.counts import CountItem, asset_lemma, count_assets
from kg.extract.labels import is_heading
from kg.extract.mentions import Mention, ordinal_network
from kg.lexicon.gazetteer import load_lexicon
from kg.records import Attribution

ANAPHORA = re.compile(
    r"\b(?:this|that|the same|these|those)\s+(?:\w+\s+)?"
    r"(?:campaign|operation|network|accounts|activity|effort)\b",
    re.I,
)


SAME_OPERATION = re.compile(
    r"\bthe same\s+(?:\w+\s+)?(?:campaign|operation|network|firm|company|group|actor|operator)\b", re.I
)


def inherit_states(mentions: list[Mention]) -> None:
    """ "the most active portions of this campaign": the states of the campaign named before."""
    mentions = sorted(mentions, key=lambda m: m.sent.index)
    for k, m in enumerate(mentions):
        if m.attributions:
            continue
        # "the same operation" (or firm) may be one another platform reported first, and so may
        # the network its accounts are tied to ("Twitter also suspended accounts tied to the network")
        told = SAME_OPERATION.search(m.sent.text) or _tied_to_the_network(m.sent)
        if not told and not ANAPHORA.search(m.sent.text):
            continue
        earlier = [p for p in reversed(mentions[:k]) if p.attributions]
        same = [p for p in earlier if set(p.platforms) & set(m.platforms)]
        source = same[:1] or (earlier[:1] if told else [])
        if source:
            m.attributions = dict(source[0].attributions)
            m.actors = list(source[0].actors)


def _removes_own(ctx: ArticleContext, sent: Sentence) -> bool:
    """The sentence reports a removal with an object of its own ("also removed networks")."""
    for t in sent.tokens:
        if t.pos_ == "VERB" and is_trigger(t, ctx) and is_asserted(t, ctx):
            objs = [c for c in t.children if c.dep_ == "dobj"]
            if any(ctx.lex.is_("network_noun", o.lemma_.lower()) or asset_lemma(o, ctx.lex) for o in objs):
                return True
    return False


def _tied_to_the_network(sent: Sentence) -> bool:
    """ "accounts tied to the network", "linked to this operation": the assets are said to belong
    to a network the article named before, by a definite noun with no state of its own."""
    lex = load_lexicon()
    for t in sent.tokens:
        if not lex.is_("network_noun", t.lemma_.lower()) or t.dep_ != "pobj":
            continue
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children):
            continue
        if any(c.dep_ in ("amod", "compound", "poss") for c in t.children):
            continue  # "the Russian network", "Iran's network": named by a state, its own
        prep, rel = t.head, t.head.head
        if prep.lower_ in ("to", "with") and lex.is_("attribution_cue", rel.lemma_.lower()):
            return True
    return False


def _another_network(atts: list[Attribution], m: Mention) -> bool:
    """ "The Chinese operation ran 7,704 accounts. The Russian operation ...": the next sentence
    names a network by another state ("the Russian operation", "Iran's network"), none of the
    counted network's own states."""
    return bool(atts) and all(
        a.state not in m.attributions and a.wording in ("demonym", "possessive") for a in atts
    )


def _told_again(atts: list[Attribution], m: Mention, mentions: list[Mention]) -> bool:
    """ "... 4,000 spam accounts. Analysts said the Saudi network had tweeted 32 million times.":
    the next sentence names, by its state alone, a network another removal already tied to that
    state; it tells of that network again, not of this one."""
    others = {s for o in mentions if o is not m and o.counts for s in o.attributions}
    return bool(atts) and all(
        a.wording in ("demonym", "possessive") and a.state in others and a.state not in m.attributions
        for a in atts
    )


def _counts_a_set(sent: Sentence, items: list[CountItem]) -> bool:
    """ "More than 2,000 channels were linked to Russia": the sentence counts assets of its own
    as its subject (not a share of those before: "254 of them were linked to Iran")."""
    doc = sent.span.doc
    for it in items:
        noun = doc[it.noun]
        if it.figure and noun.dep_ in ("nsubj", "nsubjpass"):
            of = [c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"]
            if not of:
                return True
    return False


def _larger_set(figures: list[int], m: Mention) -> bool:
    """ "It removed 418 Russian accounts. More than 1,000 accounts located in Venezuela were
    ...": the next sentence counts assets (``figures``) more than the whole network has, so it
    tells of another set, and its states are that set's. A smaller figure may be a part ("254
    of them were linked to Iran")."""
    whole = sum(m.counts.values())
    return whole > 0 and bool(figures) and min(figures) > whole * 1.25


def _heads_removal(ctx: ArticleContext, sent: Sentence, removals: dict[int, list[Mention]]) -> bool:
    """ "Network from China", a heading line over the next removal told: its state is that
    removal's, not the one before it."""
    if not is_heading(ctx, sent):
        return False
    under = [s for s in ctx.sentences[sent.index + 1 : sent.index + 4] if s.offset != sent.offset]
    return any(s.index in removals for s in under)


def continue_attributions(ctx: ArticleContext, mentions: list[Mention]) -> None:
    """Attributions said in the next sentences about the same takedown.

    "Facebook removed 652 pages. Its CEO said they were part of two campaigns, one linked to
    Iran ..." attaches Iran to the removal, as long as no other removal intervenes.
    """
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sent.index, []).append(m)
    for idx, group in by_sentence.items():
        platforms = {p for m in group for p in m.platforms}
        for nxt in ctx.sentences[idx + 1 : idx + 3]:
            if nxt.index in by_sentence or _heads_removal(ctx, nxt, by_sentence):
                break  # another removal, or the heading over one: what follows is about it
            if ordinal_network(nxt, ctx) is not None or _removes_own(ctx, nxt):
                # "Another operation, linked to Iran, ...", "It also removed networks linked to
                # Iran" (a removal of its own, taken or not): another network's states
                break
            named = {e.entity for e in ctx.platforms_in(nxt)}
            if named and not named & platforms:
                break
            scope = {t.i for t in nxt.span}
            anchors = network_nouns(nxt, ctx)
            atts = network_attributions(ctx, nxt, scope, anchors, None, "takedown.next")
            if not atts:
                continue
            items = count_assets(nxt.tokens, ctx.lex).items
            figures = [it.figure for it in items if it.figure]
            counted = _counts_a_set(nxt, items)
            for m in group:
                if m.counts and (
                    (m.attributions and _another_network(atts, m))
                    or (m.attributions and counted and all(a.state not in m.attributions for a in atts))
                    or _told_again(atts, m, mentions)
                    or _larger_set(figures, m)
                ):
                    continue
                for a in atts:
                    m.attributions.setdefault(a.state, a)
                    if a.actor and a.actor not in m.actors:
                        m.actors.append(a.actor)
                m.support.append(ctx.evidence(nxt, "takedown.next", 0.7))
            break  # the sentence after the removal named its states; the next is about more
    # sentences naming a platform and an attribution cue anywhere later ("Facebook traced the
    # ads to the Internet Research Agency") add actors to that platform's only network
    for sent in ctx.sentences:
        if sent.index in by_sentence:
            continue
        named = {e.entity for e in ctx.platforms_in(sent)}
        if len(named) != 1:
            continue
        (platform,) = named
        own = [m for m in mentions if platform in m.platforms and not m.earlier]
        if len({m.sent.index for m in own}) < 1:
            continue
        atts = sentence_attributions(
            ctx, sent, {t.i for t in sent.tokens}, network_nouns(sent, ctx), None, "takedown.later"
        )
        states_known = {s for m in own for s in m.attributions}
        for a in atts:
            if a.state in states_known and a.actor:
                for m in own:
                    if a.state in m.attributions and a.actor not in m.actors:
                        m.actors.append(a.actor)


def summary_parts(ctx: ArticleContext, mentions: list[Mention]) -> None:
    """ "Information was released on three sets of accounts from Iran. One set of 1,666 accounts
    ... A second set, 248 accounts, ...": a counted part that names its kind with "one", an
    ordinal or "another" is one of the plural set a sentence shortly before counted, and takes
    that set's states (the summary need not report a removal itself)."""
    for m in mentions:
        if m.attributions or not m.counts:
            continue
        part = _part_noun(m.sent, ctx)
        if part is None:
            continue
        for s in reversed(ctx.sentences[max(0, m.sent.index - 6) : m.sent.index]):
            whole = [
                u for u in s.tokens
                if u.lemma_.lower() == part.lemma_.lower() and u.tag_ == "NNS"
                and any(c.dep_ == "nummod" for c in u.children)
            ]
            if not whole:
                continue
            scope = {t.i for t in s.tokens}
            atts = sentence_attributions(ctx, s, scope, {whole[0].i}, None, "takedown.summary")
            for a in atts:
                m.attributions.setdefault(a.state, a)
            if atts:
                m.support.append(ctx.evidence(s, "takedown.summary", 0.6))
            break


def _part_noun(sent: Sentence, ctx: ArticleContext) -> Token | None:
    """The network noun of a part: "One set", "A second set", "a third set", "another cluster"."""
    for t in sent.tokens:
        if t.pos_ != "NOUN" or not ctx.lex.is_("network_noun", t.lemma_.lower()) or t.tag_ != "NN":
            continue
        words = {c.lower_ for c in t.children if c.dep_ in ("det", "nummod", "amod")}
        if "one" in words or any(ctx.lex.is_("network_ordinal", w) for w in words):
            return t
    return None


def companions(mentions: list[Mention]) -> None:
    """ "a core network of 23,750 Chinese accounts had been removed, along with another 150,000
    amplifier accounts": what was removed along with a network the sentence ties to states is
    part of the same operation, and takes its states."""
    for m in mentions:
        if m.attributions or not m.counts:
            continue
        mates = [p for p in mentions if p is not m and p.sent is m.sent and p.attributions and p.counts]
        mates = [p for p in mates if set(p.platforms) & set(m.platforms)]
        if len(mates) == 1 and _along_with(m):
            m.attributions = dict(mates[0].attributions)


def _along_with(m: Mention) -> bool:
    """The mention's figure sits in an "along with" / "together with" phrase."""
    values = {str(v) for v in m.counts.values()}
    for t in m.sent.tokens:
        if t.lower_ != "with" or t.i == 0 or t.doc[t.i - 1].lower_ not in ("along", "together"):
            continue
        nums = [x for x in t.subtree if x.like_num]
        if any(x.text.replace(",", "") in values for x in nums):
            return True
    return False
