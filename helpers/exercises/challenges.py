"""What the open challenges share: a held-out regression test, trainers and a split.

* :class:`RegressionChallenge` scores ``check(model, X_test, y_test)`` by the mean absolute
  error on the exercise's held-out test rows, after making sure they are those rows. When the
  target is missed, it adds what the model's output layer explains (an output squeezed by
  ``sigmoid``, a network with no activation between its layers...).
* :class:`HelperTrainedChallenge` is a :class:`RegressionChallenge` whose model the exercise's own
  helper trains (exercises 1 and 2), split off with :func:`held_out_split`; :func:`scaled_trainer`
  makes that helper.
* :func:`train_reference` trains a challenge's reference solution from a seed (the network the
  worked answer builds), so that ``tests/test_challenges.py`` can check its target on seeds 0-2.
* :func:`train_with_scaling` trains any model a learner built, for exercises that come before
  lesson 3 has taught ``compile`` and ``fit``: it puts a ``Normalization`` layer (mean 0 and
  standard deviation 1, learned from the training rows only) in front of the model and a layer
  that turns its outputs from that scale back into the target's units after it, trains with
  Adam on the mean absolute error, and returns the whole model, which reads raw features.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np

from . import inspect_model as im
from .core import HelperInputError, Incorrect, PlaceholderError, contains_placeholder, count_noun
from .questions import OpenChallenge, describe_table

__all__ = ["RegressionChallenge", "HelperTrainedChallenge", "ChallengeData", "held_out_split", "median_baseline_error", "train_with_scaling", "scaled_trainer", "train_reference", "mean_absolute_error", "output_problem"]


def mean_absolute_error(model, X, y) -> float:
    """The model's mean absolute error on ``(X, y)`` (predictions in batches, no training)."""
    predictions = np.asarray(model.predict(np.asarray(X, dtype="float32"), verbose=0), dtype="float64")
    return float(np.mean(np.abs(predictions.reshape(-1) - np.asarray(y, dtype="float64").reshape(-1))))


def output_problem(model, target_words: str, low: float, high: float) -> str | None:
    """A sentence on a model whose output layer or activations keep it from the target, or None.

    ``target_words`` names what is predicted ("quality scores"), ``low``-``high`` its range.
    Looks only at public Keras APIs through ``inspect_model``.
    """
    blocks = im.blocks_for_advice(model)
    if not blocks:
        return None
    last = blocks[-1]
    if last.units != 1:
        return (
            f"Your last `Dense` layer has {count_noun(last.units, 'unit')}, so the model makes {last.units} "
            f"predictions per example, and they are all compared with the one true value. One number is "
            "predicted here: end with `Dense(1)`."
        )
    if last.activation in ("sigmoid", "softmax", "tanh", "hard_sigmoid", "softsign"):
        bounds = "0 and 1" if last.activation in ("sigmoid", "softmax", "hard_sigmoid") else "-1 and 1"
        return (
            f"Your output layer uses `{last.activation}`, which squeezes every output between {bounds}, a narrow "
            f"range that cannot stretch over all the {target_words} (from {low:g} to {high:g}). A prediction "
            "of any size needs an output layer without an activation."
        )
    if last.activation == "relu":
        return (
            "Your output layer uses `relu`, which turns every negative weighted sum into 0 and then passes no "
            "gradient back, so an unlucky start can leave the output stuck at one value. A regression output is "
            "usually left without an activation."
        )
    if len(blocks) > 1 and all(block.activation == "linear" for block in blocks[:-1]):
        return (
            "Your hidden layers have no activation, so the whole stack computes one linear function of the "
            "inputs, exactly what a single linear unit can do (lesson 2). Give the hidden layers `relu`."
        )
    return None


