# ---
# jupyter:
#   course:
#     you_will: "train with a loss and an optimizer; tune learning rate and batch size"
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
# # 3. Stochastic gradient descent
#
# **In this lesson you will learn**
#
# * how a **loss function** measures a network's mistakes (MAE, MSE and Huber);
# * how an **optimizer** uses the loss to improve the weights, one **minibatch** at a time;
# * what an **epoch**, the **learning rate** and the **batch size** are, and how they change
#   training;
# * why the learning rate and the batch size must be tuned together;
# * how to `compile` and `fit` a Keras model, and read its learning curve (with the course's
#   helper or with pandas);
# * how to train a deep network that rates red wines.

# %%
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from keras import layers

from helpers import data, outcomes, plots

keras.utils.set_random_seed(0)

# %% [markdown]
# ## What training needs
#
# The networks of lessons 1 and 2 had random weights, so their predictions were random too.
# **Training** a network means adjusting its weights until its predictions match the data.
# For that we need three things:
#
# 1. **training data**: examples whose inputs *and* correct answers (targets) we know;
# 2. a **loss function** that says how wrong the network's predictions are;
# 3. an **optimizer** that says how to change the weights to make the loss smaller.

# %% [markdown]
# ## The loss function
#
# For regression, a simple loss is the **mean absolute error (MAE)**. For each example take
# the distance between the target and the prediction, `abs(y_true - y_pred)`, and average the
# distances over all examples. A perfect model has an MAE of 0; an MAE of 2 means the
# predictions are off by 2 on average.
#
# Let us compute it by hand for four made-up predictions, and then with Keras:

# %%
y_true = np.array([3.0, 5.0, 2.5, 7.0])
y_pred = np.array([2.5, 5.0, 4.0, 8.0])

mae_by_hand = np.mean(np.abs(y_true - y_pred))
mae_by_keras = float(keras.losses.MeanAbsoluteError()(y_true, y_pred))
print(f"MAE by hand: {mae_by_hand:.3f}   MAE by Keras: {mae_by_keras:.3f}")

# %% [markdown]
# The errors are 0.5, 0, 1.5 and 1, so the average is 0.75.
#
# Two other regression losses are common:
#
# * the **mean squared error (MSE)** squares each error, so large mistakes count much more
#   than small ones;
# * the **Huber** loss is like MSE for small errors and like MAE for large ones, so a few
#   wild outliers do not dominate training.
#
# Here is how much each loss charges for a single error:

# %%
plots.show(plots.plot_loss_functions(),
           alt="Three panels of loss against error from -3 to 3. MAE is a V shape; MSE is a "
               "parabola that quickly leaves the panel; Huber is a rounded V, curved "
               "between -1 and 1 and straight outside.")

# %% [markdown]
# ## The optimizer: stochastic gradient descent
#
# The loss tells us how bad the weights are. To improve them, the optimizer works out, for
# every weight, whether nudging it up or down lowers the loss, and by how much. Together these
# slopes are the **gradient** of the loss. Moving all weights a small step *against* the
# gradient is **gradient descent**: walking downhill on the loss.
#
# Computing the loss over the whole dataset for every step would be slow. Instead, training
# repeats these steps:
#
# 1. pick a small random sample of training examples: a **minibatch** (or just *batch*);
# 2. run the network on it and measure the loss;
# 3. compute the gradient and move the weights a small step downhill.
#
# Because every step uses a random minibatch, the method is called **stochastic gradient
# descent** (SGD): *stochastic* means "decided by chance". One full pass through the training
# data is an **epoch**; the number of epochs says how many times the network sees each
# example.

# %% [markdown]
# ### Watching SGD fit a line
#
# The loop is short enough to write ourselves. Below, a linear unit `y = w * x + b` learns from
# 200 made-up points scattered around the line `y = 2x + 1`. We use the squared error here
# because its gradient is two short formulas; the idea is the same for any loss.

# %%
rng = np.random.default_rng(0)
x = rng.uniform(-1, 1, size=200)
y = 2.0 * x + 1.0 + rng.normal(0, 0.3, size=200)


