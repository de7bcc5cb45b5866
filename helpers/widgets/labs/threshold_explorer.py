"""Lab 6: the decision threshold of a classifier, on the ionosphere data by default."""

from __future__ import annotations

import functools
import html

import ipywidgets as widgets
import keras
import numpy as np
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from helpers import data
from helpers.plots import PALETTE
from helpers.widgets.base import CONTROL_STYLE, Lab, LabInputError, new_figure, timed_update

__all__ = ["threshold_explorer", "ionosphere_probabilities"]

SEED = 0


@functools.cache
def ionosphere_classifier_outputs():
    """Train a small classifier on the ionosphere training signals once (a fixed 40 epochs: no
    choice is made on the validation or test signals); return {split: (probabilities, labels)}
    for the validation and test signals."""
    split = data.ionosphere_split()
    X_train = split.X_train.to_numpy("float32")
    keras.utils.set_random_seed(SEED)
    model = keras.Sequential([
        keras.Input(shape=(X_train.shape[1],)),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(16, activation="relu"),
        keras.layers.Dense(1, activation="sigmoid"),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="binary_crossentropy")
    model.fit(X_train, split.y_train.to_numpy("float32"), batch_size=32, epochs=40, verbose=0)
    outputs = {}
    for name, X, y in (("validation", split.X_valid, split.y_valid), ("test", split.X_test, split.y_test)):
        y = y.to_numpy("int64")
        probabilities = model.predict(X.to_numpy("float32"), verbose=0).ravel().astype(float)
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
    return ionosphere_classifier_outputs()[split]


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
        super().__init__(new_figure(10.0, 3.9, layout=None))
        self.probabilities, self.labels = probabilities, labels
        self.class_names = tuple(class_names)
        clipped = np.clip(probabilities, 1e-7, 1 - 1e-7)  # as Keras does, so no loss is infinite
        self.losses = -(labels * np.log(clipped) + (1 - labels) * np.log(1 - clipped))
        self.mean_cross_entropy = float(self.losses.mean())
        self.positive_rate = float(labels.mean())
        self.threshold = widgets.FloatSlider(value=threshold, min=0.0, max=1.0, step=0.01,
                                             description="Threshold", readout_format=".2f",
                                             continuous_update=True, style=CONTROL_STYLE,
                                             layout=widgets.Layout(width="420px"))
        self._build_figure()
        self.threshold.observe(self.update, names="value")
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
        self._class_colors = [to_rgba(c) for c in colors]
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
        good, bad = to_rgba(PALETTE["bluish_green"]), to_rgba(PALETTE["vermillion"])
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
        self.set_moving_artists([self._region, self._points, self._threshold_line, self._region_label,
                                 *self._cell_texts[0], *self._cell_texts[1], self._matrix_title, self._headline])

    @timed_update
    def update(self, *_):
        """Recompute the predictions for the current threshold and redraw (called on every move)."""
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
