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
# # Lab 2: Activation functions
#
# Lesson 2 claimed that without activation functions a deep network is no better than a single
# straight line, and that ReLU lets it bend. Here you test that claim with six activations:
# ReLU, sigmoid, tanh, ELU, swish and linear (no activation at all).
#
# **In this lab you will**
#
# * see the shape of each activation function, and its slope;
# * see what a small network (two hidden layers of 16 units) can draw with each of them.

# %%
import keras

from helpers import widgets

keras.utils.set_random_seed(0)

# %% [markdown]
# ## How to read the lab
#
# * **Left:** the activation: what a unit outputs for each value `z` of its weighted sum
#   `w * x + b`. Tick the box to see its slope (how fast the output changes), which is what
#   gradient descent uses to learn.
# * **Right:** a wavy target, `y = sin(2x)` (gray dots), and the curve a network with that
#   activation learned to draw through it (red), with its mean squared error (MSE).
#
# Each activation's network is trained the first time you pick it (a few seconds; the buttons
# are grayed out meanwhile) and remembered afterwards. Run the next cell to start; ReLU is
# trained first.

# %%
lab = widgets.activation_explorer()
lab

# %% [markdown]
# ## Things to try
#
# 1. **Linear.** Pick *linear*. However many units the network has, it draws a straight line
#    (MSE about 0.43, hardly better than a flat line at 0, which scores 0.5). Why does stacking
#    linear layers never bend the line? (Lesson 2, "Stacking linear layers stays linear".)
# 2. **ReLU.** Look closely at the red curve's peaks: they are made of straight pieces with
#    corners. Where do the corners come from? (Look at the left panel.)
# 3. **Smooth ones.** Compare tanh, sigmoid and swish with ReLU. Are their fits smoother? All
#    of them reach a small error here; which one fits best?
# 4. **Slopes.** Tick *show its slope*. For sigmoid and tanh, where is the slope almost zero?
#    A unit sitting there barely learns, because gradient descent moves it in proportion to
#    that slope. Which activations keep a slope of 1 for large inputs?
# 5. **ReLU against ELU.** They agree for positive `z`. What does ELU do differently for
#    negative inputs, and what does its slope look like there?

# %% [markdown]
# The errors of every activation you have tried so far, smallest first:

# %%
for name, result in sorted(lab.results.items(), key=lambda item: item[1].mse):
    print(f"{name:>8}: MSE {result.mse:.4f}  (trained in {result.seconds:.1f} s)")

# %% [markdown]
# ## Takeaways
#
# * An activation function is a fixed bend applied to every unit's weighted sum.
# * Without it (linear), any stack of layers is one straight line in disguise.
# * With almost any bend (ReLU, tanh, ELU, swish, ...) a small network can follow a curve.
#   ReLU is the usual default: it is cheap and its slope does not fade for large inputs.
