"""A mistake catalogue for every exercise question (issue 11: checks that are never wrong).

For each question: realistic wrong answers, each with a fragment its message must contain,
and equivalent right answers written differently, which must all pass. The rule is at least
8 wrong and 3 right answers per question; discussion questions (``DiscussionQuestion``: no
right or wrong, they reveal a model answer) are listed in ``DISCUSSION`` instead.

No case may end in the generic "I could not check this answer" fallback: that message is kept
for inputs no learner would type by accident (see ``tests/test_exercises_fuzz*.py``).

Answers are built lazily (each case is a function returning the tuple of answers), on
stand-in histories rather than real training, so the whole catalogue runs in seconds.
"""

from __future__ import annotations

import functools

import keras
import numpy as np
import pandas as pd
import pytest

from helpers import data
from helpers.exercises import ____, core
from helpers.exercises.questions import OpenChallenge
from helpers.exercises import exercise1, exercise2, exercise3, exercise4, exercise5, exercise6

L = keras.layers
Dense, Activation, Dropout, BN, ReLU = L.Dense, L.Activation, L.Dropout, L.BatchNormalization, L.ReLU
FALLBACK = "I could not check this answer"


@pytest.fixture(autouse=True)
def lenient_checks(monkeypatch):
    monkeypatch.delenv(core.STRICT_ENV_VAR, raising=False)


# --------------------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------------------


def seq(n, *layers):
    return keras.Sequential([keras.Input(shape=(n,)), *layers])


def functional(n, *layers):
    inputs = keras.Input(shape=(n,))
    x = inputs
    for layer in layers:
        x = layer(x)
    return keras.Model(inputs, x)


def stack(spec, separate=False, bn_before_act=False, act_fn=None):
    """Layers for [(units, activation), ...]; activations inline, as Activation layers, or after BN."""
    layers = []
    for units, act in spec:
        fn = act_fn if (act_fn is not None and act == "relu") else act
        if act in (None, "linear"):
            layers.append(Dense(units))
        elif separate:
            layers += [Dense(units), Activation(fn)]
        else:
            layers.append(Dense(units, activation=fn))
    return layers


def fake_history(epochs=3, steps=None, val=True, loss=0.5, val_loss=None, model=None, params_epochs=None):
    history = keras.callbacks.History()
    params = {"verbose": 0, "epochs": params_epochs or epochs}
    if steps is not None:
        params["steps"] = steps
    history.set_params(params)
    history.history = {"loss": [loss] * epochs}
    if val:
        history.history["val_loss"] = list(val_loss) if val_loss is not None else [loss * 0.9] * epochs
    if model is not None:
        history.set_model(model)
    return history


def trained(model, optimizer="adam", loss="mae", val=True, losses=None):
    """The model compiled and marked as trained (``model.history``, as fit leaves it)."""
    model.compile(optimizer=optimizer, loss=loss)
    history = fake_history(val=val, val_loss=losses)
    if losses is not None:
        history.history["loss"] = list(losses)
    model.history = history
    history.set_model(model)
    return model


@functools.cache
def wine():
    return data.load_red_wine()


@functools.cache
def concrete():
    return data.load_concrete()


@functools.cache
def auto_prepared():
    from sklearn.model_selection import train_test_split

    auto = data.load_auto_mpg()
    clean = auto.dropna(subset=["horsepower"])
    X = pd.get_dummies(clean.drop(columns=["mpg", "name"]), columns=["origin"], dtype=float)
    y = clean["mpg"]
    X_rest_raw, _X_test_raw, y_rest, _y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    X_train_raw, X_valid_raw, y_train, y_valid = train_test_split(X_rest_raw, y_rest, test_size=0.25, random_state=0)
    return auto, clean, X, y, X_train_raw, X_valid_raw


def linear_unit(n=11, units=1):
    return seq(n, Dense(units))


# --------------------------------------------------------------------------------------
# The catalogue: question -> (right answers, wrong answers with message fragments)
# --------------------------------------------------------------------------------------

RIGHT: dict[str, list] = {}
WRONG: dict[str, list] = {}
DISCUSSION = {
    "exercise1.q5": "discussion: reveals a model answer, no right or wrong",
    "exercise2.q5": "discussion: reveals a model answer, no right or wrong",
    "exercise3.q5": "discussion: reveals a model answer, no right or wrong",
    "exercise4.q2": "discussion: reveals a model answer, no right or wrong",
    "exercise4.q5": "discussion: reveals a model answer, no right or wrong",
    "exercise5.q2": "discussion: reveals a model answer, no right or wrong",
    "exercise5.q5": "discussion: reveals a model answer, no right or wrong",
}


def right(question, label):
    def register(factory):
        RIGHT.setdefault(question, []).append((label, factory))
        return factory

    return register


def wrong(question, label, fragment):
    def register(factory):
        WRONG.setdefault(question, []).append((label, factory, fragment))
        return factory

    return register


def features_cases(question, frame, target, n_rows, n_features, row_word):
    """The same catalogue for lesson 1 and lesson 2's question 1 (``FeaturesAndInputShape``)."""
    X = lambda: frame().drop(columns=target)  # noqa: E731
    right(question, "drop, X.shape[1:]")(lambda: (X(), X().shape[1:]))
    right(question, "numpy and a list")(lambda: (X().to_numpy(), [n_features]))
    right(question, "reset index, tuple")(lambda: (X().reset_index(drop=True), (n_features,)))
    right(question, "columns reordered, keras.Input")(
        lambda: (X()[list(reversed(X().columns))], keras.Input(shape=(n_features,)))
    )
    right(question, "iloc without the target")(
        lambda: (frame().loc[:, [c for c in frame().columns if c != target]], (n_features,))
    )
    wrong(question, "target kept", f"still contains the target column `'{target}'`")(lambda: (frame(), (n_features,)))
    wrong(question, "bare int of features", "right number of features")(lambda: (X(), n_features))
    wrong(question, "X.shape[0]", f"is the number of {row_word}")(lambda: (X(), X().shape[0]))
    wrong(question, "whole shape", "shape of the whole table")(lambda: (X(), X().shape))
    wrong(question, "target counted", "counts the target")(lambda: (X(), (n_features + 1,)))
    wrong(question, "rows as tuple", f"is the number of {row_word} (rows)")(lambda: (X(), (n_rows,)))
    wrong(question, "leading 1", "Leave out the leading 1")(lambda: (X(), (1, n_features)))
    wrong(question, "batch dimension kept", "includes the batch dimension")(lambda: (X(), (None, n_features)))
    wrong(question, "head only", "`X` has 100 rows")(lambda: (X().head(100), (n_features,)))
    wrong(question, "NaN array", "NaN")(lambda: (np.full((n_rows, n_features), np.nan), (n_features,)))
    wrong(question, "only the target", "`X` is a single column")(lambda: (frame()[target], (n_features,)))
    wrong(question, "array with target, first feature dropped", "holds the target")(
        lambda: (frame()[[c for c in frame().columns][1:]].to_numpy(), (n_features,))
    )
    wrong(question, "scaled values", "does not hold any feature")(lambda: (X() * 2.0, (n_features,)))
    wrong(question, "shape as text", "the text")(lambda: (X(), str(n_features)))
    wrong(question, "one feature too few", f"`X` has {n_features - 1} columns")(
        lambda: (X().iloc[:, 1:], (n_features,))
    )


features_cases("exercise1.q1", wine, "quality", 1599, 11, "wines")
features_cases("exercise2.q1", concrete, "CompressiveStrength", 1030, 8, "mixtures")

