"""Exercise 3 questions: correct answers pass, each typical mistake gets its own message,
and the blank gives "not attempted"."""

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import MinMaxScaler, StandardScaler

from helpers import data
from helpers.exercises import ____
from helpers.exercises import core
from helpers.exercises import exercise3
from helpers.exercises.exercise3 import q1, q2, q3, q4, q5, q6


@pytest.fixture(autouse=True)
def lenient_checks(monkeypatch):
    monkeypatch.delenv(core.STRICT_ENV_VAR, raising=False)


def assert_incorrect(feedback, *fragments):
    assert feedback.status == "incorrect", str(feedback)
    for fragment in fragments:
        assert fragment in feedback.message, f"{fragment!r} not in {feedback.message!r}"


@pytest.fixture(scope="module")
def auto():
    return data.load_auto_mpg()


@pytest.fixture(scope="module")
def prepared(auto):
    auto_clean = auto.dropna(subset=["horsepower"])
    X = pd.get_dummies(auto_clean.drop(columns=["mpg", "name"]), columns=["origin"], dtype=float)
    y = auto_clean["mpg"]
    return auto_clean, X, y


@pytest.fixture(scope="module")
def three_way(prepared):
    """Question 2's split: (X_rest_raw, X_test_raw, y_rest, y_test), then training and validation."""
    _, X, y = prepared
    X_rest, X_test, y_rest, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    return (X_rest, X_test, y_rest, y_test), train_test_split(X_rest, y_rest, test_size=0.25, random_state=0)


@pytest.fixture(scope="module")
def split(three_way):
    return three_way[1]


@pytest.fixture(scope="module")
def test_cars(three_way):
    _X_rest, X_test_raw, _y_rest, y_test = three_way[0]
    return X_test_raw, y_test


