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
# # Exercise 2: Deep neural networks
#
# **In this exercise you will**
#
# * prepare the features of the concrete data and find the input shape;
# * build a deep network: three hidden layers of 512 ReLU units and a linear output;
# * write the same network with its activations as separate layers;
# * see why a deep network needs activation functions, and explain it.
#
# As before: replace every `____` with your answer, run the cell, then run the check below it.
# `qN.hint()` and `qN.solution()` are there if you get stuck.

# %%
import keras

from helpers import data
from helpers.exercises import ____
from helpers.exercises.lesson2 import q1, q2, q3, q4, q5, show_stacked_networks

keras.utils.set_random_seed(0)

# %% [markdown]
# ## The concrete data
#
# Concrete is a mixture of cement, water, gravel (coarse aggregate), sand (fine aggregate)
# and a few additives. Each row of this table is one mixture, tested in a laboratory: how many
# kilograms of each ingredient go into a cubic meter, how many days the sample cured (`Age`),
# and the pressure it withstood before breaking, its **compressive strength** in megapascals.
# A network that predicts strength from the recipe saves weeks of waiting for test results.

# %%
concrete = data.load_concrete()
concrete.head()

# %% [markdown]
# ## Question 1: features and input shape
#
# The target is `'CompressiveStrength'`. Make `X`, the table of the other columns, and set
# `input_shape` to the shape of one mixture.

# %% tags=["blank"]
X = ____
input_shape = ____

# %% tags=["solution"]
X = concrete.drop(columns="CompressiveStrength")
input_shape = X.shape[1:]
input_shape

# %%
q1.check(X, input_shape)

# %%
# q1.hint()       # uncomment one line and run the cell
# q1.solution()

# %% [markdown]
# ## Question 2: a deep network
#
# Build a model with
#
# * three **hidden** layers, each `Dense` with 512 units and the ReLU activation;
# * an **output** layer with one unit and no activation, so it can output any strength.
#
# Each `____` in the list below is one layer (the first is the input shape).

# %% tags=["blank", "raises-exception"]
model = ____  # the check below reports "not attempted" until the lines below work
model = keras.Sequential([
    keras.Input(shape=____),
    ____,
    ____,
    ____,
    ____,
])

# %% tags=["solution"]
model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Dense(512, activation="relu"),
    keras.layers.Dense(512, activation="relu"),
    keras.layers.Dense(512, activation="relu"),
    keras.layers.Dense(1),
])

# %%
q2.check(model)

# %%
# q2.hint()
# q2.solution()

# %% [markdown]
# ## Question 3: activations as layers
#
# Keras also lets you apply an activation in a layer of its own:
# `keras.layers.Dense(512)` followed by `keras.layers.Activation("relu")` computes the same
# as `keras.layers.Dense(512, activation="relu")`. Rebuild the network of question 2 in that
# style, as `model_separate`.

# %% tags=["blank"]
model_separate = ____

# %% tags=["solution"]
model_separate = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Dense(512),
    keras.layers.Activation("relu"),
    keras.layers.Dense(512),
    keras.layers.Activation("relu"),
    keras.layers.Dense(512),
    keras.layers.Activation("relu"),
    keras.layers.Dense(1),
])

# %%
q3.check(model_separate)

# %%
# q3.hint()
# q3.solution()

# %% [markdown]
# ## Question 4: why activations?
#
# Choose an activation for the hidden layers that lets a stack of layers do more than one
# layer could. Write its name as a string, such as `"sigmoid"`. The cell after the blank draws
# three small random networks without any activation next to three that use yours.

# %% tags=["blank"]
activation = ____

# %% tags=["solution"]
activation = "relu"

# %%
show_stacked_networks(activation)

# %%
q4.check(activation)

# %%
# q4.hint()
# q4.solution()

# %% [markdown]
# ## Question 5: explain it
#
# In the left panel every network is a straight line, even with three hidden layers.
# Why? And what changes when the layers have an activation? Write your answer in a sentence or
# two, then run the check to compare it with ours.

# %% tags=["blank"]
my_answer = ____  # your answer, in quotes

# %% tags=["solution"]
my_answer = (
    "Without activations every layer computes a linear function of its inputs, and a linear "
    "function of a linear function is still linear, so the whole stack is one straight line. "
    "An activation such as ReLU bends each unit's output, and adding up bent pieces lets the "
    "network follow curves."
)

# %%
q5.check(my_answer)
