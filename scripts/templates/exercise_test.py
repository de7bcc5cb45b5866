"""Exercise ${number} questions: the right answer passes, each typical mistake gets its own
message, and the blank gives "not attempted"."""

import numpy as np
import pytest

from helpers import data
from helpers.exercises import ____
from helpers.exercises.exercise${number} import q1


@pytest.fixture(scope="module")
def n_wines():
    return len(data.load_red_wine())


def test_q1_accepts_the_number_of_rows(n_wines):
    assert q1.check(n_wines).status == "correct"
    assert q1.check(np.int64(n_wines)).status == "correct"


@pytest.mark.parametrize("offset", [-1, 1])
def test_q1_explains_a_wrong_count(n_wines, offset):
    feedback = q1.check(n_wines + offset)
    assert feedback.status == "incorrect" and "len(red_wine)" in feedback.message


@pytest.mark.parametrize("answer", ["1599", 1599.0, None, True])
def test_q1_asks_for_a_whole_number(answer):
    feedback = q1.check(answer)
    assert feedback.status == "incorrect" and "whole number" in feedback.message


def test_q1_blank_is_not_attempted():
    assert q1.check(____).status == "not_attempted"
