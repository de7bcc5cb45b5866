"""Property-based tests for the course's notion of equivalence (issue 11).

Hypothesis writes the same network in many spellings (Sequential or functional; each
activation inside ``Dense`` as a string or a function, or as an ``Activation``/``ReLU`` layer;
batch normalization before or after the activation; a Dense layer before a BatchNormalization
with or without its bias): every spelling must pass. Then it changes one thing that changes the
computation (units, an activation, a missing or extra layer, a missing bias): every such
variant must be refused with a specific message, never the generic fallback.
Helpers learners call with odd arguments must answer with a ``LearnerError``, never a traceback.
"""

from __future__ import annotations

import keras
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.errors import LearnerError
from helpers.exercises import exercise2, exercise3, exercise4, exercise5, exercise6

L = keras.layers
FALLBACK = "I could not check this answer"
SETTINGS = settings(max_examples=12, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


ACTIVATION_SPELLINGS = {
    "relu": ["relu", keras.activations.relu, keras.ops.relu, "layer", "relu_layer", "layer_fn"],
    "sigmoid": ["sigmoid", keras.activations.sigmoid, keras.ops.sigmoid, "layer", "layer_fn"],
}


def spelled(units, activation, spelling, use_bias=True):
    """The layers for one Dense layer with its activation, in the given spelling."""
    if activation == "linear":
        return [L.Dense(units, use_bias=use_bias)] + ([L.Activation("linear")] if spelling == "layer" else [])
    if spelling == "plain":
        spelling = activation
    if spelling == "layer":
        return [L.Dense(units, use_bias=use_bias), L.Activation(activation)]
    if spelling == "relu_layer":
        return [L.Dense(units, use_bias=use_bias), L.ReLU()]
    if spelling == "layer_fn":
        return [L.Dense(units, use_bias=use_bias), L.Activation(getattr(keras.activations, activation))]
    return [L.Dense(units, activation=spelling, use_bias=use_bias)]


def build(n_inputs, layers, api):
    if api == "sequential":
        return keras.Sequential([keras.Input(shape=(n_inputs,)), *layers])
    inputs = keras.Input(shape=(n_inputs,))
    x = inputs
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs, x)


@st.composite
def network(draw, spec, n_inputs):
    """The network ``spec`` ([(units, activation), ...]) in a random spelling, as a function that
    builds it (Keras draws its own random seeds, which hypothesis must not see inside a draw)."""
    spellings = [draw(st.sampled_from(ACTIVATION_SPELLINGS.get(activation, ["plain", "layer"])))
                 for _, activation in spec]
    api = draw(st.sampled_from(["sequential", "functional"]))

    def make():
        layers = []
        for (units, activation), spelling in zip(spec, spellings):
            layers += spelled(units, activation, spelling)
        return build(n_inputs, layers, api)

    return make


MUTATIONS = ["units", "activation", "drop_layer", "extra_dropout", "no_bias", "output_activation"]


@st.composite
def broken_network(draw, spec, n_inputs, output_ok=()):
    """The network with one change that alters what it computes; returns (builder, mutation)."""
    mutation = draw(st.sampled_from(MUTATIONS))
    spec = list(spec)
    index = draw(st.integers(0, len(spec) - 2))
    layers_spec = [list(item) for item in spec]
    if mutation == "units":
        layers_spec[index][0] *= 2
    elif mutation == "activation":
        layers_spec[index][1] = "tanh"
    elif mutation == "drop_layer":
        del layers_spec[index]
    elif mutation == "output_activation":
        layers_spec[-1][1] = "softplus" if layers_spec[-1][1] != "softplus" else "linear"
    spellings = [draw(st.sampled_from(ACTIVATION_SPELLINGS.get(activation, ["plain", "layer"])))
                 for _, activation in layers_spec]
    api = draw(st.sampled_from(["sequential", "functional"]))

    def make():
        layers = []
        for position, ((units, activation), spelling) in enumerate(zip(layers_spec, spellings)):
            use_bias = not (mutation == "no_bias" and position == index)
            layers += spelled(units, activation, spelling, use_bias=use_bias)
            if mutation == "extra_dropout" and position == index:
                layers.append(L.Dropout(0.25))
        return build(n_inputs, layers, api)

    return make, mutation


def mark_trained(model, optimizer="adam"):
    model.compile(optimizer=optimizer, loss="mae")
    history = keras.callbacks.History()
    history.set_params({"verbose": 0, "epochs": 2, "steps": 10})
    history.history = {"loss": [1.0, 0.9], "val_loss": [1.0, 0.95]}
    history.set_model(model)
    model.history = history
    return model


CASES = {
    "exercise2.q2": (exercise2.q2, [(512, "relu")] * 3 + [(1, "linear")], 8, lambda m: m),
    "exercise3.q3": (exercise3.q3, [(64, "relu"), (64, "relu"), (1, "linear")], 9,
                   lambda m: (m.compile(optimizer="adam", loss="mae"), m)[1]),
    # exercises 4 and 5 use the concrete data (8 features), exercise 6 the 61 booking-time hotel columns
    "exercise4.q3": (exercise4.q3, [(128, "relu"), (64, "relu"), (1, "linear")], exercise4.N_FEATURES, mark_trained),
    "exercise5.q3": (exercise5.q3, [(256, "relu")] * 3 + [(1, "linear")], exercise5.CONCRETE_FEATURES,
                   lambda m: mark_trained(m, optimizer="sgd")),
    "exercise6.q1": (exercise6.q1, [(64, "relu"), (64, "relu"), (1, "sigmoid")], exercise6.N_FEATURES, lambda m: m),
}