def build_model(inputs=9, compile_args=None):
    model = keras.Sequential([
        keras.Input(shape=(inputs,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(1),
    ])
    if compile_args is not None:
        model.compile(**compile_args)
    return model


@pytest.fixture(scope="module")
def trained(split):
    """The solution's training run (the one slow fixture of this file: a few seconds)."""
    X_train_raw, X_valid_raw, y_train, y_valid = split
    scaler = StandardScaler()
    X_train, X_valid = scaler.fit_transform(X_train_raw), None
    X_valid = scaler.transform(X_valid_raw)
    keras.utils.set_random_seed(0)
    model = build_model(compile_args=dict(optimizer="adam", loss="mae"))
    history = model.fit(X_train, y_train, validation_data=(X_valid, y_valid), batch_size=32, epochs=60, verbose=0)
    return model, history, scaler


def fake_history(model, epochs=60, steps=8, val_loss=2.0, with_validation=True):
    """A History as fit() leaves it, for checking messages without training."""
    history = keras.callbacks.History()
    history.set_params({"verbose": 0, "epochs": epochs, "steps": steps})
    history.set_model(model)
    history.history = {"loss": [3.0] * epochs}
    if with_validation:
        history.history["val_loss"] = [val_loss] * epochs
    return history


# --- q1 ----------------------------------------------------------------------------------------


def test_q1_correct(prepared):
    _, X, y = prepared
    feedback = q1.check(X, y)
    assert feedback and "392 cars, 9 features" in feedback.message
    assert q1.check(X.to_numpy(), y.to_numpy()), "NumPy versions pass too"
    assert q1.check(pd.get_dummies(X), y.to_frame()), "bool dummies and a one-column y pass"


def test_q1_mistakes(auto, prepared):
    auto_clean, X, y = prepared
    not_dropped = pd.get_dummies(auto.drop(columns=["mpg", "name"]), columns=["origin"], dtype=float)
    assert_incorrect(q1.check(not_dropped, auto["mpg"]), "`X` has all 398 cars", "auto.dropna(subset=['horsepower'])")
    assert_incorrect(q1.check(auto_clean.drop(columns=["mpg", "name"]), y), "`X` still has the text column `'origin'`")
    assert_incorrect(
        q1.check(pd.get_dummies(auto_clean.drop(columns=["mpg"]), columns=["origin"]), y), "`X` still contains `'name'`"
    )
    assert_incorrect(
        q1.check(pd.get_dummies(auto_clean.drop(columns=["name"]), columns=["origin"]), y),
        "`X` still contains the target `'mpg'`",
    )
    assert_incorrect(q1.check(X.drop(columns="weight"), y), "`X` has 8 columns; it should have 9")
    drop_first = pd.get_dummies(auto_clean.drop(columns=["mpg", "name"]), columns=["origin"], drop_first=True)
    assert_incorrect(q1.check(drop_first, y), "`X` has only 2 origin columns", "`drop_first=True`")
    assert_incorrect(q1.check(X.head(100), y), "`X` has 100 rows")
    assert_incorrect(q1.check(X, auto["mpg"]), "`y` has 398 values")
    assert_incorrect(q1.check(X, auto_clean["weight"]), "The values in `y` average 2.98e+03")
    assert_incorrect(q1.check(X, y.sample(frac=1, random_state=0)), "not in the same row order as `X`")
    assert_incorrect(q1.check(X, X), "`y` has shape (392, 9)")
    with_nan = X.copy()
    with_nan.iloc[0, 0] = np.nan
    assert_incorrect(q1.check(with_nan, y), "still has missing values (NaN)")
    assert_incorrect(q1.check(auto_clean["mpg"], y), "`X` is a single column")
    assert q1.check(____, ____).status == "not_attempted"
    assert q1.check(X, ____).status == "not_attempted"


# --- q2 ----------------------------------------------------------------------------------------


def test_q2_correct(split):
    X_train_raw, X_valid_raw, _, _ = split
    for scaler_class in (StandardScaler, MinMaxScaler):
        scaler = scaler_class()
        feedback = q2.check(scaler, scaler.fit_transform(X_train_raw), scaler.transform(X_valid_raw))
        assert feedback, f"{scaler_class.__name__}: {feedback}"


def test_q2_mistakes(prepared, split):
    _, X, _ = prepared
    X_train_raw, X_valid_raw, _, _ = split
    everything = StandardScaler().fit(X)
    assert_incorrect(
        q2.check(everything, everything.transform(X_train_raw), everything.transform(X_valid_raw)),
        "fitted on 392 cars, validation and test ones included",
    )
    refitted = StandardScaler()
    X_train = refitted.fit_transform(X_train_raw)
    X_valid = refitted.fit_transform(X_valid_raw)
    assert_incorrect(q2.check(refitted, X_train, X_valid), "last fitted on 79 cars, the size of the validation")
    scaler = StandardScaler()
    X_train = scaler.fit_transform(X_train_raw)
    own_stats = StandardScaler().fit_transform(X_valid_raw)
    assert_incorrect(q2.check(scaler, X_train, own_stats), "`X_valid` looks scaled with statistics of its own")
    assert_incorrect(q2.check(scaler, X_train, X_valid_raw), "`X_valid` still holds raw values", "transform(X_valid_raw)")
    assert_incorrect(q2.check(scaler, X_train_raw, scaler.transform(X_valid_raw)), "`X_train` still holds raw values")
    assert_incorrect(
        q2.check(scaler, scaler.transform(X_valid_raw), X_train), "`X_train` has shape (79, 9); it should be (234, 9)"
    )
    assert_incorrect(q2.check(StandardScaler(), X_train, own_stats), "has not been fitted yet")
    assert_incorrect(q2.check(StandardScaler, X_train, own_stats), "create one: `StandardScaler()`")
    assert_incorrect(q2.check("scaler", X_train, own_stats), "this task uses scikit-learn's `StandardScaler()`")
    assert q2.check(____, ____, ____).status == "not_attempted"


# --- q3 ----------------------------------------------------------------------------------------


def test_q3_correct():
    assert q3.check(build_model(compile_args=dict(optimizer="adam", loss="mae")))
    assert q3.check(
        build_model(compile_args=dict(optimizer=keras.optimizers.Adam(), loss=keras.losses.MeanAbsoluteError()))
    ), "objects instead of strings pass too"


def test_q3_mistakes():
    assert_incorrect(q3.check(build_model()), "Your model is not compiled yet", "optimizer='adam', loss='mae'")
    assert_incorrect(
        q3.check(build_model(compile_args=dict(optimizer="adam", loss="mse"))),
        "You chose the loss 'mse'", "in mpg²", "`loss='mae'`",
    )
    assert_incorrect(
        q3.check(build_model(compile_args=dict(optimizer="sgd", loss="mae"))),
        "compiled with the 'sgd' optimizer; this task asks for `optimizer='adam'`",
    )
    assert_incorrect(
        q3.check(build_model(inputs=10, compile_args=dict(optimizer="adam", loss="mae"))),
        "Your model expects inputs of shape (None, 10)",
        "`X_train` has 9 columns, so use `keras.Input(shape=(9,))`",
    )
    assert q3.check(____).status == "not_attempted"


# --- q4 ----------------------------------------------------------------------------------------


def test_q4_correct_after_real_training(trained):
    model, history, _ = trained
    feedback = q4.check(history)
    assert feedback, str(feedback)
    final = history.history["val_loss"][-1]
    assert final < 2.6, "the solution reaches a little above 2 mpg, as the notebook says"
    assert f"{final:.2f} mpg" in feedback.message and "within 0.2 mpg" in feedback.message


def _curve_history(model, curve, steps=8):
    history = fake_history(model, epochs=len(curve), steps=steps)
    history.history["val_loss"] = list(curve)
    return history


def test_q4_too_few_epochs_is_explained():
    model = build_model(compile_args=dict(optimizer="adam", loss="mae"))  # barely trained: far from 2 mpg
    falling = [22.0 - 1.5 * epoch for epoch in range(10)]  # 10 epochs, still falling fast: ends at 8.5
    assert_incorrect(q4.check(_curve_history(model, falling)), "After 10 epochs", "training stopped too early")


def test_q4_far_too_many_epochs_passes_with_a_note(trained):
    model, history, _ = trained
    reached = exercise3._validation_errors(history)[0]
    curve = [20.0, 8.0] + [reached] * 298
    feedback = q4.check(_curve_history(model, curve))
    assert feedback, feedback.message
    assert "Your 300 epochs are more than needed" in feedback.message and "epoch 3" in feedback.message


def test_q4_decisions_on_the_wrong_data_are_explained(trained):
    model, _, _ = trained
    assert_incorrect(q4.check(fake_history(model, steps=2)), "Keras took 2 steps per epoch")
    assert_incorrect(q4.check(fake_history(model, steps=13)), "Keras took 13 steps per epoch")


def test_q4_mistakes(trained):
    model, history, _ = trained
    assert_incorrect(q4.check(model), "That is the model")
    assert_incorrect(q4.check(history.history), "That is `history.history`")
    assert_incorrect(q4.check(None), "`history` is `None`")
    assert_incorrect(q4.check(fake_history(model, with_validation=False)), "Pass `validation_data=(X_valid, y_valid)`")
    assert_incorrect(q4.check(fake_history(model, val_loss=9.6)), "ended at 9.6 mpg", "validation_data=(X_valid, y_valid)")
    assert_incorrect(q4.check(fake_history(model, val_loss=float("nan"))), "ended at nan mpg")
    mse_model = build_model(compile_args=dict(optimizer="adam", loss="mse"))
    assert_incorrect(q4.check(fake_history(mse_model)), "compiled with loss 'mse'")
    empty = keras.callbacks.History()
    empty.history = {}
    assert_incorrect(q4.check(empty), "This history is empty")
    assert q4.check(____).status == "not_attempted"


# --- q5 and its experiments ----------------------------------------------------------------------


def test_experiments_plot_one_curve_per_setting(monkeypatch):
    shown = []
    monkeypatch.setattr("helpers.plots.show", lambda fig, alt: shown.append((fig, alt)))
    exercise3.compare_batch_sizes(batch_sizes=(16, 128), epochs=3)
    exercise3.compare_learning_rates(learning_rates=(0.01, 3.0), epochs=3)
    (batch_fig, batch_alt), (rate_fig, rate_alt) = shown
    for fig in (batch_fig, rate_fig):
        [ax] = fig.axes
        assert len(ax.lines) == 2 and all(len(line.get_xdata()) == 3 for line in ax.lines)
        assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "validation MAE (mpg)"
        plt.close(fig)
    assert "batch_size=16: validation error" in batch_alt and "after 3 epochs" in batch_alt
    assert "learning_rate=3: validation error" in rate_alt
    small, large = (line.get_ydata() for line in batch_fig.axes[0].lines)
    assert small[-1] < large[-1], "more steps per epoch: the small batch is ahead after 3 epochs"


def test_prepared_data_matches_the_exercise():
    X_train, X_valid, y_train, y_valid = exercise3._prepared_data()
    assert X_train.shape == (234, 9) and X_valid.shape == (79, 9)
    assert abs(X_train.mean()) < 1e-5
    *_, y_test = exercise3._raw_splits()
    all_mpg = np.concatenate([y_train, y_valid, y_test])
    assert len(all_mpg) == exercise3.N_CLEAN and abs(float(all_mpg.mean()) - exercise3.MEAN_MPG) < 1e-4


def test_q5_reveals_the_model_answer_only_after_a_written_answer():
    for unwritten in (____, "\n____\n", "", "small batches"):
        feedback = q5.check(unwritten)
        assert feedback.status == "not_attempted", unwritten
        assert "overshoot" not in feedback.message
    feedback = q5.check("Small batches make more steps; a huge rate jumps over the minimum.")
    assert feedback.status == "answer"
    assert "30 steps instead of 2" in feedback.message and "overshoot" in feedback.message


@pytest.mark.parametrize("loss, consequence", [
    ("mse", "in mpg²"), ("binary_crossentropy", "yes/no targets"), ("huber", "not the average error in mpg"),
    ("sparse_categorical_crossentropy", "not a class"), ("mape", "percent"),
])
def test_q3_explains_each_loss_decision(loss, consequence):
    feedback = q3.check(build_model(compile_args=dict(optimizer="adam", loss=loss)))
    assert_incorrect(feedback, f"You chose the loss '{loss}'", consequence)


@pytest.mark.parametrize("question", [q1, q2, q3, q4, q5, q6], ids=lambda q: q.name)
def test_hints_come_in_steps_and_the_first_has_no_code(question):
    steps = question.hint_steps
    assert len(steps) >= 2 and "```" not in steps[0]
    assert f"{question.name}.hint(2)" in question.hint().message


# --- q6: the open challenge ----------------------------------------------------------------------


def test_q6_the_reference_network_meets_the_target(trained, test_cars):
    model, _, scaler = trained
    X_test_raw, y_test = test_cars
    feedback = q6.check(model, scaler.transform(X_test_raw), y_test)
    assert feedback.status == "correct", feedback.message
    assert "always predicting the median mpg" in feedback.message


def test_q6_insists_on_the_scaled_held_out_test_cars(trained, test_cars, split):
    model, _, scaler = trained
    X_test_raw, y_test = test_cars
    _X_train_raw, X_valid_raw, _y_train, y_valid = split
    assert_incorrect(q6.check(model, X_test_raw, y_test), "still holds raw values", "scaler.transform(X_test_raw)")
    own = StandardScaler().fit_transform(X_test_raw)
    assert_incorrect(q6.check(model, own, y_test), "fitted again, on the test cars?")
    assert_incorrect(q6.check(model, scaler.transform(X_valid_raw), y_valid), "not the same values")
    assert q6.check(model, ____, y_test).status == "not_attempted"


def test_q6_an_untrained_network_misses_with_a_reason(trained, test_cars):
    _, _, scaler = trained
    X_test_raw, y_test = test_cars
    feedback = q6.check(build_model(compile_args=dict(optimizer="adam", loss="mae")), scaler.transform(X_test_raw), y_test)
    assert_incorrect(feedback, "has not been trained yet", "no better than")


def test_q6_numbers_are_consistent():
    low, high = q6.reference
    assert high <= q6.target < exercise3.median_baseline_test_mae()


def test_constants_match_the_data(auto):
    assert len(auto) == exercise3.N_CARS
    assert auto["horsepower"].isna().sum() == exercise3.N_MISSING_HORSEPOWER
    assert sorted(auto["origin"].unique()) == exercise3.ORIGINS


def test_every_question_has_hint_and_solution():
    for question in (q1, q2, q3, q4, q5, q6):
        assert question.hint().message.strip() and question.solution().message.strip() and question.title
