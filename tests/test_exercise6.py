"""Exercise 6 (binary classification): every check accepts the worked answer and gives its
specific message for each anticipated mistake; the notebook's features are booking-time only."""

import ast
import math
from pathlib import Path

import keras
import nbformat
import numpy as np
import pytest

from helpers.exercises import ____, core
from helpers.exercises.exercise6 import (
    BASELINE_ACCURACY, LEAKING_COLUMNS, MIN_TEST_ACCURACY, N_FEATURES, N_TRAIN, q1, q2, q3, q4, q5, q6,
)
from helpers.exercises import exercise6
from helpers.outcomes import MIN_SHARE_OF_HEADROOM

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "content" / "exercises" / "06_binary_classification.py"
SOLVED = ROOT / "notebooks" / "solutions" / "06_binary_classification_solution.ipynb"

Dense = keras.layers.Dense


@pytest.fixture(autouse=True)
def lenient_checks(monkeypatch):
    monkeypatch.delenv(core.STRICT_ENV_VAR, raising=False)


def classifier(output=None, n_features=N_FEATURES, hidden=(64, 64)):
    layers = [Dense(units, activation="relu") for units in hidden]
    return keras.Sequential(
        [keras.Input(shape=(n_features,)), *layers, output if output is not None else Dense(1, activation="sigmoid")]
    )


def compiled(**settings):
    options = dict(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])
    options.update(settings)
    model = classifier()
    model.compile(**options)
    return model


def incorrect_message(feedback):
    assert feedback.status == "incorrect", f"expected 'incorrect', got {feedback.status}: {feedback.message}"
    return feedback.message


# --- q1: the output layer ----------------------------------------------------------------


def test_q1_accepts_one_sigmoid_unit():
    feedback = q1.check(classifier())
    assert feedback.status == "correct", feedback.message
    assert "probability" in feedback.message


def test_q1_accepts_a_separate_sigmoid_activation_layer():
    model = keras.Sequential([
        keras.Input(shape=(N_FEATURES,)), Dense(64, activation="relu"), Dense(64, activation="relu"),
        Dense(1), keras.layers.Activation("sigmoid"),
    ])
    assert q1.check(model).status == "correct"


def test_q1_placeholder_is_not_attempted():
    assert q1.check(____).status == "not_attempted"


def test_q1_missing_sigmoid():
    message = incorrect_message(q1.check(classifier(Dense(1))))
    assert "no activation" in message and "activation='sigmoid'" in message


def test_q1_two_softmax_units():
    message = incorrect_message(q1.check(classifier(Dense(2, activation="softmax"))))
    assert "*several* classes" in message and "single unit" in message


def test_q1_two_sigmoid_units():
    assert "output layer has 2 units" in incorrect_message(q1.check(classifier(Dense(2, activation="sigmoid"))))


def test_q1_one_softmax_unit():
    message = incorrect_message(q1.check(classifier(Dense(1, activation="softmax"))))
    assert "always outputs exactly 1.0" in message


def test_q1_relu_output():
    message = incorrect_message(q1.check(classifier(Dense(1, activation="relu"))))
    assert "'relu'" in message and "probabilities" in message


def test_q1_wrong_hidden_layers():
    message = incorrect_message(q1.check(classifier(hidden=(32, 64))))
    assert "1st Dense layer has 32 units; it should have 64" in message


def test_q1_wrong_input_shape():
    message = incorrect_message(q1.check(classifier(n_features=60)))
    assert "61 columns" in message and "keras.Input(shape=(61,))" in message


def test_q1_refuses_the_old_feature_set_with_its_leaking_columns():
    """64 columns: the 61 booking-time ones plus parking spaces, special requests, waiting list."""
    message = incorrect_message(q1.check(classifier(n_features=64)))
    assert "64 columns" in message and "required_car_parking_spaces" in message
    assert "keras.Input(shape=(61,))" in message


def test_q1_other_layers_are_refused():
    model = keras.Sequential([
        keras.Input(shape=(N_FEATURES,)), Dense(64, activation="relu"), keras.layers.Dropout(0.2),
        Dense(64, activation="relu"), Dense(1, activation="sigmoid"),
    ])
    assert "`Dropout` layer" in incorrect_message(q1.check(model))


