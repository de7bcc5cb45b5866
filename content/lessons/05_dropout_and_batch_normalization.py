# ---
# jupyter:
#   course:
#     you_will: "add dropout and batch normalization, compare them fairly over several seeds, rescue SGD on unscaled data"
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
# * how to test, over several seeds, whether each layer helps the red wine network, and why
#   batch normalization hurts it there;
# * why the training loss can sit above the validation loss;
# * why a network with dropout may need more units, and how the classic wide network fares;
# * how batch normalization lets plain SGD train on data nobody rescaled.

# %%
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from keras import layers

from helpers import data, memory, outcomes, plots

keras.utils.set_random_seed(0)

# %% [markdown]
# ## Special layers
#
# So far every layer was a `Dense` layer: units with weights, followed by an activation. Keras
# has many other kinds of layer. Some have no weights of their own, or none that SGD trains:
# they change the data passing through them. This lesson adds two of them to our networks.
# **Dropout** is meant to fight overfitting; **batch normalization** is meant to make training
# run smoothly. We will also test whether they actually do that on the red wine data.

# %% [markdown]
# ## Dropout
#
# Lesson 4 described overfitting as a network learning the noise in its training data. Noise
# is spiky and specific, so to memorize it a network tends to rely on very particular
# combinations of weights: a handful of units that only work together. Such a fragile
# "conspiracy" of units fits the training data and nothing else.
#
# **Dropout** is designed to break these conspiracies. At every training step, a dropout layer
# sets a random fraction of its inputs (the **rate**) to zero. Each step drops a different
# random set, so no unit can count on any other unit being there. The network has to spread
# what it learns over many units, and broad patterns are the ones that carry over to new data.
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
# Roughly 30% of the outputs are dropped, a different set at every step (with only 72 draws, the
# printed share lands a little above or below 0.3, depending on the luck of the draw). Notice that the values
# that survive are not 1 but about 1.43 (= 1 / 0.7). Keras scales them up during training so
# that the *total* signal reaching the next layer stays about the same as with no dropout.
#
# Dropout only acts during training. When the network makes predictions, nothing is dropped
# and nothing is scaled:

# %%
print("outputs when predicting:", keras.ops.convert_to_numpy(dropout(unit_outputs, training=False)))

# %% [markdown]
# Another way to see dropout: every step trains a slightly different, thinned-out network,
# one of a huge number of possible ones that all share the same weights. The finished network
# keeps every unit, and thanks to the scaling it behaves *approximately* like the average of
# that whole committee of thinned networks (only approximately, because the activations
# between the layers are not straight lines).
#
# If you know random forests, this will sound familiar: a random forest averages many
# decision trees, each trained on a random part of the data with random parts of the
# features, and the average makes fewer mistakes than any single tree because their
# individual mistakes differ and cancel out. Dropout gets a similar committee for the price
# of one network: its members are not trained separately, they share their weights, and each
# one is trained for a single step at most (there are far more possible thinned networks than
# training steps).
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
# Rates between 0.1 and 0.5 are common. A higher rate switches off more units, which holds the
# network back more strongly: from memorizing noise, but also from learning at all (the lab
# lets you watch this happen).

# %% [markdown]
# ## Batch normalization
#
# In lessons 3 and 4 we rescaled the wine measurements to the range 0 to 1 before training.
# Inputs on wildly different scales can make SGD take steps that are far too big for some
# weights and far too small for others, so training crawls or becomes unstable (we will see
# this at the end of the lesson).
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

shown = ["total sulfur dioxide", "free sulfur dioxide", "fixed acidity", "alcohol", "pH", "density"]
columns = [measurements.columns.get_loc(name) for name in shown]
pd.DataFrame({
    "mean before": batch[:, columns].mean(axis=0),
    "std before": batch[:, columns].std(axis=0),
    "mean after": normalized[:, columns].mean(axis=0),
    "std after": normalized[:, columns].std(axis=0),
}, index=shown).round(4)

