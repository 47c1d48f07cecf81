"""Commands that train, evaluate and document the two models.

The stance classifier: ``train``, ``eval``, ``card``. The attribution tagger:
``train-tagger``, ``tagger-eval`` (``train-segmenter`` and ``segment-eval`` are kept as
hidden aliases). The checkout's folders come from ``stance.cli.defaults``.
"""

from __future__ import annotations

import json
from dataclasses import replace
import sys
from pathlib import Path

import click

from stance.cli.app import EXIT_GATES_FAILED, add_alias, cli, config_option
from stance.cli.defaults import (
    ARTICLE_SET_DIR,
    CLAIM_SET_DIR,
    CONFIG_DIR,
    CORPUS_DIR,
    MODEL_CARDS_DIR,
    POLNEAR_DIR,
    REPORTS_DIR,
    config_file,
    path_or_default,
    pipeline_config,
    registry_for,
)
from stance.config import EvalConfig, TaggerTrainConfig, TrainConfig, load_config

CLASSIFIER_CARD = MODEL_CARDS_DIR / "stance-classifier.md"
TAGGER_CARD = MODEL_CARDS_DIR / "attribution-tagger.md"


def _eval_config() -> EvalConfig:
    return load_config(config_file("eval.yaml"), EvalConfig)


def _card_inputs():
    from stance.classifier.card import CardInputs

    return CardInputs(corpus_dir=CORPUS_DIR, agreement_file=REPORTS_DIR / "corpus-agreement.json")


def _is_bundled(folder: Path, bundled: Path) -> bool:
    return folder.resolve() == bundled.resolve()


@cli.command()
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), default=str(CONFIG_DIR / "train.yaml"), show_default=True)
@click.option("--output-dir", type=click.Path(file_okay=False), default=None, help="Where to write the model (default: the bundled model folder).")
def train(config_path, output_dir):
    """Fine-tune the stance classifier from configs/train.yaml and regenerate its model card."""
    from stance.classifier.card import train_and_report
    from stance.classifier.model import DEFAULT_MODEL_DIR

    config = load_config(config_path, TrainConfig)
    output_dir = Path(output_dir or config.output_dir or DEFAULT_MODEL_DIR)
    card_path = CLASSIFIER_CARD if _is_bundled(output_dir, DEFAULT_MODEL_DIR) else None
    train_file = path_or_default(config.train_file, CORPUS_DIR / "train.jsonl")
    dev_file = path_or_default(config.dev_file, CORPUS_DIR / "dev.jsonl")
    report = train_and_report(
        config, output_dir, (train_file, dev_file), CORPUS_DIR, _eval_config(), card_path, _card_inputs()
    )
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
    from stance.classifier.evaluator import check_gates as failed_gates
    from stance.classifier.evaluator import evaluate_classifier, report_markdown, write_report

    config = _eval_config()
    eval_file = Path(data_path) if data_path else CORPUS_DIR / f"{split}.jsonl"
    report = evaluate_classifier(eval_file, CORPUS_DIR / "train.jsonl", str(data_path or split), model_dir, config)
    if output_dir:
        write_report(report, output_dir)
    click.echo(json.dumps(report, indent=2) if output_format == "json" else report_markdown(report), nl=False)
    failures = failed_gates(report, config.gates)
    if check_gates and failures:
        click.echo("Error: gates failed: " + "; ".join(failures), err=True)
        sys.exit(EXIT_GATES_FAILED)


@cli.command()
@click.option("--model-dir", type=click.Path(file_okay=False), default=None, help="Model folder (default: the bundled model).")
@click.option("--card", "card_path", type=click.Path(dir_okay=False), default=None, help="Card to write (default: model_cards/stance-classifier.md).")
def card(model_dir, card_path):
    """Regenerate a stance classifier's model card from the reports saved beside the model."""
    from stance.classifier.card import write_card_from_reports
    from stance.classifier.model import DEFAULT_MODEL_DIR

    model_dir = Path(model_dir or DEFAULT_MODEL_DIR)
    click.echo(str(write_card_from_reports(model_dir, Path(card_path) if card_path else CLASSIFIER_CARD, _card_inputs())))


