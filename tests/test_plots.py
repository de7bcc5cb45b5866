"""Tests for helpers.plots: the figures show what their docstrings promise."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import matplotlib  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from keras import layers  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from helpers import plots  # noqa: E402
from helpers.errors import LearnerError  # noqa: E402

HISTORY = {
    "loss": [1.0, 0.8, 0.6, 0.5, 0.45, 0.42],
    "val_loss": [1.1, 0.9, 0.7, 0.65, 0.7, 0.8],  # best (lowest) at epoch 4
    "accuracy": [0.5, 0.6, 0.7, 0.75, 0.8, 0.85],
    "val_accuracy": [0.5, 0.55, 0.72, 0.7, 0.74, 0.73],  # best (highest) at epoch 5
}


def _texts(fig):
    """Every piece of text drawn in a figure (axes texts and annotations)."""
    return [text.get_text() for ax in fig.axes for text in ax.texts]


def _line_by_label(ax, label):
    matches = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(matches) == 1, f"expected one line labelled {label!r}, found {len(matches)}"
    return matches[0]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --------------------------------------------------------------------------------------
# Palette and style
# --------------------------------------------------------------------------------------
def test_palette_is_okabe_ito_and_order_covers_it():
    assert set(plots.PALETTE.values()) == {
        "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
    }
    assert sorted(plots.PALETTE_ORDER) == sorted(plots.PALETTE)


def test_use_course_style_restores_palette_cycle_and_grid():
    matplotlib.rcdefaults()
    plots.use_course_style()
    cycle = [to_hex(c).upper() for c in matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle == [plots.PALETTE[name].upper() for name in plots.PALETTE_ORDER]
    assert matplotlib.rcParams["axes.grid"] is True
    assert matplotlib.rcParams["font.size"] >= 11


def test_plotting_functions_reapply_the_style():
    matplotlib.rcdefaults()
    plots.plot_activation("relu")
    assert matplotlib.rcParams["axes.grid"] is True


# --------------------------------------------------------------------------------------
# Learning curves
# --------------------------------------------------------------------------------------
def test_learning_curves_one_panel_per_metric_with_both_curves():
    fig = plots.plot_learning_curves(HISTORY, metrics=("loss", "accuracy"))
    assert isinstance(fig, matplotlib.figure.Figure)
    assert len(fig.axes) == 2
    loss_ax, accuracy_ax = fig.axes
    train = _line_by_label(loss_ax, "training loss")
    valid = _line_by_label(loss_ax, "validation loss")
    np.testing.assert_array_equal(train.get_xdata(), [1, 2, 3, 4, 5, 6])  # epochs start at 1
    np.testing.assert_allclose(valid.get_ydata(), HISTORY["val_loss"])
    assert loss_ax.get_xlabel() == "Epoch"
    assert loss_ax.get_ylabel() == "Loss"
    assert accuracy_ax.get_ylabel() == "Accuracy"
    assert loss_ax.get_title() and accuracy_ax.get_title()
    legend_labels = [t.get_text() for t in loss_ax.get_legend().get_texts()]
    assert "training loss" in legend_labels and "validation loss" in legend_labels


def test_best_epoch_is_min_for_loss_and_max_for_accuracy():
    fig = plots.plot_learning_curves(HISTORY, metrics=["loss", "accuracy"])
    loss_ax, accuracy_ax = fig.axes
    best_loss = _line_by_label(loss_ax, "best validation loss")
    assert list(best_loss.get_xdata()) == [4]
    assert list(best_loss.get_ydata()) == pytest.approx([0.65])
    best_accuracy = _line_by_label(accuracy_ax, "best validation accuracy")
    assert list(best_accuracy.get_xdata()) == [5]
    notes = _texts(fig)
    assert any("epoch 4" in note and "0.65" in note for note in notes)
    assert any("epoch 5" in note and "0.74" in note for note in notes)


def test_mark_best_false_draws_no_marker():
    fig = plots.plot_learning_curves(HISTORY, mark_best=False)
    (ax,) = fig.axes
    assert [line.get_label() for line in ax.get_lines()] == ["training loss", "validation loss"]
    assert _texts(fig) == []


def test_dataframe_and_single_title_and_string_metric():
    fig = plots.plot_learning_curves(pd.DataFrame(HISTORY), metrics="accuracy", title="My run")
    (ax,) = fig.axes
    assert ax.get_title() == "My run"
    np.testing.assert_allclose(_line_by_label(ax, "training accuracy").get_ydata(), HISTORY["accuracy"])


def test_suptitle_with_several_metrics():
    fig = plots.plot_learning_curves(HISTORY, metrics=("loss", "accuracy"), title="Both")
    assert fig._suptitle is not None and fig._suptitle.get_text() == "Both"


def test_training_only_history_has_no_validation_curve_or_marker():
    fig = plots.plot_learning_curves({"loss": [3.0, 2.0, 1.0]})
    (ax,) = fig.axes
    assert [line.get_label() for line in ax.get_lines()] == ["training loss"]


def test_real_keras_history_and_loss_name_in_label():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mae")
    x = np.random.default_rng(0).normal(size=(32, 2)).astype("float32")
    history = model.fit(x, x[:, :1], validation_split=0.25, epochs=3, verbose=0)
    fig = plots.plot_learning_curves(history)
    (ax,) = fig.axes
    assert ax.get_ylabel() == "Loss (mae)"
    assert len(_line_by_label(ax, "validation loss").get_xdata()) == 3

    with pytest.raises(TypeError, match="history = model.fit"):
        plots.plot_learning_curves(model)


def test_unknown_metric_lists_what_was_recorded():
    with pytest.raises(ValueError, match=r"no 'mae'.*loss, accuracy") as caught:
        plots.plot_learning_curves(HISTORY, metrics=("mae",))
    assert isinstance(caught.value, LearnerError)  # shown briefly in Jupyter


def test_val_prefixed_metric_is_explained():
    with pytest.raises(ValueError, match="Ask for 'loss'"):
        plots.plot_learning_curves(HISTORY, metrics=("val_loss",))


@pytest.mark.parametrize("bad", [[0.1, 0.2], "loss", 42, None])
def test_wrong_history_type(bad):
    with pytest.raises(TypeError, match="model.fit"):
        plots.plot_learning_curves(bad)


def test_empty_history():
    with pytest.raises(ValueError, match="empty"):
        plots.plot_learning_curves({"loss": []})


def test_learning_curves_into_given_axes():
    fig, axes = plt.subplots(1, 2)
    returned = plots.plot_learning_curves(HISTORY, metrics=("loss", "accuracy"), ax=axes)
    assert returned is fig
    assert axes[1].get_ylabel() == "Accuracy"
    with pytest.raises(ValueError, match="needs 2 axes"):
        plots.plot_learning_curves(HISTORY, metrics=("loss", "accuracy"), ax=axes[0])


# --------------------------------------------------------------------------------------
# Activations
# --------------------------------------------------------------------------------------
def test_relu_values_and_labels():
    fig = plots.plot_activation("relu")
    (ax,) = fig.axes
    (curve,) = [line for line in ax.get_lines() if line.get_label() == "relu"]
    x, y = curve.get_xdata(), curve.get_ydata()
    assert x.min() == -5 and x.max() == 5
    np.testing.assert_allclose(y, np.maximum(0, x), atol=1e-6)
    assert ax.get_title() == "Activation: relu"
    assert ax.get_xlabel() == "input x" and ax.get_ylabel() == "relu(x)"


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "elu", "swish", "linear"])
def test_named_activations_match_keras(name):
    x = np.linspace(-2, 2, 9)
    fig = plots.plot_activation(name, x=x)
    (curve,) = [line for line in fig.axes[0].get_lines() if line.get_label() == name]
    expected = keras.ops.convert_to_numpy(keras.activations.get(name)(x.astype("float32")))
    np.testing.assert_allclose(curve.get_ydata(), expected, atol=1e-6)


def test_callable_activation_uses_its_name():
    def half(values):
        return values / 2

    fig = plots.plot_activation(half, x=np.array([-2.0, 0.0, 4.0]))
    (curve,) = [line for line in fig.axes[0].get_lines() if line.get_label() == "half"]
    np.testing.assert_allclose(curve.get_ydata(), [-1.0, 0.0, 2.0])


def test_unknown_activation_name():
    with pytest.raises(ValueError, match="no activation called 'rleu'.*'relu'"):
        plots.plot_activation("rleu")
    with pytest.raises(TypeError, match="name"):
        plots.plot_activation(3)


# --------------------------------------------------------------------------------------
# Loss functions
# --------------------------------------------------------------------------------------
def test_loss_functions_side_by_side_values():
    errors = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    fig = plots.plot_loss_functions(errors=errors, delta=1.0)
    assert [ax.get_title() for ax in fig.axes] == ["MAE", "MSE", "Huber"]
    mae_ax, mse_ax, huber_ax = fig.axes
    np.testing.assert_allclose(mae_ax.get_lines()[0].get_ydata(), np.abs(errors), atol=1e-6)
    np.testing.assert_allclose(mse_ax.get_lines()[0].get_ydata(), errors**2, atol=1e-5)
    huber = np.where(np.abs(errors) <= 1, 0.5 * errors**2, np.abs(errors) - 0.5)
    np.testing.assert_allclose(huber_ax.get_lines()[0].get_ydata(), huber, atol=1e-6)
    for ax in fig.axes:
        assert "error" in ax.get_xlabel() and ax.get_ylabel() == "loss"


def test_loss_functions_overlay_has_three_labelled_curves():
    fig = plots.plot_loss_functions(overlay=True)
    (ax,) = fig.axes
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(labels) == 3
    assert any("absolute" in label for label in labels)
    assert any("squared" in label for label in labels)
    assert any("Huber" in label for label in labels)


def test_cross_entropy_curves():
    fig = plots.plot_cross_entropy()
    (ax,) = fig.axes
    one = _line_by_label(ax, "true label = 1")
    zero = _line_by_label(ax, "true label = 0")
    p = one.get_xdata()
    np.testing.assert_allclose(one.get_ydata(), -np.log(p), rtol=1e-4)
    np.testing.assert_allclose(zero.get_ydata(), -np.log(1 - p), rtol=1e-4)
    assert "probability" in ax.get_xlabel()
    assert "cross-entropy" in ax.get_ylabel()


# --------------------------------------------------------------------------------------
# Network diagram
# --------------------------------------------------------------------------------------
def _circles(ax):
    return [patch for patch in ax.patches if isinstance(patch, matplotlib.patches.Circle)]


def test_network_labels_reflect_units_and_activations():
    model = keras.Sequential([
        keras.Input(shape=(2,)),
        layers.Dense(4, activation="relu"),
        layers.Dense(3, activation="relu"),
        layers.Dense(1),
    ])
    fig = plots.plot_network(model)
    (ax,) = fig.axes
    texts = _texts(fig)
    assert "Input\n2 features" in texts
    assert "Dense\n4 units\nrelu" in texts
    assert "Dense\n3 units\nrelu" in texts
    assert "Dense\n1 unit\nlinear" in texts
    assert len(_circles(ax)) == 2 + 4 + 3 + 1
    assert "31 parameters" in ax.get_title()


def test_network_collapses_wide_layers_and_draws_bands():
    model = keras.Sequential([
        keras.Input(shape=(11,)),
        layers.Dense(512, activation="relu"),
        layers.Dropout(0.3),
        layers.BatchNormalization(),
        layers.Dense(1, activation="sigmoid"),
    ])
    fig = plots.plot_network(model, max_units_shown=6)
    (ax,) = fig.axes
    texts = _texts(fig)
    assert "512 units" in texts and "11 units" in texts
    assert texts.count("⋮") == 2
    assert "Dropout\nrate 0.3" in texts
    assert "Batch\nnorm" in texts
    assert "Dense\n1 unit\nsigmoid" in texts
    # Wide layers are drawn with max_units_shown - 1 circles (the ellipsis takes a slot).
    assert len(_circles(ax)) == 5 + 5 + 1


def test_network_without_input_shape_gives_friendly_error():
    with pytest.raises(ValueError, match="keras.Input"):
        plots.plot_network(keras.Sequential([layers.Dense(1)]))


def test_network_rejects_non_models_and_unknown_layers():
    with pytest.raises(TypeError, match="Keras model"):
        plots.plot_network([layers.Dense(1)])
    model = keras.Sequential([keras.Input(shape=(4, 4, 1)), layers.Flatten(), layers.Dense(1)])
    with pytest.raises(ValueError, match="flat list of features"):
        plots.plot_network(model)


# --------------------------------------------------------------------------------------
# One neuron
# --------------------------------------------------------------------------------------
def _weight_labels(fig):
    return sorted(t for t in _texts(fig) if t.startswith(("w = ", "b = ")))


def test_neuron_draws_the_models_actual_weights_and_bias():
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(1)], name="calories")
    # Give it a nonzero bias too, so the label cannot come from Keras's zero initializer.
    kernel, bias = model.get_weights()
    model.set_weights([kernel, np.array([1.234], dtype="float32")])
    fig = plots.plot_neuron(model, input_names=["sugars", "fiber", "protein"])
    expected = sorted([f"w = {w:.2f}" for w in kernel.ravel()] + ["b = 1.23"])
    assert _weight_labels(fig) == expected
    texts = _texts(fig)
    for name in ("sugars", "fiber", "protein", "1", "Σ", "y"):
        assert name in texts
    formula = next(t for t in texts if t.startswith("y = "))
    assert "sugars" in formula and formula.endswith("+ 1.23 · 1")
    (ax,) = fig.axes
    assert "linear unit" in ax.get_title() and "3 inputs" in ax.get_title()
    # inputs + constant 1 + sum + output, and no activation box for a linear unit
    assert len(_circles(ax)) == 3 + 1 + 1 + 1
    assert not any("ReLU" in t for t in texts)


def test_neuron_follows_training_and_draws_the_rectifier():
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1, activation="relu")])
    model.set_weights([np.array([[1.5], [-0.5]], dtype="float32"), np.array([0.25], dtype="float32")])
    before = _weight_labels(plots.plot_neuron(model))
    assert before == ["b = 0.25", "w = -0.50", "w = 1.50"]
    model.set_weights([np.array([[-2.0], [0.75]], dtype="float32"), np.array([-1.0], dtype="float32")])
    fig = plots.plot_neuron(model, decimals=1)
    assert _weight_labels(fig) == ["b = -1.0", "w = -2.0", "w = 0.8"]
    texts = _texts(fig)
    assert "ReLU\n(rectifier)" in texts
    assert any(t.startswith("y = max(0, ") for t in texts)
    (ax,) = fig.axes
    # The rectifier's graph inside the activation box: flat at its lowest value, then rising.
    (glyph,) = [line for line in ax.get_lines() if len(line.get_xdata()) > 10]
    gy = glyph.get_ydata()
    assert np.allclose(gy[: len(gy) // 2], gy.min()) and gy[-1] > gy[len(gy) // 2]
    assert "ReLU unit" in ax.get_title()


def test_neuron_never_shows_a_negative_zero():
    model = keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1)])
    model.set_weights([np.array([[-0.001]], dtype="float32"), np.array([-0.002], dtype="float32")])
    assert _weight_labels(plots.plot_neuron(model)) == ["b = 0.00", "w = 0.00"]


def test_neuron_without_bias_draws_no_constant_input():
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1, use_bias=False)])
    fig = plots.plot_neuron(model)
    assert [t for t in _weight_labels(fig) if t.startswith("b")] == []
    assert len(_circles(fig.axes[0])) == 2 + 1 + 1


@pytest.mark.parametrize(
    ("model", "message"),
    [
        (lambda: keras.Sequential([keras.Input(shape=(2,)), layers.Dense(3), layers.Dense(1)]),
         "2 layers with weights.*plot_network"),
        (lambda: keras.Sequential([keras.Input(shape=(2,)), layers.Dense(3)]), "has 3 units"),
        (lambda: keras.Sequential([keras.Input(shape=(20,)), layers.Dense(1)]), "20 inputs.*at most"),
        (lambda: keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1), layers.Activation("relu")]),
         "activation='relu'"),
        (lambda: keras.Sequential([layers.Dense(1)]), "keras.Input"),
    ],
)
def test_neuron_explains_models_it_cannot_draw(model, message):
    with pytest.raises(LearnerError, match=message):
        plots.plot_neuron(model())


def test_neuron_rejects_non_models_and_wrong_input_names():
    with pytest.raises(TypeError, match="Keras model with one unit"):
        plots.plot_neuron(layers.Dense(1))
    model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1)])
    with pytest.raises(ValueError, match="2 inputs, but you gave 3"):
        plots.plot_neuron(model, input_names=["a", "b", "c"])


# --------------------------------------------------------------------------------------
# Model fits in data space
# --------------------------------------------------------------------------------------
def test_model_fits_draw_each_models_predictions_and_its_curves():
    x = np.linspace(-1, 1, 9)
    y = x ** 2
    models = {"too simple": lambda column: 0.5 * column, "just right": lambda column: column ** 2}
    histories = {"too simple": {"loss": [1.0, 0.5], "val_loss": [1.1, 0.6]},
                 "just right": {"loss": [1.0, 0.2, 0.1], "val_loss": [1.0, 0.3, 0.2]}}
    fig = plots.plot_model_fits(x, y, models, histories, x_valid=x + 0.05, y_valid=y)
    assert len(fig.axes) == 4
    top_left, top_right, bottom_left, bottom_right = fig.axes
    assert top_left.get_title() == "too simple" and top_right.get_title() == "just right"
    for ax, function in ((top_left, models["too simple"]), (top_right, models["just right"])):
        (curve,) = [line for line in ax.get_lines() if line.get_label() == "model's prediction"]
        np.testing.assert_allclose(curve.get_ydata(), function(curve.get_xdata()))
        assert curve.get_xdata().min() <= -1 and curve.get_xdata().max() >= 1.05  # covers validation x too
        assert len(ax.collections) == 2  # training and validation points
    np.testing.assert_allclose(_line_by_label(bottom_right, "validation loss").get_ydata(), [1.0, 0.3, 0.2])
    assert bottom_left.get_yscale() == "log"
    assert bottom_left.get_shared_y_axes().joined(bottom_left, bottom_right)


def test_model_fits_with_a_real_keras_model_and_no_histories():
    model = keras.Sequential([keras.Input(shape=(1,)), layers.Dense(1)])
    model.set_weights([np.array([[2.0]], dtype="float32"), np.array([1.0], dtype="float32")])
    fig = plots.plot_model_fits([0, 1, 2], [1, 3, 5], {"line": model})
    (ax,) = fig.axes
    (curve,) = [line for line in ax.get_lines() if line.get_label() == "model's prediction"]
    np.testing.assert_allclose(curve.get_ydata(), 2 * curve.get_xdata() + 1, rtol=1e-5)


def test_model_fits_friendly_errors():
    with pytest.raises(TypeError, match="dict from a title"):
        plots.plot_model_fits([0, 1], [0, 1], [lambda c: c])
    with pytest.raises(ValueError, match="same titles"):
        plots.plot_model_fits([0, 1], [0, 1], {"a": lambda c: c}, histories={"b": {"loss": [1]}})
    with pytest.raises(TypeError, match="trained models"):
        plots.plot_model_fits([0, 1], [0, 1], {"a": 3})
    with pytest.raises(ValueError, match="same, non-zero length"):
        plots.plot_model_fits([0, 1, 2], [0, 1], {"a": lambda c: c})


# --------------------------------------------------------------------------------------
# Fitted line and show()
# --------------------------------------------------------------------------------------
def test_fitted_line_draws_data_and_line_and_skips_missing():
    x = np.array([0.0, 1.0, 2.0, np.nan])
    y = np.array([1.0, 3.0, 5.0, 7.0])
    fig = plots.plot_fitted_line(x, y, w=np.array([[2.0]]), b=np.array([1.0]),
                                 xlabel="sugars", ylabel="calories")
    (ax,) = fig.axes
    (scatter,) = ax.collections
    assert scatter.get_offsets().shape == (3, 2)  # the NaN row is left out
    (line,) = ax.get_lines()
    np.testing.assert_allclose(line.get_ydata(), 2.0 * line.get_xdata() + 1.0)
    assert line.get_xdata().min() == 0.0 and line.get_xdata().max() == 2.0
    assert line.get_label() == "y = 2 x + 1"
    assert ax.get_xlabel() == "sugars" and ax.get_ylabel() == "calories"
    assert ax.get_title() == "Calories against sugars"


def test_fitted_line_rejects_a_kernel_with_several_weights():
    with pytest.raises(ValueError, match="single number"):
        plots.plot_fitted_line([1, 2], [1, 2], w=np.ones((3, 1)), b=0.0)


@pytest.fixture
def notebook_shell():
    from IPython.core.interactiveshell import InteractiveShell

    had_shell = InteractiveShell.initialized()
    InteractiveShell.instance()
    yield
    if not had_shell:
        InteractiveShell.clear_instance()


def test_show_sends_html_with_alt_text_and_closes(monkeypatch, notebook_shell):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *args, **kwargs: shown.append((args, kwargs)))
    fig = plt.figure()
    plots.show(fig, alt='Loss "falls" & flattens')
    ((bundle,), kwargs), = shown
    assert bundle["text/html"].startswith('<img src="data:image/png;base64,')
    assert 'alt="Loss &quot;falls&quot; &amp; flattens"' in bundle["text/html"]
    assert kwargs["metadata"]["image/png"]["alt"] == 'Loss "falls" & flattens'
    assert fig.number not in plt.get_fignums()
    with pytest.raises(ValueError, match="alt="):
        plots.show(plt.figure(), alt=" ")
    with pytest.raises(TypeError, match="Figure"):
        plots.show("not a figure", alt="x")


def test_show_outside_a_notebook_only_closes_the_figure(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    if InteractiveShell.initialized():
        pytest.skip("this test process runs an IPython shell")
    fig = plt.figure()
    assert plots.show(fig, alt="A figure") is None
    assert capsys.readouterr().out == "" and fig.number not in plt.get_fignums()


def test_figures_made_by_helpers_are_detached_from_pyplot():
    before = set(plt.get_fignums())
    plots.plot_activation("tanh")
    assert set(plt.get_fignums()) == before
