"""Scale-out benchmark: `stance score` locally and on Ray with 1 and 2 workers, same input.

Usage: python scripts/bench/bench_ray.py [--articles 16] [--config configs/pipeline_fast.yaml] [--json FILE]

Each run is a fresh `stance score` process on the same PolNeAR dev texts into a fresh store;
wall time includes model loading and, for Ray, starting a local Ray instance and its
workers (what a user waits for). It also checks that every run's export is identical.
Ratios are within this run only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))


def main() -> None:
    from stance.cli.defaults import POLNEAR_DIR

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=16)
    parser.add_argument("--config", default="configs/pipeline_fast.yaml")
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    texts = sorted((POLNEAR_DIR / "dev" / "text").glob("*.txt"))[: args.articles]
    if not texts:
        raise SystemExit(f"no PolNeAR dev texts under {POLNEAR_DIR}")
    stance = Path(sys.executable).with_name("stance")
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "in"
        folder.mkdir()
        for text in texts:
            shutil.copy(text, folder / text.name)
        runs, exports = [], {}
        for name, extra in (("local", ["--engine", "local"]), ("ray-1", ["--engine", "ray", "--workers", "1"]),
                            ("ray-2", ["--engine", "ray", "--workers", "2"])):
            db = Path(work) / f"{name}.db"
            start = time.perf_counter()
            subprocess.run([str(stance), "score", str(folder), "--db", str(db), "--config", args.config, "--no-track", "-q",
                            *extra], env=env, cwd=PROJECT, check=True, capture_output=True)
            seconds = time.perf_counter() - start
            exports[name] = subprocess.run([str(stance), "export", "--db", str(db), "--include-none"], env=env,
                                           cwd=PROJECT, check=True, capture_output=True, text=True).stdout
            runs.append({"run": name, "seconds": round(seconds, 2), "articles_per_s": round(len(texts) / seconds, 3)})
    base = runs[0]["seconds"]
    for run in runs:
        run["speedup_over_local"] = round(base / run["seconds"], 2)
    report = {
        "articles": len(texts), "config": args.config, "cpus": os.cpu_count(), "runs": runs,
        "exports_identical": len(set(exports.values())) == 1,
    }
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
