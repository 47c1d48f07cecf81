"""The scoring pipeline: one module per stage, in data-flow order.

clean → (segment | attribute) → link → holders → classify; ``core`` assembles them.
"""

from stance.pipeline.core import STAGES, Pipeline, Resources
from stance.pipeline.stage import Stage

__all__ = ["STAGES", "Pipeline", "Resources", "Stage"]
