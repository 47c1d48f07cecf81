"""Reading `stance classify` requests: one claim and one actor mention per JSONL line."""

import json

from stance.classifier.model import MentionExample
from stance.io.mention_io import read_mention_requests


def test_good_lines_become_examples_and_bad_lines_errors_naming_file_and_line(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        {"id": "1", "text": "Moscow denied the report.", "actor": "Moscow"},
        {"id": 2, "text": "Paris praised Paris.", "actor": "Paris", "actor_start": 14, "actor_end": 19},
        {"id": "3", "text": "Paris praised the deal.", "actor": "Rome"},
        {"id": "4", "text": "Short.", "actor": "Short", "actor_start": 3, "actor_end": 40},
        {"id": "5", "text": "No actor here."},
        {"text": "Tokyo urged calm.", "actor": "Tokyo"},
    ]
    path.write_text(
        "\n".join(json.dumps(line) for line in lines[:3]) + "\n\n{broken\n" + "\n".join(json.dumps(line) for line in lines[3:]) + "\n",
        encoding="utf-8",
    )
    requests, errors = read_mention_requests(path)
    assert requests == [
        ("1", MentionExample("Moscow denied the report.", 0, 6)),
        ("2", MentionExample("Paris praised Paris.", 14, 19)),
        (None, MentionExample("Tokyo urged calm.", 0, 5)),
    ]
    assert [str(error) for error in errors] == [
        f"{path}:3: actor 'Rome' does not occur in 'text'",
        f"{path}:5: invalid JSON (Expecting property name enclosed in double quotes)",
        f"{path}:6: actor_start/actor_end (3, 40) are not a span of 'text' (length 6)",
        f"{path}:7: missing or empty string field 'actor'",
    ]
    assert [error.location for error in errors] == [f"{path}:3", f"{path}:5", f"{path}:6", f"{path}:7"]


def test_a_line_that_is_not_an_object_or_not_utf8_is_an_error(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'["text"]\n{"text": "caf\xe9", "actor": "caf"}\n')
    requests, errors = read_mention_requests(path)
    assert requests == []
    assert [str(error) for error in errors] == [
        f"{path}:1: expected a JSON object, got list",
        f"{path}:2: not valid UTF-8",
    ]


def test_an_empty_file_is_one_error(tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n  \n")
    requests, errors = read_mention_requests(path)
    assert requests == [] and [str(error) for error in errors] == [f"{path}: file is empty"]
