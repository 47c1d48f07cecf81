"""The classify stage with a stand-in classifier: one stance per mention, and its targets."""

from stance.classifier.model import MentionExample
from stance.data import Article, Claim, Label, Mention, Stance
from stance.pipeline.classify import StanceLabeller
from tests.fakes import FakeClassifier, fake_scores

MODEL = FakeClassifier.model_id


def _claim(index, start, text, mentions):
    """A claim at ``start`` with mentions given as (surface, actor_id) in order of appearance."""
    found, offset = [], 0
    for surface, actor_id in mentions:
        at = text.index(surface, offset)
        found.append(Mention(start + at, start + at + len(surface), surface, actor_id))
        offset = at + len(surface)
    return Claim(index, index, start, start + len(text), text, mentions=tuple(found))


def test_targets_are_the_other_actors_labelled_none_except_the_holders_own_side(registry):
    text = "Qin Gang criticised Beijing critics and Washington and Washington."
    claim = _claim(0, 10, text, [("Qin Gang", "qin_gang"), ("Beijing", "china"), ("Washington", "united_states"),
                                 ("Washington", "united_states")])
    article = Article(id="a", text=" " * 10 + text, claims=(claim,), segmented=True)
    classifier = FakeClassifier()
    (labelled,) = StanceLabeller(classifier, principal=registry.principal)(article).claims
    assert labelled.stances == (
        # Qin Gang speaks for China: China is not his target; Washington once, not twice.
        Stance(0, "qin_gang", Label.CRITICAL, 0.8, fake_scores(Label.CRITICAL), MODEL, ("united_states",)),
        Stance(1, "china", Label.NONE, 0.8, fake_scores(Label.NONE), MODEL, ()),
        Stance(2, "united_states", Label.NONE, 0.8, fake_scores(Label.NONE), MODEL, ()),
        Stance(3, "united_states", Label.NONE, 0.8, fake_scores(Label.NONE), MODEL, ()),
    )
    # The classifier sees each mention with offsets into the claim, not the article.
    assert classifier.seen[:2] == [MentionExample(text, 0, 8), MentionExample(text, 20, 27)]


def test_without_a_principal_map_every_silent_actor_is_a_target():
    text = "Qin Gang criticised Beijing."
    claim = _claim(0, 0, text, [("Qin Gang", "qin_gang"), ("Beijing", "china")])
    (labelled,) = StanceLabeller(FakeClassifier())(Article(id="a", text=text, claims=(claim,), segmented=True)).claims
    assert [(s.actor_id, s.label, s.targets) for s in labelled.stances] == [
        ("qin_gang", Label.CRITICAL, ("china",)), ("china", Label.NONE, ()),
    ]


def test_two_speakers_in_one_claim_are_not_each_others_targets(registry):
    text = "Paris welcomed and Berlin denied the deal with Moscow."
    claim = _claim(0, 0, text, [("Paris", "france"), ("Berlin", "germany"), ("Moscow", "russia")])
    (labelled,) = StanceLabeller(FakeClassifier(), registry.principal)(
        Article(id="a", text=text, claims=(claim,), segmented=True)
    ).claims
    assert [(s.actor_id, s.label, s.targets) for s in labelled.stances] == [
        ("france", Label.SUPPORT, ("russia",)), ("germany", Label.DENY, ("russia",)), ("russia", Label.NONE, ()),
    ]


def test_claims_without_mentions_get_no_stances_and_batches_keep_article_order(registry):
    stage = StanceLabeller(FakeClassifier(), registry.principal)
    quiet = Article(id="q", text="It rained.", claims=(Claim(0, 0, 0, 10, "It rained."),), segmented=True)
    text = "Beijing denied it."
    loud = Article(id="l", text=text, claims=(_claim(0, 0, text, [("Beijing", "china")]),), segmented=True)
    out = list(stage.pipe([quiet, loud, quiet], batch_size=2))
    assert [a.id for a in out] == ["q", "l", "q"]
    assert out[0].claims[0].stances == ()
    assert [(s.actor_id, s.label) for s in out[1].claims[0].stances] == [("china", Label.DENY)]
    assert out == [stage(quiet), stage(loud), stage(quiet)]
