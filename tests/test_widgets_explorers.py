"""The labs of lessons 1-3 (helpers.widgets.labs), driven from Python the way a learner
drives them in the browser.

Each test moves widgets or presses buttons and checks what the learner would see: the
numbers in the read-out, the matplotlib artists and the PNG shown. Interaction times are
measured and printed (run with ``-s``); the asserted budgets are generous (5x the 200 ms
and 2x the 10 s targets) because CI machines are shared.
"""

from __future__ import annotations

import math
import statistics
import time

import ipywidgets
import numpy as np
import pytest

from helpers import data, widgets
from helpers.widgets import LabInputError

FAST_BUDGET = 1.0  # s: target 0.2 s for slider moves and buttons, 5x margin for load
TRAINING_BUDGET = 20.0  # s: target 10 s for one activation's training, 2x margin


def median_seconds(action, repeats):
    """Run action(i) for i in range(repeats); the median wall time in seconds."""
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def widget_tree(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from widget_tree(child)


def displayed_bundle(widget) -> dict:
    """What a notebook receives when it displays ``widget``, on ipywidgets 8 and 7.7 (Colab's)."""
    if hasattr(widget, "_repr_mimebundle_"):  # ipywidgets 8
        return widget._repr_mimebundle_()
    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    had_shell = InteractiveShell.initialized()
    InteractiveShell.instance()  # ipywidgets 7 displays through the running IPython shell
    try:
        with capture_output() as captured:
            widget._ipython_display_()
    finally:
        if not had_shell:
            InteractiveShell.clear_instance()
    return captured.outputs[0].data if captured.outputs else {}


def assert_displays_as_widget(lab):
    bundle = displayed_bundle(lab)
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert lab.image in widget_tree(lab) and lab.readout in widget_tree(lab)
    # ipywidgets 8.1's browser code shows an error box instead of an Image that has a tooltip.
    for child in widget_tree(lab):
        if isinstance(child, ipywidgets.Image):
            assert "tooltip" not in child.keys
    assert lab.png.startswith(b"\x89PNG")


# ---------------------------------------------------------------------------------------
# Lab 1: neuron explorer
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cereals():
    return data.load_cereals()[["sugars", "calories"]].dropna()


@pytest.fixture
def neuron_lab():
    return widgets.neuron_explorer()


def test_neuron_explorer_shows_cereals_as_a_widget(neuron_lab, cereals):
    assert_displays_as_widget(neuron_lab)
    assert len(neuron_lab.x_values) == len(cereals) == 76
    assert neuron_lab.n_dropped == 1  # the cereal with sugars missing
    assert "1 row(s) with a missing value" in neuron_lab.readout.value
    assert neuron_lab.data_ax.get_xlabel() == "sugars (x)"
    assert neuron_lab.data_ax.get_ylabel() == "calories (y)"


def test_moving_w_and_b_updates_mae_line_and_picture(neuron_lab, cereals):
    x, y = cereals["sugars"].to_numpy(), cereals["calories"].to_numpy()
    pictures = {neuron_lab.png}
    for w, b in [(2.0, 90.0), (-1.5, 120.0), (3.25, 80.0)]:
        neuron_lab.w.value, neuron_lab.b.value = w, b
        expected = np.mean(np.abs(y - (w * x + b)))
        assert neuron_lab.mae == pytest.approx(expected)
        assert f"mean absolute error <b>{expected:.2f}</b>" in neuron_lab.readout.value
        assert f"MAE {expected:.2f}" in neuron_lab.data_ax.get_title()
        line_x, line_y = neuron_lab.line.get_data()
        np.testing.assert_allclose(line_y, w * np.asarray(line_x) + b)
        # One error bar per cereal, from the point to the line.
        segments = neuron_lab.residuals.get_segments()
        assert len(segments) == len(x)
        np.testing.assert_allclose([s[1][1] for s in segments], w * x + b)
        pictures.add(neuron_lab.png)
    assert len(pictures) == 4, "every slider setting should show a different picture"


def test_fit_button_gives_the_least_mae_line(neuron_lab, cereals):
    assert neuron_lab.best_mae is None
    neuron_lab.fit_button.click()
    best = neuron_lab.best_mae
    assert best == pytest.approx(11.56, abs=0.01)
    assert "Best line" in neuron_lab.readout.value and f"{best:.2f}" in neuron_lab.readout.value
    # No slider setting beats it ...
    grid_w = np.arange(neuron_lab.w.min, neuron_lab.w.max, 0.25)
    grid_b = np.arange(neuron_lab.b.min, neuron_lab.b.max, 1.0)
    grid_mae = [neuron_lab.mae_of(w, b) for w in grid_w for b in grid_b]
    assert best <= min(grid_mae) + 1e-9
    # ... nor does the least-squares line.
    x, y = cereals["sugars"].to_numpy(), cereals["calories"].to_numpy()
    ls_w, ls_b = np.polyfit(x, y, 1)
    assert best <= neuron_lab.mae_of(ls_w, ls_b)
    # The dashed line drawn is the fitted one, and the sliders were left where they were.
    line_x, line_y = neuron_lab.best_line.get_data()
    np.testing.assert_allclose(line_y, neuron_lab.best_w * np.asarray(line_x) + neuron_lab.best_b)
    assert neuron_lab.w.value == 0.0


def test_neuron_explorer_takes_other_columns_and_explains_bad_ones():
    wine = data.load_red_wine()
    lab = widgets.neuron_explorer(wine, x="alcohol", y="quality")
    lab.w.value = 0.4
    expected = np.mean(np.abs(wine["quality"] - (0.4 * wine["alcohol"] + lab.b.value)))
    assert lab.mae == pytest.approx(expected)
    with pytest.raises(LabInputError, match="no column 'suger'.*'sugars'"):
        widgets.neuron_explorer(x="suger")
    with pytest.raises(ValueError, match="not numbers"):
        widgets.neuron_explorer(x="mfr")


def test_neuron_explorer_responds_fast(neuron_lab):
    def move(i):
        neuron_lab.w.value = -3 + 0.5 * i

    seconds = median_seconds(move, 12)
    print(f"\nneuron explorer: median slider response {seconds * 1000:.0f} ms")
    assert seconds < FAST_BUDGET
    start = time.perf_counter()
    neuron_lab.fit_button.click()
    fit_seconds = time.perf_counter() - start
    print(f"neuron explorer: 'Fit best line' took {fit_seconds * 1000:.0f} ms")
    assert fit_seconds < FAST_BUDGET


# ---------------------------------------------------------------------------------------
# Lab 2: activation explorer
# ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def activation_lab():
    return widgets.activation_explorer()


def test_each_activation_trains_within_budget_and_fits_the_wave(activation_lab):
    lab = activation_lab
    assert_displays_as_widget(lab)
    assert lab.activation.value == "relu" and "relu" in lab.results
    pictures = {lab.png}
    timings = {}
    for name in ["sigmoid", "tanh", "elu", "swish", "linear"]:
        start = time.perf_counter()
        lab.activation.value = name
        timings[name] = time.perf_counter() - start
        assert timings[name] < TRAINING_BUDGET, f"{name} took {timings[name]:.1f} s"
        assert not lab.activation.disabled
        pictures.add(lab.png)
        assert f"MSE {lab.mse:.3f}" in lab.fit_ax.get_title()
    print("\nactivation explorer: first-time training (s) " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()))
    assert len(pictures) == 6

    mse = {name: result.mse for name, result in lab.results.items()}
    print("activation explorer: MSE " + ", ".join(f"{k} {v:.4f}" for k, v in mse.items()))
    # A flat line at 0 scores 0.5 on sin(2x); the best straight line hardly does better.
    assert 0.40 < mse["linear"] < 0.50
    for name in ["relu", "sigmoid", "tanh", "elu", "swish"]:
        assert mse[name] < 0.05, f"a 2x16 {name} network should follow the wave (MSE {mse[name]:.3f})"

    # Linear layers stacked stay linear: the drawn prediction is a straight line.
    linear = lab.results["linear"].predictions
    assert np.max(np.abs(np.diff(linear, n=2))) < 1e-4
    assert np.max(np.abs(np.diff(lab.results["relu"].predictions, n=2))) > 1e-3


