"""Tracked claims: link each new proposition to the claim it restates, or start a new one.

The decision is the same wherever it is made (the nightly store update, `stance eval-claims`,
the calibration script), so the figures measured on the labelled clusters are the figures of
the engine. Propositions arrive in publication order; for each one:

1. **Retrieve** the ``candidates`` nearest earlier propositions by sentence-embedding cosine
   (all-MiniLM-L6-v2, mean-pooled). Up to ``exact_up_to`` stored propositions this is an exact
   numpy search; beyond it, a faiss HNSW graph (approximate, sub-linear).
2. **Re-rank** them with the hybrid score ``alpha · embedding cosine + (1 − alpha) · term
   overlap``. Term overlap is the cosine of the content-word (uni- and bi-gram) sets: unlike
   TF-IDF it needs no corpus statistics, so a stored link never depends on what came later.
3. **Decide**: every tracked claim with a member scoring at least ``threshold`` matches. None
   matches: a new tracked claim. One or more match: the proposition joins the oldest, and the
   others merge into it (their ids resolve to it from then on; ids are never renumbered).

A denial that only points back ("— claims Beijing has strongly denied") carries the
proposition it answers (``stance.pipeline.propose``) and joins that claim's tracked claim
directly, without a similarity decision.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from stance.config import ClaimsConfig

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def terms(text: str) -> frozenset[str]:
    """Content words and adjacent content-word pairs of ``text``, lower-cased."""
    words = [w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in zip(words, words[1:]))


def term_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Cosine of two term sets: shared terms over the geometric mean of their sizes."""
    if not a or not b:
        return 0.0
    return len(a & b) / float(np.sqrt(len(a) * len(b)))


