"""Tests for the labs of lessons 4-6 (helpers.widgets.labs), driven from Python.

Each test sets widget values or presses buttons the way a learner would, then checks the
numbers and the picture the learner sees. Timing budgets (10 s per training run, 200 ms per
non-training interaction) are multiplied by DLCOURSE_TIME_MARGIN (default 3) because the
test machine may be shared; the measured medians are printed (run with -s to see them).
"""

import os
import statistics
import time

import numpy as np
import pytest

from helpers import data, widgets
from helpers.widgets import LabInputError
from helpers.widgets.labs.threshold_explorer import ionosphere_classifier_outputs, ionosphere_probabilities
from helpers.widgets.training import mean_guess_mae, red_wine_arrays

MARGIN = float(os.environ.get("DLCOURSE_TIME_MARGIN", "3"))
TRAIN_BUDGET = 10.0 * MARGIN
INTERACTION_BUDGET = 0.200 * MARGIN


def _timed(action):
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _report(name, seconds):
    print(f"\n{name}: median {statistics.median(seconds) * 1000:.0f} ms over {len(seconds)} "
          f"(max {max(seconds) * 1000:.0f} ms)")


# --------------------------------------------------------------------------------------
# Data: the training labs use the lessons' split (tests/test_data_splits.py pins it)
# --------------------------------------------------------------------------------------
def test_training_labs_train_on_the_lessons_split():
    arrays, tables = red_wine_arrays(), data.red_wine_split()
    for array, table in zip(arrays.__dict__.values(), tables):
        np.testing.assert_array_equal(array, table.to_numpy("float32"))
        assert not array.flags.writeable  # cached for the session: nobody may change it
    assert mean_guess_mae() == pytest.approx(float((tables.y_valid - tables.y_train.mean()).abs().mean()), rel=1e-5)


# --------------------------------------------------------------------------------------
# Lab 6: threshold explorer
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def given_arrays():
    rng = np.random.default_rng(1)
    probabilities = rng.random(60)
    labels = (rng.random(60) < probabilities).astype(int)
    return probabilities, labels


def test_threshold_zero_predicts_everything_positive(given_arrays):
    probabilities, labels = given_arrays
    lab = widgets.threshold_explorer(probabilities, labels)
    lab.threshold.value = 0.0
    assert lab.predictions.tolist() == [1] * 60
    assert lab.accuracy == pytest.approx(labels.mean())
    assert lab.confusion.tolist() == [[0, int((labels == 0).sum())], [0, int(labels.sum())]]


def test_threshold_updates_counts_picture_but_not_the_loss(given_arrays):
    probabilities, labels = given_arrays
    lab = widgets.threshold_explorer(probabilities, labels, threshold=0.5)
    losses = lab.losses.copy()
    expected = -np.mean(labels * np.log(probabilities) + (1 - labels) * np.log(1 - probabilities))
    assert lab.mean_cross_entropy == pytest.approx(expected, rel=1e-6)
    pictures = {bytes(lab.png)}
    for threshold in (0.2, 0.35, 0.8, 1.0):
        lab.threshold.value = threshold
        predicted = probabilities >= threshold
        assert lab.confusion.sum() == 60
        assert lab.confusion[1, 1] == int((predicted & (labels == 1)).sum())  # true positives
        assert lab.confusion[0, 1] == int((predicted & (labels == 0)).sum())  # false positives
        assert lab.accuracy == pytest.approx(np.mean(predicted == labels))
        assert f"{lab.accuracy:.1%}" in lab.readout.value
        assert f"threshold {threshold:.2f}" in lab.image.tooltip
        pictures.add(bytes(lab.png))
        np.testing.assert_array_equal(lab.losses, losses)  # the threshold never changes the loss
    assert len(pictures) == 5  # every threshold drew a different picture
    assert lab.predictions.sum() == (probabilities >= 1.0).sum() == 0  # threshold 1: none positive


def test_threshold_interaction_is_fast(given_arrays):
    lab = widgets.threshold_explorer(*given_arrays)
    seconds = [_timed(lambda v=v: setattr(lab.threshold, "value", v)) for v in np.linspace(0.05, 0.95, 19)]
    _report("threshold change (60 examples)", seconds)
    assert statistics.median(seconds) < INTERACTION_BUDGET
    assert lab.last_update_seconds < INTERACTION_BUDGET


