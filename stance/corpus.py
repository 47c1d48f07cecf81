"""Corpus hygiene shared by the corpus builder and its tests: word n-gram overlap with
held-out text, near-duplicate detection and topic-level split assignment."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

_TOKEN = re.compile(r"[a-z0-9]+")
SPLIT_SHARES = (("train", 0.8), ("dev", 0.1), ("test", 0.1))


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
