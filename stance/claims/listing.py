"""What `stance claims` and `stance claim` print: tracked claims with their mentions and
positions, built from the store's links (``stance.io.tracked.evidence``)."""

from __future__ import annotations

from collections import defaultdict

from stance.actors import ActorRegistry
from stance.claims.positions import positions
from stance.io import tracked
from stance.io.store import StanceStore


def tracked_claims(
    store: StanceStore,
    registry: ActorRegistry,
    actor_id: str | None = None,
    search: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_articles: int = 1,
    ids: list[int] | None = None,
) -> list[dict]:
    """One dict per tracked claim (keys ``claim_id, text, first_seen, last_seen, n_articles,
    mentions, positions``), most articles first.

    ``actor_id`` keeps claims on which that actor (or anyone speaking for it) takes a
    position; ``search`` keeps claims whose text or any mention contains it
    (case-insensitive); ``since``/``until`` (ISO dates, inclusive) keep mentions published
    in that window, and a claim with none left goes.
    """
    rows = tracked.evidence(store, ids)
    by_claim: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        day = (row["published"] or "")[:10]
        if since and (not day or day < since):
            continue
        if until and (not day or day > until):
            continue
        by_claim[row["tracked_id"]].append(row)
    wanted = registry.expand(actor_id) if actor_id else None
    needle = search.lower() if search else None
    result = []
    for claim_id, members in by_claim.items():
        articles = {row["article_id"] for row in members}
        if len(articles) < min_articles:
            continue
        if needle and not any(needle in (row["text"] or "").lower() for row in members) and needle not in members[0]["tracked_text"].lower():
            continue
        stands = positions(members, registry.principal, registry.name_of)
        if wanted is not None and not any(p["actor_id"] in wanted or p["actor_id"] == registry.principal(actor_id) for p in stands):
            continue
        dates = [row["published"] for row in members if row["published"]]
        result.append(
            {
                "claim_id": claim_id,
                "text": members[0]["tracked_text"],
                "first_seen": min(dates) if dates else None,
                "last_seen": max(dates) if dates else None,
                "n_articles": len(articles),
                "mentions": [_mention(row, registry) for row in members],
                "positions": stands,
            }
        )
    result.sort(key=lambda claim: (-claim["n_articles"], claim["first_seen"] or "", claim["claim_id"]))
    return result


def resolve_claim(store: StanceStore, claim_id: int) -> int | None:
    """A tracked-claim id as given, or the survivor it was merged into."""
    return tracked.resolve(store, claim_id)


def _mention(row: dict, registry: ActorRegistry) -> dict:
    holder = row["holder_id"]
    return {
        "article_id": row["article_id"],
        "published": row["published"],
        "start": row["start"],
        "end": row["end"],
        "text": row["text"],
        "holder_id": holder,
        "holder_name": registry.name_of(holder) if holder else None,
        "label": row["labels"].get(holder) if holder else None,
    }