def train_line(x, y, learning_rate, batch_size, epochs, seed=0):
    """Fit y = w * x + b by minibatch SGD on the squared error.

    Returns the (w, b) after every step and the loss on all data after every epoch.
    """
    shuffler = np.random.default_rng(seed)
    w, b = 0.0, 0.0
    steps = [(w, b)]
    losses = [np.mean((w * x + b - y) ** 2)]
    for epoch in range(epochs):
        order = shuffler.permutation(len(x))  # a new random order each epoch
        for start in range(0, len(x), batch_size):
            batch = order[start:start + batch_size]
            error = (w * x[batch] + b) - y[batch]
            # The slopes of the mean squared error with respect to w and to b:
            gradient_w = 2 * np.mean(error * x[batch])
            gradient_b = 2 * np.mean(error)
            w -= learning_rate * gradient_w
            b -= learning_rate * gradient_b
            steps.append((w, b))
        losses.append(np.mean((w * x + b - y) ** 2))
    return np.array(steps), np.array(losses)


steps, losses = train_line(x, y, learning_rate=0.1, batch_size=20, epochs=5)
w_final, b_final = steps[-1]
print(f"{len(steps) - 1} steps (10 minibatches per epoch × 5 epochs)")
print(f"learned line: y = {w_final:.2f} x + {b_final:.2f}")

# %% [markdown]
# Fifty small steps found a line close to the true one. Here is where the line was after
# some of those steps, and the loss after each epoch:

# %%
fig, (line_ax, loss_ax) = plt.subplots(1, 2, figsize=(12, 4.2))
line_ax.scatter(x, y, color="0.7", s=12, label="data")
x_line = np.array([-1.0, 1.0])
shown_steps = [0, 2, 5, 10, 50]
line_colors = [plots.PALETTE[name] for name in ["sky_blue", "orange", "vermillion", "reddish_purple", "blue"]]
for step, color in zip(shown_steps, line_colors):
    w_step, b_step = steps[step]
    line_ax.plot(x_line, w_step * x_line + b_step, color=color, label=f"after {step} steps")
line_ax.set_xlabel("x")
line_ax.set_ylabel("y")
line_ax.set_title("The line after more and more steps")
line_ax.legend(loc="upper left")

loss_ax.plot(np.arange(len(losses)), losses, marker="o")
loss_ax.set_xticks(range(len(losses)))
loss_ax.set_xlabel("epoch")
loss_ax.set_ylabel("mean squared error (all data)")
loss_ax.set_title("The loss falls as SGD takes steps")
fig.tight_layout()
plots.show(fig, alt="Left: gray data points around a rising line, with fitted lines that "
           "start flat at zero and tilt towards the data over 0, 2, 5, 10 and 50 steps. "
           "Right: the loss falls steeply over the first epoch and then levels off near 0.1.")

# %% [markdown]
# ## Learning rate and batch size
#
# Two settings control the steps:
#
# * The **learning rate** scales each step. Too small and training crawls; too large and the
#   weights overshoot the bottom of the valley and bounce around, or fly off entirely.
# * The **batch size** is the number of examples per minibatch. Small batches give many quick
#   but noisy steps per epoch; large batches give fewer, steadier steps.
#
# Our little trainer makes both easy to see. Each curve is a full training run of 20 epochs:

# %%
fig, (rate_ax, batch_ax) = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
for rate in [0.02, 0.2, 1.0]:
    _, rate_losses = train_line(x, y, learning_rate=rate, batch_size=20, epochs=20)
    rate_ax.plot(rate_losses, marker="o", markersize=3, label=f"learning rate {rate:g}")
for size in [1, 20, 200]:
    _, size_losses = train_line(x, y, learning_rate=0.1, batch_size=size, epochs=20)
    batch_ax.plot(size_losses, marker="o", markersize=3, label=f"batch size {size}")
rate_ax.set_title("Learning rate (batch size 20)")
batch_ax.set_title("Batch size (learning rate 0.1)")
for ax in (rate_ax, batch_ax):
    ax.set_yscale("log")
    ax.set_xticks(range(0, 21, 5))
    ax.set_xlabel("epoch")
    ax.legend()
