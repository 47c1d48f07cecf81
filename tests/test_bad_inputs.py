"""The bad-input audit of issue 16, kept in the suite: one table of hostile or broken inputs,
each run through the real ``stance`` CLI in-process (``CliRunner``), each asserting the
documented behaviour.

Either a clean failure: exit 1 (2 for a click usage error, 3 for "too many records
failed"), no traceback and no "unexpected ..." catch-all, and ONE ``Error: ...`` line naming
the offending file (and line for a record); or the right behaviour: the bad record is
rejected with a reason naming file:line (in the rejects file and on stderr) while the valid
records of the same file are stored, a file is skipped with a warning, and nothing already
in the store is lost (every case but a few starts from a store holding one article,
``seed``, and checks its counts before and after).

Speed: ``score`` runs a ``[clean, segment, link, classify]`` config with ``--no-track``, and
the stance classifier is replaced by ``tests.fakes.FakeClassifier`` (monkeypatched where
the pipeline and ``stance classify`` load it), so the table needs no model. Cases marked
``real_models`` load the bundled student classifier (or fail while loading it) and are
marked ``slow``. A case that reveals a bug stays in the table as a strict xfail saying
what happens instead.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import shutil
import signal
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stance.cli import cli
from tests.conftest import PROJECT
from tests.fakes import FakeClassifier

STUDENT_MODEL = PROJECT / "stance" / "models" / "stance-classifier-student"
FAST_STAGES = ["clean", "segment", "link", "classify"]
FAST_CONFIG = f"stages: [{', '.join(FAST_STAGES)}]\n"
# Seconds a case may take before it counts as hung (a FIFO opened for reading blocks).
CASE_TIMEOUT = 60
SEED_TEXT = "Beijing denied the report. Paris welcomed the deal."
GOOD_TEXTS = [
    "Beijing denied the report.",
    "Paris welcomed the deal.",
    "Moscow urged calm on all sides.",
    "Washington criticised Beijing over its stance.",
]
GOOD = [{"id": f"g{i}", "text": text} for i, text in enumerate(GOOD_TEXTS, start=1)]
GOOD_IDS = ("g1", "g2", "g3", "g4")
GOOD_REQUESTS = [
    {"id": "r1", "text": "Moscow denied the report.", "actor": "Moscow"},
    {"id": "r2", "text": "Paris welcomed the deal.", "actor": "Paris", "actor_start": 0, "actor_end": 5},
    {"id": "r3", "text": "Tokyo urged restraint.", "actor": "Tokyo"},
    {"id": "r4", "text": "NATO criticised the strike.", "actor": "NATO"},
]
DEEP = "[" * 100_000 + "]" * 100_000
# Another program's schema whose "articles" table clashes with the store's first migration.
CLASHING_TABLES = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE articles (id TEXT, body TEXT)"


def jsonl(*lines) -> bytes:
    """JSONL bytes: dicts are dumped, str/bytes lines are written as they are."""
    out = b""
    for line in lines:
        if isinstance(line, dict):
            line = json.dumps(line)
        out += (line.encode("utf-8") if isinstance(line, str) else line) + b"\n"
    return out


def among_good(bad, good=GOOD) -> bytes:
    """Two good records, the bad line (line 3), two more good ones: 1 of 5 fails, which
    ``max_failure_rate`` 0.2 allows (exit 0)."""
    return jsonl(*good[:2], bad, *good[2:])


def score(input_path: str = "{tmp}/in.jsonl", *more: str, config: str = "{tmp}/fast.yaml") -> list[str]:
    return ["score", input_path, "--db", "{tmp}/s.db", "--config", config, "--no-track", "--format", "json", "-q", *more]


def classify(input_path: str = "{tmp}/req.jsonl", *more: str) -> list[str]:
    return ["classify", input_path, "-o", "{tmp}/out.jsonl", "-q", *more]


@dataclass
class Case:
    """One row of the table. ``{tmp}`` in any string is the case's own folder."""

    argv: list[str]
    files: dict[str, str | bytes] = field(default_factory=dict)  # written before the run
    setup: Callable[[Path], None] | None = None  # links, FIFOs, stores: what files cannot say
    exit: int = 0
    error: str | None = None  # part of the one "Error:" line (exit != 0)
    rejects: tuple[tuple[str, str], ...] | None = None  # (location, part of the reason), in order; None: not checked
    stored: tuple[str, ...] | None = None  # ids this run adds to the store (None: not checked)
    warns: str | None = None  # part of a logged warning
    unchanged: tuple[str, ...] = ()  # files whose bytes must be the same after the run
    check: Callable[[Path, Result], None] | None = None  # anything else
    seed: bool = True  # start from a store {tmp}/s.db holding the article "seed"
    real_models: bool = False  # no fakes: loads (or tries to load) the real classifier


def fill(value: str, tmp: Path) -> str:
    return value.replace("{tmp}", str(tmp))


# -- setups and checks used by several rows ------------------------------------------------


def seed_store(db: Path, *articles) -> None:
    """A store holding ``articles`` (default: the one "seed" article), scored with the fake."""
    from stance.actors import ActorRegistry
    from stance.config import PipelineConfig
    from stance.data import Article
    from stance.io.store import StanceStore
    from stance.jobs import score_articles
    from stance.pipeline import Pipeline

    registry = ActorRegistry.from_yaml(PROJECT / "configs" / "actors.yaml")
    pipeline = Pipeline.from_config(PipelineConfig(stages=tuple(FAST_STAGES)), registry=registry, classifier=FakeClassifier())
    articles = articles or (Article(id="seed", text=SEED_TEXT, published=datetime(2023, 3, 1, tzinfo=timezone.utc)),)
    with StanceStore(db) as store:
        score_articles(articles, pipeline, store)


def counts(db: Path) -> dict[str, int] | None:
    from stance.io.store import StanceStore

    if not db.is_file():
        return None
    with StanceStore(db, read_only=True) as store:
        return store.counts()


def stored_ids(db: Path) -> set[str]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM articles")}


def article_row(db: Path, article_id: str) -> dict:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return dict(conn.execute("SELECT * FROM articles WHERE id=?", (article_id,)).fetchone())
    finally:
        conn.close()


def sqlite_master(db: Path) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
    finally:
        conn.close()


def foreign_sqlite(name: str, tables: str = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)"):
    """Setup: an SQLite file of some other program (a users table, one row)."""

    def setup(tmp: Path) -> None:
        conn = sqlite3.connect(tmp / name)
        conn.executescript(tables + "; INSERT INTO users (name) VALUES ('ada');")
        conn.commit()
        conn.close()
        (tmp / f"{name}.master").write_text(json.dumps(sqlite_master(tmp / name)))

    return setup


