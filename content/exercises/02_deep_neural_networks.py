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
# * build a deep network and decide what its **output layer** must look like;
# * write the same network with its activations as separate layers;
# * see why a deep network needs activation functions, and explain it;
# * take on an **open challenge**: design a network that predicts the strength of mixtures it
#   has never seen better than a stated target.
#
# As before: replace every `____` with your answer, run the cell, then run the check below it.
# Stuck? `qN.hint()` gives a first nudge, `qN.hint(2)` a more concrete one, and `qN.solution()`
# a worked answer.

# %%
import keras
from sklearn.model_selection import train_test_split

from helpers import data
from helpers.exercises import ____
from helpers.exercises.exercise2 import (
    q1,
    q2,
    q3,
    q4,
    q5,
    q6,
    show_stacked_networks,
    train_on_mixtures,
)

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

# %%
### BLANK
X = ____
input_shape = ____
### SOLUTION
X = concrete.drop(columns="CompressiveStrength")
input_shape = X.shape[1:]
input_shape
### END

# %%
q1.check(X, input_shape)

# %%
# q1.hint()       # uncomment one line and run the cell; then q1.hint(2) for the next hint
# q1.solution()

# %% [markdown]
# ## Question 2: a deep network
#
# Build a model with three **hidden** layers, each `Dense` with 512 units and the ReLU
# activation, followed by an **output** layer. The output layer is your decision: how many
# units does it need to predict one mixture's strength, and should it have an activation?
# Strengths in this data run from about 2 to 83 MPa. The check explains what each choice would
# do to the predictions.
#
# Each `____` in the list below is one layer (the first is the input shape).

# %% tags=["raises-exception"]
### BLANK
model = ____  # the check below reports "not attempted" until the lines below work
### END
model = keras.Sequential([
### BLANK
    keras.Input(shape=____),
    ____,
    ____,
    ____,
    ____,
### SOLUTION
    keras.Input(shape=(8,)),
    keras.layers.Dense(512, activation="relu"),
    keras.layers.Dense(512, activation="relu"),
    keras.layers.Dense(512, activation="relu"),
    keras.layers.Dense(1),
### END
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

# %%
### BLANK
model_separate = ____
### SOLUTION
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
### END

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

# %%
### BLANK
activation = ____
### SOLUTION
activation = "relu"
### END

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

# %%
### BLANK
# Your answer, in your own words, between the quotes:
### END
answer = """
### BLANK
____
### SOLUTION
Without activations every layer computes a linear function of its inputs, and a linear
function of a linear function is still linear, so the whole stack is one straight line.
An activation such as ReLU bends each unit's output, and adding up bent pieces lets the
network follow curves.
### END
"""
q5.check(answer)

# %%
# q5.hint()

# %% [markdown]
# ## Open challenge: predict the strength of new mixtures
#
# Lesson 3 explains how a network learns. Until then the helper
# `train_on_mixtures(model, X_train, y_train)` trains any model for you (Adam, the mean absolute
# error, 40 epochs). It also rescales the recipe columns and the strength inside, so that the
# kilograms of gravel (around 1000 per cubic meter) do not drown out the superplasticizer (a
# few kilograms): you pass raw data in and get strengths in MPa out.
#
# **Your challenge:** design a network (any depth, any width, any activations), train it with
# `train_on_mixtures`, and get its **mean absolute error on the test mixtures down to 5.5 MPa or
# less**. Always guessing the median strength is off by about 12.9 MPa.
#
# The split below sets a random quarter of the mixtures (258) aside as the **test set**: no
# model trains on them and you do not look at them while you try ideas, so the final score is an
# honest estimate of how your network does on new recipes. The other 772 mixtures are for
# training; `train_on_mixtures` keeps the last fifth of them apart as a **validation set** and
# prints the error on it. Compare your ideas on that validation error and check on the test set
# only once, at the end.

# %% tags=["raises-exception"]
X_train = X_test = y_train = y_test = ____  # until X from question 1 is ready
X_train, X_test, y_train, y_test = train_test_split(
    X, concrete["CompressiveStrength"], test_size=0.25, random_state=0
)
print(len(X_train), "training mixtures,", len(X_test), "test mixtures")

# %% [markdown]
# Build your network in the first cell and train it in the second; run both again for each
# new idea (the first cell gives fresh weights). A single linear unit is a good first try, to
# see what you must beat.

# %%
### BLANK
challenge_model = ____
### SOLUTION
keras.utils.set_random_seed(0)
challenge_model = keras.Sequential([
    keras.Input(shape=(8,)),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(64, activation="relu"),
    keras.layers.Dense(1),
])
### END

# %% tags=["raises-exception"]
trained = ____  # the check below reports "not attempted" until your model is ready
trained = train_on_mixtures(challenge_model, X_train, y_train)

# %%
q6.check(trained, X_test, y_test)

# %%
# q6.hint()
# q6.solution()

# %% [markdown]
# Is the target fair? The check's table shows the range our reference solution (the worked
# answer) reached when trained from seeds 0, 1 and 2. The course's own tests train it again
# from those seeds whenever the course changes, so the target is known to be within reach on
# every seed, not just after one lucky run.

