# ---
# jupyter:
#   course:
#     you_will: "(one line for the README's lesson table: what the learner does in this lesson)"
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
# # ${number}. ${title}
#
# **In this lesson you will learn**
#
# * (the first learning goal of this lesson: replace this line);
# * how a small network compares, over several seeds, with the simplest possible guess.

# %%
import keras
import numpy as np

from helpers import data, outcomes

keras.utils.set_random_seed(0)

# %% [markdown]
# ## A small example
#
# (Replace this example with the lesson's own.) A small network predicts the quality of red
# wines from their chemistry. The features are scaled to 0-1 with the minimum and maximum of
# the training wines, and 30% of the wines are kept aside to test the network.

# %%
red_wine = data.load_red_wine()
X = red_wine.drop(columns="quality").to_numpy(dtype="float32")
y = red_wine["quality"].to_numpy(dtype="float32")

order = np.random.default_rng(0).permutation(len(X))
n_train = int(0.7 * len(X))
train, test = order[:n_train], order[n_train:]
low, high = X[train].min(axis=0), X[train].max(axis=0)
X_train, X_test = (X[train] - low) / (high - low), (X[test] - low) / (high - low)
y_train, y_test = y[train], y[test]
X_train.shape, X_test.shape

# %% [markdown]
# One seed could be luck, so the network is trained from three seeds.

# %%
def train_and_test(seed):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([
        keras.Input(shape=(X.shape[1],)),
        keras.layers.Dense(32, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="mae")
    model.fit(X_train, y_train, epochs=15, batch_size=64, verbose=0)
    return float(model.evaluate(X_test, y_test, verbose=0))


test_mae_by_seed = {seed: train_and_test(seed) for seed in range(3)}
test_mae_by_seed

# %% [markdown]
# ## What this lesson showed
#
# The network's test error, on every seed, against always predicting the median quality of
# the training wines.

# %% tags=["learning-outcome"]
baseline_mae = float(np.mean(np.abs(y_test - np.median(y_train))))
outcomes.check_outcome("test MAE", test_mae_by_seed, at_most=0.60,
                       baseline=baseline_mae, baseline_name="always predicting the median quality")
