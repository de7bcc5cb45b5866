"""Lab 1: one linear neuron, y = w x + b, fitted by hand to real data."""

from __future__ import annotations


import ipywidgets as widgets
import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection

from helpers import data
from helpers.plots import PALETTE
from helpers.widgets.base import (
    SLIDER_LAYOUT,
    SLIDER_STYLE,
    Lab,
    new_figure,
    nice_ceiling,
    timed_update,
    two_numeric_columns,
)

__all__ = ["neuron_explorer"]


class NeuronExplorer(Lab):
    """A linear neuron ``y = w * x + b`` over real data, with sliders for ``w`` and ``b``.

    Attributes you can read or drive: ``w`` and ``b`` (sliders), ``fit_button``,
    ``mae`` (the mean absolute error of the slider line), ``best_w``, ``best_b``,
    ``best_mae`` (``None`` until the button is pressed), ``figure`` and ``png``.
    """

    def __init__(self, df: pd.DataFrame, x: str, y: str):
        super().__init__(new_figure(10, 3.8))
        self.x_name, self.y_name = x, y
        self.x_values, self.y_values = two_numeric_columns(df, x, y)
        self.n_dropped = len(df) - len(self.x_values)
        self.best_w = self.best_b = self.best_mae = None

        x_spread = float(np.std(self.x_values)) or 1.0
        y_spread = float(np.std(self.y_values)) or 1.0
        # Slopes up to about twice "one spread of y per spread of x" cover every sensible line.
        w_limit = nice_ceiling(2 * y_spread / x_spread)
        y_mid = float(np.mean(self.y_values))
        # Far enough either side of the mean to center any of those slopes on the data.
        b_reach = nice_ceiling(w_limit * float(np.max(np.abs(self.x_values))) + 2 * y_spread)
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
        self.w.observe(self.update, names="value")
        self.b.observe(self.update, names="value")
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

    @timed_update
    def update(self, *_) -> None:
        """Redraw the line, the errors and the loss curve for the current sliders."""
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
        top = nice_ceiling(float(curve.max()) * 1.05)
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
        df = data.load_cereals()
    return NeuronExplorer(df, x, y)
