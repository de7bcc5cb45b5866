# ---
# jupyter:
#   course:
#     you_will: "stack layers, see why they need activations like ReLU"
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
# # 2. Deep neural networks
#
# **In this lesson you will learn**
#
# * how units are grouped into **layers**, and what a **dense** layer computes;
# * why stacking linear layers alone gives nothing new;
# * what an **activation function** such as ReLU adds, and what a single ReLU unit computes;
# * how to build a deep network in Keras by stacking dense layers;
# * how to read `model.summary()` and count a network's parameters yourself.
# * that each layer is one transformation, and which other kinds of layers exist.

# %%
import keras
import matplotlib.pyplot as plt
import numpy as np
from keras import layers

from helpers import plots

keras.utils.set_random_seed(0)

# %% [markdown]
# ## Layers
#
# In lesson 1 a single unit turned inputs into one number. Put several units side by side,
# all reading the same inputs, and you get a **layer**. Each unit has its own weights, so each
# one computes a different weighted sum of the inputs.
#
# When every unit is connected to every input, the layer is called **dense** (or *fully
# connected*). Here is a dense layer of three units reading two inputs:

# %%
one_layer = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(3)], name="one_dense_layer")
plots.show(plots.plot_network(one_layer),
           alt="Network diagram: two input circles, each connected to all three circles of "
               "a dense layer with linear activation.")

# %% [markdown]
# A dense layer's kernel now has one column per unit: shape (2, 3) here. The whole layer is a
# single matrix product plus the biases, `inputs @ kernel + bias`, computed for a whole batch
# of examples at once. Let us check that on a batch of four examples:

# %%
batch = np.array([[1.0, 2.0], [0.5, -1.0], [0.0, 0.0], [-2.0, 3.0]], dtype="float32")
kernel, bias = one_layer.get_weights()
print("kernel shape:", kernel.shape, " bias shape:", bias.shape)

by_keras = keras.ops.convert_to_numpy(one_layer(batch))
by_hand = batch @ kernel + bias
print("output shape:", by_keras.shape)
print("same as inputs @ kernel + bias:", np.allclose(by_keras, by_hand, atol=1e-6))

# %% [markdown]
# Four examples in, four rows out, with three numbers per row: one per unit.

# %% [markdown]
# ## Stacking linear layers stays linear
#
# A natural idea is to feed one layer's outputs into another layer. But if the layers only
# multiply and add, the stack gains nothing: a linear function of a linear function is still
# a linear function. Two dense layers in a row can always be replaced by **one** dense layer.
#
# Let us see it with numbers. Here are two stacked dense layers without any activation:

# %%
two_linear_layers = keras.Sequential([
    keras.Input(shape=(2,)),
    layers.Dense(4),
    layers.Dense(1),
], name="two_linear_layers")
kernel_1, bias_1, kernel_2, bias_2 = two_linear_layers.get_weights()

# %% [markdown]
# The first layer computes `h = x @ kernel_1 + bias_1` and the second `y = h @ kernel_2 + bias_2`.
# Substituting the first into the second gives
#
# $$ y = x \cdot (\text{kernel}_1 \, \text{kernel}_2) + (\text{bias}_1 \, \text{kernel}_2 + \text{bias}_2) $$
#
# which is a single linear layer with these weights:

# %%
combined_kernel = kernel_1 @ kernel_2
combined_bias = bias_1 @ kernel_2 + bias_2
print("combined kernel shape:", combined_kernel.shape, " combined bias shape:", combined_bias.shape)

# %% [markdown]
# Now compare the two-layer model with that one combined layer on a thousand random inputs:

# %%
random_inputs = np.random.default_rng(0).normal(size=(1000, 2)).astype("float32")
two_layer_outputs = keras.ops.convert_to_numpy(two_linear_layers(random_inputs))
one_layer_outputs = random_inputs @ combined_kernel + combined_bias
largest_gap = np.abs(two_layer_outputs - one_layer_outputs).max()
print(f"largest difference between the two: {largest_gap:.1e}")

# %% [markdown]
# The differences are only rounding errors (around a millionth or smaller). However many
# linear layers we stack, the network can only ever draw straight lines and flat planes.
# Something must bend.

