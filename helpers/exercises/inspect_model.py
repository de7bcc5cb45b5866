"""Reusable checks on learners' answers, each raising ``Incorrect`` with a specific message.

Only public Keras 3 APIs are used (``model.layers``, ``layer.units``, ``layer.activation``,
``model.input_shape``, ``model.compiled``, ``model.loss``, ``model.optimizer``, callback
attributes), so the checks keep working across Keras releases.

What counts as the same answer (a model's computation, not its spelling) is decided once, in
the "Layers" section below (``model_steps``, ``dense_blocks``, ``activation_name``), and every
question uses it: functional models' ``InputLayer`` is not a layer, ``Dense(n, activation=f)``
equals ``Dense(n)`` then an activation layer computing ``f``, activations are compared as
functions, and the identity is no activation.

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

from .core import Incorrect, PlaceholderError, contains_placeholder, count_noun, with_article

__all__ = [
    "training_record",
    "optimizer_has_stepped",
    "require_trained",
    "require_model",
    "model_input_shape",
    "require_input_shape",
    "as_shape",
    "require_shape",
    "dense_layers",
    "activation_name",
    "model_steps",
    "dense_blocks",
    "blocks_for_advice",
    "layer_summary",
    "require_layers",
    "require_dense_stack",
    "require_compile_filled_in",
    "compiled_metrics",
    "loss_config",
    "loss_name",
    "optimizer_name",
    "require_compiled",
    "require_callback_filled_in",
    "require_early_stopping",
    "is_close",
    "require_number",
    "require_array_shape",
    "ordinal",
    "show_value",
    "shape_text",
    "is_keras_tensor",
    "probe_values",
    "import_keras",
    "batch_size_range",
    "steps_per_epoch_problem",
]


def import_keras():
    """The ``keras`` module, imported on first use so that importing the exercises stays quick."""
    import keras

    return keras


def ordinal(n: int) -> str:
    """1 -> '1st', 2 -> '2nd', 11 -> '11th'."""
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def show_value(value, limit: int = 40) -> str:
    """A short, safe rendering of a learner's value for a message: ``11.5``, ``'abc'`` or ``a `Variable```."""
    if value is None or isinstance(value, (bool, numbers.Number, str)):
        text = repr(value)
        return text if len(text) <= limit else text[: limit - 2] + "…" + text[-1]
    return with_article(f"`{type(value).__name__}`")


def shape_text(shape) -> str:
    """(None, 11) and [11] print as tuples the way a learner types them."""
    shape = tuple(shape)
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


# --------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------


def require_model(answer, what: str = "your model") -> None:
    """The answer must be a Keras model; otherwise say what it is and how to make a model."""
    keras = import_keras()
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
        if answer and all(isinstance(item, keras.layers.Layer) or is_keras_tensor(item) for item in answer):
            raise Incorrect(
                f"{what.capitalize()} is a plain list of layers. Pass the list to "
                "`keras.Sequential(...)` to turn it into a model."
            )
        raise Incorrect(
            f"{what.capitalize()} is {with_article(f'`{type(answer).__name__}`')}, not a Keras model. "
            "Build the model with `keras.Sequential([keras.Input(shape=...), ...])`."
        )
    module = type(answer).__module__.split(".")[0]
    if module == "torch":
        raise Incorrect(f"{what.capitalize()} is a PyTorch object; this course builds models with Keras.")
    if module == "sklearn":
        raise Incorrect(
            f"{what.capitalize()} is a scikit-learn `{type(answer).__name__}`; this exercise needs a Keras model."
        )
    if isinstance(answer, str):
        raise Incorrect(
            f"{what.capitalize()} is the text {show_value(answer)}, not a Keras model. Remove the quotes and build "
            "the model with `keras.Sequential([...])`."
        )
    raise Incorrect(
        f"{what.capitalize()} is {with_article(f'`{type(answer).__name__}`')}, not a Keras model. "
        "Assign the model itself: `model = keras.Sequential([keras.Input(shape=...), ...])`."
    )


def is_keras_tensor(value) -> bool:
    """True for the symbolic tensor ``keras.Input(shape=...)`` returns."""
    keras = import_keras()
    return isinstance(value, keras.KerasTensor)


def model_input_shape(model):
    """The model's input shape including the batch dimension, e.g. ``(None, 11)``, or None if unknown."""
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        return None
    if isinstance(shape, list):
        if len(shape) != 1:
            raise Incorrect(
                f"Your model has {len(shape)} inputs; this exercise needs exactly one: build it with a single "
                "`keras.Input(shape=...)`."
            )
        shape = shape[0]
    return tuple(shape) if shape is not None else None


