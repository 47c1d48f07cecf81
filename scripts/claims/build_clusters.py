"""Build data/claims/clusters.jsonl: the final same-claim clusters of the claim-matching set.

Usage: python scripts/claims/build_clusters.py

Where the two blind passes (data/claims/raw/clusters_a.jsonl, clusters_b.jsonl) pair a topic
group's statements identically, pass A's labels are kept (`qa: agreed`); the groups they
pair differently take the adjudicated clusters (raw/adjudication.jsonl, `qa: adjudicated`).
Topic groups are split whole into dev and test, half each, ordered by a hash of the group id,
so no cluster, and no hard negative of it, straddles the split.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DATA = PROJECT / "data" / "claims"


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def splits_of(groups) -> dict[str, str]:
    """Half the groups (by the order of a hash of their ids) in dev, the rest in test."""
    ordered = sorted(groups, key=lambda group: hashlib.sha1(group.encode("utf-8")).hexdigest())
    return {group: "dev" if rank < len(ordered) / 2 else "test" for rank, group in enumerate(ordered)}


def main() -> int:
    candidates = read(DATA / "candidates.jsonl")
    first = {row["id"]: row["cluster"] for row in read(DATA / "raw" / "clusters_a.jsonl")}
    second = {row["id"]: row["cluster"] for row in read(DATA / "raw" / "clusters_b.jsonl")}
    decided = {row["id"]: row["cluster"] for row in read(DATA / "raw" / "adjudication.jsonl")}
    members = defaultdict(list)
    for row in candidates:
        members[row["group"]].append(row["id"])
    disputed_groups = {
        group
        for group, ids in members.items()
        if any((first[x] == first[y]) != (second[x] == second[y]) for x, y in combinations(ids, 2))
    }
    split_of = splits_of(members)
    rows = []
    for row in candidates:
        group = row["group"]
        if group in disputed_groups:
            if row["id"] not in decided:
                raise SystemExit(f"no adjudicated cluster for {row['id']} (group {group})")
            cluster, qa = decided[row["id"]], "adjudicated"
        else:
            cluster, qa = first[row["id"]], "agreed"
        rows.append({"id": row["id"], "group": group, "cluster": cluster, "qa": qa, "split": split_of[group]})
    (DATA / "clusters.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    sizes = Counter(r["cluster"] for r in rows)
    summary = {
        split: {
            "statements": sum(r["split"] == split for r in rows),
            "groups": len({r["group"] for r in rows if r["split"] == split}),
            "clusters": len({r["cluster"] for r in rows if r["split"] == split}),
            "clusters_with_2_or_more": len({r["cluster"] for r in rows if r["split"] == split and sizes[r["cluster"]] > 1}),
        }
        for split in ("dev", "test")
    }
    print(json.dumps({"disputed_groups": sorted(disputed_groups), "by_split": summary}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
