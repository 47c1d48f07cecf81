"""Fine-tune the attribution tagger on PolNeAR train; select the epoch on PolNeAR dev.

Training windows are cut with ``config.stride`` (less overlap than at inference, to
save steps); every piece inside a word is a target, pieces outside words are ignored.
The selection score is the ``TaggerEvaluator``'s primary metric: the mean of content
token-F1, cue exact F1 and source exact F1 on dev, so no single role can win at the
others' cost. The loop is the shared ``stance.lora.finetune.fine_tune``.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from pathlib import Path

from stance.attribution.evaluator import TaggerEvaluator
from stance.attribution.model import AttributionTagger, encode_article, piece_labels, plan_windows
from stance.lora.minilm import pad
from stance.attribution.polnear import load_compartment
from stance.attribution.tags import TAGS, encode_tags
from stance.config import AttributionConfig, TaggerTrainConfig, required_path
from stance.lora.base import BASE_MODEL, load_token_classifier, load_tokenizer
from stance.lora.finetune import Schedule, fine_tune, git_sha, package_versions, set_seed
from stance.lora.model import add_lora, use_threads

logger = logging.getLogger(__name__)


def training_windows(docs, tokenizer, window: int, stride: int) -> list[tuple[list[int], list[int]]]:
    """``(input_ids, labels)`` per window, with [CLS]/[SEP] (label -100) added."""
    examples = []
    for doc in docs:
        article = encode_article(tokenizer, doc.text)
        labels = piece_labels(article, encode_tags(article.word_spans, doc.relations))
        for w in plan_windows(len(article.input_ids), window, stride):
            ids = [tokenizer.cls_token_id] + article.input_ids[w.start : w.end] + [tokenizer.sep_token_id]
            examples.append((ids, [-100] + labels[w.start : w.end].tolist() + [-100]))
    return examples


def train_tagger(config: TaggerTrainConfig, output_dir: str | Path, polnear_dir: str | Path | None = None) -> dict:
    """Fine-tune, keep the best dev epoch, save the adapter; returns the training report.

    ``polnear_dir`` defaults to the config's (read as given); the CLI passes the checkout's.
    """
    polnear_dir = required_path(polnear_dir, config.polnear_dir, "polnear_dir")
    set_seed(config.seed)
    use_threads(config.num_threads)
    train_docs = load_compartment(polnear_dir, "train", limit=config.train_limit)
    dev_docs = load_compartment(polnear_dir, "dev", limit=config.dev_limit)
    tokenizer = load_tokenizer()
    examples = training_windows(train_docs, tokenizer, config.window, config.stride)
    logger.info("%d train articles → %d windows; %d dev articles", len(train_docs), len(examples), len(dev_docs))
    model = add_lora(load_token_classifier(TAGS), config.lora, "TOKEN_CLS")
    inference = AttributionConfig(window=config.window, stride=config.window // 2, num_threads=config.num_threads)
    tagger = AttributionTagger(model, tokenizer, {"model_id": "training"}, inference)
    dev_evaluator = TaggerEvaluator(dev_docs, "dev", with_baseline=False)

    def loss_of(batch):
        input_ids, attention = pad([examples[i][0] for i in batch], tokenizer.pad_token_id)
        labels, _ = pad([examples[i][1] for i in batch], -100)
        return model(input_ids=input_ids, attention_mask=attention, labels=labels).loss

    result = fine_tune(
        model,
        Schedule.of(config, len(examples), config.seed),
        batches=lambda generator: _batches(examples, config.batch_size, generator),
        loss_of=loss_of,
        dev_score=lambda: dev_evaluator(tagger)[dev_evaluator.primary_metric],
        keep=lambda key: "lora_" in key or "classifier" in key,
        metric="dev_selection_score",
    )
    tagger.meta = {
        "name": "attribution-tagger",
        "base_model": BASE_MODEL,
        "train_articles": len(train_docs),
        "train_windows": len(examples),
        "dev_articles": len(dev_docs),
        "best_epoch": result.best_epoch,
        "dev_selection_score": result.best_score,
        "history": result.history,
        "config": asdict(config),
        "versions": package_versions(),
        "git_sha": git_sha(),
    }
    tagger.save(output_dir)
    return tagger.meta


def _batches(examples, batch_size: int, generator) -> list[list[int]]:
    """Shuffled batches of windows of similar length (most are full-length; the article
    tails are short)."""
    import torch

    order = torch.randperm(len(examples), generator=generator).tolist()
    order.sort(key=lambda i: len(examples[i][0]))
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    return [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]
