"""Timeline points from stance records: per bucket or per rolling-window day.

Statements are counted by ``stance.aggregate.statements`` (one per claim and actor, the
holder's own judgement first; ``none`` never counts). Each point carries its counts, the
mean probability shares, ``n``, the credible interval of each label's share and a dominant
label that is ``None`` ("unclear") when the evidence is thin or split
(``stance.timelines.intervals``). With wire copies given, only a story's representative
article counts, and ``outlets`` tells how many articles stood behind the point.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from stance.aggregate import STANCE_LABELS, statements
from stance.config import TimelineConfig
from stance.data import EvidenceRef, Label, StanceRecord, TimelinePoint
from stance.timelines.dedup import WireCopies
from stance.timelines.intervals import credible_intervals, dominant_label
from stance.timelines.periods import UNDATED, days_between, kernel_weight, period_of


def timeline_statements(
    records: Iterable[StanceRecord],
    actor_ids: set[str],
    target_ids: set[str] | None = None,
    wire: WireCopies | None = None,
) -> list[StanceRecord]:
    """The statements a timeline counts: held by one of ``actor_ids`` (one actor with its
    affiliates), with a stance, toward one of ``target_ids`` if given, from a counting
    article; in time order."""
    held = [r for r in records if r.actor_id in actor_ids and (wire is None or wire.counts(r.article_id))]
    kept = [
        r
        for r in statements(held, actor_of=lambda actor_id: "actor")
        if r.label is not Label.NONE and (target_ids is None or target_ids.intersection(r.targets))
    ]
    return sorted(kept, key=lambda r: (r.published is None, r.published or 0, r.article_id, r.claim_index))


def build_timeline(
    records: Iterable[StanceRecord],
    actor_ids: set[str],
    target_ids: set[str] | None = None,
    freq: str = "W",
    actor_label: str | None = None,
    target_label: str | None = None,
    settings: TimelineConfig = TimelineConfig(),
    window_days: int | None = None,
    wire: WireCopies | None = None,
) -> list[TimelinePoint]:
    """Timeline of the stances held by any of ``actor_ids``.

    Args:
        records: stance records (from the store or from annotated articles).
        actor_ids: actor ids whose stances count (an actor plus affiliates / group members).
        target_ids: if given, keep only stances whose targets include one of these ids.
        freq: ``D``, ``W``, ``M``, ``Q`` or ``Y`` buckets (ignored with ``window_days``).
        actor_label, target_label: ids to put on the points (default: the smallest id given).
        window_days: a rolling window instead of buckets: one point per day from the first
            to the last statement, statements weighed by ``settings.kernel``.
        wire: wire copies (``find_wire_copies``); only representatives count.

    Returns:
        Points in time order; undated statements form a last ``undated`` point.
    """
    kept = timeline_statements(records, actor_ids, target_ids, wire)
    actor_label = actor_label or min(actor_ids)
    if target_ids is not None and target_label is None:
        target_label = min(target_ids)

    def point(period: str, weighted: list[tuple[StanceRecord, float]]) -> TimelinePoint:
        return _point(actor_label, target_label, period, weighted, settings, wire)

    if window_days is not None:
        dated = [r for r in kept if r.published is not None]
        if not dated:
            return []
        points = []
        for day in days_between(dated[0].published.date(), dated[-1].published.date()):
            weighted = [(r, kernel_weight((r.published.date() - day).days, window_days, settings.kernel)) for r in dated]
            weighted = [(r, w) for r, w in weighted if w > 0]
            if weighted:
                points.append(point(day.isoformat(), weighted))
        return points
    buckets: dict[str, list[tuple[StanceRecord, float]]] = defaultdict(list)
    for record in kept:
        buckets[period_of(record.published, freq)].append((record, 1.0))
    ordered = sorted(buckets, key=lambda period: (period == UNDATED, period))
    return [point(period, buckets[period]) for period in ordered]


def _point(actor_id, target_id, period, weighted, settings: TimelineConfig, wire: WireCopies | None) -> TimelinePoint:
    counts = {label.value: 0.0 for label in STANCE_LABELS}
    totals = {label.value: 0.0 for label in STANCE_LABELS}
    for record, weight in weighted:
        counts[record.label.value] += weight
        mass = sum(record.scores.get(label.value, 0.0) for label in STANCE_LABELS) or 1.0
        for label in STANCE_LABELS:
            # Renormalise without "none": the record is known to hold a stance.
            totals[label.value] += weight * record.scores.get(label.value, 0.0) / mass
    weight_sum = sum(weight for _, weight in weighted)
    shares = {label: round(total / weight_sum, 4) for label, total in totals.items()}
    counts = {label: (int(c) if c == int(c) else round(c, 3)) for label, c in counts.items()}
    intervals = credible_intervals(counts, settings.interval, settings.prior)
    dominant = dominant_label(counts, intervals, weight_sum, settings.min_evidence, settings.max_overlap)
    evidence = tuple(
        EvidenceRef(r.article_id, r.claim_index, r.claim, r.mention, r.label, r.confidence, r.published)
        for r, _ in weighted
    )
    articles = {r.article_id for r, _ in weighted}
    outlets = sum(wire.copies.get(a, 1) for a in articles) if wire is not None else len(articles)
    return TimelinePoint(
        actor_id, target_id, period, counts, shares, Label(dominant) if dominant else None, evidence,
        n=len(weighted), intervals=intervals, outlets=outlets,
    )
