"""Compose the stages named in ``configs/pipeline.yaml`` into one scoring pipeline.

Each stage has the same contract (``__call__(article) -> article`` and
``pipe(articles, batch_size)``) and declares what it ``requires`` and ``assigns``;
the pipeline checks at build time that every requirement is met by an earlier stage.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from stance.actors import ActorLinker, ActorRegistry
from stance.attribution import AttributionTagger
from stance.attribution_segmenter import AttributionSegmenter
from stance.classifier import StanceClassifier, StanceTagger
from stance.config import CONFIG_DIR, PipelineConfig, config_file, load_config
from stance.data import Article
from stance.errors import ConfigError
from stance.holders import HolderResolver
from stance.ingest import TextCleaner
from stance.segmenter import ClaimSegmenter

STAGES: dict[str, type] = {
    "clean": TextCleaner,
    "segment": ClaimSegmenter,
    "attribute": AttributionSegmenter,
    "link": ActorLinker,
    "holders": HolderResolver,
    "classify": StanceTagger,
}


class Pipeline:
    """An ordered list of stages applied to articles."""

    def __init__(self, stages: list, config: PipelineConfig, registry: ActorRegistry):
        self.stages = stages
        self.config = config
        self.registry = registry
        _check_requirements(stages)

    @classmethod
    def from_config(
        cls,
        config: PipelineConfig | str | Path | None = None,
        classifier: StanceClassifier | None = None,
        registry: ActorRegistry | None = None,
        tagger: AttributionTagger | None = None,
    ) -> Pipeline:
        """Build the stages in config order; models are loaded only if a stage needs them."""
        if not isinstance(config, PipelineConfig):
            config = load_config(config or CONFIG_DIR / "pipeline.yaml", PipelineConfig)
        registry = registry or ActorRegistry.from_yaml(config_file(config.actors_file))
        stages = []
        for name in config.stages:
            if name not in STAGES:
                raise ConfigError(f"unknown stage {name!r} in 'stages'; known: {', '.join(STAGES)}")
            if name == "clean":
                stages.append(TextCleaner(config.ingest))
            elif name == "segment":
                stages.append(ClaimSegmenter(config.segmenter))
            elif name == "attribute":
                tagger = tagger or AttributionTagger.load(config=config.attribution)
                stages.append(AttributionSegmenter(tagger, ClaimSegmenter(config.segmenter)))
            elif name == "link":
                stages.append(ActorLinker(registry))
            elif name == "holders":
                stages.append(HolderResolver(registry, config.holders))
            else:
                classifier = classifier or StanceClassifier.load(config=config.classifier)
                stages.append(StanceTagger(classifier, principal=registry.principal))
        return cls(stages, config, registry)

    @property
    def model_id(self) -> str | None:
        tagger = next((s for s in self.stages if isinstance(s, StanceTagger)), None)
        return tagger.classifier.model_id if tagger else None

    def __call__(self, article: Article) -> Article:
        for stage in self.stages:
            article = stage(article)
        return article

    def pipe(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Article]:
        stream: Iterable[Article] = articles
        for stage in self.stages:
            stream = stage.pipe(stream, batch_size=batch_size)
        return iter(stream)


def _check_requirements(stages: list) -> None:
    available: set[str] = set()
    for stage in stages:
        missing = [r for r in stage.requires if r not in available]
        if missing:
            raise ConfigError(
                f"stage {stage.name!r} requires {missing}, which no earlier stage assigns; "
                f"reorder 'stages' in the pipeline config"
            )
        available.update(stage.assigns)
