"""Metrics against numbers computed by hand."""

import numpy as np
import pytest

from stance.classifier.evaluator import check_gates, classification_report, expected_calibration_error


def _onehot(indices, confidence=1.0):
    probabilities = np.full((len(indices), 5), (1 - confidence) / 4)
    probabilities[np.arange(len(indices)), indices] = confidence
    return probabilities


def test_evaluation_per_label_and_never_predicted_class():
    gold = np.array([0, 0, 1, 1, 3])
    pred = _onehot([0, 1, 1, 1, 1])
    report = classification_report(gold, pred)
    # support: P 1/1, R 1/2, F1 2/3; critical: P 2/4, R 1, F1 2/3; deny never predicted: 0
    assert report["per_label"]["support"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert report["per_label"]["critical"]["f1"] == pytest.approx(0.6667, abs=1e-4)
    assert report["per_label"]["deny"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    # macro over all five labels, absent ones (neutral, none) count as 0
    assert report["macro_f1"] == pytest.approx((2 / 3 + 2 / 3) / 5, abs=1e-4)
    assert report["confusion"][0] == [1, 1, 0, 0, 0] and report["confusion"][3] == [0, 1, 0, 0, 0]
    assert report["accuracy"] == 0.6


def test_evaluation_ece_hand_computed():
    gold = np.array([0, 0, 1, 1])
    probabilities = _onehot([0, 1, 1, 1], confidence=0.8)
    # one bin (0.8): accuracy 3/4, confidence 0.8 → ECE 0.05
    assert expected_calibration_error(gold, probabilities) == pytest.approx(0.05)
    assert expected_calibration_error(gold, _onehot([0, 0, 1, 1])) == pytest.approx(0.0)


def test_evaluation_by_source_splits_polnear_and_written():
    import numpy as np
    from datasets import Dataset

    from stance.classifier.evaluator import by_source

    dataset = Dataset.from_dict({"source": ["polnear:train/a.txt", "written:world", "polnear:dev/b.txt"]})
    y_true = np.array([0, 1, 3])
    y_prob = np.eye(5)[[0, 1, 0]]
    parts = by_source(dataset, y_true, y_prob)
    assert {kind: part["n"] for kind, part in parts.items()} == {"polnear": 2, "written": 1}
    assert parts["polnear"]["f1"]["support"] == pytest.approx(0.6667, abs=1e-4)
    assert parts["written"]["f1"]["critical"] == 1.0


def test_eval_check_gates_reports_each_failure(eval_config):
    report = {"macro_f1": 0.7, "ece": 0.2, "per_label": {"deny": {"f1": 0.9}}, "baselines": {"tfidf_logreg": 0.65}}
    assert check_gates(report, eval_config.gates) == [
        "macro-F1 0.7000 (gate >= 0.8)",
        "ECE 0.2000 (gate <= 0.08)",
        "margin over TF-IDF+LR 0.0500 (gate >= 0.1)",
    ]
