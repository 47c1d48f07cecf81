"""Batching helpers shared by the model-backed pipeline stages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def pipe_in_batches(items: Iterable[T], batch_size: int, process: Callable[[list[T]], list[T]]) -> Iterator[T]:
    """Feed ``items`` to ``process`` ``batch_size`` at a time and yield its results in order:
    a model stage pays for one forward pass per batch, not per article."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from process(batch)
            batch = []
    if batch:
        yield from process(batch)
