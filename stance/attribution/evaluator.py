"""Evaluate attribution extraction on PolNeAR: the learned tagger beside the rule baseline.

``TaggerEvaluator`` has the evaluator shape of ``stance.evaluation``: built on gold
documents, called on a tagger, it returns a flat report whose ``primary_metric``
(``selection_score``: the mean of content token-F1, cue exact F1 and source exact F1)
is what training selects on.

The baseline is the rule-based ``ClaimSegmenter`` (sentences and clauses): each of its
claims is scored as a content span, and it proposes no source, cue or relation, which
is exactly what the pipeline knew about attributions before the tagger.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stance.attribution.metrics import attribution_counts, f1, role_scores
from stance.attribution.polnear import AttributionDoc, load_compartment
from stance.attribution.tags import encode_tags, group_relations, tag_spans, words
from stance.data import Article
from stance.evaluation import Check
from stance.pipeline.segment import ClaimSegmenter

SPLITS = ("dev", "test")
MATCHING = "relation matched when source, cue and content each overlap with Dice >= 0.5"


class TaggerEvaluator:
    """Score a tagger on gold PolNeAR documents; with ``with_baseline`` also the rule
    segmenter and the grouping upper bound (training selection leaves them out: they do
    not change between epochs)."""

    primary_metric = "selection_score"

    def __init__(self, docs: list[AttributionDoc], name: str = "dev", with_baseline: bool = True, min_dice: float = 0.5):
        self.docs = docs
        self.name = name
        self.with_baseline = with_baseline
        self.min_dice = min_dice

    def __call__(self, tagger) -> dict:
        analysed = tagger.analyse([doc.text for doc in self.docs])
        report = _score(self.docs, [tags for tags, _ in analysed], [found for _, found in analysed], self.min_dice)
        report["selection_score"] = selection_score(report)
        if self.with_baseline:
            report["baseline"] = evaluate_rule_baseline(self.docs)
            report["grouping_upper_bound"] = grouping_upper_bound(self.docs, tagger.config)
            report.update(
                split=self.name,
                articles=len(self.docs),
                gold_relations=sum(len(doc.relations) for doc in self.docs),
                model_id=tagger.model_id,
                matching=MATCHING,
            )
        return report


def selection_score(report: dict) -> float:
    """Mean of content token-F1, cue exact F1 and source exact F1."""
    return float(np.mean([report["content"]["token_f1"], report["cue"]["exact_f1"], report["source"]["exact_f1"]]))


def gate_checks(report: dict, gates) -> list[Check]:
    """The tagger's bars of ``configs/eval.yaml`` (section ``tagger_gates``) on a report."""
    gain = round(report["content"]["token_f1"] - report["baseline"]["content"]["token_f1"], 4)
    return [
        Check("content token-F1", report["content"]["token_f1"], ">=", gates.min_content_token_f1),
        Check("cue exact F1", report["cue"]["exact_f1"], ">=", gates.min_cue_exact_f1),
        Check("source exact F1", report["source"]["exact_f1"], ">=", gates.min_source_exact_f1),
        Check("content token-F1 over baseline", gain, ">=", gates.min_content_gain_over_rules),
    ]


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
    would reach with the positional grouping of ``stance.attribution.tags``."""
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


def tagger_eval(split: str, polnear_dir: str | Path, tagger, limit: int | None = None) -> dict:
    """The ``stance tagger-eval`` report: tagger metrics, ``baseline`` metrics, provenance."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    return TaggerEvaluator(load_compartment(polnear_dir, split, limit=limit), split)(tagger)


def tagger_eval_markdown(report: dict) -> str:
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
