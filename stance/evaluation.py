"""Measure the stance classifier: per-label P/R/F1, macro-F1, confusion, calibration (ECE),
beside baselines trained on the same train split.

``StanceEvaluator`` takes a classifier and returns a flat report; the CLI and
``scripts/evaluate.py`` only format it.
"""

from __future__ import annotations

import numpy as np

from stance.classifier import LABELS
from stance.training import examples_of, labels_of


def classification_report(y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 10) -> dict:
    """Metrics of probability predictions ``y_prob`` (n × 5) against label indices ``y_true``.

    Every label is reported, including one that is never predicted (its precision is 0).
    """
    from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support

    y_pred = y_prob.argmax(axis=1)
    label_ids = list(range(len(LABELS)))
    precision, recall, f1, support = precision_recall_fscore_support(
        y_true, y_pred, labels=label_ids, zero_division=0
    )
    return {
        "macro_f1": round(float(f1_score(y_true, y_pred, labels=label_ids, average="macro", zero_division=0)), 4),
        "accuracy": round(float((y_true == y_pred).mean()), 4) if len(y_true) else 0.0,
        "per_label": {
            label: {
                "precision": round(float(precision[i]), 4),
                "recall": round(float(recall[i]), 4),
                "f1": round(float(f1[i]), 4),
                "support": int(support[i]),
            }
            for i, label in enumerate(LABELS)
        },
        "ece": round(expected_calibration_error(y_true, y_prob, n_bins), 4),
        "confusion": confusion_matrix(y_true, y_pred, labels=label_ids).tolist(),
        "n": int(len(y_true)),
    }


def expected_calibration_error(y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 10) -> float:
    """ECE over equal-width confidence bins: Σ_b |B|/n · |accuracy(B) − confidence(B)|."""
    if len(y_true) == 0:
        return 0.0
    confidence = y_prob.max(axis=1)
    correct = (y_prob.argmax(axis=1) == y_true).astype(float)
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    error = 0.0
    for b in range(n_bins):
        in_bin = bins == b
        if in_bin.any():
            error += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(error)


def majority_baseline(train_labels: np.ndarray, n: int) -> np.ndarray:
    """Probability rows that always predict the most frequent train label."""
    probabilities = np.zeros((n, len(LABELS)))
    probabilities[:, np.bincount(train_labels, minlength=len(LABELS)).argmax()] = 1.0
    return probabilities


def tfidf_baseline(train_set, test_set, seed: int = 0) -> np.ndarray:
    """TF-IDF (word 1–2-grams, mention marked) + logistic regression trained on train."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    def marked(dataset):
        return [e.marked() for e in examples_of(dataset)]

    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, token_pattern=r"\[unused\d\]|\b\w+\b"),
        LogisticRegression(max_iter=2000, C=5.0, random_state=seed),
    )
    train_labels = labels_of(train_set)
    model.fit(marked(train_set), train_labels)
    probabilities = np.zeros((len(test_set), len(LABELS)))
    probabilities[:, model.classes_] = model.predict_proba(marked(test_set))
    return probabilities


class StanceEvaluator:
    """Evaluate a classifier on a labelled split beside the baselines.

    ``primary_metric`` names the key a model is selected on.
    """

    primary_metric = "macro_f1"

    def __init__(self, train_set, eval_set, name: str = "test"):
        self.train_set = train_set
        self.eval_set = eval_set
        self.name = name

    def __call__(self, classifier) -> dict:
        y_true = labels_of(self.eval_set)
        report = classification_report(y_true, classifier.predict_proba(examples_of(self.eval_set)))
        train_labels = labels_of(self.train_set)
        baselines = {
            "majority": majority_baseline(train_labels, len(y_true)),
            "tfidf_logreg": tfidf_baseline(self.train_set, self.eval_set),
        }
        report["baselines"] = {
            name: classification_report(y_true, probabilities)["macro_f1"]
            for name, probabilities in baselines.items()
        }
        report["split"] = self.name
        report["model_id"] = classifier.model_id
        return report


def report_markdown(report: dict) -> str:
    """The report as Markdown tables (per-label metrics, baselines, confusion matrix)."""
    lines = [
        f"Split `{report['split']}`, n = {report['n']}, model `{report['model_id']}`",
        "",
        f"macro-F1 **{report['macro_f1']:.3f}**, accuracy {report['accuracy']:.3f}, ECE {report['ece']:.3f}",
        "",
        "| label | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for label, row in report["per_label"].items():
        lines.append(f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['support']} |")
    lines += ["", "| system | macro-F1 |", "|---|---|", f"| transformer (this model) | {report['macro_f1']:.3f} |"]
    lines += [f"| {name} | {value:.3f} |" for name, value in report["baselines"].items()]
    lines += ["", "Confusion matrix (rows: gold, columns: predicted)", ""]
    lines.append("| gold \\ pred | " + " | ".join(LABELS) + " |")
    lines.append("|---" * (len(LABELS) + 1) + "|")
    for label, row in zip(LABELS, report["confusion"]):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines) + "\n"