rate_ax.set_ylabel("mean squared error (log scale)")
fig.tight_layout()
plots.show(fig, alt="Two panels of loss against epoch on a log scale. Left: learning rate "
           "0.02 falls slowly, 0.2 drops to the floor within one epoch, 1.0 jumps up and "
           "down far above the floor. Right: batch size 1 reaches the floor after one epoch, "
           "batch size 20 after a few epochs, batch size 200 is still falling after 20.")

# %% [markdown]
# * With learning rate 0.02 the loss is still falling after 20 epochs; 0.2 reaches the bottom
#   almost at once; 1.0 overshoots and the loss jumps up and down.
# * Batch size 1 takes 200 steps per epoch, so it gets close in one epoch; batch size 200 (the
#   whole dataset) takes a single step per epoch and needs many epochs.
#
# With real networks, a batch of a few dozen to a few hundred examples is the usual
# compromise: steady enough, and fast on modern hardware.

# %% [markdown]
# ### The two settings work together
#
# The learning rate and the batch size are not two separate knobs. The best learning rate
# depends on the batch size: small batches give noisy gradients, and a large step along a
# noisy gradient throws the weights around; large batches give steadier gradients but fewer
# steps per epoch, so each step may need to be bigger.
#
# To see it, we train the line with every pair from a small grid of learning rates and batch
# sizes, each for the same budget of 3 epochs, and record the final loss. We repeat the grid
# with three shuffling seeds. A run whose loss explodes is marked as diverged.

# %%
LEARNING_RATES = [0.01, 0.03, 0.1, 0.3, 0.9]
BATCH_SIZES = [1, 10, 50, 200]


def final_loss(learning_rate, batch_size, seed):
    """The loss on all points after 3 epochs, or infinity if training blew up."""
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run overflows: expected
        _, run_losses = train_line(x, y, learning_rate, batch_size, epochs=3, seed=seed)
    return run_losses[-1] if np.isfinite(run_losses[-1]) and run_losses[-1] < 1e6 else np.inf


start = time.perf_counter()
grids = {
    seed: pd.DataFrame([[final_loss(rate, size, seed) for rate in LEARNING_RATES] for size in BATCH_SIZES],
                       index=pd.Index(BATCH_SIZES, name="batch size"),
                       columns=pd.Index(LEARNING_RATES, name="learning rate"))
    for seed in [0, 1, 2]
}
print(f"{3 * len(LEARNING_RATES) * len(BATCH_SIZES)} training runs in {time.perf_counter() - start:.1f} s")
grids[0].round(3)

# %% [markdown]
# The table holds seed 0's final losses (`inf`: diverged). A picture of the same grid, with
# the best learning rate of each batch size framed:

# %%
grid = grids[0]
shown = np.log10(grid.replace(np.inf, np.nan).to_numpy())
fig, ax = plt.subplots(figsize=(7.5, 4.2))
image = ax.imshow(shown, cmap="viridis_r", aspect="auto")
for row, size in enumerate(BATCH_SIZES):
    best_column = int(np.argmin(grid.loc[size].to_numpy()))
    for column, rate in enumerate(LEARNING_RATES):
        value = grid.loc[size, rate]
        ax.text(column, row, "diverged" if np.isinf(value) else f"{value:.2f}", ha="center",
                va="center", fontsize=9, color="black" if np.isinf(value) or value < 0.5 else "white")
    ax.add_patch(plt.Rectangle((best_column - 0.5, row - 0.5), 1, 1, fill=False,
                               edgecolor=plots.PALETTE["vermillion"], linewidth=3))