# --- q2: loss and metric -------------------------------------------------------------------


def test_q2_accepts_the_worked_answer():
    feedback = q2.check(compiled())
    assert feedback.status == "correct", feedback.message


def test_q2_accepts_metric_objects_and_loss_objects():
    model = compiled(loss=keras.losses.BinaryCrossentropy(), metrics=[keras.metrics.BinaryAccuracy()],
                     optimizer=keras.optimizers.Adam(learning_rate=0.001))
    assert q2.check(model).status == "correct"


def test_q2_accepts_plain_accuracy_and_says_what_the_history_calls_it():
    feedback = q2.check(compiled(metrics=["accuracy"]))
    assert feedback.status == "correct", feedback.message
    assert "metrics=['loss', 'accuracy']" in feedback.message


def test_q2_placeholder_is_not_attempted():
    assert q2.check(____).status == "not_attempted"
    model = classifier()
    model.compile(optimizer="adam", loss=____)  # Keras accepts this; the check must not
    assert q2.check(model).status == "not_attempted"
    model = classifier()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[____])
    assert q2.check(model).status == "not_attempted"


def test_q2_not_compiled():
    assert "not compiled yet" in incorrect_message(q2.check(classifier()))


def test_q2_mean_squared_error():
    message = incorrect_message(q2.check(compiled(loss="mse")))
    assert "regression loss" in message and "loss='binary_crossentropy'" in message


def test_q2_categorical_crossentropy():
    assert "several classes" in incorrect_message(q2.check(compiled(loss="categorical_crossentropy")))


def test_q2_missing_metric():
    message = incorrect_message(q2.check(compiled(metrics=None)))
    assert "metrics=['binary_accuracy']" in message


def test_q2_a_metric_that_is_not_accuracy():
    message = incorrect_message(q2.check(compiled(metrics=["auc"])))
    assert "Your metrics are" in message and "binary_accuracy" in message


def test_q2_wrong_optimizer():
    assert "'sgd' optimizer" in incorrect_message(q2.check(compiled(optimizer="sgd")))


# --- q3: training with early stopping ---------------------------------------------------------


def early_stopping(**settings):
    options = dict(patience=5, min_delta=0.001, restore_best_weights=True)
    options.update(settings)
    return keras.callbacks.EarlyStopping(**options)


@pytest.fixture(scope="module")
def hotel_sized_run():
    """One real epoch on random data of the hotel training set's size, as the notebook trains."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(N_TRAIN, N_FEATURES)).astype("float32")
    y = (rng.uniform(size=N_TRAIN) < 0.37).astype("float32")
    model = compiled()
    callback = early_stopping()
    history = model.fit(x, y, validation_data=(x[:2000], y[:2000]), batch_size=512, epochs=1,
                        callbacks=[callback], verbose=0)
    return callback, history


def fake_history(steps, with_validation=True, epochs=3):
    """A History as fit leaves it, without the training (for the batch-size messages)."""
    history = keras.callbacks.History()
    history.set_params({"verbose": 0, "epochs": epochs, "steps": steps})
    history.history = {"loss": [0.5] * epochs, "binary_accuracy": [0.8] * epochs}
    if with_validation:
        history.history.update({"val_loss": [0.45, 0.40, 0.42][:epochs], "val_binary_accuracy": [0.8, 0.83, 0.82][:epochs]})
    return history


def used_callback(**settings):
    callback = early_stopping(**settings)
    callback.set_model(classifier())
    return callback


def test_q3_accepts_the_worked_answer(hotel_sized_run):
    callback, history = hotel_sized_run
    feedback = q3.check(callback, history)
    assert feedback.status == "correct", feedback.message
    assert "validation accuracy" in feedback.message


def test_q3_reports_the_epoch_the_model_holds():
    feedback = q3.check(used_callback(), fake_history(steps=140))
    assert "holds the weights of epoch 2" in feedback.message and "83.0%" in feedback.message
    assert "lowest validation loss" not in feedback.message


def test_q3_the_held_epoch_is_the_one_keras_restores_not_the_lowest_loss():
    """An improvement smaller than min_delta does not count: Keras keeps the earlier weights."""
    history = fake_history(steps=140)
    history.history["val_loss"] = [0.45, 0.40, 0.3995]
    feedback = q3.check(used_callback(), history)
    assert feedback.status == "correct", feedback.message
    assert "holds the weights of epoch 2" in feedback.message
    assert "lowest validation loss came at epoch 3" in feedback.message


def test_q3_held_epoch_matches_what_keras_restores():
    """Train a tiny model with the notebook's callback and compare with ``best_epoch``."""
    rng = np.random.default_rng(1)
    x = rng.normal(size=(280, 4)).astype("float32")
    y = (x[:, 0] + rng.normal(size=280) > 0).astype("float32")
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input(shape=(4,)), Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy",
                  metrics=["binary_accuracy"])
    callback = early_stopping()
    # 140 steps per epoch, as the notebook's 71,634 bookings in batches of 512; the loss levels off
    # within a few epochs, so later improvements are smaller than min_delta and early stopping ends it
    history = model.fit(x, y, validation_data=(x, y), epochs=10, batch_size=2, callbacks=[callback], verbose=0)
    message = q3.check(callback, history).message
    assert f"holds the weights of epoch {callback.best_epoch + 1} " in message
    lowest = int(np.argmin(history.history["val_loss"]))
    if lowest != callback.best_epoch:  # the case the notebook's text warns about (seed 0 here)
        assert f"lowest validation loss came at epoch {lowest + 1} " in message


