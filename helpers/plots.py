"""Figures the lessons reuse, drawn in one color-blind-safe style.

What this module offers
-----------------------
* ``PALETTE`` (color name -> hex) and ``PALETTE_ORDER`` (the order lines get their colors):
  the Okabe-Ito palette, readable by people with any common form of color blindness.
* ``use_course_style()``: sets matplotlib's defaults (color cycle, font sizes, light grid).
  Importing this module applies it once, and every plotting function here applies it again,
  so the course figures look the same even after a learner changes matplotlib's settings.
* ``plot_learning_curves(history, metrics=("loss",))``: training and validation curves
  per epoch, with the best validation epoch marked.
* ``draw_learning_curve(axis, train, valid)``: one metric's two curves on an axis you
  have; the one drawer behind ``plot_learning_curves``, the live curves and the labs.
* ``plot_activation("relu")``: an activation function over x in [-5, 5].
* ``plot_loss_functions()``: MAE, MSE and Huber as functions of the error.
* ``plot_cross_entropy()``: binary cross-entropy against the predicted probability.
* ``plot_network(model)``: a diagram of a small Keras ``Sequential`` model.
* ``plot_neuron(model)``: a one-unit model drawn as a neuron, with its actual weights and bias.
* ``plot_model_fits(x, y, models, histories)``: several models' curves through the same
  points, with their learning curves underneath (underfitting and overfitting side by side).
* ``plot_fitted_line(x, y, w, b)``: data points and the line ``y = w * x + b``.
* ``show(fig, alt="...")``: displays a figure in a notebook with alt text for screen readers.

Wrong input raises ``PlotTypeError`` or ``PlotValueError`` (subclasses of ``TypeError`` and
``ValueError``) with a message saying what to pass instead; Jupyter shows just that message.

How figures appear in a notebook
--------------------------------
Every plotting function returns the matplotlib ``Figure``. A figure the function made
itself is detached from pyplot before it is returned, so a notebook shows it exactly once:
as the value of the cell when the call is the cell's last line, or where you call
``show(fig, alt="...")``. (``fig = plot_...(...)`` on its own shows nothing; put ``fig``
on the last line, or call ``show``.) If you pass your own ``ax``, the figure is yours and is
left as it is.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping
from typing import NamedTuple

import matplotlib
import matplotlib.figure
import matplotlib.lines
import matplotlib.patches
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from helpers.errors import LearnerError

__all__ = [
    "PALETTE",
    "PALETTE_ORDER",
    "use_course_style",
    "plot_learning_curves",
    "draw_learning_curve",
    "LearningCurve",
    "higher_is_better",
    "metric_title",
    "plot_activation",
    "plot_loss_functions",
    "plot_cross_entropy",
    "plot_network",
    "plot_neuron",
    "plot_model_fits",
    "plot_fitted_line",
    "show",
    "PlotTypeError",
    "PlotValueError",
]



# Being LearnerErrors, these show in Jupyter as one short message, not a traceback into here.
class PlotTypeError(LearnerError, TypeError):
    """A plotting function got the wrong kind of object; the message says what it needs."""


class PlotValueError(LearnerError, ValueError):
    """A plotting function got a value it cannot draw; the message says why."""


# Okabe & Ito (2008), "Color Universal Design".
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "bluish_green": "#009E73",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
    "sky_blue": "#56B4E9",
    "yellow": "#F0E442",
    "black": "#000000",
}
# Strong colors first; yellow is last-but-one because it is faint on a white background.
PALETTE_ORDER = [
    "blue",
    "orange",
    "bluish_green",
    "vermillion",
    "reddish_purple",
    "sky_blue",
    "yellow",
    "black",
]

TRAIN_COLOR = PALETTE["blue"]
VALID_COLOR = PALETTE["orange"]
BEST_COLOR = PALETTE["vermillion"]

_COURSE_RC = {
    "axes.prop_cycle": matplotlib.cycler(color=[PALETTE[name] for name in PALETTE_ORDER]),
    "figure.figsize": (6.4, 4.2),
    "figure.dpi": 100,
    "font.size": 11,
    "axes.titlesize": 13,
    "axes.titleweight": "bold",
    "axes.labelsize": 12,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linestyle": "-",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 2.0,
    "figure.titlesize": 14,
    "figure.titleweight": "bold",
}


def use_course_style():
    """Set matplotlib's defaults to the course style.

    Lines take their colors from the Okabe-Ito palette, text is large enough to read on a
    laptop, and axes get a light grid. Plots a learner draws afterwards look the same as the
    course figures.
    """
    matplotlib.rcParams.update(_COURSE_RC)


use_course_style()


# --------------------------------------------------------------------------------------
# Small shared pieces
# --------------------------------------------------------------------------------------
def _figure_and_axes(ax=None, ncols=1, figsize=None):
    """Return (figure, list of axes, whether we created the figure)."""
    use_course_style()
    if ax is not None:
        axes = list(np.atleast_1d(ax).ravel())
        if len(axes) != ncols:
            raise PlotValueError(
                f"This figure needs {ncols} axes, but you passed {len(axes)}. "
                f"Pass {ncols} axes (for example from plt.subplots(1, {ncols})), or leave ax out."
            )
        return axes[0].figure, axes, False
    fig, axes = plt.subplots(1, ncols, figsize=figsize, squeeze=False)
    return fig, list(axes.ravel()), True


def _finish(fig, created):
    """Detach a figure we made from pyplot so a notebook shows it once (see module docs)."""
    if created:
        fig.tight_layout()
        plt.close(fig)
    return fig


def show(fig, alt):
    """Display ``fig`` in the notebook with ``alt`` as its alternative text.

    The learner sees the figure as an image; a screen reader reads ``alt``. The image is
    sent as HTML ``<img alt="...">`` (JupyterLab, Notebook and VS Code show HTML first),
    with a plain PNG and the text as fallbacks for other viewers. Outside a notebook the
    figure is simply closed. Returns nothing, so the figure is not shown twice.
    """
    if not isinstance(fig, matplotlib.figure.Figure):
        raise PlotTypeError(
            f"show() needs a matplotlib Figure, not {type(fig).__name__}. "
            "The plot_... functions return one: fig = plot_learning_curves(history)."
        )
    if not isinstance(alt, str) or not alt.strip():
        raise PlotValueError("Give the figure a short description: show(fig, alt='What the figure shows').")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(fig)
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.display import display

    if not InteractiveShell.initialized():  # plain Python: nothing to show it in
        return None
    bundle = {
        "text/html": f'<img src="data:image/png;base64,{png}" alt="{html.escape(alt, quote=True)}"/>',
        "image/png": png,
        "text/plain": f"[Figure: {alt}]",
    }
    display(bundle, metadata={"image/png": {"alt": alt}}, raw=True)
    return None


# --------------------------------------------------------------------------------------
# Learning curves
# --------------------------------------------------------------------------------------
_HIGHER_IS_BETTER = ("acc", "auc", "precision", "recall", "f1", "r2")


def higher_is_better(metric: str) -> bool:
    """True for accuracy-like metrics (the best epoch is the highest), False for losses."""
    name = metric.lower()
    return any(part in name for part in _HIGHER_IS_BETTER)


def metric_title(name: str) -> str:
    """A metric's Keras name as a title: 'val_binary_accuracy' -> 'Val binary accuracy'."""
    return name.replace("_", " ").capitalize()