# --- lesson 1 q2: a linear unit ---------------------------------------------------------------
Q = "exercise1.q2"
right(Q, "Dense(1)")(lambda: (seq(11, Dense(1)),))
right(Q, "functional")(lambda: (functional(11, Dense(1)),))
right(Q, "activation='linear'")(lambda: (seq(11, Dense(units=1, activation="linear")),))
right(Q, "Activation('linear') layer")(lambda: (seq(11, Dense(1, activation=None), Activation("linear")),))
right(Q, "identity lambda")(lambda: (seq(11, Dense(1, activation=lambda x: x)),))
wrong(Q, "relu", "activation 'relu'")(lambda: (seq(11, Dense(1, activation="relu")),))
wrong(Q, "separate sigmoid", "activation 'sigmoid'")(lambda: (seq(11, Dense(1), Activation("sigmoid")),))
wrong(Q, "ReLU layer object as activation", "activation 'relu'")(lambda: (seq(11, Dense(1, activation=ReLU())),))
wrong(Q, "2 units", "2 units")(lambda: (seq(11, Dense(2)),))
wrong(Q, "12 inputs", "12 numbers per example")(lambda: (seq(12, Dense(1)),))
wrong(Q, "two layers", "2 Dense layers")(lambda: (seq(11, Dense(4), Dense(1)),))
wrong(Q, "no bias", "use_bias=False")(lambda: (seq(11, Dense(1, use_bias=False)),))
wrong(Q, "no Input", "does not know its input shape")(lambda: (keras.Sequential([Dense(1)]),))
wrong(Q, "only the Input", "no layers after it")(lambda: (keras.Sequential([keras.Input(shape=(11,))]),))
wrong(Q, "dropout", "`Dropout` layer")(lambda: (seq(11, Dropout(0.5), Dense(1)),))
wrong(Q, "a layer", "single `Dense` layer")(lambda: (Dense(1),))
wrong(Q, "list of layers", "plain list of layers")(lambda: ([keras.Input(shape=(11,)), Dense(1)],))
wrong(Q, "None", "`None`")(lambda: (None,))
wrong(Q, "blank activation", "NOT_ATTEMPTED")(lambda: (seq(11, Dense(1, activation=____)),))

# --- lesson 1 q3: the weights ---------------------------------------------------------------------
Q = "exercise1.q3"
right(Q, "model.weights")(lambda: tuple(linear_unit().weights))
right(Q, "get_weights copies")(lambda: tuple(linear_unit().get_weights()))
right(Q, "numpy of each")(lambda: tuple(w.numpy() for w in linear_unit().weights))
right(Q, "from the layer")(lambda: (linear_unit().layers[-1].kernel, linear_unit().layers[-1].bias))
wrong(Q, "the whole list", "unpack them into two names")(lambda: (linear_unit().weights, None))
wrong(Q, "a list for the bias", "a Python list of 1 item")(lambda: (linear_unit().weights[0], [0.0]))
wrong(Q, "swapped", "look swapped")(lambda: tuple(reversed(linear_unit().weights)))
wrong(Q, "kernel twice", "`b` (the bias) has shape (11, 1)")(lambda: (linear_unit().weights[0],) * 2)
wrong(Q, "NaN", "NaN")(lambda: (np.full((11, 1), np.nan), np.zeros(1)))
wrong(Q, "model", "whole model")(lambda: (linear_unit(), linear_unit()))
wrong(Q, "layer", "is a layer")(lambda: (Dense(1), Dense(1)))
wrong(Q, "12-input model", "your model takes 12 inputs")(lambda: tuple(linear_unit(12).weights))
wrong(Q, "3-unit model", "your model has 3 units")(lambda: tuple(linear_unit(11, 3).weights))
wrong(Q, "text", "rather than a weight tensor")(lambda: ("w", "b"))
wrong(Q, "numbers", "an `int` rather than a weight tensor")(lambda: (3, 4))


@functools.cache
def _unit_and_first():
    keras.utils.set_random_seed(0)
    model = linear_unit()
    first = wine().drop(columns="quality").iloc[0].to_numpy()
    w, b = (v.numpy() for v in model.weights)
    return model, first, w, b


Q = "exercise1.q4"
right(Q, "first @ w + b")(lambda: (_unit_and_first()[1] @ _unit_and_first()[2] + _unit_and_first()[3], _unit_and_first()[0]))
right(Q, "model.predict")(
    lambda: (_unit_and_first()[0].predict(wine().drop(columns="quality").iloc[:1], verbose=0), _unit_and_first()[0])
)
right(Q, "float of a sum")(
    lambda: (float((_unit_and_first()[1] * _unit_and_first()[2][:, 0]).sum() + _unit_and_first()[3][0]), _unit_and_first()[0])
)
right(Q, "numpy scalar")(
    lambda: (np.float32(np.dot(_unit_and_first()[1], _unit_and_first()[2][:, 0]) + _unit_and_first()[3][0]), _unit_and_first()[0])
)
wrong(Q, "products not summed", "adds them up")(lambda: (_unit_and_first()[1] * _unit_and_first()[2][:, 0] + _unit_and_first()[3][0] / 11, _unit_and_first()[0]))
wrong(Q, "every wine", "1599 outputs")(
    lambda: (_unit_and_first()[0].predict(wine().drop(columns="quality"), verbose=0), _unit_and_first()[0])
)
wrong(Q, "zero", "Your number is 0")(lambda: (0.0, _unit_and_first()[0]))
wrong(Q, "NaN", "NaN")(lambda: (float("nan"), _unit_and_first()[0]))
wrong(Q, "text", "remove the quotes")(lambda: ("0.5", _unit_and_first()[0]))
wrong(Q, "None", "`None`")(lambda: (None, _unit_and_first()[0]))
wrong(Q, "the quality", "Your number is 5")(lambda: (5, _unit_and_first()[0]))
wrong(Q, "model not a linear unit", "not the linear unit from q2")(lambda: (0.1, linear_unit(12)))
wrong(Q, "no model", "The second answer (your model) is `None`")(lambda: (0.1, None))
wrong(Q, "weights only", "adds them up")(lambda: (_unit_and_first()[1] * _unit_and_first()[2][:, 0] + _unit_and_first()[3][0] / 11, _unit_and_first()[0]))

# --- lesson 2 q2/q3: deep networks -------------------------------------------------------------------
DEEP = [(512, "relu")] * 3 + [(1, "linear")]
for Q, separate in (("exercise2.q2", None), ("exercise2.q3", True)):
    sep = bool(separate)
    right(Q, "Sequential")(lambda sep=sep: (seq(8, *stack(DEEP, separate=sep)),))
    right(Q, "functional")(lambda sep=sep: (functional(8, *stack(DEEP, separate=sep)),))
    right(Q, "ReLU layers" if sep else "keras.activations.relu")(
        lambda sep=sep: (seq(8, *[l for _ in range(3) for l in (Dense(512), ReLU())], Dense(1)),) if sep
        else (seq(8, *stack(DEEP, act_fn=keras.activations.relu)),)
    )
    right(Q, "Activation(keras.ops.relu)" if sep else "keras.ops.relu")(
        lambda sep=sep: (seq(8, *[l for _ in range(3) for l in (Dense(512), Activation(keras.ops.relu))], Dense(1)),)
        if sep else (seq(8, *stack(DEEP, act_fn=keras.ops.relu)),)
    )
    wrong(Q, "two hidden layers", "this one needs 4")(lambda sep=sep: (seq(8, *stack(DEEP[1:], separate=sep)),))
    wrong(Q, "256 units", "has 256 units; it should have 512")(
        lambda sep=sep: (seq(8, *stack([(512, "relu"), (256, "relu"), (512, "relu"), (1, "linear")], separate=sep)),)
    )
    wrong(Q, "output relu", "Your output layer has the activation 'relu'")(
        lambda sep=sep: (seq(8, *stack(DEEP[:3] + [(1, "relu")], separate=sep)),)
    )
    wrong(Q, "sigmoid hidden", "uses activation 'sigmoid'")(
        lambda sep=sep: (seq(8, *stack([(512, "sigmoid")] + DEEP[1:], separate=sep)),)
    )
    wrong(Q, "9 inputs", "The concrete data has 8 features, so use `keras.Input(shape=(8,))`")(lambda sep=sep: (seq(9, *stack(DEEP, separate=sep)),))
    wrong(Q, "dropout", "`Dropout` layer")(lambda sep=sep: (seq(8, *stack(DEEP[:3], separate=sep), Dropout(0.2), Dense(1)),))
    wrong(Q, "no bias", "use_bias=False")(
        lambda sep=sep: (seq(8, *stack(DEEP[:3], separate=sep), Dense(1, use_bias=False)),)
    )
    wrong(Q, "double activation", "Give each layer one activation")(
        lambda: (seq(8, Dense(512, activation="relu"), Activation("relu"), *stack(DEEP[1:], separate=True)),)
    )
    wrong(Q, "empty", "no layers after it")(lambda: (keras.Sequential([keras.Input(shape=(8,))]),))
    wrong(Q, "2 outputs", "Your output layer has 2 units")(lambda sep=sep: (seq(8, *stack(DEEP[:3] + [(2, "linear")], separate=sep)),))

