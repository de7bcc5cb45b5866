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
# # Exercise 4: Overfitting and underfitting
#
# Can a neural network tell how popular a song will be from how it *sounds*? You will try
# with 32,833 Spotify tracks, and read the learning curves of three models:
#
# * a **linear** model, to see what underfitting looks like;
# * a network with **more capacity**, to see what overfitting looks like;
# * the same network with **early stopping**, which keeps the good part of training and
#   drops the rest.
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
from sklearn.model_selection import GroupShuffleSplit
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from helpers import data
from helpers.exercises import ____
from helpers.exercises.lesson4 import q1, q2, q3, q4, q5
from helpers.plots import plot_learning_curves, show

keras.utils.set_random_seed(0)

# %% [markdown]
# ## The data
#
# Every row is one track from a Spotify genre playlist. Spotify describes each track with
# audio features: how danceable and energetic it is, its loudness, tempo, key, how much of it
# is speech or acoustic instruments, and so on. `track_popularity` runs from 0 (nobody plays
# it) to 100 (a global hit).

# %%
spotify = data.load_spotify()
audio_features = [
    "danceability", "energy", "key", "loudness", "mode", "speechiness", "acousticness",
    "instrumentalness", "liveness", "valence", "tempo", "duration_ms",
]
spotify[audio_features + ["playlist_genre", "track_popularity"]].head()

# %% [markdown]
# ## Validation songs by *other* artists
#
# Songs by the same artist are alike: same voice, same producer, similar popularity. If one
# song of an artist were in the training set and another in the validation set, the model
# could score well by recognising the artist, and the validation score would promise more
# than the model can deliver on new artists.
#
# So the split keeps every artist's songs together: `GroupShuffleSplit` puts 75% of the
# *artists* in the training set and the rest in the validation set. (Five tracks have no
# artist name; each becomes a group of its own.)

# %%
artists = spotify["track_artist"].fillna(spotify["track_id"])
splitter = GroupShuffleSplit(n_splits=1, train_size=0.75, random_state=0)
train_rows, valid_rows = next(splitter.split(spotify, groups=artists))

train_songs = spotify.iloc[train_rows]
valid_songs = spotify.iloc[valid_rows]
print(f"{len(train_songs)} training songs, {len(valid_songs)} validation songs")
print("Artists in both sets:", len(set(artists.iloc[train_rows]) & set(artists.iloc[valid_rows])))

# %% [markdown]
# ## Preparing the inputs
#
# The audio features live on very different scales (`duration_ms` is in the hundreds of
# thousands, `danceability` between 0 and 1), so each is standardised. The genre is text,
# so it becomes six 0/1 columns, one per genre. The scaler learns its means and standard
# deviations from the training songs only: the validation songs stay unseen.
#
# The target is divided by 100, so it runs from 0 to 1 and the loss (MAE) reads as a
# fraction of the popularity scale.

# %%
preprocessor = make_column_transformer(
    (StandardScaler(), audio_features),
    (OneHotEncoder(), ["playlist_genre"]),
)
X_train = preprocessor.fit_transform(train_songs).astype("float32")
X_valid = preprocessor.transform(valid_songs).astype("float32")
y_train = (train_songs["track_popularity"] / 100).to_numpy("float32")
y_valid = (valid_songs["track_popularity"] / 100).to_numpy("float32")

print("Inputs:", X_train.shape, X_valid.shape)
print(f"Always predicting the average popularity gives a validation MAE of "
      f"{np.abs(y_valid - y_train.mean()).mean():.3f}")

# %% [markdown]
# ## Question 1: a linear model
#
# Start with the simplest model there is: a **linear** model, one `Dense` layer with a single
# unit and no activation. Replace the blank with it (name it `linear_model`); the rest of the
# cell trains it for 30 epochs, in batches of 512 songs, and plots the learning curves. It
# takes a few seconds.

# %% tags=["blank", "raises-exception"]
linear_model = ____  # YOUR CODE: keras.Sequential([...]) with one Dense unit

linear_model.compile(optimizer="adam", loss="mae")
linear_history = linear_model.fit(
    X_train, y_train, validation_data=(X_valid, y_valid),
    batch_size=512, epochs=30, verbose=0,
)
show(plot_learning_curves(linear_history, title="Linear model"),
     alt="Training and validation MAE of the linear model over 30 epochs")

# %% tags=["solution"]
linear_model = keras.Sequential([
    keras.Input(shape=(X_train.shape[1],)),
    keras.layers.Dense(1),
])