# %% [markdown]
# Before, the measurements lived on very different scales: total sulfur dioxide around 44
# give or take 30, pH around 3.3 give or take 0.15. After, every one of them has mean 0, and
# all but the last have a standard deviation of (almost exactly) 1.
#
# The exception is density. The layer adds a small constant, 0.001, to each variance before
# dividing by its square root, so that it never divides by zero. Density varies only in the
# third decimal place: its variance is about 0.000004, far smaller than that constant. So the
# constant wins, the layer divides by about 0.03 instead of 0.002, and the spread of density
# after the layer is only:

# %%
density_std_after = normalized[:, measurements.columns.get_loc("density")].std()
print(f"standard deviation of density after batch normalization: {density_std_after:.3f}")

# %% [markdown]
# During training, the layer also keeps a running average of the means and standard deviations
# it has seen. When the network makes predictions, it uses those averages instead of the
# statistics of the batch in front of it, so a prediction does not depend on which other
# examples happen to be in the same batch. (Keep this in mind: it will matter in the example
# below.)
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
# Batchnorm was invented to make training steadier: in deep networks trained on large
# datasets it often lets training take bigger steps and finish in fewer epochs. Whether it
# helps *your* network is something to test, and the example below does exactly that.

# %% [markdown]
# ## Example: does each layer help the red wine network?
#
# A new kind of layer is only worth adding if it makes the network better at its job. Let us
# test both layers on the red wine data, the fair way: one change at a time, everything else
# equal, and several seeds for each setting, so that we can tell a real difference from the
# luck of the draw (lesson 4 showed how much the seed alone moves the result).
#
# We prepare the data as in lesson 4: a 70/30 split and min-max scaling learned on the
# training split (which also scales the target, so MAE × 5 is the error in rating points).

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
# Every result needs a yardstick. The laziest model ignores the measurements and always
# predicts the median quality of the training wines. Any network worth its training time
# must beat this MAE:

# %%
baseline_scaled_mae = (y_valid - y_train.median()).abs().mean()
print(f"always predicting the median quality: validation MAE {baseline_scaled_mae:.4f} (scaled units)")

# %% [markdown]
# ### Four settings, three seeds each
#
# The network has three hidden layers of 128 ReLU units. We train it in four settings:
# with **neither** new layer, with **dropout only** (rate 0.3 after every hidden layer), with
# **batchnorm only** (after every hidden layer), and with **both**, in the order
# `Dense`, `Dropout`, `BatchNormalization`. Here is the network with both:

# %%
UNITS = 128


def build_wine_network(dropout, batchnorm, units=UNITS):
    """Three hidden layers of `units` ReLU units, each optionally followed by dropout and batchnorm."""
    hidden_layers = []
    for _ in range(3):
        hidden_layers.append(layers.Dense(units, activation="relu"))
        if dropout:
            hidden_layers.append(layers.Dropout(rate=0.3))
        if batchnorm:
            hidden_layers.append(layers.BatchNormalization())
    return keras.Sequential([keras.Input(shape=(11,)), *hidden_layers, layers.Dense(1)])


plots.show(plots.plot_network(build_wine_network(dropout=True, batchnorm=True)),
           alt="Network diagram: 11 inputs, then three hidden dense layers of 128 ReLU units, "
               "each followed by a dropout band and a batch normalization band, and one "
               "linear output unit.")

# %% [markdown]
# Every run uses the same data, Adam, the MAE loss, batches of 256 wines and 60 epochs, with
# no early stopping: only the two switches and the seed change.

# %%
EPOCHS = 60
BATCH_SIZE = 256


def train_wine_network(dropout, batchnorm, seed, units=UNITS, validate_each_epoch=True):
    """Build, compile and train one network from scratch; return the model and its History."""
    keras.utils.set_random_seed(seed)  # the same seed gives the same weights, order and masks
    model = build_wine_network(dropout, batchnorm, units)
    model.compile(optimizer="adam", loss="mae")
    history = model.fit(
        X_train, y_train,
        validation_data=(X_valid, y_valid) if validate_each_epoch else None,
        batch_size=BATCH_SIZE,
        epochs=EPOCHS,
        verbose=0,
    )
    return model, history


