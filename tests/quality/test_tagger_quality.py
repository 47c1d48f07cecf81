"""The committed attribution tagger on PolNeAR dev (the CI evaluation), against the bars
of configs/eval.yaml (section `tagger_gates`). Slow: tags all 84 dev articles."""

import pytest

from stance.attribution.evaluator import gate_checks, tagger_eval
from stance.evaluation import failed_checks

pytestmark = pytest.mark.slow

ROLES = ("source", "cue", "content")
CUE_CHECK = "cue exact F1"


@pytest.fixture(scope="module")
def dev_report():
    from tests.conftest import SHARED_DATA

    polnear = SHARED_DATA / "polnear"
    if not polnear.exists():
        pytest.skip(f"PolNeAR not available at {polnear}")
    from stance.attribution.model import AttributionTagger

    return tagger_eval("dev", polnear, AttributionTagger.load())


@pytest.fixture(scope="module")
def checks(dev_report, eval_config):
    return gate_checks(dev_report, eval_config.tagger_gates)


def test_segment_eval_report_has_the_documented_keys(dev_report):
    for report in (dev_report, dev_report["baseline"]):
        for role in ROLES:
            assert {"exact_f1", "token_f1"} <= set(report[role])
            assert 0.0 <= report[role]["exact_f1"] <= 1.0
        assert 0.0 <= report["attribution_f1"] <= 1.0
    assert dev_report["articles"] == 84 and dev_report["split"] == "dev"


def test_rule_baseline_finds_no_source_cue_or_relation(dev_report):
    baseline = dev_report["baseline"]
    assert baseline["source"]["token_f1"] == 0.0 and baseline["cue"]["token_f1"] == 0.0
    assert baseline["attribution_f1"] == 0.0
    assert baseline["content"]["token_f1"] > 0.3  # sentences overlap contents a lot


def test_tagger_meets_the_content_and_source_targets_on_dev(checks, eval_config):
    # Every bar of configs/eval.yaml is checked: these three here, the cue bar below.
    gates = eval_config.tagger_gates
    assert [(c.name, c.op, c.bound) for c in checks] == [
        ("content token-F1", ">=", gates.min_content_token_f1),
        (CUE_CHECK, ">=", gates.min_cue_exact_f1),
        ("source exact F1", ">=", gates.min_source_exact_f1),
        ("content token-F1 over baseline", ">=", gates.min_content_gain_over_rules),
    ]
    assert failed_checks([c for c in checks if c.name != CUE_CHECK]) == []


# Not met yet (issue 4 note): cue exact F1 0.691 on dev with the committed tagger (token F1
# 0.719). strict=True: when a tagger reaches the target this XPASS fails the suite, so the
# marker must go and the target is enforced from then on.
@pytest.mark.xfail(strict=True, reason="issue 4: cue exact F1 0.691 < target 0.80 on PolNeAR dev")
def test_tagger_meets_the_cue_target_on_dev(checks):
    (cue,) = [c for c in checks if c.name == CUE_CHECK]
    assert cue.met, failed_checks([cue])
