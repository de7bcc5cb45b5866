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
# # 5. Dropout and batch normalization
#
# **In this lesson you will learn**
#
# * what a **dropout** layer does, and why randomly switching off units fights overfitting;
# * what a **batch normalization** layer does, and why it makes training steadier;
# * where to put both kinds of layer in a network;
# * how a big red wine network with dropout and batch normalization trains without
#   overfitting;
# * how batch normalization lets plain SGD train on data nobody rescaled.

# %%
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from keras import layers

from helpers import data, plots

keras.utils.set_random_seed(0)

# %% [markdown]
# ## Special layers
#
# So far every layer was a `Dense` layer: units with weights, followed by an activation. Keras
# has many other kinds of layer. Some have no units at all: they change the data passing
# through them in a fixed way. This lesson adds two of them to our networks. **Dropout** helps
# against overfitting; **batch normalization** helps training run smoothly.

# %% [markdown]
# ## Dropout
#
# Lesson 4 described overfitting as a network learning the noise in its training data. Noise
# is spiky and specific, so to memorise it a network tends to rely on very particular
# combinations of weights: a handful of units that only work together. Such a fragile
# "conspiracy" of units fits the training data and nothing else.
#
# **Dropout** breaks these conspiracies. At every training step, a dropout layer sets a random
# fraction of its inputs (the **rate**) to zero. Each step drops a different random set, so
# no unit can count on any other unit being there. The network has to spread what it learns
# over many units, and broad patterns are the ones that carry over to new data.
#
# Here is a dropout layer with rate 0.3 at work on twelve units that all output 1, for six
# training steps in a row:

# %%
dropout = layers.Dropout(rate=0.3)
unit_outputs = np.ones((1, 12), dtype="float32")

steps = np.vstack([
    keras.ops.convert_to_numpy(dropout(unit_outputs, training=True)) for _ in range(6)
])

fig, ax = plt.subplots(figsize=(7, 3.6))
ax.imshow(steps == 0, cmap=plt.matplotlib.colors.ListedColormap(
    [plots.PALETTE["sky_blue"], plots.PALETTE["black"]]), aspect="auto")
ax.set_xticks(range(12), [str(unit + 1) for unit in range(12)])
ax.set_yticks(range(6), [f"step {step + 1}" for step in range(6)])
ax.set_xticks(np.arange(-0.5, 12), minor=True)
ax.set_yticks(np.arange(-0.5, 6), minor=True)
ax.grid(which="minor", color="white", linewidth=2)
ax.grid(which="major", visible=False)
ax.tick_params(which="minor", length=0)
ax.set_xlabel("unit")
ax.set_title("Dropout(rate=0.3): dropped units (black) change every step")
plots.show(fig, alt="A grid of 6 training steps by 12 units. In each row a different "
           "random handful of squares, about a third, is black (dropped); the rest are "
           "light blue (kept).")

print("outputs at step 1:", np.round(steps[0], 2))
print(f"share dropped over the 6 steps: {np.mean(steps == 0):.2f}")

# %% [markdown]
# About 30% of the outputs are dropped, a different set at every step. Notice that the values
# that survive are not 1 but about 1.43 (= 1 / 0.7). Keras scales them up during training so
# that the *total* signal reaching the next layer stays about the same as with no dropout.
#
# Dropout only acts during training. When the network makes predictions, nothing is dropped
# and nothing is scaled:

# %%
print("outputs when predicting:", keras.ops.convert_to_numpy(dropout(unit_outputs, training=False)))

# %% [markdown]
# Another way to see dropout: every step trains a slightly different, thinned-out network, and
# the final network behaves like an average of all of them. Averaging many models is a
# well-known way to cancel out their individual mistakes.
#
# ### Adding dropout
#
# A `Dropout` layer acts on the outputs of the layer **before** it. To apply dropout to a
# dense layer's outputs, put it right after that layer:
#
# ```python
# keras.Sequential([
#     keras.Input(shape=(11,)),
#     layers.Dense(16, activation="relu"),
#     layers.Dropout(rate=0.3),  # drops 30% of the 16 outputs above, at each step
#     layers.Dense(16, activation="relu"),
#     layers.Dense(1),
# ])
# ```
#
# Rates between 0.1 and 0.5 are common: higher rates fight overfitting harder, but too much
# dropout makes it hard for the network to learn anything.

