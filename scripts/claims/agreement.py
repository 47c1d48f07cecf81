"""Agreement between the two blind clustering passes of data/claims (claim-matching set).

Usage: python scripts/claims/agreement.py

Round 1: data/claims/raw/clusters_a.jsonl and clusters_b.jsonl label the round-1 statements
of data/claims/candidates.jsonl. Round 2 (when both data/claims/raw/round2_a.jsonl and
round2_b.jsonl exist): the two passes label the statements of raw/candidates_round2.jsonl.
Statements with the same label make the same claim; clusters lie within a topic group.

Writes reports/claim-clusters-agreement.json: for all rounds together (top level) and per
round (`by_round`), B-cubed precision/recall/F1 of pass B against pass A (Bagga & Baldwin
1998), pairwise agreement on same-claim pairs within each topic group, and the statements
the two passes cluster differently (the adjudication list).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DATA = PROJECT / "data" / "claims"
RAW = DATA / "raw"
sys.path.insert(0, str(PROJECT))

from stance.claims.metrics import bcubed  # noqa: E402


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_round(name: str, statements: list[dict], first_path: Path, second_path: Path):
    """(statements, pass A labels, pass B labels) of one round, checked to cover the same ids."""
    first = {row["id"]: row["cluster"] for row in read(first_path)}
    second = {row["id"]: row["cluster"] for row in read(second_path)}
    ids = [row["id"] for row in statements]
    if set(first) != set(ids) or set(second) != set(ids):
        raise SystemExit(f"{name}: both passes must label every statement of the round")
    return statements, first, second


def measure(statements: list[dict], first: dict[str, str], second: dict[str, str]) -> dict:
    groups = defaultdict(list)
    for row in statements:
        groups[row["group"]].append(row["id"])
    agree = pairs = same_a = same_b = same_both = 0
    disputed, disputed_groups = set(), set()
    for group, members in groups.items():
        for x, y in combinations(members, 2):
            in_a, in_b = first[x] == first[y], second[x] == second[y]
            pairs += 1
            agree += in_a == in_b
            same_a += in_a
            same_b += in_b
            same_both += in_a and in_b
            if in_a != in_b:
                disputed.update((x, y))
                disputed_groups.add(group)
    return {
        "statements": len(statements),
        "groups": len(groups),
        "clusters_a": len(set(first.values())),
        "clusters_b": len(set(second.values())),
        "bcubed_b_against_a": bcubed(first, second),
        "within_group_pairs": pairs,
        "pair_agreement": round(agree / pairs, 4),
        "same_claim_pairs": {"a": same_a, "b": same_b, "both": same_both},
        "disputed_groups": sorted(disputed_groups),
        "statements_to_adjudicate": sorted(disputed),
    }


def main() -> int:
    later = RAW / "candidates_round2.jsonl"
    round2_ids = {row["id"] for row in read(later)} if later.exists() else set()
    # candidates.jsonl holds round 1 first, then (once build_clusters.py has run) round 2
    round1 = [row for row in read(DATA / "candidates.jsonl") if row["id"] not in round2_ids]
    rounds = {"round1": load_round("round1", round1, RAW / "clusters_a.jsonl", RAW / "clusters_b.jsonl")}
    passes = [RAW / "round2_a.jsonl", RAW / "round2_b.jsonl"]
    present = [p.exists() for p in passes]
    if all(present):
        rounds["round2"] = load_round("round2", read(later), *passes)
    elif any(present):
        print("warning: only one round-2 pass present; round 2 left out", file=sys.stderr)

    statements, first, second = [], {}, {}
    for rows, a, b in rounds.values():
        statements += rows
        first.update(a)
        second.update(b)
    if len(first) != len(statements):
        raise SystemExit("statement ids repeat across rounds")
    report = measure(statements, first, second)
    if len(rounds) > 1:
        report["by_round"] = {name: measure(*args) for name, args in rounds.items()}
    (PROJECT / "reports" / "claim-clusters-agreement.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    hidden = ("statements_to_adjudicate", "disputed_groups")

    def shown(part: dict) -> dict:
        return {k: v for k, v in part.items() if k not in hidden}

    print(json.dumps({**shown(report), "by_round": {k: shown(v) for k, v in report.get("by_round", {}).items()}}, indent=2))
    for name, part in report.get("by_round", {"all": report}).items():
        print(f"{name}: {len(part['statements_to_adjudicate'])} statements to adjudicate "
              f"in {len(part['disputed_groups'])} groups {part['disputed_groups']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
