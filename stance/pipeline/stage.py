"""What every pipeline stage is: ``Stage``, and the two ways a stage pipes articles.

A stage reads an ``Article`` and returns a new one (``__call__``), or streams many
(``pipe``). It declares what it ``requires`` from earlier stages and everything it
``assigns``, so ``Pipeline`` can check an order before running it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import ClassVar, Protocol, TypeVar

from stance.data import Article

T = TypeVar("T")


class Stage(Protocol):
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, article: Article) -> Article: ...

    def pipe(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Article]: ...


class ArticleStage:
    """A stage that works on one article at a time: ``pipe`` just maps ``__call__``."""

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]] = ()
    assigns: ClassVar[tuple[str, ...]] = ()

    def __call__(self, article: Article) -> Article:
        raise NotImplementedError

    def pipe(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Article]:
        for article in articles:
            yield self(article)


class BatchedStage(ArticleStage):
    """A model-backed stage: ``pipe`` hands ``_annotate`` whole batches, so the model pays
    for one forward pass per batch, not per article; ``__call__`` is a batch of one."""

    def __call__(self, article: Article) -> Article:
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Article]:
        return pipe_in_batches(articles, batch_size, self._annotate)

    def _annotate(self, articles: list[Article]) -> list[Article]:
        raise NotImplementedError


def pipe_in_batches(items: Iterable[T], batch_size: int, process: Callable[[list[T]], list[T]]) -> Iterator[T]:
    """Feed ``items`` to ``process`` ``batch_size`` at a time and yield its results in order."""
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from process(batch)
            batch = []
    if batch:
        yield from process(batch)
