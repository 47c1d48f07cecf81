"""The actor registry: coverage, affiliation and roll-up, name resolution, validation."""

import pytest

from stance.actors import ActorRegistry
from stance.errors import ConfigError, UnknownActorError


def test_actors_registry_has_required_coverage(registry):
    assert len(registry) >= 60
    kinds = {a.kind for a in registry.actors.values()}
    assert kinds == {"state", "person", "organisation", "group"}
    for actor_id in ("united_states", "eu", "nato", "g7"):
        assert actor_id in registry.expand("west", rollup=True)


def test_actors_affiliation_and_rollup(registry):
    assert registry.principal("qin_gang") == "china"
    assert registry.principal("china_foreign_ministry") == "china"
    china = registry.expand("china")
    assert {"china", "qin_gang", "xi_jinping", "china_foreign_ministry"} <= china
    assert "united_states" not in registry.expand("west")
    assert "united_states" in registry.expand("west", rollup=True)


@pytest.mark.parametrize("name, actor_id", [("china", "china"), ("The West", "west"), ("beijing", "china"), ("Qin Gang", "qin_gang")])
def test_actors_resolve_by_id_name_or_alias(registry, name, actor_id):
    assert registry.resolve(name).id == actor_id


def test_actors_resolve_unknown_suggests(registry):
    with pytest.raises(UnknownActorError, match="no actor named 'Chinaa'.*Did you mean"):
        registry.resolve("Chinaa")


@pytest.mark.parametrize(
    "body, message",
    [
        ("version: 1\nactors:\n  - {id: a, name: A, kind: planet}\n", r"actors\[1\] \(a\): 'kind' must be one of"),
        ("version: 1\nactors:\n  - {id: a, name: A, kind: state, colour: red}\n", "unknown key 'colour'"),
        ("version: 1\nactors:\n  - {id: A-1, name: A, kind: state}\n", "lowercase snake_case"),
        ("version: 1\nactors:\n  - {id: a, name: A, kind: state, member_of: [b]}\n", "refers to unknown actor 'b'"),
        ("version: 1\nactors:\n  - {id: a, name: A, kind: state, aliases: [X]}\n  - {id: b, name: B, kind: state, aliases: [X]}\n", "alias 'X' is listed for both"),
        ("version: 2\nactors: []\n", "'version' must be 1"),
        ("actors: [\n", "not valid YAML"),
    ],
)
def test_actors_registry_validation_errors_name_file_and_key(tmp_path, body, message):
    path = tmp_path / "actors.yaml"
    path.write_text(body)
    with pytest.raises(ConfigError, match=message) as info:
        ActorRegistry.from_yaml(path)
    assert str(path) in str(info.value)


def test_an_article_s_discoveries_are_forgotten_when_the_next_article_starts():
    from stance.actors import Actor

    registry = ActorRegistry([Actor("russia", "Russia", "state", ("Russia",))])
    registry.add_stored_discoveries([{"id": "x_stored", "name": "Stored One", "kind": "person", "speaks_for": None}])
    registry.add_discovered(Actor("x_stored", "Stored One", "person", ("Stored One",), "russia"), for_article=True)
    registry.add_discovered(Actor("x_new", "New One", "person", ("New One",), "russia"), for_article=True)
    assert registry.principal("x_stored") == "russia" and "x_new" in registry
    registry.forget_article_discoveries()
    assert registry["x_stored"].speaks_for is None and "x_new" not in registry
    # A stored discovery is known for good, even when the article found it first.
    registry.add_discovered(Actor("x_new", "New One", "person", ("New One",), "russia"), for_article=True)
    registry.add_stored_discoveries([{"id": "x_new", "name": "New One", "kind": "person", "speaks_for": "russia"}])
    registry.forget_article_discoveries()
    assert registry.principal("x_new") == "russia"


def test_a_pipeline_judges_each_article_against_the_registry_before_it():
    from stance.actors import Actor
    from stance.config import PipelineConfig
    from stance.data import Article
    from stance.pipeline.core import Pipeline

    registry = ActorRegistry([Actor("russia", "Russia", "state", ("Russia",))])
    seen = []

    class Discovers:
        name, requires, assigns = "discover", (), ()

        def __call__(self, article):
            seen.append(sorted(registry.discovered))
            registry.add_discovered(Actor(f"x_{article.id}", article.id, "person", (article.id,), "russia"), for_article=True)
            return article

    pipeline = Pipeline([Discovers()], PipelineConfig(), registry)
    pipeline(Article(id="a", text="One."))
    pipeline(Article(id="b", text="Two."))
    assert seen == [[], []]
