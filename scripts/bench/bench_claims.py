"""Claim-tracking benchmark: what linking adds to scoring, and linking speed as the store grows.

Usage: python scripts/bench/bench_claims.py [--articles 20] [--sizes 10000 100000] [--new 1000]

1. Overhead: score PolNeAR dev articles into a fresh store (the whole pipeline), then link
   their claims (``track_claims``: sentence encoding + retrieval + decisions + writes); the
   ratio of the two times, measured in the same run, is the overhead of tracking.
2. Scale: a store already holding N linked sentences (synthetic: random unit vectors around
   N/4 centres, random word texts), restored from SQLite as the nightly job restores it,
   then ``--new`` new sentences linked in batches of 512 as ``track_claims`` links them
   (vectors given, so the encoder is left out): load time
   and sentences linked per second, with exact numpy search and with the faiss HNSW graph.
Numbers, not assertions.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from stance.claims.linking import SentenceEncoder  # noqa: E402
from stance.claims.tracker import ClaimTracker  # noqa: E402
from stance.claims.tracking import track_claims  # noqa: E402
from stance.cli.defaults import POLNEAR_DIR, claims_config, pipeline_config, registry_for  # noqa: E402
from stance.data import Article  # noqa: E402
from stance.io import tracked  # noqa: E402
from stance.io.store import StanceStore  # noqa: E402
from stance.pipeline import Pipeline  # noqa: E402


def overhead(n_articles: int, folder: Path) -> dict:
    paths = sorted((POLNEAR_DIR / "dev" / "text").glob("*.txt"))[:n_articles]
    if not paths:
        return {"skipped": f"no PolNeAR dev texts under {POLNEAR_DIR}"}
    articles = [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in paths]
    config = pipeline_config(None)
    pipeline = Pipeline.from_config(config, registry=registry_for(config))
    pipeline(articles[0])  # load the models outside the timing
    encoder = SentenceEncoder()
    encoder.encode(["warm up"])
    with StanceStore(folder / "overhead.db") as store:
        start = time.perf_counter()
        for article in pipeline.pipe(articles):
            store.save_article(article)
        scoring = time.perf_counter() - start
        start = time.perf_counter()
        summary = track_claims(store, encoder, claims_config())
        linking = time.perf_counter() - start
    return {
        "articles": len(articles),
        "scoring_s": round(scoring, 2),
        "tracking_s": round(linking, 2),
        "sentences_linked": summary.sentences,
        "overhead": round(linking / scoring, 3),
    }


def synthetic_store(path: Path, size: int, rng: np.random.Generator) -> None:
    centres = rng.normal(size=(max(size // 4, 1), 384)).astype(np.float32)
    vectors = centres[rng.integers(0, len(centres), size)] + 0.3 * rng.normal(size=(size, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    words = np.array([f"w{i}" for i in range(5000)])
    with StanceStore(path) as store, store.conn:
        store.conn.execute("INSERT INTO articles (id, text) VALUES ('synthetic', 'x')")
        store.conn.executemany(
            "INSERT INTO claims (id, article_id, idx, sentence_index, start, end, text) VALUES (?, 'synthetic', ?, ?, 0, 1, 'x')",
            ((i + 1, i, i) for i in range(size)),
        )
        store.conn.executemany(
            "INSERT INTO tracked_claims (id, text, created_at) VALUES (?, 'x', '2026-01-01')", ((i + 1,) for i in range(size))
        )
        store.conn.executemany(
            "INSERT INTO claim_links (claim_id, tracked_id, text, embedding, linked_at) VALUES (?, ?, ?, ?, '2026-01-01')",
            ((i + 1, i + 1, " ".join(rng.choice(words, 12)), vectors[i].tobytes()) for i in range(size)),
        )


def scale(size: int, new: int, exact: bool, folder: Path, rng: np.random.Generator) -> dict:
    path = folder / f"scale-{size}.db"
    if not path.exists():
        synthetic_store(path, size, rng)
    config = replace(claims_config(), exact_up_to=size + new + 1 if exact else 1)
    start = time.perf_counter()
    with StanceStore(path) as store:
        tracker = ClaimTracker(config, next_id=tracked.next_tracked_id(store))
        tracker.load(tracked.members(store), tracked.merges(store))
    load = time.perf_counter() - start
    queries = rng.normal(size=(new, 384)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    start = time.perf_counter()
    for offset in range(0, new, 512):  # the nightly job's batch size
        chunk = queries[offset : offset + 512]
        tracker.link_many(chunk, ["w1 w2 w3 w4 w5 w6"] * len(chunk), [None] * len(chunk))
    elapsed = time.perf_counter() - start
    return {"stored": size, "search": "exact numpy" if exact else "faiss HNSW", "load_s": round(load, 2),
            "linked_per_s": round(new / elapsed, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--new", type=int, default=1000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    encoder = SentenceEncoder()
    texts = ["The United States has accused China of mulling arms shipments to support Russia's war"] * 256
    start = time.perf_counter()
    encoder.encode(texts)
    report = {"encoder_sentences_per_s": round(len(texts) / (time.perf_counter() - start), 1)}
    with tempfile.TemporaryDirectory() as folder:
        report["overhead"] = overhead(args.articles, Path(folder))
        report["scale"] = [scale(size, args.new, exact, Path(folder), rng) for size in args.sizes for exact in (True, False)]
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    sqlite3.enable_callback_tracebacks(False)
    main()
