"""Commands over tracked claims: claims (a list) and claim (one claim's timeline)."""

from __future__ import annotations

import json

import click

from stance.cli.app import cli, config_option, echo_rows, iso_day
from stance.cli.defaults import pipeline_config, registry_for
from stance.errors import StanceError
from stance.io.store import StanceStore


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--actor", default=None, help="Only claims this actor (id, name or alias) takes a position on.")
@click.option("--search", default=None, help="Only claims whose text contains this (case-insensitive).")
@click.option("--since", default=None, help="Only mentions published on or after this date (YYYY-MM-DD).")
@click.option("--until", default=None, help="Only mentions published on or before this date (YYYY-MM-DD).")
@click.option("--min-articles", type=click.IntRange(min=1), default=1, show_default=True)
@click.option("--format", "output_format", type=click.Choice(["table", "json", "jsonl"]), default="table", show_default=True)
@config_option
def claims(db_path, actor, search, since, until, min_articles, output_format, config_path):
    """Tracked claims: the same claim across articles, who asserts, denies or reports it.

    Keys: claim_id, text, first_seen, last_seen, n_articles, mentions (article_id,
    published, start, end, text, holder_id, holder_name, label) and positions (actor_id,
    actor_name, position, first, last, n).
    """
    from stance.claims.listing import tracked_claims

    since, until = iso_day(since, "--since"), iso_day(until, "--until")
    with StanceStore(db_path, read_only=True) as store:
        registry = registry_for(pipeline_config(config_path), store)
        actor_id = registry.resolve(actor).id if actor else None
        rows = tracked_claims(store, registry, actor_id, search, since, until, min_articles)
    echo_rows(
        rows, output_format, ["claim_id", "n_articles", "first_seen", "text", "positions"],
        f"no tracked claims in {db_path} for that selection",
        table_rows=lambda rows: [
            dict(row, positions="; ".join(f"{p['actor_name']} {p['position']}" for p in row["positions"])) for row in rows
        ],
    )


@cli.command()
@click.argument("claim_id", type=int)
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@config_option
def claim(claim_id, db_path, output_format, config_path):
    """One tracked claim's timeline: every mention, oldest first, with who holds it and how.
    A merged id shows the claim it was merged into."""
    from stance.claims.listing import resolve_claim, tracked_claims
    from stance.io.formatting import terminal_safe, to_table

    with StanceStore(db_path, read_only=True) as store:
        survivor = resolve_claim(store, claim_id)
        if survivor is None:
            raise StanceError(f"{db_path}: no tracked claim {claim_id}")
        registry = registry_for(pipeline_config(config_path), store)
        rows = tracked_claims(store, registry, ids=[survivor])
    if not rows:
        raise StanceError(f"{db_path}: tracked claim {claim_id} has no mentions left")
    row = dict(rows[0], merged_from=claim_id if survivor != claim_id else None)
    if output_format == "json":
        click.echo(json.dumps(row, indent=2, ensure_ascii=False))
        return
    click.echo(f"claim {survivor}: {terminal_safe(row['text'])}" + (f" (id {claim_id} was merged into it)" if survivor != claim_id else ""))
    click.echo(f"{row['n_articles']} article(s), {row['first_seen']} … {row['last_seen']}")
    click.echo(to_table(row["positions"], ["actor_name", "position", "first", "last", "n"]), nl=False)
    click.echo(to_table(row["mentions"], ["published", "article_id", "holder_name", "label", "text"]), nl=False)
