"""Read ``stance classify`` requests: JSONL lines naming a claim and one actor mention."""

from __future__ import annotations

import json
import re
from pathlib import Path

from stance.classifier.model import MentionExample
from stance.errors import DataFormatError


OFFSET_KEYS = ("actor_start", "actor_end")
# How much of a string an error message quotes.
QUOTE_CHARS = 40
# A UTF-16 surrogate in a str is one left unpaired: json.loads joins "\ud83d\ude00" into one character.
SURROGATE = re.compile("[\ud800-\udfff]")


def mention_from_record(record: object) -> tuple[str, MentionExample]:
    """Validate ``{"id","text","actor","actor_start","actor_end"}``; offsets are optional
    (both or neither): without them the mention is the first occurrence of ``actor``.

    Raises:
        ValueError: a field is missing, of the wrong type or holds an unpaired surrogate
            (``json.loads`` accepts ``"\\udfff"``; encoding it later fails), only one offset
            is given, or the span is not in ``text`` or is not ``actor``.
    """
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    for key in ("text", "actor"):
        if not isinstance(record.get(key), str) or not record[key]:
            raise ValueError(f"missing or empty string field {key!r}")
    request_id = record.get("id")
    request_id = str(request_id) if request_id is not None else None
    for key, value in (("id", request_id), ("text", record["text"]), ("actor", record["actor"])):
        surrogate = SURROGATE.search(value or "")
        if surrogate:
            raise ValueError(f"{key!r} contains an unpaired surrogate (U+{ord(surrogate.group()):04X})")
    text, actor = record["text"], record["actor"]
    for key in OFFSET_KEYS:
        value = record.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError(f"{key!r} must be an integer, got {type(value).__name__} ({json.dumps(value)[:QUOTE_CHARS]})")
    start, end = record.get("actor_start"), record.get("actor_end")
    if (start is None) != (end is None):
        given = OFFSET_KEYS[0] if end is None else OFFSET_KEYS[1]
        raise ValueError(f"give both 'actor_start' and 'actor_end' or neither (only {given!r} given)")
    if start is None:
        start = text.find(actor)
        if start < 0:
            raise ValueError(f"actor {quote(actor)} does not occur in 'text'")
        end = start + len(actor)
    elif not 0 <= start < end <= len(text):
        raise ValueError(f"actor_start/actor_end ({start}, {end}) are not a span of 'text' (length {len(text)})")
    elif text[start:end] != actor:
        raise ValueError(
            f"actor_start/actor_end ({start}, {end}) select {quote(text[start:end])} in 'text', not actor {quote(actor)}"
        )
    return request_id, MentionExample(text, start, end)


def quote(value: str) -> str:
    """``value`` quoted for an error message, cut to ``QUOTE_CHARS`` characters."""
    return repr(value if len(value) <= QUOTE_CHARS else value[: QUOTE_CHARS - 1] + "…")


def read_mention_requests(path: str | Path) -> tuple[list[tuple[str, MentionExample]], list[DataFormatError]]:
    """All readable requests of a JSONL file, and an error (file:line) for each bad line.

    Raises:
        DataFormatError: the path is not a regular readable file (a FIFO would block).
    """
    requests, errors = [], []
    path = Path(path)
    if not path.is_file():
        raise DataFormatError("not a regular file", str(path))
    try:
        raw_bytes = path.read_bytes()
    except OSError as exc:
        raise DataFormatError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    for number, raw in enumerate(raw_bytes.splitlines(), start=1):
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
        except RecursionError:
            errors.append(DataFormatError("JSON nested too deeply to read (more than about 1,000 levels)", str(path), number))
    if not requests and not errors:
        errors.append(DataFormatError("file is empty", str(path)))
    return requests, errors
