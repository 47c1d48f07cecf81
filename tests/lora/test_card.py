"""Report files and the card pieces both model cards share (stance/lora/card.py)."""

import json

import pytest

from stance.lora.card import read_saved_reports, size_in_mb, versions_line, write_json, write_saved_reports


def test_saved_reports_round_trip_through_eval_split_json(tmp_path):
    reports = {"dev": {"macro_f1": 0.75, "per_label": {"deny": {"f1": 0.8}}}, "test": {"macro_f1": 0.7}}
    write_saved_reports(tmp_path / "model", reports)
    assert sorted(p.name for p in (tmp_path / "model").iterdir()) == ["eval_dev.json", "eval_test.json"]
    assert read_saved_reports(tmp_path / "model") == reports


def test_reading_reports_needs_both_dev_and_test(tmp_path):
    write_saved_reports(tmp_path, {"dev": {"macro_f1": 0.75}})
    with pytest.raises(FileNotFoundError, match="eval_test.json"):
        read_saved_reports(tmp_path)


def test_write_json_creates_the_folder_and_ends_with_a_newline(tmp_path):
    path = tmp_path / "a" / "b" / "meta.json"
    write_json(path, {"b": 1, "a": [1, 2]})
    assert path.read_text(encoding="utf-8") == '{\n  "b": 1,\n  "a": [\n    1,\n    2\n  ]\n}\n'
    assert json.loads(path.read_text()) == {"b": 1, "a": [1, 2]}


def test_versions_line_lists_packages_in_metadata_order():
    meta = {"versions": {"python": "3.11.9", "torch": "2.13.0", "peft": "0.13.2"}}
    assert versions_line(meta) == "python 3.11.9, torch 2.13.0, peft 0.13.2"


def test_size_in_mb_sums_the_files(tmp_path):
    (tmp_path / "a").write_bytes(b"x" * 1024 * 1024)
    (tmp_path / "b").write_bytes(b"x" * 512 * 1024)
    assert size_in_mb([tmp_path / "a", str(tmp_path / "b")]) == 1.5
