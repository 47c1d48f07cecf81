"""The store under faults: nightly runs killed with SIGKILL then resumed equal a clean run,
two writers at once lose nothing, and concurrent first opens of a fresh store all succeed."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stance.io.store import StanceStore
from tests.conftest import PROJECT

SEED = PROJECT / "examples" / "xi_moscow_visit_2023.txt"
STANCE = Path(sys.executable).with_name("stance")
ENV = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")


def _articles(folder: Path, prefix: str, count: int) -> Path:
    """``count`` real paragraphs of the seed article as dated articles, in one JSONL file."""
    paragraphs = [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if len(p.split()) > 12]
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        json.dumps({"id": f"{prefix}{i}", "text": paragraphs[i % len(paragraphs)], "published": f"2023-03-{1 + i % 28:02d}"})
        for i in range(count)
    ]
    (folder / f"{prefix}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def _fast_config(tmp_path: Path) -> Path:
    """The shipped fast config with the model-light stages, so each process starts quickly."""
    text = (PROJECT / "configs" / "pipeline_fast.yaml").read_text(encoding="utf-8")
    text = text.replace("stages: [clean, attribute, link, discover, holders, propose, classify]", "stages: [clean, segment, link, classify]")
    text = text.replace("model_dir: stance/models/stance-classifier-student", f"model_dir: {PROJECT / 'stance/models/stance-classifier-student'}")
    path = tmp_path / "pipeline.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _nightly(input_folder: Path, db: Path, snapshots: Path, config: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(STANCE), "nightly", str(input_folder), "--db", str(db), "--snapshots", str(snapshots),
         "--date", "2023-04-01", "--config", str(config)],
        cwd=PROJECT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _stored(db: Path) -> int:
    """Articles in ``db`` so far (0 before it exists or while it is being created)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _export(db: Path) -> str:
    result = subprocess.run([str(STANCE), "export", "--db", str(db), "--include-none", "--format", "csv"],
                            cwd=PROJECT, env=ENV, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.slow
def test_nightly_killed_five_times_then_resumed_equals_a_clean_run(tmp_path):
    folder = _articles(tmp_path / "in", "p", 60)
    config = _fast_config(tmp_path)
    clean = _nightly(folder, tmp_path / "clean.db", tmp_path / "clean-snapshots", config)
    assert clean.wait(timeout=600) == 0, clean.stderr.read()[-2000:]

    db, snapshots = tmp_path / "killed.db", tmp_path / "snapshots"
    chance = random.Random(16)
    for _ in range(5):
        before = _stored(db)
        run = _nightly(folder, db, snapshots, config)
        while run.poll() is None and _stored(db) <= before:  # kill mid-run: once it has stored something
            time.sleep(0.05)
        time.sleep(chance.uniform(0.0, 0.5))
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
        if db.exists():  # whatever is stored is whole: every stored article has all its claims
            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                empty = conn.execute("SELECT COUNT(*) FROM articles a WHERE NOT EXISTS (SELECT 1 FROM claims c WHERE c.article_id = a.id)").fetchone()[0]
                assert empty == 0
    resumed = _nightly(folder, db, snapshots, config)
    assert resumed.wait(timeout=600) == 0, resumed.stderr.read()[-2000:]

    assert _export(db) == _export(tmp_path / "clean.db")
    snapshot = json.loads((snapshots / "2023-04-01.json").read_text(encoding="utf-8"))
    reference = json.loads((tmp_path / "clean-snapshots" / "2023-04-01.json").read_text(encoding="utf-8"))
    assert snapshot["timelines"] == reference["timelines"]
    with StanceStore(db, read_only=True) as store:
        statuses = [row[0] for row in store.conn.execute("SELECT status FROM runs ORDER BY id")]
    assert statuses == ["interrupted"] * 5 + ["done"]  # each kill landed mid-run, and was marked so


@pytest.mark.slow
def test_two_writers_at_once_lose_no_rows(tmp_path):
    config = _fast_config(tmp_path)
    db = tmp_path / "shared.db"
    writers = [
        subprocess.Popen([str(STANCE), "score", str(_articles(tmp_path / name, name, 8)), "--db", str(db),
                          "--config", str(config), "--format", "json", "-q"],
                         cwd=PROJECT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("a", "b")
    ]
    outputs = [w.communicate(timeout=600) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], [err[-2000:] for _, err in outputs]
    summaries = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    with StanceStore(db, read_only=True) as store:
        ids = sorted(row[0] for row in store.conn.execute("SELECT id FROM articles"))
        runs = [tuple(row) for row in store.conn.execute("SELECT status, articles_ok FROM runs ORDER BY id")]
        stances = store.counts()["stances"]
    assert ids == sorted([f"a{i}" for i in range(8)] + [f"b{i}" for i in range(8)])
    assert runs == [("done", 8), ("done", 8)]
    assert stances == sum(s["stances"] for s in summaries)


_OPEN = "import sys\nfrom stance.io.store import StanceStore\nStanceStore(sys.argv[1]).close()\n"


def test_concurrent_first_opens_of_a_fresh_store_all_succeed(tmp_path):
    for attempt in range(3):
        db = tmp_path / f"fresh-{attempt}.db"
        openers = [subprocess.Popen([sys.executable, "-c", _OPEN, str(db)], cwd=PROJECT, stderr=subprocess.PIPE, text=True)
                   for _ in range(8)]
        errors = [p.communicate(timeout=120)[1] for p in openers]
        assert [p.returncode for p in openers] == [0] * 8, [e[-500:] for e in errors if e]
        with StanceStore(db, read_only=True) as store:
            assert store.schema_version == sorted(store.schema_version) and len(store.schema_version) == 4


def test_a_second_writer_that_cannot_get_the_lock_gets_one_line(tmp_path):
    db = tmp_path / "locked.db"
    holder = StanceStore(db)
    try:
        script = ("import sys\nfrom stance.errors import StoreError\nfrom stance.io.store import StanceStore\n"
                  "try:\n    StanceStore(sys.argv[1], lock_timeout=0.2)\nexcept StoreError as exc:\n    print(exc)\n")
        result = subprocess.run([sys.executable, "-c", script, str(db)], cwd=PROJECT, capture_output=True, text=True, timeout=60)
    finally:
        holder.close()
    assert result.stdout.strip() == (
        f"{db}: another stance process has been writing to this store for over 0.2 s (lock {db}.lock); "
        "try again when it finishes"
    )
