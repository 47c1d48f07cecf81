"""Positions: where each actor stands on a tracked claim, from the stances in its claims.

- ``asserts``: the holder of the proposition, with stance support, critical or neutral (or
  none: putting a claim forward is asserting it);
- ``denies``: the holder's stance is deny;
- ``reports``: no one in the article holds it; the outlet only relays it (Emergent's
  "observing"). The outlet is the article's ``source``.

The holder is the attribution's holder when the claim names it. When it does not (the
source was missed, or resolved to an actor outside the claim), the actors the classifier
finds taking a stance in the claim (any label but none) hold it: in "— claims Beijing has
strongly denied" Beijing's mention is labelled deny, so China denies. With neither, the
source asserts what is attributed to it, even when no actor is known for it ("a
spokesman said"): it is then named by its words. Positions roll up to
the state or organisation a speaker speaks for, as the timelines do
(``ActorRegistry.principal``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

POSITIONS = ("asserts", "denies", "reports")


def claim_positions(attributed: bool, holder_id: str | None, labels: dict[str, str]) -> list[tuple[str | None, str]]:
    """``(actor_id, position)`` pairs one claim gives; actor ``None`` is the outlet when it
    reports, an actor-less source when it asserts.
    ``labels``: each actor named in the claim and its stance label there."""
    if not attributed:
        return [(None, "reports")]
    if holder_id is not None and holder_id in labels:
        speakers = {holder_id: labels[holder_id]}
    else:
        speakers = {actor: label for actor, label in labels.items() if label != "none"}
    if not speakers:
        return [(holder_id, "asserts")]
    return [(actor, "denies" if label == "deny" else "asserts") for actor, label in speakers.items()]


def best_labels(stances: Iterable[tuple[str, str, float]]) -> dict[str, str]:
    """Each actor's label from ``(actor_id, label, confidence)`` triples of one claim: the
    most confident one other than none, else none."""
    best: dict[str, tuple[bool, float, str]] = {}
    for actor, label, confidence in stances:
        key = (label != "none", confidence, label)
        if actor not in best or key > best[actor]:
            best[actor] = key
    return {actor: key[2] for actor, key in best.items()}


def positions(rows: Iterable[dict], principal: Callable[[str], str], name_of: Callable[[str], str]) -> list[dict]:
    """``{actor_id, actor_name, position, first, last, n}`` per actor and position, in order
    of first appearance. ``rows`` are ``stance.io.tracked.evidence`` rows of one tracked
    claim, oldest first; the outlet, and a source no actor is known for, have ``actor_id``
    ``None`` and their name."""
    table: dict[tuple, dict] = {}
    for row in rows:
        for actor, position in claim_positions(bool(row["attributed"]), row["holder_id"], row["labels"]):
            if actor is None and position == "reports":
                actor_id, name = None, row["source"] or "(unknown outlet)"
            elif actor is None:
                actor_id, name = None, row["holder_source"] or "(unnamed source)"
            else:
                actor_id = principal(actor)
                name = name_of(actor_id)
            entry = table.setdefault(
                (actor_id, name, position),
                {"actor_id": actor_id, "actor_name": name, "position": position, "first": row["published"], "last": None, "n": 0},
            )
            entry["last"] = row["published"]
            entry["n"] += 1
    return list(table.values())
