"""Learning curves that draw themselves while a model trains.

Usage in any lesson::

    from helpers.widgets import LiveLearningCurves
    history = model.fit(X_train, y_train, validation_data=(X_valid, y_valid),
                        epochs=50, callbacks=[LiveLearningCurves()], verbose=0)

In Jupyter the learner sees one figure under the cell that grows epoch by epoch (the same
output is replaced in place, so nothing flickers or piles up), and the finished curves
when ``fit`` returns. Outside Jupyter (a plain script, a terminal) nothing is drawn and
one line sums up the training at the end.

Drawing is throttled so that it costs only a few per cent of the training time: the figure
is redrawn at most every ``every`` epochs, at most once per ``min_interval`` seconds, and
only while the time spent drawing stays under ``max_overhead`` of the time spent training.
The final state is always drawn.
"""

from __future__ import annotations

import base64
import html
import math
import time
import warnings
from collections.abc import Sequence

import keras
import numpy as np
from IPython import get_ipython
from IPython.core.interactiveshell import InteractiveShell
from matplotlib.figure import Figure

from helpers.errors import LearnerError
from helpers.plots import draw_learning_curve, higher_is_better, metric_title
from helpers.widgets.base import FigureImage, figure_png, new_figure

__all__ = ["LiveLearningCurves", "LiveCurvesError"]


MODES = ("auto", "display", "text", "off")

# A first guess at the cost of the first drawing (it also builds the figure).
_FIRST_DRAW_GUESS_SECONDS = 0.1


class LiveCurvesError(LearnerError, ValueError):
    """LiveLearningCurves was set up with a value it cannot use; the message says why."""


def _in_jupyter() -> bool:
    """True inside a Jupyter kernel (where rich output can be shown)."""
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


