"""Exercise 1 questions: correct answers pass, each typical mistake gets its own message,
and the blank gives "not attempted"."""

import keras
import numpy as np
import pytest

from helpers import data
from helpers.exercises import ____
from helpers.exercises import core
from helpers.exercises import exercise1
from helpers.exercises.exercise1 import q1, q2, q3, q4, q5, q6


@pytest.fixture(autouse=True)
def lenient_checks(monkeypatch):
    monkeypatch.delenv(core.STRICT_ENV_VAR, raising=False)


@pytest.fixture(scope="module")
def red_wine():
    return data.load_red_wine()


@pytest.fixture(scope="module")
def X(red_wine):
    return red_wine.drop(columns="quality")


@pytest.fixture(scope="module")
def linear_unit():
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(1)])


def assert_incorrect(feedback, *fragments):
    assert feedback.status == "incorrect", str(feedback)
    for fragment in fragments:
        assert fragment in feedback.message, f"{fragment!r} not in {feedback.message!r}"


# --- q1 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(11,), [11], "keras_input"])
def test_q1_accepts_sensible_shapes(X, shape):
    if shape == "keras_input":
        shape = keras.Input(shape=(11,))
    feedback = q1.check(X, shape)
    assert feedback, str(feedback)
    assert "Each wine is described by 11 numbers" in feedback.message


def test_q1_accepts_numpy_features(X):
    assert q1.check(X.to_numpy(), X.shape[1:])
    assert "A list works" in q1.check(X, [11]).message
    assert "keras.Input(shape=(11,))` works too" in q1.check(X, keras.Input(shape=(11,))).message


def test_q1_forgot_to_drop_the_target(red_wine, X):
    assert_incorrect(q1.check(red_wine, (11,)), "`X` still contains the target column `'quality'`")
    assert_incorrect(q1.check(red_wine.to_numpy(), (11,)), "`X` has 12 columns, one too many")
    assert_incorrect(q1.check(X, (12,)), "`(12,)` counts the target `'quality'` too")


def test_q1_shape_mistakes(X):
    assert_incorrect(q1.check(X, 11), "`11` is the right number of features", "write `(11,)`")
    assert_incorrect(q1.check(X, X.shape), "`(1599, 11)` is the shape of the whole table", "`X.shape[1:]`")
    assert_incorrect(q1.check(X, (1599,)), "1599 is the number of wines (rows)")
    assert_incorrect(q1.check(X, (1, 11)), "Leave out the leading 1")
    assert_incorrect(q1.check(X, (10,)), "it should be `(11,)`")
    assert_incorrect(q1.check(X, X), "`input_shape` is a whole table of shape (1599, 11)")
    assert_incorrect(q1.check(X, "(11,)"), "the text '(11,)'")


def test_q1_feature_table_mistakes(red_wine, X):
    assert_incorrect(q1.check(red_wine["quality"], (11,)), "`X` is a single column (a pandas Series of 1599 values)")
    assert_incorrect(q1.check(X.head(), (11,)), "`X` has 5 rows, but the red wine data has 1599 wines")
    assert_incorrect(q1.check(X.drop(columns="alcohol"), (11,)), "`X` has 10 columns")
    assert_incorrect(q1.check(None, (11,)), "`X` is `None`")


def test_q1_not_attempted(X):
    assert q1.check(____, ____).status == "not_attempted"
    assert q1.check(X, ____).status == "not_attempted"
    assert q1.check(X, (____,)).status == "not_attempted"


def test_q1_wrong_argument_count(X):
    assert_incorrect(q1.check(X), "`q1.check(X, input_shape)` takes 2 answers; you passed 1")


# --- q2 ----------------------------------------------------------------------------------------


def test_q2_correct(linear_unit):
    feedback = q2.check(linear_unit)
    assert feedback, str(feedback)
    assert "12 parameters" in feedback.message


def test_q2_accepts_the_functional_api():
    inputs = keras.Input(shape=(11,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    assert q2.check(model), str(q2.check(model))


def test_q2_mistakes():
    assert_incorrect(
        q2.check(keras.Sequential([keras.Input(shape=(12,)), keras.layers.Dense(1)])),
        "Your model expects inputs of shape (None, 12)",
        "The red wine data has 11 features, so use `keras.Input(shape=(11,))`",
    )
    assert_incorrect(
        q2.check(keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(3)])),
        "Your Dense layer has 3 units: that is 3 neurons side by side",
    )
    assert_incorrect(
        q2.check(keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(1, activation="relu")])),
        "Your Dense layer has activation 'relu'. `relu` turns every negative weighted sum into 0",
        "A unit that can output any number has no activation: `activation=None`",
    )
    assert_incorrect(
        q2.check(keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(1), keras.layers.Activation("sigmoid")])),
        "activation 'sigmoid'", "never predict a quality of 5 or 6",
    )
    assert_incorrect(
        q2.check(keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(4), keras.layers.Dense(1)])),
        "Your model has 2 Dense layers. A linear unit is a single neuron",
    )
    assert_incorrect(
        q2.check(keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dropout(0.5), keras.layers.Dense(1)])),
        "Your model has a `Dropout` layer",
    )
    assert_incorrect(q2.check(keras.Sequential([keras.layers.Dense(1)])), "does not know its input shape yet")
    assert_incorrect(q2.check(keras.layers.Dense(1)), "a single `Dense` layer, not a model")
    assert_incorrect(q2.check([keras.Input(shape=(11,)), keras.layers.Dense(1)]), "plain list of layers")