class LearningCurve(NamedTuple):
    """What :func:`draw_learning_curve` drew."""

    train_line: matplotlib.lines.Line2D
    valid_line: matplotlib.lines.Line2D | None
    best_epoch: int | None


def draw_learning_curve(axis, train, valid=None, name="loss", mark_best=False, annotate_best=False,
                        markers=False):
    """Draw one metric's training curve (blue) and validation curve (orange) on ``axis``.

    The x axis counts epochs from 1 in whole numbers. With ``mark_best``, the best
    validation epoch (lowest for losses, highest for accuracy-like metrics) gets a dot and a
    dotted vertical line, and with ``annotate_best`` a note with its epoch and value.
    ``markers`` puts a dot on every epoch. The course's figures, the live learning curves
    and the training labs all draw their curves with this function. Returns the two lines
    (``valid`` is None without validation values; a caller may move them on with
    ``set_data``) and the best validation epoch (None without a finite validation value).
    """
    train = np.asarray(train, dtype=float)
    marker = "o" if markers else None
    (train_line,) = axis.plot(np.arange(1, len(train) + 1), train, color=TRAIN_COLOR, linewidth=2,
                              label=f"training {name}", marker=marker, markersize=4)
    valid_line = best_epoch = None
    if valid is not None:
        valid = np.asarray(valid, dtype=float)
        (valid_line,) = axis.plot(np.arange(1, len(valid) + 1), valid, color=VALID_COLOR, linewidth=2,
                                  label=f"validation {name}", marker=marker, markersize=4)
        if np.isfinite(valid).any():
            higher = higher_is_better(name)
            best_epoch = int(np.nanargmax(valid) if higher else np.nanargmin(valid)) + 1
    if mark_best and best_epoch is not None:
        best_value = valid[best_epoch - 1]
        axis.axvline(best_epoch, color=BEST_COLOR, linestyle=":", linewidth=1.5)
        axis.plot([best_epoch], [best_value], linestyle="none", marker="o", markersize=9, color=BEST_COLOR,
                  label=f"best validation {name}", zorder=5)
        if annotate_best:
            # Keep the note inside the axes: write it to the left of late epochs.
            to_the_left = best_epoch > 1 + 0.6 * (len(valid) - 1)
            axis.annotate(
                f"best: epoch {best_epoch}\n{name} = {best_value:.4g}",
                xy=(best_epoch, best_value),
                xytext=(-12 if to_the_left else 12, -34 if higher else 28),
                textcoords="offset points",
                ha="right" if to_the_left else "left",
                color=BEST_COLOR, fontsize=10,
                bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
                arrowprops={"arrowstyle": "-", "color": BEST_COLOR, "linewidth": 1},
            )
    axis.set_xlabel("Epoch")
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))
    return LearningCurve(train_line, valid_line, best_epoch)


def _history_to_dict(history):
    """Accept a Keras History, its .history dict or a DataFrame; return {name: list}."""
    if hasattr(history, "fit") and hasattr(history, "layers"):
        raise PlotTypeError(
            "plot_learning_curves() needs the training history, not the model. "
            "Keep what fit returns: history = model.fit(...), then plot_learning_curves(history)."
        )
    if isinstance(history, pd.DataFrame):
        return {str(col): history[col].tolist() for col in history.columns}
    if hasattr(history, "history") and isinstance(history.history, Mapping):
        history = history.history
    if isinstance(history, Mapping):
        records = {}
        for name, values in history.items():
            try:
                records[str(name)] = [float(v) for v in np.ravel(values)]
            except (TypeError, ValueError):
                raise PlotTypeError(
                    f"The history entry {name!r} should be a list of numbers, one per epoch."
                ) from None
        return records
    raise PlotTypeError(
        "plot_learning_curves() needs what model.fit(...) returns (a History), its .history "
        f"dict, or a pandas DataFrame of it; you passed a {type(history).__name__}."
    )