def master_unchanged(name: str):
    """Check: the foreign file's schema is as it was and nothing was created beside it."""

    def check(tmp: Path, result: Result) -> None:
        assert json.loads((tmp / f"{name}.master").read_text()) == [list(row) for row in sqlite_master(tmp / name)]
        assert not [p.name for p in tmp.iterdir() if p.name.startswith(name + "-")]  # no -wal/-shm/-journal

    return check


def newer_store(tmp: Path) -> None:
    """Setup: the seeded store, as a future stance would leave it (an unknown migration)."""
    conn = sqlite3.connect(tmp / "s.db")
    conn.execute("INSERT INTO migrations VALUES ('9999_from_the_future', '2030-01-01T00:00:00+00:00')")
    conn.commit()
    conn.close()


def folder_with_oddities(tmp: Path) -> None:
    """Setup: in/ holds good.jsonl plus things named like inputs that are not regular files,
    and files of other types."""
    folder = tmp / "in"
    folder.mkdir()
    (folder / "good.jsonl").write_bytes(jsonl(*GOOD))
    (folder / "x.txt").mkdir()
    (folder / "x.txt" / "inner.md").write_text("not read")
    os.symlink(tmp / "nowhere.jsonl", folder / "dangling.jsonl")
    os.mkfifo(folder / "pipe.jsonl")
    os.symlink(folder, folder / "loop.json")  # a link to its own folder
    os.symlink(folder / "self.jsonl", folder / "self.jsonl")  # a link to itself (ELOOP)
    (folder / "data.csv").write_text("id,text\nc1,=cmd|' /C calc'!A0\n")
    (folder / "notes.md").write_text("# not an article")


