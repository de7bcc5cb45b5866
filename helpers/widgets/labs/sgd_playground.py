"""Lab 3: minibatch stochastic gradient descent fitting a line, replayed step by step."""

from __future__ import annotations

import math
from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np
import pandas as pd

from helpers import data
from helpers.plots import PALETTE
from helpers.widgets.base import SLIDER_LAYOUT, SLIDER_STYLE, Lab, new_figure, timed_update, two_numeric_columns

__all__ = ["sgd_playground"]


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
        raw_x, self.y_all = two_numeric_columns(df, x, y)
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
            control.observe(self.recompute, names="value")
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

    @timed_update
    def recompute(self, *_) -> None:
        """Run SGD again with the current hyperparameters and show it from step 0."""
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

    @timed_update
    def show_step(self, *_) -> None:
        """Draw the line, the path and the loss at the step the slider points to."""
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
        df = data.load_red_wine()
    return SGDPlayground(df, x, y, standardize_x, seed)
