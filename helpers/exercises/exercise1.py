"""Exercise 1 (a single neuron) on the red wine data: the questions ``q1`` ... ``q5``.

* ``q1.check(X, input_shape)``: the feature table and the shape of one example.
* ``q2.check(model)``: a linear unit in Keras.
* ``q3.check(w, b)``: the unit's kernel and bias, read from ``model.weights``.
* ``q4.check(prediction, model)``: the unit's output for the first wine, computed by hand.
* ``q5.check(answer)``: why an untrained unit draws a random line (the learner's words, then a
  model answer to compare with).
* ``q6.check(trained_model, X_test, y_test)``: the open challenge, any model that beats a test
  MAE of 0.50 on the held-out wines once ``train_on_wines`` has trained it.

``train_on_wines(model, X_train, y_train)`` trains any model on the training wines (lesson 3
explains how training works).
"""

from __future__ import annotations


import numpy as np

from . import inspect_model as im
from .challenges import ChallengeData, HelperTrainedChallenge, scaled_trainer
from .core import DiscussionQuestion, Incorrect, Question, count_noun, with_article
from .questions import FeaturesAndInputShape

__all__ = ["q1", "q2", "q3", "q4", "q5", "q6", "train_on_wines"]

N_FEATURES = 11
N_WINES = 1599
TARGET = "quality"
#: The open challenge's table (q6) and what its feedback calls things.
CHALLENGE_DATA = ChallengeData("load_red_wine", target_column=TARGET, n_features=N_FEATURES, row_word="wines",
                               target_words="quality scores", target_range=(3, 8))

q1 = FeaturesAndInputShape("q1", data_name="the red wine data", frame_name="red_wine",
                           row_word="wines", example_word="wine", target=TARGET,
                           n_rows=N_WINES, n_features=N_FEATURES)
q1.hint_text = [
    "Two different things: `X` is a whole table (many wines), `input_shape` describes what the model "
    "reads for *one* wine. Which column must the model not be allowed to read?",
    "`X` is `red_wine` without the `'quality'` column: pandas tables have a `.drop(columns=...)` method. "
    "`X.shape` is (number of wines, number of features); the input shape keeps only the second part, as a tuple.",
    "```python\nX = red_wine.drop(columns=\"quality\")\ninput_shape = X.shape[1:]\n```",
]


ACTIVATION_CONSEQUENCES = {
    "sigmoid": "`sigmoid` squeezes every output between 0 and 1, so the unit could never predict a quality of "
               "5 or 6, whatever its weights: training would get stuck at the top of that range.",
    "hard_sigmoid": "`hard_sigmoid` keeps every output between 0 and 1, so the unit could never predict a quality "
                    "of 5 or 6, whatever its weights.",
    "tanh": "`tanh` squeezes every output between -1 and 1, so the unit could never predict a quality of 5 or 6, "
            "whatever its weights.",
    "softmax": "`softmax` on a single unit always outputs exactly 1 (it shares out 100% among the units, and there "
               "is only one), so every wine would get the same prediction.",
    "relu": "`relu` turns every negative weighted sum into 0. An untrained unit whose random weights make the sum "
            "negative for every wine outputs 0 for all of them and passes no gradient back, so training could "
            "never move it.",
}


