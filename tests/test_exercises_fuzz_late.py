"""Fuzzing the checks of every exercise with a second set of answers, the kind the later
exercises take (histories, callbacks, optimizers, losses, other libraries' objects): whatever
a learner passes (None, text, numbers, lists, arrays, tables, the wrong Keras object, too many
or too few answers), ``check`` returns a readable Feedback and never raises.

The Keras objects are built once for the module; hypothesis only picks among them.
"""

import functools
import math

import keras
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from course_parts import exercise_questions
from readable_feedback import assert_readable, nested
from helpers.exercises import ____, core
from helpers.exercises import exercise6

# Every question of every exercise, found in helpers/exercises/: a new exercise is fuzzed too.
QUESTIONS = exercise_questions()

FUZZ_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _history_of_a_short_fit():
    model = keras.Sequential([keras.Input(shape=(18,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mae")
    x = np.zeros((8, 18), dtype="float32")
    return model, model.fit(x, np.zeros(8, dtype="float32"), validation_data=(x, np.zeros(8)), epochs=1, verbose=0)


@functools.cache
def keras_objects() -> tuple:
    """Wrong (and a few right) Keras answers, built once."""
    Dense = keras.layers.Dense
    trained, history = _history_of_a_short_fit()
    compiled = keras.Sequential([keras.Input(shape=(64,)), Dense(64, activation="relu"), Dense(1, activation="sigmoid")])
    compiled.compile(optimizer="sgd", loss="mse")
    images = keras.Sequential([keras.Input(shape=(28, 28, 1)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                               Dense(1)])
    first, second = keras.Input(shape=(8,)), keras.Input(shape=(18,))
    two_inputs = keras.Model([first, second], Dense(1)(keras.layers.Concatenate()([first, second])))
    nan_history = keras.callbacks.History()
    nan_history.history = {"loss": [float("nan")], "val_loss": [float("nan")]}
    odd_history = keras.callbacks.History()
    odd_history.history = {"loss": "not a list"}
    odd_history.params = {"steps": "many"}
    used_stopper = keras.callbacks.EarlyStopping(patience=5, min_delta=0.001, restore_best_weights=True)
    used_stopper.set_model(trained)
    return (
        trained,
        history,
        compiled,
        images,
        two_inputs,
        nan_history,
        odd_history,
        keras.Sequential(),  # no layers at all
        keras.Sequential([Dense(1)]),  # no input shape
        keras.Sequential([keras.Input(shape=(8,)), keras.layers.BatchNormalization(), keras.layers.Dropout(0.5)]),
        keras.Sequential([keras.Input(shape=(18,)), Dense(1), keras.layers.Activation("sigmoid")]),
        Dense(1),
        keras.layers.Dropout(0.3),
        keras.layers.BatchNormalization(),
        keras.Input(shape=(18,)),
        keras.Sequential,
        keras.layers.Dense,
        keras.callbacks.EarlyStopping,
        keras.callbacks.EarlyStopping(),
        keras.callbacks.EarlyStopping(patience=0.001, min_delta=5, restore_best_weights=True),
        used_stopper,
        keras.callbacks.TerminateOnNaN(),
        keras.optimizers.Adam(),
        keras.losses.BinaryCrossentropy(),
        "binary_crossentropy",
        [Dense(1), Dense(1)],
    )


def other_objects() -> list:
    """Objects from other libraries a learner might pass by mistake (skipped if not installed)."""
    objects = [pd.DataFrame({"a": [1, 2]}), pd.Series([0.63, 0.37]), np.float32(0.63), np.int64(5), print, object()]
    try:
        from sklearn.linear_model import LinearRegression

        objects.append(LinearRegression())
    except ImportError:  # pragma: no cover
        pass
    try:  # pragma: no cover - torch is not a course requirement
        import torch

        objects.append(torch.nn.Linear(18, 1))
    except ImportError:
        pass
    return objects


plain_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.binary(max_size=8),
    st.complex_numbers(allow_nan=False, allow_infinity=False, max_magnitude=1e6),
)
arrays = hnp.arrays(
    dtype=st.sampled_from([np.float32, np.float64, np.int64, np.bool_]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
)
answers = nested(st.one_of(plain_values, arrays, st.sampled_from(keras_objects()), st.sampled_from(other_objects())),
                 max_dict_size=3)


@pytest.mark.parametrize("name", sorted(QUESTIONS))
@FUZZ_SETTINGS
@given(data=st.data())
def test_any_answers_give_readable_feedback(name, data):
    question = QUESTIONS[name]
    count = data.draw(st.integers(min_value=0, max_value=3), label="number of answers")
    given_answers = [data.draw(answers, label=f"answer {i + 1}") for i in range(count)]
    assert_readable(question.check(*given_answers))


@pytest.mark.parametrize("name", sorted(QUESTIONS))
@FUZZ_SETTINGS
@given(data=st.data())
def test_the_right_number_of_arbitrary_answers_gives_readable_feedback(name, data):
    question = QUESTIONS[name]
    count = max(len(question._answer_names()), 1)
    given_answers = [data.draw(answers, label=f"answer {i + 1}") for i in range(count)]
    if isinstance(question, core.DiscussionQuestion):
        given_answers = []
    assert_readable(question.check(*given_answers))


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_the_blank_is_always_not_attempted(name):
    question = QUESTIONS[name]
    if isinstance(question, core.DiscussionQuestion):  # no written answer yet: nothing revealed
        assert question.check().status == "not_attempted"
        assert question.check(____).status == "not_attempted"
        return
    count = len(question._answer_names())
    for position in range(count):
        blanks = [keras_objects()[0]] * count
        blanks[position] = ____
        assert question.check(*blanks).status == "not_attempted"
    assert question.check(*([[____]] * count)).status == "not_attempted"


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_hint_and_solution_are_readable(name):
    question = QUESTIONS[name]
    # A discussion question's solution() asks for the learner's own answer first.
    assert_readable(question.solution(), statuses=("solution", "answer", "not_attempted"))
    assert_readable(question.hint(), statuses=("hint", "answer"))


@FUZZ_SETTINGS
@given(value=st.floats(allow_nan=True, allow_infinity=True) | st.integers())
def test_baseline_numbers_are_judged_without_errors(value):
    feedback = exercise6.q4.check(value)
    assert_readable(feedback)
    if feedback.status == "correct":
        assert math.isclose(float(value), exercise6.BASELINE_ACCURACY, abs_tol=0.005)
