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
# # Exercise 3: Stochastic gradient descent
#
# **In this exercise you will**
#
# * prepare real data for a network: drop incomplete rows, one-hot encode a text column,
#   and scale the features without letting the validation rows leak into training;
# * compile a network with an optimizer and a loss;
# * train it with a chosen batch size and number of epochs, and read its learning curves;
# * see what a tiny batch and a huge learning rate do to training.
#
# As before: replace every `____`, run the cell, then run the check below it.

# %%
import keras
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from helpers import data, outcomes, plots
from helpers.exercises import ____
from helpers.exercises.lesson3 import (
    compare_batch_sizes,
    compare_learning_rates,
    median_baseline_mae,
    q1,
    q2,
    q3,
    q4,
    q5,
    seeded_batch_size_comparison,
)

keras.utils.set_random_seed(0)

# %% [markdown]
# ## The auto MPG data
#
# 398 cars sold in the 1970s and early 1980s, with their fuel economy in **miles per gallon**
# (`mpg`, higher is better) and a few facts about each: cylinders, engine displacement,
# horsepower, weight in pounds, acceleration (seconds from 0 to 60 mph), model year, the region
# it comes from and its name. The task: predict `mpg` from the rest.

# %%
auto = data.load_auto_mpg()
auto.head()

# %% [markdown]
# Two things stop a network from reading this table as it is. Six cars have no horsepower
# recorded (`NaN`), and `origin` and `name` hold text, not numbers:

# %%
print("cars without horsepower:", auto["horsepower"].isna().sum())
auto["origin"].value_counts()

# %% [markdown]
# ## Question 1: features and target
#
# 1. `auto_clean`: `auto` without the rows where `horsepower` is missing.
# 2. `X`: the features. Drop the target `mpg` and the `name` column, and **one-hot encode**
#    `origin` with `pd.get_dummies(..., columns=["origin"], dtype=float)`: it replaces the
#    column with three 0/1 columns, one per region.
# 3. `y`: the target, the `mpg` column of `auto_clean`.

# %% tags=["blank"]
auto_clean = ____
X = ____
y = ____

# %% tags=["solution"]
auto_clean = auto.dropna(subset=["horsepower"])
X = pd.get_dummies(auto_clean.drop(columns=["mpg", "name"]), columns=["origin"], dtype=float)
y = auto_clean["mpg"]
X.head()

# %%
q1.check(X, y)

# %%
# q1.hint()       # uncomment one line and run the cell
# q1.solution()

# %% [markdown]
# ## Question 2: scaling the features
#
# The features have very different ranges: weights in the thousands, the origin columns
# either 0 or 1. In the weighted sums of an untrained network the weight column would drown
# out the others, so, as in lesson 3, we first put all features on a comparable scale. This
# cell sets a quarter of the cars aside for validation (it needs `X` and `y` from question 1):

# %% tags=["raises-exception"]
X_train_raw, X_valid_raw, y_train, y_valid = train_test_split(X, y, test_size=0.25, random_state=0)
print(len(X_train_raw), "training cars,", len(X_valid_raw), "validation cars")

# %% [markdown]
# Now scale them with scikit-learn's `StandardScaler`, which shifts and stretches each column to
# mean 0 and standard deviation 1. The validation cars stand in for cars the model has never
# seen, so the scaler must learn its averages from the **training** rows only:
#
# * `scaler`: a `StandardScaler()`, fitted on `X_train_raw`;
# * `X_train`: the scaled training rows (`fit_transform` fits and scales in one go);
# * `X_valid`: the validation rows scaled with the same scaler (`transform` only).

# %% tags=["blank"]
scaler = ____
X_train = ____
X_valid = ____

# %% tags=["solution"]
scaler = StandardScaler()
X_train = scaler.fit_transform(X_train_raw)
X_valid = scaler.transform(X_valid_raw)

# %%
q2.check(scaler, X_train, X_valid)

# %%
# q2.hint()
# q2.solution()

# %% [markdown]
# ## Question 3: the network and its training setup
#
# The network below has two hidden layers of 64 ReLU units and a linear output. Fill in its
# input shape, then **compile** it: use the Adam optimizer (`"adam"`) and the mean absolute
# error as the loss (`"mae"`).

# %% tags=["blank", "raises-exception"]
model = ____  # the check below reports "not attempted" until the lines below work
model = keras.Sequential([
    keras.Input(shape=____),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1),
])
model.compile(optimizer=____, loss=____)

