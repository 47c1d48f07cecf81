"""What the two LoRA model families share: the bundled base, adapters, ids, fine-tuning, cards.

The stance classifier (``stance.classifier``) and the attribution tagger
(``stance.attribution``) are both a LoRA adapter over the same all-MiniLM-L6-v2 plus a
small head. Everything that does not depend on the head lives here, once:

- ``base``: the bundled weights, tokenizer and encoders;
- ``model``: ``AdapterModel``, the load / predict-in-batches / save base class, and the
  weight-hash model ids;
- ``finetune``: the seeded training loop with dev selection (and bf16, weight averaging);
- ``card``: run metadata and the pieces both model cards print.
"""
