"""Interactive labs for lessons 4-6: capacity and early stopping, dropout and batch
normalization, and the decision threshold of a classifier.

Each lab is one function that returns a widget; put the call on the last line of a cell::

    from helpers import widgets
    widgets.capacity_explorer()

Every control, every number shown and the picture itself are public attributes of the
returned object, so a lab can also be driven from Python (``lab.width.value = 256``,
``lab.train_button.click()``, ``lab.best_valid_loss``, ``lab.png``).

The two training labs train on the red wine data with the lessons' split (70 % of the wines
for training, ``random_state=0``) and min-max scaling from the training split, so their MAE
is in the same units as the lessons' (0.1 = half a quality point). Every setting is trained
with the same random seed and kept, so returning to a setting shows it again at once.
"""

from __future__ import annotations

import functools
import html
import io
import time
from dataclasses import dataclass, field

import ipywidgets as widgets
import keras
import numpy as np
import PIL.Image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba as _rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import MaxNLocator

from helpers import data
from helpers._errors import LearnerError
from helpers.plots import BEST_COLOR, PALETTE, TRAIN_COLOR, VALID_COLOR
from helpers.widgets._base import Lab
from helpers.widgets.live import LiveLearningCurves

__all__ = [
    "capacity_explorer",
    "regularization_explorer",
    "threshold_explorer",
    "CapacityExplorer",
    "RegularizationExplorer",
    "ThresholdExplorer",
    "TrainingRun",
    "red_wine_split",
    "ionosphere_probabilities",
    "LabInputError",
]


SEED = 0
DPI = 80
BATCH_SIZE = 256
# Early stopping counts an epoch as progress only if the validation MAE drops by this much.
MIN_DELTA = 0.001
# One y range for every run, so curves from different settings can be compared by eye.
MAE_LIMITS = (0.05, 0.30)
_CONTROL_STYLE = {"description_width": "initial"}


class LabInputError(LearnerError, ValueError):
    """A lab got data it cannot use; the message says what it needs."""


def _new_figure(width, height):
    # Fixed margins instead of a layout engine keep every redraw fast.
    figure = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Split:
    """Scaled training and validation arrays (float32) and the feature names."""

    X_train: np.ndarray
    y_train: np.ndarray
    X_valid: np.ndarray
    y_valid: np.ndarray
    features: tuple


def _frozen(array):
    array = np.ascontiguousarray(array, dtype="float32")
    array.setflags(write=False)
    return array


@functools.cache
def red_wine_split() -> Split:
    """The red wine data exactly as the lessons prepare it.

    70 % of the wines (``sample(frac=0.7, random_state=0)``) for training, the rest for
    validation; every column, the quality included, min-max scaled with the training
    split's minimum and maximum.
    """
    wine = data.load_red_wine()
    train = wine.sample(frac=0.7, random_state=0)
    valid = wine.drop(train.index)
    low, high = train.min(axis=0), train.max(axis=0)
    train = (train - low) / (high - low)
    valid = (valid - low) / (high - low)
    features = tuple(column for column in wine.columns if column != "quality")
    return Split(
        _frozen(train[list(features)]), _frozen(train["quality"]),
        _frozen(valid[list(features)]), _frozen(valid["quality"]), features,
    )


@functools.cache
def _mean_guess_mae() -> float:
    """Validation MAE of always predicting the average training quality: the bar to beat."""
    split = red_wine_split()
    return float(np.mean(np.abs(split.y_valid - split.y_train.mean())))


# --------------------------------------------------------------------------------------
# One training run
# --------------------------------------------------------------------------------------
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


