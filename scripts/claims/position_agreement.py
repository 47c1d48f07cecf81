"""Agreement between the two blind holder/position passes of data/claims (GUIDELINES.md, section 2).

Usage: python scripts/claims/position_agreement.py

Reads data/claims/candidates.jsonl and the two blind passes data/claims/raw/positions_a.jsonl
and positions_b.jsonl ({id, claim, holder, position} a line). When both
data/claims/raw/round2_a.jsonl and round2_b.jsonl exist (same keys, later statements), they
are added, with the statement texts from data/claims/raw/candidates_round2.jsonl.

Writes reports/claim-positions-agreement.json:
- n: statements labelled by both passes;
- position_agreement: share of statements with the same position; position_kappa: Cohen's
  kappa on position (asserts / denies / reports); the confusion table of the two passes;
- holder_exact_agreement: share whose holders are the same string (or both null);
- holder_overlap_agreement: share whose holders are both null, or both non-null with character
  spans in the statement that overlap (a holder that occurs several times in the statement,
  e.g. "he", counts as overlapping when any of its occurrences overlaps any occurrence of
  the other holder; occurrences inside a longer word are ignored when there are whole-word
  ones);
- disputed: ids where the positions differ, or the holders neither are both null nor
  overlap (the adjudication list), with what differs for each.

Standard library only.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DATA = PROJECT / "data" / "claims"
RAW = DATA / "raw"
REPORT = PROJECT / "reports" / "claim-positions-agreement.json"
POSITIONS = ("asserts", "denies", "reports")


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def spans(holder: str, text: str) -> list[tuple[int, int]]:
    """The (start, end) spans at which holder occurs in text.

    Occurrences that cut into a word ("he" inside "the", "her" inside "rather") are left out
    when the holder also occurs at word boundaries; otherwise every occurrence counts.
    """
    found, start = [], text.find(holder)
    while start != -1:
        found.append((start, start + len(holder)))
        start = text.find(holder, start + 1)

    def whole(span: tuple[int, int]) -> bool:
        s, e = span
        cuts_left = s > 0 and holder[0].isalnum() and text[s - 1].isalnum()
        cuts_right = e < len(text) and holder[-1].isalnum() and text[e].isalnum()
        return not (cuts_left or cuts_right)

    return [span for span in found if whole(span)] or found


def holders_overlap(first: str | None, second: str | None, text: str) -> bool:
    if first is None or second is None:
        return first is None and second is None
    return any(s1 < e2 and s2 < e1 for s1, e1 in spans(first, text) for s2, e2 in spans(second, text))


def cohen_kappa(first: list[str], second: list[str]) -> float | None:
    n = len(first)
    observed = sum(x == y for x, y in zip(first, second)) / n
    count_a, count_b = Counter(first), Counter(second)
    expected = sum(count_a[k] * count_b[k] for k in set(count_a) | set(count_b)) / (n * n)
    if expected == 1:
        return None  # both passes used a single, identical label: kappa undefined
    return (observed - expected) / (1 - expected)


def load_round(name: str, candidates: Path, first: Path, second: Path,
               leave_out: set[str] = frozenset()) -> list[tuple[str, dict, dict, dict]]:
    statements = [row for row in read(candidates) if row["id"] not in leave_out]
    a = {row["id"]: row for row in read(first)}
    b = {row["id"]: row for row in read(second)}
    ids = [row["id"] for row in statements]
    if set(a) != set(ids) or set(b) != set(ids):
        missing = sorted((set(ids) - set(a)) | (set(ids) - set(b)))
        extra = sorted((set(a) | set(b)) - set(ids))
        raise SystemExit(f"{name}: both passes must label every statement of {candidates.name} "
                         f"(missing: {missing[:10]}, unknown: {extra[:10]})")
    return [(name, row, a[row["id"]], b[row["id"]]) for row in statements]


def main() -> int:
    # candidates.jsonl holds round 1 and, once build_clusters.py has run, round 2 after it
    later = RAW / "candidates_round2.jsonl"
    later_ids = {row["id"] for row in read(later)} if later.exists() else set()
    rows = load_round("round1", DATA / "candidates.jsonl", RAW / "positions_a.jsonl", RAW / "positions_b.jsonl", later_ids)
    round2 = [RAW / "round2_a.jsonl", RAW / "round2_b.jsonl"]
    present = [p.exists() for p in round2]
    if all(present):
        rows += load_round("round2", RAW / "candidates_round2.jsonl", *round2)
    elif any(present):
        print("warning: only one round-2 pass present; round 2 left out", file=sys.stderr)

    problems = []
    for _, statement, a, b in rows:
        for pass_name, row in (("a", a), ("b", b)):
            if row["position"] not in POSITIONS:
                problems.append(f"{statement['id']} pass {pass_name}: position {row['position']!r}")
            holder = row["holder"]
            if holder is not None and (not holder or holder not in statement["text"]):
                problems.append(f"{statement['id']} pass {pass_name}: holder {holder!r} not in the statement")

    def summary(subset):
        n = len(subset)
        pos_a = [a["position"] for _, _, a, _ in subset]
        pos_b = [b["position"] for _, _, _, b in subset]
        kappa = cohen_kappa(pos_a, pos_b)
        confusion = Counter(zip(pos_a, pos_b))
        exact = sum(a["holder"] == b["holder"] for _, _, a, b in subset)
        overlap = sum(holders_overlap(a["holder"], b["holder"], s["text"]) for _, s, a, b in subset)
        return {
            "n": n,
            "position_agreement": round(sum(x == y for x, y in zip(pos_a, pos_b)) / n, 4),
            "position_kappa": None if kappa is None else round(kappa, 4),
            "position_counts": {"a": dict(Counter(pos_a)), "b": dict(Counter(pos_b))},
            "position_confusion_a_by_b": {pa: {pb: confusion[(pa, pb)] for pb in POSITIONS} for pa in POSITIONS},
            "holder_exact_agreement": round(exact / n, 4),
            "holder_overlap_agreement": round(overlap / n, 4),
        }

    disputed = []
    for _, statement, a, b in rows:
        why = []
        if a["position"] != b["position"]:
            why.append("position")
        if not holders_overlap(a["holder"], b["holder"], statement["text"]):
            why.append("holder")
        if why:
            disputed.append({"id": statement["id"], "differs": why,
                             "a": {"holder": a["holder"], "position": a["position"]},
                             "b": {"holder": b["holder"], "position": b["position"]}})

    report = summary(rows)
    rounds = sorted({name for name, *_ in rows})
    if len(rounds) > 1:
        report["by_round"] = {name: summary([r for r in rows if r[0] == name]) for name in rounds}
    report["n_disputed"] = len(disputed)
    report["disputed_ids"] = [d["id"] for d in disputed]
    report["disputed"] = disputed
    report["label_problems"] = problems
    REPORT.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")

    shown = {k: v for k, v in report.items() if k not in ("disputed", "disputed_ids")}
    print(json.dumps(shown, indent=2))
    print(f"{len(disputed)} statements to adjudicate: "
          f"{sum('position' in d['differs'] for d in disputed)} on position, "
          f"{sum('holder' in d['differs'] for d in disputed)} on holder")
    return 0


if __name__ == "__main__":
    sys.exit(main())