def require_input_shape(model, expected, data_description: str | None = None) -> None:
    """The model must take inputs of ``expected`` shape (without the batch dimension)."""
    expected = tuple(expected)
    fix = f"keras.Input(shape={shape_text(expected)})"
    actual = model_input_shape(model)
    if actual is None:
        require_layers(model)
        raise Incorrect(
            "Your model does not know its input shape yet. Start the list of layers with "
            f"`{fix}`."
        )
    per_example = tuple(actual[1:])
    if per_example == expected:
        return
    if len(per_example) == 1:
        first = f"Your model expects inputs of shape {shape_text(actual)}: {count_noun(per_example[0], 'number')} per example."
    else:
        first = (
            f"Your model expects inputs of shape {shape_text(actual)}: "
            f"each example of shape {shape_text(per_example)}."
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
    if is_keras_tensor(value):
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
            f"{what.capitalize()} is the text {show_value(value)}; remove the quotes and use a tuple such as `(5,)`."
        )
    if isinstance(value, (tuple, list)):
        dims = []
        for dim in value:
            if isinstance(dim, bool) or not isinstance(dim, numbers.Integral):
                if isinstance(dim, numbers.Real) and float(dim).is_integer():
                    dims.append(int(dim))
                    continue
                raise Incorrect(
                    f"{what.capitalize()} contains {show_value(dim)}; every entry of a shape must be a whole number."
                )
            dims.append(int(dim))
        return tuple(dims)
    if hasattr(value, "shape") and not isinstance(value, type):
        raise Incorrect(
            f"You passed an array or table of shape {shape_text(value.shape)}, not {what}. "
            "A shape is a tuple such as `(5,)`; `X.shape[1:]` gives it from your data."
        )
    raise Incorrect(
        f"{what.capitalize()} should be a tuple such as `(5,)`; you passed {with_article(f'`{type(value).__name__}`')}."
    )


def require_shape(value, expected, what: str = "the input shape") -> tuple:
    """``value`` (a shape answer) must equal ``expected``; returns the shape as a tuple."""
    shape = as_shape(value, what)
    expected = tuple(expected)
    if shape != expected:
        raise Incorrect(f"{what.capitalize()} you gave is {shape_text(shape)}; it should be {shape_text(expected)}.")
    return shape


# --------------------------------------------------------------------------------------
# Layers: what a model computes, whatever the spelling
# --------------------------------------------------------------------------------------
#
# Equivalence, once for the whole course. Two models count as the same answer when they
# compute the same function of the same kind of layers:
#
# * the ``InputLayer`` that functional models (``keras.Input`` + ``keras.Model(inputs,
#   outputs)``) list among their layers is not a layer of the network; a Sequential nested
#   inside a model counts as its layers;
# * an activation is a *function*, compared by what it computes on a fixed set of inputs:
#   ``'relu'``, ``keras.activations.relu``, ``keras.ops.relu``, ``tf.nn.relu``,
#   ``keras.layers.ReLU()`` and ``lambda x: keras.ops.maximum(x, 0)`` are all ReLU, and the
#   identity (``'linear'``, ``None``, ``Activation('linear')``, ``lambda x: x``) is no
#   activation at all;
# * ``Dense(n, activation=f)`` equals ``Dense(n)`` followed by an activation layer computing
#   ``f`` (``Activation(f)``, ``ReLU()``, ``LeakyReLU()``...), and a ``BatchNormalization`` or
#   ``Dropout`` between a ``Dense`` and its activation (Dense -> BatchNormalization ->
#   Activation, the order the course recommends) still belongs to that Dense layer's block;
# * a Dense layer without a bias (``use_bias=False``) is a different computation, accepted
#   only right before a ``BatchNormalization`` (whose shift replaces the bias).

_ACTIVATION_ALIASES = {None: "linear", "": "linear", "None": "linear", "none": "linear"}

# The points where activations are compared (wide enough to tell relu from relu6 or elu).
_PROBE = [-50.0, -10.0, -3.0, -2.0, -1.0, -0.5, -0.1, 0.0, 0.1, 0.5, 1.0, 2.0, 3.0, 10.0, 50.0]
_REFERENCE_ORDER = (
    "relu", "sigmoid", "tanh", "elu", "selu", "gelu", "swish", "softplus", "softsign", "leaky_relu",
    "relu6", "hard_sigmoid", "hard_swish", "mish", "log_sigmoid", "exponential", "softmax", "log_softmax",
    "celu", "hard_tanh", "squareplus", "sparse_plus", "tanh_shrink",
)
_reference_cache: dict = {}
_activation_cache: dict = {}


