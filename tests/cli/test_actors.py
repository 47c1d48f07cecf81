"""`stance actors` over a store holding a registry actor and discovered ones (no model)."""

import json
from datetime import datetime

import yaml
from click.testing import CliRunner

from stance.cli import cli
from stance.data import Article, Claim, DiscoveredActor, Label, Mention, Stance
from stance.io.store import StanceStore

TEXT = "Egypt's foreign minister, Sameh Shoukry, rejected the plan. Shoukry met Ali Larijani."


def _fill(db):
    first = TEXT.index("Egypt's")
    second = TEXT.index("Shoukry met")
    claims = (
        Claim(0, 0, first, second - 1, TEXT[first:second - 1], mentions=(
            Mention(0, 5, "Egypt", "egypt"),
            Mention(TEXT.index("Sameh"), TEXT.index("Sameh") + 13, "Sameh Shoukry", "x_sameh_shoukry", via="discovered"),
        ), stances=(Stance(1, "x_sameh_shoukry", Label.CRITICAL, 0.9, {"critical": 0.9}, "m@1"),)),
        Claim(1, 1, second, len(TEXT), TEXT[second:], mentions=(
            Mention(second, second + 7, "Shoukry", "x_sameh_shoukry", via="discovered"),
            Mention(TEXT.index("Ali"), TEXT.index("Ali") + 12, "Ali Larijani", "x_ali_larijani", via="discovered"),
        )),
    )
    discovered = (
        DiscoveredActor("x_sameh_shoukry", "Sameh Shoukry", "person", "egypt", TEXT[first:second - 1]),
        DiscoveredActor("x_ali_larijani", "Ali Larijani", "person", None, TEXT[second:]),
    )
    with StanceStore(db) as store:
        store.save_article(Article(id="a", text=TEXT, published=datetime(2020, 1, 2), claims=claims, discovered=discovered))


def test_actors_lists_registry_and_discovered_actors_with_counts(tmp_path):
    db = tmp_path / "s.db"
    _fill(db)
    result = CliRunner().invoke(cli, ["actors", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [(r["id"], r["origin"], r["speaks_for_name"], r["mentions"]) for r in json.loads(result.output)]
    assert rows == [
        ("egypt", "registry", None, 1),
        ("x_sameh_shoukry", "discovered", "Egypt", 2),
        ("x_ali_larijani", "discovered", None, 1),
    ]
    only = CliRunner().invoke(cli, ["actors", "--db", str(db), "--discovered", "--min-mentions", "2", "--format", "json"])
    assert [r["id"] for r in json.loads(only.output)] == ["x_sameh_shoukry"]


def test_actors_yaml_is_registry_entries_that_load(tmp_path):
    db = tmp_path / "s.db"
    _fill(db)
    result = CliRunner().invoke(cli, ["actors", "--db", str(db), "--discovered", "--format", "yaml"])
    entries = yaml.safe_load(result.output)
    assert entries[0] == {"id": "sameh_shoukry", "name": "Sameh Shoukry", "kind": "person",
                          "aliases": ["Sameh Shoukry", "Shoukry"], "speaks_for": "egypt", "member_of": []}
    # The entries pass the registry's own validation when appended to the bundled registry.
    from stance.actors import ActorRegistry
    from tests.conftest import PROJECT

    bundled = yaml.safe_load((PROJECT / "configs" / "actors.yaml").read_text(encoding="utf-8"))
    bundled["actors"] += entries
    path = tmp_path / "actors.yaml"
    path.write_text(yaml.safe_dump(bundled, allow_unicode=True), encoding="utf-8")
    assert ActorRegistry.from_yaml(path)["sameh_shoukry"].speaks_for == "egypt"


def test_timeline_counts_a_discovered_person_as_the_state_they_speak_for(tmp_path):
    db = tmp_path / "s.db"
    _fill(db)
    result = CliRunner().invoke(cli, ["timeline", "--db", str(db), "--actor", "Egypt", "--freq", "M", "--format", "json"])
    (point,) = json.loads(result.output)
    assert point["counts"]["critical"] == 1 and point["evidence"][0]["mention"] == "Sameh Shoukry"
