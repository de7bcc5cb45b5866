"""Exercise 2 (deep neural networks) on the concrete data: the questions ``q1`` ... ``q5``.

* ``q1.check(X, input_shape)``: the feature table and the shape of one mixture.
* ``q2.check(model)``: three hidden layers of 512 ReLU units and a linear output.
* ``q3.check(model)``: the same network with separate ``Activation`` layers.
* ``q4.check(activation)``: an activation that makes a stack of layers more than a line.
* ``q5.check(answer)``: why stacking layers without activations gains nothing (the learner's
  words, then a model answer).
* ``q6.check(trained_model, X_test, y_test)``: the open challenge, any network that gets the test
  MAE to 5.5 MPa or less once ``train_on_mixtures`` has trained it.

``show_stacked_networks(activation)`` draws what random networks with and without that
activation compute, to go with q4. ``train_on_mixtures(model, X_train, y_train)`` trains any
model on the training mixtures.
"""

from __future__ import annotations

import difflib
import numbers

import numpy as np

from . import inspect_model as im
from .challenges import ChallengeData, HelperTrainedChallenge, scaled_trainer
from .core import (DiscussionQuestion, HelperInputError, Incorrect, Question, describe, contains_placeholder,
                   count_noun, with_article)
from .questions import FeaturesAndInputShape

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "show_stacked_networks", "train_on_mixtures"]

N_FEATURES = 8
HIDDEN = [512, 512, 512]
UNITS = HIDDEN + [1]
ACTIVATIONS = ["relu"] * len(HIDDEN) + ["linear"]
TARGET = "CompressiveStrength"
#: The open challenge's table (q6) and what its feedback calls things.
CHALLENGE_DATA = ChallengeData("load_concrete", target_column=TARGET, n_features=N_FEATURES, row_word="mixtures",
                               target_words="strengths", target_range=(2, 83))

q1 = FeaturesAndInputShape("q1", data_name="the concrete data", frame_name="concrete",
                           row_word="mixtures", example_word="concrete mixture", target="CompressiveStrength",
                           n_rows=1030, n_features=N_FEATURES)
q1.hint_text = [
    "Which column is the answer the network should predict? Everything else is what it reads. And the input "
    "shape describes one mixture, not the whole table.",
    "Drop the target column `'CompressiveStrength'` with `.drop(columns=...)`. `X.shape` is (mixtures, "
    "features); the input shape is the part after the first number, as a tuple.",
    "```python\nX = concrete.drop(columns=\"CompressiveStrength\")\ninput_shape = X.shape[1:]\n```",
]


OUTPUT_CONSEQUENCES = {
    "sigmoid": "`sigmoid` squeezes every output between 0 and 1, but strengths run from about 2 to 83 MPa: the "
               "network could never predict a real strength, whatever it learns.",
    "hard_sigmoid": "`hard_sigmoid` keeps every output between 0 and 1, but strengths run from about 2 to 83 MPa: "
                    "the network could never predict a real strength.",
    "tanh": "`tanh` squeezes every output between -1 and 1, but strengths run from about 2 to 83 MPa: the "
            "network could never predict a real strength.",
    "softmax": "`softmax` on one unit always outputs exactly 1, so every mixture would get the same prediction.",
    "relu": "`relu` turns every negative sum into 0 and then passes no gradient back: if the output unit's sum "
            "starts negative for most mixtures, training can leave it stuck at 0. A regression output is "
            "usually left linear.",
}


