"""Article-level answers on the real articles of data/articles (dev), against configs/eval.yaml."""

import pytest

from stance.actors import ActorRegistry
from stance.cli.defaults import ARTICLE_SET_DIR, config_file
from stance.config import EvalConfig, load_config
from stance.pipeline import Pipeline
from stance.pipeline.evaluator import ArticleEvaluator, load_article_set
from tests.conftest import PROJECT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def dev_report(classifier):
    # Discovery adds actors to the registry it runs with: a registry of its own, not the shared fixture.
    registry = ActorRegistry.from_yaml(PROJECT / "configs" / "actors.yaml")
    pipeline = Pipeline.from_config(PROJECT / "configs" / "pipeline.yaml", classifier=classifier, registry=registry)
    articles, expectations = load_article_set(ARTICLE_SET_DIR, "dev")
    return ArticleEvaluator(articles, expectations, "dev")(pipeline)


@pytest.fixture(scope="module")
def gates():
    return load_config(config_file("eval.yaml"), EvalConfig).article_gates


def test_article_report_has_the_documented_keys(dev_report):
    assert {"accuracy", "macro_f1", "per_label", "actor_recall", "n"} <= set(dev_report)
    assert dev_report["n"] == 58 and set(dev_report["baseline"]) == {"per_mention_votes"}


# Not met yet (issue 12 note): dev accuracy 0.603 (test 0.540), 58 expected actors. The gate is
# kept; strict=True turns the suite red the day it passes, so the marker must go then.
@pytest.mark.xfail(strict=True, reason="article-level dev accuracy 0.603 < 0.85")
def test_article_gate_accuracy(dev_report, gates):
    assert dev_report["accuracy"] >= gates.min_accuracy


# Not met yet: actor recall 0.897 on dev (test 0.794); misses are names the NER does not tag
# and groups ("Republicans") with no registry entry.
@pytest.mark.xfail(strict=True, reason="article-level dev actor recall 0.897 < 0.95")
def test_article_gate_actor_recall(dev_report, gates):
    assert dev_report["actor_recall"] >= gates.min_actor_recall
