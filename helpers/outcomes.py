"""Learning-outcome checks: a lesson's result must beat the trivial baseline of its task.

A lesson that trains a model ends with a cell tagged ``learning-outcome`` that calls
:func:`check_outcome`. The learner sees one line per result, such as::

    ✓ test MAE, seed 0: 0.0912 (needed at most 0.10; always predicting the median: 0.1316)

Two things are checked, in this order:

1. **The threshold itself is honest.** It must be better than the trivial baseline (always
   predicting the majority class, the mean, the median) by a clear margin: at least
   ``MIN_SHARE_OF_HEADROOM`` of the way from the baseline to a perfect score. Otherwise the
   check could be passed by a model that learned nothing, and :class:`LaxThresholdError`
   (a defect of the course, not of the learner) is raised.
2. **The result reaches the threshold.** If not, :class:`OutcomeNotReachedError` says what
   was measured, what was needed and what to do, in one line without a traceback.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from helpers.errors import LearnerError

__all__ = ["check_outcome", "LaxThresholdError", "OutcomeNotReachedError", "MIN_SHARE_OF_HEADROOM"]

# A threshold must close at least this share of the gap between the baseline and a perfect
# score (0 for an error, 1 for an accuracy): a tenth of the way is a difference no trivial
# model reaches by accident on the course's datasets.
MIN_SHARE_OF_HEADROOM = 0.10


class LaxThresholdError(AssertionError):
    """A learning-outcome threshold that the trivial baseline (nearly) meets: a course defect."""


class OutcomeNotReachedError(LearnerError, AssertionError):
    """A trained model did not reach the result the lesson promises."""


def _results(value) -> dict:
    """{label: number}: one entry per seed for a mapping or a pandas Series indexed by seed."""
    if isinstance(value, Mapping) or hasattr(value, "items"):
        return {f"seed {seed}": float(result) for seed, result in value.items()}
    return {"": float(value)}


def check_outcome(
    what: str,
    value,
    *,
    baseline: float,
    baseline_name: str,
    at_most: float | None = None,
    at_least: float | None = None,
    perfect: float | None = None,
    advice: str = "Run the notebook again from the top, without changing the seeds.",
) -> None:
    """Check that ``value`` reaches a threshold that clearly beats the trivial ``baseline``.

    ``what`` names the measure and the split it comes from ("test MAE", "best validation
    accuracy"); ``value`` is one number or a mapping (or pandas Series) from seed to number,
    each of which must reach the threshold. Give exactly one of ``at_most`` (for errors and
    losses, lower is better) and ``at_least`` (for accuracies, higher is better).
    ``perfect`` is the best possible score (default 0 for ``at_most``, 1 for ``at_least``).
    The learner sees one line per result, naming the baseline it beat.
    """
    if (at_most is None) == (at_least is None):
        raise TypeError("give exactly one of at_most= and at_least=")
    lower_is_better = at_most is not None
    threshold = float(at_most if lower_is_better else at_least)
    if perfect is None:
        perfect = 0.0 if lower_is_better else 1.0
    baseline = float(baseline)

    headroom = (baseline - perfect) if lower_is_better else (perfect - baseline)
    closed = (baseline - threshold) if lower_is_better else (threshold - baseline)
    if not math.isfinite(baseline) or headroom <= 0 or closed < MIN_SHARE_OF_HEADROOM * headroom - 1e-12:
        raise LaxThresholdError(
            f"The threshold for {what} ({'at most' if lower_is_better else 'at least'} {threshold:g}) "
            f"is too close to {baseline_name} ({baseline:.4f}): a model that learned nothing could "
            f"pass it. It must close at least {MIN_SHARE_OF_HEADROOM:.0%} of the gap between the "
            f"baseline and a perfect score ({perfect:g})."
        )

    comparison = "at most" if lower_is_better else "at least"
    for label, result in _results(value).items():
        name = f"{what}, {label}" if label else what
        reached = math.isfinite(result) and (result <= threshold if lower_is_better else result >= threshold)
        if not reached:
            raise OutcomeNotReachedError(
                f"The {name} is {result:.4f}, but it should be {comparison} {threshold:g} "
                f"({baseline_name} scores {baseline:.4f}). {advice}"
            )
        print(f"✓ {name}: {result:.4f} (needed {comparison} {threshold:g}; "
              f"{baseline_name}: {baseline:.4f})")
