"""``Pipeline``: the stages named in ``configs/pipeline.yaml``, built and checked in one place.

Every command and the nightly job get their pipeline from ``Pipeline.from_config``:
``STAGES`` maps each stage name to the factory that builds it from the config and the
shared resources (registry, models), and the requirement check runs on every pipeline.
Models are loaded only when a stage that needs them is built, so a model-free pipeline
(``[clean, segment, link]``) starts instantly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from stance.actors import ActorRegistry
from stance.config import PipelineConfig, load_config
from stance.data import Article
from stance.errors import ConfigError
from stance.pipeline.attribute import ClaimAttributor
from stance.pipeline.classify import StanceLabeller
from stance.pipeline.discover import ActorDiscoverer
from stance.pipeline.clean import TextCleaner
from stance.pipeline.holders import HolderResolver
from stance.pipeline.link import ActorLinker
from stance.pipeline.propose import PropositionExtractor
from stance.pipeline.segment import ClaimSegmenter
from stance.pipeline.stage import Stage


@dataclass
class Resources:
    """What stage factories build from besides the config: the registry, and the models,
    loaded on first use (tests and callers may pass their own)."""

    config: PipelineConfig
    registry: ActorRegistry
    classifier: object | None = None
    tagger: object | None = None
    nlp: object | None = None

    def stance_classifier(self):
        if self.classifier is None:
            from stance.classifier.model import StanceClassifier

            self.classifier = StanceClassifier.load(config=self.config.classifier)
        return self.classifier

    def ner(self):
        """The spaCy pipeline for named entities (lemmatizer left out: not used)."""
        if self.nlp is None:
            from stance.pipeline.discover import load_ner

            self.nlp = load_ner(self.config.discovery.model)
        return self.nlp

    def attribution_tagger(self):
        if self.tagger is None:
            from stance.attribution.model import AttributionTagger

            self.tagger = AttributionTagger.load(config=self.config.attribution)
        return self.tagger


STAGES: dict[str, Callable[[Resources], Stage]] = {
    "clean": lambda r: TextCleaner(r.config.ingest),
    "segment": lambda r: ClaimSegmenter(r.config.segmenter),
    "attribute": lambda r: ClaimAttributor(r.attribution_tagger(), ClaimSegmenter(r.config.segmenter)),
    "link": lambda r: ActorLinker(r.registry),
    "discover": lambda r: ActorDiscoverer(r.ner(), r.registry, r.config.discovery, r.config.holders),
    "holders": lambda r: HolderResolver(r.registry, r.config.holders, r.ner()),
    "propose": lambda r: PropositionExtractor(r.registry),
    "classify": lambda r: StanceLabeller(r.stance_classifier(), principal=r.registry.principal),
}


class Pipeline:
    """An ordered list of stages applied to articles."""

    def __init__(self, stages: list[Stage], config: PipelineConfig, registry: ActorRegistry):
        self.stages = stages
        self.config = config
        self.registry = registry
        _check_requirements(stages)

    @classmethod
    def from_config(
        cls,
        config: PipelineConfig | str | Path = PipelineConfig(),
        classifier=None,
        registry: ActorRegistry | None = None,
        tagger=None,
        stages: Sequence[str] | None = None,
        nlp=None,
    ) -> Pipeline:
        """Build the stages in config order (or the names in ``stages``).

        Args:
            config: a loaded config, or the path of a pipeline YAML file.
            classifier, tagger, nlp: models to use instead of loading the configured ones.
            registry: the actor registry; by default ``config.actors_file``, relative to
                the config file's folder when ``config`` is a path.
            stages: stage names overriding ``config.stages`` (``stance attributions``
                runs the stages up to ``holders``).
        """
        actors_base = Path(".")
        if not isinstance(config, PipelineConfig):
            actors_base = Path(config).parent
            config = load_config(config, PipelineConfig)
        registry = registry or ActorRegistry.from_yaml(actors_base / config.actors_file)
        resources = Resources(config, registry, classifier, tagger, nlp)
        built = []
        for name in stages if stages is not None else config.stages:
            if name not in STAGES:
                raise ConfigError(f"unknown stage {name!r} in 'stages'; known: {', '.join(STAGES)}")
            built.append(STAGES[name](resources))
        return cls(built, config, registry)

    @property
    def model_id(self) -> str | None:
        labeller = next((s for s in self.stages if isinstance(s, StanceLabeller)), None)
        return labeller.classifier.model_id if labeller else None

    def __call__(self, article: Article) -> Article:
        """Score one article against the registry as it was before the article: what an
        earlier article discovered is forgotten first, so an article gets the same answer
        alone, in any batch, in any order, on any worker (``stance.ray_engine``). ``pipe``
        runs a whole batch stage by stage, so there discoveries last the batch."""
        self.registry.forget_article_discoveries()
        for stage in self.stages:
            article = stage(article)
        return article

    def pipe(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Article]:
        stream: Iterable[Article] = articles
        for stage in self.stages:
            stream = stage.pipe(stream, batch_size=batch_size)
        return iter(stream)


STAGE_CLASSES = {
    stage.name: stage
    for stage in (TextCleaner, ClaimSegmenter, ClaimAttributor, ActorLinker, ActorDiscoverer, HolderResolver,
                  PropositionExtractor, StanceLabeller)
}


def check_stage_names(names: Sequence[str]) -> None:
    """Check a stage list (known names, each stage after what it requires) without building
    any stage or loading any model, so a config error is reported before anything loads.

    Raises:
        ConfigError: an unknown stage, or one before the stage it needs.
    """
    unknown = [name for name in names if name not in STAGE_CLASSES]
    if unknown:
        raise ConfigError(f"unknown stage {unknown[0]!r} in 'stages'; known: {', '.join(STAGES)}")
    _check_requirements([STAGE_CLASSES[name] for name in names])


def _check_requirements(stages: list[Stage]) -> None:
    available: set[str] = set()
    for stage in stages:
        missing = [r for r in stage.requires if r not in available]
        if missing:
            raise ConfigError(
                f"stage {stage.name!r} requires {missing}, which no earlier stage assigns; "
                f"reorder 'stages' in the pipeline config"
            )
        available.update(stage.assigns)
