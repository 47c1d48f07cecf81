"""scripts/corpus/build_corpus.py: raw annotation rows to corpus rows."""

import importlib.util

import pytest

from tests.conftest import PROJECT


def test_raw_rows_may_point_at_a_short_mention_by_offset():
    spec = importlib.util.spec_from_file_location("build_corpus", PROJECT / "scripts" / "corpus" / "build_corpus.py")
    build_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_corpus)
    row = {"text": "Then he denied it.", "actor": "he", "label": "deny", "topic": "t", "source": "written:x"}
    # "he" first occurs inside "Then"; the offset picks the pronoun.
    assert build_corpus.resolve_row(row, "f:1")["actor_start"] == 1
    assert build_corpus.resolve_row(dict(row, actor_start=5), "f:1")["actor_start"] == 5
    with pytest.raises(ValueError, match="actor_start 6 does not point at 'he'"):
        build_corpus.resolve_row(dict(row, actor_start=6), "f:1")
