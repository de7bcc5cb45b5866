"""Exercise 2 questions: correct answers pass, each typical mistake gets its own message,
and the blank gives "not attempted"."""

import keras
import matplotlib.pyplot as plt
import pytest

from helpers import data
from helpers.exercises import ____
from helpers.exercises import core
from helpers.exercises import exercise2
from helpers.exercises.exercise2 import q1, q2, q3, q4, q5, q6, show_stacked_networks

Dense, Activation = keras.layers.Dense, keras.layers.Activation


@pytest.fixture(autouse=True)
def lenient_checks(monkeypatch):
    monkeypatch.delenv(core.STRICT_ENV_VAR, raising=False)


@pytest.fixture(scope="module")
def concrete():
    return data.load_concrete()


def network(*layers, inputs=8):
    return keras.Sequential([keras.Input(shape=(inputs,)), *layers])


@pytest.fixture(scope="module")
def deep():
    return network(Dense(512, activation="relu"), Dense(512, activation="relu"), Dense(512, activation="relu"), Dense(1))


@pytest.fixture(scope="module")
def deep_separate():
    return network(
        Dense(512), Activation("relu"), Dense(512), Activation("relu"), Dense(512), Activation("relu"), Dense(1)
    )


def assert_incorrect(feedback, *fragments):
    assert feedback.status == "incorrect", str(feedback)
    for fragment in fragments:
        assert fragment in feedback.message, f"{fragment!r} not in {feedback.message!r}"


# --- q1 ----------------------------------------------------------------------------------------


def test_q1(concrete):
    X = concrete.drop(columns="CompressiveStrength")
    feedback = q1.check(X, X.shape[1:])
    assert feedback and "Each concrete mixture is described by 8 numbers" in feedback.message
    assert_incorrect(q1.check(concrete, (8,)), "still contains the target column `'CompressiveStrength'`")
    assert_incorrect(q1.check(X, (9,)), "`(9,)` counts the target")
    assert_incorrect(q1.check(X, 8), "write `(8,)`")
    assert_incorrect(q1.check(X, (1030, 8)), "shape of the whole table")
    assert q1.check(____, ____).status == "not_attempted"


# --- q2 ----------------------------------------------------------------------------------------


def test_q2_correct_in_either_style(deep, deep_separate):
    feedback = q2.check(deep)
    assert feedback and "530,433 parameters" in feedback.message
    assert q2.check(deep_separate), "q2 does not mind separate Activation layers"


def test_q2_and_q3_accept_the_functional_api():
    inputs = keras.Input(shape=(8,))
    hidden = inputs
    for _ in range(3):
        hidden = keras.layers.Dense(512, activation="relu")(hidden)
    assert q2.check(keras.Model(inputs, keras.layers.Dense(1)(hidden)))
    hidden = inputs
    for _ in range(3):
        hidden = keras.layers.Activation("relu")(keras.layers.Dense(512)(hidden))
    assert q3.check(keras.Model(inputs, keras.layers.Dense(1)(hidden)))


def test_q2_mistakes():
    relu = dict(activation="relu")
    assert_incorrect(
        q2.check(network(Dense(512, **relu), Dense(512, **relu), Dense(512, **relu), Dense(1), inputs=9)),
        "Your model expects inputs of shape (None, 9)",
        "The concrete data has 8 features, so use `keras.Input(shape=(8,))`",
    )
    assert_incorrect(
        q2.check(network(Dense(512, **relu), Dense(512, **relu), Dense(1))),
        "Your model has 3 Dense layers (", "this one needs 4 (3 hidden layers and an output layer)",
    )
    assert_incorrect(
        q2.check(network(Dense(512, **relu), Dense(256, **relu), Dense(512, **relu), Dense(1))),
        "The 2nd Dense layer has 256 units; it should have 512",
    )
    assert_incorrect(
        q2.check(network(Dense(512, **relu), Dense(512), Dense(512, **relu), Dense(1))),
        "The 2nd Dense layer has no activation, so it is linear. Give it `activation='relu'`",
    )
    assert_incorrect(
        q2.check(network(Dense(512, **relu), Dense(512, **relu), Dense(512, **relu), Dense(1, **relu))),
        "Your output layer has the activation 'relu'", "passes no gradient back",
    )
    assert_incorrect(
        q2.check(network(Dense(512, activation="tanh"), Dense(512, **relu), Dense(512, **relu), Dense(1))),
        "The 1st Dense layer uses activation 'tanh'; this exercise asks for 'relu'.",
    )
    assert_incorrect(
        q2.check(network(Dense(512, **relu), Dense(512, **relu), Dense(512, **relu), Dense(2))),
        "Your output layer has 2 units", "2 numbers for every mixture",
    )
    assert_incorrect(
        q2.check(network(Dense(512, **relu), keras.layers.Dropout(0.2), Dense(512, **relu), Dense(512, **relu), Dense(1))),
        "has a `Dropout` layer",
    )
    assert q2.check(____).status == "not_attempted"


