"""Reading `stance classify` requests: one claim and one actor mention per JSONL line."""

import json

import pytest

from stance.classifier.model import MentionExample
from stance.io.mention_io import mention_from_record, read_mention_requests


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


# Raw JSON lines, so that the escapes are what a client sends.
BAD_RECORDS = [
    (
        '{"text": "Paris praised Rome.", "actor": "Rome", "actor_start": true, "actor_end": 18}',
        "'actor_start' must be an integer, got bool (true)",
    ),
    (
        '{"text": "Paris praised Rome.", "actor": "Paris", "actor_start": false, "actor_end": 5}',
        "'actor_start' must be an integer, got bool (false)",
    ),
    (
        '{"text": "Paris praised Rome.", "actor": "Rome", "actor_start": 14, "actor_end": "18"}',
        "'actor_end' must be an integer, got str (\"18\")",
    ),
    (
        '{"text": "Paris praised Rome.", "actor": "Rome", "actor_start": 14.0, "actor_end": 18}',
        "'actor_start' must be an integer, got float (14.0)",
    ),
    (
        '{"text": "Paris praised Rome.", "actor": "Rome", "actor_start": 14}',
        "give both 'actor_start' and 'actor_end' or neither (only 'actor_start' given)",
    ),
    (
        '{"text": "Paris praised Rome.", "actor": "Rome", "actor_start": null, "actor_end": 18}',
        "give both 'actor_start' and 'actor_end' or neither (only 'actor_end' given)",
    ),
    (
        '{"text": "Paris praised Rome.", "actor": "Rome", "actor_start": 0, "actor_end": 5}',
        "actor_start/actor_end (0, 5) select 'Paris' in 'text', not actor 'Rome'",
    ),
    (
        '{"text": "Paris praised Rome.", "actor": "Rome", "actor_start": 14, "actor_end": 19}',
        "actor_start/actor_end (14, 19) select 'Rome.' in 'text', not actor 'Rome'",
    ),
    (
        '{"text": "' + "The delegation of the Federal Republic of Germany " * 2 + 'met.", '
        '"actor": "' + "the Federal Republic of Germany and the Kingdom of Spain" + '", "actor_start": 0, "actor_end": 56}',
        "actor_start/actor_end (0, 56) select 'The delegation of the Federal Republic …' in 'text', "
        "not actor 'the Federal Republic of Germany and the…'",
    ),
    ('{"text": "Paris \\udfff praised Rome.", "actor": "Rome"}', "'text' contains an unpaired surrogate (U+DFFF)"),
    ('{"text": "Paris praised Rome.", "actor": "Ro\\udfff"}', "'actor' contains an unpaired surrogate (U+DFFF)"),
    ('{"id": "a\\ud800", "text": "Paris praised Rome.", "actor": "Rome"}', "'id' contains an unpaired surrogate (U+D800)"),
]


@pytest.mark.parametrize(("line", "reason"), BAD_RECORDS)
def test_a_bad_record_is_rejected_with_its_reason(line, reason):
    with pytest.raises(ValueError) as raised:
        mention_from_record(json.loads(line))
    assert str(raised.value) == reason


def test_valid_records_are_still_accepted():
    records = [
        '{"id": "a", "text": "Paris praised Rome.", "actor": "Rome", "actor_start": 14, "actor_end": 18}',
        '{"id": 7, "text": "Paris praised Paris.", "actor": "Paris", "actor_start": 14, "actor_end": 19}',
        '{"text": "Paris praised Rome.", "actor": "Rome", "actor_start": null, "actor_end": null}',
        # A surrogate pair is one character, not an unpaired surrogate.
        '{"id": "\\ud83d\\ude00", "text": "\\ud83d\\ude00 Paris praised Rome.", "actor": "Rome"}',
    ]
    assert [mention_from_record(json.loads(line)) for line in records] == [
        ("a", MentionExample("Paris praised Rome.", 14, 18)),
        ("7", MentionExample("Paris praised Paris.", 14, 19)),
        (None, MentionExample("Paris praised Rome.", 14, 18)),
        ("\U0001f600", MentionExample("\U0001f600 Paris praised Rome.", 16, 20)),
    ]


def test_bad_records_in_a_file_are_errors_naming_the_line(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(line for line, _ in BAD_RECORDS) + '\n{"text": "Rome agreed.", "actor": "Rome"}\n')
    requests, errors = read_mention_requests(path)
    assert requests == [(None, MentionExample("Rome agreed.", 0, 4))]
    assert [str(error) for error in errors] == [f"{path}:{n}: {reason}" for n, (_, reason) in enumerate(BAD_RECORDS, 1)]