class DeepNetwork(Question):
    title = "Three hidden layers and an output"
    expected = "a Keras model"
    separate_activations = None
    hint_text = [
        "The hidden layers are given: three of 512 `relu` units. For the output layer ask: how many numbers "
        "should the network give for one mixture, and must they be squeezed into a range?",
        "Each `____` in the list is one layer: `keras.Input(shape=(8,))`, three `keras.layers.Dense(512, "
        "activation='relu')` layers and an output layer with one unit. Strengths run from about 2 to 83 MPa, so "
        "the output needs no activation that limits its range.",
        "```python\nmodel = keras.Sequential([\n    keras.Input(shape=(8,)),\n"
        "    keras.layers.Dense(512, activation=\"relu\"),\n    keras.layers.Dense(512, activation=\"relu\"),\n"
        "    keras.layers.Dense(512, activation=\"relu\"),\n    keras.layers.Dense(1),\n])\n```",
    ]

    def _check(self, model):
        """Accepts any model computing Dense(512) -> ReLU three times, then Dense(1) with no activation,
        on 8 inputs: Sequential or functional, ReLU as `'relu'`, a function (`keras.activations.relu`,
        `keras.ops.relu`) or a separate `Activation('relu')` / `ReLU()` layer (q3 insists on those)."""
        im.require_model(model)
        im.require_input_shape(model, (N_FEATURES,), "the concrete data has 8 features")
        self._check_output_decision(model)
        im.require_dense_stack(model, UNITS, ACTIVATIONS, separate_activations=self.separate_activations)
        return (
            f"{model.count_params():,} parameters, almost all of them in the 512 × 512 connections "
            "between hidden layers."
        )


    @staticmethod
    def _check_output_decision(model):
        """The output layer's decisions (units, activation), explained by their consequence."""
        try:
            blocks, _ = im.dense_blocks(model)
        except Incorrect:
            return  # require_dense_stack explains odd activation placements
        if len(blocks) != len(UNITS) or [b.units for b in blocks[:-1]] != HIDDEN:
            return
        last = blocks[-1]
        if last.units != 1:
            raise Incorrect(
                f"Your output layer has {count_noun(last.units, 'unit')}, so the network would give "
                f"{count_noun(last.units, 'number')} for every mixture, while each mixture has one strength. "
                "The output layer needs one unit: `Dense(1)`."
            )
        if last.activation != "linear":
            consequence = OUTPUT_CONSEQUENCES.get(
                last.activation, f"`{last.activation}` bends the output, so some strengths may be out of reach.")
            raise Incorrect(
                f"Your output layer has the activation '{last.activation}'. {consequence} Leave the output layer "
                "without an activation: `Dense(1)`."
            )


class SeparateActivations(DeepNetwork):
    title = "Activations as separate layers"
    separate_activations = True
    hint_text = [
        "Same network, different spelling: each hidden layer becomes two layers, first the weighted sums, then "
        "the activation applied to them. What happens to the output layer, which has no activation?",
        "Remove `activation='relu'` from each hidden `Dense` layer and put `keras.layers.Activation('relu')` "
        "straight after it. The output layer stays as it was.",
        "```python\nmodel_separate = keras.Sequential([\n    keras.Input(shape=(8,)),\n    keras.layers.Dense(512),\n"
        "    keras.layers.Activation(\"relu\"),\n    # ... twice more ...\n    keras.layers.Dense(1),\n])\n```",
    ]
    solution_notes = """
        This computes exactly what the q2 model computes. Splitting the activation off is handy
        when you want to put another layer (such as batch normalization, lesson 5) between a
        `Dense` layer and its activation.
    """

    def _check(self, model):
        """Accepts the q2 network with each ReLU as a separate layer after its Dense layer:
        `Activation('relu')`, `Activation(keras.activations.relu)` or `keras.layers.ReLU()`."""
        im.require_model(model)
        im.require_input_shape(model, (N_FEATURES,), "the concrete data has 8 features")
        im.require_layers(model)
        if not any(step.kind == "activation" and not step.inline for step in im.model_steps(model)):
            raise Incorrect(
                "Your model has no `Activation` layers. In this version, each hidden `Dense` layer has no "
                "activation of its own and is followed by `keras.layers.Activation('relu')`."
            )
        super()._check(model)
        return "Same network as in q2, written with the activations as layers of their own."


q2 = DeepNetwork("q2")
q3 = SeparateActivations("q3")


