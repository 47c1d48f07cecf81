"""Measure claim linking on the labelled clusters of ``data/claims`` (evaluator shape of
``stance.evaluation``: built on data, called on a linker setting, returns a flat report).

Each statement is turned into its proposition by the pipeline itself (the attribution
tagger, links, holders and the ``propose`` stage run on the statement), so "Trump said X"
and "Y denied X" are compared on X. Reports pairwise and B-cubed scores beside two
baselines: exact match after normalisation (Quotebank-style) and TF-IDF alone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from stance.claims.linking import link, similarity
from stance.claims.metrics import bcubed, pairwise
from stance.data import Article
from stance.errors import DataFormatError

_NON_WORD = re.compile(r"[^a-z0-9]+")


def load_claim_set(folder: str | Path, split: str) -> tuple[list[dict], dict[str, str]]:
    """Statements of one split (in publication order) and their gold cluster labels."""
    folder = Path(folder)
    for name in ("candidates.jsonl", "clusters.jsonl"):
        if not (folder / name).exists():
            raise DataFormatError("file not found", str(folder / name))
    clusters = {}
    for line in (folder / "clusters.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["split"] == split:
            clusters[row["id"]] = row["cluster"]
    statements = [
        row
        for row in map(json.loads, (folder / "candidates.jsonl").read_text(encoding="utf-8").splitlines())
        if row["id"] in clusters
    ]
    statements.sort(key=lambda row: (row["published"], row["id"]))
    return statements, clusters


def propositions(statements: list[dict], pipeline) -> list[str]:
    """Each statement's proposition, from the pipeline (up to ``propose``)."""
    articles = [Article(id=row["id"], text=row["text"]) for row in statements]
    texts = []
    for article in pipeline.pipe(articles):
        claims = [c for c in article.claims if c.proposition is not None]
        texts.append(" ".join(c.proposition.text for c in claims) or article.text)
    return texts


class ClaimEvaluator:
    """Link a split's statements and score the tracked claims against the gold clusters."""

    primary_metric = "bcubed_f1"

    def __init__(self, statements: list[dict], gold: dict[str, str], texts: list[str], embeddings, name: str = "dev"):
        self.statements = statements
        self.gold = gold
        self.texts = texts
        self.embeddings = embeddings
        self.name = name

    def __call__(self, setting: dict) -> dict:
        """``setting``: ``{"alpha": …, "threshold": …}`` for the hybrid linker."""
        report = self._scores(link(similarity(self.texts, self.embeddings, setting["alpha"]), setting["threshold"]))
        report["baselines"] = {
            # Every statement its own claim: B-cubed is high on a set of mostly singletons,
            # so this row says how much of a score linking actually earns.
            "singletons": self._scores(list(range(len(self.texts)))),
            "exact_match": self._scores(_exact(self.texts)),
            "tfidf": self._scores(link(similarity(self.texts, None, 0.0), setting.get("tfidf_threshold", setting["threshold"]))),
        }
        report.update(split=self.name, n=len(self.statements), clusters=len(set(self.gold.values())), setting=setting)
        return report

    def _scores(self, labels: list[int]) -> dict:
        predicted = {row["id"]: str(label) for row, label in zip(self.statements, labels)}
        b3 = bcubed(self.gold, predicted)
        return {"pairwise": pairwise(self.gold, predicted), "bcubed": b3, "bcubed_f1": b3["f1"]}


def _exact(texts: list[str]) -> list[int]:
    seen: dict[str, int] = {}
    return [seen.setdefault(_NON_WORD.sub(" ", text.lower()).strip(), len(seen)) for text in texts]


def claim_eval_markdown(report: dict) -> str:
    rows = [("hybrid linker", report), ("every statement alone", report["baselines"]["singletons"]),
            ("exact match (Quotebank-style)", report["baselines"]["exact_match"]), ("TF-IDF only", report["baselines"]["tfidf"])]
    lines = [
        f"# Claim linking on {report['split']} ({report['n']} statements, {report['clusters']} gold clusters)",
        "",
        f"Setting: {json.dumps(report['setting'])}",
        "",
        "| system | pairwise P | pairwise R | pairwise F1 | B³ P | B³ R | B³ F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, part in rows:
        p, b = part["pairwise"], part["bcubed"]
        lines.append(f"| {name} | {p['precision']:.3f} | {p['recall']:.3f} | {p['f1']:.3f} | {b['precision']:.3f} | {b['recall']:.3f} | {b['f1']:.3f} |")
    return "\n".join(lines) + "\n"