def _train_red_wine(make_hidden_layers, epochs, label, settings, early_stopping_patience=None,
                    live_target=None):
    """Train one red wine model with a fixed seed and return a :class:`TrainingRun`."""
    split = red_wine_split()
    keras.utils.set_random_seed(SEED)  # the same setting always gives the same curves
    model = keras.Sequential(
        [keras.Input(shape=(len(split.features),)), *make_hidden_layers(), keras.layers.Dense(1)]
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
# Shared machinery of the two training labs
# --------------------------------------------------------------------------------------
class _TrainingLab(Lab):
    """Controls + Train button + figure + read-out + a table of every run so far.

    Subclasses pass the controls whose values make a setting, and define ``setting()`` (a
    hashable key), ``_describe(setting)``, ``_train(setting)``, ``_draw(run)`` (returns the alt
    text), ``_readout(run)``, ``_table_columns()`` and ``_table_row(run)``.

    ``image`` / ``png`` is what the learner sees. Pictures are kept per (run, previous run),
    so ``figure`` holds the last picture actually drawn, which may be an earlier one.
    """

    intro = ""

    def __init__(self, controls, figure):
        super().__init__(figure)
        self.runs: dict = {}        # setting -> TrainingRun, the cache
        self.run: TrainingRun | None = None   # the run on screen
        self.previous_run: TrainingRun | None = None
        self._pictures: dict = {}   # (run, previous run) -> (PNG, alt text)
        self.last_train_seconds = None
        self.last_show_seconds = None
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

    # what the learner does -------------------------------------------------------
    def train(self) -> TrainingRun:
        """Train the current setting (or fetch it from the cache) and show it."""
        setting = self.setting()
        if setting in self.runs:
            self._show(self.runs[setting])
            return self.run
        self.train_button.disabled = True
        self.status.value = f"<i>Training {html.escape(self._describe(setting))}...</i>"
        try:
            run = self._train(setting)
        except Exception as error:  # a widget callback's traceback would be hidden: say it here
            self.status.value = ""
            self.say(f"Training failed: {error}", warning=True)
            raise
        finally:
            self.train_button.disabled = False
        self.runs[setting] = run
        self.last_train_seconds = run.seconds
        self._show(run)
        self.status.value = f"Trained in {run.seconds:.1f} s."
        return run

    def _on_setting_change(self, _change):
        self._sync_controls()
        setting = self.setting()
        if setting in self.runs:
            self._show(self.runs[setting])
            self.status.value = "Trained before: shown from memory."
        else:
            self.status.value = f"<b>Press Train</b> to train {html.escape(self._describe(setting))}."

    def _sync_controls(self):
        """Enable or disable controls that depend on others (subclasses override)."""

    # what the learner sees -------------------------------------------------------
    def _show(self, run: TrainingRun):
        start = time.perf_counter()
        if self.run is not None and run is not self.run:
            self.previous_run = self.run
        self.run = run
        # The picture depends on this run and the previous one: keep each pair drawn, so
        # flipping between two settings costs no drawing at all.
        key = (id(run), id(self.previous_run) if self.previous_run is not run else None)
        if key in self._pictures:
            self.image.value, self.image.tooltip = self._pictures[key]
        else:
            alt = self._draw(run)
            self.redraw(alt)
            self._pictures[key] = (self.image.value, alt)
        self.readout.value = self._readout(run)
        self.runs_table.value = self._table()
        self.last_show_seconds = time.perf_counter() - start

    def _show_untrained(self):
        self.status.value = f"<b>Press Train</b> to train {html.escape(self._describe(self.setting()))}."

    def _table(self) -> str:
        header = "".join(f"<th style='padding:0 10px'>{name}</th>" for name in self._table_columns())
        rows = []
        for run in self.runs.values():
            cells = "".join(f"<td style='padding:0 10px;text-align:right'>{value}</td>"
                            for value in self._table_row(run))
            weight = "font-weight:bold" if run is self.run else ""
            rows.append(f"<tr style='{weight}'>{cells}</tr>")
        return ("<details open><summary>Runs so far (the one shown in bold)</summary>"
                f"<table><tr>{header}</tr>{''.join(rows)}</table></details>")

    def _placeholder(self, text):
        self.axis.clear()
        self.axis.set_axis_off()
        self.axis.text(0.5, 0.5, text, ha="center", va="center", fontsize=12, transform=self.axis.transAxes)
        self.redraw(text)

    def _draw_curves(self, axis, run, band=False):
        """Training and validation curves of ``run`` on ``axis`` (cleared first)."""
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
        axis.plot(epochs, run.loss, color=TRAIN_COLOR, linewidth=2, label="training MAE")
        axis.plot(epochs, run.val_loss, color=VALID_COLOR, linewidth=2, label="validation MAE")
        axis.axhline(_mean_guess_mae(), color="0.35", linestyle=":", linewidth=1.2,
                     label="always guessing the average")
        axis.set_xlim(0.5, run.max_epochs + 0.5)
        axis.set_ylim(*MAE_LIMITS)
        axis.set_xlabel("Epoch")
        axis.set_ylabel("MAE (scaled quality)")
        axis.xaxis.set_major_locator(MaxNLocator(integer=True))
        axis.grid(True, alpha=0.3)


# --------------------------------------------------------------------------------------
# Lab 4: capacity and early stopping
# --------------------------------------------------------------------------------------
class CapacityExplorer(_TrainingLab):
    """Lab 4: how width, depth and training time lead to under- or overfitting, and where
    early stopping halts.

    Controls: ``width`` (units per hidden layer), ``depth`` (hidden layers), ``max_epochs``,
    ``early_stopping`` (on/off), ``patience``, and ``train_button``. After training,
    ``run`` holds the curves, ``stopped_epoch`` and ``restored_epoch`` the early-stopping
    epochs, ``best_valid_loss`` the lowest validation MAE.
    """

    WIDTHS = (2, 8, 32, 128, 256)

    intro = (
        "<b>Capacity and early stopping.</b> Pick a network size and a training length, press "
        "<b>Train</b>, and compare the training curve (blue) with the validation curve (orange). "
        "The gray dashed curve is the previous run, for comparison."
    )

    def __init__(self, width=2, depth=1, max_epochs=60, early_stopping=False, patience=5):
        if width not in self.WIDTHS:
            raise LabInputError(f"width should be one of {self.WIDTHS}; got {width!r}.")
        self.width = widgets.SelectionSlider(options=list(self.WIDTHS), value=width,
                                             description="Units per layer", style=_CONTROL_STYLE)
        self.depth = widgets.IntSlider(value=depth, min=1, max=3, description="Hidden layers",
                                       style=_CONTROL_STYLE)
        self.max_epochs = widgets.IntSlider(value=max_epochs, min=10, max=100, step=10,
                                            description="Max epochs", style=_CONTROL_STYLE)
        self.early_stopping = widgets.Checkbox(value=early_stopping, description="Early stopping",
                                               indent=False)
        self.patience = widgets.IntSlider(value=patience, min=1, max=20,
                                          description="Patience (epochs)", style=_CONTROL_STYLE)
        self.patience.disabled = not early_stopping
        controls = [self.width, self.depth, self.max_epochs, self.early_stopping, self.patience]
        super().__init__(controls, _new_figure(9.0, 3.6))
        self.figure.subplots_adjust(left=0.08, right=0.63, bottom=0.14, top=0.9)
        self.axis = self.figure.add_subplot()
        self._placeholder("Press Train to see the learning curves of this network.")

    # settings --------------------------------------------------------------------
    def setting(self):
        patience = self.patience.value if self.early_stopping.value else None
        return (self.width.value, self.depth.value, self.max_epochs.value, patience)

    def _describe(self, setting):
        width, depth, epochs, patience = setting
        stopping = f", early stopping with patience {patience}" if patience else ""
        return f"{depth} x {width} units, up to {epochs} epochs{stopping}"

    def _sync_controls(self):
        self.patience.disabled = not self.early_stopping.value

    def _train(self, setting):
        width, depth, epochs, patience = setting
        label = f"{depth} x {width}, {epochs} epochs" + (f", patience {patience}" if patience else "")

        def hidden_layers():
            return [keras.layers.Dense(width, activation="relu") for _ in range(depth)]

        return _train_red_wine(hidden_layers, epochs, label,
                               {"width": width, "depth": depth, "max_epochs": epochs, "patience": patience},
                               early_stopping_patience=patience, live_target=self.image)

    # numbers ---------------------------------------------------------------------
    @property
    def stopped_epoch(self):
        """The epoch where early stopping halted training (None if it ran every epoch)."""
        return self.run.stopped_epoch if self.run else None

    @property
    def restored_epoch(self):
        """The epoch whose weights early stopping put back (None without early stopping)."""
        return self.run.restored_epoch if self.run else None

    @property
    def best_valid_loss(self):
        return self.run.best_val_loss if self.run else None

    # picture ---------------------------------------------------------------------
    def _draw(self, run):
        axis = self.axis
        self._draw_curves(axis, run)
        axis.set_axis_on()
        if run.stopped_epoch is not None:
            axis.axvline(run.stopped_epoch, color=BEST_COLOR, linestyle="--", linewidth=1.8,
                         label=f"early stopping halted: epoch {run.stopped_epoch}")
        if run.restored_epoch is not None:
            axis.axvline(run.restored_epoch, color=PALETTE["bluish_green"], linestyle=":", linewidth=2.2,
                         label=f"best weights restored: epoch {run.restored_epoch}")
        axis.set_title(f"Learning curves: {run.label}")
        axis.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=9)
        verdict = self._verdict(run)
        stop = (f" Early stopping halted at epoch {run.stopped_epoch} and restored epoch {run.restored_epoch}."
                if run.stopped_epoch else "")
        return (f"Learning curves ({run.label}), {run.epochs_run} epochs run: final training MAE "
                f"{run.loss[-1]:.3f}, final validation MAE {run.val_loss[-1]:.3f}, best validation MAE "
                f"{run.best_val_loss:.3f} at epoch {run.best_epoch}.{stop} {verdict}")

    def _verdict(self, run):
        """A plain-words reading of the curves, for the read-out and the alt text."""
        baseline = _mean_guess_mae()
        if run.best_val_loss > 0.8 * baseline + 0.2 * 0.09:
            return ("Underfitting: both curves stay high. Bigger networks do better on these wines, so this "
                    "one is too small or trained too briefly.")
        last = run.val_loss[-1]
        if run.stopped_epoch is None and last > run.best_val_loss + 0.002 and run.gap() > 0.01:
            return "Overfitting: training keeps improving while validation has stopped improving."
        if run.gap() > 0.01:
            return "The curves are parting: training improves faster than validation."
        return "Both curves are still close together."

    def _readout(self, run):
        stop = ("ran every epoch (early stopping off)" if run.restored_epoch is None else
                f"halted at epoch <b>{run.stopped_epoch}</b>, restored epoch <b>{run.restored_epoch}</b>"
                if run.stopped_epoch else
                f"never triggered; restored epoch <b>{run.restored_epoch}</b>")
        return (f"Best validation MAE <b>{run.best_val_loss:.4f}</b> at epoch {run.best_epoch} (an epoch picked "
                f"on the validation wines: fine for comparing settings, not a final figure); "
                f"final training MAE {run.loss[-1]:.4f}, validation MAE {run.val_loss[-1]:.4f}. "
                f"Early stopping: {stop}. Always guessing the average: {_mean_guess_mae():.4f}.<br>"
                f"<i>{html.escape(self._verdict(run))}</i>")

    def _table_columns(self):
        return ("network", "max epochs", "patience", "epochs run", "best val MAE", "final train MAE",
                "seconds")

    def _table_row(self, run):
        s = run.settings
        return (f"{s['depth']} x {s['width']}", s["max_epochs"], s["patience"] or "off", run.epochs_run,
                f"{run.best_val_loss:.4f}", f"{run.loss[-1]:.4f}", f"{run.seconds:.1f}")


