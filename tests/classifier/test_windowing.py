"""Long claims: a claim longer than ``max_length`` pieces is cut to the window around the
mention being judged, so that every mention keeps its markers and its own context (a cut
from the start gave every late mention the same, marker-less input and the same scores).
A claim that fits is read whole, exactly as before."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from stance.classifier.model import MENTION_END, MENTION_START, MentionExample, StanceClassifier, load_marked_tokenizer
from stance.lora.minilm import window_start
from tests.conftest import PROJECT

STUDENT_DIR = PROJECT / "stance" / "models" / "stance-classifier-student"
MAX_LENGTH = 128
ACTOR = "Russia"

# A long multi-sentence quote naming the same actor near its start, middle and end, each
# time in a different context.
OPENING = "Russia flatly denied on Monday that its troops had crossed the border, calling the report a fabrication. "
FILLER = (
    "The committee met for several hours behind closed doors to discuss the budget, the fishing quotas, "
    "the railway timetable and the long-delayed renovation of the harbour, and no decision was announced. "
)
MIDDLE = "The minister warmly praised Russia for its generous help with the reconstruction of the dam. "
CLOSING = "Officials in the capital sharply criticised Russia"
LONG_CLAIM = OPENING + FILLER * 4 + MIDDLE + FILLER * 5 + CLOSING
SHORT_CLAIMS = [
    ("Beijing denied the report, a spokesman said on Monday.", "Beijing"),
    ("The United States accused China of arming Russia.", "China"),
    ("Paris praised the deal.", "Paris"),
]


@pytest.fixture(scope="module")
def tokenizer():
    return load_marked_tokenizer()


@pytest.fixture(scope="module")
def student():
    return StanceClassifier.load(STUDENT_DIR)


def long_mentions() -> list[MentionExample]:
    starts = [LONG_CLAIM.index(ACTOR), LONG_CLAIM.index(MIDDLE) + MIDDLE.index(ACTOR), LONG_CLAIM.rindex(ACTOR)]
    return [MentionExample(LONG_CLAIM, start, start + len(ACTOR)) for start in starts]


def recorded_inputs(classifier, monkeypatch, examples) -> tuple[np.ndarray, list[list[int]]]:
    """The classifier's probabilities for ``examples`` and, in input order, the piece ids
    (padding dropped) that its network was given for each."""
    model, seen = classifier.model, []

    def recording(input_ids, attention_mask, **kwargs):
        seen.extend(row[mask.bool()].tolist() for row, mask in zip(input_ids, attention_mask))
        return model(input_ids=input_ids, attention_mask=attention_mask, **kwargs)

    monkeypatch.setattr(classifier, "model", recording)
    # One example a batch, so that the calls come in input order.
    monkeypatch.setattr(classifier, "config", dataclasses.replace(classifier.config, batch_size=1))
    probabilities = classifier.predict_proba(examples)
    return probabilities, seen


def contains(sequence: list[int], part: list[int]) -> bool:
    return any(sequence[i : i + len(part)] == part for i in range(len(sequence) - len(part) + 1))


def test_the_long_claim_is_far_over_max_length(tokenizer):
    assert 380 <= len(tokenizer.pieces(MentionExample(LONG_CLAIM, 0, 6).marked())[0]) <= 420
    assert LONG_CLAIM.count(ACTOR) == 3


@pytest.mark.slow
def test_each_mention_of_a_long_claim_is_judged_with_its_own_markers_and_context(student, monkeypatch):
    tokenizer = student.tokenizer
    examples = long_mentions()
    probabilities, inputs = recorded_inputs(student, monkeypatch, examples)
    marker_start, marker_end = tokenizer.token_id(MENTION_START), tokenizer.token_id(MENTION_END)
    (actor_id,) = tokenizer.pieces(ACTOR)[0]
    contexts = ["flatly denied on Monday that", "minister warmly praised", "capital sharply criticised"]
    assert len(inputs) == 3
    for ids, context in zip(inputs, contexts):
        assert len(ids) == MAX_LENGTH
        assert ids[0] == tokenizer.cls_token_id and ids[-1] == tokenizer.sep_token_id
        assert ids.count(marker_start) == 1 and ids.count(marker_end) == 1
        assert contains(ids, [marker_start, actor_id, marker_end])
        assert contains(ids, tokenizer.pieces(context)[0])
    # Identical actor strings in different contexts: different inputs, different scores.
    assert len({tuple(ids) for ids in inputs}) == 3
    for i, j in ((0, 1), (0, 2), (1, 2)):
        assert np.abs(probabilities[i] - probabilities[j]).max() > 1e-3
    # What the whole claim cut from its start (the old input) gives every late mention alike.
    truncated, _ = student.tokenizer.batch([e.marked() for e in examples[1:]], MAX_LENGTH)
    assert marker_start not in truncated.flatten().tolist()


@pytest.mark.slow
def test_a_mention_in_the_middle_is_centred(student, monkeypatch):
    _, (ids,) = recorded_inputs(student, monkeypatch, long_mentions()[1:2])
    tokenizer = student.tokenizer
    start, end = ids.index(tokenizer.token_id(MENTION_START)), ids.index(tokenizer.token_id(MENTION_END))
    before, after = start - 1, len(ids) - 2 - end  # pieces of context, [CLS]/[SEP] not counted
    assert abs(before - after) <= 1


@pytest.mark.slow
def test_mentions_at_the_very_start_and_end_of_a_long_claim(student, monkeypatch):
    tokenizer = student.tokenizer
    marker_start, marker_end = tokenizer.token_id(MENTION_START), tokenizer.token_id(MENTION_END)
    claim = "Russia" + LONG_CLAIM.removeprefix("Russia")  # starts with the actor
    claim = claim.removesuffix(ACTOR) + ACTOR  # and ends with it, no full stop
    first = MentionExample(claim, 0, len(ACTOR))
    last = MentionExample(claim, len(claim) - len(ACTOR), len(claim))
    _, (head, tail) = recorded_inputs(student, monkeypatch, [first, last])
    (actor_id,) = tokenizer.pieces(ACTOR)[0]
    # At the start: the window is the claim's first pieces, markers right after [CLS].
    assert head[:4] == [tokenizer.cls_token_id, marker_start, actor_id, marker_end]
    assert len(head) == MAX_LENGTH
    expected_head, _ = tokenizer.batch([first.marked()], MAX_LENGTH)
    assert head == expected_head[0].tolist()
    # At the end: the window is the claim's last pieces, markers right before [SEP].
    assert tail[-4:] == [marker_start, actor_id, marker_end, tokenizer.sep_token_id]
    assert len(tail) == MAX_LENGTH
    pieces = tokenizer.pieces(last.marked())[0]
    assert tail[1:-1] == pieces[-(MAX_LENGTH - 2) :]


def test_a_claim_that_fits_gets_exactly_the_pieces_batch_gives(tokenizer):
    examples = [MentionExample(text, text.index(actor), text.index(actor) + len(actor)) for text, actor in SHORT_CLAIMS]
    texts = [example.marked() for example in examples]
    expected_ids, expected_mask = tokenizer.batch(texts, MAX_LENGTH)
    input_ids, attention = tokenizer.batch_around(texts, [e.marked_span() for e in examples], MAX_LENGTH)
    assert input_ids.tolist() == expected_ids.tolist()
    assert attention.tolist() == expected_mask.tolist()


@pytest.mark.slow
def test_short_claims_score_as_with_a_plain_cut(student):
    import torch

    examples = [MentionExample(text, text.index(actor), text.index(actor) + len(actor)) for text, actor in SHORT_CLAIMS]
    input_ids, attention = student.tokenizer.batch([e.marked() for e in examples], MAX_LENGTH)
    with torch.inference_mode():
        logits = student.model(input_ids=input_ids, attention_mask=attention).logits / student.temperature
    np.testing.assert_array_equal(student.predict_proba(examples), torch.softmax(logits, dim=-1).numpy())


def test_the_marked_span_is_the_mention_with_its_markers():
    example = MentionExample("Xi met Putin.", 7, 12)
    start, end = example.marked_span()
    assert example.marked()[start:end] == f"{MENTION_START} Putin {MENTION_END}"


@pytest.mark.parametrize(
    ("length", "first", "last", "budget", "expected"),
    [
        (400, 0, 2, 126, 0),  # at the start: no context before, all after
        (400, 397, 399, 126, 274),  # at the end: all context before
        (400, 200, 202, 126, 139),  # in the middle: 61 pieces before, 62 after
        (400, 5, 7, 126, 0),  # near the start: shifted inwards
        (400, 390, 392, 126, 274),  # near the end: shifted inwards
        (400, 100, 300, 126, 100),  # a span longer than the window keeps its start
        (100, 90, 92, 126, 0),  # fits: no cut
    ],
)
def test_window_start_keeps_the_span_centred_and_its_first_piece_inside(length, first, last, budget, expected):
    start = window_start(length, first, last, budget)
    assert start == expected
    assert start <= first < start + budget
