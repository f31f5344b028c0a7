"""Denials: ``State –denied→ Claim``, as accusation, speaker and stance.

A sentence is a denial when (a) someone speaks for a state (``speakers``), (b) what they say
rejects something (``stance``), and (c) the article reports an accusation against that state
(``accusations``: a takedown's attribution, a threat report, an investigation, a warning), or
the sentence itself names what was alleged ("has repeatedly denied meddling"). The rejection
must be about the accusation: the sentence names a claim, the accounts or the operation, or
rejects "it"/"this", or it runs on (a quote, or about "it") from a sentence that did. One
denial per (state, speaker) and accuser: an office's denial joins the state's named speaker.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from kg.extract.agents import subject_of
from kg.extract.context import ArticleContext, Sentence
from kg.extract.denials.accusations import (
    Accusations,
    accuser_in,
    accusing_state,
    find_accusations,
    names_in,
    sentence_at,
    state_entities,
    targeted,
)
from kg.extract.denials.names import opens_quote, quote_closer
from kg.extract.denials.speakers import Speaker, SpeakerResolver
from kg.extract.denials.stance import Stance, find_stance
from kg.extract.denials.topic import about_operation, mentions_claim, runs_on
from kg.lexicon.denial import load_denial_lexicon
from kg.records import Denial, Takedown
from kg.util.dates import find_date

__all__ = ["Accusations", "Speaker", "Stance", "extract_denials", "find_accusations", "find_stance"]

_RUN_ON = 2  # sentences a rejection may run on after one that named the accusation


@dataclass(frozen=True)
class _Found:
    speaker: Speaker
    denial: Denial


def extract_denials(ctx: ArticleContext, takedowns: list[Takedown]) -> list[Denial]:
    lex = load_denial_lexicon()
    acc = find_accusations(ctx, takedowns)
    resolver = SpeakerResolver(ctx, acc.accused(), lex)
    found: list[_Found] = []
    on_topic_at = -10
    removals = {sentence_at(ctx, td.evidence.start): td.platform for td in takedowns if td.evidence}
    for sent in ctx.sentences:
        if sent.index in acc.sentences:
            on_topic_at = sent.index
        stance = find_stance(sent, lex)
        speakers = resolver.speakers_of(sent, stance.anchor) if stance is not None else []
        quoted = stance is not None and not speakers and opens_quote(sent)
        closer = quote_closer(ctx.sentences, sent) if quoted else None
        if closer is not None:  # "“It holds no water ... . If Twitter ...,” said Hua Chunying."
            speakers = resolver.speakers_of(closer, closer.span.root)
        resolver.observe(sent)
        if stance is None:
            continue
        accusers = {a for sp in speakers for a in acc.claims.get(sp.state, [])}
        topical = mentions_claim(sent, stance, lex) or bool(accusers & set(names_in(ctx, sent)))
        # a quote running on from the sentence before, which spoke of the operation itself
        # ("... China 'has always opposed' the spread of disinformation. 'We urge the company to
        # stop smearing China,' he said."), is on its topic as that sentence was
        before = ctx.sentences[sent.index - 1] if sent.index else None
        if before is not None and about_operation(before.tokens, lex):
            on_topic_at = max(on_topic_at, before.index)
        if not topical and (sent.index - on_topic_at > _RUN_ON or not runs_on(sent, stance)):
            continue
        if answers_other_charge(ctx, sent, acc, lex):
            continue
        for sp in speakers:
            if sp.state not in acc.claims:
                removal = _such_of_removal(sent, stance, removals, lex)
                if removal is None and not self_accused(ctx, sent, stance, sp.state):
                    continue
                # "has repeatedly denied meddling", "rejected Chinese claims that the U.S. runs ...";
                # "Uganda has rejected such allegations" after a removal: the platform's
                accuser = removal or accuser_in(ctx, sent) or next(
                    (s for s, e in state_entities(ctx, sent) if s != sp.state and accusing_state(e)), None
                )
                acc.add(sp.state, accuser, sent.index)
                resolver.accused = acc.accused()  # an office of "the government" may be either's now
            if sp.is_person:
                resolver.last = sp
            d, _ = find_date(sent.text, ctx.article.published)
            ev = ctx.evidence(sent, f"denial.{stance.kind}", 0.8 if stance.kind == "verb" else 0.7)
            denial = Denial(
                state=sp.state,
                speaker=sp.name,
                denies_claim_of=acc.accusers_for(ctx, sent, sp.state),
                quote=stance.words,
                date=d,
                evidence=ev,
            )
            found.append(_Found(sp, denial))
        if speakers or sent.index in acc.sentences:
            on_topic_at = sent.index
    return _merge(found)


def _such_of_removal(sent: Sentence, stance: Stance, removals: dict[int, str], lex) -> str | None:  # type: ignore[no-untyped-def]
    """ "Meta removed 70 accounts ... Uganda has rejected such allegations in the past": a
    rejection of "such" claims just after a removal rejects the claim the removal makes; the
    removing platform is the accuser."""
    such = any(
        lex.is_("claim_noun", t.lemma_)
        and any(c.lower_ == "such" and c.dep_ in ("det", "amod") for c in t.children)
        for t in _claim_tokens(stance)
    )
    near = [i for i in removals if 0 < sent.index - i <= _RUN_ON]
    return removals[max(near)] if such and near and stance.kind == "verb" else None


def answers_other_charge(ctx: ArticleContext, sent: Sentence, acc: Accusations, lex) -> bool:  # type: ignore[no-untyped-def]
    """ "He has been accused of curbing media freedoms. The president has denied the
    accusations.": a denial that names nothing of its own answers the charge laid in the sentence
    just before; when that charge is about something other than accounts or influence, it is no
    denial of this accusation."""
    if sent.index == 0 or about_operation(sent.tokens, lex) or names_in(ctx, sent):
        return False
    prev = ctx.sentences[sent.index - 1]
    if prev.index in acc.sentences or about_operation(prev.tokens, lex):
        return False
    return any(lex.is_("charge_verb", t.lemma_) and t.pos_ == "VERB" for t in prev.tokens)


_FRAME_DEPS = frozenset({"advcl", "oprd", "agent", "nsubj", "nsubjpass", "aux", "auxpass", "neg", "punct"})


def _claim_tokens(stance: Stance) -> list:  # type: ignore[type-arg]
    """The words of what is rejected: the rejecting word's complement ("denied meddling",
    "rejected claims that it ran fake accounts"), without how the speaker frames it ("dismissed
    the report as disinformation", "calling them propaganda") or who spread it ("spread by
    hostile accounts")."""
    anchor = stance.anchor
    out = [anchor] if stance.kind != "verb" else []
    stack = [c for c in anchor.children if c.dep_ not in _FRAME_DEPS]
    while stack:
        t = stack.pop()
        if t.dep_ == "prep" and t.lower_ == "as" or t.dep_ in ("agent", "advcl", "oprd"):
            continue
        out.append(t)
        stack += list(t.children)
    return out


def self_accused(ctx: ArticleContext, sent: Sentence, stance: Stance, state: str) -> bool:
    """ "Russia has repeatedly denied meddling": a denial that states its own accusation. It
    names the operation, it denies (rather than judges), and no other state is its actor; so
    "Ukraine called the Russian campaign a lie" accuses Russia, not Ukraine."""
    if stance.kind not in ("verb", "negation", "distancing") or not about_operation(_claim_tokens(stance)):
        return False
    deniers = _co_subjects(stance)
    others = [
        s
        for s, e in state_entities(ctx, sent)
        if s != state and not targeted(ctx, e) and not accusing_state(e) and e.root.i not in deniers
    ]
    return not others


def _co_subjects(stance: Stance) -> set[int]:
    """The words of the rejecting verb's subject: "China, Russia and Iran have all rejected
    accusations that they ...", "Moscow and Beijing have denied meddling" name several
    deniers, none of them the actor of what is denied."""
    subj = subject_of(stance.anchor) if stance.kind == "verb" else None
    if subj is None or not any(c.dep_ == "conj" for c in subj.children) or not _own_act(stance):
        return set()
    return {t.i for t in subj.subtree}


def _own_act(stance: Stance) -> bool:
    """What is denied is the deniers' own doing: a gerund ("denied interfering") or a clause
    about "they" ("rejected accusations that they use fake accounts"); not "the claims about
    fake accounts", which may be about someone else."""
    for t in _claim_tokens(stance):
        if t.tag_ == "VBG" and t.head.i == stance.anchor.i:
            return True
        if t.lower_ in ("they", "we") and t.dep_ in ("nsubj", "nsubjpass"):
            return True
    return False


def _head_word(name: str) -> str:
    """The office's head noun: "police" of "Philippine National Police", "ministry" of
    "Thai foreign ministry" (before "of"/"in": "embassy" of "Chinese embassy in London")."""
    words = name.lower().replace("'s", "").split()
    for stop in ("of", "in", "to", "for", "at"):
        if stop in words[1:]:
            words = words[: words.index(stop, 1)]
    return words[-1] if words else ""


def _merge(found: list[_Found]) -> list[Denial]:
    """One denial per (state, speaker) and rejected accuser; an office's or the bare state's
    denial joins the first named person of the same state (the bare state's, else, the first
    office's), and repeated denials add their sentences as support."""
    persons: dict[str, str] = {}
    first_office: dict[str, str] = {}
    for f in found:
        if f.speaker.is_person and f.speaker.name:
            persons.setdefault(f.denial.state, f.speaker.name)
        elif f.denial.speaker:
            first_office.setdefault(f.denial.state, f.denial.speaker)
    offices: dict[tuple[str, str], str] = {}  # (state, head word) -> first name of that office
    merged: dict[tuple[str, str | None, tuple[str, ...]], Denial] = {}
    for f in found:
        d = f.denial
        speaker = d.speaker if f.speaker.is_person else persons.get(d.state, d.speaker)
        if speaker is None:
            # "Ghana denies ..." over "Ghana's Ministry of Information rejected ...": one denial
            speaker = first_office.get(d.state)
        if speaker and not f.speaker.is_person and d.state not in persons:
            # "Philippine police" and "Philippine National Police": one office
            speaker = offices.setdefault((d.state, _head_word(speaker)), speaker)
        key = (d.state, speaker, d.denies_claim_of)
        old = merged.get(key)
        if old is None:
            merged[key] = Denial(d.state, speaker, d.denies_claim_of, d.quote, d.date, d.evidence)
        else:
            merged[key] = Denial(
                old.state, old.speaker, old.denies_claim_of, old.quote, old.date or d.date, old.evidence,
                old.support + (d.evidence,),
            )
    # a denial of "Facebook and Microsoft" (a headline) joins the speaker's denials of each
    for key in [k for k in merged if len(k[2]) > 1]:
        singles = [(key[0], key[1], (c,)) for c in key[2]]
        if all(s in merged for s in singles):
            first = merged[singles[0]]
            merged[singles[0]] = replace(first, support=first.support + (merged.pop(key).evidence,))
    return list(merged.values())
