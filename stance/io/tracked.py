"""Tracked claims in the SQLite store: what is left to link, the links so far, and queries.

The tables come from migration ``0004_tracked_claims`` (stance/io/store.py). A merge
rewrites the merged claim's links to the survivor and records ``merged_into`` and a row in
``claim_merges``, so a listing needs no resolution while an old id still resolves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from stance.claims.positions import best_labels
from stance.io.store import StanceStore


@dataclass(frozen=True)
class PendingProposition:
    """A stored claim whose proposition has no tracked claim yet."""

    claim_row: int
    article_id: str
    index: int
    sentence_index: int
    text: str
    answers: int | None


def pending(store: StanceStore) -> list[PendingProposition]:
    """Unlinked claims in publication order (undated last); claims stored before claim
    tracking existed fall back to their text."""
    rows = store.conn.execute(
        "SELECT c.id, c.article_id, c.idx, c.sentence_index, COALESCE(c.proposition, c.text) AS text, c.answers "
        "FROM claims c JOIN articles a ON c.article_id = a.id LEFT JOIN claim_links l ON l.claim_id = c.id "
        "WHERE l.claim_id IS NULL ORDER BY a.published IS NULL, a.published, a.id, c.idx"
    )
    return [PendingProposition(*row) for row in rows]


def members(store: StanceStore) -> Iterator[tuple[int, np.ndarray, str]]:
    """Every linked sentence as ``(tracked_id, embedding, text)``, in link order."""
    rows = store.conn.execute(
        "SELECT tracked_id, embedding, text FROM claim_links WHERE embedding IS NOT NULL ORDER BY rowid"
    )
    for tracked_id, blob, text in rows:
        yield tracked_id, np.frombuffer(blob, dtype=np.float32), text


def merges(store: StanceStore) -> dict[int, int]:
    return dict(store.conn.execute("SELECT merged_id, survivor_id FROM claim_merges"))


def next_tracked_id(store: StanceStore) -> int:
    """The id the next new tracked claim gets; AUTOINCREMENT never reuses one."""
    row = store.conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'tracked_claims'").fetchone()
    return (row[0] if row else 0) + 1


def resolve(store: StanceStore, tracked_id: int) -> int | None:
    """The surviving id of ``tracked_id`` (following merges), ``None`` if it never existed."""
    seen = set()
    while tracked_id not in seen:
        seen.add(tracked_id)
        row = store.conn.execute("SELECT merged_into FROM tracked_claims WHERE id = ?", (tracked_id,)).fetchone()
        if row is None:
            return None
        if row[0] is None:
            return tracked_id
        tracked_id = row[0]
    return tracked_id


@dataclass(frozen=True)
class NewLink:
    """One decision to store: the claim rows of one sentence, their tracked claim, and what
    the decision did."""

    claim_rows: tuple[int, ...]
    tracked_id: int
    score: float | None
    embedding: np.ndarray
    text: str
    new: bool
    merged: tuple[int, ...] = ()


def save_links(store: StanceStore, links: Iterable[NewLink]) -> None:
    """Write a batch of link decisions in one transaction."""
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    with store.conn:
        for link in links:
            if link.new:
                store.conn.execute(
                    "INSERT INTO tracked_claims (id, text, created_at) VALUES (?, ?, ?)", (link.tracked_id, link.text, now)
                )
            for merged in link.merged:
                store.conn.execute("UPDATE tracked_claims SET merged_into = ? WHERE id = ?", (link.tracked_id, merged))
                store.conn.execute("UPDATE claim_links SET tracked_id = ? WHERE tracked_id = ?", (link.tracked_id, merged))
                store.conn.execute(
                    "INSERT INTO claim_merges (merged_id, survivor_id, claim_id, score, merged_at) VALUES (?, ?, ?, ?, ?)",
                    (merged, link.tracked_id, link.claim_rows[0], link.score, now),
                )
            vector = np.asarray(link.embedding, dtype=np.float32).tobytes()
            for position, claim_row in enumerate(link.claim_rows):
                store.conn.execute(
                    "INSERT INTO claim_links (claim_id, tracked_id, score, text, embedding, linked_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (claim_row, link.tracked_id, link.score, link.text, vector if position == 0 else None, now),
                )


def tracked_of(store: StanceStore, keys: Iterable[tuple[str, int]]) -> dict[tuple[str, int], int]:
    """Tracked id of each ``(article_id, claim index)`` that has one."""
    found = {}
    for article_id, index in set(keys):
        row = store.conn.execute(
            "SELECT l.tracked_id FROM claim_links l JOIN claims c ON c.id = l.claim_id WHERE c.article_id = ? AND c.idx = ?",
            (article_id, index),
        ).fetchone()
        if row is not None:
            found[(article_id, index)] = row[0]
    return found


def evidence(store: StanceStore, tracked_ids: Iterable[int] | None = None) -> list[dict]:
    """Every linked claim with its article, holder and the stances in it, oldest first.

    One row per linked claim: ``tracked_id, tracked_text, claim_row, article_id, published,
    source (the outlet), start, end, text, proposition, holder_id, holder_source,
    attributed, labels`` (each actor named in the claim and its label there,
    ``stance.claims.positions.best_labels``).
    """
    query = (
        "SELECT l.tracked_id, t.text AS tracked_text, c.id AS claim_row, a.id AS article_id, a.published, "
        "a.source, c.start, c.end, c.text, COALESCE(c.proposition, c.text) AS proposition, c.holder_id, "
        "c.source AS holder_source, c.attribution IS NOT NULL AS attributed "
        "FROM claim_links l JOIN tracked_claims t ON t.id = l.tracked_id JOIN claims c ON c.id = l.claim_id "
        "JOIN articles a ON a.id = c.article_id"
    )
    params: list = []
    if tracked_ids is not None:
        ids = sorted(set(tracked_ids))
        query += f" WHERE l.tracked_id IN ({','.join('?' * len(ids))})"
        params = ids
    query += " ORDER BY a.published IS NULL, a.published, a.id, c.idx"
    rows = [dict(row) for row in store.conn.execute(query, params)]
    stances: dict[int, list] = {}
    for offset in range(0, len(rows), 500):
        chunk = [row["claim_row"] for row in rows[offset : offset + 500]]
        for claim_row, actor, label, confidence in store.conn.execute(
            "SELECT m.claim_id, m.actor_id, s.label, s.confidence FROM mentions m JOIN stances s ON s.mention_id = m.id "
            f"WHERE m.claim_id IN ({','.join('?' * len(chunk))})",
            chunk,
        ):
            stances.setdefault(claim_row, []).append((actor, label, confidence))
    for row in rows:
        row["labels"] = best_labels(stances.get(row["claim_row"], []))
    return rows
