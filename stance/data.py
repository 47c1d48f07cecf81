"""The data model every pipeline stage reads and writes: Article → Claim → Mention → Stance.

Objects are frozen dataclasses; a stage returns a new object (``dataclasses.replace``)
instead of mutating its input, so a half-failed stage can never leave an article
partly annotated. All spans are character offsets into ``Article.text``, the text as
it was read, so every claim can be checked against the original article.

Times are UTC: ``published`` is timezone-aware UTC (``as_utc``); a date or datetime given
without an offset is taken as UTC, so one instant always lands in one day and aware and
naive values never meet in a sort.

``None`` versus empty: ``published is None`` means the date is unknown; ``claims == ()``
means the article was segmented and holds no claim, whereas an article that has not
been segmented yet also has ``()`` but ``segmented is False``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timezone


# Kinds of actor the registry knows; holder rules name the kinds a pronoun can refer to.
ACTOR_KINDS = ("state", "person", "organisation", "group")


class Label(str, enum.Enum):
    """Stance labels of docs/annotation-guidelines.md, in the classifier's output order."""

    SUPPORT = "support"
    CRITICAL = "critical"
    NEUTRAL = "neutral"
    DENY = "deny"
    NONE = "none"

    @classmethod
    def values(cls) -> list[str]:
        return [label.value for label in cls]