wrong("exercise2.q2", "text", "the text 'model'")(lambda: ("model",))
wrong("exercise2.q3", "inline activations", "Your model has no `Activation` layers")(lambda: (seq(8, *stack(DEEP)),))
wrong("exercise2.q3", "one inline", "has its activation built in")(
    lambda: (seq(8, Dense(512, activation="relu"), *stack(DEEP[1:], separate=True)),)
)

# --- lesson 2 q4: an activation ---------------------------------------------------------------------
Q = "exercise2.q4"
for label, answer in [("relu", "relu"), ("Tanh text", "Tanh"), ("elu", "elu"), ("keras.activations.gelu", keras.activations.gelu),
                      ("keras.ops.relu", keras.ops.relu), ("lambda relu", lambda x: keras.ops.maximum(x, 0.0))]:
    right(Q, label)(lambda answer=answer: (answer,))
for label, answer, fragment in [
    ("linear", "linear", "a line of a line is still a line"),
    ("None", None, "a line of a line is still a line"),
    ("identity", lambda x: x, "a line of a line is still a line"),
    ("affine", lambda x: 2 * x + 1, "draws a straight line"),
    ("ReLU layer", ReLU(), "*layer* object"),
    ("Activation layer", Activation("relu"), "*layer* object"),
    ("softmax", "softmax", "belongs in the output layer"),
    ("typo", "rleu", "Did you mean `'relu'`?"),
    ("print", print, "is a function, but not an activation"),
    ("number", 3, "an `int`"),
    ("keras.activations.linear", keras.activations.linear, "a line of a line is still a line"),
    ("class", keras.layers.ReLU, "the class `ReLU` itself"),
    ("needs settings", "threshold", "needs extra settings"),
]:
    wrong(Q, label, fragment)(lambda answer=answer: (answer,))

# --- lesson 3 q1: preprocessing ----------------------------------------------------------------------
Q = "exercise3.q1"
right(Q, "solution")(lambda: (auto_prepared()[2], auto_prepared()[3]))
right(Q, "y with reset index")(lambda: (auto_prepared()[2], auto_prepared()[3].reset_index(drop=True)))
right(Q, "both reset, numpy y")(lambda: (auto_prepared()[2].reset_index(drop=True), auto_prepared()[3].to_numpy()))
right(Q, "one-column y, reordered X")(
    lambda: (auto_prepared()[2][list(reversed(auto_prepared()[2].columns))], auto_prepared()[1][["mpg"]])
)
wrong(Q, "mpg kept", "still contains the target `'mpg'`")(
    lambda: (pd.get_dummies(auto_prepared()[1].drop(columns=["name"]), columns=["origin"], dtype=float), auto_prepared()[3])
)
wrong(Q, "name kept", "still contains `'name'`")(
    lambda: (pd.get_dummies(auto_prepared()[1].drop(columns=["mpg"]), columns=["origin"], dtype=float), auto_prepared()[3])
)
wrong(Q, "origin as text", "still has the text column `'origin'`")(
    lambda: (auto_prepared()[1].drop(columns=["mpg", "name"]), auto_prepared()[3])
)
wrong(Q, "rows not dropped", "`X` has all 398 cars")(
    lambda: (pd.get_dummies(auto_prepared()[0].drop(columns=["mpg", "name"]), columns=["origin"], dtype=float), auto_prepared()[3])
)
wrong(Q, "drop_first", "`drop_first=True`")(
    lambda: (pd.get_dummies(auto_prepared()[1].drop(columns=["mpg", "name"]), columns=["origin"], drop_first=True, dtype=float), auto_prepared()[3])
)
wrong(Q, "y from all cars", "`y` has 398 values")(lambda: (auto_prepared()[2], auto_prepared()[0]["mpg"]))
wrong(Q, "y wrong column", "The values in `y` average")(lambda: (auto_prepared()[2], auto_prepared()[1]["weight"]))
wrong(Q, "y shuffled", "not in the same row order as `X`")(
    lambda: (auto_prepared()[2], auto_prepared()[3].sample(frac=1, random_state=0))
)
wrong(Q, "NaN X", "missing values (NaN)")(lambda: (np.full((392, 9), np.nan), auto_prepared()[3]))
wrong(Q, "NaN y", "missing (NaN)")(lambda: (auto_prepared()[2], np.full(392, np.nan)))
wrong(Q, "scaled X", "does not match any of the 9 prepared features")(
    lambda: ((auto_prepared()[2] - auto_prepared()[2].mean()) / auto_prepared()[2].std(), auto_prepared()[3])
)
wrong(Q, "X rows sorted", "its rows are in another order")(
    lambda: (auto_prepared()[2].sort_values("weight").reset_index(drop=True), auto_prepared()[3])
)


def _scaled(fit_on="train", transform_valid="transform"):
    from sklearn.preprocessing import StandardScaler

    *_, X_train_raw, X_valid_raw = auto_prepared()
    scaler = StandardScaler()
    if fit_on == "all":
        scaler.fit(pd.concat([X_train_raw, X_valid_raw]))
        return scaler, scaler.transform(X_train_raw), scaler.transform(X_valid_raw)
    X_train = scaler.fit_transform(X_train_raw)
    X_valid = scaler.fit_transform(X_valid_raw) if transform_valid == "fit" else scaler.transform(X_valid_raw)
    return scaler, X_train, X_valid


Q = "exercise3.q2"
right(Q, "solution")(lambda: _scaled())
right(Q, "MinMaxScaler")(
    lambda: (lambda s, a, b: (s, s.fit_transform(a), s.transform(b)))(
        __import__("sklearn.preprocessing", fromlist=["MinMaxScaler"]).MinMaxScaler(), *auto_prepared()[4:]
    )
)
right(Q, "fit then transform, as DataFrames")(
    lambda: (lambda s: (s, pd.DataFrame(s.transform(auto_prepared()[4])), pd.DataFrame(s.transform(auto_prepared()[5]))))(
        __import__("sklearn.preprocessing", fromlist=["StandardScaler"]).StandardScaler().fit(auto_prepared()[4])
    )
)
wrong(Q, "fitted on training and validation rows", "fitted on 313 cars, validation ones included")(lambda: _scaled(fit_on="all"))
wrong(Q, "fitted on all of X", "fitted on 392 cars, validation and test ones included")(
    lambda: (lambda s: (s, s.transform(auto_prepared()[4]), s.transform(auto_prepared()[5])))(
        __import__("sklearn.preprocessing", fromlist=["StandardScaler"]).StandardScaler().fit(auto_prepared()[2])
    )
)
wrong(Q, "fit_transform on valid", "last fitted on 79 cars")(lambda: _scaled(transform_valid="fit"))
wrong(Q, "class not instance", "the class `StandardScaler` itself")(
    lambda: (__import__("sklearn.preprocessing", fromlist=["StandardScaler"]).StandardScaler, *_scaled()[1:])
)
wrong(Q, "unfitted", "has not been fitted yet")(
    lambda: (__import__("sklearn.preprocessing", fromlist=["StandardScaler"]).StandardScaler(), *_scaled()[1:])
)
wrong(Q, "raw X_train", "still holds raw values")(lambda: (_scaled()[0], auto_prepared()[4], _scaled()[2]))
wrong(Q, "raw X_valid", "still holds raw values")(lambda: (_scaled()[0], _scaled()[1], auto_prepared()[5]))
wrong(Q, "NaN valid", "NaN")(lambda: (_scaled()[0], _scaled()[1], np.full((79, 9), np.nan)))
wrong(Q, "swapped", "should be (234, 9)")(lambda: (_scaled()[0], _scaled()[2], _scaled()[1]))
wrong(Q, "not a scaler", "this task uses scikit-learn's `StandardScaler()`")(lambda: ("scaler", *_scaled()[1:]))

