"""SQLite store: articles, claims, mentions, stances (with model version) and runs.

One file, WAL journal, schema versioned by named migrations recorded in the
``migrations`` table. Every article is written in one transaction, so a failure
mid-batch leaves earlier articles intact and the failed one absent. Re-scoring an
article with the same model replaces its stances instead of adding rows.

Two kinds of opening:

- **writer** (``score``, ``nightly``): holds the lock file ``<db>.lock`` (``filelock``)
  until closed, so a second writer waits for the first (up to ``lock_timeout`` seconds,
  then a one-line error). Holding it, the writer applies missing migrations, each in one
  ``BEGIN IMMEDIATE`` transaction that re-reads what is applied (two first opens cannot
  both create a table), and marks runs a killed process left ``running`` as ``interrupted``.
- **read-only** (``export``, ``timeline``, ``claims`` …): ``mode=ro``; it never creates or
  changes anything, and refuses a file that is not a stance store of this version.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from stance.data import Article, Attribution, Label, StanceRecord, as_utc, attribution_texts
from stance.errors import StoreError

# Seconds a writer waits for another writer's lock, and SQLite's wait for a busy database.
LOCK_TIMEOUT = 600.0
BUSY_TIMEOUT = 30.0


def _migration_1_initial(conn: sqlite3.Connection) -> None:
    conn.executescript(
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            command TEXT NOT NULL,
            model_id TEXT,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            articles_ok INTEGER NOT NULL DEFAULT 0,
            articles_failed INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'running'
        );
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            title TEXT,
            published TEXT,
            source TEXT,
            url TEXT,
            text TEXT NOT NULL,
            origin TEXT,
            run_id INTEGER REFERENCES runs(id)
        );
        CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            sentence_index INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            UNIQUE (article_id, idx)
        );
        CREATE TABLE mentions (
            id INTEGER PRIMARY KEY,
            claim_id INTEGER NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            actor_id TEXT NOT NULL,
            UNIQUE (claim_id, idx)
        );
        CREATE TABLE stances (
            id INTEGER PRIMARY KEY,
            mention_id INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
            model_id TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id),
            label TEXT NOT NULL,
            confidence REAL NOT NULL,
            scores TEXT NOT NULL,
            targets TEXT NOT NULL,
            UNIQUE (mention_id, model_id)
        );
        CREATE INDEX mentions_actor ON mentions(actor_id);
        CREATE INDEX articles_published ON articles(published);
        """
    )


def _migration_2_attributions(conn: sqlite3.Connection) -> None:
    """Attributed claims (attribution tagger): who holds the claim and through which cue."""
    conn.executescript(
        """
        ALTER TABLE claims ADD COLUMN holder_id TEXT;
        ALTER TABLE claims ADD COLUMN cue TEXT;
        ALTER TABLE claims ADD COLUMN source TEXT;
        ALTER TABLE claims ADD COLUMN attribution TEXT;
        ALTER TABLE mentions ADD COLUMN via TEXT;
        CREATE INDEX claims_holder ON claims(holder_id);
        """
    )


def _migration_3_discovered_actors(conn: sqlite3.Connection) -> None:
    """Actors the discover stage found outside the registry (mentions point at their ids)."""
    conn.executescript(
        """
        CREATE TABLE discovered_actors (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            speaks_for TEXT,
            example TEXT NOT NULL
        );
        """
    )


def _migration_4_tracked_claims(conn: sqlite3.Connection) -> None:
    """Claim tracking: each claim's proposition, the tracked claims linking propositions
    across articles (ids never reused: AUTOINCREMENT), and the merge log. A sentence's claims
    are linked together: each claim row gets a link; the first holds the linked text's
    sentence embedding (so the index is rebuilt without re-encoding), the others none.
    Claims stored before this migration have no proposition; tracking falls back to their
    text."""
    conn.executescript(
        """
        ALTER TABLE claims ADD COLUMN proposition TEXT;
        ALTER TABLE claims ADD COLUMN answers INTEGER;
        CREATE TABLE tracked_claims (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            merged_into INTEGER REFERENCES tracked_claims(id)
        );
        CREATE TABLE claim_links (
            claim_id INTEGER PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
            tracked_id INTEGER NOT NULL REFERENCES tracked_claims(id),
            score REAL,
            text TEXT NOT NULL,
            embedding BLOB,
            linked_at TEXT NOT NULL
        );
        CREATE INDEX claim_links_tracked ON claim_links(tracked_id);
        CREATE TABLE claim_merges (
            merged_id INTEGER PRIMARY KEY REFERENCES tracked_claims(id),
            survivor_id INTEGER NOT NULL REFERENCES tracked_claims(id),
            claim_id INTEGER,
            score REAL,
            merged_at TEXT NOT NULL
        );
        """
    )


