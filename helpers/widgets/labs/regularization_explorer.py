"""Lab 5: dropout and batch normalization, on the red wine data."""

from __future__ import annotations

import ipywidgets as widgets
import keras

from helpers.widgets.base import CONTROL_STYLE
from helpers.widgets.training import TrainingLab, train_red_wine

__all__ = ["regularization_explorer"]


class RegularizationExplorer(TrainingLab):
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
                                           style=CONTROL_STYLE)
        self.batchnorm = widgets.Checkbox(value=batchnorm, description="Batch normalization", indent=False)
        super().__init__([self.dropout, self.batchnorm])

    def setting(self):
        return (round(float(self.dropout.value), 2), bool(self.batchnorm.value))

    def describe(self, setting):
        rate, batchnorm = setting
        return f"dropout {rate:.1f}, batch normalization {'on' if batchnorm else 'off'}"

    def train_setting(self, setting):
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
        return train_red_wine(hidden_layers, self.EPOCHS, label,
                               {"dropout": rate, "batchnorm": batchnorm}, live_target=self.image)

    @property
    def gap(self):
        """Validation minus training MAE over the last 10 epochs (None before training)."""
        return self.run.gap() if self.run else None

    def draw_run(self, run):
        axis = self.axis
        self.draw_curves(axis, run, band=True)
        axis.set_axis_on()
        axis.set_title(f"Learning curves: {run.label}; gap {run.gap():+.4f}")
        axis.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=9)
        return (f"Learning curves with {run.label}: final training MAE {run.loss[-1]:.3f}, final "
                f"validation MAE {run.val_loss[-1]:.3f}; over the last 10 epochs validation is "
                f"{run.gap():+.3f} from training. Best validation MAE {run.best_val_loss:.3f}.")

    def readout_for(self, run):
        direction = ("above" if run.gap() >= 0 else "below")
        return (f"Gap over the last 10 epochs: validation MAE is <b>{abs(run.gap()):.4f} {direction}</b> "
                f"training MAE. Best validation MAE <b>{run.best_val_loss:.4f}</b> at epoch {run.best_epoch}; "
                f"final training MAE {run.loss[-1]:.4f}.")

    def table_columns(self):
        return ("dropout", "batchnorm", "gap (last 10)", "best val MAE", "final train MAE", "seconds")

    def table_row(self, run):
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