class RegressionChallenge(OpenChallenge):
    """``check(model, X_test, y_test)``: the test MAE of a trained model on the held-out rows.

    Subclasses set the usual :class:`OpenChallenge` numbers plus ``n_features``, ``row_word``
    ("wines"), ``target_words`` ("quality scores"), ``target_range`` and implement
    ``_test_split()`` (the held-out features as the model should receive them, and targets)
    and ``_baseline_score()``.
    """

    metric = "test MAE"
    higher_is_better = False
    decimals = 2
    n_features: int = 0
    row_word: str = "rows"
    target_words: str = "targets"
    target_range: tuple[float, float] = (0.0, 1.0)
    scaled_inputs: bool = False  # True when the learner scales X_test themselves (exercise 3)
    trainer_name: str = "the training helper"  # the helper that trains and scales (exercises 1 and 2)
    expected = "your trained model, `X_test` and `y_test`"

    def _test_split(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _score(self, model, X_test, y_test) -> float:
        im.require_model(model, "the first answer (your trained model)")
        features, targets = self._test_split()
        self._require_held_out(y_test, targets)
        values = self._require_test_table(
            X_test, (len(targets), self.n_features), table=f"the table of test {self.row_word}",
            but=f"the test split has {len(targets)} {self.row_word} with {self.n_features} features each. "
                "Pass the `X_test` made together with `y_test`.",
        )
        if not self.scaled_inputs and not np.allclose(values, features, rtol=1e-5, atol=1e-6):
            raise Incorrect(
                f"`X_test` has the right shape but not the values of the test {self.row_word} the split cell "
                "made (changed or reordered?). Pass `X_test` as the split made it: the model you trained "
                "scales its inputs itself."
            )
        if self.scaled_inputs and np.abs(values).max() > 100:
            raise Incorrect(
                f"`X_test` still holds raw values (up to {np.abs(values).max():,.0f}). Your model learned from "
                "scaled features, so scale the test rows the same way, with the scaler fitted on the training "
                "rows: `X_test = scaler.transform(X_test_raw)`."
            )
        expected_shape = (self.n_features,)
        im.require_input_shape(model, expected_shape, f"the test {self.row_word} have {self.n_features} features")
        return mean_absolute_error(model, values, targets)

    def _design_notes(self, model) -> list[str]:
        """How the model was (not) trained, and what its output layer explains (``output_problem``)."""
        problem = output_problem(model, self.target_words, *self.target_range)
        untrained = not im.optimizer_has_stepped(model)
        notes = []
        keras = im.import_keras()
        wrapped = self.scaled_inputs or any(
            isinstance(layer, keras.layers.Normalization) for layer in getattr(model, "layers", [])
        )
        if not wrapped:
            notes.append(
                f"Pass the model that `{self.trainer_name}` returns (`trained = {self.trainer_name}(challenge_model, "
                f"X_train, y_train)`): it is trained, and it scales the raw {self.row_word} before your layers see "
                "them. A model that did not come out of the helper has neither."
            )
        elif untrained:
            notes.append(
                "Your model has not been trained yet (its optimizer has taken no step): train it first, "
                "then pass the trained model."
            )
        if problem:
            notes.append(problem)
        return notes


@functools.lru_cache(maxsize=None)
def held_out_split(load, target: str, test_size: float, seed: int):
    """``(X_train, X_test, y_train, y_test)`` as float64 arrays, split as the exercise notebook does it.

    ``load`` is a loader of :mod:`helpers.data`; the table's ``target`` column is ``y`` and every
    other column a feature; ``train_test_split(X, y, test_size=test_size, random_state=seed)``.
    """
    from sklearn.model_selection import train_test_split

    table = load()
    X = table.drop(columns=target).to_numpy(dtype="float64")
    y = table[target].to_numpy(dtype="float64")
    return tuple(train_test_split(X, y, test_size=test_size, random_state=seed))


def median_baseline_error(split) -> float:
    """Test MAE of always predicting the median target of the training rows of ``split``."""
    _X_train, _X_test, y_train, y_test = split
    return float(np.mean(np.abs(y_test - np.median(y_train))))


@dataclass(frozen=True)
class ChallengeData:
    """The table of a helper-trained challenge and the words its feedback uses for it."""

    loader: str  # the helpers.data loader, such as "load_red_wine"
    target_column: str  # the column to predict; every other column is a feature
    n_features: int
    row_word: str  # one row, in the plural: "wines"
    target_words: str  # what is predicted, in the plural: "quality scores"
    target_range: tuple[float, float]  # the smallest and largest target in the table


class HelperTrainedChallenge(RegressionChallenge):
    """A regression challenge whose model the exercise's helper trains (``trained = helper(model, ...)``).

    Subclasses set ``data`` (a :class:`ChallengeData`) and ``trainer`` (the helper that
    :func:`scaled_trainer` made, wrapped in ``staticmethod``) and implement ``_reference_model()``
    (the worked answer's untrained model). The held-out split is the notebook's:
    ``train_test_split(X, y, test_size=0.25, random_state=0)``.
    """

    data: ChallengeData | None = None
    test_size: float = 0.25
    split_seed: int = 0
    trainer = None

    n_features = property(lambda self: self.data.n_features)
    row_word = property(lambda self: self.data.row_word)
    target_words = property(lambda self: self.data.target_words)
    target_range = property(lambda self: self.data.target_range)

    @property
    def trainer_name(self) -> str:
        return self.trainer.__name__

    def split(self):
        """``(X_train, X_test, y_train, y_test)`` as float64 arrays, as the exercise notebook makes them."""
        from helpers import data as datasets

        return held_out_split(getattr(datasets, self.data.loader), self.data.target_column, self.test_size,
                              self.split_seed)

    def _reference_model(self):  # pragma: no cover - abstract
        raise NotImplementedError

    def _test_split(self):
        _X_train, X_test, _y_train, y_test = self.split()
        return X_test, y_test

    def _baseline_score(self) -> float:
        return median_baseline_error(self.split())

    def _reference_score(self, seed: int) -> float:
        X_train, X_test, y_train, y_test = self.split()
        im.import_keras().utils.set_random_seed(seed)
        return mean_absolute_error(self.trainer(self._reference_model(), X_train, y_train), X_test, y_test)


def scaled_trainer(name: str, data: ChallengeData, doc: str, **training):
    """The exercise's training helper ``name(model, X_train, y_train)``: :func:`train_with_scaling`
    on the rows of ``data`` with the exercise's ``training`` settings, documented by ``doc`` (what
    the learner reads with ``help(name)``)."""

    def train(model, X_train, y_train):
        return train_with_scaling(model, X_train, y_train, n_features=data.n_features, row_word=data.row_word,
                                  **training)

    train.__name__ = train.__qualname__ = name
    train.__doc__ = doc
    return train


def train_with_scaling(model, X_train, y_train, *, n_features: int, n_train: int, row_word: str,
                       learning_rate: float, epochs: int, batch_size: int):
    """Train ``model`` on the training rows and return it behind a scaling layer (raw features in).

    The last fifth of the training rows is held back for validation, to compare ideas on. The
    learner sees one line: how long training took, the training and validation errors. The returned
    model is ``Sequential([Input, Normalization, model, Rescaling])``; the learner's own model
    is trained in place inside it.
    """
    keras = im.import_keras()
    for name, value in (("model", model), ("X_train", X_train), ("y_train", y_train)):
        if contains_placeholder(value):
            raise PlaceholderError("a model and the training data" if name == "model" else "the training data")
    if not isinstance(model, keras.Model):
        raise HelperInputError(
            f"The first argument should be the Keras model you built; you passed {describe_table(model)}."
        )
    if model.inputs is None or len(model.inputs) != 1 or tuple(model.inputs[0].shape[1:]) != (n_features,):
        shape = None if not model.inputs else tuple(model.inputs[0].shape[1:])
        raise HelperInputError(
            f"Your model takes inputs of shape {shape}; each of the {row_word} has {n_features} features, so "
            f"start it with `keras.Input(shape=({n_features},))`."
        )
    if tuple(model.outputs[0].shape[1:]) not in ((1,), ()):
        raise HelperInputError(
            f"Your model outputs {tuple(model.outputs[0].shape[1:])} numbers per example; it should output one "
            "prediction: end it with a `Dense(1)` layer."
        )
    rows = getattr(X_train, "shape", (None,))[0]
    if rows != n_train or len(y_train) != n_train:
        raise HelperInputError(
            f"Pass the training split, `X_train` and `y_train` ({n_train} {row_word}); you passed "
            f"{rows} and {len(y_train)} rows. The test {row_word} stay untouched until the final check."
        )
    features = np.asarray(X_train, dtype="float32")
    targets = np.asarray(y_train, dtype="float32")
    # The last fifth of the training rows is a validation set: the learner compares ideas on it,
    # so the test rows are used once, for the final check. Everything is learned from the rest.
    n_fit = n_train - n_train // 5
    scaling = keras.layers.Normalization(name="scaling")
    scaling.adapt(features[:n_fit])
    # The model learns targets on the same scale as its inputs (mean 0, standard deviation 1);
    # this last layer turns its outputs back into real units, so a short training suits any
    # target's size without tuning the learning rate.
    fit_targets = targets[:n_fit]
    unscaling = keras.layers.Rescaling(scale=float(fit_targets.std()), offset=float(fit_targets.mean()),
                                       name="unscaling")
    trained = keras.Sequential([keras.Input(shape=(n_features,)), scaling, model, unscaling])
    trained.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss="mae")
    start = time.perf_counter()
    history = trained.fit(features[:n_fit], fit_targets, validation_data=(features[n_fit:], targets[n_fit:]),
                          epochs=epochs, batch_size=batch_size, verbose=0)
    seconds = time.perf_counter() - start
    print(f"Trained for {epochs} epochs in {seconds:.1f} s on {n_fit} {row_word}. Mean absolute error at the end: "
          f"training {history.history['loss'][-1]:.3f}, validation ({n_train - n_fit} other training {row_word}) "
          f"{history.history['val_loss'][-1]:.3f}")
    return trained


