"""Baselines the stance classifier must beat, trained on the same train split: majority
class, a cue-word lexicon and TF-IDF + logistic regression."""

from __future__ import annotations

import numpy as np

from stance.classifier.corpus import examples_of, labels_of
from stance.classifier.model import LABELS


def majority_baseline(train_labels: np.ndarray, n: int) -> np.ndarray:
    """Probability rows that always predict the most frequent train label."""
    probabilities = np.zeros((n, len(LABELS)))
    probabilities[:, np.bincount(train_labels, minlength=len(LABELS)).argmax()] = 1.0
    return probabilities


def tfidf_baseline(train_set, test_set, seed: int = 0) -> np.ndarray:
    """TF-IDF (word 1–2-grams, mention marked) + logistic regression trained on train."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    def marked(dataset):
        return [e.marked() for e in examples_of(dataset)]

    model = make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, token_pattern=r"\[unused\d\]|\b\w+\b"),
        LogisticRegression(max_iter=2000, C=5.0, random_state=seed),
    )
    train_labels = labels_of(train_set)
    model.fit(marked(train_set), train_labels)
    probabilities = np.zeros((len(test_set), len(LABELS)))
    probabilities[:, model.classes_] = model.predict_proba(marked(test_set))
    return probabilities


class CueLexiconBaseline:
    """Label a mention by the first lexicon cue after it in the claim (the holder usually
    precedes its reporting verb); a cue only before it makes it a target (``none``).

    ``fit`` learns only the fallback for cue-less claims: the most frequent train label
    among train claims that contain no cue.
    """

    def __init__(self, lexicon: dict[str, list[str]]):
        import re

        self.cues = sorted(
            ((cue.lower(), label) for label, cues in lexicon.items() for cue in cues),
            key=lambda item: -len(item[0]),
        )
        self._pattern = re.compile(r"\b(" + "|".join(re.escape(c) for c, _ in self.cues) + ")")
        self.fallback = LABELS.index("none")

    def _label_of(self, cue: str) -> str:
        return next(label for prefix, label in self.cues if cue.startswith(prefix))

    def predict_one(self, example) -> int | None:
        text = example.text.lower()
        after = self._pattern.search(text, example.end)
        if after:
            return LABELS.index(self._label_of(after.group(1)))
        if self._pattern.search(text, 0, example.start):
            return LABELS.index("none")
        return None

    def fit(self, examples, labels: np.ndarray) -> "CueLexiconBaseline":
        cueless = [label for example, label in zip(examples, labels) if self.predict_one(example) is None]
        if cueless:
            self.fallback = int(np.bincount(cueless, minlength=len(LABELS)).argmax())
        return self

    def predict_proba(self, examples) -> np.ndarray:
        probabilities = np.zeros((len(examples), len(LABELS)))
        for row, example in enumerate(examples):
            label = self.predict_one(example)
            probabilities[row, self.fallback if label is None else label] = 1.0
        return probabilities