def test_switching_back_uses_the_cache_and_is_fast(activation_lab):
    lab = activation_lab
    lab.activation.value = "relu"
    before = dict(lab.results)

    def switch(i):
        lab.activation.value = ["tanh", "relu"][i % 2]

    seconds = median_seconds(switch, 6)
    print(f"\nactivation explorer: median switch to an already-trained activation {seconds * 1000:.0f} ms")
    assert seconds < FAST_BUDGET
    assert all(lab.results[name] is result for name, result in before.items()), "nothing should be retrained"


def test_activation_curves_and_slopes(activation_lab):
    lab = activation_lab
    z = lab.z_grid
    sigmoid = 1 / (1 + np.exp(-z))
    expected = {
        "relu": np.maximum(z, 0),
        "sigmoid": sigmoid,
        "tanh": np.tanh(z),
        "elu": np.where(z > 0, z, np.exp(z) - 1),
        "swish": z * sigmoid,
        "linear": z,
    }
    for name, values in expected.items():
        np.testing.assert_allclose(lab.activation_curve(name), values, atol=1e-5, err_msg=name)

    lab.activation.value = "relu"
    lab.show_slope.value = False
    hidden = lab.png
    assert not lab.slope_line.get_visible()
    start = time.perf_counter()
    lab.show_slope.value = True
    print(f"\nactivation explorer: slope checkbox {1000 * (time.perf_counter() - start):.0f} ms")
    assert lab.slope_line.get_visible() and lab.png != hidden
    slope_z, slope = lab.slope_line.get_data()
    slope_z = np.asarray(slope_z)
    assert np.allclose(slope[slope_z < -0.1], 0) and np.allclose(slope[slope_z > 0.1], 1)