ax.set_xticks(range(len(LEARNING_RATES)), [f"{rate:g}" for rate in LEARNING_RATES])
ax.set_yticks(range(len(BATCH_SIZES)), [str(size) for size in BATCH_SIZES])
ax.set_xlabel("learning rate")
ax.set_ylabel("batch size")
ax.grid(False)
ax.set_title("Final loss after 3 epochs (seed 0)")
fig.colorbar(image, ax=ax, label="log10 of the final loss (lower is better)")
plots.show(fig, alt="A grid of final losses, batch sizes 1, 10, 50 and 200 in rows and "
           "learning rates 0.01 to 0.9 in columns, with the best cell of each row framed. "
           "For batch size 1 the best learning rate is small, 0.01, and 0.9 diverges; for "
           "batch sizes 50 and 200 the best learning rate is large, 0.3, and small learning "
           "rates leave the loss high.")

# %% [markdown]
# Read the grid row by row. With batch size 1 (200 steps per epoch) the small learning rates
# all reach the floor of about 0.09, which is the noise in the data that no line can explain,
# and 0.9 blows up. With batch size 200 (one step per epoch) a learning rate of 0.01 has
# barely moved the line in 3 epochs, the best rate is 0.3, and 0.9 trains without trouble.
# The framed best cell moves to the right as the batch grows: a learning rate that is best
# for one batch size can be useless, or explode, with another. Change the batch size, and
# expect to tune the learning rate again.
#
# The next cell checks these two findings for all three seeds, and that the best run beats
# the simplest possible "model", a flat line at the mean of y.

# %% tags=["learning-outcome"]
best_rate = {seed: {size: grids[seed].loc[size].idxmin() for size in BATCH_SIZES} for seed in grids}
for seed in grids:
    assert best_rate[seed][1] < best_rate[seed][200], (
        f"Seed {seed}: the best learning rate for batch size 1 should be smaller than for batch "
        "size 200. Run the notebook again from the top."
    )
    assert np.isinf(grids[seed].loc[1, 0.9]) and np.isfinite(grids[seed].loc[200, 0.9]), (
        f"Seed {seed}: learning rate 0.9 should diverge with batch size 1 but not with batch size 200."
    )
print("best learning rate per batch size, seeds 0, 1, 2:",
      {size: sorted({float(best_rate[seed][size]) for seed in grids}) for size in BATCH_SIZES})
mean_line_loss = np.mean((y - y.mean()) ** 2)
outcomes.check_outcome(
    "lowest final loss in the grid", pd.Series({seed: grids[seed].min().min() for seed in grids}),
    at_most=0.15, baseline=mean_line_loss, baseline_name="a flat line at the mean of y",
)

# %% [markdown]
# ## Adam: an optimizer that adapts its steps
#
# Nearly every optimizer used in deep learning is a variant of SGD: they all take minibatch
# steps against the gradient, and differ in how they turn the gradients into a step. Some
# keep a running average of past gradients (*momentum*), so the steps build up speed in a
# steady direction; others give each weight its own step size. The Keras
# [optimizers reference](https://keras.io/api/optimizers/) lists SGD, RMSprop, Adam, AdamW and
# more.
#
# Choosing a learning rate by trial and error is tedious. **Adam** is a variant of SGD that
# adapts the step size of every weight as training goes, based on the gradients it has seen.
# It still has a learning rate (0.001 unless you choose another), and that setting still
# matters: too large and training becomes unstable, too small and it crawls. Its default
# often works without any tuning, which makes Adam a common first choice and the optimizer
# most networks in this course use.

# %% [markdown]
# ## Adding the loss and optimizer in Keras
#
# A Keras model learns its loss and optimizer in `compile`. Strings name the usual ones:
#
# ```python
# model.compile(optimizer="adam", loss="mae")
# ```
#
# If you want to change a setting, pass an object instead, for example
# `keras.optimizers.Adam(learning_rate=0.001)` or `keras.losses.Huber(delta=1.0)`.

# %% [markdown]
# ## Example: rating red wines
#
# Now a real problem. The *Red Wine Quality* dataset describes about 1600 Portuguese red wines
# by 11 physical and chemical measurements, together with a quality rating from tasters.
# Can a network predict the rating from the measurements?

# %%
red_wine = data.load_red_wine()
red_wine.head(4)

# %% [markdown]
# We keep 70% of the wines for training and hold out the rest as a **validation** set: wines
# the network never trains on, which show how well it does on new data.

