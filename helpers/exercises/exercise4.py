"""Exercise 4: overfitting and underfitting, on the concrete compressive strength data.

The learner predicts a mixture's strength (MPa, minus the training average) from its
standardized ingredients and age: a linear model whose output activation they choose (q1, read
in q2), a network with hidden layers of their own design (q3), early stopping with settings
they choose for a wobbly validation curve (q4, read in q5), and an open challenge (q6): any
model that reaches a test MAE of at most 4.3 MPa on the held-out mixtures. Every check looks at
the model or callback the learner passes and, once the cell has trained it, at what training
recorded; the challenge looks only at the outcome.
"""

from __future__ import annotations

import functools
import math
import numbers

from . import inspect_model as im
from .core import DiscussionQuestion, Incorrect, Question, count_noun, with_article
from .challenges import mean_absolute_error as held_out_mae  # in MPa here; tests replace it to fake a score
from .challenges import train_reference
from .questions import OpenChallenge

__all__ = [
    "q1", "q2", "q3", "q4", "q5", "q6", "N_FEATURES", "MIN_DELTA", "PATIENCE", "PATIENCE_RANGE", "MAX_MIN_DELTA",
    "CHALLENGE_TARGET", "concrete_split", "held_out_mae",
]

#: 7 ingredients + the age, standardized in the exercise notebook.
N_FEATURES = 8
_DATA_DESCRIPTION = "the concrete data has 8 feature columns (7 ingredients and the age)"
#: The early stopping settings of the worked answer (min_delta in MPa). The check accepts a range:
#: a patience of PATIENCE_RANGE epochs and a min_delta from 0 to MAX_MIN_DELTA MPa.
MIN_DELTA = 0.1
PATIENCE = 10
PATIENCE_RANGE = (5, 30)
MAX_MIN_DELTA = 0.5
#: q3: a network "with more capacity" has at least this many hidden layers.
MIN_HIDDEN_LAYERS = 2
#: q6: the test MAE to reach. The reference solution (train_reference) scored 3.78-3.81 MPa over
#: seeds 0-2 in a fresh Python process, and up to 4.13 MPa (seed 1) inside the solution notebook,
#: where TensorFlow's CPU arithmetic does not repeat bit for bit, so the target leaves room for
#: that; the network of q3's worked answer, 40 epochs without early stopping, 4.05-4.55 MPa;
#: always predicting the training average, 13.27 MPa.
CHALLENGE_TARGET = 4.3
REFERENCE_RANGE = (3.78, 4.13)
N_TEST = 206



@functools.lru_cache(maxsize=1)
def concrete_split():
    """The exercise's split of the concrete data, prepared exactly as the notebook does it.

    A dict of NumPy arrays: ``X_train_raw``, ``X_valid_raw``, ``X_test_raw`` (ingredients and age),
    ``y_train_raw``... (strength in MPa), ``X_train``... (standardized with the training mixtures'
    statistics), ``y_train``... (strength minus the training average) and ``strength_mean``.
    """
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    from helpers import data

    concrete = data.load_concrete()
    X = concrete.drop(columns="CompressiveStrength").to_numpy("float32")
    y = concrete["CompressiveStrength"].to_numpy("float32")
    X_rest, X_test_raw, y_rest, y_test_raw = train_test_split(X, y, test_size=0.2, random_state=0)
    X_train_raw, X_valid_raw, y_train_raw, y_valid_raw = train_test_split(X_rest, y_rest, test_size=0.25, random_state=0)
    scaler = StandardScaler().fit(X_train_raw)
    strength_mean = y_train_raw.mean()
    split = {"strength_mean": float(strength_mean)}
    for part, X_raw, y_raw in (("train", X_train_raw, y_train_raw), ("valid", X_valid_raw, y_valid_raw),
                               ("test", X_test_raw, y_test_raw)):
        split[f"X_{part}_raw"], split[f"y_{part}_raw"] = X_raw, y_raw
        split[f"X_{part}"] = scaler.transform(X_raw).astype("float32")
        split[f"y_{part}"] = y_raw - strength_mean
    return split


