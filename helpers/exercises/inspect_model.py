"""Reusable checks on learners' answers, each raising ``Incorrect`` with a specific message.

Only public Keras 3 APIs are used (``model.layers``, ``layer.units``, ``layer.activation``,
``model.input_shape``, ``model.compiled``, ``model.loss``, ``model.optimizer``, callback
attributes), so the checks keep working across Keras releases.

Typical use inside a question's ``_check``::

    im.require_model(model)
    im.require_input_shape(model, (8,), data_description="the concrete data has 8 features")
    im.require_dense_stack(model, units=[512, 512, 512, 1],
                           activations=["relu", "relu", "relu", "linear"])
    im.require_compiled(model, loss="mae", optimizer="adam")
"""

from __future__ import annotations

import math
import numbers
import re

from .core import Incorrect

__all__ = [
    "training_record",
    "require_trained",
    "require_model",
    "model_input_shape",
    "require_input_shape",
    "as_shape",
    "require_shape",
    "dense_layers",
    "activation_name",
    "layer_summary",
    "require_dense_stack",
    "loss_name",
    "optimizer_name",
    "require_compiled",
    "require_early_stopping",
    "is_close",
    "require_number",
    "require_array_shape",
    "ordinal",
]


def _keras():
    import keras

    return keras


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th'."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _show_value(value, limit: int = 40) -> str:
    """A short, safe rendering of a learner's value for a message: ``11.5``, ``'abc'`` or ``a `Variable```."""
    if value is None or isinstance(value, (bool, numbers.Number, str)):
        text = repr(value)
        return text if len(text) <= limit else text[: limit - 2] + "…" + text[-1]
    return f"a `{type(value).__name__}`"


def _shape_text(shape) -> str:
    """(None, 11) and [11] print as tuples the way a learner types them."""
    shape = tuple(shape)
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


# --------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------


def require_model(answer, what: str = "your model") -> None:
    """The answer must be a Keras model; otherwise say what it is and how to make a model."""
    keras = _keras()
    if isinstance(answer, keras.Model):
        return
    if answer is None:
        raise Incorrect(
            f"{what.capitalize()} is `None`. Make sure the cell assigns the model, "
            "for example `model = keras.Sequential([...])`; a function that only prints returns `None`."
        )
    if isinstance(answer, type) and issubclass(answer, keras.Model):
        raise Incorrect(
            f"{what.capitalize()} is the class `{answer.__name__}` itself, not a model. "
            f"Call it with a list of layers: `keras.{answer.__name__}([...])`."
        )
    if isinstance(answer, keras.layers.Layer):
        raise Incorrect(
            f"{what.capitalize()} is a single `{type(answer).__name__}` layer, not a model. "
            "Wrap the layers in a model: `keras.Sequential([keras.Input(shape=...), ...])`."
        )
    if isinstance(answer, keras.callbacks.History):
        raise Incorrect(
            f"{what.capitalize()} is the `History` that `fit()` returns, not the model. "
            "Pass the model itself (the object you called `.fit` on)."
        )
    if isinstance(answer, (list, tuple)):
        if answer and all(isinstance(item, keras.layers.Layer) or _is_keras_tensor(item) for item in answer):
            raise Incorrect(
                f"{what.capitalize()} is a plain list of layers. Pass the list to "
                "`keras.Sequential(...)` to turn it into a model."
            )
        raise Incorrect(f"{what.capitalize()} is a {type(answer).__name__}, not a Keras model.")
    module = type(answer).__module__.split(".")[0]
    if module == "torch":
        raise Incorrect(f"{what.capitalize()} is a PyTorch object; this course builds models with Keras.")
    if module == "sklearn":
        raise Incorrect(
            f"{what.capitalize()} is a scikit-learn `{type(answer).__name__}`; this exercise needs a Keras model."
        )
    if isinstance(answer, str):
        raise Incorrect(
            f"{what.capitalize()} is the text {_show_value(answer)}, not a Keras model. Remove the quotes and build "
            "the model with `keras.Sequential([...])`."
        )
    raise Incorrect(f"{what.capitalize()} is a `{type(answer).__name__}`, not a Keras model.")


