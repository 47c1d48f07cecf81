"""Measure claim tracking on the labelled clusters of ``data/claims`` (evaluator shape of
``stance.evaluation``: built on data, called on a linker setting, returns a flat report).

Each statement is run through the whole pipeline, as an article of its own, and linked as
the store links a sentence (``statement_text``: its claims' propositions), by the same
``ClaimTracker``, in publication order: "Trump said X" and "Y denied X" are compared on X. Reported beside two baselines: exact match after normalisation
(Quotebank-style) and TF-IDF alone, both linked the greedy way.

Positions are scored against the adjudicated ``positions.jsonl``: for a statement whose
gold holder is named, the engine's position for the claim whose attributed source covers
that name; for the outlet's own voice, the position the statement's main clause gives
(``main_attribution``: its holder's, or the outlet reporting).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stance.claims.linking import link, similarity
from stance.claims.metrics import bcubed, pairwise
from stance.claims.positions import best_labels, claim_positions
from stance.claims.tracker import ClaimTracker
from stance.config import ClaimsConfig
from stance.data import Article, Claim
from stance.errors import DataFormatError
from stance.evaluation import Check

_NON_WORD = re.compile(r"[^a-z0-9]+")


def _read_jsonl(path: Path) -> list[dict]:
    if not path.exists():
        raise DataFormatError("file not found", str(path))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_claim_set(folder: str | Path, split: str) -> tuple[list[dict], dict[str, str], dict[str, dict]]:
    """Statements of one split (in publication order), their gold cluster labels, and their
    gold positions (``{holder, position}`` by id; empty when ``positions.jsonl`` is absent)."""
    folder = Path(folder)
    candidates = _read_jsonl(folder / "candidates.jsonl")
    clusters = {row["id"]: row["cluster"] for row in _read_jsonl(folder / "clusters.jsonl") if row["split"] == split}
    statements = sorted((row for row in candidates if row["id"] in clusters), key=lambda row: (row["published"], row["id"]))
    positions = {}
    if (folder / "positions.jsonl").exists():
        positions = {row["id"]: row for row in _read_jsonl(folder / "positions.jsonl") if row["id"] in clusters}
    return statements, clusters, positions


def main_attribution(article: Article, doc) -> Claim | None:
    """The claim whose attribution is the statement's main clause: its cue holds the
    sentence's root verb ("X said P": said). ``None``: the main clause is the outlet's own
    ("More troubling was Trump's unwillingness to …"). ``doc``: the spaCy parse of
    ``article.text``."""
    root = max(doc.sents, key=len).root.idx
    for claim in article.claims:
        if claim.attribution is not None and any(span.start <= root < span.end for span in claim.attribution.cue):
            return claim
    return None


def claim_position(claim: Claim) -> str | None:
    """The position ``claim`` gives its holder (``stance.claims.positions``); the first one
    when it gives several, ``None`` when it gives none."""
    attribution = claim.attribution
    labels = best_labels((s.actor_id, s.label.value, s.confidence) for s in claim.stances)
    given = claim_positions(attribution is not None, attribution.holder_id if attribution else None, labels)
    return given[0][1] if given else None


def statement_text(claims: list[Claim], fallback: str) -> str:
    """What one sentence's claims put forward, as linked: the propositions of its claims,
    joined, leaving out pointer-back denials (they repeat what they answer); ``fallback``
    (the sentence) when no claim has a proposition of its own."""
    own = [claim.proposition.text for claim in claims if claim.proposition is not None and claim.proposition.answers is None]
    return " ".join(own) or fallback


@dataclass(frozen=True)
class StatementRun:
    """What the engine made of one statement: the text it links, and the positions it
    would store, by attributed source span (``None``: the outlet's voice)."""

    proposition: str
    positions: tuple[tuple[tuple[int, int] | None, str | None], ...]
    principal_position: str | None


def run_statements(statements: list[dict], pipeline, parse) -> list[StatementRun]:
    """Each statement through ``pipeline`` (which must end with ``propose``, and with
    ``classify`` for positions); ``parse``: text → spaCy doc, for the main clause."""
    runs = []
    for row, article in zip(statements, pipeline.pipe([Article(id=r["id"], text=r["text"]) for r in statements])):
        main = main_attribution(article, parse(article.text))
        positions = []
        for claim in article.claims:
            source = claim.attribution.source_extent if claim.attribution is not None else None
            positions.append(((source.start, source.end) if source else None, claim_position(claim)))
        runs.append(
            StatementRun(
                proposition=statement_text(list(article.claims), row["text"]),
                positions=tuple(positions),
                principal_position=claim_position(main) if main is not None else "reports",
            )
        )
    return runs


class ClaimEvaluator:
    """Link a split's statements and score the tracked claims and positions against gold."""

    primary_metric = "bcubed_f1"

    def __init__(self, statements, gold, runs: list[StatementRun], embeddings: np.ndarray, positions=None, name="dev"):
        self.statements = statements
        self.gold = gold
        self.runs = runs
        self.texts = [run.proposition for run in runs]
        self.embeddings = embeddings
        self.gold_positions = positions or {}
        self.name = name

    def __call__(self, setting: ClaimsConfig) -> dict:
        report = self._scores(self.labels(setting))
        report["position_accuracy"], report["positions_scored"] = self._position_accuracy()
        report["baselines"] = {
            # Every statement its own claim: B-cubed is high on a set of mostly singletons,
            # so this row says how much of a score linking actually earns.
            "singletons": self._scores(list(range(len(self.texts)))),
            "exact_match": self._scores(_exact(self.texts)),
            "tfidf": self._scores(link(similarity(self.texts, None, 0.0), setting.tfidf_threshold)),
        }
        report.update(
            split=self.name,
            n=len(self.statements),
            clusters=len(set(self.gold.values())),
            multi_statement_clusters=sum(1 for c in set(self.gold.values()) if list(self.gold.values()).count(c) > 1),
            setting={"alpha": setting.alpha, "threshold": setting.threshold, "tfidf_threshold": setting.tfidf_threshold},
        )
        return report

    def labels(self, setting: ClaimsConfig) -> list[int]:
        """Tracked-claim id of each statement, linked in publication order as the store links
        a sentence."""
        tracker = ClaimTracker(setting, dim=self.embeddings.shape[1])
        labels = [tracker.link(vector, text).tracked_id for vector, text in zip(self.embeddings, self.texts)]
        return [tracker.resolve(label) for label in labels]

    def _scores(self, labels: list[int]) -> dict:
        predicted = {row["id"]: str(label) for row, label in zip(self.statements, labels)}
        b3 = bcubed(self.gold, predicted)
        return {"pairwise": pairwise(self.gold, predicted), "bcubed": b3, "bcubed_f1": b3["f1"]}

    def _position_accuracy(self) -> tuple[float | None, int]:
        scored = correct = 0
        for row, run in zip(self.statements, self.runs):
            gold = self.gold_positions.get(row["id"])
            if gold is None:
                continue
            scored += 1
            correct += int(_engine_position(row["text"], gold["holder"], run) == gold["position"])
        return (round(correct / scored, 4) if scored else None), scored


def _engine_position(text: str, holder: str | None, run: StatementRun) -> str | None:
    if holder is None:
        return run.principal_position
    start = text.find(holder)
    end = start + len(holder)
    for source, position in run.positions:
        if source is not None and source[0] < end and start < source[1]:
            return position
    return None


def _exact(texts: list[str]) -> list[int]:
    seen: dict[str, int] = {}
    return [seen.setdefault(_NON_WORD.sub(" ", text.lower()).strip(), len(seen)) for text in texts]


def gate_checks(report: dict, gates) -> list[Check]:
    """The claim-tracking bars of ``configs/eval.yaml`` (section ``claim_gates``)."""
    tfidf = report["baselines"]["tfidf"]["bcubed_f1"]
    return [
        Check("claim B-cubed F1", report["bcubed_f1"], ">=", gates.min_bcubed_f1),
        Check("B-cubed gain over TF-IDF", round(report["bcubed_f1"] - tfidf, 4), ">=", gates.min_bcubed_gain_over_tfidf),
        Check("position accuracy", report["position_accuracy"] or 0.0, ">=", gates.min_position_accuracy),
    ]


def claim_eval_markdown(report: dict) -> str:
    rows = [("tracker (hybrid)", report), ("every statement alone", report["baselines"]["singletons"]),
            ("exact match (Quotebank-style)", report["baselines"]["exact_match"]), ("TF-IDF only", report["baselines"]["tfidf"])]
    lines = [
        f"# Claim tracking on {report['split']} ({report['n']} statements, {report['clusters']} gold clusters, "
        f"{report['multi_statement_clusters']} with two or more statements)",
        "",
        f"Setting: {json.dumps(report['setting'])}",
        "",
        "| system | pairwise P | pairwise R | pairwise F1 | B³ P | B³ R | B³ F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, part in rows:
        p, b = part["pairwise"], part["bcubed"]
        lines.append(f"| {name} | {p['precision']:.3f} | {p['recall']:.3f} | {p['f1']:.3f} | {b['precision']:.3f} | {b['recall']:.3f} | {b['f1']:.3f} |")
    accuracy = report["position_accuracy"]
    lines += ["", f"Position accuracy: {accuracy if accuracy is not None else 'n/a'} over {report['positions_scored']} statements with gold positions."]
    return "\n".join(lines) + "\n"
