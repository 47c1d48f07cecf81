"""Baselines the classifier is measured against, on hand-made inputs."""

import numpy as np
import pytest

from stance.classifier import LABELS, MentionExample
from stance.classifier.baselines import CueLexiconBaseline, majority_baseline
from stance.classifier.evaluator import classification_report


def test_eval_cue_lexicon_baseline_uses_position(eval_config):
    text = "Western leaders criticised Beijing, which denied it."
    baseline = CueLexiconBaseline(eval_config.cue_lexicon)
    west = MentionExample(text, 0, 15)
    beijing = MentionExample(text, 27, 34)
    assert LABELS[baseline.predict_one(west)] == "critical"
    assert LABELS[baseline.predict_one(beijing)] == "deny"
    assert baseline.predict_one(MentionExample("Xi met Putin.", 7, 12)) is None


def test_evaluation_majority_baseline():
    probabilities = majority_baseline(np.array([4, 4, 1, 4, 0]), 3)
    assert probabilities.argmax(axis=1).tolist() == [4, 4, 4]
    report = classification_report(np.array([4, 1, 4]), probabilities)
    # none: P 2/3, R 1, F1 0.8; the rest 0 → macro 0.16
    assert report["macro_f1"] == pytest.approx(0.16, abs=1e-4)
