"""The learned attribution tagger: MiniLM + LoRA token classifier over BIO tags.

``AttributionTagger`` loads a saved adapter, tags whole articles in overlapping windows
of word pieces and returns word tags or attribution relations. Long articles are cut
into windows of ``window`` pieces every ``stride`` pieces; each word takes the tags of the
window in which it sits most centrally, so every word is seen with context on both
sides. Training lives in ``trainer``, evaluation in ``evaluator``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stance.attribution.tags import TAG_ID, TAGS, group_relations, tag_spans, words
from stance.config import AttributionConfig
from stance.data import Attribution, Span
from stance.errors import ModelNotLoadedError
from stance.lora.base import load_tokenizer
from stance.lora.minilm import load_token_tagger, pad
from stance.lora.model import ADAPTER_FILE, AdapterModel, length_sorted_batches, save_adapter, use_threads

META_FILE = "tagger_model.json"
DEFAULT_TAGGER_DIR = Path(__file__).resolve().parents[1] / "models" / "attribution-tagger"


@dataclass(frozen=True)
class Window:
    """Word pieces ``[start, end)`` of an article's piece sequence fed as one input."""

    start: int
    end: int


def plan_windows(n_pieces: int, window: int, stride: int) -> list[Window]:
    """Windows covering ``n_pieces`` (room for [CLS]/[SEP] left), the last one flush with the end."""
    size = window - 2
    if n_pieces <= size:
        return [Window(0, n_pieces)]
    starts = list(range(0, n_pieces - size, stride)) + [n_pieces - size]
    return [Window(s, s + size) for s in dict.fromkeys(starts)]


def central_window(windows: list[Window], n_pieces: int) -> np.ndarray:
    """For each piece, the index of the window in which it is farthest from an edge."""
    best = np.full(n_pieces, -1)
    margin = np.full(n_pieces, -1)
    for index, window in enumerate(windows):
        positions = np.arange(window.start, window.end)
        edge = np.minimum(positions - window.start, window.end - 1 - positions)
        better = edge > margin[positions]
        best[positions[better]] = index
        margin[positions[better]] = edge[better]
    return best


@dataclass
class EncodedArticle:
    """An article as word pieces, with the word each piece belongs to (-1: none)."""

    input_ids: list[int]
    piece_word: np.ndarray
    first_piece: np.ndarray  # per word: index of its first piece, -1 if it has none
    word_spans: list[Span]


def encode_article(tokenizer, text: str) -> EncodedArticle:
    word_spans = words(text)
    input_ids, offsets = tokenizer.pieces(text)
    word_starts = np.array([w.start for w in word_spans] + [len(text) + 1])
    piece_word = np.full(len(input_ids), -1)
    first_piece = np.full(len(word_spans), -1)
    for piece, (start, end) in enumerate(offsets):
        word = int(np.searchsorted(word_starts, start, side="right")) - 1
        if word >= 0 and start < word_spans[word].end:
            piece_word[piece] = word
            if first_piece[word] < 0:
                first_piece[word] = piece
    return EncodedArticle(list(input_ids), piece_word, first_piece, word_spans)


def piece_labels(article: EncodedArticle, word_tags: list[str]) -> np.ndarray:
    """Training targets per piece: the word's tag on its first piece, ``I-`` on the rest,
    -100 (ignored) on pieces outside words."""
    labels = np.full(len(article.input_ids), -100)
    for piece, word in enumerate(article.piece_word):
        if word < 0:
            continue
        tag = word_tags[word]
        if piece != article.first_piece[word] and tag.startswith("B-"):
            tag = "I-" + tag[2:]
        labels[piece] = TAG_ID[tag]
    return labels


