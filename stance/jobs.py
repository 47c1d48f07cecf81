"""Batch jobs: score a stream of articles into the store, and the nightly run.

Scoring writes one article per transaction. The error policy is per article (in the
spirit of spaCy's ``set_error_handler``): a record that cannot be read or scored is
written to the rejects file with its reason, logged and counted, and the batch carries
on. Articles already stored stay intact.

The nightly job scores what is new, then snapshots every actor's timeline for the day.
It is safe to re-run: articles already stored are skipped, and the snapshot file is
replaced atomically (written beside, then renamed), so a crash never leaves a
half-written snapshot or a half-written article.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol
from datetime import date
from pathlib import Path

from stance.timelines.build import build_timeline
from stance.config import ClaimsConfig
from stance.data import Article
from stance.errors import DataFormatError, StanceError
from stance.io.formatting import point_to_dict
from stance.io.ingest import ReadResult, read_articles
from stance.io.store import StanceStore
from stance.pipeline.core import Pipeline

logger = logging.getLogger(__name__)


@dataclass
class ScoreSummary:
    """What a scoring run did; ``failure_rate`` drives the nightly job's exit code."""

    run_id: int
    model_id: str | None
    scored: int = 0
    skipped: int = 0
    rejected: int = 0
    claims: int = 0
    stances: int = 0
    rejects: list[dict] = field(default_factory=list)
    # What claim tracking did after scoring (stance.claims.tracking), when it ran.
    tracking: dict | None = None

    @property
    def failure_rate(self) -> float:
        seen = self.scored + self.skipped + self.rejected
        return self.rejected / seen if seen else 0.0

    def as_dict(self) -> dict:
        return {
            "run_id": self.run_id,
            "model_id": self.model_id,
            "scored": self.scored,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "claims": self.claims,
            "stances": self.stances,
            "failure_rate": round(self.failure_rate, 4),
            **({"tracking": self.tracking} if self.tracking is not None else {}),
        }


def score_articles(
    records: Iterable[ReadResult],
    pipeline: Pipeline,
    store: StanceStore,
    command: str = "score",
    skip_existing: bool = False,
    rejects_path: str | Path | None = None,
    progress: Callable[[Iterable], Iterable] = lambda items: items,
    engine: Engine | None = None,
) -> ScoreSummary:
    """Run ``pipeline`` over ``records`` and save each article to ``store``.

    Args:
        records: articles, with ``DataFormatError`` objects in place of unreadable records.
        skip_existing: leave articles whose id is already stored untouched (nightly mode).
        rejects_path: JSONL file that receives one ``{location, reason}`` line per reject.
        progress: wraps the record iterator (e.g. a tqdm bar).
        engine: where articles are scored: this process (``LocalEngine``, the default) or
            Ray workers (``stance.ray_engine.RayEngine``); saving stays here either way.
    """
    if rejects_path:
        check_writable(rejects_path)
    engine = engine or LocalEngine(pipeline)
    run_id = store.start_run(command, pipeline.model_id)
    summary = ScoreSummary(run_id=run_id, model_id=pipeline.model_id)
    status = "failed"
    try:
        for article, outcome in engine.score(_admitted(progress(records), store, skip_existing, summary)):
            _save(article, outcome, store, summary)
        status = "done"
    finally:
        store.finish_run(run_id, summary.scored, summary.rejected, status)
        if rejects_path:
            write_rejects(rejects_path, summary.rejects, run_id)
    return summary


def check_writable(path: str | Path) -> None:
    """Fail before any work when ``path`` cannot be written (a folder, a missing folder,
    no permission), instead of after a whole batch has been scored.

    Raises:
        StanceError: one line naming the file.
    """
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        raise StanceError(f"{path}: is a folder, not a file")
    if not folder.is_dir():
        raise StanceError(f"{path}: cannot write: folder {folder} does not exist")
    if not os.access(path if path.exists() else folder, os.W_OK):
        raise StanceError(f"{path}: cannot write: permission denied")


def write_rejects(path: str | Path, rejects: list[dict], run_id: int) -> None:
    """Keep one line per distinct reject in ``path``: this run's, plus earlier runs' that
    this run did not repeat. Re-running the same input therefore leaves the file as it
    was (with the newer run id) instead of growing it. Written beside, then renamed."""
    path = Path(path)
    current = [dict(reject, run_id=run_id) for reject in rejects]
    seen = {(r["location"], r["reason"]) for r in current}
    kept = []
    if path.exists():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                old = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(old, dict) and (old.get("location"), old.get("reason")) not in seen:
                kept.append(old)
    if not kept and not current:
        return
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept + current), encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        raise StanceError(f"{path}: cannot write: {exc.strerror or exc}") from None


