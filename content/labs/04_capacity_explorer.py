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
# # Lab 4: Capacity and early stopping
#
# Lesson 4 said that a network can be too small for its task (it **underfits**) or learn its
# training data too well (it **overfits**), and that **early stopping** ends training when the
# validation loss stops improving. In this lab you train networks of different sizes on the
# red wine data yourself and read those stories off the learning curves.
#
# **In this lab you will**
#
# * recognize underfitting and overfitting in a pair of learning curves;
# * see how width, depth and training time change a network's capacity;
# * watch where early stopping halts and which epoch's weights it keeps;
# * draw live learning curves in your own training with `LiveLearningCurves`.

# %%
import keras
from keras import layers

from helpers import data, widgets

keras.utils.set_random_seed(0)

# %% [markdown]
# ## How to read the lab
#
# * Choose the **units per layer** (width), the number of **hidden layers** (depth) and the
#   **maximum number of epochs**, then press **Train**. A run takes a few seconds; the curves
#   grow while it trains.
# * **Blue** is the training MAE, **orange** the validation MAE, on wines the network never
#   trains on. The MAE is in scaled quality units, as in lesson 3: 0.1 means predictions off by
#   half a quality point on average.
# * The **dotted gray line** (about 0.14) is what you get by always guessing the average
#   quality. A network above that line has learned nothing useful yet.
# * The **gray dashed curve** is the previous run's validation MAE, so two settings can be
#   compared at a glance. The table under the figure lists every run so far.
# * With **early stopping** on, a red dashed line marks the epoch where training halted and a
#   green dotted line the epoch whose weights were put back.
# * Every number in this lab comes from the **validation** wines. A run's "best validation
#   MAE" is the lowest point of its orange curve, an epoch picked by looking at those same
#   wines, so it is a little optimistic. That is fine for comparing settings here, but it is
#   not a final figure for new wines: that needs a test set that no choice was made on
#   (lesson 4 sets one aside).
#
# Every setting is trained with the same random seed, and the lab remembers it: going back to
# a setting shows it again at once instead of retraining.

# %%
lab = widgets.capacity_explorer()
lab

# %% [markdown]
# ## Things to try
#
# 1. **A tiny network.** Train the starting setting: one hidden layer of 2 units for 60
#    epochs. Both curves stay high; the validation MAE ends near 0.25, *worse* than always
#    guessing the average. Is the problem the training data, or the network? Raise the
#    epochs to 100: the MAE improves to about 0.15, still no better than guessing the average
#    and far from what bigger networks reach on the same wines. That comparison is what makes
#    this **underfitting**: training and validation are both poor and close together, *and* a
#    bigger network does better.
# 2. **Add capacity step by step.** Try 1 x 8, then 1 x 32, then 2 x 32 (60 epochs each).
#    At which size does the network clearly beat the dotted line? (With 32 units the
#    validation MAE reaches about 0.10.) Do the two curves stay together?
# 3. **A big network trained long.** Train 3 x 256 for 100 epochs. The training MAE keeps
#    falling, to about 0.075, while the validation MAE bottoms out near 0.090 around epoch 75
#    and then wanders up and down above that. The widening space between the curves is
#    **overfitting**: the network is learning details of the training wines that do not carry
#    over to new ones.
# 4. **Early stopping with little patience.** Keep 3 x 256 and 100 epochs, switch early
#    stopping on with patience 5. Training halts at epoch 18 and restores epoch 13, with a
#    validation MAE near 0.098. Compare that with the best epoch of the full run (the gray
#    dashed curve): did stopping this early cost anything? Why might a noisy validation curve
#    fool a small patience?
# 5. **More patience.** Try patience 10 and 20. With 20, training halts at epoch 60 and
#    restores epoch 40, although the lowest validation MAE came later (about 0.092 at epoch
#    59). The lab's early stopping counts an epoch as progress only if the validation MAE
#    falls by at least 0.001 (`min_delta=0.001`). How does that explain the restored epoch?

# %% [markdown]
# The lab can also be driven from code: set its controls and call `lab.train()`. The figure
# above updates, and the result's numbers are at hand:

# %%
lab.width.value = 32
lab.depth.value = 2
lab.max_epochs.value = 60
run = lab.train()
print(f"{run.label}: best validation MAE {run.best_val_loss:.3f} at epoch {run.best_epoch}, "
      f"final training MAE {run.loss[-1]:.3f}")

# %% [markdown]
# ## Live learning curves in your own training
#
# The lab draws its curves during training with a Keras callback that you can use in any
# notebook: `widgets.LiveLearningCurves()`. Add it to `callbacks` and the figure below the
# cell grows epoch by epoch; it is redrawn only now and then, so it costs training almost no
# time. Here it watches a network trained with early stopping, on the data prepared exactly
# as in lesson 3 (training and validation wines only, so the number it prints is a validation
# figure too). `data.red_wine_split()` runs lesson 3's preparation for you: the 70/30 split
# with `random_state=0`, then min-max scaling with the training split's minimum and maximum.

# %%
X_train, y_train, X_valid, y_valid = data.red_wine_split()

# %%
keras.utils.set_random_seed(0)  # so rerunning this cell gives the same curves
model = keras.Sequential([
    keras.Input(shape=(11,)),
    layers.Dense(128, activation="relu"),
    layers.Dense(128, activation="relu"),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mae")
early_stopping = keras.callbacks.EarlyStopping(patience=5, min_delta=0.001, restore_best_weights=True)
history = model.fit(
    X_train, y_train,
    validation_data=(X_valid, y_valid),
    batch_size=256,
    epochs=40,
    callbacks=[widgets.LiveLearningCurves(), early_stopping],
    verbose=0,
)
epochs_run = len(history.history["loss"])
kept_mae = model.evaluate(X_valid, y_valid, verbose=0)  # the restored weights, the model we hold
print(f"trained {epochs_run} epochs; kept the weights of epoch {early_stopping.best_epoch + 1}, "
      f"validation MAE {kept_mae:.3f}")

# %% [markdown]
# The dot and the dotted line mark the epoch with the lowest validation MAE. Try
# `LiveLearningCurves(metrics=("loss", "mae"))` with a model compiled with `metrics=["mae"]`
# to get one panel per metric.

# %% [markdown]
# ## Takeaways
#
# * **Underfitting:** both curves stay high and close together. If a bigger network or longer
#   training does better on the same data, as it does here, the small network lacked
#   capacity. If nothing does better, the features may simply carry little signal.
# * **Overfitting:** the training curve keeps falling while the validation curve flattens or
#   rises. In this lab's runs the space between them grew with capacity and with training
#   time (one seed per setting, so small differences between runs can be chance).
# * **Early stopping** watches the validation loss and halts after `patience` epochs without
#   an improvement of at least `min_delta`; `restore_best_weights=True` puts back the best
#   weights it saw when training ends. Too little patience can stop on a noisy bump (here
#   patience 5 kept epoch 13, patience 20 kept epoch 40 with a lower validation MAE); too much
#   spends epochs for nothing.
# * The lab's numbers are validation numbers, used to choose; a final figure comes from a test
#   set.
# * `widgets.LiveLearningCurves()` in `callbacks` lets you watch any training as it happens.
