"""`--engine ray` on a 2-worker local Ray instance gives exactly the local engine's store:
the same export (stances, discovered actors, tracked claims), the same rejects."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT

pytest.importorskip("ray.data", reason="Ray Data is not installed (pip install 'stance[ray]')")

SEED = PROJECT / "examples" / "xi_moscow_visit_2023.txt"


def _stance(*args: str, cwd) -> subprocess.CompletedProcess:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    executable = Path(sys.executable).with_name("stance")
    return subprocess.run([str(executable), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.fixture
def input_folder(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / "seed.txt")
    paragraphs = SEED.read_text(encoding="utf-8").split("\n\n")
    records = [
        {"id": "half-1", "text": "\n\n".join(paragraphs[: len(paragraphs) // 2]), "published": "2023-03-20T09:00:00+03:00"},
        {"id": "half-2", "text": "\n\n".join(paragraphs[len(paragraphs) // 2 :]), "published": "2023-03-21"},
        {"id": "half-1", "text": "The same id again, said Beijing."},  # rejected: duplicate id
    ]
    lines = [json.dumps(r) for r in records] + ['{"text": 5}']  # rejected: bad type
    (folder / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.slow
def test_ray_with_two_workers_stores_exactly_what_the_local_engine_stores(tmp_path, input_folder):
    exports, summaries = {}, {}
    for engine in ("local", "ray"):
        db = tmp_path / f"{engine}.db"
        scored = _stance("score", str(input_folder), "--db", str(db), "--engine", engine, "--workers", "2",
                         "--format", "json", "-q", cwd=PROJECT)
        assert scored.returncode == 3, scored.stderr[-3000:]  # 2 of 5 records rejected: over max_failure_rate
        # Nothing but our own lines: each reject once and the failure rate (no Ray logs, no warnings).
        lines = scored.stderr.splitlines()
        assert [line[:11] for line in lines] == ["  rejected "] * 2 + ["Error: 40% "], scored.stderr[-3000:]
        summary = json.loads(scored.stdout.strip().splitlines()[-1])
        summaries[engine] = {k: summary[k] for k in ("scored", "rejected", "claims", "stances", "tracking")}
        exported = _stance("export", "--db", str(db), "--include-none", "--format", "csv", cwd=PROJECT)
        assert exported.returncode == 0, exported.stderr[-3000:]
        exports[engine] = exported.stdout
        rejects = [json.loads(line) for line in (tmp_path / f"{engine}.db.rejects.jsonl").read_text().splitlines()]
        summaries[engine]["rejects"] = [(r["location"].replace(str(tmp_path), ""), r["reason"]) for r in rejects]
    assert summaries["local"]["scored"] == 3 and summaries["local"]["rejected"] == 2
    assert summaries["ray"] == summaries["local"]
    assert exports["local"].count("\n") > 40  # stances of three articles, discovered actors among them
    assert exports["ray"] == exports["local"]
