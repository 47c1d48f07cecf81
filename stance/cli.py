"""The ``stance`` command line: thin wrappers over library functions.

Exit codes: 0 OK; 1 a user or config error (one line, no traceback); 2 bad usage
(click); 3 a batch finished but more records failed than ``max_failure_rate`` allows;
4 ``stance eval --check-gates`` found a quality gate of ``configs/eval.yaml`` failed.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from stance.config import CONFIG_DIR, PROJECT_DIR, PipelineConfig, TrainConfig, config_file, load_config
from stance.errors import DataFormatError, StanceError

EXIT_TOO_MANY_FAILURES = 3
EXIT_GATES_FAILED = 4
EXAMPLE_ARTICLE = PROJECT_DIR / "examples" / "xi_moscow_visit_2023.txt"

config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False), default=None,
    help="Pipeline config YAML (default: configs/pipeline.yaml).",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress bar or log lines.")


def _progress(quiet: bool, description: str):
    """A tqdm wrapper on a TTY, the identity elsewhere."""
    def wrap(items: Iterable):
        if quiet or not sys.stderr.isatty():
            return items
        from tqdm import tqdm

        return tqdm(items, desc=description, unit=" articles")
    return wrap


def _pipeline_config(config_path: str | None) -> PipelineConfig:
    return load_config(config_path or CONFIG_DIR / "pipeline.yaml", PipelineConfig)


class StanceGroup(click.Group):
    """Turn library errors into one-line messages with exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StanceError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=StanceGroup)
