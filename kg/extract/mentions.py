"""Mentions: each place an article reports a removal, with its platform, counts and date.

A removal (its trigger and agent: :mod:`kg.extract.agents`) and what it removed
(:mod:`kg.extract.objects`) make a mention, with the counts, date and attributions of its
clause; plus sentences that only give counts for a platform already reported removing
something, list items under a label, and "the second network ..." sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Token

from kg.extract.agents import (
    agent_is_anaphor,
    agents,
    finders,
    foreign_agent,
    is_asserted,
    is_finding,
    is_inauthentic,
    is_prevented,
    is_trigger,
    noun_trigger_ok,
    np_platforms,
    subject_of,
    trigger_lemmas,
)
from kg.extract.attribution import (
    _attribution_subtrees,
    fronted_place,
    network_attributions,
    network_nouns,
    tied_to_someone,
)
from kg.extract.context import (
    ArticleContext,
    Sentence,
    has_phrase,
    has_words,
    subtree_ids,
)
from kg.extract.counts import ELIDED_NEXT, CountResult, asset_lemma, count_assets, list_tail, parse_number
from kg.extract.labels import heading_state, list_label, row_state
from kg.extract.motives import motives, other_policy, scam_tied
from kg.extract.objects import (
    asset_platform,
    describe_network,
    is_content_only,
    is_indefinite,
    is_individual_asset,
    is_proportion,
    is_removal_instrument,
    is_single_asset,
    is_tally,
    names_platform,
    object_heads,
    object_region,
    predicate_objects,
    separate_network,
)
from kg.extract.services import channel_platform
from kg.extract.when import is_earlier, removal_date
from kg.records import Attribution, Evidence

NEW_NETWORK = ("another", "second", "third", "fourth", "fifth", "separate", "other", "also", "additional")


@dataclass
class Mention:
    """One place an article reports a removal; several mentions may be one network."""

    platforms: list[str]
    sent: Sentence
    evidence: Evidence
    counts: dict[str, int] = field(default_factory=dict)
    vague: bool = False
    attributions: dict[str, Attribution] = field(default_factory=dict)
    actors: list[str] = field(default_factory=list)
    date: date | None = None
    network: str = ""
    earlier: bool = False
    new_marker: bool = False
    ordinal: bool = False  # "the second network ...": a network of its own
    told_again: bool = False  # "the other network ...": one of those just reported, by its states
    support: list[Evidence] = field(default_factory=list)
    commercial: bool = False  # spam, scams, fake engagement, and no word of influence
    total: bool = False  # "in total", "altogether": the sentence sums networks up
    tied: bool = False  # tied to a named actor that gives no state ("pages connected to Stone")
    profit: bool = False  # said to be financially motivated
    scam_tied: bool = False  # what the accounts are tied to is a scam ("linked to a scam compound in X")
    mass: bool = False  # counted in millions or billions: a platform-wide figure, not a network
    apart: int = 0  # the k-th of a state's networks named one by one ("known as A and B"): its own
    policy: bool = False  # grounded on another policy ("dangerous organisations") and not on CIB


# ---- mentions ----------------------------------------------------------------------------------
def _cib_context(ctx: ArticleContext, sent: Sentence) -> bool:
    """The article is about inauthentic behaviour: it uses CIB wording somewhere (a channel
    removed over sanctions, or an ambassador's hacked account, is not a takedown of a network)."""
    if ctx.cib_article is None:
        text = " ".join([ctx.article.title] + [s.text for s in ctx.sentences])
        ctx.cib_article = has_words(text, ctx.lex.phrases.get("cib_context", ()))
    return ctx.cib_article


def find_mentions(ctx: ArticleContext) -> list[Mention]:
    """Every removal mention in the article, attributions of its own sentence included."""
    mentions: list[Mention] = []
    pending: list[tuple[Sentence, set[int], list[str]]] = []
    triggering = trigger_lemmas(ctx)
    finding_lemmas = ctx.lex.lemmas.get("finding_verb", frozenset())
    for sent in ctx.sentences:
        triggers = [t for t in sent.tokens if is_trigger(t, ctx)] if triggering & sent.lemmas else []
        # "the company identified 470 fake accounts": a platform's finding reports the removal
        # only where the sentence names none itself (else the removal verb says it)
        if not triggers and finding_lemmas & sent.lemmas:
            triggers = [t for t in sent.tokens if is_finding(t, ctx)]
        asserted = [t for t in triggers if is_asserted(t, ctx) and not is_prevented(t)]
        # a bare removal noun ("following our initial suspensions") reports no removal, so it
        # does not cut the sentence into clauses either: the verb's subject before it stays its own
        owned = [t for t in asserted if t.pos_ not in ("NOUN", "PROPN") or noun_trigger_ok(t, sent)]
        blocked = _attribution_subtrees(sent, ctx)
        for t in sent.tokens if "from" in sent.lowers else ():  # "stopped 7.8 million accounts
            if t.pos_ == "VERB" and is_prevented(t):  # from being created": never removed
                blocked |= subtree_ids(t)
        found_here: list[Mention] = []
        spans = _linear_scopes(sent, owned)
        for tok in owned:
            others = {t.i for t in sent.tokens} - spans[tok.i]
            heads = object_heads(tok)
            region = object_region(tok, heads, others | blocked)
            parsed_region = set(region)  # the platform the assets name is read from the parse
            region |= list_tail(region, sent.span, ctx.lex, others | blocked)
            counts = count_assets((sent.span.doc[i] for i in region), ctx.lex)
            if not counts.exact:
                region |= predicate_objects(heads, ctx) - others - blocked
                counts = count_assets((sent.span.doc[i] for i in region), ctx.lex)
            if (names_platform(heads, sent, ctx) and not counts.items) or is_individual_asset(
                heads, sent, ctx
            ):
                continue
            if is_proportion(heads, ctx) or (is_indefinite(tok, heads, ctx) and not counts.items):
                continue
            if not counts.exact and is_tally(heads, sent, ctx):
                continue  # "has removed dozens of networks in recent years": a record, no takedown
            if not counts.items and is_removal_instrument(heads, ctx):
                continue  # "sued to block a law that would ban the app": no network removed
            if not counts.exact and is_single_asset(heads, ctx):
                continue  # "Telegram removed the channel": one channel, no network
            content_only = is_content_only(heads, ctx) and not counts.items
            finding = is_finding(tok, ctx)
            if finding and not (counts.exact and is_inauthentic(region, sent, ctx)):
                continue
            platforms = finders(ctx, sent, tok) if finding else agents(ctx, sent, tok)
            platforms = _bystander_to_remover(ctx, sent, platforms, mentions)
            named = asset_platform(sent, parsed_region)
            if named and agent_is_anaphor(tok):
                platforms = [named]
            if not platforms or not _cib_context(ctx, sent):
                continue
            if tok.pos_ in ("NOUN", "PROPN") and not noun_trigger_ok(tok, sent):
                continue
            if (
                tok.pos_ in ("NOUN", "PROPN")
                and not counts.items
                and heads
                and all(ctx.lex.is_("abstract_object", h.lemma_.lower()) for h in heads)
            ):
                continue  # "in a crackdown on disinformation": a policy, no network removed
            rule = "takedown.verb" if tok.pos_ != "NOUN" else "takedown.noun"
            scope = {t.i for t in sent.tokens} - others
            parts = _split_region(region, scope, counts)
            apart = separate_network(region, sent, ctx) if len(parts) == 1 else None
            if apart is not None:  # "..., as well as a smaller network from Russia": two networks
                tail = {i for i in scope if i >= apart.i}
                own = (region & tail) | {x.i for x in apart.subtree}
                parts = [(region - tail, scope - tail, counts), (own, scope & tail, CountResult())]
            for part_region, part_scope, part in parts:
                anchors = network_nouns(sent, ctx, part_region) | {h.i for h in heads}
                atts = network_attributions(ctx, sent, part_scope, anchors, tok, "takedown")
                atts = atts or fronted_place(ctx, sent, tok)
                if content_only and not atts:
                    continue  # "content it removed", "requests to take down posts": moderation
                found_here.append(_mention(ctx, sent, platforms, part, atts, part_region, heads, rule, tok))
                found_here[-1].new_marker |= apart is not None and apart.i in part_region
        if not found_here and not any(foreign_agent(ctx, sent, t) for t in owned):
            pending.append((sent, blocked, [e.entity for e in ctx.platforms_in(sent)] if asserted else []))
        mentions.extend(found_here)
    # second pass: sentences that only count or describe networks, now that every platform
    # the article reports removing something is known ("Reddit found 143 accounts ...")
    removed_by = [m for m in mentions]
    for sent, blocked, named in pending:
        if not named and row_state(ctx, sent, False) is not None:
            # "Iran: 40 accounts and 12 Pages", a row under "Meta removed these networks:": the
            # list's removal is the one its platform reported in the sentences before
            named = _removers_before(ctx, sent, pending)
        # counts told before the text reports any removal by their platform ("the researchers
        # said the network ran 40 accounts on Instagram ... Meta removed ...") are someone's
        # finding, not the removal's figures; a removal told without figures counts as reported
        earlier = [m for m in removed_by if m.sent.index < sent.index]
        announced = [p for s, _, said in pending if s.index < sent.index for p in said]
        found = _count_only_mention(ctx, sent, earlier, blocked, [*(named or []), *announced])
        if not found:
            m = _ordinal_network_mention(ctx, sent, [x for x in mentions if x.sent.index < sent.index])
            found = [m] if m is not None else []
        mentions.extend(found)
    mentions.sort(key=lambda m: m.sent.index)
    for m in mentions:
        label = list_label(ctx, m.sent)
        if label is not None and label not in m.support:
            m.support.append(label)
        if not m.attributions:  # "Iran: 40 accounts and 10 Pages": the row's label is the origin
            row = row_state(ctx, m.sent, label is not None) or heading_state(ctx, m.sent)
            if row is not None:
                m.attributions[row.state] = row
    return mentions


def _removers_before(
    ctx: ArticleContext, sent: Sentence, pending: list[tuple[Sentence, set[int], list[str]]]
) -> list[str]:
    """The platforms of the nearest sentence before ``sent`` that asserted a removal but counted
    nothing of its own ("Meta removed the following networks:")."""
    before = [named for s, _, named in pending if s.index < sent.index and named]
    return before[-1] if before else []


def _bystander_to_remover(
    ctx: ArticleContext, sent: Sentence, platforms: list[str], previous: list[Mention]
) -> list[str]:
    """ "OpenAI banned accounts ... a tool scanned sites such as X and Facebook ... Accounts
    were also banned": an agentless removal reaches back to the last platform named, but one
    named only as a place, an object or an example (no subject, no speaker) removed nothing;
    the platform the article last reported removing did."""
    if len(platforms) != 1 or not previous:
        return platforms
    (platform,) = platforms
    reported = [p for m in previous for p in m.platforms]
    if platform in reported or platform in {e.entity for e in ctx.platforms_in(sent)}:
        return platforms
    for earlier in reversed(ctx.sentences[: sent.index]):
        ents = [e for e in ctx.platforms_in(earlier) if e.entity == platform]
        if not ents:
            continue
        subject = any(e.root.dep_ in ("nsubj", "nsubjpass") for e in ents)
        if subject or ctx.reporting_platform(earlier) == platform:
            return platforms
        break
    return reported[-1:]


def _linear_scopes(sent: Sentence, triggers: list[Token]) -> dict[int, set[int]]:
    """Split a sentence with several removals into one stretch per removal clause.

    The parser often hangs a trailing "tied to ..." on the main verb of the sentence; text
    order is the better guide: "Twitter removed X, while YouTube deleted Y, tied to Iran"
    gives the attribution to YouTube.
    """
    everything = {t.i for t in sent.tokens}
    if len(triggers) < 2:
        return {t.i: everything for t in triggers}
    ordered = sorted(triggers, key=lambda t: t.i)
    bounds = [sent.span.start]
    for prev, tok in zip(ordered, ordered[1:], strict=False):
        left = tok.left_edge.i
        if tok.i in subtree_ids(prev) and tok.dep_ in ("conj", "xcomp") and _same_subject(tok, prev):
            left = tok.i  # "found and deleted": one clause, one subject
        bounds.append(max(left, prev.i + 1))
    bounds.append(sent.span.end)
    return {tok.i: set(range(bounds[k], bounds[k + 1])) for k, tok in enumerate(ordered)}


def _same_subject(a: Token, b: Token) -> bool:
    sa, sb = subject_of(a), subject_of(b)
    return sa is not None and sb is not None and sa.i == sb.i


def _mention(
    ctx: ArticleContext,
    sent: Sentence,
    platforms: list[str],
    counts: CountResult,
    atts: list[Attribution],
    region: set[int],
    heads: list[Token],
    rule: str,
    trigger: Token | None = None,
) -> Mention:
    low = sent.text.lower()
    named = asset_platform(sent, region)
    platforms = list(dict.fromkeys(channel_platform(p, counts, named) for p in platforms))
    commercial, profit = motives(ctx, sent)
    total = has_phrase(sent.text, ctx.lex.phrases.get("total_marker", ())) is not None
    doc = sent.span.doc
    mass = any(ctx.lex.is_("mass_scale", doc[i].lower_) and doc[i].pos_ == "NUM" for i in region)
    return Mention(
        scam_tied=scam_tied(ctx, sent),
        mass=mass,
        total=total,
        tied=not atts and tied_to_someone(ctx, sent, region),
        commercial=commercial,
        profit=profit,
        policy=other_policy(ctx, sent),
        platforms=platforms,
        sent=sent,
        evidence=ctx.evidence(sent, rule, 0.9 if counts.exact else 0.6),
        counts=dict(counts.counts),
        vague=counts.vague,
        attributions={a.state: a for a in atts},
        actors=sorted({a.actor for a in atts if a.actor}),
        date=removal_date(ctx, sent, trigger),
        network=describe_network(region, sent, heads),
        earlier=is_earlier(ctx, sent, trigger),
        new_marker=any(re.search(rf"\b{w}\b", low) for w in NEW_NETWORK),
    )


def _split_region(
    region: set[int], scope: set[int], counts: CountResult
) -> list[tuple[set[int], set[int], CountResult]]:
    """One object naming the same kind twice is two networks: "300 accounts from Egypt and 150
    accounts from Saudi Arabia". Each gets the stretch of text from its first number to the next
    part's, and what comes before the first number is every part's ("PRC-aligned networks lost 1,545
    channels in April and 3,592 in May": both are the PRC-aligned networks')."""
    if not counts.repeated_fields():
        return [(region, scope, counts)]
    # a part starts where a kind comes again: "35 accounts, 14 Pages and 1 Group from Mexico,
    # and 29 accounts and 6 Pages from Venezuela" is two networks, not five
    starts: list[int] = []
    kinds: set[str] = set()
    for it in sorted((it for it in counts.items if it.value is not None), key=lambda it: it.start):
        if not starts or it.field in kinds:
            starts.append(it.start)
            kinds = set()
        kinds.add(it.field)
    end = max(scope) + 1
    shared = {i for i in scope if i < starts[0]}
    parts = []
    for k, st in enumerate(starts):
        stop = starts[k + 1] if k + 1 < len(starts) else end
        stretch = set(range(st, stop))
        part = CountResult(items=[it for it in counts.items if it.start in stretch])
        for it in part.items:
            if it.value is not None and not it.vague:
                part.counts[it.field] = part.counts.get(it.field, 0) + it.value
        parts.append((region & stretch, (scope & stretch) | shared, part))
    return parts


def _count_only_mention(
    ctx: ArticleContext,
    sent: Sentence,
    previous: list[Mention],
    blocked: set[int],
    named: list[str] | None = None,
) -> list[Mention]:
    """ "The first network had 93 Facebook profiles and 17 pages": counts with no removal verb.

    Kept only when the article already reported a removal by the platform the sentence is
    about, so that counts of followers, ads or protesters never become takedowns.
    """
    if not previous and not named:
        return []
    region = {t.i for t in sent.tokens} - blocked
    counts = count_assets((sent.span.doc[i] for i in region), ctx.lex)
    if not counts.exact:
        counts = _elided_item(ctx, sent, region)
    if not counts.exact:
        return []
    platforms: list[str] = []
    for ent in ctx.platforms_in(sent):
        if ent.entity not in platforms:
            platforms.append(ent.entity)
    if not platforms:
        subj = [t for t in sent.tokens if t.dep_ == "nsubj"]
        for s in subj:
            found = np_platforms(ctx, sent, s)
            if found:
                platforms = found
                break
    reported = {p for m in previous for p in m.platforms} | set(named or ())
    if not platforms:
        platforms = [p for p in ctx.recent_platforms(sent.index) if p in reported][:1]
    platforms = [p for p in platforms if p in reported]
    if not platforms:
        return []
    # a sentence counting assets of several platforms ("120 Facebook and 40 Instagram
    # accounts") belongs to the platform that removed them: one platform per record
    platforms = platforms[:1]
    anchors = network_nouns(sent, ctx)
    heads = [sent.span.doc[i] for i in sorted(anchors)][:1]
    out = []
    for part_region, part_scope, part in _split_region(region, {t.i for t in sent.tokens}, counts):
        atts = network_attributions(ctx, sent, part_scope, anchors, None, "takedown")
        out.append(_mention(ctx, sent, platforms, part, atts, part_region, heads, "takedown.counts"))
    return out


def _opens_elided(sent: Sentence) -> Token | None:
    """The number opening "271 from Egypt, for ...", "45 in Cuba tied to ...", if any."""
    toks = [t for t in sent.tokens if not t.is_punct and not t.is_space]
    if len(toks) < 2 or not toks[0].like_num or toks[1].lower_ not in ELIDED_NEXT:
        return None
    return None if toks[0].ent_type_ in ("DATE", "MONEY", "PERCENT", "TIME") else toks[0]


def _elided_item(ctx: ArticleContext, sent: Sentence, region: set[int]) -> CountResult:
    """A list item that leaves out its noun ("Accounts suspended:" or "4,248 accounts from the
    UAE ..." then "271 from Egypt ..."): a number opening the sentence, followed by an origin
    word, counts the one kind of asset named by the sentence before (or, through items like
    itself, by the list's first item or lead-in)."""
    num = _opens_elided(sent)
    if num is None or num.i not in region:
        return CountResult()
    value = parse_number([num.text])
    k = sent.index - 1
    while value is not None and k >= 0 and k >= sent.index - 8:
        prev = ctx.sentences[k]
        kinds = {ctx.lex.asset_field[a] for t in prev.tokens if (a := asset_lemma(t, ctx.lex)) is not None}
        if len(kinds) == 1:
            return CountResult(counts={kinds.pop(): value})
        if kinds or _opens_elided(prev) is None:
            break
        k -= 1
    return CountResult()


def ordinal_network(sent: Sentence, ctx: ArticleContext) -> Token | None:
    """The subject of "The third and fourth network ... originated in Russia and Iran", also
    with its noun left out ("Another was based in China", "The first, from Russia, ...")."""
    lex = ctx.lex
    for t in sent.tokens:
        # the subject; or a noun the parser made the clause itself, as a sentence's first phrase
        # ("Another operation, linked to Iran, generated articles, the company said")
        opening = t.dep_ in ("ccomp", "ROOT") and t.pos_ == "NOUN" and t.left_edge.i == sent.span.start
        if t.dep_ not in ("nsubj", "nsubjpass") and not opening:
            continue
        if lex.is_("network_noun", t.lemma_.lower()):
            mods = [c for c in t.subtree if c.i < t.i]
            if any(lex.is_("network_ordinal", c.lower_) for c in mods):
                return t
        elif lex.is_("network_ordinal", t.lower_) and t.pos_ != "NOUN":
            # "of" names what the word counts: "another of the networks", not "one of the accounts"
            of = [g for c in t.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children]
            if all(lex.is_("network_noun", g.lemma_.lower()) for g in of):
                return t
    return None


def _ordinal_network_mention(ctx: ArticleContext, sent: Sentence, previous: list[Mention]) -> Mention | None:
    """A sentence describing another network of a removal already reported, by its states."""
    subj = ordinal_network(sent, ctx)
    if subj is None or not previous:
        return None
    reported = [p for m in previous for p in m.platforms]
    platforms = [p for p in ctx.recent_platforms(sent.index) if p in reported][:1] or reported[-1:]
    scope = {t.i for t in sent.tokens}
    anchors = network_nouns(sent, ctx) | {subj.i}  # "Another, from China, ...": the word stands for one
    atts = network_attributions(ctx, sent, scope, anchors, None, "takedown.network")
    if not atts:
        return None
    m = _mention(ctx, sent, platforms, CountResult(), atts, subtree_ids(subj), [subj], "takedown.network")
    m.ordinal = True
    mods = [c.lower_ for c in subj.subtree if c.i <= subj.i]  # "the other": the word itself too
    m.told_again = "the" in mods and any(ctx.lex.is_("network_backref", w) for w in mods)
    return m


