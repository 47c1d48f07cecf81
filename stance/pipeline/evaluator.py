"""Evaluate the whole pipeline on the question users ask: what stance does each main actor
take in this article?

``ArticleEvaluator`` has the evaluator shape of ``stance.evaluation``: built on real
articles and their expected (actor, label) pairs (``data/articles/``, labelled at article
level under the annotation guidelines), called on a pipeline, it returns a flat report.
``primary_metric`` is ``accuracy``. The engine's answer is ``stance.aggregate.article_stances``
(statements counted once, holder first): an expected person is compared with that
person's own answer, an expected state or organisation with the answer rolled up over
everyone who speaks for it. The same run also scores the counting the engine used before
(every mention a vote), so the two can be compared on one set of predictions.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from stance.aggregate import STANCE_LABELS, article_stances
from stance.data import Article, Label, StanceRecord, stance_records
from stance.errors import DataFormatError, UnknownActorError
from stance.evaluation import Check
from stance.io.ingest import parse_published

SPLITS = ("dev", "test")
# Share of articles (by a hash of their id) in dev; the rest is test.
DEV_SHARE = 0.5
MISSING = "missing"


@dataclass(frozen=True)
class Expectation:
    """One (article, actor) pair of the evaluation set and its adjudicated label."""

    article_id: str
    actor: str
    label: Label


def split_of(article_id: str) -> str:
    """Deterministic dev/test assignment of a whole article."""
    bucket = int(hashlib.sha1(article_id.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "dev" if bucket < DEV_SHARE else "test"


def load_article_set(folder: str | Path, split: str) -> tuple[list[Article], list[Expectation]]:
    """The articles of one split and their expectations (``articles.jsonl``, ``expectations.jsonl``).

    Raises:
        DataFormatError: a file is missing, or a line is not a valid record (file:line).
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    folder = Path(folder)
    articles = []
    for where, record in _records(folder / "articles.jsonl"):
        if split_of(record["id"]) != split:
            continue
        try:
            articles.append(
                Article(id=record["id"], text=record["text"], title=record.get("title"),
                        published=parse_published(record.get("published")), url=record.get("url"))
            )
        except (KeyError, ValueError) as exc:
            raise DataFormatError(f"bad article record: {exc}", *where) from None
    ids = {article.id for article in articles}
    expectations = []
    for where, record in _records(folder / "expectations.jsonl"):
        try:
            expectation = Expectation(record["article_id"], record["actor"], Label(record["label"]))
        except (KeyError, ValueError) as exc:
            raise DataFormatError(f"bad expectation record: {exc}", *where) from None
        if expectation.label is Label.NONE:
            raise DataFormatError("an expectation needs a stance label, not 'none'", *where)
        if split_of(expectation.article_id) == split:
            if expectation.article_id not in ids:
                raise DataFormatError(f"unknown article {expectation.article_id!r}", *where)
            expectations.append(expectation)
    return articles, expectations


def _records(path: Path):
    if not path.exists():
        raise DataFormatError("file not found", str(path))
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                yield (str(path), number), json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFormatError(f"invalid JSON ({exc.msg})", str(path), number) from None


class ArticleEvaluator:
    """Score a pipeline's article-level answers against expected (article, actor, label)."""

    primary_metric = "accuracy"

    def __init__(self, articles: list[Article], expectations: list[Expectation], name: str = "dev"):
        self.articles = articles
        self.expectations = expectations
        self.name = name

    def __call__(self, pipeline) -> dict:
        registry = pipeline.registry
        records = [record for article in pipeline.pipe(self.articles) for record in stance_records(article)]
        # An expected person is judged as that person (with the pronouns and roles resolved
        # to them); an expected state or organisation with everyone who speaks for it.
        engine = {
            "person": _answers(article_stances(records, lambda actor_id: actor_id)),
            "rolled": _answers(article_stances(records, registry.principal)),
        }
        votes = {
            "person": _per_mention_votes(records, lambda actor_id: actor_id),
            "rolled": _per_mention_votes(records, registry.principal),
        }
        gold, keys = [], []
        for expectation in self.expectations:
            gold.append(expectation.label.value)
            keys.append(_key(registry, expectation))
        report = _scores(gold, [engine[level].get(key, MISSING) if key else MISSING for level, key in keys])
        report["baseline"] = {
            "per_mention_votes": _scores(gold, [votes[level].get(key, MISSING) if key else MISSING for level, key in keys])
        }
        report.update(
            split=self.name,
            articles=len(self.articles),
            unlinked_actors=sorted({e.actor for e, (_, key) in zip(self.expectations, keys) if key is None}),
            model_id=pipeline.model_id,
        )
        return report