class LinearUnit(Question):
    title = "A unit that predicts a score"
    expected = "a Keras model"
    hint_text = [
        "Two decisions. **How many units?** Each unit gives one output; how many numbers should the model "
        "give for one wine? **Which activation?** Quality scores run from 3 to 8: which activations could "
        "never output such a number?",
        "One output means one unit. An activation such as `sigmoid` or `relu` bends or limits the output; "
        "a *linear* unit has none, so it can output any number: in Keras, `activation=None` (the default).",
        "```python\nmodel = keras.Sequential([\n    keras.Input(shape=(11,)),\n    keras.layers.Dense(units=1, "
        "activation=None),\n])\n```",
    ]
    solution_notes = """
        `Dense(units=1)` is one neuron, so one output per wine. `activation=None` (the default,
        also written `"linear"`) keeps it linear, so it can output any number, 3 to 8 included.
    """

    def _check(self, model):
        """Accepts any model computing one Dense unit with a bias and no activation on 11 inputs:
        Sequential or functional, `Dense(1)`, `Dense(units=1, activation=None)` or
        `activation='linear'`, with or without an identity `Activation('linear')` after it."""
        im.require_model(model)
        im.require_input_shape(model, (N_FEATURES,), "the red wine data has 11 features")
        im.require_layers(model)
        steps = im.model_steps(model)
        others = [step for step in steps if step.kind not in ("dense", "activation")]
        if others:
            raise Incorrect(
                f"Your model has {with_article(f'`{type(others[0].layer).__name__}`')} layer. A linear unit needs "
                "nothing but one `Dense` layer after the `keras.Input`: remove it."
            )
        dense = im.dense_layers(model)
        if len(dense) != 1:
            raise Incorrect(
                f"Your model has {count_noun(len(dense), 'Dense layer')}. A linear unit is a single neuron: "
                "one `Dense` layer with `units=1`."
            )
        unit = dense[0]
        if unit.units != 1:
            raise Incorrect(
                f"Your Dense layer has {count_noun(unit.units, 'unit')}: that is {count_noun(unit.units, 'neuron')} "
                f"side by side, so the model would give {count_noun(unit.units, 'number')} for every wine, but a wine has "
                "one quality score. (The number of *inputs* comes from `keras.Input`; `units` counts the outputs.) "
                "Use `Dense(units=1)`."
            )
        activations = [step for step in steps if step.kind == "activation"]
        if activations:
            name = activations[0].activation
            where = "Your Dense layer has" if activations[0].inline else "Your model has an activation layer with"
            consequence = ACTIVATION_CONSEQUENCES.get(
                name, "An activation bends or limits the unit's output, so some quality scores may be out of its reach."
            )
            raise Incorrect(
                f"{where} activation '{name}'. {consequence} A unit that can output any number has no activation: "
                "`activation=None`."
            )
        if not unit.use_bias:
            raise Incorrect(
                "Your Dense layer was built with `use_bias=False`, so it has no bias `b`: its line must pass "
                "through 0. A linear unit has a weight per input *and* a bias (question 3 reads it): remove "
                "`use_bias=False`."
            )
        return (
            f"It has {model.count_params()} parameters: one weight per feature (11) and one bias. "
            "Run `model.summary()` to see that count."
        )


q2 = LinearUnit("q2")


def _is_variable(value) -> bool:
    keras = im.import_keras()
    return isinstance(value, keras.Variable)


def _shape_of(value):
    shape = getattr(value, "shape", None)
    if shape is None or isinstance(value, type):
        return None
    try:
        return tuple(int(d) for d in tuple(shape))
    except (TypeError, ValueError):
        return None


