"""The tracker's decisions, the vector index, positions, and tracking in the store."""

import sqlite3
from dataclasses import replace
from datetime import datetime

import numpy as np
import pytest

from stance.claims.positions import best_labels, claim_positions, positions
from stance.claims.tracker import ClaimTracker, VectorIndex, term_overlap, terms
from stance.claims.tracking import track_claims
from stance.config import ClaimsConfig
from stance.data import Article, Claim, Label, Mention, Proposition, Span, Stance, Attribution
from stance.io import tracked
from stance.io.store import MIGRATIONS, StanceStore


def unit(*values):
    vector = np.zeros(8, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def test_terms_and_overlap():
    assert terms("The wall will be paid for by Mexico") == {"wall", "paid", "mexico", "wall paid", "paid mexico"}
    # 4 shared of 5 terms each: mexico, pays, wall, "mexico pays".
    assert term_overlap(terms("Mexico pays for the wall"), terms("the wall, Mexico pays")) == pytest.approx(4 / 5)
    assert term_overlap(frozenset(), terms("wall")) == 0.0


def test_tracker_joins_starts_and_merges_with_stable_ids():
    tracker = ClaimTracker(ClaimsConfig(alpha=1.0, threshold=0.9), dim=8)
    assert tracker.link(unit(1, 0), "a").tracked_id == 1
    assert tracker.link(unit(0, 1), "b").tracked_id == 2
    joined = tracker.link(unit(1, 0.1), "a2")
    assert (joined.tracked_id, joined.merged) == (1, ())
    # Close to both earlier claims: they merge into the older one, whose id survives.
    bridge = tracker.link(unit(1, 1), "ab")
    assert bridge.tracked_id == 3  # 0.707 to each: below the threshold, a new claim
    tracker = ClaimTracker(ClaimsConfig(alpha=1.0, threshold=0.7), dim=8)
    tracker.link(unit(1, 0), "a"), tracker.link(unit(0, 1), "b")
    merge = tracker.link(unit(1, 1), "ab")
    assert (merge.tracked_id, merge.merged) == (1, (2,))
    assert tracker.resolve(2) == 1 and tracker.link(unit(0, 1), "b again").tracked_id == 1
    # A pointer-back denial joins the claim it answers whatever its vector.
    assert tracker.link(unit(0, 0, 1), "denied", answers=2).tracked_id == 1
    assert tracker.next_id == 3


def test_vector_index_switches_to_hnsw_and_finds_the_same_neighbours():
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    exact, approximate = VectorIndex(16, exact_up_to=1000), VectorIndex(16, exact_up_to=100)
    exact.add(vectors[:150]), exact.add(vectors[150:])
    approximate.add(vectors[:150]), approximate.add(vectors[150:])
    assert approximate._graph is not None and exact._graph is None
    for query in vectors[:20]:
        rows, scores = exact.search(query, 5)
        assert rows[0] == approximate.search(query, 5)[0][0] and scores[0] == pytest.approx(1.0)
    assert list(VectorIndex(16).search(vectors[0], 3)[0]) == []


def test_claim_positions():
    assert claim_positions(False, None, {"china": "critical"}) == [(None, "reports")]
    assert claim_positions(True, "united_states", {"united_states": "critical", "china": "none"}) == [("united_states", "asserts")]
    assert claim_positions(True, "united_states", {"united_states": "none"}) == [("united_states", "asserts")]
    # The holder is not named in the claim: whoever takes a stance there holds it.
    assert claim_positions(True, "united_states", {"china": "deny", "russia": "none"}) == [("china", "denies")]
    # Nobody known takes a stance: the source asserts what is attributed to it.
    assert claim_positions(True, None, {"russia": "none"}) == [(None, "asserts")]
    assert best_labels([("china", "none", 0.9), ("china", "deny", 0.6), ("us", "none", 0.5)]) == {"china": "deny", "us": "none"}


def test_positions_roll_up_and_count():
    rows = [
        {"attributed": 1, "holder_id": "wang", "labels": {"wang": "deny"}, "published": "2023-03-01", "source": "AP"},
        {"attributed": 1, "holder_id": "china", "labels": {"china": "deny"}, "published": "2023-03-05", "source": "AP"},
        {"attributed": 0, "holder_id": None, "labels": {}, "published": "2023-03-06", "source": "AP"},
    ]
    result = positions(rows, principal=lambda a: "china" if a == "wang" else a, name_of=str.title)
    assert result == [
        {"actor_id": "china", "actor_name": "China", "position": "denies", "first": "2023-03-01", "last": "2023-03-05", "n": 2},
        {"actor_id": None, "actor_name": "AP", "position": "reports", "first": "2023-03-06", "last": "2023-03-06", "n": 1},
    ]


class WordEncoder:
    """Deterministic stand-in for the sentence encoder: hashed bag of words, normalised."""

    def encode(self, texts):
        vectors = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().replace(",", " ").split():
                vectors[row, sum(map(ord, word)) % 64] += 1
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def article(article_id, day, sentences):
    """An article of ``(holder, cue, content)`` sentences; holder None: the outlet's voice."""
    text, claims = "", []
    for index, (holder, cue, content) in enumerate(sentences):
        start = len(text)
        sentence = f"{holder} {cue} {content}." if holder else f"{content}."
        text += sentence + " "
        mentions, stances, attribution = (), (), None
        if holder:
            mentions = (Mention(start, start + len(holder), holder, holder.lower()),)
            label = Label.DENY if cue == "denied" else Label.CRITICAL
            stances = (Stance(0, holder.lower(), label, 0.9, {}, "fake"),)
            content_start = start + len(holder) + len(cue) + 2
            attribution = Attribution((Span(start, start + len(holder)),), (Span(start + len(holder) + 1, content_start - 1),),
                                      (Span(content_start, content_start + len(content)),), holder.lower())
        claims.append(Claim(index, index, start, start + len(sentence), sentence, mentions, stances, attribution, Proposition(content)))
    return Article(id=article_id, text=text.strip(), published=datetime(2016, 3, day), source="wire", claims=tuple(claims))


CONFIG = ClaimsConfig(alpha=1.0, threshold=0.8)


def dump(path):
    conn = sqlite3.connect(path)
    tables = ("tracked_claims", "claim_links", "claim_merges")
    return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def test_tracking_is_incremental_stable_and_idempotent(tmp_path):
    db = tmp_path / "s.db"
    with StanceStore(db) as store:
        store.save_article(article("a1", 1, [("China", "said", "the talks will resume in April"), (None, "", "Markets fell sharply on Monday")]))
        assert track_claims(store, WordEncoder(), CONFIG).as_dict() == {"sentences_linked": 2, "new_tracked_claims": 2, "merged": 0}
    first = dump(db)
    with StanceStore(db) as store:
        assert track_claims(store, WordEncoder(), CONFIG).sentences == 0
        # Re-saving the same article keeps its links.
        store.save_article(article("a1", 1, [("China", "said", "the talks will resume in April"), (None, "", "Markets fell sharply on Monday")]))
        assert track_claims(store, WordEncoder(), CONFIG).sentences == 0
    assert dump(db) == first
    with StanceStore(db) as store:
        store.save_article(article("a2", 2, [("Russia", "denied", "the talks will resume in April")]))
        summary = track_claims(store, WordEncoder(), CONFIG)
        assert (summary.sentences, summary.new_claims) == (1, 0)
        rows = tracked.evidence(store)
    assert [(r["article_id"], r["tracked_id"]) for r in rows] == [("a1", 1), ("a1", 2), ("a2", 1)]
    assert dump(db)["tracked_claims"][:2] == first["tracked_claims"]


def test_a_bridging_claim_merges_and_the_old_id_resolves(tmp_path):
    with StanceStore(tmp_path / "s.db") as store:
        store.save_article(article("a1", 1, [("China", "said", "talks resume April"), ("Russia", "said", "troops leave May")]))
        track_claims(store, WordEncoder(), ClaimsConfig(alpha=1.0, threshold=0.6))
        store.save_article(article("a2", 2, [("Ukraine", "said", "talks resume April troops leave May")]))
        summary = track_claims(store, WordEncoder(), ClaimsConfig(alpha=1.0, threshold=0.6))
        assert summary.merged == 1
        assert tracked.resolve(store, 2) == 1 and tracked.resolve(store, 1) == 1 and tracked.resolve(store, 9) is None
        assert {r["tracked_id"] for r in tracked.evidence(store)} == {1}
        assert [tuple(r) for r in store.conn.execute("SELECT merged_id, survivor_id FROM claim_merges")] == [(2, 1)]
        # A new claim after the merge gets a fresh id: 2 is never reused.
        store.save_article(article("a3", 3, [(None, "", "Oil prices rose")]))
        track_claims(store, WordEncoder(), ClaimsConfig(alpha=1.0, threshold=0.6))
        assert max(r["tracked_id"] for r in tracked.evidence(store)) == 3


def test_a_store_from_before_claim_tracking_upgrades_in_place(tmp_path):
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, migrate in MIGRATIONS[:3]:
        migrate(conn)
        conn.execute("INSERT INTO migrations VALUES (?, '2025-01-01')", (name,))
    conn.execute("INSERT INTO articles (id, text, published) VALUES ('old', 'Oil prices rose.', '2016-01-01')")
    conn.execute("INSERT INTO claims (article_id, idx, sentence_index, start, end, text) VALUES ('old', 0, 0, 0, 16, 'Oil prices rose.')")
    conn.commit()
    conn.close()
    with StanceStore(db) as store:
        assert store.schema_version[-1] == "0004_tracked_claims"
        assert [p.text for p in tracked.pending(store)] == ["Oil prices rose."]
        track_claims(store, WordEncoder(), CONFIG)
        assert [(r["article_id"], r["tracked_id"]) for r in tracked.evidence(store)] == [("old", 1)]


def test_a_pointer_back_denial_in_the_next_sentence_joins_what_it_answers(tmp_path):
    accused = article("a1", 1, [("Washington", "accused", "Beijing of mulling arms shipments"), ("Beijing", "denied", "it")])
    first, second = accused.claims
    # The propose stage gives a pointer-back denial the proposition it answers.
    second = replace(second, proposition=Proposition(first.proposition.text, answers=first.index))
    with StanceStore(tmp_path / "s.db") as store:
        store.save_article(replace(accused, claims=(first, second)))
        summary = track_claims(store, WordEncoder(), CONFIG, batch_size=8)
        rows = tracked.evidence(store)
    assert summary.as_dict() == {"sentences_linked": 2, "new_tracked_claims": 1, "merged": 0}
    assert [r["tracked_id"] for r in rows] == [1, 1]
    stands = positions(rows, principal=lambda a: a, name_of=str.title)
    assert [(p["actor_id"], p["position"]) for p in stands] == [("washington", "asserts"), ("beijing", "denies")]


def test_linking_a_batch_decides_as_linking_one_at_a_time():
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(6, 8))
    vectors = (centres[rng.integers(0, 6, 60)] + 0.3 * rng.normal(size=(60, 8))).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    texts = [f"claim {i % 7}" for i in range(60)]
    config = ClaimsConfig(alpha=0.75, threshold=0.8, candidates=4)
    one = ClaimTracker(config)
    singles = [one.link(v, t) for v, t in zip(vectors, texts)]
    many = ClaimTracker(config)
    batched = many.link_many(vectors[:25], texts[:25], [None] * 25) + many.link_many(vectors[25:], texts[25:], [None] * 35)
    assert singles == batched and len({l.tracked_id for l in singles}) > 1