def train_reference(seed: int, train, valid, *, hidden, learning_rate: float, loss: str, batch_size: int,
                    epochs: int, output_activation=None, batch_norm: bool = False, metrics=None,
                    early_stopping: dict | None = None):
    """A challenge's reference solution trained from ``seed``: ``(model, history)``.

    The network reads the features of ``train = (X, y)``: ReLU ``Dense`` layers of ``hidden`` units
    (with ``batch_norm``, a ``BatchNormalization`` on the inputs and after each of them), then one
    output unit with ``output_activation``. Adam at ``learning_rate``, validation on ``valid``,
    and ``keras.callbacks.EarlyStopping(**early_stopping)`` if given.
    """
    keras = im.import_keras()
    keras.utils.set_random_seed(seed)
    features, targets = train

    def normalization():
        return [keras.layers.BatchNormalization()] if batch_norm else []

    layers = [keras.Input(shape=(features.shape[1],)), *normalization()]
    for units in hidden:
        layers += [keras.layers.Dense(units, activation="relu"), *normalization()]
    model = keras.Sequential([*layers, keras.layers.Dense(1, activation=output_activation)])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss=loss, metrics=metrics)
    callbacks = [keras.callbacks.EarlyStopping(**early_stopping)] if early_stopping else []
    history = model.fit(features, targets, validation_data=valid, batch_size=batch_size, epochs=epochs,
                        verbose=0, callbacks=callbacks)
    return model, history
