"""Typed records passed between the pipeline stages.

Stages never hand each other spaCy ``Doc`` objects or rdflib graphs: they pass these small,
frozen, picklable records, so a stage can run in another process (or on another machine) and
the output stays deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

#: Asset kinds a takedown can count, in the order of the events JSONL format.
COUNT_FIELDS: tuple[str, ...] = (
    "accounts",
    "pages",
    "groups",
    "instagram_accounts",
    "channels",
    "combined_count",
)


@dataclass(frozen=True)
class Paragraph:
    """A kept (non-boilerplate) block of an article; ``text == article.text[start:start+len]``."""

    start: int
    text: str


@dataclass(frozen=True)
class Article:
    """One ingested article. ``text`` is the source text; evidence offsets refer to it."""

    id: str
    file: str
    path: str
    title: str
    published: date | None
    text: str
    paragraphs: tuple[Paragraph, ...]
    #: With no date line: the latest date the text states about the past, at the precision it
    #: gives (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; :mod:`kg.ingest.textdate`); else ``None``.
    text_date: str | None = None

    @property
    def meta(self) -> ArticleMeta:
        """The article without its text: what facts keep once the text has been read."""
        from kg.util.dates import estimate_published

        estimated = estimate_published(self.text) if self.published is None else None
        return ArticleMeta(
            self.id, self.file, self.path, self.title, self.published, estimated, text_date=self.text_date
        )


@dataclass(frozen=True)
class ArticleMeta:
    """An article's identity and metadata, without its text.

    Facts carry this, not the :class:`Article`: after extraction nothing needs the text
    (evidence keeps its sentence and offsets), so a build holds one small record per
    article instead of every text (the graph and a cluster's client stay text-free).
    """

    id: str
    file: str
    path: str
    title: str
    published: date | None
    #: With no date line: the latest full date the text mentions (an article is written on or
    #: after what it reports), a bound the merge may use to place its records; else ``None``.
    estimated: date | None = None
    #: A near-duplicate (a syndicated copy) of an earlier article: that article's id. Its text is
    #: not parsed; it gets the earlier article's records as another report of the same takedowns.
    copy_of: str | None = None
    #: With no date line: the date read from its text (``Article.text_date``), a chart date of
    #: last resort, kept apart from ``published``; else ``None``.
    text_date: str | None = None


@dataclass(frozen=True)
class Evidence:
    """Where a fact comes from: the sentence, its character offsets in the article, the rule."""

    article_id: str
    file: str
    sentence: str
    start: int
    end: int
    rule: str
    confidence: float


@dataclass(frozen=True)
class Attribution:
    """A state the text ties a network to, with the wording it uses and an organisation if any."""

    state: str
    wording: str
    actor: str | None
    evidence: Evidence


class _Attributed:
    """Records that carry attributions answer "which states?" the same way."""

    attributions: tuple[Attribution, ...]

    @property
    def attributed_to(self) -> tuple[str, ...]:
        """Distinct attributed states, sorted."""
        return tuple(sorted({a.state for a in self.attributions}))


@dataclass(frozen=True)
class Counts:
    """Assets removed, per kind; ``None`` where the text gives no exact figure."""

    accounts: int | None = None
    pages: int | None = None
    groups: int | None = None
    instagram_accounts: int | None = None
    channels: int | None = None
    combined_count: int | None = None

    def items(self) -> tuple[tuple[str, int], ...]:
        """The filled fields, in format order."""
        return tuple((name, value) for name in COUNT_FIELDS if (value := getattr(self, name)) is not None)

    def is_empty(self) -> bool:
        return not self.items()


@dataclass(frozen=True)
class Takedown(_Attributed):
    """One network removed by one platform, as one article reports it."""

    platform: str
    network: str
    counts: Counts
    date: date | None
    attributions: tuple[Attribution, ...]
    actors: tuple[str, ...]
    evidence: Evidence
    support: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Denial:
    """A state (through a speaker) rejecting a platform's attribution, as one article reports it."""

    state: str
    speaker: str | None
    denies_claim_of: tuple[str, ...]
    quote: str
    date: date | None
    evidence: Evidence
    support: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class ArticleFacts:
    """Everything extracted from one article (its metadata, not its text)."""

    article: ArticleMeta
    takedowns: tuple[Takedown, ...]
    denials: tuple[Denial, ...]


@dataclass(frozen=True)
class Entity:
    """A canonical actor from the gazetteer (or minted for an unknown name)."""

    key: str
    name: str
    type: str  # platform | state | organisation | person
    state: str | None = None
    wikidata: str | None = None
    aliases: tuple[str, ...] = ()
    role: str | None = None  # e.g. "spokesperson", "state media", "troll farm"


@dataclass(frozen=True)
class TakedownEvent(_Attributed):
    """One real-world takedown, merged across every article that reports it."""

    key: str
    platform: str
    network: str
    counts: Counts
    date: date | None
    attributions: tuple[Attribution, ...]
    actors: tuple[str, ...]
    sources: tuple[Takedown, ...]
    merged_on: tuple[str, ...] = ()  # the keys that agreed when its sources were merged


@dataclass(frozen=True)
class DenialEvent:
    """One denial; ``claim_keys`` name the takedown events whose attribution it rejects."""

    key: str
    state: str
    speaker: str | None
    denies_claim_of: tuple[str, ...]
    quote: str
    date: date | None
    sources: tuple[Denial, ...]
    claim_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class Corpus:
    """The resolved corpus: what the graph stage turns into RDF."""

    articles: tuple[ArticleMeta, ...]
    takedowns: tuple[TakedownEvent, ...]
    denials: tuple[DenialEvent, ...]
    entities: tuple[Entity, ...] = field(default=())
