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
# # Exercise 1: A single neuron
#
# **In this exercise you will**
#
# * separate a table into the **features** a model reads and the **target** it predicts;
# * work out a model's **input shape** from the data;
# * build a **linear unit** in Keras and read its weight and bias;
# * compute the unit's output by hand, to see there is no magic inside;
# * look at what an **untrained** unit predicts, and explain it.
#
# **How the exercises work.** Each task has a cell containing `____` (four underscores): replace
# every `____` with your answer and run the cell. The cell after it checks your answer:
# ✅ means correct, ❌ comes with a hint about what to change, and 📝 means you have not
# filled in the blank yet. Stuck? Uncomment `q1.hint()` or `q1.solution()` and run it.

# %%
import keras
import numpy as np

from helpers import data, plots
from helpers.exercises import ____
from helpers.exercises.lesson1 import q1, q2, q3, q4, q5

keras.utils.set_random_seed(0)

# %% [markdown]
# ## The red wine data
#
# Each row describes one Portuguese red wine: eleven results from a chemistry lab (acidity,
# sugar, alcohol and so on) and a **quality** score from 0 to 10 that wine tasters gave it.
# Later in the course you will train a network to predict the quality from the chemistry.
# Today you set up the simplest possible model for that job.

# %%
red_wine = data.load_red_wine()
red_wine.head()

# %%
red_wine.shape

# %% [markdown]
# ## Question 1: features and input shape
#
# A model reads the **features** and predicts the **target**. Here the target is the column
# `'quality'`; every other column is a feature.
#
# 1. Make `X`, the table of features: `red_wine` without the `'quality'` column.
# 2. Set `input_shape` to the shape of **one** example (one row of `X`). Keras needs it as a
#    tuple, such as `(3,)` for examples made of three numbers.

# %% tags=["blank"]
X = ____
input_shape = ____

# %% tags=["solution"]
X = red_wine.drop(columns="quality")
input_shape = X.shape[1:]
input_shape

# %%
q1.check(X, input_shape)

# %%
# q1.hint()       # uncomment one line and run the cell
# q1.solution()

# %% [markdown]
# ## Question 2: a linear unit
#
# Build a Keras model with a single neuron and no activation function: a **linear unit**.
# It reads the wine's features and outputs one number. Fill in the input shape and the
# number of units.

# %% tags=["blank", "raises-exception"]
model = ____  # the check below reports "not attempted" until the lines below work
model = keras.Sequential([
    keras.Input(shape=____),
    keras.layers.Dense(units=____),
])

# %% tags=["solution"]
model = keras.Sequential([
    keras.Input(shape=(11,)),
    keras.layers.Dense(units=1),
])

# %%
q2.check(model)

# %%
# q2.hint()
# q2.solution()

# %% [markdown]
# ## Question 3: the weights
#
# Every Keras model keeps its parameters in the list `model.weights`. A `Dense` layer has two:
# the **kernel** (one weight for each input) and the **bias**. Unpack them into `w` and `b`,
# then look at their shapes: can you say why they have those shapes before checking?

# %% tags=["blank"]
w, b = ____, ____

# %% tags=["solution"]
w, b = model.weights
print("kernel shape:", w.shape, " bias shape:", b.shape)

# %%
q3.check(w, b)

# %%
# q3.hint()
# q3.solution()

# %% [markdown]
# ## Question 4: the unit's output, by hand
#
# The unit computes *feature × weight* for each of the 11 features, adds up those products,
# and adds the bias. Do the same with NumPy for the first wine in `X`, and put the result in
# `prediction`. The check compares your number with what Keras computes.
#
# Tip: `X.iloc[0].to_numpy()` gives the first wine's features as an array; `w.numpy()` and
# `b.numpy()` give the weights as arrays; `a @ k` multiplies matching entries and sums them.

# %% tags=["blank"]
prediction = ____

# %% tags=["solution"]
first_wine = X.iloc[0].to_numpy()
prediction = first_wine @ w.numpy() + b.numpy()
print("by hand:", prediction, "  Keras:", model.predict(X.iloc[:1], verbose=0)[0])

# %%
q4.check(prediction, model)

# %%
# q4.hint()
# q4.solution()

# %% [markdown]
# ## Question 5: what does an untrained unit predict?
#
# With eleven inputs the unit is a flat surface in twelve dimensions, which nobody can draw.
# So take a unit with a **single** input, the wine's alcohol content, and draw its line over
# the data. Nobody has trained it yet. Run the cell, then rerun it after changing the seed.

# %%
keras.utils.set_random_seed(1)  # try 2, 3, ...
alcohol_unit = keras.Sequential([keras.Input(shape=(1,)), keras.layers.Dense(units=1)])
w_alcohol, b_alcohol = alcohol_unit.weights
fig = plots.plot_fitted_line(
    red_wine["alcohol"], red_wine["quality"], w_alcohol, b_alcohol,
    xlabel="alcohol (% by volume)", ylabel="quality score",
    title="An untrained linear unit on the red wine data",
)
plots.show(fig, alt="Scatter plot of wine quality (3 to 8) against alcohol (8 to 15 percent). "
           "The untrained unit's line, y = -0.835 x, falls from about -7 to -12 and lies far "
           "below every point.")

# %% [markdown]
# Where does the line come from, and why does it miss the data? Write your answer in a sentence
# or two (or discuss it with a neighbor and note what you agreed), then run the check to
# compare it with ours.

# %% tags=["blank"]
my_answer = ____  # your answer, in quotes

# %% tags=["solution"]
my_answer = (
    "Nobody has trained the unit yet: Keras drew its weight at random and set its bias to 0, "
    "so the slope is chance and has nothing to do with the wines."
)

# %%
q5.check(my_answer)
