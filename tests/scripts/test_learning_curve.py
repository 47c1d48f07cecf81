"""Topic subsampling for learning curves, and the curve summary."""

import importlib.util
from pathlib import Path

import pytest
from datasets import Dataset

from stance.config import TrainConfig
from stance.errors import ConfigError
from stance.classifier.corpus import subsample_topics

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "learning_curve.py"


def _learning_curve_module():
    spec = importlib.util.spec_from_file_location("learning_curve", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(topic_sizes: dict[str, int]) -> Dataset:
    topics = [topic for topic, size in topic_sizes.items() for _ in range(size)]
    return Dataset.from_dict({"text": [f"{t} {i}" for i, t in enumerate(topics)], "topic": topics})


def test_subsample_keeps_whole_topics_and_about_the_share_of_rows():
    dataset = _rows({f"article-{n}": 1 + n % 4 for n in range(40)})
    part = subsample_topics(dataset, 0.25, seed=13)
    kept = set(part["topic"])
    # Every kept topic is kept whole.
    assert sorted(part["topic"]) == sorted(t for t in dataset["topic"] if t in kept)
    # Stops at the first topic that reaches the share: at most one topic (4 rows) over.
    assert len(dataset) * 0.25 <= len(part) < len(dataset) * 0.25 + 4


def test_subsample_depends_on_the_seed_only_and_grows_with_the_fraction():
    dataset = _rows({f"article-{n}": 2 for n in range(30)})
    assert subsample_topics(dataset, 0.3, seed=13)["topic"] == subsample_topics(dataset, 0.3, seed=13)["topic"]
    assert set(subsample_topics(dataset, 0.3, seed=13)["topic"]) != set(subsample_topics(dataset, 0.3, seed=14)["topic"])
    # The same seed draws topics in one order, so a larger share contains a smaller one.
    assert set(subsample_topics(dataset, 0.3, seed=13)["topic"]) <= set(subsample_topics(dataset, 0.6, seed=13)["topic"])
    assert subsample_topics(dataset, 1.0, seed=13) is dataset


def test_subsample_without_topics_samples_rows():
    dataset = Dataset.from_dict({"text": [str(i) for i in range(20)]})
    assert len(subsample_topics(dataset, 0.5, seed=1)) == 10


@pytest.mark.parametrize("fraction", [0.0, -0.5, 1.5])
def test_train_fraction_outside_zero_one_is_rejected(fraction):
    with pytest.raises(ConfigError, match="train_fraction must be in"):
        TrainConfig(train_fraction=fraction)


def test_curve_summary_averages_seeds_and_gives_the_gain_per_doubling():
    module = _learning_curve_module()
    points = [
        {"fraction": 0.5, "seed": 13, "train_examples": 1000, "dev_macro_f1": 0.60, "dev_by_source": {"polnear": 0.5}, "minutes": 1.0},
        {"fraction": 0.5, "seed": 14, "train_examples": 1000, "dev_macro_f1": 0.64, "dev_by_source": {"polnear": 0.6}, "minutes": 1.0},
        {"fraction": 1.0, "seed": 13, "train_examples": 2000, "dev_macro_f1": 0.67, "dev_by_source": {"polnear": 0.6}, "minutes": 1.0},
    ]
    first, second = module.summarise(points)
    assert (first["seeds"], first["train_examples"]) == (2, 1000)
    assert first["dev_macro_f1"] == pytest.approx(0.62)
    assert first["dev_by_source"]["polnear"] == pytest.approx(0.55)
    assert "gain_per_doubling" not in first
    assert second["gain_per_doubling"] == pytest.approx(0.05)
    table = module.markdown([first, second], points)
    assert "| 1 | 2000 | 1 | 0.6700 | 0.6000 | +0.0500 |" in table