def _is_keras_tensor(value) -> bool:
    keras = _keras()
    return isinstance(value, keras.KerasTensor)


def model_input_shape(model):
    """The model's input shape including the batch dimension, e.g. ``(None, 11)``, or None if unknown."""
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        return None
    if isinstance(shape, list):
        if len(shape) != 1:
            raise Incorrect(f"Your model has {len(shape)} inputs; this exercise needs exactly one.")
        shape = shape[0]
    return tuple(shape) if shape is not None else None


def require_input_shape(model, expected, data_description: str | None = None) -> None:
    """The model must take inputs of ``expected`` shape (without the batch dimension)."""
    expected = tuple(expected)
    fix = f"keras.Input(shape={_shape_text(expected)})"
    actual = model_input_shape(model)
    if actual is None:
        raise Incorrect(
            "Your model does not know its input shape yet. Start the list of layers with "
            f"`{fix}`."
        )
    per_example = tuple(actual[1:])
    if per_example == expected:
        return
    if len(per_example) == 1:
        first = f"Your model expects inputs of shape {_shape_text(actual)}: {per_example[0]} numbers per example."
    else:
        first = (
            f"Your model expects inputs of shape {_shape_text(actual)}: "
            f"each example of shape {_shape_text(per_example)}."
        )
    if data_description:
        description = data_description.strip().rstrip(".")
        advice = f"{description[0].upper()}{description[1:]}, so use `{fix}`."
    else:
        advice = f"Use `{fix}`."
    raise Incorrect(f"{first} {advice}")


def as_shape(value, what: str = "the input shape") -> tuple:
    """Turn a learner's shape answer into a tuple of ints.

    Accepts a tuple or list of whole numbers (``(11,)``, ``[11]``) and the tensor that
    ``keras.Input(shape=...)`` returns. A bare number gets a message about the trailing comma.
    """
    if _is_keras_tensor(value):
        return tuple(value.shape[1:])
    if isinstance(value, bool):
        raise Incorrect(f"{what.capitalize()} is `{value}`; a shape is a tuple of whole numbers such as `(5,)`.")
    if isinstance(value, numbers.Integral):
        raise Incorrect(
            f"`{value}` is a plain number, but {what} is a *tuple*: write `({value},)`. "
            "The trailing comma is what makes a one-element tuple in Python; `(11)` is just the number 11."
        )
    if isinstance(value, str):
        raise Incorrect(
            f"{what.capitalize()} is the text {_show_value(value)}; remove the quotes and use a tuple such as `(5,)`."
        )
    if isinstance(value, (tuple, list)):
        dims = []
        for dim in value:
            if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
                if isinstance(dim, numbers.Real) and float(dim).is_integer():
                    dims.append(int(dim))
                    continue
                raise Incorrect(
                    f"{what.capitalize()} contains {_show_value(dim)}; every entry of a shape must be a whole number."
                )
            dims.append(int(dim))
        return tuple(dims)
    if hasattr(value, "shape") and not isinstance(value, type):
        raise Incorrect(
            f"You passed an array or table of shape {_shape_text(value.shape)}, not {what}. "
            "A shape is a tuple such as `(5,)`; `X.shape[1:]` gives it from your data."
        )
    raise Incorrect(f"{what.capitalize()} should be a tuple such as `(5,)`; you passed a `{type(value).__name__}`.")


def require_shape(value, expected, what: str = "the input shape") -> tuple:
    """``value`` (a shape answer) must equal ``expected``; returns the shape as a tuple."""
    shape = as_shape(value, what)
    expected = tuple(expected)
    if shape != expected:
        raise Incorrect(f"{what.capitalize()} you gave is {_shape_text(shape)}; it should be {_shape_text(expected)}.")
    return shape


# --------------------------------------------------------------------------------------
# Layers
# --------------------------------------------------------------------------------------

