"""Exercise 5 (dropout and batch normalization): every check accepts the worked answer and
gives its specific message for each anticipated mistake."""

import keras
import numpy as np
import pytest

from helpers.exercises import ____, core
from helpers.exercises import exercise4, exercise5
from helpers.exercises.exercise5 import _training_outcome, q1, q2, q3, q4, q5, q6

Dense = keras.layers.Dense
Dropout = keras.layers.Dropout
BN = keras.layers.BatchNormalization


@pytest.fixture(autouse=True)
def lenient_checks(monkeypatch):
    monkeypatch.delenv(core.STRICT_ENV_VAR, raising=False)


def sequential(n_features, *layers):
    return keras.Sequential([keras.Input(shape=(n_features,)), *layers])


def standardized_model(*layers):
    return sequential(8, *layers)


def concrete_model(*layers):
    return sequential(8, *layers)


def train(model, optimizer="adam", scale=1.0, validation=True):
    """One epoch on random stand-in data; ``scale`` makes the inputs as large as raw concrete data."""
    rng = np.random.default_rng(0)
    x = (scale * rng.uniform(size=(96, model.input_shape[-1]))).astype("float32")
    y = rng.uniform(size=(96,)).astype("float32")
    model.compile(optimizer=optimizer, loss="mae")
    model.fit(x, y, validation_data=(x[:32], y[:32]) if validation else None, batch_size=32, epochs=1, verbose=0)
    return model


def incorrect_message(feedback):
    assert feedback.status == "incorrect", f"expected 'incorrect', got {feedback.status}: {feedback.message}"
    return feedback.message


def dropout_layers(rate_1=0.3, rate_2=0.3):
    return [Dense(128, activation="relu"), Dropout(rate_1), Dense(64, activation="relu"), Dropout(rate_2), Dense(1)]


def hidden_256():
    return Dense(256, activation="relu")


def bn_layers():
    return [BN(), hidden_256(), BN(), hidden_256(), BN(), hidden_256(), BN(), Dense(1)]


# --- q1: dropout ------------------------------------------------------------------------


def test_q1_accepts_dropout_after_each_hidden_layer():
    feedback = q1.check(train(standardized_model(*dropout_layers())))
    assert feedback.status == "correct", feedback.message
    assert "Best validation MAE" in feedback.message


def test_q1_placeholder_is_not_attempted():
    assert q1.check(____).status == "not_attempted"


def test_q1_no_dropout_at_all():
    model = standardized_model(Dense(128, activation="relu"), Dense(64, activation="relu"), Dense(1))
    assert "no `Dropout` layers yet" in incorrect_message(q1.check(model))


def test_q1_dropout_after_the_output_layer():
    model = standardized_model(*dropout_layers(), Dropout(0.3))
    message = incorrect_message(q1.check(model))
    assert "after the output layer" in message and "predictions themselves" in message


def test_q1_dropout_on_the_inputs():
    model = standardized_model(Dropout(0.3), Dense(128, activation="relu"), Dense(64, activation="relu"),
                          Dropout(0.3), Dense(1))
    assert "starts with `Dropout`" in incorrect_message(q1.check(model))


def test_q1_two_dropouts_in_a_row():
    model = standardized_model(Dense(128, activation="relu"), Dropout(0.3), Dropout(0.3),
                          Dense(64, activation="relu"), Dense(1))
    assert "two `Dropout` layers in a row" in incorrect_message(q1.check(model))


def test_q1_missing_dropout_after_the_second_hidden_layer():
    model = standardized_model(Dense(128, activation="relu"), Dropout(0.3), Dense(64, activation="relu"), Dense(1))
    assert "no `Dropout` after the 2nd `Dense` layer" in incorrect_message(q1.check(model))


def test_q1_wrong_rate():
    message = incorrect_message(q1.check(standardized_model(*dropout_layers(rate_2=0.5))))
    assert "2nd `Dropout` layer has rate 0.5" in message and "Dropout(0.3)" in message


def test_q1_rate_as_the_share_to_keep():
    message = incorrect_message(q1.check(standardized_model(*dropout_layers(rate_1=0.7))))
    assert "1st `Dropout` layer has rate 0.7" in message
    assert "fraction of units to *drop*, not to keep" in message


def test_q1_batch_normalization_does_not_belong_here():
    model = standardized_model(Dense(128, activation="relu"), BN(), Dropout(0.3), Dense(64, activation="relu"),
                          Dropout(0.3), Dense(1))
    assert "`BatchNormalization` layer" in incorrect_message(q1.check(model))


