"""Experiment (issue 15): stance from the tagger's lower layers plus two stance-trained top layers.

Usage: python scripts/experiments/shared_trunk.py [--split-layer 4] [--epochs 6] [--json FILE]

The one-pass route with partial sharing. The attribution tagger already encodes every word
piece of an article. Its states after layer ``k`` (of 6) are kept, and a stance model reads
them: the top ``6 - k`` BERT layers (initialised from the distilled student's, then trained),
a learned vector added to the mention's pieces in place of marker tokens, and a linear head
over [mean of the claim; the mention's first piece]. At inference a mention then costs
``(6 - k) / 6`` of an encoder pass over its claim instead of a full pass. The lower layers
stay frozen, so the states are computed once and training is cheap.

Training mirrors the student: gold labels with label smoothing 0.1 plus the ensemble's
temperature-scaled probabilities (weight 0.5); the epoch is chosen on dev macro-F1 and a
temperature fitted on dev. Test figures beside the shipped models' (reports/stance-eval-test*.json).
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
import time
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from stance.classifier.corpus import examples_of, labels_of, load_split  # noqa: E402
from stance.classifier.evaluator import classification_report  # noqa: E402
from stance.classifier.model import LABELS  # noqa: E402
from stance.classifier.trainer import fit_temperature  # noqa: E402
from stance.cli.defaults import CORPUS_DIR  # noqa: E402


def trunk_states(rows, tokenizer, bert, layer: int, max_length: int = 128):
    """Per example: the tagger's states after ``layer`` (float16) and the mention's piece mask."""
    import torch

    out = []
    with torch.inference_mode():
        for offset in range(0, len(rows), 64):
            batch = rows[offset : offset + 64]
            encoded = tokenizer([r["text"] for r in batch], padding=True, truncation=True, max_length=max_length,
                                return_offsets_mapping=True, return_tensors="pt")
            offsets = encoded.pop("offset_mapping")
            hidden = bert(**encoded, output_hidden_states=True).hidden_states[layer]
            for i, row in enumerate(batch):
                n = int(encoded["attention_mask"][i].sum())
                spans = offsets[i, :n].tolist()
                mention = np.array([b > a and a < row["actor_end"] and b > row["actor_start"] for a, b in spans])
                out.append((hidden[i, :n].to(torch.float16).clone(), torch.tensor(mention)))
    return out


def build_top(student_encoder, layer: int, hidden: int = 384):
    import torch
    from torch import nn

    class Top(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList(copy.deepcopy(student_encoder.encoder.layer[layer:]))
            self.mention = nn.Parameter(torch.zeros(hidden))
            self.dropout = nn.Dropout(0.1)
            self.head = nn.Linear(2 * hidden, len(LABELS))

        def forward(self, states, mask, mention):
            states = states + mention.unsqueeze(-1).to(states.dtype) * self.mention
            additive = (1.0 - mask[:, None, None, :].to(states.dtype)) * torch.finfo(states.dtype).min
            for block in self.layers:
                states = block(states, attention_mask=additive)
                states = states[0] if isinstance(states, tuple) else states
            weights = mask.unsqueeze(-1).to(states.dtype)
            mean = (states * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            first = mention.to(torch.long).argmax(dim=1)
            at_mention = states[torch.arange(states.size(0)), first]
            return self.head(self.dropout(torch.cat([mean, at_mention], dim=-1)))

    return Top()


def collate(items):
    import torch

    width = max(s.size(0) for s, _ in items)
    states = torch.zeros(len(items), width, items[0][0].size(1))
    mask = torch.zeros(len(items), width, dtype=torch.long)
    mention = torch.zeros(len(items), width, dtype=torch.bool)
    for row, (s, m) in enumerate(items):
        states[row, : s.size(0)] = s.float()
        mask[row, : s.size(0)] = 1
        mention[row, : m.size(0)] = m
    return states, mask, mention


def logits_of(top, data, batch_size: int = 64) -> np.ndarray:
    import torch

    top.eval()
    order = sorted(range(len(data)), key=lambda i: data[i][0].size(0))
    out = np.zeros((len(data), len(LABELS)), dtype=np.float32)
    with torch.inference_mode():
        for offset in range(0, len(order), batch_size):
            batch = order[offset : offset + batch_size]
            out[batch] = top(*collate([data[i] for i in batch])).numpy()
    return out


def softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split-layer", type=int, default=4)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--json", default=str(PROJECT / "reports" / "experiment-shared-trunk.json"))
    args = parser.parse_args()
    import torch
    from torch import nn

    from stance.attribution.model import AttributionTagger
    from stance.lora.base import load_transformers_tokenizer
    from stance.classifier.model import StanceClassifier

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    splits = {name: load_split(CORPUS_DIR / f"{name}.jsonl") for name in ("train", "dev", "test")}
    teacher_cache = Path("/tmp/shared-trunk-teacher.npy")
    if teacher_cache.exists():
        teacher = np.load(teacher_cache)
    else:
        teacher = StanceClassifier.load(PROJECT / "stance/models/stance-classifier").predict_proba(examples_of(splits["train"]))
        np.save(teacher_cache, teacher)
    tagger = AttributionTagger.load()
    bert = tagger.model.encoder
    start = time.perf_counter()
    data = {name: trunk_states(list(split), load_transformers_tokenizer(), bert, args.split_layer) for name, split in splits.items()}
    encode_s = time.perf_counter() - start
    student = StanceClassifier.load(PROJECT / "stance/models/stance-classifier-student")
    top = build_top(student.networks()[0].encoder, args.split_layer)
    del student
    targets = {name: labels_of(split) for name, split in splits.items()}
    params = [
        {"params": [p for n, p in top.named_parameters() if n.startswith("layers.")], "lr": args.lr},
        {"params": [top.mention, *top.head.parameters()], "lr": 1e-3},
    ]
    optimiser = torch.optim.AdamW(params, weight_decay=0.01)
    batch_size = 16
    steps = args.epochs * ((len(data["train"]) + batch_size - 1) // batch_size)
    warmup = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: s / warmup if s < warmup else max(0.0, (steps - s) / (steps - warmup))
    )
    generator = np.random.default_rng(args.seed)
    soft = torch.tensor(teacher, dtype=torch.float32)
    gold = torch.tensor(targets["train"])
    history, best = [], (-1.0, None, 0)
    train_start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        top.train()
        order = np.argsort([s.size(0) + generator.random() * 8 for s, _ in data["train"]])
        batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
        generator.shuffle(batches)
        total = 0.0
        for batch in batches:
            logits = top(*collate([data["train"][i] for i in batch]))
            hard = nn.functional.cross_entropy(logits, gold[batch], label_smoothing=0.1)
            distil = -(soft[batch] * torch.log_softmax(logits, dim=-1)).sum(-1).mean()
            loss = 0.5 * hard + 0.5 * distil
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss) * len(batch)
        dev_f1 = classification_report(targets["dev"], softmax(logits_of(top, data["dev"])))["macro_f1"]
        history.append({"epoch": epoch, "train_loss": round(total / len(order), 4), "dev_macro_f1": round(dev_f1, 4)})
        print(history[-1], flush=True)
        if dev_f1 > best[0]:
            best = (dev_f1, copy.deepcopy(top.state_dict()), epoch)
    train_s = time.perf_counter() - train_start
    top.load_state_dict(best[1])
    dev_logits = logits_of(top, data["dev"])
    temperature = fit_temperature(dev_logits, targets["dev"])
    results = {}
    for name in ("dev", "test"):
        report = classification_report(targets[name], softmax(logits_of(top, data[name]) / temperature))
        results[name] = {"macro_f1": round(report["macro_f1"], 4), "deny_f1": round(report["per_label"]["deny"]["f1"], 4),
                         "ece": round(report["ece"], 4)}
    shipped = {}
    for name, file in (("ensemble", "stance-eval-test.json"), ("student", "stance-eval-test-student.json")):
        path = PROJECT / "reports" / file
        if path.exists():
            saved = json.loads(path.read_text())
            shipped[name] = {"macro_f1": saved.get("macro_f1"), "deny_f1": saved.get("per_label", {}).get("deny", {}).get("f1")}
    out = {"split_layer": args.split_layer, "top_layers": 6 - args.split_layer, "epochs": args.epochs, "lr": args.lr,
           "seed": args.seed, "best_epoch": best[2], "temperature": round(temperature, 4), "history": history,
           "trunk_encode_s": round(encode_s, 1), "train_s": round(train_s, 1), "results": results, "shipped": shipped}
    print(json.dumps(out, indent=2))
    Path(args.json).write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
