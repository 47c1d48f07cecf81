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
from bisect import bisect_left, bisect_right
from dataclasses import replace

from stance.config import SegmenterConfig
from stance.data import Article, Claim, Span
from stance.pipeline.stage import ArticleStage

# A sentence ends at . ! or ? plus any closing quotes/brackets (kept in the sentence),
# followed by space and something that can open a sentence.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
# The closing quotes/brackets above, which a sentence may end with after its period.
_CLOSERS = "\"'”’)]"
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
        words = _Words(text, start, end)
        pieces: list[tuple[int, int]] = []
        piece_start = start
        for match in self._separator.finditer(text, start, end):
            left = (piece_start, match.start())
            if min(words.count(*left), words.count(match.end(), end)) >= self.config.min_clause_words:
                pieces.append(left)
                piece_start = match.end()
        pieces.append((piece_start, end))
        return [_trim(text, s, e) for s, e in pieces]

    def _is_abbreviation(self, text: str, sentence_start: int, boundary: int, next_start: int) -> bool:
        # Only the token before the period is read, never the sentence so far: a run of
        # initials ("A. A. A. …") never ends its sentence, so slicing it was quadratic.
        end = boundary
        while end > sentence_start and text[end - 1] in _CLOSERS:
            end -= 1
        if end == sentence_start or text[end - 1] != ".":
            return False
        token = _last_token(text, sentence_start, end - 1)
        # Initials ("John F. Kennedy") and listed abbreviations ("Mr.", "U.S.") do not end
        # sentences; "No." only abbreviates before a number ("No. 10"), else it is the word.
        if token.lower() == "no":
            return text[next_start : next_start + 1].isdigit()
        return (len(token) == 1 and token.isupper()) or token.lower() in self._abbreviations


class _Words:
    """The words of one sentence, counted in any stretch of it by bisection.

    Counting with ``findall`` at every separator rescanned the rest of the sentence each
    time: quadratic on "a; a; a; …". Counts match ``len(_WORD.findall(text, start, end))``,
    where a word cut by either end of the stretch counts once.
    """

    def __init__(self, text: str, start: int, end: int):
        spans = [m.span() for m in _WORD.finditer(text, start, end)]
        self._starts = [s for s, _ in spans]
        self._ends = [e for _, e in spans]

    def count(self, start: int, end: int) -> int:
        if start >= end:
            return 0
        return bisect_left(self._starts, end) - bisect_right(self._ends, start)


def _last_token(text: str, start: int, end: int) -> str:
    """``text[start:end].rsplit(None, 1)[-1]`` (``""`` if blank), reading only its tail."""
    while end > start and text[end - 1].isspace():
        end -= 1
    token_start = end
    while token_start > start and not text[token_start - 1].isspace():
        token_start -= 1
    return text[token_start:end]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
