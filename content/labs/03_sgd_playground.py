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
# # Lab 3: Steer stochastic gradient descent
#
# In lesson 3 stochastic gradient descent (SGD) fitted a line one minibatch at a time. Here you
# choose its **learning rate**, **batch size**, **number of examples** and **epochs**, then
# replay the run step by step. The data are 1,599 red wines: their quality score (3 to 8)
# against their alcohol content.
#
# **In this lab you will**
#
# * watch SGD move a line's `w` and `b` downhill on the loss surface;
# * see what a learning rate that is too small or too large does;
# * see why small minibatches give a noisy, but cheap, path.

# %%
import keras

from helpers import widgets

keras.utils.set_random_seed(0)

# %% [markdown]
# ## How to read the lab
#
# * **Left:** the wines (blue), the current line (orange) and, in red, the minibatch the
#   current step learned from. Alcohol is *standardized*: 0 is an average wine and 1 means one
#   standard deviation (about 1.1 percentage points) more alcohol.
# * **Middle:** the loss (mean squared error) for every possible `(w, b)`, drawn like a map
#   with contour lines; darker means lower. SGD starts at `w = b = 0`; the red path is where it
#   has been, the star is the lowest point.
# * **Right:** the loss on all the chosen examples after each step (blue), the loss on each
#   step's minibatch (purple), and the lowest loss possible (dotted). The horizontal axis
#   counts epochs, so runs with different batch sizes line up.
#
# Changing a setting reruns SGD from the start (it takes a fraction of a second). Then press
# ▶ to replay the run, or use **Step**, **Reset** and the step slider.

# %%
lab = widgets.sgd_playground()
lab

# %% [markdown]
# ## Things to try
#
# 1. **Replay the default run** (learning rate 0.05, batch size 16, 256 wines, 5 epochs = 80
#    steps). The path first heads mostly up, towards larger `b`. Why? (At the start every
#    prediction is 0, while qualities are around 5.6.)
# 2. **Too small.** Set the learning rate to 0.001. Where has SGD got to after 80 steps? How
#    many more epochs would it need?
# 3. **Too large.** Raise the learning rate above 1. What does the path do on the map, and
#    what does the lab tell you? Between 0.5 and 1, the path zigzags across the valley: each
#    step jumps over the bottom.
# 4. **Batch size.** With the learning rate back at 0.05, compare batch size 1 with 256. Which
#    path is smoother? Which run takes more steps per epoch, and why does that matter when each
#    step costs time?
# 5. **More data.** Increase the number of examples to all 1,599 wines with batch size 16.
#    Does the lowest possible loss change much? Does SGD need more *epochs* or more *steps*?

# %% [markdown]
# Where the run ended, in numbers:

# %%
final = lab.trajectory
print(f"{lab.total_steps} steps ({final.steps_per_epoch} per epoch): "
      f"w = {final.w[-1]:.3f}, b = {final.b[-1]:.3f}, loss {final.loss[-1]:.3f} "
      f"(lowest possible {lab.best_loss:.3f})")

# %% [markdown]
# ## Takeaways
#
# * Each SGD step moves `(w, b)` a little way downhill, as judged by one minibatch.
# * The **learning rate** sets the step length: too small and training crawls, too large and it
#   overshoots the valley and can blow up.
# * Small **batches** give many cheap, noisy steps; large ones give few, steady, expensive ones.
#   Keras's default batch size, 32, is a compromise.
