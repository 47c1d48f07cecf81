"""Build data/stance/{train,dev,test}.jsonl from the raw annotation files.

Usage: python scripts/corpus/build_corpus.py [--raw data/stance/raw] [--out data/stance]

Steps: validate every raw line (file:line on error), apply the adjudicated labels of the
double-annotation pass (data/stance/qa/adjudication.jsonl), resolve the actor span from
`occurrence`, merge topics whose sentences resemble each other (word Jaccard >= 0.5), drop sentences sharing 8 consecutive words with the seed article, drop
near-duplicate sentences (word Jaccard >= 0.8; the first one seen is kept), assign
whole topics to splits, and write the splits with stable ids. Deterministic.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

from stance.classifier.corpus import near_duplicate_pairs, ngrams, shares_ngram, split_for_topic
from stance.data import Label

PROJECT = Path(__file__).resolve().parents[2]
SEED = PROJECT / "examples" / "xi_moscow_visit_2023.txt"
REQUIRED = ("text", "actor", "label", "topic", "source")
# Batches annotated with one row per mentioned actor, mostly `none` (horse-race and poll
# coverage). From these the corpus keeps every stance row and the first `none` row of each
# sentence that has a stance (the target lesson), so deny and neutral stay >= 12%.
THIN_NONE_BATCHES = (
    "polnear_train_h", "polnear_train_i", "polnear_train_j", "polnear_train_k", "polnear_mined_n", "polnear_backref_o",
    "polnear_dev_q",
)
LABEL_FIELDS = ("key", "label")


def shown(path: Path) -> str:
    """A path for error messages: relative to the project when inside it (any --raw/--qa given)."""
    resolved = path.resolve()
    return str(resolved.relative_to(PROJECT)) if resolved.is_relative_to(PROJECT) else str(resolved)


def read_raw(raw_dir: Path) -> list[dict]:
    rows, errors = [], []
    for path in sorted(raw_dir.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{shown(path)}:{number}"
            try:
                row = json.loads(line)
                rows.append(resolve_row(row, where) | {"key": f"{path.stem}:{number}"})
            except (json.JSONDecodeError, ValueError) as exc:
                errors.append(f"{where}: {exc}")
    if errors:
        sys.exit("invalid raw annotations:\n" + "\n".join(errors[:50]))
    return rows


def thin_none_rows(rows: list[dict]) -> list[dict]:
    """Drop the surplus `none` rows of ``THIN_NONE_BATCHES`` (see above); order is kept."""
    stance_texts = {row["text"] for row in rows if row["label"] != "none"}
    kept, seen_none = [], set()
    for row in rows:
        batch = row["key"].split(":")[0]
        if batch in THIN_NONE_BATCHES and row["label"] == "none":
            if row["text"] not in stance_texts or row["text"] in seen_none:
                continue
            seen_none.add(row["text"])
        kept.append(row)
    return kept


def read_labels(path: Path) -> dict[str, dict]:
    """``{"key": "<batch>:<line>", "label": ...}`` lines (second pass or adjudication) by key."""
    labels, errors = {}, []
    if not path.exists():
        return labels
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        where = f"{shown(path)}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"{where}: {exc}")
            continue
        if any(field not in row for field in LABEL_FIELDS) or row["label"] not in Label.values():
            errors.append(f"{where}: needs {LABEL_FIELDS} with a label in {Label.values()}")
            continue
        labels[row["key"]] = row
    if errors:
        sys.exit(f"invalid label file {path}:\n" + "\n".join(errors[:50]))
    return labels


def apply_quality_pass(rows: list[dict], qa_dir: Path) -> Counter:
    """Set each double-annotated row's final label and record how it was reached.

    ``qa`` is ``single`` (one annotator), ``agreed`` (the blind second annotator gave the
    same label) or ``adjudicated`` (they differed; the adjudicator's label is final).
    """
    second = read_labels(qa_dir / "second_pass.jsonl")
    adjudicated = read_labels(qa_dir / "adjudication.jsonl")
    by_key = {row["key"]: row for row in rows}
    unknown = sorted(set(second) - set(by_key)) + sorted(set(adjudicated) - set(by_key))
    if unknown:
        sys.exit(f"quality-pass keys with no raw line: {unknown[:10]}")
    outcome: Counter = Counter()
    for row in rows:
        if row["key"] not in second:
            row["qa"] = "single"
        elif second[row["key"]]["label"] == row["label"]:
            row["qa"] = "agreed"
        elif row["key"] in adjudicated:
            row["qa"] = "adjudicated"
            outcome["changed" if adjudicated[row["key"]]["label"] != row["label"] else "kept"] += 1
            row["label"] = adjudicated[row["key"]]["label"]
        else:
            sys.exit(f"{row['key']}: annotators disagree and there is no adjudication")
    return outcome


def resolve_row(row: dict, where: str) -> dict:
    missing = [key for key in REQUIRED if not row.get(key)]
    if missing:
        raise ValueError(f"missing {missing}")
    if row["label"] not in Label.values():
        raise ValueError(f"label {row['label']!r} not in {Label.values()}")
    if "actor_start" in row:
        # Explicit offsets for short mentions ("he", "it") that also occur inside words.
        start = row["actor_start"]
        if not isinstance(start, int) or row["text"][start : start + len(row["actor"])] != row["actor"] or start < 0:
            raise ValueError(f"actor_start {start!r} does not point at {row['actor']!r} in text")
    else:
        start = _occurrence_start(row["text"], row["actor"], int(row.get("occurrence", 1)))
    if row["source"].startswith("polnear:") and "doc_start" not in row:
        raise ValueError("PolNeAR rows need doc_start")
    return {
        "text": row["text"],
        "actor": row["actor"],
        "actor_start": start,
        "actor_end": start + len(row["actor"]),
        "label": row["label"],
        "target": row.get("target"),
        "source": row["source"],
        "topic": row["topic"],
        "doc_start": row.get("doc_start"),
        "origin": where,
    }


def _occurrence_start(text: str, actor: str, occurrence: int) -> int:
    start = -1
    for _ in range(occurrence):
        start = text.find(actor, start + 1)
        if start < 0:
            raise ValueError(f"occurrence {occurrence} of {actor!r} not in text")
    return start


def merge_related_topics(rows: list[dict], threshold: float = 0.5) -> None:
    """Give topics that share similar sentences one name (union-find), so that two
    annotators' versions of the same story can never land in different splits."""
    texts = list(dict.fromkeys(row["text"] for row in rows))
    topic_of = {row["text"]: row["topic"] for row in rows}
    parent = {row["topic"]: row["topic"] for row in rows}

    def find(topic: str) -> str:
        while parent[topic] != topic:
            parent[topic] = parent[parent[topic]]
            topic = parent[topic]
        return topic

    # The same sentence under two topics (syndicated copy) links them too.
    linked = [(topic_of[texts[i]], topic_of[texts[j]]) for i, j in near_duplicate_pairs(texts, threshold)]
    linked += [(topic_of[row["text"]], row["topic"]) for row in rows]
    for first, second in linked:
        a, b = find(first), find(second)
        if a != b:
            parent[max(a, b)] = min(a, b)
    for row in rows:
        row["topic"] = find(row["topic"])


def build(rows: list[dict]) -> tuple[dict[str, list[dict]], Counter]:
    dropped: Counter = Counter()
    merge_related_topics(rows)
    seed_ngrams = ngrams(SEED.read_text(encoding="utf-8"), 8)
    texts = list(dict.fromkeys(row["text"] for row in rows))
    banned = {t for t in texts if shares_ngram(t, seed_ngrams)}
    for i, j in near_duplicate_pairs(texts):
        if texts[i] not in banned:
            banned.add(texts[j])
            dropped["near_duplicate_text"] += 1
    dropped["seed_overlap_text"] = sum(shares_ngram(t, seed_ngrams) for t in texts)
    splits: dict[str, list[dict]] = {"train": [], "dev": [], "test": []}
    seen_pairs = set()
    for row in rows:
        key = (row["text"], row["actor_start"], row["actor_end"])
        if row["text"] in banned or key in seen_pairs:
            dropped["pair"] += 1
            continue
        seen_pairs.add(key)
        split = split_for_topic(row["topic"])
        digest = hashlib.sha1(f"{row['text']}|{row['actor_start']}|{row['actor_end']}".encode()).hexdigest()
        record = {"id": digest[:12], **{k: v for k, v in row.items() if k not in ("origin", "key")}, "split": split}
        if record["doc_start"] is None:
            del record["doc_start"]
        splits[split].append(record)
    return splits, dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw", type=Path, default=PROJECT / "data" / "stance" / "raw")
    parser.add_argument("--out", type=Path, default=PROJECT / "data" / "stance")
    parser.add_argument("--qa", type=Path, default=PROJECT / "data" / "stance" / "qa")
    args = parser.parse_args()
    rows = read_raw(args.raw)
    adjudication = apply_quality_pass(rows, args.qa)
    thinned = len(rows)
    rows = thin_none_rows(rows)
    thinned -= len(rows)
    splits, dropped = build(rows)
    for split, records in splits.items():
        with open(args.out / f"{split}.jsonl", "w", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    total = sum(len(r) for r in splits.values())
    labels = Counter(r["label"] for records in splits.values() for r in records)
    print(json.dumps({
        "pairs": total,
        "splits": {s: len(r) for s, r in splits.items()},
        "labels": {k: f"{v} ({v / total:.1%})" for k, v in sorted(labels.items())},
        "polnear_pairs": sum(r["source"].startswith("polnear:") for rs in splits.values() for r in rs),
        "dropped": dict(dropped),
        "quality_pass": dict(Counter(row["qa"] for row in rows)),
        "adjudication": dict(adjudication),
        "thinned_none_rows": thinned,
    }, indent=2))


if __name__ == "__main__":
    main()