@click.version_option(package_name="stance")
@click.option("--verbose", "-v", is_flag=True, help="Log progress details to stderr.")
def cli(verbose: bool) -> None:
    """Track who holds which stance on what in news articles, and how it changes."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


@cli.command()
@click.argument("input_path", type=click.Path(exists=True))
@click.option("--db", "db_path", required=True, type=click.Path(dir_okay=False), help="SQLite store (created if missing).")
@click.option("--rejects", type=click.Path(dir_okay=False), default=None, help="JSONL file for rejected records (default: DB path + .rejects.jsonl).")
@click.option("--skip-existing", is_flag=True, help="Leave articles already in the store untouched.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", help="Summary format.")
@config_option
@quiet_option
def score(input_path, db_path, rejects, skip_existing, output_format, config_path, quiet):
    """Score INPUT_PATH (.jsonl, .json, .txt or a folder of them) into the store.

    Example: stance score articles.jsonl --db stance.db
    """
    from stance.ingest import read_articles
    from stance.pipeline import Pipeline
    from stance.scoring import score_articles
    from stance.store import StanceStore

    config = _pipeline_config(config_path)
    pipeline = Pipeline.from_config(config)
    with StanceStore(db_path) as store:
        summary = score_articles(
            read_articles(input_path, config.ingest),
            pipeline,
            store,
            command="score",
            skip_existing=skip_existing,
            rejects_path=rejects or f"{db_path}.rejects.jsonl",
            progress=_progress(quiet, "scoring"),
        )
    if output_format == "json":
        click.echo(json.dumps(summary.as_dict()))
    else:
        click.echo(
            f"scored {summary.scored} article(s), {summary.claims} claims, {summary.stances} stances; "
            f"skipped {summary.skipped}; rejected {summary.rejected} (run {summary.run_id}, model {summary.model_id})"
        )
    for reject in summary.rejects[:10]:
        click.echo(f"  rejected {reject['location']}: {reject['reason']}", err=True)
    if summary.failure_rate > config.max_failure_rate:
        click.echo(f"Error: {summary.failure_rate:.0%} of records failed", err=True)
        sys.exit(EXIT_TOO_MANY_FAILURES)


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
    from stance.classifier import StanceClassifier
    from stance.config import ClassifierConfig
    from stance.mention_io import read_mention_requests

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
    if total and len(errors) / total > _pipeline_config(None).max_failure_rate:
        sys.exit(EXIT_TOO_MANY_FAILURES)


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--actor", required=True, help="Canonical id, display name or alias, e.g. china, 'the West', Beijing.")
@click.option("--target", default=None, help="Only stances toward this actor.")
@click.option("--freq", type=click.Choice(["D", "W", "M"]), default="W", show_default=True, help="Day, ISO week or month buckets.")
@click.option("--rollup", is_flag=True, help="Count group members too (the US, the EU … for the West).")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@config_option
def timeline(db_path, actor, target, freq, rollup, output_format, config_path):
    """Stance timeline of an actor, optionally toward a target, with evidence claims."""
    from stance.actors import ActorRegistry
    from stance.aggregate import build_timeline
    from stance.formatting import point_to_dict, timeline_rows, to_csv, to_table
    from stance.store import StanceStore

    registry = ActorRegistry.from_yaml(config_file(_pipeline_config(config_path).actors_file))
    holder = registry.resolve(actor)
    target_actor = registry.resolve(target) if target else None
    actor_ids = registry.expand(holder.id, rollup=rollup)
    target_ids = registry.expand(target_actor.id, rollup=rollup) if target_actor else None
    with StanceStore(db_path) as store:
        points = build_timeline(
            store.stance_records(actor_ids), actor_ids, target_ids, freq,
            actor_label=holder.id, target_label=target_actor.id if target_actor else None,
        )
    if output_format == "json":
        click.echo(json.dumps([point_to_dict(p) for p in points], indent=2, ensure_ascii=False))
    elif output_format == "csv":
        click.echo(to_csv(timeline_rows(points)), nl=False)
    elif not points:
        click.echo(f"no stances of {holder.name} in {db_path}")
    else:
        rows = timeline_rows(points)
        click.echo(to_table(rows, ["period", "dominant", "n_support", "n_critical", "n_neutral", "n_deny", "evidence", "top_claim"]), nl=False)


@cli.command()
@click.option("--db", "db_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "output_format", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--include-none", is_flag=True, help="Also export mentions judged to hold no stance.")
@config_option
def export(db_path, output_format, include_none, config_path):
    """Every stored stance, one record a line (article_id, published, actor_id, actor_name,
    mention, label, confidence, claim, targets, holder, source, cue)."""
    from stance.actors import ActorRegistry
    from stance.data import Label
    from stance.formatting import record_to_dict, to_csv
    from stance.store import StanceStore

    registry = ActorRegistry.from_yaml(config_file(_pipeline_config(config_path).actors_file))
    with StanceStore(db_path) as store:
        rows = [
            record_to_dict(r, registry)
            for r in store.stance_records()
            if include_none or r.label is not Label.NONE
        ]
    if output_format == "csv":
        click.echo(to_csv(rows), nl=False)
    else:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))


@cli.command()
@click.argument("input_path", type=click.Path(exists=True), default=str(EXAMPLE_ARTICLE))
@click.option("--format", "output_format", type=click.Choice(["table", "json"]), default="table", show_default=True)
@config_option
def demo(input_path, output_format, config_path):
    """Score the bundled example article (Xi's 2023 visit to Moscow) and print each
    actor's stances with the evidence claim."""
    from stance.data import Label, stance_records
    from stance.formatting import record_to_dict, to_table
    from stance.ingest import read_articles
    from stance.pipeline import Pipeline

    config = _pipeline_config(config_path)
    pipeline = Pipeline.from_config(config)
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
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), default=str(CONFIG_DIR / "train.yaml"), show_default=True)
@click.option("--output-dir", type=click.Path(file_okay=False), default=None, help="Where to write the model (default: the bundled model folder).")
def train(config_path, output_dir):
    """Fine-tune the stance classifier from configs/train.yaml and regenerate its model card."""
    from stance.model_card import train_and_report

    config = load_config(config_path, TrainConfig)
    report = train_and_report(config, output_dir)
    click.echo(json.dumps({k: report[k] for k in ("model_id", "dev_f1_macro", "test_f1_macro", "temperature")}))


@cli.command(name="eval")
@click.option("--split", type=click.Choice(["dev", "test"]), default="test", show_default=True)
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False), default=None, help="Evaluate on this JSONL instead of a corpus split.")
@click.option("--model-dir", type=click.Path(file_okay=False), default=None)
@click.option("--format", "output_format", type=click.Choice(["json", "md"]), default="md", show_default=True)
@click.option("--output-dir", type=click.Path(file_okay=False), default=None, help="Also write stance-eval-<split>.json and .md here.")
@click.option("--check-gates", is_flag=True, help="Exit 4 if a gate of configs/eval.yaml fails.")
def evaluate(split, data_path, model_dir, output_format, output_dir, check_gates):
    """Per-label P/R/F1, macro-F1, confusion matrix and ECE beside three baselines
    (majority class, cue-word lexicon, TF-IDF + logistic regression) trained on train."""
    from stance.config import EvalConfig
    from stance.evaluation import check_gates as failed_gates
    from stance.evaluation import report_markdown
    from stance.model_card import evaluate_split, write_report

    config = load_config(config_file("eval.yaml"), EvalConfig)
    report = evaluate_split(split, data_path, model_dir, config)
    if output_dir:
        write_report(report, output_dir)
    click.echo(json.dumps(report, indent=2) if output_format == "json" else report_markdown(report), nl=False)
    failures = failed_gates(report, config.gates)
    if check_gates and failures:
        click.echo("Error: gates failed: " + "; ".join(failures), err=True)
        sys.exit(EXIT_GATES_FAILED)


