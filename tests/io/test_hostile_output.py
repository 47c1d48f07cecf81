"""Hostile article text in output: CSV formula injection and terminal escape sequences (issue 16)."""

import csv
import io
import json
import re

from stance.io.formatting import csv_safe, terminal_safe, to_csv, to_table

HOSTILE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_hostile_csv_neutralises_formula_like_text_cells():
    values = ["=1+1", "+SUM(A1)", "-cmd", "@x", "\tfoo", "\rbar", "normal", -0.5, "3", 7, -2, None, "a=b", "'quoted", "-0.5",
              ["=x"], {"k": "=x"}]
    text = to_csv([{f"c{i}": v for i, v in enumerate(values)}])
    header, row = _parse(text)
    assert header == [f"c{i}" for i in range(len(values))]
    assert row == ["'=1+1", "'+SUM(A1)", "'-cmd", "'@x", "'\tfoo", "'\rbar", "normal", "-0.5", "3", "7", "-2", "", "a=b", "'quoted",
                   "'-0.5", '["=x"]', '{"k": "=x"}']


def test_hostile_csv_keeps_real_numbers_numeric():
    # a float/int is written bare (a spreadsheet reads it as a number); only text is prefixed
    assert to_csv([{"share": -0.5, "n": -3, "flag": True}]) == "share,n,flag\n-0.5,-3,True\n"
    assert [csv_safe(v) for v in (-0.5, -3, 0, None)] == [-0.5, -3, 0, None]
    assert csv_safe("-0.5") == "'-0.5"


def test_hostile_csv_neutralises_header_and_non_string_values():
    class Odd:
        def __str__(self):
            return "=HYPERLINK(\"http://x\")"

    header, row = _parse(to_csv([{"=h": Odd()}]))
    assert (header, row) == (["'=h"], ["'=HYPERLINK(\"http://x\")"])


def test_hostile_csv_multiline_cell_round_trips():
    header, row = _parse(to_csv([{"a": "-x\ny", "b": "ok"}]))
    assert row == ["'-x\ny", "ok"]


def test_hostile_csv_quotes_carriage_returns_so_no_row_is_smuggled_in():
    # an unquoted CR would end the row in a spreadsheet and start one whose first cell is "=1+1"
    text = to_csv([{"a": "x\r=1+1", "b": "y\r\n@z", "c": 1}])
    assert text == 'a,b,c\n"x\r=1+1","y\r\n@z",1\n'
    assert _parse(text) == [["a", "b", "c"], ["x\r=1+1", "y\r\n@z", "1"]]


def test_hostile_table_strips_escapes_controls_and_bidi():
    rows = [
        {"text": "\x1b[31mred\x1b[0m"},
        {"text": "a\x07b"},
        {"text": "x\ry"},
        {"text": "\u202eevil"},
        {"text": "\x1b]0;title\x07shown"},
        {"text": "\x9b2Jclear"},
        {"text": "back\x08\x08space"},
        {"text": "tab\there\nline\r\nnext"},
        {"text": "\u2066iso\u2069 \u202aemb\u202c"},
        {"text": "nul\x00del\x7fc1\x85end"},
        {"text": "\x1b(Bcharset \x1bP1$qm\x1b\\dcs"},
        {"text": "Zürich — “quoted” 北京"},
    ]
    table = to_table(rows, ["text"])
    assert not HOSTILE.search(table.replace("\n", ""))
    assert table.splitlines() == [
        "text",
        "--------------------",
        "red",
        "ab",
        "x y",
        "evil",
        "shown",
        "clear",
        "backspace",
        "tab here line next",
        "iso emb",
        "nuldelc1 end",
        "charset dcs",
        "Zürich — “quoted” 北京",
    ]


def test_hostile_table_sanitises_before_measuring_and_truncating():
    table = to_table([{"a": "\x1b[1m" + "x" * 10 + "\x1b[0m", "b": 1}], ["a", "b"], max_width=5)
    assert table.splitlines() == ["a      b", "-----  -", "xxxx…  1"]


def test_hostile_table_sanitises_non_string_cells_and_headers():
    table = to_table([{"a\x1b[2J": ["\u202ex"], "n": -0.5}], ["a\x1b[2J", "n"])
    assert table.splitlines() == ["a            n", "-----------  ----", '["\\u202ex"]  -0.5']


def test_hostile_terminal_safe_keeps_plain_text_and_leaves_json_alone():
    assert terminal_safe("plain text, 100% [ok] ~ {x}") == "plain text, 100% [ok] ~ {x}"
    assert terminal_safe("\x1b[38;5;196mx\x1b[K") == "x"
    # an unterminated sequence loses its control characters; the printable rest is harmless
    assert terminal_safe("\x1b]0;title") == "0;title"
    assert terminal_safe("\x1b[31") == "31"
    # JSON output is not sanitised: escaping already keeps control characters out of the terminal
    row = {"text": "\x1b[31mred\u202e"}
    assert json.dumps(row) == '{"text": "\\u001b[31mred\\u202e"}'
