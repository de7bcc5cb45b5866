"""helpers.outcomes: a learning-outcome threshold must clearly beat the trivial baseline."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import outcomes
from helpers.errors import LearnerError
from helpers.outcomes import LaxThresholdError, OutcomeNotReachedError, check_outcome


def test_a_threshold_the_majority_class_meets_is_refused():
    # Lesson 6 once asserted a validation accuracy of at least 0.75 where always answering
    # 'good' scored 0.7524: a model that learned nothing passed.
    with pytest.raises(LaxThresholdError, match="always 'good'"):
        check_outcome("accuracy", 0.99, at_least=0.75, baseline=0.7524, baseline_name="always 'good'")


def test_a_threshold_barely_better_than_the_baseline_is_refused():
    # 0.78 closes less than a tenth of the gap from 0.7524 to a perfect 1.0.
    with pytest.raises(LaxThresholdError):
        check_outcome("accuracy", 0.99, at_least=0.77, baseline=0.7524, baseline_name="majority")
    # An error threshold: 0.125 is within a tenth of the median's 0.1316 from it.
    with pytest.raises(LaxThresholdError):
        check_outcome("MAE", 0.05, at_most=0.125, baseline=0.1316, baseline_name="median")


def test_a_baseline_that_is_already_perfect_or_not_a_number_is_refused():
    with pytest.raises(LaxThresholdError):
        check_outcome("accuracy", 1.0, at_least=1.0, baseline=1.0, baseline_name="majority")
    with pytest.raises(LaxThresholdError):
        check_outcome("MAE", 0.1, at_most=0.1, baseline=math.nan, baseline_name="median")


def test_a_clear_threshold_passes_and_names_the_baseline(capsys):
    check_outcome("test MAE", 0.093, at_most=0.10, baseline=0.1316, baseline_name="always predicting the median")
    printed = capsys.readouterr().out
    assert "test MAE: 0.0930" in printed
    assert "at most 0.1" in printed
    assert "always predicting the median: 0.1316" in printed


def test_every_seed_is_checked_and_named(capsys):
    results = pd.Series({0: 0.91, 1: 0.93, 2: 0.90}, name="accuracy")
    check_outcome("test accuracy", results, at_least=0.85, baseline=0.64, baseline_name="majority class")
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "✓ test accuracy, seed 0", "✓ test accuracy, seed 1", "✓ test accuracy, seed 2"]

    with pytest.raises(OutcomeNotReachedError, match="seed 1 is 0.8000, but it should be at least 0.85"):
        check_outcome("test accuracy", {0: 0.9, 1: 0.8}, at_least=0.85, baseline=0.64, baseline_name="majority class")


def test_a_missed_outcome_is_a_one_line_learner_error_with_advice():
    with pytest.raises(OutcomeNotReachedError) as caught:
        check_outcome("test MAE", 0.12, at_most=0.10, baseline=0.1316, baseline_name="the median",
                      advice="Run the notebook again from the top.")
    error = caught.value
    assert isinstance(error, LearnerError) and isinstance(error, AssertionError)
    message = str(error)
    assert "0.1200" in message and "at most 0.1" in message and "the median scores 0.1316" in message
    assert message.endswith("Run the notebook again from the top.")
    assert len(error._render_traceback_()) == 1


def test_a_result_that_is_not_a_number_never_passes():
    with pytest.raises(OutcomeNotReachedError):
        check_outcome("test MAE", math.nan, at_most=0.10, baseline=0.1316, baseline_name="median")


def test_exactly_one_threshold_is_required():
    with pytest.raises(TypeError):
        check_outcome("x", 0.1, baseline=0.2, baseline_name="b")
    with pytest.raises(TypeError):
        check_outcome("x", 0.1, at_most=0.1, at_least=0.0, baseline=0.2, baseline_name="b")


def test_the_margin_is_a_tenth_of_the_headroom():
    assert outcomes.MIN_SHARE_OF_HEADROOM == pytest.approx(0.10)
    # Exactly a tenth of the way from 0.60 to 1.0 is accepted ...
    check_outcome("accuracy", 0.99, at_least=0.64, baseline=0.60, baseline_name="majority")
    # ... and a custom perfect score moves the headroom (a loss whose best value is 0.2).
    with pytest.raises(LaxThresholdError):
        check_outcome("loss", 0.2, at_most=0.58, baseline=0.6, baseline_name="prior", perfect=0.2)
