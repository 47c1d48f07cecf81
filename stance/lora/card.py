"""Run metadata and report files that both model cards are rendered from.

A model folder holds the model's metadata and one ``eval_<split>.json`` report per split,
written at training time; a card is rendered from those files alone, so it can be
regenerated without loading or retraining the model.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

REPORT_FILE = "eval_{split}.json"
SPLITS = ("dev", "test")


def write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def write_saved_reports(model_dir: Path, reports: dict[str, dict]) -> None:
    for split, report in reports.items():
        write_json(model_dir / REPORT_FILE.format(split=split), report)


def read_saved_reports(model_dir: Path) -> dict[str, dict]:
    """The dev and test reports saved beside a model."""
    return {
        split: json.loads((model_dir / REPORT_FILE.format(split=split)).read_text(encoding="utf-8"))
        for split in SPLITS
    }


def versions_line(meta: dict) -> str:
    return ", ".join(f"{package} {version}" for package, version in meta["versions"].items())


def size_in_mb(files: Iterable[Path]) -> float:
    return sum(Path(f).stat().st_size for f in files) / 1024 / 1024
