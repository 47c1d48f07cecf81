"""Build the final files of the claim-matching set: candidates.jsonl (both rounds),
clusters.jsonl and positions.jsonl.

Usage: python scripts/claims/build_clusters.py

Candidates: data/claims/candidates.jsonl keeps round 1's lines unchanged and first, followed
by the round-2 statements of data/claims/raw/candidates_round2.jsonl, copied verbatim
(rerunning gives the same file).

Clusters, per round: where the two blind passes (round 1: raw/clusters_a.jsonl,
clusters_b.jsonl; round 2: raw/round2_a.jsonl, round2_b.jsonl) pair a topic group's
statements identically, pass A's labels are kept (`qa: agreed`); the groups they pair
differently take the adjudicated clusters (raw/adjudication.jsonl, raw/round2_adjudication.jsonl;
`qa: adjudicated`). Topic groups are split whole into dev and test, half each, ordered by a
hash of the group id, within each round (round 1's split is the one it always had: it is
recomputed over round-1 groups only and checked against the clusters.jsonl being replaced),
so no cluster, and no hard negative of it, straddles the split.

Positions (GUIDELINES.md section 2): where the passes agree (same position, holders both
null or overlapping in the statement) pass A's holder and position (`qa: agreed`); otherwise
the adjudicated ones (raw/positions_adjudication.jsonl, raw/round2_adjudication.jsonl;
`qa: adjudicated`). Written to data/claims/positions.jsonl: {id, holder, position, qa}.
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
RAW = DATA / "raw"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from position_agreement import POSITIONS, holders_overlap  # noqa: E402

ROUNDS = {
    "round1": {"clusters": ("clusters_a.jsonl", "clusters_b.jsonl"), "decided": "adjudication.jsonl",
               "positions": ("positions_a.jsonl", "positions_b.jsonl"), "positions_decided": "positions_adjudication.jsonl"},
    "round2": {"clusters": ("round2_a.jsonl", "round2_b.jsonl"), "decided": "round2_adjudication.jsonl",
               "positions": ("round2_a.jsonl", "round2_b.jsonl"), "positions_decided": "round2_adjudication.jsonl"},
}


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def splits_of(groups) -> dict[str, str]:
    """Half the groups (by the order of a hash of their ids) in dev, the rest in test."""
    ordered = sorted(groups, key=lambda group: hashlib.sha1(group.encode("utf-8")).hexdigest())
    return {group: "dev" if rank < len(ordered) / 2 else "test" for rank, group in enumerate(ordered)}


def merge_candidates() -> dict[str, list[dict]]:
    """Write candidates.jsonl: round 1's lines as they are, then round 2's (verbatim).
    Returns the statements of each round."""
    later_lines = [line for line in (RAW / "candidates_round2.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    later = [json.loads(line) for line in later_lines]
    later_ids = {row["id"] for row in later}
    lines = [line for line in (DATA / "candidates.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    first_lines = [line for line in lines if json.loads(line)["id"] not in later_ids]
    first = [json.loads(line) for line in first_lines]
    if {row["group"] for row in first} & {row["group"] for row in later}:
        raise SystemExit("round-1 and round-2 groups overlap")
    (DATA / "candidates.jsonl").write_text("".join(line + "\n" for line in first_lines + later_lines), encoding="utf-8")
    return {"round1": first, "round2": later}


def round_clusters(name: str, statements: list[dict]) -> list[dict]:
    files = ROUNDS[name]
    first = {row["id"]: row["cluster"] for row in read(RAW / files["clusters"][0])}
    second = {row["id"]: row["cluster"] for row in read(RAW / files["clusters"][1])}
    decided = {row["id"]: row["cluster"] for row in read(RAW / files["decided"])}
    ids = {row["id"] for row in statements}
    if set(first) != ids or set(second) != ids:
        raise SystemExit(f"{name}: both clustering passes must label every statement")
    members = defaultdict(list)
    for row in statements:
        members[row["group"]].append(row["id"])
    disputed_groups = {
        group
        for group, group_ids in members.items()
        if any((first[x] == first[y]) != (second[x] == second[y]) for x, y in combinations(group_ids, 2))
    }
    split_of = splits_of(members)
    rows = []
    for row in statements:
        group = row["group"]
        if group in disputed_groups:
            if row["id"] not in decided:
                raise SystemExit(f"no adjudicated cluster for {row['id']} (group {group})")
            cluster, qa = decided[row["id"]], "adjudicated"
        else:
            cluster, qa = first[row["id"]], "agreed"
        if not cluster.startswith(group + "-"):
            raise SystemExit(f"{row['id']}: cluster {cluster} outside its group {group}")
        rows.append({"id": row["id"], "group": group, "cluster": cluster, "qa": qa, "split": split_of[group]})
    print(f"{name}: disputed groups {sorted(disputed_groups)}")
    return rows


def round_positions(name: str, statements: list[dict]) -> list[dict]:
    files = ROUNDS[name]
    first = {row["id"]: row for row in read(RAW / files["positions"][0])}
    second = {row["id"]: row for row in read(RAW / files["positions"][1])}
    decided = {row["id"]: row for row in read(RAW / files["positions_decided"])}
    rows = []
    for statement in statements:
        key = statement["id"]
        a, b = first[key], second[key]
        if a["position"] == b["position"] and holders_overlap(a["holder"], b["holder"], statement["text"]):
            holder, position, qa = a["holder"], a["position"], "agreed"
        elif key in decided:
            holder, position, qa = decided[key]["holder"], decided[key]["position"], "adjudicated"
        else:
            raise SystemExit(f"no adjudicated position for {key}")
        if position not in POSITIONS:
            raise SystemExit(f"{key}: position {position!r}")
        if holder is not None and (not holder or holder not in statement["text"]):
            raise SystemExit(f"{key}: holder {holder!r} is not in the statement")
        rows.append({"id": key, "holder": holder, "position": position, "qa": qa})
    return rows


def main() -> int:
    statements = merge_candidates()
    old_path = DATA / "clusters.jsonl"
    old = {row["id"]: row for row in read(old_path)} if old_path.exists() else {}

    clusters, positions = [], []
    for name, rows in statements.items():
        clusters += round_clusters(name, rows)
        positions += round_positions(name, rows)

    # round 1 must keep the clusters and split it already had
    changed = [row["id"] for row in clusters if row["id"] in old and row != old[row["id"]]]
    missing = [row["id"] for row in statements["round1"] if old and row["id"] not in old]
    if changed or missing:
        raise SystemExit(f"round-1 rows differ from the existing clusters.jsonl: changed {changed[:10]}, missing {missing[:10]}")

    (DATA / "clusters.jsonl").write_text("".join(json.dumps(r) + "\n" for r in clusters), encoding="utf-8")
    (DATA / "positions.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in positions), encoding="utf-8")

    sizes = Counter(r["cluster"] for r in clusters)
    round_of = {row["id"]: name for name, rows in statements.items() for row in rows}
    position_of = {r["id"]: r["position"] for r in positions}

    def counts(rows: list[dict]) -> dict:
        return {
            "statements": len(rows),
            "groups": len({r["group"] for r in rows}),
            "clusters": len({r["cluster"] for r in rows}),
            "clusters_with_2_or_more": len({r["cluster"] for r in rows if sizes[r["cluster"]] > 1}),
            "positions": dict(Counter(position_of[r["id"]] for r in rows)),
        }

    summary = {
        "all": counts(clusters),
        "by_split": {split: counts([r for r in clusters if r["split"] == split]) for split in ("dev", "test")},
        "by_round_and_split": {
            name: {split: counts([r for r in clusters if r["split"] == split and round_of[r["id"]] == name]) for split in ("dev", "test")}
            for name in statements
        },
        "clusters_qa": dict(Counter(r["qa"] for r in clusters)),
        "positions_qa": dict(Counter(r["qa"] for r in positions)),
        "round1_rows_checked_against_previous_clusters_jsonl": len(old) > 0,
    }
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