# --- lesson 3 q3: compiled network -------------------------------------------------------------
SMALL = [(64, "relu"), (64, "relu"), (1, "linear")]


def compiled3(model, optimizer="adam", loss="mae"):
    model.compile(optimizer=optimizer, loss=loss)
    return model


Q = "exercise3.q3"
right(Q, "solution")(lambda: (compiled3(seq(9, *stack(SMALL))),))
right(Q, "objects")(
    lambda: (compiled3(seq(9, *stack(SMALL)), keras.optimizers.Adam(learning_rate=0.001), keras.losses.MeanAbsoluteError()),)
)
right(Q, "functional, separate, long loss name")(
    lambda: (compiled3(functional(9, *stack(SMALL, separate=True)), "adam", "mean_absolute_error"),)
)
right(Q, "Dense then BN-free ReLU layers, loss function")(
    lambda: (compiled3(seq(9, Dense(64), ReLU(), Dense(64), ReLU(), Dense(1)), "adam", keras.losses.mean_absolute_error),)
)
wrong(Q, "not compiled", "not compiled yet")(lambda: (seq(9, *stack(SMALL)),))
wrong(Q, "mse", "loss 'mse'")(lambda: (compiled3(seq(9, *stack(SMALL)), loss="mse"),))
wrong(Q, "binary cross-entropy", "yes/no targets")(lambda: (compiled3(seq(9, *stack(SMALL)), loss="binary_crossentropy"),))
wrong(Q, "huber", "not the average error in mpg")(lambda: (compiled3(seq(9, *stack(SMALL)), loss="huber"),))
wrong(Q, "sgd", "'sgd' optimizer")(lambda: (compiled3(seq(9, *stack(SMALL)), optimizer="sgd"),))
wrong(Q, "8 inputs", "`X_train` has 9 columns")(lambda: (compiled3(seq(8, *stack(SMALL))),))
wrong(Q, "output relu", "It should have none (linear)")(lambda: (compiled3(seq(9, *stack(SMALL[:2] + [(1, "relu")]))),))
wrong(Q, "one hidden layer", "this one needs 3")(lambda: (compiled3(seq(9, *stack(SMALL[1:]))),))
wrong(Q, "hidden linear", "has no activation, so it is linear")(
    lambda: (compiled3(seq(9, Dense(64), *stack(SMALL[1:]))),)
)
wrong(Q, "32 units", "has 32 units; it should have 64")(lambda: (compiled3(seq(9, *stack([(32, "relu")] + SMALL[1:]))),))
wrong(Q, "blank loss", "NOT_ATTEMPTED")(lambda: (compiled3(seq(9, *stack(SMALL)), loss=____),))
wrong(Q, "history passed", "is the `History` that `fit()` returns")(lambda: (keras.callbacks.History(),))


# --- lesson 3 q4: training, the number of epochs decided by the learner -------------------------------
def history3(epochs=60, steps=8, val=True, final=2.2, loss="mae", curve=None):
    model = compiled3(seq(9, *stack(SMALL)), loss=loss)
    val_loss = list(curve) if curve is not None else [final] * epochs
    return fake_history(epochs=len(val_loss), steps=steps, val=val, loss=2.0, val_loss=val_loss, model=model)


@functools.cache
def real_fit3(variant):
    """A real training as the notebook runs it (60 epochs of batches of 32; a few seconds each), in one of its variants."""
    from sklearn.preprocessing import MinMaxScaler, StandardScaler

    *_, X_train_raw, X_valid_raw = auto_prepared()
    _, _, _, y, _, _ = auto_prepared()
    y_train, y_valid = y.loc[X_train_raw.index], y.loc[X_valid_raw.index]
    scaler = MinMaxScaler() if variant == "minmax" else StandardScaler()
    X_train, X_valid = scaler.fit_transform(X_train_raw), scaler.transform(X_valid_raw)
    keras.utils.set_random_seed(0)
    layers = stack(SMALL, separate=(variant == "functional"))
    model = compiled3(functional(9, *layers) if variant == "functional" else seq(9, *layers))
    fit = dict(epochs=80 if variant == "minmax" else 60, verbose=0, batch_size=30 if variant == "minmax" else 32)
    if variant == "split":
        return model.fit(X_train, y_train, validation_split=0.03, **fit)
    if variant == "raw_validation":
        return model.fit(X_train, y_train, validation_data=(X_valid_raw, y_valid), **fit)
    validation = [X_valid, y_valid] if variant == "functional" else (X_valid, y_valid)
    return model.fit(X_train, y_train, validation_data=validation, **fit)


Q = "exercise3.q4"
right(Q, "solution")(lambda: (real_fit3("solution"),))
right(Q, "MinMaxScaler, 80 epochs of batches of 30 (the same 8 steps)")(lambda: (real_fit3("minmax"),))
right(Q, "functional, Activation layers, validation data as a list")(lambda: (real_fit3("functional"),))
wrong(Q, "validation_split=0.03 (8 steps, like the right answer)", "Did you use `validation_split`?")(
    lambda: (real_fit3("split"),)
)
wrong(Q, "validated on the unscaled validation cars", "probably the unscaled `X_valid_raw`")(
    lambda: (real_fit3("raw_validation"),)
)
wrong(Q, "model", "That is the model")(lambda: (compiled3(seq(9, *stack(SMALL))),))
wrong(Q, "None", "`history` is `None`")(lambda: (None,))
wrong(Q, "dict", "That is `history.history`")(lambda: (history3().history,))
wrong(Q, "10 epochs, still falling", "training stopped too early")(
    lambda: (history3(curve=[22.0 - 1.5 * epoch for epoch in range(10)]),)
)
wrong(Q, "1 epoch", "After 1 epoch the validation error")(lambda: (history3(curve=[21.0]),))
wrong(Q, "validation_split=0.1", "`validation_split=0.1` (or similar) gives exactly this")(lambda: (history3(steps=7),))
wrong(Q, "batches of 128", "Keras took 2 steps per epoch")(lambda: (history3(steps=2),))
wrong(Q, "trained on all X", "is what all of `X` (392 cars) gives")(lambda: (history3(steps=13),))
wrong(Q, "trained on training and validation cars", "the training and validation cars together (313 cars)")(
    lambda: (history3(steps=10),)
)
wrong(Q, "no validation", "no validation loss")(lambda: (history3(val=False),))
wrong(Q, "unscaled", "Did you train on the *scaled* `X_train`")(lambda: (history3(final=12.0),))
wrong(Q, "mse loss", "loss 'mse'")(lambda: (history3(loss="mse"),))