def _known_activations() -> list[str]:
    keras = im.import_keras()
    skip = {"get", "serialize", "deserialize"}
    return sorted(name for name in dir(keras.activations) if not name.startswith("_") and name not in skip)


_WHOLE_LAYER = {"softmax", "log_softmax", "sparsemax", "glu"}


def _resolve_activation(activation) -> str:
    """The canonical name of what the activation computes (see ``inspect_model.activation_name``),
    or Incorrect with a message if it is not an activation function at all."""
    keras = im.import_keras()
    if activation is None:
        return "linear"
    if isinstance(activation, type):
        raise Incorrect(
            f"`activation` is the class `{activation.__name__}` itself, not an activation function. "
            "Give the activation's name as a string, such as `'relu'`."
        )
    if isinstance(activation, keras.layers.Layer):
        raise Incorrect(
            f"`activation` is {with_article(f'`{type(activation).__name__}`')} *layer* object. This question asks for "
            "an activation function: give its name as a string, such as `'relu'` (or the function "
            "`keras.activations.relu`)."
        )
    if isinstance(activation, str):
        name = activation.strip().lower()
        if name in {"", "none", "linear"}:
            return "linear"
        if name not in _known_activations():
            close = difflib.get_close_matches(name, _known_activations(), n=1)
            suggestion = f" Did you mean `'{close[0]}'`?" if close else " Try `'relu'`."
            raise Incorrect(f"Keras does not know an activation called {im.show_value(activation)}.{suggestion}")
        if name in _WHOLE_LAYER:
            return name
        if im.probe_values(keras.activations.get(name)) is None:
            raise Incorrect(
                f"Keras's `'{name}'` needs extra settings before it can be used as a layer's activation. Pick one "
                "that works by its name alone, such as `'relu'` or `'tanh'`."
            )
        return im.activation_name(name)
    if callable(activation):
        name = im.activation_name(activation)
        if name.startswith("not an activation") or im.probe_values(activation) is None:
            raise Incorrect(
                f"`{getattr(activation, '__name__', type(activation).__name__)}` is a function, but not an activation: "
                "an activation takes a tensor of numbers and returns one number per input. Give an activation's "
                "name as a string, such as `'relu'`."
            )
        return name
    raise Incorrect(
        f"`activation` is {describe(activation)}; give the activation's name as a string, such as `'tanh'`."
    )


class NonlinearActivation(Question):
    title = "Which activation makes depth worth it?"
    expected = "an activation name such as `'tanh'`"
    hint_text = [
        "Without an activation function, each layer computes `w * x + b`: a straight line. What does a straight "
        "line of a straight line give?",
        "Which activations from the lesson *bend* the line? Any of them works here, as long as it is not the "
        "\"do nothing\" one (`'linear'`, or `None`), and it acts on each unit separately.",
    ]
    solution_notes = """
        Any nonlinear activation works: `'relu'` (the usual default for hidden layers), `'elu'`,
        `'selu'`, `'tanh'`, `'sigmoid'`, `'gelu'`, ... Only `'linear'` (or `None`) does not: then
        the whole stack is one straight line, however many layers it has.
    """

    def _check(self, activation):
        """Accepts any nonlinear activation that acts on each unit, as a name (`'relu'`, `'tanh'`...)
        or a function (`keras.activations.relu`, `keras.ops.relu`, a lambda computing one). Refuses the
        identity (`'linear'`, `None`, `lambda x: x`) and any straight line, softmax-like activations,
        layer objects, and things that are not activations."""
        name = _resolve_activation(activation)
        if name == "affine":
            raise Incorrect(
                "Your function draws a straight line (it computes `a * x + b`), so it is linear: a stack of "
                "layers with it is still one straight line. Pick an activation that bends, such as `'relu'`."
            )
        if name == "linear":
            raise Incorrect(
                "With the linear activation (no activation) every layer computes a straight line, and a line "
                "of a line is still a line: the stack could be replaced by a single linear unit. Pick an "
                "activation that bends, such as `'relu'`."
            )
        if name in _WHOLE_LAYER:
            raise Incorrect(
                f"`'{name}'` works on a whole layer's outputs together (softmax turns them into probabilities "
                "that sum to 1); it belongs in the output layer of a classifier, not in hidden layers. Pick "
                "one that acts on each unit, such as `'relu'`."
            )
        if name == "relu":
            return ("ReLU bends each unit's line at one point; with enough units, the bends can follow a smooth "
                    "curve closely over a limited range of inputs (closely, not exactly).")
        shown = activation.strip().lower() if isinstance(activation, str) else name
        return f"`'{shown}'` is nonlinear, so stacking layers pays off. (The usual default for hidden layers is `'relu'`.)"


