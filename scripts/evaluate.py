"""Evaluate the bundled stance classifier: python scripts/evaluate.py [--split dev|test] [--format json|md]."""

import sys

from stance.cli import cli

if __name__ == "__main__":
    sys.exit(cli(["eval", *sys.argv[1:]]))
