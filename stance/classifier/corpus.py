"""The stance corpus (``data/stance/*.jsonl``): reading a split, and the hygiene the corpus
builder applies (word n-gram overlap with held-out text, near-duplicates, topic-level
split assignment)."""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from stance.classifier.model import LABELS, MentionExample
from stance.errors import DataFormatError

REQUIRED_FIELDS = ("text", "actor_start", "actor_end", "label")
_TOKEN = re.compile(r"[a-z0-9]+")
SPLIT_SHARES = (("train", 0.8), ("dev", 0.1), ("test", 0.1))


def load_split(path: str | Path):
    """Load a corpus split as a ``datasets.Dataset``, checking every row.

    Raises:
        DataFormatError: a row lacks a field, has a bad label, or its span is off the text.
    """
    from datasets import load_dataset

    path = Path(path)
    if not path.exists():
        raise DataFormatError("corpus split not found; run scripts/corpus/build_corpus.py", str(path))
    dataset = load_dataset("json", data_files=str(path), split="train")
    for line, row in enumerate(dataset, start=1):
        missing = [key for key in REQUIRED_FIELDS if row.get(key) is None]
        if missing:
            raise DataFormatError(f"missing field(s) {missing}", str(path), line)
        if row["label"] not in LABELS:
            raise DataFormatError(f"label {row['label']!r} not in {LABELS}", str(path), line)
        if not 0 <= row["actor_start"] < row["actor_end"] <= len(row["text"]):
            raise DataFormatError("actor span lies outside the text", str(path), line)
    return dataset


def subsample_topics(dataset, fraction: float, seed: int):
    """The rows of a random ``fraction`` of the split's topics (about that share of rows).

    Whole topics (PolNeAR articles, written stories) are kept or dropped together: rows of
    one article are alike, so sampling single rows would overstate what a smaller corpus
    teaches. Rows without a topic count as topics of their own.
    """
    if fraction >= 1.0:
        return dataset
    topics = (
        [t or f"row-{i}" for i, t in enumerate(dataset["topic"])]
        if "topic" in dataset.column_names
        else [f"row-{i}" for i in range(len(dataset))]
    )
    sizes = Counter(topics)
    order = sorted(sizes)
    random.Random(seed).shuffle(order)
    wanted, kept, total = fraction * len(dataset), set(), 0
    for topic in order:
        if total >= wanted:
            break
        kept.add(topic)
        total += sizes[topic]
    return dataset.select([i for i, t in enumerate(topics) if t in kept])


def examples_of(dataset) -> list[MentionExample]:
    return [MentionExample(r["text"], r["actor_start"], r["actor_end"]) for r in dataset]


def labels_of(dataset) -> np.ndarray:
    return np.array([LABELS.index(label) for label in dataset["label"]])


def tokens(text: str) -> list[str]:
    """Lower-cased alphanumeric words; punctuation and quote styles are ignored."""
    return _TOKEN.findall(text.lower().replace("’", "'"))


def ngrams(text: str, n: int) -> set[tuple[str, ...]]:
    words = tokens(text)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def shares_ngram(text: str, reference_ngrams: set[tuple[str, ...]], n: int = 8) -> bool:
    """Whether ``text`` shares ``n`` consecutive words with the reference."""
    return not ngrams(text, n).isdisjoint(reference_ngrams)


def near_duplicate_pairs(texts: Sequence[str], threshold: float = 0.8) -> list[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, whose word-set Jaccard similarity is ≥ ``threshold``.

    Candidate pairs come from a shared rare-ish word index, so the cost stays far
    below all-pairs on a corpus of a few thousand sentences.
    """
    sets = [frozenset(tokens(text)) for text in texts]
    index: dict[str, list[int]] = {}
    for i, words in enumerate(sets):
        for word in words:
            index.setdefault(word, []).append(i)
    pairs = set()
    for i, words in enumerate(sets):
        if not words:
            continue
        candidates: set[int] = set()
        # Two sets with Jaccard ≥ t share most words; probing the rarest few is enough.
        for word in sorted(words, key=lambda w: (len(index[w]), w))[:3]:
            candidates.update(j for j in index[word] if j > i)
        for j in candidates:
            union = len(words | sets[j])
            if union and len(words & sets[j]) / union >= threshold:
                pairs.add((i, j))
    return sorted(pairs)


def split_for_topic(topic: str) -> str:
    """Deterministic train/dev/test assignment of a whole topic (story or article)."""
    bucket = int(hashlib.sha1(topic.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    cumulative = 0.0
    for split, share in SPLIT_SHARES:
        cumulative += share
        if bucket < cumulative:
            return split
    return SPLIT_SHARES[-1][0]
