"""stance: who holds which stance on what in news articles, and how it changes.

The public API. Data flows Article → Claim → Mention → Stance → timeline point:

    >>> from stance import Article, Pipeline
    >>> pipeline = Pipeline.from_config("configs/pipeline.yaml")
    >>> article = pipeline(Article(id="a", text="Beijing denied the report."))
    >>> [(s.actor_id, s.label.value) for s in article.claims[0].stances]
    [('china', 'deny')]

Names are imported on first use, so ``import stance`` stays cheap (no torch).
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "Article": "stance.data",
    "ArticleStance": "stance.data",
    "DiscoveredActor": "stance.data",
    "Proposition": "stance.data",
    "Attribution": "stance.data",
    "Claim": "stance.data",
    "Label": "stance.data",
    "Mention": "stance.data",
    "Span": "stance.data",
    "Stance": "stance.data",
    "StanceRecord": "stance.data",
    "TimelinePoint": "stance.data",
    "ActorRegistry": "stance.actors",
    "build_timeline": "stance.timelines.build",
    "load_config": "stance.config",
    "Pipeline": "stance.pipeline.core",
    "StanceClassifier": "stance.classifier.model",
    "MentionExample": "stance.classifier.model",
    "AttributionTagger": "stance.attribution.model",
    "read_articles": "stance.io.ingest",
    "StanceStore": "stance.io.store",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'stance' has no attribute {name!r}")