def _best(values) -> tuple[int, float]:
    """(1-based epoch, value) of the lowest finite value."""
    finite = [(v, i) for i, v in enumerate(values) if isinstance(v, numbers.Real) and math.isfinite(v)]
    if not finite:
        return 0, float("nan")
    value, index = min(finite)
    return index + 1, value


def _only_dense_layers(model, purpose: str) -> None:
    """Only Dense layers and their activations (inside `Dense` or as activation layers); the
    `InputLayer` of a functional model does not count (see ``inspect_model``)."""
    im.require_layers(model)
    for step in im.model_steps(model):
        if step.kind not in ("dense", "activation"):
            name = f"`{type(step.layer).__name__}`"
            raise Incorrect(
                f"Your model has {with_article(name)} layer. {purpose} uses only `Dense` layers "
                "(each with its activation, if any): remove it. Dropout and batch normalization come in exercise 5."
            )


def _output_activation_problem(activation: str) -> str | None:
    """What an activation on the output layer would do to a centered strength, or None if there is none."""
    if activation == "linear":
        return None
    if activation == "relu":
        return (
            "Your output layer uses 'relu', which turns every negative number into 0. The target is the strength "
            "*minus the average*, so it is negative for every mixture weaker than average, about half of them: "
            "the model could never predict those, and a unit stuck below zero gets no gradient to learn from. "
            "A regression output needs no activation: `Dense(1)`."
        )
    if activation in ("sigmoid", "hard_sigmoid", "softmax"):
        return (
            f"Your output layer uses '{activation}', which squeezes every prediction between 0 and 1. The targets run "
            "from about -30 to +45 MPa around the average, so the model could not even output a right answer. "
            "A regression output needs no activation: `Dense(1)`."
        )
    if activation in ("tanh", "softsign"):
        return (
            f"Your output layer uses '{activation}', which squeezes every prediction between -1 and 1, while the "
            "targets run from about -30 to +45 MPa. A regression output needs no activation: `Dense(1)`."
        )
    return (
        f"Your output layer has activation '{activation}', which bends or limits the predictions. A regression "
        "output that can be any number of MPa above or below the average needs no activation: `Dense(1)`."
    )


# --------------------------------------------------------------------------------------
# q1: a linear baseline
# --------------------------------------------------------------------------------------


class LinearModel(Question):
    title = "A linear model"
    expected = "a Keras model (the `linear_model` the cell builds)"
    hint_text = [
        """
A linear model is a single neuron: its prediction is a weighted sum of the features plus
a bias. How many outputs does it need, and what should happen to the sum before it comes
out? Remember that the target is centered: about half the mixtures have a negative target.
""",
        """
One `Dense` layer with a single unit. Whatever activation you put on it limits what the
model can output (ReLU: nothing below 0; sigmoid: only between 0 and 1), so leave the
activation out. As always, the list starts with `keras.Input(shape=...)`; the data has
`X_train.shape[1]` columns.
""",
        """
```python
linear_model = keras.Sequential([keras.Input(shape=(X_train.shape[1],)), keras.layers.Dense(1)])
```
""",
    ]

    def _check(self, linear_model):
        """Accepts any model computing one Dense unit with a bias and no activation on the 8
        standardized concrete features (Sequential or functional, any spelling of "no activation"),
        once the cell has trained it with `validation_data=(X_valid, y_valid)`. An output activation
        is refused with what it would do to a centered target."""
        im.require_model(linear_model)
        im.require_input_shape(linear_model, (N_FEATURES,), data_description=_DATA_DESCRIPTION)
        _only_dense_layers(linear_model, "The linear model")
        dense = im.dense_layers(linear_model)
        if len(dense) > 1:
            raise Incorrect(
                f"Your model has {len(dense)} `Dense` layers. The baseline is deliberately *linear*: a single "
                "`Dense(1)` layer and nothing else. You will add hidden layers in question 3."
            )
        if not dense:
            raise Incorrect("Your model has no `Dense` layer; add `keras.layers.Dense(1)` after the input.")
        output = dense[0]
        if output.units != 1:
            raise Incorrect(
                f"Your `Dense` layer has {count_noun(output.units, 'unit')}. The model predicts one number per mixture "
                "(its strength), so it needs `Dense(1)`."
            )
        activation = im.layer_summary(linear_model)[0][1]
        problem = _output_activation_problem(activation)
        if problem:
            raise Incorrect(f"{problem} (Your `Dense` layer has activation '{activation}'.)")
        im.require_dense_stack(linear_model, units=[1], activations=["linear"])
        record = im.require_trained(linear_model)
        epoch, best = _best(record["val_loss"])
        last_train, last_valid = record["loss"][-1], record["val_loss"][-1]
        return (
            f"After {count_noun(len(record['loss']), 'epoch')} the training MAE is {last_train:.2f} MPa and the "
            f"validation MAE {last_valid:.2f} MPa (best: {best:.2f} at epoch {epoch}). Compare it with the "
            "baseline printed above."
        )


