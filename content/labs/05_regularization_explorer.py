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
# # Lab 5: Dropout and batch normalization
#
# Lesson 5 added two special layers to a network: **dropout**, which switches off a random
# share of a layer's units at every training step, and **batch normalization**, which rescales
# a layer's outputs using the statistics of each batch. In this lab you switch them on and off
# for the same network and watch what happens to the learning curves, and especially to the
# **gap** between training and validation.
#
# **In this lab you will**
#
# * measure the gap between the training and validation curves;
# * see how dropout narrows that gap, and what it costs;
# * find out why a training loss can end up *above* the validation loss;
# * see for yourself what lesson 5 measured over three seeds: on the red wine data, batch
#   normalization makes the validation MAE worse, not better.

# %%
import keras
from keras import layers

from helpers import data, widgets

keras.utils.set_random_seed(0)

# %% [markdown]
# ## How to read the lab
#
# * The network is always the same: three hidden layers of 256 ReLU units (twice as wide as
#   in lesson 5's comparison), trained for 60 epochs with Adam and batches of 256 on the red
#   wine data (MAE in scaled quality units, as in lesson 3). Every run uses seed 0, so the
#   numbers below are one seed's; lesson 5 showed how much they move from seed to seed. You
#   choose the
#   **dropout rate** applied after each hidden layer and whether batch normalization follows
#   it, in the order of lesson 5 (`Dense`, `Dropout`, `BatchNormalization`), then press
#   **Train** (a few seconds).
# * **Blue** is the training MAE, **orange** the validation MAE. The space between them is
#   shaded: **red** where validation is worse than training, **blue** where it is better.
# * The **gap** in the title and under the figure is the validation MAE minus the training
#   MAE, averaged over the last 10 epochs. A positive gap means the network does better on
#   the wines it trained on.
# * The dotted gray line (about 0.14) is always guessing the average quality; the gray dashed
#   curve is the previous run's validation MAE; the table lists every run so far.

# %%
lab = widgets.regularization_explorer()
lab

# %% [markdown]
# ## Things to try
#
# 1. **No regularization.** Train with dropout 0 and batch normalization off. The
#    validation MAE reaches about 0.092 while the training MAE keeps falling to about 0.081:
#    a gap of about +0.013, shaded red. This is the overfitting you met in Lab 4.
# 2. **Some dropout.** Train with dropout 0.1, then 0.3. The gap shrinks (to about +0.006 at
#    0.3). Look at *both* curves: did the validation curve come down, or did the training
#    curve go up? Remember that the training curve is recorded with units switched off
#    (lesson 5). What does that tell you about what a smaller gap means here?
# 3. **A lot of dropout.** Try 0.5. The gap is smaller still, but the best validation MAE is
#    worse (about 0.106 instead of 0.092). Within 60 epochs, the network learns more slowly
#    when half of its units are missing at every step. Is a small gap always a good sign?
# 4. **Batch normalization.** Set dropout to 0 and switch batch normalization on. The first
#    epochs start much higher, and the validation curve ends up noisy and worse (best about
#    0.136 instead of 0.092). This is what lesson 5 measured over three seeds with a
#    narrower network. In lesson 5 batch normalization rescued plain SGD on unscaled
#    measurements; here the inputs are already scaled and Adam copes with them, so it has
#    little to fix. Lesson 5 traced the damage to
#    two causes: with only 5 batches per epoch, the running averages used for validation lag
#    behind the changing network, and, even with fresh averages, the network overfits.
# 5. **Both together.** Dropout 0.3 with batch normalization: the gap almost vanishes (about
#    +0.002), yet the best validation MAE is about 0.138, far worse than with neither and
#    about as bad as always guessing the average. Which number would you use to choose
#    between these settings: the gap, or the validation MAE?
#
# One seed per setting is enough to *see* these effects, not to prove them: differences of a
# few thousandths between two runs here can be chance alone. The large batchnorm penalty is
# the one lesson 5 confirmed with three seeds per setting.

# %% [markdown]
# The lab's numbers are available in code too:

# %%
if lab.run is None:
    print("Press Train in the lab above; its gap and best validation MAE will be in lab.gap and lab.best_valid_loss.")
else:
    print(f"{lab.run.label}: gap {lab.gap:+.3f}, best validation MAE {lab.best_valid_loss:.3f}")

# %% [markdown]
# ## Your own network with dropout, trained live
#
# Here is a smaller network with dropout written out layer by layer, trained with
# `widgets.LiveLearningCurves()` so you can watch its curves as it trains. This time the
# training MAE ends *above* the validation MAE (a gap of about -0.013). The training MAE is
# measured while dropout switches units off, and it is a running mean over the epoch while
# the weights are still improving; the validation MAE is measured at the end of the epoch,
# with every unit at work. Why does that make the training MAE look worse than the network
# really is? Change the rate, or add `layers.BatchNormalization()` after a `Dropout` layer,
# and run the cell again. The data is lesson 3's split and scaling, which
# `data.red_wine_split()` prepares.

# %%
X_train, y_train, X_valid, y_valid = data.red_wine_split()

# %%
keras.utils.set_random_seed(0)  # so rerunning this cell gives the same curves
model = keras.Sequential([
    keras.Input(shape=(11,)),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.3),
    layers.Dense(128, activation="relu"),
    layers.Dropout(0.3),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mae")
history = model.fit(
    X_train, y_train,
    validation_data=(X_valid, y_valid),
    batch_size=256,
    epochs=40,
    callbacks=[widgets.LiveLearningCurves()],
    verbose=0,
)
train_mae, valid_mae = history.history["loss"][-1], history.history["val_loss"][-1]
print(f"after 40 epochs: training MAE {train_mae:.3f}, validation MAE {valid_mae:.3f}, "
      f"gap {valid_mae - train_mae:+.3f}")

# %% [markdown]
# ## Takeaways
#
# * The **gap** between the validation and training curves measures how much a network
#   relies on details of its training data.
# * **Dropout** narrows the gap mostly by making training harder: the training curve rises
#   towards the validation curve. Too much dropout slows learning down.
# * With dropout, the training loss is measured on thinned-out networks, and it is a running
#   mean over an epoch (batch normalization adds batch statistics), so it can end up above the
#   validation loss. Compare validation losses to choose between settings.
# * **Batch normalization** is not a free improvement: on the red wine data, with only 5
#   batches per epoch, it made validation noisier and clearly worse (lesson 5, three seeds).
