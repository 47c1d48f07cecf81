"""The data model: spans, attribution extents, and flattening an article into records."""

from datetime import datetime

import pytest

from stance.data import Article, Attribution, Claim, Label, Mention, Span, Stance, StanceRecord, attribution_texts, stance_records

TEXT = "“We will win,” Trump has repeatedly said, “in November.”"
# Source "Trump"; a two-fragment cue "has … said"; a two-fragment content.
RELATION = Attribution(
    source=(Span(15, 20),), cue=(Span(21, 24), Span(36, 40)), content=(Span(1, 12), Span(43, 54)), holder_id="donald_trump"
)


def test_span_rejects_negative_and_reversed_ranges():
    assert Span(3, 3) == Span(3, 3)
    with pytest.raises(ValueError, match=r"invalid span \[-1, 2\)"):
        Span(-1, 2)
    with pytest.raises(ValueError, match=r"invalid span \[5, 4\)"):
        Span(5, 4)


def test_cue_and_source_extents_run_from_the_first_fragment_to_the_last():
    assert RELATION.cue_extent == Span(21, 40)
    assert TEXT[21:40] == "has repeatedly said"
    assert RELATION.source_extent == Span(15, 20)
    assert RELATION.role("content") == RELATION.content
    sourceless = Attribution(source=(), cue=(Span(21, 24),), content=(Span(1, 12),))
    assert sourceless.source_extent is None


def test_attribution_texts_are_the_cue_and_source_words_and_the_holder():
    assert attribution_texts(TEXT, RELATION) == {"holder_id": "donald_trump", "cue": "has repeatedly said", "source": "Trump"}
    sourceless = Attribution(source=(), cue=(Span(36, 40),), content=(Span(1, 12),))
    assert attribution_texts(TEXT, sourceless) == {"holder_id": None, "cue": "said", "source": None}
    assert attribution_texts(TEXT, None) == {"holder_id": None, "cue": None, "source": None}


def test_stance_records_flatten_one_row_per_stance_with_its_claim_and_attribution():
    text = "Trump said Beijing lied. Paris agreed."
    first = Claim(
        0, 0, 0, 24, "Trump said Beijing lied.",
        mentions=(Mention(0, 5, "Trump", "donald_trump"), Mention(11, 18, "Beijing", "china")),
        stances=(
            Stance(0, "donald_trump", Label.CRITICAL, 0.9, {"critical": 0.9}, "m", ("china",)),
            Stance(1, "china", Label.NONE, 0.8, {"none": 0.8}, "m"),
        ),
        attribution=Attribution((Span(0, 5),), (Span(6, 10),), (Span(11, 23),), holder_id="donald_trump"),
    )
    second = Claim(1, 1, 25, 37, "Paris agreed.", mentions=(Mention(25, 30, "Paris", "france"),),
                   stances=(Stance(0, "france", Label.SUPPORT, 0.7, {"support": 0.7}, "m"),))
    article = Article(id="a", text=text, published=datetime(2023, 3, 17), claims=(first, second), segmented=True)
    assert stance_records(article) == [
        StanceRecord("a", datetime(2023, 3, 17), 0, "Trump said Beijing lied.", "Trump", "donald_trump", Label.CRITICAL,
                     0.9, {"critical": 0.9}, ("china",), "m", holder_id="donald_trump", cue="said", source="Trump"),
        StanceRecord("a", datetime(2023, 3, 17), 0, "Trump said Beijing lied.", "Beijing", "china", Label.NONE,
                     0.8, {"none": 0.8}, (), "m", holder_id="donald_trump", cue="said", source="Trump"),
        StanceRecord("a", datetime(2023, 3, 17), 1, "Paris agreed.", "Paris", "france", Label.SUPPORT,
                     0.7, {"support": 0.7}, (), "m"),
    ]


def test_articles_compare_without_their_origin():
    assert Article(id="a", text="x", origin="f.jsonl:1") == Article(id="a", text="x", origin="f.jsonl:2")
    assert Label.values() == ["support", "critical", "neutral", "deny", "none"]
