"""Reading articles from JSONL, JSON, text files and folders; bad records become errors naming file:line."""

import json

import pytest

from stance.config import IngestConfig
from stance.data import Article
from stance.errors import DataFormatError
from stance.io.ingest import content_id, read_articles


def _read(path, **config):
    return list(read_articles(path, IngestConfig(**config)))


def test_ingest_jsonl_reads_fields_and_defaults_id_to_content_hash(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps({"id": "a1", "text": "Paris said yes.", "published": "2023-03-17", "source": "AFP"}) + "\n"
        + json.dumps({"text": "Berlin said no."}) + "\n",
        encoding="utf-8",
    )
    first, second = _read(path)
    assert (first.id, first.source, first.published.isoformat()) == ("a1", "AFP", "2023-03-17T00:00:00+00:00")
    assert second.id == content_id("Berlin said no.") and second.published is None


def test_ingest_accepts_datetimes_with_timezone(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "x y z", "published": "2023-03-17T09:30:00Z"}) + "\n")
    (article,) = _read(path)
    assert article.published.utcoffset().total_seconds() == 0


@pytest.mark.parametrize(
    "line, reason",
    [
        ('{"text": "ok", ', "invalid JSON"),
        ('{"title": "no text"}', "missing required field 'text'"),
        ('{"text": ""}', "'text' is empty"),
        ('{"text": 5}', "'text' must be a string"),
        ('{"text": "ok", "published": "17/03/2023"}', "not an ISO 8601 date"),
        ('{"text": "ok", "id": 7}', "'id' must be a string"),
        ('["text"]', "expected a JSON object"),
    ],
)
def test_ingest_bad_jsonl_line_names_file_and_line_and_batch_continues(tmp_path, line, reason):
    path = tmp_path / "batch.jsonl"
    path.write_text('{"text": "Good one."}\n' + line + '\n{"text": "Good two."}\n', encoding="utf-8")
    results = _read(path)
    assert [type(r) for r in results] == [Article, DataFormatError, Article]
    error = results[1]
    assert error.location == f"{path}:2"
    assert reason in str(error) and str(error).startswith(f"{path}:2: ")


def test_ingest_non_utf8_line_is_rejected_with_line_number(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"text": "fine"}\n{"text": "caf\xe9"}\n')
    results = _read(path)
    assert isinstance(results[0], Article)
    assert isinstance(results[1], DataFormatError) and results[1].line == 2
    assert "not valid UTF-8" in str(results[1])


def test_ingest_empty_file_and_missing_path_are_errors(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("  \n")
    (error,) = _read(empty)
    assert isinstance(error, DataFormatError) and "file is empty" in str(error)
    (missing,) = _read(tmp_path / "nope.txt")
    assert "no such file or folder" in str(missing)


def test_ingest_huge_article_is_rejected(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 100)
    (error,) = _read(path, max_chars=50)
    assert isinstance(error, DataFormatError) and "more than ingest.max_chars=50" in str(error)


def test_ingest_folder_reads_txt_json_and_jsonl_in_name_order(tmp_path):
    (tmp_path / "b.txt").write_text("Headline\n\nBody text here.", encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps([{"text": "one"}, {"text": "two"}]))
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": "three"}) + "\n")
    (tmp_path / "skip.md").write_text("ignored")
    results = _read(tmp_path)
    assert [r.text for r in results] == ["one", "two", "Headline\n\nBody text here.", "three"]
    assert results[2].title == "Headline"


def test_ingest_txt_not_utf8_names_file(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(b"ok\n\xff\xfe broken")
    (error,) = _read(path)
    assert error.location == f"{path}:2"
