"""Words ↔ BIO tags ↔ relations."""

from stance.attribution.metrics import attribution_counts
from stance.attribution.tags import TaggedSpan, encode_tags, group_relations, tag_spans, words
from stance.data import Attribution, Span

TEXT = "“We will win,” Trump said, “in November.” Aides denied it."
RELATIONS = (
    Attribution(source=(Span(15, 20),), cue=(Span(21, 25),), content=(Span(1, 12), Span(28, 39))),
    Attribution(source=(Span(42, 47),), cue=(Span(48, 54),), content=(Span(55, 57),)),
)


def test_words_split_punctuation_and_keep_offsets():
    assert [TEXT[w.start : w.end] for w in words(TEXT)][:6] == ["“", "We", "will", "win", ",", "”"]
    other = "Clinton’s aide"
    assert [other[w.start : w.end] for w in words(other)] == ["Clinton’s", "aide"]


def test_encode_tags_marks_each_fragment():
    tags = encode_tags(words(TEXT), RELATIONS)
    assert tags == [
        "O", "B-content", "I-content", "I-content", "O", "O",  # “ We will win , ”
        "B-source", "B-cue", "O", "O",  # Trump said , “
        "B-content", "I-content", "O", "O",  # in November . ”
        "B-source", "B-cue", "B-content", "O",  # Aides denied it .
    ]


def test_tag_spans_is_lenient_about_i_after_o():
    assert tag_spans(["O", "I-cue", "I-cue", "B-cue", "O", "I-source"]) == [
        TaggedSpan("cue", 1, 2), TaggedSpan("cue", 3, 3), TaggedSpan("source", 5, 5)
    ]


def test_grouping_gold_tags_recovers_a_split_quote_and_a_denial():
    word_spans = words(TEXT)
    relations = group_relations(tag_spans(encode_tags(word_spans, RELATIONS)), word_spans, 40, 15)
    assert [[(s.start, s.end) for s in r.content] for r in relations] == [[(1, 12), (28, 39)], [(55, 57)]]
    assert attribution_counts(RELATIONS, relations, word_spans) == (2, 2, 2)


def test_content_without_a_cue_is_no_relation():
    word_spans = words("Taxes will rise.")
    assert group_relations([TaggedSpan("content", 0, 2)], word_spans, 40, 15) == ()
