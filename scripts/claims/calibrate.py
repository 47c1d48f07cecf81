"""Calibrate the claim linker on the dev clusters of data/claims and write configs/claims.yaml.

Usage: python scripts/claims/calibrate.py [--write]

Grid: alpha (weight of the embedding cosine) in 0, 0.25, …, 1 and the threshold in 0.30 …
0.95 by 0.025; the setting with the highest dev B-cubed F1 wins (ties: the higher
threshold, i.e. fewer merges). The TF-IDF baseline gets its own best threshold (alpha 0).
Test is never read. With --write, the chosen values replace those in configs/claims.yaml.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from stance.claims.evaluator import ClaimEvaluator, load_claim_set, propositions  # noqa: E402
from stance.claims.linking import SentenceEncoder, link, similarity  # noqa: E402
from stance.claims.metrics import bcubed  # noqa: E402
from stance.cli.defaults import CLAIM_SET_DIR, pipeline_config, registry_for  # noqa: E402
from stance.pipeline import Pipeline  # noqa: E402

ALPHAS = (0.0, 0.25, 0.5, 0.75, 1.0)
THRESHOLDS = tuple(round(0.30 + 0.025 * i, 3) for i in range(27))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update configs/claims.yaml")
    args = parser.parse_args(argv)
    statements, gold = load_claim_set(CLAIM_SET_DIR, "dev")
    config = pipeline_config(None)
    pipeline = Pipeline.from_config(config, registry=registry_for(config), stages=("clean", "attribute", "link", "discover", "holders", "propose"))
    texts = propositions(statements, pipeline)
    embeddings = SentenceEncoder().encode(texts)
    ids = [row["id"] for row in statements]
    grid = []
    for alpha in ALPHAS:
        scores = similarity(texts, embeddings, alpha)
        for threshold in THRESHOLDS:
            predicted = {i: str(label) for i, label in zip(ids, link(scores, threshold))}
            grid.append((bcubed(gold, predicted)["f1"], threshold, alpha))
    best_f1, threshold, alpha = max(grid)
    tfidf_f1, tfidf_threshold, _ = max(row for row in grid if row[2] == 0.0)
    setting = {"alpha": alpha, "threshold": threshold, "tfidf_threshold": tfidf_threshold}
    report = ClaimEvaluator(statements, gold, texts, embeddings, "dev")(setting)
    print(json.dumps({"setting": setting, "dev_bcubed_f1": best_f1, "dev_tfidf_bcubed_f1": tfidf_f1,
                      "by_alpha": {a: max(f for f, _, al in grid if al == a) for a in ALPHAS}}, indent=2))
    print(json.dumps({k: report[k] for k in ("pairwise", "bcubed")}))
    if args.write:
        path = PROJECT / "configs" / "claims.yaml"
        text = path.read_text(encoding="utf-8")
        for key, value in setting.items():
            text = re.sub(rf"^{key}: .*$", f"{key}: {value}", text, flags=re.MULTILINE)
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