def test_q2_not_attempted():
    assert q2.check(____).status == "not_attempted"


# --- q3 ----------------------------------------------------------------------------------------


def test_q3_correct_with_variables(linear_unit):
    w, b = linear_unit.weights
    feedback = q3.check(w, b)
    assert feedback, str(feedback)
    assert "(11, 1)" in feedback.message and "NumPy" not in feedback.message


def test_q3_accepts_get_weights_but_explains_the_copy(linear_unit):
    w, b = linear_unit.get_weights()
    feedback = q3.check(w, b)
    assert feedback, str(feedback)
    assert "are NumPy arrays, probably from `model.get_weights()`" in feedback.message
    assert "will not change when the model trains" in feedback.message
    only_w = q3.check(w, linear_unit.weights[1])
    assert "`w` is a NumPy array" in only_w.message


def test_q3_mistakes(linear_unit):
    w, b = linear_unit.weights
    assert_incorrect(q3.check(b, w), "`w` and `b` look swapped")
    assert_incorrect(q3.check(linear_unit.weights, b), "`w` is a list of 2 items", "`w, b = model.weights`")
    assert_incorrect(q3.check(linear_unit, b), "`w` is the whole model")
    assert_incorrect(q3.check(linear_unit.layers[0], b), "`w` is a layer, not a weight")
    assert_incorrect(q3.check(w, 0.0), "`b` is a `float` rather than a weight tensor")
    wide = keras.Sequential([keras.Input(shape=(12,)), keras.layers.Dense(1)])
    assert_incorrect(q3.check(*wide.weights), "your model takes 12 inputs. Go back to q2")
    many_units = keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(3)])
    assert_incorrect(q3.check(*many_units.weights), "your model has 3 units. Go back to q2")
    assert_incorrect(q3.check(np.zeros(11), b), "`w` (the kernel) has shape (11,); I expected (11, 1)")


def test_q3_not_attempted():
    assert q3.check(____, ____).status == "not_attempted"


# --- q4 ----------------------------------------------------------------------------------------


def test_q4_correct(linear_unit, X):
    w, b = linear_unit.weights
    prediction = X.iloc[0].to_numpy() @ w.numpy() + b.numpy()
    feedback = q4.check(prediction, linear_unit)
    assert feedback, str(feedback)
    assert "which tasters rated 5" in feedback.message
    # a plain float and Keras's own prediction pass too
    assert q4.check(float(prediction[0]), linear_unit)
    assert q4.check(linear_unit.predict(X.iloc[:1], verbose=0), linear_unit)


def test_q4_mistakes(linear_unit, X):
    w, b = linear_unit.weights
    first = X.iloc[0].to_numpy()
    assert_incorrect(q4.check(first * w.numpy()[:, 0], linear_unit), "You have the 11 products", "*adds them up*")
    assert_incorrect(q4.check(X.to_numpy() @ w.numpy() + b.numpy(), linear_unit), "holds 1599 outputs")
    right = float(first @ w.numpy()[:, 0])
    assert_incorrect(q4.check(right + 1.0, linear_unit), f"but the model outputs {right:.4g} for the first wine")
    assert_incorrect(q4.check("1.5", linear_unit), "the text '1.5'; remove the quotes")
    other = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
    assert_incorrect(q4.check(0.0, other), "get q2 right first")
    assert_incorrect(q4.check(0.0, None), "The second answer (your model) is `None`")


def test_q4_not_attempted(linear_unit):
    assert q4.check(____, linear_unit).status == "not_attempted"
    assert q4.check(____, ____).status == "not_attempted"


# --- q5 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("activation, consequence", [
    ("sigmoid", "between 0 and 1"), ("tanh", "between -1 and 1"), ("softmax", "always outputs exactly 1"),
    ("relu", "passes no gradient back"),
])
def test_q2_explains_the_consequence_of_each_activation(activation, consequence):
    model = keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(1, activation=activation)])
    assert_incorrect(q2.check(model), consequence)


def test_q2_units_counts_outputs_not_inputs():
    model = keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(11)])
    assert_incorrect(q2.check(model), "11 numbers for every wine", "`units` counts the outputs")


@pytest.mark.parametrize("spelling", [None, "linear"])
def test_q2_accepts_no_activation_in_any_spelling(spelling):
    assert q2.check(keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(1, activation=spelling)]))


