"""The labs of lessons 1-3: a single neuron, activation functions, stochastic gradient descent.

Each public function builds one lab and returns it; put the call on the last line of a cell
and the lab appears below it. Every lab is an ``ipywidgets.VBox`` whose controls and current
numbers are ordinary attributes, so you can also drive it from code, for example
``lab = neuron_explorer(); lab.w.value = 2.0; lab.mae``.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection

from helpers.widgets._base import PALETTE, Lab, LabInputError, new_figure

__all__ = [
    "neuron_explorer",
    "activation_explorer",
    "sgd_playground",
    "NeuronExplorer",
    "ActivationExplorer",
    "SGDPlayground",
]

SLIDER_LAYOUT = widgets.Layout(width="420px")
SLIDER_STYLE = {"description_width": "110px"}


# ---------------------------------------------------------------------------------------
# Shared small helpers
# ---------------------------------------------------------------------------------------


def _nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 x 10^k that is >= value (slider ends that read well)."""
    if value <= 0:
        return 1.0
    exponent = math.floor(math.log10(value))
    for mantissa in (1, 2, 5, 10):
        candidate = mantissa * 10.0**exponent
        if candidate >= value * (1 - 1e-12):
            return candidate
    return 10.0 ** (exponent + 1)


def _two_numeric_columns(df, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    """Columns x and y as float arrays without missing rows, or a friendly error."""
    if not isinstance(df, pd.DataFrame):
        raise LabInputError(f"Expected a pandas DataFrame of data, got {type(df).__name__}.")
    for role, name in (("x", x), ("y", y)):
        if name not in df.columns:
            options = ", ".join(repr(c) for c in df.select_dtypes("number").columns)
            raise LabInputError(f"There is no column {name!r} to use as {role}. "
                                f"Numeric columns you can use: {options}.")
        if not pd.api.types.is_numeric_dtype(df[name]):
            raise LabInputError(f"Column {name!r} holds {df[name].dtype} values, not numbers; pick a numeric column.")
    clean = df[[x, y]].dropna()
    if len(clean) < 3:
        raise LabInputError(f"Columns {x!r} and {y!r} have fewer than 3 rows with both values present.")
    return clean[x].to_numpy(dtype=float), clean[y].to_numpy(dtype=float)


def _load_default(loader_name: str) -> pd.DataFrame:
    from helpers import data

    return getattr(data, loader_name)()


# ---------------------------------------------------------------------------------------
# Lab 1: one neuron, y = w x + b
# ---------------------------------------------------------------------------------------


class NeuronExplorer(Lab):
    """A linear neuron ``y = w * x + b`` over real data, with sliders for ``w`` and ``b``.

    Attributes you can read or drive: ``w`` and ``b`` (sliders), ``fit_button``,
    ``mae`` (the mean absolute error of the slider line), ``best_w``, ``best_b``,
    ``best_mae`` (``None`` until the button is pressed), ``figure`` and ``png``.
    """

    def __init__(self, df: pd.DataFrame, x: str, y: str):
        super().__init__(new_figure(10, 3.8))
        self.x_name, self.y_name = x, y
        self.x_values, self.y_values = _two_numeric_columns(df, x, y)
        self.n_dropped = len(df) - len(self.x_values)
        self.best_w = self.best_b = self.best_mae = None

        x_spread = float(np.std(self.x_values)) or 1.0
        y_spread = float(np.std(self.y_values)) or 1.0
        # Slopes up to about twice "one spread of y per spread of x" cover every sensible line.
        w_limit = _nice_ceiling(2 * y_spread / x_spread)
        y_mid = float(np.mean(self.y_values))
        # Far enough either side of the mean to center any of those slopes on the data.
        b_reach = _nice_ceiling(w_limit * float(np.max(np.abs(self.x_values))) + 2 * y_spread)
        b_step = b_reach / 200
        self.w = widgets.FloatSlider(
            value=0.0, min=-w_limit, max=w_limit, step=w_limit / 200, description="w (weight)",
            readout_format=".2f", continuous_update=True, layout=SLIDER_LAYOUT, style=SLIDER_STYLE,
        )
        self.b = widgets.FloatSlider(
            value=round(y_mid / b_step) * b_step, min=round(y_mid / b_step) * b_step - b_reach,
            max=round(y_mid / b_step) * b_step + b_reach, step=b_step,
            description="b (bias)", readout_format=".1f", continuous_update=True,
            layout=SLIDER_LAYOUT, style=SLIDER_STYLE,
        )
        self.fit_button = widgets.Button(
            description="Fit best line", icon="check", button_style="info",
            tooltip="Find the line with the smallest mean absolute error (MAE) and draw it dashed",
        )
        self._build_figure(w_limit)
        self.w.observe(self._on_change, names="value")
        self.b.observe(self._on_change, names="value")
        self.fit_button.on_click(self._on_fit)
        self.children = [widgets.HBox([widgets.VBox([self.w, self.b]), self.fit_button]), self.image, self.readout]
        self.update()

    # -- numbers -------------------------------------------------------------------------
    def mae_of(self, w: float, b: float) -> float:
        """Mean absolute error of the line ``w * x + b`` on the data."""
        return float(np.mean(np.abs(self.y_values - (w * self.x_values + b))))

    @property
    def mae(self) -> float:
        """MAE of the line the sliders describe."""
        return self.mae_of(self.w.value, self.b.value)

    def fit_best_line(self) -> tuple[float, float, float]:
        """The least-MAE line (a median regression, solved exactly as a linear program)."""
        from sklearn.linear_model import QuantileRegressor

        model = QuantileRegressor(quantile=0.5, alpha=0.0, solver="highs")
        model.fit(self.x_values.reshape(-1, 1), self.y_values)
        w, b = float(model.coef_[0]), float(model.intercept_)
        return w, b, self.mae_of(w, b)

    # -- drawing -------------------------------------------------------------------------
    def _build_figure(self, w_limit: float) -> None:
        data_ax, loss_ax = self.figure.subplots(1, 2, width_ratios=[1.6, 1])
        self.data_ax, self.loss_ax = data_ax, loss_ax
        x, y = self.x_values, self.y_values
        self.residuals = LineCollection([], colors=PALETTE["sky_blue"], linewidths=1, alpha=0.8,
                                        label="errors (their mean length is the MAE)")
        data_ax.add_collection(self.residuals)
        data_ax.scatter(x, y, s=18, color=PALETTE["blue"], zorder=3, label="data")
        x_pad = 0.05 * (x.max() - x.min() or 1)
        y_pad = 0.15 * (y.max() - y.min() or 1)
        self.x_line = np.array([x.min() - x_pad, x.max() + x_pad])
        (self.line,) = data_ax.plot([], [], color=PALETTE["orange"], linewidth=2.5, label="your line")
        (self.best_line,) = data_ax.plot([], [], color=PALETTE["vermillion"], linewidth=2, linestyle="--",
                                         label="best line (least MAE)")
        data_ax.set_xlim(*self.x_line)
        data_ax.set_ylim(y.min() - y_pad, y.max() + y_pad)
        data_ax.set_xlabel(f"{self.x_name} (x)")
        data_ax.set_ylabel(f"{self.y_name} (y)")
        data_ax.legend(loc="upper left", fontsize="small")

        self.w_grid = np.linspace(-w_limit, w_limit, 241)
        (self.loss_curve,) = loss_ax.plot([], [], color=PALETTE["blue"], label="MAE if you move only w")
        (self.loss_point,) = loss_ax.plot([], [], "o", color=PALETTE["orange"], markersize=9, label="your w")
        (self.best_mae_line,) = loss_ax.plot([], [], color=PALETTE["vermillion"], linestyle="--",
                                             label="best possible MAE")
        loss_ax.set_xlim(-w_limit, w_limit)
        loss_ax.set_xlabel("w (weight)")
        loss_ax.set_ylabel(f"MAE ({self.y_name})")
        loss_ax.legend(loc="upper center", fontsize="small")
        self.set_moving_artists([self.residuals, self.line, data_ax.title, self.loss_curve, self.loss_point,
                                 loss_ax.title])

    def update(self, *_) -> None:
        """Redraw the line, the errors and the loss curve for the current sliders."""
        start = time.perf_counter()
        w, b = self.w.value, self.b.value
        x, y = self.x_values, self.y_values
        predictions = w * x + b
        self.residuals.set_segments(np.stack([np.column_stack([x, y]), np.column_stack([x, predictions])], axis=1))
        self.line.set_data(self.x_line, w * self.x_line + b)
        mae = self.mae_of(w, b)
        self.data_ax.set_title(f"{self.y_name} = {w:.2f} × {self.x_name} + {b:.1f}:  MAE {mae:.2f}",
                               fontsize="medium")

        curve = np.mean(np.abs(y[None, :] - (self.w_grid[:, None] * x[None, :] + b)), axis=1)
        self.loss_curve.set_data(self.w_grid, curve)
        self.loss_point.set_data([w], [mae])
        # The y-range moves in round steps, so the cached background is rarely redrawn.
        top = _nice_ceiling(float(curve.max()) * 1.05)
        if self.loss_ax.get_ylim()[1] != top:
            self.loss_ax.set_ylim(0, top)
            self.invalidate()
        self.loss_ax.set_title(f"MAE against w (b fixed at {b:.1f})", fontsize="medium")

        text = (f"<b>Your line</b>: {self.y_name} = {w:.2f} × {self.x_name} + {b:.1f} → "
                f"mean absolute error <b>{mae:.2f}</b>")
        if self.best_mae is not None:
            text += (f"<br><b>Best line</b> (least MAE): {self.y_name} = {self.best_w:.2f} × {self.x_name} + "
                     f"{self.best_b:.1f} → MAE <b>{self.best_mae:.2f}</b>")
        if self.n_dropped:
            text += f"<br><small>{self.n_dropped} row(s) with a missing value are left out.</small>"
        self.readout.value = text
        self.redraw(alt=f"Scatter plot of {self.y_name} against {self.x_name} with the line "
                        f"y = {w:.2f} x + {b:.1f}; mean absolute error {mae:.2f}.")
        self.last_update_seconds = time.perf_counter() - start

    def _on_change(self, change) -> None:
        self.update()

    def _on_fit(self, _button=None) -> None:
        self.best_w, self.best_b, self.best_mae = self.fit_best_line()
        self.best_line.set_data(self.x_line, self.best_w * self.x_line + self.best_b)
        self.best_mae_line.set_data(self.w_grid[[0, -1]], [self.best_mae, self.best_mae])
        self.invalidate()
        self.update()


def neuron_explorer(df: pd.DataFrame | None = None, x: str = "sugars", y: str = "calories") -> NeuronExplorer:
    """A lab for one linear neuron ``y = w * x + b`` on real data.

    The learner sees the data as dots, their line (moved with the ``w`` and ``b`` sliders),
    each point's error as a thin vertical bar, and the mean absolute error (MAE) of the line.
    A second panel shows how the MAE changes with ``w`` alone, with the learner's ``w`` marked.
    "Fit best line" draws the line with the least MAE (found exactly by median regression)
    dashed, for comparison, with its MAE.

    Default data: breakfast cereals, calories against grams of sugar per serving.
    """
    if df is None:
        df = _load_default("load_cereals")
    return NeuronExplorer(df, x, y)


# ---------------------------------------------------------------------------------------
# Lab 2: activation functions and what a small network can fit with them
# ---------------------------------------------------------------------------------------

ACTIVATIONS = {"ReLU": "relu", "sigmoid": "sigmoid", "tanh": "tanh", "ELU": "elu", "swish": "swish",
               "linear": "linear"}


@dataclass
class FitResult:
    """What a small network learned with one activation."""

    activation: str
    predictions: np.ndarray  # on ActivationExplorer.x_grid
    mse: float  # on the training points
    seconds: float  # training time


class ActivationExplorer(Lab):
    """Pick an activation; see its curve and what a 2 x 16 network with it can fit.

    Attributes: ``activation`` (toggle buttons), ``show_slope`` (checkbox), ``results``
    (a dict activation -> :class:`FitResult`, filled on first use of each), ``mse``
    (training error of the current one), ``figure`` and ``png``.
    """

    units = 16
    train_steps = 600
    learning_rate = 0.05

    def __init__(self, initial: str = "relu"):
        super().__init__(new_figure(10, 3.8))
        labels = {value: label for label, value in ACTIVATIONS.items()}
        if initial not in labels:
            raise LabInputError(f"Unknown activation {initial!r}. Choose one of: {', '.join(labels)}.")
        # A clean target with two bends each way: easy to see which shapes a network can make.
        self.x_train = np.linspace(-3, 3, 121)
        self.y_train = np.sin(2 * self.x_train)
        self.x_grid = np.linspace(-3.5, 3.5, 281)
        self.z_grid = np.linspace(-4, 4, 321)
        self.results: dict[str, FitResult] = {}
        self._curves: dict[str, np.ndarray] = {}
        self.activation = widgets.ToggleButtons(options=list(ACTIVATIONS.items()), value=initial,
                                                description="Activation", style={"button_width": "80px"})
        self.show_slope = widgets.Checkbox(value=False, description="show its slope (derivative)", indent=False)
        self._build_figure()
        self.activation.observe(self._on_change, names="value")
        self.show_slope.observe(self._on_change, names="value")
        self.children = [self.activation, self.show_slope, self.image, self.readout]
        self.update()

    # -- numbers -------------------------------------------------------------------------
    def activation_curve(self, name: str) -> np.ndarray:
        """The activation evaluated by Keras itself on ``z_grid`` (so it is what the network uses)."""
        if name not in self._curves:
            import keras

            function = keras.activations.get(name)
            values = function(keras.ops.convert_to_tensor(self.z_grid.astype("float32")))
            self._curves[name] = np.asarray(keras.ops.convert_to_numpy(values), dtype=float)
        return self._curves[name]

    def fit(self, name: str) -> FitResult:
        """Train (once per activation, then cached) a 1 -> 16 -> 16 -> 1 network on the target."""
        if name in self.results:
            return self.results[name]
        import keras

        start = time.perf_counter()
        # Seeded initial weights and full-batch Adam: the same picture every time, without
        # touching the learner's global random seed.
        def init(seed):
            return keras.initializers.GlorotUniform(seed=seed)

        model = keras.Sequential([
            keras.Input(shape=(1,)),
            keras.layers.Dense(self.units, activation=name, kernel_initializer=init(1)),
            keras.layers.Dense(self.units, activation=name, kernel_initializer=init(2)),
            keras.layers.Dense(1, kernel_initializer=init(3)),
        ])
        model.compile(optimizer=keras.optimizers.Adam(learning_rate=self.learning_rate), loss="mse",
                      steps_per_execution=100)
        x = self.x_train.reshape(-1, 1).astype("float32")
        y = self.y_train.reshape(-1, 1).astype("float32")
        # One epoch over the data repeated: the same full-batch steps as many epochs, but
        # without Keras's per-epoch overhead (seconds instead of tens of seconds).
        model.fit(np.tile(x, (self.train_steps, 1)), np.tile(y, (self.train_steps, 1)), batch_size=len(x),
                  epochs=1, shuffle=False, verbose=0)
        # Calling the model directly (not predict) avoids building a new tf.function each time.
        predictions = keras.ops.convert_to_numpy(model(self.x_grid.reshape(-1, 1).astype("float32"))).ravel()
        train_predictions = keras.ops.convert_to_numpy(model(x)).ravel()
        mse = float(np.mean((train_predictions - self.y_train) ** 2))
        result = FitResult(name, predictions.astype(float), mse, time.perf_counter() - start)
        self.results[name] = result
        return result

    @property
    def mse(self) -> float:
        """Mean squared error of the network trained with the current activation."""
        return self.fit(self.activation.value).mse

    # -- drawing -------------------------------------------------------------------------
    def _build_figure(self) -> None:
        function_ax, fit_ax = self.figure.subplots(1, 2)
        self.function_ax, self.fit_ax = function_ax, fit_ax
        function_ax.axhline(0, color="0.75", linewidth=0.8)
        function_ax.axvline(0, color="0.75", linewidth=0.8)
        (self.function_line,) = function_ax.plot([], [], color=PALETTE["blue"], linewidth=2.5, label="activation")
        (self.slope_line,) = function_ax.plot([], [], color=PALETTE["orange"], linewidth=2, linestyle="--",
                                              label="its slope (tick the box)")
        function_ax.set_xlim(self.z_grid[0], self.z_grid[-1])
        # One y-range for all six, so their shapes compare directly (linear leaves it below -1.5).
        function_ax.set_ylim(-1.5, 4.2)
        function_ax.legend(loc="upper left", fontsize="small")
        function_ax.set_xlabel("input z (weighted sum of a unit)")
        function_ax.set_ylabel("output of the unit")

        fit_ax.plot(self.x_train, self.y_train, "o", color=PALETTE["black"], markersize=3, alpha=0.5,
                    label="target: sin(2x)")
        (self.fit_line,) = fit_ax.plot([], [], color=PALETTE["vermillion"], linewidth=2.5,
                                       label="network's prediction")
        fit_ax.set_xlim(self.x_grid[0], self.x_grid[-1])
        fit_ax.set_ylim(-1.6, 1.6)
        fit_ax.set_xlabel("x")
        fit_ax.set_ylabel("y")
        fit_ax.legend(loc="upper left", fontsize="small")
        self.set_moving_artists([self.function_line, self.slope_line, function_ax.title, self.fit_line,
                                 fit_ax.title])

    def update(self, *_) -> None:
        """Draw the chosen activation and (training it first if needed) the network's fit."""
        start = time.perf_counter()
        name = self.activation.value
        label = self.activation.label
        if name not in self.results:
            self.readout.value = f"<i>Training a 2 × {self.units} network with {label} (a few seconds, once)…</i>"
            self.activation.disabled = True
            try:
                self.fit(name)
            finally:
                self.activation.disabled = False
        result = self.results[name]

        curve = self.activation_curve(name)
        self.function_line.set_data(self.z_grid, curve)
        self.slope_line.set_data(self.z_grid, np.gradient(curve, self.z_grid))
        self.slope_line.set_visible(self.show_slope.value)
        self.function_ax.set_title(f"The {label} activation", fontsize="medium")

        self.fit_line.set_data(self.x_grid, result.predictions)
        self.fit_ax.set_title(f"What a 2 × {self.units} {label} network fits: MSE {result.mse:.3f}", fontsize="medium")
        self.readout.value = (f"<b>{label}</b>: the network's mean squared error on the target is "
                              f"<b>{result.mse:.3f}</b> (a flat line at 0 scores about 0.5); "
                              f"training took {result.seconds:.1f} s.")
        self.redraw(alt=f"Left: the {label} activation function. Right: a sine-shaped target and the curve a "
                        f"small {label} network fitted to it, mean squared error {result.mse:.3f}.")
        self.last_update_seconds = time.perf_counter() - start

    def _on_change(self, change) -> None:
        self.update()


def activation_explorer(initial: str = "relu") -> ActivationExplorer:
    """A lab comparing activation functions: ReLU, sigmoid, tanh, ELU, swish and linear.

    The learner picks one and sees, on the left, its curve (and, on request, its slope); on
    the right, a wavy target (``sin(2x)``) and what a small network (two hidden layers of 16
    units with that activation) learned to draw through it. With "linear" the network can
    only draw a straight line, however many units it has. Each activation is trained the
    first time it is chosen (a few seconds) and remembered afterwards.
    """
    return ActivationExplorer(initial)


# ---------------------------------------------------------------------------------------
# Lab 3: stochastic gradient descent on y = w x + b
# ---------------------------------------------------------------------------------------


@dataclass
class Trajectory:
    """Where SGD went: parameters before step 0 and after every step, and the losses."""

    w: np.ndarray  # length steps + 1
    b: np.ndarray
    loss: np.ndarray  # MSE on all chosen examples, length steps + 1
    batch_loss: np.ndarray  # MSE on the minibatch of each step, length steps
    batches: list  # the example indices (into the chosen examples) of each step's minibatch
    steps_per_epoch: int
    diverged_at: int | None  # step at which the parameters blew up, if they did


class SGDPlayground(Lab):
    """Plain-numpy minibatch SGD fitting ``y = w x + b`` (mean squared error), step by step.

    Hyperparameter controls (changing one recomputes the whole run): ``learning_rate``,
    ``batch_size``, ``n_examples``, ``epochs``. Playback controls: ``play`` (an
    ``ipywidgets.Play``), ``step`` (slider over the recorded steps), ``step_button``,
    ``reset_button``. Numbers: ``trajectory`` (a :class:`Trajectory`), ``total_steps``,
    ``current_w``, ``current_b``, ``current_loss``, ``n_recomputes``.
    """

    # Drawing all 1,599 wines would slow every frame and hide the line; 400 show the cloud.
    max_points_drawn = 400

    def __init__(self, df: pd.DataFrame, x: str, y: str, standardize_x: bool, seed: int):
        super().__init__(new_figure(12, 3.8))
        raw_x, self.y_all = _two_numeric_columns(df, x, y)
        self.x_mean, self.x_std = float(raw_x.mean()), float(raw_x.std()) or 1.0
        self.standardize_x = standardize_x
        self.x_all = (raw_x - self.x_mean) / self.x_std if standardize_x else raw_x
        self.x_label = f"{x} (standardized)" if standardize_x else x
        self.y_name = y
        # One fixed shuffle: "n examples" always means the same first n rows of it.
        self.seed = seed
        self.order = np.random.default_rng(seed).permutation(len(self.x_all))
        self.n_recomputes = 0
        self._quiet = False
        self._data_for = None

        n_total = len(self.x_all)
        self.learning_rate = widgets.FloatLogSlider(value=0.05, base=10, min=-3, max=0.25, step=0.05,
                                                    description="learning rate", readout_format=".3f",
                                                    continuous_update=False, layout=SLIDER_LAYOUT,
                                                    style=SLIDER_STYLE)
        self.batch_size = widgets.SelectionSlider(options=[1, 2, 4, 8, 16, 32, 64, 128, 256, 512], value=16,
                                                  description="batch size", continuous_update=False,
                                                  layout=SLIDER_LAYOUT, style=SLIDER_STYLE)
        self.n_examples = widgets.IntSlider(value=min(256, n_total), min=min(8, n_total), max=n_total, step=1,
                                            description="examples", continuous_update=False,
                                            layout=SLIDER_LAYOUT, style=SLIDER_STYLE)
        self.epochs = widgets.IntSlider(value=5, min=1, max=10, description="epochs", continuous_update=False,
                                        layout=SLIDER_LAYOUT, style=SLIDER_STYLE)
        self.play = widgets.Play(value=0, min=0, max=1, step=1, interval=150, description="play")
        self.step = widgets.IntSlider(value=0, min=0, max=1, description="step", continuous_update=True,
                                      layout=SLIDER_LAYOUT, style=SLIDER_STYLE)
        widgets.link((self.play, "value"), (self.step, "value"))
        self.step_button = widgets.Button(description="Step", icon="step-forward", tooltip="One minibatch step")
        self.reset_button = widgets.Button(description="Reset", icon="undo", tooltip="Back to the start")

        self._build_figure()
        for control in (self.learning_rate, self.batch_size, self.n_examples, self.epochs):
            control.observe(self._on_hyperparameter, names="value")
        self.step.observe(self._on_step, names="value")
        self.step_button.on_click(self._on_step_button)
        self.reset_button.on_click(self._on_reset_button)
        hyper = widgets.VBox([self.learning_rate, self.batch_size, self.n_examples, self.epochs])
        playback = widgets.VBox([widgets.HBox([self.play, self.step_button, self.reset_button]), self.step])
        self.children = [widgets.HBox([hyper, playback]), self.image, self.readout]
        self.recompute()

    # -- the algorithm -------------------------------------------------------------------
    def run_sgd(self, learning_rate: float, batch_size: int, n_examples: int, epochs: int) -> Trajectory:
        """Minibatch SGD from w = b = 0 on the first ``n_examples`` rows, reshuffled each epoch."""
        x = self.x_all[self.order[:n_examples]]
        y = self.y_all[self.order[:n_examples]]
        batch_size = min(batch_size, n_examples)
        steps_per_epoch = math.ceil(n_examples / batch_size)
        rng = np.random.default_rng(self.seed + 1)
        w = b = 0.0
        ws, bs, batch_losses, batches = [w], [b], [], []
        diverged_at = None
        for _epoch in range(epochs):
            shuffled = rng.permutation(n_examples)
            for start in range(0, n_examples, batch_size):
                batch = shuffled[start:start + batch_size]
                error = w * x[batch] + b - y[batch]
                batch_losses.append(float(np.mean(error**2)))
                batches.append(batch)
                # Gradient of the minibatch MSE with respect to w and b.
                w -= learning_rate * 2 * float(np.mean(error * x[batch]))
                b -= learning_rate * 2 * float(np.mean(error))
                ws.append(w)
                bs.append(b)
                if not (abs(w) < 1e6 and abs(b) < 1e6):
                    diverged_at = len(ws) - 1
                    break
            if diverged_at is not None:
                break
        w_arr, b_arr = np.array(ws), np.array(bs)
        return Trajectory(w_arr, b_arr, self.loss_of(w_arr, b_arr, x, y), np.array(batch_losses), batches,
                          steps_per_epoch, diverged_at)

    @staticmethod
    def loss_of(w, b, x, y):
        """MSE of y = w x + b on (x, y), for arrays of w and b (computed from sums, so fast)."""
        w, b = np.asarray(w, dtype=float), np.asarray(b, dtype=float)
        sx, sy, sxx, sxy, syy = x.mean(), y.mean(), (x * x).mean(), (x * y).mean(), (y * y).mean()
        with np.errstate(over="ignore", invalid="ignore"):
            return syy - 2 * w * sxy - 2 * b * sy + w * w * sxx + 2 * w * b * sx + b * b

    @property
    def total_steps(self) -> int:
        return len(self.trajectory.w) - 1

    @property
    def current_w(self) -> float:
        return float(self.trajectory.w[self.step.value])

    @property
    def current_b(self) -> float:
        return float(self.trajectory.b[self.step.value])

    @property
    def current_loss(self) -> float:
        return float(self.trajectory.loss[self.step.value])

    # -- drawing -------------------------------------------------------------------------
    def _build_figure(self) -> None:
        data_ax, contour_ax, loss_ax = self.figure.subplots(1, 3, width_ratios=[1.1, 1, 1.1])
        self.data_ax, self.contour_ax, self.loss_ax = data_ax, contour_ax, loss_ax
        self.points = data_ax.scatter([], [], s=10, color=PALETTE["blue"], alpha=0.35, label="examples")
        (self.batch_points,) = data_ax.plot([], [], "o", color=PALETTE["vermillion"], markersize=5,
                                            label="this step's minibatch")
        (self.fit_line,) = data_ax.plot([], [], color=PALETTE["orange"], linewidth=2.5, label="current line")
        data_ax.set_xlabel(self.x_label)
        data_ax.set_ylabel(self.y_name)
        data_ax.legend(loc="upper left", fontsize="x-small")

        (self.path_full,) = contour_ax.plot([], [], color=PALETTE["reddish_purple"], linewidth=1, alpha=0.35)
        (self.path_done,) = contour_ax.plot([], [], color=PALETTE["vermillion"], linewidth=1.5,
                                            label="path so far")
        (self.path_point,) = contour_ax.plot([], [], "o", color=PALETTE["orange"], markeredgecolor="black",
                                             markersize=8, label="current (w, b)", zorder=5)
        (self.best_point,) = contour_ax.plot([], [], "*", color=PALETTE["black"], markersize=11,
                                             label="lowest loss", zorder=4)
        contour_ax.set_xlabel("w (slope)")
        contour_ax.set_ylabel("b (intercept)")
        contour_ax.set_title("Loss (MSE) over (w, b)")
        contour_ax.legend(handles=[self.path_done, self.path_point, self.best_point], loc="lower right",
                          fontsize="x-small")
        self.contour_sets = []

        (self.loss_full,) = loss_ax.plot([], [], color="0.7", linewidth=1)
        (self.batch_loss_line,) = loss_ax.plot([], [], color=PALETTE["reddish_purple"], linewidth=0.8, alpha=0.5,
                                               label="minibatch loss")
        (self.loss_done,) = loss_ax.plot([], [], color=PALETTE["blue"], linewidth=2, label="loss on all examples")
        self.loss_marker = loss_ax.axvline(0, color=PALETTE["orange"], linewidth=1.5)
        self.best_loss_line = loss_ax.axhline(1, color=PALETTE["black"], linestyle=":", linewidth=1,
                                              label="lowest possible")
        loss_ax.set_yscale("log")
        loss_ax.set_xlabel("epoch (passes through the examples)")
        loss_ax.set_ylabel("mean squared error")
        loss_ax.legend(loc="upper right", fontsize="x-small")
        # Everything a new run changes, unless the axes change too, is drawn over the cached background.
        self.set_moving_artists([self.fit_line, self.batch_points, data_ax.title, self.path_full, self.path_done,
                                 self.path_point, self.loss_full, self.batch_loss_line, self.loss_done,
                                 self.loss_marker, loss_ax.title])
        self._loss_limits = None

    def _prepare_data_panels(self, n_examples: int) -> None:
        """Things that depend only on which examples are used: the points and the loss surface."""
        if self._data_for == n_examples:
            return
        self._data_for = n_examples
        x = self.x_all[self.order[:n_examples]]
        y = self.y_all[self.order[:n_examples]]
        self.x_used, self.y_used = x, y
        drawn = slice(0, self.max_points_drawn)
        self.points.set_offsets(np.column_stack([x[drawn], y[drawn]]))
        pad_x, pad_y = 0.05 * (self.x_all.max() - self.x_all.min()), 0.1 * (self.y_all.max() - self.y_all.min())
        self.data_ax.set_xlim(self.x_all.min() - pad_x, self.x_all.max() + pad_x)
        self.data_ax.set_ylim(self.y_all.min() - pad_y, self.y_all.max() + pad_y)
        self.x_line = np.array(self.data_ax.get_xlim())

        best_w, best_b = np.polyfit(x, y, 1) if np.ptp(x) > 0 else (0.0, float(y.mean()))
        self.best_wb = (float(best_w), float(best_b))
        self.best_loss = float(self.loss_of(best_w, best_b, x, y))
        # A window holding both the start (0, 0) and the best point, with a margin.
        w_lo, w_hi = sorted((0.0, best_w))
        b_lo, b_hi = sorted((0.0, best_b))
        margin = 0.35 * max(w_hi - w_lo, b_hi - b_lo, 1.0)
        self.w_window = (w_lo - margin, w_hi + margin)
        self.b_window = (b_lo - margin, b_hi + margin)
        ww, bb = np.meshgrid(np.linspace(*self.w_window, 80), np.linspace(*self.b_window, 80))
        surface = self.loss_of(ww, bb, x, y)
        for artist in self.contour_sets:
            artist.remove()
        levels = self.best_loss + (surface.max() - self.best_loss) * np.linspace(0, 1, 14)[1:] ** 2
        filled = self.contour_ax.contourf(ww, bb, surface, levels=np.r_[self.best_loss, levels],
                                          cmap="Blues_r", alpha=0.55)
        lines = self.contour_ax.contour(ww, bb, surface, levels=levels, colors="0.4", linewidths=0.6)
        self.contour_sets = [filled, lines]
        self.contour_ax.set_xlim(*self.w_window)
        self.contour_ax.set_ylim(*self.b_window)
        self.best_point.set_data([best_w], [best_b])
        self.best_loss_line.set_ydata([self.best_loss, self.best_loss])
        self.invalidate()

    def recompute(self, *_) -> None:
        """Run SGD again with the current hyperparameters and show it from step 0."""
        start = time.perf_counter()
        n = self.n_examples.value
        self._prepare_data_panels(n)
        self.trajectory = self.run_sgd(self.learning_rate.value, self.batch_size.value, n, self.epochs.value)
        self.n_recomputes += 1
        traj = self.trajectory
        epochs_done = np.arange(len(traj.w)) / traj.steps_per_epoch  # the loss panel counts epochs
        self.path_full.set_data(traj.w, traj.b)
        self.loss_full.set_data(epochs_done, traj.loss)
        self.batch_loss_line.set_data(epochs_done[1:], traj.batch_loss)
        # Axes change only with the examples or the epochs; then the cached background is redrawn.
        limits = (self.best_loss * 0.8, max(float(traj.loss[0]) * 2, self.best_loss * 2), self.epochs.value)
        if limits != self._loss_limits:
            self._loss_limits = limits
            self.loss_ax.set_ylim(*limits[:2])
            self.loss_ax.set_xlim(0, limits[2])
            self.invalidate()
        # Move playback to the start of the new run, then draw once.
        self._quiet = True
        try:
            self.play.playing = False
            self.step.value = 0
            self.play.max = self.step.max = max(1, self.total_steps)
            self.play.step = max(1, self.total_steps // 150)  # a full replay takes about 20 s
        finally:
            self._quiet = False
        self.show_step()
        self.last_update_seconds = time.perf_counter() - start

    def show_step(self, *_) -> None:
        """Draw the line, the path and the loss at the step the slider points to."""
        start = time.perf_counter()
        traj = self.trajectory
        k = min(self.step.value, self.total_steps)
        w, b, loss = traj.w[k], traj.b[k], traj.loss[k]
        self.fit_line.set_data(self.x_line, w * self.x_line + b)
        if k > 0:
            spe = traj.steps_per_epoch
            batch = traj.batches[k - 1]
            self.batch_points.set_data(self.x_used[batch], self.y_used[batch])
            epoch, within = divmod(k - 1, spe)
            title = f"Step {k}: epoch {epoch + 1}, minibatch {within + 1} of {spe} ({len(batch)} examples)"
        else:
            self.batch_points.set_data([], [])
            title = "Step 0: the start, w = b = 0"
        self.data_ax.set_title(title, fontsize="medium")
        self.path_done.set_data(traj.w[:k + 1], traj.b[:k + 1])
        self.path_point.set_data([w], [b])
        steps = np.arange(k + 1)
        self.loss_done.set_data(steps / traj.steps_per_epoch, traj.loss[:k + 1])
        self.loss_marker.set_xdata([k / traj.steps_per_epoch] * 2)
        self.loss_ax.set_title(f"Loss at step {k}: {loss:.3g}", fontsize="medium")

        lr, bs, n = self.learning_rate.value, self.batch_size.value, self.n_examples.value
        text = (f"learning rate {lr:.3g}, batch size {min(bs, n)}, {n} examples, {self.epochs.value} epoch(s): "
                f"{traj.steps_per_epoch} steps per epoch, {self.total_steps} steps in all.<br>"
                f"Step {k}: {self.y_name} = {w:.3f} × {self.x_label} + {b:.3f}, loss (MSE) <b>{loss:.3g}</b> "
                f"(lowest possible {self.best_loss:.3g}).")
        self.readout.value = text
        if traj.diverged_at is not None:
            self.readout.value += (f'<br><span style="color:{PALETTE["vermillion"]};font-weight:bold">'
                                   f"The learning rate is too large: w and b blew up at step {traj.diverged_at}, "
                                   f"so the run stops there. Try a smaller learning rate.</span>")
        self.redraw(alt=f"SGD at step {k}: the line {w:.2f} x + {b:.2f} over the data, its path over the loss "
                        f"surface and the loss curve; loss {loss:.3g}.")
        self.last_update_seconds = time.perf_counter() - start

    def _on_hyperparameter(self, change) -> None:
        self.recompute()

    def _on_step(self, change) -> None:
        if not self._quiet:
            self.show_step()

    def _on_step_button(self, _button=None) -> None:
        self.play.playing = False
        if self.step.value < self.total_steps:
            self.step.value += 1

    def _on_reset_button(self, _button=None) -> None:
        self.play.playing = False
        self.step.value = 0


def sgd_playground(df: pd.DataFrame | None = None, x: str = "alcohol", y: str = "quality",
                   standardize_x: bool = True, seed: int = 0) -> SGDPlayground:
    """A lab that replays minibatch stochastic gradient descent fitting a line, step by step.

    The learner sets the learning rate, batch size, number of examples and epochs; SGD (plain
    numpy, mean squared error, starting from w = b = 0) runs once for those settings. Three
    panels then follow the run: the data with the current line, the path of (w, b) over the
    loss surface, and the loss after each step. ``Play``, the step slider, "Step" and
    "Reset" move through the recorded steps without recomputing anything.

    Default data: red wines, quality score (3-8) against alcohol, with alcohol standardized
    (0 = an average wine, 1 = one standard deviation more alcohol) so both parameters learn
    at a similar pace.
    """
    if df is None:
        df = _load_default("load_red_wine")
    return SGDPlayground(df, x, y, standardize_x, seed)
