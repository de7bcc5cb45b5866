"""Exercise 4 (overfitting and underfitting): every check accepts the worked answer and gives
its specific message for each anticipated mistake."""

import keras
import numpy as np
import pytest

from helpers.exercises import ____, core
from helpers.exercises import exercise4
from helpers.exercises.exercise4 import N_FEATURES, q1, q2, q3, q4, q5, q6

Dense = keras.layers.Dense


@pytest.fixture(autouse=True)
def lenient_checks(monkeypatch):
    """These tests look at "incorrect" feedback, so strict mode must be off."""
    monkeypatch.delenv(core.STRICT_ENV_VAR, raising=False)


def sequential(*layers, n_features=N_FEATURES):
    return keras.Sequential([keras.Input(shape=(n_features,)), *layers])


def train(model, epochs=1, validation=True, optimizer="adam", callbacks=()):
    """Train on a small random stand-in for the concrete data (the checks read the history)."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, model.input_shape[-1])).astype("float32")
    y = rng.uniform(size=(96,)).astype("float32")
    model.compile(optimizer=optimizer, loss="mae")
    model.fit(
        x, y, validation_data=(x[:32], y[:32]) if validation else None,
        batch_size=32, epochs=epochs, verbose=0, callbacks=list(callbacks),
    )
    return model


def incorrect_message(feedback):
    assert feedback.status == "incorrect", f"expected 'incorrect', got {feedback.status}: {feedback.message}"
    return feedback.message


@pytest.fixture(scope="module")
def trained_linear():
    return train(sequential(Dense(1)))


@pytest.fixture(scope="module")
def trained_deep():
    return train(sequential(Dense(128, activation="relu"), Dense(64, activation="relu"), Dense(1)))


# --- q1: the linear model ---------------------------------------------------------------


def test_q1_accepts_a_trained_linear_model_and_reports_its_mae(trained_linear):
    feedback = q1.check(trained_linear)
    assert feedback.status == "correct", feedback.message
    assert "validation MAE" in feedback.message
    assert "MPa" in feedback.message and "baseline" in feedback.message


def test_q1_placeholder_is_not_attempted():
    assert q1.check(____).status == "not_attempted"


def test_q1_untrained_model_is_asked_to_run_the_whole_cell():
    message = incorrect_message(q1.check(sequential(Dense(1))))
    assert "has not been trained yet" in message


def test_q1_model_trained_without_validation_data():
    message = incorrect_message(q1.check(train(sequential(Dense(1)), validation=False)))
    assert "without validation data" in message
    assert "validation_data=(X_valid, y_valid)" in message


def test_q1_activation_makes_it_not_linear():
    message = incorrect_message(q1.check(sequential(Dense(1, activation="relu"))))
    assert "activation 'relu'" in message
    # the consequence of the wrong decision, for this centered target
    assert "negative for every mixture weaker than average" in message
    message = incorrect_message(q1.check(sequential(Dense(1, activation="sigmoid"))))
    assert "between 0 and 1" in message and "could not even output a right answer" in message
    message = incorrect_message(q1.check(sequential(Dense(1, activation="tanh"))))
    assert "between -1 and 1" in message


def test_q1_more_than_one_unit():
    message = incorrect_message(q1.check(sequential(Dense(3))))
    assert "3 units" in message and "`Dense(1)`" in message


def test_q1_hidden_layers_belong_to_question_3():
    message = incorrect_message(q1.check(sequential(Dense(8, activation="relu"), Dense(1))))
    assert "2 `Dense` layers" in message
    assert "question 3" in message


def test_q1_wrong_input_shape_names_the_8_columns():
    message = incorrect_message(q1.check(sequential(Dense(1), n_features=18)))
    assert "8 feature columns" in message
    assert "keras.Input(shape=(8,))" in message


def test_q1_model_without_input_is_told_to_start_with_keras_input():
    message = incorrect_message(q1.check(keras.Sequential([Dense(1)])))
    assert "does not know its input shape" in message


def test_q1_non_dense_layer_is_refused():
    message = incorrect_message(q1.check(sequential(keras.layers.Dropout(0.2), Dense(1))))
    assert "`Dropout` layer" in message


def test_q1_a_layer_is_not_a_model():
    message = incorrect_message(q1.check(Dense(1)))
    assert "single `Dense` layer, not a model" in message


# --- q2 and q5: discussions -----------------------------------------------------------------


MY_ANSWER = "Both curves flatten out together, so more epochs would not help much."


@pytest.mark.parametrize("question", [q2, q5])
def test_discussions_ask_for_a_written_answer_first(question):
    for attempt in ((), (____,), ("\n____\n",), ("too short",)):
        feedback = question.check(*attempt)
        assert feedback.status == "not_attempted", attempt
        assert question.answer_text.strip()[:60] not in feedback.message
    assert question.solution().status != "answer"


def test_q2_reveals_the_underfitting_answer():
    feedback = q2.check(MY_ANSWER)
    assert feedback.status == "answer"
    assert "underfitting" in feedback.message and MY_ANSWER in feedback.message


def test_q5_reveals_the_early_stopping_answer():
    feedback = q5.check(MY_ANSWER)
    assert feedback.status == "answer"
    assert "restore_best_weights=True" in feedback.message and "wobbles" in feedback.message
    assert "test set" in feedback.message  # the fair score comes from the test set


# --- q3: more capacity ---------------------------------------------------------------------


def test_q3_accepts_the_deeper_model_and_points_at_the_gap(trained_deep):
    feedback = q3.check(trained_deep)
    assert feedback.status == "correct", feedback.message
    assert "lowest at epoch" in feedback.message and "MPa" in feedback.message


def test_q3_placeholder_is_not_attempted():
    assert q3.check(____).status == "not_attempted"


@pytest.mark.parametrize("hidden", [(64, 128), (256, 128, 64), (32, 32)])
def test_q3_accepts_any_design_with_two_or_more_nonlinear_hidden_layers(hidden):
    model = train(sequential(*[Dense(units, activation="relu") for units in hidden], Dense(1)))
    feedback = q3.check(model)
    assert feedback.status == "correct", feedback.message
    assert " → ".join(map(str, hidden)) in feedback.message


def test_q3_other_nonlinear_activations_pass_with_a_note():
    model = train(sequential(Dense(64, activation="tanh"), Dense(64, activation="tanh"), Dense(1)))
    feedback = q3.check(model)
    assert feedback.status == "correct" and "'tanh' is a nonlinear activation" in feedback.message


def test_q3_hidden_layers_without_activation_add_no_capacity():
    model = sequential(Dense(128), Dense(64), Dense(1))
    message = incorrect_message(q3.check(model))
    assert "again one linear function" in message and "no extra capacity" in message
    model = sequential(Dense(128), Dense(64, activation="relu"), Dense(1))
    message = incorrect_message(q3.check(model))
    assert "1st hidden layer has no activation" in message


def test_q3_output_layer_with_activation():
    model = sequential(Dense(128, activation="relu"), Dense(64, activation="relu"), Dense(1, activation="relu"))
    message = incorrect_message(q3.check(model))
    assert "output layer uses 'relu'" in message and "weaker than average" in message


def test_q3_only_one_hidden_layer():
    message = incorrect_message(q3.check(sequential(Dense(128, activation="relu"), Dense(1))))
    assert "1 hidden layer before the output" in message


def test_q3_untrained_deep_model():
    model = sequential(Dense(128, activation="relu"), Dense(64, activation="relu"), Dense(1))
    assert "has not been trained yet" in incorrect_message(q3.check(model))


# --- q4: early stopping --------------------------------------------------------------------


def early_stopping(**settings):
    options = dict(min_delta=0.1, patience=10, restore_best_weights=True)
    options.update(settings)
    return keras.callbacks.EarlyStopping(**options)


def test_q4_accepts_the_callback():
    feedback = q4.check(early_stopping())
    assert feedback.status == "correct", feedback.message


def test_q4_after_training_reports_when_it_stopped_and_which_epoch_it_restored():
    callback = early_stopping()
    # A learning rate of 0 never improves the validation loss: training stops after
    # 1 + patience epochs and rolls back to epoch 1.
    train(sequential(Dense(1)), epochs=20, optimizer=keras.optimizers.SGD(learning_rate=0.0),
          callbacks=[callback])
    feedback = q4.check(callback)
    assert feedback.status == "correct", feedback.message
    assert "stopped after epoch 11" in feedback.message
    assert "weights of epoch 1" in feedback.message


def test_q4_after_training_without_stopping_still_reports_the_restored_epoch():
    callback = early_stopping()
    train(sequential(Dense(1)), epochs=3, optimizer=keras.optimizers.SGD(learning_rate=0.0),
          callbacks=[callback])
    feedback = q4.check(callback)
    assert feedback.status == "correct", feedback.message
    assert "never stopped training" in feedback.message and "epoch 1" in feedback.message


def test_q4_placeholder_is_not_attempted():
    assert q4.check(____).status == "not_attempted"


def test_q4_placeholder_inside_the_callback_is_not_attempted():
    callback = keras.callbacks.EarlyStopping(min_delta=0.1, patience=____, restore_best_weights=True)
    assert q4.check(callback).status == "not_attempted"


def test_q4_swapped_min_delta_and_patience():
    message = incorrect_message(q4.check(early_stopping(min_delta=10, patience=0.1)))
    assert "look swapped" in message


def test_q4_missing_restore_best_weights():
    message = incorrect_message(q4.check(keras.callbacks.EarlyStopping(min_delta=0.1, patience=10)))
    assert "`restore_best_weights` is False" in message


@pytest.mark.parametrize("settings", [dict(patience=5), dict(patience=30, min_delta=0), dict(min_delta=0.001),
                                      dict(min_delta=-0.5, patience=20)])
def test_q4_accepts_any_sensible_choice(settings):
    feedback = q4.check(early_stopping(**settings))
    assert feedback.status == "correct", feedback.message
    assert f"`patience={settings.get('patience', 10)}`" in feedback.message


def test_q4_explains_the_consequence_of_each_unwise_setting():
    assert "stop too soon" in incorrect_message(q4.check(early_stopping(patience=2)))
    assert "seldom stop before the cap" in incorrect_message(q4.check(early_stopping(patience=50)))
    assert "long before the curve flattens" in incorrect_message(q4.check(early_stopping(min_delta=1)))
    assert "weights of the *last* epoch" in incorrect_message(q4.check(early_stopping(restore_best_weights=False)))


def test_q4_watching_the_training_loss():
    message = incorrect_message(q4.check(early_stopping(monitor="loss")))
    assert "watches 'loss'" in message and "never stop" in message
    message = incorrect_message(q4.check(early_stopping(monitor="val_mae")))
    assert "does not record" in message


def test_q4_the_class_instead_of_a_callback():
    assert "class itself" in incorrect_message(q4.check(keras.callbacks.EarlyStopping))


def test_q4_another_callback():
    message = incorrect_message(q4.check(keras.callbacks.TerminateOnNaN()))
    assert "EarlyStopping" in message and "TerminateOnNaN" in message


@pytest.mark.parametrize("question", [q1, q2, q3, q4, q5, q6], ids=lambda q: q.name)
def test_every_question_has_stepped_hints_that_start_without_code(question):
    steps = question.hint_steps
    assert len(steps) >= 2
    assert "```" not in steps[0]
    first = question.hint()
    assert first.status == "hint" and f"{question.name}.hint(2)" in first.message
    assert question.hint(len(steps) + 1).status == "hint"  # out of range: a friendly note, not an error
    if question not in (q2, q5):
        assert "```python" in question.solution().message


def test_q4_a_wrong_min_delta_is_explained_in_mpa():
    message = incorrect_message(q4.check(early_stopping(min_delta=2, patience=5)))
    assert "`min_delta` is 2" in message and "validation MAE in MPa" in message


def test_q4_settings_given_as_text_or_mode_max_are_refused():
    assert "not a number" in incorrect_message(q4.check(early_stopping(patience="10")))
    assert "`mode='max'`" in incorrect_message(q4.check(early_stopping(mode="max")))


def test_q1_and_q3_accept_functional_models_with_activation_layers():
    inputs = keras.Input(shape=(N_FEATURES,))
    x = keras.layers.ReLU()(Dense(128)(inputs))
    x = keras.layers.Activation("relu")(Dense(64)(x))
    deep = keras.Model(inputs, Dense(1)(x))
    train(deep)
    assert q3.check(deep).status == "correct"
    inputs = keras.Input(shape=(N_FEATURES,))
    linear = keras.Model(inputs, keras.layers.Activation("linear")(Dense(1)(inputs)))
    train(linear)
    assert q1.check(linear).status == "correct"


# --- q6: the open challenge ------------------------------------------------------------------


@pytest.fixture(scope="module")
def split():
    return exercise4.concrete_split()


def test_q6_numbers_make_sense(split):
    assert len(split["y_test"]) == exercise4.N_TEST
    assert q6._baseline_score() > 3 * q6.target  # always predicting the average: about 13.3 MPa
    assert max(q6.reference) <= q6.target


@pytest.mark.parametrize("mae, status, words", [
    (3.5, "correct", "You beat the reference solution"),
    (3.95, "correct", "on a par with the reference solution"),
    (4.25, "correct", "the reference solution did a little better"),
    (4.4, "incorrect", "short of the target"),
])
def test_q6_judges_the_outcome_against_target_baseline_and_reference(monkeypatch, split, mae, status, words):
    monkeypatch.setattr(exercise4, "held_out_mae", lambda model, X, y: mae)
    model = train(sequential(Dense(8, activation="relu"), Dense(1)))
    feedback = q6.check(model, split["X_test"], split["y_test"])
    assert feedback.status == status, feedback.message
    assert words in feedback.message
    assert "| target | at most 4.30 MPa |" in feedback.message
    assert "| reference solution, seeds 0-2 | 3.78 MPa to 4.13 MPa |" in feedback.message
    assert "always predicting the average strength" in feedback.message


def test_q6_an_untrained_model_does_no_better_than_the_baseline(split):
    model = sequential(Dense(1, kernel_initializer="zeros", bias_initializer=keras.initializers.Constant(20.0)))
    message = incorrect_message(q6.check(model, split["X_test"], split["y_test"]))
    assert "does no better than always predicting the average strength" in message
    assert "has not been trained yet" in message


def test_q6_explains_an_output_activation_that_cannot_reach_the_targets(split):
    model = train(sequential(Dense(16, activation="relu"), Dense(1, activation="sigmoid")))
    message = incorrect_message(q6.check(model, split["X_test"], split["y_test"]))
    assert "squeezes every prediction between 0 and 1" in message and "What your model's design tells us" in message


def test_q6_insists_on_the_held_out_test_mixtures(split):
    model = train(sequential(Dense(1)))
    assert "These are the validation mixtures" in incorrect_message(q6.check(model, split["X_valid"], split["y_valid"]))
    assert "These are the training mixtures" in incorrect_message(q6.check(model, split["X_train"], split["y_train"]))
    assert "raw strengths" in incorrect_message(q6.check(model, split["X_test"], split["y_test_raw"]))
    assert "raw, unscaled features" in incorrect_message(q6.check(model, split["X_test_raw"], split["y_test"]))
    assert "right length but not the same values" in incorrect_message(
        q6.check(model, split["X_test"], split["y_test"][::-1]))
    assert q6.check(____, split["X_test"], split["y_test"]).status == "not_attempted"
    assert "takes 3 answers" in incorrect_message(q6.check(model))


def test_q6_reference_function_builds_the_worked_answer():
    """train_reference and the worked answer describe the same network."""
    for piece in ("Dense(256", "Dense(128", "Dense(64", "learning_rate=0.01", "patience=20", "epochs=150"):
        assert piece in q6.solution_text
