"""Evaluate attribution extraction on PolNeAR: the learned tagger beside the rule baseline.

The baseline is the rule-based ``ClaimSegmenter`` (sentences and clauses): each of its
claims is scored as a content span, and it proposes no source, cue or relation, which
is exactly what the pipeline knew about attributions before the tagger.
"""

from __future__ import annotations

from pathlib import Path

from stance.config import PROJECT_DIR
from stance.data import Article
from stance.polnear import AttributionDoc, load_compartment
from stance.segment_metrics import attribution_counts, f1, role_scores
from stance.segmenter import ClaimSegmenter
from stance.tagging import encode_tags, group_relations, tag_spans, words

DEFAULT_POLNEAR = PROJECT_DIR.parent / "shared" / "data" / "polnear"
SPLITS = ("dev", "test")


def evaluate_tagger(tagger, docs: list[AttributionDoc], min_dice: float = 0.5) -> dict:
    """Per-role exact/token F1 and attribution F1 of ``tagger`` on gold ``docs``."""
    analysed = tagger.analyse([doc.text for doc in docs])
    return _score(docs, [tags for tags, _ in analysed], [relations for _, relations in analysed], min_dice)


def evaluate_rule_baseline(docs: list[AttributionDoc], segmenter: ClaimSegmenter | None = None) -> dict:
    segmenter = segmenter or ClaimSegmenter()
    predicted_tags = []
    for doc in docs:
        word_spans = words(doc.text)
        tags = ["O"] * len(word_spans)
        starts = [w.start for w in word_spans]
        claims = segmenter(Article(id=doc.name, text=doc.text)).claims
        for claim in claims:
            inside = [i for i, start in enumerate(starts) if claim.start <= start < claim.end]
            for position, i in enumerate(inside):
                tags[i] = "B-content" if position == 0 else "I-content"
        predicted_tags.append(tags)
    return _score(docs, predicted_tags, [() for _ in docs])


def grouping_upper_bound(docs: list[AttributionDoc], config) -> float:
    """Attribution F1 when the gold tags are grouped into relations: what a perfect tagger
    would reach with the positional grouping of ``stance.tagging``."""
    counts = [0, 0, 0]
    for doc in docs:
        word_spans = words(doc.text)
        tags = encode_tags(word_spans, doc.relations)
        relations = group_relations(tag_spans(tags), word_spans, config.max_content_gap, config.max_source_gap)
        counts = [a + b for a, b in zip(counts, attribution_counts(doc.relations, relations, word_spans))]
    return f1(*counts)["f1"]


def _score(docs, predicted_tags, predicted_relations, min_dice: float = 0.5) -> dict:
    gold_tags, counts = [], [0, 0, 0]
    for doc, relations in zip(docs, predicted_relations):
        word_spans = words(doc.text)
        gold_tags.append(encode_tags(word_spans, doc.relations))
        counts = [a + b for a, b in zip(counts, attribution_counts(doc.relations, relations, word_spans, min_dice))]
    report = role_scores(gold_tags, predicted_tags)
    attribution = f1(*counts)
    report["attribution_f1"] = attribution["f1"]
    report["attribution"] = dict(attribution, matched=counts[0], predicted=counts[1], gold=counts[2])
    return report


def segment_eval(
    split: str = "dev",
    limit: int | None = None,
    polnear_dir: str | Path | None = None,
    tagger=None,
) -> dict:
    """The ``stance segment-eval`` report: tagger metrics, ``baseline`` metrics, provenance."""
    from stance.attribution import AttributionTagger

    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    docs = load_compartment(polnear_dir or DEFAULT_POLNEAR, split, limit=limit)
    tagger = tagger or AttributionTagger.load()
    report = evaluate_tagger(tagger, docs)
    report["baseline"] = evaluate_rule_baseline(docs)
    report["grouping_upper_bound"] = grouping_upper_bound(docs, tagger.config)
    report.update(
        split=split,
        articles=len(docs),
        gold_relations=sum(len(doc.relations) for doc in docs),
        model_id=tagger.model_id,
        matching="relation matched when source, cue and content each overlap with Dice >= 0.5",
    )
    return report


def segment_eval_markdown(report: dict) -> str:
    lines = [
        f"# Attribution extraction on PolNeAR {report['split']} ({report['articles']} articles, "
        f"{report['gold_relations']} relations)",
        "",
        f"Model `{report['model_id']}`; baseline: rule-based sentence/clause segmenter.",
        "",
        "| role | exact F1 | token F1 | baseline exact F1 | baseline token F1 |",
        "|---|---|---|---|---|",
    ]
    for role in ("source", "cue", "content"):
        ours, base = report[role], report["baseline"][role]
        lines.append(
            f"| {role} | {ours['exact_f1']:.3f} | {ours['token_f1']:.3f} | {base['exact_f1']:.3f} | {base['token_f1']:.3f} |"
        )
    lines += [
        f"| attribution (all three roles) | {report['attribution_f1']:.3f} | | {report['baseline']['attribution_f1']:.3f} | |",
        "",
        f"Relations: {report['attribution']['matched']} matched of {report['attribution']['predicted']} predicted "
        f"and {report['attribution']['gold']} gold; {report['matching']}.",
        "",
    ]
    return "\n".join(lines)
