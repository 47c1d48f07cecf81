import pytest

from stance.actors import ActorRegistry
from stance.pipeline.link import ActorLinker
from stance.errors import ConfigError, UnknownActorError


def _link(registry, text):
    return [(m.text, m.actor_id) for m in ActorLinker(registry).find(text)]


def test_actors_registry_has_required_coverage(registry):
    assert len(registry) >= 60
    kinds = {a.kind for a in registry.actors.values()}
    assert kinds == {"state", "person", "organisation", "group"}
    for actor_id in ("united_states", "eu", "nato", "g7"):
        assert actor_id in registry.expand("west", rollup=True)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Beijing denied it.", [("Beijing", "china")]),
        ("The Kremlin said so.", [("The Kremlin", "russia")]),
        ("China's foreign ministry called it a visit for peace.", [("China's foreign ministry", "china_foreign_ministry")]),
        ("China’s foreign ministry said.", [("China’s foreign ministry", "china_foreign_ministry")]),
        ("Putin's adviser Yuri Ushakov said.", [("Putin", "vladimir_putin"), ("Yuri Ushakov", "yuri_ushakov")]),
        ("Western leaders criticised Beijing.", [("Western leaders", "west"), ("Beijing", "china")]),
        ("Zelensky and Zelenskyy met Qin.", [("Zelensky", "volodymyr_zelenskyy"), ("Zelenskyy", "volodymyr_zelenskyy"), ("Qin", "qin_gang")]),
        ("Let us talk about the West Bank and the South China Sea.", []),
        ("Chinese exports rose.", []),
    ],
)
def test_actors_linker_longest_case_aware_possessive(registry, text, expected):
    assert _link(registry, text) == expected


def test_actors_linker_offsets_point_into_text(registry):
    text = "Yesterday Washington and Moscow traded accusations."
    for mention in ActorLinker(registry).find(text, offset=100):
        assert text[mention.start - 100 : mention.end - 100] == mention.text


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
