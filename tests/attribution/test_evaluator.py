"""The tagger's evaluator on tiny documents: the rule baseline, a stand-in tagger that
returns the gold tags, and the quality bars (no model)."""

import pytest

from stance.attribution.evaluator import (
    TaggerEvaluator,
    evaluate_rule_baseline,
    gate_checks,
    selection_score,
    tagger_eval,
    tagger_eval_markdown,
)
from stance.attribution.polnear import AttributionDoc
from stance.attribution.tags import encode_tags, words
from stance.config import AttributionConfig, TaggerGates
from stance.data import Attribution, Span
from stance.evaluation import failed_checks

TEXT = "“We will win,” Trump said, “in November.” Aides denied it."
RELATIONS = (
    Attribution(source=(Span(15, 20),), cue=(Span(21, 25),), content=(Span(1, 12), Span(28, 39))),
    Attribution(source=(Span(42, 47),), cue=(Span(48, 54),), content=(Span(55, 57),)),
)


class GoldTagger:
    """Tags every document exactly as its gold relations say."""

    model_id = "gold@0000000000"
    config = AttributionConfig()

    def __init__(self, docs):
        self._relations = {doc.text: doc.relations for doc in docs}

    def analyse(self, texts):
        return [(encode_tags(words(text), self._relations[text]), self._relations[text]) for text in texts]


def test_baseline_on_a_tiny_document():
    text = "Aides denied it. Taxes rose."
    doc = AttributionDoc("t", text, (Attribution((Span(0, 5),), (Span(6, 12),), (Span(13, 15),)),))
    report = evaluate_rule_baseline([doc])
    # Both sentences (7 words with punctuation) become content; only "it" is gold content.
    assert report["content"]["token_recall"] == 1.0
    assert report["content"]["token_precision"] == round(1 / 7, 4)


def test_a_tagger_that_returns_the_gold_tags_scores_one_beside_the_baseline():
    doc = AttributionDoc("a", TEXT, RELATIONS)
    report = TaggerEvaluator([doc], "dev")(GoldTagger([doc]))
    assert [report[role]["exact_f1"] for role in ("source", "cue", "content")] == [1.0, 1.0, 1.0]
    assert report["attribution"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "matched": 2, "predicted": 2, "gold": 2}
    assert report["selection_score"] == selection_score(report) == 1.0
    assert (report["split"], report["articles"], report["gold_relations"], report["model_id"]) == ("dev", 1, 2, "gold@0000000000")
    assert report["baseline"]["attribution_f1"] == 0.0 and report["grouping_upper_bound"] == 1.0
    markdown = tagger_eval_markdown(report)
    assert markdown.splitlines()[0] == "# Attribution extraction on PolNeAR dev (1 articles, 2 relations)"
    assert "| cue | 1.000 | 1.000 | 0.000 | 0.000 |" in markdown
    assert "Relations: 2 matched of 2 predicted and 2 gold;" in markdown


def test_training_selection_leaves_the_baseline_out():
    doc = AttributionDoc("a", TEXT, RELATIONS)
    report = TaggerEvaluator([doc], with_baseline=False)(GoldTagger([doc]))
    assert TaggerEvaluator.primary_metric == "selection_score"
    assert "baseline" not in report and report["selection_score"] == 1.0


def test_tagger_gate_checks_name_each_failed_bar():
    report = {
        "content": {"token_f1": 0.8},
        "cue": {"exact_f1": 0.7},
        "source": {"exact_f1": 0.75},
        "baseline": {"content": {"token_f1": 0.72}},
    }
    assert failed_checks(gate_checks(report, TaggerGates())) == [
        "cue exact F1 0.7000 (gate >= 0.8)",
        "content token-F1 over baseline 0.0800 (gate >= 0.1)",
    ]


def test_tagger_eval_rejects_an_unknown_split(tmp_path):
    with pytest.raises(ValueError, match="split must be one of"):
        tagger_eval("train", tmp_path, GoldTagger([]))