def test_threshold_accepts_model_predict_output_and_explains_bad_input():
    probabilities = np.array([[0.9], [0.2], [0.6]])  # shape (n, 1), as model.predict returns
    lab = widgets.threshold_explorer(probabilities, [1, 0, 0], class_names=("spam", "ham"))
    assert lab.confusion.tolist() == [[1, 1], [0, 1]]
    assert "ham" in lab.readout.value
    with pytest.raises(LabInputError, match="3 probabilities but 2 labels"):
        widgets.threshold_explorer([0.1, 0.5, 0.9], [0, 1])
    with pytest.raises(LabInputError, match="between 0 and 1"):
        widgets.threshold_explorer([0.1, 2.5], [0, 1])
    with pytest.raises(LabInputError, match="0 \\(negative\\) or 1"):
        widgets.threshold_explorer([0.1, 0.5], [0, 2])
    with pytest.raises(LabInputError, match="both probabilities= and labels="):
        widgets.threshold_explorer([0.1, 0.5])


def test_default_threshold_lab_trains_an_ionosphere_classifier():
    ionosphere_classifier_outputs.cache_clear()
    seconds = _timed(ionosphere_probabilities)
    print(f"\nionosphere classifier trained in {seconds:.1f} s")
    assert seconds < TRAIN_BUDGET
    lab = widgets.threshold_explorer()
    # Lesson 6's split: 246 training, 52 validation and 53 test signals; 'bad' is class 1,
    # about a quarter of the held-out signals.
    assert len(lab.labels) == 52 and lab.labels.sum() == pytest.approx(0.25 * 52, abs=5)
    assert lab.accuracy >= 0.85  # a usable classifier at threshold 0.5
    assert "Predicted bad" in lab.readout.value and "52 validation signals" in lab.children[0].value
    lab.threshold.value = 0.0
    assert lab.accuracy == pytest.approx(lab.positive_rate)


def test_ionosphere_probabilities_keep_validation_and_test_apart():
    valid_p, valid_y = ionosphere_probabilities("validation")
    test_p, test_y = ionosphere_probabilities("test")
    assert len(valid_y) == 52 and len(test_y) == 53
    # Trained once (cached) on the training signals only; both splits clearly beat always
    # answering 'good' at threshold 0.5.
    assert ionosphere_probabilities("validation")[0] is valid_p
    for p, y in ((valid_p, valid_y), (test_p, test_y)):
        assert ((p >= 0.5) == y).mean() > (y == 0).mean() + 0.1
    with pytest.raises(ValueError):
        valid_p[0] = 0.5  # read-only: the cache cannot be changed by accident
    with pytest.raises(LabInputError, match="validation"):
        ionosphere_probabilities("train")


