# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Exercise 6: Binary classification
#
# A hotel would like to know, when a booking comes in, how likely it is to be cancelled.
# You will train a network on 119,390 real bookings of two hotels in Portugal (2015-2017)
# to answer that question.
#
# **In this exercise you will**
#
# * give a network the **output layer** of a binary classifier;
# * compile it with the **loss** and the **metric** of a classifier;
# * train it with **early stopping** and read its loss and accuracy curves;
# * compute the accuracy of the simplest possible "model", and compare.
#
# **How the exercises work.** Each task has a cell containing `____` (four underscores):
# replace it with your answer and run the cell. The cell after it checks your answer:
# ✅ means correct, ❌ comes with a hint about what to change, and 📝 means you have not
# filled in the blank yet. Stuck? Uncomment `q1.hint()` or `q1.solution()` and run it.
#
# Run the notebook from the top: later questions reuse what earlier cells built.

# %%
import keras
import numpy as np
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from helpers import data
from helpers.exercises import ____
from helpers.exercises.lesson6 import q1, q2, q3, q4, q5
from helpers.plots import plot_learning_curves, show

keras.utils.set_random_seed(0)

# %% [markdown]
# ## The bookings
#
# Each row is one booking. `is_canceled` is 1 if the guest cancelled and 0 if they came.

# %%
hotels = data.load_hotels()
print(hotels.shape)
hotels[["hotel", "lead_time", "arrival_date_month", "adults", "deposit_type", "adr", "is_canceled"]].head()

# %% [markdown]
# ## Choosing the features
#
# The model may only use what the hotel knows **when the booking is made**. Some columns are
# written later and would give the answer away: `reservation_status` literally says
# "Canceled", and `assigned_room_type` is only decided when the guest arrives. Those stay out,
# as do the identifiers of agents and companies and the country (hundreds of rare values).
#
# What stays in: 15 numeric columns (how far ahead the booking was made, the length of the
# stay, the number of guests, the price per night (`adr`), earlier cancellations, ...) and 8
# categorical ones (which hotel, the month, the meal plan, how the booking came in, the
# deposit type, ...).

# %%
numeric_features = [
    "lead_time", "arrival_date_week_number", "arrival_date_day_of_month",
    "stays_in_weekend_nights", "stays_in_week_nights", "adults", "children", "babies",
    "is_repeated_guest", "previous_cancellations", "previous_bookings_not_canceled",
    "days_in_waiting_list", "adr", "required_car_parking_spaces", "total_of_special_requests",
]
categorical_features = [
    "hotel", "arrival_date_month", "meal", "market_segment", "distribution_channel",
    "reserved_room_type", "deposit_type", "customer_type",
]

# %% [markdown]
# ## Splitting and preparing
#
# A quarter of the bookings is kept aside for validation. `stratify=` makes the share of
# cancellations the same in both parts.
#
# Then scikit-learn prepares the columns, learning everything it needs from the training
# bookings only:
#
# * numeric columns: the four missing `children` values are filled with the median, then each
#   column is standardised;
# * categorical columns: one 0/1 column per category. `handle_unknown="ignore"` means a
#   category the encoder never saw in training gives all zeros instead of an error.
#
# The result is converted to `float32`, the precision Keras trains in: half the memory of
# the default `float64`, and no conversion at every step.

# %%
features = hotels[numeric_features + categorical_features]
target = hotels["is_canceled"]
train_bookings, valid_bookings, y_train, y_valid = train_test_split(
    features, target, train_size=0.75, stratify=target, random_state=0,
)

preprocessor = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric_features),
    (OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical_features),
)
X_train = preprocessor.fit_transform(train_bookings).astype("float32")
X_valid = preprocessor.transform(valid_bookings).astype("float32")
y_train = y_train.to_numpy("float32")
y_valid = y_valid.to_numpy("float32")

n_features = X_train.shape[1]
print(f"Training: {X_train.shape}, validation: {X_valid.shape}")
print(f"Cancelled: {y_train.mean():.1%} of training bookings, {y_valid.mean():.1%} of validation bookings")

# %% [markdown]
# ## Question 1: the output layer
#
# Build `model` with two hidden layers of 64 ReLU units. Its output must be the
# **probability** that a booking is cancelled: a single number between 0 and 1. Which
# output layer gives that?