_ACTIVATION_ALIASES = {None: "linear", "": "linear", "None": "linear"}


def activation_name(activation) -> str:
    """A readable name for an activation: 'relu', 'linear', 'sigmoid', or a function's name."""
    keras = _keras()
    if activation is None or isinstance(activation, str):
        return _ACTIVATION_ALIASES.get(activation, activation.lower() if activation else "linear")
    try:
        name = keras.activations.serialize(activation)
    except Exception:
        name = getattr(activation, "__name__", type(activation).__name__)
    if isinstance(name, dict):
        name = name.get("config", {}).get("name") or name.get("class_name") or "custom"
    return str(name)


def dense_layers(model) -> list:
    """The model's Dense layers, in order."""
    keras = _keras()
    return [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]


def layer_summary(model) -> list[tuple[int, str]]:
    """(units, activation) per Dense layer, with a following ``Activation`` layer folded in.

    ``Dense(512)`` followed by ``Activation('relu')`` counts as a 512-unit ReLU layer, so a
    check does not mind which of the two equivalent styles the learner used.
    """
    keras = _keras()
    summary = []
    for layer in model.layers:
        if isinstance(layer, keras.layers.Dense):
            summary.append([layer.units, activation_name(layer.activation)])
        elif isinstance(layer, keras.layers.Activation):
            if not summary:
                raise Incorrect("Your model starts with an `Activation` layer; put it *after* a `Dense` layer.")
            if summary[-1][1] != "linear":
                raise Incorrect(
                    f"The {ordinal(len(summary))} Dense layer already has activation '{summary[-1][1]}' and is "
                    "followed by an `Activation` layer too; give each layer one activation."
                )
            summary[-1][1] = activation_name(layer.activation)
    return [tuple(item) for item in summary]


def _describe_layers(units, activations) -> str:
    parts = []
    for unit_count, activation in zip(units, activations):
        act = "no activation" if activation == "linear" else f"'{activation}'"
        parts.append(f"{unit_count} units with {act}")
    return "; ".join(parts)


def require_dense_stack(
    model,
    units,
    activations,
    separate_activations: bool | None = None,
    allowed_other_layers: tuple = (),
) -> None:
    """The model's Dense layers must have exactly these units and activations.

    ``activations`` uses 'linear' for "no activation". ``separate_activations=True`` demands
    ``Activation`` layers (Dense layers themselves linear); ``False`` demands activations
    inside ``Dense``; ``None`` accepts either. Layers of other kinds are refused unless their
    class is listed in ``allowed_other_layers``.
    """
    keras = _keras()
    units, activations = list(units), list(activations)
    for layer in model.layers:
        if isinstance(layer, (keras.layers.Dense, keras.layers.Activation, keras.layers.InputLayer)):
            continue
        if allowed_other_layers and isinstance(layer, tuple(allowed_other_layers)):
            continue
        raise Incorrect(
            f"Your model has a `{type(layer).__name__}` layer; this exercise uses only `Dense`"
            + (" and `Activation`" if separate_activations else "")
            + " layers."
        )
    summary = layer_summary(model)
    expected_text = _describe_layers(units, activations)
    if len(summary) != len(units):
        hidden = len(units) - 1
        shape = (
            f"{hidden} hidden layer{'s' if hidden != 1 else ''} and an output layer"
            if hidden
            else "a single layer"
        )
        raise Incorrect(
            f"Your model has {len(summary)} Dense layer{'s' if len(summary) != 1 else ''}; "
            f"this one needs {len(units)} ({shape}): {expected_text}."
        )
    last = len(units)
    for index, ((got_units, got_act), want_units, want_act) in enumerate(zip(summary, units, activations), start=1):
        if last == 1:
            which = "Dense layer"
        elif index == last:
            which = "output layer"
        else:
            which = f"{ordinal(index)} Dense layer"
        if got_units != want_units:
            raise Incorrect(f"The {which} has {got_units} unit{'s' if got_units != 1 else ''}; it should have {want_units}.")
        if got_act != want_act:
            if want_act == "linear":
                raise Incorrect(
                    f"The {which} has activation '{got_act}'. It should have none (linear)"
                    + (", so that it can output any number, as a regression model must." if index == last else ".")
                )
            if got_act == "linear":
                raise Incorrect(
                    f"The {which} has no activation, so it is linear. Give it `activation='{want_act}'`"
                    + (" (or follow it with `keras.layers.Activation(...)`)." if separate_activations is not False else ".")
                )
            raise Incorrect(f"The {which} uses activation '{got_act}'; this exercise asks for '{want_act}'.")
    if separate_activations is not None:
        dense = dense_layers(model)
        inline = [i for i, layer in enumerate(dense, start=1) if activation_name(layer.activation) != "linear"]
        if separate_activations and inline:
            raise Incorrect(
                f"The {ordinal(inline[0])} Dense layer has its activation built in. In this version, leave "
                "the activation out of `Dense(...)` and add a separate `keras.layers.Activation('relu')` after it."
            )
        if separate_activations is False and any(isinstance(l, keras.layers.Activation) for l in model.layers):
            raise Incorrect(
                "This version should put each activation inside its `Dense` layer "
                "(`Dense(512, activation='relu')`) rather than in separate `Activation` layers."
            )