# %% [markdown]
# ## Batch normalization
#
# In lessons 3 and 4 we rescaled the wine measurements to the range 0 to 1 before training.
# Inputs on wildly different scales make SGD take steps that are far too big for some weights
# and far too small for others, so training crawls or becomes unstable.
#
# A **batch normalization** layer (*batchnorm* for short) does a similar rescaling *inside*
# the network, on every batch as it passes through:
#
# 1. for each of its inputs, it computes the mean and the standard deviation over the batch;
# 2. it shifts and scales the values to mean 0 and standard deviation 1;
# 3. it applies a scale and a shift of its own, which it learns like any weight, so the
#    network can choose the range that suits the next layer best.
#
# Let us pass one batch of 256 *unscaled* wines through a fresh batchnorm layer:

# %%
red_wine = data.load_red_wine()
measurements = red_wine.drop("quality", axis=1)

batch = measurements.sample(256, random_state=0).to_numpy(dtype="float32")
normalized = keras.ops.convert_to_numpy(layers.BatchNormalization()(batch, training=True))

shown = ["total sulfur dioxide", "free sulfur dioxide", "fixed acidity", "alcohol", "pH"]
columns = [measurements.columns.get_loc(name) for name in shown]
pd.DataFrame({
    "mean before": batch[:, columns].mean(axis=0),
    "std before": batch[:, columns].std(axis=0),
    "mean after": normalized[:, columns].mean(axis=0),
    "std after": normalized[:, columns].std(axis=0),
}, index=shown).round(3)

# %% [markdown]
# Before, the measurements lived on very different scales: total sulfur dioxide around 44
# give or take 30, pH around 3.3 give or take 0.15. After, every one of them has mean 0 and a
# standard deviation of (almost exactly) 1.
#
# (The layer adds a tiny constant to each variance, so that it never divides by zero. For
# measurements with an extremely small spread, such as density, which varies only in the
# third decimal place, that constant wins and the spread after the layer stays below 1.)
#
# During training, the layer also keeps a running average of the means and standard deviations
# it has seen. When the network makes predictions, it uses those averages instead of the
# statistics of the batch in front of it, so a prediction does not depend on which other
# examples happen to be in the same batch.
#
# ### Adding batch normalization
#
# Batch normalization can go almost anywhere in a network. Two common places:
#
# ```python
# # after a dense layer
# layers.Dense(16, activation="relu"),
# layers.BatchNormalization(),
#
# # or between a dense layer and its activation
# layers.Dense(16),
# layers.BatchNormalization(),
# layers.Activation("relu"),
# ```
#
# And as the **first** layer, right after `keras.Input`, it acts as an automatic input scaler:
# a quick way to avoid rescaling the data by hand. We use that at the end of this lesson.
#
# Batchnorm mostly helps training: models with it often need fewer epochs, and training
# that would otherwise get stuck or blow up can work. It sometimes helps the validation loss
# too, but its main job is stability.

# %% [markdown]
# ## Example: red wine with dropout and batch normalization
#
# Let us give the red wine network both new layers. We prepare the data as in lesson 4: a
# 70/30 split and min-max scaling learned on the training split (which also scales the
# target, so MAE × 5 is the error in rating points).

# %%
df_train = red_wine.sample(frac=0.7, random_state=0)
df_valid = red_wine.drop(df_train.index)

max_ = df_train.max(axis=0)
min_ = df_train.min(axis=0)
df_train_scaled = (df_train - min_) / (max_ - min_)
df_valid_scaled = (df_valid - min_) / (max_ - min_)

X_train = df_train_scaled.drop("quality", axis=1)
X_valid = df_valid_scaled.drop("quality", axis=1)
y_train = df_train_scaled["quality"]
y_valid = df_valid_scaled["quality"]

print(f"{len(X_train)} training wines, {len(X_valid)} validation wines")