# --- q3 ----------------------------------------------------------------------------------------


def test_q3(deep, deep_separate):
    assert q3.check(deep_separate)
    assert_incorrect(q3.check(deep), "Your model has no `Activation` layers")
    mixed = network(Dense(512), Activation("relu"), Dense(512, activation="relu"), Dense(512), Activation("relu"), Dense(1))
    assert_incorrect(q3.check(mixed), "The 2nd Dense layer has its activation built in")
    missing = network(Dense(512), Activation("relu"), Dense(512), Dense(512), Activation("relu"), Dense(1))
    assert_incorrect(q3.check(missing), "The 2nd Dense layer has no activation, so it is linear")
    wrong = network(Dense(512), Activation("sigmoid"), Dense(512), Activation("relu"), Dense(512), Activation("relu"), Dense(1))
    assert_incorrect(q3.check(wrong), "The 1st Dense layer uses activation 'sigmoid'")
    assert_incorrect(q3.check("model"), "the text 'model'")
    assert q3.check(____).status == "not_attempted"


# --- q4 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer", ["relu", "ReLU", "tanh", "elu", "sigmoid", "gelu", keras.activations.relu, keras.ops.relu]
)
def test_q4_accepts_nonlinear_activations(answer):
    assert q4.check(answer), str(q4.check(answer))


def test_q4_messages():
    assert "ReLU bends" in q4.check("relu").message
    assert "The usual default for hidden layers is `'relu'`" in q4.check("tanh").message
    for linear in ["linear", None, "", keras.activations.linear]:
        assert_incorrect(q4.check(linear), "a line of a line is still a line")
    assert_incorrect(q4.check("rleu"), "Keras does not know an activation called 'rleu'. Did you mean `'relu'`?")
    assert_incorrect(q4.check("wibble"), "Keras does not know an activation called 'wibble'. Try `'relu'`.")
    assert_incorrect(q4.check("softmax"), "belongs in the output layer of a classifier")
    assert_incorrect(q4.check(3), "give the activation's name as a string")
    assert q4.check(____).status == "not_attempted"


def test_show_stacked_networks_draws_two_panels(monkeypatch):
    shown = []
    monkeypatch.setattr("helpers.plots.show", lambda fig, alt: shown.append((fig, alt)))
    show_stacked_networks("tanh", n_networks=2)
    [(fig, alt)] = shown
    left, right = fig.axes
    assert len(left.lines) == 2 and len(right.lines) == 2
    assert right.get_title() == "activation='tanh'"
    # without activations each network is exactly a straight line; with tanh it is not
    for line in left.lines:
        y = line.get_ydata()
        assert abs((y[2] - y[1]) - (y[1] - y[0])) < 1e-3 * max(1.0, abs(y).max())
        second_differences = abs(y[2:] - 2 * y[1:-1] + y[:-2])
        assert second_differences.max() < 1e-3 * max(1.0, abs(y).max())
    bent = [abs(line.get_ydata()[2:] - 2 * line.get_ydata()[1:-1] + line.get_ydata()[:-2]).max() for line in right.lines]
    assert max(bent) > 1e-3
    assert "'tanh'" in alt
    plt.close(fig)