# --------------------------------------------------------------------------------------
# Compilation
# --------------------------------------------------------------------------------------

_LOSS_SHORT = {
    "mean_absolute_error": "mae",
    "mean_squared_error": "mse",
    "mean_absolute_percentage_error": "mape",
    "mean_squared_logarithmic_error": "msle",
    "binary_crossentropy": "binary_crossentropy",
    "categorical_crossentropy": "categorical_crossentropy",
    "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
    "huber": "huber",
}

_LOSS_WORDS = {
    "mae": "the mean absolute error",
    "mse": "the mean squared error",
    "mape": "the mean absolute percentage error",
    "msle": "the mean squared logarithmic error",
    "binary_crossentropy": "binary cross-entropy",
    "categorical_crossentropy": "categorical cross-entropy",
    "sparse_categorical_crossentropy": "sparse categorical cross-entropy",
    "huber": "the Huber loss",
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def loss_name(loss) -> str | None:
    """A short canonical name for a loss given as a string, function or Loss object ('mae', 'mse', ...)."""
    keras = _keras()
    if loss is None:
        return None
    obj = loss
    if isinstance(loss, str):
        try:
            obj = keras.losses.get(loss)
        except Exception:
            return loss.lower()
    fn = getattr(obj, "fn", None)  # LossFunctionWrapper and its subclasses (MeanAbsoluteError, ...)
    if fn is not None and hasattr(fn, "__name__"):
        name = fn.__name__
    elif hasattr(obj, "__name__"):
        name = obj.__name__
    else:
        name = _snake(type(obj).__name__)
    return _LOSS_SHORT.get(name, name)


def optimizer_name(optimizer) -> str | None:
    """'adam', 'sgd', 'rmsprop', ... for a string or an optimizer object."""
    keras = _keras()
    if optimizer is None:
        return None
    if isinstance(optimizer, str):
        try:
            optimizer = keras.optimizers.get(optimizer)
        except Exception:
            return optimizer.lower()
    return type(optimizer).__name__.lower()


def require_compiled(model, loss=None, optimizer=None, metrics=None) -> None:
    """The model must be compiled, with this loss and optimizer (strings or objects) if given."""
    wanted_call = ", ".join(
        part
        for part in (
            f"optimizer='{optimizer_name(optimizer)}'" if optimizer is not None else "",
            f"loss='{loss_name(loss)}'" if loss is not None else "",
        )
        if part
    )
    if not getattr(model, "compiled", False) or getattr(model, "optimizer", None) is None:
        raise Incorrect(
            f"Your model is not compiled yet: call `model.compile({wanted_call or '...'})` before checking."
        )
    if loss is not None:
        want, got = loss_name(loss), loss_name(getattr(model, "loss", None))
        if got is None:
            raise Incorrect(f"Your model was compiled without a loss; use `loss='{want}'`.")
        if got != want:
            got_words = _LOSS_WORDS.get(got, f"'{got}'")
            raise Incorrect(
                f"Your model is compiled with loss '{got}' ({got_words}); this task asks for "
                f"{_LOSS_WORDS.get(want, want)}: `loss='{want}'`."
            )
    if optimizer is not None:
        want, got = optimizer_name(optimizer), optimizer_name(model.optimizer)
        if got != want:
            raise Incorrect(
                f"Your model is compiled with the '{got}' optimizer; this task asks for `optimizer='{want}'`."
            )
    if metrics:
        config = model.get_compile_config() if hasattr(model, "get_compile_config") else {}
        given = config.get("metrics") or []
        given = given if isinstance(given, (list, tuple)) else [given]
        given_names = {str(m if isinstance(m, str) else getattr(m, "name", m)).lower() for m in given}
        for metric in metrics:
            if str(metric).lower() not in given_names:
                raise Incorrect(f"Add `metrics=['{metric}']` to `model.compile(...)` so that fit reports it.")


# --------------------------------------------------------------------------------------
# Callbacks
# --------------------------------------------------------------------------------------


def require_early_stopping(
    callback,
    min_delta=None,
    patience=None,
    restore_best_weights=None,
    monitor=None,
) -> None:
    """The callback must be a Keras ``EarlyStopping`` with these settings (those given)."""
    keras = _keras()
    if isinstance(callback, (list, tuple)) and len(callback) == 1:
        callback = callback[0]
    if isinstance(callback, type) and issubclass(callback, keras.callbacks.EarlyStopping):
        raise Incorrect("You passed the `EarlyStopping` class itself; create one: `keras.callbacks.EarlyStopping(...)`.")
    if not isinstance(callback, keras.callbacks.EarlyStopping):
        raise Incorrect(
            f"Expected a `keras.callbacks.EarlyStopping(...)` callback; this is a `{type(callback).__name__}`."
        )
    got_delta, got_patience = abs(callback.min_delta), callback.patience
    if min_delta is not None and patience is not None:
        if is_close(got_delta, patience) and got_patience == _maybe_int(min_delta) and not is_close(min_delta, patience):
            raise Incorrect(
                f"`min_delta` and `patience` look swapped: you have min_delta={callback.min_delta}, "
                f"patience={got_patience}. `min_delta` is the smallest improvement that counts "
                f"(here {min_delta}); `patience` is how many epochs to wait (here {patience})."
            )
    if min_delta is not None and not is_close(got_delta, min_delta, rel_tol=1e-6, abs_tol=1e-12):
        raise Incorrect(f"`min_delta` is {callback.min_delta}; it should be {min_delta}.")
    if patience is not None and got_patience != patience:
        raise Incorrect(f"`patience` is {got_patience}; it should be {patience} epochs.")
    if restore_best_weights is not None and bool(callback.restore_best_weights) != bool(restore_best_weights):
        raise Incorrect(
            f"`restore_best_weights` is {callback.restore_best_weights}; set it to {restore_best_weights} "
            + ("so the model keeps the weights from its best epoch." if restore_best_weights else ".")
        )
    if monitor is not None and callback.monitor != monitor:
        raise Incorrect(f"The callback watches '{callback.monitor}'; it should watch `monitor='{monitor}'`.")


def _maybe_int(value):
    try:
        return int(value) if float(value).is_integer() else value
    except (TypeError, ValueError):
        return value


# --------------------------------------------------------------------------------------
# Numbers and arrays
# --------------------------------------------------------------------------------------


def is_close(a, b, rel_tol: float = 1e-6, abs_tol: float = 1e-9) -> bool:
    """Float comparison with tolerances (False for anything that is not a finite number pair)."""
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if math.isnan(a) or math.isnan(b):
        return False
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)


