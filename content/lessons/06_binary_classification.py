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
# # 6. Binary classification
#
# **In this lesson you will learn**
#
# * how to turn a yes-or-no question into a problem a network can learn, with **class labels**
#   0 and 1;
# * why **accuracy** is the right way to report results but cannot be the loss;
# * how the **cross-entropy** loss and the **sigmoid** activation fit together, and what the
#   **0.5 threshold** does;
# * how to train a classifier of radar signals with early stopping, and check its result
#   against the simplest possible guess;
# * why some training setups depend a lot on the random seed, and how to make one more
#   reliable.

# %%
import time

import keras
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from keras import callbacks, layers

from helpers import data, plots

keras.utils.set_random_seed(0)

# %% [markdown]
# ## Classes instead of numbers
#
# Until now our networks predicted a number: a wine's quality rating. That is **regression**.
# Many questions have yes-or-no answers instead. Will this customer cancel? Is this email spam?
# Is this radar signal worth keeping? Sorting examples into two groups is **binary
# classification**.
#
# The groups are called **classes**. A network works with numbers, so we give each class a
# **label**: 0 for one class, 1 for the other. Usually 1 goes to the class we are looking for
# (the *positive* class), but the choice is ours.

# %% [markdown]
# ## Accuracy, and why it cannot be the loss
#
# The natural way to score a classifier is its **accuracy**: the share of examples it puts
# in the right class. An accuracy of 0.9 means 9 correct answers out of 10. We will report
# accuracy for our classifiers.
#
# But accuracy cannot be the *loss* that SGD minimises. SGD needs to know which way to nudge
# each weight and by how much, and accuracy does not say. A small change to a weight moves
# the network's outputs a little, but an example only changes class when its output crosses
# the dividing line. Until then the accuracy stays exactly the same; when it happens, the
# accuracy jumps. Accuracy is a **staircase**: flat almost everywhere, so the slope SGD
# follows is zero almost everywhere.
#
# Here is that staircase for a tiny example: twelve points on a line, and a one-unit
# classifier whose only adjustable weight is its bias, which slides the dividing point left
# and right.

# %%
# Twelve made-up examples: class 1 tends to have larger x, with some overlap.
x_points = np.array([-2.6, -2.1, -1.7, -1.2, -0.8, -0.3, 0.1, 0.4, 0.9, 1.3, 1.8, 2.4])
labels = np.array([0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1])


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


biases = np.linspace(-6, 6, 601)
# Each bias gives a classifier probability = sigmoid(2 * x + bias).
probabilities = sigmoid(2 * x_points[None, :] + biases[:, None])
accuracy = ((probabilities > 0.5) == labels).mean(axis=1)
cross_entropy = -np.mean(labels * np.log(probabilities) + (1 - labels) * np.log(1 - probabilities),
                         axis=1)

fig, (accuracy_ax, loss_ax) = plt.subplots(1, 2, figsize=(12, 4.2))
accuracy_ax.plot(biases, accuracy, color=plots.PALETTE["bluish_green"])
accuracy_ax.set_ylabel("accuracy")
accuracy_ax.set_title("Accuracy: a staircase")
loss_ax.plot(biases, cross_entropy, color=plots.PALETTE["vermillion"])
loss_ax.set_ylabel("cross-entropy (lower is better)")
loss_ax.set_title("Cross-entropy: a smooth valley")
for ax in (accuracy_ax, loss_ax):
    ax.set_xlabel("the classifier's bias (one weight)")
fig.tight_layout()
plots.show(fig, alt="Two panels against the classifier's bias from -6 to 6. Left: accuracy is "
           "a staircase of flat steps with sudden jumps, highest in the middle. Right: "
           "cross-entropy is a smooth valley whose lowest point lies in the middle too.")

# %% [markdown]
# On the left, most small changes of the bias do not change the accuracy at all: the slope is
# zero, and SGD would not know which way to go. On the right, the **cross-entropy** (next
# section) changes smoothly with every change of the bias, and its slope always points
# towards better settings. Its lowest point lies where the accuracy is high, too.
#
# So we *train* with cross-entropy and *report* accuracy.

# %% [markdown]
# ## Cross-entropy
#
# A classifier should not just say "class 1"; it should say *how sure* it is, as a
# **probability** between 0 and 1. **Cross-entropy** scores a predicted probability against
# the true label:
#
# * if the true label is 1, the loss is `-log(p)`, where `p` is the predicted probability of
#   class 1;
# * if the true label is 0, it is `-log(1 - p)`.
#
# A confident correct answer costs almost nothing; a hesitant one costs a little; a confident
# *wrong* answer costs a lot:

