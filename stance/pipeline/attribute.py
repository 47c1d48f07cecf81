"""Pipeline stage ``attribute``: claims from learned attributions, sentences for the rest.

Each attribution the tagger finds (source + cue + content) becomes one claim that spans
the sentence(s) it occupies, so the classifier sees the holder, the cue and what was
said together. When one sentence holds several attributions ("The US accused China of
… — claims Beijing has denied."), the sentence is cut where the next attribution
begins. Sentences without an attribution stay claims, split into clauses by the rule
segmenter as before.
"""

from __future__ import annotations

import re
from dataclasses import replace

from stance.data import Article, Attribution, Claim, Span
from stance.pipeline.segment import ClaimSegmenter
from stance.pipeline.stage import BatchedStage

_WORDS = re.compile(r"\w+")
# Characters trimmed at a cut between two attributions in one sentence.
_CUT_JUNK = " \t\n—–-;,:"


class ClaimAttributor(BatchedStage):
    """``Article.body`` → ``Article.claims``, with ``Claim.attribution`` on attributed claims.

    ``tagger`` is anything with ``attributions(texts) -> [tuple[Attribution, ...]]``: the
    learned ``AttributionTagger`` in production, a stand-in in tests.
    """

    name = "attribute"
    requires = ("body",)
    assigns = ("claims", "attributions")

    def __init__(self, tagger, rules: ClaimSegmenter | None = None):
        self.tagger = tagger
        self.rules = rules or ClaimSegmenter()

    def _annotate(self, articles: list[Article]) -> list[Article]:
        found = self.tagger.attributions([article.text for article in articles])
        return [self.claims_for(article, attributions) for article, attributions in zip(articles, found)]

    def claims_for(self, article: Article, relations: tuple[Attribution, ...]) -> Article:
        """Build the claims of one article from its sentences and its relations."""
        text = article.text
        body = article.body if article.body is not None else (Span(0, len(text)),)
        sentences = [s for paragraph in body for s in self.rules.sentences(text, paragraph.start, paragraph.end)]
        kept = [r for r in (_clip_to_body(r, body) for r in relations) if r is not None]
        units = _sentence_units(sentences, kept)
        claims: list[Claim] = []
        for first_sentence, (start, end), unit_relations in units:
            if unit_relations:
                pieces = _join_short(text, _cut(text, start, end, unit_relations), self.rules.config.min_clause_words)
            else:
                pieces = [(s, e, None) for s, e in self.rules.clauses(text, start, end)]
            for piece_start, piece_end, relation in pieces:
                claims.append(
                    Claim(
                        index=len(claims),
                        sentence_index=first_sentence,
                        start=piece_start,
                        end=piece_end,
                        text=text[piece_start:piece_end],
                        attribution=relation,
                    )
                )
        return replace(article, claims=tuple(claims), segmented=True)


def _spans(relation: Attribution) -> list[Span]:
    return [*relation.source, *relation.cue, *relation.content]


def _extent(relation: Attribution) -> tuple[int, int]:
    spans = _spans(relation)
    return min(s.start for s in spans), max(s.end for s in spans)


def _clip_to_body(relation: Attribution, body: tuple[Span, ...]) -> Attribution | None:
    """The relation within the body paragraph that holds its cue: fragments in dropped
    boilerplate ("READ MORE: …") or in another paragraph are left out, so a claim never
    crosses a paragraph break. ``None`` when the cue is not in one kept paragraph or no
    content is left."""
    paragraph = next((part for part in body if part.start <= relation.cue[0].start < part.end), None)
    if paragraph is None:
        return None

    def inside(span: Span) -> bool:
        return paragraph.start <= span.start and span.end <= paragraph.end

    content = tuple(s for s in relation.content if inside(s))
    if not content or not all(inside(s) for s in relation.cue):
        return None
    return Attribution(source=tuple(s for s in relation.source if inside(s)), cue=relation.cue, content=content)


def _sentence_units(sentences: list[tuple[int, int]], relations: list[Attribution]):
    """``(first sentence index, (start, end), relations)``: consecutive sentences merged
    where one attribution runs across them (a quote over two sentences)."""
    extents = sorted((_extent(r), r) for r in relations)
    units = []
    index = 0
    while index < len(sentences):
        start, end = sentences[index]
        last = index
        mine = []
        changed = True
        while changed:
            changed = False
            for (r_start, r_end), relation in extents:
                if relation in mine or r_end <= start or r_start >= end:
                    continue
                mine.append(relation)
                while last + 1 < len(sentences) and sentences[last + 1][0] < r_end:
                    last += 1
                    end = sentences[last][1]
                    changed = True
        units.append((index, (start, end), sorted(mine, key=_extent)))
        index = last + 1
    return units


def _cut(text: str, start: int, end: int, relations: list[Attribution]) -> list[tuple[int, int, Attribution]]:
    """One piece per relation: from the unit start (first) or the relation's own start,
    up to where the next relation starts (last: the unit end)."""
    pieces = []
    for i, relation in enumerate(relations):
        piece_start = start if i == 0 else _extent(relation)[0]
        piece_end = end if i == len(relations) - 1 else _extent(relations[i + 1])[0]
        while piece_end > piece_start and text[piece_end - 1] in _CUT_JUNK:
            piece_end -= 1
        pieces.append((piece_start, max(piece_end, _extent(relation)[1]), relation))
    return pieces


def _join_short(text: str, pieces: list, min_words: int) -> list:
    """A piece of fewer than ``min_words`` words joins the piece before it, keeping that
    piece's attribution: the same floor the rule segmenter puts on clauses, so a stray cue
    ("claims Beijing has | strongly denied.") cannot cut a clause into fragments."""
    joined: list = []
    for start, end, relation in pieces:
        short = len(_WORDS.findall(text, start, end)) < min_words
        if joined and (short or len(_WORDS.findall(text, *joined[-1][:2])) < min_words):
            previous_start, _, previous_relation = joined[-1]
            joined[-1] = (previous_start, end, previous_relation)
        else:
            joined.append((start, end, relation))
    return joined
