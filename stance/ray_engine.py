"""Scoring on Ray Data: the same pipeline in a pool of worker processes, one writer.

Why Ray: a research desk re-scoring a year of news (10^6 articles) needs weeks on one
2-core machine; Ray Data spreads ``map_batches`` over an actor pool on one machine or a
cluster, with retries and back-pressure we do not have to write. What stays here:

- the driver reads the input and decides what to score exactly as the local engine does
  (``stance.jobs.score_articles``: rejects, duplicate ids, ``--skip-existing``);
- each Ray actor (``PipelineWorker``) loads the pipeline once and scores each article on
  its own (``stance.jobs.score_one``), the way the local engine does, so an answer never
  depends on the worker (``Pipeline.__call__`` also forgets other articles' discoveries);
- results come back in input order (``preserve_order``) and the driver saves them through
  the one SQLite writer, so the store, and every export of it, equals a local run's.

Articles travel pickled: both ends are this package's own processes.
"""

from __future__ import annotations

import logging
import os
import pickle
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice

from stance.actors import ActorRegistry
from stance.config import PipelineConfig
from stance.data import Article
from stance.errors import StanceError


class PipelineWorker:
    """A Ray Data actor: one loaded pipeline, scoring a batch of pickled articles."""

    def __init__(self, config: PipelineConfig, registry: ActorRegistry):
        from stance.pipeline import Pipeline

        self.pipeline = Pipeline.from_config(config, registry=registry)

    def __call__(self, batch: dict) -> dict:
        import numpy as np

        from stance.jobs import score_one

        outcomes = [pickle.dumps(score_one(self.pipeline, pickle.loads(blob))) for blob in batch["article"]]
        return {"index": np.asarray(batch["index"]), "outcome": np.array(outcomes, dtype=object)}


class RayEngine:
    """Score articles on Ray: a local instance started here, or the cluster at ``address``.

    Use as a context manager: a Ray instance started here is shut down on exit.

    Args:
        workers: Ray actors, each holding one pipeline (one CPU each).
        address: a running cluster (``ray://host:10001`` or ``auto``); None starts Ray here.
        chunk_size: articles handed to Ray per dataset; bounds the driver's memory.
        batch_size: articles per ``map_batches`` call.
    """

    def __init__(self, config: PipelineConfig, registry: ActorRegistry, workers: int = 2,
                 address: str | None = None, chunk_size: int = 1000, batch_size: int = 4):
        if workers < 1:
            raise StanceError(f"--workers must be at least 1, got {workers}")
        self.workers, self.address, self.chunk_size, self.batch_size = workers, address, chunk_size, batch_size
        # Each worker gets its share of this machine's cores for torch (2 workers on 2 cores:
        # one thread each); a cluster's workers keep the configured count.
        threads = config.classifier.num_threads if address else max(1, (os.cpu_count() or 1) // workers)
        self.config = replace(
            config,
            classifier=replace(config.classifier, num_threads=threads),
            attribution=replace(config.attribution, num_threads=threads),
        )
        self.registry = registry
        self._started_here = False

    def __enter__(self) -> RayEngine:
        # Ray's own log lines ("dataset finished") mean nothing to a user; errors still
        # reach the driver as exceptions.
        ray = _import_ray()
        # Ray Data logs a failure's whole stack trace; the CLI prints it as one line.
        for name in ("ray", "ray.data"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        if not ray.is_initialized():
            options = dict(include_dashboard=False, logging_level=logging.ERROR, log_to_driver=False)
            if self.address:
                ray.init(address=self.address, **options)
            else:
                ray.init(num_cpus=max(self.workers, os.cpu_count() or 1), **options)
            self._started_here = True
        context = ray.data.DataContext.get_current()
        context.execution_options.preserve_order = True
        context.enable_progress_bars = False
        return self

    def __exit__(self, *exc_info) -> None:
        if self._started_here:
            _import_ray().shutdown()
            self._started_here = False

    def score(self, articles: Iterable[Article]) -> Iterator[tuple[Article, Article | str]]:
        """``(article, annotated article or reject reason)`` for each article, in input order."""
        ray = _import_ray()
        stream = iter(articles)
        while chunk := list(islice(stream, self.chunk_size)):
            dataset = ray.data.from_items([{"index": i, "article": pickle.dumps(a)} for i, a in enumerate(chunk)])
            with warnings.catch_warnings():  # Ray's own API deprecation notices
                warnings.simplefilter("ignore")
                scored = self._map(dataset)
            pending: dict[int, Article | str] = {}
            next_index = 0
            for row in scored.iter_rows():
                pending[int(row["index"])] = pickle.loads(row["outcome"])
                while next_index in pending:  # input order, even if a batch comes back early
                    yield chunk[next_index], pending.pop(next_index)
                    next_index += 1
            if next_index != len(chunk):
                raise StanceError(f"Ray returned {next_index} of {len(chunk)} articles of a chunk")

    def _map(self, dataset):
        return dataset.map_batches(
            bound_worker(self.config, self.registry),
            batch_size=self.batch_size,
            concurrency=self.workers,
            num_cpus=1,
            # A worker that dies fails the run instead of restarting: scoring is resumable
            # (nightly skips stored articles), and Ray warns on every restartable actor.
            max_restarts=0,
        )


def bound_worker(config: PipelineConfig, registry: ActorRegistry) -> type:
    """``PipelineWorker`` with its arguments bound: Ray ships the class itself (by value),
    so restarted actors never depend on constructor arguments kept in the object store."""

    class BoundPipelineWorker(PipelineWorker):
        def __init__(self):
            super().__init__(config, registry)

    return BoundPipelineWorker


def _import_ray():
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise StanceError("--engine ray needs Ray Data: pip install 'stance[ray]'") from None
    return ray
