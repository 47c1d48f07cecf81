"""From stance records to answers: statements, article-level stances and timelines (pure, no I/O).

The counting rule: a *statement* is one claim of one actor, counted once. When a claim
mentions an actor several times ("Modi has repeatedly said that India supports …" gives
Modi, then India inside his content), the holder's own judgement outranks the mentions in
the content; without the holder, the most confident stance speaks for the claim.
``none`` judgements are not stances and never count, so an actor that is only talked
about has no row and no timeline.

A timeline point gives, for one time bucket, how many statements took each stance (hard
counts), the mean probability of each label (shares), the dominant label and the
evidence behind it. An article-level answer weighs each statement by its confidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime

from stance.data import ArticleStance, EvidenceRef, Label, StanceRecord, TimelinePoint

FREQUENCIES = ("D", "W", "M")
UNDATED = "undated"
STANCE_LABELS = [label for label in Label if label is not Label.NONE]


def period_of(published: datetime | None, freq: str) -> str:
    """Bucket name: ``2023-03-17`` (D), ``2023-W11`` (ISO week, W) or ``2023-03`` (M)."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {FREQUENCIES}, got {freq!r}")
    if published is None:
        return UNDATED
    if freq == "D":
        return published.date().isoformat()
    if freq == "W":
        year, week, _ = published.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{published.year}-{published.month:02d}"


def build_timeline(
    records: Iterable[StanceRecord],
    actor_ids: set[str],
    target_ids: set[str] | None = None,
    freq: str = "W",
    actor_label: str | None = None,
    target_label: str | None = None,
) -> list[TimelinePoint]:
    """Timeline of the stances held by any of ``actor_ids``.

    Args:
        records: stance records (from the store or from annotated articles).
        actor_ids: actor ids whose stances count (an actor plus affiliates / group members).
        target_ids: if given, keep only stances whose targets include one of these ids.
        freq: ``D``, ``W`` or ``M``.
        actor_label, target_label: ids to put on the points (default: the smallest id given).

    Returns:
        Points in time order; undated articles form a last ``undated`` point.
    """
    buckets: dict[str, list[StanceRecord]] = defaultdict(list)
    held = [record for record in records if record.actor_id in actor_ids]
    # Every id in actor_ids (an actor and its affiliates) is the same actor here.
    for record in statements(held, actor_of=lambda actor_id: "actor"):
        if record.label is Label.NONE:
            continue
        if target_ids is not None and not target_ids.intersection(record.targets):
            continue
        buckets[period_of(record.published, freq)].append(record)
    actor_label = actor_label or min(actor_ids)
    if target_ids is not None and target_label is None:
        target_label = min(target_ids)
    ordered = sorted(buckets, key=lambda period: (period == UNDATED, period))
    return [_point(actor_label, target_label, period, buckets[period]) for period in ordered]


def statements(records: Iterable[StanceRecord], actor_of: Callable[[str], str] = lambda actor_id: actor_id) -> list[StanceRecord]:
    """One record per statement, i.e. per (article, claim, ``actor_of(actor_id)``).

    Among the records of one statement, the holder's own judgement wins (the record whose
    actor is the claim's holder); otherwise the most confident stance, ``none`` last. The
    chosen records keep the order of their statements' first records.
    """
    groups: dict[tuple, list[StanceRecord]] = defaultdict(list)
    for record in records:
        groups[(record.article_id, record.claim_index, actor_of(record.actor_id))].append(record)
    chosen = []
    for group in groups.values():
        held = [r for r in group if r.holder_id is not None and r.actor_id == r.holder_id]
        chosen.append(max(held or group, key=lambda r: (r.label is not Label.NONE, r.confidence)))
    return chosen


def article_stances(records: Iterable[StanceRecord], actor_of: Callable[[str], str] = lambda actor_id: actor_id) -> list[ArticleStance]:
    """The stance each actor takes in each article: its statements (``statements``) weighed
    by confidence; ``actor_of`` rolls speakers up (a spokesman to the state he speaks for)."""
    rows: dict[tuple[str, str], list[StanceRecord]] = defaultdict(list)
    for record in statements(records, actor_of):
        if record.label is not Label.NONE:
            rows[(record.article_id, actor_of(record.actor_id))].append(record)
    answers = []
    for (article_id, actor_id), counted in rows.items():
        weight = {label: 0.0 for label in STANCE_LABELS}
        for record in counted:
            weight[record.label] += record.confidence
        label = max(STANCE_LABELS, key=lambda candidate: weight[candidate])
        answers.append(
            ArticleStance(
                article_id=article_id,
                published=counted[0].published,
                actor_id=actor_id,
                label=label,
                confidence=round(weight[label] / sum(weight.values()), 4),
                n_claims=len(counted),
                evidence=tuple(dict.fromkeys(record.claim for record in counted)),
            )
        )
    return answers


def _point(actor_id: str, target_id: str | None, period: str, records: list[StanceRecord]) -> TimelinePoint:
    counts = {label.value: 0 for label in STANCE_LABELS}
    totals = {label.value: 0.0 for label in STANCE_LABELS}
    for record in records:
        counts[record.label.value] += 1
        mass = sum(record.scores.get(label.value, 0.0) for label in STANCE_LABELS) or 1.0
        for label in STANCE_LABELS:
            # Renormalise without "none": the record is known to hold a stance.
            totals[label.value] += record.scores.get(label.value, 0.0) / mass
    shares = {label: round(total / len(records), 4) for label, total in totals.items()}
    dominant = max(STANCE_LABELS, key=lambda label: (counts[label.value], shares[label.value]))
    evidence = tuple(
        EvidenceRef(
            article_id=r.article_id,
            claim_index=r.claim_index,
            claim_text=r.claim,
            mention=r.mention,
            label=r.label,
            confidence=r.confidence,
        )
        for r in records
    )
    return TimelinePoint(actor_id, target_id, period, counts, shares, dominant, evidence)
