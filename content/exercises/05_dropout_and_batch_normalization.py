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
# # Exercise 5: Dropout and batch normalization
#
# **In this exercise you will**
#
# * add **dropout** to the Spotify popularity network of exercise 4 and see what it does to
#   overfitting;
# * train a network with plain stochastic gradient descent on **unscaled** data, and watch it
#   fail;
# * rescue the same network with **batch normalization** layers.
#
# **How the exercises work.** Each task has a cell containing `____` (four underscores):
# replace it with your answer and run the cell. The cell after it checks your answer:
# ✅ means correct, ❌ comes with a hint about what to change, and 📝 means you have not
# filled in the blank yet. Stuck? Uncomment `q1.hint()` or `q1.solution()` and run it.
#
# Training cells take a few seconds each. Run the notebook from the top: later questions
# reuse what earlier cells built.

# %%
import keras
import numpy as np
from sklearn.compose import make_column_transformer
from sklearn.model_selection import GroupShuffleSplit, train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from helpers import data
from helpers.exercises import ____
from helpers.exercises.lesson5 import q1, q2, q3, q4, q5
from helpers.plots import plot_learning_curves, show

keras.utils.set_random_seed(0)

# %% [markdown]
# ## Part 1: dropout
#
# The data are prepared exactly as in exercise 4: the Spotify songs are split by artist
# (no artist in both sets), the audio features are standardised, the genre is one-hot
# encoded, and the popularity is divided by 100.

# %%
spotify = data.load_spotify()
audio_features = [
    "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
    "instrumentalness", "liveness", "valence", "tempo", "duration_ms",
]
artists = spotify["track_artist"].fillna(spotify["track_id"])  # unnamed artists: one group per song
splitter = GroupShuffleSplit(n_splits=1, train_size=0.75, random_state=0)
train_rows, valid_rows = next(splitter.split(spotify, groups=artists))
train_songs, valid_songs = spotify.iloc[train_rows], spotify.iloc[valid_rows]

preprocessor = make_column_transformer(
    (StandardScaler(), audio_features),
    (OneHotEncoder(), ["playlist_genre"]),
)
X_train = preprocessor.fit_transform(train_songs).astype("float32")
X_valid = preprocessor.transform(valid_songs).astype("float32")
y_train = (train_songs["track_popularity"] / 100).to_numpy("float32")
y_valid = (valid_songs["track_popularity"] / 100).to_numpy("float32")
print("Inputs:", X_train.shape, X_valid.shape)

# %% [markdown]
# ## Question 1: add dropout
#
# In exercise 4 the network `Dense(128, relu)` → `Dense(64, relu)` → `Dense(1)` overfitted:
# its training loss kept falling while its validation loss stopped improving after a few
# epochs. A **dropout** layer
# switches off a random share of the previous layer's outputs at every training step, so
# the network cannot lean on a few units to memorise the training songs.
#
# Build `dropout_model`: the same network with a `keras.layers.Dropout(0.3)` after **each
# hidden layer**. The cell trains it for 30 epochs.

# %% tags=["blank", "raises-exception"]
dropout_model = ____  # YOUR CODE: the exercise 4 network with Dropout(0.3) after each hidden layer

dropout_model.compile(optimizer="adam", loss="mae")
dropout_history = dropout_model.fit(
    X_train, y_train, validation_data=(X_valid, y_valid),
    batch_size=512, epochs=30, verbose=0,
)
show(plot_learning_curves(dropout_history, title="Two hidden layers with dropout"),
     alt="Training and validation MAE of the network with dropout over 30 epochs")

# %% tags=["solution"]
dropout_model = keras.Sequential([
    keras.Input(shape=(X_train.shape[1],)),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dropout(0.3),
    keras.layers.Dense(1),
])

dropout_model.compile(optimizer="adam", loss="mae")
dropout_history = dropout_model.fit(
    X_train, y_train, validation_data=(X_valid, y_valid),
    batch_size=512, epochs=30, verbose=0,
)
show(plot_learning_curves(dropout_history, title="Two hidden layers with dropout"),
     alt="Training and validation MAE of the network with dropout over 30 epochs")

# %%
q1.check(dropout_model)

# %%
# q1.hint()
# q1.solution()

# %% [markdown]
# ## Question 2: read the curves
#
# Compare this plot with the one for the same network without dropout in exercise 4. What
# happened to the validation curve after the first few epochs? And to the gap between the
# two curves? Why might the training loss sit *above* the validation loss in the first epochs?
# Think first, then reveal our answer.

# %%
q2.check()

# %% [markdown]
# ## Part 2: batch normalization
#
# The concrete data describe 1,030 concrete mixtures: seven ingredients (kg per m³ of
# concrete), the age of the sample in days, and its compressive strength in MPa. This time the
# features are **not scaled**: they range from single digits to over a thousand.

# %%
concrete = data.load_concrete()
concrete.describe().loc[["min", "mean", "max"]].round(1)

