"""The learning-curve summary of scripts/learning_curve.py (topic subsampling itself is
tested in tests/classifier/test_corpus.py)."""

import importlib.util

import pytest

from tests.conftest import PROJECT

SCRIPT = PROJECT / "scripts" / "learning_curve.py"


def _learning_curve_module():
    spec = importlib.util.spec_from_file_location("learning_curve", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
