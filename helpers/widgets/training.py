"""What the two training labs share (lab 4, capacity; lab 5, regularization): a red wine
network trained with a fixed seed, the record of one run, and a lab with a Train button
that keeps every run and draws its learning curves.

Both labs train on the red wine data exactly as lessons 3-5 prepare it
(:func:`helpers.data.red_wine_split`), so their MAE is in the same units as the lessons'
(0.1 = half a quality point). Every setting is trained with the same random seed and kept,
so returning to a setting shows it again at once.
"""

from __future__ import annotations

import functools
import html
import time
from dataclasses import dataclass, field

import ipywidgets as widgets
import keras
import numpy as np

from helpers import data
from helpers.plots import PALETTE, draw_learning_curve
from helpers.widgets.base import DPI, Lab, new_figure
from helpers.widgets.live import LiveLearningCurves

SEED = 0
BATCH_SIZE = 256
# Early stopping counts an epoch as progress only if the validation MAE drops by this much.
MIN_DELTA = 0.001
# One y range for every run, so curves from different settings can be compared by eye.
MAE_LIMITS = (0.05, 0.30)


@dataclass(frozen=True)
class RedWineArrays:
    """The lessons' red wine split as read-only float32 arrays (the same on every Keras backend)."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_valid: np.ndarray
    y_valid: np.ndarray


def _frozen(table):
    array = np.ascontiguousarray(table, dtype="float32")
    array.setflags(write=False)
    return array


@functools.cache
def red_wine_arrays() -> RedWineArrays:
    """:func:`helpers.data.red_wine_split` as arrays, prepared once per session."""
    return RedWineArrays(*(_frozen(table) for table in data.red_wine_split()))


@functools.cache
def mean_guess_mae() -> float:
    """Validation MAE of always predicting the average training quality: the bar to beat."""
    split = red_wine_arrays()
    return float(np.mean(np.abs(split.y_valid - split.y_train.mean())))


@dataclass
class TrainingRun:
    """The outcome of training one setting: curves, early-stopping epochs and timing.

    Epoch numbers count from 1, like the x axis of the figures.
    """

    label: str
    loss: np.ndarray
    val_loss: np.ndarray
    max_epochs: int
    seconds: float
    stopped_epoch: int | None = None   # where early stopping halted training (None: it ran to the end)
    restored_epoch: int | None = None  # the epoch whose weights early stopping restored
    settings: dict = field(default_factory=dict)

    @property
    def epochs_run(self) -> int:
        return len(self.loss)

    @property
    def best_epoch(self) -> int:
        return int(np.argmin(self.val_loss)) + 1

    @property
    def best_val_loss(self) -> float:
        return float(np.min(self.val_loss))

    def gap(self, last: int = 10) -> float:
        """Validation minus training MAE, averaged over the last ``last`` epochs."""
        tail = slice(-min(last, self.epochs_run), None)
        return float(np.mean(self.val_loss[tail] - self.loss[tail]))


def train_red_wine(make_hidden_layers, epochs, label, settings, early_stopping_patience=None,
                    live_target=None):
    """Train one red wine model with a fixed seed and return a :class:`TrainingRun`."""
    split = red_wine_arrays()
    keras.utils.set_random_seed(SEED)  # the same setting always gives the same curves
    model = keras.Sequential(
        [keras.Input(shape=(split.X_train.shape[1],)), *make_hidden_layers(), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mae")
    callbacks = []
    stopper = None
    if early_stopping_patience is not None:
        stopper = keras.callbacks.EarlyStopping(
            monitor="val_loss", patience=early_stopping_patience, min_delta=MIN_DELTA,
            restore_best_weights=True,
        )
        callbacks.append(stopper)
    if live_target is not None:
        callbacks.append(LiveLearningCurves(
            mode="off", target=live_target, title=f"Training {label}", figsize=(9.0, 3.6), dpi=DPI,
            min_interval=0.3, max_overhead=0.05,
        ))
    start = time.perf_counter()
    # Plain NumPy arrays, so the lab runs unchanged on every Keras backend; the seed above
    # also fixes the order in which `fit` shuffles the wines each epoch.
    history = model.fit(split.X_train, split.y_train, validation_data=(split.X_valid, split.y_valid),
                        batch_size=BATCH_SIZE, epochs=epochs, verbose=0, callbacks=callbacks)
    seconds = time.perf_counter() - start
    run = TrainingRun(
        label=label,
        loss=np.asarray(history.history["loss"], dtype=float),
        val_loss=np.asarray(history.history["val_loss"], dtype=float),
        max_epochs=epochs, seconds=seconds, settings=dict(settings),
    )
    if stopper is not None:
        run.stopped_epoch = stopper.stopped_epoch + 1 if stopper.stopped_epoch > 0 else None
        run.restored_epoch = stopper.best_epoch + 1
    return run


# --------------------------------------------------------------------------------------
# A lab that trains one setting at a time and keeps every run
# --------------------------------------------------------------------------------------
class TrainingLab(Lab):
    """Controls + Train button + figure + read-out + a table of every run so far.

    Subclasses pass the controls whose values make a setting, and define ``setting()`` (a
    hashable key), ``describe(setting)``, ``train_setting(setting)``, ``draw_run(run)`` (draws
    on ``axis`` and returns the alt text), ``readout_for(run)``, ``table_columns()`` and
    ``table_row(run)``; ``sync_controls()`` if some controls depend on others.

    ``image`` / ``png`` is what the learner sees. Pictures are kept per (run, previous run),
    so ``figure`` holds the last picture actually drawn, which may be an earlier one.
    """

    intro = ""

    def __init__(self, controls):
        super().__init__(new_figure(9.0, 3.6, layout=None))
        self.figure.subplots_adjust(left=0.08, right=0.63, bottom=0.14, top=0.9)  # the legend goes right
        self.axis = self.figure.add_subplot()
        self.runs: dict = {}        # setting -> TrainingRun, the cache
        self.run: TrainingRun | None = None   # the run on screen
        self.previous_run: TrainingRun | None = None
        self.pictures: dict = {}   # (run, previous run) -> (PNG, alt text)
        self.train_button = widgets.Button(description="Train", button_style="primary", icon="play",
                                           tooltip="Train a model with these settings")
        self.train_button.on_click(lambda _button: self.train())
        self.status = widgets.HTML()
        self.runs_table = widgets.HTML()
        for control in controls:
            control.observe(self._on_setting_change, names="value")
        self.children = [
            widgets.HTML(self.intro),
            widgets.HBox([widgets.VBox(controls), widgets.VBox([self.train_button, self.status])]),
            self.image,
            self.readout,
            self.runs_table,
        ]
        self._show_untrained()
        self.placeholder("Press Train to see the learning curves of this network.")

    @property
    def best_valid_loss(self):
        """The lowest validation MAE of the run on screen (None before training)."""
        return self.run.best_val_loss if self.run else None

    # what the learner does -------------------------------------------------------
    def train(self) -> TrainingRun:
        """Train the current setting (or fetch it from the cache) and show it."""
        setting = self.setting()
        if setting in self.runs:
            self.show_run(self.runs[setting])
            return self.run
        self.train_button.disabled = True
        self.status.value = f"<i>Training {html.escape(self.describe(setting))}...</i>"
        try:
            run = self.train_setting(setting)
        except Exception as error:  # a widget callback's traceback would be hidden: say it here
            self.status.value = ""
            self.say(f"Training failed: {error}", warning=True)
            raise
        finally:
            self.train_button.disabled = False
        self.runs[setting] = run
        self.show_run(run)
        self.status.value = f"Trained in {run.seconds:.1f} s."
        return run

    def _on_setting_change(self, _change):
        self.sync_controls()
        setting = self.setting()
        if setting in self.runs:
            self.show_run(self.runs[setting])
            self.status.value = "Trained before: shown from memory."
        else:
            self.status.value = f"<b>Press Train</b> to train {html.escape(self.describe(setting))}."

    def sync_controls(self):
        """Enable or disable controls that depend on others (subclasses override)."""

    # what the learner sees -------------------------------------------------------
    def show_run(self, run: TrainingRun):
        if self.run is not None and run is not self.run:
            self.previous_run = self.run
        self.run = run
        # The picture depends on this run and the previous one: keep each pair drawn, so
        # flipping between two settings costs no drawing at all.
        key = (id(run), id(self.previous_run) if self.previous_run is not run else None)
        if key in self.pictures:
            self.image.value, self.image.tooltip = self.pictures[key]
        else:
            alt = self.draw_run(run)
            self.redraw(alt)
            self.pictures[key] = (self.image.value, alt)
        self.readout.value = self.readout_for(run)
        self.runs_table.value = self._table()

    def _show_untrained(self):
        self.status.value = f"<b>Press Train</b> to train {html.escape(self.describe(self.setting()))}."

    def _table(self) -> str:
        header = "".join(f"<th style='padding:0 10px'>{name}</th>" for name in self.table_columns())
        rows = []
        for run in self.runs.values():
            cells = "".join(f"<td style='padding:0 10px;text-align:right'>{value}</td>"
                            for value in self.table_row(run))
            weight = "font-weight:bold" if run is self.run else ""
            rows.append(f"<tr style='{weight}'>{cells}</tr>")
        return ("<details open><summary>Runs so far (the one shown in bold)</summary>"
                f"<table><tr>{header}</tr>{''.join(rows)}</table></details>")

    def placeholder(self, text):
        self.axis.clear()
        self.axis.set_axis_off()
        self.axis.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, transform=self.axis.transAxes)
        self.redraw(text)

    def draw_curves(self, axis, run, band=False):
        """Training and validation curves of ``run`` on ``axis`` (cleared first), over the
        previous run's validation curve and the always-guess-the-average line."""
        axis.clear()
        epochs = np.arange(1, run.epochs_run + 1)
        if self.previous_run is not None and self.previous_run is not run:
            previous = self.previous_run
            axis.plot(np.arange(1, previous.epochs_run + 1), previous.val_loss, color="0.6",
                      linestyle="--", linewidth=1.5, label=f"validation, previous run ({previous.label})")
        if band:
            above = run.val_loss >= run.loss
            axis.fill_between(epochs, run.loss, run.val_loss, where=above, interpolate=True,
                              color=PALETTE["vermillion"], alpha=0.2, linewidth=0,
                              label="gap: validation above training")
            axis.fill_between(epochs, run.loss, run.val_loss, where=~above, interpolate=True,
                              color=PALETTE["sky_blue"], alpha=0.3, linewidth=0,
                              label="gap: validation below training")
        draw_learning_curve(axis, run.loss, run.val_loss, name="MAE")
        axis.axhline(mean_guess_mae(), color="0.35", linestyle=":", linewidth=1.2,
                     label="always guessing the average")
        axis.set_xlim(0.5, run.max_epochs + 0.5)
        axis.set_ylim(*MAE_LIMITS)
        axis.set_ylabel("MAE (scaled quality)")
        axis.grid(True, alpha=0.3)
