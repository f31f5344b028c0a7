"""Speakers: who speaks for a state.

A speaker is a person or an office. A person is named ("Dmitry Peskov", "Liu Pengyu, a
spokesman for the Chinese embassy"), or was named earlier with a title ("Presidential spokesman
Harry Roque" ... "Roque said"), or is "he"/"she" after one. An office is known by its title
("the foreign ministry", "Thailand's army", "the presidential palace", "state media", "the
ministry"). The state comes from the speaker's own words (a state, demonym or capital in the
phrase), from the organisation and people gazetteer, or, for a generic office or title ("the
embassy", "a spokeswoman"), from the state the article accuses when it accuses only one.

Not speakers: a dateline ("BANGKOK (Reuters) - "), a document ("a statement from the
ministry" speaks through the ministry), a state's own name or capital ("Moscow denied ...":
the state speaks, with no named speaker), a platform, a company or a researcher.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.extract.context import STATE_LABELS, ArticleContext, Sentence
from kg.extract.denials.acronyms import Speaker, learn_acronyms
from kg.extract.denials.names import (
    after_dateline,
    clean_name,
    inside_open_quote,
    is_dateline,
    is_owner,
    named_person,
    speaker_phrase,
    state_words_in,
)
from kg.lexicon.denial import DenialLexicon, load_denial_lexicon

_PRONOUNS = frozenset({"he", "she", "we", "i", "they", "it"})


def _member_of(party: Token) -> bool:
    """ "a lawmaker from the ruling party", "an official of the ruling party": the speaker is the
    party's own, the preposition hung on the speaker's noun."""
    prep = party.head
    return party.dep_ == "pobj" and prep.lower_ in ("from", "of") and prep.head.pos_ == "NOUN"


def _according_to(sent: Sentence) -> list[Token]:
    """Who the sentence says its words are "according to"."""
    doc = sent.span.doc
    return [
        g
        for t in sent.tokens
        if t.lower_ == "according" and t.i + 1 < len(doc) and doc[t.i + 1].lower_ == "to"
        for g in doc[t.i + 1].children
        if g.dep_ == "pobj"
    ]


class SpeakerResolver:
    """Resolves speakers in article order, remembering titled people and the last speaker."""

    def __init__(self, ctx: ArticleContext, accused: list[str], lex: DenialLexicon | None = None) -> None:
        self.ctx = ctx
        self.lex = lex or load_denial_lexicon()
        self.accused = accused
        self.last: Speaker | None = None
        self.last_office: Speaker | None = None  # the office a sentence was last about: "it said"
        self.book: dict[str, Speaker] = {}  # surname / full name -> titled person met earlier
        self.acronyms: dict[str, Speaker] = {}  # "PNP" -> the state office it abbreviates
        self._here: dict[int, list[str]] = {}  # sentence -> states it names

    # ---- state of a phrase ----------------------------------------------------------------
    def _generic_state(self, sent: Sentence) -> str | None:
        """The state a generic office speaks for: the one accused, or the one named here."""
        if sent.index not in self._here:
            self._here[sent.index] = self._states_in(sent, list(sent.tokens))
        here = [s for s in self._here[sent.index] if s in self.accused]
        if len(set(here)) == 1:
            return here[0]
        return self.accused[0] if len(self.accused) == 1 else None

    def _states_in(self, sent: Sentence, toks: list[Token]) -> list[str]:
        ids = {t.i for t in toks}
        out = state_words_in(toks)  # also inside names the gazetteer leaves to the parser
        out += [self.acronyms[t.text].state for t in toks if t.text in self.acronyms]
        for e in sent.entities:
            if e.root.i not in ids and not any(t.i in ids for t in e.span):
                continue
            ent = self.ctx.gaz.get(e.entity)
            if ent is not None and ent.type == "platform":
                continue
            state = e.entity if e.label in STATE_LABELS else self.ctx.gaz.state_of(e.entity)
            if state:
                out.append(state)
        return out

    def _non_state(self, sent: Sentence, toks: list[Token]) -> bool:
        """A platform, a company, a researcher, or an organisation no gazetteer gives a state."""
        ids = {t.i for t in toks}
        for e in sent.entities:
            if e.root.i in ids and e.label == "PLATFORM":
                return True
        persons = [e.root for e in sent.span.ents if e.label_ == "PERSON" and e.root.i in ids]
        if any(self._described_private(p) for p in persons):
            return True
        parties = [t for t in toks if self.lex.is_("party_noun", t.lemma_.lower())]
        if any(t.dep_ != "pobj" or _member_of(t) for t in parties):
            return True  # "Serbia's ruling party", "a lawmaker from the ruling party": a party's
        if any(t.dep_ == "amod" and t.lower_ in ("former", "ex") for t in toks):
            return True  # "a former foreign minister": out of office, speaks for no state
        if any(self.lex.is_("non_state_speaker", t.lemma_) for t in toks if t.dep_ != "pobj"):
            person = any(e.label_ == "PERSON" for e in sent.span.ents if e.root.i in ids)
            if person and not self._titled(toks):
                return True  # "Cairo resident Ahmed Salem, a blogger": a private person, wherever from
            return not self._states_in(sent, toks) and not any(self._office_appos(t) for t in toks)
        for t in toks:  # "SNS officials": an acronym no gazetteer knows names a body of its own
            if t.dep_ == "compound" and t.pos_ in ("PROPN", "NOUN") and len(t.text) > 1 and t.text.isupper():
                if sent.entity_at(t) is None and t.text not in self.acronyms:
                    return not self._states_in(sent, toks)
        for e in sent.span.ents:  # an unknown organisation, unless a state's office by its title
            if e.label_ == "ORG" and e.root.i in ids and sent.entity_at(e.root) is None:
                if e.text in self.acronyms:
                    continue  # "AFP spokesman", the article having named the Armed Forces of the Philippines
                if named_person(e, self.lex):
                    continue  # "spokesperson Yolande Makolo": a titled name the model took for a body
                if e.root.dep_ in ("poss", "compound") and self._titled([e.root.head]):
                    continue  # "the President's communications director": the leader's office
                if self.lex.is_("state_office", e.root.lemma_):
                    continue  # "the Ministry of Diaspora Affairs": a ministry is a state's
                if e.root.dep_ == "appos" and self._office_of(e.root.head):
                    continue  # "the army's media wing, ISPR": named by what it is
                return not self._states_in(sent, toks) and not self._office_appos(e.root)
        return False

    def _described_private(self, name: Token) -> bool:
        """ "Juan dela Cruz, a retired teacher in Manila": a named person whose apposition says
        what they are, and what they are is no office or title of a state (a spokesman, a
        minister, an aide); where they live is no state they speak for."""
        desc = [c for c in name.children if c.dep_ == "appos" and c.pos_ == "NOUN"]
        if name.dep_ == "appos" and name.head.pos_ == "NOUN":
            desc.append(name.head)
        if not desc:
            return False
        words = [t for d in desc for t in d.subtree if t.dep_ not in ("prep", "pobj") or t.head.i == d.i]
        return not any(
            self._titled([t]) or self.lex.is_("state_word", t.lemma_) or self.lex.is_("state_media", t.lemma_)
            for t in words
        )

    def _served(self, tok: Token) -> bool:
        """ "a spokesman for President Museveni", "the office of President Hernandez", "press
        secretary to President Museveni", "Museveni's spokesman": the leader an office serves;
        the office (or its named holder) speaks, not the leader."""
        prep = tok.head
        if tok.dep_ == "poss" and tok.head.ent_type_ != "PERSON" and self._titled([tok.head]):
            return True  # "Museveni's spokesman called the report a lie"
        return (
            tok.dep_ == "pobj" and prep.lower_ in ("for", "of", "to") and prep.head.i != tok.i
            and self._titled([prep.head]) and prep.head.ent_type_ != "PERSON"
        )

    def _office_of(self, tok: Token) -> bool:
        """ "the army's media wing", "the ministry's press office": a part of a state's office."""
        return self.lex.is_("office", tok.lemma_) or any(
            c.dep_ == "poss" and self.lex.is_("office", c.lemma_) for c in tok.children
        )

    def _office_appos(self, tok: Token) -> bool:
        """ "ISPR, the army's media wing": an office described by its title in apposition."""
        return any(c.dep_ == "appos" and self.lex.is_("office", c.lemma_) for c in tok.children)

    def _state_noun(self, tok: Token) -> bool:
        """ "the kingdom has denied using bots", "said the country does not engage in such
        campaigns": a definite state noun with nothing naming it speaks of the state in
        question (the one accused, or the one this sentence names)."""
        if not self.lex.is_("state_noun", tok.lemma_) or tok.pos_ != "NOUN":
            return False
        kids = list(tok.children)
        definite = any(c.dep_ == "det" and c.lower_ in ("the", "this") for c in kids)
        return definite and all(c.dep_ in ("det", "amod", "compound") for c in kids)

    def _conjoined_states(self, sent: Sentence, tok: Token, sp: Speaker) -> tuple[list[str], str | None]:
        """Accused states named as conjuncts of the speaker's state inside its office's phrase
        ("officials in Cairo and Abu Dhabi", "the Egyptian and Emirati governments"), and the
        phrase's words with all of them."""
        phrase = speaker_phrase(tok)
        ids = {t.i for t in phrase}
        ents = [e for e in sent.entities if e.label in STATE_LABELS]
        roots = [e.root for e in ents if e.entity == sp.state and e.root.i in ids]
        out: list[str] = []
        end = phrase[-1].i + 1 if phrase else tok.i + 1
        for e in ents:
            linked = any(e.root in r.conjuncts for r in roots)
            if linked and e.entity != sp.state and e.entity in self.accused and e.entity not in out:
                out.append(e.entity)
                end = max(end, e.span.end)
        if not out or not phrase:
            return out, sp.name
        start = next((t.i for t in phrase if t.dep_ != "det"), phrase[0].i)
        return out, tok.doc[start:end].text

    def _both_states(self, tok: Token) -> list[str]:
        """ "Both governments", "the two countries": a plural office or state noun with "both"
        or "two" speaks for each of the two states accused."""
        noun = self.lex.is_("office", tok.lemma_) or self.lex.is_("state_noun", tok.lemma_)
        plural = tok.tag_ == "NNS" and noun
        words = {c.lower_ for c in tok.children if c.dep_ in ("det", "predet", "nummod", "amod", "quantmod")}
        if not plural or not words & {"both", "two"} or len(self.accused) != 2:
            return []
        return list(self.accused)

    def _titled(self, toks: list[Token]) -> bool:
        return any(self.lex.is_("person_title", t.lemma_) or self.lex.is_("office", t.lemma_) for t in toks)

    # ---- one candidate token -----------------------------------------------------------------
    def resolve(self, sent: Sentence, tok: Token) -> Speaker | None:
        low = tok.lower_
        if low in ("he", "she"):  # "Peskov questioned the claims, and he said ..."
            for t in sent.tokens:
                if t.i >= tok.i:
                    break
                if t.dep_ == "nsubj" and t.lower_ not in _PRONOUNS and t.pos_ == "PROPN":
                    sp = self.resolve(sent, t)
                    if sp is not None and sp.is_person:
                        return sp
        if low == "it" and self.last_office is not None:
            return self.last_office  # "The foreign ministry reacted angrily. ... it said"
        if low in _PRONOUNS:
            return self.last if low != "it" or (self.last and not self.last.is_person) else None
        if tok.text in self.acronyms:
            return self.acronyms[tok.text]
        if self._state_noun(tok):
            state = self._generic_state(sent)
            return Speaker(None, state, False) if state else None
        if tok.text in self.book and tok.pos_ == "PROPN":
            return self.book[tok.text]
        after = after_dateline(tok)
        if after is not None:
            return self.resolve(sent, after)
        if self.lex.is_("document", tok.lemma_):
            return self._document(sent, tok)
        own = sent.entity_at(tok)
        body = self.ctx.gaz.state_of(own.entity) if own is not None and own.label == "ORG" else None
        if own is not None and body and own.root.i == tok.i:
            # "The Global Times, a tabloid run by the Communist Party's People's Daily": a state
            # body or medium the gazetteer knows speaks for its state, whatever its apposition says
            return Speaker(own.entity, body, False)
        toks = speaker_phrase(tok)
        if not toks or self._non_state(sent, toks):
            return None
        person = self._person(sent, tok, toks)
        if person is not None:
            return person
        ent = sent.entity_at(tok)
        own_name = ent is not None and ent.label in STATE_LABELS and tok.pos_ == "PROPN"
        if ent is not None and own_name and len(toks) <= len(ent.span) + 1:
            return Speaker(None, ent.entity, False)  # "Moscow denied", "China rejected"
        for e in sent.entities:  # "the Kremlin", "the China Daily newspaper", "state agency IRNA"
            near = e.root.i == tok.i or (e.root.head.i == tok.i and e.root.dep_ in ("compound", "appos"))
            if near and e.label == "ORG" and self.ctx.gaz.state_of(e.entity):
                return Speaker(e.entity, self.ctx.gaz.state_of(e.entity) or "", False)
        states = self._states_in(sent, toks)
        # as written, so "state-run" stays one word
        text = tok.doc[toks[0].i : toks[-1].i + 1].text.lower() if toks else tok.lower_
        media = self.lex.phrase_list("state_media")
        office = self._office_of(tok) or self._office_appos(tok)
        office = office or any(p in text for p in media)
        if not office and not self.lex.is_("person_title", tok.lemma_):
            return None
        state = states[0] if states else self._generic_state(sent)
        if state is None:
            return None
        return Speaker(self._office_name(toks, tok), state, False)  # "a spokeswoman": an office

    def _document(self, sent: Sentence, tok: Token) -> Speaker | None:
        """ "a statement from the ministry": the author speaks; else the state the phrase names."""
        for c in tok.children:
            if c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in ("from", "by", "of", "in")):
                author = c if c.dep_ == "poss" else next((g for g in c.children if g.dep_ == "pobj"), None)
                if author is not None:
                    sp = self.resolve(sent, author)
                    if sp is not None:
                        return sp
        toks = speaker_phrase(tok)
        if self._non_state(sent, toks):
            return None
        states = self._states_in(sent, toks)
        says = tok.dep_ == "nsubj" and self.ctx.lex.is_("reporting_verb", tok.head.lemma_.lower())
        if not states and says:  # "a statement said": the accused state, when it is only one
            states = [s for s in [self._generic_state(sent)] if s]
        return Speaker(None, states[0], False) if states else None

    def _person(self, sent: Sentence, tok: Token, toks: list[Token]) -> Speaker | None:
        ids = {t.i for t in toks}
        gaz = self.ctx.gaz
        titled_other = any(
            named_person(e, self.lex) and e.root.i in ids and not is_owner(e.root) for e in tok.doc.ents
        )
        for e in sorted(sent.entities, key=lambda e: is_owner(e.root)):
            if e.label == "PERSON" and e.root.i in ids and named_person(e.span, self.lex):
                if (is_owner(e.root) and titled_other) or self._served(e.root):
                    continue  # the leader whose spokesman speaks
                ent = gaz.get(e.entity)
                state = ent.state if ent and ent.state else (self._states_in(sent, toks) or [None])[0]
                if state:
                    return Speaker(e.entity, state, True)
        names = sorted(
            (e for e in tok.doc.ents
             if named_person(e, self.lex) and e.root.i in ids and not self._served(e.root)),
            key=lambda e: is_owner(e.root),
        )
        if not names:
            return None
        name = clean_name(names[0].text)
        known = self.book.get(name) or self.book.get(name.split()[-1] if name else "")
        if known is not None:
            return known
        states = self._states_in(sent, toks)
        if states:
            return Speaker(name, states[0], True)
        if self._titled([t for t in toks if t.i not in range(names[0].start, names[0].end)]):
            state = self._generic_state(sent)
            return Speaker(name, state, True) if state else None
        return None

    def _office_name(self, toks: list[Token], head: Token) -> str:
        """ "Thailand's army", "Chinese embassy in Washington", as written, less articles."""
        keep = [t for t in toks if not (t.dep_ == "det" and t.i < head.i)]
        if keep:
            paren = [t.i for t in head.doc[head.i : keep[-1].i + 1] if t.text in ("(", ",")]
            if paren:
                keep = [t for t in keep if t.i < min(paren)]
        while keep and keep[0].dep_ in ("det", "punct"):
            keep = keep[1:]
        if not keep:
            return head.text
        start = keep[0].i
        doc = head.doc
        while start >= 2 and doc[start - 1].text in ("-", "\u2013") and not doc[start - 2].whitespace_:
            start -= 2  # "state-run newspaper": the hyphen's left word too
        span: Span = doc[start : keep[-1].i + 1]
        return span.text.strip(" ,")

    # ---- candidates in a sentence --------------------------------------------------------
    def speakers_of(self, sent: Sentence, anchor: Token) -> list[Speaker]:
        """The speakers of the stance at ``anchor``: its subject (or agent), the subject of a
        reporting verb, "according to X", the last speaker for a quote that runs on."""
        rep = self.ctx.lex

        def subjects(v: Token) -> list[Token]:
            agent = [g for c in v.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
            found = agent + [c for c in v.children if c.dep_ == "nsubj"]
            if not found and reporting(v):
                # "A spokesperson, asked about the finding, said ...": the parser gives the speaker
                # to the aside before the verb
                found = [g for c in v.children if c.dep_ in ("ccomp", "advcl") and c.i < v.i
                         for g in c.children if g.dep_ == "nsubj" and g.i < c.i]
            return found

        def reporting(v: Token) -> bool:
            return rep.is_("reporting_verb", v.lemma_.lower()) and v.pos_ == "VERB"

        if anchor.dep_ == "relcl" and self.lex.is_("rejection_verb", anchor.lemma_.lower()):
            # "..., a claim the company denies": the relative clause names its own denier; one
            # that is no state's leaves the sentence's other subjects (the accusers) out
            own = [c for c in subjects(anchor) if c.lower_ not in _PRONOUNS and c.tag_ not in ("WP", "WDT")]
            if own and all(self.resolve(sent, c) is None for c in own):
                return []
        ancestors = list(anchor.ancestors)
        says = next((v for v in ancestors if reporting(v)), None)  # the nearest reporting verb
        others = [c for c in subjects(says) if c.lower_ not in _PRONOUNS] if says is not None else []
        others += _according_to(sent)  # "..., according to Meta"
        if not self.lex.is_("rejection_verb", anchor.lemma_.lower()) and any(
            self.resolve(sent, c) is None and self._non_state(sent, speaker_phrase(c)) for c in others
        ):
            # "Researchers said the government had not run the accounts": what a platform or a
            # researcher says of the state is no denial by it (unlike "Meta said Moscow denied it")
            return []
        # the one who says the words comes before the subject inside the words
        candidates = [c for v in ancestors if reporting(v) for c in subjects(v)]
        candidates += subjects(anchor)
        candidates += [c for v in ancestors if not reporting(v) for c in subjects(v)]
        candidates += [c for t in sent.tokens if reporting(t) for c in t.children if c.dep_ == "nsubj"]
        candidates += _according_to(sent)
        explicit = [c for v in sent.tokens if reporting(v) for c in subjects(v) if c.lower_ not in _PRONOUNS]
        if not explicit and self.last is not None and inside_open_quote(sent):
            # 'Peskov said: "We don't know what this is about. Russia has nothing to do with it."':
            # the words go on in the quote its speaker opened; "Russia" is what they say
            return [self.last]
        seen: set[int] = set()
        for c in candidates:
            if c.i in seen or (explicit and c.lower_ in _PRONOUNS) or is_dateline(c):
                continue
            seen.add(c.i)
            sp = self.resolve(sent, c)
            if sp is None:
                both = self._both_states(c)
                if both:  # "Both governments denied the claims": each state accused
                    return [Speaker(None, st, False) for st in both]
                continue
            out = [sp]
            # "Officials in Cairo and Abu Dhabi denied": the office speaks for each state
            places, whole = ([], sp.name) if sp.is_person else self._conjoined_states(sent, c, sp)
            others: list[Speaker] = []  # "Russia, China and Iran have all rejected": one each
            for conj in c.conjuncts:  # "the police and the military denied"
                if conj.i < c.i:
                    continue
                other = self.resolve(sent, conj)
                if other is None and self.lex.is_("office", conj.lemma_):
                    # "the Philippine police and military": the modifier is shared
                    other = Speaker(self._office_name(speaker_phrase(conj), conj), sp.state, False)
                if other is not None and other.state == sp.state:
                    out.append(other)
                elif other is not None and all(o.state != other.state for o in others):
                    others.append(other)
            if len(out) > 1 and not sp.is_person:
                first = speaker_phrase(c)
                out[0] = Speaker(self._office_name([t for t in first if t.i <= c.i], c), sp.state, False)
            if places:
                out = [Speaker(whole, o.state, False) for o in out]
            return out + [Speaker(whole, st, False) for st in places] + others
        # a quote that runs on, with no one else named as saying it
        if sent.text.lstrip().startswith(("“", '"')) and self.last is not None and not explicit:
            return [self.last]
        if not explicit:
            # no reporting verb of the sentence has a subject (a fronted phrase misread: "In a reply on
            # Twitter, Venezuela's minister Freddy Ñáñez called ..."): a titled person before it
            root = sent.span.root
            for e in sent.span.ents:
                titled = self._titled([t for t in e.root.doc[max(0, e.start - 3) : e.start]])
                if e.label_ == "PERSON" and e.root.i < root.i and len(e) > 1 and titled:
                    sp = self.resolve(sent, e.root)
                    if sp is not None and sp.is_person:
                        return [sp]
        return []

    def _note_office(self, sent: Sentence) -> None:
        """The office the sentence's main clause is about ("Russia's foreign ministry reacted
        angrily"), for an "it" that speaks next; a sentence about anything else named (a
        platform, a firm, a person) ends it."""
        for root in (t for t in sent.tokens if t.dep_ == "ROOT"):
            for c in root.children:
                if c.dep_ not in ("nsubj", "nsubjpass") or c.lower_ in _PRONOUNS:
                    continue
                sp = self.resolve(sent, c)
                if sp is not None and not sp.is_person and sp.name:
                    self.last_office = sp
                elif c.pos_ in ("PROPN", "NOUN"):
                    self.last_office = None

    def observe(self, sent: Sentence) -> None:
        """Learn titled people, offices' acronyms and who speaks, so "Roque said", "the PNP
        said" and "he added" find their state."""
        learn_acronyms(self.ctx, sent, self.acronyms, self.resolve)
        for e in sent.span.ents:
            known = sent.entity_at(e.root)
            if not named_person(e, self.lex) or (known is not None and known.label != "PERSON"):
                continue
            toks = [t for t in speaker_phrase(e.root.head if e.root.dep_ == "appos" else e.root)]
            if e.root.dep_ == "appos":
                toks += list(e.root.subtree)
            around = [t for t in toks if not (e.start <= t.i < e.end)]
            for c in e.root.children:
                if c.dep_ == "appos":
                    around += list(c.subtree)
            if not self._titled(around) or self._non_state(sent, around):
                continue
            states = self._states_in(sent, around)
            state = states[0] if states else self._generic_state(sent)
            if state:
                name = clean_name(e.text)
                gaz = self.ctx.gaz.get(name)
                sp = Speaker(name, gaz.state if gaz and gaz.state else state, True)
                self.book.setdefault(name, sp)
                self.book.setdefault(name.split()[-1], sp)
                if len(name.split()) == 2:  # "Hua Chunying" ... "Hua said": the family name may come first
                    self.book.setdefault(name.split()[0], sp)
                self.last = sp  # "he said" next refers to the titled person just named
        self._note_office(sent)
        if self.ctx.lex.lemmas.get("reporting_verb", frozenset()).isdisjoint(sent.lemmas):
            return
        for t in sent.tokens:
            if self.ctx.lex.is_("reporting_verb", t.lemma_.lower()) and t.pos_ == "VERB":
                for c in t.children:
                    if c.dep_ == "nsubj" and c.lower_ not in _PRONOUNS:
                        sp = self.resolve(sent, c)
                        if sp is not None and sp.is_person:
                            self.last = sp
                            return
                        if sp is None and c.pos_ in ("PROPN", "NOUN"):
                            self.last = None  # a platform or a researcher has the floor now
                            return