def unreadable_in_folder(tmp: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading")
    folder = tmp / "in"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(jsonl(*GOOD))
    (folder / "b.jsonl").write_bytes(jsonl({"id": "x", "text": "Paris said yes."}))
    (folder / "b.jsonl").chmod(0)


def truncated_model(tmp: Path) -> None:
    shutil.copytree(STUDENT_MODEL, tmp / "model")
    weights = tmp / "model" / "adapter_model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1000])


def exported(tmp: Path, fmt: str = "jsonl", *more: str) -> str:
    result = CliRunner().invoke(cli, ["export", "--db", str(tmp / "s.db"), "--format", fmt, *more])
    assert result.exit_code == 0, result.output
    return result.stdout


def same_utc_instant(tmp: Path, result: Result) -> None:
    rows = [json.loads(line) for line in exported(tmp).splitlines()]
    published = {row["article_id"]: row["published"] for row in rows if row["article_id"] in ("tz1", "tz2")}
    assert published == {"tz1": "2023-03-21T01:30:00+00:00", "tz2": "2023-03-21T01:30:00+00:00"}
    day = CliRunner().invoke(cli, ["timeline", "--db", str(tmp / "s.db"), "--actor", "China", "--freq", "D", "--format", "json"])
    periods = {p["period"]: p["n"] for p in json.loads(day.stdout)}
    assert periods.get("2023-03-21") == 2 and "2023-03-20" not in periods


def csv_neutralised(tmp: Path, result: Result) -> None:
    text = exported(tmp, "csv")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    claims = [row[rows[0].index("claim")] for row in rows[1:] if row[0] == "f1"]
    assert claims and all(c.startswith("'=") for c in claims), claims
    assert not [cell for row in rows for cell in row if cell[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [cell for row in rows for cell in row if cell.startswith("-") and not _is_number(cell)]


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def terminal_table_clean(command: list[str]):
    def check(tmp: Path, result: Result) -> None:
        table = CliRunner().invoke(cli, [part.replace("{tmp}", str(tmp)) for part in command])
        assert table.exit_code == 0, table.output
        assert "denied the report" in table.stdout and "Pwned" not in table.stdout
        assert not [ch for ch in table.stdout if ch != "\n" and (ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F)]

    return check


def first_copy_kept(tmp: Path, result: Result) -> None:
    assert article_row(tmp / "s.db", "g1")["text"] == GOOD_TEXTS[0]


def bom_stripped(tmp: Path, result: Result) -> None:
    """The BOM is not part of the first record (its id and text read as written)."""
    assert article_row(tmp / "s.db", "g1")["text"] == GOOD_TEXTS[0]
    assert not [i for i in stored_ids(tmp / "s.db") if "\ufeff" in i]


def txt_title_clean(tmp: Path, result: Result) -> None:
    (article_id,) = stored_ids(tmp / "s.db") - {"seed"}
    assert article_row(tmp / "s.db", article_id)["title"] == "Headline"


def classified(ids: tuple[str, ...]):
    def check(tmp: Path, result: Result) -> None:
        rows = [json.loads(line) for line in (tmp / "out.jsonl").read_text(encoding="utf-8").splitlines()]
        assert [row["id"] for row in rows] == list(ids)

    return check


def rejects_file_does_not_grow(tmp: Path, result: Result) -> None:
    rejects = tmp / "s.db.rejects.jsonl"
    first = [{k: v for k, v in json.loads(line).items() if k != "run_id"} for line in rejects.read_text().splitlines()]
    before = counts(tmp / "s.db")
    again = CliRunner().invoke(cli, [fill(part, tmp) for part in score()])
    assert again.exit_code == 3, again.output
    second = [{k: v for k, v in json.loads(line).items() if k != "run_id"} for line in rejects.read_text().splitlines()]
    assert second == first and len(second) == 2
    after = counts(tmp / "s.db")
    assert {k: v for k, v in after.items() if k != "runs"} == {k: v for k, v in before.items() if k != "runs"}


def nothing_written(*names: str):
    def check(tmp: Path, result: Result) -> None:
        for name in names:
            assert not (tmp / name).exists(), name

    return check


# -- the table ----------------------------------------------------------------------------

CASES = [
    # ---- records inside a JSONL file: the bad line is rejected (file:line), the rest stored
    pytest.param(Case(score(), {"in.jsonl": among_good('{"text": ' + DEEP + "}")},
                      rejects=(("{tmp}/in.jsonl:3", "nested too deeply"),), stored=GOOD_IDS), id="jsonl-line-nested-1e5-deep"),
    pytest.param(Case(score(), {"in.jsonl": among_good(r'{"id": "s1", "text": "bad \udfff text"}')},
                      rejects=(("{tmp}/in.jsonl:3", "'text' contains an unpaired surrogate (U+DFFF)"),), stored=GOOD_IDS),
                 id="surrogate-in-text"),
    pytest.param(Case(score(), {"in.jsonl": among_good(r'{"id": "s\udfff", "text": "Paris said yes."}')},
                      rejects=(("{tmp}/in.jsonl:3", "'id' contains an unpaired surrogate"),), stored=GOOD_IDS),
                 id="surrogate-in-id"),
    pytest.param(Case(score(), {"in.jsonl": among_good(r'{"id": "s3", "title": "\ud800", "text": "Paris said yes."}')},
                      rejects=(("{tmp}/in.jsonl:3", "'title' contains an unpaired surrogate (U+D800)"),), stored=GOOD_IDS),
                 id="surrogate-in-title"),
    pytest.param(Case(score(), {"in.jsonl": among_good(b'{"id": "u1", "text": "caf\xe9 \xff"}')},
                      rejects=(("{tmp}/in.jsonl:3", "not valid UTF-8 (byte 0xe9"),), stored=GOOD_IDS),
                 id="invalid-utf8-line"),
    pytest.param(Case(score(), {"in.jsonl": among_good('{"id": "t1", "text": 42}')},
                      rejects=(("{tmp}/in.jsonl:3", "'text' must be a string, got int"),), stored=GOOD_IDS),
                 id="text-is-int"),
    pytest.param(Case(score(), {"in.jsonl": among_good('{"id": ["a", "b"], "text": "Paris said yes."}')},
                      rejects=(("{tmp}/in.jsonl:3", "'id' must be a string, got ['a', 'b']"),), stored=GOOD_IDS),
                 id="id-is-list"),
    pytest.param(Case(score(), {"in.jsonl": among_good('{"id": "p1", "text": "Paris said yes.", "published": 20230317}')},
                      rejects=(("{tmp}/in.jsonl:3", "'published' must be an ISO 8601 string, got 20230317"),), stored=GOOD_IDS),
                 id="published-is-int"),
    pytest.param(Case(score(), {"in.jsonl": among_good('{"id": "p2", "text": "Paris said yes.", "published": "yesterday"}')},
                      rejects=(("{tmp}/in.jsonl:3", "'published' is not an ISO 8601 date or datetime: 'yesterday'"),),
                      stored=GOOD_IDS),
                 id="published-yesterday"),
    pytest.param(Case(score(), {"in.jsonl": among_good('{"id": "p3", "text": "Paris said yes.", "published": "2023-02-30"}')},
                      rejects=(("{tmp}/in.jsonl:3", "not an ISO 8601 date"),), stored=GOOD_IDS),
                 id="published-february-30"),
    pytest.param(Case(score(), {"in.jsonl": among_good(
                          '{"id": "p4", "text": "Paris said yes.", "published": "0001-01-01T00:00:00+01:00"}')},
                      rejects=(("{tmp}/in.jsonl:3", "published"),), stored=GOOD_IDS),
                 id="published-before-year-1-in-utc"),
    pytest.param(Case(score(), {"in.jsonl": among_good('{"id": "m1", "title": "no text here"}')},
                      rejects=(("{tmp}/in.jsonl:3", "missing required field 'text'"),), stored=GOOD_IDS),
                 id="missing-text"),
    pytest.param(Case(score(), {"in.jsonl": among_good('{"id": "e1", "text": " \\u00a0\\n "}')},
                      rejects=(("{tmp}/in.jsonl:3", "'text' is empty"),), stored=GOOD_IDS),
                 id="text-only-whitespace"),
    pytest.param(Case(score(config="{tmp}/small.yaml"),
                      {"small.yaml": FAST_CONFIG + "ingest:\n  max_chars: 60\n",
                       "in.jsonl": among_good({"id": "long", "text": "Paris welcomed the deal. " * 10})},
                      rejects=(("{tmp}/in.jsonl:3", "article has 250 characters, more than ingest.max_chars=60"),),
                      stored=GOOD_IDS),
                 id="text-longer-than-max-chars"),
    pytest.param(Case(score(), {"in.jsonl": among_good("[1, 2]")},
                      rejects=(("{tmp}/in.jsonl:3", "expected a JSON object, got list"),), stored=GOOD_IDS),
                 id="jsonl-line-not-an-object"),
    pytest.param(Case(score(), {"in.jsonl": among_good('{"text": "ok", ')},
                      rejects=(("{tmp}/in.jsonl:3", "invalid JSON"),), stored=GOOD_IDS),
                 id="jsonl-line-broken-json"),
    pytest.param(Case(score(), {"in.jsonl": among_good('{"id": ' + "9" * 5000 + ', "text": "Paris said yes."}')},
                      rejects=(("{tmp}/in.jsonl:3", "integer string conversion"),), stored=GOOD_IDS),
                 id="jsonl-line-5000-digit-number"),
    pytest.param(Case(score(), {"in.jsonl": among_good(b'{"id": "n1", "text": "nul\x00byte"}')},
                      rejects=(("{tmp}/in.jsonl:3", "invalid JSON"),), stored=GOOD_IDS),
                 id="jsonl-line-raw-nul-byte"),
    pytest.param(Case(score(), {"in.jsonl": jsonl(GOOD[0], GOOD[1], {"id": "g1", "text": "Rome rejected the plan."}, *GOOD[2:])},
                      rejects=(("{tmp}/in.jsonl:3", "duplicate id 'g1': already read in this run at {tmp}/in.jsonl:1"),),
                      stored=GOOD_IDS, check=first_copy_kept),
                 id="duplicate-id-in-one-file"),
    pytest.param(Case(score(), {"in.jsonl": jsonl(
                          {"id": "tz1", "text": "Beijing denied the report.", "published": "2023-03-20T23:30:00-02:00"},
                          {"id": "tz2", "text": "Beijing denied the claim.", "published": "2023-03-21T01:30:00+00:00"})},
                      rejects=(), stored=("tz1", "tz2"), check=same_utc_instant),
                 id="same-instant-two-utc-offsets"),
    pytest.param(Case(score(), {"in.jsonl": jsonl({"id": "f1", "text": "=HYPERLINK(\"http://evil\") Beijing denied the report."},
                                                 {"id": "f2", "text": "Paris welcomed the deal."})},
                      rejects=(), stored=("f1", "f2"), check=csv_neutralised),
                 id="csv-export-neutralises-formula-text"),
    pytest.param(Case(score(), {"in.jsonl": jsonl(
                          {"id": "esc", "text": "Beijing \u001b[31mdenied\u001b[0m the report.\u001b]0;Pwned\u0007 \u202eok"})},
                      rejects=(), stored=("esc",),
                      check=terminal_table_clean(["timeline", "--db", "{tmp}/s.db", "--actor", "China", "--freq", "D"])),
                 id="table-strips-ansi-escapes-timeline"),
    pytest.param(Case(score(), {"in.jsonl": jsonl(
                          {"id": "esc", "text": "Beijing \u001b[2Jdenied the report.\u009b31m\u0008\u0008 Done."})},
                      rejects=(), stored=("esc",), check=terminal_table_clean(["summary", "--db", "{tmp}/s.db"])),
                 id="table-strips-ansi-escapes-summary"),
    pytest.param(Case(score(), {"in.jsonl": jsonl(GOOD[0], "{broken", "[]")},
                      exit=3, error="67% of records failed",
                      rejects=(("{tmp}/in.jsonl:2", "invalid JSON"), ("{tmp}/in.jsonl:3", "expected a JSON object")),
                      stored=("g1",), check=rejects_file_does_not_grow),
                 id="rejects-file-does-not-grow-on-rerun"),
    # ---- whole files: empty, BOM, other encodings, JSON documents
    pytest.param(Case(score(), {"in.jsonl": b""}, exit=3, error="100% of records failed",
                      rejects=(("{tmp}/in.jsonl", "file is empty"),), stored=()), id="empty-file"),
    pytest.param(Case(score("{tmp}/in.txt"), {"in.txt": b" \n\t\r\n  \n"}, exit=3, error="100% of records failed",
                      rejects=(("{tmp}/in.txt", "file is empty"),), stored=()), id="whitespace-only-file"),
    pytest.param(Case(score("{tmp}/in.txt"), {"in.txt": b"\xef\xbb\xbf \r\n"}, exit=3, error="100% of records failed",
                      rejects=(("{tmp}/in.txt", "empty"),), stored=()),
                 id="txt-only-bom-and-whitespace"),
    pytest.param(Case(score("{tmp}/in.txt"), {"in.txt": "\u00a0\u3000\n".encode()}, exit=3, error="100% of records failed",
                      rejects=(("{tmp}/in.txt", "empty"),), stored=()),
                 id="txt-only-unicode-spaces"),
    pytest.param(Case(score(), {"in.jsonl": b"\xef\xbb\xbf" + jsonl(*GOOD).replace(b"\n", b"\r\n")},
                      rejects=(), stored=GOOD_IDS, check=bom_stripped),
                 id="jsonl-with-bom-and-crlf"),
    pytest.param(Case(score("{tmp}/in.txt"), {"in.txt": "\ufeffHeadline\n\nBeijing denied the report.\n".encode()},
                      stored=None, check=txt_title_clean),
                 id="txt-with-bom"),
    pytest.param(Case(score("{tmp}/in.txt"), {"in.txt": "Headline\n\nZ\u00fcrich said no.\n".encode("latin-1")},
                      exit=3, error="100% of records failed",
                      rejects=(("{tmp}/in.txt:3", "not valid UTF-8 (byte 0xfc at line 3"),), stored=()),
                 id="txt-in-latin-1"),
    pytest.param(Case(score("{tmp}/in.json"),
                      {"in.json": ("[\n" + ",\n".join([json.dumps(GOOD[0]), '{"text": ' + DEEP + "}",
                                                       *map(json.dumps, GOOD[1:])]) + "\n]\n").encode()},
                      rejects=(("{tmp}/in.json:3", "record 2: JSON nested too deeply"),), stored=GOOD_IDS),
                 id="json-list-with-one-1e5-deep-record"),
    pytest.param(Case(score("{tmp}/in.json"), {"in.json": '{"a": ' + DEEP + "}"}, exit=3, error="100% of records failed",
                      rejects=(("{tmp}/in.json:1", "nested too deeply to read, and not an array of records"),), stored=()),
                 id="json-object-1e5-deep"),
    pytest.param(Case(score("{tmp}/in.json"), {"in.json": "42\n"}, exit=3, error="100% of records failed",
                      rejects=(("{tmp}/in.json", "record 1: expected a JSON object, got int"),), stored=()),
                 id="json-document-is-a-number"),
    pytest.param(Case(score("{tmp}/in.json"), {"in.json": '[{"text": "Paris said yes."},\n {"text": 1,}]'},
                      exit=3, error="100% of records failed",
                      rejects=(("{tmp}/in.json:2", "invalid JSON"),), stored=()),
                 id="json-document-broken"),
    pytest.param(Case(score("{tmp}/in.md"), {"in.md": "# Beijing denied the report."}, exit=3, error="100% of records failed",
                      rejects=(("{tmp}/in.md", "unsupported file type '.md'"),), stored=()),
                 id="unsupported-suffix-given-directly"),
    pytest.param(Case(score("{tmp}/in\u001b[31m\nevil.jsonl"), {"in\u001b[31m\nevil.jsonl": jsonl("{broken")},
                      exit=3, error="100% of records failed", stored=(),
                      check=lambda tmp, result: _one_line_rejects(result, "evil.jsonl:1: invalid JSON")),
                 id="file-name-with-escape-and-newline"),
    # ---- folders: only regular files with a supported suffix are read
    pytest.param(Case(score("{tmp}/in"), setup=folder_with_oddities, rejects=(), stored=GOOD_IDS,
                      warns="skipped {tmp}/in/x.txt: a folder, not a regular file"),
                 id="folder-with-subfolder-named-x.txt"),
    pytest.param(Case(score("{tmp}/in"), setup=folder_with_oddities, rejects=(), stored=GOOD_IDS,
                      warns="skipped {tmp}/in/dangling.jsonl: a dangling link, not a regular file"),
                 id="folder-with-dangling-symlink"),
    pytest.param(Case(score("{tmp}/in"), setup=folder_with_oddities, rejects=(), stored=GOOD_IDS,
                      warns="skipped {tmp}/in/pipe.jsonl: a FIFO, not a regular file"),
                 id="folder-with-fifo-does-not-hang"),
    pytest.param(Case(score("{tmp}/in"), setup=folder_with_oddities, rejects=(), stored=GOOD_IDS,
                      warns="skipped {tmp}/in/self.jsonl: a dangling link, not a regular file"),
                 id="folder-with-self-referencing-symlink"),
    pytest.param(Case(score("{tmp}/in"), setup=folder_with_oddities, rejects=(), stored=GOOD_IDS,
                      warns="skipped {tmp}/in/loop.json: a folder, not a regular file"),
                 id="folder-with-link-to-itself"),
    pytest.param(Case(score("{tmp}/in"), setup=unreadable_in_folder, stored=GOOD_IDS,
                      rejects=(("{tmp}/in/b.jsonl", "cannot read: Permission denied"),)),
                 id="folder-with-unreadable-file"),
    pytest.param(Case(score("{tmp}/in"), setup=lambda tmp: ((tmp / "in").mkdir(), (tmp / "in" / "a.csv").write_text("text\nx\n")),
                      exit=3, error="100% of records failed",
                      rejects=(("{tmp}/in", "no .txt/.json/.jsonl files in folder"),), stored=()),
                 id="folder-with-only-a-csv"),
    pytest.param(Case(score("{tmp}/pipe.jsonl"), setup=lambda tmp: os.mkfifo(tmp / "pipe.jsonl"),
                      exit=3, error="100% of records failed",
                      rejects=(("{tmp}/pipe.jsonl", "a FIFO, not a regular file; skipped"),), stored=()),
                 id="fifo-given-directly-does-not-hang"),
    pytest.param(Case(score("/dev/null"), exit=3, error="100% of records failed",
                      rejects=(("/dev/null", "a device, not a regular file; skipped"),), stored=()),
                 id="device-given-directly"),
    pytest.param(Case(score("{tmp}/missing.jsonl"), exit=2, error="'{tmp}/missing.jsonl' does not exist"),
                 id="input-does-not-exist"),
    pytest.param(Case(score("{tmp}/gone.jsonl"), setup=lambda tmp: os.symlink(tmp / "nowhere", tmp / "gone.jsonl"),
                      exit=2, error="'{tmp}/gone.jsonl' does not exist"),
                 id="input-is-a-dangling-symlink"),
    # ---- the store (--db): refused in one line, never changed
    pytest.param(Case(["score", "{tmp}/in.jsonl", "--db", "{tmp}/dir", "--config", "{tmp}/fast.yaml", "--no-track"],
                      {"in.jsonl": jsonl(*GOOD)}, setup=lambda tmp: (tmp / "dir").mkdir(), exit=2,
                      error="'{tmp}/dir' is a directory"),
                 id="db-is-a-folder"),
    pytest.param(Case(["score", "{tmp}/in.jsonl", "--db", "{tmp}/no/such/s.db", "--config", "{tmp}/fast.yaml", "--no-track"],
                      {"in.jsonl": jsonl(*GOOD)}, exit=1,
                      error="Error: {tmp}/no/such/s.db: folder {tmp}/no/such does not exist",
                      check=nothing_written("no")),
                 id="db-in-a-missing-folder"),
    pytest.param(Case(["score", "{tmp}/in.jsonl", "--db", "{tmp}/junk.db", "--config", "{tmp}/fast.yaml", "--no-track"],
                      {"in.jsonl": jsonl(*GOOD), "junk.db": b"\x00\xffnot a database at all" * 200}, exit=1,
                      error="Error: {tmp}/junk.db: cannot open as a stance store: file is not a database",
                      unchanged=("junk.db",)),
                 id="db-is-garbage-bytes-score"),
    pytest.param(Case(["export", "--db", "{tmp}/junk.db"], {"junk.db": b"\x00\xffnot a database at all" * 200}, exit=1,
                      error="Error: {tmp}/junk.db: cannot open as a stance store: file is not a database",
                      unchanged=("junk.db",)),
                 id="db-is-garbage-bytes-export"),
    pytest.param(Case(["timeline", "--db", "{tmp}/empty.db", "--actor", "China"], {"empty.db": b""}, exit=1,
                      error="Error: {tmp}/empty.db: not a stance store (no migrations table)", unchanged=("empty.db",)),
                 id="db-is-an-empty-file-timeline"),
    pytest.param(Case(["export", "--db", "{tmp}/other.db"], setup=foreign_sqlite("other.db"), exit=1,
                      error="Error: {tmp}/other.db: not a stance store (no migrations table)",
                      unchanged=("other.db",), check=master_unchanged("other.db")),
                 id="db-is-foreign-sqlite-export"),
    pytest.param(Case(["timeline", "--db", "{tmp}/other.db", "--actor", "China"], setup=foreign_sqlite("other.db"), exit=1,
                      error="Error: {tmp}/other.db: not a stance store (no migrations table)",
                      unchanged=("other.db",), check=master_unchanged("other.db")),
                 id="db-is-foreign-sqlite-timeline"),
    pytest.param(Case(["claims", "--db", "{tmp}/other.db"], setup=foreign_sqlite("other.db"), exit=1,
                      error="Error: {tmp}/other.db: not a stance store (no migrations table)",
                      unchanged=("other.db",), check=master_unchanged("other.db")),
                 id="db-is-foreign-sqlite-claims"),
    pytest.param(Case(["score", "{tmp}/in.jsonl", "--db", "{tmp}/other.db", "--config", "{tmp}/fast.yaml", "--no-track"],
                      {"in.jsonl": jsonl(*GOOD)}, setup=foreign_sqlite("other.db", CLASHING_TABLES),
                      exit=1, error="Error: {tmp}/other.db: not a stance store (it holds other tables); give --db a new file"),
                 id="db-is-foreign-sqlite-with-clashing-table-score"),
    pytest.param(Case(["score", "{tmp}/in.jsonl", "--db", "{tmp}/other.db", "--config", "{tmp}/fast.yaml", "--no-track"],
                      {"in.jsonl": jsonl(*GOOD)}, setup=foreign_sqlite("other.db", CLASHING_TABLES),
                      exit=1, error="Error: {tmp}/other.db: not a stance store (it holds other tables)", check=master_unchanged("other.db")),
                 id="db-is-foreign-sqlite-with-clashing-table-score-leaves-it-unchanged"),
    pytest.param(Case(["export", "--db", "{tmp}/s.db"], setup=newer_store, exit=1,
                      error="Error: {tmp}/s.db: written by a newer stance (migrations ['9999_from_the_future']); upgrade stance",
                      unchanged=("s.db",)),
                 id="db-from-a-newer-stance-export"),
    pytest.param(Case(score(), {"in.jsonl": jsonl(*GOOD)}, setup=newer_store, exit=1,
                      error="Error: {tmp}/s.db: written by a newer stance (migrations ['9999_from_the_future']); upgrade stance",
                      unchanged=("s.db",), check=lambda tmp, result: stored_ids(tmp / "s.db") == {"seed"}),
                 id="db-from-a-newer-stance-score"),
    pytest.param(Case(["export", "--db", "{tmp}/missing.db"], exit=2, error="'{tmp}/missing.db' does not exist", seed=False),
                 id="db-missing-export"),
    # ---- output paths
    pytest.param(Case(score("{tmp}/in.jsonl", "--rejects", "{tmp}/rj"), {"in.jsonl": among_good("{broken")},
                      setup=lambda tmp: (tmp / "rj").mkdir(), exit=2, error="'{tmp}/rj' is a directory"),
                 id="rejects-is-a-folder"),
    pytest.param(Case(score("{tmp}/in.jsonl", "--rejects", "{tmp}/no/r.jsonl"), {"in.jsonl": among_good("{broken")},
                      exit=1, error="Error: {tmp}/no/r.jsonl: cannot write: folder {tmp}/no does not exist"),
                 id="rejects-in-a-missing-folder"),
    pytest.param(Case(["export", "--db", "{tmp}/s.db", "--format", "csv", "-o", "{tmp}/outdir"],
                      setup=lambda tmp: (tmp / "outdir").mkdir(), exit=2, error="'{tmp}/outdir' is a directory"),
                 id="export-output-is-a-folder"),
    pytest.param(Case(["export", "--db", "{tmp}/s.db", "--format", "csv", "-o", "{tmp}/no/out.csv"], exit=1,
                      error="Error: {tmp}/no/out.csv: cannot write: No such file or directory"),
                 id="export-output-in-a-missing-folder"),
    pytest.param(Case(["export", "--db", "{tmp}/s.db", "--format", "parquet", "-o", "{tmp}/no/out.parquet"], exit=1,
                      error="Error: {tmp}/no/out.parquet: cannot write"),
                 id="export-parquet-in-a-missing-folder"),
    pytest.param(Case(classify("{tmp}/req.jsonl") + ["-o", "{tmp}/outdir"], {"req.jsonl": jsonl(*GOOD_REQUESTS)},
                      setup=lambda tmp: (tmp / "outdir").mkdir(), exit=2, error="'{tmp}/outdir' is a directory", seed=False),
                 id="classify-output-is-a-folder"),
    pytest.param(Case(["classify", "{tmp}/req.jsonl", "-o", "{tmp}/no/out.jsonl"], {"req.jsonl": jsonl(*GOOD_REQUESTS)},
                      exit=1, error="Error: {tmp}/no/out.jsonl: No such file or directory", seed=False),
                 id="classify-output-in-a-missing-folder"),
    pytest.param(Case(classify("{tmp}"), exit=2, error="'{tmp}' is a directory", seed=False),
                 id="classify-input-is-a-folder"),
    # ---- config files: one line naming the file and the key
    pytest.param(Case(score(config="{tmp}/bad.yaml"), {"in.jsonl": jsonl(*GOOD),
                      "bad.yaml": FAST_CONFIG + "ingest:\n  boilerplate_patterns: ['^READ MORE(']\n"}, exit=1,
                      error="Error: {tmp}/bad.yaml: ingest.boilerplate_patterns[0]: '^READ MORE(' is not a valid regular expression"),
                 id="config-invalid-regex"),
    pytest.param(Case(score(config="{tmp}/bad.yaml"), {"in.jsonl": jsonl(*GOOD), "bad.yaml": "stages: []\n"}, exit=1,
                      error="Error: {tmp}/bad.yaml: stages: empty"),
                 id="config-stages-empty"),
    pytest.param(Case(score(config="{tmp}/bad.yaml"), {"in.jsonl": jsonl(*GOOD), "bad.yaml": "stages: [clean, segment, link]\n"},
                      exit=1, error="Error: {tmp}/bad.yaml: stages: ['clean', 'segment', 'link'] cannot score"),
                 id="config-stages-without-classify"),
    pytest.param(Case(score(config="{tmp}/bad.yaml"), {"in.jsonl": jsonl(*GOOD), "bad.yaml": FAST_CONFIG + "ingset:\n  max_chars: 5\n"},
                      exit=1, error="Error: {tmp}/bad.yaml: unknown key ingset"),
                 id="config-unknown-key"),
    pytest.param(Case(score(config="{tmp}/bad.yaml"), {"in.jsonl": jsonl(*GOOD), "bad.yaml": "stages: [clean, segment\ningest: {\n"},
                      exit=1, error="Error: {tmp}/bad.yaml: not valid YAML"),
                 id="config-yaml-syntax-error"),
    pytest.param(Case(score(config="{tmp}/bad.yaml"), {"in.jsonl": jsonl(*GOOD), "bad.yaml": FAST_CONFIG + "max_failure_rate: 2\n"},
                      exit=1, error="Error: {tmp}/bad.yaml: max_failure_rate must be in [0.0, 1.0], got 2.0"),
                 id="config-value-out-of-range"),
    pytest.param(Case(score(config="{tmp}/bad.yaml"), {"in.jsonl": jsonl(*GOOD), "bad.yaml": FAST_CONFIG + "ingest:\n  max_chars: big\n"},
                      exit=1, error="Error: {tmp}/bad.yaml: ingest.max_chars: expected int, got 'big'"),
                 id="config-wrong-type"),
    pytest.param(Case(score(config="{tmp}/missing.yaml"), {"in.jsonl": jsonl(*GOOD)}, exit=1,
                      error="Error: {tmp}/missing.yaml: config file not found"),
                 id="config-missing"),
    pytest.param(Case(score(config="{tmp}/bad.yaml"), {"in.jsonl": jsonl(*GOOD),
                      "bad.yaml": FAST_CONFIG + "actors_file: no-such-actors.yaml\n"}, exit=1,
                      error="no-such-actors.yaml: actor registry not found"),
                 id="config-actors-file-missing"),
    pytest.param(Case(score(config="{tmp}/bad.yaml"), {"in.jsonl": jsonl(*GOOD),
                      "bad.yaml": "stages: [clean, segment, link, classify, teleport]\n"}, exit=1,
                      error="Error: {tmp}/bad.yaml: unknown stage 'teleport'"),
                 id="config-unknown-stage"),
    pytest.param(Case(score(config="{tmp}/bad.yaml"), {"in.jsonl": jsonl(*GOOD),
                      "bad.yaml": "stages: [classify, clean, segment, link]\n"}, exit=1,
                      error="Error: {tmp}/bad.yaml: stage 'classify' requires"),
                 id="config-stages-out-of-order"),
    pytest.param(Case(score(config="{tmp}/bad.yaml"), {"in.jsonl": jsonl(*GOOD),
                      "bad.yaml": FAST_CONFIG.encode() + b"# caf\xe9\n"}, exit=1,
                      error="Error: {tmp}/bad.yaml: "),
                 id="config-not-utf8"),
    # ---- stance classify requests: the bad line is skipped (file:line), the rest classified
    *[
        pytest.param(Case(classify(), {"req.jsonl": jsonl(*GOOD_REQUESTS[:2], bad, *GOOD_REQUESTS[2:])}, seed=False,
                          check=classified(("r1", "r2", "r3", "r4")),
                          rejects=(("{tmp}/req.jsonl:3", reason),)),
                     id=f"classify-{name}")
        for name, bad, reason in [
            ("bool-offsets", '{"id": "b", "text": "Paris praised it.", "actor": "Paris", "actor_start": true, "actor_end": 5}',
             "'actor_start' must be an integer, got bool (true)"),
            ("float-offsets", '{"id": "b", "text": "Paris praised it.", "actor": "Paris", "actor_start": 0.0, "actor_end": 5}',
             "'actor_start' must be an integer, got float (0.0)"),
            ("mismatched-offsets", '{"id": "b", "text": "Paris praised it.", "actor": "Paris", "actor_start": 0, "actor_end": 4}',
             "actor_start/actor_end (0, 4) select 'Pari' in 'text', not actor 'Paris'"),
            ("one-offset-only", '{"id": "b", "text": "Paris praised it.", "actor": "Paris", "actor_start": 0}',
             "give both 'actor_start' and 'actor_end' or neither (only 'actor_start' given)"),
            ("offsets-out-of-range", '{"id": "b", "text": "Paris praised it.", "actor": "Paris", "actor_start": 10, "actor_end": 99}',
             "actor_start/actor_end (10, 99) are not a span of 'text' (length 17)"),
            ("negative-offset", '{"id": "b", "text": "Paris praised it.", "actor": "Paris", "actor_start": -5, "actor_end": 0}',
             "are not a span of 'text'"),
            ("surrogate-in-actor", r'{"id": "b", "text": "Paris praised it.", "actor": "\udfff"}',
             "'actor' contains an unpaired surrogate (U+DFFF)"),
            ("surrogate-in-id", r'{"id": "\ud800", "text": "Paris praised it.", "actor": "Paris"}',
             "'id' contains an unpaired surrogate (U+D800)"),
            ("non-object-line", "[1, 2, 3]", "expected a JSON object, got list"),
            ("actor-not-in-text", '{"id": "b", "text": "Paris praised it.", "actor": "Rome"}', "actor 'Rome' does not occur in 'text'"),
            ("invalid-utf8", b'{"id": "b", "text": "caf\xe9", "actor": "caf"}', "not valid UTF-8"),
        ]
    ],
    pytest.param(Case(classify(), {"req.jsonl": jsonl(*GOOD_REQUESTS[:2], '{"id": "b", "text": ' + DEEP + "}", *GOOD_REQUESTS[2:])},
                      seed=False, check=classified(("r1", "r2", "r3", "r4")), rejects=(("{tmp}/req.jsonl:3", "nested too deeply"),)),
                 id="classify-line-nested-1e5-deep"),
    pytest.param(Case(classify(), {"req.jsonl": b""}, exit=3, seed=False, rejects=(("{tmp}/req.jsonl", "file is empty"),)),
                 id="classify-empty-file"),
    pytest.param(Case(classify("{tmp}/req.jsonl", "--model-dir", "{tmp}/model"), {"req.jsonl": jsonl(*GOOD_REQUESTS)},
                      setup=lambda tmp: (tmp / "model").mkdir(), exit=1, seed=False, real_models=True,
                      error="Error: no stance model in {tmp}/model (missing stance_model.json)"),
                 id="classify-model-dir-empty"),
    pytest.param(Case(classify("{tmp}/req.jsonl", "--model-dir", "{tmp}/model"), {"req.jsonl": jsonl(*GOOD_REQUESTS)},
                      setup=lambda tmp: ((tmp / "model").mkdir(), (tmp / "model" / "stance_model.json").write_text('{"labels": [')),
                      exit=1, seed=False, real_models=True, error="Error: {tmp}/model/stance_model.json: "),
                 id="classify-model-dir-corrupt-metadata"),
    pytest.param(Case(classify("{tmp}/req.jsonl", "--model-dir", "{tmp}/model"), {"req.jsonl": jsonl(*GOOD_REQUESTS)},
                      setup=truncated_model, exit=1, seed=False, real_models=True,
                      error="Error: {tmp}/model/adapter_model.safetensors: unreadable"),
                 id="classify-model-dir-truncated-adapter", marks=pytest.mark.slow),
    # ---- nightly
    pytest.param(Case(["nightly", "{tmp}/missing", "--db", "{tmp}/s.db", "--snapshots", "{tmp}/snap", "--config", "{tmp}/fast.yaml"],
                      exit=1, error="Error: input {tmp}/missing does not exist", check=nothing_written("snap")),
                 id="nightly-input-missing"),
    pytest.param(Case(["nightly", "{tmp}/in.jsonl", "--db", "{tmp}/s.db", "--snapshots", "{tmp}/snap", "--date", "2023-13-45",
                       "--config", "{tmp}/fast.yaml"], {"in.jsonl": jsonl(*GOOD)},
                      exit=1, error="Error: --date must be YYYY-MM-DD, got '2023-13-45'", check=nothing_written("snap")),
                 id="nightly-bad-date"),
    pytest.param(Case(["nightly", "{tmp}/in.jsonl", "--db", "{tmp}/s.db", "--snapshots", "{tmp}/in.jsonl",
                       "--config", "{tmp}/fast.yaml"], {"in.jsonl": jsonl(*GOOD)},
                      exit=2, error="'{tmp}/in.jsonl' is a file"),
                 id="nightly-snapshots-is-a-file"),
    pytest.param(Case(["nightly", "{tmp}/in", "--db", "{tmp}/s.db", "--snapshots", "{tmp}/snap", "--date", "2023-04-03",
                       "--config", "{tmp}/fast.yaml"], setup=folder_with_oddities, rejects=(), stored=GOOD_IDS,
                      warns="skipped {tmp}/in/pipe.jsonl: a FIFO, not a regular file",
                      check=lambda tmp, result: json.loads((tmp / "snap" / "2023-04-03.json").read_text())["summary"]["scored"] == 4),
                 id="nightly-folder-with-fifo-and-links"),
    # ---- read commands: bad option values
    pytest.param(Case(["timeline", "--db", "{tmp}/s.db", "--actor", "China", "--window", "thirty"], exit=1,
                      error="Error: --window: ", unchanged=("s.db",)),
                 id="timeline-bad-window"),
    pytest.param(Case(["claims", "--db", "{tmp}/s.db", "--since", "last week"], exit=1,
                      error="Error: --since must be YYYY-MM-DD, got 'last week'", unchanged=("s.db",)),
                 id="claims-bad-since"),
    pytest.param(Case(["timeline", "--db", "{tmp}/s.db", "--actor", "\u001b]0;Pwned\u0007Atlantis\u001b[2J"], exit=1,
                      error="Error: no actor named", unchanged=("s.db",),
                      # the name is quoted with repr(): the escapes reach the terminal as harmless text
                      check=lambda tmp, result: "\x1b" not in result.output and "\x07" not in result.output),
                 id="timeline-unknown-actor-with-escapes"),
    # ---- one real-model run of the table's ingest cases end to end
    pytest.param(Case(score(config="{tmp}/student.yaml"),
                      {"student.yaml": FAST_CONFIG + f"classifier:\n  model_dir: {STUDENT_MODEL}\n",
                       "in.jsonl": jsonl(*GOOD, '{"text": ' + DEEP + "}", r'{"id": "s1", "text": "bad \udfff"}',
                                         b'{"text": "caf\xe9"}', *({"id": f"h{i}", "text": t} for i, t in enumerate(GOOD_TEXTS * 2)))},
                      real_models=True, stored=GOOD_IDS + tuple(f"h{i}" for i in range(8)),
                      rejects=(("{tmp}/in.jsonl:5", "nested too deeply"), ("{tmp}/in.jsonl:6", "unpaired surrogate"),
                               ("{tmp}/in.jsonl:7", "not valid UTF-8"))),
                 id="real-classifier-score-mixed-bad-lines", marks=pytest.mark.slow),
]


def _one_line_rejects(result: Result, expected: str) -> None:
    lines = [line for line in result.stderr.splitlines() if "rejected" in line]
    assert len(lines) == 1 and expected in lines[0] and "\x1b" not in result.output, result.stderr


class CaseTimeout(BaseException):
    """Raised by the alarm; a BaseException so that neither click nor CliRunner swallows it."""


@pytest.fixture
def fake_models(monkeypatch):
    from stance.classifier.model import StanceClassifier
    from stance.pipeline.core import Resources

    monkeypatch.setattr(Resources, "stance_classifier", lambda self: FakeClassifier())
    monkeypatch.setattr(StanceClassifier, "load", classmethod(lambda cls, model_dir=None, config=None: FakeClassifier()))
    monkeypatch.setattr("stance.jobs.track_new_claims", lambda store, claims, summary: None)


def test_ids_are_unique_and_the_table_is_big_enough():
    ids = [param.id for param in CASES]
    assert len(ids) == len(set(ids)) and len(ids) >= 45


@pytest.mark.parametrize("case", CASES)
def test_bad_input(case: Case, tmp_path, monkeypatch, caplog, request):
    if not case.real_models:
        request.getfixturevalue("fake_models")
    caplog.set_level(logging.WARNING)
    monkeypatch.chdir(PROJECT)
    tmp = tmp_path
    (tmp / "fast.yaml").write_text(FAST_CONFIG)
    for name, content in case.files.items():
        (tmp / name).write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    if case.seed:
        seed_store(tmp / "s.db")
    if case.setup:
        case.setup(tmp)
    before = counts(tmp / "s.db") if case.seed and not _newer(tmp) else None
    ids_before = stored_ids(tmp / "s.db") if case.seed else set()
    unchanged = {name: (tmp / name).read_bytes() for name in case.unchanged}
    argv = [fill(part, tmp) for part in case.argv]

    def alarm(signum, frame):
        raise CaseTimeout(f"{request.node.name} still running after {CASE_TIMEOUT} s (hung?)")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(CASE_TIMEOUT)
    try:
        result = CliRunner().invoke(cli, argv)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)

    output = result.output
    # No traceback, and no exception other than the exit: in-process, an escaped exception
    # is result.exception; StanceGroup's catch-all ("unexpected ...") also marks a bug.
    assert "Traceback" not in output, output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "unexpected" not in output, output
    assert result.exit_code == case.exit, output
    error_lines = [line for line in output.splitlines() if line.startswith("Error:")]
    if case.exit == 0:
        assert not error_lines, output
    else:
        # classify's exit 3 says why only through its "skipped FILE:LINE: ..." lines (no "Error:" line).
        assert len(error_lines) == 1 or (case.exit == 3 and case.argv[0] == "classify" and not error_lines), output
        if case.error:
            assert fill(case.error, tmp) in error_lines[0], error_lines[0]
    if case.exit == 1:
        # A failed command says one line, on stderr, and nothing else.
        assert [line for line in output.splitlines() if line.strip()] == error_lines, output
        assert not result.stdout.strip(), result.stdout
    for name, content in unchanged.items():
        assert (tmp / name).read_bytes() == content, f"{name} changed"

    # Each expected reject: in the rejects file (score) and on stderr, naming file:line.
    if case.rejects is not None:
        said = [line.strip() for line in result.stderr.splitlines() if line.strip().startswith(("rejected", "skipped"))]
        assert len(said) == len(case.rejects), result.stderr
        for (location, reason), line in zip(case.rejects, said):
            location, reason = fill(location, tmp), fill(reason, tmp)
            assert line.startswith((f"rejected {location}: ", f"skipped {location}: ")) and reason in line, (line, location, reason)
        if case.argv[0] == "score" and case.rejects:
            written = [json.loads(line) for line in (tmp / "s.db.rejects.jsonl").read_text(encoding="utf-8").splitlines()]
            assert len(written) == len(case.rejects), written
            for row, (location, reason) in zip(written, case.rejects):
                assert row["location"] == fill(location, tmp) and fill(reason, tmp) in row["reason"], row

    if case.warns:
        warnings = [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]
        assert any(fill(case.warns, tmp) in message for message in warnings), warnings

    # Nothing already stored is lost; a failed command stores nothing at all.
    if before is not None:
        after = counts(tmp / "s.db")
        assert all(after[table] >= before[table] for table in before), (before, after)
        if case.exit in (1, 2):
            assert after == before, (before, after)
        if case.stored is not None:
            assert stored_ids(tmp / "s.db") == ids_before | set(case.stored)
    elif case.stored is not None:
        assert stored_ids(tmp / "s.db") == set(case.stored)
    if case.check:
        assert case.check(tmp, result) is not False


def _newer(tmp: Path) -> bool:
    """A store stamped by a newer stance cannot be opened read-only to count it."""
    db = tmp / "s.db"
    if not db.is_file():
        return False
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return bool(conn.execute("SELECT 1 FROM migrations WHERE name LIKE '9999%'").fetchone())
