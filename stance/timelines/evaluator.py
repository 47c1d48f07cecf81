"""Measure shift detection (`stance eval-shifts`): synthetic series with known change
points, and real stories in which an actor reversed its stance (``data/shifts``).

Synthetic: each series has 0–2 changes of its dominant label, segments of 6–20 statements
a few days apart; within a segment 75% of the statements carry the dominant label, the rest
another, with classifier-like probabilities. A detected shift is right when it falls within
``tolerance`` statements of a true change (one-to-one); the delay is the days between the
true change's first statement and the detected one. The calibration script uses one seed,
the report another.

Real stories: each excerpt runs through the whole pipeline as a dated article; the actor's
statements toward the target form the series. The gold reversal comes from the adjudicated
labels alone: the split that best separates a "before" label from an "after" label.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from stance.config import ShiftConfig
from stance.data import Article, Label, StanceRecord, stance_records
from stance.errors import DataFormatError
from stance.timelines.build import timeline_statements
from stance.timelines.shifts import LABELS, detect_shifts


def synthetic_series(seed: int, n_series: int = 200) -> list[tuple[list[StanceRecord], list[int]]]:
    """``(statements, indices where a true change starts)`` per series."""
    rng = np.random.default_rng(seed)
    series = []
    for s in range(n_series):
        n_changes = int(rng.choice([0, 1, 1, 2]))
        lengths = rng.integers(6, 21, n_changes + 1)
        dominant = [int(rng.integers(4))]
        for _ in range(n_changes):
            dominant.append(int(rng.choice([d for d in range(4) if d != dominant[-1]])))
        day, records, changes = datetime(2020, 1, 1), [], []
        for segment, (length, label) in enumerate(zip(lengths, dominant)):
            if segment:
                changes.append(len(records))
            for _ in range(int(length)):
                chosen = label if rng.random() < 0.75 else int(rng.choice([d for d in range(4) if d != label]))
                confidence = float(rng.uniform(0.5, 0.95))
                scores = {name: (1 - confidence) / 4 for name in LABELS}
                scores[LABELS[chosen]] = confidence
                scores["none"] = (1 - confidence) / 4
                records.append(
                    StanceRecord(f"syn{s}-{len(records)}", day, 0, "synthetic", "actor", "actor", Label(LABELS[chosen]),
                                 confidence, scores, (), "synthetic")
                )
                day += timedelta(days=int(rng.integers(1, 5)))
        series.append((records, changes))
    return series


def evaluate_synthetic(series, config: ShiftConfig, tolerance: int = 3) -> dict:
    true_total = predicted_total = matched = 0
    delays = []
    for records, changes in series:
        found = [shift.index for shift in detect_shifts(records, config, "actor")]
        true_total += len(changes)
        predicted_total += len(found)
        unused = list(found)
        for change in changes:
            near = [f for f in unused if abs(f - change) <= tolerance]
            if near:
                best = min(near, key=lambda f: abs(f - change))
                unused.remove(best)
                matched += 1
                delays.append(abs((records[best].published - records[change].published).days))
    precision = matched / predicted_total if predicted_total else 0.0
    recall = matched / true_total if true_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "series": len(series), "true_changes": true_total, "detected": predicted_total, "tolerance_statements": tolerance,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "mean_delay_days": round(float(np.mean(delays)), 2) if delays else None,
    }


def load_stories(folder: str | Path) -> tuple[list[dict], dict[str, str]]:
    """Excerpts (``stories.jsonl``) and their adjudicated labels (``labels.jsonl``)."""
    folder = Path(folder)
    rows = {}
    for name in ("stories.jsonl", "labels.jsonl"):
        path = folder / name
        if not path.exists():
            raise DataFormatError("file not found", str(path))
        rows[name] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows["stories.jsonl"], {row["id"]: row["label"] for row in rows["labels.jsonl"]}


def gold_reversal(labels: list[str]) -> tuple[int, str, str] | None:
    """``(index of the first "after" excerpt, before label, after label)``: the split that
    most excerpts agree with (``none`` labels aside; ties: the split whose first "after"
    excerpt has the after label); ``None`` if no split separates two labels."""
    best = None
    for cut in range(1, len(labels)):
        before = [l for l in labels[:cut] if l != "none"]
        after = [l for l in labels[cut:] if l != "none"]
        if not before or not after:
            continue
        first = max(set(before), key=before.count)
        second = max(set(after), key=after.count)
        if first == second:
            continue
        # Ties go to the split whose first "after" excerpt carries the new label.
        agree = (before.count(first) + after.count(second), labels[cut] == second)
        if best is None or agree > best[0]:
            best = (agree, cut, first, second)
    return best[1:] if best else None


def evaluate_stories(excerpts: list[dict], labels: dict[str, str], pipeline, config: ShiftConfig, tolerance: int = 2) -> dict:
    """Per story: the gold reversal, the engine's shifts and whether one matches."""
    results = []
    for story in sorted({row["story"] for row in excerpts}):
        rows = sorted((r for r in excerpts if r["story"] == story), key=lambda r: (r["published"], r["id"]))
        gold = gold_reversal([labels[r["id"]] for r in rows])
        articles = [Article(id=r["id"], text=r["text"], published=datetime.fromisoformat(r["published"]), url=r["url"]) for r in rows]
        records = [record for article in pipeline.pipe(articles) for record in stance_records(article)]
        registry = pipeline.registry
        actor, target = registry.resolve(rows[0]["actor"]), registry.resolve(rows[0]["target"])
        statements = timeline_statements(records, registry.expand(actor.id), registry.expand(target.id))
        shifts = detect_shifts(statements, config, actor.id, target.id)
        order = {r["id"]: i for i, r in enumerate(rows)}
        found = []
        for shift in shifts:
            first_after = order[shift.evidence_after[0].article_id]
            found.append({"first_after_excerpt": first_after, "from": shift.from_label, "to": shift.to_label, "at": shift.at.isoformat()})
        hit = None
        if gold is not None:
            near = [f for f in found if abs(f["first_after_excerpt"] - gold[0]) <= tolerance]
            hit = min(near, key=lambda f: abs(f["first_after_excerpt"] - gold[0]), default=None)
        # The detector on the human labels: what a perfect classifier would let it find.
        oracle = detect_shifts([_labelled(r, labels[r["id"]]) for r in rows if labels[r["id"]] != "none"], config, actor.id)
        oracle_hit = bool(gold) and any(
            abs(order[shift.evidence_after[0].article_id] - gold[0]) <= tolerance and shift.to_label == gold[2] for shift in oracle
        )
        results.append({
            "story": story, "actor": actor.id, "target": target.id, "excerpts": len(rows), "statements": len(statements),
            "gold": {"first_after_excerpt": gold[0], "from": gold[1], "to": gold[2], "first_after": rows[gold[0]]["published"]} if gold else None,
            "detected": found,
            "hit": hit is not None,
            "oracle_hit": oracle_hit,
            "direction_right": bool(hit and hit["to"] == gold[2]),
            "delay_days": (datetime.fromisoformat(rows[hit["first_after_excerpt"]]["published"]) - datetime.fromisoformat(rows[gold[0]]["published"])).days if hit else None,
        })
    stories = [r for r in results if r["gold"] is not None]
    return {
        "stories": len(stories),
        "detected": sum(r["hit"] for r in stories),
        "direction_right": sum(r["direction_right"] for r in stories),
        "oracle_detected": sum(r["oracle_hit"] for r in stories),
        "tolerance_excerpts": tolerance,
        "per_story": results,
    }