# --- lesson 4 (concrete: 8 standardized features, MAE in MPa) -----------------------------------------
N4 = exercise4.N_FEATURES  # 8: 7 ingredients and the age
Q = "exercise4.q1"
right(Q, "solution")(lambda: (trained(seq(N4, Dense(1))),))
right(Q, "functional")(lambda: (trained(functional(N4, Dense(1))),))
right(Q, "activation='linear'")(lambda: (trained(seq(N4, Dense(1, activation="linear"))),))
right(Q, "Activation('linear') layer")(lambda: (trained(seq(N4, Dense(1), Activation("linear"))),))
right(Q, "identity lambda")(lambda: (trained(seq(N4, Dense(1, activation=lambda x: x))),))
wrong(Q, "hidden layer", "2 `Dense` layers")(lambda: (trained(seq(N4, Dense(8), Dense(1))),))
wrong(Q, "relu", "activation 'relu'")(lambda: (trained(seq(N4, Dense(1, activation="relu"))),))
wrong(Q, "separate relu", "activation 'relu'")(lambda: (trained(seq(N4, Dense(1), ReLU())),))
wrong(Q, "2 units", "2 units")(lambda: (trained(seq(N4, Dense(2))),))
wrong(Q, "7 inputs (age left out)", "8 feature columns (7 ingredients and the age)")(lambda: (trained(seq(7, Dense(1))),))
wrong(Q, "9 inputs (strength kept)", "8 feature columns (7 ingredients and the age)")(lambda: (trained(seq(9, Dense(1))),))
wrong(Q, "18 inputs (the old Spotify width)", "use `keras.Input(shape=(8,))`")(lambda: (trained(seq(18, Dense(1))),))
wrong(Q, "dropout", "`Dropout` layer")(lambda: (trained(seq(N4, Dropout(0.2), Dense(1))),))
wrong(Q, "untrained", "has not been trained yet")(lambda: (seq(N4, Dense(1)),))
wrong(Q, "no validation", "without validation data")(lambda: (trained(seq(N4, Dense(1)), val=False),))
wrong(Q, "no bias", "use_bias=False")(lambda: (trained(seq(N4, Dense(1, use_bias=False))),))
wrong(Q, "empty", "no layers after it")(lambda: (keras.Sequential([keras.Input(shape=(N4,))]),))

DEEP4 = [(128, "relu"), (64, "relu"), (1, "linear")]
Q = "exercise4.q3"
right(Q, "solution")(lambda: (trained(seq(N4, *stack(DEEP4))),))
right(Q, "separate activations")(lambda: (trained(seq(N4, *stack(DEEP4, separate=True))),))
right(Q, "functional with ReLU layers")(lambda: (trained(functional(N4, Dense(128), ReLU(), Dense(64), ReLU(), Dense(1))),))
right(Q, "keras.activations.relu")(lambda: (trained(seq(N4, *stack(DEEP4, act_fn=keras.activations.relu))),))
right(Q, "own design: 64 then 128")(lambda: (trained(seq(N4, *stack([(64, "relu"), (128, "relu"), (1, "linear")]))),))
right(Q, "own design: three tanh layers")(lambda: (trained(seq(N4, *stack([(32, "tanh")] * 3 + [(1, "linear")]))),))
wrong(Q, "one hidden layer", "1 hidden layer before the output")(lambda: (trained(seq(N4, *stack(DEEP4[1:]))),))
wrong(Q, "no activations", "again one linear function of the features")(lambda: (trained(seq(N4, Dense(128), Dense(64), Dense(1))),))
wrong(Q, "one hidden layer without activation", "2nd hidden layer has no activation")(
    lambda: (trained(seq(N4, Dense(128, activation="relu"), Dense(64), Dense(1))),)
)
wrong(Q, "sigmoid output", "squeezes every prediction between 0 and 1")(lambda: (trained(seq(N4, *stack(DEEP4[:2] + [(1, "sigmoid")]))),))
wrong(Q, "relu output", "negative for every mixture weaker than average")(lambda: (trained(seq(N4, *stack(DEEP4[:2] + [(1, "relu")]))),))
wrong(Q, "two outputs", "end with `Dense(1)`")(lambda: (trained(seq(N4, *stack(DEEP4[:2] + [(2, "linear")]))),))
wrong(Q, "dropout", "`Dropout` layer")(lambda: (trained(seq(N4, *stack(DEEP4[:1]), Dropout(0.3), *stack(DEEP4[1:]))),))
wrong(Q, "untrained", "has not been trained yet")(lambda: (seq(N4, *stack(DEEP4)),))
wrong(Q, "double activation", "Give each layer one activation")(
    lambda: (trained(seq(N4, Dense(128, activation="relu"), ReLU(), *stack(DEEP4[1:]))),)
)
wrong(Q, "activation first", "before any `Dense` layer")(lambda: (trained(seq(N4, ReLU(), *stack(DEEP4))),))
wrong(Q, "9 inputs (strength kept)", "8 feature columns")(lambda: (trained(seq(9, *stack(DEEP4))),))

ES = keras.callbacks.EarlyStopping
MD4, P4 = exercise4.MIN_DELTA, exercise4.PATIENCE  # 0.1 MPa, 10 epochs
Q = "exercise4.q4"
right(Q, "solution")(lambda: (ES(min_delta=MD4, patience=P4, restore_best_weights=True),))
right(Q, "in a list, monitor given")(lambda: ([ES(monitor="val_loss", min_delta=MD4, patience=P4, restore_best_weights=True)],))
right(Q, "negative delta, mode")(lambda: (ES(min_delta=-MD4, patience=P4, restore_best_weights=True, mode="min"),))
right(Q, "positional-free order, start_from_epoch default")(
    lambda: (ES(restore_best_weights=True, patience=10, min_delta=0.1, verbose=1),)
)
wrong(Q, "swapped", "look swapped")(lambda: (ES(min_delta=P4, patience=MD4, restore_best_weights=True),))
right(Q, "own choice: exercise 6's settings (0.001, 5)")(lambda: (ES(min_delta=0.001, patience=5, restore_best_weights=True),))
right(Q, "own choice: no min_delta, patience 20")(lambda: (ES(patience=20, restore_best_weights=True),))
wrong(Q, "patience 2", "training would stop too soon")(lambda: (ES(min_delta=MD4, patience=2, restore_best_weights=True),))
wrong(Q, "patience 50", "seldom stop before the cap")(lambda: (ES(min_delta=MD4, patience=50, restore_best_weights=True),))
wrong(Q, "delta 1 MPa", "validation MAE in MPa")(lambda: (ES(min_delta=1, patience=P4, restore_best_weights=True),))
wrong(Q, "patience 2.5", "give a whole number")(lambda: (ES(min_delta=MD4, patience=2.5, restore_best_weights=True),))
wrong(Q, "no restore", "weights of the *last* epoch")(lambda: (ES(min_delta=MD4, patience=P4),))
wrong(Q, "monitor loss", "watches 'loss', the *training* MAE")(lambda: (ES(monitor="loss", min_delta=MD4, patience=P4, restore_best_weights=True),))
wrong(Q, "class", "the `EarlyStopping` class itself")(lambda: (ES,))
wrong(Q, "other callback", "this is a `ModelCheckpoint`")(lambda: (keras.callbacks.ModelCheckpoint("m.keras"),))
wrong(Q, "dict of settings", "this is a `dict`")(lambda: ({"min_delta": MD4, "patience": P4},))
wrong(Q, "None", "`NoneType`")(lambda: (None,))
wrong(Q, "patience as text", "`patience` is '10', not a number")(lambda: (ES(min_delta=MD4, patience="10", restore_best_weights=True),))
wrong(Q, "monitor val_mae", "does not record")(lambda: (ES(monitor="val_mae", min_delta=MD4, patience=P4, restore_best_weights=True),))
wrong(Q, "restore as text", "`restore_best_weights` is 'True'")(lambda: (ES(min_delta=MD4, patience=P4, restore_best_weights="True"),))
wrong(Q, "mode max", "`mode='max'`")(lambda: (ES(min_delta=MD4, patience=P4, restore_best_weights=True, mode="max"),))
wrong(Q, "blank patience", "NOT_ATTEMPTED")(lambda: (ES(min_delta=MD4, patience=____, restore_best_weights=True),))

