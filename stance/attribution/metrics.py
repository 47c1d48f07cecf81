"""Attribution extraction metrics: per-role exact-span and token-overlap F1, relation F1.

- ``exact_f1`` per role is seqeval's entity-level F1 over word BIO tags: a predicted
  span counts only if its role and both ends match a gold span.
- ``token_f1`` per role credits partial spans: precision is the share of words the
  model tags with a role that gold tags with that role, recall the converse, pooled
  over all documents.
- ``attribution_f1``: a predicted relation matches a gold one (one-to-one, greedily) when
  for each of source, cue and content the two word sets overlap with Dice ≥ ``min_dice``
  (a missing source matches only a missing source).
"""

from __future__ import annotations

from bisect import bisect_left

from seqeval.metrics import classification_report as seqeval_report

from stance.data import ROLES, Attribution, Span


def f1(tp: int, n_pred: int, n_gold: int) -> dict:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(score, 4)}


def role_scores(gold: list[list[str]], predicted: list[list[str]]) -> dict:
    """``{role: {exact_f1, token_f1, ...}}`` from word tag sequences, one per document."""
    exact = seqeval_report(gold, predicted, output_dict=True, zero_division=0)
    scores = {}
    for role in ROLES:
        tp = n_pred = n_gold = 0
        for gold_tags, pred_tags in zip(gold, predicted):
            for g, p in zip(gold_tags, pred_tags):
                g_role, p_role = g[2:], p[2:]
                n_gold += g_role == role
                n_pred += p_role == role
                tp += g_role == role and p_role == role
        token = f1(tp, n_pred, n_gold)
        scores[role] = {
            "exact_f1": round(float(exact.get(role, {}).get("f1-score", 0.0)), 4),
            "exact_precision": round(float(exact.get(role, {}).get("precision", 0.0)), 4),
            "exact_recall": round(float(exact.get(role, {}).get("recall", 0.0)), 4),
            "token_f1": token["f1"],
            "token_precision": token["precision"],
            "token_recall": token["recall"],
        }
    return scores


def relation_words(relation: Attribution, word_starts: list[int]) -> dict[str, frozenset[int]]:
    """The word indices each role of ``relation`` covers."""
    covered = {}
    for role in ROLES:
        indices: set[int] = set()
        for fragment in relation.role(role):
            indices.update(range(bisect_left(word_starts, fragment.start), bisect_left(word_starts, fragment.end)))
        covered[role] = frozenset(indices)
    return covered


def _dice(a: frozenset[int], b: frozenset[int]) -> float:
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def attribution_counts(
    gold: tuple[Attribution, ...], predicted: tuple[Attribution, ...], word_spans: list[Span], min_dice: float = 0.5
) -> tuple[int, int, int]:
    """``(matched, n_predicted, n_gold)`` for one document."""
    starts = [w.start for w in word_spans]
    gold_words = [relation_words(r, starts) for r in gold]
    unmatched = set(range(len(gold_words)))
    matched = 0
    for relation in predicted:
        pred_words = relation_words(relation, starts)
        for i in sorted(unmatched):
            if all(_dice(pred_words[role], gold_words[i][role]) >= min_dice for role in ROLES):
                unmatched.discard(i)
                matched += 1
                break
    return matched, len(predicted), len(gold)
