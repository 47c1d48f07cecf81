"""Commands that read the store: timeline and export."""

from __future__ import annotations

import json

import click

from stance.cli.app import cli, config_option, echo_rows, write_text_output
from stance.cli.defaults import pipeline_config, registry_for, timelines_config
from stance.errors import StanceError
from stance.io.store import StanceStore


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--actor", required=True, help="Canonical id, display name or alias, e.g. china, 'the West', Beijing.")
@click.option("--target", default=None, help="Only stances toward this actor.")
@click.option("--claim", "claim_id", type=int, default=None, help="Only statements of this tracked claim (stance claims).")
@click.option("--freq", type=click.Choice(["D", "W", "M", "Q", "Y"]), default="W", show_default=True,
              help="Day, ISO week, month, quarter or year buckets.")
@click.option("--window", default=None, help="Rolling window instead of buckets, e.g. 30d or 4w: one kernel-weighted point per day.")
@click.option("--rollup", is_flag=True, help="Count group members too (the US, the EU … for the West).")
@click.option("--dedup/--no-dedup", default=None, help="Count near-identical (wire) articles once (default: configs/timelines.yaml).")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@config_option
def timeline(db_path, actor, target, claim_id, freq, window, rollup, dedup, output_format, config_path):
    """Stance timeline of an actor, optionally toward a target or on one tracked claim: per
    period, the statements behind it (n), counts, shares with 90% credible intervals, the
    dominant label (unclear when thin or split) and the evidence claims."""
    from stance.io.formatting import point_to_dict, timeline_rows, to_csv, to_table
    from stance.timelines.periods import parse_window

    settings = timelines_config()
    try:
        window_days = parse_window(window) if window else None
    except ValueError as exc:
        raise StanceError(f"--window: {exc}") from None
    with StanceStore(db_path, read_only=True) as store:
        registry = registry_for(pipeline_config(config_path), store)
        points, holder = actor_timeline(store, registry, settings, actor, target, claim_id, freq, window_days, rollup, dedup)
    if output_format == "json":
        click.echo(json.dumps([point_to_dict(p) for p in points], indent=2, ensure_ascii=False))
    elif output_format == "csv":
        click.echo(to_csv(timeline_rows(points)), nl=False)
    elif not points:
        click.echo(f"no stances of {holder.name} in {db_path}")
    else:
        rows = timeline_rows(points)
        click.echo(to_table(rows, ["period", "dominant", "n", "n_support", "n_critical", "n_neutral", "n_deny", "outlets", "top_claim"]), nl=False)


def actor_statements(store, registry, settings, actor, target=None, claim_id=None, rollup=False, dedup=None):
    """The statements a timeline of ``actor`` (a name) counts, the resolved actor and target,
    and the wire copies used: shared by `timeline`, `shifts` and `report`."""
    from stance.io.tracked import resolve
    from stance.timelines.build import timeline_statements
    from stance.timelines.dedup import find_wire_copies

    holder = registry.resolve(actor)
    target_actor = registry.resolve(target) if target else None
    actor_ids = registry.expand(holder.id, rollup=rollup)
    target_ids = registry.expand(target_actor.id, rollup=rollup) if target_actor else None
    records = list(store.stance_records(actor_ids))
    if claim_id is not None:
        survivor = resolve(store, claim_id)
        if survivor is None:
            raise StanceError(f"{store.path}: no tracked claim {claim_id}")
        records = [r for r in records if r.claim_id == survivor]
    use_dedup = settings.dedup.enabled if dedup is None else dedup
    wire = find_wire_copies(store.article_texts(), settings.dedup) if use_dedup else None
    return timeline_statements(records, actor_ids, target_ids, wire), holder, target_actor, wire


def actor_timeline(store, registry, settings, actor, target=None, claim_id=None, freq="W", window_days=None, rollup=False, dedup=None):
    """The timeline points of ``actor`` (a name) and the resolved actor."""
    from stance.timelines.build import build_timeline

    kept, holder, target_actor, wire = actor_statements(store, registry, settings, actor, target, claim_id, rollup, dedup)
    points = build_timeline(
        kept, {r.actor_id for r in kept} or {holder.id}, None, freq,
        actor_label=holder.id, target_label=target_actor.id if target_actor else None,
        settings=settings, window_days=window_days, wire=wire,
    )
    return points, holder


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl", show_default=True)
@click.option("-o", "--output", "output_path", type=click.Path(dir_okay=False), default=None,
              help="Output file (default: stdout; required for parquet).")
