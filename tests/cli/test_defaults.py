"""Where the CLI finds things in a checkout (stance/cli/defaults.py): config names and
paths from configs resolve the same from any working directory."""

from stance.cli.defaults import CONFIG_DIR, PROJECT_DIR, config_file, project_path
from tests.conftest import PROJECT


def test_the_checkout_folders_are_this_checkout():
    assert PROJECT_DIR == PROJECT and CONFIG_DIR == PROJECT / "configs"


def test_config_file_prefers_a_file_that_exists_else_looks_under_configs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert config_file("pipeline.yaml") == CONFIG_DIR / "pipeline.yaml"
    (tmp_path / "pipeline.yaml").write_text("stages: [clean]\n")
    assert config_file("pipeline.yaml").resolve() == tmp_path / "pipeline.yaml"
    assert config_file(tmp_path / "other.yaml") == tmp_path / "other.yaml"  # absolute: as given, even if missing
    assert config_file("missing.yaml") == CONFIG_DIR / "missing.yaml"


def test_project_path_reads_relative_paths_against_the_checkout_unless_they_exist_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert project_path("data/stance/train.jsonl") == PROJECT / "data" / "stance" / "train.jsonl"
    (tmp_path / "data" / "stance").mkdir(parents=True)
    (tmp_path / "data" / "stance" / "train.jsonl").write_text("{}\n")
    assert project_path("data/stance/train.jsonl").resolve() == tmp_path / "data" / "stance" / "train.jsonl"
    assert project_path(tmp_path / "elsewhere.jsonl") == tmp_path / "elsewhere.jsonl"
    assert project_path("../shared/data/polnear") == PROJECT / ".." / "shared" / "data" / "polnear"
