"""`stance timeline`, `shifts`, `network` and `export --format parquet` on a small store."""

import json
from dataclasses import replace

import networkx as nx
import pyarrow.parquet as pq
from click.testing import CliRunner

from stance.cli import cli
from stance.io.store import StanceStore
from tests.claims.test_tracker import article


def build(tmp_path):
    db = tmp_path / "s.db"
    with StanceStore(db) as store:
        for day in range(1, 13):
            # China criticises Russia for six days, then supports it.
            cue = "criticised" if day <= 6 else "praised"
            written = article(f"a{day:02d}", day, [("China", cue, f"Russia over item {day}")])
            (claim,) = written.claims
            (stance,) = claim.stances
            label = "critical" if day <= 6 else "support"
            stance = replace(stance, label=type(stance.label)(label), scores={label: 0.9, "none": 0.1}, targets=("russia",))
            store.save_article(replace(written, claims=(replace(claim, stances=(stance,)),)))
    return db


def run(*args):
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_timeline_quarters_windows_and_intervals(tmp_path):
    db = build(tmp_path)
    (point,) = json.loads(run("timeline", "--db", str(db), "--actor", "China", "--freq", "Q", "--format", "json"))
    assert (point["period"], point["n"], point["dominant"], point["outlets"]) == ("2016-Q1", 12, None, 12)
    assert point["counts"] == {"support": 6, "critical": 6, "neutral": 0, "deny": 0}
    assert point["intervals"]["support"] == point["intervals"]["critical"]  # a tie: unclear
    days = json.loads(run("timeline", "--db", str(db), "--actor", "China", "--window", "4d", "--format", "json"))
    assert [p["period"] for p in days][:2] == ["2016-03-01", "2016-03-02"] and len(days) == 12
    bad = CliRunner().invoke(cli, ["timeline", "--db", str(db), "--actor", "China", "--window", "soon"])
    assert bad.exit_code == 1 and bad.output.strip() == "Error: --window: window must look like 30d or 4w, got 'soon'"


def test_shifts_finds_the_turn_with_evidence(tmp_path):
    db = build(tmp_path)
    (shift,) = json.loads(run("shifts", "--db", str(db), "--actor", "China", "--target", "Russia", "--format", "json"))
    assert {k: shift[k] for k in ("actor_id", "target_id", "from", "to", "last_before", "first_after", "at")} == {
        "actor_id": "china", "target_id": "russia", "from": "critical", "to": "support",
        "last_before": "2016-03-06", "first_after": "2016-03-07", "at": "2016-03-06",
    }
    assert [e["article_id"] for e in shift["evidence_after"]] == ["a07", "a08", "a09"]
    assert "no shifts" in run("shifts", "--db", str(db), "--actor", "China", "--min-evidence", "7")


def test_network_csv_graphml_and_parquet_export(tmp_path):
    db = build(tmp_path)
    assert run("network", "--db", str(db)).splitlines() == [
        "actor_id,actor_name,target_id,target_name,support,critical,neutral,deny,total,dominant",
        "china,China,russia,Russia,6,6,0,0,12,support",
    ]
    assert run("network", "--db", str(db), "--until", "2016-03-03").splitlines()[1] == "china,China,russia,Russia,0,3,0,0,3,critical"
    graphml = tmp_path / "n.graphml"
    run("network", "--db", str(db), "--format", "graphml", "-o", str(graphml))
    graph = nx.read_graphml(graphml)
    assert graph.edges["china", "russia"]["critical"] == 6 and graph.nodes["china"]["label"] == "China"
    gexf = run("network", "--db", str(db), "--format", "gexf")
    assert "<gexf" in gexf and 'label="Russia"' in gexf
    path = tmp_path / "x.parquet"
    run("export", "--db", str(db), "--format", "parquet", "-o", str(path))
    table = pq.read_table(path)
    assert table.num_rows == 12 and table.column("label").to_pylist().count("support") == 6
    assert table.schema.field("targets").type.value_type == "string"
    missing = CliRunner().invoke(cli, ["export", "--db", str(db), "--format", "parquet"])
    assert missing.exit_code == 1 and "needs -o FILE" in missing.output


def test_unwritable_outputs_are_one_line_errors(tmp_path):
    db = build(tmp_path)
    missing = tmp_path / "no" / "such" / "folder"
    for args in (
        ["report", "--db", str(db), "--out", str(missing / "r.html")],
        ["network", "--db", str(db), "-o", str(missing / "n.csv")],
        ["export", "--db", str(db), "-o", str(missing / "x.jsonl")],
        ["export", "--db", str(db), "--format", "parquet", "-o", str(missing / "x.parquet")],
    ):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1, args
        (line,) = result.output.strip().splitlines()
        assert line.startswith(f"Error: {missing}") and "cannot write" in line
