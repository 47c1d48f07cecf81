"""Output formats: export rows, CSV and the fixed-width table."""

from datetime import datetime

from stance.data import Label, StanceRecord
from stance.io.formatting import record_to_dict, to_csv, to_table


def test_formatting_export_row_has_documented_keys(registry):
    record = StanceRecord("a1", datetime(2023, 3, 17), 2, "Western leaders criticised Beijing.", "Western leaders",
                          "west", Label.CRITICAL, 0.91234, {}, ("china",), "m")
    row = record_to_dict(record, registry)
    assert list(row) == ["article_id", "published", "actor_id", "actor_name", "mention", "label", "confidence", "claim", "claim_id",
                         "targets", "holder", "source", "cue", "speaks_for", "speaks_for_name", "actor_origin"]
    assert (row["actor_name"], row["targets"], row["confidence"]) == ("the West", ["China"], 0.9123)
    assert (row["holder"], row["source"], row["cue"]) == (None, None, None)


def test_formatting_export_row_names_the_attribution_holder(registry):
    record = StanceRecord("a1", None, 0, "He said Beijing lied.", "He", "joe_biden", Label.CRITICAL, 0.8, {}, (), "m",
                          holder_id="joe_biden", cue="said", source="He")
    row = record_to_dict(record, registry)
    assert (row["holder"], row["source"], row["cue"]) == ("Joe Biden", "He", "said")
    assert (row["speaks_for"], row["speaks_for_name"], row["actor_origin"]) == ("united_states", "United States", "registry")


def test_formatting_csv_encodes_lists_as_json():
    assert to_csv([{"a": 1, "b": ["x", "y"]}]) == 'a,b\n1,"[""x"", ""y""]"\n'
    assert to_csv([]) == ""


def test_formatting_table_truncates_long_cells():
    table = to_table([{"a": "x" * 10}], ["a"], max_width=5)
    assert table.splitlines() == ["a", "-----", "xxxx…"]
