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
# # Start here: Introduction to Deep Learning
#
# Welcome! In six short lessons you go from a single artificial neuron to a network that
# predicts which hotel bookings get canceled. You build every model yourself with
# [Keras](https://keras.io), train it on real data, and measure how well it does on data it
# has never seen.
#
# **What you need:** some Python (variables, lists, functions) and a little pandas helps. No
# deep-learning experience, and no math beyond "multiply and add".
#
# **What you get:** for each lesson, the idea explained in short steps with figures, a lab to
# play with it, and an exercise where you make the decisions and get feedback on each one.

# %% [markdown]
# ## The path through the course
#
# Each of the six lessons has three parts. Take them in this order:
#
# 1. **📖 Lesson.** Read a few paragraphs, run the code cell under them (Shift+Enter), look
#    at the result, and go on. When a lesson says one setting works better than another, it
#    shows you the runs behind the claim, over several random seeds.
# 2. **🎛️ Lab.** Sliders and buttons around the lesson's idea: change a setting, watch what
#    happens. Ten minutes of play here make the next part much easier.
# 3. **✏️ Exercise.** Your turn, on another dataset than the lesson's. You fill in blanks and make the choices,
#    and a check tells you right away whether your answer works, and why not if it does not.
#
# Then on to the next lesson. The bar at the top and bottom of every notebook follows this
# path: **Next** always leads to the next step, and **🏠 Course home** brings you back to
# this page. The whole course at a glance:
#
# <!-- course-map -->

# %% [markdown]
# ## How the exercises work
#
# * **Blanks.** A cell with `____` (four underscores) is yours: replace every `____` with your
#   answer and run the cell.
# * **Checks.** The cell after it runs a check such as `q1.check(model)`. You see ✅ when
#   your answer works, ❌ with what to change when it does not, and 📝 while a blank is
#   still empty. Checks look at what your code *does*, so any correct way of writing it passes.
# * **Hints, in steps.** Stuck? `q1.hint()` gives a first nudge, without the answer.
#   Still stuck? `q1.hint(2)` gives the next, more concrete hint, and so on; each hint says
#   whether there is another.
# * **Solutions.** `q1.solution()` shows a worked answer, and each exercise has a solutions
#   notebook with every blank filled in. Try first: a wrong attempt teaches more than a
#   right answer you read.
# * **Questions in words.** Some questions ask you to explain what you see. Write your answer
#   between the quotes and run `q5.check(answer)`: it shows a model answer next to yours, so
#   you can compare. It waits until you have written a sentence or two of your own.
# * **The open challenge.** Each exercise ends with a challenge: reach a stated score on
#   held-out test data, with any model you like. The feedback compares your model with a
#   trivial baseline and with our reference solution.
#
# This is what a hint looks like (the first hint of exercise 1's first question):

# %%
from helpers.exercises.exercise1 import q1

q1.hint()

# %% [markdown]
# ## Check your computer
#
# Run the next cell. It lists the versions of Python, Keras and the backend Keras computes
# with, whether each dataset of the course is already on this computer (if not, how it
# will get here), and whether interactive widgets work. Each ✅ row is fine, each ⚠️ row is
# a note, and each ❌ row says what to fix.

# %%
from helpers import environment

environment.check()

# %% [markdown]
# Under the table you should see a green line, **"Widgets render"**. If you see a line of
# text saying that widgets do not render, or "Loading widget..." that never finishes, the
# labs will not work yet. The fix depends on where you run the notebooks:
#
# * **JupyterLab or Jupyter Notebook on your computer:** install the course into the
#   environment that Jupyter itself runs from (`pip install -r requirements.txt` in the
#   course folder), then stop Jupyter, start it again and reload the page.
# * **VS Code:** install the *Jupyter* extension, and choose the course's Python environment
#   as the notebook's kernel.
# * **Google Colab:** run `from google.colab import output; output.enable_custom_widget_manager()`
#   in a cell, then run the check again.
#
# A dataset that is not downloaded yet is fine if you are online: the first lesson that needs
# it downloads it (a few megabytes) and checks that the file is intact.

# %% [markdown]
# ## Your progress
#
# Every check you pass is noted on this computer (in your user data folder, not in the
# course folder). Run the cell below, here or in any notebook, to see which questions of
# which exercises you have done.

# %%
from helpers import progress

progress.show()

# %% [markdown]
# Ready? Follow **Next** in the bar below to the first lesson.
