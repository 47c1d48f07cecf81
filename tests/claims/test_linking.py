"""Claim linking: clustering scores, the greedy linker and the evaluator on a tiny set."""

import numpy as np

from stance.claims.evaluator import ClaimEvaluator, StatementRun
from stance.claims.linking import link, similarity
from stance.claims.metrics import bcubed, pairwise
from stance.config import ClaimsConfig


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
    statements = [{"id": f"s{i}", "text": text} for i, text in enumerate(texts)]
    gold = {"s0": "a", "s1": "a", "s2": "b", "s3": "c"}
    runs = [StatementRun(text, (), None) for text in texts]
    # Term overlap alone (alpha 0): the first two share every content term, the rest none.
    embeddings = np.eye(4, dtype=np.float32)
    setting = ClaimsConfig(alpha=0.0, threshold=0.5, tfidf_threshold=0.5)
    report = ClaimEvaluator(statements, gold, runs, embeddings, None, "dev")(setting)
    assert report["bcubed_f1"] == 1.0 and report["pairwise"]["f1"] == 1.0
    assert report["baselines"]["exact_match"]["pairwise"]["f1"] == 1.0  # punctuation is normalised away
    assert report["baselines"]["singletons"]["pairwise"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert (report["n"], report["clusters"], report["multi_statement_clusters"]) == (4, 3, 1)
    assert report["position_accuracy"] is None and report["positions_scored"] == 0


def test_position_accuracy_matches_the_gold_holder_to_the_engine_source():
    text = "Trump said the wall will be paid for."
    statements = [{"id": "s0", "text": text}, {"id": "s1", "text": "Polls show a tie."}]
    trump = (0, 5)
    runs = [StatementRun("the wall will be paid for", ((trump, "asserts"),), "asserts"), StatementRun("Polls show a tie", ((None, "reports"),), "reports")]
    positions = {"s0": {"holder": "Trump", "position": "asserts"}, "s1": {"holder": None, "position": "reports"}}
    report = ClaimEvaluator(statements, {"s0": "a", "s1": "b"}, runs, np.eye(2, dtype=np.float32), positions, "dev")(ClaimsConfig())
    assert (report["position_accuracy"], report["positions_scored"]) == (1.0, 2)
    positions["s0"] = {"holder": "Trump", "position": "denies"}
    report = ClaimEvaluator(statements, {"s0": "a", "s1": "b"}, runs, np.eye(2, dtype=np.float32), positions, "dev")(ClaimsConfig())
    assert report["position_accuracy"] == 0.5