def _as_float(value, what: str) -> float:
    if isinstance(value, bool):
        raise Incorrect(f"{what.capitalize()} is `{value}`; I expected a number.")
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            raise Incorrect(f"{what.capitalize()} is the text {_show_value(value)}; I expected a number.") from None
        raise Incorrect(f"{what.capitalize()} is the text {_show_value(value)}; remove the quotes so it is a number.")
    if isinstance(value, numbers.Real):
        return float(value)
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, type):
        size = 1
        for dim in tuple(shape):
            size *= int(dim) if dim is not None else 2
        if size != 1:
            raise Incorrect(
                f"{what.capitalize()} is an array of shape {_shape_text(tuple(shape))}; I expected a single number."
            )
        import numpy as np

        return float(np.asarray(value).reshape(-1)[0])
    raise Incorrect(f"{what.capitalize()} is a `{type(value).__name__}`; I expected a number.")


def require_number(value, expected=None, rel_tol: float = 1e-3, abs_tol: float = 1e-9, what: str = "your answer",
                   minimum=None, maximum=None) -> float:
    """``value`` must be a single number (Python, NumPy or a one-element array), optionally close to
    ``expected`` or within ``[minimum, maximum]``. Returns it as a float."""
    number = _as_float(value, what)
    if math.isnan(number):
        raise Incorrect(f"{what.capitalize()} is NaN (not a number); something upstream went wrong.")
    if expected is not None and not is_close(number, expected, rel_tol=rel_tol, abs_tol=abs_tol):
        raise Incorrect(f"{what.capitalize()} is {number:.4g}; I expected about {float(expected):.4g}.")
    if minimum is not None and number < minimum:
        raise Incorrect(f"{what.capitalize()} is {number:.4g}; it should be at least {minimum:.4g}.")
    if maximum is not None and number > maximum:
        raise Incorrect(f"{what.capitalize()} is {number:.4g}; it should be at most {maximum:.4g}.")
    return number


