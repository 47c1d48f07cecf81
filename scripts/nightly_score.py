"""Nightly scoring job: score articles not yet in the store and write the day's timeline snapshot.

Usage:
    python scripts/nightly_score.py INPUT --db stance.db --snapshots snapshots/ [--date YYYY-MM-DD] [--freq W]

INPUT is a folder of .txt/.json/.jsonl files or one file. Exit codes: 0 OK; 1 the job
could not run (bad config, unreadable store, missing input); 3 it ran but more than
max_failure_rate of the records were rejected (see <date>.rejects.jsonl).
"""

from __future__ import annotations

import argparse
import logging
import sys
from datetime import date
from pathlib import Path

from stance.config import PipelineConfig, config_file, load_config
from stance.errors import StanceError

EXIT_ERROR = 1
EXIT_TOO_MANY_FAILURES = 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score new articles and snapshot timelines.")
    parser.add_argument("input", help="folder or file of articles")
    parser.add_argument("--db", required=True, help="SQLite store")
    parser.add_argument("--snapshots", required=True, help="folder for <date>.json snapshots")
    parser.add_argument("--config", default=str(config_file("pipeline.yaml")))
    parser.add_argument("--date", default=None, help="snapshot date (default: today)")
    parser.add_argument("--freq", choices=["D", "W", "M"], default="W")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    log = logging.getLogger("nightly")
    try:
        from stance.nightly import run_nightly
        from stance.pipeline import Pipeline

        day = date.fromisoformat(args.date) if args.date else date.today()
        if not Path(args.input).exists():
            raise StanceError(f"input {args.input} does not exist")
        config = load_config(args.config, PipelineConfig)
        summary, path = run_nightly(args.input, args.db, args.snapshots, Pipeline.from_config(config), config, day, args.freq)
    except (StanceError, ValueError, OSError) as exc:
        log.error("nightly job failed: %s", exc)
        return EXIT_ERROR
    log.info("scored %d, skipped %d, rejected %d; snapshot %s", summary.scored, summary.skipped, summary.rejected, path)
    if summary.failure_rate > config.max_failure_rate:
        log.error("%.0f%% of records were rejected (limit %.0f%%)", 100 * summary.failure_rate, 100 * config.max_failure_rate)
        return EXIT_TOO_MANY_FAILURES
    return 0


if __name__ == "__main__":
    sys.exit(main())
