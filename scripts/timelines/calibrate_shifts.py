"""Calibrate the shift-detection penalty on synthetic series and write configs/timelines.yaml.

Usage: python scripts/timelines/calibrate_shifts.py [--write]

Grid 0.25 … 8 by 0.25 on 200 series from seed 1; the highest detection F1 wins (ties: the
larger penalty, fewer shifts). `stance eval-shifts` reports on series from another seed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from stance.cli.defaults import timelines_config  # noqa: E402
from stance.timelines.evaluator import evaluate_synthetic, synthetic_series, with_penalty  # noqa: E402

CALIBRATION_SEED = 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update configs/timelines.yaml")
    args = parser.parse_args(argv)
    config = timelines_config().shifts
    series = synthetic_series(CALIBRATION_SEED)
    grid = []
    for step in range(1, 33):
        penalty = step * 0.25
        report = evaluate_synthetic(series, with_penalty(config, penalty))
        grid.append((report["f1"], penalty, report))
    f1, penalty, report = max(grid, key=lambda row: (row[0], row[1]))
    print(json.dumps({"penalty": penalty, "calibration_f1": f1, "report": report,
                      "grid": {p: f for f, p, _ in grid}}, indent=2))
    if args.write:
        path = PROJECT / "configs" / "timelines.yaml"
        text = re.sub(r"^  penalty: .*$", f"  penalty: {penalty}", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