# %%
X_concrete = concrete.drop(columns="CompressiveStrength").to_numpy("float32")
y_concrete = concrete["CompressiveStrength"].to_numpy("float32")
Xc_train, Xc_valid, yc_train, yc_valid = train_test_split(
    X_concrete, y_concrete, train_size=0.75, random_state=0,
)
print("Inputs:", Xc_train.shape, Xc_valid.shape)
print(f"Always predicting the average strength gives a validation MAE of "
      f"{np.abs(yc_valid - yc_train.mean()).mean():.1f} MPa")

# %% [markdown]
# ## Question 3: plain SGD on unscaled data
#
# Build `plain_model`: three hidden layers of 256 ReLU units and a `Dense(1)` output, with
# no normalization at all. The cell trains it with plain `"sgd"` (learning rate 0.01) and the
# MAE loss.
#
# Expect trouble. The cell adds `keras.callbacks.TerminateOnNaN()`, which ends training as
# soon as the loss stops being a number, so a failed run costs only a second.

# %% tags=["blank", "raises-exception"]
plain_model = ____  # YOUR CODE: Input, three Dense(256, relu), Dense(1)

plain_model.compile(optimizer="sgd", loss="mae")
plain_history = plain_model.fit(
    Xc_train, yc_train, validation_data=(Xc_valid, yc_valid),
    batch_size=32, epochs=30, verbose=0,
    callbacks=[keras.callbacks.TerminateOnNaN()],
)
print("Epochs run:", len(plain_history.history["loss"]))
print("Training loss per epoch:", np.round(plain_history.history["loss"], 1))

# %% tags=["solution"]
plain_model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Dense(256, activation="relu"),
    keras.layers.Dense(256, activation="relu"),
    keras.layers.Dense(256, activation="relu"),
    keras.layers.Dense(1),
])

plain_model.compile(optimizer="sgd", loss="mae")
plain_history = plain_model.fit(
    Xc_train, yc_train, validation_data=(Xc_valid, yc_valid),
    batch_size=32, epochs=30, verbose=0,
    callbacks=[keras.callbacks.TerminateOnNaN()],
)
print("Epochs run:", len(plain_history.history["loss"]))
print("Training loss per epoch:", np.round(plain_history.history["loss"], 1))

# %%
q3.check(plain_model)

# %%
# q3.hint()
# q3.solution()

# %% [markdown]
# `inf` (infinity) and `nan` ("not a number") mean that a weight or an output grew past what
# a 32-bit float can hold; from then on every result is `inf` or `nan`, and the model is
# useless. (With other random starting weights the run may instead survive a gigantic first
# loss and then barely learn. Both are the same failure: the steps are far too big for inputs
# this large.)
#
# ## Question 4: add batch normalization
#
# Build `bn_model`: the same network with a `keras.layers.BatchNormalization()`
#
# * right after `keras.Input(...)`, to rescale the raw features, and
# * after each of the three hidden `Dense` layers.
#
# Everything else stays the same: unscaled data, plain SGD, same learning rate. The cell
# trains it for 30 epochs.

# %% tags=["blank", "raises-exception"]
bn_model = ____  # YOUR CODE: the same network with four BatchNormalization layers

bn_model.compile(optimizer="sgd", loss="mae")
bn_history = bn_model.fit(
    Xc_train, yc_train, validation_data=(Xc_valid, yc_valid),
    batch_size=32, epochs=30, verbose=0,
    callbacks=[keras.callbacks.TerminateOnNaN()],
)
show(plot_learning_curves(bn_history, title="With batch normalization (unscaled data, plain SGD)"),
     alt="Training and validation MAE in MPa of the batch-normalized network over 30 epochs")

# %% tags=["solution"]
bn_model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.BatchNormalization(),
    keras.layers.Dense(256, activation="relu"),
    keras.layers.BatchNormalization(),
    keras.layers.Dense(256, activation="relu"),
    keras.layers.BatchNormalization(),
    keras.layers.Dense(256, activation="relu"),
    keras.layers.BatchNormalization(),
    keras.layers.Dense(1),
])

bn_model.compile(optimizer="sgd", loss="mae")
bn_history = bn_model.fit(
    Xc_train, yc_train, validation_data=(Xc_valid, yc_valid),
    batch_size=32, epochs=30, verbose=0,
    callbacks=[keras.callbacks.TerminateOnNaN()],
)
show(plot_learning_curves(bn_history, title="With batch normalization (unscaled data, plain SGD)"),
     alt="Training and validation MAE in MPa of the batch-normalized network over 30 epochs")

# %%
q4.check(bn_model)

# %%
# q4.hint()
# q4.solution()

# %% [markdown]
# ## Question 5: why did it work?
#
# Same data, same optimizer, same learning rate, same layers: only the normalization layers
# differ. Why did the plain model fail, and what did batch normalization change? Would
# scaling the data before training have helped too? Think first, then reveal our answer.

# %%
q5.check()

# %% [markdown]
# ## Summary
#
# * **Dropout** randomly silences units while training, which makes memorising the training
#   set harder: the validation curve stops climbing, and the training loss (measured with
#   dropout on) can sit above the validation loss.
# * Large, unscaled inputs can make plain SGD **diverge**: the loss becomes `nan` or the
#   network stops learning. `TerminateOnNaN` ends such runs early.
# * **Batch normalization** rescales its inputs batch by batch, so the network copes with raw
#   features and the gradients stay in a sensible range.
