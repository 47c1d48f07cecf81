"""`stance summary` over a store filled with hand-built annotations (no model)."""

import json
from datetime import datetime

from click.testing import CliRunner

from stance.cli import cli
from stance.data import Article, Attribution, Claim, Label, Mention, Span, Stance
from stance.io.store import StanceStore

TEXT = "Wang Wenbin said China backs the talks. China criticised the sanctions. Paris met Berlin."


def _stance(index, actor_id, label, confidence):
    scores = {value: 0.0 for value in Label.values()}
    scores[label] = confidence
    return Stance(index, actor_id, Label(label), confidence, scores, "m@1")


def _span(part: str) -> Span:
    start = TEXT.index(part)
    return Span(start, start + len(part))


def _mention(part: str, actor_id: str) -> Mention:
    span = _span(part)
    return Mention(span.start, span.end, part, actor_id)


def _article() -> Article:
    s1, s2, s3 = (_span(p) for p in ("Wang Wenbin said China backs the talks.", "China criticised the sanctions.", "Paris met Berlin."))
    first = Claim(
        0, 0, s1.start, s1.end, TEXT[s1.start:s1.end],
        mentions=(_mention("Wang Wenbin", "wang_wenbin"), Mention(17, 22, "China", "china")),
        stances=(_stance(0, "wang_wenbin", "neutral", 0.7), _stance(1, "china", "support", 0.9)),
        attribution=Attribution(source=(Span(0, 11),), cue=(Span(12, 16),), content=(Span(17, 38),), holder_id="wang_wenbin"),
    )
    second = Claim(
        1, 1, s2.start, s2.end, TEXT[s2.start:s2.end],
        mentions=(Mention(s2.start, s2.start + 5, "China", "china"),),
        stances=(_stance(0, "china", "critical", 0.6),),
    )
    third = Claim(
        2, 2, s3.start, s3.end, TEXT[s3.start:s3.end],
        mentions=(_mention("Paris", "france"), _mention("Berlin", "germany")),
        stances=(_stance(0, "france", "none", 0.9), _stance(1, "germany", "none", 0.8)),
    )
    return Article(id="a1", text=TEXT, published=datetime(2023, 3, 20), claims=(first, second, third), segmented=True)


def test_summary_rolls_speakers_up_and_counts_each_statement_once(tmp_path):
    db = tmp_path / "s.db"
    with StanceStore(db) as store:
        store.save_article(_article())
    result = CliRunner().invoke(cli, ["summary", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)  # France and Germany hold no stance: no rows
    # Claim 0 counts once for China (Wang Wenbin's own neutral outranks "China" in his content).
    assert row == {
        "article_id": "a1", "published": "2023-03-20T00:00:00+00:00", "actor_id": "china", "actor_name": "China",
        "label": "neutral", "confidence": round(0.7 / 1.3, 4), "n_claims": 2,
        "evidence": ["Wang Wenbin said China backs the talks.", "China criticised the sanctions."],
    }


def test_summary_without_rollup_keeps_speakers_apart_and_filters(tmp_path):
    db = tmp_path / "s.db"
    with StanceStore(db) as store:
        store.save_article(_article())
    result = CliRunner().invoke(cli, ["summary", "--db", str(db), "--no-rollup", "--format", "jsonl"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    by_actor = {r["actor_id"]: r for r in rows}
    assert set(by_actor) == {"wang_wenbin", "china"}
    assert (by_actor["wang_wenbin"]["label"], by_actor["wang_wenbin"]["n_claims"]) == ("neutral", 1)
    assert (by_actor["china"]["label"], by_actor["china"]["n_claims"]) == ("support", 2)
    only = CliRunner().invoke(cli, ["summary", "--db", str(db), "--actor", "Beijing", "--article", "a1", "--format", "jsonl"])
    assert [json.loads(line)["actor_id"] for line in only.output.splitlines()] == ["china"]
    none = CliRunner().invoke(cli, ["summary", "--db", str(db), "--article", "nope"])
    assert none.exit_code == 0 and "no stances" in none.output
