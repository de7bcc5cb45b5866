"""Exercise 4: overfitting and underfitting, on the concrete compressive strength data.

The learner predicts a mixture's strength (MPa, minus the training average) from its
standardized ingredients and age with three models: a linear model (q1, read in q2), a
deeper network (q3) and the same network stopped early (q4, read in q5). Every check looks at the model or callback the
learner passes, and, once the cell has trained it, at what training recorded.
"""

from __future__ import annotations

import math
import numbers

from . import inspect_model as im
from .core import DiscussionQuestion, Incorrect, PlaceholderError, Question, contains_placeholder, count_noun, with_article

__all__ = ["q1", "q2", "q3", "q4", "q5", "N_FEATURES"]

#: 7 ingredients + the age, standardized in the exercise notebook.
N_FEATURES = 8
_DATA_DESCRIPTION = "the concrete data has 8 feature columns (7 ingredients and the age)"
#: The early stopping settings the exercise asks for (min_delta in MPa).
MIN_DELTA = 0.1
PATIENCE = 10


def _keras():
    import keras

    return keras




def _best(values) -> tuple[int, float]:
    """(1-based epoch, value) of the lowest finite value."""
    finite = [(v, i) for i, v in enumerate(values) if isinstance(v, numbers.Real) and math.isfinite(v)]
    if not finite:
        return 0, float("nan")
    value, index = min(finite)
    return index + 1, value


def _callback_settings_filled_in(callback) -> None:
    """A callback built with a ``____`` argument counts as "not attempted" (PlaceholderError)."""
    if isinstance(callback, (list, tuple)) and len(callback) == 1:
        callback = callback[0]
    settings = [getattr(callback, name, None) for name in ("min_delta", "patience", "restore_best_weights", "monitor")]
    if contains_placeholder(settings):
        raise PlaceholderError("a setting of the callback")


def _only_dense_layers(model, purpose: str) -> None:
    """Only Dense layers and their activations (inside `Dense` or as activation layers); the
    `InputLayer` of a functional model does not count (see ``inspect_model``)."""
    im.require_layers(model)
    for step in im.model_steps(model):
        if step.kind not in ("dense", "activation"):
            name = f"`{type(step.layer).__name__}`"
            raise Incorrect(
                f"Your model has {with_article(name)} layer. {purpose} uses only `Dense` layers "
                "(each with its activation, if any): remove it."
            )


# --------------------------------------------------------------------------------------
# q1: a linear baseline
# --------------------------------------------------------------------------------------


class LinearModel(Question):
    title = "A linear model"
    expected = "a Keras model (the `linear_model` the cell builds)"
    hint_text = """
A linear model is a single neuron: one `Dense` layer with one unit and no activation.
As always, the list of layers starts with `keras.Input(shape=...)`; the data has
`X_train.shape[1]` columns.
"""
    solution_text = """
```python
linear_model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Dense(1),
])
```
"""

    def _check(self, linear_model):
        """Accepts any model computing one Dense unit with a bias and no activation on the 8
        standardized concrete features (Sequential or functional, any spelling of "no activation"),
        once the cell has trained it with `validation_data=(X_valid, y_valid)`."""
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
        if activation != "linear":
            raise Incorrect(
                f"Your `Dense` layer has activation '{activation}'. A linear model has no activation: "
                "write `keras.layers.Dense(1)`."
            )
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
    hint_text = """
Start from the linear model and put two hidden layers before the output layer:
`Dense(128, activation="relu")`, then `Dense(64, activation="relu")`. The output layer stays
`Dense(1)` without activation.
"""
    solution_text = """
```python
deep_model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1),
])
```
"""

    def _check(self, deep_model):
        """Accepts any model computing Dense(128) -> ReLU, Dense(64) -> ReLU, Dense(1) on the 8
        concrete features: ReLU inside `Dense` or as `Activation('relu')` / `ReLU()` layers, as a string
        or a function, Sequential or functional; once the cell has trained it with validation data."""
        im.require_model(deep_model)
        im.require_input_shape(deep_model, (N_FEATURES,), data_description=_DATA_DESCRIPTION)
        _only_dense_layers(deep_model, "This model")
        im.require_dense_stack(deep_model, units=[128, 64, 1], activations=["relu", "relu", "linear"])
        record = im.require_trained(deep_model)
        epoch, best = _best(record["val_loss"])
        last_train, last_valid = record["loss"][-1], record["val_loss"][-1]
        position = "below" if last_train < last_valid else "above"
        return (
            f"The validation MAE was lowest at epoch {epoch} ({best:.2f} MPa) and ended at {last_valid:.2f} MPa; "
            f"the training MAE ended at {last_train:.2f} MPa, {position} it. Compare with the linear model: "
            "is this difference bigger than what another seed might change? (The last section of the "
            "notebook checks.)"
        )