# --- lesson 5 (concrete: 8 standardized features for q1, 8 raw ones for q3-q4) --------------------------
N5 = exercise5.STANDARDIZED_FEATURES


def dropout_net(rate=0.3, separate=False, dropout_before_act=False, fn="relu"):
    layers = []
    for units in (128, 64):
        if separate and dropout_before_act:
            layers += [Dense(units), Dropout(rate), Activation(fn)]
        elif separate:
            layers += [Dense(units), Activation(fn), Dropout(rate)]
        else:
            layers += [Dense(units, activation=fn), Dropout(rate)]
    return layers + [Dense(1)]


Q = "exercise5.q1"
right(Q, "solution")(lambda: (trained(seq(N5, *dropout_net())),))
right(Q, "separate activations")(lambda: (trained(seq(N5, *dropout_net(separate=True))),))
right(Q, "dropout before the activation")(lambda: (trained(seq(N5, *dropout_net(separate=True, dropout_before_act=True))),))
right(Q, "functional")(lambda: (trained(functional(N5, *dropout_net())),))
wrong(Q, "no dropout", "no `Dropout` layers yet")(lambda: (trained(seq(N5, *stack(DEEP4))),))
wrong(Q, "dropout after output", "ends with a `Dropout` layer")(lambda: (trained(seq(N5, *dropout_net(), Dropout(0.3))),))
wrong(Q, "dropout first", "starts with `Dropout`")(lambda: (trained(seq(N5, Dropout(0.3), *dropout_net())),))
wrong(Q, "keep rate", "fraction of units to *drop*")(lambda: (trained(seq(N5, *dropout_net(rate=0.7))),))
wrong(Q, "rate 0.5", "rate 0.5")(lambda: (trained(seq(N5, *dropout_net(rate=0.5))),))
wrong(Q, "one dropout missing", "no `Dropout` after the 2nd `Dense` layer")(
    lambda: (trained(seq(N5, Dense(128, activation="relu"), Dropout(0.3), Dense(64, activation="relu"), Dense(1))),)
)
wrong(Q, "two in a row", "two `Dropout` layers in a row")(
    lambda: (trained(seq(N5, Dense(128, activation="relu"), Dropout(0.3), Dropout(0.3), Dense(64, activation="relu"), Dropout(0.3), Dense(1))),)
)
wrong(Q, "batchnorm", "`BatchNormalization` layer")(lambda: (trained(seq(N5, BN(), *dropout_net())),))
wrong(Q, "untrained", "has not been trained yet")(lambda: (seq(N5, *dropout_net()),))
wrong(Q, "wrong units", "has 32 units; it should have 64")(
    lambda: (trained(seq(N5, Dense(128, activation="relu"), Dropout(0.3), Dense(32, activation="relu"), Dropout(0.3), Dense(1))),)
)
wrong(Q, "9 inputs (strength kept)", "8 feature columns (7 ingredients and the age)")(
    lambda: (trained(seq(9, *dropout_net())),)
)
wrong(Q, "empty", "no layers after it")(lambda: (keras.Sequential([keras.Input(shape=(N5,))]),))

PLAIN = [(256, "relu")] * 3 + [(1, "linear")]
Q = "exercise5.q3"
right(Q, "solution")(lambda: (trained(seq(8, *stack(PLAIN)), optimizer="sgd"),))
right(Q, "separate activations, SGD object")(
    lambda: (trained(seq(8, *stack(PLAIN, separate=True)), optimizer=keras.optimizers.SGD(learning_rate=0.01)),)
)
right(Q, "functional, loss blew up")(
    lambda: (trained(functional(8, *stack(PLAIN)), optimizer="sgd", losses=[float("nan")] * 3),)
)
wrong(Q, "batchnorm already", "you add `BatchNormalization` in question 4")(
    lambda: (trained(seq(8, BN(), *stack(PLAIN)), optimizer="sgd"),)
)
wrong(Q, "adam", "'adam' optimizer")(lambda: (trained(seq(8, *stack(PLAIN)), optimizer="adam"),))
wrong(Q, "untrained", "has not been trained yet")(lambda: (compiled3(seq(8, *stack(PLAIN)), optimizer="sgd"),))
wrong(Q, "uncompiled", "not compiled yet")(lambda: (seq(8, *stack(PLAIN)),))
wrong(Q, "two hidden", "this one needs 4")(lambda: (trained(seq(8, *stack(PLAIN[1:])), optimizer="sgd"),))
wrong(Q, "512 units", "has 512 units; it should have 256")(
    lambda: (trained(seq(8, *stack([(512, "relu")] + PLAIN[1:])), optimizer="sgd"),)
)
wrong(Q, "9 inputs", "8 feature columns")(lambda: (trained(seq(9, *stack(PLAIN)), optimizer="sgd"),))
wrong(Q, "dropout", "`Dropout` layer")(lambda: (trained(seq(8, *stack(PLAIN[:3]), Dropout(0.3), Dense(1)), optimizer="sgd"),))
wrong(Q, "blank loss", "NOT_ATTEMPTED")(lambda: (compiled3(seq(8, *stack(PLAIN)), optimizer="sgd", loss=____),))


def bn_net(order="dense_relu_bn", bias=True):
    layers = [BN()]
    for _ in range(3):
        if order == "dense_relu_bn":
            layers += [Dense(256, activation="relu", use_bias=bias), BN()]
        elif order == "dense_bn_act":
            layers += [Dense(256, use_bias=bias), BN(), Activation("relu")]
        elif order == "dense_act_bn":
            layers += [Dense(256, use_bias=bias), ReLU(), BN()]
    return layers + [Dense(1)]


Q = "exercise5.q4"
right(Q, "solution")(lambda: (trained(seq(8, *bn_net()), optimizer="sgd"),))
right(Q, "Dense -> BN -> Activation (recommended order)")(lambda: (trained(seq(8, *bn_net("dense_bn_act")), optimizer="sgd"),))
right(Q, "Dense without bias before BN")(lambda: (trained(seq(8, *bn_net("dense_bn_act", bias=False)), optimizer="sgd"),))
right(Q, "functional, ReLU layer then BN")(lambda: (trained(functional(8, *bn_net("dense_act_bn")), optimizer="sgd"),))
wrong(Q, "no batchnorm", "no `BatchNormalization` layers yet")(lambda: (trained(seq(8, *stack(PLAIN)), optimizer="sgd"),))
wrong(Q, "BN after output", "ends with `BatchNormalization`")(lambda: (trained(seq(8, *bn_net(), BN()), optimizer="sgd"),))
wrong(Q, "two in a row", "two `BatchNormalization` layers in a row")(
    lambda: (trained(seq(8, BN(), BN(), *bn_net()[1:]), optimizer="sgd"),)
)
wrong(Q, "no BN on the inputs", "not `BatchNormalization`")(lambda: (trained(seq(8, *bn_net()[1:]), optimizer="sgd"),))
wrong(Q, "one BN missing", "no `BatchNormalization` after the 2nd `Dense` layer")(
    lambda: (trained(seq(8, BN(), Dense(256, activation="relu"), BN(), Dense(256, activation="relu"),
                         Dense(256, activation="relu"), BN(), Dense(1)), optimizer="sgd"),)
)
wrong(Q, "adam", "'adam' optimizer")(lambda: (trained(seq(8, *bn_net()), optimizer="adam"),))
wrong(Q, "untrained", "has not been trained yet")(lambda: (compiled3(seq(8, *bn_net()), optimizer="sgd"),))
wrong(Q, "dropout", "`Dropout` layer")(lambda: (trained(seq(8, *bn_net()[:-1], Dropout(0.2), Dense(1)), optimizer="sgd"),))
wrong(Q, "NaN loss", "the loss still became NaN")(
    lambda: (trained(seq(8, *bn_net()), optimizer="sgd", losses=[1.0, float("nan"), float("nan")]),)
)
wrong(Q, "output without bias", "use_bias=False")(lambda: (trained(seq(8, *bn_net()[:-1], Dense(1, use_bias=False)), optimizer="sgd"),))
wrong(Q, "double activation", "Give each layer one activation")(
    lambda: (trained(seq(8, BN(), Dense(256, activation="relu"), BN(), Activation("relu"), *bn_net()[3:]), optimizer="sgd"),)
)
wrong(Q, "9 inputs", "8 feature columns")(lambda: (trained(seq(9, *bn_net()), optimizer="sgd"),))

