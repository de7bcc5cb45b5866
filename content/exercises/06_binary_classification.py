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
# A hotel would like to know, when a booking comes in, how likely it is to be canceled.
# You will train a network on 119,390 real bookings of two hotels in Portugal (arrivals
# from July 2015 to August 2017) to answer that question.
#
# **In this exercise you will**
#
# * spot a **leaking feature**: a column that predicts the answer only because it was written
#   after the fact, and keep only what the hotel knows when the booking is made;
# * give a network the **output layer** of a binary classifier;
# * compile it with the **loss** and the **metric** of a classifier;
# * train it with **early stopping** on a validation set and read its loss and accuracy curves;
# * measure the model you hold **once on a test set**, next to the accuracy of the simplest
#   possible "model";
# * take on an **open challenge**: any network you like, judged only by its test accuracy.
#
# **How the exercises work.** Each task has a cell containing `____` (four underscores):
# replace it with your answer and run the cell. The cell after it checks your answer:
# ✅ means correct, ❌ explains what your choice would do and what to change, and 📝 means
# you have not filled in the blank yet. Stuck? `q1.hint()` gives a first nudge, `q1.hint(2)`
# a more concrete one, and `q1.solution()` a worked answer.
#
# Run the notebook from the top: later questions reuse what earlier cells built.

# %%

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from helpers import data
from helpers.exercises import ____
from helpers.exercises.exercise6 import q1, q2, q3, q4, q5, q6
from helpers.plots import plot_learning_curves, show

keras.utils.set_random_seed(0)

# %% [markdown]
# ## The bookings
#
# Each row is one booking. `is_canceled` is 1 if the guest canceled and 0 if they came.

# %%
hotels = data.load_hotels()
print(hotels.shape)
print(f"Canceled: {hotels['is_canceled'].mean():.1%} of all bookings")
hotels[["hotel", "lead_time", "arrival_date_month", "adults", "deposit_type", "adr", "is_canceled"]].head()

# %% [markdown]
# ## A feature that looks too good
#
# Before choosing features, look at one column: `required_car_parking_spaces`, the number of
# parking spaces the guest asked for. The cell below compares the cancellation rate of
# bookings with and without a parking space, does the same for the deposit type, and prints
# one more pair of rates that the next section uses: bookings from Portugal and the others.

# %%
asked_for_parking = np.where(hotels["required_car_parking_spaces"] > 0, "1 or more", "none")
by_parking = hotels.groupby(asked_for_parking)["is_canceled"].agg(["size", "mean"]).reindex(["none", "1 or more"])
by_deposit = hotels.groupby("deposit_type")["is_canceled"].agg(["size", "mean"])
print("Cancellation rate by parking spaces requested:")
print(by_parking.rename(columns={"size": "bookings", "mean": "canceled"}).round(3))
print("\nCancellation rate by deposit type:")
print(by_deposit.rename(columns={"size": "bookings", "mean": "canceled"}).round(3))
from_portugal = hotels["country"] == "PRT"
print(f"\nCanceled: {hotels.loc[from_portugal, 'is_canceled'].mean():.1%} of bookings from Portugal, "
      f"{hotels.loc[~from_portugal, 'is_canceled'].mean():.1%} of the others")

overall = hotels["is_canceled"].mean()
fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
for axis, table, title in [
    (axes[0], by_parking, "Parking spaces requested"),
    (axes[1], by_deposit, "Deposit type"),
]:
    bars = axis.bar(table.index, table["mean"], color="#0072B2")
    labels = axis.bar_label(bars, labels=[f"{rate:.3f}\n({n:,} bookings)"
                                          for n, rate in zip(table["size"], table["mean"])], fontsize=9, padding=3)
    for label in labels:
        label.set_bbox({"facecolor": "white", "edgecolor": "none", "pad": 1})
    axis.axhline(overall, color="#D55E00", linestyle="--", zorder=1, label=f"all bookings: {overall:.2f}")
    axis.set_title(title)
    axis.set_ylim(0, 1.25)
    axis.legend(loc="upper left")
axes[0].set_ylabel("Share of bookings canceled")
fig.tight_layout()
plt.close(fig)
show(fig, alt=(
    f"Two bar charts of the share of bookings canceled, with a dashed line at {overall:.2f} for all bookings. "
    f"Left, by parking spaces requested: {by_parking.loc['none', 'mean']:.2f} with none, "
    f"{by_parking.loc['1 or more', 'mean']:.3f} with one or more. "
    "Right, by deposit type: "
    + ", ".join(f"{name} {rate:.2f}" for name, rate in by_deposit["mean"].items())
    + "."
))