@click.option("--include-none", is_flag=True, help="Also export mentions judged to hold no stance.")
@config_option
def export(db_path, output_format, output_path, include_none, config_path):
    """Every stored stance, one record a line (article_id, published, actor_id, actor_name,
    mention, label, confidence, claim, claim_id (its tracked claim), targets, holder, source,
    cue)."""
    from stance.data import Label
    from stance.io.formatting import record_to_dict, to_csv, write_parquet

    with StanceStore(db_path, read_only=True) as store:
        registry = registry_for(pipeline_config(config_path), store)
        rows = [
            record_to_dict(r, registry)
            for r in store.stance_records()
            if include_none or r.label is not Label.NONE
        ]
    if output_format == "parquet":
        if not output_path:
            raise StanceError("--format parquet needs -o FILE (parquet is binary)")
        try:
            write_parquet(rows, output_path)
        except OSError as exc:
            raise StanceError(f"{output_path}: cannot write: {exc.strerror or exc}") from None
        return
    text = to_csv(rows) if output_format == "csv" else "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    write_text_output(output_path or "-", text)


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--article", "article_id", default=None, help="Only this article id.")
@click.option("--actor", default=None, help="Only this actor (id, display name or alias).")
@click.option("--rollup/--no-rollup", default=True, show_default=True,
              help="Count people and ministries as the state or organisation they speak for.")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "jsonl"]), default="table", show_default=True)
@config_option
def summary(db_path, article_id, actor, rollup, output_format, config_path):
    """The stance each actor takes in each article: one row per (article, actor).

    A statement counts once per claim and actor (the holder's own judgement outranks
    mentions of the same actor in what they say), weighed by its confidence; `none` never
    counts. Keys: article_id, published, actor_id, actor_name, label, confidence, n_claims,
    evidence.
    """
    from stance.aggregate import article_stances
    from stance.io.formatting import article_stance_to_dict

    with StanceStore(db_path, read_only=True) as store:
        registry = registry_for(pipeline_config(config_path), store)
        wanted = registry.resolve(actor) if actor else None

        def actor_of(actor_id: str) -> str:
            return registry.principal(actor_id) if rollup else actor_id

        answers = article_stances(store.stance_records(), actor_of)
    rows = [
        article_stance_to_dict(answer, registry)
        for answer in answers
        if (article_id is None or answer.article_id == article_id)
        and (wanted is None or answer.actor_id == actor_of(wanted.id))
    ]
    echo_rows(
        rows, output_format, ["article_id", "actor_name", "label", "confidence", "n_claims", "evidence"],
        f"no stances in {db_path} for that selection",
        table_rows=lambda rows: [dict(row, evidence=row["evidence"][0]) for row in rows],
    )


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--discovered", "discovered_only", is_flag=True, help="Only actors found outside the registry.")
@click.option("--min-mentions", type=click.IntRange(min=0), default=0, show_default=True)
@click.option("--format", "output_format", type=click.Choice(["table", "json", "yaml"]), default="table", show_default=True,
              help="yaml: registry entries to paste into configs/actors.yaml.")
@config_option
def actors(db_path, discovered_only, min_mentions, output_format, config_path):
    """The actors the stored articles mention: registry actors and the ones discovered in
    the text (provisional id, name, kind, whom they speak for, first/last seen, mentions,
    an example sentence)."""
    from stance.io.formatting import actor_rows, registry_entries, to_table

    with StanceStore(db_path, read_only=True) as store:
        registry = registry_for(pipeline_config(config_path), store)
        rows = actor_rows(registry, store.actor_mentions(), store.discovered_actors(), discovered_only)
    rows = [row for row in rows if row["mentions"] >= min_mentions]
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif output_format == "yaml":
        click.echo(registry_entries([row for row in rows if row["origin"] == "discovered"], registry), nl=False)
    elif not rows:
        click.echo(f"no actors in {db_path} for that selection")
    else:
        click.echo(to_table(rows, ["id", "name", "kind", "origin", "speaks_for_name", "mentions", "first_seen", "last_seen"]), nl=False)