def test_activation_explorer_rejects_unknown_activation():
    with pytest.raises(LabInputError, match="Unknown activation 'relu6'.*sigmoid"):
        widgets.activation_explorer("relu6")


# ---------------------------------------------------------------------------------------
# Lab 3: SGD playground
# ---------------------------------------------------------------------------------------


@pytest.fixture
def sgd_lab():
    return widgets.sgd_playground()


def test_default_run_has_expected_steps_and_converges(sgd_lab):
    lab = sgd_lab
    assert_displays_as_widget(lab)
    traj = lab.trajectory
    assert traj.steps_per_epoch == math.ceil(256 / 16) == 16
    assert lab.total_steps == 16 * 5 == len(traj.w) - 1 == len(traj.batch_loss)
    assert lab.step.max == lab.play.max == lab.total_steps
    assert (traj.w[0], traj.b[0]) == (0.0, 0.0)
    assert traj.diverged_at is None
    # After 5 epochs at learning rate 0.05 the loss is within 5 % of the lowest possible.
    assert traj.loss[-1] <= 1.05 * lab.best_loss
    assert traj.loss[-1] < traj.loss[0] / 20


def test_trajectory_length_follows_the_hyperparameters(sgd_lab):
    lab = sgd_lab
    for n, batch, epochs in [(100, 32, 3), (64, 1, 2), (50, 128, 4), (1599, 256, 1)]:
        lab.n_examples.value, lab.batch_size.value, lab.epochs.value = n, batch, epochs
        steps_per_epoch = math.ceil(n / min(batch, n))
        assert lab.trajectory.steps_per_epoch == steps_per_epoch
        assert lab.total_steps == steps_per_epoch * epochs
        assert lab.step.max == lab.total_steps and lab.step.value == 0
        # Every example is used exactly once per epoch.
        used = np.concatenate(lab.trajectory.batches[:steps_per_epoch])
        assert sorted(used) == list(range(n))


def test_first_step_is_one_gradient_step_on_its_minibatch(sgd_lab):
    lab = sgd_lab
    traj = lab.trajectory
    batch = traj.batches[0]
    x, y = lab.x_used[batch], lab.y_used[batch]
    # At w = b = 0 the error is -y, so the MSE gradient is (-2 mean(x y), -2 mean(y)).
    lr = lab.learning_rate.value
    assert traj.w[1] == pytest.approx(lr * 2 * np.mean(x * y))
    assert traj.b[1] == pytest.approx(lr * 2 * np.mean(y))
    # The x the lab uses is standardized alcohol.
    wine = data.load_red_wine()
    alcohol = (wine["alcohol"] - wine["alcohol"].mean()) / wine["alcohol"].std(ddof=0)
    np.testing.assert_allclose(np.sort(lab.x_all), np.sort(alcohol.to_numpy()))