class ReadWeights(Question):
    title = "Reading the weights"
    expected = "the kernel `w` and the bias `b` from `model.weights`"
    hint_text = [
        "Before any code: the unit multiplies each of the 11 inputs by its own weight and adds one bias. So how "
        "many weights are there, and how many biases? That predicts the shapes you will see.",
        "`model.weights` is a list with two entries, the **kernel** (the weights) first and the **bias** second. "
        "Python can unpack a two-item list straight into two names.",
        "```python\nw, b = model.weights\nprint(w.shape, b.shape)\n```",
    ]
    solution_notes = """
        The kernel has one row per input feature and one column per unit; the bias has one entry
        per unit. `model.get_weights()` would give NumPy *copies* of the same numbers instead.
    """

    def _check(self, w, b):
        """Accepts the kernel of shape (11, 1) and the bias of shape (1,), finite numbers, as Keras
        variables (`w, b = model.weights`), tensors or NumPy copies (`model.get_weights()`, `.numpy()`)."""
        keras = im.import_keras()
        for name, value in (("w", w), ("b", b)):
            if isinstance(value, (list, tuple)):
                if len(value) == 2:
                    raise Incorrect(
                        f"`{name}` is a {type(value).__name__} of 2 items. `model.weights` holds both the kernel and "
                        "the bias; unpack them into two names: `w, b = model.weights`."
                    )
                raise Incorrect(
                    f"`{name}` is a Python {type(value).__name__} of {count_noun(len(value), 'item')}, not a weight "
                    "tensor. Take both weights from the model: `w, b = model.weights`."
                )
            if isinstance(value, keras.Model):
                raise Incorrect(f"`{name}` is the whole model. Its weights are in `model.weights`.")
            if isinstance(value, keras.layers.Layer):
                raise Incorrect(f"`{name}` is a layer, not a weight. The weights are in `model.weights`.")
            if _shape_of(value) is None:
                raise Incorrect(
                    f"`{name}` is {with_article(f'`{type(value).__name__}`')} rather than a weight tensor. "
                    "Use `w, b = model.weights`."
                )
        w_shape, b_shape = _shape_of(w), _shape_of(b)
        if w_shape == (1,) and b_shape is not None and len(b_shape) == 2:
            raise Incorrect(
                f"`w` and `b` look swapped: `w` has shape {im.shape_text(w_shape)} and `b` has shape "
                f"{im.shape_text(b_shape)}. `model.weights` lists the kernel first, then the bias."
            )
        if len(w_shape) == 2 and w_shape[1] == 1 and w_shape[0] != N_FEATURES:
            raise Incorrect(
                f"`w` has shape {im.shape_text(w_shape)}: your model takes {count_noun(w_shape[0], 'input')}. "
                "Go back to q2: the linear unit needs 11 inputs, one per feature."
            )
        if len(w_shape) == 2 and w_shape[0] == N_FEATURES and w_shape[1] != 1:
            raise Incorrect(
                f"`w` has shape {im.shape_text(w_shape)}: your model has {w_shape[1]} units. "
                "Go back to q2: a linear unit is one neuron, `Dense(units=1)`."
            )
        im.require_array_shape(w, (N_FEATURES, 1), "`w` (the kernel)")
        im.require_array_shape(b, (1,), "`b` (the bias)")
        for name, value in (("w", w), ("b", b)):
            try:
                finite = bool(np.isfinite(np.asarray(value, dtype="float64")).all())
            except (TypeError, ValueError):
                raise Incorrect(f"`{name}` has the right shape but does not hold numbers. Use `w, b = model.weights`.") from None
            if not finite:
                raise Incorrect(
                    f"`{name}` has the right shape but holds NaN or infinite values, which a fresh model's weights "
                    "never do. Take them from the model itself: `w, b = model.weights`."
                )
        message = (
            "The kernel `w` has one row per feature and one column for the single unit: (11, 1). "
            "The bias `b` holds one number, and Keras starts it at 0."
        )
        numpy_copies = [name for name, value in (("w", w), ("b", b)) if isinstance(value, np.ndarray)]
        if numpy_copies:
            message += (
                "\n\nNote: your `" + "` and `".join(numpy_copies) + "` "
                + ("are NumPy arrays" if len(numpy_copies) > 1 else "is a NumPy array")
                + ", probably from `model.get_weights()`. That is a *copy* of the numbers at this moment: "
                "it will not change when the model trains, and changing it does not change the model. "
                "`model.weights` gives the model's own variables (call `.numpy()` on one for an array)."
            )
        elif not (_is_variable(w) and _is_variable(b)):
            message += "\n\n(`model.weights` gives Keras variables; your answer has the right shapes, so it passes.)"
        return message


q3 = ReadWeights("q3")


def _first_wine():
    """The first wine's 11 features (the float32 row a model receives) and its quality score."""
    from helpers import data

    wines = data.load_red_wine()
    return wines.drop(columns=TARGET).iloc[:1].to_numpy(dtype="float32"), int(wines[TARGET].iloc[0])


class PredictByHand(Question):
    title = "The unit's output, by hand"
    expected = "a number (the unit's output for the first wine) and the model"
    hint_text = [
        "Say it in words first: for one wine, the unit multiplies each feature by the matching weight, adds "
        "those 11 products up, then adds the bias. Which three ingredients do you need as NumPy arrays?",
        "`X.iloc[0].to_numpy()` is the first wine's 11 features; `w.numpy()` and `b.numpy()` turn the weights "
        "into NumPy arrays. The `@` operator multiplies matching entries and sums them in one go.",
        "```python\nfirst_wine = X.iloc[0].to_numpy()\nprediction = first_wine @ w.numpy() + b.numpy()\n```",
    ]
    solution_notes = """
        Both numbers agree: a `Dense` layer computes exactly this weighted sum plus the bias.
    """

    def _check(self, prediction, model):
        """Accepts any single number (Python, NumPy, a one-element array or tensor) within 0.1% of
        what the q2 model outputs for the first wine, however it was computed."""
        im.require_model(model, "the second answer (your model)")
        if im.model_input_shape(model) != (None, N_FEATURES) or len(model.weights) != 2:
            raise Incorrect("Your model is not the linear unit from q2 yet; get q2 right first.")
        first, quality = _first_wine()
        expected = float(np.asarray(model(first)).reshape(-1)[0])
        shape = _shape_of(prediction)
        if shape is not None and int(np.prod(shape)) == N_FEATURES:
            products = np.asarray(prediction, dtype="float64").reshape(-1)
            if im.is_close(products.sum(), expected, rel_tol=1e-3, abs_tol=1e-3):
                raise Incorrect(
                    "You have the 11 products of feature × weight, but a unit *adds them up* (and adds the "
                    "bias). `first_wine @ w.numpy()` multiplies and sums in one step."
                )
        if shape is not None and len(shape) >= 1 and shape[0] == N_WINES:
            raise Incorrect(
                f"Your answer holds {N_WINES} outputs, one per wine. This question asks for the first wine "
                "only: use `X.iloc[0]`."
            )
        value = im.require_number(prediction, what="your prediction")
        if not im.is_close(value, expected, rel_tol=1e-3, abs_tol=1e-3):
            raise Incorrect(
                f"Your number is {value:.4g}, but the model outputs {expected:.4g} for the first wine. Multiply "
                "each of its 11 features by the matching weight, add them up, and add the bias."
            )
        return (
            f"The unit outputs {expected:.3g} for the first wine, which tasters rated {quality}. The number is "
            "meaningless until the unit is trained, but the arithmetic is exactly what Keras does."
        )


