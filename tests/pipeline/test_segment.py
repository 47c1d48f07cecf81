"""The segment stage: sentences and clauses by rule, with offsets into the article."""

import pytest

from stance.data import Article, Span
from stance.pipeline.segment import ClaimSegmenter


def _claims(text):
    article = ClaimSegmenter()(Article(id="x", text=text, body=(Span(0, len(text)),)))
    return article.claims


def test_segmenter_splits_dash_clause_into_two_claims():
    text = (
        "The United States has accused China of mulling arms shipments to support Russia's war"
        " — claims Beijing has strongly denied."
    )
    first, second = _claims(text)
    assert first.text.endswith("Russia's war")
    assert second.text == "claims Beijing has strongly denied."
    assert first.sentence_index == second.sentence_index == 0
    assert (second.index, text[second.start : second.end]) == (1, second.text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Mr. Smith said no. Dr. Jones agreed.", ["Mr. Smith said no.", "Dr. Jones agreed."]),
        ("The U.S. Army left. It rained.", ["The U.S. Army left.", "It rained."]),
        ("John F. Kennedy spoke. Crowds cheered.", ["John F. Kennedy spoke.", "Crowds cheered."]),
        ('"We will win," he said. "Never."', ['"We will win," he said.', '"Never."']),
        ("They will sign... a deal on Monday.", ["They will sign... a deal on Monday."]),
    ],
)
def test_segmenter_sentence_boundaries(text, expected):
    assert [c.text for c in _claims(text)] == expected


def test_segmenter_keeps_short_dash_pieces_together():
    (claim,) = _claims("Prices rose — sharply.")
    assert claim.text == "Prices rose — sharply."


def test_segmenter_respects_body_spans_and_offsets():
    text = "HEADLINE\nKept one. Kept two.\nDROPPED\nKept three."
    body = (Span(9, 28), Span(37, 48))
    claims = ClaimSegmenter()(Article(id="x", text=text, body=body)).claims
    assert [c.text for c in claims] == ["Kept one.", "Kept two.", "Kept three."]
    assert all(text[c.start : c.end] == c.text for c in claims)
    assert [c.sentence_index for c in claims] == [0, 1, 2]


def test_segmenter_empty_article_has_no_claims():
    article = ClaimSegmenter()(Article(id="x", text="", body=()))
    assert article.claims == () and article.segmented