def _loss_name(history):
    """The loss given to compile, when a History can tell us (e.g. 'mae'), else None."""
    loss = getattr(getattr(history, "model", None), "loss", None)
    if isinstance(loss, str):
        return loss
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None)
    return name if isinstance(name, str) else None


def _metric_names(metrics):
    if isinstance(metrics, str):
        return [metrics]
    if not isinstance(metrics, (list, tuple)):
        raise PlotTypeError(
            f'metrics should be a metric name or a list of names, e.g. ("loss", "accuracy"); '
            f"you passed a {type(metrics).__name__}."
        )
    names = list(metrics)
    if not names or not all(isinstance(m, str) for m in names):
        raise PlotTypeError('metrics should be a metric name or a list of names, e.g. ("loss", "accuracy").')
    return names


def plot_learning_curves(history, metrics=("loss",), title=None, ax=None, mark_best=True):
    """Plot training and validation curves, one panel per metric.

    The learner sees, for each metric, the training curve (blue) and the validation curve
    (orange, when ``fit`` had ``validation_data`` or ``validation_split``) against the epoch
    number, starting at 1. With ``mark_best``, the epoch with the best validation value
    (lowest for losses and errors, highest for accuracy-like metrics) gets a dot, a dotted
    vertical line and a note with the epoch and value.

    ``history`` is what ``model.fit(...)`` returns, its ``.history`` dict, or
    ``pd.DataFrame(history.history)``. ``metrics`` is a name or a list of names as Keras
    recorded them ("loss", "mae", "accuracy", ...). ``ax`` takes one Axes per metric.
    Returns the Figure.
    """
    records = _history_to_dict(history)
    names = _metric_names(metrics)
    loss_name = _loss_name(history)
    if not records or all(len(v) == 0 for v in records.values()):
        raise PlotValueError("This history is empty: was the model trained for at least one epoch?")

    available = [name for name in records if not name.startswith("val_")]
    for name in names:
        if name.startswith("val_") and name[4:] in records:
            raise PlotValueError(
                f"Ask for {name[4:]!r} rather than {name!r}: the training and validation "
                "curves are drawn together."
            )
        if name not in records:
            raise PlotValueError(
                f"The history has no {name!r}. Metrics it recorded: {', '.join(available)}. "
                "(To record more, pass them to compile, e.g. metrics=['accuracy'].)"
            )

    fig, axes, created = _figure_and_axes(ax, ncols=len(names), figsize=(5.6 * len(names), 4.2))
    for axis, name in zip(axes, names):
        draw_learning_curve(axis, records[name], records.get("val_" + name), name=name,
                            mark_best=mark_best, annotate_best=True, markers=len(records[name]) <= 20)
        axis.set_ylabel(f"Loss ({loss_name})" if name == "loss" and loss_name else metric_title(name))
        axis.set_title(f"{metric_title(name)} during training")
        axis.legend()
    if title is not None:
        if len(axes) == 1:
            axes[0].set_title(title)
        else:
            fig.suptitle(title)
    return _finish(fig, created)


# --------------------------------------------------------------------------------------
# Activation functions
# --------------------------------------------------------------------------------------
def _activation_function(name_or_function):
    """Return (callable working on numpy arrays, display name)."""
    import keras

    import types

    if isinstance(name_or_function, (type, types.BuiltinFunctionType)) and not type(name_or_function).__module__.startswith("numpy"):
        # a class or a Python built-in such as print: calling it on numbers would not draw an activation
        raise PlotTypeError(
            f"{getattr(name_or_function, '__name__', name_or_function)} is not an activation function. "
            "Pass an activation's name, like 'relu', or a function of x, like keras.activations.relu."
        )
    if callable(name_or_function):
        function = name_or_function
        label = getattr(function, "__name__", "activation")
    elif isinstance(name_or_function, str):
        try:
            function = keras.activations.get(name_or_function)
        except (ValueError, TypeError):
            known = "'relu', 'sigmoid', 'tanh', 'elu', 'selu', 'swish', 'gelu', 'softplus', 'linear'"
            raise PlotValueError(
                f"Keras has no activation called {name_or_function!r}. Try one of {known}."
            ) from None
        label = name_or_function
    else:
        raise PlotTypeError(
            "Pass an activation's name, like 'relu', or a function of x, "
            f"not a {type(name_or_function).__name__}."
        )

    def as_numpy(x):
        values = function(keras.ops.convert_to_tensor(np.asarray(x, dtype="float32")))
        return np.asarray(keras.ops.convert_to_numpy(values), dtype=float)

    return as_numpy, label