def _answers(stances) -> dict[tuple[str, str], Label]:
    return {(answer.article_id, answer.actor_id): answer.label for answer in stances}


def _key(registry, expectation: Expectation) -> tuple[str, tuple[str, str] | None]:
    """Which answers an expectation is compared with: ``("person", (article, person))`` or
    ``("rolled", (article, principal))``; no key when the registry has no such actor."""
    try:
        actor = registry.resolve(expectation.actor)
    except UnknownActorError:
        return "rolled", None
    if actor.kind == "person":
        return "person", (expectation.article_id, actor.id)
    return "rolled", (expectation.article_id, registry.principal(actor.id))


def _per_mention_votes(records: list[StanceRecord], actor_of) -> dict[tuple[str, str], str]:
    """The counting before statements: every mention with a stance is one vote."""
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for record in records:
        if record.label is not Label.NONE:
            votes[(record.article_id, actor_of(record.actor_id))][record.label.value] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in votes.items()}


def _scores(gold: list[str], predicted: list) -> dict:
    """Accuracy, macro-F1 over the four stance labels, per-label P/R/F1 and actor recall;
    an actor the engine did not find counts as a wrong answer."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    predicted = [p.value if isinstance(p, Label) else p for p in predicted]
    labels = [label.value for label in STANCE_LABELS]
    n = len(gold)
    if not n:
        return {"n": 0, "accuracy": 0.0, "macro_f1": 0.0, "per_label": {}, "actor_recall": 0.0}
    precision, recall, f1, support = precision_recall_fscore_support(gold, predicted, labels=labels, zero_division=0)
    return {
        "n": n,
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted)) / n, 4),
        "macro_f1": round(float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)), 4),
        "per_label": {
            label: {"precision": round(float(precision[i]), 4), "recall": round(float(recall[i]), 4),
                    "f1": round(float(f1[i]), 4), "support": int(support[i])}
            for i, label in enumerate(labels)
        },
        "actor_recall": round(sum(p != MISSING for p in predicted) / n, 4),
    }


def gate_checks(report: dict, gates) -> list[Check]:
    """The article-level bars of ``configs/eval.yaml`` (section ``article_gates``)."""
    return [
        Check("article accuracy", report["accuracy"], ">=", gates.min_accuracy),
        Check("actor recall", report["actor_recall"], ">=", gates.min_actor_recall),
    ]


def article_eval_markdown(report: dict) -> str:
    baseline = report["baseline"]["per_mention_votes"]
    lines = [
        f"# Article-level answers on {report['split']} ({report['articles']} articles, {report['n']} expected actors)",
        "",
        f"Model `{report['model_id']}`.",
        "",
        "| counting | accuracy | macro-F1 | actor recall |",
        "|---|---|---|---|",
        f"| statements (holder first) | {report['accuracy']:.3f} | {report['macro_f1']:.3f} | {report['actor_recall']:.3f} |",
        f"| every mention a vote (before) | {baseline['accuracy']:.3f} | {baseline['macro_f1']:.3f} | {baseline['actor_recall']:.3f} |",
        "",
        "| label | precision | recall | F1 | support |",
        "|---|---|---|---|---|",
    ]
    for label, row in report["per_label"].items():
        lines.append(f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} | {row['f1']:.3f} | {row['support']} |")
    if report["unlinked_actors"]:
        lines += ["", "Expected actors the registry does not know: " + ", ".join(report["unlinked_actors"])]
    return "\n".join(lines) + "\n"
