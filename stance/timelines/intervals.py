"""How sure a point is: Dirichlet credible intervals of label shares, and the "unclear" rule.

With counts ``c`` over K labels and a symmetric Dirichlet(``prior``) prior, the posterior of
the shares is Dirichlet(c + prior); each label's share is marginally
Beta(c_k + prior, n + K·prior − c_k − prior), whose equal-tailed quantiles give the interval.
Counts may be fractional (kernel-weighted windows).
"""

from __future__ import annotations

from scipy.stats import beta


def credible_intervals(counts: dict[str, float], level: float = 0.9, prior: float = 1.0) -> dict[str, tuple[float, float]]:
    """``level`` equal-tailed interval of each label's share."""
    total = sum(counts.values()) + prior * len(counts)
    tail = (1 - level) / 2
    intervals = {}
    for label, count in counts.items():
        a, b = count + prior, total - count - prior
        intervals[label] = (round(float(beta.ppf(tail, a, b)), 4), round(float(beta.ppf(1 - tail, a, b)), 4))
    return intervals


def overlap_share(first: tuple[float, float], second: tuple[float, float]) -> float:
    """Length of the two intervals' overlap over the shorter one's length."""
    shared = min(first[1], second[1]) - max(first[0], second[0])
    shorter = min(first[1] - first[0], second[1] - second[0])
    return max(0.0, shared) / shorter if shorter > 0 else float(shared >= 0)


def dominant_label(
    counts: dict[str, float], intervals: dict[str, tuple[float, float]], n: float, min_evidence: float, max_overlap: float
) -> str | None:
    """The most frequent label, or ``None`` ("unclear") when fewer than ``min_evidence``
    statements back the point, or when the top two labels' intervals overlap by more than
    ``max_overlap`` of the shorter one."""
    if n < min_evidence or not counts:
        return None
    ranked = sorted(counts, key=lambda label: -counts[label])
    if len(ranked) > 1 and overlap_share(intervals[ranked[0]], intervals[ranked[1]]) > max_overlap:
        return None
    return ranked[0]