def test_q1_wrong_hidden_units():
    model = standardized_model(Dense(256, activation="relu"), Dropout(0.3), Dense(64, activation="relu"),
                          Dropout(0.3), Dense(1))
    assert "1st Dense layer has 256 units; it should have 128" in incorrect_message(q1.check(model))


def test_q1_untrained_model():
    assert "not been trained yet" in incorrect_message(q1.check(standardized_model(*dropout_layers())))


def test_q1_wrong_input_shape():
    model = sequential(18, *dropout_layers())
    assert "keras.Input(shape=(8,))" in incorrect_message(q1.check(model))


# --- q2 and q5: discussions -------------------------------------------------------------


MY_ANSWER = "The training curve is on top now because dropout only acts in training."


def test_discussions_reveal_their_answers_only_next_to_a_written_one():
    for question in (q2, q5):
        assert question.check().status == "not_attempted"
        assert question.check("\n____\n").status == "not_attempted"
        assert question.check("dropout").status == "not_attempted"
        assert question.solution().status != "answer"
    q2_answer = q2.check(MY_ANSWER)
    assert q2_answer.status == "answer" and "only active while training" in q2_answer.message
    assert "average over the epoch" in q2_answer.message and "Batch normalization" in q2_answer.message
    assert MY_ANSWER in q2_answer.message
    q5_answer = q5.check(MY_ANSWER)
    assert q5_answer.status == "answer" and "standardizes" in q5_answer.message
    assert "test MAE" in q5_answer.message


# --- q3: plain SGD on unscaled data --------------------------------------------------------


def plain_layers():
    return [hidden_256(), hidden_256(), hidden_256(), Dense(1)]


def test_q3_accepts_the_plain_model_and_describes_its_training():
    model = train(concrete_model(*plain_layers()), optimizer="sgd", scale=1000.0)
    feedback = q3.check(model)
    assert feedback.status == "correct", feedback.message
    assert "epoch" in feedback.message


def test_q3_placeholder_is_not_attempted():
    assert q3.check(____).status == "not_attempted"


def test_q3_batch_normalization_is_for_question_4():
    model = concrete_model(BN(), *plain_layers())
    message = incorrect_message(q3.check(model))
    assert "`BatchNormalization` layer" in message and "question 4" in message


def test_q3_wrong_optimizer():
    model = train(concrete_model(*plain_layers()), optimizer="adam")
    assert "'adam' optimizer" in incorrect_message(q3.check(model))


def test_q3_untrained():
    model = concrete_model(*plain_layers())
    model.compile(optimizer="sgd", loss="mae")
    assert "not been trained yet" in incorrect_message(q3.check(model))


def test_q3_not_compiled():
    assert "not compiled yet" in incorrect_message(q3.check(concrete_model(*plain_layers())))


def test_q3_wrong_layer_count_and_input():
    message = incorrect_message(q3.check(concrete_model(hidden_256(), hidden_256(), Dense(1))))
    assert "3 Dense layers (" in message
    message = incorrect_message(q3.check(sequential(9, *plain_layers())))
    assert "8 feature columns" in message


def test_training_outcome_describes_nan_huge_and_ordinary_runs():
    assert "epoch 1" in _training_outcome({"loss": [float("nan")], "val_loss": [float("nan")]})
    assert "no longer a number" in _training_outcome({"loss": [float("inf")], "val_loss": [float("nan")]})
    huge = _training_outcome({"loss": [1.6e34, 35.7, 35.0], "val_loss": [34.5, 33.9, 33.2]})
    assert "huge" in huge and "35.0 MPa" in huge and "ReLU" in huge
    ordinary = _training_outcome({"loss": [30.0, 12.0], "val_loss": [28.0, 11.0]})
    assert "12.0 MPa" in ordinary and "11.0 MPa" in ordinary


# --- q4: batch normalization -----------------------------------------------------------


def test_q4_accepts_the_batch_normalized_model():
    feedback = q4.check(train(concrete_model(*bn_layers()), optimizer="sgd", scale=1000.0))
    assert feedback.status == "correct", feedback.message
    assert "now it trains" in feedback.message and "MPa" in feedback.message


def test_q4_placeholder_is_not_attempted():
    assert q4.check(____).status == "not_attempted"


def test_q4_no_batch_normalization():
    assert "no `BatchNormalization` layers yet" in incorrect_message(q4.check(concrete_model(*plain_layers())))


def test_q4_batch_normalization_after_the_output():
    message = incorrect_message(q4.check(concrete_model(*bn_layers(), BN())))
    assert "after the output layer" in message and "*predictions*" in message


