"""Lab 4: capacity and early stopping, on the red wine data."""

from __future__ import annotations

import html

import ipywidgets as widgets
import keras

from helpers.plots import BEST_COLOR, PALETTE
from helpers.widgets.base import CONTROL_STYLE, LabInputError
from helpers.widgets.training import TrainingLab, mean_guess_mae, train_red_wine

__all__ = ["capacity_explorer"]


class CapacityExplorer(TrainingLab):
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
                                             description="Units per layer", style=CONTROL_STYLE)
        self.depth = widgets.IntSlider(value=depth, min=1, max=3, description="Hidden layers",
                                       style=CONTROL_STYLE)
        self.max_epochs = widgets.IntSlider(value=max_epochs, min=10, max=100, step=10,
                                            description="Max epochs", style=CONTROL_STYLE)
        self.early_stopping = widgets.Checkbox(value=early_stopping, description="Early stopping",
                                               indent=False)
        self.patience = widgets.IntSlider(value=patience, min=1, max=20,
                                          description="Patience (epochs)", style=CONTROL_STYLE)
        self.patience.disabled = not early_stopping
        super().__init__([self.width, self.depth, self.max_epochs, self.early_stopping, self.patience])

    # settings --------------------------------------------------------------------
    def setting(self):
        patience = self.patience.value if self.early_stopping.value else None
        return (self.width.value, self.depth.value, self.max_epochs.value, patience)

    def describe(self, setting):
        width, depth, epochs, patience = setting
        stopping = f", early stopping with patience {patience}" if patience else ""
        return f"{depth} x {width} units, up to {epochs} epochs{stopping}"

    def sync_controls(self):
        self.patience.disabled = not self.early_stopping.value

    def train_setting(self, setting):
        width, depth, epochs, patience = setting
        label = f"{depth} x {width}, {epochs} epochs" + (f", patience {patience}" if patience else "")

        def hidden_layers():
            return [keras.layers.Dense(width, activation="relu") for _ in range(depth)]

        return train_red_wine(hidden_layers, epochs, label,
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

    # picture ---------------------------------------------------------------------
    def draw_run(self, run):
        axis = self.axis
        self.draw_curves(axis, run)
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
        baseline = mean_guess_mae()
        if run.best_val_loss > 0.8 * baseline + 0.2 * 0.09:
            return ("Underfitting: both curves stay high. Bigger networks do better on these wines, so this "
                    "one is too small or trained too briefly.")
        last = run.val_loss[-1]
        if run.stopped_epoch is None and last > run.best_val_loss + 0.002 and run.gap() > 0.01:
            return "Overfitting: training keeps improving while validation has stopped improving."
        if run.gap() > 0.01:
            return "The curves are parting: training improves faster than validation."
        return "Both curves are still close together."

    def readout_for(self, run):
        stop = ("ran every epoch (early stopping off)" if run.restored_epoch is None else
                f"halted at epoch <b>{run.stopped_epoch}</b>, restored epoch <b>{run.restored_epoch}</b>"
                if run.stopped_epoch else
                f"never triggered; restored epoch <b>{run.restored_epoch}</b>")
        return (f"Best validation MAE <b>{run.best_val_loss:.4f}</b> at epoch {run.best_epoch} (an epoch picked "
                f"on the validation wines: fine for comparing settings, not a final figure); "
                f"final training MAE {run.loss[-1]:.4f}, validation MAE {run.val_loss[-1]:.4f}. "
                f"Early stopping: {stop}. Always guessing the average: {mean_guess_mae():.4f}.<br>"
                f"<i>{html.escape(self._verdict(run))}</i>")

    def table_columns(self):
        return ("network", "max epochs", "patience", "epochs run", "best val MAE", "final train MAE",
                "seconds")

    def table_row(self, run):
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