# %% [markdown]
# The network has three big hidden layers, each followed by dropout and batchnorm, and no
# early stopping this time: we want to see whether the new layers keep overfitting in check
# on their own.
#
# A note on size: the classic version of this example uses 1024 units per hidden layer. That
# is four times the arithmetic of 512 units, and 100 epochs of it take 20 seconds or more on
# a two-core laptop. With 512 units the learning curves look the same (we checked) and
# training takes about half as long. If your computer is fast, set `UNITS = 1024` and compare.

# %%
UNITS = 512


def build_wine_network():
    """The red wine network with dropout and batch normalization after every hidden layer."""
    return keras.Sequential([
        keras.Input(shape=(11,)),
        layers.Dense(UNITS, activation="relu"),
        layers.Dropout(rate=0.3),
        layers.BatchNormalization(),
        layers.Dense(UNITS, activation="relu"),
        layers.Dropout(rate=0.3),
        layers.BatchNormalization(),
        layers.Dense(UNITS, activation="relu"),
        layers.Dropout(rate=0.3),
        layers.BatchNormalization(),
        layers.Dense(1),
    ])


plots.show(plots.plot_network(build_wine_network()),
           alt="Network diagram: 11 inputs, then three hidden dense layers of 512 ReLU units, "
               "each followed by a dropout band and a batch normalization band, and one "
               "linear output unit.")

# %% [markdown]
# We wrote the network as a function so that the next cell can build a fresh, untrained copy
# every time it runs. It sets the random seed, builds the network, compiles it with Adam and
# MAE, and trains it for 100 epochs, so running it again gives the same result.

# %%
keras.utils.set_random_seed(0)  # the same starting weights and dropout masks every run
model = build_wine_network()
model.compile(optimizer="adam", loss="mae")

start = time.perf_counter()
history = model.fit(
    X_train, y_train,
    validation_data=(X_valid, y_valid),
    batch_size=256,
    epochs=100,
    verbose=0,
)
print(f"trained 100 epochs in {time.perf_counter() - start:.1f} s")

# %%
fig = plots.plot_learning_curves(history, title="Red wine with dropout and batch normalization")
fig.axes[0].set_ylim(0, 0.4)  # the first epochs are far higher; zoom in on the rest
plots.show(fig, alt="Learning curves over 100 epochs, zoomed to MAE 0 to 0.4. The validation "
           "MAE drops to about 0.14 within a few epochs and then drifts slowly down to about "
           "0.11. The training MAE starts far above it, falls steadily, and only meets the "
           "validation curve in the last 20 or so epochs.")
print("Minimum validation loss: {:.4f}".format(min(history.history["val_loss"])))

# %% [markdown]
# Two things stand out:
#
# * **The validation loss never turns upwards**, even though this network is huge and there is
#   no early stopping. Dropout keeps it from memorising noise.
# * **The training loss is *above* the validation loss** for most of the run. That looks odd,
#   but it is what dropout does: the training loss is measured on the thinned-out networks,
#   with 30% of units missing, while the validation loss uses the full network.
#
# The best validation MAE, about 0.11, is a little worse than the 0.09 that early stopping
# reached in lesson 4. Dropout costs some learning speed: the training loss is still coming
# down at epoch 100. Dropout and early stopping are not rivals, and in practice they are often
# used together.

# %% [markdown]
# ## Batch normalization and unscaled data
#
# Now the stabilising side of batch normalization. We go back to the *unscaled* wines: total
# sulfur dioxide in the hundreds, chlorides below 1, and the rating as it is, from 3 to 8.
#
# To make the problem visible we train with plain **SGD** (`optimizer="sgd"`, learning rate
# 0.01) instead of Adam. Adam adapts the step size of every weight separately, which hides much
# of the trouble with badly scaled inputs; plain SGD takes one step size for all weights, so
# it suffers the full effect. We use batches of 64 wines and 40 epochs.
#
# First, the network of lesson 4 without any batchnorm:

# %%
X_train_raw = df_train.drop("quality", axis=1)
X_valid_raw = df_valid.drop("quality", axis=1)
y_train_raw = df_train["quality"]
y_valid_raw = df_valid["quality"]

keras.utils.set_random_seed(0)
plain_model = keras.Sequential([
    keras.Input(shape=(11,)),
    layers.Dense(512, activation="relu"),
    layers.Dense(512, activation="relu"),
    layers.Dense(512, activation="relu"),
    layers.Dense(1),
])
plain_model.compile(optimizer="sgd", loss="mae")

