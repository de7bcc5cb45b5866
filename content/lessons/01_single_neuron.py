# ---
# jupyter:
#   course:
#     you_will: "see a linear unit as a line (or plane), build one in Keras and read its weights"
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
# # 1. A single neuron
#
# **In this lesson you will learn**
#
# * what a *linear unit* (the simplest artificial neuron) computes: `y = w * x + b`;
# * what its **weight** `w` and **bias** `b` do to its output;
# * how one neuron handles several inputs at once;
# * how to build a one-neuron model in Keras, why its input shape is a tuple, and how to read
#   (and draw) its weights;
# * why a neuron that has not been trained yet predicts nonsense.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np

from helpers import data, plots

keras.utils.set_random_seed(0)

# %% [markdown]
# ## Deep learning in one paragraph
#
# A neural network is built from many small, identical pieces called **neurons** or **units**.
# Each unit does something very simple: it multiplies its inputs by some numbers, adds them up
# and passes the result on. The power comes from connecting many of them, layer after layer,
# which is where the word *deep* comes from. Before we stack anything, let us understand one
# unit completely.

# %% [markdown]
# ## The linear unit
#
# A linear unit takes one number `x` as input and gives one number `y` as output:
#
# $$ y = w \cdot x + b $$
#
# * `w` is the **weight**: the unit multiplies the input by it.
# * `b` is the **bias**: a number the unit adds whatever the input is.
#
# Together, the weights and biases of a network are its **parameters**. Training a network
# (lesson 3) means finding good values for them. For now we choose them by hand.

# %% [markdown]
# In Python the whole unit is one line. Here is a unit with weight 2 and bias 1 applied to a
# few inputs:

# %%
def linear_unit(x, w, b):
    return w * x + b


inputs = np.array([-1.0, 0.0, 1.0, 2.0])
linear_unit(inputs, w=2.0, b=1.0)

# %% [markdown]
# ## What the weight and the bias do
#
# Plotted against its input, a linear unit is a straight line. The weight is the line's
# **slope** (how much `y` changes when `x` grows by 1), and the bias is its **intercept**
# (the value of `y` where `x` is 0). Compare the two panels below: on the left only `w`
# changes, on the right only `b`.

# %%
x_values = np.linspace(-3, 3, 50)
fig, (slope_ax, intercept_ax) = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
for w in [-1.0, 0.5, 2.0]:
    slope_ax.plot(x_values, linear_unit(x_values, w=w, b=0.0), label=f"w = {w:g}, b = 0")
for b in [-2.0, 0.0, 2.0]:
    intercept_ax.plot(x_values, linear_unit(x_values, w=1.0, b=b), label=f"w = 1, b = {b:g}")
slope_ax.set_title("Changing the weight tilts the line")
intercept_ax.set_title("Changing the bias shifts the line")
for ax in (slope_ax, intercept_ax):
    ax.set_xlabel("input x")
    ax.legend()
slope_ax.set_ylabel("output y")
fig.tight_layout()
plots.show(fig, alt="Two panels of straight lines. Left: three lines through the origin with "
           "slopes -1, 0.5 and 2. Right: three parallel lines with slope 1 crossing the "
           "y-axis at -2, 0 and 2.")

# %% [markdown]
# One way to think about the bias: it is a second weight whose input is always 1. That lets a
# unit produce something other than 0 when all its real inputs are 0.

# %% [markdown]
# ## Example: calories in breakfast cereals
#
# The *80 Cereals* dataset describes breakfast cereals: their calories, sugars, fiber, protein
# and more, per serving. Let us load it with the course's data helper and look at two columns.

# %%
cereals = data.load_cereals()
cereals[["name", "sugars", "calories"]].head()

# %% [markdown]
# Could a single linear unit estimate a cereal's calories from its sugar content? Such a
# unit would compute
#
# $$ \text{calories} = w \cdot \text{sugars} + b $$
#
# Say the weight is 2.5 and the bias is 90. A cereal with 5 grams of sugar per serving would
# then be predicted to have 2.5 × 5 + 90 calories:

# %%
linear_unit(5.0, w=2.5, b=90.0)

# %% [markdown]
# Here is that line drawn over the real cereals. (One cereal has no sugar value recorded, so
# it is left out of the picture.)

# %%
fig = plots.plot_fitted_line(cereals["sugars"], cereals["calories"], w=2.5, b=90.0,
                             xlabel="sugars (g per serving)", ylabel="calories",
                             title="A hand-picked unit: calories = 2.5 × sugars + 90")
