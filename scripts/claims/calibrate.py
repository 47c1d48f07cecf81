"""Calibrate the claim tracker on the dev clusters of data/claims and write configs/claims.yaml.

Usage: python scripts/claims/calibrate.py [--write]

Grid: alpha (weight of the embedding cosine) in 0, 0.25, 0.5, 0.6, 0.75, 0.9, 1 and the
threshold in 0.30 … 0.95 by 0.025, each run through the same ClaimTracker the store uses;
the setting with the highest dev B-cubed F1 wins (ties: the higher pairwise F1, then the
higher threshold, i.e. fewer links). The TF-IDF baseline gets its own best threshold.
Test is never read. With --write, the chosen values replace those in configs/claims.yaml.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from stance.claims.evaluator import ClaimEvaluator, load_claim_set, run_statements  # noqa: E402
from stance.claims.linking import SentenceEncoder, link, similarity  # noqa: E402
from stance.claims.metrics import bcubed  # noqa: E402
from stance.cli.defaults import CLAIM_SET_DIR, claims_config, pipeline_config, registry_for  # noqa: E402
from stance.pipeline import Pipeline  # noqa: E402
from stance.pipeline.discover import load_ner  # noqa: E402

ALPHAS = (0.0, 0.25, 0.5, 0.6, 0.75, 0.9, 1.0)
THRESHOLDS = tuple(round(0.30 + 0.025 * i, 3) for i in range(27))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update configs/claims.yaml")
    args = parser.parse_args(argv)
    statements, gold, positions = load_claim_set(CLAIM_SET_DIR, "dev")
    config = pipeline_config(None)
    parses = load_ner(config.discovery.model)
    runs = run_statements(statements, Pipeline.from_config(config, registry=registry_for(config), nlp=parses), parses)
    texts = [run.proposition for run in runs]
    evaluator = ClaimEvaluator(statements, gold, runs, SentenceEncoder().encode(texts), positions, "dev")
    base = claims_config()
    grid = []
    for alpha in ALPHAS:
        for threshold in THRESHOLDS:
            report = evaluator._scores(evaluator.labels(dataclasses.replace(base, alpha=alpha, threshold=threshold)))
            grid.append((report["bcubed_f1"], report["pairwise"]["f1"], threshold, alpha))
    best_f1, _, threshold, alpha = max(grid)
    ids = [row["id"] for row in statements]
    tfidf = similarity(texts, None, 0.0)
    tfidf_f1, tfidf_threshold = max(
        (bcubed(gold, {i: str(label) for i, label in zip(ids, link(tfidf, t))})["f1"], t) for t in THRESHOLDS
    )
    setting = {"alpha": alpha, "threshold": threshold, "tfidf_threshold": tfidf_threshold}
    print(json.dumps({"setting": setting, "dev_bcubed_f1": best_f1, "dev_tfidf_bcubed_f1": tfidf_f1,
                      "by_alpha": {a: max(f for f, _, _, al in grid if al == a) for a in ALPHAS}}, indent=2))
    if args.write:
        path = PROJECT / "configs" / "claims.yaml"
        text = path.read_text(encoding="utf-8")
        for key, value in setting.items():
            text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, flags=re.MULTILINE)
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
