"""Deterministic stand-ins for the two models, so pipeline, job and contract tests run
without loading weights. Both have exactly the interface the pipeline stages use:
``tagger.attributions(texts)`` and ``classifier.model_id`` / ``classifier.predict(examples)``."""

from __future__ import annotations

import re

from stance.classifier.model import LABELS, Prediction
from stance.data import Attribution, Label, Span


class FixedTagger:
    """Returns the relations it was built with, for every text."""

    def __init__(self, relations):
        self._relations = relations

    def attributions(self, texts):
        return [self._relations for _ in texts]


# "<source> <cue> <content>": a capitalised word (plus up to two more words) or a pronoun
# right before a reporting verb, and the rest of the clause after it.
_ATTRIBUTION = re.compile(
    r"\b(?P<source>[A-Z][\w’']*(?: [\w’']+){0,2}?) (?P<cue>denied|said|criticised|urged|welcomed) (?P<content>[^.;!?]+)"
)


class FakeTagger:
    """Finds "X denied/said/criticised/urged/welcomed …" with a regular expression."""

    model_id = "fake-tagger@0000000000"

    def __init__(self):
        self.calls: list[list[str]] = []

    def attributions(self, texts):
        self.calls.append(list(texts))
        return [
            tuple(
                Attribution(
                    source=(Span(*m.span("source")),), cue=(Span(*m.span("cue")),), content=(Span(*m.span("content")),)
                )
                for m in _ATTRIBUTION.finditer(text)
            )
            for text in texts
        ]


# The first of these words after the mention decides its label; none after it: "none".
KEYWORDS = {"denied": Label.DENY, "criticised": Label.CRITICAL, "urged": Label.NEUTRAL, "welcomed": Label.SUPPORT}


def fake_scores(label: Label) -> dict[str, float]:
    """0.8 on ``label``, 0.05 on each of the other four."""
    return {name: (0.8 if name == label.value else 0.05) for name in LABELS}


class FakeClassifier:
    """Labels a mention by the first keyword of ``KEYWORDS`` that follows it in the claim."""

    model_id = "fake-classifier@0000000000"

    def __init__(self):
        self.seen: list = []

    def label_of(self, example) -> Label:
        after = example.text[example.end :]
        found = [(after.find(word), label) for word, label in KEYWORDS.items() if word in after]
        return min(found, key=lambda pair: pair[0])[1] if found else Label.NONE

    def predict(self, examples):
        examples = list(examples)
        self.seen.extend(examples)
        return [Prediction(label, fake_scores(label)) for label in map(self.label_of, examples)]


def relation_of(text, source, cue, content, after=0):
    """Spans of the first occurrences of source, cue, content at or after ``after``."""

    def span(part):
        start = text.index(part, after)
        return (Span(start, start + len(part)),)

    return Attribution(source=span(source) if source else (), cue=span(cue), content=span(content))