# %% [markdown]
# ## Activation functions
#
# An **activation function** is applied to each unit's output. The most popular is the
# **rectifier**, `max(0, x)`: negative values become 0, positive values pass unchanged. A unit
# with a rectifier is called a *rectified linear unit*, or **ReLU**, and the function itself
# is also called ReLU.

# %%
plots.show(plots.plot_activation("relu"),
           alt="Graph of the ReLU function from -5 to 5: flat at zero for negative inputs, "
               "then a straight line rising with slope 1 for positive inputs.")

# %% [markdown]
# A ReLU unit is the linear unit of lesson 1 with one more step: first the weighted sum plus
# bias, then the rectifier. Here is one with two inputs, drawn from a Keras model (we set its
# weights by hand so the numbers are easy to follow):

# %%
relu_unit = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(1, activation="relu")],
                             name="relu_unit")
relu_unit.set_weights([np.array([[1.5], [-0.5]]), np.array([0.25])])
plots.show(plots.plot_neuron(relu_unit),
           alt="Diagram of one ReLU unit: inputs x0 and x1 and a constant 1 send arrows with "
               "weights 1.50, -0.50 and bias 0.25 to a sum node; the sum goes through a box "
               "showing the rectifier's graph, flat then rising, and on to the output y. "
               "Below: y = max(0, 1.50 x0 - 0.50 x1 + 0.25).")

# %% [markdown]
# With input (2, 1), for example, the sum is 1.5 × 2 − 0.5 × 1 + 0.25 = 2.75, which is
# positive and passes through; with input (−1, 1) the sum is −1.75, and the rectifier turns
# it into 0. Let us ask the model:

# %%
two_inputs = np.array([[2.0, 1.0], [-1.0, 1.0]], dtype="float32")
print(keras.ops.convert_to_numpy(relu_unit(two_inputs)).ravel())

# %% [markdown]
# With one input, a ReLU unit computes `max(0, w * x + b)`: a straight line with a bend where it hits
# zero. Bends are what linear layers were missing. A next layer that adds several bent lines
# together can make curves. Here are three ReLU units, each with a hand-picked weight and bias,
# and a weighted sum of them:

# %%
def relu(values):
    return np.maximum(0.0, values)


x = np.linspace(-3, 3, 301)
unit_a = relu(1.0 * x + 1.0)
unit_b = relu(1.0 * x + 0.0)
unit_c = relu(1.0 * x - 1.0)
summed = 1.0 * unit_a - 2.0 * unit_b + 1.0 * unit_c

fig, (units_ax, sum_ax) = plt.subplots(1, 2, figsize=(11, 4))
units_ax.plot(x, unit_a, label="relu(x + 1)")
units_ax.plot(x, unit_b, label="relu(x)")
units_ax.plot(x, unit_c, label="relu(x − 1)")
units_ax.set_title("Three ReLU units")
sum_ax.plot(x, summed, color=plots.PALETTE["vermillion"],
            label="relu(x + 1) − 2 relu(x) + relu(x − 1)")
sum_ax.set_title("Their weighted sum: a bump")
sum_ax.set_ylim(-0.05, 1.4)  # leave room for the legend above the bump
for ax in (units_ax, sum_ax):
    ax.set_xlabel("input x")
    ax.set_ylabel("output")
    ax.legend(loc="upper left")
fig.tight_layout()
plots.show(fig, alt="Left: three ReLU curves bending at x = -1, 0 and 1. Right: their "
           "weighted sum, a triangular bump that is zero outside -1 to 1 and peaks at x = 0.")

# %% [markdown]
# Three bends made a bump that no straight line could draw. With enough units, bumps and
# bends like these can follow any smooth curve over a limited range of inputs as closely as
# we like (an approximation, never an exact copy, and "enough" can mean very many). This is
# why networks need activation functions between their layers.

# %% [markdown]
# ReLU is not the only choice. Here are a few other activations Keras offers. Each is
# smooth where ReLU has a sharp corner, and some keep a little signal for negative inputs.

# %%
fig, axes = plt.subplots(1, 4, figsize=(15, 3.6), sharey=True)
for ax, name in zip(axes, ["elu", "swish", "sigmoid", "tanh"]):
    plots.plot_activation(name, ax=ax)