# --- q5 ----------------------------------------------------------------------------------------


def test_q5_reveals_the_model_answer_only_after_a_written_answer():
    for unwritten in (____, "\n____\n", "", "random"):
        feedback = q5.check(unwritten)
        assert feedback.status == "not_attempted", unwritten
        assert "bias to **0**" not in feedback.message
    assert q5.check().status == "not_attempted"
    feedback = q5.check("Keras picked the weight at random and the bias is zero.")
    assert feedback.status == "answer"
    assert "random" in feedback.message and "bias" in feedback.message
    assert "Keras picked the weight at random" in feedback.message  # the learner's words, quoted
    assert "bias to **0**" not in q5.solution().message


# --- hints in steps ----------------------------------------------------------------------------


@pytest.mark.parametrize("question", [q1, q2, q3, q4, q5, q6], ids=lambda q: q.name)
def test_hints_come_in_steps_and_the_first_has_no_code(question):
    steps = question.hint_steps
    assert len(steps) >= 2, question.name
    assert "```" not in steps[0]
    first, second = question.hint(), question.hint(2)
    assert first.status == second.status == "hint"
    assert f"{question.name}.hint(2)" in first.message
    assert steps[1] in second.message
    assert "hints" in question.hint(len(steps) + 1).message  # out of range: says how many there are


def test_every_question_has_hint_and_solution():
    for question in (q1, q2, q3, q4, q5, q6):
        assert question.hint().message.strip()
        assert question.solution().message.strip()
        assert question.title


# --- q6: the open challenge ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def split():
    from sklearn.model_selection import train_test_split

    wines = data.load_red_wine()
    return train_test_split(wines.drop(columns="quality"), wines["quality"], test_size=0.25, random_state=0)


@pytest.fixture(scope="module")
def trained_unit(split):
    X_train, _X_test, y_train, _y_test = split
    keras.utils.set_random_seed(0)
    unit = keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(1)])
    return exercise1.train_on_wines(unit, X_train, y_train)


def test_q6_trained_linear_unit_meets_the_target(split, trained_unit):
    _X_train, X_test, _y_train, y_test = split
    feedback = q6.check(trained_unit, X_test, y_test)
    assert feedback.status == "correct", feedback.message
    assert "always predicting the median quality" in feedback.message and "0.63" in feedback.message
    assert "reference solution" in feedback.message


def test_q6_untrained_or_squeezed_models_miss_it_with_reasons(split):
    _X_train, X_test, _y_train, y_test = split
    fresh = keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(1)])
    assert_incorrect(q6.check(fresh, X_test, y_test), "Pass the model that `train_on_wines` returns")
    squeezed = keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(1, activation="sigmoid")])
    assert_incorrect(q6.check(squeezed, X_test, y_test), "squeezes every output between 0 and 1")


def test_q6_the_inner_model_is_not_the_trained_one(split, trained_unit):
    _X_train, X_test, _y_train, y_test = split
    inner = trained_unit.layers[1]  # the learner's own model, inside the one train_on_wines returned
    assert isinstance(inner, keras.Model)
    assert_incorrect(q6.check(inner, X_test, y_test), "Pass the model that `train_on_wines` returns")


def test_q6_insists_on_the_held_out_test_wines(split, trained_unit):
    X_train, X_test, y_train, y_test = split
    assert_incorrect(q6.check(trained_unit, X_train, y_train), "`y_test` has 1199 values", "test split")
    assert_incorrect(q6.check(trained_unit, X_test, y_test.sample(frac=1, random_state=1)), "reordered")
    assert_incorrect(q6.check(trained_unit, X_test * 2, y_test), "not the values of the test wines")
    assert q6.check(trained_unit, X_test, ____).status == "not_attempted"
    assert q6.check(____, X_test, y_test).status == "not_attempted"


def test_train_on_wines_refuses_what_it_cannot_train(split):
    from helpers.exercises.core import HelperInputError, PlaceholderError

    X_train, X_test, y_train, y_test = split
    unit = keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(1)])
    with pytest.raises(HelperInputError, match="training split"):
        exercise1.train_on_wines(unit, X_test, y_test)
    with pytest.raises(HelperInputError, match="keras.Input"):
        exercise1.train_on_wines(keras.Sequential([keras.Input(shape=(12,)), keras.layers.Dense(1)]), X_train, y_train)
    with pytest.raises(HelperInputError, match="one\nprediction|one prediction"):
        exercise1.train_on_wines(keras.Sequential([keras.Input(shape=(11,)), keras.layers.Dense(3)]), X_train, y_train)
    with pytest.raises(PlaceholderError):
        exercise1.train_on_wines(____, X_train, y_train)


def test_q6_numbers_are_consistent():
    low, high = q6.reference
    assert high <= q6.target < q6._baseline_score()