def capacity_explorer(width=2, depth=1, max_epochs=60, early_stopping=False, patience=5):
    """Lab 4: train networks of different sizes on the red wine data and watch their curves.

    The learner sees sliders for the units per layer, the number of hidden layers, the
    number of epochs and the early-stopping patience, a Train button, and the learning
    curves of the latest run next to the previous run's validation curve. A tiny network
    underfits (both curves stay high); a big one trained long overfits (training keeps
    falling, validation flattens or rises). With early stopping on, vertical lines mark the
    epoch where training halted and the epoch whose weights were restored. Each run takes
    a few seconds; a setting trained before is shown again at once.
    """
    return CapacityExplorer(width=width, depth=depth, max_epochs=max_epochs,
                            early_stopping=early_stopping, patience=patience)


# --------------------------------------------------------------------------------------
# Lab 5: dropout and batch normalization
# --------------------------------------------------------------------------------------
class RegularizationExplorer(_TrainingLab):
    """Lab 5: what dropout and batch normalization do to the learning curves.

    Controls: ``dropout`` (rate after each hidden layer), ``batchnorm`` (on/off) and
    ``train_button``. After training, ``gap`` is the validation minus training MAE over the
    last 10 epochs (the shaded band), ``best_valid_loss`` the lowest validation MAE.
    """

    WIDTH, DEPTH, EPOCHS = 256, 3, 60

    intro = (
        f"<b>Dropout and batch normalization.</b> A {DEPTH}-layer network of {WIDTH} units is "
        f"trained for {EPOCHS} epochs. Change the dropout rate or switch batch normalization on, "
        "press <b>Train</b>, and watch the shaded gap between the training and validation curves."
    )

    def __init__(self, dropout=0.0, batchnorm=False):
        self.dropout = widgets.FloatSlider(value=dropout, min=0.0, max=0.5, step=0.1,
                                           description="Dropout rate", readout_format=".1f",
                                           style=_CONTROL_STYLE)
        self.batchnorm = widgets.Checkbox(value=batchnorm, description="Batch normalization", indent=False)
        super().__init__([self.dropout, self.batchnorm], _new_figure(9.0, 3.6))
        self.figure.subplots_adjust(left=0.08, right=0.63, bottom=0.14, top=0.9)
        self.axis = self.figure.add_subplot()
        self._placeholder("Press Train to see the learning curves of this network.")

    def setting(self):
        return (round(float(self.dropout.value), 2), bool(self.batchnorm.value))

    def _describe(self, setting):
        rate, batchnorm = setting
        return f"dropout {rate:.1f}, batch normalization {'on' if batchnorm else 'off'}"

    def _train(self, setting):
        rate, batchnorm = setting

        def hidden_layers():
            layers = []
            for _ in range(self.DEPTH):
                # The order of lesson 5: Dense, then Dropout, then BatchNormalization.
                layers.append(keras.layers.Dense(self.WIDTH, activation="relu"))
                if rate > 0:
                    layers.append(keras.layers.Dropout(rate))
                if batchnorm:
                    layers.append(keras.layers.BatchNormalization())
            return layers

        label = f"dropout {rate:.1f}" + (", batchnorm" if batchnorm else "")
        return _train_red_wine(hidden_layers, self.EPOCHS, label,
                               {"dropout": rate, "batchnorm": batchnorm}, live_target=self.image)

    @property
    def gap(self):
        """Validation minus training MAE over the last 10 epochs (None before training)."""
        return self.run.gap() if self.run else None

    @property
    def best_valid_loss(self):
        return self.run.best_val_loss if self.run else None

    def _draw(self, run):
        axis = self.axis
        self._draw_curves(axis, run, band=True)
        axis.set_axis_on()
        axis.set_title(f"Learning curves: {run.label}; gap {run.gap():+.4f}")
        axis.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=9)
        return (f"Learning curves with {run.label}: final training MAE {run.loss[-1]:.3f}, final "
                f"validation MAE {run.val_loss[-1]:.3f}; over the last 10 epochs validation is "
                f"{run.gap():+.3f} from training. Best validation MAE {run.best_val_loss:.3f}.")

    def _readout(self, run):
        direction = ("above" if run.gap() >= 0 else "below")
        return (f"Gap over the last 10 epochs: validation MAE is <b>{abs(run.gap()):.4f} {direction}</b> "
                f"training MAE. Best validation MAE <b>{run.best_val_loss:.4f}</b> at epoch {run.best_epoch}; "
                f"final training MAE {run.loss[-1]:.4f}.")

    def _table_columns(self):
        return ("dropout", "batchnorm", "gap (last 10)", "best val MAE", "final train MAE", "seconds")

    def _table_row(self, run):
        s = run.settings
        return (f"{s['dropout']:.1f}", "on" if s["batchnorm"] else "off", f"{run.gap():+.4f}",
                f"{run.best_val_loss:.4f}", f"{run.loss[-1]:.4f}", f"{run.seconds:.1f}")