fig.tight_layout()
plots.show(fig, alt="Four activation curves from -5 to 5. ELU looks like ReLU with a rounded "
           "corner, but for negative inputs it curves down towards -1; swish looks like ReLU "
           "with a rounded corner and a small dip below zero; sigmoid is an S-shape from 0 to "
           "1; tanh is an S-shape from -1 to 1.")

# %% [markdown]
# * **ELU** and **swish** behave like ReLU for large positive inputs but curve smoothly near
#   zero. For negative inputs ELU levels off at -1, and swish dips a little below zero before
#   returning to it.
# * **sigmoid** squeezes any number into the range 0 to 1, which is handy for probabilities
#   (lesson 6).
# * **tanh** squeezes into -1 to 1.
#
# ReLU is the usual default for hidden layers, and the one this course uses: it is cheap to
# compute, and its slope stays 1 for all positive inputs.

# %% [markdown]
# ## Stacking dense layers
#
# Now we can build a real deep network: dense layers with ReLU, one after the other, and a
# final layer that produces the answer.
#
# * The layers between input and output are **hidden layers**: we never see their outputs
#   directly, only their effect on the final prediction.
# * The last layer is the **output layer**. Its units and activation depend on the task.
#   For **regression** (predicting a number, such as calories or a wine rating) it is a single
#   unit with *no* activation, so it can output any value, negative or positive.
#
# Here is a network with two inputs, hidden layers of 4 and 3 ReLU units, and one linear
# output unit:

# %%
model = keras.Sequential([
    keras.Input(shape=(2,)),
    # the hidden ReLU layers
    layers.Dense(4, activation="relu"),
    layers.Dense(3, activation="relu"),
    # the linear output layer
    layers.Dense(1),
])

# %%
plots.show(plots.plot_network(model),
           alt="Network diagram: 2 inputs, a hidden dense layer of 4 ReLU units, a hidden "
               "dense layer of 3 ReLU units, and 1 linear output unit, every unit connected "
               "to every unit in the next layer.")

# %% [markdown]
# Pass every layer to `keras.Sequential` in a list, in order, starting with `keras.Input`.
# Forgetting the brackets of the list, or a comma between layers, is the most common mistake
# here.

# %% [markdown]
# ## Counting parameters
#
# `model.summary()` lists the layers, the shape of their outputs, and how many parameters
# each one has:

# %%
model.summary()

# %% [markdown]
# You can count these yourself. A dense layer has one weight per (input, unit) pair plus one
# bias per unit, so `inputs × units + units` parameters:
#
# * first hidden layer: 2 × 4 + 4 = 12
# * second hidden layer: 4 × 3 + 3 = 15
# * output layer: 3 × 1 + 1 = 4
#
# That makes 31 in total. Let us check the arithmetic against Keras:

# %%
layer_inputs = 2
total = 0
for layer in model.layers:
    count = layer_inputs * layer.units + layer.units
    print(f"{layer.name:8} {layer_inputs} × {layer.units} + {layer.units} = {count}")
    total += count
    layer_inputs = layer.units
print(f"by hand: {total}, Keras: {model.count_params()}")

# %% [markdown]
# A small network. The one that rates red wines in lesson 3 has over half a million
# parameters, but every one of them is a weight or a bias of a unit like these.

# %% [markdown]
# ## Activations as separate layers
#
# `Dense(4, activation="relu")` is shorthand for two steps: the linear part, then ReLU. Keras
# also lets you write the steps as two layers, with `layers.Activation`:

# %%
model_with_activation_layers = keras.Sequential([
    keras.Input(shape=(2,)),
    layers.Dense(4),
    layers.Activation("relu"),
    layers.Dense(3),
    layers.Activation("relu"),
    layers.Dense(1),
])
plots.show(plots.plot_network(model_with_activation_layers),
           alt="The same network diagram as before, with linear dense layers and a "
               "labeled ReLU activation band after each hidden layer.")

# %% [markdown]
# The activation layers have no parameters, so this model has the same 31 weights and
# biases. Give it the first model's weights and it makes exactly the same predictions:

# %%
model_with_activation_layers.set_weights(model.get_weights())
check_inputs = np.random.default_rng(1).normal(size=(5, 2)).astype("float32")
same = np.allclose(keras.ops.convert_to_numpy(model(check_inputs)),
                   keras.ops.convert_to_numpy(model_with_activation_layers(check_inputs)))
print("parameters:", model_with_activation_layers.count_params(), " same predictions:", same)