class AttributionTagger(AdapterModel):
    """Tag sources, cues and contents of attributions and group them into attributions.

    Example:
        >>> tagger = AttributionTagger.load()
        >>> attribution = tagger.attributions(["Beijing denied the report."])[0][0]
        >>> [(s.start, s.end) for s in attribution.cue]
        [(8, 14)]
    """

    meta_file = META_FILE
    # Tagger folders saved before the rename to "attribution tagger" (same content).
    legacy_meta_files = ("segmenter_model.json",)
    default_name = "attribution-tagger"
    what = "attribution tagger"
    train_hint = "stance train-tagger --config configs/tagger_train.yaml"

    def __init__(self, model, tokenizer, meta: dict, config: AttributionConfig | None = None):
        super().__init__(model, tokenizer, meta, config or AttributionConfig())

    @classmethod
    def load(cls, model_dir: str | Path | None = None, config: AttributionConfig | None = None):
        """Load a saved adapter and tag head over the bundled base weights.

        Raises:
            ModelNotLoadedError: the folder holds no trained attribution tagger.
        """
        config = config or AttributionConfig()
        model_dir = Path(model_dir) if model_dir else Path(config.model_dir or DEFAULT_TAGGER_DIR)
        meta_path, meta = cls.read_meta(model_dir)
        if tuple(meta.get("tags", ())) != TAGS:
            raise ModelNotLoadedError(f"{meta_path}: tag set {meta.get('tags')} != {list(TAGS)}")
        use_threads(config.num_threads)
        return cls(load_token_tagger(model_dir, len(TAGS)), load_tokenizer(), meta, config)

    def save(self, model_dir: str | Path) -> None:
        """Write the LoRA adapter (with the tag head) and the metadata."""
        model_dir = Path(model_dir)
        save_adapter(self.model, model_dir)
        self.write_meta(model_dir, dict(self.meta, tags=list(TAGS)), [model_dir / ADAPTER_FILE])

    def word_tags(self, texts: Sequence[str]) -> list[list[str]]:
        """BIO tag per word (``stance.attribution.tags.words``) of each text."""
        return [tags for tags, _ in self.analyse(texts)]

    def attributions(self, texts: Sequence[str]) -> list[tuple[Attribution, ...]]:
        """Attributions of each text, as character spans."""
        return [attributions for _, attributions in self.analyse(texts)]

    def analyse(self, texts: Sequence[str]) -> list[tuple[list[str], tuple[Attribution, ...]]]:
        """Word tags and attributions of each text from one tagging pass (evaluation needs both)."""
        return [
            (
                tags,
                group_relations(
                    tag_spans(tags), article.word_spans, self.config.max_content_gap, self.config.max_source_gap
                ),
            )
            for article, tags in self._tag(texts)
        ]

    def _tag(self, texts: Sequence[str]) -> list[tuple[EncodedArticle, list[str]]]:
        articles = [encode_article(self.tokenizer, text) for text in texts]
        jobs = []  # (article index, window)
        for index, article in enumerate(articles):
            for window in plan_windows(len(article.input_ids), self.config.window, self.config.stride):
                jobs.append((index, window))
        logits = self._window_logits(articles, jobs)
        results = []
        for index, article in enumerate(articles):
            mine = [(job, window) for job, (i, window) in enumerate(jobs) if i == index]
            n_pieces = len(article.input_ids)
            piece_logits = np.zeros((n_pieces, len(TAGS)), dtype=np.float32)
            if n_pieces:
                owner = central_window([window for _, window in mine], n_pieces)
                for local, (job, window) in enumerate(mine):
                    pieces = np.nonzero(owner == local)[0]
                    piece_logits[pieces] = logits[job][pieces - window.start]
            tags = [
                TAGS[int(piece_logits[first].argmax())] if first >= 0 else "O" for first in article.first_piece
            ]
            results.append((article, repair_bio(tags, self.config.merge_adjacent)))
        return results

    def _window_logits(self, articles: list[EncodedArticle], jobs: list[tuple[int, Window]]) -> list[np.ndarray]:
        import torch

        tokenizer = self.tokenizer
        out: list[np.ndarray] = [np.zeros(0)] * len(jobs)
        lengths = [window.end - window.start for _, window in jobs]
        with torch.inference_mode():
            for batch in length_sorted_batches(lengths, self.config.batch_size):
                sequences = [
                    [tokenizer.cls_token_id]
                    + articles[jobs[j][0]].input_ids[jobs[j][1].start : jobs[j][1].end]
                    + [tokenizer.sep_token_id]
                    for j in batch
                ]
                input_ids, attention = pad(sequences, tokenizer.pad_token_id)
                logits = self.model(input_ids=input_ids, attention_mask=attention).logits.numpy()
                for row, j in enumerate(batch):
                    out[j] = logits[row, 1 : 1 + len(sequences[row]) - 2]
        return out


def repair_bio(tags: list[str], merge_adjacent: tuple[str, ...] = ()) -> list[str]:
    """Make predicted tags well-formed BIO.

    An ``I-x`` that follows neither ``B-x`` nor ``I-x`` opens a span (``B-x``). For the roles
    in ``merge_adjacent``, a ``B-x`` right after an ``x`` word continues that span: in
    PolNeAR two cues or two sources are almost never adjacent (3 of 19,824 cue starts in
    train), while the tagger often starts every word of "has repeatedly criticised" anew.
    """
    repaired = list(tags)
    for i, tag in enumerate(repaired):
        role = tag[2:]
        follows_same_role = i > 0 and repaired[i - 1][2:] == role
        if tag.startswith("I-") and not follows_same_role:
            repaired[i] = "B-" + role
        elif tag.startswith("B-") and follows_same_role and role in merge_adjacent:
            repaired[i] = "I-" + role
    return repaired

