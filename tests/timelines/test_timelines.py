"""Intervals, the unclear rule, rolling windows, wire-copy dedup and shifts."""

from datetime import datetime, timedelta

import pytest

from stance.config import DedupConfig, ShiftConfig, TimelineConfig
from stance.data import Label, StanceRecord
from stance.timelines.build import build_timeline
from stance.timelines.dedup import find_wire_copies
from stance.timelines.intervals import credible_intervals, dominant_label, overlap_share
from stance.timelines.periods import kernel_weight, parse_window
from stance.timelines.shifts import detect_shifts, shift_to_dict


def said(day, label, article=None, actor="china", confidence=0.9):
    scores = {name: 0.0 for name in Label.values()}
    scores[label] = confidence
    scores["none"] = 1 - confidence
    published = datetime(2023, 1, 1) + timedelta(days=day)
    return StanceRecord(article or f"a{day}", published, 0, f"claim {day}", actor, actor, Label(label), confidence, scores, (), "m")


def test_credible_intervals_are_beta_quantiles():
    # Dirichlet(1,1,1,1) prior, 3 support of 3: support ~ Beta(4, 3), others ~ Beta(1, 6).
    intervals = credible_intervals({"support": 3, "critical": 0, "neutral": 0, "deny": 0})
    assert intervals["support"] == (0.2713, 0.8468)
    assert intervals["critical"] == (0.0085, 0.3930)
    wide, narrow = credible_intervals({"support": 1, "critical": 0}), credible_intervals({"support": 100, "critical": 0})
    assert narrow["support"][1] - narrow["support"][0] < wide["support"][1] - wide["support"][0]


def test_the_unclear_rule():
    counts = {"support": 5, "critical": 1, "neutral": 0, "deny": 0}
    assert dominant_label(counts, credible_intervals(counts), 6, min_evidence=3, max_overlap=0.5) == "support"
    # Too little evidence.
    assert dominant_label(counts, credible_intervals(counts), 6, min_evidence=7, max_overlap=0.5) is None
    # A split: 4 against 3, the intervals overlap almost wholly.
    split = {"support": 4, "critical": 3, "neutral": 0, "deny": 0}
    assert overlap_share(*(credible_intervals(split)[l] for l in ("support", "critical"))) > 0.5
    assert dominant_label(split, credible_intervals(split), 7, min_evidence=3, max_overlap=0.5) is None
    assert dominant_label(split, credible_intervals(split), 7, min_evidence=3, max_overlap=1.0) == "support"


def test_points_carry_n_intervals_and_unclear_dominants():
    records = [said(d, "critical") for d in range(5)] + [said(40, "support")]
    points = build_timeline(records, {"china"}, freq="M")
    assert [(p.period, p.n, p.dominant) for p in points] == [("2023-01", 5, Label.CRITICAL), ("2023-02", 1, None)]
    assert points[0].intervals["critical"][0] > points[0].intervals["support"][1]
    assert [p.period for p in build_timeline(records, {"china"}, freq="Q")] == ["2023-Q1"]
    assert [p.period for p in build_timeline(records, {"china"}, freq="Y")] == ["2023"]


def test_rolling_window_points_are_kernel_weighted():
    assert parse_window("30d") == 30 and parse_window("2w") == 14
    with pytest.raises(ValueError, match="window must look like"):
        parse_window("a month")
    assert kernel_weight(0, 10, "gaussian") == 1.0 and kernel_weight(6, 10, "gaussian") == 0.0
    assert kernel_weight(2.5, 10, "triangular") == 0.5 and kernel_weight(2.5, 10, "epanechnikov") == 0.75
    records = [said(0, "critical"), said(2, "support")]
    points = build_timeline(records, {"china"}, window_days=4, settings=TimelineConfig(kernel="triangular"))
    assert [p.period for p in points] == ["2023-01-01", "2023-01-02", "2023-01-03"]
    # Day 2 is 1 day from each statement: weight 1 - 1/2 each; the ends see one statement.
    assert points[1].counts == {"support": 0.5, "critical": 0.5, "neutral": 0, "deny": 0} and points[1].n == 2
    assert points[0].counts["critical"] == 1 and points[0].n == 1


TEXT = ("Chinese President Xi Jinping will make a state visit to Moscow next week, where he will hold talks "
        "with his strategic ally Vladimir Putin just over a year into the war in Ukraine, the Kremlin said.")


def test_wire_copies_count_once_and_keep_their_outlet_count():
    articles = [
        ("wire-1", TEXT, "2023-03-17"),
        ("copy-2", TEXT + " (AFP)", "2023-03-18"),
        ("copy-3", "Published by a partner. " + TEXT, "2023-03-18"),
        ("other", "Oil prices rose on Friday after producers agreed to extend output cuts into the summer months.", "2023-03-17"),
    ]
    wire = find_wire_copies(articles, DedupConfig())
    assert wire.representative == {"wire-1": "wire-1", "other": "other", "copy-2": "wire-1", "copy-3": "wire-1"}
    assert wire.copies == {"wire-1": 3, "other": 1}
    records = [said(75, "critical", article=a) for a in ("wire-1", "copy-2", "copy-3")] + [said(75, "critical", article="other")]
    (point,) = build_timeline(records, {"china"}, freq="M", wire=wire)
    assert (point.n, point.outlets, point.counts["critical"]) == (2, 4, 2)
    (undeduplicated,) = build_timeline(records, {"china"}, freq="M")
    assert (undeduplicated.n, undeduplicated.outlets) == (4, 4)
    assert find_wire_copies(articles, DedupConfig(threshold=1.0)).copies["wire-1"] == 1


def test_a_shift_on_a_synthetic_series_has_exact_dates_and_evidence():
    labels = ["critical"] * 5 + ["support"] * 5
    records = [said(3 * i, label) for i, label in enumerate(labels)]
    (shift,) = detect_shifts(records, ShiftConfig(penalty=1.25, min_evidence=3), "china", "nato")
    row = shift_to_dict(shift)
    assert (row["from"], row["to"], row["last_before"], row["first_after"], row["at"]) == (
        "critical", "support", "2023-01-13", "2023-01-16", "2023-01-14")
    assert [e["article_id"] for e in row["evidence_before"]] == ["a6", "a9", "a12"]
    assert [e["article_id"] for e in row["evidence_after"]] == ["a15", "a18", "a21"]
    assert row["score"] == pytest.approx(5 * 5 / 10 * 2 * 0.9**2 / 0.9**2, abs=1e-3)


def test_no_shift_without_enough_evidence_on_each_side_or_without_a_change():
    assert detect_shifts([said(i, "critical") for i in range(12)], ShiftConfig(), "china") == []
    two_then_many = [said(0, "critical"), said(1, "critical")] + [said(2 + i, "support") for i in range(8)]
    assert detect_shifts(two_then_many, ShiftConfig(min_evidence=3), "china") == []
