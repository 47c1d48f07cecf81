"""Build data/shifts/labels.jsonl from the two blind passes and the adjudication, and report agreement.

Usage: python scripts/timelines/build_labels.py

Where passes A and B agree their label stands (`qa: agreed`); elsewhere the adjudicated
label (`adjudication.jsonl`, with its reason) does. Writes reports/shift-labels-agreement.json
(observed agreement and Cohen's kappa).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

PROJECT = Path(__file__).resolve().parents[2]
DATA = PROJECT / "data" / "shifts"


def read(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    first = {row["id"]: row["label"] for row in read("labels_a.jsonl")}
    second = {row["id"]: row["label"] for row in read("labels_b.jsonl")}
    decided = {row["id"]: row["label"] for row in read("adjudication.jsonl")}
    ids = [row["id"] for row in read("stories.jsonl")]
    disputed = [i for i in ids if first[i] != second[i]]
    missing = [i for i in disputed if i not in decided]
    if missing:
        print(f"not adjudicated: {missing}", file=sys.stderr)
        return 1
    rows = [
        {"id": i, "label": decided[i] if i in disputed else first[i], "qa": "adjudicated" if i in disputed else "agreed"}
        for i in ids
    ]
    (DATA / "labels.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    report = {
        "n": len(ids),
        "agreement": round(1 - len(disputed) / len(ids), 4),
        "cohen_kappa": round(float(cohen_kappa_score([first[i] for i in ids], [second[i] for i in ids])), 4),
        "disputed": disputed,
    }
    (PROJECT / "reports" / "shift-labels-agreement.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
