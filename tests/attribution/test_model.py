"""The tagger's windowing of long articles, BIO repair, and piece labels (no weights:
the tokenizer only)."""

import numpy as np

from stance.attribution.model import central_window, encode_article, piece_labels, plan_windows, repair_bio
from stance.attribution.polnear import AttributionDoc
from stance.attribution.tags import TAGS, encode_tags
from stance.data import Attribution, Span
from stance.lora.base import load_tokenizer

TEXT = "Officials said unbelievably large crowds gathered."
DOC = AttributionDoc("t", TEXT, (Attribution((Span(0, 9),), (Span(10, 14),), (Span(15, 50),)),))


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


def test_piece_labels_put_the_word_tag_on_its_first_piece_and_i_on_the_rest():
    tokenizer = load_tokenizer()
    article = encode_article(tokenizer, TEXT)
    labels = piece_labels(article, encode_tags(article.word_spans, DOC.relations))
    pieces = [tokenizer.token(i) for i in article.input_ids]
    by_piece = {piece: TAGS[label] for piece, label in zip(pieces, labels)}
    assert by_piece["officials"] == "B-source" and by_piece["said"] == "B-cue"
    first = pieces.index("un")  # "unbelievably" is split into several pieces
    assert TAGS[labels[first]] == "B-content" and TAGS[labels[first + 1]] == "I-content"
