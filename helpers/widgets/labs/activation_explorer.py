"""Lab 2: activation functions, and what a small network can fit with each."""

from __future__ import annotations

import time
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from helpers.plots import PALETTE
from helpers.widgets.base import Lab, LabInputError, new_figure, timed_update

__all__ = ["activation_explorer"]

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
        self.activation.observe(self.update, names="value")
        self.show_slope.observe(self.update, names="value")
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

    @timed_update
    def update(self, *_) -> None:
        """Draw the chosen activation and (training it first if needed) the network's fit."""
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



def activation_explorer(initial: str = "relu") -> ActivationExplorer:
    """A lab comparing activation functions: ReLU, sigmoid, tanh, ELU, swish and linear.

    The learner picks one and sees, on the left, its curve (and, on request, its slope); on
    the right, a wavy target (``sin(2x)``) and what a small network (two hidden layers of 16
    units with that activation) learned to draw through it. With "linear" the network can
    only draw a straight line, however many units it has. Each activation is trained the
    first time it is chosen (a few seconds) and remembered afterwards.
    """
    return ActivationExplorer(initial)
