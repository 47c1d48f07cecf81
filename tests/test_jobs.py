"""Batch jobs (stance/jobs.py) without loading a model: ``score_articles`` with a
model-free pipeline and a real store, ``run_nightly`` with a stand-in classifier."""

import json
from datetime import date

import pytest

from stance.config import PipelineConfig
from stance.data import Article
from stance.errors import StoreError
from stance.io.ingest import read_articles
from stance.io.store import StanceStore
from stance.jobs import run_nightly, score_articles
from stance.pipeline import Pipeline
from stance.pipeline.clean import TextCleaner
from stance.pipeline.stage import ArticleStage
from tests.conftest import PROJECT
from tests.fakes import FakeClassifier

ARTICLES = [
    {"id": "a1", "published": "2023-03-17", "text": "Beijing denied the report. Western leaders criticised Beijing."},
    {"id": "a2", "published": "2023-03-20", "text": "Paris welcomed the deal. Moscow urged calm."},
]


@pytest.fixture
def batch(tmp_path):
    """Two good articles on lines 1 and 3, a broken line 2 and a record without text on 4."""
    path = tmp_path / "batch.jsonl"
    path.write_text(
        json.dumps(ARTICLES[0]) + "\n{broken\n" + json.dumps(ARTICLES[1]) + '\n{"text": 5}\n', encoding="utf-8"
    )
    return path


@pytest.fixture
def linking(registry):
    return Pipeline.from_config(PipelineConfig(), registry=registry, stages=["clean", "segment", "link"])


def _run_row(store, run_id):
    return dict(store.conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone())


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_score_articles_saves_good_records_and_writes_each_reject_with_file_and_line(tmp_path, batch, linking):
    rejects = tmp_path / "rejects.jsonl"
    with StanceStore(tmp_path / "s.db") as store:
        summary = score_articles(read_articles(batch), linking, store, rejects_path=rejects)
        assert store.counts()["articles"] == 2 and store.counts()["claims"] == 4
        assert store.has_article("a1") and store.has_article("a2")
        run = _run_row(store, summary.run_id)
    assert summary.as_dict() == {
        "run_id": summary.run_id, "model_id": None, "scored": 2, "skipped": 0, "rejected": 2, "claims": 4, "stances": 0,
        "failure_rate": 0.5,
    }
    assert (run["command"], run["articles_ok"], run["articles_failed"], run["status"]) == ("score", 2, 2, "done")
    assert summary.rejects == [
        {"location": f"{batch}:2", "reason": "invalid JSON (Expecting property name enclosed in double quotes at column 2)"},
        {"location": f"{batch}:4", "reason": "'text' must be a string, got int"},
    ]
    # The file adds the run id; a second run over the same input leaves it as it was.
    assert _lines(rejects) == [dict(r, run_id=summary.run_id) for r in summary.rejects]
    with StanceStore(tmp_path / "s.db") as store:
        again = score_articles(read_articles(batch), linking, store, rejects_path=rejects)
    assert _lines(rejects) == [dict(r, run_id=again.run_id) for r in summary.rejects]


def test_skip_existing_leaves_stored_articles_alone_and_rescoring_adds_no_rows(tmp_path, batch, linking):
    with StanceStore(tmp_path / "s.db") as store:
        score_articles(read_articles(batch), linking, store)
        before = store.counts()
        skipped = score_articles(read_articles(batch), linking, store, command="nightly", skip_existing=True)
        assert (skipped.scored, skipped.skipped, skipped.rejected) == (0, 2, 2)
        assert skipped.failure_rate == 0.5
        again = score_articles(read_articles(batch), linking, store)
        assert (again.scored, again.skipped) == (2, 0)
        assert {k: v for k, v in store.counts().items() if k != "runs"} == {k: v for k, v in before.items() if k != "runs"}
        assert store.counts()["runs"] == before["runs"] + 2


class FailOn(ArticleStage):
    """Raises ``error`` for the article with id ``article_id``."""

    name = "fail"

    def __init__(self, article_id, error):
        self.article_id, self.error = article_id, error

    def __call__(self, article):
        if article.id == self.article_id:
            raise self.error
        return article


