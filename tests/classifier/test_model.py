"""The classifier wrapper: mention marking, predictions, and clear errors for missing or
broken model folders (no weights are loaded)."""

import json

import pytest

from stance.classifier import LABELS, MentionExample, Prediction, StanceClassifier
from stance.data import Label
from stance.errors import ModelNotLoadedError


def test_classifier_marks_the_mention():
    example = MentionExample("Xi met Putin.", 7, 12)
    assert example.marked() == "Xi met [unused0] Putin [unused1]."


def test_classifier_load_without_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelNotLoadedError, match="no stance model in"):
        StanceClassifier.load(tmp_path)


def test_models_saved_before_ensembles_load_as_one_member():
    from stance.classifier.model import members_of

    legacy = {"config": {"seed": 13}, "best_epoch": 2, "dev_f1_macro": 0.8, "history": [], "weight_averaging": None}
    assert members_of(legacy) == [
        {"dir": ".", "seed": 13, "best_epoch": 2, "dev_f1_macro": 0.8, "history": [], "weight_averaging": None}
    ]


def test_an_ensemble_missing_a_member_file_is_a_clear_error(tmp_path):
    import shutil

    from stance.classifier.model import DEFAULT_MODEL_DIR

    model_dir = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, model_dir)
    member = json.loads((model_dir / "stance_model.json").read_text())["members"][-1]["dir"]
    (model_dir / member / "head.safetensors").unlink()
    with pytest.raises(ModelNotLoadedError, match=rf"{member}: missing head.safetensors"):
        StanceClassifier.load(model_dir)


def test_prediction_confidence_is_the_score_of_its_label():
    prediction = Prediction(Label.DENY, {"support": 0.1, "critical": 0.1, "neutral": 0.05, "deny": 0.7, "none": 0.05})
    assert prediction.confidence == 0.7
    assert LABELS == ["support", "critical", "neutral", "deny", "none"]
