"""MiniLM inference in plain torch: the bundled encoder, its tokenizer, and LoRA adapters merged by hand.

Why not transformers and peft at inference: importing transformers' BERT and peft costs
about 3 s and 150 MB in every process that scores (issue 15: load ≤ 3 s, RSS ≤ 1 GB), while
the forward pass of a 6-layer post-LayerNorm BERT is a dozen torch calls. Training keeps
transformers + peft (``stance.lora.base``, ``stance.lora.finetune``); this module reads what
they save, and ``tests/lora/test_minilm.py`` checks that both paths give the same outputs
and the same word pieces.

The base weights are read once per process and their tensors are shared: every model's
embedding matrix (47 MB, untouched by the adapters) is the same tensor.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace

from stance.errors import ModelNotLoadedError

# all-MiniLM-L6-v2's shape (config.json of the base package).
HIDDEN = 384
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12
# The adapters' target layers (configs/train*.yaml lora.target_modules), as saved by peft.
_LORA_SUFFIXES = (".lora_A.weight", ".lora_B.weight")


class PieceTokenizer:
    """The base WordPiece tokenizer (``tokenizers``, no transformers), with marker tokens
    such as ``[unused0]`` kept whole.

    ``pieces`` gives an article's pieces with character offsets (the tagger's windows);
    ``batch`` gives padded ``[CLS] … [SEP]`` inputs truncated to ``max_length`` pieces, as
    transformers' tokenizer does with ``truncation=True``; ``batch_around`` cuts a long text
    to the window around a character span instead (the stance classifier's marked mention).
    """

    def __init__(self, markers: Sequence[str] = ()):
        from tokenizers import AddedToken, Tokenizer

        from stance.lora.base import base_model_dir

        path = base_model_dir() / "tokenizer.json"
        try:
            self._tokenizer = Tokenizer.from_file(str(path))
        except Exception as error:  # tokenizers raises its own exception type
            raise ModelNotLoadedError(f"{path}: unreadable tokenizer ({error})") from None
        self._tokenizer.no_truncation()
        self._tokenizer.no_padding()
        if markers:
            before = self._tokenizer.get_vocab_size()
            self._tokenizer.add_special_tokens([AddedToken(m, special=True, normalized=False) for m in markers])
            if self._tokenizer.get_vocab_size() != before:
                raise ModelNotLoadedError("mention markers were not found in the base vocabulary")
        self.cls_token_id = self.token_id("[CLS]")
        self.sep_token_id = self.token_id("[SEP]")
        self.pad_token_id = self.token_id("[PAD]")

    def token_id(self, token: str) -> int:
        found = self._tokenizer.token_to_id(token)
        if found is None:
            raise ModelNotLoadedError(f"token {token!r} is not in the base vocabulary")
        return found

    def token(self, token_id: int) -> str:
        return self._tokenizer.id_to_token(token_id)

    def pieces(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Piece ids of ``text`` (no [CLS]/[SEP]) and each piece's character span."""
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        return encoding.ids, encoding.offsets

    def batch(self, texts: Sequence[str], max_length: int):
        """``(input_ids, attention_mask)`` tensors: each text as ``[CLS] pieces [SEP]``, cut to
        ``max_length`` pieces in all, padded to the longest."""
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        sequences = [[self.cls_token_id, *e.ids[: max_length - 2], self.sep_token_id] for e in encodings]
        return pad(sequences, self.pad_token_id)

    def batch_around(self, texts: Sequence[str], spans: Sequence[tuple[int, int]], max_length: int):
        """As ``batch``, but a text longer than ``max_length`` pieces keeps the window of
        pieces around its character span ``spans[i]`` instead of its first pieces.

        The window (``max_length - 2`` pieces, then ``[CLS]``/``[SEP]``) holds the span's
        pieces centred, with the context left over split evenly before and after it and
        shifted inwards at either end of the text; a span longer than the window keeps
        its first piece. A text that fits gives exactly what ``batch`` gives.
        """
        if len(spans) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(spans)} spans")
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        budget = max_length - 2
        sequences = []
        for encoding, span in zip(encodings, spans):
            ids = encoding.ids
            if len(ids) > budget:
                first, last = span_pieces(encoding.offsets, span)
                start = window_start(len(ids), first, last, budget)
                ids = ids[start : start + budget]
            sequences.append([self.cls_token_id, *ids, self.sep_token_id])
        return pad(sequences, self.pad_token_id)


