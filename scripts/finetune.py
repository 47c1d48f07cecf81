"""Reproduce the bundled stance classifier from the committed corpus (fixed seed).

Usage: python scripts/finetune.py [--config configs/train.yaml] [--output-dir DIR]
Same as `stance train`; kept as a script so a retraining job needs no CLI install.
"""

import sys

from stance.cli import cli

if __name__ == "__main__":
    sys.exit(cli(["train", *sys.argv[1:]]))
