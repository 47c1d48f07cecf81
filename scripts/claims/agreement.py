"""Agreement between the two blind clustering passes of data/claims (claim-matching set).

Usage: python scripts/claims/agreement.py

Reads data/claims/raw/clusters_a.jsonl and clusters_b.jsonl (one cluster label per
candidate statement; statements with the same label make the same claim) and writes
reports/claim-clusters-agreement.json: B-cubed precision/recall/F1 of pass B against pass A
(Bagga & Baldwin 1998), pairwise agreement on same-claim pairs within each topic group, and
the statements the two passes cluster differently (the adjudication list).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DATA = PROJECT / "data" / "claims"
sys.path.insert(0, str(PROJECT))

from stance.claims.metrics import bcubed  # noqa: E402


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> int:
    candidates = read(DATA / "candidates.jsonl")
    first = {row["id"]: row["cluster"] for row in read(DATA / "raw" / "clusters_a.jsonl")}
    second = {row["id"]: row["cluster"] for row in read(DATA / "raw" / "clusters_b.jsonl")}
    ids = [row["id"] for row in candidates]
    if set(first) != set(ids) or set(second) != set(ids):
        raise SystemExit("both passes must label every candidate statement")
    groups = defaultdict(list)
    for row in candidates:
        groups[row["group"]].append(row["id"])
    agree = pairs = same_a = same_b = same_both = 0
    disputed = set()
    for members in groups.values():
        for x, y in combinations(members, 2):
            in_a, in_b = first[x] == first[y], second[x] == second[y]
            pairs += 1
            agree += in_a == in_b
            same_a += in_a
            same_b += in_b
            same_both += in_a and in_b
            if in_a != in_b:
                disputed.update((x, y))
    report = {
        "statements": len(ids),
        "groups": len(groups),
        "clusters_a": len(set(first.values())),
        "clusters_b": len(set(second.values())),
        "bcubed_b_against_a": bcubed(first, second),
        "within_group_pairs": pairs,
        "pair_agreement": round(agree / pairs, 4),
        "same_claim_pairs": {"a": same_a, "b": same_b, "both": same_both},
        "statements_to_adjudicate": sorted(disputed),
    }
    (PROJECT / "reports" / "claim-clusters-agreement.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "statements_to_adjudicate"}, indent=2))
    print(f"{len(disputed)} statements to adjudicate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