def regularization_explorer(dropout=0.0, batchnorm=False):
    """Lab 5: train the same wide red wine network with dropout and/or batch normalization.

    The learner sees a dropout-rate slider, a batch-normalization switch and a Train
    button; the learning curves of the latest run with the gap between training and
    validation MAE shaded (red where validation is worse, blue where it is better) and
    given as a number; and a table of every run so far. Each run takes a few seconds; a
    setting trained before is shown again at once.
    """
    return RegularizationExplorer(dropout=dropout, batchnorm=batchnorm)


# --------------------------------------------------------------------------------------
# Lab 6: the decision threshold
# --------------------------------------------------------------------------------------
def _ionosphere_split():
    """The lessons' split of the ionosphere data: 70 % for training (``random_state=0``), the
    other 30 % cut into validation and test halves (``random_state=0``); min-max scaling from
    the training split, constant columns dropped; 'bad' is class 1."""
    radar = data.load_ionosphere()
    train = radar.sample(frac=0.7, random_state=0)
    held_out = radar.drop(train.index)
    valid = held_out.sample(frac=0.5, random_state=0)
    test = held_out.drop(valid.index)
    features = [c for c in radar.columns if c != "Class" and train[c].max() > train[c].min()]
    low, high = train[features].min(), train[features].max()
    return {
        name: (((part[features] - low) / (high - low)).to_numpy("float32"),
               (part["Class"] == "bad").to_numpy("int64"))
        for name, part in (("training", train), ("validation", valid), ("test", test))
    }