# %% [markdown]
# Not one of the bookings with a parking space was canceled. A rule "parking space asked for,
# so the guest will come" is right every single time in this table, and nothing would stop a
# network from learning it.
#
# **Why it is useless.** The hotel wants its prediction *when the booking comes in*.
# Several columns, however, describe the booking as it was at the end, at check-in or at
# cancellation (the paper that published the data says so of `booking_changes`, for
# instance). The most likely reading of the chart is that a parking space is recorded when
# the guest arrives (or updated up to then), so a booking that is canceled before that
# never gets one. When a new booking comes in, the column does not yet hold what it holds in
# this table, and the rule the model learned from it does not exist yet. This is called
# **target leakage**: a feature carries information about the answer that will not be there
# when you predict.
#
# **How to spot one.**
#
# * Be suspicious of any feature that predicts the target almost perfectly on its own.
#   Real-life outcomes are rarely that easy.
# * For every column, ask: *would I know this value at the moment I make the prediction?*
#   The dataset's documentation (here, the paper that published it: Antonio, de Almeida and
#   Nunes, *Data in Brief*, 2019) says what each column records.
#
# The two tests do not always agree, and the second one decides. Non-refundable bookings,
# on the right, were canceled almost always too: surprising (you would expect the
# opposite), but the deposit type is chosen when the booking is made, so it passes the
# question and stays in. In a real project you would ask the hotel why; the data alone
# cannot tell.

# %% [markdown]
# ## Choosing the features
#
# The model may only use what the hotel knows **when the booking is made**. Each column of
# the table, and what happens to it:
#
# | Column | Kept? | Why |
# |---|---|---|
# | `hotel` | yes | which hotel is booked |
# | `lead_time` | yes | days between the booking and the arrival date, known at booking |
# | `arrival_date_month`, `arrival_date_week_number`, `arrival_date_day_of_month` | yes | the date the guest plans to arrive |
# | `arrival_date_year` | no | known, but a model must work on years it has never seen |
# | `stays_in_weekend_nights`, `stays_in_week_nights` | yes | the length of the stay (the paper: nights "stayed or booked to stay") |
# | `adults`, `children`, `babies` | yes | the guests booked |
# | `meal` | yes | the meal plan booked |
# | `country` | no | hundreds of rare values, and a suspicious pattern (below the table) |
# | `market_segment`, `distribution_channel` | yes | how the booking came in |
# | `is_repeated_guest`, `previous_cancellations`, `previous_bookings_not_canceled` | yes | the guest's history *before* this booking |
# | `reserved_room_type` | yes | the room type booked |
# | `assigned_room_type` | **no** | the room finally given, which can differ from the one booked (overbooking, a late request) |
# | `booking_changes` | **no** | counts changes made until check-in or cancellation |
# | `deposit_type` | yes | chosen when booking (its surprising pattern is discussed above) |
# | `agent`, `company` | no | identifiers with hundreds of rare values |
# | `days_in_waiting_list` | **no** | days until the booking was confirmed: unknown when the request comes in |
# | `customer_type` | yes | the type of booking (transient, group, contract, ...) |
# | `adr` | yes | the average price per night (from the booking's charges; it may be revised before arrival, a risk we accept) |
# | `required_car_parking_spaces` | **no** | the leak shown above |
# | `total_of_special_requests` | **no** | requests can also come after the booking, so the count may not be known yet |
# | `reservation_status`, `reservation_status_date` | **no** | the outcome itself: "Canceled", "Check-Out" or "No-Show" |
#
# `country` deserves a word: bookings from Portugal, the hotels' own country, were canceled
# far more often than the others (the cell above prints both rates). That gap may come from
# the country being completed at check-in (a canceled booking keeps whatever was entered
# first); it is one more reason to leave the column out.
#
# That leaves 12 numeric columns and 8 categorical ones.

# %%
numeric_features = [
    "lead_time", "arrival_date_week_number", "arrival_date_day_of_month",
    "stays_in_weekend_nights", "stays_in_week_nights", "adults", "children", "babies",
    "is_repeated_guest", "previous_cancellations", "previous_bookings_not_canceled", "adr",
]
categorical_features = [
    "hotel", "arrival_date_month", "meal", "market_segment", "distribution_channel",
    "reserved_room_type", "deposit_type", "customer_type",
]