def test_show_stacked_networks_handles_blank_and_typos(capsys):
    assert show_stacked_networks(____) is None
    assert "Choose an activation" in capsys.readouterr().out
    assert show_stacked_networks("rleu") is None
    assert "Did you mean `'relu'`?" in capsys.readouterr().out


# --- q5 ----------------------------------------------------------------------------------------


def test_q5_reveals_the_model_answer_only_after_a_written_answer():
    for unwritten in (____, '\n____\n', "", "lines"):
        feedback = q5.check(unwritten)
        assert feedback.status == "not_attempted", unwritten
        assert "(w2 * w1) * x" not in feedback.message
    feedback = q5.check("A line of a line is still a line, so depth adds nothing without activations.")
    assert feedback.status == "answer"
    assert "(w2 * w1) * x + (w2 * b1 + b2)" in feedback.message
    assert "A line of a line is still a line" in feedback.message


# --- decisions: the output layer --------------------------------------------------------------------

def _deep(output):
    return keras.Sequential([keras.Input(shape=(8,)), *[keras.layers.Dense(512, activation="relu") for _ in range(3)],
                             output])


@pytest.mark.parametrize("output, consequence", [
    (keras.layers.Dense(1, activation="sigmoid"), "between 0 and 1, but strengths run from about 2 to 83 MPa"),
    (keras.layers.Dense(1, activation="tanh"), "between -1 and 1"),
    (keras.layers.Dense(1, activation="relu"), "passes no gradient back"),
    (keras.layers.Dense(1, activation="softmax"), "always outputs exactly 1"),
    (keras.layers.Dense(8), "8 numbers for every mixture"),
], ids=["sigmoid", "tanh", "relu", "softmax", "8 units"])
def test_q2_explains_each_output_decision(output, consequence):
    feedback = q2.check(_deep(output))
    assert feedback.status == "incorrect" and consequence in feedback.message, feedback.message


@pytest.mark.parametrize("question", [q1, q2, q3, q4, q5, q6], ids=lambda q: q.name)
def test_hints_come_in_steps_and_the_first_has_no_code(question):
    steps = question.hint_steps
    assert len(steps) >= 2 and "```" not in steps[0]
    assert f"{question.name}.hint(2)" in question.hint().message
    assert steps[-1] in question.hint(len(steps)).message


# --- q6: the open challenge ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def split():
    from sklearn.model_selection import train_test_split

    mixtures = data.load_concrete()
    return train_test_split(mixtures.drop(columns="CompressiveStrength"), mixtures["CompressiveStrength"],
                            test_size=0.25, random_state=0)


def _small_network():
    return keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(32, activation="relu"), keras.layers.Dense(1)])


def test_q6_a_network_with_relu_meets_the_target_a_linear_stack_does_not(split):
    X_train, X_test, y_train, y_test = split
    keras.utils.set_random_seed(0)
    network = exercise2.train_on_mixtures(_small_network(), X_train, y_train)
    feedback = q6.check(network, X_test, y_test)
    assert feedback.status == "correct", feedback.message
    assert "always predicting the median strength" in feedback.message
    keras.utils.set_random_seed(0)
    stack = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(16), keras.layers.Dense(1)])
    feedback = q6.check(exercise2.train_on_mixtures(stack, X_train, y_train), X_test, y_test)
    assert feedback.status == "incorrect"
    assert "hidden layers have no activation" in feedback.message and "short of the target" in feedback.message


def test_q6_insists_on_the_held_out_test_mixtures(split):
    X_train, X_test, y_train, y_test = split
    fresh = _small_network()
    assert "772 values" in q6.check(fresh, X_train, y_train).message
    assert "Pass the model that `train_on_mixtures` returns" in q6.check(fresh, X_test, y_test).message
    assert q6.check(fresh, ____, y_test).status == "not_attempted"


def test_q6_numbers_are_consistent():
    low, high = q6.reference
    assert high <= q6.target < q6._baseline_score()


def test_every_question_has_hint_and_solution():
    for question in (q1, q2, q3, q4, q5, q6):
        assert question.hint().message.strip() and question.solution().message.strip() and question.title
