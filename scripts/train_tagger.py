"""Reproduce the bundled attribution tagger from PolNeAR train (fixed seed).

Usage: python scripts/train_tagger.py [--config configs/tagger_train.yaml] [--output-dir DIR]
Same as `stance train-tagger`; needs ../shared/data/polnear (or `polnear_dir` in the config).
"""

import sys

from stance.cli import cli

if __name__ == "__main__":
    sys.exit(cli(["train-tagger", *sys.argv[1:]]))