MIGRATIONS = [
    ("0001_initial", _migration_1_initial),
    ("0002_attributions", _migration_2_attributions),
    ("0003_discovered_actors", _migration_3_discovered_actors),
    ("0004_tracked_claims", _migration_4_tracked_claims),
]


class StanceStore:
    """The embedded store. Use as a context manager or call ``close()``.

    Raises:
        StoreError: the file cannot be opened or written (writer), is not a stance store
            (read-only), or another writer held the lock for ``lock_timeout`` seconds.
    """

    def __init__(self, path: str | Path, read_only: bool = False, lock_timeout: float = LOCK_TIMEOUT):
        self.path = str(path)
        self.read_only = read_only
        self._lock = None
        try:
            if read_only:
                self._open_read_only()
            else:
                self._open_writer(lock_timeout)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(f"{self.path}: cannot open as a stance store: {exc}") from None
        except StoreError:
            self.close()
            raise
        self.conn.row_factory = sqlite3.Row

    def _open_read_only(self) -> None:
        if not Path(self.path).is_file():
            raise StoreError(f"{self.path}: no such store (create one with `stance score`)")
        self.conn = sqlite3.connect(f"file:{quote(os.path.abspath(self.path))}?mode=ro", uri=True, timeout=BUSY_TIMEOUT)
        tables = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "migrations" not in tables:
            raise StoreError(f"{self.path}: not a stance store (no migrations table)")
        applied = {row[0] for row in self.conn.execute("SELECT name FROM migrations")}
        self._check_known(applied)
        missing = [name for name, _ in MIGRATIONS if name not in applied]
        if missing:
            raise StoreError(
                f"{self.path}: written by an older stance (missing {missing[0]}); "
                "run `stance score` or `stance nightly` on it once to upgrade it"
            )

    def _open_writer(self, lock_timeout: float) -> None:
        from filelock import FileLock, Timeout

        target = Path(self.path)
        if target.is_dir():
            raise StoreError(f"{self.path}: is a folder, not a store file")
        folder = target.parent
        if not folder.is_dir():
            raise StoreError(f"{self.path}: folder {folder} does not exist")
        lock_path = f"{self.path}.lock"
        try:
            # One lock object per path in a process: nested opens there re-enter instead of
            # waiting for themselves.
            self._lock = FileLock(lock_path, is_singleton=True)
            self._lock.acquire(timeout=lock_timeout)
        except Timeout:
            self._lock = None
            raise StoreError(
                f"{self.path}: another stance process has been writing to this store for over "
                f"{lock_timeout:g} s (lock {lock_path}); try again when it finishes"
            ) from None
        except OSError as exc:
            self._lock = None
            raise StoreError(f"{lock_path}: cannot create the store's lock file: {exc.strerror or exc}") from None
        self.conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT, isolation_level=None)
        tables = {row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if tables and "migrations" not in tables:
            raise StoreError(f"{self.path}: not a stance store (it holds other tables); give --db a new file")
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._migrate()
        self.conn.isolation_level = ""  # back to Python's implicit transactions
        # This writer holds the lock, so a run still marked running was killed mid-way.
        with self.conn:
            self.conn.execute("UPDATE runs SET status='interrupted' WHERE status='running'")

    def __enter__(self) -> StanceStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        conn = getattr(self, "conn", None)
        if conn is not None:
            conn.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _check_known(self, applied: set[str]) -> None:
        unknown = applied - {name for name, _ in MIGRATIONS}
        if unknown:
            raise StoreError(
                f"{self.path}: written by a newer stance (migrations {sorted(unknown)}); upgrade stance"
            )

    def _migrate(self) -> None:
        """Apply missing migrations, each in a ``BEGIN IMMEDIATE`` transaction that re-reads
        what is applied, so concurrent first opens never run one twice."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        for name, migrate in MIGRATIONS:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                applied = {row[0] for row in self.conn.execute("SELECT name FROM migrations")}
                self._check_known(applied)
                if name not in applied:
                    migrate(_Statements(self.conn))
                    self.conn.execute("INSERT INTO migrations VALUES (?, ?)", (name, _now()))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise

    @property
    def schema_version(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM migrations ORDER BY name")]

    # -- runs ---------------------------------------------------------------------------

    def start_run(self, command: str, model_id: str | None) -> int:
        with self.conn:
            cursor = self.conn.execute(
                "INSERT INTO runs (command, model_id, started_at) VALUES (?, ?, ?)",
                (command, model_id, _now()),
            )
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, ok: int, failed: int, status: str = "done") -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE runs SET finished_at=?, articles_ok=?, articles_failed=?, status=? WHERE id=?",
                (_now(), ok, failed, status, run_id),
            )

    # -- articles -----------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id=?", (article_id,)).fetchone() is not None

    def save_article(self, article: Article, run_id: int | None = None) -> None:
        """Write an article and its annotations in one transaction (all or nothing)."""
        with self.conn:
            row = self.conn.execute("SELECT text FROM articles WHERE id=?", (article.id,)).fetchone()
            if row is not None and row[0] != article.text:
                # Same id, new text: the old claims no longer point into this text.
                self.conn.execute("DELETE FROM claims WHERE article_id=?", (article.id,))
            self.conn.execute(
                "INSERT INTO articles (id, title, published, source, url, text, origin, run_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET title=excluded.title, "
                "published=excluded.published, source=excluded.source, url=excluded.url, "
                "text=excluded.text, origin=excluded.origin",
                (
                    article.id,
                    article.title,
                    as_utc(article.published).isoformat() if article.published else None,
                    article.source,
                    article.url,
                    article.text,
                    article.origin,
                    run_id,
                ),
            )
            for actor in article.discovered:
                # The first affiliation found is kept; a later one only fills a gap.
                self.conn.execute(
                    "INSERT INTO discovered_actors (id, name, kind, speaks_for, example) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET speaks_for=COALESCE(discovered_actors.speaks_for, excluded.speaks_for)",
                    (actor.id, actor.name, actor.kind, actor.speaks_for, actor.example),
                )
            self._replace_claims_if_changed(article)
            for claim in article.claims:
                claim_id = self._upsert_claim(article, claim)
                mention_ids = [self._upsert_mention(claim_id, i, m) for i, m in enumerate(claim.mentions)]
                for stance in claim.stances:
                    self.conn.execute(
                        "INSERT INTO stances (mention_id, model_id, run_id, label, confidence, scores, targets) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(mention_id, model_id) DO UPDATE SET "
                        "run_id=excluded.run_id, label=excluded.label, confidence=excluded.confidence, "
                        "scores=excluded.scores, targets=excluded.targets",
                        (
                            mention_ids[stance.mention_index],
                            stance.model_id,
                            run_id,
                            stance.label.value,
                            stance.confidence,
                            json.dumps(stance.scores),
                            json.dumps(list(stance.targets)),
                        ),
                    )

    def _replace_claims_if_changed(self, article: Article) -> None:
        stored = self.conn.execute(
            "SELECT idx, start, end FROM claims WHERE article_id=? ORDER BY idx", (article.id,)
        ).fetchall()
        wanted = [(c.index, c.start, c.end) for c in article.claims]
        if stored and [tuple(r) for r in stored] != wanted:
            self.conn.execute("DELETE FROM claims WHERE article_id=?", (article.id,))

    def _upsert_claim(self, article: Article, claim) -> int:
        texts = attribution_texts(article.text, claim.attribution)
        proposition = claim.proposition
        stored = self.conn.execute(
            "SELECT id, proposition FROM claims WHERE article_id=? AND idx=?", (article.id, claim.index)
        ).fetchone()
        if stored is not None and stored[1] != (proposition.text if proposition else None):
            # A new proposition is a new statement to link: the old link goes.
            self.conn.execute("DELETE FROM claim_links WHERE claim_id=?", (stored[0],))
        spans = None
        if claim.attribution is not None:
            spans = json.dumps(_attribution_spans(claim.attribution))
        self.conn.execute(
            "INSERT INTO claims (article_id, idx, sentence_index, start, end, text, holder_id, cue, source, "
            "attribution, proposition, answers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(article_id, idx) DO UPDATE SET holder_id=excluded.holder_id, cue=excluded.cue, "
            "source=excluded.source, attribution=excluded.attribution, proposition=excluded.proposition, "
            "answers=excluded.answers",
            (
                article.id, claim.index, claim.sentence_index, claim.start, claim.end, claim.text,
                texts["holder_id"], texts["cue"], texts["source"], spans,
                proposition.text if proposition else None, proposition.answers if proposition else None,
            ),
        )
        return self.conn.execute(
            "SELECT id FROM claims WHERE article_id=? AND idx=?", (article.id, claim.index)
        ).fetchone()[0]

    def _upsert_mention(self, claim_id: int, index: int, mention) -> int:
        stored = self.conn.execute(
            "SELECT id, start, end, actor_id FROM mentions WHERE claim_id=? AND idx=?", (claim_id, index)
        ).fetchone()
        if stored is not None and tuple(stored[1:]) != (mention.start, mention.end, mention.actor_id):
            # Mentions are positional: from the first changed one on, the old rows are stale.
            self.conn.execute("DELETE FROM mentions WHERE claim_id=? AND idx>=?", (claim_id, index))
            stored = None
        if stored is not None:
            return stored[0]
        cursor = self.conn.execute(
            "INSERT INTO mentions (claim_id, idx, start, end, text, actor_id, via) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (claim_id, index, mention.start, mention.end, mention.text, mention.actor_id, mention.via),
        )
        return int(cursor.lastrowid)

    # -- queries ------------------------------------------------------------------------

    def stance_records(
        self, actor_ids: Iterable[str] | None = None, model_id: str | None = None
    ) -> Iterator[StanceRecord]:
        """Every stored stance, oldest article first, optionally for some actors / one model."""
        query = (
            "SELECT a.id AS article_id, a.published, c.idx AS claim_index, c.text AS claim, "
            "m.text AS mention, m.actor_id, s.label, s.confidence, s.scores, s.targets, s.model_id, "
            "c.holder_id, c.cue, c.source, l.tracked_id "
            "FROM stances s JOIN mentions m ON s.mention_id=m.id JOIN claims c ON m.claim_id=c.id "
            "JOIN articles a ON c.article_id=a.id LEFT JOIN claim_links l ON l.claim_id=c.id"
        )
        conditions, params = [], []
        if actor_ids is not None:
            ids = sorted(actor_ids)
            conditions.append(f"m.actor_id IN ({','.join('?' * len(ids))})")
            params += ids
        if model_id is not None:
            conditions.append("s.model_id=?")
            params.append(model_id)
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        query += " ORDER BY a.published IS NULL, a.published, a.id, c.idx, m.idx"
        for row in self.conn.execute(query, params):
            yield StanceRecord(
                article_id=row["article_id"],
                published=as_utc(datetime.fromisoformat(row["published"])) if row["published"] else None,
                claim_index=row["claim_index"],
                claim=row["claim"],
                mention=row["mention"],
                actor_id=row["actor_id"],
                label=Label(row["label"]),
                confidence=row["confidence"],
                scores=json.loads(row["scores"]),
                targets=tuple(json.loads(row["targets"])),
                model_id=row["model_id"],
                holder_id=row["holder_id"],
                cue=row["cue"],
                source=row["source"],
                claim_id=row["tracked_id"],
            )

    def actor_mentions(self) -> dict[str, dict]:
        """Per actor id: how many mentions the store holds and the first and last article dates."""
        query = (
            "SELECT m.actor_id, COUNT(*) AS mentions, MIN(a.published) AS first_seen, MAX(a.published) AS last_seen "
            "FROM mentions m JOIN claims c ON m.claim_id = c.id JOIN articles a ON c.article_id = a.id GROUP BY m.actor_id"
        )
        return {row["actor_id"]: dict(row) for row in self.conn.execute(query)}

    def discovered_actors(self) -> list[dict]:
        """Every discovered actor with its mention count and the first and last article dates."""
        query = (
            "SELECT d.id, d.name, d.kind, d.speaks_for, d.example, COUNT(m.id) AS mentions, "
            "MIN(a.published) AS first_seen, MAX(a.published) AS last_seen "
            "FROM discovered_actors d LEFT JOIN mentions m ON m.actor_id = d.id "
            "LEFT JOIN claims c ON m.claim_id = c.id LEFT JOIN articles a ON c.article_id = a.id "
            "GROUP BY d.id ORDER BY mentions DESC, d.id"
        )
        return [dict(row) for row in self.conn.execute(query)]

    def article_texts(self) -> Iterator[tuple[str, str, str | None]]:
        """``(id, text, published)`` of every stored article (wire-copy dedup reads these)."""
        for row in self.conn.execute("SELECT id, text, published FROM articles ORDER BY id"):
            yield row["id"], row["text"], row["published"]

    def counts(self) -> dict[str, int]:
        return {
            table: self.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("articles", "claims", "mentions", "stances", "runs")
        }


def _attribution_spans(attribution: Attribution) -> dict:
    source, cue = attribution.source_extent, attribution.cue_extent
    return {
        "source": [source.start, source.end] if source else None,
        "cue": [cue.start, cue.end],
        "content": [[span.start, span.end] for span in attribution.content],
    }


class _Statements:
    """A connection whose ``executescript`` runs each statement inside the caller's open
    transaction (sqlite3's own ``executescript`` commits first)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def executescript(self, script: str) -> None:
        for statement in script.split(";"):
            if statement.strip():
                self.conn.execute(statement)

    def execute(self, *args):
        return self.conn.execute(*args)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