def probe_values(fn):
    """``fn`` applied to the probe points as a float64 vector, or None if it does not act on tensors."""
    import numpy as np

    keras = import_keras()
    try:
        x = keras.ops.convert_to_tensor(np.array([_PROBE], dtype="float32"))
        y = np.asarray(keras.ops.convert_to_numpy(fn(x)), dtype="float64")
    except (Exception, SystemExit):
        return None
    if y.size != len(_PROBE):
        return None
    return y.reshape(-1)


_ARRAY_MODULES = {"keras", "tensorflow", "tf_keras", "torch", "jax", "jaxlib", "numpy", "functools"}


def _may_probe(fn) -> bool:
    """Only call what could be an activation: never a class or a Python built-in such as
    ``print`` or ``input`` (calling those would print, or wait for typing)."""
    import types

    if not callable(fn) or isinstance(fn, type):
        return False
    if isinstance(fn, (types.FunctionType, types.MethodType)):
        return getattr(fn, "__module__", "") not in {"builtins", "_sitebuiltins", "os", "sys", "subprocess"}
    if isinstance(fn, (types.BuiltinFunctionType, types.BuiltinMethodType)):
        return (getattr(fn, "__module__", None) or "").split(".")[0] in _ARRAY_MODULES
    return type(fn).__module__.split(".")[0] in _ARRAY_MODULES


def _references() -> dict:
    if not _reference_cache:
        keras = import_keras()
        for name in _REFERENCE_ORDER:
            fn = getattr(keras.activations, name, None)
            values = probe_values(fn) if fn is not None else None
            if values is not None:
                _reference_cache[name] = values
    return _reference_cache


def _match_behaviour(values) -> str | None:
    """'linear' for the identity, 'affine' for another straight line, a reference name, or None."""
    import numpy as np

    if values is None:
        return None
    x = np.array(_PROBE)
    finite = np.isfinite(values)
    if finite.all():
        if np.allclose(values, x, rtol=1e-5, atol=1e-5):
            return "linear"
        slope, intercept = np.polyfit(x, values, 1)
        if np.allclose(values, slope * x + intercept, rtol=1e-4, atol=1e-4):
            return "affine"
    for name, reference in _references().items():
        if np.allclose(values, reference, rtol=1e-4, atol=1e-5, equal_nan=True):
            return name
    return None


def _require_filled_in(value, what: str) -> None:
    from .core import PlaceholderError, contains_placeholder

    if contains_placeholder(value):
        raise PlaceholderError(what)


def activation_name(activation) -> str:
    """The canonical name of what an activation *computes*: 'relu', 'linear' (the identity),
    'sigmoid', ..., 'affine' for another straight line, else the function's own name.

    Strings, Keras functions, ``keras.ops``/TensorFlow functions, lambdas and activation
    layers (``Activation(...)``, ``ReLU()``...) are compared by their outputs on fixed inputs.
    An activation left as the ``____`` blank raises ``PlaceholderError`` ("not attempted").
    """
    keras = import_keras()
    _require_filled_in(activation, "an activation")
    if activation is None or isinstance(activation, str) and activation.strip() in _ACTIVATION_ALIASES:
        return "linear"
    if isinstance(activation, keras.layers.Activation):
        return activation_name(activation.activation)
    key = activation.strip().lower() if isinstance(activation, str) else activation
    try:
        if key in _activation_cache:
            return _activation_cache[key]
    except TypeError:  # unhashable
        key = None
    if isinstance(activation, str):
        try:
            fn = keras.activations.get(activation.strip().lower())
        except Exception:
            return activation.strip().lower()
    else:
        fn = activation
    name = _match_behaviour(probe_values(fn)) if _may_probe(fn) else None
    if name is None:
        name = getattr(fn, "__name__", None) or type(fn).__name__
        if not _may_probe(fn):
            name = f"not an activation: {name}"
        name = str(name)
    if key is not None:
        try:
            _activation_cache[key] = name
        except TypeError:
            pass
    return name


def _flat_layers(model) -> list:
    """The model's layers, with nested models opened up, without ``InputLayer``s."""
    keras = import_keras()
    layers = []
    for layer in getattr(model, "layers", []):
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, keras.Model):
            layers.extend(_flat_layers(layer))
        else:
            layers.append(layer)
    return layers


def dense_layers(model) -> list:
    """The model's Dense layers, in order."""
    keras = import_keras()
    return [layer for layer in _flat_layers(model) if isinstance(layer, keras.layers.Dense)]


