"""Sentence embeddings for claim tracking, and the baselines' similarity and linker.

``SentenceEncoder`` gives all-MiniLM-L6-v2 sentence embeddings (the bundled base,
mean-pooled, which is how it was trained); the tracker (``stance.claims.tracker``) retrieves
with them. ``similarity`` (TF-IDF word 1–2-gram cosine, optionally mixed with embedding
cosine) and the greedy ``link`` make the TF-IDF baseline of ``stance eval-claims``: each
item joins the claim of its most similar earlier item at or above a threshold.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from stance.lora.base import load_tokenizer
from stance.lora.minilm import load_base_encoder


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence embeddings: mean of token states, L2-normalised."""

    def __init__(self, batch_size: int = 64, max_length: int = 128):
        self.tokenizer = load_tokenizer()
        self.model = load_base_encoder()
        self.batch_size = batch_size
        self.max_length = max_length

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors of ``texts``, in order; batches hold texts of similar length, so
        little of each batch is padding."""
        import torch

        vectors = np.zeros((len(texts), self.model.config.hidden_size), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        with torch.inference_mode():
            for offset in range(0, len(order), self.batch_size):
                rows = order[offset : offset + self.batch_size]
                input_ids, attention = self.tokenizer.batch([texts[i] for i in rows], self.max_length)
                states = self.model(input_ids=input_ids, attention_mask=attention).last_hidden_state
                mask = attention.unsqueeze(-1).to(states.dtype)
                mean = (states * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
                vectors[rows] = torch.nn.functional.normalize(mean, dim=-1).numpy()
        return vectors


def similarity(texts: Sequence[str], embeddings: np.ndarray | None, alpha: float) -> np.ndarray:
    """The hybrid similarity matrix of ``texts``: alpha · embedding cosine + (1 − alpha) · TF-IDF cosine."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    scores = np.zeros((len(texts), len(texts)), dtype=np.float32)
    if alpha > 0 and embeddings is not None:
        scores += alpha * (embeddings @ embeddings.T)
    if alpha < 1 and texts:
        tfidf = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english").fit_transform(texts)
        scores += (1 - alpha) * (tfidf @ tfidf.T).toarray().astype(np.float32)
    return scores


def link(scores: np.ndarray, threshold: float) -> list[int]:
    """Tracked-claim index of each item, in order: an item joins the claim of its most
    similar earlier item when the score reaches ``threshold``, else starts a new claim."""
    labels: list[int] = []
    for i in range(len(scores)):
        if i == 0:
            labels.append(0)
            continue
        best = int(np.argmax(scores[i, :i]))
        labels.append(labels[best] if scores[i, best] >= threshold else max(labels) + 1)
    return labels
