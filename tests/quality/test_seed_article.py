"""The article the product was specified from: the engine must get it right (slow: the
bundled models score it)."""

import pytest

from stance.data import Label

pytestmark = pytest.mark.slow


def _stances(article, registry):
    """(principal actor, mention, label, claim, targets) for every judged mention."""
    return [
        (registry.principal(s.actor_id), claim.mentions[s.mention_index].text, s.label, claim.text, s.targets)
        for claim in article.claims
        for s in claim.stances
    ]


def test_seed_china_is_neutral_on_the_war(seed_article, registry):
    labels = {(m, label) for actor, m, label, _, _ in _stances(seed_article, registry) if actor == "china"}
    assert any(label is Label.NEUTRAL for _, label in labels), labels


def test_seed_beijing_denies_us_arms_claims(seed_article, registry):
    denials = [(m, claim) for actor, m, label, claim, _ in _stances(seed_article, registry)
               if actor == "china" and label is Label.DENY]
    assert ("Beijing", "claims Beijing has strongly denied.") in denials


def test_seed_west_is_critical_of_china(seed_article, registry):
    west = [(label, targets) for actor, m, label, _, targets in _stances(seed_article, registry) if m == "Western leaders"]
    assert west and all(label is Label.CRITICAL for label, _ in west)
    assert any("china" in targets for _, targets in west)


def test_seed_united_states_is_critical(seed_article, registry):
    us = [label for actor, _, label, _, _ in _stances(seed_article, registry) if actor == "united_states"]
    assert Label.CRITICAL in us


def test_seed_russia_supports_the_partnership(seed_article, registry):
    russia = [label for actor, _, label, _, _ in _stances(seed_article, registry) if actor == "russia"]
    assert Label.SUPPORT in russia


def test_seed_beijing_as_target_of_western_criticism_holds_none(seed_article, registry):
    (label,) = [label for _, m, label, claim, _ in _stances(seed_article, registry)
                if m == "Beijing" and claim.startswith("But Western leaders have repeatedly criticised Beijing")]
    assert label is Label.NONE


def test_seed_offsets_point_into_original_text(seed_article):
    for claim in seed_article.claims:
        assert seed_article.text[claim.start : claim.end] == claim.text
        for mention in claim.mentions:
            assert seed_article.text[mention.start : mention.end] == mention.text
    assert not any("READ MORE" in c.text or c.text == "Loading..." for c in seed_article.claims)


def test_seed_beijings_denial_answers_the_us_accusation(seed_article, registry):
    """The nested form of the seed: "The United States has accused China of mulling arms
    shipments … — claims Beijing has strongly denied" links the denial to the accusation."""
    (denial,) = [c for c in seed_article.claims if c.text.startswith("claims Beijing has strongly denied")]
    answered = seed_article.claims[denial.proposition.answers]
    assert answered.text.startswith("The United States has accused China of mulling arms shipments")
    assert denial.proposition.text == answered.proposition.text
    labels = {(registry.principal(s.actor_id), s.label.value) for c in (answered, denial) for s in c.stances}
    assert ("united_states", "critical") in labels and ("china", "deny") in labels


def test_seed_answers_hold_with_the_fast_pipeline():
    """configs/pipeline_fast.yaml (the distilled student, less window overlap) keeps the
    article-level answers: China neutral, the West critical, Beijing denying."""
    from stance.aggregate import article_stances
    from stance.cli.defaults import pipeline_config, registry_for
    from stance.data import stance_records
    from stance.io.ingest import read_articles
    from stance.pipeline import Pipeline
    from tests.conftest import PROJECT, SEED_ARTICLE

    config = pipeline_config(PROJECT / "configs" / "pipeline_fast.yaml")
    pipeline = Pipeline.from_config(config, registry=registry_for(config))
    assert pipeline.model_id == "stance-classifier@d102325722"
    (article,) = list(read_articles(SEED_ARTICLE))
    annotated = pipeline(article)
    answers = {a.actor_id: a.label for a in article_stances(stance_records(annotated), pipeline.registry.principal)}
    assert (answers["china"], answers["west"]) == (Label.NEUTRAL, Label.CRITICAL)
    denials = [claim.text for claim in annotated.claims for s in claim.stances
               if s.label is Label.DENY and claim.mentions[s.mention_index].text == "Beijing"]
    assert denials == ["claims Beijing has strongly denied."]