_ACTIVATION_LAYER_NAMES = ("Activation", "ReLU", "LeakyReLU", "ELU", "Softmax", "PReLU")


class Step:
    """One step of a model's computation: kind 'dense', 'activation', 'batchnorm', 'dropout' or 'other'."""

    __slots__ = ("kind", "layer", "units", "activation", "use_bias", "rate", "inline")

    def __init__(self, kind, layer, units=None, activation=None, use_bias=None, rate=None, inline=False):
        self.kind, self.layer, self.units, self.activation = kind, layer, units, activation
        self.use_bias, self.rate, self.inline = use_bias, rate, inline

    def __repr__(self):
        return f"Step({self.kind!r}, units={self.units}, activation={self.activation!r})"


def model_steps(model) -> list[Step]:
    """The model's computation as a list of steps, spelling removed (see the notes above):
    a Dense layer's own activation becomes an 'activation' step after it, identity
    activations and ``InputLayer``s disappear, activation layers become 'activation' steps."""
    keras = import_keras()
    steps = []
    for layer in _flat_layers(model):
        if isinstance(layer, keras.layers.Dense):
            steps.append(Step("dense", layer, units=layer.units, use_bias=bool(layer.use_bias)))
            name = activation_name(layer.activation)
            if name != "linear":
                steps.append(Step("activation", layer, activation=name, inline=True))
        elif type(layer).__name__ in _ACTIVATION_LAYER_NAMES or isinstance(layer, keras.layers.Activation):
            name = activation_name(layer)
            if name != "linear":
                steps.append(Step("activation", layer, activation=name))
        elif isinstance(layer, keras.layers.BatchNormalization):
            steps.append(Step("batchnorm", layer))
        elif isinstance(layer, keras.layers.Dropout):
            steps.append(Step("dropout", layer, rate=float(layer.rate)))
        elif type(layer).__name__ == "Identity":
            continue
        else:
            steps.append(Step("other", layer))
    return steps


class Block:
    """A Dense layer with what follows it up to the next Dense layer: its activation and the
    kinds of the other steps in between (``between``, e.g. ['batchnorm'] or ['dropout'])."""

    __slots__ = ("units", "activation", "use_bias", "layer", "between", "inline")

    def __init__(self, step):
        self.units, self.use_bias, self.layer = step.units, step.use_bias, step.layer
        self.activation, self.between, self.inline = "linear", [], None

    def __iter__(self):  # (units, activation), as layer_summary always returned
        return iter((self.units, self.activation))


def _activation_words(name: str) -> str:
    return "no activation (linear)" if name == "linear" else f"activation '{name}'"


def dense_blocks(model) -> tuple[list, list[str]]:
    """(blocks, leading): one ``Block`` per Dense layer, and the kinds of steps before the first.

    Raises ``Incorrect`` for an activation before any Dense layer and for a Dense layer with two
    activations (one inside it and one after it, or two activation layers).
    """
    blocks, leading = [], []
    for step in model_steps(model):
        if step.kind == "dense":
            blocks.append(Block(step))
        elif step.kind == "activation":
            if not blocks:
                raise Incorrect(
                    f"Your model applies {_activation_words(step.activation)} to the inputs, before any `Dense` "
                    "layer. An activation acts on a layer's outputs: put it *after* a `Dense` layer "
                    "(or inside it, `Dense(..., activation=...)`)."
                )
            block = blocks[-1]
            if block.activation != "linear":
                raise Incorrect(
                    f"The {ordinal(len(blocks))} Dense layer already has {_activation_words(block.activation)} and is "
                    f"followed by another activation ('{step.activation}'). Give each layer one activation: "
                    "either `Dense(..., activation=...)` or a separate activation layer after it, not both."
                )
            block.activation, block.inline = step.activation, step.inline
        elif blocks:
            blocks[-1].between.append(step.kind)
        else:
            leading.append(step.kind)
    return blocks, leading


def blocks_for_advice(model) -> list:
    """The model's ``dense_blocks``, or ``[]`` for a model they cannot read (then no advice is given)."""
    try:
        blocks, _ = dense_blocks(model)
    except Exception:
        return []
    return blocks


def layer_summary(model) -> list[tuple[int, str]]:
    """(units, activation) per Dense layer, whatever the spelling of the activation.

    ``Dense(512)`` followed by ``Activation('relu')`` or ``ReLU()`` (with a BatchNormalization
    or Dropout in between or not) counts as a 512-unit ReLU layer.
    """
    blocks, _ = dense_blocks(model)
    return [(block.units, block.activation) for block in blocks]


