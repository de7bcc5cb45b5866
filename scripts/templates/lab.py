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
# # Lab ${number}: ${title}
#
# (Replace this lab with the lesson's own.) Train a small network on the red wine data and
# watch its learning curves as it trains. Change `units` or `learning_rate`, run the cell
# again, and compare the curves.

# %%
import keras

from helpers import data, widgets

keras.utils.set_random_seed(0)

# %%
red_wine = data.load_red_wine()
X = red_wine.drop(columns="quality").to_numpy(dtype="float32")
X = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
y = red_wine["quality"].to_numpy(dtype="float32")

# %%
units = 16
learning_rate = 0.01

keras.utils.set_random_seed(0)
model = keras.Sequential([
    keras.Input(shape=(X.shape[1],)),
    keras.layers.Dense(units, activation="relu"),
    keras.layers.Dense(1),
])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate), loss="mae")
history = model.fit(X, y, validation_split=0.3, epochs=10, batch_size=64, verbose=0,
                    callbacks=[widgets.LiveLearningCurves()])