class Engine(Protocol):
    """Where articles are scored; results come back in input order."""

    def score(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Article | str]]: ...


class LocalEngine:
    """Score in this process, one article at a time."""

    def __init__(self, pipeline: Pipeline):
        self.pipeline = pipeline

    def score(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Article | str]]:
        for article in articles:
            yield article, score_one(self.pipeline, article)


def score_one(pipeline: Pipeline, article: Article) -> Article | str:
    """The annotated article, or why it cannot be scored (any other error stops the run)."""
    try:
        return pipeline(article)
    except (StanceError, ValueError) as exc:
        return f"article {article.id}: {exc}"


def _admitted(records: Iterable[ReadResult], store: StanceStore, skip_existing: bool, summary: ScoreSummary) -> Iterator[Article]:
    """The articles to score: unreadable records and repeated ids are rejected, stored ones
    skipped (``skip_existing``), in the driver, whatever the engine."""
    first_seen: dict[str, str] = {}  # article id -> where this run first read it
    for item in records:
        if isinstance(item, DataFormatError):
            _reject(summary, item.location, item.reason)
            continue
        where = item.origin or item.id
        if item.id in first_seen:
            _reject(summary, where, f"duplicate id {item.id!r}: already read in this run at {first_seen[item.id]}")
            continue
        first_seen[item.id] = where
        if skip_existing and store.has_article(item.id):
            summary.skipped += 1
            continue
        yield item


def _save(article: Article, outcome: Article | str, store: StanceStore, summary: ScoreSummary) -> None:
    if isinstance(outcome, str):
        _reject(summary, article.origin or article.id, outcome)
        return
    annotated = outcome
    try:
        store.save_article(annotated, run_id=summary.run_id)
    except (StanceError, ValueError) as exc:
        _reject(summary, article.origin or article.id, f"article {article.id}: {exc}")
        return
    summary.scored += 1
    summary.claims += len(annotated.claims)
    summary.stances += sum(len(claim.stances) for claim in annotated.claims)


def _reject(summary: ScoreSummary, location: str, reason: str) -> None:
    # Logged at INFO: the commands print each reject once themselves.
    logger.info("rejected %s: %s", location, reason)
    summary.rejected += 1
    summary.rejects.append({"location": location, "reason": reason})


def track_new_claims(store: StanceStore, claims: ClaimsConfig, summary: ScoreSummary) -> None:
    """Link the claims scored so far into tracked claims (stance.claims.tracking)."""
    from stance.claims.linking import SentenceEncoder
    from stance.claims.tracking import track_claims

    summary.tracking = track_claims(store, SentenceEncoder(), claims).as_dict()


def run_nightly(
    input_path: str | Path,
    db_path: str | Path,
    snapshot_dir: str | Path,
    pipeline: Pipeline,
    day: date | None = None,
    freq: str = "W",
    claims: ClaimsConfig | None = None,
    engine: Engine | None = None,
) -> tuple[ScoreSummary, Path]:
    """Score new articles from ``input_path`` into ``db_path``, link their claims into
    tracked claims (when ``claims`` is given) and write ``<day>.json``. ``engine`` as in
    ``score_articles``.

    Returns:
        The scoring summary and the snapshot path.
    """
    day = day or date.today()
    snapshot_dir = Path(snapshot_dir)
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    with StanceStore(db_path) as store:
        summary = score_articles(
            read_articles(input_path, pipeline.config.ingest),
            pipeline,
            store,
            command="nightly",
            skip_existing=True,
            rejects_path=snapshot_dir / f"{day.isoformat()}.rejects.jsonl",
            engine=engine,
        )
        if claims is not None:
            track_new_claims(store, claims, summary)
        records = list(store.stance_records())
        # Actors discovered on earlier nights count through their affiliation too.
        pipeline.registry.add_stored_discoveries(store.discovered_actors())
    registry = pipeline.registry
    timelines = {}
    for actor_id in sorted({registry.principal(r.actor_id) for r in records}):
        actor_ids = registry.expand(actor_id)
        points = build_timeline(records, actor_ids, freq=freq, actor_label=actor_id)
        if points:
            timelines[actor_id] = [point_to_dict(p) for p in points]
    snapshot = {
        "date": day.isoformat(),
        "freq": freq,
        "summary": summary.as_dict(),
        "rejects": summary.rejects,
        "timelines": timelines,
    }
    path = snapshot_dir / f"{day.isoformat()}.json"
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(snapshot, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return summary, path
