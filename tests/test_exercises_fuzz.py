"""Fuzzing the checks of every exercise and the inspect_model helpers.

Whatever a learner passes (None, text, numbers, lists, dicts, arrays, tables, the wrong
Keras object, a layer instead of a model, an uncompiled model, a scikit-learn or PyTorch
object, the blank, too many or too few answers), ``check`` returns a readable Feedback and
never raises; the inspect_model helpers raise nothing but ``Incorrect``.

Keras objects are built once per module; hypothesis only chooses among them, so the whole
file runs in well under a minute.
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
from helpers.exercises import ____, Incorrect, core
from helpers.exercises import inspect_model as im

# Every question of every exercise, found in helpers/exercises/: a new exercise is fuzzed too.
QUESTIONS = exercise_questions()

# Deterministic examples keep CI stable; any DeprecationWarning on these paths is a failure
# (the course promises none).
pytestmark = pytest.mark.filterwarnings("error::DeprecationWarning")

FUZZ_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)



@functools.cache
def keras_objects() -> tuple:
    """Wrong (and a few right) Keras answers, built once."""
    Dense = keras.layers.Dense
    linear_unit = keras.Sequential([keras.Input(shape=(11,)), Dense(1)])
    deep = keras.Sequential([keras.Input(shape=(8,))] + [Dense(512, activation="relu") for _ in range(3)] + [Dense(1)])
    small = keras.Sequential([keras.Input(shape=(9,)), Dense(64, activation="relu"), Dense(64, activation="relu"), Dense(1)])
    compiled_right = keras.models.clone_model(small)
    compiled_right.compile(optimizer="adam", loss="mae")
    compiled_wrong = keras.models.clone_model(small)
    compiled_wrong.compile(optimizer="sgd", loss="binary_crossentropy")
    unbuilt = keras.Sequential([Dense(4), Dense(1)])
    images = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Conv2D(2, 3), keras.layers.Flatten(), Dense(1)])
    sequence = keras.Sequential([keras.Input(shape=(5, 11)), keras.layers.LSTM(2), Dense(1)])
    first, second = keras.Input(shape=(8,)), keras.Input(shape=(3,))
    two_inputs = keras.Model([first, second], Dense(1)(keras.layers.Concatenate()([first, second])))
    with_extras = keras.Sequential([keras.Input(shape=(11,)), keras.layers.BatchNormalization(), keras.layers.Dropout(0.2), Dense(1)])
    history = compiled_right.fit(np.zeros((4, 9)), np.zeros(4), validation_data=(np.zeros((2, 9)), np.zeros(2)),
                                 epochs=1, verbose=0)
    empty_history = keras.callbacks.History()
    return (
        linear_unit, deep, small, compiled_right, compiled_wrong, unbuilt, images, sequence, two_inputs,
        with_extras, keras.Sequential, keras.Model,
        Dense(1), keras.layers.Activation("relu"), keras.layers.ReLU(), keras.Input(shape=(11,)),
        *linear_unit.weights, *linear_unit.get_weights(), linear_unit.layers[0],
        history, empty_history, keras.callbacks.EarlyStopping(), keras.optimizers.Adam(), keras.losses.MeanAbsoluteError(),
        keras.activations.relu, [Dense(1)], (Dense(1), Dense(1)),
    )


@functools.cache
def other_library_objects() -> tuple:
    from sklearn.linear_model import LinearRegression
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    objects = [StandardScaler(), StandardScaler().fit(np.arange(20.0).reshape(10, 2)), MinMaxScaler, LinearRegression()]
    try:  # PyTorch is optional: only used if it happens to be installed
        import torch

        objects += [torch.nn.Linear(11, 1), torch.zeros(11, 1)]
    except ImportError:
        pass
    return tuple(objects)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10**6, max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["relu", "mae", "adam", "linear", "(11,)", "model", "rleu", "softmax", "", "None"]),
)

arrays = hnp.arrays(
    dtype=st.sampled_from([np.float32, np.float64, np.int64, np.bool_]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=12),
)

tables = st.sampled_from(
    [
        pd.DataFrame(np.zeros((3, 11))),
        pd.DataFrame({"quality": [5, 6], "alcohol": [9.0, 10.0]}),
        pd.DataFrame({"mpg": [18.0], "origin": ["USA"], "name": ["x"]}),
        pd.DataFrame(np.ones((392, 9))),
        pd.DataFrame(np.ones((294, 9))),
        pd.DataFrame({"a": ["text"] * 392, **{f"c{i}": np.zeros(392) for i in range(8)}}),
        pd.Series(np.arange(392.0)),
        pd.Series(["a", "b"]),
        pd.DataFrame(),
    ]
)

keras_answers = st.builds(lambda i: keras_objects()[i], st.integers(min_value=0, max_value=len(keras_objects()) - 1))
library_answers = st.builds(
    lambda i: other_library_objects()[i % len(other_library_objects())], st.integers(min_value=0, max_value=50)
)

any_answer = nested(st.one_of(scalars, arrays, tables, keras_answers, library_answers, st.just(____)))


@pytest.mark.parametrize("key", sorted(QUESTIONS))
@FUZZ_SETTINGS
@given(data=st.data())
def test_check_always_returns_readable_feedback(key, data):
    question = QUESTIONS[key]
    wanted = len(question._answer_names())
    # mostly the right number of answers, sometimes one too few or too many
    count = data.draw(st.sampled_from([wanted] * 4 + [max(0, wanted - 1), wanted + 1]), label="count")
    answers = data.draw(st.lists(any_answer, min_size=count, max_size=count), label="answers")
    feedback = question.check(*answers)
    assert_readable(feedback)
    if isinstance(question, core.DiscussionQuestion) and count != wanted:
        # a question in words reveals nothing until it gets one written answer: a bare check()
        # asks for it, several answers are told it takes one
        assert feedback.status == "not_attempted"
        assert count == 0 or "takes one answer" in feedback.message
    elif count != wanted and not core.contains_placeholder(answers) and question._answer_names():
        assert feedback.status == "incorrect" and "takes" in feedback.message


@pytest.mark.parametrize(
    "helper",
    [
        im.require_model,
        lambda value: im.as_shape(value),
        lambda value: im.require_shape(value, (11,)),
        lambda value: im.require_number(value, 0.5),
        lambda value: im.require_array_shape(value, (11, 1)),
        lambda value: im.require_early_stopping(value, min_delta=0.001, patience=5),
    ],
    ids=["require_model", "as_shape", "require_shape", "require_number", "require_array_shape", "require_early_stopping"],
)
@FUZZ_SETTINGS
@given(value=any_answer)
def test_helpers_raise_only_incorrect(helper, value):
    try:
        helper(value)
    except Incorrect as problem:
        assert problem.message.strip()


@FUZZ_SETTINGS
@given(value=keras_answers)
def test_model_helpers_on_keras_objects_raise_only_incorrect(value):
    """Once something is a model, the model-level helpers explain problems, they never crash."""
    try:
        im.require_model(value)
    except Incorrect:
        return
    for helper in (
        lambda: im.require_input_shape(value, (11,)),
        lambda: im.require_dense_stack(value, [1], ["linear"]),
        lambda: im.require_dense_stack(value, [64, 64, 1], ["relu", "relu", "linear"], separate_activations=True),
        lambda: im.require_compiled(value, loss="mae", optimizer="adam"),
    ):
        try:
            helper()
        except Incorrect as problem:
            assert problem.message.strip()


@FUZZ_SETTINGS
@given(a=st.floats(allow_nan=True, allow_infinity=True) | scalars, b=st.floats(allow_nan=True, allow_infinity=True))
def test_is_close_never_raises(a, b):
    result = im.is_close(a, b)
    assert result in (True, False)
    if isinstance(a, float) and not math.isnan(a) and a == b and not math.isinf(a):
        assert result
