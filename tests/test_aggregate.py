from datetime import datetime

import pytest

from stance.timelines.build import build_timeline
from stance.timelines.periods import period_of
from stance.config import TimelineConfig
from stance.data import Label, StanceRecord

# The old rule: always a dominant label, however thin or split the evidence.
ALWAYS_DECIDE = TimelineConfig(min_evidence=0, max_overlap=1.0)


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


@pytest.mark.parametrize(
    "freq, expected", [("D", "2023-03-20"), ("W", "2023-W12"), ("M", "2023-03"), ("Q", "2023-Q1"), ("Y", "2023")]
)
def test_aggregate_period_names(freq, expected):
    assert period_of(datetime(2023, 3, 20, 15), freq) == expected


def test_period_edges():
    # ISO week 1 of 2021 starts on 4 January; 2021-01-01 is in 2020-W53.
    assert period_of(datetime(2021, 1, 1), "W") == "2020-W53"
    assert [period_of(datetime(2023, m, 1), "Q") for m in (1, 3, 4, 6, 7, 9, 10, 12)] == [
        "2023-Q1", "2023-Q1", "2023-Q2", "2023-Q2", "2023-Q3", "2023-Q3", "2023-Q4", "2023-Q4"]
    assert period_of(None, "Q") == "undated"


def test_aggregate_bad_freq_is_an_error():
    with pytest.raises(ValueError, match="freq must be one of"):
        period_of(datetime(2023, 3, 20), "H")


def test_aggregate_counts_shares_dominant_and_evidence():
    records = [
        _record(13, "china", "neutral", {"support": 0.1, "critical": 0.0, "neutral": 0.6, "deny": 0.1, "none": 0.2}),
        _record(14, "qin_gang", "neutral"),
        _record(15, "china", "deny"),
        _record(16, "china", "none"),
        _record(20, "china", "critical"),
        _record(21, "russia", "support"),
    ]
    points = build_timeline(records, {"china", "qin_gang"}, freq="W", actor_label="china", settings=ALWAYS_DECIDE)
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
    points = build_timeline(records, {"west"}, target_ids={"china"}, freq="D", settings=ALWAYS_DECIDE)
    assert [(p.period, p.dominant.value, p.target_id) for p in points] == [
        ("2023-03-03", "support", "china"),
        ("undated", "critical", "china"),
    ]


def test_aggregate_no_records_no_points():
    assert build_timeline([], {"china"}) == []


def _said(claim, actor, label, confidence, holder=None, article="a"):
    """A record of ``actor`` in claim ``claim`` whose attribution holder is ``holder``."""
    scores = {l: 0.0 for l in Label.values()}
    scores[label] = confidence
    return StanceRecord(
        article_id=article, published=datetime(2023, 3, 20), claim_index=claim, claim=f"claim {claim}",
        mention=actor, actor_id=actor, label=Label(label), confidence=confidence, scores=scores,
        targets=(), model_id="m", holder_id=holder,
    )


PRINCIPAL = {"narendra_modi": "india", "india": "india", "china": "china", "wang_wenbin": "china"}.get


def test_a_statement_counts_once_and_the_holder_outranks_mentions_in_the_content():
    from stance.aggregate import statements

    # "Modi has repeatedly said that India supports ...": Modi is the holder, India is in his content.
    records = [
        _said(1, "narendra_modi", "neutral", 0.6, holder="narendra_modi"),
        _said(1, "india", "support", 0.9, holder="narendra_modi"),
        _said(2, "india", "none", 0.8),
        _said(2, "china", "critical", 0.7),
        _said(2, "india", "critical", 0.5),
    ]
    chosen = statements(records, PRINCIPAL)
    assert [(r.claim_index, r.actor_id, r.label.value) for r in chosen] == [
        (1, "narendra_modi", "neutral"),  # the holder's own judgement, not the more confident mention
        (2, "india", "critical"),  # no holder: a stance beats none
        (2, "china", "critical"),
    ]


def test_article_stances_weigh_statements_by_confidence_and_roll_up_speakers():
    from stance.aggregate import article_stances

    records = [
        _said(1, "wang_wenbin", "deny", 0.9, holder="wang_wenbin"),
        _said(1, "china", "support", 0.95, holder="wang_wenbin"),
        _said(2, "china", "critical", 0.6),
        _said(3, "china", "critical", 0.5),
        _said(4, "china", "none", 0.99),
        _said(1, "china", "support", 0.8, article="b"),
    ]
    rows = article_stances(records, PRINCIPAL)
    assert [(r.article_id, r.actor_id, r.label.value, r.confidence, r.n_claims, r.evidence) for r in rows] == [
        ("a", "china", "critical", round(1.1 / 2.0, 4), 3, ("claim 1", "claim 2", "claim 3")),
        ("b", "china", "support", 1.0, 1, ("claim 1",)),
    ]


def test_a_timeline_counts_a_claim_once_for_an_actor_and_its_affiliates():
    records = [
        _said(1, "wang_wenbin", "deny", 0.9, holder="wang_wenbin"),
        _said(1, "china", "support", 0.95, holder="wang_wenbin"),
    ]
    (point,) = build_timeline(records, {"china", "wang_wenbin"}, freq="D", actor_label="china")
    assert point.counts == {"support": 0, "critical": 0, "neutral": 0, "deny": 1}
    assert [e.mention for e in point.evidence] == ["wang_wenbin"]
