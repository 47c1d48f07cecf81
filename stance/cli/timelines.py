"""Commands over timelines: shifts, eval-shifts (report and network come with them)."""

from __future__ import annotations

import json
from datetime import date

import click

from stance.cli.app import cli, config_option, echo_rows
from stance.cli.defaults import PROJECT_DIR, pipeline_config, registry_for, timelines_config
from stance.io.store import StanceStore

SHIFT_SET_DIR = PROJECT_DIR / "data" / "shifts"


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--actor", required=True, help="Canonical id, display name or alias.")
@click.option("--target", default=None, help="Only stances toward this actor.")
@click.option("--claim", "claim_id", type=int, default=None, help="Only statements of this tracked claim.")
@click.option("--freq", type=click.Choice(["D", "W", "M", "Q", "Y"]), default=None,
              help="Also label each shift with the period it falls in.")
@click.option("--min-evidence", type=click.IntRange(min=1), default=None, help="Statements required on each side (default: configs/timelines.yaml).")
@click.option("--rollup", is_flag=True, help="Count group members too.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@config_option
def shifts(db_path, actor, target, claim_id, freq, min_evidence, rollup, output_format, config_path):
    """Where an actor's stance changed: {actor_id, target_id, from, to, at, last_before,
    first_after, score, evidence_before, evidence_after}, dates ISO, evidence the claims on
    each side with their article ids. PELT change points on the per-statement series."""
    from dataclasses import replace

    from stance.cli.browse import actor_statements
    from stance.timelines.periods import period_of
    from stance.timelines.shifts import detect_shifts, shift_to_dict

    settings = timelines_config()
    config = replace(settings.shifts, min_evidence=min_evidence) if min_evidence else settings.shifts
    with StanceStore(db_path) as store:
        registry = registry_for(pipeline_config(config_path), store)
        statements, holder, target_actor, _ = actor_statements(store, registry, settings, actor, target, claim_id, rollup)
    rows = [shift_to_dict(s) for s in detect_shifts(statements, config, holder.id, target_actor.id if target_actor else None)]
    if freq:
        rows = [dict(row, period=period_of(date.fromisoformat(row["at"]), freq)) for row in rows]
    echo_rows(
        rows, output_format, ["at", "from", "to", "last_before", "first_after", "score", "evidence"],
        f"no shifts of {holder.name} in {db_path} ({len(statements)} statements)",
        table_rows=lambda rows: [dict(r, evidence=f"{len(r['evidence_before'])} before / {len(r['evidence_after'])} after") for r in rows],
    )


@cli.command(name="eval-shifts")
@click.option("--format", "output_format", type=click.Choice(["json", "md"]), default="md", show_default=True)
@click.option("--series", type=click.IntRange(min=10), default=200, show_default=True, help="Synthetic series to generate.")
@click.option("--seed", type=int, default=2, show_default=True, help="Seed of the synthetic series (calibration uses 1).")
@click.option("--no-stories", is_flag=True, help="Skip the real stories of data/shifts (no models loaded).")
@config_option
def eval_shifts(output_format, series, seed, no_stories, config_path):
    """Shift detection: F1 and delay on synthetic series with known change points, and the
    real reversal stories of data/shifts run through the whole pipeline."""
    from stance.pipeline import Pipeline
    from stance.timelines.evaluator import evaluate_stories, evaluate_synthetic, load_stories, shifts_markdown, synthetic_series

    config = timelines_config().shifts
    report = {"penalty": config.penalty, "min_evidence": config.min_evidence, "seed": seed,
              "synthetic": evaluate_synthetic(synthetic_series(seed, series), config)}
    if not no_stories:
        excerpts, labels = load_stories(SHIFT_SET_DIR)
        pipeline_settings = pipeline_config(config_path)
        pipeline = Pipeline.from_config(pipeline_settings, registry=registry_for(pipeline_settings))
        report["stories"] = evaluate_stories(excerpts, labels, pipeline, config)
    click.echo(json.dumps(report, indent=2) if output_format == "json" else shifts_markdown(report), nl=False)
