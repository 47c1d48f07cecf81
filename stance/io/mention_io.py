"""Read ``stance classify`` requests: JSONL lines naming a claim and one actor mention."""

from __future__ import annotations

import json
from pathlib import Path

from stance.classifier.model import MentionExample
from stance.errors import DataFormatError


def mention_from_record(record: object) -> tuple[str, MentionExample]:
    """Validate ``{"id","text","actor","actor_start","actor_end"}``; offsets are optional.

    Raises:
        ValueError: a field is missing or the span does not match ``actor``.
    """
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    for key in ("text", "actor"):
        if not isinstance(record.get(key), str) or not record[key]:
            raise ValueError(f"missing or empty string field {key!r}")
    text, actor = record["text"], record["actor"]
    start, end = record.get("actor_start"), record.get("actor_end")
    if start is None and end is None:
        start = text.find(actor)
        if start < 0:
            raise ValueError(f"actor {actor!r} does not occur in 'text'")
        end = start + len(actor)
    elif not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise ValueError(f"actor_start/actor_end ({start}, {end}) are not a span of 'text' (length {len(text)})")
    request_id = record.get("id")
    return (str(request_id) if request_id is not None else None), MentionExample(text, start, end)


def read_mention_requests(path: str | Path) -> tuple[list[tuple[str, MentionExample]], list[DataFormatError]]:
    """All readable requests of a JSONL file, and an error (file:line) for each bad line."""
    requests, errors = [], []
    path = Path(path)
    for number, raw in enumerate(path.read_bytes().splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            requests.append(mention_from_record(json.loads(raw.decode("utf-8"))))
        except UnicodeDecodeError:
            errors.append(DataFormatError("not valid UTF-8", str(path), number))
        except json.JSONDecodeError as exc:
            errors.append(DataFormatError(f"invalid JSON ({exc.msg})", str(path), number))
        except ValueError as exc:
            errors.append(DataFormatError(str(exc), str(path), number))
    if not requests and not errors:
        errors.append(DataFormatError("file is empty", str(path)))
    return requests, errors