def test_q3_placeholders_are_not_attempted():
    assert q3.check(____, ____).status == "not_attempted"
    assert q3.check(early_stopping(), ____).status == "not_attempted"
    callback = keras.callbacks.EarlyStopping(patience=5, min_delta=0.001, restore_best_weights=____)
    assert q3.check(callback, fake_history(140)).status == "not_attempted"


def test_q3_swapped_settings_and_missing_restore(hotel_sized_run):
    _, history = hotel_sized_run
    assert "look swapped" in incorrect_message(q3.check(early_stopping(patience=0.001, min_delta=5), history))
    message = incorrect_message(q3.check(keras.callbacks.EarlyStopping(patience=5, min_delta=0.001), history))
    assert "restore_best_weights" in message


def test_q3_model_instead_of_history():
    assert "pass the `History`" in incorrect_message(q3.check(used_callback(), compiled()))


def test_q3_none_instead_of_history():
    assert "is `None`" in incorrect_message(q3.check(used_callback(), None))


def test_q3_callback_never_passed_to_fit():
    message = incorrect_message(q3.check(early_stopping(), fake_history(steps=140)))
    assert "callbacks=[early_stopping]" in message


def test_q3_without_validation_data():
    message = incorrect_message(q3.check(used_callback(), fake_history(steps=140, with_validation=False)))
    assert "without validation data" in message


def test_q3_small_and_huge_batches():
    small = incorrect_message(q3.check(used_callback(), fake_history(steps=2239)))  # batch_size=32
    assert "a batch size of anywhere from 32 to 32" not in small
    assert "exactly 32" in small and "batch_size=512" in small
    huge = incorrect_message(q3.check(used_callback(), fake_history(steps=18)))  # batch_size=4096
    assert "Keras took 18 steps per epoch" in huge and "from 3980 to 4213" in huge


def test_q3_wrong_number_of_answers():
    message = incorrect_message(q3.check(early_stopping()))
    assert "q3.check(early_stopping, history)" in message


# --- q4: the baseline --------------------------------------------------------------------------


def test_q4_accepts_the_share_of_kept_bookings():
    feedback = q4.check(BASELINE_ACCURACY)
    assert feedback.status == "correct"
    assert "63.0%" in feedback.message


def test_q4_accepts_numpy_numbers():
    y_valid = np.array([0] * 63 + [1] * 37, dtype="float32")
    assert q4.check((y_valid == 0).mean()).status == "correct"
    assert q4.check(np.float32(0.6296)).status == "correct"


def test_q4_placeholder_is_not_attempted():
    assert q4.check(____).status == "not_attempted"


def test_q4_share_of_cancellations():
    assert "*were* canceled" in incorrect_message(q4.check(1 - BASELINE_ACCURACY))