def _labelled(row: dict, label: str) -> StanceRecord:
    scores = {name: 0.0 for name in [*LABELS, "none"]}
    scores[label] = 1.0
    return StanceRecord(row["id"], datetime.fromisoformat(row["published"]), 0, row["text"], "", "gold", Label(label), 1.0, scores, (), "gold")


def with_penalty(config: ShiftConfig, penalty: float) -> ShiftConfig:
    return replace(config, penalty=penalty)


def shifts_markdown(report: dict) -> str:
    synthetic = report["synthetic"]
    lines = [
        f"# Shift detection (penalty {report['penalty']}, at least {report['min_evidence']} statements a side)",
        "",
        f"Synthetic series (seed {report['seed']}): {synthetic['series']} series, {synthetic['true_changes']} true changes, "
        f"{synthetic['detected']} detected; within {synthetic['tolerance_statements']} statements: precision "
        f"{synthetic['precision']:.3f}, recall {synthetic['recall']:.3f}, F1 {synthetic['f1']:.3f}; mean delay "
        f"{synthetic['mean_delay_days']} days.",
    ]
    stories = report.get("stories")
    if stories:
        lines += [
            "",
            f"Real stories: {stories['detected']} of {stories['stories']} reversals detected within "
            f"{stories['tolerance_excerpts']} excerpts, {stories['direction_right']} with the right new label; on the human "
            f"labels instead of the classifier's, the detector finds {stories['oracle_detected']}.",
            "",
            "| story | actor → target | excerpts | statements | gold (first after, from → to) | detected | delay (days) |",
            "|---|---|---|---|---|---|---|",
        ]
        for row in stories["per_story"]:
            gold = row["gold"]
            gold_text = f"{gold['first_after']} ({gold['from']} → {gold['to']})" if gold else "none"
            found = "; ".join(f"{f['at']} ({f['from']} → {f['to']})" for f in row["detected"]) or "none"
            lines.append(f"| {row['story']} | {row['actor']} → {row['target']} | {row['excerpts']} | {row['statements']} | "
                         f"{gold_text} | {found} | {row['delay_days'] if row['delay_days'] is not None else '–'} |")
    return "\n".join(lines) + "\n"