# %%
plots.show(plots.plot_cross_entropy(),
           alt="Binary cross-entropy against the predicted probability of class 1. For true "
               "label 1 the curve falls from very high near 0 to zero at 1; for true label 0 it "
               "is the mirror image, rising steeply towards 1.")

# %% [markdown]
# Because the penalty keeps growing as a wrong prediction becomes more confident, the loss
# always has a slope to follow, pushing every probability towards the right side. Keras calls
# this loss `"binary_crossentropy"`.

# %% [markdown]
# ## Probabilities from the sigmoid
#
# A dense unit can output any number, like 3.2 or -17. To turn that into a probability we
# use the **sigmoid** activation, which squeezes every number into the range 0 to 1:

# %%
fig, ax = plt.subplots(figsize=(6.4, 4))
plots.plot_activation("sigmoid", ax=ax)
ax.axhline(0.5, color=plots.PALETTE["vermillion"], linestyle="--", linewidth=1.5)
ax.text(1.2, 0.55, "above 0.5: class 1", color=plots.PALETTE["vermillion"])
ax.text(-4.8, 0.45, "below 0.5: class 0", color=plots.PALETTE["vermillion"], va="top")
ax.set_ylabel("sigmoid(x): probability of class 1")
ax.set_title("The sigmoid and the 0.5 threshold")
plots.show(fig, alt="The sigmoid curve from -5 to 5, an S-shape rising from near 0 to near 1, "
           "crossing 0.5 at x = 0. A dashed line at 0.5 marks the threshold: above it the "
           "prediction is class 1, below it class 0.")

# %% [markdown]
# Large negative inputs give probabilities close to 0, large positive ones close to 1, and an
# input of 0 gives exactly 0.5.
#
# To get a class from a probability we compare it with a **threshold**, usually 0.5: a
# probability above 0.5 means class 1, otherwise class 0. Keras does exactly this when
# it reports the `"binary_accuracy"` metric.
#
# So a binary classifier ends in **one unit with a sigmoid**, and is compiled with the
# cross-entropy loss.

# %% [markdown]
# ## Example: radar signals from the ionosphere
#
# The *Ionosphere* dataset holds 351 radar signals, sent from Goose Bay, Labrador, into the
# ionosphere, the electrically charged layer of the upper atmosphere. Each signal is described
# by 34 numbers. Experts labelled a signal 'good' when it shows structure in the ionosphere,
# and 'bad' when it passes straight through. Can a network learn to tell them apart?

# %%
ion = data.load_ionosphere()
print(ion.shape)
ion.head(3)

# %% [markdown]
# We give the classes their labels: 0 for 'good' and 1 for 'bad'. Then we split 70/30 as
# before.

# %%
df = ion.copy()
df["Class"] = df["Class"].map({"good": 0, "bad": 1})

df_train = df.sample(frac=0.7, random_state=0)
df_valid = df.drop(df_train.index)
print(f"{len(df_train)} training signals, {len(df_valid)} validation signals")

# %% [markdown]
# Next comes min-max scaling learned on the training split, as for the wines. One column
# needs care: 'V2' is 0 for every signal. Its minimum equals its maximum, so scaling divides
# zero by zero and the whole column becomes "not a number" (NaN):

# %%
max_ = df_train.max(axis=0)
min_ = df_train.min(axis=0)
df_train = (df_train - min_) / (max_ - min_)
df_valid = (df_valid - min_) / (max_ - min_)

print("columns with NaN after scaling:", list(df_train.columns[df_train.isna().any()]))

# %% [markdown]
# A column that never changes tells the network nothing anyway, so we drop every column that
# contains NaN with `dropna(axis=1)`. That leaves 33 inputs.

# %%
df_train = df_train.dropna(axis=1)
df_valid = df_valid.dropna(axis=1)

X_train = df_train.drop("Class", axis=1)
X_valid = df_valid.drop("Class", axis=1)
y_train = df_train["Class"]
y_valid = df_valid["Class"]
print("inputs:", X_train.shape[1])

# %% [markdown]
# ### A yardstick first
#
# Before training anything, let us see how the classes are spread over the validation
# signals:

# %%
print(y_valid.map({0: "good", 1: "bad"}).value_counts())
baseline_accuracy = (y_valid == 0).mean()
print(f"always answering 'good' scores an accuracy of {baseline_accuracy:.4f}")

# %% [markdown]
# Three quarters of the validation signals are 'good'. A "model" that ignores the data and
# always answers 'good' is right about 75% of the time. A classifier is only useful if it
# beats that. Keep this number in mind.