plots.show(fig, alt="Scatter plot of 76 cereals, calories against grams of sugar, with a "
           "rising straight line that passes through the middle of the cloud of points.")

# %% [markdown]
# Not bad for one line of arithmetic: the points scatter around it, and sweeter cereals tend
# to have more calories. The unit cannot capture anything beyond a straight trend, but it is
# a real model that makes real predictions.

# %% [markdown]
# ## More than one input
#
# A unit can take several inputs. It gives each input its own weight, adds the products, and
# adds the bias once:
#
# $$ y = w_0 x_0 + w_1 x_1 + w_2 x_2 + b $$
#
# With one input the unit is a line. With two inputs it is a flat **plane** over the two input
# axes, and with more inputs it is a *hyperplane*: the same idea in more dimensions than we
# can draw. Below is a plane that predicts calories from sugars and fiber:
# calories = 2.4 × sugars − 1.8 × fiber + 94.

# %%
known = cereals.dropna(subset=["sugars", "fiber"])
sugar_grid, fiber_grid = np.meshgrid(np.linspace(0, 15, 20), np.linspace(0, 14, 20))
calorie_plane = 2.4 * sugar_grid - 1.8 * fiber_grid + 94

fig = plt.figure(figsize=(7, 5.5))
ax = fig.add_subplot(projection="3d")
ax.plot_surface(sugar_grid, fiber_grid, calorie_plane, color=plots.PALETTE["orange"], alpha=0.35)
ax.scatter(known["sugars"], known["fiber"], known["calories"], color=plots.PALETTE["blue"])
ax.set_xlabel("sugars (g)")
ax.set_ylabel("fiber (g)")
ax.set_zlabel("calories")
ax.set_title("A linear unit with two inputs is a plane")
plots.show(fig, alt="3D scatter plot of cereals by sugars, fiber and calories, with a tilted "
           "flat plane that rises with sugar and falls with fiber.")

# %% [markdown]
# ## A linear unit in Keras
#
# Keras builds networks from **layers**. A `Dense` layer with `units=1` is exactly one linear
# unit. In a `Sequential` model we first say what the inputs look like with `keras.Input`, then
# list the layers.
#
# Let us make a unit that takes three inputs ('sugars', 'fiber' and 'protein') and produces one
# output ('calories'):

# %%
model = keras.Sequential([
    keras.Input(shape=(3,)),
    keras.layers.Dense(units=1),
])

# %% [markdown]
# * `shape=(3,)` says that each example has 3 numbers, one per input column. The batch of
#   examples is handled for us, so its size is not part of the shape.
# * `units=1` says the layer has one unit, so the model makes one number per example.

# %% [markdown]
# ### Why the shape is a tuple
#
# Why write `(3,)` and not just `3`? Because a shape can have more than one number. It lists
# the size of each axis of *one example*:
#
# * **tabular data**, like our cereals: one row per example, so one axis, `(num_columns,)`.
#   The comma makes it a tuple of one number; `(3)` without the comma is just the number 3.
# * **images**: a grid of pixels with a few color channels per pixel, so three axes,
#   `(height, width, channels)`. A small color photo might be `(64, 64, 3)` (red, green and
#   blue); a grayscale scan `(28, 28, 1)`.
#
# Keras adds the batch axis in front, shown as `None` because any number of examples fits:

# %%
print("cereal rows:", keras.Input(shape=(3,)).shape)
print("color images:", keras.Input(shape=(64, 64, 3)).shape)
try:
    keras.Input(shape=3)
except ValueError as error:
    print("shape=3 fails:", error)

# %% [markdown]
# This course works with tables, so our shapes have one number. Networks for images start
# with layers that keep the grid shape (lesson 2 names a few).

# %% [markdown]
# ### A picture of the unit
#
# Here is the model as a neuron, drawn from the model itself: each input sends its value
# along an arrow, the arrow's label is the weight it is multiplied by, and the sum node Σ
# adds the products up. The bias appears the way we described it earlier: as the weight on
# an extra input that is always 1.

# %%
plots.show(plots.plot_neuron(model, input_names=["sugars", "fiber", "protein"]),
           alt="Diagram of one neuron: input circles for sugars, fiber and protein and a gray "
               "circle holding the constant 1, each with an arrow to a sum node labeled with "
               "its weight (the arrow from 1 carries the bias b = 0.00), then an arrow from "
               "the sum to the output y. The formula with the same numbers is written below.")

# %% [markdown]
# The numbers on the arrows are the model's real, current weights (read with
# `get_weights()`), so they are random for now. The next section looks at them directly.

