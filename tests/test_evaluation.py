"""Quality bars: ``Check`` and the lines ``failed_checks`` prints (stance/evaluation.py)."""

import pytest

from stance.evaluation import Check, failed_checks


@pytest.mark.parametrize(
    "value, op, bound, met",
    [
        (0.8, ">=", 0.8, True),
        (0.81, ">=", 0.8, True),
        (0.79, ">=", 0.8, False),
        (0.08, "<=", 0.08, True),
        (0.05, "<=", 0.08, True),
        (0.09, "<=", 0.08, False),
    ],
)
def test_check_is_met_on_the_bound_and_on_its_side_of_it(value, op, bound, met):
    assert Check("x", value, op, bound).met is met


def test_failed_checks_lists_only_the_failures_in_order_with_four_decimals():
    checks = [
        Check("macro-F1", 0.7, ">=", 0.8),
        Check("deny F1", 0.9, ">=", 0.75),
        Check("ECE", 0.123456, "<=", 0.08),
    ]
    assert failed_checks(checks) == ["macro-F1 0.7000 (gate >= 0.8)", "ECE 0.1235 (gate <= 0.08)"]
    assert failed_checks(checks[1:2]) == []
    assert failed_checks([]) == []