q4 = NonlinearActivation("q4")


def show_stacked_networks(activation, n_networks: int = 3, seed: int = 0):
    """Draw what small networks with random weights compute, without and with ``activation``.

    The learner sees two panels over inputs from -3 to 3: on the left, networks of three
    hidden layers without activations (always straight lines); on the right, the same
    networks with ``activation`` in the hidden layers (curves with bends). If the activation
    is still the ``____`` blank or unknown, a one-line reminder is printed instead.
    """
    if contains_placeholder(activation):
        print("📝 Choose an activation in the cell above (replace ____), then run this cell again.")
        return None
    try:
        name = _resolve_activation(activation)
    except Incorrect as problem:
        print(f"❌ {problem.message}")
        return None
    for value, what, low, high in ((n_networks, "n_networks", 1, 10), (seed, "seed", 0, 2**31 - 1)):
        if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= value <= high:
            raise HelperInputError(
                f"`{what}` should be a whole number from {low} to {high}; you passed {im.show_value(value)}."
            )
    # Draw with what the learner gave (a name or a function): the same computation as in q4.
    act_for_layers = activation.strip().lower() if isinstance(activation, str) else activation

    import keras
    import matplotlib.pyplot as plt

    from helpers import plots

    x = np.linspace(-3, 3, 301, dtype="float32").reshape(-1, 1)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    panels = [("linear", "No activation: always a straight line"), (act_for_layers, f"activation='{name}'")]
    for ax, (act, title) in zip(axes, panels):
        for index in range(n_networks):
            keras.utils.set_random_seed(seed + index)
            # Random biases as well as weights, as a network has after some training; fresh
            # Keras layers start with zero biases, which would put every bend at x = 0.
            init = keras.initializers.RandomNormal(stddev=1.0)
            network = keras.Sequential(
                [keras.Input(shape=(1,))]
                + [keras.layers.Dense(8, activation=act, kernel_initializer=init, bias_initializer=init)
                   for _ in range(3)]
                + [keras.layers.Dense(1, kernel_initializer=init)]
            )
            colour = plots.PALETTE[plots.PALETTE_ORDER[index % len(plots.PALETTE_ORDER)]]
            ax.plot(x[:, 0], np.asarray(network(x))[:, 0], color=colour, label=f"network {index + 1}")
        ax.set_title(title)
        ax.set_xlabel("input x")
        ax.set_ylabel("network output")
        ax.legend()
    fig.suptitle("Three random networks, each with three hidden layers of 8 units")
    fig.tight_layout()
    plots.show(
        fig,
        alt=(
            f"Two panels. Left: without activations, each of {n_networks} random networks draws a straight "
            f"line. Right: with the '{name}' activation, the same kind of networks draw bent curves."
        ),
    )
    return None


