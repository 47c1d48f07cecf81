"""Fine-tuning the classifier: loss weights, temperature, and (slow) training runs on a tiny
corpus (real base weights, no hub)."""

import json

import numpy as np
import pytest

from stance.classifier import LABELS, MentionExample, StanceClassifier
from stance.classifier.trainer import example_weights, fit_temperature, train_classifier
from stance.config import LoraConfig, TrainConfig
from stance.errors import ConfigError

TINY = [
    ("Beijing denied the report.", "Beijing", "deny"),
    ("Paris welcomed the agreement warmly.", "Paris", "support"),
    ("Berlin condemned the attack.", "Berlin", "critical"),
    ("Tokyo urged both sides to show restraint.", "Tokyo", "neutral"),
    ("The summit will be held in Rome.", "Rome", "none"),
    ("Moscow rejected the allegations as false.", "Moscow", "deny"),
    ("Ottawa praised the deal.", "Ottawa", "support"),
    ("Canberra criticised the decision.", "Canberra", "critical"),
]


def _write(path, rows):
    with open(path, "w", encoding="utf-8") as handle:
        for text, actor, label in rows:
            start = text.index(actor)
            handle.write(json.dumps({"text": text, "actor": actor, "actor_start": start,
                                     "actor_end": start + len(actor), "label": label}) + "\n")


def _tiny_config(tmp_path, **overrides) -> TrainConfig:
    """A run on the TINY corpus (as both train and dev) with a small adapter."""
    _write(tmp_path / "train.jsonl", TINY)
    _write(tmp_path / "dev.jsonl", TINY)
    settings = dict(
        train_file=str(tmp_path / "train.jsonl"), dev_file=str(tmp_path / "dev.jsonl"),
        learning_rate=3e-3, batch_size=8, warmup_ratio=0.0, seed=1, lora=LoraConfig(r=4, alpha=8, dropout=0.0),
        epochs=6, label_smoothing=0.0, ensemble_size=1, mixed_precision="none",
    )
    return TrainConfig(**{**settings, **overrides})


@pytest.mark.slow
def test_classifier_overfits_tiny_corpus_and_save_load_round_trips(tmp_path):
    config = _tiny_config(tmp_path, epochs=25, lora=LoraConfig(r=8, alpha=16, dropout=0.0))
    model_dir = tmp_path / "model"
    meta = train_classifier(config, model_dir)
    assert meta["dev_f1_macro"] == 1.0
    assert meta["model_id"].startswith("stance-classifier@")
    loaded = StanceClassifier.load(model_dir)
    examples = [MentionExample(t, t.index(a), t.index(a) + len(a)) for t, a, _ in TINY]
    assert [p.label.value for p in loaded.predict(examples)] == [label for _, _, label in TINY]
    again = StanceClassifier.load(model_dir)
    np.testing.assert_allclose(loaded.predict_proba(examples), again.predict_proba(examples), atol=1e-6)
    sizes = sum(f.stat().st_size for f in model_dir.iterdir())
    assert sizes < 15 * 1024 * 1024


def test_classifier_temperature_fit_softens_overconfident_logits():
    rng = np.random.default_rng(0)
    targets = rng.integers(0, len(LABELS), 400)
    logits = rng.normal(size=(400, len(LABELS)))
    logits[np.arange(400), targets] += 1.0
    assert fit_temperature(logits * 5, targets) > 2.0


def test_example_weights_balance_labels_within_each_source_by_square_root():
    sources = ["polnear:a"] * 4 + ["written:b"] * 2
    labels = [0, 0, 0, 3, 0, 3]
    weights = example_weights(sources, labels, "sqrt_balanced_per_source")
    # polnear: 3 of label 0 and 1 of label 3 -> sqrt(4/6), sqrt(4/2); written: both sqrt(2/2).
    raw = np.array([np.sqrt(4 / 6)] * 3 + [np.sqrt(2.0), 1.0, 1.0])
    np.testing.assert_allclose(weights, raw / raw.mean(), rtol=1e-6)
    assert weights.mean() == pytest.approx(1.0)
    np.testing.assert_array_equal(example_weights(sources, labels, "none"), np.ones(6))


