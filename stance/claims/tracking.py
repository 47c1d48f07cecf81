"""Link the store's new claims into tracked claims (run after each scoring batch).

The unit linked is a sentence: the propositions of its claims, joined (pointer-back denials
left out, as they repeat what they answer); every claim of the sentence gets its tracked
claim. Chosen on the dev clusters over linking each claim's proposition alone, whose
segments are often fragments. A sentence whose only claims are pointer-back denials joins the tracked claim of the claim
they answer, without a similarity decision.

Incremental and stable: the tracker is restored from the stored links (embeddings are
stored with them, so nothing old is re-encoded), only unlinked claims are decided, ids come
from an AUTOINCREMENT sequence and are never renumbered, and a second run over the same
store finds nothing pending and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby

from stance.claims.tracker import ClaimTracker
from stance.config import ClaimsConfig
from stance.io import tracked
from stance.io.store import StanceStore


@dataclass
class TrackSummary:
    sentences: int = 0
    new_claims: int = 0
    merged: int = 0

    def as_dict(self) -> dict:
        return {"sentences_linked": self.sentences, "new_tracked_claims": self.new_claims, "merged": self.merged}


def track_claims(
    store: StanceStore,
    encoder,
    config: ClaimsConfig,
    batch_size: int = 512,
    progress: Callable[[Iterable], Iterable] = lambda items: items,
) -> TrackSummary:
    """Link every pending claim of ``store``; ``encoder.encode(texts)`` returns unit vectors
    (``stance.claims.linking.SentenceEncoder``)."""
    summary = TrackSummary()
    sentences = [
        list(claims) for _, claims in groupby(tracked.pending(store), key=lambda p: (p.article_id, p.sentence_index))
    ]
    if not sentences:
        return summary
    tracker = ClaimTracker(config, next_id=tracked.next_tracked_id(store))
    tracker.load(tracked.members(store), tracked.merges(store))
    answered: dict[tuple[str, int], int] = {}
    batches = [sentences[i : i + batch_size] for i in range(0, len(sentences), batch_size)]
    for batch in progress(batches):
        texts = [_linked_text(claims) for claims in batch]
        vectors = encoder.encode(texts)
        wanted = [(c.article_id, c.answers) for claims in batch for c in claims if c.answers is not None]
        answered.update(tracked.tracked_of(store, [key for key in wanted if key not in answered]))
        # A sentence of pointer-back denials only answers an earlier claim: stored, or
        # earlier in this batch.
        position = {(c.article_id, c.index): i for i, claims in enumerate(batch) for c in claims}
        answers, answers_at = [], []
        for claims in batch:
            key = (claims[0].article_id, claims[0].answers) if all(c.answers is not None for c in claims) else None
            answers_at.append(position.get(key) if key else None)
            answers.append(answered.get(key) if key and key not in position else None)
        decisions = tracker.link_many(vectors, texts, answers, answers_at)
        links = []
        for claims, text, vector, link in zip(batch, texts, vectors, decisions):
            links.append(
                tracked.NewLink(tuple(c.claim_row for c in claims), link.tracked_id, link.score, vector, text, link.new, link.merged)
            )
            for claim in claims:
                answered[(claim.article_id, claim.index)] = link.tracked_id
            summary.sentences += 1
            summary.new_claims += int(link.new)
            summary.merged += len(link.merged)
        tracked.save_links(store, links)
    return summary


def _linked_text(claims: list[tracked.PendingProposition]) -> str:
    own = [claim.text for claim in claims if claim.answers is None]
    return " ".join(own) or claims[0].text