def as_utc(moment: datetime | None) -> datetime | None:
    """``moment`` as an aware UTC datetime; a naive one is taken to be UTC already."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)

@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` into ``Article.text``."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")


@dataclass(frozen=True)
class Mention:
    """A surface mention of a registry actor inside a claim.

    ``actor_id`` is the canonical registry id the linker resolved the mention to.
    ``via`` says how a mention that is not a registry alias got its actor: ``pronoun``
    ("he said"), ``role`` ("the ministry said"), ``descriptor`` ("the Brazilian ministry"),
    ``possessive`` ("Egypt's foreign minister") or ``discovered`` (a named entity outside
    the registry); ``None`` for alias matches.
    """

    start: int
    end: int
    text: str
    actor_id: str
    via: str | None = None


ROLES = ("source", "cue", "content")


@dataclass(frozen=True)
class Attribution:
    """Who a claim is attributed to and how: PolNeAR's source, cue and content roles.

    Every role is a tuple of fragments, because PolNeAR spans can be discontinuous
    ("“We will win,” he said, “in November.”" has two content fragments, and cues such as
    "has … denied" two cue fragments); the gold reader, the tagger and the pipeline all
    use this one type. An empty ``source`` is a sourceless attribution ("It was reported
    that …"). ``holder_id`` is the registry actor the source refers to, once resolved (a
    name in the source, or for pronouns and role nouns the nearest preceding compatible
    actor).
    """

    source: tuple[Span, ...]
    cue: tuple[Span, ...]
    content: tuple[Span, ...]
    holder_id: str | None = None

    def role(self, name: str) -> tuple[Span, ...]:
        return getattr(self, name)

    @property
    def cue_extent(self) -> Span:
        """From the first cue fragment's start to the last one's end."""
        return Span(self.cue[0].start, self.cue[-1].end)

    @property
    def source_extent(self) -> Span | None:
        """From the first source fragment's start to the last one's end; ``None`` if sourceless."""
        return Span(self.source[0].start, self.source[-1].end) if self.source else None


@dataclass(frozen=True)
class DiscoveredActor:
    """A person or organisation found by named-entity recognition that the registry lacks.

    ``id`` is provisional (``x_`` + the name as snake_case), so the same full name is the
    same actor in every article. ``speaks_for`` is the state or organisation its descriptor
    names ("Polish Deputy Foreign Minister …" → ``poland``), ``None`` when it names none.
    """

    id: str
    name: str
    kind: str
    speaks_for: str | None
    example: str


@dataclass(frozen=True)
class Stance:
    """The classifier's judgement of what one mentioned actor holds in one claim.

    ``mention_index`` points into ``Claim.mentions``. ``targets`` are the actor ids
    of the other actors in the claim that hold no stance there (empty for ``none``).
    """

    mention_index: int
    actor_id: str
    label: Label
    confidence: float
    scores: dict[str, float]
    model_id: str
    targets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Proposition:
    """What a claim says, normalised for linking claims across articles.

    ``text`` is the attribution's content (or the claim text when nothing is attributed)
    without quote marks. A claim that only points back at another ("… — claims Beijing has
    strongly denied", "X rejected the allegations") has ``answers``: the index of the claim
    whose proposition it answers, and ``text`` copied from it.
    """

    text: str
    answers: int | None = None


@dataclass(frozen=True)
class Claim:
    """One clause of an article that carries its own assertion or stance."""

    index: int
    sentence_index: int
    start: int
    end: int
    text: str
    mentions: tuple[Mention, ...] = ()
    stances: tuple[Stance, ...] = ()
    attribution: Attribution | None = None
    proposition: Proposition | None = None


@dataclass(frozen=True)
class Article:
    """A news article as read, plus what the pipeline stages have added to it.

    ``body`` lists the spans of ``text`` kept after cleaning (boilerplate and
    duplicate paragraphs dropped); ``None`` means the article has not been cleaned.
    """

    id: str
    text: str
    title: str | None = None
    published: datetime | None = None
    source: str | None = None
    url: str | None = None
    body: tuple[Span, ...] | None = None
    claims: tuple[Claim, ...] = ()
    segmented: bool = False
    # Actors the ``discover`` stage found in this article (mentions point at their ids).
    discovered: tuple[DiscoveredActor, ...] = ()
    origin: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class EvidenceRef:
    """Where a timeline point's evidence lives: one stance in one claim of one article."""

    article_id: str
    claim_index: int
    claim_text: str
    mention: str
    label: Label
    confidence: float
    published: datetime | None = None


@dataclass(frozen=True)
class TimelinePoint:
    """Stance of one actor (optionally toward one target) in one time bucket or window.

    ``counts`` counts hard labels (kernel-weighted in a rolling window); ``shares``
    averages the probability vectors, so a run of low-confidence judgements shows as a
    split share rather than a clean win. ``n`` is the statements behind the point,
    ``intervals`` each label's credible interval of its share, ``dominant`` ``None`` when
    the point is unclear (too little evidence, or the top two labels' intervals overlap),
    ``outlets`` the articles behind it counting wire copies (each copy counts once in
    ``n``).
    """

    actor_id: str
    target_id: str | None
    period: str
    counts: dict[str, float]
    shares: dict[str, float]
    dominant: Label | None
    evidence: tuple[EvidenceRef, ...]
    n: int = 0
    intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    outlets: int = 0


@dataclass(frozen=True)
class ArticleStance:
    """The article-level answer: the stance one actor takes in one article.

    ``label`` is the label with the most confidence-weighted statements, ``confidence`` its
    share of that weight, ``n_claims`` the statements counted and ``evidence`` their claims.
    """

    article_id: str
    published: datetime | None
    actor_id: str
    label: Label
    confidence: float
    n_claims: int
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class StanceRecord:
    """One stance flattened with its article and claim: the row of ``stance export``
    and the input of the aggregator, whether it comes from the store or from memory."""

    article_id: str
    published: datetime | None
    claim_index: int
    claim: str
    mention: str
    actor_id: str
    label: Label
    confidence: float
    scores: dict[str, float]
    targets: tuple[str, ...]
    model_id: str
    holder_id: str | None = None
    cue: str | None = None
    source: str | None = None
    # The tracked claim the statement belongs to (stance.claims), once linked.
    claim_id: int | None = None


def stance_records(article: Article) -> list[StanceRecord]:
    """Flatten an annotated article into one record per stance."""
    return [
        StanceRecord(
            article_id=article.id,
            published=article.published,
            claim_index=claim.index,
            claim=claim.text,
            mention=claim.mentions[stance.mention_index].text,
            actor_id=stance.actor_id,
            label=stance.label,
            confidence=stance.confidence,
            scores=stance.scores,
            targets=stance.targets,
            model_id=stance.model_id,
            **attribution_texts(article.text, claim.attribution),
        )
        for claim in article.claims
        for stance in claim.stances
    ]


def attribution_texts(text: str, attribution: Attribution | None) -> dict:
    """``holder_id``, ``cue`` and ``source`` of a claim's attribution as plain values."""
    if attribution is None:
        return {"holder_id": None, "cue": None, "source": None}
    cue, source = attribution.cue_extent, attribution.source_extent
    return {
        "holder_id": attribution.holder_id,
        "cue": text[cue.start : cue.end],
        "source": text[source.start : source.end] if source else None,
    }