def require_layers(model, what: str = "your model") -> None:
    """The model must have at least one layer after its input; otherwise say so (and whether it has an Input)."""
    if _flat_layers(model):
        return
    try:  # a Sequential lists its InputLayer in its (public) config, not in `model.layers`
        configured = model.get_config().get("layers", [])
    except Exception:
        configured = []
    has_input = any(isinstance(item, dict) and item.get("class_name") == "InputLayer" for item in configured)
    if has_input:
        raise Incorrect(
            f"{what.capitalize()} has its `keras.Input(...)` but no layers after it yet. Add the `Dense` "
            "layers to the list, after the `keras.Input`."
        )
    raise Incorrect(
        f"{what.capitalize()} is empty: `keras.Sequential` got no layers. Put `keras.Input(shape=...)` and then "
        "the `Dense` layers in the list."
    )


def _describe_layers(units, activations) -> str:
    parts = []
    for unit_count, activation in zip(units, activations):
        act = "no activation" if activation == "linear" else f"'{activation}'"
        parts.append(f"{count_noun(unit_count, 'unit')} with {act}")
    return "; ".join(parts)


_KIND_NAMES = {"dropout": "`Dropout`", "batchnorm": "`BatchNormalization`"}


def _kind_of_class(cls) -> str:
    keras = import_keras()
    if issubclass(cls, keras.layers.Dropout):
        return "dropout"
    if issubclass(cls, keras.layers.BatchNormalization):
        return "batchnorm"
    return cls.__name__


