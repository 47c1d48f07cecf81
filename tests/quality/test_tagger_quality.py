"""The attribution tagger on PolNeAR dev (the CI evaluation) and the segment-eval command."""

import json

import pytest
from click.testing import CliRunner

from stance.cli import cli
from stance.attribution.evaluator import evaluate_rule_baseline, tagger_eval

ROLES = ("source", "cue", "content")


@pytest.fixture(scope="module")
def dev_report():
    from tests.conftest import SHARED_DATA

    polnear = SHARED_DATA / "polnear"
    if not polnear.exists():
        pytest.skip(f"PolNeAR not available at {polnear}")
    from stance.attribution.model import AttributionTagger

    return tagger_eval("dev", polnear, AttributionTagger.load())


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


def test_tagger_meets_the_content_and_source_targets_on_dev(dev_report):
    assert dev_report["content"]["token_f1"] >= 0.75
    assert dev_report["source"]["exact_f1"] >= 0.70
    assert dev_report["content"]["token_f1"] - dev_report["baseline"]["content"]["token_f1"] >= 0.10


# Not met yet (issue 4 note): cue exact F1 0.691 on dev with the committed tagger (token F1
# 0.719). strict=True: when a tagger reaches the target this XPASS fails the suite, so the
# marker must go and the target is enforced from then on.
@pytest.mark.xfail(strict=True, reason="issue 4: cue exact F1 0.691 < target 0.80 on PolNeAR dev")
def test_tagger_meets_the_cue_target_on_dev(dev_report):
    assert dev_report["cue"]["exact_f1"] >= 0.80


def test_segment_eval_cli_json_and_limit(polnear_dir):
    result = CliRunner().invoke(cli, ["segment-eval", "--split", "dev", "--limit", "2", "--format", "json",
                                      "--polnear", str(polnear_dir)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["articles"] == 2 and set(ROLES) <= set(report["baseline"])


def test_segment_eval_cli_names_a_missing_data_folder(tmp_path):
    result = CliRunner().invoke(cli, ["segment-eval", "--polnear", str(tmp_path)])
    assert result.exit_code == 1
    assert "no PolNeAR compartment" in result.output


def test_baseline_on_a_tiny_document():
    from stance.attribution.polnear import AttributionDoc
    from stance.data import Attribution, Span

    text = "Aides denied it. Taxes rose."
    doc = AttributionDoc("t", text, (Attribution((Span(0, 5),), (Span(6, 12),), (Span(13, 15),)),))
    report = evaluate_rule_baseline([doc])
    # Both sentences (7 words with punctuation) become content; only "it" is gold content.
    assert report["content"]["token_recall"] == 1.0
    assert report["content"]["token_precision"] == round(1 / 7, 4)
