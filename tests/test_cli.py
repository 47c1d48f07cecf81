"""CLI end to end with the bundled models (CliRunner; slow), plus the nightly job script,
and the fast checks that need no model (help, one-line errors, the command list)."""

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from stance.cli import cli
from tests.conftest import PROJECT, SEED_ARTICLE

ROLES = ("source", "cue", "content")
ARTICLES = [
    {"id": "a1", "published": "2023-03-17", "title": "t", "text": SEED_ARTICLE.read_text(encoding="utf-8")},
    {"id": "a2", "published": "2023-04-02", "text": "Beijing dismissed the reports as groundless. Washington criticised Beijing over its stance."},
]


@pytest.fixture
def articles_file(tmp_path):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in ARTICLES) + "\n{broken\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


@pytest.mark.parametrize(
    "command",
    ["score", "classify", "timeline", "export", "demo", "train", "eval", "card", "attributions", "tagger-eval",
     "train-tagger", "nightly", "segment-eval", "train-segmenter", "claims", "claim", "eval-claims", "shifts",
     "eval-shifts", "network", "report"],
)
def test_cli_every_command_has_help(runner, command):
    result = runner.invoke(cli, [command, "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


@pytest.mark.slow
def test_cli_score_timeline_export(runner, articles_file, tmp_path, classifier):
    db = tmp_path / "s.db"
    result = runner.invoke(cli, ["score", str(articles_file), "--db", str(db), "--format", "json", "-q"])
    assert result.exit_code == 3, result.output  # 1 of 3 records rejected > max_failure_rate 0.2
    assert "Error: 33% of records failed" in result.output
    summary = json.loads(result.stdout.splitlines()[0])
    assert (summary["scored"], summary["rejected"]) == (2, 1)
    rejects = [json.loads(line) for line in open(f"{db}.rejects.jsonl")]
    assert rejects[0]["location"] == f"{articles_file}:3" and "invalid JSON" in rejects[0]["reason"]

    again = runner.invoke(cli, ["score", str(articles_file), "--db", str(db), "--format", "json", "-q"])
    from stance.io.store import StanceStore
    with StanceStore(db) as store:
        counts = store.counts()
    assert json.loads(again.stdout.splitlines()[0])["scored"] == 2
    assert counts["articles"] == 2 and counts["runs"] == 2

    timeline = runner.invoke(cli, ["timeline", "--db", str(db), "--actor", "Beijing", "--freq", "M", "--format", "json"])
    assert timeline.exit_code == 0, timeline.output
    points = json.loads(timeline.output)
    assert [p["period"] for p in points] == ["2023-03", "2023-04"]
    assert points[0]["actor_id"] == "china" and points[0]["counts"]["deny"] >= 1
    assert all(p["evidence"] for p in points)

    toward = runner.invoke(cli, ["timeline", "--db", str(db), "--actor", "the West", "--target", "China", "--format", "csv"])
    assert toward.exit_code == 0 and toward.output.startswith("period,actor,target,dominant")
    # One statement: counted (n_critical 1) but too little evidence for a dominant label.
    assert ",west,china,unclear,1,0,1,0,0," in toward.output

    csv_out = runner.invoke(cli, ["export", "--db", str(db), "--format", "csv"])
    assert csv_out.output.splitlines()[0] == (
        "article_id,published,actor_id,actor_name,mention,label,confidence,claim,claim_id,targets,holder,source,cue,"
        "speaks_for,speaks_for_name,actor_origin"
    )
    rows = [json.loads(line) for line in runner.invoke(cli, ["export", "--db", str(db)]).output.splitlines()]
    assert {"a1", "a2"} == {row["article_id"] for row in rows}
    assert all(row["label"] != "none" for row in rows)
    dismissal = [r for r in rows if r["article_id"] == "a2" and r["cue"] == "dismissed"]
    assert dismissal and dismissal[0]["holder"] == "China" and dismissal[0]["source"] == "Beijing"


@pytest.mark.slow
def test_cli_attributions_lists_source_cue_content_and_holder(runner, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Talks in Moscow\n\nXi Jinping arrived in Moscow. He said the talks were useful.\n", encoding="utf-8")
    result = runner.invoke(cli, ["attributions", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert (row["holder"], row["source"], row["cue"], row["content"]) == ("Xi Jinping", "He", "said", "the talks were useful")


def test_cli_timeline_unknown_actor_is_one_line_error(runner, tmp_path):
    db = tmp_path / "s.db"
    from stance.io.store import StanceStore
    StanceStore(db).close()
    result = runner.invoke(cli, ["timeline", "--db", str(db), "--actor", "Atlantis"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: no actor named 'Atlantis' in the registry."


@pytest.mark.slow
def test_cli_classify_jsonl(runner, tmp_path, classifier):
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "1", "text": "Moscow denied the report.", "actor": "Moscow"}) + "\n"
        + json.dumps({"id": "2", "text": "Paris praised the deal.", "actor": "Paris", "actor_start": 0, "actor_end": 5}) + "\n"
        + json.dumps({"id": "3", "text": "Paris praised the deal.", "actor": "Rome"}) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    result = runner.invoke(cli, ["classify", str(source), "-o", str(out)])
    assert result.exit_code == 3  # one of three lines rejected is above max_failure_rate 0.2
    assert "in.jsonl:3: actor 'Rome' does not occur in 'text'" in result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["1", "2"]
    assert rows[0]["label"] == "deny" and rows[1]["label"] == "support"
    assert all(abs(sum(r["scores"].values()) - 1) < 1e-3 for r in rows)


@pytest.mark.slow
def test_cli_demo_prints_per_actor_table(runner, classifier):
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    assert "claims Beijing has strongly denied." in result.output
    assert result.output.splitlines()[2].split()[:3] == ["actor", "mention", "label"]


@pytest.mark.slow
def test_nightly_job_is_safe_to_rerun(tmp_path, classifier):
    folder = tmp_path / "incoming"
    folder.mkdir()
    extra = [{"id": f"x{i}", "published": f"2023-04-0{i}", "text": text} for i, text in enumerate(
        ["Paris welcomed the ceasefire.", "Tokyo urged restraint on all sides.", "NATO condemned the strike."], start=1)]
    (folder / "day.jsonl").write_text("\n".join(json.dumps(a) for a in ARTICLES + extra) + "\n{broken\n")
    command = [sys.executable, str(PROJECT / "scripts" / "nightly_score.py"), str(folder),
               "--db", str(tmp_path / "n.db"), "--snapshots", str(tmp_path / "snap"), "--date", "2023-04-03"]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    snapshot = json.loads((tmp_path / "snap" / "2023-04-03.json").read_text())
    assert snapshot["summary"]["scored"] == 5 and snapshot["summary"]["rejected"] == 1
    assert snapshot["rejects"][0]["location"].endswith("day.jsonl:6")
    assert "china" in snapshot["timelines"] and "west" in snapshot["timelines"]
    second = subprocess.run(command, capture_output=True, text=True)
    assert second.returncode == 0
    rerun = json.loads((tmp_path / "snap" / "2023-04-03.json").read_text())
    assert (rerun["summary"]["scored"], rerun["summary"]["skipped"]) == (0, 5)
    assert rerun["timelines"] == snapshot["timelines"]


@pytest.mark.slow
def test_nightly_job_fails_clearly(tmp_path):
    command = [sys.executable, str(PROJECT / "scripts" / "nightly_score.py"), str(tmp_path / "missing"),
               "--db", str(tmp_path / "n.db"), "--snapshots", str(tmp_path / "snap")]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1 and "does not exist" in result.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{nope\n{\"text\": 3}\n")
    result = subprocess.run(command[:2] + [str(bad)] + command[3:], capture_output=True, text=True)
    assert result.returncode == 3 and "rejected" in result.stderr


@pytest.mark.slow
def test_segment_eval_cli_json_and_limit(polnear_dir):
    result = CliRunner().invoke(cli, ["segment-eval", "--split", "dev", "--limit", "2", "--format", "json",
                                      "--polnear", str(polnear_dir)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["articles"] == 2 and set(ROLES) <= set(report["baseline"])


@pytest.mark.slow  # loads the tagger before it reads the (missing) data
def test_segment_eval_cli_names_a_missing_data_folder(tmp_path):
    result = CliRunner().invoke(cli, ["segment-eval", "--polnear", str(tmp_path)])
    assert result.exit_code == 1
    assert "no PolNeAR compartment" in result.output


def test_cli_lists_the_new_command_names_and_hides_the_old_ones(runner):
    listing = runner.invoke(cli, ["--help"]).output
    commands = [line.split()[0] for line in listing.split("Commands:")[1].splitlines() if line.strip()]
    assert {"tagger-eval", "train-tagger", "nightly"} <= set(commands)
    assert not {"segment-eval", "train-segmenter"} & set(commands)
    assert cli.commands["segment-eval"].callback is cli.commands["tagger-eval"].callback
    assert cli.commands["train-segmenter"].callback is cli.commands["train-tagger"].callback


def test_cli_nightly_rejects_a_bad_date_in_one_line(runner, tmp_path):
    result = runner.invoke(cli, ["nightly", str(tmp_path), "--db", str(tmp_path / "n.db"), "--snapshots",
                                 str(tmp_path / "snap"), "--date", "03/04/2023"])
    assert result.exit_code == 1
    assert result.output.strip() == "Error: --date must be YYYY-MM-DD, got '03/04/2023'"


@pytest.mark.slow
def test_seed_the_us_claim_and_beijings_denial_are_one_tracked_claim(runner, tmp_path, classifier):
    db = tmp_path / "seed.db"
    result = runner.invoke(cli, ["score", str(SEED_ARTICLE), "--db", str(db), "--format", "json", "-q"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tracking"]["sentences_linked"] >= 1
    listing = runner.invoke(cli, ["claims", "--db", str(db), "--actor", "China", "--search", "arms shipments", "--format", "json"])
    assert listing.exit_code == 0, listing.output
    (claim,) = json.loads(listing.output)
    stands = {(p["actor_id"], p["position"]) for p in claim["positions"]}
    assert {("united_states", "asserts"), ("china", "denies")} <= stands
    assert list(claim) == ["claim_id", "text", "first_seen", "last_seen", "n_articles", "mentions", "positions"]
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    for mention in claim["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]
    assert any("has accused China" in m["text"] for m in claim["mentions"])
    assert any("denied" in m["text"] for m in claim["mentions"])
    one = runner.invoke(cli, ["claim", str(claim["claim_id"]), "--db", str(db), "--format", "json"])
    assert json.loads(one.output)["positions"] == claim["positions"]
    assert runner.invoke(cli, ["claim", "999", "--db", str(db)]).output.strip() == f"Error: {db}: no tracked claim 999"
    exported = [json.loads(line) for line in runner.invoke(cli, ["export", "--db", str(db)]).output.splitlines()]
    assert {row["claim_id"] for row in exported if "arms shipments" in row["claim"]} == {claim["claim_id"]}