def prediction_mae(model, X, y):
    """MAE of the finished network, in prediction mode (no dropout, batchnorm's running averages)."""
    predictions = model.predict(X.to_numpy("float32"), verbose=0)[:, 0]
    return float(np.mean(np.abs(predictions - y.to_numpy())))


SETTINGS = {  # name: (dropout, batchnorm)
    "neither": (False, False),
    "dropout only": (True, False),
    "batchnorm only": (False, True),
    "both": (True, True),
}
SEEDS = [0, 1, 2]
runs = {}  # (setting, seed) -> what we keep of that run (not the model itself)


def train_setting(name):
    """Train one setting with every seed; only seed 0 validates after every epoch."""
    start = time.perf_counter()
    for seed in SEEDS:
        model, history = train_wine_network(*SETTINGS[name], seed=seed, validate_each_epoch=seed == 0)
        runs[name, seed] = {
            "history": history.history,  # the numbers of every epoch, for the learning curves
            "weights": model.get_weights(),  # to rebuild the finished network later
            "training loss (last epoch)": history.history["loss"][-1],
            "training MAE (prediction mode)": prediction_mae(model, X_train, y_train),
            "validation MAE": prediction_mae(model, X_valid, y_valid),
        }
    memory.release_finished_trainings()
    print(f"{name}: {len(SEEDS)} seeds x {EPOCHS} epochs in {time.perf_counter() - start:.1f} s")


# %% [markdown]
# Each of the next four cells trains one setting with the three seeds (a few seconds each).
# We will draw the learning curves of seed 0, so only those runs measure the validation wines
# after every epoch; that pass costs time, and for seeds 1 and 2 we only need the finished
# network's validation MAE, which we measure once, at the end. `prediction_mae` measures it
# the way `predict` works: nothing dropped, batchnorm using its running averages.
#
# Each run keeps its numbers and its final weights, not the trained model: a Keras model
# also holds its compiled training step, and keeping all 21 networks this lesson trains would
# crowd the memory of a small machine such as Binder. For the same reason `train_setting` ends
# with `memory.release_finished_trainings()` from the course's helpers. On the TensorFlow
# backend, every training leaves its compiled step in memory even once the model is gone (a
# known TensorFlow bug); that call gives the memory back, and it changes no result.

# %%
train_setting("neither")

# %%
train_setting("dropout only")

# %%
train_setting("batchnorm only")

# %%
train_setting("both")

# %% [markdown]
# ### The learning curves
#
# First the curves of seed 0 in each setting, all on the same scale, with the dotted line at
# the MAE of always predicting the median:

# %%
fig, axes = plt.subplots(2, 2, figsize=(12, 7.5), sharex=True, sharey=True)
for ax, name in zip(axes.flat, SETTINGS):
    plots.plot_learning_curves(runs[name, 0]["history"], ax=ax, title=name)
    ax.axhline(baseline_scaled_mae, color=plots.PALETTE["black"], linestyle=":", linewidth=1.2,
               label="always predicting the median")
    ax.set_ylim(0.05, 0.3)  # the first epochs go far higher; zoom in on the rest
    ax.legend(loc="upper right", fontsize=9)
fig.tight_layout()
plots.show(fig, alt="Four panels of learning curves over 60 epochs, seed 0, MAE from 0.05 to "
           "0.3, with a dotted line at the MAE of always predicting the median, about 0.13. "
           "Neither: both curves fall smoothly and level off well below the dotted line, "
           "validation about 0.01 above training at the end. Dropout only: similar, a little "
           "higher, with the zigzagging training curve right on top of the validation curve. "
           "Batchnorm only: the training curve ends lowest of all, near 0.08, while the "
           "validation curve jumps between the dotted line and almost 0.3 and ends far above "
           "the dotted line. Both: the validation curve levels off around the dotted line, "
           "near 0.13 to 0.14, and "
           "the training curve stays far above it all the way.")

# %% [markdown]
# ### All the seeds
#
# One seed can mislead, so here is the validation MAE after the 60th epoch for every run. We
# choose nothing on the validation wines (no early stopping, no picking of epochs), so this
# number is a fair measurement of each setting on wines the network never trained on. The
# table also gives each run's training loss of the last epoch, as `fit` recorded it, and the
# MAE of the finished network on its own training wines, measured like the validation MAE
# (nothing dropped, batchnorm using its running averages).

