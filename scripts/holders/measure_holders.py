"""Source → holder accuracy on PolNeAR dev: does the holder stage name who is speaking?

Usage:
    python scripts/holders/measure_holders.py predict --out PRED.json [--polnear DIR]
    python scripts/holders/measure_holders.py score PRED.json [PRED.json ...] [--out REPORT.json]

`predict` runs clean → attribute (with PolNeAR's *gold* attributions, so tagger errors do not
count) → link → discover (when the code has it) → holders over the dev articles of
data/holders/sources.jsonl and writes, for each sampled source, the holder it resolved. It
uses only APIs that predate the issue-12 changes, so the same script measures an older
checkout (`PYTHONPATH=<old worktree> python scripts/holders/measure_holders.py predict …`).

`score` compares predictions with data/holders/gold.jsonl (two blind passes, adjudicated):
sources whose gold actor is `none` (a poll, a report) are left out. A prediction is *exact*
when it is the gold actor, and *right at the affiliation level* when it is the gold actor or
whom it speaks for (rolled up: a campaign spokesman for the candidate).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
DATA = PROJECT / "data" / "holders"


class GoldAttributions:
    """A stand-in tagger that returns each article's gold PolNeAR attributions."""

    def __init__(self, by_text: dict):
        self.by_text = by_text

    def attributions(self, texts):
        return [self.by_text[text] for text in texts]

    relations = attributions  # the name before the rename


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def predict(out: Path, polnear: Path) -> dict:
    from stance.actors import ActorRegistry
    from stance.attribution.polnear import load_compartment
    from stance.cli.defaults import config_file
    from stance.config import PipelineConfig, load_config
    from stance.data import Article
    from stance.pipeline import STAGES, Pipeline

    sources = read(DATA / "sources.jsonl")
    wanted = {row["article"] for row in sources}
    docs = [doc for doc in load_compartment(polnear, "dev") if doc.name in wanted]
    config = load_config(config_file("pipeline.yaml"), PipelineConfig)
    registry = ActorRegistry.from_yaml(config_file(config.actors_file))
    stages = [s for s in ("clean", "attribute", "link", "discover", "holders") if s in STAGES]
    pipeline = Pipeline.from_config(
        config, registry=registry, tagger=GoldAttributions({d.text: d.relations for d in docs}), stages=stages
    )
    holders = {}
    for doc in docs:
        article = pipeline(Article(id=doc.name, text=doc.text))
        for claim in article.claims:
            attribution = claim.attribution
            if attribution is not None and attribution.source:
                span = (attribution.source[0].start, attribution.source[-1].end)
                holders[(doc.name, span)] = attribution.holder_id
    predictions = {
        row["id"]: holders.get((row["article"], (row["source_start"], row["source_end"])), "(no claim)")
        for row in sources
    }
    names = {actor_id: registry[actor_id].name for actor_id in set(predictions.values()) if actor_id and actor_id in registry.actors}
    discovered = getattr(registry, "discovered", {})
    names.update({actor_id: actor.name for actor_id, actor in discovered.items()})
    payload = {"stages": stages, "predictions": predictions, "names": names,
               "speaks_for": {a: actor.speaks_for for a, actor in discovered.items()}}
    out.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return payload


def score(prediction_files: list[Path], out: Path | None) -> dict:
    from stance.actors import Actor, ActorRegistry
    from stance.cli.defaults import config_file
    from stance.errors import UnknownActorError

    gold = {row["id"]: row for row in read(DATA / "gold.jsonl")}
    sources = {row["id"]: row for row in read(DATA / "sources.jsonl")}
    report = {}
    for path in prediction_files:
        payload = json.loads(path.read_text(encoding="utf-8"))
        registry = ActorRegistry.from_yaml(config_file("actors.yaml"))
        for actor_id, name in payload["names"].items():
            if actor_id not in registry.actors:
                registry.add_discovered(Actor(actor_id, name, "person", (name,), payload["speaks_for"].get(actor_id)))

        def resolve(name: str) -> str | None:
            if not name:
                return None
            try:
                return registry.resolve(name).id
            except UnknownActorError:
                return None

        exact = affiliation = known = 0
        by_kind: dict[str, Counter] = defaultdict(Counter)
        for source_id, row in gold.items():
            if row["actor"] == "none":
                continue
            known += 1
            predicted = payload["predictions"].get(source_id)
            gold_id, gold_for = resolve(row["actor"]), resolve(row.get("speaks_for", ""))
            hit = predicted is not None and predicted == gold_id
            near = hit or (
                predicted not in (None, "(no claim)")
                and (predicted in registry and registry.principal(predicted) in {registry.principal(g) for g in (gold_id, gold_for) if g})
            )
            exact += hit
            affiliation += near
            kind = sources[source_id]["kind"]
            by_kind[kind]["n"] += 1
            by_kind[kind]["exact"] += hit
            by_kind[kind]["affiliation"] += near
        report[path.stem] = {
            "stages": payload["stages"],
            "sources_with_known_actor": known,
            "exact_accuracy": round(exact / known, 4) if known else 0.0,
            "affiliation_accuracy": round(affiliation / known, 4) if known else 0.0,
            "by_source_kind": {
                kind: {"n": c["n"], "exact": round(c["exact"] / c["n"], 4), "affiliation": round(c["affiliation"] / c["n"], 4)}
                for kind, c in sorted(by_kind.items())
            },
        }
    if out:
        out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("predict")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--polnear", type=Path, default=PROJECT.parent / "shared" / "data" / "polnear")
    s = commands.add_parser("score")
    s.add_argument("predictions", type=Path, nargs="+")
    s.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    if args.command == "predict":
        payload = predict(args.out, args.polnear)
        print(f"{len(payload['predictions'])} sources predicted with stages {payload['stages']}")
    else:
        print(json.dumps(score(args.predictions, args.out), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