q4 = PredictByHand("q4")


class UntrainedLine(DiscussionQuestion):
    title = "Why is the untrained line random?"
    hint_text = [
        "Rerun the plot cell with another seed and watch what changes, and what does not.",
        "Print `w_alcohol` and `b_alcohol`. Nobody has trained this unit: where could its weight come from, "
        "and why is its bias exactly 0? Then compare the line's values with the quality scores (3 to 8).",
    ]
    answer_text = """
        Before training, Keras fills the kernel with small **random** numbers (its default
        initializer draws them uniformly from a range set by the layer's size) and sets the bias
        to **0**. So the untrained unit computes `y = w × alcohol` with a random `w` that has
        nothing to do with the wines: with seed 1, `w` is about −0.83, a line that falls and
        predicts negative quality scores. A new seed gives a new slope.

        That is why the line ignores the cloud of points. Its predictions are far from the quality
        scores (all between 3 and 8). **Training** (lesson 3) moves `w` and `b` step by step until the line fits the data.
    """


q5 = UntrainedLine("q5")


# --------------------------------------------------------------------------------------
# q6: the open challenge
# --------------------------------------------------------------------------------------


train_on_wines = scaled_trainer("train_on_wines", CHALLENGE_DATA, """\
    Train any model with 11 inputs and one output on the training wines; return it ready to test.

    The learner sees one line (training time, final training and validation errors). Features
    and quality are rescaled inside (from the training wines only); the returned model reads the
    raw features and predicts quality scores. Training: Adam, mean absolute error, 30 epochs of
    batches of 64 wines.
    """, n_train=1199, learning_rate=0.01, epochs=30, batch_size=64)


class WineChallenge(HelperTrainedChallenge):
    title = "Open challenge: predict the quality of wines never seen"
    unit = "points"
    target = 0.50
    baseline_name = "always predicting the median quality"
    reference = (0.479, 0.481)  # one linear unit, seeds 0-2 (q6.reference_scores())
    data = CHALLENGE_DATA
    trainer = staticmethod(train_on_wines)
    ideas = (
        "Ideas: does one linear unit already do it? What about a hidden layer of `relu` units before the output "
        "unit, or two? Whatever you build, it needs 11 inputs and one output without an activation. Rerun the "
        "model cell before training again, so that you start from fresh weights."
    )
    hint_text = [
        "Start simple: is one trained linear unit, the model of question 2, already better than always guessing "
        "the median? Build it fresh, train it with `train_on_wines`, then check.",
        "Any model works if it reads 11 features and ends with one output unit *without* an activation (an "
        "activation such as `sigmoid` limits the range of the output). Hidden layers with `relu` in between "
        "may add a little.",
        "```python\nchallenge_model = keras.Sequential([\n    keras.Input(shape=(11,)),\n    keras.layers.Dense(1),\n"
        "])\ntrained = train_on_wines(challenge_model, X_train, y_train)\n```",
    ]
    solution_notes = """
        This is the reference solution: the linear unit of question 2. Train it with the cell
        `trained = train_on_wines(challenge_model, X_train, y_train)` and check it. On seeds 0, 1
        and 2 it is off by 0.48 points on average on the 400 test wines, against 0.63 for always
        guessing the median. Wider and deeper networks with `relu` hidden layers
        can do a little better with this training budget; try one.
    """

    def _reference_model(self):
        keras = im.import_keras()
        return keras.Sequential([keras.Input(shape=(N_FEATURES,)), keras.layers.Dense(1)])


q6 = WineChallenge("q6")
