"""Shared fixtures: the registry, the eval config, hand-built articles, and the bundled
models (loaded once).

Tests that use a fixture loading a bundled model (``MODEL_FIXTURES``) must be marked
``slow``: collection fails otherwise, so ``make test-fast`` (``-m "not slow"``) never loads
a model. Tests that load a model another way (a CLI command, a script, ``.load()``) are
marked by hand.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

PROJECT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT.parent / "shared" / "data"
SEED_ARTICLE = PROJECT / "examples" / "xi_moscow_visit_2023.txt"

# Fixtures below that load the bundled stance classifier and attribution tagger.
MODEL_FIXTURES = ("classifier", "pipeline", "seed_article")


def pytest_collection_modifyitems(config, items):
    unmarked = [
        item.nodeid
        for item in items
        if set(MODEL_FIXTURES) & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("slow") is None
    ]
    if unmarked:
        raise pytest.UsageError(
            f"tests using a model fixture {MODEL_FIXTURES} must be marked @pytest.mark.slow: " + ", ".join(unmarked)
        )


@pytest.fixture(scope="session")
def registry():
    from stance.actors import ActorRegistry

    return ActorRegistry.from_yaml(PROJECT / "configs" / "actors.yaml")


@pytest.fixture(scope="session")
def eval_config():
    from stance.config import EvalConfig, load_config

    return load_config(PROJECT / "configs" / "eval.yaml", EvalConfig)


@pytest.fixture(scope="session")
def classifier():
    from stance.classifier import StanceClassifier

    return StanceClassifier.load()


@pytest.fixture(scope="session")
def pipeline(classifier, registry):
    from stance.pipeline import Pipeline

    return Pipeline.from_config(PROJECT / "configs" / "pipeline.yaml", classifier=classifier, registry=registry)


@pytest.fixture(scope="session")
def seed_article(pipeline):
    from stance.io.ingest import read_articles

    (article,) = list(read_articles(SEED_ARTICLE))
    return pipeline(article)


@pytest.fixture
def polnear_dir():
    path = SHARED_DATA / "polnear"
    if not path.exists():
        pytest.skip(f"PolNeAR not available at {path}")
    return path
