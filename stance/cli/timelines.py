"""Commands over timelines: shifts, eval-shifts (report and network come with them)."""

from __future__ import annotations

import json
from datetime import date

import click

from stance.cli.app import cli, config_option, echo_rows, iso_day, write_text_output
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
    with StanceStore(db_path, read_only=True) as store:
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


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--since", default=None, help="Only statements published on or after this date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Only statements published on or before this date (YYYY-MM-DD).")
@click.option("--format", "output_format", type=click.Choice(["graphml", "gexf", "csv"]), default="csv", show_default=True)
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False), default="-", help="Output file (default: stdout).")
@config_option
def network(db_path, since, until, output_format, output_path, config_path):
    """The actor → target network: one edge per pair with statement counts per label
    (support, critical, neutral, deny), total and dominant label; GraphML and GEXF open in
    visone and Gephi."""
    from stance.io.formatting import to_csv
    from stance.timelines.network import actor_edges, write_network

    since, until = iso_day(since, "--since"), iso_day(until, "--until")
    with StanceStore(db_path, read_only=True) as store:
        registry = registry_for(pipeline_config(config_path), store)
        edges = actor_edges(store.stance_records(), registry.principal, registry.name_of, since, until)
    write_text_output(output_path, to_csv(edges) if output_format == "csv" else write_network(edges, output_format))


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "output_path", required=True, type=click.Path(dir_okay=False), help="The HTML file to write.")
@click.option("--actor", "actors", multiple=True, help="An actor to show (repeatable; default: the 6 with most statements).")
@click.option("--since", default=None, help="Only statements published on or after this date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Only statements published on or before this date (YYYY-MM-DD).")
@click.option("--freq", type=click.Choice(["D", "W", "M", "Q", "Y"]), default="M", show_default=True)
@config_option
def report(db_path, output_path, actors, since, until, freq, config_path):
    """One self-contained HTML report (opens offline in any browser): per actor, the
    stance-share timeline with intervals and shift markers, the evidence behind each point,
    the actor → target network and the top tracked claims with who asserts and denies."""
    from stance.timelines.report import render_report

    since, until = iso_day(since, "--since"), iso_day(until, "--until")
    settings = timelines_config()
    with StanceStore(db_path, read_only=True) as store:
        registry = registry_for(pipeline_config(config_path), store)
        sections = report_sections(store, registry, settings, actors, since, until, freq)
    window = f"{since or 'the first article'} to {until or 'the last'}"
    html_text = render_report(sections, "stance report", f"{db_path}: {len(sections)} actor(s), {window}, {freq} periods")
    write_text_output(output_path, html_text)
    click.echo(f"wrote {output_path} ({len(sections)} actor(s))", err=True)


def report_sections(store, registry, settings, actors, since, until, freq) -> list:
    """One ``ActorSection`` per actor: named ones, else the 6 with the most statements."""
    from collections import Counter

    from stance.aggregate import statements as count_statements
    from stance.claims.listing import tracked_claims
    from stance.cli.browse import actor_statements
    from stance.data import Label
    from stance.timelines.build import build_timeline
    from stance.timelines.network import actor_edges
    from stance.timelines.report import ActorSection
    from stance.timelines.shifts import detect_shifts

    def within(record) -> bool:
        day = record.published.date().isoformat() if record.published else None
        return not ((since and (day is None or day < since)) or (until and (day is None or day > until)))

    records = [r for r in store.stance_records() if within(r)]
    if not actors:
        counted = Counter(
            registry.principal(r.actor_id) for r in count_statements(records, registry.principal) if r.label is not Label.NONE
        )
        actors = [actor for actor, _ in counted.most_common(6)]
    links = {article_id: url for article_id, url in store.conn.execute("SELECT id, url FROM articles WHERE url IS NOT NULL")}
    edges = actor_edges(records, registry.principal, registry.name_of)
    sections = []
    for actor in actors:
        kept, holder, _, wire = actor_statements(store, registry, settings, actor)
        kept = [r for r in kept if within(r)]
        points = build_timeline(kept, {r.actor_id for r in kept} or {holder.id}, None, freq, actor_label=holder.id,
                                settings=settings, wire=wire)
        sections.append(ActorSection(
            actor_id=holder.id, name=holder.name, points=points,
            shifts=detect_shifts(kept, settings.shifts, holder.id),
            edges=[e for e in edges if e["actor_id"] == registry.principal(holder.id)],
            claims=tracked_claims(store, registry, holder.id, since=since, until=until)[:5],
            links=links,
            freq=freq,
        ))
    return sections
