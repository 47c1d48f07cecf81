"""Inter-annotator agreement of the double-annotation pass over the PolNeAR pairs.

Usage: python scripts/corpus/agreement.py [--output reports/corpus-agreement.json]

Compares the first annotation (data/stance/raw/*.jsonl) with the blind second pass
(data/stance/qa/second_pass.jsonl) and both with the final, adjudicated label. Agreement
bounds what any classifier can score against these labels, so it belongs beside the
model's metrics.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from sklearn.metrics import cohen_kappa_score, confusion_matrix

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_corpus import PROJECT, read_labels, read_raw  # noqa: E402

from stance.data import Label  # noqa: E402

LABELS = Label.values()


def agreement_report(raw_dir: Path, qa_dir: Path) -> dict:
    first = {row["key"]: row["label"] for row in read_raw(raw_dir)}
    second = {key: row["label"] for key, row in read_labels(qa_dir / "second_pass.jsonl").items()}
    adjudicated = {key: row["label"] for key, row in read_labels(qa_dir / "adjudication.jsonl").items()}
    keys = [key for key in first if key in second]
    if not keys:
        sys.exit(f"no second-pass labels in {qa_dir}")
    a = [first[key] for key in keys]
    b = [second[key] for key in keys]
    final = [adjudicated.get(key, first[key]) if first[key] != second[key] else first[key] for key in keys]
    disagreements = [key for key in keys if first[key] != second[key]]
    sided = Counter(
        "first" if adjudicated[key] == first[key] else "second" if adjudicated[key] == second[key] else "neither"
        for key in disagreements
        if key in adjudicated
    )
    return {
        "double_annotated_pairs": len(keys),
        "observed_agreement": round(sum(x == y for x, y in zip(a, b)) / len(keys), 4),
        "cohen_kappa": round(float(cohen_kappa_score(a, b, labels=LABELS)), 4),
        "kappa_first_vs_final": round(float(cohen_kappa_score(a, final, labels=LABELS)), 4),
        "kappa_second_vs_final": round(float(cohen_kappa_score(b, final, labels=LABELS)), 4),
        "labels": LABELS,
        "confusion_first_rows_second_cols": confusion_matrix(a, b, labels=LABELS).tolist(),
        "disagreements": len(disagreements),
        "adjudicated": sum(key in adjudicated for key in disagreements),
        "adjudicator_sided_with": dict(sided),
        "final_label_changed": sum(final[i] != a[i] for i in range(len(keys))),
        "by_batch": _by_batch(keys, a, b),
    }


def _by_batch(keys: list[str], a: list[str], b: list[str]) -> dict:
    """Agreement per raw batch: the targeted deny/neutral batches are harder than random ones."""
    batches: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        batches.setdefault(key.split(":")[0], []).append(i)
    return {
        batch: {
            "pairs": len(rows),
            "observed_agreement": round(sum(a[i] == b[i] for i in rows) / len(rows), 4),
            "cohen_kappa": round(float(cohen_kappa_score([a[i] for i in rows], [b[i] for i in rows], labels=LABELS)), 4),
        }
        for batch, rows in sorted(batches.items())
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=PROJECT / "data" / "stance" / "raw")
    parser.add_argument("--qa", type=Path, default=PROJECT / "data" / "stance" / "qa")
    parser.add_argument("--output", type=Path, default=PROJECT / "reports" / "corpus-agreement.json")
    args = parser.parse_args()
    report = agreement_report(args.raw, args.qa)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
