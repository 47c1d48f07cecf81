"""Experiment (issue 15): one encoder pass per claim instead of one per mention.

Usage: python scripts/experiments/packed_markers.py [--epochs 3] [--json FILE]

Today the classifier encodes a claim once for every actor mention in it, with that mention
wrapped in marker tokens. Here every labelled mention of a claim is wrapped at once ("packed"
markers), the claim is encoded once, and each mention is classified from
[mean of the claim's states; state at its own start marker], the shipped network's
features. Trained like the distilled student (configs/train_student.yaml: one LoRA member,
3 epochs, gold labels plus the ensemble's probabilities at weight 0.5, same seed), selected
on dev, temperature fitted on dev, then scored on test; the speed of per-mention and packed
inference is measured on the test split in the same run. Nothing here is used by the pipeline.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from stance.classifier.corpus import examples_of, labels_of, load_split  # noqa: E402
from stance.classifier.evaluator import classification_report  # noqa: E402
from stance.classifier.model import (  # noqa: E402
    LABELS, MENTION_END, MENTION_START, StanceClassifier, build_network)
from stance.classifier.trainer import fit_temperature  # noqa: E402
from stance.cli.defaults import CONFIG_DIR, CORPUS_DIR, PROJECT_DIR  # noqa: E402
from stance.config import TrainConfig, load_config  # noqa: E402
from stance.lora.base import load_encoder, load_transformers_tokenizer  # noqa: E402
from stance.lora.finetune import Schedule, fine_tune, set_seed  # noqa: E402
from stance.lora.model import add_lora, use_threads  # noqa: E402


def packed(rows: list[dict]) -> list[tuple[str, list[int]]]:
    """``(text with every mention marked, row indices in marker order)`` per sequence: the rows
    of one claim text together, mentions that overlap an earlier one in a sequence of their own."""
    by_text = defaultdict(list)
    for index, row in enumerate(rows):
        by_text[row["text"]].append(index)
    sequences = []
    for text, indices in by_text.items():
        pending = sorted(indices, key=lambda i: (rows[i]["actor_start"], rows[i]["actor_end"]))
        while pending:
            chosen, rest, end = [], [], -1
            for i in pending:
                (chosen if rows[i]["actor_start"] >= end else rest).append(i)
                if chosen and chosen[-1] == i:
                    end = rows[i]["actor_end"]
            marked, position = [], 0
            for i in chosen:
                start, stop = rows[i]["actor_start"], rows[i]["actor_end"]
                marked += [text[position:start], f"{MENTION_START} {text[start:stop]} {MENTION_END}"]
                position = stop
            marked.append(text[position:])
            sequences.append(("".join(marked), chosen))
            pending = rest
    return sequences


def packed_logits(network, tokenizer, sequences, max_length: int, batch_size: int = 32):
    """Logits of every marked mention, in (sequence, marker) order."""
    import torch

    marker = tokenizer.convert_tokens_to_ids(MENTION_START)
    # Batches of similar length (little padding), as the shipped classifier batches mentions.
    order = sorted(range(len(sequences)), key=lambda i: len(sequences[i][0]))
    pieces: dict[int, torch.Tensor] = {}
    for offset in range(0, len(order), batch_size):
        chosen = order[offset : offset + batch_size]
        batch = [sequences[i] for i in chosen]
        encoded = tokenizer([text for text, _ in batch], padding=True, truncation=True, max_length=max_length, return_tensors="pt")
        logits = _mention_logits(network, encoded, marker, [len(rows) for _, rows in batch])
        position = 0
        for i, (_, rows) in zip(chosen, batch):
            pieces[i] = logits[position : position + len(rows)]
            position += len(rows)
    return torch.cat([pieces[i] for i in range(len(sequences))])


def _mention_logits(network, encoded, marker: int, counts: list[int]):
    import torch

    states = network.encoder(**encoded).last_hidden_state
    mask = encoded["attention_mask"].unsqueeze(-1).to(states.dtype)
    mean = (states * mask).sum(1) / mask.sum(1).clamp(min=1.0)
    features = []
    for i, count in enumerate(counts):
        positions = (encoded["input_ids"][i] == marker).nonzero().flatten().tolist()
        # A marker cut off by truncation falls back to [CLS], as in the shipped network.
        positions = (positions + [0] * count)[:count]
        features += [torch.cat([mean[i], states[i, p]]) for p in positions]
    return network.head(network.dropout(torch.stack(features)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    import torch

    config = replace(load_config(CONFIG_DIR / "train_student.yaml", TrainConfig), epochs=args.epochs)
    use_threads(config.num_threads)
    splits = {name: [dict(r) for r in load_split(CORPUS_DIR / f"{name}.jsonl")] for name in ("train", "dev", "test")}
    sequences = {name: packed(rows) for name, rows in splits.items()}
    targets = {name: labels_of(load_split(CORPUS_DIR / f"{name}.jsonl")) for name in splits}
    teacher_model = StanceClassifier.load(PROJECT_DIR / config.distill_from)
    teacher = torch.tensor(teacher_model.predict_proba(examples_of(load_split(CORPUS_DIR / "train.jsonl"))), dtype=torch.float32)
    tokenizer = load_transformers_tokenizer((MENTION_START, MENTION_END))
    set_seed(config.seed)
    network = build_network(add_lora(load_encoder(), config.lora, "FEATURE_EXTRACTION"), tokenizer.convert_tokens_to_ids(MENTION_START), config.lora.dropout, config.label_smoothing)
    marker = tokenizer.convert_tokens_to_ids(MENTION_START)
    train_sequences = sequences["train"]

    def loss_of(batch):
        chosen = [train_sequences[i] for i in batch]
        encoded = tokenizer([t for t, _ in chosen], padding=True, truncation=True, max_length=config.max_length, return_tensors="pt")
        logits = _mention_logits(network, encoded, marker, [len(rows) for _, rows in chosen])
        rows = torch.tensor([r for _, rows in chosen for r in rows])
        gold = torch.nn.functional.cross_entropy(logits, torch.tensor(targets["train"])[rows], label_smoothing=config.label_smoothing)
        soft = -(teacher[rows] * torch.log_softmax(logits, -1)).sum(-1).mean()
        return (1 - config.distill_weight) * gold + config.distill_weight * soft

    def probabilities(name: str, temperature: float = 1.0) -> np.ndarray:
        with torch.inference_mode():
            logits = packed_logits(network, tokenizer, sequences[name], config.max_length)
        order = [r for _, rows in sequences[name] for r in rows]
        result = np.zeros((len(splits[name]), len(LABELS)))
        result[order] = torch.softmax(logits / temperature, -1).numpy()
        return result

    def batches(generator):
        order = torch.randperm(len(train_sequences), generator=generator).tolist()
        return [order[i : i + config.batch_size] for i in range(0, len(order), config.batch_size)]

    start = time.perf_counter()
    result = fine_tune(
        network, Schedule.of(config, len(train_sequences), config.seed), batches, loss_of,
        dev_score=lambda: classification_report(targets["dev"], probabilities("dev"))["macro_f1"],
        keep=lambda key: "lora_" in key or key.startswith("head."), metric="dev_f1_macro",
    )
    train_minutes = (time.perf_counter() - start) / 60
    dev = probabilities("dev")
    temperature = fit_temperature(np.log(np.clip(dev, 1e-12, None)), targets["dev"])
    test = classification_report(targets["test"], probabilities("test", temperature))
    # Speed on the test split, same run: the shipped student per mention against packed.
    student = StanceClassifier.load(PROJECT_DIR / "stance/models/stance-classifier-student")
    start = time.perf_counter()
    student.predict_proba(examples_of(load_split(CORPUS_DIR / "test.jsonl")))
    per_mention = time.perf_counter() - start
    start = time.perf_counter()
    probabilities("test", temperature)
    packed_s = time.perf_counter() - start
    report = {
        "train_sequences": len(train_sequences), "train_rows": len(splits["train"]), "train_minutes": round(train_minutes, 1),
        "history": result.history, "best_epoch": result.best_epoch, "temperature": temperature,
        "test_macro_f1": test["macro_f1"], "test_deny_f1": test["per_label"]["deny"]["f1"], "test_ece": test["ece"],
        "test_mentions": len(splits["test"]), "test_sequences": len(sequences["test"]),
        "per_mention_s": round(per_mention, 2), "packed_s": round(packed_s, 2), "speedup": round(per_mention / packed_s, 2),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
