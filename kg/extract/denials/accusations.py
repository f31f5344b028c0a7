"""Accusations: what the article says each state was accused of, and by whom.

A state is accused when a takedown of the article is attributed to it, or when a sentence
ties it to fake accounts, an influence operation or interference: a topic word ("accounts",
"influence", "meddling") with the state (or one of its bodies or officials) and an accusation
cue ("accused", "linked to", "backed by", "found", "warned"), where the state is not only the
target ("targeting Russia", "aimed at Chinese users"). The accuser is the platform the sentence
names, else an organisation named there (a security firm, a newspaper, an agency), else none;
a state that "has repeatedly denied" meddling is accused by the denial sentence itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.extract.context import STATE_LABELS, ArticleContext, EntitySpan, Sentence
from kg.extract.cues import language
from kg.extract.denials.names import state_words_in
from kg.extract.denials.topic import about_operation
from kg.extract.takedowns import network_nouns, sentence_attributions
from kg.lexicon.denial import DenialLexicon, load_denial_lexicon
from kg.records import Takedown

_LOOKBACK = 4  # sentences: how far back a denial looks for the accuser it answers


@dataclass
class Accusations:
    """state -> accusers (first-mention order), and where each accusation is made."""

    claims: dict[str, list[str]] = field(default_factory=dict)
    where: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # state -> (sentence, accuser)
    sentences: set[int] = field(default_factory=set)  # where some accusation is made

    def add(self, state: str, accuser: str | None, sentence: int) -> None:
        self.sentences.add(sentence)
        accusers = self.claims.setdefault(state, [])
        if accuser and accuser not in accusers:
            accusers.append(accuser)
        if accuser:
            self.where.setdefault(state, []).append((sentence, accuser))

    def accused(self) -> list[str]:
        return list(self.claims)

    def accusers_for(self, ctx: ArticleContext, sent: Sentence, state: str) -> tuple[str, ...]:
        """Whose accusation a denial in ``sent`` answers: one named there, else the nearest."""
        accusers = self.claims.get(state, [])
        if not accusers:
            return ()
        named = [a for a in names_in(ctx, sent) if a in accusers]
        if named:
            return tuple(dict.fromkeys(named))
        group = _plural_group(ctx, sent, accusers)
        if group:
            return tuple(group)
        before = [(i, a) for i, a in self.where.get(state, []) if i <= sent.index]
        near = [a for i, a in before if sent.index - i <= _LOOKBACK]
        if near:
            return (near[-1],)
        return (accusers[0],)


def names_in(ctx: ArticleContext, sent: Sentence) -> list[str]:
    names = [e.entity for e in ctx.platforms_in(sent)]
    names += [
        e.text
        for e in sent.span.ents
        if (e.label_ == "ORG" or (e.label_ == "PERSON" and e.root.dep_ == "pobj"))
        and _accuser_role(e.root)
        and not _state_side(ctx, sent, e.root)
    ]
    return names


def _accuser_role(tok) -> bool:  # type: ignore[no-untyped-def]
    """An organisation that says or finds something: a subject, an agent ("by X", "according
    to X"), or the owner of a report ("X's investigation", "a Graphika report")."""
    if tok.dep_ in ("nsubj", "poss"):
        return True
    if tok.dep_ == "compound":
        return load_denial_lexicon().is_("claim_noun", tok.head.lemma_) or load_denial_lexicon().is_(
            "accuser_noun", tok.head.lemma_
        )
    if tok.dep_ == "pobj":
        prep = tok.head
        if prep.lower_ == "at":  # "researchers at Stanford"
            return load_denial_lexicon().is_("accuser_noun", prep.head.lemma_)
        return prep.lower_ in ("by", "from") or (prep.lower_ == "to" and prep.head.lower_ == "according")
    return False


def _plural_group(ctx: ArticleContext, sent: Sentence, accusers: list[str]) -> list[str]:
    """ "the two firms had made the claim": a plural anaphor for the platforms named together."""
    for t in sent.tokens:
        if ctx.lex.is_("platform_anaphor", t.lemma_.lower()) and (
            t.tag_ == "NNS" or any(c.lower_ in ("two", "both") for c in t.children)
        ):
            group = [p for p in ctx.recent_platform_group(sent.index, t) if p in accusers]
            if len(group) > 1:
                return group
    return []


def _state_side(ctx: ArticleContext, sent: Sentence, tok) -> bool:  # type: ignore[no-untyped-def]
    """A state body, or named inside one's phrase ("Iran's state news agency IRNA")."""
    top = tok
    while top.dep_ in ("appos", "compound", "conj") and top.head.i != top.i:
        top = top.head
    ids = {t.i for t in top.subtree}
    if state_words_in(list(top.subtree)):  # "the U.S. State Department", a state's own body
        return True
    for e in sent.entities:
        if e.root.i in ids and (e.label in STATE_LABELS or ctx.gaz.state_of(e.entity) is not None):
            return ctx.gaz.entities.get(e.entity) is None or ctx.gaz.entities[e.entity].type != "platform"
    return False


def state_entities(ctx: ArticleContext, sent: Sentence) -> list[tuple[str, EntitySpan]]:
    """(state, span) for every state, state body or official named in ``sent``."""
    out = []
    for e in sent.entities:
        state = e.entity if e.label in STATE_LABELS else ctx.gaz.state_of(e.entity)
        if state is not None and ctx.gaz.entities.get(e.entity, None) is not None:
            if ctx.gaz.entities[e.entity].type == "platform":
                continue
            out.append((state, e))
    return out


def targeted(ctx: ArticleContext, ent: EntitySpan) -> bool:
    """The state is what the operation aimed at ("targeting Russia", "aimed at Chinese users"),
    or where one intrudes ("interference in the Philippines' internal affairs")."""
    t = ent.root
    place = t.head if t.dep_ == "poss" else t
    if place.dep_ == "pobj" and place.head.lower_ in ("in", "into"):
        if load_denial_lexicon().is_("intrusion_noun", place.head.head.lemma_.lower()):
            return True
    for _ in range(3):
        if ctx.lex.is_("target_cue", t.head.lemma_.lower()) or ctx.lex.is_("target_cue", t.lemma_.lower()):
            return True
        if t.head.i == t.i:
            break
        t = t.head
    doc = ent.span.doc
    # the three words before ("aimed at Chinese users"), back to a verb of another clause; a cue
    # word inside a name ("the Australian Strategic Policy Institute said China ...") is no cue
    for w in reversed(doc[max(0, ent.span.start - 3) : ent.span.start]):
        if ctx.lex.is_("target_cue", w.lemma_.lower()) and w.pos_ != "PROPN":
            return True
        if w.pos_ in ("VERB", "AUX"):
            break
    return False


def accusing_state(ent: EntitySpan) -> bool:
    """The state makes the claim: "Chinese claims", "Germany's accusation", "claims by Iran"."""
    lex = load_denial_lexicon()
    root = ent.root
    if root.dep_ in ("amod", "poss", "compound") and lex.is_("claim_noun", root.head.lemma_):
        return True
    prep = root.head
    return root.dep_ == "pobj" and prep.lower_ in ("by", "from") and lex.is_("claim_noun", prep.head.lemma_)


def state_accuser(ctx: ArticleContext, sent: Sentence, accused: list[str]) -> str | None:
    """A state that makes the accusation as the subject of a reporting or accusing verb ("The
    German government said Russia was behind the accounts"), other than the accused."""
    lex = load_denial_lexicon()
    for state, ent in state_entities(ctx, sent):
        if state in accused:
            continue
        t = ent.root
        while t.dep_ in ("compound", "amod", "poss", "pobj", "prep") and t.head.i != t.i:
            t = t.head
        verb = t.head
        if t.dep_ == "nsubj" and (
            lex.is_("accusation_verb", verb.lemma_) or ctx.lex.is_("reporting_verb", verb.lemma_.lower())
        ):
            return state
    return None


def accusation_in(ctx: ArticleContext, sent: Sentence, lex: DenialLexicon | None = None) -> list[str]:
    """States ``sent`` accuses of fake accounts, influence operations or interference."""
    lex = lex or load_denial_lexicon()
    if lex.lemmas.get("topic", frozenset()).isdisjoint(sent.lemmas) or not about_operation(sent.tokens, lex):
        return []
    verbs = [t for t in sent.tokens if t.pos_ == "VERB" and lex.is_("accusation_verb", t.lemma_)]
    cue = bool(verbs) or lex.find("accusation_marker", sent.text)
    if not cue:
        return []
    out: list[str] = []
    for state, ent in state_entities(ctx, sent):
        # not "comments in English and Chinese" (a language), nor "China's embassy in London"
        other = targeted(ctx, ent) or language(ent, ctx.lex) or _hosts(ent, lex)
        if state not in out and not other:
            out.append(state)
    return out


def _hosts(ent: EntitySpan, lex: DenialLexicon) -> bool:
    """ "China's embassy in London": the place an office sits in is not accused of anything."""
    prep = ent.root.head
    return ent.root.dep_ == "pobj" and prep.lower_ == "in" and lex.is_("office", prep.head.lemma_)


def _medium(ctx: ArticleContext, ent: EntitySpan) -> bool:
    """ "the minister wrote on X that ...": the platform someone speaks on accuses no one."""
    prep = ent.root.head
    verb = prep.head
    return (
        ent.root.dep_ == "pobj"
        and prep.lower_ in ("on", "via")
        and verb.pos_ == "VERB"
        and ctx.lex.is_("reporting_verb", verb.lemma_.lower())
    )


def accuser_in(ctx: ArticleContext, sent: Sentence) -> str | None:
    """The accuser a sentence names: a platform, else a named organisation that is no state's."""
    names = names_in(ctx, sent)
    return names[0] if names else None


def sentence_at(ctx: ArticleContext, start: int, default: int = -1) -> int:
    """The index of the sentence holding character ``start`` (``default`` if none does)."""
    return next((s.index for s in ctx.sentences if s.start <= start < s.end), default)


def find_accusations(ctx: ArticleContext, takedowns: list[Takedown]) -> Accusations:
    acc = Accusations()
    for td in takedowns:
        first = td.evidence.start if td.evidence else 0
        index = sentence_at(ctx, first, 0)
        for state in td.attributed_to:
            acc.add(state, td.platform, index)
    lex = load_denial_lexicon()
    for sent in ctx.sentences:
        platforms = [e.entity for e in ctx.platforms_in(sent) if not _medium(ctx, e)]
        states: list[str] = []
        if platforms:
            atts = sentence_attributions(
                ctx, sent, {t.i for t in sent.tokens}, network_nouns(sent, ctx), None, "claim"
            )
            states += [a.state for a in atts]
            states += [
                e.entity
                for e in sent.entities
                if e.label in STATE_LABELS and e.root.head.lemma_.lower() in ("accuse", "blame")
            ]
        speaking = state_accuser(ctx, sent, [])
        states += [s for s in accusation_in(ctx, sent, lex) if s != speaking]
        accusers = platforms or [a for a in [accuser_in(ctx, sent)] if a]
        if not accusers and states and speaking:
            accusers = [speaking]
        for state in dict.fromkeys(states):
            if accusers:
                for a in accusers:
                    acc.add(state, a, sent.index)
            else:
                acc.add(state, None, sent.index)
    return acc