q1 = LinearModel("q1")


# --------------------------------------------------------------------------------------
# q2: reading the linear model's curves
# --------------------------------------------------------------------------------------


class ReadLinearCurves(DiscussionQuestion):
    title = "Reading the linear model's curves"
    hint_text = [
        "Look at three things: how far apart the two curves end, whether they are still falling, "
        "and where they end compared with the baseline printed before question 1.",
        "Flat curves say that this model has learned what it can. Ask yourself what could be the reason: "
        "a model too simple for the pattern, or features that say little about the strength? "
        "Can you tell the two apart from these curves alone?",
    ]
    answer_text = """
Both curves fall quickly in the first epochs and then go **flat, close together**: in our
runs the validation MAE settles at about 8.4 MPa and the training MAE a little above it.

* The gap between them is small, so what the model learned from the training mixtures
  works about as well on the validation mixtures.
* The curves have almost stopped falling, so more epochs would add little: the model has
  learned about all that a linear function of these features can express.
* Compared with the baseline (about 13.8 MPa for always predicting the average), the
  linear model is much better: the features carry real signal about the strength.

Is it **underfitting**? The curves alone cannot say. Flat curves close together only say that
*this* model has learned what it can. There are two very different reasons why that could be:

* the model is too simple for the pattern in the data (underfitting: more capacity helps), or
* the features carry little information about the target (then no model does much better,
  and the curves usually sit close to the baseline).

The way to find out is to try a model with more capacity and compare, which is question 3.
"""


q2 = ReadLinearCurves("q2")


# --------------------------------------------------------------------------------------
# q3: more capacity
# --------------------------------------------------------------------------------------


