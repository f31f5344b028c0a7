"""Denials: ``State –denied→ Claim``, with the speaker, the quote and whose claim it rejects.

A sentence is a denial when it carries a denial verb ("denied", "dismissed", "branded ...
fabricated") or idiom ("nothing to do with", "groundless", "failed to provide evidence") and
its speaker acts for a state that the article says some platform accused. Speakers come from
the denial verb's subject, a reporting verb ("said spokesman X"), "according to X", or the
previous speaker for a quote that runs on; generic speakers ("a Kremlin spokesperson") are
resolved to the named spokesperson of the same body when the article names one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Token

from kg.dates import find_date
from kg.extract.context import (
    STATE_LABELS,
    ArticleContext,
    Sentence,
    has_phrase,
)
from kg.extract.takedowns import network_nouns, sentence_attributions
from kg.records import Denial, Evidence, Takedown

_QUOTE = re.compile(r"[“\"]([^”\"]{3,}?)[”\"“]")
_TITLES = re.compile(r"^(?:(?:Lt|Gen|Col|Maj|Capt|Brig|Adm|Sgt|Dr|Mr|Mrs|Ms|Prof|Rep|Sen|Gov|Amb)\.?\s+)+")
ROLE_WORDS = (
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "ambassador",
    "official",
    "secretary",
    "president",
    "premier",
    "diplomat",
    "envoy",
    "deputy",
)


@dataclass
class Speaker:
    name: str | None  # person or organisation name
    state: str | None
    is_person: bool
    org: str | None = None


def _person_name(text: str) -> str:
    name = _TITLES.sub("", text.strip())
    words = name.split()
    while words and words[0].lower() in ROLE_WORDS + ("deputy", "chief", "senior"):
        words = words[1:]
    return " ".join(words)


class SpeakerResolver:
    """Finds and resolves speakers, remembering the last one for quotes that run on."""

    def __init__(self, ctx: ArticleContext) -> None:
        self.ctx = ctx
        self.last: Speaker | None = None

    def _named_for_org(self, org: str | None, state: str | None) -> str | None:
        """The named person of ``org`` (or of ``state``) the article mentions, if one."""
        gaz = self.ctx.gaz
        text = self.ctx.article.text
        for person, porg in sorted(gaz.person_org.items()):
            ent = gaz.entities[person]
            if (org and porg == org) or (not org and ent.state == state):
                if any(a in text for a in ent.aliases):
                    return person
        return None

    def from_token(self, sent: Sentence, tok: Token) -> Speaker | None:
        ctx = self.ctx
        low = tok.lower_
        if low in ("he", "she", "we", "i", "they") and self.last is not None:
            return self.last
        span_toks = list(tok.subtree) if tok.dep_ != "ROOT" else [tok]
        ents = [e for e in sent.entities if e.root.i in {t.i for t in span_toks}]
        persons = [e for e in ents if e.label == "PERSON"]
        if persons:
            ent = ctx.gaz.get(persons[0].entity)
            return Speaker(persons[0].entity, ent.state if ent else None, True)
        ner = [
            e
            for e in tok.doc.ents
            if e.label_ == "PERSON" and e.start <= tok.i < e.end + 3 and e.root.i in {t.i for t in span_toks}
        ]
        orgs = [e for e in ents if e.label == "ORG"]
        states = [e for e in ents if e.label in STATE_LABELS]
        org = orgs[0].entity if orgs else None
        state = ctx.gaz.state_of(org) if org else (states[0].entity if states else None)
        if ner:
            return Speaker(_person_name(ner[0].text), state, True, org)
        if org or state:
            named = self._named_for_org(org, state) if self._role(tok) else None
            if named:
                return Speaker(named, ctx.gaz.state_of(named), True, org)
            name = org or self._body_name(tok, state)
            return Speaker(name, state, False, org)
        return None

    @staticmethod
    def _role(tok: Token) -> bool:
        return tok.lemma_.lower() in ROLE_WORDS or any(t.lemma_.lower() in ROLE_WORDS for t in tok.subtree)

    @staticmethod
    def _body_name(tok: Token, state: str | None) -> str | None:
        """ "Iran's foreign ministry", as written (without a leading article)."""
        toks = [t for t in tok.subtree if t.i <= tok.i]
        while toks and toks[0].dep_ in ("det", "punct"):
            toks = toks[1:]
        if not toks:
            return state
        return tok.doc[toks[0].i : tok.i + 1].text

    def speaker_of(self, sent: Sentence, cue: Token | None) -> Speaker | None:
        ctx = self.ctx
        candidates: list[Token] = []
        if cue is not None:
            candidates += [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
        for t in sent.span:
            if ctx.lex.is_("reporting_verb", t.lemma_.lower()) and t.pos_ == "VERB":
                candidates += [c for c in t.children if c.dep_ == "nsubj"]
        for t in sent.span:
            if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.doc[t.i + 1].lower_ == "to":
                candidates += [c for c in t.doc[t.i + 1].children if c.dep_ == "pobj"]
        for c in candidates:
            sp = self.from_token(sent, c)
            if sp is not None and sp.state is None and sp.is_person:
                sp.state = self._state_in_sentence(sent)
                if sp.state is None and self.last is not None and self._role(c):
                    sp.state = self.last.state
            if sp is not None and sp.state is not None:
                return sp
        if sent.text.lstrip().startswith(("“", '"')) and self.last is not None:
            return self.last
        return None

    def _state_in_sentence(self, sent: Sentence) -> str | None:
        """The state of the one state body a quote defends ("The Royal Thai Army has not ...")."""
        states = {self.ctx.gaz.state_of(e.entity) for e in sent.entities if e.label == "ORG"} - {None}
        return states.pop() if len(states) == 1 else None

    def observe(self, sent: Sentence) -> None:
        """Track who speaks, so "he added" and a quote that runs on find their speaker."""
        for t in sent.span:
            if self.ctx.lex.is_("reporting_verb", t.lemma_.lower()) and t.pos_ == "VERB":
                for c in t.children:
                    if c.dep_ == "nsubj" and c.lower_ not in ("he", "she", "it", "they", "we"):
                        sp = self.from_token(sent, c)
                        if sp is not None and sp.state is not None:
                            self.last = sp
                            return


def _cue(ctx: ArticleContext, sent: Sentence) -> tuple[Token | None, str | None]:
    """The denial verb token, or the denial idiom, of ``sent``."""
    if has_phrase(sent.text, ctx.lex.phrases.get("nondenial_phrase", ())):
        return None, None
    for t in sent.span:
        if ctx.lex.is_("denial_verb", t.lemma_.lower()) and t.pos_ == "VERB":
            if any(c.dep_ == "neg" for c in t.children):
                continue
            return t, t.text
    # "branded the report fabricated", "called the claims baseless"
    phrase = has_phrase(sent.text, ctx.lex.phrases.get("denial_phrase", ()))
    if phrase:
        return None, phrase
    # "This is another American lie": a lie-word as the predicate of a quoted statement
    for t in sent.span:
        if ctx.lex.is_("denial_noun", t.lemma_.lower()) and t.pos_ == "NOUN" and t.dep_ in ("attr", "oprd"):
            return None, t.text
    return None, None


def _quote(text: str, phrase: str | None) -> str:
    quotes = [q.strip(" ,.") for q in _QUOTE.findall(text)]
    if phrase:
        for q in quotes:
            if phrase.lower() in q.lower():
                return q
    if quotes:
        return max(quotes, key=len)
    return text.strip()


def claims_in_article(ctx: ArticleContext, takedowns: list[Takedown]) -> dict[str, list[str]]:
    """state -> platforms that attribute something to it in this article (first-mention order)."""
    claims: dict[str, list[str]] = {}
    for td in takedowns:
        for state in td.attributed_to:
            claims.setdefault(state, [])
            if td.platform not in claims[state]:
                claims[state].append(td.platform)
    for sent in ctx.sentences:
        platforms = [e for e in ctx.platforms_in(sent)]
        names = [e.entity for e in platforms]
        if not names:
            continue
        atts = sentence_attributions(
            ctx, sent, {t.i for t in sent.span}, network_nouns(sent, ctx), None, "claim"
        )
        accused = [
            e
            for e in sent.entities
            if e.label in STATE_LABELS and e.root.head.lemma_.lower() in ("accuse", "blame")
        ]
        states = [a.state for a in atts] + [e.entity for e in accused]
        for state in states:
            claims.setdefault(state, [])
            for n in names:
                if n not in claims[state]:
                    claims[state].append(n)
    return claims


def _claimants(ctx: ArticleContext, sent: Sentence, state: str, claims: dict[str, list[str]]) -> list[str]:
    claimants = claims.get(state, [])
    own: list[str] = []
    for e in ctx.platforms_in(sent):
        if e.entity not in own and e.entity in claimants:
            own.append(e.entity)
    if own:
        return own
    # "the two firms had made the ... claim": plural anaphors
    for t in sent.span:
        if ctx.lex.is_("platform_anaphor", t.lemma_.lower()) and (
            t.tag_ == "NNS" or any(c.lower_ in ("two", "both") for c in t.children)
        ):
            group = [p for p in ctx.recent_platform_group(sent.index, t) if p in claimants]
            if group:
                return group
    for prev in reversed(ctx.sentences[max(0, sent.index - 4) : sent.index]):
        near = []
        for e in ctx.platforms_in(prev):
            if e.entity in claimants and e.entity not in near:
                near.append(e.entity)
        if near:
            return near[:1]
    return claimants[:1]


def extract_denials(ctx: ArticleContext, takedowns: list[Takedown]) -> list[Denial]:
    claims = claims_in_article(ctx, takedowns)
    resolver = SpeakerResolver(ctx)
    found: list[tuple[Speaker, tuple[str, ...], Denial]] = []
    for sent in ctx.sentences:
        cue, phrase = _cue(ctx, sent)
        speaker = resolver.speaker_of(sent, cue) if (cue is not None or phrase) else None
        resolver.observe(sent)
        if speaker is None or speaker.state is None or speaker.state not in claims:
            continue
        if speaker.name in ctx.gaz.entities and ctx.gaz.entities[speaker.name].type == "platform":
            continue
        resolver.last = speaker if speaker.is_person else resolver.last
        claimants = tuple(_claimants(ctx, sent, speaker.state, claims))
        if not claimants:
            continue
        d, _ = find_date(sent.text, ctx.article.published)
        ev: Evidence = ctx.evidence(
            sent, "denial.verb" if cue is not None else "denial.phrase", 0.8 if cue is not None else 0.7
        )
        found.append(
            (
                speaker,
                claimants,
                Denial(
                    state=speaker.state,
                    speaker=speaker.name,
                    denies_claim_of=claimants,
                    quote=_quote(sent.text, phrase),
                    date=d,
                    evidence=ev,
                ),
            )
        )
    return _merge(found)


def _merge(found: list[tuple[Speaker, tuple[str, ...], Denial]]) -> list[Denial]:
    """One denial per (state, speaker, claim); an organisation's denial joins its spokesperson's."""
    persons: dict[tuple[str, tuple[str, ...]], str] = {}
    for sp, claimants, d in found:
        if sp.is_person and sp.name:
            persons.setdefault((d.state, claimants), sp.name)
    merged: dict[tuple[str, str | None, tuple[str, ...]], Denial] = {}
    for sp, claimants, d in found:
        speaker = d.speaker
        if not sp.is_person:
            speaker = persons.get((d.state, claimants), speaker)
        key = (d.state, speaker, claimants)
        if key not in merged:
            merged[key] = Denial(d.state, speaker, claimants, d.quote, d.date, d.evidence)
        else:
            old = merged[key]
            merged[key] = Denial(
                old.state,
                old.speaker,
                old.denies_claim_of,
                old.quote,
                old.date or d.date,
                old.evidence,
                old.support + (d.evidence,),
            )
    return list(merged.values())