# %% [markdown]
# ## Reading the weights
#
# Keras keeps the parameters in `model.weights`. A `Dense` layer stores its weights in a matrix
# called the **kernel**, with one row per input and one column per unit, and its biases in a
# vector with one entry per unit.

# %%
for weight in model.weights:
    print(f"{weight.path:30} shape {weight.shape}")

# %% [markdown]
# So the kernel has shape (3, 1): three inputs, one unit. The bias has shape (1,): one unit.
# Let us look at the numbers themselves:

# %%
kernel, bias = model.weights
print("kernel:", kernel.numpy().ravel())
print("bias:  ", bias.numpy())

# %% [markdown]
# Keras starts the kernel with small random numbers and the bias at 0. Nothing has been
# learned yet: these values are where training will begin.

# %% [markdown]
# The model really computes the formula above. Let us check it on the first cereal, once with
# the model and once by hand with the same weights. Calling a model like a function,
# `model(inputs)`, gives its predictions; `keras.ops.convert_to_numpy` turns them into a
# NumPy array.

# %%
features = ["sugars", "fiber", "protein"]
first_cereal = cereals[features].iloc[[0]].to_numpy(dtype="float32")

by_keras = keras.ops.convert_to_numpy(model(first_cereal))[0, 0]
by_hand = (first_cereal @ kernel.numpy() + bias.numpy())[0, 0]
print(f"{cereals['name'].iloc[0]}: model says {by_keras:.4f}, the formula says {by_hand:.4f}")

# %% [markdown]
# The same number, twice. A `Dense` layer *is* `inputs @ kernel + bias`.

# %% [markdown]
# ## What an untrained unit predicts
#
# Let us go back to one input and build a one-unit model that should predict calories from
# sugars. Before any training, its weight is random and its bias is 0, so its predictions
# form a random line through the origin.

# %%
sugar_model = keras.Sequential([
    keras.Input(shape=(1,)),
    keras.layers.Dense(units=1),
])
w, b = sugar_model.get_weights()
print(f"untrained weight w = {w[0, 0]:.3f}, bias b = {b[0]:.3f}")

# %% [markdown]
# Its predictions for the real cereals all lie on the line `w * sugars + b`:

# %%
known_sugars = cereals.dropna(subset=["sugars"])
sugars = known_sugars[["sugars"]].to_numpy(dtype="float32")
predicted_calories = keras.ops.convert_to_numpy(sugar_model(sugars))
print("predictions on the line w * x + b:", np.allclose(predicted_calories, sugars * w + b, atol=1e-5))
print(f"predictions range from {predicted_calories.min():.1f} to {predicted_calories.max():.1f} calories")

fig = plots.plot_fitted_line(known_sugars["sugars"], known_sugars["calories"], w, b,
                             xlabel="sugars (g per serving)", ylabel="calories",
                             title="An untrained unit: a random line")
plots.show(fig, alt="Scatter plot of cereal calories (50 to 160) against sugars, with the "
           "untrained unit's line far below the points, close to zero calories.")

# %% [markdown]
# The line sits nowhere near the data: real cereals have between 50 and 160 calories, while
# this unit's predictions stay within about 10 of zero (the range printed above). That is what
# "untrained" means. In lesson 3 you will see how a network adjusts `w` and `b`, step by step,
# until its line follows the points.

# %% [markdown]
# ## Your turn
#
# The exercise asks you to build a linear unit of your own and inspect its weights, and the lab
# lets you change a unit's weight and bias yourself and watch its predictions move. Both are
# linked in the navigation bar at the top and bottom of this page.

# %% [markdown]
# ## Further reading
#
# * Keras guide, [The Sequential model](https://keras.io/guides/sequential_model/): building
#   models layer by layer, and what `keras.Input` is for.
# * Keras API reference: the [Dense layer](https://keras.io/api/layers/core_layers/dense/)
#   and its arguments (`units`, `activation`, `use_bias`).
# * The first artificial neurons: W. S. McCulloch and W. Pitts, "A logical calculus of the
#   ideas immanent in nervous activity", *Bulletin of Mathematical Biophysics* 5, 1943,
#   [doi:10.1007/BF02478259](https://doi.org/10.1007/BF02478259); and F. Rosenblatt, "The
#   perceptron", *Psychological Review* 65(6), 1958,
#   [doi:10.1037/h0042519](https://doi.org/10.1037/h0042519).
# * The *80 Cereals* data: C. Crawford, Kaggle dataset crawford/80-cereals, originally from
#   the 1993 ASA Statistical Graphics Exposition.