class DeeperModel(Question):
    title = "More capacity"
    expected = "a Keras model (the `deep_model` the cell builds)"
    hint_text = [
        """
Capacity comes from hidden layers between the input and the output, and from an
activation that lets each of them bend the function. What does a stack of layers
*without* activations compute? And what must stay the same about the output layer?
""",
        """
Put at least two hidden `Dense` layers before the output, each with `activation="relu"`
and a few dozen units or more (64 or 128 are common choices). The output layer stays as
in question 1: `Dense(1)` without an activation.
""",
        """
```python
deep_model = keras.Sequential([
    keras.Input(shape=(X_train.shape[1],)),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1),
])
```
""",
    ]
    solution_notes = """
Other widths work too; the seeds section below uses these.
"""

    def _check(self, deep_model):
        """Accepts any model of Dense layers computing at least two hidden layers with a nonlinear
        activation (ReLU or another, inside `Dense` or as a layer), any widths, and a `Dense(1)`
        output without activation, on the 8 concrete features; Sequential or functional; once the
        cell has trained it with validation data. Hidden layers without activation, an output
        activation and Dropout/BatchNormalization layers are refused, each with its consequence."""
        im.require_model(deep_model)
        im.require_input_shape(deep_model, (N_FEATURES,), data_description=_DATA_DESCRIPTION)
        _only_dense_layers(deep_model, "This model")
        summary = im.layer_summary(deep_model)
        if not summary:
            raise Incorrect("Your model has no `Dense` layer; add hidden layers and a `Dense(1)` output.")
        *hidden, (out_units, out_activation) = summary
        if out_units != 1:
            raise Incorrect(
                f"Your last `Dense` layer has {count_noun(out_units, 'unit')}, so the model makes {out_units} "
                "predictions per mixture. It predicts one strength: end with `Dense(1)`."
            )
        problem = _output_activation_problem(out_activation)
        if problem:
            raise Incorrect(problem)
        if len(hidden) < MIN_HIDDEN_LAYERS:
            raise Incorrect(
                f"Your model has {count_noun(len(hidden), 'hidden layer')} before the output; this question asks for "
                f"at least {MIN_HIDDEN_LAYERS}, so that the gain in capacity over the linear model is clear. "
                "Add another `Dense(..., activation='relu')`."
            )
        linear = [i for i, (_, activation) in enumerate(hidden, start=1) if activation == "linear"]
        if len(linear) == len(hidden):
            raise Incorrect(
                "Your hidden layers have no activation. A stack of layers without activations computes a weighted "
                "sum of weighted sums, which is again one linear function of the features: exactly what the "
                "linear model of question 1 could already do, so there would be no extra capacity at all. "
                "Give the hidden layers `activation='relu'`."
            )
        if linear:
            raise Incorrect(
                f"Your {' and '.join(im.ordinal(i) for i in linear)} hidden layer has no activation, so it adds no "
                "bend of its own: it only mixes the outputs of the layer before it linearly. Give every hidden "
                "layer `activation='relu'`."
            )
        for (units, _), layer in zip(hidden, im.dense_layers(deep_model)):
            if not layer.use_bias:
                raise Incorrect("One of your `Dense` layers has `use_bias=False`; keep the bias (leave `use_bias` out).")
        if not im.dense_layers(deep_model)[-1].use_bias:
            raise Incorrect("Your output layer has `use_bias=False`; keep the bias (leave `use_bias` out).")
        narrow = [units for units, _ in hidden if units < 8]
        notes = []
        if narrow:
            notes.append(
                f"(A hidden layer of {count_noun(min(narrow), 'unit')} is narrower than the 8 inputs: it squeezes "
                "them through a bottleneck. It works, but wider layers usually do better here.)"
            )
        other = sorted({activation for _, activation in hidden} - {"relu"})
        if other:
            notes.append(
                f"('{other[0]}' is a nonlinear activation, so it adds capacity too; ReLU is the usual first choice.)"
            )
        record = im.require_trained(deep_model)
        epoch, best = _best(record["val_loss"])
        last_train, last_valid = record["loss"][-1], record["val_loss"][-1]
        position = "below" if last_train < last_valid else "above"
        shape = " → ".join(str(units) for units, _ in hidden)
        return " ".join([
            f"Hidden layers {shape}, then the output. The validation MAE was lowest at epoch {epoch} ({best:.2f} MPa) "
            f"and ended at {last_valid:.2f} MPa; the training MAE ended at {last_train:.2f} MPa, {position} it. "
            "Compare with the linear model: is this difference bigger than what another seed might change? "
            "(The last section of the notebook checks.)",
            *notes,
        ])


q3 = DeeperModel("q3")


# --------------------------------------------------------------------------------------
# q4: early stopping, with settings the learner chooses
# --------------------------------------------------------------------------------------


def _setting_number(callback, name):
    value = getattr(callback, name, None)
    if isinstance(value, (str, bool)) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        example = {"min_delta": MIN_DELTA, "patience": PATIENCE}[name]
        raise Incorrect(
            f"`{name}` is {im.show_value(value)}, not a number. Write the number itself, without quotes, "
            f"for example `{name}={example}`."
        )
    return float(value)