# %% [markdown]
# ### The classifier
#
# A small network: two hidden layers of 4 ReLU units and one sigmoid output unit for the
# probability of 'bad'. We compile it with Adam, the cross-entropy loss, and binary accuracy
# as an extra **metric**: metrics are reported during training but not used for it. We add
# early stopping with a patience of 10 epochs.
#
# The batch size is 512, larger than the whole training set of 246 signals, so every epoch is
# a single gradient step. Hence the generous limit of 1000 epochs.
#
# We set the random seed to 3 in the training cell. Why 3, and not 0 as usual? A later
# section answers that.

# %%
early_stopping = callbacks.EarlyStopping(
    patience=10,
    min_delta=0.001,
    restore_best_weights=True,
)

keras.utils.set_random_seed(3)
model = keras.Sequential([
    keras.Input(shape=(33,)),
    layers.Dense(4, activation="relu"),
    layers.Dense(4, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(
    optimizer="adam",
    loss="binary_crossentropy",
    metrics=["binary_accuracy"],
)

start = time.perf_counter()
history = model.fit(
    X_train, y_train,
    validation_data=(X_valid, y_valid),
    batch_size=512,
    epochs=1000,
    callbacks=[early_stopping],
    verbose=0,
)
print(f"stopped after {len(history.history['loss'])} epochs ({time.perf_counter() - start:.1f} s)")

# %%
fig = plots.plot_learning_curves(history, metrics=("loss", "binary_accuracy"),
                                 title="Ionosphere: 4-4-1 network, batch size 512")
fig.axes[1].axhline(baseline_accuracy, color=plots.PALETTE["black"], linestyle="--",
                    linewidth=1.2, label="always 'good'")
fig.axes[1].legend()
plots.show(fig, alt="Two panels of learning curves over about 45 epochs. Left: training and "
           "validation cross-entropy fall slowly in smooth curves, the validation loss from "
           "about 0.67 to 0.58. Right: binary accuracy; the validation accuracy peaks at about "
           "0.81 after 4 epochs, then slides down to the dashed line of always answering "
           "'good', at 0.75, and stays there.")

history_df = pd.DataFrame(history.history)
print("Best Validation Loss: {:0.4f}".format(history_df["val_loss"].min()))
print("Best Validation Accuracy: {:0.4f}".format(history_df["val_binary_accuracy"].max()))

# %% [markdown]
# The best validation accuracy is about 0.81 and the best cross-entropy about 0.58. The
# published results for this example are 0.7619 and 0.5482: the same ballpark. The next cell
# checks that we reproduce them (an accuracy of at least 0.75 and a loss of at most 0.60).
#
# But look closer, and compare with the yardstick. The validation accuracy peaks after a few
# epochs and then slides back to 0.7524, exactly the score of always answering 'good'. From
# then on the network answers 'good' for every signal. Its loss still improves, because
# moving every probability towards the overall share of 'bad' signals lowers the
# cross-entropy a little without telling any signals apart. The weights early stopping kept
# (those with the lowest validation loss) come from that phase.
#
# The loss curves show why the network learns so little: they fall slowly, in almost straight
# lines, because each epoch is a single small gradient step.

# %% tags=["learning-outcome"]
best_accuracy = history_df["val_binary_accuracy"].max()
best_loss = history_df["val_loss"].min()
assert best_accuracy >= 0.75, (
    f"The best validation accuracy was {best_accuracy:.4f}; the published result is about "
    "0.76 (at least 0.75). Run the cells of this section again from the top, without "
        "changing the seed."
)
assert best_loss <= 0.60, (
    f"The best validation cross-entropy was {best_loss:.4f}; the published result is about "
    "0.55 (at most 0.60). Run the cells of this section again from the top, without "
        "changing the seed."
)
print(f"Reproduced: best validation accuracy {best_accuracy:.4f}, best loss {best_loss:.4f}")

# %% [markdown]
# ## How much does the seed matter?
#
# We picked seed 3 because it reproduces the published figures in a few seconds. Is that
# fair? Let us train the same network with five other seeds.
#
# Some seeds train for hundreds of single-step epochs before early stopping ends them. To keep
# this cell to a few seconds we cap each run at 60 epochs. A run that hits the cap could have
# improved further, so its numbers are a lower bound on what that seed reaches.

# %% [markdown]
# ### A speed tip for many short epochs
#
# The next cells train several networks for many epochs each. With a tiny network, most of
# an epoch's time goes not into the maths but into bookkeeping: when `fit` receives pandas
# or NumPy data, Keras rebuilds its input pipeline at the start of every epoch. Building
# that pipeline once ourselves, with TensorFlow's `tf.data`, makes these fits about three
# times faster. Nothing about the learning changes: the network still sees the training
# examples in a new random order every epoch, in batches.

# %%
import tensorflow as tf


def batches(X, y, batch_size, shuffle):
    """The examples as a ready-made pipeline of (inputs, targets) batches for `fit`."""
    dataset = tf.data.Dataset.from_tensor_slices((X.to_numpy("float32"), y.to_numpy("float32")))
    if shuffle:
        dataset = dataset.shuffle(len(X))  # a new order every epoch, as fit(shuffle=True) does
    return dataset.batch(batch_size)


# %%
def train_small_classifier(seed, max_epochs):
    """Train the 4-4-1 network above from scratch with `seed`; return its History."""
    keras.utils.set_random_seed(seed)
    small = keras.Sequential([
        keras.Input(shape=(33,)),
        layers.Dense(4, activation="relu"),
        layers.Dense(4, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    small.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])
    return small.fit(
        batches(X_train, y_train, batch_size=512, shuffle=True),
        validation_data=batches(X_valid, y_valid, batch_size=512, shuffle=False),
        epochs=max_epochs,
        shuffle=False,  # the pipeline already shuffles
        callbacks=[early_stopping],
        verbose=0,
    )


def summarise(runs):
    """One row per seed: best validation accuracy, best validation loss, epochs trained."""
    return pd.DataFrame({
        "best validation accuracy": {seed: max(run.history["val_binary_accuracy"]) for seed, run in runs.items()},
        "best validation loss": {seed: min(run.history["val_loss"]) for seed, run in runs.items()},
        "epochs trained": {seed: len(run.history["loss"]) for seed, run in runs.items()},
    }).rename_axis("seed")


start = time.perf_counter()
small_runs = {seed: train_small_classifier(seed, max_epochs=60) for seed in [0, 1, 2, 4, 5]}
print(f"trained 5 networks in {time.perf_counter() - start:.1f} s")
small_results = summarise(small_runs)
small_results.round(4)

# %% [markdown]
# The same network, the same data, and different outcomes. Some seeds stop after a dozen or
# two epochs at the yardstick accuracy of 0.75: they learned nothing useful. Others are still
# improving when they hit the cap. Without the cap, we measured best validation accuracies
# from 0.75 to 0.93 over ten seeds, and training times from a second to over a minute.
#
# The reason is the setup. With a batch of 512, each epoch is **one** gradient step. Early
# stopping ends training when 10 steps in a row each fail to improve the validation loss by
# 0.001. Ten tiny steps from a poor starting point can easily fail that test, so whether
# training gets going at all depends on the random starting weights.

# %% [markdown]
# ## Doing better: more steps, a little more width
#
# Two changes make training much more reliable:
#
# * **Smaller batches.** With a batch size of 32, each epoch makes 8 gradient steps instead of
#   one, and the noise of small batches helps the network out of bad starting points. Early
#   stopping now judges progress over 80 steps instead of 10.
# * **A little more width.** Hidden layers of 16 units instead of 4 give the network more
#   room to find a good solution from any starting point. The network is still tiny: 833
#   parameters.
#
# Here it is with seed 0:

# %%
def train_wider_classifier(seed):
    """Train a 16-16-1 network with batches of 32 from scratch with `seed`; return its History."""
    keras.utils.set_random_seed(seed)
    wider = keras.Sequential([
        keras.Input(shape=(33,)),
        layers.Dense(16, activation="relu"),
        layers.Dense(16, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ])
    wider.compile(optimizer="adam", loss="binary_crossentropy", metrics=["binary_accuracy"])
    return wider.fit(
        batches(X_train, y_train, batch_size=32, shuffle=True),
        validation_data=batches(X_valid, y_valid, batch_size=512, shuffle=False),
        epochs=1000,
        shuffle=False,  # the pipeline already shuffles
        callbacks=[early_stopping],
        verbose=0,
    )


start = time.perf_counter()
wider_runs = {0: train_wider_classifier(0)}
print(f"stopped after {len(wider_runs[0].history['loss'])} epochs "
      f"({time.perf_counter() - start:.1f} s)")

# %%
fig = plots.plot_learning_curves(wider_runs[0], metrics=("loss", "binary_accuracy"),
                                 title="Ionosphere: 16-16-1 network, batch size 32")
fig.axes[1].axhline(baseline_accuracy, color=plots.PALETTE["black"], linestyle="--",
                    linewidth=1.2, label="always 'good'")
fig.axes[1].legend(loc="lower right")
plots.show(fig, alt="Two panels of learning curves over roughly 150 epochs. Left: both "
           "cross-entropy curves fall steadily, the validation curve levelling off near 0.2. "
           "Right: validation accuracy climbs from the dashed 'always good' line at 0.75 to "
           "above 0.9.")
print("Best Validation Loss: {:0.4f}".format(min(wider_runs[0].history["val_loss"])))
print("Best Validation Accuracy: {:0.4f}".format(max(wider_runs[0].history["val_binary_accuracy"])))

# %% [markdown]
# The validation accuracy climbs well above the yardstick, to about 0.9: the network now gets
# about nine signals in ten right.
#
# ### From probabilities to classes
#
# The trained network outputs a probability of 'bad' for each signal, and the 0.5 threshold
# turns it into a class. Here are the first eight validation signals:

# %%
wider_model = wider_runs[0].model  # a History remembers the model it trained
probability_bad = wider_model.predict(X_valid.head(8), verbose=0).ravel()
pd.DataFrame({
    "probability of 'bad'": probability_bad.round(3),
    "predicted class": np.where(probability_bad > 0.5, "bad", "good"),
    "true class": y_valid.head(8).map({0: "good", 1: "bad"}).to_numpy(),
})

# %% [markdown]
# Most probabilities are close to 0 or 1: the network is confident, and mostly right. A
# probability near 0.5 would mean "I cannot tell".
#
# ### Is it luck?
#
# Is the 0.9 just seed 0's luck? Two more seeds, one per cell; each takes a few seconds.

# %%
wider_runs[1] = train_wider_classifier(1)
print(f"seed 1: best validation accuracy {max(wider_runs[1].history['val_binary_accuracy']):.4f}")

# %%
wider_runs[2] = train_wider_classifier(2)
print(f"seed 2: best validation accuracy {max(wider_runs[2].history['val_binary_accuracy']):.4f}")

wider_results = summarise(wider_runs)
wider_results.round(4)

# %% [markdown]
# All three seeds land above 0.9. The next cell checks that each reaches at least 0.88.

# %% tags=["learning-outcome"]
assert sorted(wider_runs) == [0, 1, 2], (
    "Train the 16-16-1 network with seeds 0, 1 and 2 first: run the three training cells above."
)
for seed, accuracy_reached in wider_results["best validation accuracy"].items():
    assert accuracy_reached >= 0.88, (
        f"With seed {seed} the 16-16-1 network reached a best validation accuracy of "
        f"{accuracy_reached:.4f}, but it should be about 0.9 (at least 0.88). Run the notebook "
        "again from the top, so that the data preparation and the callback are exactly as above."
    )
print("Every seed reached a validation accuracy of 0.88 or more:",
      ", ".join(f"{value:.4f}" for value in wider_results["best validation accuracy"]))

# %% [markdown]
# Side by side, the best validation accuracy of every run in this lesson:

# %%
fig, ax = plt.subplots(figsize=(8, 4))
ax.scatter(small_results.index, small_results["best validation accuracy"], s=70,
           color=plots.PALETTE["orange"], label="4-4-1, batch 512 (60 epochs at most)")
ax.scatter(wider_results.index, wider_results["best validation accuracy"], s=70, marker="s",
           color=plots.PALETTE["blue"], label="16-16-1, batch 32")
ax.axhline(baseline_accuracy, color=plots.PALETTE["black"], linestyle="--", linewidth=1.2,
           label="always 'good'")
ax.set_xticks(sorted(set(small_results.index) | set(wider_results.index)))
ax.set_xlabel("random seed")
ax.set_ylabel("best validation accuracy")
ax.set_ylim(0.7, 1.0)
ax.set_title("Small batches make training reliable")
ax.legend(loc="upper right")
plots.show(fig, alt="Best validation accuracy against the random seed. The orange dots of the "
           "4-4-1 network with batch size 512 are scattered between the dashed 'always good' "
           "line at 0.75 and about 0.82. The blue squares of the 16-16-1 network with batch "
           "size 32, for seeds 0 to 2, all sit above 0.9.")

# %% [markdown]
# The lesson here reaches beyond this dataset. When a result swings with the random seed, do
# not go seed hunting: give training more gradient steps and the network a little more room.
# And always compare with the simplest possible guess.

# %% [markdown]
# ## Your turn
#
# In the exercise you build a classifier that predicts whether a hotel booking will be
# cancelled, read its loss and accuracy curves, and compare it with the simplest possible
# guess. In the lab you move the decision threshold yourself and watch accuracy and the
# confusion matrix respond. Both are linked in the navigation bar.
