"""Scaling benchmark: do the model-free stages (clean, segment, link) stay linear on long,
adversarial articles?

Usage: python scripts/bench/bench_scaling.py [--sizes 10000 50000 100000 200000] [--repeat 3]
       [--patterns semicolons dashes ...] [--budget 60] [--json FILE]

Any article up to ``ingest.max_chars`` (200k) is accepted, so a stage whose cost grows with
the square of a sentence's length lets one pasted log or spam page stall a whole batch. Each
pattern (below) is cut to each size and run through the stages as configured in
configs/pipeline.yaml; the best of ``--repeat`` runs is kept. The figure to watch is
``ratio``: microseconds per character at the largest size over the smallest (about 1 when
linear, about 20 when quadratic from 10k to 200k). Once a size takes longer than
``--budget`` seconds the larger sizes of that pattern are skipped, so the script also
finishes on a quadratic build. Numbers, not assertions.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

from stance.cli.defaults import EXAMPLE_ARTICLE, pipeline_config, registry_for  # noqa: E402
from stance.data import Article  # noqa: E402
from stance.pipeline import Pipeline  # noqa: E402

STAGES = ("clean", "segment", "link")


def _prose_unit() -> str:
    # Every copy's paragraphs are made unique, or the cleaner drops them as duplicates.
    paragraphs = [line.strip() for line in EXAMPLE_ARTICLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return "\n\n".join(f"Update {{copy}}: {p}" for p in paragraphs) + "\n\n"


# name -> (what it stresses, repeated unit; "{copy}" is replaced by the copy's number)
PATTERNS = {
    "semicolons": ("'a; ' repeated: one sentence, a clause separator every 3 characters", "a; "),
    "dashes": ("' — ' repeated: one sentence of dash separators and no words", " — "),
    "prose": ("the seed article repeated, paragraphs numbered so none is a duplicate", _prose_unit()),
    "run-on": (
        "one sentence without punctuation, with actor names",
        "the talks between China and Russia went on while the United States and the West watched and ",
    ),
    "initials": ("'A. ' repeated: tiny sentences, each an initial, so none ends the sentence", "A. "),
    "tiny-sentences": ("'Yes. ' repeated: many one-word sentences", "Yes. "),
    "lines": ("one short numbered paragraph per line", "Line {copy} ends here.\n"),
}


def synthetic_text(unit: str, size: int) -> str:
    """``unit`` repeated (numbering copies where it asks) and cut to ``size`` characters."""
    parts, length, copy = [], 0, 0
    while length < size:
        part = unit.replace("{copy}", str(copy)) if "{copy}" in unit else unit
        parts.append(part)
        length += len(part)
        copy += 1
    return "".join(parts)[:size]


def time_stages(pipeline: Pipeline, text: str, repeat: int) -> dict:
    """Best-of-``repeat`` seconds per stage, and what the last run produced."""
    best = {stage.name: float("inf") for stage in pipeline.stages}
    for _ in range(repeat):
        article = Article(id="bench", text=text)
        for stage in pipeline.stages:
            started = time.perf_counter()
            article = stage(article)
            best[stage.name] = min(best[stage.name], time.perf_counter() - started)
    return {
        "seconds": {name: round(s, 4) for name, s in best.items()} | {"total": round(sum(best.values()), 4)},
        "claims": len(article.claims),
        "mentions": sum(len(c.mentions) for c in article.claims),
    }


def bench_pattern(pipeline: Pipeline, unit: str, sizes: list[int], repeat: int, budget: float) -> dict:
    runs = []
    for size in sizes:
        if runs and ("skipped" in runs[-1] or runs[-1]["seconds"]["total"] > budget):
            runs.append({"chars": size, "skipped": f"the previous size took over {budget} s"})
            continue
        run = time_stages(pipeline, synthetic_text(unit, size), repeat)
        runs.append({"chars": size, **run, "us_per_char": round(1e6 * run["seconds"]["total"] / size, 3)})
    measured = [r for r in runs if "us_per_char" in r]
    first, last = measured[0], measured[-1]
    return {
        "runs": runs,
        "ratio": round(last["us_per_char"] / max(first["us_per_char"], 1e-9), 2),
        "ratio_sizes": [first["chars"], last["chars"]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 100_000, 200_000])
    parser.add_argument("--patterns", nargs="+", choices=sorted(PATTERNS), default=list(PATTERNS))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0, help="Skip larger sizes after a run this slow (s).")
    parser.add_argument("--json", default=None, help="Also write the report here.")
    args = parser.parse_args()
    config = pipeline_config(None)
    pipeline = Pipeline.from_config(config, registry=registry_for(config), stages=STAGES)
    patterns = {}
    for name in args.patterns:
        description, unit = PATTERNS[name]
        result = bench_pattern(pipeline, unit, sorted(args.sizes), args.repeat, args.budget)
        patterns[name] = {"description": description, **result}
        print(f"{name}: ratio {result['ratio']} over {result['ratio_sizes']} chars", file=sys.stderr)
    report = {
        "stages": list(STAGES),
        "sizes": sorted(args.sizes),
        "repeat": args.repeat,
        "patterns": patterns,
        "worst_ratio": max(p["ratio"] for p in patterns.values()),
    }
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