def test_full_batch_descent_reaches_the_least_squares_line(sgd_lab):
    lab = sgd_lab
    lab.n_examples.value = 200
    lab.batch_size.value = 512  # more than the examples: one full batch per epoch
    lab.epochs.value = 10
    lab.learning_rate.value = 0.5
    assert lab.trajectory.steps_per_epoch == 1
    best_w, best_b = np.polyfit(lab.x_used, lab.y_used, 1)
    assert lab.trajectory.w[-1] == pytest.approx(best_w, abs=0.01)
    assert lab.trajectory.b[-1] == pytest.approx(best_b, abs=0.01)


def test_playback_moves_the_point_without_recomputing(sgd_lab):
    lab = sgd_lab
    recomputes = lab.n_recomputes
    start_picture = lab.png
    lab.play.value = 10  # what the Play button does, one tick at a time
    assert lab.step.value == 10
    assert lab.path_point.get_data() == ([lab.trajectory.w[10]], [lab.trajectory.b[10]])
    assert (lab.current_w, lab.current_b) == (lab.trajectory.w[10], lab.trajectory.b[10])
    assert f"Loss at step 10: {lab.current_loss:.3g}" == lab.loss_ax.get_title()
    assert len(lab.path_done.get_data()[0]) == 11
    assert lab.png != start_picture
    lab.step_button.click()
    assert lab.step.value == lab.play.value == 11
    lab.step.value = lab.total_steps
    lab.step_button.click()  # already at the end: stays there
    assert lab.step.value == lab.total_steps
    lab.reset_button.click()
    assert lab.step.value == 0 and lab.png == start_picture
    assert lab.n_recomputes == recomputes, "playback must not rerun SGD"


def test_changing_a_hyperparameter_recomputes_once(sgd_lab):
    lab = sgd_lab
    lab.step.value = 30
    recomputes = lab.n_recomputes
    lab.learning_rate.value = 0.01
    assert lab.n_recomputes == recomputes + 1
    assert lab.step.value == 0
    # A smaller learning rate gets less far in the same 80 steps.
    assert lab.trajectory.loss[-1] > 2 * lab.best_loss


def test_too_large_learning_rate_is_explained(sgd_lab):
    lab = sgd_lab
    lab.learning_rate.value = 10**lab.learning_rate.max  # about 1.8: each step overshoots further
    traj = lab.trajectory
    assert traj.diverged_at is not None and lab.total_steps == traj.diverged_at < 80
    assert "learning rate is too large" in lab.readout.value
    lab.step.value = lab.total_steps  # the last, exploded step still draws
    assert lab.png.startswith(b"\x89PNG")


def test_sgd_playground_responds_fast(sgd_lab):
    lab = sgd_lab

    def play(i):
        lab.play.value = i + 1

    step_seconds = median_seconds(play, 20)

    def change(i):
        lab.batch_size.value = [8, 32][i % 2]

    change_seconds = median_seconds(change, 6)
    lab.n_examples.value, lab.batch_size.value, lab.epochs.value = 1599, 1, 10
    start = time.perf_counter()
    lab.learning_rate.value = 0.02  # the largest run: 15,990 steps
    largest = time.perf_counter() - start
    print(f"\nSGD playground: median playback step {step_seconds * 1000:.0f} ms, "
          f"hyperparameter change {change_seconds * 1000:.0f} ms, largest run ({lab.total_steps} steps) "
          f"{largest * 1000:.0f} ms")
    assert step_seconds < FAST_BUDGET and change_seconds < FAST_BUDGET
    assert largest < 5 * FAST_BUDGET


def test_sgd_playground_explains_bad_columns():
    with pytest.raises(LabInputError, match="no column 'alcool'.*'alcohol'"):
        widgets.sgd_playground(x="alcool")
