"""Fine-tune the stance classifier: LoRA members over the bundled MiniLM, each selected on
dev macro-F1, then one softmax temperature fitted on dev so the probabilities mean what
they say.

Kept apart from ``StanceClassifier`` (which only loads, predicts and saves) and from the
CLI, in the spirit of scikit-learn's estimator/fit split. The loop itself is the shared
``stance.lora.finetune.fine_tune``; this module supplies the data, the loss and the
dev score.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from stance.classifier.corpus import examples_of, labels_of, load_split, subsample_topics
from stance.classifier.evaluator import StanceEvaluator, classification_report
from stance.classifier.model import LABELS, MENTION_START, StanceClassifier, build_network, ensemble_of, load_marked_tokenizer
from stance.config import ClassifierConfig, TrainConfig, required_path
from stance.lora.base import BASE_MODEL, load_encoder
from stance.lora.finetune import Schedule, fine_tune, git_sha, package_versions, set_seed
from stance.lora.model import add_lora, use_threads


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


@dataclass
class _TrainingData:
    """What every ensemble member trains and is selected on."""

    texts: list[str]
    targets: "torch.Tensor"  # noqa: F821
    weights: "torch.Tensor | None"  # noqa: F821
    dev_evaluator: StanceEvaluator
    # A teacher's probabilities on the train texts (distillation), or None.
    teacher: "torch.Tensor | None" = None  # noqa: F821


def train_classifier(
    config: TrainConfig, output_dir: str | Path, train_file: str | Path | None = None, dev_file: str | Path | None = None
) -> dict:
    """Fine-tune ``ensemble_size`` members, each selected on dev macro-F1, fit one
    temperature on dev for their mean logits, and save.

    ``train_file`` and ``dev_file`` default to the config's (read as given); the CLI passes
    the checkout's corpus splits. The metadata keeps the config as it was written.

    Returns:
        The training report (per-member dev curves and chosen epochs, ensemble dev
        macro-F1, temperature), which is also written into the model folder's metadata.
    """
    import torch

    use_threads(config.num_threads)
    # The commit the run started from: its corpus splits are the ones trained on.
    started_at = git_sha()
    output_dir = Path(output_dir)
    train_file = required_path(train_file, config.train_file, "train_file")
    dev_set = load_split(required_path(dev_file, config.dev_file, "dev_file"))
    train_set = subsample_topics(load_split(train_file), config.train_fraction, config.seed)
    tokenizer = load_marked_tokenizer()
    targets = labels_of(train_set)
    # Rows without a provenance (user corpora) form one group.
    sources = train_set["source"] if "source" in train_set.column_names else [""] * len(train_set)
    weights = example_weights(sources, targets.tolist(), config.class_weighting)
    teacher = None
    if config.distill_from:
        # The teacher's calibrated probabilities: a seed ensemble distilled into one student.
        teacher_model = StanceClassifier.load(required_path(None, config.distill_from, "distill_from"))
        teacher = torch.tensor(teacher_model.predict_proba(examples_of(train_set)), dtype=torch.float32)
    data = _TrainingData(
        texts=[example.marked() for example in examples_of(train_set)],
        targets=torch.tensor(targets),
        weights=torch.tensor(weights) if config.class_weighting != "none" else None,
        dev_evaluator=StanceEvaluator(dev_set, name="dev"),
        teacher=teacher,
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
    # Probabilities at temperature 1, and the logits they come from (up to a constant).
    dev_probabilities = classifier.predict_proba(examples_of(dev_set))
    dev_logits = np.log(np.clip(dev_probabilities, 1e-12, None))
    dev_targets = labels_of(dev_set)
    temperature = fit_temperature(dev_logits, dev_targets)
    classifier.temperature = temperature
    report = {
        "name": "stance-classifier",
        "labels": LABELS,
        "base_model": BASE_MODEL,
        "train_examples": len(train_set),
        "dev_examples": len(dev_set),
        "members": members,
        # The ensemble's own dev score (one member: its best epoch's).
        "dev_f1_macro": classification_report(dev_targets, dev_probabilities)["macro_f1"],
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
    set_seed(seed)
    encoder = add_lora(load_encoder(), config.lora, "FEATURE_EXTRACTION")
    model = build_network(encoder, tokenizer.token_id(MENTION_START), config.lora.dropout, config.label_smoothing)
    classifier = StanceClassifier(model, tokenizer, {"model_id": "training"}, clf_config)

    def loss_of(indices):
        input_ids, attention = tokenizer.batch([data.texts[i] for i in indices], config.max_length)
        weights = data.weights[indices] if data.weights is not None else None
        output = model(input_ids=input_ids, attention_mask=attention, labels=data.targets[indices], weights=weights)
        if data.teacher is None:
            return output.loss
        import torch

        # Distillation: cross-entropy against the teacher's probabilities (KL up to a constant).
        soft = -(data.teacher[indices] * torch.log_softmax(output.logits, dim=-1)).sum(dim=-1).mean()
        return (1 - config.distill_weight) * output.loss + config.distill_weight * soft

    result = fine_tune(
        model,
        Schedule.of(config, len(data.texts), seed),
        batches=lambda generator: length_bucketed_batches(data.texts, config.batch_size, generator),
        loss_of=loss_of,
        dev_score=lambda: data.dev_evaluator(classifier)[data.dev_evaluator.primary_metric],
        keep=lambda key: "lora_" in key or key.startswith("head."),
        metric="dev_f1_macro",
    )
    member = {
        "seed": seed,
        "best_epoch": result.best_epoch,
        "dev_f1_macro": result.best_score,
        "history": result.history,
        "weight_averaging": result.averaging,
    }
    return model, member


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