def plot_activation(name_or_function, x=None, ax=None):
    """Plot one activation function, such as ``"relu"``, over x from -5 to 5.

    The learner sees the curve ``activation(x)`` with faint lines through zero, so where the
    function is flat, straight or bent is easy to read. ``name_or_function`` is a Keras
    activation name or any function of a numpy array. Returns the Figure.
    """
    function, label = _activation_function(name_or_function)
    if x is None:
        x = np.linspace(-5, 5, 401)
    x = np.asarray(x, dtype=float)
    fig, (axis,), created = _figure_and_axes(ax, figsize=(5.0, 3.8))
    y = function(x)
    if y.shape != x.shape:
        raise PlotValueError(
            f"The activation should give one output per input, but {x.shape[0]} inputs "
            f"gave an output of shape {y.shape}."
        )
    axis.axhline(0, color="0.6", linewidth=0.8, zorder=0)
    axis.axvline(0, color="0.6", linewidth=0.8, zorder=0)
    axis.plot(x, y, color=PALETTE["blue"], label=label)
    axis.set_xlabel("input x")
    axis.set_ylabel(f"{label}(x)")
    axis.set_title(f"Activation: {label}")
    return _finish(fig, created)


# --------------------------------------------------------------------------------------
# Loss functions
# --------------------------------------------------------------------------------------
def _keras_loss_per_point(loss, y_true, y_pred):
    """Apply a Keras loss to each pair separately (Keras averages over the last axis)."""
    import keras

    y_true = np.asarray(y_true, dtype="float32").reshape(-1, 1)
    y_pred = np.asarray(y_pred, dtype="float32").reshape(-1, 1)
    return np.asarray(keras.ops.convert_to_numpy(loss(y_true, y_pred)), dtype=float)


def plot_loss_functions(errors=None, delta=1.0, overlay=False, ax=None):
    """Plot MAE, MSE and Huber loss against the error ``y_true - y_pred``.

    The learner sees how much each loss charges for a miss: MAE grows in a straight line,
    MSE grows with the square (big misses cost a lot), and Huber is MSE-like for errors
    smaller than ``delta`` and MAE-like beyond. The values come from Keras's own loss
    functions. Three panels side by side, or one panel with ``overlay=True``.
    Returns the Figure.
    """
    import keras

    if errors is None:
        errors = np.linspace(-3, 3, 301)
    errors = np.asarray(errors, dtype=float).ravel()
    if delta <= 0:
        raise PlotValueError(f"delta must be positive (it is where Huber switches from squared to linear); got {delta}.")
    zeros = np.zeros_like(errors)
    curves = [
        ("MAE", "mean absolute error: |error|",
         _keras_loss_per_point(keras.losses.mean_absolute_error, errors, zeros), PALETTE["blue"]),
        ("MSE", "mean squared error: error²",
         _keras_loss_per_point(keras.losses.mean_squared_error, errors, zeros), PALETTE["orange"]),
        ("Huber", f"Huber (delta = {delta:g})",
         _keras_loss_per_point(lambda t, p: keras.losses.huber(t, p, delta=delta), errors, zeros),
         PALETTE["bluish_green"]),
    ]
    ncols = 1 if overlay else 3
    fig, axes, created = _figure_and_axes(ax, ncols=ncols, figsize=(6.0, 4.2) if overlay else (13.5, 4.0))
    top = min(max(c[2].max() for c in curves), 2.0 * np.abs(errors).max())
    for index, (short, long, values, color) in enumerate(curves):
        axis = axes[0] if overlay else axes[index]
        axis.plot(errors, values, color=color, label=long)
        if short == "Huber":
            for edge in (-delta, delta):
                axis.axvline(edge, color=color, linestyle=":", linewidth=1)
        if not overlay:
            axis.set_title(short)
            axis.set_ylim(-0.05 * top, top * 1.05)
            axis.legend(loc="upper center")
        axis.set_xlabel("error  (y_true − y_pred)")
        axis.set_ylabel("loss")
    if overlay:
        axes[0].set_title("MAE, MSE and Huber loss")
        axes[0].set_ylim(-0.05 * top, top * 1.05)
        axes[0].legend(loc="upper center")
    return _finish(fig, created)


def plot_cross_entropy(ax=None):
    """Plot binary cross-entropy against the predicted probability of class 1.

    The learner sees two curves: when the true label is 1 the loss falls to 0 as the
    prediction approaches 1 and shoots up as it approaches 0; when the true label is 0 it
    is the mirror image. Confident wrong answers cost the most. Values come from
    ``keras.losses.binary_crossentropy``. Returns the Figure.
    """
    import keras

    probabilities = np.linspace(0.005, 0.995, 199)
    fig, (axis,), created = _figure_and_axes(ax, figsize=(6.0, 4.2))
    for label, color in ((1, PALETTE["blue"]), (0, PALETTE["vermillion"])):
        truth = np.full_like(probabilities, label)
        loss = _keras_loss_per_point(keras.losses.binary_crossentropy, truth, probabilities)
        axis.plot(probabilities, loss, color=color, label=f"true label = {label}")
    axis.set_xlabel("predicted probability of class 1")
    axis.set_ylabel("binary cross-entropy")
    axis.set_title("Cross-entropy punishes confident mistakes")
    axis.set_xlim(0, 1)
    axis.set_ylim(bottom=0)
    axis.legend(loc="upper center")
    return _finish(fig, created)


# --------------------------------------------------------------------------------------
# Network diagram
# --------------------------------------------------------------------------------------
def _activation_name(layer):
    activation = getattr(layer, "activation", None)
    if activation is None:
        return None
    name = getattr(activation, "__name__", None) or type(activation).__name__
    return name