@cli.command(name="tagger-eval")
@click.option("--split", type=click.Choice(["dev", "test"]), default="dev", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N articles (by name).")
@click.option("--polnear", "polnear_dir", type=click.Path(file_okay=False), default=None, help="PolNeAR data folder (default: ../shared/data/polnear).")
@click.option("--model-dir", type=click.Path(file_okay=False), default=None, help="Tagger folder (default: the bundled attribution tagger).")
@click.option("--stride", type=click.IntRange(min=1), default=None, help="Step between 256-piece windows (default: configs/pipeline.yaml).")
@click.option("--format", "output_format", type=click.Choice(["json", "md"]), default="md", show_default=True)
def tagger_eval_command(split, limit, polnear_dir, model_dir, stride, output_format):
    """Attribution extraction on PolNeAR: per-role exact-span and token F1 (source, cue,
    content) and attribution F1, beside the rule-based segmenter as baseline.
    (Alias: segment-eval.)"""
    from stance.attribution.evaluator import TaggerEvaluator, tagger_eval_markdown
    from stance.attribution.model import AttributionTagger
    from stance.attribution.polnear import load_compartment

    try:
        # The gold documents first: a wrong folder fails before the model loads.
        docs = load_compartment(polnear_dir or POLNEAR_DIR, split, limit=limit)
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    settings = pipeline_config(None).attribution
    if stride is not None:
        settings = replace(settings, stride=stride)
    report = TaggerEvaluator(docs, split)(AttributionTagger.load(model_dir, settings))
    click.echo(json.dumps(report, indent=2) if output_format == "json" else tagger_eval_markdown(report), nl=False)


@cli.command(name="train-tagger")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), default=str(CONFIG_DIR / "tagger_train.yaml"), show_default=True)
@click.option("--output-dir", type=click.Path(file_okay=False), default=None, help="Where to write the tagger (default: the bundled attribution-tagger folder).")
def train_tagger_command(config_path, output_dir):
    """Fine-tune the attribution tagger on PolNeAR train, pick the epoch on dev, then write
    dev and test reports and regenerate model_cards/attribution-tagger.md.
    (Alias: train-segmenter.)"""
    from stance.attribution.card import train_and_report, write_reports_and_card
    from stance.attribution.model import DEFAULT_TAGGER_DIR

    config = load_config(config_path, TaggerTrainConfig)
    output_dir = Path(output_dir or config.output_dir or DEFAULT_TAGGER_DIR)
    report = train_and_report(config, output_dir, path_or_default(config.polnear_dir, POLNEAR_DIR))
    if _is_bundled(output_dir, DEFAULT_TAGGER_DIR):
        write_reports_and_card(output_dir, REPORTS_DIR, TAGGER_CARD, _eval_config().tagger_gates)
    click.echo(json.dumps({k: report[k] for k in ("model_id", "best_epoch", "dev_selection_score")}))


@cli.command(name="eval-articles")
@click.option("--split", type=click.Choice(["dev", "test"]), default="dev", show_default=True)
@click.option("--data", "data_dir", type=click.Path(file_okay=False), default=None, help="Article set folder (default: data/articles).")
@click.option("--format", "output_format", type=click.Choice(["json", "md"]), default="md", show_default=True)
@click.option("--check-gates", is_flag=True, help="Exit 4 if an article gate of configs/eval.yaml fails.")
@config_option
def eval_articles(split, data_dir, output_format, check_gates, config_path):
    """Article-level answers on real articles: for each expected (article, actor), is the
    engine's stance right? Accuracy, macro-F1, per-label P/R/F1 and actor recall, beside the
    counting the engine used before (every mention a vote)."""
    from stance.evaluation import failed_checks
    from stance.pipeline import Pipeline
    from stance.pipeline.evaluator import ArticleEvaluator, article_eval_markdown, gate_checks, load_article_set

    articles, expectations = load_article_set(data_dir or ARTICLE_SET_DIR, split)
    config = pipeline_config(config_path)
    pipeline = Pipeline.from_config(config, registry=registry_for(config))
    report = ArticleEvaluator(articles, expectations, split)(pipeline)
    click.echo(json.dumps(report, indent=2) if output_format == "json" else article_eval_markdown(report), nl=False)
    failures = failed_checks(gate_checks(report, _eval_config().article_gates))
    if check_gates and failures:
        click.echo("Error: gates failed: " + "; ".join(failures), err=True)
        sys.exit(EXIT_GATES_FAILED)


@cli.command(name="eval-claims")
@click.option("--split", type=click.Choice(["dev", "test"]), default="dev", show_default=True)
@click.option("--format", "output_format", type=click.Choice(["json", "md"]), default="md", show_default=True)
@click.option("--check-gates", is_flag=True, help="Exit 4 if a claim gate of configs/eval.yaml fails.")
@config_option
def eval_claims(split, output_format, check_gates, config_path):
    """Claim tracking on the labelled clusters of data/claims: pairwise and B-cubed scores of
    the tracker (configs/claims.yaml) beside every-statement-alone, exact-match and
    TF-IDF-only baselines, and the accuracy of the holders' positions."""
    from stance.claims.evaluator import ClaimEvaluator, claim_eval_markdown, gate_checks, load_claim_set, run_statements
    from stance.claims.linking import SentenceEncoder
    from stance.config import ClaimsConfig
    from stance.pipeline import Pipeline
    from stance.pipeline.discover import load_ner

    settings = load_config(config_file("claims.yaml"), ClaimsConfig)
    statements, gold, positions = load_claim_set(CLAIM_SET_DIR, split)
    config = pipeline_config(config_path)
    parses = load_ner(config.discovery.model)
    pipeline = Pipeline.from_config(config, registry=registry_for(config), nlp=parses)
    runs = run_statements(statements, pipeline, parses)
    embeddings = SentenceEncoder().encode([run.proposition for run in runs])
    report = ClaimEvaluator(statements, gold, runs, embeddings, positions, split)(settings)
    click.echo(json.dumps(report, indent=2) if output_format == "json" else claim_eval_markdown(report), nl=False)
    failures = failed_checks(gate_checks(report, _eval_config().claim_gates))
    if check_gates and failures:
        click.echo("Error: gates failed: " + "; ".join(failures), err=True)
        sys.exit(EXIT_GATES_FAILED)


add_alias(tagger_eval_command, "segment-eval")
add_alias(train_tagger_command, "train-segmenter")