def test_an_article_the_pipeline_cannot_score_is_rejected_and_the_batch_goes_on(tmp_path, batch, registry):
    pipeline = Pipeline([TextCleaner(), FailOn("a1", ValueError("no body"))], PipelineConfig(), registry)
    rejects = tmp_path / "rejects.jsonl"
    with StanceStore(tmp_path / "s.db") as store:
        records = [*read_articles(batch), Article(id="a1", text="Read from memory: no origin.")]
        summary = score_articles(records, pipeline, store, rejects_path=rejects)
        assert not store.has_article("a1") and store.has_article("a2")
    assert (summary.scored, summary.rejected) == (1, 4)
    assert [r for r in summary.rejects if "a1" in r["reason"]] == [
        {"location": f"{batch}:1", "reason": "article a1: no body"},
        {"location": "a1", "reason": f"duplicate id 'a1': already read in this run at {batch}:1"},
    ]
    assert len(_lines(rejects)) == 4


def test_an_unexpected_error_stops_the_run_marks_it_failed_and_keeps_the_rejects(tmp_path, batch, registry):
    pipeline = Pipeline([TextCleaner(), FailOn("a2", RuntimeError("bug"))], PipelineConfig(), registry)
    rejects = tmp_path / "rejects.jsonl"
    with StanceStore(tmp_path / "s.db") as store:
        with pytest.raises(RuntimeError, match="bug"):
            score_articles(read_articles(batch), pipeline, store, rejects_path=rejects)
        (run,) = [dict(row) for row in store.conn.execute("SELECT * FROM runs")]
        assert store.has_article("a1")
    assert (run["articles_ok"], run["articles_failed"], run["status"]) == (1, 1, "failed")
    assert [r["location"] for r in _lines(rejects)] == [f"{batch}:2"]


def test_score_articles_runs_the_records_through_progress(tmp_path, batch, linking):
    wrapped = []

    def progress(items):
        wrapped.append(True)
        return list(items)[:1]

    with StanceStore(tmp_path / "s.db") as store:
        summary = score_articles(read_articles(batch), linking, store, progress=progress)
    assert wrapped == [True] and (summary.scored, summary.rejected) == (1, 0)


@pytest.fixture
def nightly_pipeline(registry):
    return Pipeline.from_config(
        PROJECT / "configs" / "pipeline.yaml", registry=registry, classifier=FakeClassifier(),
        stages=["clean", "segment", "link", "classify"],
    )


def test_run_nightly_scores_new_articles_and_snapshots_every_actor(tmp_path, batch, nightly_pipeline):
    folder = tmp_path / "incoming"
    folder.mkdir()
    batch.rename(folder / "day.jsonl")
    snapshots = tmp_path / "snap"
    summary, path = run_nightly(folder, tmp_path / "n.db", snapshots, nightly_pipeline, day=date(2023, 4, 3), freq="M")
    assert path == snapshots / "2023-04-03.json"
    assert sorted(p.name for p in snapshots.iterdir()) == ["2023-04-03.json", "2023-04-03.rejects.jsonl"]
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    assert (snapshot["date"], snapshot["freq"]) == ("2023-04-03", "M")
    assert snapshot["summary"] == summary.as_dict()
    assert (summary.scored, summary.rejected, summary.stances, summary.model_id) == (2, 2, 5, FakeClassifier.model_id)
    assert [r["location"] for r in snapshot["rejects"]] == [f"{folder / 'day.jsonl'}:2", f"{folder / 'day.jsonl'}:4"]
    timelines = {
        actor: [(p["period"], p["dominant"], {k: v for k, v in p["counts"].items() if v}) for p in points]
        for actor, points in snapshot["timelines"].items()
    }
    # One statement each: below min_evidence, so no dominant label ("unclear").
    assert timelines == {
        "china": [("2023-03", None, {"deny": 1})],
        "france": [("2023-03", None, {"support": 1})],
        "russia": [("2023-03", None, {"neutral": 1})],
        "west": [("2023-03", None, {"critical": 1})],
    }

    rerun, _ = run_nightly(folder, tmp_path / "n.db", snapshots, nightly_pipeline, day=date(2023, 4, 3), freq="M")
    assert (rerun.scored, rerun.skipped, rerun.rejected) == (0, 2, 2)
    again = json.loads(path.read_text(encoding="utf-8"))
    assert again["timelines"] == snapshot["timelines"] and again["summary"]["skipped"] == 2


def test_run_nightly_on_a_file_that_is_no_store_fails_before_writing_a_snapshot(tmp_path, batch, nightly_pipeline):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="cannot open as a stance store"):
        run_nightly(batch, junk, tmp_path / "snap", nightly_pipeline, day=date(2023, 4, 3))
    assert list((tmp_path / "snap").iterdir()) == []
