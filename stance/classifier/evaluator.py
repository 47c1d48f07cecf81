"""Measure the stance classifier: per-label P/R/F1, macro-F1, confusion, calibration (ECE),
beside baselines trained on the same train split.

``StanceEvaluator`` has the evaluator shape of ``stance.evaluation``: called on a
classifier it returns a flat report, and ``primary_metric`` names the key training
selects on. The CLI, the trainer and the model card only read or format that report.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stance.classifier.corpus import examples_of, labels_of
from stance.classifier.model import LABELS
from stance.config import EvalConfig
from stance.evaluation import Check, failed_checks


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


class StanceEvaluator:
    """Evaluate a classifier on a labelled split, beside the baselines when a train split
    is given (training selection passes none: the baselines do not change between epochs).
    """

    primary_metric = "macro_f1"

    def __init__(self, eval_set, train_set=None, name: str = "test", lexicon: dict | None = None, ece_bins: int = 10):
        self.eval_set = eval_set
        self.train_set = train_set
        self.name = name
        self.lexicon = lexicon or {}
        self.ece_bins = ece_bins

    def __call__(self, classifier) -> dict:
        y_true = labels_of(self.eval_set)
        probabilities = classifier.predict_proba(examples_of(self.eval_set))
        report = classification_report(y_true, probabilities, self.ece_bins)
        report["by_source"] = by_source(self.eval_set, y_true, probabilities)
        if self.train_set is not None:
            report["baselines"] = self.baselines(y_true)
        report["split"] = self.name
        report["ece_bins"] = self.ece_bins
        report["model_id"] = classifier.model_id
        return report

    def baselines(self, y_true: np.ndarray) -> dict[str, float]:
        """Macro-F1 of each baseline, trained on the train split."""
        from stance.classifier.baselines import CueLexiconBaseline, majority_baseline, tfidf_baseline

        train_labels = labels_of(self.train_set)
        lexicon = CueLexiconBaseline(self.lexicon).fit(examples_of(self.train_set), train_labels)
        predictions = {
            "majority": majority_baseline(train_labels, len(y_true)),
            "cue_lexicon": lexicon.predict_proba(examples_of(self.eval_set)),
            "tfidf_logreg": tfidf_baseline(self.train_set, self.eval_set),
        }
        return {name: classification_report(y_true, p)["macro_f1"] for name, p in predictions.items()}


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


def gate_checks(report: dict, gates) -> list[Check]:
    """The gates of ``configs/eval.yaml`` (section ``gates``) applied to a test report."""
    margin = report["macro_f1"] - report["baselines"]["tfidf_logreg"]
    return [
        Check("macro-F1", report["macro_f1"], ">=", gates.min_macro_f1),
        Check("deny F1", report["per_label"]["deny"]["f1"], ">=", gates.min_deny_f1),
        Check("ECE", report["ece"], "<=", gates.max_ece),
        Check("margin over TF-IDF+LR", round(margin, 4), ">=", gates.min_margin_over_tfidf),
    ]


def check_gates(report: dict, gates) -> list[str]:
    """The gates ``report`` fails, as readable lines."""
    return failed_checks(gate_checks(report, gates))


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


def evaluate_classifier(
    eval_file: Path, train_file: Path, name: str, model_dir: Path | None = None, config: EvalConfig | None = None
) -> dict:
    """Evaluate the (bundled or given) model on a labelled JSONL file beside the baselines
    trained on ``train_file``, with the settings of ``configs/eval.yaml``."""
    from stance.classifier.corpus import load_split
    from stance.classifier.model import StanceClassifier

    config = config or EvalConfig()
    evaluator = StanceEvaluator(
        load_split(eval_file), load_split(train_file), name=name, lexicon=config.cue_lexicon, ece_bins=config.ece_bins
    )
    return evaluator(StanceClassifier.load(model_dir))


def write_report(report: dict, output_dir: Path) -> tuple[Path, Path]:
    """Write ``stance-eval-<split>.json`` and ``.md`` into ``output_dir``."""
    from stance.lora.card import write_json

    output_dir = Path(output_dir)
    stem = f"stance-eval-{Path(str(report['split'])).stem}"
    json_path, md_path = output_dir / f"{stem}.json", output_dir / f"{stem}.md"
    write_json(json_path, report)
    md_path.write_text(report_markdown(report), encoding="utf-8")
    return json_path, md_path