# %%
results = pd.DataFrame([
    {"setting": name, "seed": seed} | {column: value for column, value in run.items()
                                       if column not in ("history", "weights")}
    for (name, seed), run in runs.items()
]).set_index(["setting", "seed"])
final_valid = results["validation MAE"].unstack("setting")[list(SETTINGS)]  # one column per setting

fig, ax = plt.subplots(figsize=(8, 4.2))
for position, name in enumerate(SETTINGS):
    ax.scatter([position] * len(SEEDS), final_valid[name], s=60, color=plots.PALETTE["blue"],
               alpha=0.8, zorder=3, label="one seed" if position == 0 else None)
ax.axhline(baseline_scaled_mae, color=plots.PALETTE["black"], linestyle=":", linewidth=1.2,
           label="always predicting the median")
ax.set_xticks(range(len(SETTINGS)), list(SETTINGS))
ax.set_xlim(-0.5, len(SETTINGS) - 0.5)
ax.set_ylabel(f"validation MAE after {EPOCHS} epochs")
ax.set_title("Four settings, three seeds each (lower is better)")
ax.legend(loc="upper left")
plots.show(fig, alt="Validation MAE after 60 epochs, one dot per seed, for four settings, with a "
           "dotted line at the MAE of always predicting the median, about 0.13. The three dots "
           "of 'neither' sit close together near 0.095, those of 'dropout only' a little higher, "
           "around 0.10. The dots of 'batchnorm only' and 'both' are far higher, on or above "
           "the dotted line.")

summary = results.groupby("setting", sort=False).agg(["min", "max"]).round(4)
summary

# %% [markdown]
# What the runs show (check the numbers above):
#
# * **Batchnorm is what hurts.** Every run with batchnorm, alone or with dropout, ends far
#   worse than every run without it, about as bad as always predicting the median, or worse.
#   Dropout alone does not do that.
# * **Dropout alone did not help either**, within these 60 epochs: its validation MAE ends
#   close to that of the plain network, slightly higher. The plain network hardly overfits in
#   60 epochs: its validation curve is still flat at the end, only about 0.01 above its
#   training curve. So there is little for dropout to fix here, and what we see is its price:
#   the network learns more slowly when units keep disappearing.
#
# So the lesson's first message needs a qualifier: dropout and batchnorm are tools for
# specific problems, not free improvements, and whether they help a given network is
# something you measure, as we just did. (These runs cannot show dropout preventing
# overfitting, because this network, in 60 epochs, does not overfit much to begin with.)
#
# The next cell turns this into a check. It passes only if the worst seed without batchnorm
# beats the best seed with it, so the difference is bigger than the spread between seeds,
# and if the runs without batchnorm clearly beat always predicting the median.

# %% tags=["learning-outcome"]
worst_without_batchnorm = final_valid[["neither", "dropout only"]].max().max()
best_with_batchnorm = final_valid[["batchnorm only", "both"]].min().min()
assert worst_without_batchnorm < best_with_batchnorm, (
    f"Expected every run without batchnorm to end below every run with it, but the worst run "
    f"without batchnorm reached {worst_without_batchnorm:.4f} and the best with it "
    f"{best_with_batchnorm:.4f}. Run the notebook again from the top, without changing the seeds."
)
print(f"worst seed without batchnorm {worst_without_batchnorm:.4f} < best seed with batchnorm "
      f"{best_with_batchnorm:.4f}")
outcomes.check_outcome(
    f"validation MAE after {EPOCHS} epochs, neither", final_valid["neither"], at_most=0.105,
    baseline=baseline_scaled_mae, baseline_name="always predicting the median quality",
)
outcomes.check_outcome(
    f"validation MAE after {EPOCHS} epochs, dropout only", final_valid["dropout only"], at_most=0.115,
    baseline=baseline_scaled_mae, baseline_name="always predicting the median quality",
)