# %% tags=["blank", "raises-exception"]
model = ____  # YOUR CODE: Input, Dense(64, relu), Dense(64, relu), and the output layer
model.summary()

# %% tags=["solution"]
model = keras.Sequential([
    keras.Input(shape=(n_features,)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])
model.summary()

# %%
q1.check(model)

# %%
# q1.hint()
# q1.solution()

# %% [markdown]
# ## Question 2: loss and metric
#
# Compile `model` with
#
# * the `"adam"` optimizer,
# * the loss for a yes/no target with a probability as output: **binary cross-entropy**, and
# * **binary accuracy** as a metric, so that training also reports the share of bookings it
#   classifies correctly (a probability above 0.5 counts as "cancelled").

# %% tags=["blank", "raises-exception"]
model.compile(____)  # YOUR CODE: optimizer, loss and metrics

# %% tags=["solution"]
model.compile(
    optimizer="adam",
    loss="binary_crossentropy",
    metrics=["binary_accuracy"],
)

# %%
q2.check(model)

# %%
# q2.hint()
# q2.solution()

# %% [markdown]
# ## Question 3: train with early stopping
#
# 1. Create `early_stopping`, a callback that stops training when the validation loss has
#    not improved by at least **0.001** for **5** epochs, and restores the best weights.
# 2. Train `model` on `X_train`, `y_train` for at most **15** epochs, in batches of
#    **512** bookings, with `(X_valid, y_valid)` as validation data and the callback. Keep
#    what `fit` returns in `history`.
#
# With 89,542 training bookings, large batches keep each epoch short: 175 steps, well under a
# second on a laptop. Fifteen epochs are enough to see the shape of the curves. If the
# validation loss is still improving at the end, the epoch limit stops training; if it stalls
# earlier, early stopping ends training sooner and rolls the model back to its best epoch.
# The cell plots the loss and the accuracy.

# %% tags=["blank", "raises-exception"]
early_stopping = ____  # YOUR CODE: keras.callbacks.EarlyStopping(...)
history = ____  # YOUR CODE: model.fit(...)

show(plot_learning_curves(history, metrics=["loss", "binary_accuracy"]),
     alt="Training and validation loss and binary accuracy of the hotel cancellation model per epoch")

# %% tags=["solution"]
early_stopping = keras.callbacks.EarlyStopping(
    patience=5,
    min_delta=0.001,
    restore_best_weights=True,
)
history = model.fit(
    X_train, y_train,
    validation_data=(X_valid, y_valid),
    batch_size=512,
    epochs=15,
    callbacks=[early_stopping],
    verbose=0,
)

show(plot_learning_curves(history, metrics=["loss", "binary_accuracy"]),
     alt="Training and validation loss and binary accuracy of the hotel cancellation model per epoch")

# %%
q3.check(early_stopping, history)

# %%
# q3.hint()
# q3.solution()

# %% [markdown]
# Running that cell again continues training the same model from where it stopped. To start
# afresh, run the cells from question 1 again.
#
# ## Question 4: is that good?
#
# An accuracy of 83% means nothing on its own. Imagine a "model" that ignores every feature
# and says **"not cancelled"** for every booking. What share of the validation bookings would
# it get right? Compute it from `y_valid` and store it in `baseline_accuracy` (a number between
# 0 and 1).

# %% tags=["blank"]
baseline_accuracy = ____  # YOUR CODE

# %% tags=["solution"]
baseline_accuracy = (y_valid == 0).mean()
print(f"{baseline_accuracy:.3f}")

# %%
q4.check(baseline_accuracy)

# %%
# q4.hint()
# q4.solution()

# %% [markdown]
# ## Question 5: accuracy and cross-entropy
#
# * How does your model's validation accuracy compare with the baseline's?
# * The model was trained to lower the cross-entropy, not to raise the accuracy, yet
#   accuracy is what we report. Why not train on accuracy directly?
# * Do the loss curves and the accuracy curves tell the same story? Must they always?
#
# Think first, then reveal our answer.

# %%
q5.check()

# %% [markdown]
# ## Summary
#
# * A binary classifier ends in `Dense(1, activation="sigmoid")`: one probability.
# * It trains on **binary cross-entropy**, a smooth loss that rewards confident right answers,
#   and reports **binary accuracy**, which people read more easily.
# * Always compare accuracy with the majority-class baseline: here 63% comes for free.
