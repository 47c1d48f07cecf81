"""``Pipeline`` assembly, and the contract every stage keeps (in the spirit of
scikit-learn's test_common): once with model stand-ins for every stage list (fast), once
with the bundled models (slow)."""

import pytest

from stance.data import Article, Claim, Label
from stance.errors import ConfigError
from stance.pipeline import STAGES, Pipeline
from tests.conftest import PROJECT
from tests.fakes import FakeClassifier, FakeTagger

TEXT = "Headline\n\nBeijing denied the report. Western leaders criticised Beijing; Paris urged calm."
# Chosen so that every stage of both lists changes everything it assigns: a pronoun holder
# for `holders`, attributions for `attribute`, a person outside the registry for `discover`,
# keywords the stand-in classifier labels.
FAKE_TEXT = (
    "Headline\n\nXi Jinping arrived in Moscow on Monday. He denied that China was sending weapons to Russia.\n"
    "Western leaders criticised Beijing; Paris urged calm.\n"
    "Polish Deputy Foreign Minister Pawel Jablonski welcomed the talks."
)
STAGE_LISTS = {
    "attribute": ("clean", "attribute", "link", "discover", "holders", "propose", "classify"),
    "segment": ("clean", "segment", "link", "classify"),
}
CASES = [(name, position) for name, stages in STAGE_LISTS.items() for position in range(len(stages))]


@pytest.fixture(scope="module")
def fake_pipelines(registry):
    return {
        name: Pipeline.from_config(
            PROJECT / "configs" / "pipeline.yaml",
            registry=registry,
            classifier=FakeClassifier(),
            tagger=FakeTagger(),
            stages=stages,
        )
        for name, stages in STAGE_LISTS.items()
    }


def _prepared(stages, upto, text=TEXT):
    article = Article(id="x", text=text, title="Headline")
    for stage in stages[:upto]:
        article = stage(article)
    return article


def _skeleton(claim: Claim) -> tuple:
    return (claim.index, claim.sentence_index, claim.start, claim.end, claim.text)


def changed_fields(before: Article, after: Article) -> set[str]:
    """Which of the names a stage can assign changed between two states of an article.

    New or rebuilt claims are compared with bare claims (no mentions, stances or
    attribution), so a stage that creates claims with attributions also reports those.
    Any other article field changing is reported under its own name, which no stage assigns.
    """
    changed = {
        name for name in ("id", "text", "title", "published", "source", "url") if getattr(before, name) != getattr(after, name)
    }
    if before.body != after.body:
        changed.add("body")
    if before.discovered != after.discovered:
        changed.add("discovered")
    if before.segmented != after.segmented or [_skeleton(c) for c in before.claims] != [_skeleton(c) for c in after.claims]:
        changed.add("claims")
        before_claims = [Claim(*_skeleton(c)) for c in after.claims]
    else:
        before_claims = list(before.claims)
    for old, new in zip(before_claims, after.claims):
        if old.mentions != new.mentions:
            changed.add("mentions")
        if old.stances != new.stances:
            changed.add("stances")
        if old.proposition != new.proposition:
            changed.add("propositions")
        if old.attribution != new.attribution:
            only_holder = (
                old.attribution is not None
                and new.attribution is not None
                and (old.attribution.source, old.attribution.cue, old.attribution.content)
                == (new.attribution.source, new.attribution.cue, new.attribution.content)
            )
            changed.add("holders" if only_holder else "attributions")
    return changed


def test_stage_lists_under_contract_cover_every_registered_stage():
    assert {name for stages in STAGE_LISTS.values() for name in stages} == set(STAGES)


@pytest.mark.parametrize("stage_list, position", CASES, ids=[f"{n}-{p}-{STAGE_LISTS[n][p]}" for n, p in CASES])
def test_stage_contract_with_stand_in_models(fake_pipelines, stage_list, position):
    stages = fake_pipelines[stage_list].stages
    stage = stages[position]
    assert stage.name == STAGE_LISTS[stage_list][position]
    article = _prepared(stages, position, FAKE_TEXT)
    first = stage(article)
    assert isinstance(first, Article) and first is not article
    assert stage(article) == first  # deterministic
    assert list(stage.pipe([article, article], batch_size=1)) == [first, first]
    assert list(stage.pipe([article, article, article], batch_size=2)) == [first, first, first]
    empty = Article(id="e", text="")
    for earlier in stages[:position]:
        empty = earlier(empty)
    assert stage(empty).claims == ()
    # What a stage changes, it declares in `assigns`; what it requires, an earlier stage assigns.
    changed = changed_fields(article, first)
    assert changed <= set(stage.assigns), f"{stage.name} changes {changed - set(stage.assigns)} without assigning it"
    assert changed == set(stage.assigns), "FAKE_TEXT no longer exercises all that the stage assigns"
    assert set(stage.requires) <= {name for earlier in stages[:position] for name in earlier.assigns}