# --------------------------------------------------------------------------------------
# Lab 4: capacity and early stopping
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def capacity_runs():
    """One lab, three trainings shared by the tests below (each takes a few seconds)."""
    lab = widgets.capacity_explorer()
    images_seen = []
    lab.image.observe(lambda change: images_seen.append(change["new"]), names="value")
    timings = {}

    def train(name, **settings):
        for control, value in settings.items():
            getattr(lab, control).value = value
        images_seen.clear()
        timings[name] = _timed(lab.train_button.click)
        return lab.run, len(images_seen)

    runs = {
        "tiny": train("tiny", width=2, depth=1, max_epochs=30, early_stopping=False),
        "big": train("big", width=256, depth=3, max_epochs=60, early_stopping=False),
        "stopped": train("stopped", width=256, depth=3, max_epochs=60, early_stopping=True, patience=2),
    }
    print("\ncapacity lab training times: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    return lab, runs, timings


def test_capacity_training_runs_fit_the_budget(capacity_runs):
    _, runs, timings = capacity_runs
    assert max(timings.values()) < TRAIN_BUDGET
    # The live callback drew into the lab while training, then the lab drew the result.
    assert all(images >= 2 for _, images in runs.values())


def test_tiny_network_underfits_and_big_network_overfits(capacity_runs):
    _, runs, _ = capacity_runs
    tiny, big = runs["tiny"][0], runs["big"][0]
    assert tiny.epochs_run == 30 and big.epochs_run == 60
    # Underfitting: the tiny network's validation MAE stays high, near or above guessing the average.
    assert tiny.best_val_loss > 0.9 * mean_guess_mae()
    # The big network learns far better, and its training MAE ends well below validation.
    assert big.best_val_loss < 0.1
    # (seed 0 on JAX: gaps 0.0129 and 0.0082, so no fixed margin between the two)
    assert big.gap() > 0.005 and big.gap() > tiny.gap()
    assert big.loss[-1] < big.val_loss[-1]


def test_early_stopping_halts_and_restores_the_best_epoch(capacity_runs):
    lab, runs, _ = capacity_runs
    stopped = runs["stopped"][0]
    assert stopped.stopped_epoch is not None and stopped.stopped_epoch < 60
    assert stopped.epochs_run == stopped.stopped_epoch
    assert stopped.restored_epoch < stopped.stopped_epoch
    # The same seed: the first epochs match the run without early stopping.
    np.testing.assert_allclose(stopped.val_loss, runs["big"][0].val_loss[: stopped.epochs_run], rtol=1e-4)
    lab.width.value, lab.depth.value, lab.max_epochs.value = 256, 3, 60
    lab.early_stopping.value, lab.patience.value = True, 2
    assert lab.run is stopped and lab.stopped_epoch == stopped.stopped_epoch
    labels = [line.get_label() for line in lab.axis.get_lines()]
    assert f"early stopping halted: epoch {stopped.stopped_epoch}" in labels
    assert f"best weights restored: epoch {stopped.restored_epoch}" in labels
    assert f"halted at epoch <b>{stopped.stopped_epoch}</b>" in lab.readout.value


def test_capacity_settings_come_back_from_memory_quickly(capacity_runs):
    lab, runs, _ = capacity_runs
    pictures, seconds = {}, []
    for name, settings in [("tiny", (2, 1, 30, False)), ("big", (256, 3, 60, False))] * 4:
        def select(settings=settings):
            lab.early_stopping.value = settings[3]
            lab.width.value, lab.depth.value, lab.max_epochs.value = settings[:3]
        seconds.append(_timed(select))
        assert lab.run is runs[name][0]
        assert "from memory" in lab.status.value
        pictures.setdefault(name, set()).add(bytes(lab.png))
    _report("capacity lab, switching between two trained settings", seconds)
    assert statistics.median(seconds) < INTERACTION_BUDGET
    assert pictures["tiny"].isdisjoint(pictures["big"])
    assert len(lab.runs) == 3  # nothing was retrained
    lab.width.value = 32
    assert "Press Train" in lab.status.value


def test_capacity_figure_redraw_is_fast(capacity_runs):
    """The worst case of a non-training interaction: a run shown next to a new previous run."""
    lab, runs, _ = capacity_runs
    seconds = []
    for name in ["tiny", "big", "stopped"] * 3:
        lab.pictures.clear()  # force a full redraw
        seconds.append(_timed(lambda name=name: lab.show_run(runs[name][0])))
    _report("capacity lab, full figure redraw", seconds)
    assert statistics.median(seconds) < INTERACTION_BUDGET


# --------------------------------------------------------------------------------------
# Lab 5: dropout and batch normalization
# --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def regularization_lab():
    lab = widgets.regularization_explorer()
    timings = {}
    for name, dropout, batchnorm in [("plain", 0.0, False), ("dropout", 0.3, False), ("batchnorm", 0.0, True)]:
        lab.dropout.value, lab.batchnorm.value = dropout, batchnorm
        timings[name] = _timed(lab.train_button.click)
    print("\nregularization lab training times: " + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items()))
    return lab, timings


def test_regularization_training_runs_fit_the_budget(regularization_lab):
    _, timings = regularization_lab
    assert max(timings.values()) < TRAIN_BUDGET


def test_dropout_changes_the_gap(regularization_lab):
    lab = regularization_lab[0]
    plain, dropout = lab.runs[(0.0, False)], lab.runs[(0.3, False)]
    assert plain.gap() > 0.005  # without regularization validation sits above training
    assert dropout.gap() < plain.gap() - 0.005  # dropout raises the training MAE: the gap shrinks
    lab.dropout.value, lab.batchnorm.value = 0.3, False
    assert lab.gap == pytest.approx(dropout.gap())
    assert f"{abs(dropout.gap()):.4f}" in lab.readout.value
    assert f"gap {dropout.gap():+.4f}" in lab.axis.get_title()
    assert len(lab.axis.collections) == 2  # the shaded band (above and below parts)
    assert lab.runs_table.value.count("<tr") == 1 + 3


def test_batchnorm_changes_the_curves(regularization_lab):
    lab = regularization_lab[0]
    plain, batchnorm = lab.runs[(0.0, False)], lab.runs[(0.0, True)]
    assert not np.allclose(plain.loss, batchnorm.loss, rtol=0.02)
    lab.dropout.value, lab.batchnorm.value = 0.0, True
    assert lab.run is batchnorm
    picture = bytes(lab.png)
    lab.batchnorm.value = False
    assert bytes(lab.png) != picture and lab.run is plain