def span_pieces(offsets: Sequence[tuple[int, int]], span: tuple[int, int]) -> tuple[int, int]:
    """Indices of the first and last pieces overlapping the character span ``span``
    (the nearest piece when none overlaps it, as for a span of only spaces)."""
    begin, end = span
    first = next((i for i, (_, stop) in enumerate(offsets) if stop > begin), len(offsets) - 1)
    last = next((i for i in range(len(offsets) - 1, -1, -1) if offsets[i][0] < end), first)
    return first, max(first, last)


def window_start(length: int, first: int, last: int, budget: int) -> int:
    """Where a window of ``budget`` of ``length`` pieces starts.

    A mention inside the first ``budget`` pieces keeps the plain cut from the start, which
    is how every training claim was cut (so judgements that fit do not move). A later one
    gets a window holding pieces ``first``…``last`` centred (as much of them as fits, from
    ``first``), the spare room split before and after and moved to one side at either end
    of the text. Always ``start <= first < start + budget``."""
    if length <= budget or last < budget:
        return 0
    spare = max(0, budget - (last - first + 1))
    start = first - spare // 2
    return max(0, min(start, length - budget))


def pad(sequences: list[list[int]], pad_id: int):
    """``(input_ids, attention_mask)`` of ``sequences`` padded with ``pad_id`` to the longest."""
    import torch

    width = max(len(s) for s in sequences)
    input_ids = torch.full((len(sequences), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(sequences), width), dtype=torch.long)
    for row, sequence in enumerate(sequences):
        input_ids[row, : len(sequence)] = torch.tensor(sequence, dtype=torch.long)
        attention[row, : len(sequence)] = 1
    return input_ids, attention


@functools.lru_cache(maxsize=1)
def base_state() -> dict:
    """The bundled all-MiniLM-L6-v2 weights, read once per process (never modified in place)."""
    from stance.lora.base import base_model_dir

    path = base_model_dir() / "model.safetensors"
    state = read_safetensors(path)
    return {key.removeprefix("bert."): tensor for key, tensor in state.items()}


def read_safetensors(path: Path) -> dict:
    """A safetensors file's tensors.

    Raises:
        ModelNotLoadedError: missing, truncated or not a safetensors file (the message names it).
    """
    from safetensors.torch import load_file

    if not path.is_file():
        raise ModelNotLoadedError(f"{path}: missing")
    try:
        return load_file(path)
    except Exception as error:  # SafetensorError, OSError, or a header that is not JSON
        raise ModelNotLoadedError(f"{path}: unreadable ({str(error).splitlines()[0] if str(error) else type(error).__name__})") from None


def merged_state(adapter_dir: Path) -> tuple[dict, dict]:
    """The base weights with the LoRA adapter saved in ``adapter_dir`` merged in
    (W + B·A·alpha/r, as peft's ``merge_and_unload``), and the adapter's other saved tensors
    (a token-classification head saved with it), keyed without peft's prefixes.

    Raises:
        ModelNotLoadedError: the adapter's files are missing, unreadable or do not fit the base.
    """
    config_path = adapter_dir / "adapter_config.json"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
        scale = float(config["lora_alpha"]) / float(config["r"])
    except (OSError, ValueError, KeyError, TypeError, ZeroDivisionError) as error:
        raise ModelNotLoadedError(f"{config_path}: unreadable adapter config ({type(error).__name__})") from None
    weights_path = adapter_dir / "adapter_model.safetensors"
    adapter = {_strip_prefix(key): tensor for key, tensor in read_safetensors(weights_path).items()}
    state = dict(base_state())
    extra = {}
    for key, tensor in adapter.items():
        if key.endswith(".lora_B.weight"):
            continue
        if not key.endswith(".lora_A.weight"):
            extra[key] = tensor
            continue
        module = key.removesuffix(".lora_A.weight")
        target, b_matrix = f"{module}.weight", adapter.get(f"{module}.lora_B.weight")
        if target not in state or b_matrix is None or (b_matrix @ tensor).shape != state[target].shape:
            raise ModelNotLoadedError(f"{weights_path}: adapter does not fit the base model at {module}")
        state[target] = state[target] + (b_matrix @ tensor) * scale
    if not any(key.endswith(".lora_A.weight") for key in adapter):
        raise ModelNotLoadedError(f"{weights_path}: holds no LoRA weights")
    return state, extra


def _strip_prefix(key: str) -> str:
    key = key.removeprefix("base_model.model.").removeprefix("bert.")
    return key.replace(".modules_to_save.default.", ".")


def build_encoder(state: dict):
    """The plain-torch encoder over ``state`` (base or merged weights), in eval mode."""
    return _encoder_class()(state).eval()


