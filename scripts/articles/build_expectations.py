"""Build data/articles/expectations.jsonl from the two blind annotation passes and the adjudication.

Usage: python scripts/articles/build_expectations.py

Inputs (data/articles/): candidates.jsonl (the actors asked about), raw/labels_a.jsonl and
raw/labels_b.jsonl (two annotators, blind, one label per candidate: support, critical,
neutral, deny or omit), raw/adjudication.jsonl (the final label of every candidate they
disagreed on). A candidate whose final label is `omit` has no clear stance and is left
out. Writes expectations.jsonl (article_id, actor, label, qa = agreed | adjudicated,
split) and reports/article-set-agreement.json (agreement, Cohen's kappa, counts).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from stance.pipeline.evaluator import split_of  # noqa: E402

DATA = PROJECT / "data" / "articles"


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def main() -> int:
    candidates = read(DATA / "candidates.jsonl")
    first, second = read(DATA / "raw" / "labels_a.jsonl"), read(DATA / "raw" / "labels_b.jsonl")
    adjudicated = {(row["article_id"], row["actor"]): row["label"] for row in read(DATA / "raw" / "adjudication.jsonl")}
    keys = [(row["article_id"], row["actor"]) for row in candidates]
    for name, labels in (("labels_a", first), ("labels_b", second)):
        if [(row["article_id"], row["actor"]) for row in labels] != keys:
            raise SystemExit(f"data/articles/raw/{name}.jsonl does not list the candidates in order")
    expectations, pairs = [], []
    for key, a, b in zip(keys, first, second):
        pairs.append((a["label"], b["label"]))
        if a["label"] == b["label"]:
            label, qa = a["label"], "agreed"
        elif key in adjudicated:
            label, qa = adjudicated[key], "adjudicated"
        else:
            raise SystemExit(f"no adjudication for disagreement {key}")
        if label != "omit":
            expectations.append({"article_id": key[0], "actor": key[1], "label": label, "qa": qa, "split": split_of(key[0])})
    (DATA / "expectations.jsonl").write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in expectations), encoding="utf-8"
    )
    report = {
        "candidates": len(candidates),
        "articles": len({row["article_id"] for row in candidates}),
        "observed_agreement": round(sum(a == b for a, b in pairs) / len(pairs), 4),
        "cohen_kappa": round(cohen_kappa(pairs), 4),
        "disagreements": sum(a != b for a, b in pairs),
        "expectations": len(expectations),
        "by_split": {
            split: {
                "articles": len({row["article_id"] for row in expectations if row["split"] == split}),
                "expectations": sum(row["split"] == split for row in expectations),
                "labels": dict(Counter(row["label"] for row in expectations if row["split"] == split)),
            }
            for split in ("dev", "test")
        },
    }
    path = PROJECT / "reports" / "article-set-agreement.json"
    path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
