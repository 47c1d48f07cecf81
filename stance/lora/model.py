"""``AdapterModel``: what the stance classifier and the attribution tagger share as models.

Both are saved as a small LoRA adapter (plus head) and a JSON metadata file, loaded by
merging the adapter into fresh base weights, and named by a weight-hash id
(``name@<10 hex>``) that changes whenever the weights change. The subclasses keep only
what differs: the head, how inputs are batched and what a prediction is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import ClassVar

from stance.errors import ModelNotLoadedError

ADAPTER_FILE = "adapter_model.safetensors"


class AdapterModel:
    """A network over the bundled base, its tokenizer, metadata and inference settings."""

    meta_file: ClassVar[str]
    # Metadata file names of folders saved by earlier versions, still read.
    legacy_meta_files: ClassVar[tuple[str, ...]] = ()
    # Name in the model id when the metadata gives none.
    default_name: ClassVar[str]
    # For the "no model here" message: what the folder should hold and how to train one.
    what: ClassVar[str]
    train_hint: ClassVar[str]

    def __init__(self, model, tokenizer, meta: dict, config):
        self.model = model
        self.tokenizer = tokenizer
        self.meta = meta
        self.config = config

    @property
    def model_id(self) -> str:
        return self.meta["model_id"]

    @classmethod
    def read_meta(cls, model_dir: Path) -> tuple[Path, dict]:
        """The metadata file of a saved model and its content.

        Raises:
            ModelNotLoadedError: the folder holds no saved model of this family.
        """
        for name in (cls.meta_file, *cls.legacy_meta_files):
            path = model_dir / name
            if path.exists():
                try:
                    meta = json.loads(path.read_text(encoding="utf-8"))
                except (OSError, ValueError) as exc:
                    raise ModelNotLoadedError(f"{path}: unreadable model metadata ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})") from None
                if not isinstance(meta, dict):
                    raise ModelNotLoadedError(f"{path}: model metadata is not a JSON object")
                return path, meta
        raise ModelNotLoadedError(
            f"no {cls.what} in {model_dir} (missing {cls.meta_file}); train one with `{cls.train_hint}`"
        )

    def write_meta(self, model_dir: Path, meta: dict, weight_files: Iterable[Path], extra: bytes = b"") -> None:
        """Name the saved weights and write the metadata beside them."""
        meta = dict(meta, model_id=weight_id(meta.get("name", self.default_name), weight_files, extra))
        (model_dir / self.meta_file).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        self.meta = meta


def weight_id(name: str, weight_files: Iterable[Path], extra: bytes = b"") -> str:
    """``name@`` + the first 10 hex digits of the SHA-256 of the files a model loads (and
    ``extra``, e.g. the temperature): stray files in the folder cannot change it."""
    digest = hashlib.sha256()
    for path in weight_files:
        digest.update(Path(path).read_bytes())
    digest.update(extra)
    return f"{name}@{digest.hexdigest()[:10]}"


def use_threads(count: int) -> None:
    import torch

    torch.set_num_threads(count)


def add_lora(model, lora, task_type: str):
    """``model`` with a fresh, trainable LoRA adapter shaped by our ``LoraConfig`` section
    (``task_type``: a ``peft.TaskType`` name such as ``FEATURE_EXTRACTION`` or ``TOKEN_CLS``)."""
    from peft import LoraConfig as PeftLoraConfig
    from peft import TaskType, get_peft_model

    config = PeftLoraConfig(
        task_type=TaskType[task_type],
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=list(lora.target_modules),
    )
    return get_peft_model(model, config)


def merge_adapter(model, adapter_dir: Path):
    """``model`` (transformers) with the adapter saved in ``adapter_dir`` merged by peft: the
    reference that ``stance.lora.minilm``'s hand merge is tested against."""
    from peft import PeftModel

    return PeftModel.from_pretrained(model, adapter_dir).merge_and_unload()


def save_adapter(model, adapter_dir: Path) -> None:
    """Write the LoRA adapter of an unmerged peft ``model`` (the base weights are never saved)."""
    if not hasattr(model, "peft_config"):
        raise ModelNotLoadedError("only a model with an unmerged LoRA adapter can be saved")
    adapter_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(adapter_dir)
    # peft writes a template model card; ours is generated in model_cards/ instead.
    (adapter_dir / "README.md").unlink(missing_ok=True)


def length_sorted_batches(lengths: Sequence[int], batch_size: int) -> Iterator[list[int]]:
    """Indices in batches of similar length (shortest first): on CPU, padding, not the
    model, dominates the cost of batches of mixed lengths. Callers put results back in
    input order."""
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    for offset in range(0, len(order), batch_size):
        yield order[offset : offset + batch_size]