def test_stand_in_pipeline_output_and_pipe_match(fake_pipelines, registry):
    pipeline = fake_pipelines["attribute"]
    article = pipeline(Article(id="f", text=FAKE_TEXT, title="Headline"))
    assert list(pipeline.pipe([Article(id="f", text=FAKE_TEXT, title="Headline")] * 3, batch_size=2)) == [article] * 3
    assert pipeline.model_id == FakeClassifier.model_id
    summary = [
        (
            c.text,
            c.attribution.holder_id if c.attribution else None,
            [(c.mentions[s.mention_index].text, s.actor_id, s.label.value, s.targets) for s in c.stances],
        )
        for c in article.claims
    ]
    assert summary == [
        ("Xi Jinping arrived in Moscow on Monday.", None,
         [("Xi Jinping", "xi_jinping", "none", ()), ("Moscow", "russia", "none", ())]),
        ("He denied that China was sending weapons to Russia.", "xi_jinping",
         [("He", "xi_jinping", "deny", ("russia",)), ("China", "china", "none", ()), ("Russia", "russia", "none", ())]),
        ("Western leaders criticised Beijing", "west",
         [("Western leaders", "west", "critical", ("china",)), ("Beijing", "china", "none", ())]),
        ("Paris urged calm.", "france", [("Paris", "france", "neutral", ())]),
        # Discovered: the person outside the registry holds the claim and speaks for Poland.
        ("Polish Deputy Foreign Minister Pawel Jablonski welcomed the talks.", "x_pawel_jablonski",
         [("Pawel Jablonski", "x_pawel_jablonski", "support", ())]),
    ]
    assert [(a.id, a.speaks_for) for a in article.discovered] == [("x_pawel_jablonski", "poland")]


def test_config_unknown_stage_is_rejected(tmp_path, registry):
    path = tmp_path / "pipeline.yaml"
    path.write_text("stages: [clean, segment, parse]\n")
    with pytest.raises(ConfigError, match="unknown stage 'parse'"):
        Pipeline.from_config(path, registry=registry)


def test_config_stage_order_is_checked(tmp_path, registry):
    path = tmp_path / "pipeline.yaml"
    path.write_text("stages: [link, clean, segment]\n")
    with pytest.raises(ConfigError, match="stage 'link' requires \\['claims'\\]"):
        Pipeline.from_config(path, registry=registry)


def test_config_pipeline_without_classifier_links_actors(tmp_path, registry):
    path = tmp_path / "pipeline.yaml"
    path.write_text("stages: [clean, segment, link]\n")
    pipeline = Pipeline.from_config(path, registry=registry)
    article = pipeline(Article(id="a", text="Beijing denied it. Moscow agreed."))
    assert [[m.actor_id for m in c.mentions] for c in article.claims] == [["china"], ["russia"]]
    assert list(pipeline.pipe([article, article])) == [pipeline(article)] * 2
    assert pipeline.model_id is None


# With the bundled models (the `pipeline` fixture loads the classifier and the tagger).


@pytest.fixture(scope="module")
def stages(pipeline):
    return pipeline.stages


@pytest.mark.slow
@pytest.mark.parametrize("position", range(5))
def test_pipeline_stage_contract(stages, position):
    stage = stages[position]
    article = _prepared(stages, position)
    first = stage(article)
    assert isinstance(first, Article) and first is not article
    assert stage(article) == first  # deterministic
    assert list(stage.pipe([article, article], batch_size=1)) == [first, first]
    empty = Article(id="e", text="")
    for earlier in stages[:position]:
        empty = earlier(empty)
    assert stage(empty).claims == ()
    assert changed_fields(article, first) <= set(stage.assigns)


@pytest.mark.slow
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


@pytest.mark.slow
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
