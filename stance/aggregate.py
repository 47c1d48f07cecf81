"""From stance records to answers: statements and article-level stances (pure, no I/O);
timelines build on the same statements (``stance.timelines.build``).

The counting rule: a *statement* is one claim of one actor, counted once. When a claim
mentions an actor several times ("Modi has repeatedly said that India supports …" gives
Modi, then India inside his content), the holder's own judgement outranks the mentions in
the content; without the holder, the most confident stance speaks for the claim.
``none`` judgements are not stances and never count, so an actor that is only talked
about has no row and no timeline. An article-level answer weighs each statement by its confidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from stance.data import ArticleStance, Label, StanceRecord

STANCE_LABELS = [label for label in Label if label is not Label.NONE]


def statements(records: Iterable[StanceRecord], actor_of: Callable[[str], str] = lambda actor_id: actor_id) -> list[StanceRecord]:
    """One record per statement, i.e. per (article, claim, ``actor_of(actor_id)``).

    Among the records of one statement, the holder's own judgement wins (the record whose
    actor is the claim's holder); otherwise the most confident stance, ``none`` last. The
    chosen records keep the order of their statements' first records.
    """
    groups: dict[tuple, list[StanceRecord]] = defaultdict(list)
    for record in records:
        groups[(record.article_id, record.claim_index, actor_of(record.actor_id))].append(record)
    chosen = []
    for group in groups.values():
        held = [r for r in group if r.holder_id is not None and r.actor_id == r.holder_id]
        chosen.append(max(held or group, key=lambda r: (r.label is not Label.NONE, r.confidence)))
    return chosen


def article_stances(records: Iterable[StanceRecord], actor_of: Callable[[str], str] = lambda actor_id: actor_id) -> list[ArticleStance]:
    """The stance each actor takes in each article: its statements (``statements``) weighed
    by confidence; ``actor_of`` rolls speakers up (a spokesman to the state he speaks for)."""
    rows: dict[tuple[str, str], list[StanceRecord]] = defaultdict(list)
    for record in statements(records, actor_of):
        if record.label is not Label.NONE:
            rows[(record.article_id, actor_of(record.actor_id))].append(record)
    answers = []
    for (article_id, actor_id), counted in rows.items():
        weight = {label: 0.0 for label in STANCE_LABELS}
        for record in counted:
            weight[record.label] += record.confidence
        label = max(STANCE_LABELS, key=lambda candidate: weight[candidate])
        answers.append(
            ArticleStance(
                article_id=article_id,
                published=counted[0].published,
                actor_id=actor_id,
                label=label,
                confidence=round(weight[label] / sum(weight.values()), 4),
                n_claims=len(counted),
                evidence=tuple(dict.fromkeys(record.claim for record in counted)),
            )
        )
    return answers