def test_q4_percentages():
    assert "looks like a percentage" in incorrect_message(q4.check(62.96))
    assert "percentage of canceled" in incorrect_message(q4.check(37.04))


def test_q4_coin_flip_and_out_of_range_values():
    assert "equally common" in incorrect_message(q4.check(0.5))
    assert "between 0 and 1" in incorrect_message(q4.check(7.0))
    assert "not the share" in incorrect_message(q4.check(0.8))


def test_q4_not_a_number():
    assert "text" in incorrect_message(q4.check("0.63"))
    assert "single number" in incorrect_message(q4.check(np.array([0.6, 0.7])))


def test_the_baseline_constant_matches_the_data_description():
    assert BASELINE_ACCURACY == pytest.approx(0.62958, abs=1e-5)


# --- q5: the test accuracy, once, against the baseline ---------------------------------------


def test_q5_accepts_a_test_accuracy_that_clearly_beats_the_baseline_and_reveals_the_answer():
    feedback = q5.check(np.float64(0.7931))
    assert feedback.status == "correct", feedback.message
    assert "79.3%" in feedback.message and "63.0%" in feedback.message and "gradient" in feedback.message
    assert "44%" in feedback.message  # share of the baseline's errors removed


def test_q5_threshold_clearly_beats_the_baseline():
    headroom = 1 - BASELINE_ACCURACY
    assert MIN_TEST_ACCURACY - BASELINE_ACCURACY >= MIN_SHARE_OF_HEADROOM * headroom


@pytest.mark.parametrize("value", [BASELINE_ACCURACY, 0.66, MIN_TEST_ACCURACY - 0.01])
def test_q5_refuses_a_model_that_does_not_clearly_beat_the_baseline(value):
    message = incorrect_message(q5.check(value))
    assert "does not clearly beat" in message and "0.630" in message


def test_q5_loss_instead_of_accuracy():
    message = incorrect_message(q5.check(0.4232))
    assert "If it is the loss" in message and "test_loss, test_accuracy" in message


def test_q5_the_whole_list_from_evaluate():
    message = incorrect_message(q5.check([0.4232, 0.7931]))
    assert "Unpack it" in message


def test_q5_too_good_to_be_true_suggests_a_leak():
    message = incorrect_message(q5.check(0.995))
    assert "leak" in message and "reservation_status" in message


def test_q5_not_attempted_and_out_of_range():
    assert q5.check(____).status == "not_attempted"
    assert "between 0 and 1" in incorrect_message(q5.check(79.3))
    assert "text" in incorrect_message(q5.check("0.79"))


@pytest.mark.parametrize("question", [q1, q2, q3, q4, q5, q6], ids=lambda q: q.name)
def test_every_question_has_stepped_hints_that_start_without_code(question):
    steps = question.hint_steps
    assert len(steps) >= 2 and "```" not in steps[0]
    assert f"{question.name}.hint(2)" in question.hint().message
    assert "```python" in question.solution().message


def used(**settings):
    callback = early_stopping(**settings)
    callback.set_model(classifier())
    return callback


@pytest.mark.parametrize("settings", [dict(patience=2), dict(patience=10, min_delta=0), dict(patience=3, min_delta=0.005)])
def test_q3_accepts_any_sensible_choice_of_settings(settings):
    feedback = q3.check(used(**settings), fake_history(140))
    assert feedback.status == "correct", feedback.message


@pytest.mark.parametrize("settings, consequence", [
    (dict(patience=1), "a single epoch whose validation loss happens not to beat the best"),
    (dict(patience=14), "in practice it never stops"),
    (dict(min_delta=0.05), "Hardly any epoch would count as an improvement"),
    (dict(monitor="loss"), "cannot tell when to stop"),
    (dict(monitor="val_binary_accuracy"), "only changes when a prediction crosses 0.5"),
    (dict(restore_best_weights=False), "the *last* epoch"),
    (dict(mode="max"), "counts a *higher* validation loss as an improvement"),
])
def test_q3_explains_the_consequence_of_each_unwise_setting(settings, consequence):
    assert consequence in incorrect_message(q3.check(used(**settings), fake_history(140)))