# %% [markdown]
# ### Why batchnorm hurts here
#
# Compare the two training columns of the "batchnorm only" runs in the table. During training
# the network did well on its training wines (the training loss); the finished network, asked
# to predict those *same* wines, does much worse. Nothing about the wines changed, only the
# statistics batchnorm uses:
#
# * **In training**, batchnorm normalizes with the mean and standard deviation of the batch in
#   front of it.
# * **In prediction**, it uses its running averages. Each training step moves them only 1%
#   of the way towards the statistics of the current batch (Keras's default `momentum=0.99`),
#   so they remember roughly the last hundred steps.
#
# With 1,119 training wines in batches of 256, an epoch has only 5 steps, so the running
# averages lag some 20 epochs behind a network whose weights keep changing. They also start
# from mean 0 and standard deviation 1, far from the real values. In 60 epochs the network
# takes only 300 steps, and the averages never quite catch up.
#
# We can test this explanation. The next cell rebuilds a copy of each finished batchnorm
# network from its weights and, without training it, replaces the running averages by the
# statistics of all training wines in a single pass (setting `momentum` to 0 makes one update
# replace the old averages entirely). If the lag is the problem, the copies should predict
# much better.

# %%
def with_fresh_averages(name, seed):
    """A copy of one run's finished network, its batchnorm layers holding all training wines' statistics."""
    copy = build_wine_network(*SETTINGS[name])
    copy.set_weights(runs[name, seed]["weights"])  # same weights and running averages as the original
    for layer in copy.layers:
        if isinstance(layer, layers.BatchNormalization):
            layer.momentum = 0.0  # the next update replaces the running averages entirely
    copy(X_train.to_numpy("float32"), training=True)  # one pass over all training wines (dropout on, as in training)
    return copy


keras.utils.set_random_seed(0)  # the pass drops units at random in "both": fix the masks
fresh_rows = []
for name, seed in runs:
    if not SETTINGS[name][1]:
        continue  # no batchnorm layer, nothing to refresh
    copy = with_fresh_averages(name, seed)
    fresh_rows.append({
        "setting": name,
        "seed": seed,
        "training MAE, running averages": results.loc[(name, seed), "training MAE (prediction mode)"],
        "training MAE, fresh averages": prediction_mae(copy, X_train, y_train),
        "validation MAE, running averages": results.loc[(name, seed), "validation MAE"],
        "validation MAE, fresh averages": prediction_mae(copy, X_valid, y_valid),
    })
pd.DataFrame(fresh_rows).set_index(["setting", "seed"]).round(4)

# %% [markdown]
# Read the table one setting at a time:
#
# * **Batchnorm only.** With fresh averages, the copies predict their training wines about as
#   well as the training loss promised: the lag explained that part. But their validation MAE
#   does not come down to the level of the networks without batchnorm; it stays far above
#   their own training MAE. These networks fit their training wines closely and the new wines
#   badly: they **overfit**, much more than the plain network does.
# * **Both.** Fresh averages lower the validation MAE by one to three hundredths, a large part
#   of the damage, but in most runs not to the level of dropout alone.
#
# Dropout adds one more mismatch in the "both" setting. It sits *before* batchnorm, so during
# training batchnorm measures values with units switched off and the survivors scaled up,
# while at prediction time it gets every unit: the spread of its inputs differs between the
# two modes. Our fresh averages were computed with dropout on, as in training, so they keep
# this mismatch. It may be part of what remains, but these runs do not separate it from the
# rest.
#
# So on this small dataset batchnorm brings problems and no benefit: predictions that depend
# on running averages that lag behind (only 5 steps per epoch), and, for batchnorm alone, a
# network that overfits. We have not tested here whether more steps per epoch (smaller
# batches, more data) would change the verdict. The next section shows batchnorm where it
# does have a job to do.