start = time.perf_counter()
plain_history = plain_model.fit(
    X_train_raw, y_train_raw,
    validation_data=(X_valid_raw, y_valid_raw),
    batch_size=64,
    epochs=40,
    verbose=0,
)
print(f"trained 40 epochs in {time.perf_counter() - start:.1f} s")

# %% [markdown]
# Then the same network with one `BatchNormalization` layer at the start, which rescales every
# batch of inputs before the first dense layer sees them:

# %%
keras.utils.set_random_seed(0)
batchnorm_model = keras.Sequential([
    keras.Input(shape=(11,)),
    layers.BatchNormalization(),  # rescales the raw measurements, batch by batch
    layers.Dense(512, activation="relu"),
    layers.Dense(512, activation="relu"),
    layers.Dense(512, activation="relu"),
    layers.Dense(1),
])
batchnorm_model.compile(optimizer="sgd", loss="mae")

start = time.perf_counter()
batchnorm_history = batchnorm_model.fit(
    X_train_raw, y_train_raw,
    validation_data=(X_valid_raw, y_valid_raw),
    batch_size=64,
    epochs=40,
    verbose=0,
)
print(f"trained 40 epochs in {time.perf_counter() - start:.1f} s")

# %% [markdown]
# To judge the results we need a yardstick. The laziest possible model ignores the
# measurements and always predicts the typical rating of the training wines (the median).
# Its MAE on the validation wines is:

# %%
typical_rating = y_train_raw.median()
baseline_mae = (y_valid_raw - typical_rating).abs().mean()
print(f"always predicting {typical_rating:.0f}: validation MAE {baseline_mae:.2f} rating points")

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
plots.plot_learning_curves(plain_history, ax=axes[0], title="Unscaled inputs, no batchnorm")
plots.plot_learning_curves(batchnorm_history, ax=axes[1], title="Unscaled inputs, batchnorm first")
for ax in axes:
    ax.axhline(baseline_mae, color=plots.PALETTE["black"], linestyle="--", linewidth=1.2,
               label="always predicting the median")
    ax.set_ylim(0, 2.5)  # the first epochs go far higher; zoom in on the rest
    ax.set_ylabel("MAE (rating points)")
    ax.legend(loc="upper right")
fig.tight_layout()
plots.show(fig, alt="Two panels of learning curves over 40 epochs, MAE in rating points from 0 "
           "to 2.5, with a dashed line at the MAE of always predicting the median rating, "
           "about 0.66. Left, without batchnorm: both curves zigzag wildly and end a little "
           "above the dashed line. Right, with batchnorm: after a few high early epochs both curves "
           "fall smoothly and level off well below the dashed line, near 0.46.")
for name, run in [("no batchnorm", plain_history), ("batchnorm first", batchnorm_history)]:
    print(f"{name:>15}: best validation MAE {min(run.history['val_loss']):.2f} rating points")

# %% [markdown]
# * **Without batchnorm** (left) the curves zigzag from epoch to epoch, and the validation MAE
#   never gets clearly below the dashed line: after 40 epochs the network is no better than
#   always guessing the typical rating. The weights that read total sulfur dioxide (values in the
#   hundreds) get huge gradients, the ones that read chlorides get tiny ones, and no single
#   learning rate suits both.
# * **With batchnorm** (right) the curves fall smoothly and end well below the line, at about
#   0.46 rating points. The only change is one layer that rescales the inputs.
#
# The very first validation points on the right are high, because the layer's running
# averages, which it uses for predictions, start from "mean 0, standard deviation 1" and need
# a few epochs to catch up with the real wine measurements.
#
# Rescaling the data yourself, as in lesson 4, is still the simplest fix when you can do it.
# Batchnorm does the same job automatically, and keeps doing it for the layers inside the
# network, where you cannot rescale by hand.

# %% [markdown]
# ## Your turn
#
# In the exercise you add dropout to the Spotify popularity network of exercise 4, watch plain
# SGD fail on unscaled data, and rescue it with batch normalization. In the lab you switch
# dropout and batchnorm on and off for the same network and watch the gap between the
# learning curves. Both are linked in the navigation bar.
