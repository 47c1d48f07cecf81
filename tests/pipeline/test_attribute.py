"""Claims from attributions, windowing of long articles, and holder resolution (no model:
a stub tagger returns fixed relations so the exact claims can be asserted)."""

import numpy as np

from stance.pipeline.link import ActorLinker
from stance.attribution.model import central_window, plan_windows, repair_bio
from stance.pipeline.attribute import ClaimAttributor
from stance.data import Article, Span
from stance.pipeline.holders import HolderResolver
from stance.data import Attribution


class FixedTagger:
    """Returns the relations it was built with, for every text."""

    def __init__(self, relations):
        self._relations = relations

    def attributions(self, texts):
        return [self._relations for _ in texts]


def _relation(text, source, cue, content, after=0):
    """Spans of the first occurrences of source, cue, content at or after ``after``."""

    def span(part):
        start = text.index(part, after)
        return (Span(start, start + len(part)),)

    return Attribution(source=span(source) if source else (), cue=span(cue), content=span(content))


TEXT = (
    "The US has accused China of supplying arms to Russia — claims Beijing has strongly denied. "
    "Talks resume on Monday. "
    "“We want peace,” Xi Jinping said. “We will keep talking.” "
    "He said the visit was a success."
)


def _segment(relations, text=TEXT):
    return ClaimAttributor(FixedTagger(relations))(Article(id="a", text=text))


def test_one_sentence_with_two_attributions_is_cut_where_the_second_begins():
    relations = (
        _relation(TEXT, "The US", "has accused", "China of supplying arms to Russia"),
        _relation(TEXT, "Beijing", "has strongly denied", "claims"),
    )
    article = _segment(relations)
    assert [c.text for c in article.claims] == [
        "The US has accused China of supplying arms to Russia",
        "claims Beijing has strongly denied.",
        "Talks resume on Monday.",
        "“We want peace,” Xi Jinping said.",
        "“We will keep talking.”",
        "He said the visit was a success.",
    ]
    first, second = article.claims[:2]
    assert TEXT[first.attribution.cue_extent.start : first.attribution.cue_extent.end] == "has accused"
    assert TEXT[second.attribution.source_extent.start : second.attribution.source_extent.end] == "Beijing"
    assert [c.attribution is None for c in article.claims[2:]] == [True] * 4
    for claim in article.claims:
        assert TEXT[claim.start : claim.end] == claim.text


def test_an_attribution_across_two_sentences_makes_one_claim():
    quote = "“We want peace,” Xi Jinping said. “We will keep talking.”"
    start = TEXT.index(quote)
    relation = Attribution(
        source=(Span(TEXT.index("Xi Jinping"), TEXT.index("Xi Jinping") + 10),),
        cue=(Span(TEXT.index("said."), TEXT.index("said.") + 4),),
        content=(Span(start + 1, start + 14), Span(TEXT.index("We will"), TEXT.index("talking.") + 8)),
    )
    claims = _segment((relation,)).claims
    assert [c.text for c in claims if c.attribution] == [quote]
    assert len(claims) == 6 - 1


def test_holder_resolution_names_pronouns_and_possessors(registry):
    text = "Putin's adviser Yuri Ushakov said talks went well. Xi Jinping arrived. He said the visit was a success."
    relations = (
        _relation(text, "Putin's adviser Yuri Ushakov", "said", "talks went well"),
        _relation(text, "He", "said", "the visit was a success", after=text.index("He said")),
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
    relations = (_relation(text, "The ministry", "said", "the talks were useful"),)
    article = ClaimAttributor(FixedTagger(relations))(Article(id="c", text=text))
    article = HolderResolver(registry)(ActorLinker(registry)(article))
    assert article.claims[1].attribution.holder_id == "germany"  # a ministry is a state's, not Xi's


def test_windows_cover_every_piece_and_the_centre_wins():
    windows = plan_windows(1000, window=256, stride=128)
    assert windows[0].start == 0 and windows[-1].end == 1000
    assert all(w.end - w.start == 254 for w in windows)
    owner = central_window(windows, 1000)
    assert (owner >= 0).all()
    assert owner[300] == 1  # piece 300 sits near the middle of window 1 (128–382)
    assert plan_windows(10, 256, 128) == [type(windows[0])(0, 10)]
    assert np.array_equal(central_window(plan_windows(10, 256, 128), 10), np.zeros(10, dtype=int))


def test_repair_bio_opens_a_span_with_b():
    assert repair_bio(["O", "I-cue", "I-cue", "I-source"]) == ["O", "B-cue", "I-cue", "B-source"]
    assert repair_bio(["B-cue", "B-cue", "B-content", "B-content"], ("cue",)) == ["B-cue", "I-cue", "B-content", "B-content"]


def test_fragments_in_dropped_boilerplate_are_clipped_from_the_relation():
    text = "READ MORE: Can China broker peace?\n\nThe US has accused China of arming Russia."
    teaser = Span(11, 34)
    relation = Attribution(
        source=(Span(text.index("The US"), text.index("The US") + 6),),
        cue=(Span(text.index("has accused"), text.index("has accused") + 11),),
        content=(teaser, Span(text.index("China of"), len(text) - 1)),
    )
    body = (Span(text.index("The US"), len(text)),)
    article = ClaimAttributor(FixedTagger((relation,)))(Article(id="d", text=text, body=body))
    (claim,) = article.claims
    assert claim.text == "The US has accused China of arming Russia."
    assert claim.attribution.content == (Span(text.index("China of"), len(text) - 1),)


def test_a_stray_cue_cannot_cut_a_clause_into_fragments():
    text = "The US has accused China of arming Russia — claims Beijing has strongly denied."
    relations = (
        _relation(text, "The US", "has accused", "China of arming Russia"),
        _relation(text, None, "claims", "Beijing"),
        _relation(text, None, "strongly", "denied"),
    )
    claims = _segment(relations, text).claims
    assert [c.text for c in claims] == ["The US has accused China of arming Russia", "claims Beijing has strongly denied."]
    assert text[claims[1].attribution.cue_extent.start : claims[1].attribution.cue_extent.end] == "claims"


def test_a_sourceless_attribution_continuing_a_sentence_keeps_its_holder(registry):
    text = "China has sought to stay neutral in the conflict, urging Moscow and Kiev to negotiate."
    relations = (
        _relation(text, "China", "has sought", "to stay neutral in the conflict"),
        _relation(text, None, "urging", "Moscow and Kiev to negotiate"),
    )
    article = ClaimAttributor(FixedTagger(relations))(Article(id="e", text=text))
    article = HolderResolver(registry)(ActorLinker(registry)(article))
    assert [(c.text, c.attribution.holder_id) for c in article.claims] == [
        ("China has sought to stay neutral in the conflict", "china"),
        ("urging Moscow and Kiev to negotiate.", "china"),
    ]
