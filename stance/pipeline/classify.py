"""Pipeline stage ``classify``: label every mention of every claim and name each stance's targets.

Targets of a stance are the other actors in the claim that hold no stance there
(``none``), excluding the holder itself and anyone speaking for the same principal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from stance.classifier.model import MentionExample
from stance.data import Article, Label, Stance
from stance.pipeline.stage import BatchedStage


class StanceLabeller(BatchedStage):
    """``Claim.stances``: one per mention, from the classifier, in mention order.

    ``classifier`` is anything with ``predict(examples) -> [Prediction]`` and a
    ``model_id``: the bundled ``StanceClassifier`` in production, a stand-in in tests.
    """

    name = "classify"
    requires = ("mentions",)
    assigns = ("stances",)

    def __init__(self, classifier, principal: Callable[[str], str] = lambda actor_id: actor_id):
        self.classifier = classifier
        self.principal = principal

    def _annotate(self, articles: list[Article]) -> list[Article]:
        examples = [
            MentionExample(claim.text, mention.start - claim.start, mention.end - claim.start)
            for article in articles
            for claim in article.claims
            for mention in claim.mentions
        ]
        predictions = iter(self.classifier.predict(examples))
        annotated = []
        for article in articles:
            claims = []
            for claim in article.claims:
                judged = [(m, next(predictions)) for m in claim.mentions]
                claims.append(replace(claim, stances=tuple(self._stances(judged))))
            annotated.append(replace(article, claims=tuple(claims)))
        return annotated

    def _stances(self, judged) -> Iterator[Stance]:
        silent = [m.actor_id for m, p in judged if p.label is Label.NONE]
        for index, (mention, prediction) in enumerate(judged):
            holder = self.principal(mention.actor_id)
            targets: tuple[str, ...] = ()
            if prediction.label is not Label.NONE:
                targets = tuple(dict.fromkeys(t for t in silent if self.principal(t) != holder))
            yield Stance(
                mention_index=index,
                actor_id=mention.actor_id,
                label=prediction.label,
                confidence=prediction.confidence,
                scores=prediction.scores,
                model_id=self.classifier.model_id,
                targets=targets,
            )
