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
# # Exercise ${number}: ${title}
#
# **In this exercise you will**
#
# * (what the learner practises: replace this line).
#
# Replace every `____` with your answer and run the cell; the cell after it checks your answer.
# Stuck? Uncomment `q1.hint()` and run it, or `q1.solution()` for a worked answer.

# %%
import keras

from helpers import data
from helpers.exercises import ____
from helpers.exercises.exercise${number} import q1

keras.utils.set_random_seed(0)

# %%
red_wine = data.load_red_wine()
red_wine.head()

# %% [markdown]
# ## Question 1: how many examples
#
# Each row of `red_wine` is one wine. Set `n_wines` to the number of wines in the table.

# %%
### BLANK
n_wines = ____
### SOLUTION
n_wines = len(red_wine)
### END

# %%
q1.check(n_wines)

# %%
# q1.hint()       # uncomment one line and run the cell
# q1.solution()
