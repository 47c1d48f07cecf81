"""Wire copies: one story syndicated by many outlets counts once.

Articles whose word shingles have an estimated Jaccard similarity at or above the threshold
(MinHash with LSH, ``datasketch``: sub-linear candidate search instead of comparing every
pair) form one story. Its earliest article (then the smallest id) represents it: only that
article's statements count, and it carries the number of articles behind it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from stance.config import DedupConfig

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class WireCopies:
    """``representative`` of every article seen, and ``copies``: articles per representative."""

    representative: dict[str, str]
    copies: dict[str, int]

    def counts(self, article_id: str) -> bool:
        """Whether this article's statements count (it represents its story)."""
        return self.representative.get(article_id, article_id) == article_id


def find_wire_copies(articles: Iterable[tuple[str, str, str | None]], config: DedupConfig = DedupConfig()) -> WireCopies:
    """``articles``: ``(id, text, published ISO or None)``."""
    from datasketch import MinHash, MinHashLSH

    ordered = sorted(articles, key=lambda a: (a[2] is None, a[2] or "", a[0]))
    # LSH only proposes candidates (its banding needs a threshold below 1); the estimated
    # Jaccard of each candidate decides.
    lsh = MinHashLSH(threshold=min(max(config.threshold, 0.1), 0.9), num_perm=config.num_perm)
    representative: dict[str, str] = {}
    sketches = {}
    for article_id, text, _ in ordered:
        sketch = MinHash(num_perm=config.num_perm, seed=1)
        words = _WORD.findall(text.lower())
        width = config.shingle_words
        shingles = {" ".join(words[i : i + width]) for i in range(max(len(words) - width + 1, 1))}
        sketch.update_batch([shingle.encode("utf-8") for shingle in shingles])
        matches = [m for m in lsh.query(sketch) if sketch.jaccard(sketches[m]) >= config.threshold]
        # Join the earliest story it copies (representatives are never themselves copies).
        representative[article_id] = min((representative[m] for m in matches), default=article_id, key=_order(ordered))
        if representative[article_id] == article_id:
            lsh.insert(article_id, sketch)
            sketches[article_id] = sketch
    copies: dict[str, int] = {}
    for rep in representative.values():
        copies[rep] = copies.get(rep, 0) + 1
    return WireCopies(representative, copies)


def _order(ordered):
    rank = {article_id: i for i, (article_id, _, _) in enumerate(ordered)}
    return lambda article_id: rank[article_id]
