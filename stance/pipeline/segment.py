"""Split an article's body into sentences, then sentences into claims.

A claim is a clause that carries its own assertion or stance. News prose glues two
stances into one sentence with a dash or a semicolon ("The US accused China of … —
claims Beijing has denied."); splitting there lets each actor's stance be judged on
the clause that states it. The rule-based splitter here is the baseline that the
learned attribution tagger is measured against, and the fallback for sentences the
``attribute`` stage finds no attribution in.
"""

from __future__ import annotations

import re
from dataclasses import replace

from stance.config import SegmenterConfig
from stance.data import Article, Claim, Span
from stance.pipeline.stage import ArticleStage

# A sentence ends at . ! or ? plus any closing quotes/brackets (kept in the sentence),
# followed by space and something that can open a sentence.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_WORD = re.compile(r"\w+")
_NON_SPACE = re.compile(r"\S")


class ClaimSegmenter(ArticleStage):
    """Pipeline stage: ``Article.body`` → ``Article.claims`` with sentence index and span."""

    name = "segment"
    requires = ("body",)
    assigns = ("claims",)

    def __init__(self, config: SegmenterConfig | None = None):
        self.config = config or SegmenterConfig()
        self._abbreviations = {a.lower() for a in self.config.abbreviations}
        self._separator = re.compile("|".join(re.escape(s) for s in self.config.clause_separators))

    def __call__(self, article: Article) -> Article:
        body = article.body if article.body is not None else (Span(0, len(article.text)),)
        claims: list[Claim] = []
        sentence_index = 0
        for paragraph in body:
            for start, end in self.sentences(article.text, paragraph.start, paragraph.end):
                for clause_start, clause_end in self.clauses(article.text, start, end):
                    claims.append(
                        Claim(
                            index=len(claims),
                            sentence_index=sentence_index,
                            start=clause_start,
                            end=clause_end,
                            text=article.text[clause_start:clause_end],
                        )
                    )
                sentence_index += 1
        return replace(article, claims=tuple(claims), segmented=True)

    def sentences(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Sentence spans inside ``text[start:end]``."""
        spans = []
        sentence_start = start
        for match in _BOUNDARY.finditer(text, start, end):
            next_start = _NON_SPACE.search(text, match.end()).start()
            if self._is_abbreviation(text, sentence_start, match.end(), next_start):
                continue
            spans.append((sentence_start, match.end()))
            sentence_start = match.end()
        if sentence_start < end:
            spans.append((sentence_start, end))
        return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]

    def clauses(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Split a sentence at clause separators when both sides are long enough."""
        pieces: list[tuple[int, int]] = []
        piece_start = start
        for match in self._separator.finditer(text, start, end):
            left = (piece_start, match.start())
            right_words = len(_WORD.findall(text, match.end(), end))
            if self._word_count(text, *left) >= self.config.min_clause_words and (
                right_words >= self.config.min_clause_words
            ):
                pieces.append(left)
                piece_start = match.end()
        pieces.append((piece_start, end))
        return [_trim(text, s, e) for s, e in pieces]

    def _is_abbreviation(self, text: str, sentence_start: int, boundary: int, next_start: int) -> bool:
        before = text[sentence_start:boundary].rstrip("\"'”’)]")
        if not before.endswith("."):
            return False
        token = before[:-1].rsplit(None, 1)[-1] if before[:-1].strip() else ""
        # Initials ("John F. Kennedy") and listed abbreviations ("Mr.", "U.S.") do not end
        # sentences; "No." only abbreviates before a number ("No. 10"), else it is the word.
        if token.lower() == "no":
            return text[next_start : next_start + 1].isdigit()
        return (len(token) == 1 and token.isupper()) or token.lower() in self._abbreviations

    @staticmethod
    def _word_count(text: str, start: int, end: int) -> int:
        return len(_WORD.findall(text, start, end))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