def test_q4_missing_input_batch_normalization():
    model = concrete_model(hidden_256(), BN(), hidden_256(), BN(), hidden_256(), BN(), Dense(1))
    message = incorrect_message(q4.check(model))
    assert "first layer after the input is not `BatchNormalization`" in message
    assert "different scales" in message


def test_q4_missing_batch_normalization_after_a_hidden_layer():
    model = concrete_model(BN(), hidden_256(), BN(), hidden_256(), hidden_256(), BN(), Dense(1))
    assert "no `BatchNormalization` after the 2nd `Dense` layer" in incorrect_message(q4.check(model))


def test_q4_two_batch_normalizations_in_a_row():
    model = concrete_model(BN(), BN(), hidden_256(), BN(), hidden_256(), BN(), hidden_256(), BN(), Dense(1))
    assert "two `BatchNormalization` layers in a row" in incorrect_message(q4.check(model))


def test_q4_dropout_does_not_belong_here():
    model = concrete_model(BN(), hidden_256(), Dropout(0.3), BN(), hidden_256(), BN(), hidden_256(), BN(), Dense(1))
    assert "`Dropout` layer" in incorrect_message(q4.check(model))


def test_q4_wrong_optimizer_and_untrained():
    model = train(concrete_model(*bn_layers()), optimizer="adam")
    assert "'adam' optimizer" in incorrect_message(q4.check(model))
    model = concrete_model(*bn_layers())
    model.compile(optimizer="sgd", loss="mae")
    assert "not been trained yet" in incorrect_message(q4.check(model))


@pytest.mark.parametrize("question", [q1, q2, q3, q4, q5, q6], ids=lambda q: q.name)
def test_every_question_has_stepped_hints_that_start_without_code(question):
    steps = question.hint_steps
    assert len(steps) >= 2 and "```" not in steps[0]
    assert f"{question.name}.hint(2)" in question.hint().message
    if question not in (q2, q5):
        assert "```python" in question.solution().message


def test_q1_dropout_on_the_inputs_explains_what_it_would_hide():
    message = incorrect_message(q1.check(standardized_model(Dropout(0.3), *dropout_layers())))
    assert "30% of the *input features*" in message and "only eight of them" in message


# --- q6: the open challenge on the raw data -----------------------------------------------


@pytest.fixture(scope="module")
def split():
    return exercise4.concrete_split()


def test_q6_numbers_make_sense(split):
    assert q6.raw_inputs and not q6.centered_target
    assert q6._baseline_score() > 2 * q6.target
    assert max(q6.reference) <= q6.target
    assert f"{q6.reference[0]:.2f}-{q6.reference[1]:.2f} MPa in our runs" in q6.solution_text


@pytest.mark.parametrize("mae, status", [(4.0, "correct"), (4.7, "correct"), (4.9, "incorrect")])
def test_q6_is_judged_on_the_raw_test_mixtures(monkeypatch, split, mae, status):
    monkeypatch.setattr(exercise4, "held_out_mae", lambda model, X, y: mae)
    model = train(concrete_model(BN(), Dense(16, activation="relu"), Dense(1)), scale=1000.0)
    feedback = q6.check(model, split["X_test_raw"], split["y_test_raw"])
    assert feedback.status == status, feedback.message
    assert "| target | at most 4.80 MPa |" in feedback.message


def test_q6_refuses_the_standardized_or_centered_data(split):
    model = train(concrete_model(BN(), Dense(16, activation="relu"), Dense(1)), scale=1000.0)
    assert "pass `X_test_raw`" in incorrect_message(q6.check(model, split["X_test"], split["y_test_raw"]))
    assert "Pass `y_test_raw`" in incorrect_message(q6.check(model, split["X_test_raw"], split["y_test"]))
    assert "validation mixtures" in incorrect_message(q6.check(model, split["X_valid_raw"], split["y_valid_raw"]))


def test_q6_a_real_untrained_model_misses_the_target_kindly(split):
    model = concrete_model(BN(), Dense(16, activation="relu"), Dense(1))
    message = incorrect_message(q6.check(model, split["X_test_raw"], split["y_test_raw"]))
    assert "does no better than always predicting the average strength" in message
    assert "has not been trained yet" in message


def test_separate_activation_layers_are_the_same_computation():
    """Dense then Activation('relu') is Dense(activation='relu') (lesson 2): the layers pass and the
    check goes on to ask for training."""
    model = standardized_model(Dense(128), keras.layers.Activation("relu"), Dropout(0.3),
                          Dense(64, activation="relu"), Dropout(0.3), Dense(1))
    message = incorrect_message(q1.check(model))
    assert "not been trained yet" in message