# %% [markdown]
# ### Why can the training loss sit above the validation loss?
#
# In the "dropout only" panel above, the training curve runs right on top of the validation
# curve, and in "both" it stays far above it. That looks odd: how can a network do better on
# wines it never trained on? Three things can make the recorded training loss a pessimistic
# number:
#
# * **Dropout**: the training loss is measured on thinned-out networks, with 30% of the units
#   missing, while the validation loss uses the full network.
# * **A running mean**: the training loss of an epoch is the average over its batches, taken
#   while the weights were still improving; the validation loss is measured once, at the end
#   of the epoch, with the improved weights.
# * **Batchnorm** (when present) normalizes each training batch with that batch's own
#   statistics, and prediction uses the running averages, so the two losses are not computed
#   by quite the same network.
#
# The results table shows this at work. For the plain network, the finished network predicts
# its training wines about as well as the training loss of its last epoch says; for the
# "dropout only" runs, about 0.01 better (dropout on top of the running mean). To compare
# settings, compare validation losses, never training losses.

# %% [markdown]
# ## With dropout, you may need more units
#
# A dropout layer with rate 0.3 leaves the next layer, at every training step, only about 70%
# of the units it was built with. A wide layer has units to spare. A narrow one may be left
# with too few to learn the pattern at all, so when you add dropout you may also have to make
# the network wider (the dropout paper gives this advice; see Further reading).
#
# Let us test it with a narrow version of our network, 16 units per hidden layer instead of
# 128, trained with and without dropout, three seeds each. Here we only need each run's final
# validation MAE, not its learning curve, so these runs skip the validation pass after every
# epoch (which saves time) and we measure each finished network once, at the end.

# %%
NARROW_UNITS = 16
narrow_valid = {}  # (setting, seed) -> validation MAE after EPOCHS epochs


def train_narrow(name):
    """Train the narrow network in one setting with every seed; keep its final validation MAE."""
    start = time.perf_counter()
    for seed in SEEDS:
        model, _ = train_wine_network(*SETTINGS[name], seed=seed, units=NARROW_UNITS,
                                      validate_each_epoch=False)
        narrow_valid[name, seed] = prediction_mae(model, X_valid, y_valid)
    memory.release_finished_trainings()
    print(f"{NARROW_UNITS} units, {name}: {len(SEEDS)} seeds in {time.perf_counter() - start:.1f} s")


train_narrow("neither")

# %%
train_narrow("dropout only")

# %% [markdown]
# The table puts the narrow runs next to the 128-unit runs of the experiment above. The
# last column is what dropout costs at each width: the validation MAE with dropout minus the
# one without, seed by seed (a positive number means dropout made the network worse).

# %%
width_table = pd.DataFrame({
    f"{NARROW_UNITS} units, no dropout": [narrow_valid["neither", seed] for seed in SEEDS],
    f"{NARROW_UNITS} units, dropout": [narrow_valid["dropout only", seed] for seed in SEEDS],
    f"{UNITS} units, no dropout": final_valid["neither"].to_numpy(),
    f"{UNITS} units, dropout": final_valid["dropout only"].to_numpy(),
}, index=pd.Index(SEEDS, name="seed"))
width_table[f"cost of dropout, {NARROW_UNITS} units"] = (
    width_table[f"{NARROW_UNITS} units, dropout"] - width_table[f"{NARROW_UNITS} units, no dropout"])
width_table[f"cost of dropout, {UNITS} units"] = (
    width_table[f"{UNITS} units, dropout"] - width_table[f"{UNITS} units, no dropout"])
width_table.round(4)

# %% [markdown]
# Without dropout, the narrow network does nearly as well as the wide one: 16 units per layer
# are enough for this data. With dropout, the narrow network loses much more than the wide
# one, on every seed. The next cell checks exactly that: the smallest cost of dropout at 16
# units must be larger than the largest cost at 128 units, and the narrow network without
# dropout must clearly beat always predicting the median (so it is a fair comparison).

# %% tags=["learning-outcome"]
narrow_cost = width_table[f"cost of dropout, {NARROW_UNITS} units"]
wide_cost = width_table[f"cost of dropout, {UNITS} units"]
assert narrow_cost.min() > wide_cost.max(), (
    f"Expected dropout to cost the {NARROW_UNITS}-unit network more than the {UNITS}-unit one on "
    f"every seed, but the smallest cost at {NARROW_UNITS} units was {narrow_cost.min():.4f} and "
    f"the largest at {UNITS} units {wide_cost.max():.4f}. Run the notebook again from the top."
)
print(f"cost of dropout: at least {narrow_cost.min():.4f} with {NARROW_UNITS} units, "
      f"at most {wide_cost.max():.4f} with {UNITS} units")
