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
        "reliability": reliability_bins(y_true, y_prob, n_bins),
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


def reliability_bins(y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 10) -> list[dict]:
    """Per confidence bin: count, mean confidence and accuracy (the reliability diagram)."""
    confidence = y_prob.max(axis=1) if len(y_true) else np.zeros(0)
    correct = (y_prob.argmax(axis=1) == y_true) if len(y_true) else np.zeros(0)
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    rows = []
    for b in range(n_bins):
        in_bin = bins == b
        if in_bin.any():
            rows.append({
                "bin": f"{b / n_bins:.1f}-{(b + 1) / n_bins:.1f}",
                "n": int(in_bin.sum()),
                "confidence": round(float(confidence[in_bin].mean()), 4),
                "accuracy": round(float(correct[in_bin].mean()), 4),
            })
    return rows


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


class CueLexiconBaseline:
    """Label a mention by the first lexicon cue after it in the claim (the holder usually
    precedes its reporting verb); a cue only before it makes it a target (``none``).

    ``fit`` learns only the fallback for cue-less claims: the most frequent train label
    among train claims that contain no cue.
    """

    def __init__(self, lexicon: dict[str, list[str]]):
        import re

        self.cues = sorted(
            ((cue.lower(), label) for label, cues in lexicon.items() for cue in cues),
            key=lambda item: -len(item[0]),
        )
        self._pattern = re.compile(r"\b(" + "|".join(re.escape(c) for c, _ in self.cues) + ")")
        self.fallback = LABELS.index("none")

    def _label_of(self, cue: str) -> str:
        return next(label for prefix, label in self.cues if cue.startswith(prefix))

    def predict_one(self, example) -> int | None:
        text = example.text.lower()
        after = self._pattern.search(text, example.end)
        if after:
            return LABELS.index(self._label_of(after.group(1)))
        if self._pattern.search(text, 0, example.start):
            return LABELS.index("none")
        return None

    def fit(self, examples, labels: np.ndarray) -> "CueLexiconBaseline":
        cueless = [label for example, label in zip(examples, labels) if self.predict_one(example) is None]
        if cueless:
            self.fallback = int(np.bincount(cueless, minlength=len(LABELS)).argmax())
        return self

    def predict_proba(self, examples) -> np.ndarray:
        probabilities = np.zeros((len(examples), len(LABELS)))
        for row, example in enumerate(examples):
            label = self.predict_one(example)
            probabilities[row, self.fallback if label is None else label] = 1.0
        return probabilities


class StanceEvaluator:
    """Evaluate a classifier on a labelled split beside the baselines.

    ``primary_metric`` names the key a model is selected on.
    """

    primary_metric = "macro_f1"

    def __init__(self, train_set, eval_set, name: str = "test", lexicon: dict | None = None, ece_bins: int = 10):
        self.train_set = train_set
        self.eval_set = eval_set
        self.name = name
        self.lexicon = lexicon or {}
        self.ece_bins = ece_bins

    def __call__(self, classifier) -> dict:
        y_true = labels_of(self.eval_set)
        eval_examples = examples_of(self.eval_set)
        probabilities = classifier.predict_proba(eval_examples)
        report = classification_report(y_true, probabilities, self.ece_bins)
        report["by_source"] = by_source(self.eval_set, y_true, probabilities)
        train_labels = labels_of(self.train_set)
        lexicon = CueLexiconBaseline(self.lexicon).fit(examples_of(self.train_set), train_labels)
        baselines = {
            "majority": majority_baseline(train_labels, len(y_true)),
            "cue_lexicon": lexicon.predict_proba(eval_examples),
            "tfidf_logreg": tfidf_baseline(self.train_set, self.eval_set),
        }
        report["baselines"] = {
            name: classification_report(y_true, probabilities)["macro_f1"]
            for name, probabilities in baselines.items()
        }
        report["split"] = self.name
        report["ece_bins"] = self.ece_bins
        report["model_id"] = classifier.model_id
        return report


def by_source(dataset, y_true: np.ndarray, y_prob: np.ndarray) -> dict:
    """Macro-F1 and per-label F1 per provenance (``polnear`` real news vs ``written``):
    the two halves of the corpus differ a lot in difficulty."""
    if "source" not in dataset.column_names:
        return {}
    kinds = np.array([str(source).split(":")[0] for source in dataset["source"]])
    result = {}
    for kind in sorted(set(kinds)):
        mask = kinds == kind
        part = classification_report(y_true[mask], y_prob[mask])
        result[str(kind)] = {
            "n": int(mask.sum()),
            "macro_f1": part["macro_f1"],
            "f1": {label: row["f1"] for label, row in part["per_label"].items()},
        }
    return result


def check_gates(report: dict, gates) -> list[str]:
    """The gates of ``configs/eval.yaml`` that ``report`` fails, as readable lines."""
    failures = []
    margin = report["macro_f1"] - report["baselines"]["tfidf_logreg"]
    checks = [
        ("macro-F1", report["macro_f1"], ">=", gates.min_macro_f1),
        ("deny F1", report["per_label"]["deny"]["f1"], ">=", gates.min_deny_f1),
        ("ECE", report["ece"], "<=", gates.max_ece),
        ("margin over TF-IDF+LR", round(margin, 4), ">=", gates.min_margin_over_tfidf),
    ]
    for name, value, op, bound in checks:
        if (value < bound) if op == ">=" else (value > bound):
            failures.append(f"{name} {value:.4f} (gate {op} {bound})")
    return failures


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
    if report.get("by_source"):
        lines += ["", "| provenance | n | macro-F1 | " + " | ".join(LABELS) + " |", "|---" * (len(LABELS) + 3) + "|"]
        for kind, part in report["by_source"].items():
            lines.append(
                f"| {kind} | {part['n']} | {part['macro_f1']:.3f} | " + " | ".join(f"{part['f1'][l]:.3f}" for l in LABELS) + " |"
            )
    lines += ["", "Reliability (confidence bins)", "", "| bin | n | mean confidence | accuracy |", "|---|---|---|---|"]
    lines += [f"| {r['bin']} | {r['n']} | {r['confidence']:.3f} | {r['accuracy']:.3f} |" for r in report.get("reliability", [])]
    lines += ["", "Confusion matrix (rows: gold, columns: predicted)", ""]
    lines.append("| gold \\ pred | " + " | ".join(LABELS) + " |")
    lines.append("|---" * (len(LABELS) + 1) + "|")
    for label, row in zip(LABELS, report["confusion"]):
        lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    return "\n".join(lines) + "\n"