@functools.cache
def _ionosphere_classifier_outputs():
    """Train a small classifier on the ionosphere training signals once (a fixed 40 epochs: no
    choice is made on the validation or test signals); return {split: (probabilities, labels)}
    for the validation and test signals."""
    split = _ionosphere_split()
    X_train, y_train = split["training"]
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([
        keras.Input(shape=(X_train.shape[1],)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="binary_crossentropy")
    model.fit(X_train, y_train.astype("float32"), batch_size=32, epochs=40, verbose=0)
    outputs = {}
    for name in ("validation", "test"):
        X, y = split[name]
        probabilities = model.predict(X, verbose=0).ravel().astype(float)
        probabilities.setflags(write=False)  # cached: nobody may change them
        y.setflags(write=False)
        outputs[name] = (probabilities, y)
    return outputs


def ionosphere_probabilities(split="validation"):
    """The lab's ionosphere classifier: its probabilities of 'bad' and the true labels
    (1 = bad, 0 = good, as in lesson 6) for the 52 ``"validation"`` signals (choose a threshold
    on these) or the 53 ``"test"`` signals (score the chosen threshold on these, once).

    Split and scaling follow lesson 6: 70 % for training (``random_state=0``), the other 30 %
    cut into validation and test halves (``random_state=0``), min-max scaling from the training
    split, constant columns dropped. The network is trained once, on the training signals only.
    """
    if split not in ("validation", "test"):
        raise LabInputError('split should be "validation" (to choose a threshold) or "test" (to score it once).')
    return _ionosphere_classifier_outputs()[split]


def _check_inputs(probabilities, labels):
    if (probabilities is None) != (labels is None):
        raise LabInputError("Pass both probabilities= and labels=, or neither (to use the ionosphere classifier).")
    try:
        p = np.asarray(probabilities, dtype=float)
        y = np.asarray(labels, dtype=float)
    except (TypeError, ValueError):
        raise LabInputError("probabilities and labels should be arrays of numbers.") from None
    if p.ndim == 2 and p.shape[1] == 1:  # what model.predict returns for one sigmoid unit
        p = p[:, 0]
    y = y.ravel() if y.ndim == 2 and 1 in y.shape else y
    if p.ndim != 1:
        raise LabInputError(f"probabilities should be one number per example; got an array of shape {p.shape}.")
    if y.shape != p.shape:
        raise LabInputError(f"There are {p.size} probabilities but {y.size} labels; they should match one to one.")
    if p.size == 0:
        raise LabInputError("There are no examples: probabilities is empty.")
    if not np.all(np.isfinite(p)) or p.min() < 0 or p.max() > 1:
        raise LabInputError("probabilities should be between 0 and 1 (use a sigmoid output, not raw scores).")
    if not np.all((y == 0) | (y == 1)):
        raise LabInputError("labels should be 0 (negative) or 1 (positive) for every example.")
    return p, y.astype(int)


class ThresholdExplorer(Lab):
    """Lab 6: move the decision threshold and watch accuracy and the confusion matrix.

    Controls: ``threshold`` (a slider). Numbers: ``predictions`` (0/1 at the current
    threshold), ``accuracy``, ``confusion`` (2x2 array, rows = actual [negative, positive],
    columns = predicted), ``losses`` (cross-entropy of each example, which does not depend
    on the threshold) and ``mean_cross_entropy``. ``last_update_seconds`` is how long the
    latest threshold change took to redraw.
    """

    def __init__(self, probabilities, labels, class_names=("negative", "positive"), threshold=0.5, source=""):
        super().__init__(_new_figure(10.0, 3.9))
        self.probabilities, self.labels = probabilities, labels
        self.class_names = tuple(class_names)
        clipped = np.clip(probabilities, 1e-7, 1 - 1e-7)  # as Keras does, so no loss is infinite
        self.losses = -(labels * np.log(clipped) + (1 - labels) * np.log(1 - clipped))
        self.mean_cross_entropy = float(self.losses.mean())
        self.positive_rate = float(labels.mean())
        self.last_update_seconds = None
        self.threshold = widgets.FloatSlider(value=threshold, min=0.0, max=1.0, step=0.01,
                                             description="Threshold", readout_format=".2f",
                                             continuous_update=True, style=_CONTROL_STYLE,
                                             layout=widgets.Layout(width="420px"))
        self._build_figure()
        self.threshold.observe(lambda _change: self.update(), names="value")
        negative, positive = self.class_names
        self.children = [
            widgets.HTML(
                f"<b>Decision threshold.</b> {html.escape(source + ' ' if source else '')}A probability at or above the "
                f"threshold counts as <b>{html.escape(positive)}</b>, below it as "
                f"<b>{html.escape(negative)}</b>. Move the threshold and watch which examples "
                "change side (hollow = wrong), the confusion matrix and the accuracy."
            ),
            self.threshold, self.image, self.readout,
        ]
        self.update()

    # the figure is built once; update() only moves the pieces that change ----------------
    def _build_figure(self):
        figure = self.figure
        figure.subplots_adjust(left=0.07, right=0.97, bottom=0.14, top=0.86, wspace=0.35)
        grid = figure.add_gridspec(1, 2, width_ratios=(1.9, 1.0))
        strip, matrix = figure.add_subplot(grid[0]), figure.add_subplot(grid[1])
        negative, positive = self.class_names
        colors = np.where(self.labels == 1, PALETTE["blue"], PALETTE["orange"])
        self._class_colors = [_rgba(c) for c in colors]
        top = float(min(max(3.0, self.losses.max() * 1.08), 12.0))

        curve = np.linspace(1e-3, 1 - 1e-3, 200)
        strip.plot(curve, -np.log(curve), color=PALETTE["blue"], alpha=0.35, linewidth=1.5,
                   label=f"loss if actually {positive}")
        strip.plot(curve, -np.log(1 - curve), color=PALETTE["orange"], alpha=0.35, linewidth=1.5,
                   label=f"loss if actually {negative}")
        self._region = Rectangle((0.5, 0), 0.5, top, color="0.8", alpha=0.35, linewidth=0, zorder=0)
        strip.add_patch(self._region)
        self._points = strip.scatter(self.probabilities, np.minimum(self.losses, top * 0.98), s=28,
                                     edgecolors=self._class_colors, facecolors=self._class_colors,
                                     linewidths=1.4, zorder=3)
        self._threshold_line = strip.axvline(0.5, color="black", linestyle="--", linewidth=1.6)
        self._region_label = strip.text(0.99, top * 0.96, f"predicted {positive}", ha="right", va="top",
                                        fontsize=9, color="0.3")
        strip.set_xlim(-0.02, 1.02)
        strip.set_ylim(0, top)
        strip.set_xlabel(f"Predicted probability of '{positive}'")
        strip.set_ylabel("Cross-entropy of the example")
        strip.set_title("Each example's loss (hollow = misclassified)", fontsize=11)
        strip.grid(True, alpha=0.3)
        strip.legend(loc="upper center", frameon=False, fontsize=9)

        backgrounds = np.array([[1.0, 0.0], [0.0, 1.0]])  # 1 on the diagonal: correct predictions
        cell_colors = np.empty((2, 2, 4))
        good, bad = _rgba(PALETTE["bluish_green"]), _rgba(PALETTE["vermillion"])
        for row in range(2):
            for column in range(2):
                base = good if backgrounds[row, column] else bad
                cell_colors[row, column] = (*base[:3], 0.25)
        matrix.imshow(cell_colors, extent=(-0.5, 1.5, 1.5, -0.5))
        names = ((f"true {negative}", f"false {positive}"), (f"false {negative}", f"true {positive}"))
        self._cell_texts = [[matrix.text(column, row - 0.08, "", ha="center", va="center", fontsize=20,
                                         fontweight="bold") for column in range(2)] for row in range(2)]
        for row in range(2):
            for column in range(2):
                matrix.text(column, row + 0.28, names[row][column], ha="center", va="center", fontsize=9,
                            color="0.25")
        matrix.set_xticks([0, 1], [negative, positive])
        matrix.set_yticks([0, 1], [negative, positive])
        matrix.set_xlabel("Predicted")
        matrix.set_ylabel("Actual")
        matrix.tick_params(length=0)
        for spine in matrix.spines.values():
            spine.set_visible(False)
        self._matrix_title = matrix.set_title(" ", fontsize=11)
        self._headline = figure.suptitle(" ", fontweight="bold")
        # Everything else is drawn once and kept as a background; a threshold change redraws
        # only these artists on top of it ("blitting"), which keeps an update fast.
        self._moving = [self._region, self._points, self._threshold_line, self._region_label,
                        *self._cell_texts[0], *self._cell_texts[1], self._matrix_title, self._headline]
        for artist in self._moving:
            artist.set_animated(True)
        self._background = None

    def _render(self) -> bytes:
        canvas = self.figure.canvas
        if self._background is None:
            canvas.draw()  # draws every artist that is not animated
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        canvas.restore_region(self._background)
        for artist in self._moving:
            self.figure.draw_artist(artist)
        rgba = np.asarray(canvas.buffer_rgba())
        buffer = io.BytesIO()
        PIL.Image.fromarray(rgba[..., :3]).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def redraw(self, alt=None):
        """Show the current state (only the moving parts are redrawn)."""
        start = time.perf_counter()
        self.image.value = self._render()
        if alt is not None:
            self.image.tooltip = alt
        self.last_redraw_seconds = time.perf_counter() - start

    def update(self):
        """Recompute the predictions for the current threshold and redraw (called on every move)."""
        start = time.perf_counter()
        t = float(self.threshold.value)
        self.predictions = (self.probabilities >= t).astype(int)
        correct = self.predictions == self.labels
        self.accuracy = float(correct.mean())
        confusion = np.zeros((2, 2), dtype=int)
        np.add.at(confusion, (self.labels, self.predictions), 1)
        self.confusion = confusion

        self._threshold_line.set_xdata([t, t])
        self._region.set_x(t)
        self._region.set_width(max(0.0, 1.02 - t))
        faces = [color if ok else (1, 1, 1, 1) for color, ok in zip(self._class_colors, correct)]
        self._points.set_facecolors(faces)
        for row in range(2):
            for column in range(2):
                self._cell_texts[row][column].set_text(str(confusion[row, column]))
        errors = int((~correct).sum())
        self._matrix_title.set_text(f"Confusion matrix: accuracy {self.accuracy:.1%}")
        self._headline.set_text(f"Threshold {t:.2f}: {errors} of {len(self.labels)} examples misclassified")
        (tn, fp), (fn, tp) = confusion
        negative, positive = self.class_names
        alt = (f"At threshold {t:.2f}, accuracy {self.accuracy:.1%}: {tp} true {positive}, {tn} true "
               f"{negative}, {fp} false {positive}, {fn} false {negative}. Mean cross-entropy "
               f"{self.mean_cross_entropy:.3f}, the same at every threshold.")
        self.redraw(alt)
        predicted_positive = float(self.predictions.mean())
        self.readout.value = (
            f"Accuracy <b>{self.accuracy:.1%}</b> ({len(self.labels) - errors} of {len(self.labels)} right). "
            f"Predicted {html.escape(positive)}: {predicted_positive:.1%} of examples; actually "
            f"{html.escape(positive)}: {self.positive_rate:.1%}. Mean cross-entropy "
            f"<b>{self.mean_cross_entropy:.3f}</b> (it does not depend on the threshold)."
        )
        self.last_update_seconds = time.perf_counter() - start




def threshold_explorer(probabilities=None, labels=None, class_names=None, threshold=0.5):
    """Lab 6: move a classifier's decision threshold and watch what changes.

    The learner sees a threshold slider; each example's cross-entropy plotted against its
    predicted probability (hollow markers are misclassified at the current threshold, the
    dashed line is the threshold); the 2x2 confusion matrix with counts; and the accuracy.
    Moving the threshold changes predictions, accuracy and the matrix, but never the
    cross-entropy.

    With no arguments a small network is trained once on the ionosphere training signals (a
    few seconds) and its 52 validation signals are used (see :func:`ionosphere_probabilities`);
    or pass your own ``probabilities`` (of the positive class, e.g.
    ``model.predict(X).ravel()``) and ``labels`` (0 or 1).
    """
    if probabilities is None and labels is None:
        probabilities, labels = ionosphere_probabilities()
        source = (f"A small network trained on the ionosphere radar data gives each of the "
                  f"{len(labels)} validation signals a probability of being 'bad' (class 1, as in "
                  "lesson 6). Choose a threshold on these; the test signals stay out of sight.")
        names = class_names or ("good", "bad")
    else:
        source = ""
        names = class_names or ("negative", "positive")
    probabilities, labels = _check_inputs(probabilities, labels)
    if len(names) != 2:
        raise LabInputError("class_names should be two names: (negative, positive).")
    if not 0 <= threshold <= 1:
        raise LabInputError("threshold should be between 0 and 1.")
    return ThresholdExplorer(probabilities, labels, class_names=names, threshold=threshold, source=source)
