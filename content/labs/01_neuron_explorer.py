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
# # Lab 1: Be the neuron
#
# In lesson 1 a linear unit computed `y = w * x + b`. Here **you** choose `w` and `b` with two
# sliders and see at once how well your line follows real data: the calories and the grams of
# sugar in a serving of 76 breakfast cereals.
#
# **In this lab you will**
#
# * see what the weight and the bias do to a line, by moving them yourself;
# * measure a line's mistakes with the **mean absolute error** (MAE);
# * compare your best line with the one a computer finds.

# %%
import keras

from helpers import widgets

keras.utils.set_random_seed(0)

# %% [markdown]
# ## How to read the lab
#
# * **Left:** each dot is a cereal. The orange line is your neuron's prediction. The thin
#   vertical bars are its errors: the distance from each dot to the line. The MAE is their
#   average length, so a shorter set of bars means a better line.
# * **Right:** the MAE you would get for every possible `w` if you kept `b` where it is. The
#   orange dot is where your `w` sits on that curve.
# * **Fit best line** draws, dashed, the line with the smallest possible MAE, and marks that
#   MAE on the right.
#
# Run the next cell; the lab appears below it. (Sliders also move with the arrow keys after
# you click on them.)

# %%
lab = widgets.neuron_explorer()
lab

# %% [markdown]
# ## Things to try
#
# 1. **Only the bias.** Leave `w` at 0 and move `b`. Your line stays flat: the neuron predicts
#    the same calories for every cereal. Which `b` gives the smallest MAE? (It is close to the
#    *median* calories, about 110. Why might the middle value be the best flat guess?)
# 2. **Only the weight.** Now move `w`. How does the line turn, and around which point? What
#    does a negative `w` claim about sugar and calories?
# 3. **Beat the computer.** Find the smallest MAE you can with the sliders, write it down,
#    then press **Fit best line**. How close did you get? (The best line has an MAE of about
#    11.6 calories.)
# 4. **Read the best line.** Its weight is about 1.4: from one cereal to the next, each
#    extra gram of sugar goes with about 1.4 more calories per serving, on average. Yet a gram
#    of sugar holds about 4 calories. Why is the slope smaller? The line compares *different*
#    cereals; it does not add sugar to one cereal. Sugary cereals tend to have less of other
#    carbohydrates, which hold calories too (in this dataset the correlation between 'sugars'
#    and 'carbo' is about −0.47). A fitted line describes how things vary together, not what
#    causes what. (Lesson 1 shows a unit that takes several inputs into account at once.)
# 5. **Watch the right panel while you move `b`.** The valley moves. Why can't you find the
#    best `w` without also knowing `b`?

# %% [markdown]
# The lab's numbers are also available in code, so you can check what you see:

# %%
print(f"your line: calories = {lab.w.value:.2f} × sugars + {lab.b.value:.1f}, MAE {lab.mae:.2f}")

# %% [markdown]
# ## Takeaways
#
# * The **weight** sets the slope of the neuron's line and the **bias** moves it up and down.
# * A **loss** such as the MAE turns "how good is this line?" into one number; finding good
#   weights means making that number small.
# * The loss depends on `w` and `b` *together*. Searching by hand works for two numbers; a
#   network with thousands of weights needs an automatic search. That search, stochastic
#   gradient descent, is lesson 3 (and Lab 3).