class EarlyStoppingCallback(Question):
    title = "Early stopping: your settings"
    expected = "a `keras.callbacks.EarlyStopping(...)` callback"
    hint_text = [
        """
Four decisions: which curve to watch (one the model does not train on), how big a drop
counts as a real improvement (compare it with the size of the wobbles), how many epochs to
wait for one (long enough to ride out a few bad epochs), and which weights the model should
keep when training ends.
""",
        """
Watch the validation loss (the default, `monitor="val_loss"`). The wobbles are a few tenths
of an MPa, so a `min_delta` of about 0.1 MPa or less counts real progress; a `patience` of
about 10 epochs rides out a bad stretch without wasting much time; and
`restore_best_weights=True` keeps the weights of the best epoch.
""",
        """
```python
early_stopping = keras.callbacks.EarlyStopping(min_delta=0.1, patience=10, restore_best_weights=True)
```
""",
    ]
    solution_notes = """
Any `patience` from 5 to 30 epochs and any `min_delta` from 0 to 0.5 MPa is a defensible
choice here; the check explains what goes wrong outside those ranges.
"""

    def _check(self, early_stopping):
        """Accepts an `EarlyStopping` (alone or in a one-item list) watching 'val_loss' (the
        validation MAE, the default), with `restore_best_weights=True`, `patience` from 5 to 30
        epochs (PATIENCE_RANGE) and `min_delta` from 0 to 0.5 MPa (MAX_MIN_DELTA; negative values
        work the same). Anything else is refused with what it would do to this training run."""
        keras = im.import_keras()
        im.require_callback_filled_in(early_stopping)
        if isinstance(early_stopping, (list, tuple)) and len(early_stopping) == 1:
            early_stopping = early_stopping[0]
        if isinstance(early_stopping, type) and issubclass(early_stopping, keras.callbacks.EarlyStopping):
            raise Incorrect(
                "You passed the `EarlyStopping` class itself; create one: `keras.callbacks.EarlyStopping(...)`."
            )
        if not isinstance(early_stopping, keras.callbacks.EarlyStopping):
            raise Incorrect(
                f"Expected a `keras.callbacks.EarlyStopping(...)` callback; this is "
                f"{with_article(f'`{type(early_stopping).__name__}`')}. Create one: `keras.callbacks.EarlyStopping(...)`."
            )
        min_delta = abs(_setting_number(early_stopping, "min_delta"))
        patience = _setting_number(early_stopping, "patience")
        monitor = early_stopping.monitor
        if monitor == "loss":
            raise Incorrect(
                "The callback watches 'loss', the *training* MAE. That curve keeps falling as the network fits the "
                "training mixtures ever better, also while it gets worse on new ones, so it would never stop "
                "training because of overfitting. Watch data the model does not train on: `monitor='val_loss'` "
                "(the default)."
            )
        if monitor != "val_loss":
            raise Incorrect(
                f"The callback watches '{monitor}', which this training run does not record: the model is compiled "
                "with `loss='mae'` and no metrics, so its validation MAE is called 'val_loss'. Keras would print a "
                "warning at every epoch and never stop. Leave `monitor` out (it is 'val_loss' by default)."
            )
        if getattr(early_stopping, "mode", "auto") == "max":
            raise Incorrect(
                "The callback has `mode='max'`, so it counts a *higher* validation MAE as an improvement: it would "
                "keep the worst epoch. An error should go down: leave `mode` out (Keras picks 'min' for a loss)."
            )
        if patience < 1 <= min_delta:
            raise Incorrect(
                f"`min_delta` and `patience` look swapped: you have min_delta={early_stopping.min_delta}, "
                f"patience={early_stopping.patience}. `min_delta` is the smallest drop in the validation MAE that "
                "counts (in MPa); `patience` is how many epochs to wait for one (a whole number)."
            )
        if not float(patience).is_integer():
            raise Incorrect(f"`patience` is {early_stopping.patience}; it counts epochs, so give a whole number.")
        low, high = PATIENCE_RANGE
        if patience < low:
            raise Incorrect(
                f"`patience` is {int(patience)}. The validation MAE of this network wobbles up and down by several "
                f"tenths of an MPa from one epoch to the next, so {count_noun(int(patience), 'epoch')} without a new "
                "best can happen by chance while the curve is still coming down: training would stop too soon, "
                f"with a model that could still improve. Give it more time: from {low} to {high} epochs is sensible here."
            )
        if patience > high:
            raise Incorrect(
                f"`patience` is {int(patience)}. Training is capped at 100 epochs, and the callback waits "
                f"{count_noun(int(patience), 'epoch')} after the best one before it stops, so it would seldom stop "
                "before the cap, and every run would spend many epochs that cannot improve the weights it keeps. "
                f"From {low} to {high} epochs is plenty here."
            )
        if min_delta > MAX_MIN_DELTA:
            raise Incorrect(
                f"`min_delta` is {early_stopping.min_delta}, in the units of what the callback watches: the validation "
                f"MAE in MPa. Once the first fast epochs are over, the curve improves a few tenths of an MPa at a "
                f"time, so hardly any epoch would beat the best so far by {min_delta:g} MPa: training would stop "
                f"about `patience` epochs after the early drop, long before the curve flattens. Use at most "
                f"{MAX_MIN_DELTA} MPa (0.1 is a good choice)."
            )
        restore = early_stopping.restore_best_weights
        if not isinstance(restore, (bool, numbers.Integral)):
            raise Incorrect(
                f"`restore_best_weights` is {im.show_value(restore)}; it takes `True` or `False` (no quotes)."
            )
        if not restore:
            raise Incorrect(
                f"`restore_best_weights` is {restore}, so the model would keep the weights of the *last* epoch, "
                f"{count_noun(int(patience), 'epoch')} after the best one, when the validation MAE had not improved "
                "for a while. Set `restore_best_weights=True` to keep the best weights the callback saw."
            )
        stopped = getattr(early_stopping, "stopped_epoch", 0) or 0
        best_epoch = getattr(early_stopping, "best_epoch", None)
        best = getattr(early_stopping, "best", None)
        trained = best_epoch is not None and isinstance(best, numbers.Real) and math.isfinite(best)
        settings = f"You chose `patience={int(patience)}` and `min_delta={min_delta:g}`."
        if trained and stopped > 0:
            return (
                f"{settings} Training stopped after epoch {stopped + 1}, "
                f"{count_noun(stopped - best_epoch, 'epoch')} after the best one, and the model got back the weights "
                f"of epoch {best_epoch + 1} (validation MAE {best:.2f} MPa), the last epoch that improved on the "
                "best so far by at least `min_delta`."
            )
        if trained:
            return (
                f"{settings} The callback never stopped training: all the epochs ran. It still gave the model the "
                f"weights of its best epoch, epoch {best_epoch + 1} (validation MAE {best:.2f} MPa)."
            )
        return settings


