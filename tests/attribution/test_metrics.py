"""Attribution metrics against numbers computed by hand."""

from stance.attribution.metrics import attribution_counts, f1, role_scores
from stance.attribution.tags import words
from stance.data import Attribution, Span


def test_role_scores_exact_and_token_f1():
    gold = [["B-source", "B-cue", "B-content", "I-content", "I-content"]]
    predicted = [["B-source", "B-cue", "O", "B-content", "I-content"]]
    scores = role_scores(gold, predicted)
    assert scores["cue"]["exact_f1"] == 1.0
    assert scores["content"]["exact_f1"] == 0.0  # boundary off by one word
    assert scores["content"]["token_precision"] == 1.0
    assert scores["content"]["token_recall"] == round(2 / 3, 4)
    assert scores["content"]["token_f1"] == 0.8


def test_f1_from_counts_and_the_empty_case():
    assert f1(2, 4, 2) == {"precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert f1(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert f1(0, 3, 2) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def test_attribution_counts_match_relations_one_to_one_by_dice_overlap():
    text = "Aides denied it. Officials said taxes will rise."
    gold = (
        Attribution((Span(0, 5),), (Span(6, 12),), (Span(13, 15),)),
        Attribution((Span(17, 26),), (Span(27, 31),), (Span(32, 47),)),
    )
    # The second relation's content is cut to "taxes" (Dice 2*1/(1+3) = 0.5: still a match
    # at 0.5, not at 0.6); a relation without its source never matches a sourced gold one.
    shorter = Attribution((Span(17, 26),), (Span(27, 31),), (Span(32, 37),))
    sourceless = Attribution((), (Span(6, 12),), (Span(13, 15),))
    spans = words(text)
    assert attribution_counts(gold, (gold[0], shorter), spans) == (2, 2, 2)
    assert attribution_counts(gold, (gold[0], shorter), spans, 0.6) == (1, 2, 2)
    assert attribution_counts(gold, (sourceless,), spans) == (0, 1, 2)
    assert attribution_counts(gold, (gold[0], gold[0]), spans) == (1, 2, 2)