# %% tags=["solution"]
model = keras.Sequential([
    keras.Input(shape=X_train.shape[1:]),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1),
])
model.compile(optimizer="adam", loss="mae")

# %%
q3.check(model)

# %%
# q3.hint()
# q3.solution()

# %% [markdown]
# ## Question 4: training
#
# Train the model on `X_train` and `y_train` with `batch_size=128` and `epochs=100`, passing
# `validation_data=(X_valid, y_valid)` so Keras also measures the error on the validation cars
# after every epoch. Keep what `fit` returns in `history`, then draw the learning curves with
# `plots.plot_learning_curves(history)`.
#
# This takes a few seconds. Running the cell again *continues* training the same model; run the
# model cell above first if you want to start from fresh weights.

# %% tags=["blank", "raises-exception"]
history = ____  # the check below reports "not attempted" until the lines below work
history = model.fit(
    X_train, y_train,
    validation_data=(X_valid, y_valid),
    batch_size=____,
    epochs=____,
    verbose=0,
)
plots.plot_learning_curves(history)

# %% tags=["solution"]
history = model.fit(
    X_train, y_train,
    validation_data=(X_valid, y_valid),
    batch_size=128,
    epochs=100,
    verbose=0,
)
plots.show(plots.plot_learning_curves(history, title="Two hidden layers of 64 units on auto MPG"),
           alt="Training and validation loss (mean absolute error in mpg) per epoch: both start "
               "near 23 mpg, drop steeply over the first 35 epochs, then level off near 2 mpg.")

# %%
q4.check(history)

# %%
# q4.hint()
# q4.solution()

# %% [markdown]
# Read the curves: the error starts around 23 mpg (an untrained network outputs numbers near
# 0, and cars average 23 mpg), falls steeply while the outputs grow to the right size, then
# levels off near 2 mpg. Is 2 good? Always predicting the median mpg of the training cars is
# off by about 6.3 mpg on the validation cars, so the network has learned something real. The
# validation curve stays close to the training curve: no sign that the network is memorizing
# the training cars.

# %% [markdown]
# ## Question 5: tiny batches and huge learning rates
#
# Two quick experiments with the same network, trained for 15 epochs each. (They prepare their
# own copy of the data, so they work even if your earlier answers are unfinished.) First, a
# batch of 8 cars against a batch of 128:

# %%
compare_batch_sizes(batch_sizes=(8, 128))

# %% [markdown]
# Then a moderate learning rate, 0.01, against a huge one, 3.0 (both with batches of 128):

# %%
compare_learning_rates(learning_rates=(0.01, 3.0))

# %% [markdown]
# One run of each could be luck. The next cell trains both batch sizes again from three
# different seeds, for 4 epochs each, and checks that batches of 8 come out ahead every time,
# and clearly ahead of always predicting the median mpg.

# %% tags=["learning-outcome"]
after_4_epochs = seeded_batch_size_comparison(batch_sizes=(8, 128), epochs=4, seeds=(0, 1, 2))
outcomes.check_outcome(
    "validation MAE after 4 epochs with batches of 8", after_4_epochs[8], at_most=4.5,
    baseline=median_baseline_mae(), baseline_name="always predicting the median mpg",
)
assert max(after_4_epochs[8].values()) < min(after_4_epochs[128].values()), (
    "With some seed, batches of 128 did as well as batches of 8 after 4 epochs."
)
print("batches of 128 after 4 epochs:", ", ".join(f"seed {seed}: {mae:.2f}" for seed, mae in after_4_epochs[128].items()))

# %% [markdown]
# Try other values if you like: `compare_batch_sizes(batch_sizes=(4, 32, 256))`.
#
# What does a tiny batch change, for better and for worse? What does a huge learning rate do,
# and why? Write your answer in a few sentences, then run the check to compare it with ours.

# %% tags=["blank"]
my_answer = ____  # your answer, in quotes

# %% tags=["solution"]
my_answer = (
    "Batches of 8 give rougher gradient estimates, but 37 updates per epoch instead of 3, so the "
    "error falls much faster per epoch (with every seed we tried). Here both runs took about the "
    "same time, because with so few cars the fixed cost of each epoch dominates. A learning rate "
    "of 3 makes every step so long that it overshoots the minimum: the error jumps around and "
    "stalls at about what always predicting the median scores."
)

# %%
q5.check(my_answer)