class VectorIndex:
    """Unit vectors searched by inner product: exact (numpy) up to ``exact_up_to`` rows,
    then a faiss HNSW graph, which stays fast at millions of rows."""

    def __init__(self, dim: int | None = None, exact_up_to: int = 100_000):
        """``dim``: the vectors' size; ``None`` takes it from the first vectors added."""
        self.dim = dim
        self.exact_up_to = exact_up_to
        self._vectors = np.zeros((1024, dim or 0), dtype=np.float32)
        self._size = 0
        self._graph = None

    def __len__(self) -> int:
        return self._size

    def add(self, vectors: np.ndarray) -> None:
        if self.dim is None:
            self.dim = np.shape(vectors)[-1]
            self._vectors = np.zeros((1024, self.dim), dtype=np.float32)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        while self._size + len(vectors) > len(self._vectors):
            self._vectors = np.concatenate([self._vectors, np.zeros_like(self._vectors)])
        self._vectors[self._size : self._size + len(vectors)] = vectors
        self._size += len(vectors)
        if self._graph is not None:
            self._graph.add(vectors)
        elif self._size > self.exact_up_to:
            self._graph = _hnsw(self.dim)
            self._graph.add(self._vectors[: self._size])

    def search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows of the ``k`` nearest vectors and their cosines, best first."""
        rows, scores = self.search_many(np.asarray(vector).reshape(1, -1), k)
        return rows[0], scores[0]

    def search_many(self, queries: np.ndarray, k: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """``search`` for many queries at once: one pass over the stored vectors per chunk of
        queries instead of one per query (the search is memory-bound)."""
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        if self._size == 0:
            empty = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32))
            return [empty[0]] * len(queries), [empty[1]] * len(queries)
        if self._graph is not None:
            scores, rows = self._graph.search(queries, k)
            keep = rows >= 0
            return [r[m] for r, m in zip(rows, keep)], [s[m] for s, m in zip(scores, keep)]
        k = min(k, self._size)
        found_rows, found_scores = [], []
        for offset in range(0, len(queries), 128):
            scores = queries[offset : offset + 128] @ self._vectors[: self._size].T
            for row_scores in scores:
                rows = np.argpartition(-row_scores, k - 1)[:k]
                rows = rows[np.lexsort((rows, -row_scores[rows]))]
                found_rows.append(rows)
                found_scores.append(row_scores[rows])
        return found_rows, found_scores


def _hnsw(dim: int):
    import faiss

    graph = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
    graph.hnsw.efSearch = 128
    return graph


@dataclass(frozen=True)
class Link:
    """Where one proposition went: its tracked claim, whether that claim is new, the deciding
    score (None for a new claim or a denial joined through what it answers) and the tracked
    claims merged into it."""

    tracked_id: int
    score: float | None
    merged: tuple[int, ...] = ()
    new: bool = False


class ClaimTracker:
    """The tracked claims so far: every linked proposition's vector, terms and tracked id."""

    def __init__(self, config: ClaimsConfig, dim: int | None = None, next_id: int = 1):
        self.config = config
        self.index = VectorIndex(dim, config.exact_up_to)
        self._terms: list[frozenset[str]] = []
        self._tracked: list[int] = []
        self._merged_into: dict[int, int] = {}
        self.next_id = next_id

    def __len__(self) -> int:
        return len(self._tracked)

    def resolve(self, tracked_id: int) -> int:
        """The surviving id of a tracked claim (itself unless it was merged)."""
        while tracked_id in self._merged_into:
            tracked_id = self._merged_into[tracked_id]
        return tracked_id

    def load(self, members: Iterable[tuple[int, np.ndarray, str]], merges: dict[int, int]) -> None:
        """Restore stored state: ``(tracked_id, vector, proposition)`` per linked proposition."""
        self._merged_into.update(merges)
        rows = list(members)
        if rows:
            self.index.add(np.stack([vector for _, vector, _ in rows]))
            self._terms += [terms(text) for _, _, text in rows]
            self._tracked += [tracked for tracked, _, _ in rows]
            self.next_id = max(self.next_id, max(self._tracked) + 1, max(merges, default=0) + 1)

    def link(self, vector: np.ndarray, text: str, answers: int | None = None) -> Link:
        """Link one proposition (``answers``: the tracked id of the claim a denial answers)."""
        return self.link_many(np.asarray(vector).reshape(1, -1), [text], [answers])[0]

    def link_many(
        self, vectors: np.ndarray, texts: list[str], answers: list[int | None], answers_at: list[int | None] | None = None
    ) -> list[Link]:
        """Link propositions in order, with the same decisions as ``link`` one at a time: the
        stored ones are searched for the whole batch at once, and each proposition's nearest
        earlier ones in the batch join its candidates. A denial answers a tracked id
        (``answers``) or an earlier proposition of the batch (``answers_at``, its position)."""
        answers_at = answers_at or [None] * len(texts)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        stored = len(self._tracked)
        k = self.config.candidates
        stored_rows, stored_scores = self.index.search_many(vectors, k)
        links = []
        for i, (vector, text, answered, at) in enumerate(zip(vectors, texts, answers, answers_at)):
            words = terms(text)
            if at is not None:
                decision = Link(self.resolve(links[at].tracked_id), None)
            elif answered is not None:
                decision = Link(self.resolve(answered), None)
            else:
                rows = np.concatenate([stored_rows[i], stored + np.arange(i)])
                scores = np.concatenate([stored_scores[i], vectors[:i] @ vector])
                best = np.lexsort((rows, -scores))[:k]
                decision = self._decide(words, rows[best], scores[best])
            self._terms.append(words)
            self._tracked.append(decision.tracked_id)
            links.append(decision)
        self.index.add(vectors)
        return links

    def _decide(self, words: frozenset[str], rows: np.ndarray, cosines: np.ndarray) -> Link:
        best: dict[int, float] = {}
        alpha = self.config.alpha
        for row, cosine in zip(rows.tolist(), cosines.tolist()):
            score = alpha * cosine + (1 - alpha) * term_overlap(words, self._terms[row])
            if score >= self.config.threshold:
                tracked = self.resolve(self._tracked[row])
                best[tracked] = max(best.get(tracked, 0.0), score)
        if not best:
            self.next_id += 1
            return Link(self.next_id - 1, None, new=True)
        survivor = min(best)
        merged = tuple(sorted(t for t in best if t != survivor))
        for tracked in merged:
            self._merged_into[tracked] = survivor
        return Link(survivor, round(max(best.values()), 4), merged)
