"""The link stage: registry actors found in text (longest match, case-aware, possessives)."""

import pytest

from stance.pipeline.link import ActorLinker


def _link(registry, text):
    return [(m.text, m.actor_id) for m in ActorLinker(registry).find(text)]


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
    mentions = ActorLinker(registry).find(text, offset=100)
    assert [(m.text, m.start, m.actor_id) for m in mentions] == [("Washington", 110, "united_states"), ("Moscow", 125, "russia")]
    for mention in mentions:
        assert text[mention.start - 100 : mention.end - 100] == mention.text


def test_linker_stage_gives_each_claim_its_mentions_in_article_offsets(registry):
    from stance.data import Article
    from stance.pipeline.segment import ClaimSegmenter

    text = "Beijing denied it. Western leaders criticised Moscow."
    article = ActorLinker(registry)(ClaimSegmenter()(Article(id="a", text=text)))
    assert [[(m.text, m.start, m.end, m.actor_id, m.via) for m in c.mentions] for c in article.claims] == [
        [("Beijing", 0, 7, "china", None)],
        [("Western leaders", 19, 34, "west", None), ("Moscow", 46, 52, "russia", None)],
    ]
