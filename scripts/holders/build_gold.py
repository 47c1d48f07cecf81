"""Build data/holders/gold.jsonl from two blind passes and the adjudication of their disagreements.

Usage: python scripts/holders/build_gold.py

Inputs (data/holders/): sources.jsonl (180 PolNeAR dev attribution sources: 60 pronouns, 60
descriptions, 60 names, sampled with a fixed seed), raw/holders_a.jsonl and raw/holders_b.jsonl
(who each source refers to, written blind), raw/adjudication.jsonl (the final actor wherever
the two differ). Two actors agree when they are equal after lower-casing and dropping
punctuation. `speaks_for` is taken from the first pass, else the second.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "data" / "holders"


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def normal(name: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", name.lower()).strip()


def main() -> int:
    first, second = read(DATA / "raw" / "holders_a.jsonl"), read(DATA / "raw" / "holders_b.jsonl")
    decided = {row["id"]: row["actor"] for row in read(DATA / "raw" / "adjudication.jsonl")}
    rows, agreed = [], 0
    for a, b in zip(first, second):
        if a["id"] != b["id"]:
            raise SystemExit(f"passes out of order at {a['id']} / {b['id']}")
        if normal(a["actor"]) == normal(b["actor"]):
            agreed += 1
            actor, qa = a["actor"], "agreed"
        elif a["id"] in decided:
            actor, qa = decided[a["id"]], "adjudicated"
        else:
            raise SystemExit(f"no adjudication for {a['id']}")
        rows.append({"id": a["id"], "actor": actor, "speaks_for": a["speaks_for"] or b["speaks_for"], "qa": qa})
    (DATA / "gold.jsonl").write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
    print(json.dumps({"sources": len(rows), "agreed": agreed, "agreement": round(agreed / len(rows), 4),
                      "none": sum(row["actor"] == "none" for row in rows)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
