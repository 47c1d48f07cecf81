"""Pieces of the shared fine-tuning loop (stance/lora/finetune.py) on tiny inputs."""

import pytest

from stance.config import TaggerTrainConfig, TrainConfig
from stance.lora.finetune import Schedule, running_mean, trainable_state


def test_running_mean_of_states_is_the_plain_mean():
    import torch

    from stance.lora.finetune import running_mean as _running_mean

    states = [{"w": torch.tensor([1.0, 2.0])}, {"w": torch.tensor([3.0, 4.0])}, {"w": torch.tensor([5.0, 9.0])}]
    mean = None
    for count, state in enumerate(states, start=1):
        mean = _running_mean(mean, state, count)
    assert mean["w"].tolist() == [3.0, 5.0]


def test_trainable_state_copies_only_the_kept_weights_detached():
    import torch

    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1))
    state = trainable_state(model, keep=lambda key: key.startswith("1."))
    assert sorted(state) == ["1.bias", "1.weight"]
    assert torch.equal(state["1.weight"], model[1].weight) and not state["1.weight"].requires_grad
    with torch.no_grad():
        model[1].weight.add_(1.0)
    assert not torch.equal(state["1.weight"], model[1].weight)  # a copy, not a view
    assert trainable_state(model, keep=lambda key: False) == {}


def test_running_mean_starts_from_the_first_state():
    first = {"w": 1.0}
    assert running_mean(None, first, 1) is first
    assert running_mean({"w": 2.0}, {"w": 4.0}, 2) == {"w": 3.0}


@pytest.mark.parametrize("n_examples, steps", [(33, 3), (32, 2), (1, 1)])
def test_schedule_of_a_train_config_rounds_steps_per_epoch_up(n_examples, steps):
    config = TrainConfig(batch_size=16, epochs=4, average_from_epoch=3)
    schedule = Schedule.of(config, n_examples, seed=7)
    assert schedule == Schedule(
        epochs=4, learning_rate=config.learning_rate, weight_decay=config.weight_decay, warmup_ratio=config.warmup_ratio,
        steps_per_epoch=steps, seed=7, mixed_precision="bf16", average_from_epoch=3,
    )


def test_schedule_of_a_config_without_mixed_precision_or_averaging_uses_the_defaults():
    config = TaggerTrainConfig(batch_size=8)
    assert not hasattr(config, "mixed_precision") and not hasattr(config, "average_from_epoch")
    schedule = Schedule.of(config, 17, seed=13)
    assert (schedule.steps_per_epoch, schedule.mixed_precision, schedule.average_from_epoch, schedule.seed) == (3, "none", 0, 13)
    assert (schedule.epochs, schedule.learning_rate) == (config.epochs, config.learning_rate)