linear_model.compile(optimizer="adam", loss="mae")
linear_history = linear_model.fit(
    X_train, y_train, validation_data=(X_valid, y_valid),
    batch_size=512, epochs=30, verbose=0,
)
show(plot_learning_curves(linear_history, title="Linear model"),
     alt="Training and validation MAE of the linear model over 30 epochs")

# %%
q1.check(linear_model)

# %%
# q1.hint()
# q1.solution()

# %% [markdown]
# ## Question 2: read the curves
#
# Look at the plot above. Where do the training and validation curves end up, and how far
# apart are they? Would more epochs help? Is this model underfitting or overfitting?
# Think about it (or discuss it with a neighbour), then run the cell below to compare your
# answer with ours.

# %%
q2.check()

# %% [markdown]
# ## Question 3: more capacity
#
# Give the network more room to learn: two hidden layers, the first with 128 units and the
# second with 64, both with the ReLU activation, before the `Dense(1)` output layer. The
# cell trains this `deep_model` exactly as before.

# %% tags=["blank", "raises-exception"]
deep_model = ____  # YOUR CODE: Input, Dense(128, relu), Dense(64, relu), Dense(1)

deep_model.compile(optimizer="adam", loss="mae")
deep_history = deep_model.fit(
    X_train, y_train, validation_data=(X_valid, y_valid),
    batch_size=512, epochs=30, verbose=0,
)
show(plot_learning_curves(deep_history, title="Two hidden layers"),
     alt="Training and validation MAE of the network with two hidden layers over 30 epochs")

# %% tags=["solution"]
deep_model = keras.Sequential([
    keras.Input(shape=(X_train.shape[1],)),
    keras.layers.Dense(128, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1),
])

deep_model.compile(optimizer="adam", loss="mae")
deep_history = deep_model.fit(
    X_train, y_train, validation_data=(X_valid, y_valid),
    batch_size=512, epochs=30, verbose=0,
)
show(plot_learning_curves(deep_history, title="Two hidden layers"),
     alt="Training and validation MAE of the network with two hidden layers over 30 epochs")

# %%
q3.check(deep_model)

# %%
# q3.hint()
# q3.solution()

# %% [markdown]
# The training curve keeps going down, but the validation curve does not follow it for
# long. Where is the best epoch marked on the plot, and what happens after it?
#
# ## Question 4: stop early
#
# An **early stopping** callback watches the validation loss after every epoch and ends
# training once it stops improving. Create one that
#
# * counts only improvements of at least **0.001** (`min_delta`),
# * waits **5** epochs for such an improvement before stopping (`patience`), and
# * gives the model back the weights of its best epoch (`restore_best_weights`).
#
# The cell then trains a fresh copy of your deep model (same layers, new random weights)
# for up to 60 epochs with the callback.

# %% tags=["blank", "raises-exception"]
early_stopping = ____  # YOUR CODE: keras.callbacks.EarlyStopping(...)

stopped_model = keras.models.clone_model(deep_model)  # same layers, fresh weights
stopped_model.compile(optimizer="adam", loss="mae")
stopped_history = stopped_model.fit(
    X_train, y_train, validation_data=(X_valid, y_valid),
    batch_size=512, epochs=60, callbacks=[early_stopping], verbose=0,
)
show(plot_learning_curves(stopped_history, title="Two hidden layers, with early stopping"),
     alt="Training and validation MAE of the deeper network until early stopping ended training")

# %% tags=["solution"]
early_stopping = keras.callbacks.EarlyStopping(
    min_delta=0.001,
    patience=5,
    restore_best_weights=True,
)

stopped_model = keras.models.clone_model(deep_model)  # same layers, fresh weights
stopped_model.compile(optimizer="adam", loss="mae")
stopped_history = stopped_model.fit(
    X_train, y_train, validation_data=(X_valid, y_valid),
    batch_size=512, epochs=60, callbacks=[early_stopping], verbose=0,
)
show(plot_learning_curves(stopped_history, title="Two hidden layers, with early stopping"),
     alt="Training and validation MAE of the deeper network until early stopping ended training")

# %%
q4.check(early_stopping)

# %%
# q4.hint()
# q4.solution()

# %% [markdown]
# ## Question 5: what did early stopping change?
#
# Compare the last two plots. When did training stop, and which weights does
# `stopped_model` hold now? How does its best validation MAE compare with the linear
# model's? Think first, then reveal our answer.

# %%
q5.check()

# %% [markdown]
# ## Summary
#
# * Training and validation curves that flatten out **together** mean underfitting: the
#   model needs more capacity, not more epochs.
# * A training curve that keeps falling while the validation curve **rises** means
#   overfitting: the model is learning the training set's quirks.
# * Early stopping ends training near the best validation epoch and, with
#   `restore_best_weights=True`, keeps that epoch's weights.
