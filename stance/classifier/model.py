"""The stance classifier: a LoRA-tuned MiniLM that labels one marked actor mention in a claim.

``StanceClassifier`` loads, predicts and saves (``stance.lora.model.AdapterModel``);
training lives in ``trainer`` and evaluation in ``evaluator``. The mention is marked
with two of the vocabulary's unused tokens, registered as special tokens so the
tokenizer keeps them whole and the embedding matrix is never resized.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stance.config import ClassifierConfig
from stance.data import Label
from stance.errors import ModelNotLoadedError
from stance.lora.base import load_tokenizer
from stance.lora.minilm import load_adapted_encoder, read_safetensors
from stance.lora.model import ADAPTER_FILE, AdapterModel, length_sorted_batches, save_adapter, use_threads

logger = logging.getLogger(__name__)

MENTION_START = "[unused0]"
MENTION_END = "[unused1]"
LABELS = Label.values()
META_FILE = "stance_model.json"
HEAD_FILE = "head.safetensors"
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "stance-classifier"


@dataclass(frozen=True)
class MentionExample:
    """One classifier input: a claim and the character span of the actor mention in it."""

    text: str
    start: int
    end: int

    def marked(self) -> str:
        """The claim with the mention wrapped in marker tokens."""
        return (
            f"{self.text[:self.start]}{MENTION_START} {self.text[self.start:self.end]} "
            f"{MENTION_END}{self.text[self.end:]}"
        )

    def marked_span(self) -> tuple[int, int]:
        """The character span of the marked mention (both markers included) in ``marked()``."""
        return self.start, self.start + len(MENTION_START) + (self.end - self.start) + len(MENTION_END) + 2


@dataclass(frozen=True)
class Prediction:
    label: Label
    scores: dict[str, float]

    @property
    def confidence(self) -> float:
        return self.scores[self.label.value]


def load_marked_tokenizer():
    """The base tokenizer with the mention markers registered as special tokens."""
    return load_tokenizer((MENTION_START, MENTION_END))


def build_network(encoder, marker_id: int, dropout: float = 0.1, label_smoothing: float = 0.0):
    """The stance network over ``encoder``; ``marker_id`` is the piece id of ``MENTION_START``."""
    from stance.classifier.network import MentionStanceNetwork

    return MentionStanceNetwork(encoder, len(LABELS), marker_id, dropout, label_smoothing)


class StanceClassifier(AdapterModel):
    """Predict an actor's stance (support, critical, neutral, deny, none) in a claim.

    Example:
        >>> clf = StanceClassifier.load()
        >>> clf.predict([MentionExample("Beijing denied the report.", 0, 7)])[0].label
        <Label.DENY: 'deny'>
    """

    meta_file = META_FILE
    default_name = "stance-classifier"
    what = "stance model"
    train_hint = "stance train --config configs/train.yaml"

    def __init__(self, model, tokenizer, meta: dict, config: ClassifierConfig | None = None):
        super().__init__(model, tokenizer, meta, config or ClassifierConfig())
        self.temperature = float(meta.get("temperature", 1.0))

    @classmethod
    def load(cls, model_dir: str | Path | None = None, config: ClassifierConfig | None = None):
        """Load the saved adapter(s) + head(s) over the bundled base weights.

        Raises:
            ModelNotLoadedError: the folder has no trained stance model.
        """
        config = config or ClassifierConfig()
        model_dir = Path(model_dir) if model_dir else Path(config.model_dir or DEFAULT_MODEL_DIR)
        meta_path, meta = cls.read_meta(model_dir)
        if meta.get("labels") != LABELS:
            raise ModelNotLoadedError(f"{meta_path}: label map {meta.get('labels')} != {LABELS}")
        use_threads(config.num_threads)
        tokenizer = load_marked_tokenizer()
        members = members_of(meta)
        # Check every member before loading any: a broken artifact fails fast and says where.
        missing = [
            f"{model_dir / member['dir']}: missing {name}"
            for member in members
            for name in (ADAPTER_FILE, HEAD_FILE)
            if not (model_dir / member["dir"] / name).exists()
        ]
        if missing:
            raise ModelNotLoadedError("; ".join(missing))
        networks = [load_network(model_dir / member["dir"], tokenizer) for member in members]
        return cls(ensemble_of(networks), tokenizer, meta, config)

    def networks(self) -> list:
        """The member networks (one unless the model is a seed ensemble)."""
        from stance.classifier.network import LogitAverage

        return list(self.model.members) if isinstance(self.model, LogitAverage) else [self.model]

    def save(self, model_dir: str | Path) -> None:
        """Write each member's LoRA adapter and head, then the metadata.

        Only members whose encoder is still an unmerged peft model (as in training) can
        be saved; a loaded model has its adapters merged into the base weights.
        """
        model_dir = Path(model_dir)
        members = members_of(self.meta)
        if len(members) != len(self.networks()):
            raise ModelNotLoadedError(f"metadata lists {len(members)} members, the model has {len(self.networks())}")
        for network, member in zip(self.networks(), members):
            save_network(network, model_dir / member["dir"])
        meta = dict(self.meta, temperature=self.temperature)
        self.write_meta(model_dir, meta, weight_files(model_dir, meta), str(self.temperature).encode())

    def predict_proba(self, examples: Sequence[MentionExample]) -> np.ndarray:
        """Calibrated label probabilities, shape ``(len(examples), 5)``, in ``LABELS`` order.

        Batches are sorted by length to limit padding; the output is in input order. A claim
        longer than ``max_length`` pieces is cut to the window of pieces around its marked
        mention (``PieceTokenizer.batch_around``), so that every mention is judged with its
        markers and its own context; a claim that fits is read whole.
        """
        import torch

        if not examples:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        texts = [example.marked() for example in examples]
        spans = [example.marked_span() for example in examples]
        probabilities = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        with torch.inference_mode():
            for batch in length_sorted_batches([len(text) for text in texts], self.config.batch_size):
                input_ids, attention = self.tokenizer.batch_around(
                    [texts[i] for i in batch], [spans[i] for i in batch], self.config.max_length
                )
                logits = self.model(input_ids=input_ids, attention_mask=attention).logits / self.temperature
                probabilities[batch] = torch.softmax(logits, dim=-1).numpy()
        return probabilities

    def predict(self, examples: Sequence[MentionExample]) -> list[Prediction]:
        """Most likely label and all label probabilities for each example."""
        return [
            Prediction(
                label=Label(LABELS[int(row.argmax())]),
                scores={label: round(float(p), 4) for label, p in zip(LABELS, row)},
            )
            for row in self.predict_proba(examples)
        ]


def weight_files(model_dir: Path, meta: dict) -> list[Path]:
    """The files the model loads: each member's adapter and head (the id hashes these)."""
    return [model_dir / member["dir"] / name for member in members_of(meta) for name in (ADAPTER_FILE, HEAD_FILE)]


