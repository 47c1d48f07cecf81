"""Commands that run the pipeline: score, classify, demo, attributions, nightly."""

from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from stance.cli.app import EXIT_TOO_MANY_FAILURES, cli, config_option, progress, quiet_option
from stance.cli.defaults import EXAMPLE_ARTICLE, claims_config, pipeline_config, registry_for, scoring_config
from stance.errors import DataFormatError, StanceError

# The stages `stance attributions` runs: everything up to the holders, no classifier.
ATTRIBUTION_STAGES = ("clean", "attribute", "link", "holders")


def engine_options(command):
    """``--engine local|ray``, ``--workers``, ``--address`` (README "Scaling out")."""
    command = click.option(
        "--address", default=None,
        help="With --engine ray: a running Ray cluster (ray://HOST:10001 or auto); default: start Ray here.",
    )(command)
    command = click.option("--workers", type=click.IntRange(1, 1024), default=2, show_default=True,
                           help="With --engine ray: worker processes, each holding one pipeline.")(command)
    return click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
                        help="Score in this process, or on Ray Data workers (same results).")(command)


@contextmanager
def scoring_engine(name: str, pipeline, workers: int, address: str | None):
    """The engine ``score_articles`` hands articles to; None is the local one."""
    if name == "local":
        yield None
        return
    from stance.ray_engine import RayEngine

    with RayEngine(pipeline.config, pipeline.registry, workers=workers, address=address) as engine:
        yield engine


@cli.command()
@click.argument("input_path", type=click.Path(exists=True))
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="SQLite store (created if missing).")
@click.option("--rejects", type=click.Path(dir_okay=False), default=None, help="JSONL file for rejected records (default: DB path + .rejects.jsonl).")
@click.option("--skip-existing", is_flag=True, help="Leave articles already in the store untouched.")
@click.option("--track/--no-track", default=True, show_default=True, help="Link the new claims into tracked claims.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", help="Summary format.")
@engine_options
@config_option
@quiet_option
def score(input_path, db_path, rejects, skip_existing, track, output_format, engine, workers, address, config_path, quiet):
    """Score INPUT_PATH (.jsonl, .json, .txt or a folder of them) into the store.

    Example: stance score articles.jsonl --db stance.db
    """
    from stance.io.ingest import read_articles
    from stance.pipeline import Pipeline
    from stance.jobs import score_articles, track_new_claims
    from stance.io.store import StanceStore

    config = scoring_config(config_path)
    pipeline = Pipeline.from_config(config, registry=registry_for(config))
    with StanceStore(db_path) as store, scoring_engine(engine, pipeline, workers, address) as where:
        summary = score_articles(
            read_articles(input_path, config.ingest),
            pipeline,
            store,
            command="score",
            skip_existing=skip_existing,
            rejects_path=rejects or f"{db_path}.rejects.jsonl",
            progress=progress(quiet, "scoring"),
            engine=where,
        )
        if track:
            track_new_claims(store, claims_config(), summary)
    if output_format == "json":
        click.echo(json.dumps(summary.as_dict()))
    else:
        click.echo(
            f"scored {summary.scored} article(s), {summary.claims} claims, {summary.stances} stances; "
            f"skipped {summary.skipped}; rejected {summary.rejected} (run {summary.run_id}, model {summary.model_id})"
        )
        if summary.tracking is not None:
            t = summary.tracking
            click.echo(f"linked {t['sentences_linked']} sentence(s): {t['new_tracked_claims']} new tracked claim(s), {t['merged']} merge(s)")
    echo_rejects(summary.rejects)
    if summary.failure_rate > config.max_failure_rate:
        click.echo(f"Error: {summary.failure_rate:.0%} of records failed", err=True)
        sys.exit(EXIT_TOO_MANY_FAILURES)


def echo_rejects(rejects: list[dict], shown: int = 10) -> None:
    """Each of the first ``shown`` rejects once, on stderr (the rest are in the rejects file)."""
    from stance.io.formatting import terminal_safe

    for reject in rejects[:shown]:
        click.echo(f"  rejected {terminal_safe(reject['location'])}: {terminal_safe(reject['reason'])}", err=True)
    if len(rejects) > shown:
        click.echo(f"  … and {len(rejects) - shown} more in the rejects file", err=True)


