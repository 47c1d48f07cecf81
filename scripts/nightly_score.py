"""Nightly scoring job: score articles not yet in the store and write the day's timeline snapshot.

Usage:
    python scripts/nightly_score.py INPUT --db stance.db --snapshots snapshots/ [--date YYYY-MM-DD] [--freq W]

A thin wrapper over `stance nightly` (same options), kept so a scheduler needs no CLI
install. Exit codes: 0 OK; 1 the job could not run (bad config, unreadable store, missing
input); 3 it ran but more than max_failure_rate of the records were rejected.
"""

import sys

from stance.cli import cli

if __name__ == "__main__":
    sys.exit(cli(["nightly", *sys.argv[1:]]))
