"""The SQLite store: round trips, re-scoring, migrations, runs and failure safety."""

import sqlite3
from dataclasses import replace
from datetime import datetime, timezone

import pytest

from stance.data import Article, Claim, Label, Mention, Stance
from stance.errors import StoreError
from stance.io.store import StanceStore


def _article(model_id="m1", label=Label.DENY, text="Beijing denied it."):
    mention = Mention(0, 7, "Beijing", "china")
    stance = Stance(0, "china", label, 0.9, {label.value: 0.9}, model_id, ())
    claim = Claim(0, 0, 0, len(text), text, (mention,), (stance,))
    return Article(id="a1", text=text, published=datetime(2023, 3, 17), claims=(claim,), segmented=True)


def test_store_round_trips_a_scored_article(tmp_path):
    with StanceStore(tmp_path / "s.db") as store:
        store.save_article(_article())
        (record,) = store.stance_records()
    assert (record.article_id, record.actor_id, record.label, record.mention) == ("a1", "china", Label.DENY, "Beijing")
    assert record.published == datetime(2023, 3, 17, tzinfo=timezone.utc)  # naive is taken as UTC


def test_store_rescoring_same_model_adds_no_rows(tmp_path):
    with StanceStore(tmp_path / "s.db") as store:
        store.save_article(_article())
        before = store.counts()
        store.save_article(_article(label=Label.CRITICAL))
        assert store.counts() == before
        assert [r.label for r in store.stance_records()] == [Label.CRITICAL]
        store.save_article(_article(model_id="m2"))
        assert store.counts()["stances"] == 2
        assert store.counts()["claims"] == 1


def test_store_new_text_for_same_id_replaces_claims(tmp_path):
    with StanceStore(tmp_path / "s.db") as store:
        store.save_article(_article())
        store.save_article(_article(text="Beijing denied the report."))
        assert store.counts()["claims"] == 1
        assert [r.claim for r in store.stance_records()] == ["Beijing denied the report."]


def test_store_failed_write_leaves_earlier_rows_intact(tmp_path):
    with StanceStore(tmp_path / "s.db") as store:
        store.save_article(_article())
        broken = replace(_article(), id="a2")
        bad_stance = replace(broken.claims[0].stances[0], mention_index=5)
        broken = replace(broken, claims=(replace(broken.claims[0], stances=(bad_stance,)),))
        with pytest.raises(IndexError):
            store.save_article(broken)
        assert store.counts()["articles"] == 1 and not store.has_article("a2")


def test_store_uses_wal_and_records_migrations(tmp_path):
    path = tmp_path / "s.db"
    with StanceStore(path) as store:
        assert store.schema_version == ["0001_initial", "0002_attributions", "0003_discovered_actors", "0004_tracked_claims"]
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_store_upgrades_a_version_1_store_and_keeps_its_rows(tmp_path):
    from stance.io.store import MIGRATIONS

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    MIGRATIONS[0][1](conn)
    conn.execute("INSERT INTO migrations VALUES ('0001_initial', 'then')")
    conn.execute("INSERT INTO articles (id, text) VALUES ('old', 'Old text.')")
    conn.commit()
    conn.close()
    with StanceStore(path) as store:
        assert store.schema_version == ["0001_initial", "0002_attributions", "0003_discovered_actors", "0004_tracked_claims"]
        assert store.has_article("old")
        columns = {row[1] for row in store.conn.execute("PRAGMA table_info(claims)")}
        assert {"holder_id", "cue", "source", "attribution"} <= columns


def test_store_rejects_newer_schema_and_non_database(tmp_path):
    path = tmp_path / "s.db"
    StanceStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO migrations VALUES ('9999_future', 'now')")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="newer stance"):
        StanceStore(path)
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError, match="cannot open as a stance store"):
        StanceStore(junk)


def test_store_runs_are_recorded(tmp_path):
    with StanceStore(tmp_path / "s.db") as store:
        run_id = store.start_run("score", "m1")
        store.finish_run(run_id, ok=3, failed=1)
        row = store.conn.execute("SELECT * FROM runs").fetchone()
    assert (row["articles_ok"], row["articles_failed"], row["status"]) == (3, 1, "done")


def test_store_keeps_the_attribution_holder_cue_and_resolved_pronouns(tmp_path):
    from stance.data import Attribution, Span

    text = "He denied it."
    mention = Mention(0, 2, "He", "xi_jinping", via="pronoun")
    stance = Stance(0, "xi_jinping", Label.DENY, 0.9, {"deny": 0.9}, "m1", ())
    attribution = Attribution(source=(Span(0, 2),), cue=(Span(3, 9),), content=(Span(10, 12),), holder_id="xi_jinping")
    claim = Claim(0, 0, 0, len(text), text, (mention,), (stance,), attribution)
    article = Article(id="p1", text=text, claims=(claim,), segmented=True)
    with StanceStore(tmp_path / "s.db") as store:
        store.save_article(article)
        (record,) = store.stance_records()
        via = store.conn.execute("SELECT via FROM mentions").fetchone()[0]
        spans = store.conn.execute("SELECT attribution FROM claims").fetchone()[0]
    assert (record.holder_id, record.source, record.cue) == ("xi_jinping", "He", "denied")
    assert via == "pronoun"
    assert spans == '{"source": [0, 2], "cue": [3, 9], "content": [[10, 12]]}'


def test_store_keeps_discovered_actors_with_their_first_affiliation(tmp_path):
    from datetime import datetime

    from stance.data import Article, Claim, DiscoveredActor, Mention

    text = "Sameh Shoukry rejected the plan."
    mention = Mention(0, 13, "Sameh Shoukry", "x_sameh_shoukry", via="discovered")
    claim = Claim(0, 0, 0, len(text), text, mentions=(mention,))
    first = DiscoveredActor("x_sameh_shoukry", "Sameh Shoukry", "person", None, text)
    with StanceStore(tmp_path / "s.db") as store:
        store.save_article(Article(id="a", text=text, published=datetime(2020, 1, 2), claims=(claim,), discovered=(first,)))
        later = DiscoveredActor("x_sameh_shoukry", "Sameh Shoukry", "person", "egypt", text)
        store.save_article(Article(id="b", text=text, published=datetime(2020, 3, 4), claims=(claim,), discovered=(later,)))
        egypt_later = DiscoveredActor("x_sameh_shoukry", "Sameh Shoukry", "person", "libya", text)
        store.save_article(Article(id="c", text=text, published=datetime(2020, 5, 6), claims=(claim,), discovered=(egypt_later,)))
        (row,) = store.discovered_actors()
    assert (row["id"], row["speaks_for"], row["mentions"]) == ("x_sameh_shoukry", "egypt", 3)
    assert (row["first_seen"][:10], row["last_seen"][:10]) == ("2020-01-02", "2020-05-06")