def require_dense_stack(
    model,
    units,
    activations,
    separate_activations: bool | None = None,
    allowed_other_layers: tuple = (),
    require_bias: bool = True,
) -> None:
    """The model must compute this stack of Dense layers (units and activations, in order).

    ``activations`` uses 'linear' for "no activation". Activations are compared as functions,
    inside ``Dense`` or as separate activation layers (see the notes above).
    ``separate_activations=True`` demands activation layers (the hidden Dense layers
    themselves linear); ``False`` demands activations inside ``Dense``; ``None`` accepts either.
    Layers of other kinds are refused unless their class is listed in ``allowed_other_layers``
    (``BatchNormalization``, ``Dropout``). With ``require_bias`` every Dense layer needs its
    bias, except one directly followed by ``BatchNormalization``.
    """
    units, activations = list(units), list(activations)
    allowed = {_kind_of_class(cls) for cls in allowed_other_layers}
    require_layers(model)
    steps = model_steps(model)
    for step in steps:
        if step.kind in ("dense", "activation") or step.kind in allowed:
            continue
        name = _KIND_NAMES.get(step.kind, f"`{type(step.layer).__name__}`")
        wanted = " and ".join(["`Dense`"] + sorted(_KIND_NAMES[k] for k in allowed if k in _KIND_NAMES))
        raise Incorrect(
            f"Your model has {with_article(name)} layer; this exercise uses only {wanted} layers "
            "(and activations). Remove that layer."
        )
    blocks, _ = dense_blocks(model)
    summary = [(block.units, block.activation) for block in blocks]
    expected_text = _describe_layers(units, activations)
    if len(summary) != len(units):
        hidden = len(units) - 1
        shape = f"{count_noun(hidden, 'hidden layer')} and an output layer" if hidden else "a single layer"
        if not summary:
            found = "Your model has no `Dense` layer"
        else:
            found = f"Your model has {count_noun(len(summary), 'Dense layer')} ({_describe_layers(*zip(*summary))})"
        raise Incorrect(f"{found}; this one needs {len(units)} ({shape}): {expected_text}.")
    last = len(units)
    for index, ((got_units, got_act), want_units, want_act) in enumerate(zip(summary, units, activations), start=1):
        if last == 1:
            which = "Dense layer"
        elif index == last:
            which = "output layer"
        else:
            which = f"{ordinal(index)} Dense layer"
        if got_units != want_units:
            raise Incorrect(
                f"The {which} has {count_noun(got_units, 'unit')}; it should have {want_units}: "
                f"`Dense({want_units}{'' if want_act == 'linear' else f', activation={want_act!r}'})`."
            )
        if got_act != want_act:
            if want_act == "linear":
                raise Incorrect(
                    f"The {which} has activation '{got_act}'. It should have none (linear)"
                    + (", so that it can output any number, as a regression model must. Remove the activation."
                       if index == last else ". Remove its activation.")
                )
            if got_act == "linear":
                raise Incorrect(
                    f"The {which} has no activation, so it is linear. Give it `activation='{want_act}'`"
                    + (" (or follow it with `keras.layers.Activation(...)`)." if separate_activations is not False else ".")
                )
            raise Incorrect(f"The {which} uses activation '{got_act}'; this exercise asks for '{want_act}'.")
    if require_bias:
        for index, block in enumerate(blocks, start=1):
            if block.use_bias or (block.between[:1] == ["batchnorm"]):
                continue
            which = "output layer" if index == last and last > 1 else f"{ordinal(index)} Dense layer"
            raise Incorrect(
                f"The {which} was built with `use_bias=False`, so it has no bias: it can only draw lines through "
                "the origin. This exercise needs the bias; remove `use_bias=False`."
            )
    if separate_activations is not None:
        inline = [i for i, block in enumerate(blocks, start=1) if block.activation != "linear" and block.inline]
        if separate_activations and inline:
            raise Incorrect(
                f"The {ordinal(inline[0])} Dense layer has its activation built in. In this version, leave "
                "the activation out of `Dense(...)` and add a separate `keras.layers.Activation('relu')` after it."
            )
        separate = [block for block in blocks if block.activation != "linear" and block.inline is False]
        if separate_activations is False and separate:
            raise Incorrect(
                "This version should put each activation inside its `Dense` layer "
                "(`Dense(512, activation='relu')`) rather than in separate activation layers."
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
    keras = import_keras()
    _require_filled_in(loss, "a loss")
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
    keras = import_keras()
    if optimizer is None:
        return None
    if isinstance(optimizer, str):
        try:
            optimizer = keras.optimizers.get(optimizer)
        except Exception:
            return optimizer.lower()
    return type(optimizer).__name__.lower()


def require_compile_filled_in(model) -> None:
    """``model.compile(loss=____)`` (or a blank among the metrics) is accepted by Keras; it means
    "not attempted", so raise ``PlaceholderError`` rather than judge a loss called ``____``."""
    from .core import PlaceholderError, contains_placeholder

    if contains_placeholder(getattr(model, "loss", None)):
        raise PlaceholderError("an argument of `compile`")
    try:
        config = model.get_compile_config() if hasattr(model, "get_compile_config") else None
    except Exception as error:  # Keras cannot serialise a blank among the compile arguments
        if "____" in str(error):
            raise PlaceholderError("an argument of `compile`") from None
        return
    if contains_placeholder(list((config or {}).values())):
        raise PlaceholderError("an argument of `compile`")


def compiled_metrics(model) -> list[dict]:
    """The metrics given to ``compile``, each as ``{'name', 'class_name', 'config'}`` (lower-case names).

    A string stays a string (``class_name`` is the string itself); a function has its name;
    a metric object has its class name and configuration (``threshold``, ``from_logits``...).
    """
    try:
        config = model.get_compile_config() if hasattr(model, "get_compile_config") else None
    except Exception:
        config = None
    metrics = (config or {}).get("metrics") or []
    if isinstance(metrics, dict) and "class_name" not in metrics:  # metrics per output
        metrics = [m for value in metrics.values() for m in (value if isinstance(value, (list, tuple)) else [value])]
    if not isinstance(metrics, (list, tuple)):
        metrics = [metrics]
    found = []
    for metric in metrics:
        if isinstance(metric, str):
            found.append({"name": metric.lower(), "class_name": metric.lower(), "config": {}})
        elif isinstance(metric, dict):
            inner = metric.get("config")
            if isinstance(inner, str):  # a plain function such as keras.metrics.binary_accuracy
                found.append({"name": inner.lower(), "class_name": inner.lower(), "config": {}})
            else:
                inner = inner or {}
                found.append({
                    "name": str(inner.get("name") or metric.get("class_name") or "").lower(),
                    "class_name": str(metric.get("class_name") or ""),
                    "config": inner,
                })
        elif hasattr(metric, "name"):
            found.append({"name": str(metric.name).lower(), "class_name": type(metric).__name__, "config": {}})
        elif hasattr(metric, "__name__"):
            found.append({"name": metric.__name__.lower(), "class_name": metric.__name__.lower(), "config": {}})
    return found


def loss_config(model) -> dict:
    """The settings of the compiled loss object (``from_logits``, ``label_smoothing``...), or ``{}``."""
    loss = getattr(model, "loss", None)
    try:
        config = loss.get_config() if hasattr(loss, "get_config") else {}
    except Exception:
        config = {}
    return config if isinstance(config, dict) else {}


def require_compiled(model, loss=None, optimizer=None, metrics=None) -> None:
    """The model must be compiled, with this loss and optimizer (strings or objects) if given.

    A loss is compared by what it computes (``'mae'``, ``'mean_absolute_error'``,
    ``keras.losses.MeanAbsoluteError()`` and ``keras.losses.mae`` are the same), an optimizer
    by its kind (``'adam'`` or ``keras.optimizers.Adam(...)``). A ``____`` left inside
    ``compile(...)`` means "not attempted".
    """
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
    require_compile_filled_in(model)
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


def require_callback_filled_in(callback) -> None:
    """A callback built with a ``____`` argument counts as "not attempted" (PlaceholderError)."""
    if isinstance(callback, (list, tuple)) and len(callback) == 1:
        callback = callback[0]
    settings = [getattr(callback, name, None) for name in ("min_delta", "patience", "restore_best_weights", "monitor")]
    if contains_placeholder(settings):
        raise PlaceholderError("a setting of the callback")


def require_early_stopping(
    callback,
    min_delta=None,
    patience=None,
    restore_best_weights=None,
    monitor=None,
) -> None:
    """The callback must be a Keras ``EarlyStopping`` with these settings (those given)."""
    keras = import_keras()
    if isinstance(callback, (list, tuple)) and len(callback) == 1:
        callback = callback[0]
    if isinstance(callback, type) and issubclass(callback, keras.callbacks.EarlyStopping):
        raise Incorrect("You passed the `EarlyStopping` class itself; create one: `keras.callbacks.EarlyStopping(...)`.")
    if not isinstance(callback, keras.callbacks.EarlyStopping):
        raise Incorrect(
            f"Expected a `keras.callbacks.EarlyStopping(...)` callback; this is "
            f"{with_article(f'`{type(callback).__name__}`')}. Create one: `keras.callbacks.EarlyStopping(...)`."
        )
    for name in ("min_delta", "patience"):
        value = getattr(callback, name, None)
        if isinstance(value, str) or isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise Incorrect(
                f"`{name}` is {show_value(value)}, not a number. Write the number itself, without quotes: "
                f"`{name}={min_delta if name == 'min_delta' else patience}`."
            )
    if restore_best_weights is not None and not isinstance(callback.restore_best_weights, (bool, numbers.Integral)):
        raise Incorrect(
            f"`restore_best_weights` is {show_value(callback.restore_best_weights)}; it takes `True` or `False` "
            f"(no quotes): `restore_best_weights={restore_best_weights}`."
        )
    mode = getattr(callback, "mode", "auto")
    if monitor is not None and monitor.endswith("loss") and mode == "max":
        raise Incorrect(
            f"The callback has `mode='max'`, so it counts a *higher* '{monitor}' as an improvement. A loss should go "
            "down: leave `mode` out (Keras picks 'min' for a loss) or write `mode='min'`."
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
    if value is None:
        raise Incorrect(
            f"{what.capitalize()} is `None`. Assign the number itself (a function that only prints returns `None`)."
        )
    if isinstance(value, bool):
        raise Incorrect(f"{what.capitalize()} is `{value}`; I expected a number.")
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            raise Incorrect(f"{what.capitalize()} is the text {show_value(value)}; I expected a number.") from None
        raise Incorrect(f"{what.capitalize()} is the text {show_value(value)}; remove the quotes so it is a number.")
    if isinstance(value, numbers.Real):
        return float(value)
    shape = getattr(value, "shape", None)
    if shape is not None and not isinstance(value, type):
        size = 1
        for dim in tuple(shape):
            size *= int(dim) if dim is not None else 2
        if size != 1:
            raise Incorrect(
                f"{what.capitalize()} is an array of shape {shape_text(tuple(shape))}; I expected a single number."
            )
        import numpy as np

        return float(np.asarray(value).reshape(-1)[0])
    raise Incorrect(f"{what.capitalize()} is {with_article(f'`{type(value).__name__}`')}; I expected a number.")


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
            f"of {shape_text(expected_shape)}."
        )
    shape = getattr(value, "shape", None)
    if shape is None or isinstance(value, type):
        raise Incorrect(f"{what.capitalize()} is {with_article(f'`{type(value).__name__}`')}; I expected an array.")
    shape = tuple(int(d) if d is not None else None for d in tuple(shape))
    expected_shape = tuple(expected_shape)
    if len(shape) != len(expected_shape) or any(
        want is not None and got != want for got, want in zip(shape, expected_shape)
    ):
        pretty_expected = shape_text(["any" if d is None else d for d in expected_shape])
        raise Incorrect(f"{what.capitalize()} has shape {shape_text(shape)}; I expected {pretty_expected}.")
    return shape


def training_record(model) -> dict | None:
    """What the model's last ``fit`` recorded (``{'loss': [...], 'val_loss': [...]}``), or None."""
    keras = import_keras()
    history = getattr(model, "history", None)
    if not isinstance(history, keras.callbacks.History):
        return None
    record = getattr(history, "history", None)
    if not isinstance(record, dict) or not record.get("loss"):
        return None
    return record


def optimizer_has_stepped(model) -> bool:
    """True if the model (or a model inside it) has an optimizer that has taken at least one step."""
    import numpy as np

    keras = import_keras()
    models = [model] + [layer for layer in getattr(model, "layers", []) if isinstance(layer, keras.Model)]
    for candidate in models:
        optimizer = getattr(candidate, "optimizer", None)
        try:
            if optimizer is not None and int(np.asarray(optimizer.iterations)) > 0:
                return True
        except Exception:
            continue
    return False


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


# --------------------------------------------------------------------------------------
# Steps per epoch: what they do and do not tell about the batch size
# --------------------------------------------------------------------------------------

_SPLITS = (0.1, 0.2, 0.25, 0.3, 0.33)


def batch_size_range(steps: int, n_rows: int) -> tuple[int, int | None]:
    """The batch sizes that cut ``n_rows`` rows into exactly ``steps`` batches: (lowest, highest);
    highest is None when any batch size from the lowest up gives one step."""
    low = math.ceil(n_rows / steps)
    if steps == 1:
        return n_rows, None
    return low, (n_rows - 1) // (steps - 1)


def steps_per_epoch_problem(steps, n_rows: int, batch_size: int, row_word: str = "rows",
                            table: str = "`X_train`", max_rows: int | None = None,
                            other_tables: dict | None = None) -> str | None:
    """None if ``steps`` is what ``batch_size`` gives on ``n_rows`` rows; otherwise an honest message.

    Steps per epoch alone cannot tell the batch size exactly (147 to 293 rows per batch all give
    2 steps over 294 rows), nor a wrong batch size from training on other rows (up to ``max_rows``, the
    size of the whole data set) (a ``validation_split``
    that holds rows back, the whole table instead of the training part). The message says which
    explanations fit the numbers, and what to check.
    """
    if not isinstance(steps, numbers.Integral) or isinstance(steps, bool) or steps <= 0:
        return None
    steps = int(steps)
    expected = math.ceil(n_rows / batch_size)
    if steps == expected:
        return None
    low, high = batch_size_range(steps, n_rows)
    if high is None:
        sizes = f"{low} or more"
    elif low > high:
        sizes = None
    elif low == high:
        sizes = f"exactly {low}"
    else:
        sizes = f"anywhere from {low} to {high}"
    rows_low, rows_high = (steps - 1) * batch_size + 1, steps * batch_size
    splits = [f for f in _SPLITS if math.ceil(math.floor(n_rows * (1 - f)) / batch_size) == steps]
    first = (
        f"Keras took {count_noun(steps, 'step')} per epoch, but batches of {batch_size} over the {n_rows:,} "
        f"{row_word} in {table} take {expected}."
    )
    reasons = []
    if splits:
        reasons.append(
            f"`validation_split={splits[0]:g}` (or similar) gives exactly this: it holds back {splits[0]:.0%} of "
            f"{table} for validation, so fewer {row_word} are trained on. This task has its own validation "
            "set: pass `validation_data=(X_valid, y_valid)` instead."
        )
    if sizes is not None:
        default = " (32 is Keras's default when `batch_size` is left out)" if low <= 32 and (high is None or 32 <= high) else ""
        reasons.append(
            f"With all {n_rows:,} {row_word}, {count_noun(steps, 'step')} means a batch size of {sizes}{default}."
        )
    known = [(name, rows) for name, rows in (other_tables or {}).items() if rows_low <= rows <= rows_high]
    if known:
        name, rows = known[0]
        reasons.insert(0,
            f"With batches of {batch_size}, {count_noun(steps, 'step')} is what {name} ({rows:,} {row_word}) gives: "
            f"did `fit` get it instead of {table}? Train on {table} only."
        )
    elif not splits and (max_rows is None or rows_low <= max_rows):
        reasons.append(
            f"With batches of {batch_size}, {count_noun(steps, 'step')} means {rows_low:,} to {rows_high:,} "
            f"training {row_word}: did `fit` get another table than {table}?"
        )
    if not reasons:
        reasons.append(
            f"No batch size over the {n_rows:,} {row_word} gives this, and no table of this data is that large: "
            "check what `fit` was given."
        )
    return (
        first + " Possible reasons:\n\n" + "\n".join(f"* {reason}" for reason in reasons)
        + f"\n\nCall `fit` with {table} and its targets, `batch_size={batch_size}` and "
        "`validation_data=(X_valid, y_valid)`, then check again."
    )