class WhyActivations(DiscussionQuestion):
    title = "Why stack layers with activations?"
    hint_text = [
        "Look at the left panel again: what do all the networks without activation have in common, however many "
        "layers they have?",
        "Write one linear unit as `y = w1 * x + b1` and feed `y` into a second one: `z = w2 * y + b2`. Expand "
        "`z` in terms of `x`. What kind of function is it? Then: what does ReLU do to a line?",
    ]
    answer_text = """
        Without activations, stacking gains nothing. Two linear units in a row compute

        `z = w2 * (w1 * x + b1) + b2 = (w2 * w1) * x + (w2 * b1 + b2)`,

        which is again a single linear unit, with weight `w2 * w1` and bias `w2 * b1 + b2`. The
        same holds for whole layers and for any number of them: a deep network without
        activations can only draw a straight line (a flat plane with more inputs), like the
        left panel above.

        An activation such as ReLU bends each unit's output (ReLU sets negative values to 0). The
        next layer adds up many of these bent pieces, so a deep network can follow curved
        relationships, like the right panel. Concrete strength is one: in this data, samples tested
        after 3 days average about 19 MPa, after 28 days about 37 MPa and after 56 days about 52 MPa,
        and older samples average no more than that. Strength rises with age and then levels off,
        which no straight line can show.
    """


q5 = WhyActivations("q5")


# --------------------------------------------------------------------------------------
# q6: the open challenge
# --------------------------------------------------------------------------------------


train_on_mixtures = scaled_trainer("train_on_mixtures", CHALLENGE_DATA, """\
    Train any model with 8 inputs and one output on the training mixtures; return it ready to test.

    The learner sees one line (training time, final training and validation errors). Features
    and strength are rescaled inside (from the training mixtures only); the returned model reads
    the raw recipe and predicts strengths in MPa. Training: Adam, mean absolute error, 40 epochs
    of batches of 64 mixtures.
    """, n_train=772, learning_rate=0.01, epochs=40, batch_size=64)


class ConcreteChallenge(HelperTrainedChallenge):
    title = "Open challenge: predict the strength of new mixtures"
    unit = "MPa"
    target = 5.5
    baseline_name = "always predicting the median strength"
    reference = (4.02, 4.34)  # two hidden layers of 64 ReLU units, seeds 0-2 (q6.reference_scores())
    data = CHALLENGE_DATA
    trainer = staticmethod(train_on_mixtures)
    ideas = (
        "Ideas: a single linear unit gets stuck near 7.7 MPa on these mixtures, because strength does not grow in a "
        "straight line with the recipe (think of the age). Give your network hidden layers with `relu`; try "
        "different widths (32, 64, 512) and depths (1 to 3 hidden layers). Compare them on the validation error "
        "the training cell prints, and rerun the model cell for fresh weights each time."
    )
    hint_text = [
        "Question 5 is the key: can a network without activations, or a single linear unit, follow a strength "
        "that rises with age and then levels off? Compare a linear unit's validation error with a network's.",
        "Use hidden `Dense` layers with `activation='relu'` and an output `Dense(1)` without activation. One or "
        "two hidden layers of 32 to 64 units train quickly; the 3 x 512 network of question 2 works too, more "
        "slowly.",
        "```python\nchallenge_model = keras.Sequential([\n    keras.Input(shape=(8,)),\n"
        "    keras.layers.Dense(64, activation=\"relu\"),\n    keras.layers.Dense(64, activation=\"relu\"),\n"
        "    keras.layers.Dense(1),\n])\n```",
    ]
    solution_notes = """
        This is the reference solution: two hidden layers of 64 ReLU units. Train it with the cell
        `trained = train_on_mixtures(challenge_model, X_train, y_train)` and check it. On seeds 0,
        1 and 2 it is off by 4.0 to 4.4 MPa on average on the 258 test mixtures. A single
        linear unit trained the same way stays near 7.7 MPa, and always guessing the median is off by
        12.9 MPa: the hidden layers with activations are what make the difference.
    """

    def _reference_model(self):
        keras = im.import_keras()
        return keras.Sequential([
            keras.Input(shape=(N_FEATURES,)),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(64, activation="relu"),
            keras.layers.Dense(1),
        ])


q6 = ConcreteChallenge("q6")