class LiveLearningCurves(keras.callbacks.Callback):
    """A Keras callback that draws training and validation curves while ``fit`` runs.

    The learner sees one panel per metric (training in blue, validation in orange, the
    best validation epoch marked at the end) that updates in place during training.
    Outside Jupyter it prints one summary line when training ends.

    Args:
        metrics: a metric name or a list of names as Keras records them, e.g. ``"loss"``
            or ``("loss", "accuracy")``. Validation curves are added automatically when
            ``fit`` has validation data.
        every: redraw at most every this many epochs.
        min_interval: redraw at most once per this many seconds.
        max_overhead: redraws during training may use at most this fraction of the
            training time so far (the final drawing is always made); None for no limit.
        title: the figure's title (default "Learning curves").
        mode: ``"auto"`` (figure in Jupyter, summary line elsewhere), ``"display"``
            (always show the figure through IPython), ``"text"`` (summary line only) or
            ``"off"`` (record only).
        target: an ``ipywidgets.Image`` to draw into instead of the cell's output (the labs
            use this to show training inside their own figure).
        figsize, dpi: size of the figure in inches and its pixels per inch.

    After ``fit``, ``history`` holds the recorded values, ``figure`` the matplotlib figure,
    ``png`` the last image shown, ``draw_count`` how many times it was drawn and
    ``overhead_seconds`` the time the callback took.
    """

    def __init__(
        self,
        metrics: str | Sequence[str] = ("loss",),
        every: int = 1,
        min_interval: float = 0.5,
        max_overhead: float | None = 0.02,
        title: str | None = None,
        mode: str = "auto",
        target=None,
        figsize: tuple[float, float] | None = None,
        dpi: int = 90,
    ):
        super().__init__()
        if isinstance(metrics, str):
            metrics = (metrics,)
        try:
            metrics = tuple(metrics)
        except TypeError:
            metrics = None
        if not metrics or not all(isinstance(name, str) and name for name in metrics):
            raise LiveCurvesError(
                'metrics should be a metric name or a list of names, e.g. "loss" or ("loss", "accuracy").'
            )
        bad = [name for name in metrics if name.startswith("val_")]
        if bad:
            raise LiveCurvesError(
                f"Ask for {bad[0][4:]!r} rather than {bad[0]!r}: the validation curve is drawn "
                "next to the training curve automatically."
            )
        if mode not in MODES:
            raise LiveCurvesError(f"mode should be one of {', '.join(map(repr, MODES))}; got {mode!r}.")
        if not (isinstance(every, int) and every >= 1):
            raise LiveCurvesError(f"every should be a whole number of epochs, 1 or more; got {every!r}.")
        if not (min_interval >= 0 and (max_overhead is None or 0 < max_overhead <= 1)):
            raise LiveCurvesError("min_interval should be 0 or more, and max_overhead between 0 and 1 (or None).")
        self.metrics = metrics
        self.every = every
        self.min_interval = float(min_interval)
        self.max_overhead = None if max_overhead is None else float(max_overhead)
        self.title = title or "Learning curves"
        self.mode = mode
        self.target = target
        self.figsize = figsize
        self.dpi = dpi
        self._reset()

    # ------------------------------------------------------------------ bookkeeping
    def _reset(self):
        self.history: dict[str, list[float]] = {}
        self.epochs: list[int] = []
        self.figure: Figure | None = None
        self.png: bytes | None = None
        self.alt = ""
        self.summary = ""
        self.display_id: str | None = None
        self.draw_count = 0
        self.draw_seconds = 0.0
        self.overhead_seconds = 0.0
        self.training_seconds = 0.0
        self._shown_metrics: list[str] | None = None
        self._axes: dict = {}  # metric name -> its panel
        self._curves: dict = {}  # metric name -> the LearningCurve drawn on its panel
        self._handle = None
        self._last_drawn_epoch = 0
        self._last_draw_end = 0.0
        self._last_draw_cost = None
        self._train_start = time.perf_counter()
        self._total_epochs = None
        self._draws_figure = False
        self._active_mode = "off"

    def _resolved_mode(self) -> str:
        if self.mode != "auto":
            return self.mode
        return "display" if _in_jupyter() else "text"

    # ------------------------------------------------------------------ Keras hooks
    def on_train_begin(self, logs=None):
        self._reset()
        start = time.perf_counter()
        self._train_start = start
        self._total_epochs = (self.params or {}).get("epochs")
        mode = self._resolved_mode()
        if mode == "display" and not InteractiveShell.initialized() and self.target is None:
            mode = "text"  # no notebook to show a figure in
        self._active_mode = mode
        self._draws_figure = self.target is not None or mode == "display"
        if self.target is None and mode == "display":
            from IPython.display import display

            # A placeholder now, so the figure later replaces this very output.
            self._handle = display(
                {"text/plain": "Training: the learning curves appear after the first epochs..."},
                raw=True,
                display_id=True,
            )
            self.display_id = self._handle.display_id
        self.overhead_seconds += time.perf_counter() - start

    def on_epoch_end(self, epoch, logs=None):
        start = time.perf_counter()
        self._record(epoch, logs or {})
        if self._draws_figure and self._should_draw(start):
            self._draw(final=False)
        self.overhead_seconds += time.perf_counter() - start

    def on_train_end(self, logs=None):
        start = time.perf_counter()
        self.training_seconds = start - self._train_start
        self.summary = self._summary_line()
        if self._draws_figure and self.epochs:
            self._draw(final=True)
        elif self._active_mode == "text" and self.epochs:
            print(self.summary)
        self.overhead_seconds += time.perf_counter() - start

    # ------------------------------------------------------------------ recording
    def _record(self, epoch, logs):
        self.epochs.append(int(epoch) + 1)
        for name, value in logs.items():
            try:
                number = float(value)
            except (TypeError, ValueError):
                continue
            series = self.history.setdefault(name, [math.nan] * (len(self.epochs) - 1))
            series.append(number)
        for series in self.history.values():  # a value missing this epoch stays a gap
            if len(series) < len(self.epochs):
                series.append(math.nan)
        if self._shown_metrics is None:
            self._shown_metrics = self._choose_metrics()

    def _choose_metrics(self) -> list[str]:
        recorded = [name for name in self.history if not name.startswith("val_")]
        shown = [name for name in self.metrics if name in self.history]
        missing = [name for name in self.metrics if name not in self.history]
        if missing:
            warnings.warn(
                f"LiveLearningCurves: this training does not record {', '.join(map(repr, missing))}; "
                f"it records {', '.join(map(repr, recorded)) or 'nothing'}. To record a metric, "
                "add it when compiling, e.g. model.compile(..., metrics=['accuracy']).",
                stacklevel=2,
            )
        return shown or recorded[:1]

    def _should_draw(self, now: float) -> bool:
        if len(self.epochs) - self._last_drawn_epoch < self.every:
            return False
        if self.draw_count and now - self._last_draw_end < self.min_interval:
            return False
        if self.max_overhead is None:
            return True
        # Keep drawing under max_overhead of the time trained so far.
        expected = self._last_draw_cost if self._last_draw_cost is not None else _FIRST_DRAW_GUESS_SECONDS
        return self.draw_seconds + expected <= self.max_overhead * (now - self._train_start)

    # ------------------------------------------------------------------ drawing
    def _build_figure(self):
        names = self._shown_metrics or []
        width, height = self.figsize or (4.6 * len(names) + 1.4, 3.4)
        figure = new_figure(width, height, dpi=self.dpi, layout=None)
        # Fixed margins: an automatic layout engine would double the cost of every redraw.
        figure.subplots_adjust(left=0.9 / width, right=1 - 0.25 / width, bottom=0.17, top=0.8, wspace=0.32)
        self._axes = dict(zip(names, figure.subplots(1, len(names), squeeze=False)[0]))
        self.figure = figure

    def _draw(self, final: bool):
        start = time.perf_counter()
        if self.figure is None:
            self._build_figure()
        right = max(self._total_epochs or 0, len(self.epochs), 2)
        epochs = np.arange(1, len(self.epochs) + 1)
        for name, axis in self._axes.items():
            valid = self.history.get("val_" + name)
            curve = self._curves.get(name)
            if curve is not None and not final and (valid is None) == (curve.valid_line is None):
                # Between epochs only the lines move: far cheaper than drawing the panel anew.
                curve.train_line.set_data(epochs, self.history[name])
                if valid is not None:
                    curve.valid_line.set_data(epochs, valid)
                axis.relim()
                axis.autoscale_view(scalex=False)
                continue
            axis.clear()
            self._curves[name] = draw_learning_curve(axis, self.history[name], valid, name=name, mark_best=final)
            axis.set_ylabel(metric_title(name))
            axis.set_title(metric_title(name))
            axis.grid(True, alpha=0.3)
            axis.legend(loc="upper right", frameon=False)
            axis.set_xlim(0.5, right + 0.5)
        done = len(self.epochs)
        total = f" of {self._total_epochs}" if self._total_epochs else ""
        self.figure.suptitle(f"{self.title} (finished after {done} epochs)" if final
                             else f"{self.title}: epoch {done}{total}", fontweight="bold")
        self.png = figure_png(self.figure)
        self.alt = self._alt_text(final)
        self._show()
        self.draw_count += 1
        self._last_drawn_epoch = done
        end = time.perf_counter()
        self._last_draw_cost = end - start
        self._last_draw_end = end
        self.draw_seconds += end - start

    def _show(self):
        if self.target is not None:
            self.target.value = self.png
            # A plain ipywidgets.Image with a tooltip breaks in the browser (ipywidgets 8.1);
            # the labs' FigureImage keeps its tooltip on the Python side only.
            if isinstance(self.target, FigureImage):
                self.target.tooltip = self.alt
            return
        if self._handle is None:
            return
        encoded = base64.b64encode(self.png).decode("ascii")
        bundle = {
            "text/html": f'<img src="data:image/png;base64,{encoded}" alt="{html.escape(self.alt, quote=True)}"/>',
            "text/plain": self.alt,
        }
        self._handle.update(bundle, raw=True)

    # ------------------------------------------------------------------ text
    def _latest(self, name):
        values = [v for v in self.history.get(name, []) if not math.isnan(v)]
        return values[-1] if values else None

    def _alt_text(self, final: bool) -> str:
        parts = []
        for name in self._axes:
            train, valid = self._latest(name), self._latest("val_" + name)
            text = f"training {name} {train:.4g}" if train is not None else f"training {name} not recorded"
            if valid is not None:
                text += f", validation {name} {valid:.4g}"
            parts.append(text)
        when = "after" if final else "so far,"
        return f"Learning curves {when} {len(self.epochs)} epochs: " + "; ".join(parts) + "."

    def _summary_line(self) -> str:
        if not self.epochs:
            return "LiveLearningCurves: no epoch finished."
        name = (self._shown_metrics or ["loss"])[0]
        train, valid = self._latest(name), self._latest("val_" + name)
        text = f"Trained {len(self.epochs)} epochs in {self.training_seconds:.1f} s"
        if train is not None:
            text += f": {name} {train:.4g}"
        if valid is not None:
            values = np.asarray(self.history["val_" + name], dtype=float)
            best = int(np.nanargmax(values) if higher_is_better(name) else np.nanargmin(values))
            text += f", validation {name} {valid:.4g} (best {values[best]:.4g} at epoch {self.epochs[best]})"
        return text + "."
