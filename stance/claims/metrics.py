"""Clustering scores for claim linking: pairwise and B-cubed precision, recall and F1.

Pairwise scores count statement pairs put in one cluster; B-cubed (Bagga & Baldwin 1998)
averages, per statement, how much of its predicted cluster is right (precision) and how
much of its true cluster it was put with (recall), so large clusters do not dominate.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations


def _prf(precision: float, recall: float) -> dict:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def bcubed(gold: dict[str, str], predicted: dict[str, str]) -> dict:
    """B-cubed scores of ``predicted`` cluster labels against ``gold`` ones (same keys)."""
    gold_members, predicted_members = defaultdict(set), defaultdict(set)
    for item, label in gold.items():
        gold_members[label].add(item)
    for item, label in predicted.items():
        predicted_members[label].add(item)
    if not gold:
        return _prf(0.0, 0.0)
    precision = recall = 0.0
    for item in gold:
        same_gold, same_predicted = gold_members[gold[item]], predicted_members[predicted[item]]
        overlap = len(same_gold & same_predicted)
        precision += overlap / len(same_predicted)
        recall += overlap / len(same_gold)
    return _prf(precision / len(gold), recall / len(gold))


def pairwise(gold: dict[str, str], predicted: dict[str, str]) -> dict:
    """Precision, recall and F1 over the pairs of items put in one cluster."""
    true_pairs = predicted_pairs = both = 0
    for x, y in combinations(sorted(gold), 2):
        in_gold, in_predicted = gold[x] == gold[y], predicted[x] == predicted[y]
        true_pairs += in_gold
        predicted_pairs += in_predicted
        both += in_gold and in_predicted
    precision = both / predicted_pairs if predicted_pairs else 0.0
    recall = both / true_pairs if true_pairs else 0.0
    return _prf(precision, recall)
