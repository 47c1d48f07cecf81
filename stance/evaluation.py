"""The one shape every evaluator has, and quality gates.

An evaluator is built on its data and called on a model: ``evaluator(model) -> report``,
a flat JSON-ready dict. ``evaluator.primary_metric`` names the report key that training
selects on (higher is better). Training selection, ``stance eval``,
``stance tagger-eval`` and both model cards read these reports, so a number printed
anywhere comes from one computation.

Gates are the bars of ``configs/eval.yaml``: a list of ``Check`` per model family;
``failed_checks`` says which fail, the cards print all of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Evaluator(Protocol):
    primary_metric: str

    def __call__(self, model) -> dict: ...


@dataclass(frozen=True)
class Check:
    """One quality bar: ``value`` must be ``op`` (">=" or "<=") ``bound``."""

    name: str
    value: float
    op: str
    bound: float

    @property
    def met(self) -> bool:
        return self.value >= self.bound if self.op == ">=" else self.value <= self.bound


def failed_checks(checks: list[Check]) -> list[str]:
    """The checks that fail, as readable lines: ``macro-F1 0.7000 (gate >= 0.8)``."""
    return [f"{c.name} {c.value:.4f} (gate {c.op} {c.bound})" for c in checks if not c.met]
