"""Stance shifts: where an actor's stance series changes, with the evidence on each side.

The series is one vector per statement, in time order: the classifier's probabilities of
the four stance labels (renormalised without none). PELT (``ruptures``, exact search with
pruning) finds the change points that minimise the squared-error cost of the segments plus
``penalty`` per change; every segment holds at least ``min_evidence`` statements. A change
is a shift when the dominant label differs on its two sides and at least ``min_evidence``
statements hold the old label before it and the new one after it; its ``score`` is the cost it
saves (statements on each side times the squared distance between their mean vectors,
scaled by n). The penalty is calibrated on synthetic series (``stance eval-shifts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from stance.aggregate import STANCE_LABELS
from stance.config import ShiftConfig
from stance.data import StanceRecord

LABELS = [label.value for label in STANCE_LABELS]


@dataclass(frozen=True)
class Shift:
    """One detected change of stance: ``from_label`` → ``to_label`` between the statements
    at ``last_before`` and ``first_after``; ``at`` is the day halfway between them."""

    actor_id: str
    target_id: str | None
    from_label: str
    to_label: str
    at: date
    last_before: date
    first_after: date
    index: int
    score: float
    evidence_before: tuple[StanceRecord, ...]
    evidence_after: tuple[StanceRecord, ...]


def stance_vectors(records: list[StanceRecord]) -> np.ndarray:
    rows = []
    for record in records:
        vector = np.array([record.scores.get(label, 0.0) for label in LABELS], dtype=float)
        total = vector.sum()
        rows.append(vector / total if total > 0 else np.eye(len(LABELS))[LABELS.index(record.label.value)])
    return np.array(rows).reshape(-1, len(LABELS))


def change_points(signal: np.ndarray, config: ShiftConfig) -> list[int]:
    """Indices where a new segment starts (PELT, l2 cost)."""
    import ruptures

    if len(signal) < 2 * config.min_evidence:
        return []
    ends = ruptures.Pelt(model="l2", min_size=config.min_evidence, jump=1).fit(signal).predict(pen=config.penalty)
    return [end for end in ends if end < len(signal)]


def detect_shifts(
    statements: list[StanceRecord], config: ShiftConfig, actor_id: str, target_id: str | None = None, evidence: int = 3
) -> list[Shift]:
    """Shifts in ``statements`` (dated, in time order; ``stance.timelines.build.timeline_statements``)."""
    dated = [r for r in statements if r.published is not None]
    signal = stance_vectors(dated)
    bounds = [0, *change_points(signal, config), len(dated)]
    shifts = []
    for start, cut, end in zip(bounds, bounds[1:], bounds[2:]):
        before, after = signal[start:cut], signal[cut:end]
        from_label, to_label = LABELS[int(before.sum(0).argmax())], LABELS[int(after.sum(0).argmax())]
        held_before = sum(r.label.value == from_label for r in dated[start:cut])
        held_after = sum(r.label.value == to_label for r in dated[cut:end])
        # Evidence on each side: enough statements that hold the old and the new stance.
        if from_label == to_label or min(held_before, held_after) < config.min_evidence:
            continue
        last, first = dated[cut - 1].published.date(), dated[cut].published.date()
        gain = len(before) * len(after) / (len(before) + len(after)) * float(((before.mean(0) - after.mean(0)) ** 2).sum())
        shifts.append(
            Shift(
                actor_id, target_id, from_label, to_label, last + (first - last) / 2, last, first, cut, round(gain, 4),
                tuple(dated[max(start, cut - evidence) : cut]), tuple(dated[cut : min(end, cut + evidence)]),
            )
        )
    return shifts


def shift_to_dict(shift: Shift) -> dict:
    """The `stance shifts` row: ISO dates, evidence as claims with their article ids."""

    def claims(records):
        return [
            {"article_id": r.article_id, "published": r.published.date().isoformat(), "claim": r.claim, "label": r.label.value}
            for r in records
        ]

    return {
        "actor_id": shift.actor_id,
        "target_id": shift.target_id,
        "from": shift.from_label,
        "to": shift.to_label,
        "at": shift.at.isoformat(),
        "last_before": shift.last_before.isoformat(),
        "first_after": shift.first_after.isoformat(),
        "score": shift.score,
        "evidence_before": claims(shift.evidence_before),
        "evidence_after": claims(shift.evidence_after),
    }
