"""Learning curve of the stance classifier: dev macro-F1 against the share of train topics.

Answers "would more annotated data close the gap to the macro-F1 gate?" before anyone
annotates it. Each point trains one LoRA member (``ensemble_size: 1``) with the settings
of the given config on ``train_fraction`` of the train split's topics, drawn with the
seed, and scores it on the whole dev split, overall and per provenance (PolNeAR real news
vs written). The test split is never read.

Usage:
    python scripts/learning_curve.py [--config configs/train.yaml]
        [--fractions 0.125,0.25,0.5,1.0] [--seeds 13,14] [--output-dir reports]

Writes ``learning-curve.json`` and ``learning-curve.md`` after every point, so an
interrupted run keeps what it measured. Epochs stay as configured at every fraction: a
smaller split gets fewer updates, which lowers its points and so makes the curve look
steeper (more hopeful about extra data) than it is.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from stance.classifier.model import StanceClassifier  # noqa: E402
from stance.config import TrainConfig, load_config  # noqa: E402
from stance.classifier.evaluator import by_source, classification_report  # noqa: E402
from stance.classifier.corpus import examples_of, labels_of, load_split  # noqa: E402
from stance.classifier.trainer import train_classifier  # noqa: E402
from stance.cli.defaults import CORPUS_DIR, config_file, path_or_default  # noqa: E402


def curve_point(config: TrainConfig, fraction: float, seed: int, files: tuple[Path, Path], dev_set) -> dict:
    """Train one member on ``fraction`` of the train topics and score it on dev."""
    point_config = dataclasses.replace(config, train_fraction=fraction, seed=seed, ensemble_size=1)
    started = time.time()
    with tempfile.TemporaryDirectory() as folder:
        meta = train_classifier(point_config, folder, *files)
        classifier = StanceClassifier.load(folder)
        probabilities = classifier.predict_proba(examples_of(dev_set))
    y_true = labels_of(dev_set)
    report = classification_report(y_true, probabilities)
    return {
        "fraction": fraction,
        "seed": seed,
        "train_examples": meta["train_examples"],
        "best_epoch": meta["members"][0]["best_epoch"],
        "dev_macro_f1": report["macro_f1"],
        "dev_by_source": {kind: part["macro_f1"] for kind, part in by_source(dev_set, y_true, probabilities).items()},
        "minutes": round((time.time() - started) / 60, 1),
    }


def summarise(points: list[dict]) -> list[dict]:
    """Mean over seeds per fraction, and the gain per doubling of the data from the
    previous fraction (the slope a log-linear extrapolation would use)."""
    rows = []
    for fraction in sorted({p["fraction"] for p in points}):
        at = [p for p in points if p["fraction"] == fraction]
        kinds = sorted({k for p in at for k in p["dev_by_source"]})
        rows.append({
            "fraction": fraction,
            "seeds": len(at),
            "train_examples": round(sum(p["train_examples"] for p in at) / len(at)),
            "dev_macro_f1": sum(p["dev_macro_f1"] for p in at) / len(at),
            "dev_by_source": {k: sum(p["dev_by_source"].get(k, 0.0) for p in at) / len(at) for k in kinds},
        })
    for previous, row in zip(rows, rows[1:]):
        doublings = math.log2(row["train_examples"] / previous["train_examples"])
        row["gain_per_doubling"] = (row["dev_macro_f1"] - previous["dev_macro_f1"]) / doublings
    return rows


def markdown(summary: list[dict], points: list[dict]) -> str:
    kinds = sorted({k for row in summary for k in row["dev_by_source"]})
    head = "| share of train topics | train pairs | seeds | dev macro-F1 | " + " | ".join(f"dev {k}" for k in kinds)
    lines = [
        "Learning curve (dev; one LoRA member per point; `python scripts/learning_curve.py`)",
        "",
        head + " | gain per doubling |",
        "|---" * (5 + len(kinds)) + "|",
    ]
    for row in summary:
        gain = row.get("gain_per_doubling")
        lines.append(
            f"| {row['fraction']:g} | {row['train_examples']} | {row['seeds']} | {row['dev_macro_f1']:.4f} | "
            + " | ".join(f"{row['dev_by_source'].get(k, float('nan')):.4f}" for k in kinds)
            + f" | {'' if gain is None else f'{gain:+.4f}'} |"
        )
    lines += ["", "Points: " + "; ".join(
        f"{p['fraction']:g} seed {p['seed']}: {p['dev_macro_f1']:.4f} ({p['minutes']} min)" for p in points
    )]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default=str(config_file("train.yaml")))
    parser.add_argument("--fractions", default="0.125,0.25,0.5,1.0")
    parser.add_argument("--seeds", default="13,14")
    parser.add_argument("--output-dir", default=str(PROJECT / "reports"))
    args = parser.parse_args(argv)
    config = load_config(args.config, TrainConfig)
    files = (
        path_or_default(config.train_file, CORPUS_DIR / "train.jsonl"),
        path_or_default(config.dev_file, CORPUS_DIR / "dev.jsonl"),
    )
    fractions = [float(f) for f in args.fractions.split(",")]
    seeds = [int(s) for s in args.seeds.split(",")]
    dev_set = load_split(files[1])
    output = Path(args.output_dir)
    output.mkdir(parents=True, exist_ok=True)
    points = []
    for fraction in fractions:
        for seed in seeds:
            points.append(curve_point(config, fraction, seed, files, dev_set))
            print(json.dumps(points[-1]), flush=True)
            summary = summarise(points)
            payload = {"config": args.config, "points": points, "summary": summary}
            (output / "learning-curve.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
            (output / "learning-curve.md").write_text(markdown(summary, points), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
