"""Read articles from JSONL, JSON, text files or folders.

Reading never stops at a bad record: ``read_articles`` yields a ``DataFormatError``
in its place (naming file and line) and carries on, so a batch can reject one
record and keep the rest. Cleaning is the pipeline's first stage
(``stance.pipeline.clean``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from stance.config import IngestConfig
from stance.data import Article
from stance.errors import DataFormatError

SUPPORTED_SUFFIXES = (".txt", ".json", ".jsonl")
OPTIONAL_STRING_FIELDS = ("id", "title", "source", "url")

ReadResult = Article | DataFormatError


def content_id(text: str) -> str:
    """Stable id for an article that comes without one: a hash of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_published(value: object) -> datetime | None:
    """Parse an ISO 8601 date or datetime (``2023-03-17``, ``2023-03-17T10:00:00Z``).

    Raises:
        ValueError: the value is not an ISO 8601 date or datetime string.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"'published' must be an ISO 8601 string, got {value!r}")
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"'published' is not an ISO 8601 date or datetime: {value!r} "
            "(expected e.g. 2023-03-17 or 2023-03-17T09:30:00+00:00)"
        ) from None


def article_from_record(record: object, config: IngestConfig, origin: str | None = None) -> Article:
    """Validate one JSON record and turn it into an ``Article``.

    Raises:
        ValueError: a field is missing, has the wrong type, or the text is too long.
    """
    if not isinstance(record, dict):
        raise ValueError(f"expected a JSON object, got {type(record).__name__}")
    text = record.get("text")
    if text is None:
        raise ValueError("missing required field 'text'")
    if not isinstance(text, str):
        raise ValueError(f"'text' must be a string, got {type(text).__name__}")
    if not text.strip():
        raise ValueError("'text' is empty")
    _check_length(text, config)
    for key in OPTIONAL_STRING_FIELDS:
        if record.get(key) is not None and not isinstance(record[key], str):
            raise ValueError(f"'{key}' must be a string, got {record[key]!r}")
    return Article(
        id=record.get("id") or content_id(text),
        text=text,
        title=record.get("title"),
        published=parse_published(record.get("published")),
        source=record.get("source"),
        url=record.get("url"),
        origin=origin,
    )


def read_articles(path: str | Path, config: IngestConfig | None = None) -> Iterator[ReadResult]:
    """Yield every article under ``path`` (a file or a folder), or an error in its place.

    Args:
        path: a ``.jsonl``, ``.json`` or ``.txt`` file, or a folder holding such files.
        config: cleaning and size limits; defaults to ``IngestConfig()``.

    Yields:
        ``Article`` objects, and ``DataFormatError`` objects for records that cannot be read.
    """
    config = config or IngestConfig()
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUPPORTED_SUFFIXES)
        if not files:
            yield DataFormatError(f"no {'/'.join(SUPPORTED_SUFFIXES)} files in folder", str(path))
        for file in files:
            yield from _read_file(file, config)
    elif path.exists():
        yield from _read_file(path, config)
    else:
        yield DataFormatError("no such file or folder", str(path))


def _read_file(path: Path, config: IngestConfig) -> Iterator[ReadResult]:
    raw = path.read_bytes()
    if not raw.strip():
        yield DataFormatError("file is empty", str(path))
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(path, raw, config)
    elif suffix == ".json":
        yield from _read_json(path, raw, config)
    elif suffix == ".txt":
        yield from _read_txt(path, raw, config)
    else:
        yield DataFormatError(f"unsupported file type {suffix!r}; use {SUPPORTED_SUFFIXES}", str(path))


def _read_jsonl(path: Path, raw: bytes, config: IngestConfig) -> Iterator[ReadResult]:
    for number, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(_decode(line))
            yield article_from_record(record, config, origin=f"{path}:{number}")
        except json.JSONDecodeError as exc:
            yield DataFormatError(f"invalid JSON ({exc.msg} at column {exc.colno})", str(path), number)
        except ValueError as exc:
            yield DataFormatError(str(exc), str(path), number)


def _read_json(path: Path, raw: bytes, config: IngestConfig) -> Iterator[ReadResult]:
    try:
        document = json.loads(_decode(raw))
    except json.JSONDecodeError as exc:
        yield DataFormatError(f"invalid JSON ({exc.msg} at column {exc.colno})", str(path), exc.lineno)
        return
    except ValueError as exc:
        yield DataFormatError(str(exc), str(path))
        return
    records = document if isinstance(document, list) else [document]
    for number, record in enumerate(records, start=1):
        try:
            yield article_from_record(record, config, origin=f"{path}#{number}")
        except ValueError as exc:
            yield DataFormatError(f"record {number}: {exc}", str(path))


def _read_txt(path: Path, raw: bytes, config: IngestConfig) -> Iterator[ReadResult]:
    try:
        text = _decode(raw)
        _check_length(text, config)
    except ValueError as exc:
        yield DataFormatError(str(exc), str(path), getattr(exc, "line", None))
        return
    first_line = text.strip().splitlines()[0].strip()
    yield Article(id=content_id(text), text=text, title=first_line, origin=str(path))


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        error = ValueError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at line {line}, offset {exc.start}); "
            "re-encode the file as UTF-8"
        )
        error.line = line  # type: ignore[attr-defined]
        raise error from None


def _check_length(text: str, config: IngestConfig) -> None:
    if len(text) > config.max_chars:
        raise ValueError(
            f"article has {len(text):,} characters, more than ingest.max_chars={config.max_chars:,}; "
            "split it or raise the limit in configs/pipeline.yaml"
        )