# --- q6: the open challenge ----------------------------------------------------------------


@pytest.fixture(scope="module")
def test_split():
    return exercise6.hotel_test_split()


def test_q6_numbers_and_features_match_the_notebook(test_split):
    numeric, categorical = _feature_lists()
    assert tuple(numeric) == exercise6.NUMERIC_FEATURES and tuple(categorical) == exercise6.CATEGORICAL_FEATURES
    X_test, y_test = test_split
    assert X_test.shape == (23_878, N_FEATURES)
    assert math.isclose((y_test == 0).mean(), BASELINE_ACCURACY, abs_tol=0.001)
    assert q6.target > BASELINE_ACCURACY + MIN_SHARE_OF_HEADROOM * (1 - BASELINE_ACCURACY)
    assert min(q6.reference) >= q6.target


@pytest.mark.parametrize("accuracy, status, words", [
    (0.801, "correct", "You beat the reference solution"),
    (0.7960, "correct", "on a par with the reference solution"),
    (0.7935, "correct", "the reference solution did a little better"),
    (0.785, "incorrect", "short of the target"),
    (0.62, "incorrect", "does no better than always saying 'not canceled'"),
])
def test_q6_judges_the_test_accuracy(monkeypatch, test_split, accuracy, status, words):
    monkeypatch.setattr(exercise6, "held_out_accuracy", lambda model, X, y: accuracy)
    X_test, y_test = test_split
    feedback = q6.check(classifier(), X_test, y_test)
    assert feedback.status == status, feedback.message
    assert words in feedback.message and "| target | at least 0.7900 |" in feedback.message


def test_q6_measures_a_real_model_and_insists_on_the_test_bookings(test_split):
    X_test, y_test = test_split
    feedback = q6.check(classifier(), X_test, y_test)  # untrained: its accuracy is whatever chance gives
    assert feedback.status == "incorrect" and "| **your model** |" in feedback.message
    assert "has 100 values" in incorrect_message(q6.check(classifier(), X_test[:100], y_test[:100]))
    assert "right length but not the same values" in incorrect_message(q6.check(classifier(), X_test, y_test[::-1]))
    assert "booking-time columns only" in incorrect_message(q6.check(classifier(), X_test[:, :60], y_test))
    assert "not the values of the prepared test bookings" in incorrect_message(q6.check(classifier(), X_test * 2, y_test))
    softmax = classifier(output=Dense(2, activation="softmax"))
    assert "Dense(1, activation='sigmoid')" in incorrect_message(q6.check(softmax, X_test, y_test))
    assert q6.check(____, X_test, y_test).status == "not_attempted"


def test_q3_best_epoch_ignores_nan_epochs_and_numpy_numbers():
    history = fake_history(steps=140)
    history.history["val_loss"] = [float("nan"), np.float32(0.40), np.float32(0.42)]
    history.history["val_binary_accuracy"] = [0.1, 0.83, 0.82]
    feedback = q3.check(used_callback(), history)
    assert feedback.status == "correct", feedback.message
    assert "holds the weights of epoch 2" in feedback.message and "83.0%" in feedback.message


# --- the notebook's features: booking-time only ------------------------------------------------


def _feature_lists():
    """The `numeric_features` and `categorical_features` lists of the solved exercise."""
    lists = {}
    code = [cell.source for cell in nbformat.read(SOLVED, as_version=4).cells if cell.cell_type == "code"]
    for node in (node for source in code for node in ast.walk(ast.parse(source))):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in {"numeric_features", "categorical_features"}:
                    lists[target.id] = [ast.literal_eval(element) for element in node.value.elts]
    return lists["numeric_features"], lists["categorical_features"]


def test_the_notebook_uses_no_leaking_column():
    numeric, categorical = _feature_lists()
    assert not set(numeric + categorical) & set(LEAKING_COLUMNS)
    assert "required_car_parking_spaces" in LEAKING_COLUMNS and "reservation_status" in LEAKING_COLUMNS


