"""Exercise 4: overfitting and underfitting, on the Spotify songs data.

The learner predicts a song's popularity (0-1) from its audio features and genre with
three models: a linear baseline (q1, read in q2), a deeper network (q3) and the same
network stopped early (q4, read in q5). Every check looks at the model or callback the
learner passes, and, once the cell has trained it, at what training recorded.
"""

from __future__ import annotations

import math
import numbers

from . import inspect_model as im
from .core import DiscussionQuestion, Incorrect, PlaceholderError, Question, contains_placeholder, count_noun, with_article

__all__ = ["q1", "q2", "q3", "q4", "q5", "N_FEATURES"]

#: 12 audio features + 6 one-hot playlist genres, as prepared in the exercise notebook.
N_FEATURES = 18
_DATA_DESCRIPTION = "the prepared Spotify data has 18 columns (12 audio features and 6 genre columns)"


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
    keras.Input(shape=(18,)),
    keras.layers.Dense(1),
])
```
"""

    def _check(self, linear_model):
        """Accepts any model computing one Dense unit with a bias and no activation on the 18
        inputs (Sequential or functional, any spelling of "no activation"), once trained with
        validation data."""
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
                f"Your `Dense` layer has {count_noun(output.units, 'unit')}. The model predicts one number per song "
                "(its popularity), so it needs `Dense(1)`."
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
            f"After {count_noun(len(record['loss']), 'epoch')} the training MAE is {last_train:.3f} and the validation "
            f"MAE {last_valid:.3f} (best: {best:.3f} at epoch {epoch}); on the 0-100 scale that is an "
            f"error of about {100 * last_valid:.0f} popularity points."
        )


q1 = LinearModel("q1")


# --------------------------------------------------------------------------------------
# q2: reading the linear model's curves
# --------------------------------------------------------------------------------------


class ReadLinearCurves(DiscussionQuestion):
    title = "Reading the linear model's curves"
    answer_text = """
The two curves fall quickly for the first 15-20 epochs and then go **flat, side by side**:
the training MAE and the validation MAE settle at almost the same value, about 0.197
(roughly 20 popularity points).

* The gap between them is tiny, so there is almost no *overfitting*: what the model learned
  from the training songs works just as well on songs by other artists.
* But the training loss itself stops improving. More epochs will not help: the model has
  learned everything a linear function of these features can express.
  That is **underfitting**: too little *capacity*, not too little training.
* For scale: always predicting the average popularity gives a validation MAE of about 0.21,
  so the linear model is only a little better than that guess.

The cure for underfitting is more capacity: more units or more layers (question 3).
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
    keras.Input(shape=(18,)),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1),
])
```
"""

    def _check(self, deep_model):
        """Accepts any model computing Dense(128) -> ReLU, Dense(64) -> ReLU, Dense(1) on the 18
        inputs: ReLU inside `Dense` or as `Activation('relu')` / `ReLU()` layers, as a string or a
        function, Sequential or functional; once trained with validation data."""
        im.require_model(deep_model)
        im.require_input_shape(deep_model, (N_FEATURES,), data_description=_DATA_DESCRIPTION)
        _only_dense_layers(deep_model, "This model")
        im.require_dense_stack(deep_model, units=[128, 64, 1], activations=["relu", "relu", "linear"])
        record = im.require_trained(deep_model)
        epoch, best = _best(record["val_loss"])
        last_train, last_valid = record["loss"][-1], record["val_loss"][-1]
        return (
            f"The validation MAE was lowest at epoch {epoch} ({best:.3f}) and ended at {last_valid:.3f}, "
            f"while the training MAE kept falling to {last_train:.3f}. Look at the plot: what happens to "
            "the gap between the two curves after the best epoch?"
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
`min_delta` is the smallest drop in validation loss that counts as an improvement,
`patience` how many epochs to wait for one, and `restore_best_weights=True` rolls the
model back to its best epoch when training stops.
"""
    solution_text = """
```python
early_stopping = keras.callbacks.EarlyStopping(
    min_delta=0.001,            # an improvement smaller than 0.001 does not count
    patience=5,                 # wait 5 epochs for an improvement before stopping
    restore_best_weights=True,  # keep the weights of the best epoch, not the last one
)
```
"""

    def _check(self, early_stopping):
        """Accepts an `EarlyStopping` (alone or in a one-item list) with `min_delta=0.001` (or
        -0.001), `patience=5`, `restore_best_weights=True` and the default `monitor='val_loss'`."""
        _callback_settings_filled_in(early_stopping)
        im.require_early_stopping(
            early_stopping, min_delta=0.001, patience=5, restore_best_weights=True, monitor="val_loss"
        )
        if isinstance(early_stopping, (list, tuple)):
            early_stopping = early_stopping[0]
        stopped = getattr(early_stopping, "stopped_epoch", 0) or 0
        best_epoch = getattr(early_stopping, "best_epoch", None)
        best = getattr(early_stopping, "best", None)
        if stopped > 0 and best_epoch is not None and isinstance(best, numbers.Real) and math.isfinite(best):
            return (
                f"Training stopped after epoch {stopped + 1}, {count_noun(stopped - best_epoch, 'epoch')} after the best one, "
                f"and the model got back the weights of epoch {best_epoch + 1} "
                f"(validation MAE {best:.3f})."
            )
        return None


q4 = EarlyStoppingCallback("q4")


# --------------------------------------------------------------------------------------
# q5: reading the early-stopped curves
# --------------------------------------------------------------------------------------


class ReadEarlyStoppingCurves(DiscussionQuestion):
    title = "What early stopping did"
    answer_text = """
Without early stopping the deeper network **overfits**: its training MAE keeps falling
(to about 0.175) while its validation MAE stops improving after a handful of epochs, stays
flat and creeps up towards the end. The gap between the curves widens epoch after epoch:
the model is memorising details of the training artists' songs that do not carry over to
other artists.

With early stopping, training ends 5 epochs after the last real improvement (here after
roughly 10-15 epochs instead of the full 60), and `restore_best_weights=True` hands back
the weights of the best epoch. The model keeps what its extra capacity learned early on and
skips the overfitting that followed. It also saves training time.

Two things to notice:

* The best validation MAE is only a little better than the linear model's (about 0.196
  against 0.197). Popularity depends on much more than the audio (the artist, marketing, timing),
  so no model of these features will predict it well.
* `min_delta` and `patience` decide how eager the callback is: a larger `min_delta` or a
  smaller `patience` stops sooner, at the risk of stopping during a temporary plateau.
"""


q5 = ReadEarlyStoppingCurves("q5")
