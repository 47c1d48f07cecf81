"""`stance claims` and `stance claim` on a small store linked with a stand-in encoder."""

import json

from click.testing import CliRunner

from stance.claims.tracking import track_claims
from stance.cli import cli
from stance.config import ClaimsConfig
from stance.io.store import StanceStore
from tests.claims.test_tracker import WordEncoder, article


def store(tmp_path):
    db = tmp_path / "s.db"
    with StanceStore(db) as s:
        s.save_article(article("a1", 1, [("China", "said", "the talks will resume in April"), (None, "", "Oil prices rose")]))
        s.save_article(article("a2", 9, [("Russia", "denied", "the talks will resume in April")]))
        track_claims(s, WordEncoder(), ClaimsConfig(alpha=1.0, threshold=0.8))
    return db


def test_claims_lists_tracked_claims_with_mentions_and_positions(tmp_path):
    db = store(tmp_path)
    result = CliRunner().invoke(cli, ["claims", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    talks, oil = json.loads(result.output)
    assert (talks["claim_id"], talks["text"], talks["n_articles"]) == (1, "the talks will resume in April", 2)
    assert (talks["first_seen"], talks["last_seen"]) == ("2016-03-01T00:00:00+00:00", "2016-03-09T00:00:00+00:00")
    assert talks["positions"] == [
        {"actor_id": "china", "actor_name": "China", "position": "asserts", "first": "2016-03-01T00:00:00+00:00", "last": "2016-03-01T00:00:00+00:00", "n": 1},
        {"actor_id": "russia", "actor_name": "Russia", "position": "denies", "first": "2016-03-09T00:00:00+00:00", "last": "2016-03-09T00:00:00+00:00", "n": 1},
    ]
    assert talks["mentions"][1] == {
        "article_id": "a2", "published": "2016-03-09T00:00:00+00:00", "start": 0, "end": 45,
        "text": "Russia denied the talks will resume in April.", "holder_id": "russia", "holder_name": "Russia", "label": "deny",
    }
    assert oil["positions"][0]["position"] == "reports" and oil["positions"][0]["actor_name"] == "wire"


def test_claims_filters(tmp_path):
    db = store(tmp_path)

    def ids(*options):
        result = CliRunner().invoke(cli, ["claims", "--db", str(db), "--format", "jsonl", *options])
        assert result.exit_code == 0, result.output
        return [json.loads(line)["claim_id"] for line in result.output.splitlines()]

    assert ids() == [1, 2]
    assert ids("--min-articles", "2") == [1]
    assert ids("--actor", "Moscow") == [1]
    assert ids("--search", "OIL") == [2]
    assert ids("--since", "2016-03-05") == [1]
    assert ids("--until", "2016-03-01") == [1, 2]
    bad = CliRunner().invoke(cli, ["claims", "--db", str(db), "--since", "March"])
    assert bad.exit_code == 1 and bad.output.strip() == "Error: --since must be YYYY-MM-DD, got 'March'"


def test_claim_shows_one_claim_and_a_table(tmp_path):
    db = store(tmp_path)
    result = CliRunner().invoke(cli, ["claim", "1", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "claim 1: the talks will resume in April"
    assert lines[1] == "2 article(s), 2016-03-01T00:00:00+00:00 … 2016-03-09T00:00:00+00:00"
    assert any(line.startswith("Russia ") and "denies" in line for line in lines)