# %% [markdown]
# ## Training, validation and test bookings
#
# The bookings are split three ways, with `stratify=` keeping the share of cancellations the
# same in each part:
#
# * **training** (60%): the network learns its weights from these;
# * **validation** (20%): early stopping watches the loss on these to choose the epoch whose
#   weights the model keeps;
# * **test** (20%): put aside until the very end, and used **once**, to measure the model
#   you finally hold.
#
# Why only once? Every time you look at a score and change something because of it (the
# epoch, a layer, the features), that score stops being a fair estimate of how the model will
# do on new bookings: your choices have been fitted to those particular bookings. The
# validation score has already been used this way by early stopping. The test score is fair
# only if nothing was ever chosen on it.
#
# ## Turning categories into numbers: one-hot encoding
#
# A network multiplies its inputs by weights, so every input must be a number. A column
# such as `meal` holds words ("BB", "HB", "SC", ...). Numbering them 0, 1, 2 would be a
# mistake: the network would treat "SC" as twice "HB", an order and a distance that mean
# nothing. **One-hot encoding** gives each category its own 0/1 column instead: a booking
# has a 1 in the column of its category and 0 everywhere else. scikit-learn's
# `OneHotEncoder` learns the categories with `fit` (from the training bookings) and writes
# the 0/1 columns with `transform`. A tiny example:

# %%
tiny = pd.DataFrame({"meal": ["BB", "HB", "BB", "SC"]})
tiny_encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False).fit(tiny)
print("categories learned:", list(tiny_encoder.categories_[0]))
print(pd.DataFrame(tiny_encoder.transform(tiny), columns=tiny_encoder.get_feature_names_out()))
print("a category never seen in training ('FB'):",
      tiny_encoder.transform(pd.DataFrame({"meal": ["FB"]})))

# %% [markdown]
# Each row has exactly one 1. With `handle_unknown="ignore"`, a category the encoder never
# saw in training (here "FB") gives all zeros instead of an error.
#
# The numeric columns need the treatment of exercise 4 (standardizing with `StandardScaler`),
# and one of them, `children`, has four missing values to fill first. A **column
# transformer** (`make_column_transformer`) sends each group of columns through its own
# preparation and puts the results side by side in one table:
#
# * numeric columns: the missing `children` values are filled with the median
#   (`SimpleImputer`), then each column is standardized; `make_pipeline` chains the two steps;
# * categorical columns: one-hot encoded.
#
# As with the scaler in exercise 4, `fit_transform` on the training bookings learns
# everything (medians, means, standard deviations, categories) from them alone; the
# validation and test bookings are only transformed.
#
# The result is converted to `float32`, the precision Keras trains in: half the memory of
# the default `float64`, which Keras would otherwise copy into `float32` at the start of
# every `fit`.

# %%
features = hotels[numeric_features + categorical_features]
target = hotels["is_canceled"]
other_bookings, test_bookings, y_other, y_test = train_test_split(
    features, target, test_size=0.2, stratify=target, random_state=0,
)
train_bookings, valid_bookings, y_train, y_valid = train_test_split(
    other_bookings, y_other, test_size=0.25, stratify=y_other, random_state=0,
)

preprocessor = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric_features),
    (OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical_features),
)
X_train = preprocessor.fit_transform(train_bookings).astype("float32")
X_valid = preprocessor.transform(valid_bookings).astype("float32")
X_test = preprocessor.transform(test_bookings).astype("float32")
y_train, y_valid, y_test = (y.to_numpy("float32") for y in (y_train, y_valid, y_test))
del features, other_bookings, y_other

n_features = X_train.shape[1]
print(f"Training: {X_train.shape}, validation: {X_valid.shape}, test: {X_test.shape}")
print(f"Canceled: {y_train.mean():.1%} of training, {y_valid.mean():.1%} of validation, "
      f"{y_test.mean():.1%} of test bookings")

# %% [markdown]
# ## Question 1: the output layer
#
# Build `model` with two hidden layers of 64 ReLU units. Its output must be the
# **probability** that a booking is canceled: a single number between 0 and 1. Which
# output layer gives that?