outcomes.check_outcome(
    f"validation MAE after {EPOCHS} epochs, {NARROW_UNITS} units without dropout",
    width_table[f"{NARROW_UNITS} units, no dropout"], at_most=0.112,
    baseline=baseline_scaled_mae, baseline_name="always predicting the median quality",
)

# %% [markdown]
# ## The classic network: wide, with dropout and batchnorm
#
# The network that usually illustrates this lesson is much wider than ours: three hidden
# layers of 1,024 units, each followed by dropout (rate 0.3) and batch normalization, trained
# with Adam for 100 epochs in batches of 256 wines, on the same scaled data. With over two
# million weights it is the largest network of the course, and this cell is its longest
# training (it prints how long it took). We train it once, with seed 0:

# %%
keras.utils.set_random_seed(0)
classic_model = keras.Sequential([
    keras.Input(shape=(11,)),
    layers.Dense(1024, activation="relu"),
    layers.Dropout(rate=0.3),
    layers.BatchNormalization(),
    layers.Dense(1024, activation="relu"),
    layers.Dropout(rate=0.3),
    layers.BatchNormalization(),
    layers.Dense(1024, activation="relu"),
    layers.Dropout(rate=0.3),
    layers.BatchNormalization(),
    layers.Dense(1),
])
classic_model.compile(optimizer="adam", loss="mae")

start = time.perf_counter()
classic_history = classic_model.fit(
    X_train, y_train,
    validation_data=(X_valid, y_valid),
    batch_size=256,
    epochs=100,
    verbose=0,
)
print(f"{classic_model.count_params():,} weights, 100 epochs in {time.perf_counter() - start:.1f} s")

# %%
fig, ax = plt.subplots(figsize=(8, 4.2))
plots.plot_learning_curves(classic_history, ax=ax, title="3 x 1024 units, dropout and batchnorm, seed 0")
ax.axhline(baseline_scaled_mae, color=plots.PALETTE["black"], linestyle=":", linewidth=1.2,
           label="always predicting the median")
ax.set_ylim(0.05, 0.3)  # the first epochs go far higher; zoom in on the rest
ax.legend(loc="upper right")
plots.show(fig, alt="Learning curves of the 3 x 1024 network with dropout and batch "
           "normalization over 100 epochs, MAE from 0.05 to 0.3, with a dotted line at the MAE "
           "of always predicting the median, about 0.13. The validation curve drops to the "
           "dotted line within a few epochs and zigzags around it for about 60 epochs, then "
           "sinks below it and is still falling at epoch 100, near 0.11. The training curve "
           "starts far above, falls slowly and meets the validation curve after about 65 "
           "epochs.")
classic_valid = classic_history.history["val_loss"]
print(f"3 x 1024, dropout and batchnorm: validation MAE {classic_valid[EPOCHS - 1]:.4f} "
      f"after {EPOCHS} epochs, {classic_valid[-1]:.4f} after 100")
print(f"3 x {UNITS}, dropout and batchnorm, {EPOCHS} epochs, seed 0: "
      f"validation MAE {final_valid.loc[0, 'both']:.4f}")
print(f"3 x {UNITS}, neither, {EPOCHS} epochs, seed 0: validation MAE {final_valid.loc[0, 'neither']:.4f}")
print(f"always predicting the median: {baseline_scaled_mae:.4f}")

# %% [markdown]
# Compare the curves and the printed numbers. After 100 epochs the wide network with both
# layers beats always predicting the median and ends below our 128-unit network with both
# layers, but it takes its time: for about 60 epochs its validation MAE zigzags around the
# dotted line, and it is still falling at the end. Dropout and batchnorm slow its learning,
# and the training curve, measured with units dropped, stays above the validation curve for
# most of the run. It still does not beat the plain 128-unit network on this small dataset.
# This is one seed, trained for more epochs than our experiment, so it illustrates the
# section rather than testing anything.