def _input_width(model):
    try:
        shape = model.input_shape
    except (AttributeError, ValueError):
        shape = None
    if isinstance(shape, list):  # several inputs: not something this diagram draws
        raise PlotValueError("plot_network() draws models with a single input.")
    if shape is None or len(shape) < 2 or shape[-1] is None:
        raise PlotValueError(
            "This model does not know its input shape yet, so it cannot be drawn. "
            "Start the Sequential with keras.Input, for example "
            "keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])."
        )
    if len(shape) > 2:
        raise PlotValueError(
            f"plot_network() draws networks whose inputs are a flat list of features; "
            f"this one takes inputs of shape {tuple(shape[1:])}."
        )
    return int(shape[-1])


_BAND_LAYERS = {
    "Dropout": lambda layer: f"Dropout\nrate {layer.rate:g}",
    "BatchNormalization": lambda layer: "Batch\nnorm",
    "Activation": lambda layer: f"Activation\n{_activation_name(layer)}",
}


def _describe_layers(model):
    """Turn a model into a list of ('units', n, label) and ('band', None, label) items."""
    items = [("units", _input_width(model), None)]
    for layer in model.layers:
        kind = type(layer).__name__
        if kind == "InputLayer":
            continue
        units = getattr(layer, "units", None)
        if isinstance(units, int):
            activation = _activation_name(layer) or "linear"
            unit_word = "unit" if units == 1 else "units"
            items.append(("units", units, f"{kind}\n{units} {unit_word}\n{activation}"))
        elif kind in _BAND_LAYERS:
            items.append(("band", None, _BAND_LAYERS[kind](layer)))
        else:
            raise PlotValueError(
                f"plot_network() draws Dense, Dropout, BatchNormalization and Activation layers; "
                f"this model has a {kind} layer ({layer.name!r})."
            )
    n_inputs = items[0][1]
    items[0] = ("units", n_inputs, f"Input\n{n_inputs} feature{'s' if n_inputs != 1 else ''}")
    return items


def _unit_positions(n_units, max_shown):
    """Vertical positions of the circles drawn for a layer, and whether it is collapsed."""
    if n_units <= max_shown:
        return np.arange(n_units)[::-1] - (n_units - 1) / 2, False
    # Wide layer: a few units at the top, a gap for the ellipsis, one at the bottom.
    top = max_shown - 2
    slots = np.arange(max_shown)[::-1] - (max_shown - 1) / 2
    return np.concatenate([slots[:top], slots[-1:]]), True