def members_of(meta: dict) -> list[dict]:
    """The model's members: folder (relative to the model folder), seed and dev selection.

    Models saved before seed ensembles existed keep one adapter in the model folder
    itself and their selection at the top level of the metadata.
    """
    if "members" in meta:
        return meta["members"]
    keys = ("best_epoch", "dev_f1_macro", "history", "weight_averaging")
    return [{"dir": ".", "seed": meta.get("config", {}).get("seed"), **{k: meta.get(k) for k in keys}}]


def ensemble_of(networks: list):
    """One network as is; several as the mean of their logits."""
    from stance.classifier.network import LogitAverage

    return networks[0] if len(networks) == 1 else LogitAverage(networks)


def load_network(member_dir: Path, tokenizer):
    """One member: its LoRA adapter merged into fresh base weights, plus its head."""
    encoder, _ = load_adapted_encoder(member_dir)
    network = build_network(encoder, tokenizer.token_id(MENTION_START))
    head = read_safetensors(member_dir / HEAD_FILE)
    try:
        network.load_state_dict(head, strict=False)
    except RuntimeError:
        raise ModelNotLoadedError(f"{member_dir / HEAD_FILE}: head does not fit {len(LABELS)} labels") from None
    return network.eval()


def save_network(network, member_dir: Path) -> None:
    """Write one member's LoRA adapter and head."""
    from safetensors.torch import save_file

    save_adapter(network.encoder, member_dir)
    save_file(network.head_state(), member_dir / HEAD_FILE)
