"""Turn timelines and stance records into rows, JSON, CSV and plain-text tables."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict

from stance.actors import ActorRegistry
from stance.data import Article, ArticleStance, StanceRecord, TimelinePoint, attribution_texts


def point_to_dict(point: TimelinePoint) -> dict:
    """A timeline point as JSON: ``dominant`` is null when the point is unclear."""
    row = asdict(point)
    row["dominant"] = point.dominant.value if point.dominant else None
    row["intervals"] = {label: list(bounds) for label, bounds in point.intervals.items()}
    row["evidence"] = [
        dict(asdict(e), label=e.label.value, published=e.published.isoformat() if e.published else None)
        for e in point.evidence
    ]
    return row


def record_to_dict(record: StanceRecord, registry: ActorRegistry) -> dict:
    """The export row: stable keys documented in the README."""
    return {
        "article_id": record.article_id,
        "published": record.published.isoformat() if record.published else None,
        "actor_id": record.actor_id,
        "actor_name": registry.name_of(record.actor_id),
        "mention": record.mention,
        "label": record.label.value,
        "confidence": round(record.confidence, 4),
        "claim": record.claim,
        "claim_id": record.claim_id,
        "targets": [registry.name_of(t) for t in record.targets],
        "holder": registry.name_of(record.holder_id) if record.holder_id else None,
        "source": record.source,
        "cue": record.cue,
        "speaks_for": _principal(registry, record.actor_id),
        "speaks_for_name": registry.name_of(_principal(registry, record.actor_id)),
        "actor_origin": "registry" if record.actor_id in registry.actors else "discovered",
    }


def article_stance_to_dict(answer: ArticleStance, registry: ActorRegistry) -> dict:
    """The ``stance summary`` row: stable keys documented in the README."""
    return {
        "article_id": answer.article_id,
        "published": answer.published.isoformat() if answer.published else None,
        "actor_id": answer.actor_id,
        "actor_name": registry.name_of(answer.actor_id),
        "label": answer.label.value,
        "confidence": answer.confidence,
        "n_claims": answer.n_claims,
        "evidence": list(answer.evidence),
    }


def attribution_rows(article: Article, registry: ActorRegistry) -> list[dict]:
    """One row per attributed claim: ``stance attributions`` output."""
    rows = []
    for claim in article.claims:
        attribution = claim.attribution
        if attribution is None:
            continue
        texts = attribution_texts(article.text, attribution)
        rows.append(
            {
                "article_id": article.id,
                "claim_index": claim.index,
                "holder_id": texts["holder_id"],
                "holder": registry.name_of(texts["holder_id"]) if texts["holder_id"] else None,
                "source": texts["source"],
                "cue": texts["cue"],
                "content": " … ".join(article.text[s.start : s.end] for s in attribution.content),
                "content_spans": [[s.start, s.end] for s in attribution.content],
            }
        )
    return rows



def _principal(registry: ActorRegistry, actor_id: str) -> str:
    return registry.principal(actor_id)


def to_csv(rows: Sequence[dict]) -> str:
    """CSV with a header; list and dict values are JSON-encoded in their cell."""
    if not rows:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: json.dumps(v) if isinstance(v, (list, dict)) else v for k, v in row.items()})
    return buffer.getvalue()


def write_parquet(rows: Sequence[dict], path: str) -> None:
    """Export rows as a Parquet file (pyarrow; columns typed, ``targets`` a list column)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(list(rows)) if rows else pa.table({})
    pq.write_table(table, path)


def to_table(rows: Sequence[dict], columns: Sequence[str], max_width: int = 70) -> str:
    """A fixed-width text table, cells cut to ``max_width`` characters."""
    def cell(value) -> str:
        text = value if isinstance(value, str) else json.dumps(value) if isinstance(value, (list, dict)) else str(value)
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cell(row.get(c, "")) for c in columns] for row in rows]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines) + "\n"


def timeline_rows(points: Iterable[TimelinePoint]) -> list[dict]:
    """Flat rows for table/CSV output: one per period, evidence as a count and the top claim."""
    rows = []
    for point in points:
        best = max(point.evidence, key=lambda e: (e.label == point.dominant, e.confidence))
        rows.append(
            {
                "period": point.period,
                "actor": point.actor_id,
                "target": point.target_id or "",
                "dominant": point.dominant.value if point.dominant else "unclear",
                "n": point.n,
                **{f"n_{label}": n for label, n in point.counts.items()},
                **{f"share_{label}": share for label, share in point.shares.items()},
                **{f"{label}_low": bounds[0] for label, bounds in point.intervals.items()},
                **{f"{label}_high": bounds[1] for label, bounds in point.intervals.items()},
                "outlets": point.outlets,
                "evidence": len(point.evidence),
                "top_claim": best.claim_text,
            }
        )
    return rows


def actor_rows(registry: ActorRegistry, mentions: dict[str, dict], discovered: list[dict], discovered_only: bool) -> list[dict]:
    """``stance actors`` rows: the registry actors a store mentions, then the discovered ones."""
    rows = []
    if not discovered_only:
        for actor_id, seen in mentions.items():
            if actor_id in registry.actors:
                actor = registry[actor_id]
                rows.append(_actor_row(actor_id, actor.name, actor.kind, "registry", actor.speaks_for, seen, None, registry))
    for found in discovered:
        seen = mentions.get(found["id"], {"mentions": 0, "first_seen": None, "last_seen": None})
        rows.append(_actor_row(found["id"], found["name"], found["kind"], "discovered", found["speaks_for"], seen, found["example"], registry))
    return sorted(rows, key=lambda row: (row["origin"] != "registry", -row["mentions"], row["id"]))


def _actor_row(actor_id, name, kind, origin, speaks_for, seen, example, registry) -> dict:
    return {
        "id": actor_id,
        "name": name,
        "kind": kind,
        "origin": origin,
        "speaks_for": speaks_for,
        "speaks_for_name": registry.name_of(speaks_for) if speaks_for else None,
        "mentions": seen["mentions"],
        "first_seen": seen["first_seen"],
        "last_seen": seen["last_seen"],
        "example": example,
    }


def registry_entries(rows: Sequence[dict], registry: ActorRegistry) -> str:
    """Discovered actors as ``configs/actors.yaml`` entries, ready to review and paste.

    The ``x_`` prefix is dropped unless the id would then clash with a registry id; a
    person's surname is offered as a second alias.
    """
    import yaml

    entries = []
    for row in rows:
        actor_id = row["id"][2:] if row["id"].startswith("x_") and row["id"][2:] not in registry.actors else row["id"]
        aliases = [row["name"]]
        if row["kind"] == "person" and " " in row["name"] and row["name"].split()[-1] not in registry.alias_index:
            aliases.append(row["name"].split()[-1])
        speaks_for = row["speaks_for"]
        if speaks_for and speaks_for.startswith("x_"):
            speaks_for = speaks_for[2:] if speaks_for[2:] not in registry.actors else speaks_for
        entries.append({"id": actor_id, "name": row["name"], "kind": row["kind"], "aliases": aliases,
                        "speaks_for": speaks_for, "member_of": []})
    header = "# Discovered actors as registry entries: review, then paste under `actors:` in configs/actors.yaml.\n"
    return header + (yaml.safe_dump(entries, sort_keys=False, allow_unicode=True) if entries else "# (none)\n")
