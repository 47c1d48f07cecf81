"""Claims from attributions (no model: a stand-in tagger returns fixed relations so the
exact claims can be asserted)."""

from stance.data import Article, Attribution, Span
from stance.pipeline.attribute import ClaimAttributor
from tests.fakes import FixedTagger, relation_of

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
        relation_of(TEXT, "The US", "has accused", "China of supplying arms to Russia"),
        relation_of(TEXT, "Beijing", "has strongly denied", "claims"),
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
        relation_of(text, "The US", "has accused", "China of arming Russia"),
        relation_of(text, None, "claims", "Beijing"),
        relation_of(text, None, "strongly", "denied"),
    )
    claims = _segment(relations, text).claims
    assert [c.text for c in claims] == ["The US has accused China of arming Russia", "claims Beijing has strongly denied."]
    assert text[claims[1].attribution.cue_extent.start : claims[1].attribution.cue_extent.end] == "claims"


def test_a_claim_never_crosses_a_paragraph_break():
    from stance.pipeline.clean import TextCleaner

    text = "Xi Jinping said talks went well.\n\nRussia welcomed the visit. Prices rose."
    # A tagger error: the content runs on into the next paragraph.
    relation = Attribution(
        source=(Span(0, 10),), cue=(Span(11, 15),), content=(Span(16, 32), Span(34, 60))
    )
    article = ClaimAttributor(FixedTagger((relation,)))(TextCleaner()(Article(id="p", text=text)))
    assert [c.text for c in article.claims] == [
        "Xi Jinping said talks went well.",
        "Russia welcomed the visit.",
        "Prices rose.",
    ]
    assert article.claims[0].attribution.content == (Span(16, 32),)
    assert article.claims[1].attribution is None


def test_an_attribution_whose_cue_lies_in_no_kept_paragraph_is_dropped():
    from stance.pipeline.clean import TextCleaner

    text = "READ MORE: Xi said so\n\nTalks resume on Monday."
    relation = Attribution(source=(Span(11, 13),), cue=(Span(14, 18),), content=(Span(23, 46),))
    article = ClaimAttributor(FixedTagger((relation,)))(TextCleaner()(Article(id="r", text=text)))
    assert [(c.text, c.attribution) for c in article.claims] == [("Talks resume on Monday.", None)]
