"""Throughput benchmark: rule stages (articles/s), attribution tagger (word pieces/s) and
classifier (mentions/s).

Usage: python scripts/bench/bench_pipeline.py [--repeat 20] [--threads 2]

Reports the measured rates and their ratio to the reference rate of this machine
class (~350 claim-length sequences/s for MiniLM inference on 2 threads, from the
developers' guide), plus peak resident memory. Numbers, not assertions: run it
before and after a change and compare the ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from dataclasses import replace

from stance.actors import ActorRegistry
from stance.attribution.model import AttributionTagger, encode_article
from stance.classifier.model import MentionExample, StanceClassifier
from stance.cli.defaults import EXAMPLE_ARTICLE, config_file
from stance.config import AttributionConfig, ClassifierConfig, PipelineConfig
from stance.io.ingest import read_articles
from stance.pipeline import Pipeline

REFERENCE_SEQUENCES_PER_SECOND = 350.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    (article,) = list(read_articles(EXAMPLE_ARTICLE))
    articles = [replace(article, id=f"{article.id}-{i}") for i in range(args.repeat)]
    rules = Pipeline.from_config(
        PipelineConfig(stages=("clean", "segment", "link")),
        registry=ActorRegistry.from_yaml(config_file("actors.yaml")),
    )

    started = time.perf_counter()
    linked = [rules(item) for item in articles]
    rule_seconds = time.perf_counter() - started

    examples = [
        MentionExample(c.text, m.start - c.start, m.end - c.start)
        for item in linked for c in item.claims for m in c.mentions
    ]
    classifier = StanceClassifier.load(config=ClassifierConfig(num_threads=args.threads))
    classifier.predict_proba(examples[:32])  # warm-up
    started = time.perf_counter()
    classifier.predict_proba(examples)
    model_seconds = time.perf_counter() - started
    rate = len(examples) / model_seconds

    tagger = AttributionTagger.load(config=AttributionConfig(num_threads=args.threads))
    texts = [item.text for item in articles[: max(1, args.repeat // 4)]]
    tagger.word_tags(texts[:1])  # warm-up
    pieces = sum(len(encode_article(tagger.tokenizer, text).input_ids) for text in texts)
    started = time.perf_counter()
    tagger.word_tags(texts)
    tagger_seconds = time.perf_counter() - started
    # Windows overlap by half, so each piece is encoded about twice.
    windows_per_s = pieces / (tagger.config.stride * tagger_seconds)
    print(json.dumps({
        "articles": len(articles),
        "rule_stages_articles_per_s": round(len(articles) / rule_seconds, 1),
        "mentions": len(examples),
        "classifier_mentions_per_s": round(rate, 1),
        "classifier_ratio_to_reference": round(rate / REFERENCE_SEQUENCES_PER_SECOND, 2),
        "tagger_articles_per_s": round(len(texts) / tagger_seconds, 2),
        "tagger_pieces_per_s": round(pieces / tagger_seconds, 1),
        "tagger_windows_per_s": round(windows_per_s, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "threads": args.threads,
    }, indent=2))


if __name__ == "__main__":
    main()
