"""Where things are in a checkout: the only place the library's default paths are set.

The library takes every path as an argument; the CLI and the scripts fill in these
defaults. Relative paths inside config files (corpus splits, PolNeAR) are resolved here
too, against the checkout, so a run behaves the same from any working directory.
"""

from __future__ import annotations

from pathlib import Path

from stance.actors import ActorRegistry
from stance.config import PipelineConfig, load_config

PROJECT_DIR = Path(__file__).resolve().parents[2]
CONFIG_DIR = PROJECT_DIR / "configs"
CORPUS_DIR = PROJECT_DIR / "data" / "stance"
ARTICLE_SET_DIR = PROJECT_DIR / "data" / "articles"
CLAIM_SET_DIR = PROJECT_DIR / "data" / "claims"
REPORTS_DIR = PROJECT_DIR / "reports"
MODEL_CARDS_DIR = PROJECT_DIR / "model_cards"
EXAMPLE_ARTICLE = PROJECT_DIR / "examples" / "xi_moscow_visit_2023.txt"
POLNEAR_DIR = PROJECT_DIR.parent / "shared" / "data" / "polnear"


def config_file(name: str | Path) -> Path:
    """Resolve a config file name: as given if it exists, else under ``configs/``."""
    path = Path(name)
    return path if path.is_absolute() or path.exists() else CONFIG_DIR / path


def project_path(path: str | Path) -> Path:
    """A path from a config: as given if it exists from here, else relative to the checkout
    (configs name corpus files relative to the project, and runs start from anywhere)."""
    candidate = Path(path)
    return candidate if candidate.is_absolute() or candidate.exists() else PROJECT_DIR / path


def path_or_default(value: str, default: Path) -> Path:
    """A path a config names (resolved by ``project_path``), or ``default`` when it names none."""
    return project_path(value) if value else default


def pipeline_config(path: str | Path | None) -> PipelineConfig:
    """The pipeline config (default configs/pipeline.yaml), model folders it names resolved
    against the checkout (``project_path``)."""
    from dataclasses import replace

    from stance.errors import ConfigError
    from stance.pipeline.core import check_stage_names

    path = path or CONFIG_DIR / "pipeline.yaml"
    config = load_config(path, PipelineConfig)
    try:
        check_stage_names(config.stages)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
    for section in ("classifier", "attribution"):
        settings = getattr(config, section)
        if settings.model_dir:
            config = replace(config, **{section: replace(settings, model_dir=str(project_path(settings.model_dir)))})
    return config


def scoring_config(path: str | Path | None) -> PipelineConfig:
    """``pipeline_config`` for ``score`` and ``nightly``: its stages must produce stances."""
    from stance.errors import ConfigError

    config = pipeline_config(path)
    try:
        config.check_can_score()
    except ConfigError as exc:
        raise ConfigError(f"{path or CONFIG_DIR / 'pipeline.yaml'}: {exc}") from None
    return config


def claims_config():
    """The claim-tracking settings (configs/claims.yaml)."""
    from stance.config import ClaimsConfig

    return load_config(CONFIG_DIR / "claims.yaml", ClaimsConfig)


def timelines_config():
    """The timeline settings (configs/timelines.yaml)."""
    from stance.config import TimelineConfig

    return load_config(CONFIG_DIR / "timelines.yaml", TimelineConfig)


def registry_for(config: PipelineConfig, store=None) -> ActorRegistry:
    """The configured registry, plus the actors a store's articles discovered (if given)."""
    registry = ActorRegistry.from_yaml(config_file(config.actors_file))
    if store is not None:
        registry.add_stored_discoveries(store.discovered_actors())
    return registry