# --- lesson 6 (hotels: 61 booking-time columns, 60/20/20 split, test accuracy) -------------------------
N6 = exercise6.N_FEATURES  # 61 = 12 numeric + 49 one-hot booking-time columns
CLS = [(64, "relu"), (64, "relu"), (1, "sigmoid")]
Q = "exercise6.q1"
right(Q, "solution")(lambda: (seq(N6, *stack(CLS)),))
right(Q, "separate activations")(lambda: (seq(N6, *stack(CLS, separate=True)),))
right(Q, "functional, ops.sigmoid")(lambda: (functional(N6, *stack(CLS[:2]), Dense(1, activation=keras.ops.sigmoid)),))
right(Q, "keras.activations.sigmoid")(lambda: (seq(N6, *stack(CLS[:2]), Dense(1, activation=keras.activations.sigmoid)),))
wrong(Q, "no activation", "can output any number")(lambda: (seq(N6, *stack(CLS[:2] + [(1, "linear")])),))
wrong(Q, "softmax 1 unit", "Softmax on a single unit")(lambda: (seq(N6, *stack(CLS[:2] + [(1, "softmax")])),))
wrong(Q, "softmax 2 units", "Two units with softmax")(lambda: (seq(N6, *stack(CLS[:2] + [(2, "softmax")])),))
wrong(Q, "2 sigmoid units", "The output layer has 2 units")(lambda: (seq(N6, *stack(CLS[:2] + [(2, "sigmoid")])),))
wrong(Q, "relu output", "uses 'relu'")(lambda: (seq(N6, *stack(CLS[:2] + [(1, "relu")])),))
wrong(Q, "tanh output", "uses 'tanh'")(lambda: (seq(N6, *stack(CLS[:2] + [(1, "tanh")])),))
wrong(Q, "parking space put back (62 inputs)", "such as `required_car_parking_spaces`")(lambda: (seq(N6 + 1, *stack(CLS)),))
wrong(Q, "the old 64 columns (leaking counts kept)", "more than the 61 columns of the booking-time features")(
    lambda: (seq(64, *stack(CLS)),)
)
wrong(Q, "60 inputs", "The prepared hotel data has 61 columns")(lambda: (seq(N6 - 1, *stack(CLS)),))
wrong(Q, "one hidden layer", "this one needs 3")(lambda: (seq(N6, *stack(CLS[1:])),))
wrong(Q, "dropout", "`Dropout` layer")(lambda: (seq(N6, *stack(CLS[:2]), Dropout(0.3), Dense(1, activation="sigmoid")),))
wrong(Q, "empty", "no layers after it")(lambda: (keras.Sequential([keras.Input(shape=(N6,))]),))
wrong(Q, "no bias", "use_bias=False")(lambda: (seq(N6, *stack(CLS[:2]), Dense(1, activation="sigmoid", use_bias=False)),))
wrong(Q, "blank activation", "NOT_ATTEMPTED")(lambda: (seq(N6, *stack(CLS[:2]), Dense(1, activation=____)),))


def classifier(loss="binary_crossentropy", metrics=("binary_accuracy",), optimizer="adam"):
    model = seq(N6, *stack(CLS))
    model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics) if metrics is not None else None)
    return model


Q = "exercise6.q2"
right(Q, "solution")(lambda: (classifier(),))
right(Q, "objects")(lambda: (classifier(keras.losses.BinaryCrossentropy(), [keras.metrics.BinaryAccuracy()], keras.optimizers.Adam()),))
right(Q, "'accuracy'")(lambda: (classifier(metrics=["accuracy"]),))
right(Q, "function metric and loss")(lambda: (classifier(keras.losses.binary_crossentropy, [keras.metrics.binary_accuracy]),))
right(Q, "accuracy and AUC")(lambda: (classifier(metrics=["binary_accuracy", keras.metrics.AUC()]),))
wrong(Q, "exact Accuracy()", "`keras.metrics.Accuracy()` counts a prediction as right only when it *equals*")(
    lambda: (classifier(metrics=[keras.metrics.Accuracy()]),)
)
wrong(Q, "from_logits", "`from_logits=True`")(lambda: (classifier(keras.losses.BinaryCrossentropy(from_logits=True)),))
wrong(Q, "mse", "is a regression loss")(lambda: (classifier("mse"),))
wrong(Q, "categorical", "meant for several classes")(lambda: (classifier("categorical_crossentropy"),))
wrong(Q, "no metrics", "add `metrics=['binary_accuracy']`")(lambda: (classifier(metrics=None),))
wrong(Q, "AUC only", "this exercise asks for binary accuracy")(lambda: (classifier(metrics=[keras.metrics.AUC()]),))
wrong(Q, "categorical accuracy", "over *several* classes")(lambda: (classifier(metrics=["categorical_accuracy"]),))
wrong(Q, "threshold", "counts a booking as canceled above 0.7")(lambda: (classifier(metrics=[keras.metrics.BinaryAccuracy(threshold=0.7)]),))
wrong(Q, "sgd", "'sgd' optimizer")(lambda: (classifier(optimizer="sgd"),))
wrong(Q, "not compiled", "not compiled yet")(lambda: (seq(N6, *stack(CLS)),))
wrong(Q, "blank loss", "NOT_ATTEMPTED")(lambda: (classifier(loss=____),))
wrong(Q, "blank metric", "NOT_ATTEMPTED")(lambda: (classifier(metrics=[____]),))


def used_callback(**settings):
    options = dict(patience=5, min_delta=0.001, restore_best_weights=True)
    options.update(settings)
    callback = ES(**options)
    callback.set_model(seq(N6, *stack(CLS)))
    return callback