def require_array_shape(value, expected_shape, what: str = "your array") -> tuple:
    """``value`` must have a ``.shape`` equal to ``expected_shape`` (None in expected = any size)."""
    if isinstance(value, (list, tuple)):
        raise Incorrect(
            f"{what.capitalize()} is a Python {type(value).__name__}; I expected an array with a `.shape` "
            f"of {_shape_text(expected_shape)}."
        )
    shape = getattr(value, "shape", None)
    if shape is None or isinstance(value, type):
        raise Incorrect(f"{what.capitalize()} is a `{type(value).__name__}`; I expected an array.")
    shape = tuple(int(d) if d is not None else None for d in tuple(shape))
    expected_shape = tuple(expected_shape)
    if len(shape) != len(expected_shape) or any(
        want is not None and got != want for got, want in zip(shape, expected_shape)
    ):
        pretty_expected = _shape_text(["any" if d is None else d for d in expected_shape])
        raise Incorrect(f"{what.capitalize()} has shape {_shape_text(shape)}; I expected {pretty_expected}.")
    return shape


def training_record(model) -> dict | None:
    """What the model's last ``fit`` recorded (``{'loss': [...], 'val_loss': [...]}``), or None."""
    keras = _keras()
    history = getattr(model, "history", None)
    if not isinstance(history, keras.callbacks.History):
        return None
    record = getattr(history, "history", None)
    if not isinstance(record, dict) or not record.get("loss"):
        return None
    return record


def require_trained(model, what: str = "the model") -> dict:
    """The model must have been trained with validation data; returns its history dict."""
    record = training_record(model)
    if record is None:
        raise Incorrect(
            f"The layers are right, but {what} has not been trained yet. "
            "Run the whole cell: after building the model it compiles and trains it."
        )
    if "val_loss" not in record:
        raise Incorrect(
            "The model was trained without validation data, so there is no validation curve to read. "
            "Keep `validation_data=(X_valid, y_valid)` in the `fit` call."
        )
    return record