q4 = EarlyStoppingCallback("q4")


# --------------------------------------------------------------------------------------
# q5: reading the early-stopped curves
# --------------------------------------------------------------------------------------


class ReadEarlyStoppingCurves(DiscussionQuestion):
    title = "What early stopping did"
    hint_text = [
        "The check of question 4 printed when training stopped and which epoch's weights the model kept. "
        "Look for that epoch on the plot, and at what the validation curve did in the epochs after it.",
        "Think about the wobbles: could a run of unlucky epochs look like the end of progress? Which of "
        "your two settings decides how long the callback puts up with that?",
    ]
    answer_text = """
The validation curve of this network **wobbles**: from one epoch to the next it moves up and
down by several tenths of an MPa, while its general trend is slowly downwards. The callback
stopped training once `patience` epochs in a row had brought no improvement of at least
`min_delta` on the best validation MAE so far. With our settings (10 epochs, 0.1 MPa) that
happened after a few dozen of the 100 epochs (the check above printed when for yours).

`restore_best_weights=True` then gave the model the weights of the epoch that set that best
value. (In Keras 3 this happens at the end of training in any case, also when all the epochs
run out without the callback stopping anything.) The plot's dot marks the lowest validation
MAE; it can be a little later than the kept epoch, if the later improvement was smaller than
`min_delta`.

Could it have stopped too soon? Yes, it could. A wobbly curve can look like a plateau for 10
epochs while it is still, slowly, coming down; in our run of question 3 the best epoch was
one of the last. A larger `patience` or a smaller `min_delta` waits longer, at the cost of more
epochs. Early stopping does not find the "right" epoch; it spares you from guessing a number of
epochs, and keeps the best weights it saw.

Two things to keep in mind:

* The validation MAE of the kept epoch was *chosen* as the best, so it flatters the model a
  little. A score to report comes from a test set that nothing was chosen on, as in the last
  section of the notebook.
* Whether early stopping gave a better or worse model than 40 plain epochs, one run cannot
  tell: the difference would have to be larger than what another seed changes.
"""


