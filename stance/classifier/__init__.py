"""The stance classifier: model, network, corpus, trainer, evaluator, baselines and card."""

from stance.classifier.model import LABELS, MentionExample, Prediction, StanceClassifier

__all__ = ["LABELS", "MentionExample", "Prediction", "StanceClassifier"]