def plot_network(model, ax=None, max_units_shown=6):
    """Draw a diagram of a small Keras ``Sequential`` model.

    The learner sees one column of circles per layer (the inputs first), gray lines for the
    connections, and under each column the layer type, its number of units and its
    activation. Layers wider than ``max_units_shown`` are drawn with a few circles and a
    "⋮ 512 units" note. Dropout, BatchNormalization and Activation layers appear as labeled
    bands between the columns. The title counts the model's parameters. Returns the Figure.
    """
    if not (hasattr(model, "layers") and hasattr(model, "count_params")):
        raise PlotTypeError(
            f"plot_network() needs a Keras model, such as keras.Sequential([...]); "
            f"you passed a {type(model).__name__}."
        )
    if max_units_shown < 3:
        raise PlotValueError("max_units_shown should be at least 3.")
    items = _describe_layers(model)
    n_columns = len(items)
    tallest = max(min(n, max_units_shown) for kind, n, _ in items if kind == "units")
    span = (tallest - 1) / 2
    # Size the figure to the drawing so the circles stay round without wide margins.
    data_width, data_height = 1.6 * (n_columns - 1) + 2.4, 2 * span + 4.0
    scale = 0.62
    figsize = (max(4.8, data_width * scale), max(3.6, data_height * scale))
    fig, (axis,), created = _figure_and_axes(ax, figsize=figsize)
    axis.set_axis_off()
    axis.set_aspect("equal")
    radius = 0.28

    unit_columns = [i for i, item in enumerate(items) if item[0] == "units"]
    positions = {}
    for i in unit_columns:
        ys, collapsed = _unit_positions(items[i][1], max_units_shown)
        positions[i] = (ys, collapsed)
    x_of = {i: 1.6 * i for i in range(n_columns)}

    # Connections go between consecutive unit columns, passing behind any bands.
    for left, right in zip(unit_columns, unit_columns[1:]):
        for y_left in positions[left][0]:
            for y_right in positions[right][0]:
                axis.plot([x_of[left], x_of[right]], [y_left, y_right],
                          color="0.75", linewidth=0.7, zorder=1)

    last_unit_column = unit_columns[-1]
    for i, (kind, n_units, label) in enumerate(items):
        x = x_of[i]
        if kind == "band":
            band = matplotlib.patches.FancyBboxPatch(
                (x - 0.32, -span - 0.45), 0.64, 2 * span + 0.9,
                boxstyle="round,pad=0.02", facecolor=PALETTE["yellow"], alpha=0.45,
                edgecolor=PALETTE["black"], linewidth=0.6, zorder=2)
            axis.add_patch(band)
            axis.text(x, -span - 0.75, label, ha="center", va="top", fontsize=9)
            continue
        ys, collapsed = positions[i]
        if i == 0:
            color, role = PALETTE["sky_blue"], "inputs"
        elif i == last_unit_column:
            color, role = PALETTE["vermillion"], "output"
        else:
            color, role = PALETTE["blue"], "hidden"
        for y in ys:
            axis.add_patch(matplotlib.patches.Circle((x, y), radius, facecolor=color,
                                                     edgecolor="white", linewidth=1, zorder=3))
        if collapsed:
            gap_y = (ys[-2] + ys[-1]) / 2
            axis.text(x, gap_y, "⋮", ha="center", va="center", fontsize=16, zorder=4)
            axis.text(x + radius + 0.05, gap_y, f"{n_units} units", ha="left", va="center",
                      fontsize=8, zorder=4,
                      bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
        axis.text(x, span + 0.6, role, ha="center", va="bottom", fontsize=10, style="italic")
        axis.text(x, -span - 0.75, label, ha="center", va="top", fontsize=9)

    axis.set_xlim(-1.2, x_of[n_columns - 1] + 1.2)
    axis.set_ylim(-span - 2.3, span + 1.1)
    n_params = model.count_params()
    axis.set_title(f"{model.name}: {n_params:,} parameter{'s' if n_params != 1 else ''}")
    return _finish(fig, created)


# --------------------------------------------------------------------------------------
# One neuron, with its weights
# --------------------------------------------------------------------------------------
# More inputs than this no longer fit beside each other with readable weight labels.
MAX_NEURON_INPUTS = 6


def _single_unit_layer(model):
    """The one Dense-like layer of a one-unit model, or a friendly error saying why not."""
    if not (hasattr(model, "layers") and hasattr(model, "count_params")):
        raise PlotTypeError(
            f"plot_neuron() needs a Keras model with one unit, such as "
            f"keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)]); "
            f"you passed a {type(model).__name__}."
        )
    _input_width(model)  # a model without a known input shape has no weights to show yet
    with_weights = [layer for layer in model.layers if layer.weights]
    if len(with_weights) != 1:
        raise PlotValueError(
            f"plot_neuron() draws a single unit, but this model has {len(with_weights)} layers "
            "with weights. To draw a whole network, use plot_network(model)."
        )
    layer = with_weights[0]
    others = [layer_.name for layer_ in model.layers if layer_ is not layer
              and type(layer_).__name__ != "InputLayer"]
    if others:
        raise PlotValueError(
            f"plot_neuron() draws a model made of one Dense layer only; this one also has "
            f"{', '.join(others)}. Put the activation inside the layer, e.g. Dense(1, activation='relu')."
        )
    if getattr(layer, "units", None) != 1:
        raise PlotValueError(
            f"plot_neuron() draws one unit, but the layer {layer.name!r} has "
            f"{getattr(layer, 'units', 'an unknown number of')} units. Use Dense(1), or "
            "plot_network(model) to draw a whole layer."
        )
    return layer


def _signed(value, decimals):
    """'+ 0.53' or '− 0.53' (a real minus sign), for writing formulas."""
    return f"{'−' if value < 0 else '+'} {abs(value):.{decimals}f}"


def plot_neuron(model, input_names=None, decimals=2, ax=None):
    """Draw a one-unit Keras model as a neuron, with the weight values it holds right now.

    The learner sees, from left to right: one circle per input (named ``input_names``, or
    x₀, x₁, ...), plus a gray circle holding the constant 1; an arrow from each to a sum
    node "Σ", labeled with its weight (the arrow from the 1 carries the bias); after the sum,
    the activation as a small box with its graph (for ``activation="relu"`` the rectifier;
    nothing for a linear unit); and the output y. Under the drawing, the formula the unit
    computes, with the same numbers. Values are read from the model with
    ``layer.get_weights()``, so the drawing changes when the model is trained.

    ``model`` must be a ``Sequential`` of ``keras.Input`` and one ``Dense(1)`` layer with at
    most ``MAX_NEURON_INPUTS`` inputs. Returns the Figure.
    """
    layer = _single_unit_layer(model)
    n_inputs = _input_width(model)
    if n_inputs > MAX_NEURON_INPUTS:
        raise PlotValueError(
            f"This unit has {n_inputs} inputs; plot_neuron() draws at most {MAX_NEURON_INPUTS}, "
            "so that every weight stays readable. Print the weights instead: "
            "kernel, bias = model.layers[0].get_weights()."
        )
    if input_names is None:
        subscripts = "₀₁₂₃₄₅₆₇₈₉"
        input_names = [f"x{subscripts[i]}" for i in range(n_inputs)]
    else:
        input_names = [str(name) for name in input_names]
        if len(input_names) != n_inputs:
            raise PlotValueError(
                f"The model has {n_inputs} input{'s' if n_inputs != 1 else ''}, but you gave "
                f"{len(input_names)} input_names."
            )
    values = layer.get_weights()
    # Rounded as displayed, and + 0.0 turns a -0.0 into 0.0 so no label reads "-0.00".
    kernel = np.round(np.asarray(values[0], dtype=float).ravel(), decimals) + 0.0
    bias = float(np.round(np.asarray(values[1], dtype=float).ravel()[0], decimals)) + 0.0 if len(values) > 1 else None
    activation = _activation_name(layer) or "linear"
    has_activation = activation != "linear"

    sources = list(zip(input_names, kernel))
    if bias is not None:
        sources.append(("1", bias))
    n_sources = len(sources)
    ys = np.arange(n_sources)[::-1] * 1.25
    ys = ys - ys.mean()
    sum_x, sum_y = 3.6, 0.0
    act_x = 5.2
    out_x = 6.8 if has_activation else 5.3
    height = max(ys.max() - ys.min(), 1.5) + 2.6
    fig, (axis,), created = _figure_and_axes(ax, figsize=(max(6.0, 0.95 * (out_x + 2.2)), max(3.4, 0.85 * height + 0.6)))
    axis.set_axis_off()
    axis.set_aspect("equal")
    radius = 0.36
    for index, ((name, weight), y) in enumerate(zip(sources, ys)):
        constant = bias is not None and index == n_sources - 1
        color = "0.85" if constant else PALETTE["sky_blue"]
        axis.add_patch(matplotlib.patches.Circle((0, y), radius, facecolor=color,
                                                 edgecolor="0.3" if constant else "white", zorder=3))
        axis.text(-radius - 0.15, y, "constant" if constant else name, ha="right", va="center",
                  fontsize=10, style="italic" if constant else "normal")
        axis.text(0, y, "1" if constant else "", ha="center", va="center", fontsize=12, zorder=4)
        axis.annotate("", xy=(sum_x - 0.45, sum_y), xytext=(radius, y),
                      arrowprops={"arrowstyle": "-|>", "color": "0.55", "linewidth": 1.2,
                                  "shrinkA": 0, "shrinkB": 0}, zorder=1)
        # The weight sits on the first third of its arrow, where the arrows are far apart.
        label_x = radius + 0.36 * (sum_x - 0.45 - radius)
        label_y = y + 0.36 * (sum_y - y)
        word = "b" if constant else "w"
        axis.text(label_x, label_y, f"{word} = {weight:.{decimals}f}", ha="center", va="center",
                  fontsize=9.5, color=PALETTE["vermillion"] if constant else PALETTE["blue"], zorder=5,
                  bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"})
    axis.add_patch(matplotlib.patches.Circle((sum_x, sum_y), 0.45, facecolor=PALETTE["orange"],
                                             edgecolor="white", zorder=3))
    axis.text(sum_x, sum_y, "Σ", ha="center", va="center", fontsize=18, zorder=4)
    axis.text(sum_x, sum_y - 0.65, "sum", ha="center", va="top", fontsize=9, style="italic")
    after_sum = sum_x + 0.45
    if has_activation:
        box = 0.55
        axis.add_patch(matplotlib.patches.FancyBboxPatch(
            (act_x - box, sum_y - box), 2 * box, 2 * box, boxstyle="round,pad=0.03",
            facecolor="white", edgecolor=PALETTE["bluish_green"], linewidth=1.5, zorder=3))
        function, _ = _activation_function(activation)
        glyph_x = np.linspace(-3, 3, 61)
        glyph_y = function(glyph_x)
        spread = max(float(np.ptp(glyph_y)), 1e-9)
        scaled_y = (glyph_y - glyph_y.min()) / spread * (1.5 * box) - 0.75 * box
        axis.plot(act_x + glyph_x / 3 * 0.75 * box, sum_y + scaled_y, color=PALETTE["bluish_green"],
                  linewidth=2, zorder=4)
        axis.text(act_x, sum_y - box - 0.15, "ReLU\n(rectifier)" if activation == "relu" else activation,
                  ha="center", va="top", fontsize=9, style="italic")
        axis.annotate("", xy=(act_x - box - 0.05, sum_y), xytext=(after_sum, sum_y),
                      arrowprops={"arrowstyle": "-|>", "color": "0.3", "linewidth": 1.5}, zorder=2)
        after_sum = act_x + box + 0.05
    axis.annotate("", xy=(out_x - radius, sum_y), xytext=(after_sum, sum_y),
                  arrowprops={"arrowstyle": "-|>", "color": "0.3", "linewidth": 1.5}, zorder=2)
    axis.add_patch(matplotlib.patches.Circle((out_x, sum_y), radius, facecolor=PALETTE["vermillion"],
                                             edgecolor="white", zorder=3))
    axis.text(out_x, sum_y, "y", ha="center", va="center", fontsize=12, color="white", zorder=4)
    axis.text(out_x, sum_y + radius + 0.15, "output", ha="center", va="bottom", fontsize=9, style="italic")

    terms = " ".join(f"{_signed(w, decimals)} · {name}" for name, w in zip(input_names, kernel))
    terms = terms[2:] if terms.startswith("+ ") else "−" + terms[1:]
    if bias is not None:
        terms += f" {_signed(bias, decimals)} · 1"
    formula = f"y = max(0, {terms})" if activation == "relu" else (
        f"y = {activation}({terms})" if has_activation else f"y = {terms}")
    bottom = ys.min() - 1.0
    axis.text((out_x - 0.8) / 2, bottom, formula, ha="center", va="top", fontsize=10)
    axis.set_xlim(-2.0, out_x + 0.8)
    axis.set_ylim(bottom - 0.7, ys.max() + 0.8)
    kind = "ReLU unit" if activation == "relu" else ("linear unit" if not has_activation else f"unit with {activation}")
    axis.set_title(f"{model.name}: one {kind}, {n_inputs} input{'s' if n_inputs != 1 else ''}")
    return _finish(fig, created)


# --------------------------------------------------------------------------------------
# Underfitting and overfitting in data space
# --------------------------------------------------------------------------------------
def _predict_on(model, grid):
    """A model's predictions for a column of x values, as a flat numpy array."""
    if hasattr(model, "predict") and hasattr(model, "layers"):
        values = model.predict(grid.reshape(-1, 1), verbose=0)
    elif callable(model):
        values = model(grid.reshape(-1, 1))
    else:
        raise PlotTypeError(
            "plot_model_fits() needs trained models (or functions of x) as the values of "
            f"models; one of them is a {type(model).__name__}."
        )
    try:
        import keras

        values = keras.ops.convert_to_numpy(values)
    except (TypeError, ValueError):  # a numpy array already
        pass
    values = np.asarray(values, dtype=float).ravel()
    if values.shape != grid.shape:
        raise PlotValueError(
            f"A model should give one prediction per x value, but {grid.size} values of x "
            f"gave {values.size} predictions."
        )
    return values


def plot_model_fits(x, y, models, histories=None, x_valid=None, y_valid=None,
                    xlabel="input x", ylabel="target y"):
    """Show several models fitted to the same noisy points, each above its learning curves.

    The learner sees one column per model, in the order of ``models`` (a mapping from a
    title such as "too simple" to a trained Keras model, or any function of a column of x
    values). Top row: the training points (blue dots), the validation points when given
    (small orange dots), and the model's prediction over the whole range of x (a vermillion
    curve), so a straight line that misses the bend, a curve that follows it, and a curve
    that chases every point can be compared at a glance. Bottom row, when ``histories``
    maps the same titles to what ``fit`` returned: each model's training and validation
    loss per epoch, on one shared loss scale. Returns the Figure.
    """
    if not isinstance(models, Mapping) or not models:
        raise PlotTypeError(
            "models should be a dict from a title to a trained model, e.g. "
            "{'too simple': linear_model, 'just right': small_model, 'too flexible': big_model}."
        )
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape or x.size == 0:
        raise PlotValueError(f"x and y need the same, non-zero length; got {x.size} and {y.size}.")
    if histories is not None:
        if not isinstance(histories, Mapping) or set(histories) != set(models):
            raise PlotValueError(
                "histories should be a dict with the same titles as models, each mapped to "
                "what model.fit(...) returned for that model."
            )
    names = list(models)
    rows = 1 if histories is None else 2
    use_course_style()
    fig, axes = plt.subplots(rows, len(names), figsize=(4.6 * len(names), 3.8 * rows),
                             squeeze=False, sharey="row")
    points = [x] + ([np.asarray(x_valid, dtype=float).ravel()] if x_valid is not None else [])
    low, high = min(p.min() for p in points), max(p.max() for p in points)
    margin = 0.02 * (high - low if high > low else 1.0)
    grid = np.linspace(low - margin, high + margin, 400)
    for column, name in enumerate(names):
        axis = axes[0][column]
        if x_valid is not None and y_valid is not None:
            axis.scatter(np.ravel(x_valid), np.ravel(y_valid), s=8, color=VALID_COLOR, alpha=0.45,
                         label="validation points", zorder=2)
        axis.scatter(x, y, s=28, color=TRAIN_COLOR, label="training points", zorder=3)
        axis.plot(grid, _predict_on(models[name], grid), color=PALETTE["vermillion"],
                  label="model's prediction", zorder=4)
        axis.set_title(str(name))
        axis.set_xlabel(xlabel)
        if column == 0:
            axis.set_ylabel(ylabel)
            axis.legend(loc="best", fontsize=8)
        if histories is not None:
            curves = axes[1][column]
            plot_learning_curves(histories[name], ax=curves, mark_best=False)
            curves.set_title(f"{name}: learning curves", fontsize=11)
            curves.set_yscale("log")
            if column > 0:
                curves.set_ylabel("")
                legend = curves.get_legend()
                if legend is not None:
                    legend.remove()
    fig.tight_layout()
    plt.close(fig)
    return fig


# --------------------------------------------------------------------------------------
# A line through data
# --------------------------------------------------------------------------------------
def _as_scalar(value, name):
    array = np.asarray(value, dtype=float)
    if array.size != 1:
        raise PlotValueError(
            f"{name} should be a single number, but it has shape {array.shape}. "
            "For a one-input Dense(1) layer, kernel and bias each hold one number."
        )
    return float(array.ravel()[0])


def plot_fitted_line(x, y, w, b, xlabel="input x", ylabel="target y", ax=None, title=None):
    """Scatter the data ``(x, y)`` and draw the line ``y = w * x + b`` over it.

    The learner sees the points, the line across the whole range of x, and the equation in
    the legend, so they can judge by eye how well this line fits. ``w`` and ``b`` may be
    numbers or a one-input layer's kernel and bias (any shape holding one number).
    Returns the Figure.
    """
    w, b = _as_scalar(w, "w"), _as_scalar(b, "b")
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise PlotValueError(f"x and y need the same length; got {x.size} and {y.size}.")
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    if x.size == 0:
        raise PlotValueError("There are no points to plot (all values are missing).")
    fig, (axis,), created = _figure_and_axes(ax)
    axis.scatter(x, y, color=PALETTE["blue"], alpha=0.7, label="data", zorder=3)
    line_x = np.linspace(x.min(), x.max(), 100)
    sign = "−" if b < 0 else "+"
    axis.plot(line_x, w * line_x + b, color=PALETTE["vermillion"],
              label=f"y = {w:.3g} x {sign} {abs(b):.3g}", zorder=4)
    axis.set_xlabel(xlabel)
    axis.set_ylabel(ylabel)
    if title is None:
        title = f"{ylabel} against {xlabel}"
        title = title[:1].upper() + title[1:]
    axis.set_title(title)
    axis.legend()
    return _finish(fig, created)