@cli.command()
@click.option("--model-dir", type=click.Path(file_okay=False), default=None, help="Model folder (default: the bundled model).")
def card(model_dir):
    """Regenerate model_cards/stance-classifier.md from the reports saved beside the model."""
    from stance.model_card import write_card_from_reports

    click.echo(str(write_card_from_reports(model_dir)))


@cli.command()
@click.argument("input_path", type=click.Path(exists=True))
@click.option("--format", "output_format", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@config_option
def attributions(input_path, output_format, config_path):
    """List the attributions the learned segmenter finds in articles: source, cue, content
    and the actor the source resolves to (the claim's holder)."""
    from stance.actors import ActorLinker
    from stance.attribution import AttributionTagger
    from stance.attribution_segmenter import AttributionSegmenter
    from stance.formatting import attribution_rows, to_csv, to_table
    from stance.holders import HolderResolver
    from stance.ingest import TextCleaner, read_articles
    from stance.segmenter import ClaimSegmenter

    config = _pipeline_config(config_path)
    registry = _registry(config)
    stages = [
        TextCleaner(config.ingest),
        AttributionSegmenter(AttributionTagger.load(config=config.attribution), ClaimSegmenter(config.segmenter)),
        ActorLinker(registry),
        HolderResolver(registry, config.holders),
    ]
    rows = []
    for item in read_articles(input_path, config.ingest):
        if isinstance(item, DataFormatError):
            click.echo(f"skipped {item}", err=True)
            continue
        for stage in stages:
            item = stage(item)
        rows += attribution_rows(item, registry)
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif output_format == "csv":
        click.echo(to_csv(rows), nl=False)
    else:
        click.echo(to_table(rows, ["holder", "source", "cue", "content"]), nl=False)


def _registry(config: PipelineConfig):
    from stance.actors import ActorRegistry

    return ActorRegistry.from_yaml(config_file(config.actors_file))


@cli.command(name="segment-eval")
@click.option("--split", type=click.Choice(["dev", "test"]), default="dev", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N articles (by name).")
@click.option("--polnear", "polnear_dir", type=click.Path(file_okay=False), default=None, help="PolNeAR data folder (default: ../shared/data/polnear).")
@click.option("--model-dir", type=click.Path(file_okay=False), default=None, help="Tagger folder (default: the bundled claim segmenter).")
@click.option("--format", "output_format", type=click.Choice(["json", "md"]), default="md", show_default=True)
def segment_eval_command(split, limit, polnear_dir, model_dir, output_format):
    """Attribution extraction on PolNeAR: per-role exact-span and token F1 (source, cue,
    content) and attribution F1, beside the rule-based segmenter as baseline."""
    from stance.attribution import AttributionTagger
    from stance.segment_eval import segment_eval, segment_eval_markdown

    try:
        tagger = AttributionTagger.load(model_dir)
        report = segment_eval(split, limit, polnear_dir, tagger)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(json.dumps(report, indent=2) if output_format == "json" else segment_eval_markdown(report), nl=False)


@cli.command(name="train-segmenter")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), default=str(CONFIG_DIR / "segmenter_train.yaml"), show_default=True)
@click.option("--output-dir", type=click.Path(file_okay=False), default=None, help="Where to write the tagger (default: the bundled claim-segmenter folder).")
def train_segmenter_command(config_path, output_dir):
    """Fine-tune the attribution tagger on PolNeAR train, pick the epoch on dev, then write
    dev and test reports and regenerate model_cards/claim-segmenter.md."""
    from stance.config import SegmenterTrainConfig
    from stance.segmenter_card import train_and_report_segmenter

    config = load_config(config_path, SegmenterTrainConfig)
    report = train_and_report_segmenter(config, output_dir)
    click.echo(json.dumps({k: report[k] for k in ("model_id", "best_epoch", "dev_selection_score")}))


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