# %% tags=["raises-exception"]
### BLANK
model = ____  # YOUR CODE: Input, Dense(64, relu), Dense(64, relu), and the output layer
### SOLUTION
model = keras.Sequential([
    keras.Input(shape=(n_features,)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])
### END
model.summary()

# %%
q1.check(model)

# %%
# q1.hint()     # a first nudge; q1.hint(2) is more concrete
# q1.solution()

# %% [markdown]
# ## Question 2: loss and metric
#
# Compile `model` with the `"adam"` optimizer. **Your decisions:**
#
# * the **loss**: which one suits a yes/no target when the model outputs a probability?
#   (The MAE of the previous exercises is one candidate; is it a good one here?)
# * a **metric** that people can read: the share of bookings the model classifies correctly,
#   a probability above 0.5 counting as "canceled".

# %% tags=["raises-exception"]
### BLANK
model.compile(optimizer="adam", loss=____, metrics=[____])  # YOUR CHOICES: loss and metric
### SOLUTION
model.compile(
    optimizer="adam",
    loss="binary_crossentropy",
    metrics=["binary_accuracy"],
)
### END

# %%
q2.check(model)

# %%
# q2.hint()     # a first nudge; q2.hint(2) is more concrete
# q2.solution()

# %% [markdown]
# ## Question 3: train with early stopping
#
# 1. Create `early_stopping`, a callback that watches the validation loss. **Your
#    settings:** how small an improvement still counts (`min_delta`: the loss is a
#    cross-entropy around 0.4 which, after the first epochs, improves by a few thousandths
#    per epoch or less), how many epochs to wait for one (`patience`, within a budget of 15
#    epochs), and which weights the model keeps at the end (`restore_best_weights`).
# 2. Train `model` on `X_train`, `y_train` for at most **15** epochs, in batches of
#    **512** bookings, with `(X_valid, y_valid)` as validation data and the callback. Keep
#    what `fit` returns in `history`.
#
# With 71,634 training bookings, batches of 512 make 140 steps per epoch, so the fifteen
# epochs take a few seconds. Training ends either when early stopping steps in or when the
# fifteen epochs are done. **In both cases**, `restore_best_weights=True` puts back the
# weights of the best epoch when training ends (Keras 3 does this in `on_train_end`,
# whichever way training stopped). "Best" means the last epoch whose validation loss beat
# the best so far by at least `min_delta`: an epoch that improves by less does not count, so
# the model may hold the weights of an epoch just before the one with the lowest validation
# loss. The check below tells you which epoch your model holds.
#
# The cell plots the loss and the accuracy. The dot on each validation curve marks its best
# value: on the accuracy panel that is the highest validation accuracy of any epoch, which is
# not necessarily the epoch whose weights the model keeps.

# %% tags=["raises-exception"]
### BLANK
early_stopping = ____  # YOUR CODE: keras.callbacks.EarlyStopping(...) with your settings
history = ____  # YOUR CODE: model.fit(...)
### SOLUTION
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
### END

show(plot_learning_curves(history, metrics=["loss", "binary_accuracy"]),
     alt=("Two panels, loss and binary accuracy per epoch of the hotel cancellation model, each with a "
         "training and a validation curve and a dot on the best validation epoch"))

# %%
q3.check(early_stopping, history)

# %%
# q3.hint()     # a first nudge; q3.hint(2) is more concrete
# q3.solution()

# %% [markdown]
# Running that cell again continues training the same model from the weights it holds. To
# start afresh, run the cells from question 1 again.
#
# ## Question 4: what comes for free
#
# An accuracy means nothing on its own. Imagine a "model" that ignores every feature and
# says **"not canceled"** for every booking. What share of the **test** bookings would it
# get right? Compute it from `y_test` and store it in `baseline_accuracy` (a number between
# 0 and 1). Counting labels chooses nothing, so it does not spend the test set.

# %%
### BLANK
baseline_accuracy = ____  # YOUR CODE
### SOLUTION
baseline_accuracy = (y_test == 0).mean()
print(f"{baseline_accuracy:.3f}")
### END

# %%
q4.check(baseline_accuracy)

# %%
# q4.hint()     # a first nudge; q4.hint(2) is more concrete
# q4.solution()

# %% [markdown]
# ## Question 5: the test set, once
#
# Everything is chosen: the features, the network, the epoch whose weights it holds. Now,
# and only now, measure the model on the test bookings: store the accuracy that
# `model.evaluate` returns in `test_accuracy`. This is the figure to report, next to the
# baseline of question 4.
#
# Then think about these before you run the check, which shows our answer:
#
# * How does your model's test accuracy compare with the baseline's?
# * The model was trained to lower the cross-entropy, not to raise the accuracy, yet
#   accuracy is what we report. Why not train on accuracy directly?
# * Do the loss curves and the accuracy curves tell the same story? Must they always?

# %%
### BLANK
test_loss, test_accuracy = ____, ____  # YOUR CODE: model.evaluate(...)
### SOLUTION
test_loss, test_accuracy = model.evaluate(X_test, y_test, verbose=0)
print(f"Test accuracy: {test_accuracy:.3f} (always 'not canceled': {baseline_accuracy:.3f})")
### END

# %%
q5.check(test_accuracy)

# %%
# q5.hint()     # a first nudge; q5.hint(2) is more concrete
# q5.solution()

# %% [markdown]
# ## Summary
#
# * A feature that predicts the target almost perfectly is a warning sign. Ask whether you
#   would know it at prediction time; if not, it leaks the answer and must go.
# * A binary classifier ends in `Dense(1, activation="sigmoid")`: one probability.
# * It trains on **binary cross-entropy**, a smooth loss that rewards confident right answers,
#   and reports **binary accuracy**, which people read more easily.
# * Early stopping chooses the epoch on the **validation** set; the final figure comes from
#   the **test** set, measured once, next to the majority-class baseline: here 63% comes for
#   free.
# * Where the course gives you a choice (the loss, the patience, the architecture), each
#   option has a consequence you can predict: a probability needs a sigmoid and
#   cross-entropy; a patience must fit both the noise of the curve and the epoch budget.

# %% [markdown]
# ## Open challenge: 79% on the test bookings
#
# Build, compile and train **any** classifier you like on the same booking-time features:
# any width and depth, dropout or batch normalization, any learning rate, early stopping
# with your own patience. Two rules: keep the training within **15 epochs** in batches of
# 512 or more, so that it stays within seconds, and choose by the **validation** loss and
# accuracy. The model must end like the one of question 1 (one sigmoid unit), because the
# check reads its output as a probability. The target is a test accuracy of **at least
# 0.790**, far above the baseline of question 4 (saying "not canceled" every time). The
# network of questions 1 to 3 lands just above it (question 5 printed its score), and with
# booking-time features only none of our attempts got much past 80%: the challenge is to
# design a network of your own that is at least as good, and to see how much room is left.
#
# When you are happy with your model on the validation bookings, run the check **once**:
# it scores your model on the test bookings and compares it with the target, the baseline
# and our reference solution.

# %% tags=["raises-exception"]
keras.utils.set_random_seed(0)
### BLANK
challenge_model = ____  # YOUR CODE: keras.Sequential([...]) ending in Dense(1, activation="sigmoid")
challenge_callbacks = ____  # YOUR CHOICE: a list such as [keras.callbacks.EarlyStopping(...)], or []
### SOLUTION
challenge_model = keras.Sequential([
    keras.Input(shape=(n_features,)),
    keras.layers.Dense(256, activation="relu"),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(1, activation="sigmoid"),
])
challenge_callbacks = [keras.callbacks.EarlyStopping(patience=3, min_delta=0.001, restore_best_weights=True)]
### END

### BLANK
challenge_model.compile(optimizer=keras.optimizers.Adam(learning_rate=____),  # YOUR CHOICE
### SOLUTION
challenge_model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003),
### END
                        loss="binary_crossentropy", metrics=["binary_accuracy"])
challenge_model.fit(
    X_train, y_train, validation_data=(X_valid, y_valid),
    batch_size=512, epochs=15, callbacks=challenge_callbacks, verbose=0,
)
print(f"{len(challenge_model.history.epoch)} epochs; "  # fit keeps its record in model.history
      f"best validation accuracy {max(challenge_model.history.history['val_binary_accuracy']):.4f}")

# %%
q6.check(challenge_model, X_test, y_test)

# %%
# q6.hint()     # q6.hint(2) for a concrete plan
# q6.solution()

# %% [markdown]
# Is the target fair? The check's table shows the range our reference solution (the worked
# answer) reached when trained from seeds 0, 1 and 2. The course's own tests train it again
# from those seeds whenever the course changes, so the target is known to be within reach on
# every seed, not just after one lucky run.