# %%
df_train = red_wine.sample(frac=0.7, random_state=0)
df_valid = red_wine.drop(df_train.index)
print(f"{len(df_train)} training wines, {len(df_valid)} validation wines")

# %% [markdown]
# The measurements have very different ranges: total sulfur dioxide goes up to about 290,
# while chlorides stay below 1. In the weighted sums of an untrained network, a column in the
# hundreds would drown out the others. The usual remedy, which we follow here, is to give all
# inputs similar sizes: we rescale every column to the range 0 to 1 (**min-max scaling**).
#
# The minimum and maximum come from the *training* split only, and the same numbers are then
# applied to both splits: the validation wines must be treated like new wines we have not
# seen.

# %%
max_ = df_train.max(axis=0)
min_ = df_train.min(axis=0)
df_train = (df_train - min_) / (max_ - min_)
df_valid = (df_valid - min_) / (max_ - min_)

# %% [markdown]
# Note that this also rescales the target column, 'quality', because it is part of the same
# table. Ratings in the training split run from 3 to 8, so a rating now becomes
# `(quality - 3) / 5` and an MAE of 0.1 means predictions off by half a rating point
# (0.1 × 5) on average. Keeping the target scaled like this makes our MAE figures comparable
# with those Kaggle Learn's *Intro to Deep Learning* reports for this example, which this
# lesson follows.

# %%
print(f"quality scaled with min {min_['quality']} and max {max_['quality']}")

# %% [markdown]
# Now split each table into the inputs `X` (the 11 measurements) and the target `y`:

# %%
X_train = df_train.drop("quality", axis=1)
X_valid = df_valid.drop("quality", axis=1)
y_train = df_train["quality"]
y_valid = df_valid["quality"]

print(X_train.shape)

# %% [markdown]
# 1119 training examples with 11 inputs each, so the network takes `shape=(11,)`. We build a
# network with plenty of capacity: three hidden layers of 512 ReLU units and one linear output
# unit for the rating.

# %%
model = keras.Sequential([
    keras.Input(shape=(11,)),
    layers.Dense(512, activation="relu"),
    layers.Dense(512, activation="relu"),
    layers.Dense(512, activation="relu"),
    layers.Dense(1),
])

# %% [markdown]
# That is 1,536 hidden units. How many weights and biases is that?

# %%
print(f"{model.count_params():,} parameters")

# %% [markdown]
# Over half a million parameters to learn from 1119 wines: plenty of room to learn the
# patterns, and perhaps to memorize the wines themselves. Lesson 4 looks at that risk.
#
# Adam and MAE are set in `compile`:

# %%
model.compile(optimizer="adam", loss="mae")

# %% [markdown]
# And now training. `fit` takes the training data, the validation data to check after every
# epoch, the batch size, and the number of epochs. With 1119 wines and batches of 256, each
# epoch takes 5 steps (the last batch is smaller). `verbose=0` keeps it quiet; we will look at
# the results afterwards. This takes a few seconds.
#
# (Running this cell again continues training the same model. To start from scratch, run the
# cell that builds the model first.)

# %%
start = time.perf_counter()
history = model.fit(
    X_train, y_train,
    validation_data=(X_valid, y_valid),
    batch_size=256,
    epochs=10,
    verbose=0,
)
print(f"trained 10 epochs in {time.perf_counter() - start:.1f} s")

# %% [markdown]
# `fit` returns a `History` object. Its `.history` attribute holds the training loss and the
# validation loss after each epoch. A DataFrame shows them as a table:

# %%
history_df = pd.DataFrame(history.history)
history_df.index = history_df.index + 1  # number epochs from 1
history_df.index.name = "epoch"
history_df.round(4)

# %% [markdown]
# pandas can draw such a table directly: `pd.DataFrame(history.history).plot()` gives one
# line per column, a handy idiom you will see in many tutorials. The first epochs' losses are
# often much larger than the rest and squash the interesting part of the picture, so it
# helps to start from a later epoch with `.loc`. Our table numbers the epochs from 1, so
# `.loc[5:]` keeps epoch 5 onwards:

# %%
ax = history_df.loc[5:, ["loss", "val_loss"]].plot(marker="o", figsize=(6, 3.6))
ax.set_ylabel("MAE")
ax.set_title("From epoch 5 on, drawn by pandas")
plots.show(ax.figure, alt="Two lines, loss and val_loss, over epochs 5 to 10, both close to "
           "0.1 and only gently falling, so their small differences are visible.")

# %% [markdown]
# The course's own helper draws the same numbers, adds axis labels, numbers the epochs from
# 1, and marks the epoch with the best validation loss. This is a **learning curve**, the
# loss after each epoch:

# %%
plots.show(plots.plot_learning_curves(history, title="Red wine: MAE during training"),
           alt="Learning curves over 10 epochs: training MAE starts high, near 0.3, and falls "
               "to about 0.10; validation MAE falls from about 0.14 to about 0.10, with the "
               "best epoch marked near the end.")

# %% [markdown]
# Both curves fall quickly during the first epochs and then flatten out. The validation MAE
# ends close to 0.10: on wines it never trained on, the network's ratings are off by about half
# a quality point on average. How long to keep training, and why the two curves can part
# ways, is the topic of lesson 4.
#
# Is 0.10 good? A number means little without a yardstick. The laziest possible "model"
# ignores the measurements and always predicts the median rating of the training wines:

# %%
median_rating = y_train.median()
baseline_mae = (y_valid - median_rating).abs().mean()
print(f"always predicting the median: validation MAE {baseline_mae:.4f}")

# %% [markdown]
# The lazy guess is off by about 0.13 (two thirds of a rating point); the network does clearly
# better, but it is no oracle. The next cell checks that the network beat the lazy guess by a
# clear margin, with a validation MAE of 0.11 or better.

# %% tags=["learning-outcome"]
outcomes.check_outcome(
    "best validation MAE", min(history.history["val_loss"]), at_most=0.11,
    baseline=baseline_mae, baseline_name="always predicting the median",
    advice="Rebuild the model (run the cells from 'model = keras.Sequential' on) and train again.",
)

# %% [markdown]
# ## Your turn
#
# In the exercise you train a network of your own and try different learning rates and batch
# sizes; in the lab you steer SGD yourself and watch it descend. Both are linked in the
# navigation bar at the top and bottom of this page.

# %% [markdown]
# ## Further reading
#
# * Keras guide, [Training & evaluation with the built-in methods](https://keras.io/guides/training_with_built_in_methods/):
#   `compile`, `fit`, validation data and the `History` object.
# * Keras API reference: [losses](https://keras.io/api/losses/) and
#   [optimizers](https://keras.io/api/optimizers/).
# * The idea behind SGD: H. Robbins and S. Monro, "A stochastic approximation method",
#   *The Annals of Mathematical Statistics* 22(3), 1951,
#   [doi:10.1214/aoms/1177729586](https://doi.org/10.1214/aoms/1177729586).
# * Gradients for every weight of a network (backpropagation): D. E. Rumelhart, G. E. Hinton
#   and R. J. Williams, "Learning representations by back-propagating errors", *Nature* 323,
#   1986, [doi:10.1038/323533a0](https://doi.org/10.1038/323533a0).
# * Adam: D. P. Kingma and J. Ba, "Adam: a method for stochastic optimization", 2014,
#   [arXiv:1412.6980](https://arxiv.org/abs/1412.6980).
# * Learning rate and batch size together, at a large scale: P. Goyal et al., "Accurate,
#   large minibatch SGD: training ImageNet in 1 hour", 2017,
#   [arXiv:1706.02677](https://arxiv.org/abs/1706.02677).
# * The red wine data: P. Cortez, A. Cerdeira, F. Almeida, T. Matos and J. Reis, "Modeling
#   wine preferences by data mining from physicochemical properties", *Decision Support
#   Systems* 47(4), 2009, [doi:10.1016/j.dss.2009.05.016](https://doi.org/10.1016/j.dss.2009.05.016);
#   dataset in the UCI Machine Learning Repository,
#   [doi:10.24432/C56S3T](https://doi.org/10.24432/C56S3T).
