"""Shared fixtures: the registry, hand-built articles, and the bundled model (loaded once)."""

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


@pytest.fixture(scope="session")
def registry():
    from stance.actors import ActorRegistry

    return ActorRegistry.from_yaml(PROJECT / "configs" / "actors.yaml")


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