@functools.lru_cache(maxsize=1)
def _encoder_class():
    """The module class, defined on first use so that importing this module stays free of torch."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    class Encoder(nn.Module):
        """all-MiniLM-L6-v2's forward pass: embeddings, then 6 post-LayerNorm transformer
        layers with GELU, as in transformers' ``BertModel`` (no pooler). Returns an object
        with ``last_hidden_state`` (and ``hidden_states`` when asked), like transformers."""

        def __init__(self, state: dict):
            super().__init__()
            self.state = state
            # query, key and value in one matmul.
            self.qkv = [
                (
                    torch.cat([state[f"encoder.layer.{i}.attention.self.{n}.weight"] for n in ("query", "key", "value")]),
                    torch.cat([state[f"encoder.layer.{i}.attention.self.{n}.bias"] for n in ("query", "key", "value")]),
                )
                for i in range(LAYERS)
            ]
            self.config = SimpleNamespace(hidden_size=HIDDEN)

        def forward(self, input_ids, attention_mask, token_type_ids=None, output_hidden_states: bool = False):
            s = self.state
            batch, length = input_ids.shape
            x = (
                F.embedding(input_ids, s["embeddings.word_embeddings.weight"])
                + s["embeddings.position_embeddings.weight"][:length]
                + s["embeddings.token_type_embeddings.weight"][0]
            )
            x = F.layer_norm(x, (HIDDEN,), s["embeddings.LayerNorm.weight"], s["embeddings.LayerNorm.bias"], LAYER_NORM_EPS)
            mask = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * torch.finfo(x.dtype).min
            hidden = [x] if output_hidden_states else None
            for i in range(LAYERS):
                p = f"encoder.layer.{i}."
                qkv = F.linear(x, *self.qkv[i]).view(batch, length, 3, HEADS, HIDDEN // HEADS).permute(2, 0, 3, 1, 4)
                attended = F.scaled_dot_product_attention(qkv[0], qkv[1], qkv[2], attn_mask=mask)
                attended = attended.transpose(1, 2).reshape(batch, length, HIDDEN)
                x = F.layer_norm(
                    F.linear(attended, s[p + "attention.output.dense.weight"], s[p + "attention.output.dense.bias"]) + x,
                    (HIDDEN,), s[p + "attention.output.LayerNorm.weight"], s[p + "attention.output.LayerNorm.bias"], LAYER_NORM_EPS,
                )
                inner = F.gelu(F.linear(x, s[p + "intermediate.dense.weight"], s[p + "intermediate.dense.bias"]))
                x = F.layer_norm(
                    F.linear(inner, s[p + "output.dense.weight"], s[p + "output.dense.bias"]) + x,
                    (HIDDEN,), s[p + "output.LayerNorm.weight"], s[p + "output.LayerNorm.bias"], LAYER_NORM_EPS,
                )
                if hidden is not None:
                    hidden.append(x)
            return SimpleNamespace(last_hidden_state=x, hidden_states=tuple(hidden) if hidden is not None else None)

    return Encoder


def load_base_encoder():
    """The bundled encoder, no adapter (sentence embeddings for claim tracking)."""
    return build_encoder(base_state())


def load_adapted_encoder(adapter_dir: Path):
    """The bundled encoder with the adapter in ``adapter_dir`` merged, and the adapter's
    other tensors (e.g. a tagger's ``classifier.weight``)."""
    state, extra = merged_state(adapter_dir)
    return build_encoder(state), extra


def load_token_tagger(adapter_dir: Path, n_tags: int):
    """Encoder + linear tag head saved with the adapter (peft ``modules_to_save``); the
    returned module's output has ``logits`` of shape (batch, length, n_tags)."""
    import torch
    from torch import nn

    encoder, extra = load_adapted_encoder(adapter_dir)
    weight, bias = extra.get("classifier.weight"), extra.get("classifier.bias")
    if weight is None or bias is None or tuple(weight.shape) != (n_tags, HIDDEN):
        raise ModelNotLoadedError(f"{adapter_dir / 'adapter_model.safetensors'}: no tag head for {n_tags} tags")

    class TokenTagger(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = encoder
            self.classifier = nn.Linear(HIDDEN, n_tags)
            with torch.no_grad():
                self.classifier.weight.copy_(weight)
                self.classifier.bias.copy_(bias)

        def forward(self, input_ids, attention_mask):
            states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            return SimpleNamespace(logits=self.classifier(states))

    return TokenTagger().eval()