# %% [markdown]
# ## Batch normalization and unscaled data
#
# Now the stabilizing side of batch normalization. We go back to the *unscaled* wines, with
# every measurement in its own units, and the rating as it is, from 3 to 8. Three of the
# measurements in the training split:

# %%
X_train_raw = df_train.drop("quality", axis=1)
X_valid_raw = df_valid.drop("quality", axis=1)
y_train_raw = df_train["quality"]
y_valid_raw = df_valid["quality"]

X_train_raw[["total sulfur dioxide", "chlorides", "density"]].agg(["mean", "min", "max"]).round(3)

# %% [markdown]
# Total sulfur dioxide is in the tens on average and reaches a few hundred, chlorides stay
# below 1, and density hardly moves away from 1.
#
# To make the problem visible we train with plain **SGD** (`optimizer="sgd"`, learning rate
# 0.01) instead of Adam. Adam adapts the step size of every weight separately, which hides much
# of the trouble with badly scaled inputs; plain SGD takes one step size for all weights, so
# it suffers the full effect. We use batches of 64 wines and 40 epochs.
#
# First, the network of lesson 4 without any batchnorm:

# %%
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
           "about 0.66. Left, without batchnorm: both curves zigzag wildly and end above the "
           "dashed line. Right, with batchnorm: after a few high early epochs both curves "
           "fall smoothly and level off well below the dashed line, near 0.46.")
for name, run in [("no batchnorm", plain_history), ("batchnorm first", batchnorm_history)]:
    print(f"{name:>15}: validation MAE best {min(run.history['val_loss']):.2f}, "
          f"last epoch {run.history['val_loss'][-1]:.2f} rating points")

# %% [markdown]
# * **Without batchnorm** (left) the curves zigzag from epoch to epoch, and the validation MAE
#   never gets far below the dashed line and ends above it: after 40 epochs the network is no
#   better than always guessing the typical rating. A weight's gradient grows with the input it reads, so
#   the weights that read total sulfur dioxide (values in the tens) get gradients hundreds of
#   times bigger than the ones that read chlorides, and no single learning rate suits both.
# * **With batchnorm** (right) the curves fall smoothly and end well below the line. The only
#   change is one layer that rescales the inputs.
#
# This is one seed, but the picture is not luck. We reran both networks with seeds 0, 1 and 2,
# on both the TensorFlow and the JAX backend of Keras: without batchnorm, the best validation
# MAE was 0.59 to 0.71 and the last epoch 0.71 to 1.62 rating points (the dashed line is at
# 0.66); with batchnorm, 0.46 to 0.48 for both. Change
# the seed in the two cells above and see for yourself (each run takes several seconds).
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
# In the exercise you add dropout to the concrete-strength network of exercise 4 and see what
# it costs, watch plain SGD fail on unscaled data, and rescue it with batch normalization. In the lab you switch
# dropout and batchnorm on and off for the same network and watch the gap between the
# learning curves. Both are linked in the navigation bar.

# %% [markdown]
# ## Further reading
#
# * N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever, R. Salakhutdinov, "Dropout: a
#   simple way to prevent neural networks from overfitting", *Journal of Machine Learning
#   Research* 15(56):1929-1958, 2014,
#   [jmlr.org/papers/v15/srivastava14a.html](https://jmlr.org/papers/v15/srivastava14a.html):
#   the dropout paper, with the committee-of-thinned-networks view and the advice to widen
#   a network when adding dropout.
# * S. Ioffe, C. Szegedy, "Batch normalization: accelerating deep network training by
#   reducing internal covariate shift", 2015,
#   [arXiv:1502.03167](https://arxiv.org/abs/1502.03167): the batch normalization paper.
# * Keras API reference: the [Dropout layer](https://keras.io/api/layers/regularization_layers/dropout/)
#   and the [BatchNormalization layer](https://keras.io/api/layers/normalization_layers/batch_normalization/)
#   (its `momentum` and `epsilon` are the running-average speed and the small constant of
#   this lesson).
# * The red wine data: P. Cortez et al., *Decision Support Systems* 47(4), 2009,
#   [doi:10.1016/j.dss.2009.05.016](https://doi.org/10.1016/j.dss.2009.05.016).
