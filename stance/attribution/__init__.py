"""The attribution tagger: BIO tags ↔ spans, model, PolNeAR reader, trainer, evaluator, card."""

from stance.attribution.model import AttributionTagger

__all__ = ["AttributionTagger"]