@SETTINGS
@given(width=st.integers(1, 120).filter(lambda n: n != exercise6.N_FEATURES), api=st.sampled_from(["sequential", "functional"]))
def test_exercise6_refuses_every_other_input_width(width, api):
    """Exercise 6 trains on the 61 booking-time columns: any other width is refused, and a wider one
    (leaking columns put back into the features) is told why those columns were left out."""
    model = build(width, spelled(64, "relu", "plain") + spelled(64, "relu", "plain") + spelled(1, "sigmoid", "plain"), api)
    feedback = exercise6.q1.check(model)
    assert feedback.status == "incorrect" and FALLBACK not in feedback.message, feedback.message
    if width > exercise6.N_FEATURES:
        assert "after the booking is made" in feedback.message, feedback.message
    else:
        assert f"{exercise6.N_FEATURES} columns" in feedback.message, feedback.message


@pytest.mark.parametrize("key", sorted(CASES))
@SETTINGS
@given(data=st.data())
def test_every_spelling_of_the_right_network_passes(key, data):
    question, spec, n_inputs, finish = CASES[key]
    model = finish(data.draw(network(spec, n_inputs))())
    feedback = question.check(model)
    assert feedback.status == "correct", f"{key}: {[type(l).__name__ for l in model.layers]}: {feedback.message}"


# Exercise 4's q3 lets the learner design the hidden layers (any widths, any nonlinear activation),
# so changing them is not a mistake there; tests/test_exercise4.py covers what it refuses.
FREE_DESIGN = {"exercise4.q3"}


@pytest.mark.parametrize("key", sorted(set(CASES) - FREE_DESIGN))
@SETTINGS
@given(data=st.data())
def test_every_change_of_computation_is_refused(key, data):
    question, spec, n_inputs, finish = CASES[key]
    make, mutation = data.draw(broken_network(spec, n_inputs))
    model = make()
    feedback = question.check(finish(model))
    assert feedback.status == "incorrect", f"{key}: mutation {mutation} passed: {feedback.message}"
    assert FALLBACK not in feedback.message, feedback.message


@SETTINGS
@given(
    order=st.lists(st.sampled_from(["dense_relu_bn", "dense_bn_act", "dense_act_bn", "dense_bn_relu_layer"]),
                   min_size=3, max_size=3),
    bias=st.lists(st.booleans(), min_size=3, max_size=3),
    api=st.sampled_from(["sequential", "functional"]),
)
def test_batch_norm_orders_are_equivalent(order, bias, api):
    """Dense -> BN -> activation (the course's recommendation), Dense(relu) -> BN, Dense -> ReLU -> BN:
    all the same answer to lesson 5 q4; a Dense layer right before a BN may leave out its bias."""
    layers = [L.BatchNormalization()]
    for kind, use_bias in zip(order, bias):
        if kind == "dense_relu_bn":
            layers += [L.Dense(256, activation="relu", use_bias=use_bias), L.BatchNormalization()]
        elif kind == "dense_bn_act":
            layers += [L.Dense(256, use_bias=use_bias), L.BatchNormalization(), L.Activation("relu")]
        elif kind == "dense_bn_relu_layer":
            layers += [L.Dense(256, use_bias=use_bias), L.BatchNormalization(), L.ReLU()]
        else:
            layers += [L.Dense(256, use_bias=use_bias), L.ReLU(), L.BatchNormalization()]
    model = mark_trained(build(8, layers + [L.Dense(1)], api), optimizer="sgd")
    feedback = exercise5.q4.check(model)
    assert feedback.status == "correct", feedback.message


@SETTINGS
@given(
    name=st.sampled_from(["relu", "tanh", "elu", "selu", "gelu", "sigmoid", "softplus", "swish", "mish", "leaky_relu"]),
    form=st.sampled_from(["string", "upper", "function", "padded"]),
)
def test_nonlinear_activations_pass_in_any_form(name, form):
    answer = {"string": name, "upper": name.upper(), "function": getattr(keras.activations, name),
              "padded": f" {name} "}[form]
    assert exercise2.q4.check(answer).status == "correct"


@SETTINGS
@given(slope=st.floats(-5, 5, allow_nan=False).filter(lambda s: abs(s) > 1e-3), intercept=st.floats(-3, 3, allow_nan=False))
def test_straight_lines_are_refused_as_activations(slope, intercept):
    feedback = exercise2.q4.check(lambda x: slope * x + intercept)
    assert feedback.status == "incorrect" and FALLBACK not in feedback.message


ODD = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 10**6), st.floats(allow_nan=True), st.text(max_size=5),
    st.lists(st.integers(-3, 400), max_size=8), st.just(print), st.just(len), st.just(keras.layers.ReLU),
    st.just(keras.layers.Dense(2)), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@SETTINGS
@given(value=ODD)
def test_helpers_answer_odd_input_with_a_learner_error(value):
    """Public helpers of the exercise notebooks never end in a traceback on odd arguments
    (training itself is stubbed out: only argument handling is under test)."""
    from unittest import mock

    import matplotlib

    matplotlib.use("Agg")
    with mock.patch.object(exercise3, "_short_run", lambda *a, **k: ([5.0, 4.0], 0.1)), \
            mock.patch("helpers.plots.show", lambda fig, alt: None):
        _call_helpers(value)
    import matplotlib.pyplot as plt

    plt.close("all")


def _call_helpers(value):
    for call in (
        lambda: exercise2.show_stacked_networks(value),
        lambda: exercise2.show_stacked_networks("relu", n_networks=value),
        lambda: exercise3.compare_batch_sizes(batch_sizes=value),
        lambda: exercise3.compare_batch_sizes(epochs=value),
        lambda: exercise3.compare_learning_rates(learning_rates=value),
    ):
        try:
            call()
        except LearnerError:
            pass
