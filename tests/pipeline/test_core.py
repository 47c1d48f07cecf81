"""Contract shared by every stage (in the spirit of scikit-learn's test_common)."""

import pytest

from stance.data import Article, Label
from stance.pipeline import Pipeline

TEXT = "Headline\n\nBeijing denied the report. Western leaders criticised Beijing; Paris urged calm."


@pytest.fixture(scope="module")
def stages(pipeline):
    return pipeline.stages


def _prepared(stages, upto):
    article = Article(id="x", text=TEXT, title="Headline")
    for stage in stages[:upto]:
        article = stage(article)
    return article


@pytest.mark.parametrize("position", range(5))
def test_pipeline_stage_contract(stages, position):
    stage = stages[position]
    article = _prepared(stages, position)
    first = stage(article)
    assert isinstance(first, Article) and first is not article
    assert stage(article) == first  # deterministic
    assert list(stage.pipe([article, article], batch_size=1)) == [first, first]
    empty = _prepared(stages, position)
    empty = Article(id="e", text="")
    for earlier in stages[:position]:
        empty = earlier(empty)
    assert stage(empty).claims == ()


def test_pipeline_pipe_matches_call_and_assigns_everything(pipeline):
    article = Article(id="x", text=TEXT, title="Headline")
    (piped,) = list(pipeline.pipe([article]))
    assert piped == pipeline(article)
    assert [c.text for c in piped.claims] == ["Beijing denied the report.", "Western leaders criticised Beijing", "Paris urged calm."]
    for claim in piped.claims:
        assert len(claim.stances) == len(claim.mentions)
        for stance in claim.stances:
            assert abs(sum(stance.scores.values()) - 1.0) < 1e-3
            assert stance.confidence == max(stance.scores.values())
            assert stance.model_id == pipeline.model_id
            if stance.label is Label.NONE:
                assert stance.targets == ()


def test_pipeline_attributed_claims_carry_cue_and_holder(pipeline):
    text = "Xi Jinping arrived in Moscow on Monday. He denied that China was sending weapons to Russia."
    article = pipeline(Article(id="p", text=text))
    attributed = [c for c in article.claims if c.attribution is not None]
    assert attributed, [c.text for c in article.claims]
    claim = attributed[-1]
    assert text[claim.attribution.cue_extent.start : claim.attribution.cue_extent.end] == "denied"
    assert claim.attribution.holder_id == "xi_jinping"
    (holder,) = [s for s in claim.stances if claim.mentions[s.mention_index].via == "pronoun"]
    assert (claim.mentions[holder.mention_index].text, holder.actor_id, holder.label) == ("He", "xi_jinping", Label.DENY)