def test_train_config_rejects_an_unknown_class_weighting():
    with pytest.raises(ConfigError, match="class_weighting must be one of"):
        TrainConfig(class_weighting="balanced")


@pytest.mark.slow
def test_training_reports_the_late_epoch_weight_average(tmp_path):
    config = _tiny_config(tmp_path, epochs=3, average_from_epoch=2)
    meta = train_classifier(config, tmp_path / "model")
    (member,) = meta["members"]
    averaging = member["weight_averaging"]
    assert averaging["epochs"] == [2, 3]
    best_single = max(row["dev_f1_macro"] for row in member["history"])
    assert member["dev_f1_macro"] == (averaging["dev_f1_macro"] if averaging["chosen"] else best_single)
    assert meta["dev_f1_macro"] == member["dev_f1_macro"]
    assert averaging["chosen"] == (averaging["dev_f1_macro"] > best_single)
    with pytest.raises(ConfigError, match="average_from_epoch"):
        TrainConfig(epochs=3, average_from_epoch=4)


@pytest.mark.slow
def test_seed_ensemble_saves_one_folder_per_member_and_averages_their_logits(tmp_path):
    import torch

    config = _tiny_config(tmp_path, epochs=2, seed=5, ensemble_size=2, mixed_precision="bf16")
    model_dir = tmp_path / "model"
    meta = train_classifier(config, model_dir)
    assert [(m["seed"], m["dir"]) for m in meta["members"]] == [(5, "member-5"), (6, "member-6")]
    assert sorted(p.name for p in model_dir.iterdir()) == ["member-5", "member-6", "stance_model.json"]
    loaded = StanceClassifier.load(model_dir)
    first, second = loaded.networks()
    examples = [MentionExample(t, t.index(a), t.index(a) + len(a)) for t, a, _ in TINY]
    input_ids, attention = loaded.tokenizer.batch([e.marked() for e in examples], max_length=128)
    encoded = {"input_ids": input_ids, "attention_mask": attention}
    with torch.inference_mode():
        mean = (first(**encoded).logits + second(**encoded).logits) / 2
        expected = torch.softmax(mean / loaded.temperature, dim=-1).numpy()
    np.testing.assert_allclose(loaded.predict_proba(examples), expected, atol=1e-5)
    # Different seeds give different members.
    assert not torch.allclose(first.head.weight, second.head.weight)
    with pytest.raises(ConfigError, match="mixed_precision must be one of"):
        TrainConfig(mixed_precision="fp16")
    with pytest.raises(ConfigError, match="ensemble_size"):
        TrainConfig(ensemble_size=0)


@pytest.mark.parametrize("fraction", [0.0, -0.5, 1.5])
def test_train_fraction_outside_zero_one_is_rejected(fraction):
    with pytest.raises(ConfigError, match="train_fraction must be in"):
        TrainConfig(train_fraction=fraction)


@pytest.mark.slow
def test_distillation_learns_from_a_teachers_probabilities(tmp_path):
    teacher = tmp_path / "teacher"
    train_classifier(_tiny_config(tmp_path, epochs=1, seed=3), teacher)
    # Weight 1: only the teacher's probabilities drive the student, not the gold labels.
    config = _tiny_config(tmp_path, epochs=1, seed=4, distill_from=str(teacher), distill_weight=1.0)
    meta = train_classifier(config, tmp_path / "student")
    assert meta["config"]["distill_from"] == str(teacher) and len(meta["members"]) == 1
    plain = train_classifier(_tiny_config(tmp_path, epochs=1, seed=4), tmp_path / "plain")
    # Same seed and data, another target: the training losses differ.
    assert meta["members"][0]["history"][0]["train_loss"] != plain["members"][0]["history"][0]["train_loss"]
    with pytest.raises(ConfigError, match="distill_weight"):
        TrainConfig(distill_weight=1.5)
