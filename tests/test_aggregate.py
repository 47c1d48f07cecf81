from datetime import datetime

import pytest

from stance.aggregate import build_timeline, period_of
from stance.data import Label, StanceRecord


def _record(day, actor, label, scores=None, targets=(), article="a"):
    scores = scores or {l: (1.0 if l == label else 0.0) for l in Label.values()}
    return StanceRecord(
        article_id=article,
        published=datetime(2023, 3, day) if day else None,
        claim_index=day or 0,
        claim=f"claim {day}",
        mention=actor,
        actor_id=actor,
        label=Label(label),
        confidence=scores[label],
        scores=scores,
        targets=tuple(targets),
        model_id="m",
    )


@pytest.mark.parametrize("freq, expected", [("D", "2023-03-20"), ("W", "2023-W12"), ("M", "2023-03")])
def test_aggregate_period_names(freq, expected):
    assert period_of(datetime(2023, 3, 20, 15), freq) == expected


def test_aggregate_bad_freq_is_an_error():
    with pytest.raises(ValueError, match="freq must be one of"):
        period_of(datetime(2023, 3, 20), "Y")


def test_aggregate_counts_shares_dominant_and_evidence():
    records = [
        _record(13, "china", "neutral", {"support": 0.1, "critical": 0.0, "neutral": 0.6, "deny": 0.1, "none": 0.2}),
        _record(14, "qin_gang", "neutral"),
        _record(15, "china", "deny"),
        _record(16, "china", "none"),
        _record(20, "china", "critical"),
        _record(21, "russia", "support"),
    ]
    points = build_timeline(records, {"china", "qin_gang"}, freq="W", actor_label="china")
    assert [p.period for p in points] == ["2023-W11", "2023-W12"]
    first = points[0]
    assert first.counts == {"support": 0, "critical": 0, "neutral": 2, "deny": 1}
    assert first.dominant is Label.NEUTRAL
    # 0.6/0.8 renormalised without "none", averaged with 1.0 and 0.0
    assert first.shares["neutral"] == pytest.approx((0.75 + 1.0 + 0.0) / 3, abs=1e-4)
    assert sum(first.shares.values()) == pytest.approx(1.0, abs=1e-3)
    assert [e.claim_text for e in first.evidence] == ["claim 13", "claim 14", "claim 15"]
    assert points[1].dominant is Label.CRITICAL and points[1].actor_id == "china"


def test_aggregate_target_filter_and_undated_last():
    records = [
        _record(None, "west", "critical", targets=["china"]),
        _record(2, "west", "critical", targets=["russia"]),
        _record(3, "west", "support", targets=["china", "ukraine"]),
    ]
    points = build_timeline(records, {"west"}, target_ids={"china"}, freq="D")
    assert [(p.period, p.dominant.value, p.target_id) for p in points] == [
        ("2023-03-03", "support", "china"),
        ("undated", "critical", "china"),
    ]


def test_aggregate_no_records_no_points():
    assert build_timeline([], {"china"}) == []
