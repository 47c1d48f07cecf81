"""Claim linking: clustering scores, the greedy linker and the evaluator on a tiny set."""

import numpy as np

from stance.claims.evaluator import ClaimEvaluator
from stance.claims.linking import link, similarity
from stance.claims.metrics import bcubed, pairwise


def test_bcubed_and_pairwise_on_a_known_case():
    gold = {"a": "1", "b": "1", "c": "2", "d": "3"}
    predicted = {"a": "x", "b": "x", "c": "x", "d": "y"}
    # B³ precision: a, b: 2/3 each, c: 1/3, d: 1 → 2.667/4; recall: all 1.
    assert bcubed(gold, predicted) == {"precision": 0.6667, "recall": 1.0, "f1": 0.8}
    # Pairs: predicted {ab, ac, bc}, gold {ab}: precision 1/3, recall 1.
    assert pairwise(gold, predicted) == {"precision": 0.3333, "recall": 1.0, "f1": 0.5}
    assert bcubed(gold, gold)["f1"] == 1.0 and pairwise(gold, gold)["f1"] == 1.0


def test_link_joins_the_most_similar_earlier_item_above_the_threshold():
    scores = np.array([
        [1.0, 0.9, 0.1, 0.2],
        [0.9, 1.0, 0.2, 0.7],
        [0.1, 0.2, 1.0, 0.1],
        [0.2, 0.7, 0.1, 1.0],
    ])
    assert link(scores, 0.6) == [0, 0, 1, 0]
    assert link(scores, 0.8) == [0, 0, 1, 2]


def test_tfidf_similarity_and_the_evaluator_with_baselines():
    texts = ["Obama founded ISIS", "Obama founded ISIS.", "Taxes rose in 2015", "The debate was civil"]
    scores = similarity(texts, None, alpha=0.0)
    assert scores[0, 1] > 0.99 and scores[0, 2] == 0.0
    statements = [{"id": f"s{i}"} for i in range(4)]
    gold = {"s0": "a", "s1": "a", "s2": "b", "s3": "c"}
    report = ClaimEvaluator(statements, gold, texts, None, "dev")({"alpha": 0.0, "threshold": 0.5, "tfidf_threshold": 0.5})
    assert report["bcubed_f1"] == 1.0 and report["pairwise"]["f1"] == 1.0
    assert report["baselines"]["exact_match"]["pairwise"]["f1"] == 1.0  # punctuation is normalised away
    assert report["baselines"]["singletons"]["pairwise"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert (report["n"], report["clusters"]) == (4, 3)