@cli.command()
@click.argument("input_path", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False), default="-", help="Output JSONL (default: stdout).")
@click.option("--model-dir", type=click.Path(file_okay=False), default=None, help="Stance model folder (default: the bundled model).")
@click.option("--batch-size", type=click.IntRange(1, 4096), default=32, show_default=True)
@quiet_option
def classify(input_path, output_path, model_dir, batch_size, quiet):
    """Label actor mentions given as JSONL lines {"id","text","actor","actor_start","actor_end"}.

    Offsets are optional: without them the first occurrence of "actor" is used.
    Each output line is {"id","label","scores":{label: probability}}.
    """
    from stance.classifier.model import StanceClassifier
    from stance.config import ClassifierConfig
    from stance.io.mention_io import read_mention_requests

    requests, errors = read_mention_requests(input_path)
    for error in errors:
        click.echo(f"skipped {error}", err=True)
    classifier = StanceClassifier.load(model_dir, ClassifierConfig(batch_size=batch_size))
    predictions = classifier.predict([example for _, example in requests])
    with click.open_file(output_path, "w", encoding="utf-8") as handle:
        for (request_id, _), prediction in zip(requests, predictions):
            handle.write(json.dumps({"id": request_id, "label": prediction.label.value, "scores": prediction.scores}) + "\n")
    if not quiet:
        click.echo(f"classified {len(requests)} mention(s); skipped {len(errors)}", err=True)
    total = len(requests) + len(errors)
    if total and len(errors) / total > pipeline_config(None).max_failure_rate:
        click.echo(f"Error: {len(errors) / total:.0%} of requests failed", err=True)
        sys.exit(EXIT_TOO_MANY_FAILURES)


@cli.command()
@click.argument("input_path", type=click.Path(exists=True), default=str(EXAMPLE_ARTICLE))
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@config_option
def demo(input_path, output_format, config_path):
    """Score the bundled example article (Xi's 2023 visit to Moscow) and print each
    actor's stances with the evidence claim."""
    from stance.data import Label, stance_records
    from stance.io.formatting import record_to_dict, to_table
    from stance.io.ingest import read_articles
    from stance.pipeline import Pipeline

    config = pipeline_config(config_path)
    pipeline = Pipeline.from_config(config, registry=registry_for(config))
    rows = []
    for item in read_articles(input_path, config.ingest):
        if isinstance(item, DataFormatError):
            raise item
        for record in stance_records(pipeline(item)):
            if record.label is not Label.NONE:
                row = record_to_dict(record, pipeline.registry)
                row["actor"] = pipeline.registry[pipeline.registry.principal(record.actor_id)].name
                rows.append(row)
    rows.sort(key=lambda row: row["actor"])
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        click.echo(f"model {pipeline.model_id}\n")
        click.echo(to_table(rows, ["actor", "mention", "label", "confidence", "targets", "claim"]), nl=False)


@cli.command()
@click.argument("input_path", type=click.Path(exists=True))
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@config_option
def attributions(input_path, output_format, config_path):
    """List the attributions the attribution tagger finds in articles: source, cue, content
    and the actor the source resolves to (the claim's holder)."""
    from stance.io.formatting import attribution_rows, to_csv, to_table
    from stance.io.ingest import read_articles
    from stance.pipeline import Pipeline

    config = pipeline_config(config_path)
    registry = registry_for(config)
    pipeline = Pipeline.from_config(config, registry=registry, stages=ATTRIBUTION_STAGES)
    rows = []
    for item in read_articles(input_path, config.ingest):
        if isinstance(item, DataFormatError):
            click.echo(f"skipped {item}", err=True)
            continue
        rows += attribution_rows(pipeline(item), registry)
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif output_format == "csv":
        click.echo(to_csv(rows), nl=False)
    else:
        click.echo(to_table(rows, ["holder", "source", "cue", "content"]), nl=False)


@cli.command()
@click.argument("input_path", type=click.Path())
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="SQLite store (created if missing).")
@click.option("--snapshots", "snapshot_dir", required=True, type=click.Path(file_okay=False), help="Folder for <date>.json snapshots.")
@click.option("--date", "day", default=None, help="Snapshot date, YYYY-MM-DD (default: today).")
@click.option("--freq", type=click.Choice(["D", "W", "M", "Q", "Y"]), default="W", show_default=True, help="Timeline buckets in the snapshot.")
@engine_options
@config_option
def nightly(input_path, db_path, snapshot_dir, day, freq, engine, workers, address, config_path):
    """Score the articles of INPUT_PATH not yet in the store, then write the day's timeline
    snapshot for every actor (<date>.json, replaced atomically). Safe to re-run.

    Example: stance nightly incoming/ --db stance.db --snapshots snapshots/
    """
    from stance.jobs import run_nightly
    from stance.pipeline import Pipeline

    try:
        day = date.fromisoformat(day) if day else date.today()
    except ValueError:
        raise StanceError(f"--date must be YYYY-MM-DD, got {day!r}") from None
    if not Path(input_path).exists():
        raise StanceError(f"input {input_path} does not exist")
    config = scoring_config(config_path)
    pipeline = Pipeline.from_config(config, registry=registry_for(config))
    with scoring_engine(engine, pipeline, workers, address) as where:
        summary, path = run_nightly(input_path, db_path, snapshot_dir, pipeline, day, freq, claims=claims_config(), engine=where)
    click.echo(f"scored {summary.scored}, skipped {summary.skipped}, rejected {summary.rejected}; snapshot {path}", err=True)
    echo_rejects(summary.rejects)
    if summary.failure_rate > config.max_failure_rate:
        click.echo(
            f"Error: {summary.failure_rate:.0%} of records were rejected (limit {config.max_failure_rate:.0%})", err=True
        )
        sys.exit(EXIT_TOO_MANY_FAILURES)
