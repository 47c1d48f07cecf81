"""Turn timelines and stance records into rows, JSON, CSV and plain-text tables."""

from __future__ import annotations

import csv
import io
import json
import numbers
import re
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


# OWASP "CSV Injection": a spreadsheet reads a cell starting with one of these as a formula.
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """One CSV cell, neutralised against formula injection (OWASP "CSV Injection").

    Article text is untrusted: a cell such as ``=HYPERLINK(...)`` or ``+cmd|...`` opened in
    Excel or LibreOffice is evaluated as a formula. A text cell starting with ``=``, ``+``,
    ``-``, ``@``, tab or carriage return is therefore prefixed with a single quote, which
    spreadsheets display as text. Real numbers (``int``/``float``, so ``-0.5``) and ``None``
    are returned unchanged and stay numeric; any other value is written as its ``str()``,
    exactly as the ``csv`` module would, and neutralised the same way.
    """
    if value is None or isinstance(value, numbers.Real):
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(CSV_FORMULA_PREFIXES) else text


def to_csv(rows: Sequence[dict]) -> str:
    """CSV with a header; list and dict values are JSON-encoded in their cell.

    Every cell (header included) goes through :func:`csv_safe`, so text that looks like a
    spreadsheet formula is written with a leading ``'``. Rows end in ``\\n``, and a cell
    holding a carriage return is quoted like one holding a newline: the ``csv`` module
    only quotes the characters of its line terminator, and an unquoted ``\\r`` would
    start a new row in a spreadsheet (whose first cell ``csv_safe`` never saw).
    """
    if not rows:
        return ""
    fieldnames = list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\r\n")
    lines = []

    def write(row: dict) -> None:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-2] + "\n")

    write({k: csv_safe(k) for k in fieldnames})
    for row in rows:
        write({k: csv_safe(json.dumps(v) if isinstance(v, (list, dict)) else v) for k, v in row.items()})
    return "".join(lines)


def write_parquet(rows: Sequence[dict], path: str) -> None:
    """Export rows as a Parquet file (pyarrow; columns typed, ``targets`` a list column)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(list(rows)) if rows else pa.table({})
    pq.write_table(table, path)


# Terminal escape sequences, removed whole so no parameter bytes ("[31m") are left behind:
# CSI (ESC [ or C1 0x9B) params/intermediates/final; OSC (ESC ] or 0x9D) up to BEL or ST;
# DCS/SOS/PM/APC (ESC P/X/^/_ or 0x90/0x98/0x9E/0x9F) up to ST; other ESC sequences
# (ESC + intermediates 0x20-0x2F + a final 0x30-0x7E, e.g. ESC ( B, ESC c).
_TERMINAL_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|(?:\x1b[PX^_]|[\x90\x98\x9e\x9f])[^\x1b\x9c]*(?:\x1b\\|\x9c)"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
)
# Line and column breaks become one space each (CR LF counts as one break).
_TERMINAL_BREAKS = re.compile(r"\r\n|[\t\n\v\f\r\x85\u2028\u2029]")
# What is left of C0 (0x00-0x1F), DEL, C1 (0x80-0x9F) and the bidi embedding/override/isolate
# characters U+202A-U+202E, U+2066-U+2069 is dropped.
_TERMINAL_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` made safe to print as one line of a terminal table.

    Table cells carry article text, which is untrusted: an ANSI/VT escape sequence in it
    (``ESC [ 31 m``, ``ESC ] 0 ; title BEL``, C1 ``0x9B`` ...) would recolour or retitle the
    user's terminal, move the cursor or, with some emulators, do worse; a backspace or
    carriage return can overwrite what was printed before it, and a bidi override
    (U+202A-U+202E, U+2066-U+2069, "Trojan Source") can make the row read differently from
    what it contains. So escape sequences are removed whole, tab, newline and the other
    line/column breaks become a space (a table row is one line), and every remaining C0/C1
    control character, DEL and bidi override/isolate character is dropped. Ordinary text,
    including non-ASCII, is kept. Only the table (terminal) output uses this; JSON is
    already escaped and CSV keeps the text as it is.
    """
    text = _TERMINAL_ESCAPES.sub("", text)
    text = _TERMINAL_BREAKS.sub(" ", text)
    return _TERMINAL_CONTROLS.sub("", text)


def to_table(rows: Sequence[dict], columns: Sequence[str], max_width: int = 70) -> str:
    """A fixed-width text table, cells cut to ``max_width`` characters.

    Every cell and column name goes through :func:`terminal_safe` first, so article text
    cannot send control characters or escape sequences to the terminal.
    """
    def cell(value) -> str:
        text = value if isinstance(value, str) else json.dumps(value) if isinstance(value, (list, dict)) else str(value)
        text = terminal_safe(text)
        return text if len(text) <= max_width else text[: max_width - 1] + "…"

    cells = [[cell(row.get(c, "")) for c in columns] for row in rows]
    headers = [terminal_safe(str(c)) for c in columns]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(headers)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(headers, widths)).rstrip()]
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