def test_every_feature_is_justified_in_the_notebook_table():
    numeric, categorical = _feature_lists()
    text = SOURCE.read_text()
    for column in numeric + categorical:
        row = next((line for line in text.splitlines() if line.startswith("# |") and f"`{column}`" in line), None)
        assert row is not None and "| yes |" in row, f"{column} has no 'yes' row in the features table"
    for column in LEAKING_COLUMNS:
        row = next((line for line in text.splitlines() if line.startswith("# |") and f"`{column}`" in line), None)
        assert row is not None and "| **no** |" in row, f"{column} has no '**no**' row in the features table"


def test_the_prepared_features_have_the_width_q1_expects():
    from helpers import data

    numeric, categorical = _feature_lists()
    hotels = data.load_hotels()
    one_hot = sum(hotels[column].nunique() for column in categorical)
    assert len(numeric) + one_hot == N_FEATURES
    # the leak the notebook shows: no canceled booking has a parking space
    parking = hotels["required_car_parking_spaces"] > 0
    assert hotels.loc[parking, "is_canceled"].sum() == 0 and parking.sum() == 7416
    assert math.isclose(len(hotels) * 0.6, N_TRAIN, abs_tol=1)


# --- issue 11's check logic on the booking-time exercise ---------------------------------------


def test_q1_equivalent_spellings_on_the_61_booking_time_columns():
    inputs = keras.Input(shape=(N_FEATURES,))
    x = keras.layers.ReLU()(Dense(64)(inputs))
    x = keras.layers.Activation("relu")(Dense(64)(x))
    outputs = Dense(1, activation=keras.activations.sigmoid)(x)
    assert q1.check(keras.Model(inputs, outputs)).status == "correct"


def test_q1_wider_input_is_told_about_the_leaking_columns_narrower_about_the_61():
    wider = incorrect_message(q1.check(classifier(n_features=N_FEATURES + 3)))
    assert "after the booking is made" in wider and "required_car_parking_spaces" in wider
    narrower = incorrect_message(q1.check(classifier(n_features=N_FEATURES - 1)))
    assert "61 columns" in narrower and "after the booking" not in narrower


def test_q1_one_output_unit_in_the_singular():
    message = incorrect_message(q1.check(classifier(output=Dense(3, activation="sigmoid"))))
    assert "The output layer has 3 units" in message


def test_q2_refuses_exact_accuracy_and_from_logits():
    assert "*equals*" in incorrect_message(q2.check(compiled(metrics=[keras.metrics.Accuracy()])))
    message = incorrect_message(q2.check(compiled(loss=keras.losses.BinaryCrossentropy(from_logits=True))))
    assert "from_logits=True" in message


def test_q3_epochs_above_the_limit():
    message = incorrect_message(q3.check(used_callback(), _long_history()))
    assert "above the limit of 15" in message


def _long_history():
    history = fake_history(steps=140)
    history.set_params({"verbose": 0, "epochs": 40, "steps": 140})
    return history


@pytest.mark.parametrize("steps, fragment", [
    (112, "`validation_split=0.2` (or similar) gives exactly this"),  # 80% of the 71,634 training bookings
    (187, "`X_train` and `X_valid` together (95,512 bookings)"),
    (234, "the whole data set (119,390 bookings)"),
    (47, "the validation (or the test) set (23,878 bookings)"),
])
def test_q3_steps_per_epoch_name_the_table_that_fits(steps, fragment):
    message = incorrect_message(q3.check(used_callback(), fake_history(steps=steps)))
    assert fragment in message


def test_q4_the_test_labels_give_the_baseline():
    labels = np.r_[np.zeros(15_034), np.ones(8_844)]  # the 23,878 stratified test bookings
    assert q4.check((labels == 0).mean()).status == "correct"


def test_q5_other_forms_of_what_evaluate_returns():
    assert "Unpack it" in incorrect_message(q5.check(np.array([0.4232, 0.7931])))
    assert "Unpack it" in incorrect_message(q5.check((0.4232, 0.7931)))
    message = incorrect_message(q5.check({"loss": 0.4232, "binary_accuracy": 0.7931}))
    assert "return_dict=True" in message and "results['binary_accuracy']" in message
    assert "baseline_accuracy" in incorrect_message(q5.check(BASELINE_ACCURACY))
    assert "NaN" in incorrect_message(q5.check(float("nan")))
    assert q5.check(np.array([0.7931])).status == "correct"
