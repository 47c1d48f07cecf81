"""Experiment (issue 15): stance from the attribution tagger's token states, no second encoder.

Usage: python scripts/experiments/shared_encoding.py [--json FILE]

The "one encoder pass per article" route: the tagger already encodes every word piece of an
article; a stance head could read each mention from those states instead of re-encoding the
claim per mention. This measures the ceiling of the cheapest version: the tagger's encoder
frozen, each corpus example encoded once without markers, features
[mean of the claim's states; state at the mention's first piece; at its last piece], and a
logistic regression (C chosen on dev) on top. Test macro-F1 and deny F1 beside the shipped
classifier's (reports/stance-eval-test.json).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from stance.classifier.corpus import load_split  # noqa: E402
from stance.classifier.evaluator import classification_report  # noqa: E402
from stance.classifier.model import LABELS  # noqa: E402
from stance.cli.defaults import CORPUS_DIR  # noqa: E402


def features(rows, tokenizer, encoder) -> np.ndarray:
    import torch

    out = []
    with torch.inference_mode():
        for offset in range(0, len(rows), 32):
            batch = rows[offset : offset + 32]
            encoded = tokenizer([r["text"] for r in batch], padding=True, truncation=True, max_length=128,
                                return_offsets_mapping=True, return_tensors="pt")
            offsets = encoded.pop("offset_mapping")
            states = encoder(**encoded).last_hidden_state
            mask = encoded["attention_mask"].unsqueeze(-1).to(states.dtype)
            mean = (states * mask).sum(1) / mask.sum(1)
            for i, row in enumerate(batch):
                spans = offsets[i].tolist()
                inside = [j for j, (a, b) in enumerate(spans) if b > a and a < row["actor_end"] and b > row["actor_start"]]
                first, last = (inside[0], inside[-1]) if inside else (0, 0)
                out.append(torch.cat([mean[i], states[i, first], states[i, last]]).numpy())
    return np.stack(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    import torch
    from sklearn.linear_model import LogisticRegression

    from stance.attribution.model import AttributionTagger
    from stance.lora.base import load_transformers_tokenizer

    torch.set_num_threads(2)
    tagger = AttributionTagger.load()
    encoder = tagger.model.encoder  # the token classifier's encoder, adapter merged
    splits = {name: [dict(r) for r in load_split(CORPUS_DIR / f"{name}.jsonl")] for name in ("train", "dev", "test")}
    x = {name: features(rows, load_transformers_tokenizer(), encoder) for name, rows in splits.items()}
    y = {name: np.array([LABELS.index(r["label"]) for r in rows]) for name, rows in splits.items()}
    best = None
    for c in (0.1, 0.3, 1.0, 3.0):
        model = LogisticRegression(C=c, max_iter=3000).fit(x["train"], y["train"])
        score = classification_report(y["dev"], model.predict_proba(x["dev"]))["macro_f1"]
        if best is None or score > best[0]:
            best = (score, c, model)
    _, c, model = best
    test = classification_report(y["test"], model.predict_proba(x["test"]))
    shipped = json.loads((PROJECT / "reports" / "stance-eval-test.json").read_text(encoding="utf-8"))
    report = {"C": c, "dev_macro_f1": round(best[0], 4), "test_macro_f1": test["macro_f1"],
              "test_deny_f1": test["per_label"]["deny"]["f1"], "shipped_test_macro_f1": shipped["macro_f1"]}
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
