"""Words, BIO tags and attribution relations: the bridge between spans and a tagger.

The attribution tagger labels words (``B-cue``, ``I-content``, ``O`` …). This module turns
gold relations into word tags for training, and predicted word tags back into spans and
relations. Grouping spans into relations is positional: every cue anchors a relation;
each content fragment and each source joins the nearest cue within a distance limit. In
PolNeAR each token belongs to at most one attribution, so nearest-cue grouping recovers
most relations, including quotes split around their cue (“…,” he said, “…”).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stance.data import ROLES, Attribution, Span

TAGS = ("O",) + tuple(f"{prefix}-{role}" for role in ROLES for prefix in ("B", "I"))
TAG_ID = {tag: i for i, tag in enumerate(TAGS)}
_WORD = re.compile(r"\w+(?:[’']\w+)*|[^\w\s]")


def words(text: str) -> list[Span]:
    """Word and punctuation spans of ``text``: the unit every tag and metric counts."""
    return [Span(m.start(), m.end()) for m in _WORD.finditer(text)]


def encode_tags(word_spans: list[Span], relations: tuple[Attribution, ...]) -> list[str]:
    """BIO tag per word; a word takes the role of the fragment its first character is in."""
    tags = ["O"] * len(word_spans)
    starts = [w.start for w in word_spans]
    for relation in relations:
        for role in ROLES:
            for fragment in relation.role(role):
                first = True
                for i in _words_in(starts, fragment):
                    tags[i] = f"{'B' if first else 'I'}-{role}"
                    first = False
    return tags


def _words_in(starts: list[int], fragment: Span) -> range:
    from bisect import bisect_left

    return range(bisect_left(starts, fragment.start), bisect_left(starts, fragment.end))


@dataclass(frozen=True)
class TaggedSpan:
    """A maximal run of words with one role: ``[first, last]`` word indices, inclusive."""

    role: str
    first: int
    last: int


def tag_spans(tags: list[str]) -> list[TaggedSpan]:
    """Spans of a tag sequence; an ``I-`` after ``O`` or another role opens a span (lenient BIO)."""
    spans: list[TaggedSpan] = []
    current: list | None = None
    for i, tag in enumerate(tags):
        prefix, _, role = tag.partition("-")
        if tag == "O" or (prefix == "B") or current is None or current[0] != role:
            if current is not None:
                spans.append(TaggedSpan(*current))
            current = [role, i, i] if tag != "O" else None
        else:
            current[2] = i
    if current is not None:
        spans.append(TaggedSpan(*current))
    return spans


def group_relations(
    spans: list[TaggedSpan], word_spans: list[Span], max_content_gap: int, max_source_gap: int
) -> tuple[Attribution, ...]:
    """Attributions from role spans: each cue is a relation; contents and sources join the
    nearest cue within ``max_content_gap`` / ``max_source_gap`` words, otherwise they
    are dropped (a content with no cue is not an attribution)."""
    cues = [span for span in spans if span.role == "cue"]
    members: dict[int, dict[str, list[TaggedSpan]]] = {i: {"source": [], "content": []} for i in range(len(cues))}
    for span in spans:
        if span.role == "cue" or not cues:
            continue
        limit = max_content_gap if span.role == "content" else max_source_gap
        gap, nearest = min((_gap(span, cue), i) for i, cue in enumerate(cues))
        if gap <= limit:
            members[nearest][span.role].append(span)

    def chars(group: list[TaggedSpan]) -> tuple[Span, ...]:
        return tuple(Span(word_spans[s.first].start, word_spans[s.last].end) for s in group)

    return tuple(
        Attribution(source=chars(members[i]["source"]), cue=chars([cue]), content=chars(members[i]["content"]))
        for i, cue in enumerate(cues)
        if members[i]["content"]
    )


def _gap(a: TaggedSpan, b: TaggedSpan) -> int:
    """Words strictly between two spans (0 when adjacent)."""
    return max(a.first - b.last - 1, b.first - a.last - 1, 0)
