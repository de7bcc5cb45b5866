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
# * look at what an **untrained** unit predicts, and explain it;
# * take on an **open challenge**: any model you like, trained for you, must predict the quality
#   of wines it has never seen better than a stated target.
#
# **How the exercises work.** Each task has a cell containing `____` (four underscores): replace
# every `____` with your answer and run the cell. The cell after it checks your answer:
# ✅ means correct, ❌ comes with a hint about what to change, and 📝 means you have not
# filled in the blank yet. Stuck? Uncomment `q1.hint()` and run it: the first hint is a nudge,
# `q1.hint(2)` gives the next, more concrete one, and `q1.solution()` shows a worked answer.

# %%
import keras

from sklearn.model_selection import train_test_split

from helpers import data, plots
from helpers.exercises import ____
from helpers.exercises.exercise1 import (
    q1,
    q2,
    q3,
    q4,
    q5,
    q6,
    train_on_wines,
)

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

# %%
### BLANK
X = ____
input_shape = ____
### SOLUTION
X = red_wine.drop(columns="quality")
input_shape = X.shape[1:]
input_shape
### END

# %%
q1.check(X, input_shape)

# %%
# q1.hint()       # uncomment one line and run the cell; then q1.hint(2) for the next hint
# q1.solution()

# %% [markdown]
# ## Question 2: a unit that predicts a score
#
# Build the simplest model for the job: one `Dense` layer that reads a wine's features and
# predicts its quality score. Three decisions are yours:
#
# * the input shape (from question 1);
# * how many **units**: each unit gives one output, so how many numbers should the model give
#   for one wine?
# * which **activation**: `None` (no activation: a *linear* unit), `"relu"`, `"sigmoid"` or
#   `"tanh"`? Quality scores run from 3 to 8, and training will have to reach them.
#
# The check tells you what each wrong choice would do to the predictions.

# %% tags=["raises-exception"]
### BLANK
model = ____  # the check below reports "not attempted" until the lines below work
### END
model = keras.Sequential([
### BLANK
    keras.Input(shape=____),
    keras.layers.Dense(units=____, activation=____),
### SOLUTION
    keras.Input(shape=(11,)),
    keras.layers.Dense(units=1, activation=None),
### END
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

# %%
### BLANK
w, b = ____, ____
### SOLUTION
w, b = model.weights
print("kernel shape:", w.shape, " bias shape:", b.shape)
### END

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

# %%
### BLANK
prediction = ____
### SOLUTION
first_wine = X.iloc[0].to_numpy()
prediction = first_wine @ w.numpy() + b.numpy()
print("by hand:", prediction, "  Keras:", model.predict(X.iloc[:1], verbose=0)[0])
### END

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
# or two (or discuss it with a neighbor and note what you agreed), then run the cell: the check
# shows our answer next to yours once you have written your own.

# %%
### BLANK
# Your answer, in your own words, between the quotes:
### END
answer = """
### BLANK
____
### SOLUTION
Nobody has trained the unit yet: Keras drew its weight at random and set its bias to 0,
so the slope is chance and has nothing to do with the wines.
### END
"""
q5.check(answer)

# %%
# q5.hint()

# %% [markdown]
# ## Open challenge: predict wines the model has never seen
#
# Time to let a model learn. Lesson 3 explains how training works; until then the helper
# `train_on_wines(model, X_train, y_train)` does it for you (Adam, the mean absolute error,
# 30 epochs). It also **rescales** the features and the quality score inside: it shifts and
# stretches each column to an average of 0 and a standard deviation of 1, with averages measured
# on the training wines only. That way large columns such as the sulfur dioxide (up to 289) do
# not drown out small ones such as the density (about 1). You pass raw data in and get
# predictions in quality points out.
#
# **Your challenge:** build *any* model (one unit, hidden layers, any width), train it with
# `train_on_wines`, and get its **mean absolute error (MAE) on the test wines down to 0.50
# points or less**. Always guessing the median quality is off by about 0.63 points.
#
# First, the data is split. A random quarter of the wines, 400 of them, becomes the **test
# set**: no model trains on it, and you do not look at it while you try ideas. The other 1199
# are the **training set**. `train_on_wines` keeps the last fifth of those apart as a
# **validation set** and prints the error on it: compare your ideas on that number. The test set
# is for the final check only, so that its score stays an honest estimate of how the model
# does on new wines. (`random_state=0` makes the split the same for everyone.)

# %% tags=["raises-exception"]
X_train = X_test = y_train = y_test = ____  # until X from question 1 is ready
X_train, X_test, y_train, y_test = train_test_split(X, red_wine["quality"], test_size=0.25, random_state=0)
print(len(X_train), "training wines,", len(X_test), "test wines")

# %% [markdown]
# Build your model in the first cell and train it in the second; run both again for each new
# idea (the first cell gives fresh weights). Then check your final model on the test wines.

# %%
### BLANK
challenge_model = ____
### SOLUTION
keras.utils.set_random_seed(0)
challenge_model = keras.Sequential([
    keras.Input(shape=(11,)),
    keras.layers.Dense(1),
])
### END

# %% tags=["raises-exception"]
trained = ____  # the check below reports "not attempted" until your model is ready
trained = train_on_wines(challenge_model, X_train, y_train)

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

