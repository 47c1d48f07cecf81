import pytest

from stance.cli.defaults import config_file
from stance.config import PipelineConfig, TrainConfig, load_config
from stance.errors import ConfigError


def test_config_bundled_files_load():
    pipeline = load_config(config_file("pipeline.yaml"), PipelineConfig)
    train = load_config(config_file("train.yaml"), TrainConfig)
    assert pipeline.stages == ("clean", "attribute", "link", "holders", "classify")
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


def test_config_unknown_stage_is_rejected(tmp_path, registry):
    from stance.pipeline import Pipeline

    path = tmp_path / "pipeline.yaml"
    path.write_text("stages: [clean, segment, parse]\n")
    with pytest.raises(ConfigError, match="unknown stage 'parse'"):
        Pipeline.from_config(path, registry=registry)


def test_config_stage_order_is_checked(tmp_path, registry):
    from stance.pipeline import Pipeline

    path = tmp_path / "pipeline.yaml"
    path.write_text("stages: [link, clean, segment]\n")
    with pytest.raises(ConfigError, match="stage 'link' requires \\['claims'\\]"):
        Pipeline.from_config(path, registry=registry)


def test_config_pipeline_without_classifier_links_actors(tmp_path, registry):
    from stance.data import Article
    from stance.pipeline import Pipeline

    path = tmp_path / "pipeline.yaml"
    path.write_text("stages: [clean, segment, link]\n")
    pipeline = Pipeline.from_config(path, registry=registry)
    article = pipeline(Article(id="a", text="Beijing denied it. Moscow agreed."))
    assert [[m.actor_id for m in c.mentions] for c in article.claims] == [["china"], ["russia"]]
    assert list(pipeline.pipe([article, article])) == [pipeline(article)] * 2
