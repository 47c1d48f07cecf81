"""Read articles from JSONL, JSON, text files or folders.

Reading never stops at a bad record: ``read_articles`` yields a ``DataFormatError``
in its place (naming file and line) and carries on, so a batch can reject one
record and keep the rest. That includes records no stage could handle later: JSON nested
too deeply for the parser, and strings holding unpaired surrogates (valid JSON escapes
that are not text). In a folder, only regular files are read: subfolders named like files,
dangling links, FIFOs and devices are skipped with a warning, so one cannot block or end a
batch. Cleaning is the pipeline's first stage (``stance.pipeline.clean``).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from stance.config import IngestConfig
from stance.data import Article, as_utc
from stance.errors import DataFormatError

logger = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".json", ".jsonl")
OPTIONAL_STRING_FIELDS = ("id", "title", "source", "url")

ReadResult = Article | DataFormatError


def content_id(text: str) -> str:
    """Stable id for an article that comes without one: a hash of its text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def parse_published(value: object) -> datetime | None:
    """Parse an ISO 8601 date or datetime (``2023-03-17``, ``2023-03-17T10:00:00Z``) as UTC
(``stance.data.as_utc``: a value without an offset is taken as UTC).

    Raises:
        ValueError: the value is not an ISO 8601 date or datetime string.
    """
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"'published' must be an ISO 8601 string, got {value!r}")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(
            f"'published' is not an ISO 8601 date or datetime: {value!r} "
            "(expected e.g. 2023-03-17 or 2023-03-17T09:30:00+00:00)"
        ) from None
    try:
        return as_utc(moment)
    except OverflowError:
        raise ValueError(f"'published' {value!r} is outside the years 1–9999 once converted to UTC") from None


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
    for key in ("text", *OPTIONAL_STRING_FIELDS, "published"):
        if isinstance(record.get(key), str):
            check_text(record[key], key)
    return Article(
        id=record.get("id") or content_id(text),
        text=text,
        title=record.get("title"),
        published=parse_published(record.get("published")),
        source=record.get("source"),
        url=record.get("url"),
        origin=origin,
    )


def check_text(value: str, field: str) -> None:
    """Refuse a string that is not text: an unpaired surrogate (JSON allows ``"\\udfff"``)
    cannot be encoded, stored or printed.

    Raises:
        ValueError: naming the field, the code point and its offset.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(
            f"'{field}' contains an unpaired surrogate (U+{ord(value[exc.start]):04X}) at offset {exc.start}"
        ) from None


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
        files = list(_regular_files(path))
        if not files:
            yield DataFormatError(f"no {'/'.join(SUPPORTED_SUFFIXES)} files in folder", str(path))
        for file in files:
            yield from _read_file(file, config)
    elif path.exists():
        yield from _read_file(path, config)
    else:
        yield DataFormatError("no such file or folder", str(path))


def _regular_files(folder: Path) -> Iterator[Path]:
    """Files under ``folder`` with a supported suffix, sorted; anything else of that name
    (a folder, a dangling link, a FIFO, a device) is skipped with a warning. Linked folders
    are not followed (no cycles)."""
    for root, dirs, names in os.walk(folder, followlinks=False):
        dirs.sort()
        for name in sorted(names + [d for d in dirs if Path(d).suffix.lower() in SUPPORTED_SUFFIXES]):
            path = Path(root) / name
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            kind = _file_kind(path)
            if kind == "file":
                yield path
            else:
                logger.warning("skipped %s: %s, not a regular file", path, kind)


def _file_kind(path: Path) -> str:
    try:
        mode = path.stat().st_mode
    except OSError:
        return "a dangling link" if path.is_symlink() else "unreadable"
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _read_file(path: Path, config: IngestConfig) -> Iterator[ReadResult]:
    kind = _file_kind(path)
    if kind != "file":
        yield DataFormatError(f"{kind}, not a regular file; skipped", str(path))
        return
    try:
        raw = path.read_bytes()
    except OSError as exc:
        yield DataFormatError(f"cannot read: {exc.strerror or exc}", str(path))
        return
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
        except RecursionError:
            yield DataFormatError(TOO_DEEP, str(path), number)


def _read_json(path: Path, raw: bytes, config: IngestConfig) -> Iterator[ReadResult]:
    try:
        text = _decode(raw)
        records = _json_records(text)
    except json.JSONDecodeError as exc:
        yield DataFormatError(f"invalid JSON ({exc.msg} at column {exc.colno})", str(path), exc.lineno)
        return
    except ValueError as exc:
        yield DataFormatError(str(exc), str(path))
        return
    for number, (record, line) in enumerate(records, start=1):
        try:
            if isinstance(record, RecursionError):
                raise ValueError(TOO_DEEP)
            yield article_from_record(record, config, origin=f"{path}#{number}")
        except ValueError as exc:
            yield DataFormatError(f"record {number}: {exc}", str(path), line)


TOO_DEEP = "JSON nested too deeply to read (more than about 1,000 levels)"


def _json_records(text: str) -> list[tuple[object, int | None]]:
    """The records of a JSON document (a list's items, or the one object) with the line
    each starts on when known. A document too deep for the parser is read item by item,
    so only the deep items are lost (as ``RecursionError`` in their place).

    Raises:
        json.JSONDecodeError: the document is not JSON.
    """
    try:
        document = json.loads(text)
    except RecursionError:
        return [(_loads_or_error(item), line) for item, line in _top_level_items(text)]
    return [(record, None) for record in (document if isinstance(document, list) else [document])]


def _loads_or_error(item: str) -> object:
    try:
        return json.loads(item)
    except RecursionError as exc:
        return exc


def _top_level_items(text: str) -> Iterator[tuple[str, int]]:
    """The source text of each item of a top-level JSON array, and its line, in one linear
    pass that tracks strings and nesting depth without building any value.

    Raises:
        json.JSONDecodeError: ``text`` is not an array, or an item is unterminated.
    """
    start = len(text) - len(text.lstrip())
    if not text[start:].startswith("["):
        raise json.JSONDecodeError("nested too deeply to read, and not an array of records", text, start)
    depth, in_string, escaped, item_start, item_line, line = 0, False, False, None, 1, 1
    for position in range(start, len(text)):
        char = text[position]
        if char == "\n":
            line += 1
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
            continue
        if depth == 1 and item_start is None and not char.isspace() and char not in ",]":
            item_start, item_line = position, line
        if char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        if item_start is not None and (depth == 0 or (depth == 1 and char == ",")):
            yield text[item_start:position].strip(), item_line
            item_start = None
        if depth == 0:
            return
    raise json.JSONDecodeError("unterminated array", text, len(text))


def _read_txt(path: Path, raw: bytes, config: IngestConfig) -> Iterator[ReadResult]:
    try:
        text = _decode(raw)
        _check_length(text, config)
    except ValueError as exc:
        yield DataFormatError(str(exc), str(path), getattr(exc, "line", None))
        return
    if not text.strip():
        yield DataFormatError("file is empty: it holds only spaces", str(path))
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
