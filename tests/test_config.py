"""Config files: the bundled ones state the code defaults, and every bad value is an error
that names the file and the key. (Stage lists are checked in tests/pipeline/test_core.py.)"""

import pytest

from stance.cli.defaults import config_file
from stance.config import ClaimsConfig, EvalConfig, PipelineConfig, TaggerTrainConfig, TimelineConfig, TrainConfig, load_config
from stance.errors import ConfigError
from tests.conftest import PROJECT


def test_config_bundled_files_load():
    pipeline = load_config(config_file("pipeline.yaml"), PipelineConfig)
    train = load_config(config_file("train.yaml"), TrainConfig)
    assert pipeline.stages == ("clean", "attribute", "link", "discover", "holders", "propose", "classify")
    assert pipeline.holders.pronouns["he"] == ["person"]
    assert train.lora.r > 0 and train.seed == 13


@pytest.mark.parametrize(
    "body, message",
    [
        ("stagez: [clean]\n", "unknown key stagez"),
        ("classifier:\n  batch_size: 0\n", "classifier.batch_size must be in"),
        ("classifier:\n  batch_sise: 8\n", "unknown key classifier.batch_sise"),
        ("segmenter:\n  min_clause_words: many\n", "segmenter.min_clause_words: expected int"),
        ("stages: clean\n", "stages: expected a list"),
        ("max_failure_rate: 2\n", "max_failure_rate must be in"),
        ("holders:\n  pronouns:\n    he: [man]\n", "holders.pronouns.he: expected a list of actor kinds"),
        ("attribution:\n  stride: 300\n", "attribution.stride must be in"),
        ("attribution:\n  merge_adjacent: [quote]\n", "attribution.merge_adjacent: 'quote' is not a role"),
    ],
)
def test_config_errors_name_file_and_key(tmp_path, body, message):
    path = tmp_path / "pipeline.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path, PipelineConfig)
    assert str(info.value).startswith(str(path))


@pytest.mark.parametrize(
    "name, cls",
    [("pipeline.yaml", PipelineConfig), ("train.yaml", TrainConfig), ("tagger_train.yaml", TaggerTrainConfig),
     ("eval.yaml", EvalConfig), ("claims.yaml", ClaimsConfig), ("timelines.yaml", TimelineConfig)],
)
def test_config_files_state_exactly_the_code_defaults(name, cls):
    assert load_config(PROJECT / "configs" / name, cls) == cls()


def _missing_keys(cls, raw: dict, prefix: str = "") -> list[str]:
    import dataclasses
    import typing

    hints = typing.get_type_hints(cls)
    missing = []
    for field in dataclasses.fields(cls):
        if field.name not in raw:
            missing.append(prefix + field.name)
        elif dataclasses.is_dataclass(hints[field.name]):
            missing += _missing_keys(hints[field.name], raw[field.name], f"{prefix}{field.name}.")
    return missing


@pytest.mark.parametrize(
    "name, cls",
    [("pipeline.yaml", PipelineConfig), ("train.yaml", TrainConfig), ("tagger_train.yaml", TaggerTrainConfig),
     ("eval.yaml", EvalConfig), ("claims.yaml", ClaimsConfig), ("timelines.yaml", TimelineConfig)],
)
def test_config_files_name_every_key(name, cls):
    """The bundled files document every setting (a key left out would silently take its default)."""
    import yaml

    raw = yaml.safe_load((PROJECT / "configs" / name).read_text(encoding="utf-8"))
    assert _missing_keys(cls, raw) == []


@pytest.mark.parametrize(
    "cls, body, message",
    [
        (TrainConfig, "lora:\n  r: 0\n", "lora.r must be in"),
        (TrainConfig, "lora:\n  target_modules: [foo]\n", "lora.target_modules"),
        (TaggerTrainConfig, "lora:\n  r: 0\n", "lora.r must be in"),
        (TrainConfig, "epochs: 0\n", "epochs must be in"),
        (TrainConfig, "mixed_precision: fp16\n", "mixed_precision must be one of"),
        (TaggerTrainConfig, "window: 64\nstride: 63\n", "stride must be in"),
        (EvalConfig, "tagger_gates:\n  min_cue_exact_f1: 1.5\n", "tagger_gates.min_cue_exact_f1 must be in"),
        (EvalConfig, "gates:\n  min_macro_f1: 2\n", "gates.min_macro_f1 must be in"),
        (EvalConfig, "cue_lexicon:\n  maybe: [perhaps]\n", "cue_lexicon: 'maybe' is not a stance label"),
    ],
)
def test_training_and_eval_config_errors_name_file_and_key(tmp_path, cls, body, message):
    path = tmp_path / "config.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError, match=message) as info:
        load_config(path, cls)
    assert str(info.value).startswith(str(path))


def test_config_missing_file_and_non_mapping_are_errors(tmp_path):
    with pytest.raises(ConfigError, match="config file not found") as info:
        load_config(tmp_path / "nope.yaml", PipelineConfig)
    assert str(info.value).startswith(str(tmp_path / "nope.yaml"))
    path = tmp_path / "list.yaml"
    path.write_text("- clean\n")
    with pytest.raises(ConfigError, match="top level: expected a mapping, got list"):
        load_config(path, PipelineConfig)
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    assert load_config(empty, PipelineConfig) == PipelineConfig()
