"""The article-level evaluation (`stance eval-articles`) on a tiny set, with stand-in models."""

import json

import pytest

from stance.config import PipelineConfig
from stance.errors import DataFormatError
from stance.pipeline import Pipeline
from stance.pipeline.evaluator import ArticleEvaluator, load_article_set, split_of
from tests.fakes import FakeClassifier, FakeTagger


def _ids(split, count):
    """Article ids that the hash puts into ``split``."""
    ids = [f"art{i}" for i in range(200) if split_of(f"art{i}") == split]
    return ids[:count]


@pytest.fixture
def article_set(tmp_path):
    (first, second), (other,) = _ids("dev", 2), _ids("test", 1)
    articles = [
        {"id": first, "published": "2019-05-01", "text": "Beijing denied the report. Beijing criticised Washington."},
        {"id": second, "published": "2019-05-02", "text": "Paris welcomed the deal.\n\nTokyo met Seoul."},
        {"id": other, "published": "2019-05-03", "text": "Moscow denied it."},
    ]
    expectations = [
        {"article_id": first, "actor": "China", "label": "deny"},
        {"article_id": second, "actor": "France", "label": "support"},
        {"article_id": second, "actor": "Japan", "label": "neutral"},  # Tokyo only met Seoul: not found
        {"article_id": second, "actor": "Atlantis", "label": "critical"},  # not in the registry
        {"article_id": other, "actor": "Russia", "label": "deny"},
    ]
    for name, rows in (("articles.jsonl", articles), ("expectations.jsonl", expectations)):
        (tmp_path / name).write_text("\n".join(json.dumps(row) for row in rows) + "\n", encoding="utf-8")
    return tmp_path


def test_split_is_by_article_and_loads_only_that_split(article_set):
    articles, expectations = load_article_set(article_set, "dev")
    assert len(articles) == 2 and len(expectations) == 4
    assert {e.article_id for e in expectations} == {a.id for a in articles}
    test_articles, test_expectations = load_article_set(article_set, "test")
    assert [e.actor for e in test_expectations] == ["Russia"] and len(test_articles) == 1


def test_report_counts_statements_and_missing_actors(article_set, registry):
    articles, expectations = load_article_set(article_set, "dev")
    pipeline = Pipeline.from_config(
        PipelineConfig(), registry=registry, classifier=FakeClassifier(), tagger=FakeTagger(),
        stages=("clean", "attribute", "link", "holders", "classify"),
    )
    report = ArticleEvaluator(articles, expectations, "dev")(pipeline)
    # China: deny (claim 1) and critical (claim 2) weigh 0.8 each; the tie goes to the label listed first
    # (critical before deny), so China is wrong; France right; Japan and Atlantis missing.
    assert (report["n"], report["articles"]) == (4, 2)
    assert report["accuracy"] == 0.25
    assert report["actor_recall"] == 0.5
    assert report["unlinked_actors"] == ["Atlantis"]
    assert report["per_label"]["support"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert set(report["baseline"]["per_mention_votes"]) == set(report) - {"baseline", "split", "articles", "unlinked_actors", "model_id"}
    assert report["model_id"] == FakeClassifier.model_id


def test_bad_lines_name_the_file_and_line(tmp_path):
    (tmp_path / "articles.jsonl").write_text('{"id": "a", "text": "x"}\n{broken\n', encoding="utf-8")
    (tmp_path / "expectations.jsonl").write_text("", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"articles.jsonl:2: invalid JSON"):
        load_article_set(tmp_path, split_of("a"))
    (tmp_path / "articles.jsonl").write_text('{"id": "a", "text": "x"}\n', encoding="utf-8")
    (tmp_path / "expectations.jsonl").write_text('{"article_id": "a", "actor": "China", "label": "none"}\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"expectations.jsonl:1: an expectation needs a stance label"):
        load_article_set(tmp_path, split_of("a"))


def test_the_committed_article_set_is_large_enough_and_adjudicated():
    from stance.cli.defaults import ARTICLE_SET_DIR

    articles, expectations = [], []
    for split in ("dev", "test"):
        split_articles, split_expectations = load_article_set(ARTICLE_SET_DIR, split)
        articles += split_articles
        expectations += split_expectations
    assert len(expectations) >= 100 and len({e.article_id for e in expectations}) >= 50
    rows = [json.loads(line) for line in (ARTICLE_SET_DIR / "expectations.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {row["qa"] for row in rows} <= {"agreed", "adjudicated"}
    assert all(row["split"] == split_of(row["article_id"]) for row in rows)
    # Every article is dated and has its address.
    raw = [json.loads(line) for line in (ARTICLE_SET_DIR / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(row["url"] and row["published"] for row in raw)