# %% [markdown]
# Why bother? Sometimes you want to put another layer between a unit's linear part and its
# activation. You will meet one such layer, batch normalization, in lesson 5.

# %% [markdown]
# ## Each layer is one transformation
#
# A useful way to read any network: every layer takes a batch of arrays and turns it into
# another batch of arrays. One layer does one simple transformation; a deep stack does many
# of them in a row, and each layer works on what the layer before it made. The early layers
# turn the raw inputs into new features, the later ones combine those features, and step by
# step the data is reshaped into something the output layer can turn into the answer.
#
# We can watch the shapes change on their way through our 2-4-3-1 network. Each hidden layer
# re-describes every example with as many numbers as it has units:

# %%
values = np.random.default_rng(2).normal(size=(5, 2)).astype("float32")  # a batch of 5 examples
print(f"{'input':8} {values.shape}")
for layer in model.layers:
    values = layer(values)
    print(f"{layer.name:8} {tuple(values.shape)}")

# %% [markdown]
# ## Layers beyond Dense
#
# Dense layers are the only kind this course needs: our data are tables, and a dense layer
# treats its inputs as a list of numbers in no particular order. Other kinds of data have
# structure that specialized layers use. A short tour (each comes back in more advanced
# courses):
#
# * **Convolutional layers** (`layers.Conv2D`) for images: a small set of weights slides
#   over the pixel grid, so the same pattern (an edge, a spot) is found wherever it appears.
# * **Recurrent layers** (`layers.LSTM`, `layers.GRU`) for sequences such as text or
#   measurements over time: they read one step at a time and carry a memory from step to step.
# * **Embedding layers** (`layers.Embedding`) for categories with many values, such as words:
#   each category number is looked up in a table of learned vectors.
# * **Merging layers** (`layers.Concatenate`, `layers.Add`) join the outputs of two branches
#   into one, for models with several inputs.
#
# Each of them is again one transformation, from one shape to another. Let us pass a batch
# of two dummy examples through one of each and print the shapes:

# %%
examples = {
    "Conv2D(8, 3) on 28×28 grayscale images": (layers.Conv2D(8, kernel_size=3),
                                               np.zeros((2, 28, 28, 1), dtype="float32")),
    "LSTM(16) on sequences of 10 steps × 3 values": (layers.LSTM(16),
                                                     np.zeros((2, 10, 3), dtype="float32")),
    "Embedding(1000, 8) on 5 word numbers": (layers.Embedding(input_dim=1000, output_dim=8),
                                             np.zeros((2, 5), dtype="int32")),
}
for description, (layer, batch_in) in examples.items():
    print(f"{description:48} {batch_in.shape} -> {tuple(layer(batch_in).shape)}")
merged = layers.Concatenate()([np.zeros((2, 3), dtype="float32"), np.ones((2, 4), dtype="float32")])
print(f"{'Concatenate on a (2, 3) and a (2, 4) batch':48} -> {tuple(merged.shape)}")

# %% [markdown]
# The Keras [layers reference](https://keras.io/api/layers/) lists them all, grouped by kind,
# with their arguments and examples.

# %% [markdown]
# ## Your turn
#
# In the exercise you build and inspect a deep network of your own; in the lab you explore
# activation functions interactively. Both are linked in the navigation bar at the top and
# bottom of this page.

# %% [markdown]
# ## Further reading
#
# * Keras API reference: [layers](https://keras.io/api/layers/) (every kind of layer) and
#   [activations](https://keras.io/api/layers/activations/).
# * Keras guide, [The Sequential model](https://keras.io/guides/sequential_model/), and for
#   models with branches and merging layers, [The Functional API](https://keras.io/guides/functional_api/).
# * Why a network with one hidden layer can approximate any smooth function: K. Hornik,
#   M. Stinchcombe and H. White, "Multilayer feedforward networks are universal
#   approximators", *Neural Networks* 2(5), 1989,
#   [doi:10.1016/0893-6080(89)90020-8](https://doi.org/10.1016/0893-6080%2889%2990020-8).
# * An overview of the field by three of its founders: Y. LeCun, Y. Bengio and G. Hinton,
#   "Deep learning", *Nature* 521, 2015,
#   [doi:10.1038/nature14539](https://doi.org/10.1038/nature14539).
