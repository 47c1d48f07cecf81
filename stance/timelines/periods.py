"""Time buckets and rolling windows.

Buckets: ``D`` 2023-03-20, ``W`` 2023-W12 (ISO week), ``M`` 2023-03, ``Q`` 2023-Q1, ``Y`` 2023.
A rolling window (``30d``) instead gives one point per day with statements weighed by a
kernel of their distance to that day, as Discourse Network Analyzer's time-window
smoothing does: nearby statements count fully, the window's edges barely.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

FREQUENCIES = ("D", "W", "M", "Q", "Y")
KERNELS = ("uniform", "triangular", "epanechnikov", "gaussian")
UNDATED = "undated"
_WINDOW = re.compile(r"^(\d+)([dw])$")


def period_of(published: datetime | date | None, freq: str) -> str:
    """The bucket label of a date (``undated`` for none)."""
    if freq not in FREQUENCIES:
        raise ValueError(f"freq must be one of {FREQUENCIES}, got {freq!r}")
    if published is None:
        return UNDATED
    day = published.date() if isinstance(published, datetime) else published
    if freq == "D":
        return day.isoformat()
    if freq == "W":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if freq == "M":
        return f"{day.year}-{day.month:02d}"
    if freq == "Q":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


def parse_window(text: str) -> int:
    """Days of a window given as ``30d`` or ``4w``."""
    match = _WINDOW.match(text.strip().lower())
    if not match or int(match.group(1)) < 1:
        raise ValueError(f"window must look like 30d or 4w, got {text!r}")
    return int(match.group(1)) * (7 if match.group(2) == "w" else 1)


def kernel_weight(offset_days: float, window_days: int, kernel: str) -> float:
    """Weight of a statement ``offset_days`` from a window's centre; 0 outside the window
    (the gaussian's standard deviation is a quarter of the window, cut at its edges)."""
    half = window_days / 2
    u = abs(offset_days) / half if half else 0.0
    if u > 1:
        return 0.0
    if kernel == "uniform":
        return 1.0
    if kernel == "triangular":
        return 1.0 - u
    if kernel == "epanechnikov":
        return 1.0 - u * u
    if kernel == "gaussian":
        return math.exp(-0.5 * (2 * u) ** 2)
    raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
