"""Reproduce the bundled attribution tagger (claim segmenter) from PolNeAR train (fixed seed).

Usage: python scripts/train_segmenter.py [--config configs/segmenter_train.yaml] [--output-dir DIR]
Same as `stance train-segmenter`; needs ../shared/data/polnear (or `polnear_dir` in the config).
"""

import sys

from stance.cli import cli

if __name__ == "__main__":
    sys.exit(cli(["train-segmenter", *sys.argv[1:]]))