q3 = DeeperModel("q3")


# --------------------------------------------------------------------------------------
# q4: early stopping
# --------------------------------------------------------------------------------------


class EarlyStoppingCallback(Question):
    title = "Early stopping"
    expected = "a `keras.callbacks.EarlyStopping(...)` callback"
    hint_text = """
`keras.callbacks.EarlyStopping` takes the settings as keyword arguments:
`min_delta` is the smallest drop in validation loss that counts as an improvement (here in
MPa), `patience` how many epochs to wait for one, and `restore_best_weights=True` gives the
model the weights of its best epoch when training ends.
"""
    solution_text = """
```python
early_stopping = keras.callbacks.EarlyStopping(
    min_delta=0.1,              # an improvement smaller than 0.1 MPa does not count
    patience=10,                # wait 10 epochs for an improvement before stopping
    restore_best_weights=True,  # keep the weights of the best epoch, not the last one
)
```
"""

    def _check(self, early_stopping):
        """Accepts an `EarlyStopping` (alone or in a one-item list) with `min_delta=0.1` (MIN_DELTA, in
        MPa; -0.1 works the same), `patience=10` (PATIENCE), `restore_best_weights=True` and the
        default `monitor='val_loss'` (the validation MAE). Settings given as text, or `mode='max'`,
        are refused."""
        _callback_settings_filled_in(early_stopping)
        try:
            im.require_early_stopping(
                early_stopping, min_delta=MIN_DELTA, patience=PATIENCE, restore_best_weights=True, monitor="val_loss"
            )
        except Incorrect as problem:
            if problem.message.startswith("`min_delta` is ") and "not a number" not in problem.message:
                raise Incorrect(
                    f"{problem.message} `min_delta` is in the units of what the callback watches, here the "
                    f"validation MAE in MPa: with `min_delta={MIN_DELTA}`, an epoch must lower the best "
                    f"validation MAE so far by at least {MIN_DELTA} MPa to count as an improvement."
                ) from None
            raise
        if isinstance(early_stopping, (list, tuple)):
            early_stopping = early_stopping[0]
        stopped = getattr(early_stopping, "stopped_epoch", 0) or 0
        best_epoch = getattr(early_stopping, "best_epoch", None)
        best = getattr(early_stopping, "best", None)
        trained = best_epoch is not None and isinstance(best, numbers.Real) and math.isfinite(best)
        if trained and stopped > 0:
            return (
                f"Training stopped after epoch {stopped + 1}, {count_noun(stopped - best_epoch, 'epoch')} after the best one, "
                f"and the model got back the weights of epoch {best_epoch + 1} "
                f"(validation MAE {best:.2f} MPa), the last epoch that improved on the best so far by at "
                f"least min_delta."
            )
        if trained:
            return (
                "The callback never stopped training: all the epochs ran. It still gave the model the "
                f"weights of its best epoch, epoch {best_epoch + 1} (validation MAE {best:.2f} MPa)."
            )
        return None


q4 = EarlyStoppingCallback("q4")


# --------------------------------------------------------------------------------------
# q5: reading the early-stopped curves
# --------------------------------------------------------------------------------------


class ReadEarlyStoppingCurves(DiscussionQuestion):
    title = "What early stopping did"
    answer_text = """
The validation curve of this network **wobbles**: from one epoch to the next it moves up and
down by several tenths of an MPa, while its general trend is slowly downwards. The callback
stopped training once 10 epochs in a row had brought no improvement of at least 0.1 MPa
on the best validation MAE so far. In our runs that happened after a few dozen of the 100
epochs (the check above printed when).

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
