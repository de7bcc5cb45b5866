"""Exercise 6 (binary classification): every check accepts the worked answer and gives its
specific message for each anticipated mistake."""

import keras
import numpy as np
import pytest

from helpers.exercises import ____, core
from helpers.exercises.lesson6 import BASELINE_ACCURACY, N_FEATURES, N_TRAIN, q1, q2, q3, q4, q5

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
    message = incorrect_message(q1.check(classifier(n_features=65)))
    assert "64 columns" in message and "keras.Input(shape=(64,))" in message


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


def test_q3_reports_the_best_epoch():
    feedback = q3.check(used_callback(), fake_history(steps=175))
    assert "best epoch was epoch 2" in feedback.message and "83.0%" in feedback.message


def test_q3_placeholders_are_not_attempted():
    assert q3.check(____, ____).status == "not_attempted"
    assert q3.check(early_stopping(), ____).status == "not_attempted"
    callback = keras.callbacks.EarlyStopping(patience=5, min_delta=0.001, restore_best_weights=____)
    assert q3.check(callback, fake_history(175)).status == "not_attempted"


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
    message = incorrect_message(q3.check(early_stopping(), fake_history(steps=175)))
    assert "callbacks=[early_stopping]" in message


def test_q3_without_validation_data():
    message = incorrect_message(q3.check(used_callback(), fake_history(steps=175, with_validation=False)))
    assert "without validation data" in message


def test_q3_small_and_huge_batches():
    small = incorrect_message(q3.check(used_callback(), fake_history(steps=2799)))  # batch_size=32
    assert "a batch size of anywhere from 32 to 32" not in small
    assert "exactly 32" in small and "batch_size=512" in small
    huge = incorrect_message(q3.check(used_callback(), fake_history(steps=22)))  # batch_size=4096
    assert "Keras took 22 steps per epoch" in huge and "from 4071 to 4263" in huge


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
    assert "*were* cancelled" in incorrect_message(q4.check(1 - BASELINE_ACCURACY))


def test_q4_percentages():
    assert "looks like a percentage" in incorrect_message(q4.check(62.96))
    assert "percentage of cancelled" in incorrect_message(q4.check(37.04))


def test_q4_coin_flip_and_out_of_range_values():
    assert "equally common" in incorrect_message(q4.check(0.5))
    assert "between 0 and 1" in incorrect_message(q4.check(7.0))
    assert "not the share" in incorrect_message(q4.check(0.8))


def test_q4_not_a_number():
    assert "text" in incorrect_message(q4.check("0.63"))
    assert "single number" in incorrect_message(q4.check(np.array([0.6, 0.7])))


def test_the_baseline_constant_matches_the_data_description():
    assert BASELINE_ACCURACY == pytest.approx(0.62958, abs=1e-5)


# --- q5 ----------------------------------------------------------------------------------


def test_q5_reveals_the_answer():
    feedback = q5.check()
    assert feedback.status == "answer"
    assert "63%" in feedback.message and "gradient" in feedback.message


def test_every_question_has_a_hint_and_a_solution():
    for question in (q1, q2, q3, q4):
        assert question.hint().message
        assert "```python" in question.solution().message


def test_q3_best_epoch_ignores_nan_epochs_and_numpy_numbers():
    history = fake_history(steps=175)
    history.history["val_loss"] = [float("nan"), np.float32(0.40), np.float32(0.42)]
    history.history["val_binary_accuracy"] = [0.1, 0.83, 0.82]
    feedback = q3.check(used_callback(), history)
    assert feedback.status == "correct", feedback.message
    assert "best epoch was epoch 2" in feedback.message and "83.0%" in feedback.message
