"""Pipeline stage ``clean``: mark which paragraphs of an article are body text.

Cleaning never rewrites the text; it only records which paragraph spans are kept, so
every offset downstream points into the original.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from stance.config import IngestConfig
from stance.data import Article, Span
from stance.pipeline.stage import ArticleStage


class TextCleaner(ArticleStage):
    """Pipeline stage that marks which paragraphs of an article are body text.

    Drops boilerplate lines (``READ MORE: …``, ``Loading...``, lone bylines, trailing
    navigation), the headline when it repeats ``title``, and exact-duplicate paragraphs.
    """

    name = "clean"
    assigns = ("body",)

    def __init__(self, config: IngestConfig | None = None):
        self.config = config or IngestConfig()
        self._patterns = [re.compile(p) for p in self.config.boilerplate_patterns]

    def __call__(self, article: Article) -> Article:
        kept: list[Span] = []
        seen: set[str] = set()
        # Normalised once: every leading paragraph that repeats the title is compared with it.
        title = " ".join(article.title.split()) if article.title else None
        for start, end in _paragraph_spans(article.text):
            paragraph = article.text[start:end]
            normalised = " ".join(paragraph.split())
            if any(p.search(normalised) for p in self._patterns):
                continue
            if not kept and normalised == title:
                continue
            if self.config.drop_duplicate_paragraphs and normalised in seen:
                continue
            seen.add(normalised)
            kept.append(Span(start, end))
        return replace(article, body=tuple(kept))


def _paragraph_spans(text: str) -> Iterator[tuple[int, int]]:
    """Spans of non-blank lines with surrounding whitespace trimmed."""
    for match in re.finditer(r"[^\n]+", text):
        start, end = match.span()
        line = match.group()
        stripped_left = len(line) - len(line.lstrip())
        stripped_right = len(line) - len(line.rstrip())
        if start + stripped_left < end - stripped_right:
            yield start + stripped_left, end - stripped_right