STEPS6 = -(-exercise6.N_TRAIN // exercise6.BATCH_SIZE)  # 140 batches of 512 over the 71,634 training bookings


def history6(epochs=15, steps=STEPS6, val=True, params_epochs=None):
    return fake_history(epochs=epochs, steps=steps, val=val, loss=0.4, val_loss=[0.45 - 0.001 * i for i in range(epochs)],
                        params_epochs=params_epochs)


Q = "exercise6.q3"
right(Q, "solution")(lambda: (used_callback(), history6()))
right(Q, "stopped early at 9 of 15")(lambda: (used_callback(), history6(epochs=9, params_epochs=15)))
right(Q, "callback in a list, monitor given")(lambda: ([used_callback(monitor="val_loss")], history6()))
right(Q, "lower limit of 12 epochs")(lambda: (used_callback(), history6(epochs=12)))
right(Q, "negative min_delta")(lambda: (used_callback(min_delta=-0.001), history6()))
wrong(Q, "epochs above the limit", "above the limit of 15")(lambda: (used_callback(), history6(epochs=30)))
wrong(Q, "validation_split (112 steps)", "`validation_split=0.2` (or similar) gives exactly this")(
    lambda: (used_callback(), history6(steps=112))
)
wrong(Q, "default batch", "32 is Keras's default")(lambda: (used_callback(), history6(steps=2239)))
wrong(Q, "huge batch", "from 3980 to 4213")(lambda: (used_callback(), history6(steps=18)))
wrong(Q, "trained on all the bookings", "the whole data set (119,390 bookings)")(lambda: (used_callback(), history6(steps=234)))
wrong(Q, "trained on training + validation", "`X_train` and `X_valid` together (95,512 bookings)")(
    lambda: (used_callback(), history6(steps=187))
)
wrong(Q, "trained on the validation set", "the validation (or the test) set (23,878 bookings)")(lambda: (used_callback(), history6(steps=47)))
wrong(Q, "no validation", "without validation data")(lambda: (used_callback(), history6(val=False)))
wrong(Q, "callback unused", "was never used")(lambda: (ES(patience=5, min_delta=0.001, restore_best_weights=True), history6()))
wrong(Q, "model instead of history", "The second answer is the model")(lambda: (used_callback(), seq(N6, Dense(1))))
wrong(Q, "None history", "The second answer is `None`")(lambda: (used_callback(), None))
right(Q, "own choice: patience 3, no min_delta")(lambda: (used_callback(patience=3, min_delta=0), history6()))
wrong(Q, "patience 1", "would end training")(lambda: (used_callback(patience=1), history6()))
wrong(Q, "patience 15", "never stops")(lambda: (used_callback(patience=15), history6()))
wrong(Q, "exercise 4's settings (0.1, 10)", "in the units of the validation loss")(
    lambda: (used_callback(min_delta=0.1, patience=10), history6())
)
wrong(Q, "watching the training loss", "watches 'loss', the *training* loss")(lambda: (used_callback(monitor="loss"), history6()))
wrong(Q, "watching the accuracy", "only changes when a prediction crosses 0.5")(
    lambda: (used_callback(monitor="val_binary_accuracy"), history6())
)
wrong(Q, "no restore", "`restore_best_weights` is False")(lambda: (used_callback(restore_best_weights=False), history6()))
wrong(Q, "empty history", "This history is empty")(lambda: (used_callback(), keras.callbacks.History()))

Q = "exercise6.q4"
right(Q, "exact fraction")(lambda: (exercise6.BASELINE_ACCURACY,))
right(Q, "numpy float")(lambda: (np.float64(0.6296),))
right(Q, "one-element array")(lambda: (np.array([0.63]),))
right(Q, "from the test labels")(
    lambda: ((np.r_[np.zeros(15_034), np.ones(8_844)] == 0).mean(),)  # the 23,878 test bookings, stratified
)
wrong(Q, "canceled share", "share of bookings that *were* canceled")(lambda: (1 - exercise6.BASELINE_ACCURACY,))
wrong(Q, "percentage", "looks like a percentage")(lambda: (100 * exercise6.BASELINE_ACCURACY,))
wrong(Q, "canceled percentage", "percentage of canceled bookings")(lambda: (100 * (1 - exercise6.BASELINE_ACCURACY),))
wrong(Q, "one half", "equally common")(lambda: (0.5,))
wrong(Q, "model accuracy", "is not the share of test bookings")(lambda: (0.79,))
wrong(Q, "above 1", "cannot be an accuracy")(lambda: (7.5,))
wrong(Q, "NaN", "NaN")(lambda: (float("nan"),))
wrong(Q, "text", "remove the quotes")(lambda: ("0.63",))
wrong(Q, "count", "cannot be an accuracy")(lambda: (15_034,))
wrong(Q, "array of labels", "I expected a single number")(lambda: (np.zeros(100),))

Q = "exercise6.q5"
right(Q, "the worked answer's figure")(lambda: (0.7935,))
right(Q, "numpy float from evaluate")(lambda: (np.float64(0.79),))
right(Q, "one-element array")(lambda: (np.array([0.8]),))
right(Q, "exactly the limit")(lambda: (exercise6.MIN_TEST_ACCURACY,))
wrong(Q, "the loss passed instead of accuracy", "If it is the loss")(lambda: (0.4232,))
wrong(Q, "the [loss, accuracy] list", "the whole list that `evaluate` returns")(lambda: ([0.4232, 0.7935],))
wrong(Q, "the (loss, accuracy) tuple", "the whole list that `evaluate` returns")(lambda: ((0.4232, 0.7935),))
wrong(Q, "the list as an array", "the whole list that `evaluate` returns")(lambda: (np.array([0.4232, 0.7935]),))
wrong(Q, "return_dict=True", "`test_accuracy = results['binary_accuracy']`")(
    lambda: ({"loss": 0.4232, "binary_accuracy": 0.7935},)
)
wrong(Q, "an accuracy below the limit", "does not clearly beat the 0.630")(lambda: (0.70,))
wrong(Q, "a model that learned little", "at least 0.75")(lambda: (0.66,))
wrong(Q, "the baseline itself", "your `baseline_accuracy` from question 4")(lambda: (exercise6.BASELINE_ACCURACY,))
wrong(Q, "suspicious 0.97 and above (a leak)", "too good to be true")(lambda: (0.985,))
wrong(Q, "exactly 0.97", "Suspect a leak")(lambda: (0.97,))
wrong(Q, "a percentage", "looks like a percentage")(lambda: (79.35,))
wrong(Q, "above 1", "cannot be an accuracy")(lambda: (1.5,))
wrong(Q, "NaN", "NaN")(lambda: (float("nan"),))
wrong(Q, "None (a print)", "is `None`")(lambda: (None,))
wrong(Q, "text", "remove the quotes")(lambda: ("0.79",))
wrong(Q, "the History", "I expected a number")(lambda: (keras.callbacks.History(),))
wrong(Q, "blank", "NOT_ATTEMPTED")(lambda: (____,))

# --------------------------------------------------------------------------------------
# The tests
# --------------------------------------------------------------------------------------

MODULES = {"exercise1": exercise1, "exercise2": exercise2, "exercise3": exercise3, "exercise4": exercise4, "exercise5": exercise5,
           "exercise6": exercise6}


def question(key):
    module, name = key.split(".")
    return getattr(MODULES[module], name)


ALL_QUESTIONS = sorted(
    f"{name}.{q}" for name, module in MODULES.items() for q in module.__all__ if q.startswith("q") and q[1:].isdigit()
)


@pytest.mark.parametrize("key", ALL_QUESTIONS)
def test_every_question_has_a_full_catalogue(key):
    if key in DISCUSSION:
        assert isinstance(question(key), core.DiscussionQuestion), f"{key} is not a discussion question"
        return
    if isinstance(question(key), OpenChallenge):
        return  # judged on the outcome, not the code: tests/test_exerciseN.py covers each challenge
    assert len(WRONG.get(key, [])) >= 8, f"{key}: only {len(WRONG.get(key, []))} wrong answers in the catalogue"
    assert len(RIGHT.get(key, [])) >= 3, f"{key}: only {len(RIGHT.get(key, []))} right answers in the catalogue"


@pytest.mark.parametrize(
    "key, label, factory", [(key, label, factory) for key, cases in RIGHT.items() for label, factory in cases],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_equivalent_right_answer_passes(key, label, factory):
    feedback = question(key).check(*factory())
    assert feedback.status == "correct", f"{key} [{label}]: {feedback.message}"


@pytest.mark.parametrize(
    "key, label, factory, fragment",
    [(key, label, factory, fragment) for key, cases in WRONG.items() for label, factory, fragment in cases],
    ids=lambda value: value if isinstance(value, str) and len(value) < 50 else "",
)
def test_typical_mistake_gets_its_message(key, label, factory, fragment):
    feedback = question(key).check(*factory())
    if fragment == "NOT_ATTEMPTED":
        assert feedback.status == "not_attempted", f"{key} [{label}]: {feedback.status}: {feedback.message}"
        return
    assert feedback.status == "incorrect", f"{key} [{label}] passed: {feedback.message}"
    assert FALLBACK not in feedback.message, f"{key} [{label}] fell back: {feedback.message}"
    assert fragment in feedback.message, f"{key} [{label}]: {fragment!r} not in {feedback.message!r}"


def test_catalogue_size_report():
    """At least 8 wrong and 3 right answers per non-discussion question (the acceptance rule)."""
    checked = [key for key in ALL_QUESTIONS if key not in DISCUSSION and not isinstance(question(key), OpenChallenge)]
    assert checked and all(len(WRONG[key]) >= 8 and len(RIGHT[key]) >= 3 for key in checked)