q5 = ReadEarlyStoppingCurves("q5")


# --------------------------------------------------------------------------------------
# q6: the open challenge
# --------------------------------------------------------------------------------------


class ConcreteChallenge(OpenChallenge):
    """``check(model, X_test, y_test)``: the test MAE in MPa of any trained model on the held-out
    concrete mixtures. Subclasses say which inputs and targets the model works with
    (``raw_inputs``: the unscaled ingredients and age, ``centered_target``: strength minus the
    training average)."""

    title = "Open challenge: beat 4.3 MPa"
    metric = "test MAE"
    higher_is_better = False
    unit = "MPa"
    decimals = 2
    target = CHALLENGE_TARGET
    reference = REFERENCE_RANGE
    baseline_name = "always predicting the average strength"
    expected = "your trained model, `X_test` and `y_test`"
    raw_inputs = False
    centered_target = True
    ideas = """
**Ideas to try**, one change at a time, judged on the **validation** MAE:

* more capacity: wider layers (256 units) or a third hidden layer;
* early stopping on the validation MAE with a generous `patience` (15-20 epochs) and up to
  150 epochs, so training runs as long as it helps and you keep the best weights;
* a smaller learning rate (0.01 instead of 0.02) once the network is larger.
"""
    hint_text = [
        """
The linear model underfits, and the network of question 3 is still improving at epoch 40.
What would you change: the capacity, the number of epochs, or both? Which tool from
question 4 decides the number of epochs for you?
""",
        """
Try a wider and deeper network (say 256, 128 and 64 units) with Adam at a learning rate
of 0.01, trained with `EarlyStopping(patience=20, restore_best_weights=True)` for up to 150
epochs. Compare ideas by their best validation MAE, and check the test score once at the end.
""",
    ]
    solution_notes = """
More capacity and as many epochs as help, with the best epoch's weights kept: over seeds 0,
1 and 2 this scored from 3.78 to 4.13 MPa on the test mixtures in our runs (the network of
question 3, 40 epochs without early stopping: 4.05-4.55 MPa).
"""

    def _split(self):
        split = concrete_split()
        features = split["X_test_raw"] if self.raw_inputs else split["X_test"]
        targets = split["y_test"] if self.centered_target else split["y_test_raw"]
        return features, targets

    def _baseline_score(self) -> float:
        import numpy as np

        split = concrete_split()
        return float(np.mean(np.abs(split["y_test_raw"] - split["strength_mean"])))

    def _reference_score(self, seed: int) -> float:
        split = concrete_split()
        # The worked answer of the notebook, trained from `seed`.
        model, _history = train_reference(
            seed, (split["X_train"], split["y_train"]), (split["X_valid"], split["y_valid"]),
            hidden=(256, 128, 64), learning_rate=0.01, loss="mae", batch_size=32, epochs=150,
            early_stopping={"patience": 20, "restore_best_weights": True},
        )
        return held_out_mae(model, split["X_test"], split["y_test"])

    def _wrong_target_message(self, y_test):
        """A kinder message when `y_test` is the test split in the other form (raw vs centered)."""
        import numpy as np

        split = concrete_split()
        other = split["y_test_raw"] if self.centered_target else split["y_test"]
        try:
            values = np.asarray(y_test, dtype="float64").ravel()
        except (TypeError, ValueError):
            return None
        if values.shape == other.shape and np.allclose(values, other, rtol=1e-5, atol=1e-4):
            if self.centered_target:
                return ("`y_test` holds the raw strengths; the models of this exercise predict the strength *minus the "
                        "training average*. Pass the `y_test` the preparation cell made.")
            return ("`y_test` holds the strengths minus the average; this part of the exercise works with the raw "
                    "strengths. Pass `y_test_raw`, as the cell above does.")
        return None

    def _other_split_message(self, y_test):
        """A message when `y_test` holds the training or validation targets instead of the test ones."""
        import numpy as np

        split = concrete_split()
        try:
            values = np.asarray(y_test, dtype="float64").ravel()
        except (TypeError, ValueError):
            return None
        for part, words in (("valid", "validation"), ("train", "training")):
            for key in (f"y_{part}", f"y_{part}_raw"):
                if values.shape == split[key].shape and np.allclose(values, split[key], rtol=1e-5, atol=1e-4):
                    return (
                        f"These are the {words} mixtures, not the test mixtures. The challenge is scored on the test "
                        "mixtures, which nothing was trained or chosen on: pass `X_test` and `y_test` "
                        "as the preparation cell made them."
                    )
        return None

    def _score(self, model, X_test, y_test) -> float:
        import numpy as np

        im.require_model(model, "the first answer (your trained model)")
        features, targets = self._split()
        message = self._wrong_target_message(y_test) or self._other_split_message(y_test)
        if message:
            raise Incorrect(message)
        self._require_held_out(y_test, targets)
        values = self._require_test_table(
            X_test, features.shape, table="the table of test mixtures",
            but=f"the test split has {N_TEST} mixtures with {N_FEATURES} features each. "
                "Pass the `X_test` made together with `y_test`.",
        )
        if not np.allclose(values, features, rtol=1e-5, atol=1e-5):
            split = concrete_split()
            other = split["X_test"] if self.raw_inputs else split["X_test_raw"]
            if np.allclose(values, other, rtol=1e-5, atol=1e-5):
                which = ("standardized; this part works with the raw features: pass `X_test_raw`"
                         if self.raw_inputs else
                         "the raw, unscaled features; your model learned from standardized ones, so pass `X_test`")
                raise Incorrect(f"`X_test` holds {which}.")
            raise Incorrect(
                "`X_test` has the right shape but not the values of the test mixtures the preparation cell made "
                "(changed, rescaled or reordered?). Pass it as that cell made it."
            )
        im.require_input_shape(model, (N_FEATURES,), data_description=_DATA_DESCRIPTION)
        return held_out_mae(model, values, targets)

    def _design_notes(self, model) -> list[str]:
        """Whether the model was trained at all, and what its layers explain (``_design_problem``)."""
        notes = []
        if im.training_record(model) is None and not im.optimizer_has_stepped(model):
            notes.append("Your model has not been trained yet: compile and fit it, then check again.")
        problem = _design_problem(model, self.centered_target)
        if problem:
            notes.append(problem)
        return notes


def _design_problem(model, centered_target: bool) -> str | None:
    """A sentence on an output layer or hidden layers that hold the model back, or None."""
    blocks = im.blocks_for_advice(model)
    if not blocks:
        return None
    *hidden, last = blocks
    if last.units != 1:
        return (f"Your last `Dense` layer has {count_noun(last.units, 'unit')}: the model makes {last.units} predictions "
                "per mixture. It predicts one strength: end with `Dense(1)`.")
    if last.activation != "linear":
        if centered_target:
            return _output_activation_problem(last.activation)
        return (f"Your output layer uses '{last.activation}', which limits or bends the predictions, while strengths "
                "run from about 2 to 83 MPa. A regression output needs no activation: `Dense(1)`.")
    if hidden and all(block.activation == "linear" for block in hidden):
        return ("Your hidden layers have no activation, so the whole network computes one linear function of the "
                "features, no more than the linear model of question 1. Give the hidden layers `activation='relu'`.")
    return None


q6 = ConcreteChallenge("q6")
