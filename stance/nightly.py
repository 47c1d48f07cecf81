"""The nightly job: score what is new, then snapshot every actor's timeline for the day.

Safe to re-run: articles already stored are skipped, and the snapshot file is
replaced atomically (written beside, then renamed), so a crash never leaves a
half-written snapshot or a half-written article.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

from stance.aggregate import build_timeline
from stance.config import PipelineConfig
from stance.formatting import point_to_dict
from stance.ingest import read_articles
from stance.pipeline import Pipeline
from stance.scoring import ScoreSummary, score_articles
from stance.store import StanceStore


def run_nightly(
    input_path: str | Path,
    db_path: str | Path,
    snapshot_dir: str | Path,
    pipeline: Pipeline,
    config: PipelineConfig,
    day: date | None = None,
    freq: str = "W",
) -> tuple[ScoreSummary, Path]:
    """Score new articles from ``input_path`` into ``db_path`` and write ``<day>.json``.

    Returns:
        The scoring summary and the snapshot path.
    """
    day = day or date.today()
    snapshot_dir = Path(snapshot_dir)
    snapshot_dir.mkdir(parents=True, exist_ok=True)
    with StanceStore(db_path) as store:
        summary = score_articles(
            read_articles(input_path, config.ingest),
            pipeline,
            store,
            command="nightly",
            skip_existing=True,
            rejects_path=snapshot_dir / f"{day.isoformat()}.rejects.jsonl",
        )
        records = list(store.stance_records())
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
