"""End-to-end speed benchmark: the current pipeline beside a faster one, in the same run.

Usage: python scripts/bench/bench_speed.py [--articles 30] [--variants current fast] [--json FILE]

For each variant (a set of pipeline-config overrides, below), a fresh subprocess loads the
models (load time), scores PolNeAR dev articles stage by stage (time per stage), and reports
articles/s, mentions/s and its peak RSS. The **encoder-pass ratio** is the time of one plain
forward pass of the base encoder over all the articles' word pieces in 256-piece windows,
measured in this run, divided by the variant's scoring time: it does not depend on the
machine (1.0 would be a pipeline costing one encoder pass).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT))

# name -> (description, pipeline config file)
VARIANTS = {
    "filed": (
        "as when issue 15 was filed: configs/pipeline.yaml run through transformers + peft (adapters merged by peft)",
        "configs/pipeline.yaml",
    ),
    "current": ("three-member ensemble, tagger windows overlapping by half", "configs/pipeline.yaml"),
    "fast": ("distilled single-model classifier, tagger windows overlapping by 32 pieces", "configs/pipeline_fast.yaml"),
}


def dev_articles(n: int):
    from stance.cli.defaults import POLNEAR_DIR
    from stance.data import Article

    paths = sorted((POLNEAR_DIR / "dev" / "text").glob("*.txt"))[:n]
    if not paths:
        raise SystemExit(f"no PolNeAR dev texts under {POLNEAR_DIR}")
    return [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in paths]


def run_variant(name: str, n: int) -> dict:
    """Load, then score stage by stage; in its own process so load time and RSS are its own."""
    from stance.cli.defaults import pipeline_config, registry_for
    from stance.pipeline import Pipeline

    if name == "filed":
        use_transformers_runtime()
    config = pipeline_config(PROJECT / VARIANTS[name][1])
    articles = dev_articles(n)
    start = time.perf_counter()
    pipeline = Pipeline.from_config(config, registry=registry_for(config))
    pipeline(replace(articles[0], id="warm-up", text=articles[0].text[:400]))  # loads every model
    load = time.perf_counter() - start
    stages, stream = {}, articles
    total = time.perf_counter()
    for stage in pipeline.stages:
        start = time.perf_counter()
        stream = list(stage.pipe(stream, batch_size=32))
        stages[stage.name] = round(time.perf_counter() - start, 2)
    elapsed = time.perf_counter() - total
    mentions = sum(len(claim.mentions) for article in stream for claim in article.claims)
    return {
        "variant": name,
        "description": VARIANTS[name][0],
        "model_id": pipeline.model_id,
        "load_s": round(load, 2),
        "score_s": round(elapsed, 2),
        "stages_s": stages,
        "articles_per_s": round(len(articles) / elapsed, 3),
        "mentions_per_s": round(mentions / elapsed, 1),
        "mentions": mentions,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def use_transformers_runtime() -> None:
    """Load the models through transformers + peft, as the pipeline did before
    ``stance.lora.minilm`` (same outputs: tests/lora/test_minilm.py)."""
    import stance.attribution.model as tagger_module
    import stance.classifier.model as classifier_module
    from stance.attribution.tags import TAGS
    from stance.lora.base import load_encoder, load_token_classifier
    from stance.lora.model import merge_adapter

    tagger_module.load_token_tagger = lambda model_dir, n_tags: merge_adapter(load_token_classifier(TAGS), model_dir).eval()
    classifier_module.load_adapted_encoder = lambda member_dir: (merge_adapter(load_encoder(), member_dir).eval(), {})


def encoder_pass(n: int) -> dict:
    """One plain forward pass of the base encoder over every word piece, 256-piece windows."""
    import torch

    from stance.lora.base import load_encoder, load_tokenizer

    torch.set_num_threads(2)
    tokenizer, encoder = load_tokenizer(), load_encoder().eval()
    pieces = [tokenizer.pieces(a.text)[0] for a in dev_articles(n)]
    windows = [ids[i : i + 254] for ids in pieces for i in range(0, len(ids), 254)]
    start = time.perf_counter()
    with torch.inference_mode():
        for offset in range(0, len(windows), 16):
            batch = [[tokenizer.cls_token_id, *w, tokenizer.sep_token_id] for w in windows[offset : offset + 16]]
            width = max(map(len, batch))
            ids = torch.tensor([b + [0] * (width - len(b)) for b in batch])
            mask = torch.tensor([[1] * len(b) + [0] * (width - len(b)) for b in batch])
            encoder(input_ids=ids, attention_mask=mask)
    elapsed = time.perf_counter() - start
    total = sum(map(len, pieces))
    return {"word_pieces": total, "windows": len(windows), "seconds": round(elapsed, 2), "pieces_per_s": round(total / elapsed)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--json", default=None, help="Also write the report here.")
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)  # internal: run one variant
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_variant(args.one, args.articles)))
        return
    reference = encoder_pass(args.articles)
    rows = []
    for name in args.variants:
        result = subprocess.run([sys.executable, __file__, "--one", name, "--articles", str(args.articles)],
                                capture_output=True, text=True, check=True)
        row = json.loads(result.stdout.strip().splitlines()[-1])
        row["encoder_pass_ratio"] = round(reference["seconds"] / row["score_s"], 3)
        rows.append(row)
    speedups = {row["variant"]: round(rows[0]["score_s"] / row["score_s"], 2) for row in rows}
    report = {"articles": args.articles, "encoder_pass": reference, "variants": rows, "speedup_over_first": speedups}
    print(json.dumps(report, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
