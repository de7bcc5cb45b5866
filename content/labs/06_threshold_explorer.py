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
# # Lab 6: The decision threshold
#
# A binary classifier with a sigmoid output gives each example a **probability** of belonging
# to the positive class. To turn that into a yes-or-no answer we compare it with a
# **threshold**, usually 0.5. In this lab you move the threshold yourself and watch which
# examples change sides, how the **accuracy** and the **confusion matrix** respond, and why
# the **cross-entropy** loss does not care.
#
# **In this lab you will**
#
# * turn probabilities into predictions with a threshold of your choice;
# * read a confusion matrix: true and false positives, true and false negatives;
# * see that accuracy depends on the threshold while cross-entropy does not;
# * find the examples a classifier is confidently wrong about.

# %%
import keras
import numpy as np
from keras import layers

from helpers import data, widgets

keras.utils.set_random_seed(0)

# %% [markdown]
# ## How to read the lab
#
# The lab first trains a small network on the ionosphere radar data (a few seconds), as in
# lesson 6. Each radar signal is labelled **good** (it shows structure in the ionosphere) or
# **bad**, and as in the lesson 'bad' is class 1: the network gives each of the 105
# validation signals a probability of being bad.
#
# * **Left:** every validation signal is a dot placed at its predicted probability (across)
#   and its cross-entropy loss (up). Blue dots are actually bad, orange ones actually good.
#   They sit on the two faint curves, the loss for each true class. A **hollow** dot is
#   misclassified at the current threshold. The dashed line is the threshold; to its right
#   (shaded) everything is predicted bad.
# * **Right:** the confusion matrix counts the four kinds of outcome. Green cells are right
#   answers, red cells mistakes: a "false bad" is a good signal called bad, a "false good" a
#   bad signal let through.
# * Under the figure: the accuracy, how many signals are predicted bad, and the mean
#   cross-entropy.

# %%
lab = widgets.threshold_explorer()
lab

# %% [markdown]
# ## Things to try
#
# 1. **The usual threshold.** At 0.5 the network gets about 90 % of the 105 signals right.
#    Which cells of the confusion matrix hold its 10 mistakes: good signals it called bad,
#    or bad signals it let through?
# 2. **Threshold 0.** Every signal is now predicted bad. What is the accuracy, and why does
#    it equal the share of bad signals (about 25 %)?
# 3. **Threshold 1.** Now every signal is predicted good, and the accuracy is about 75 %:
#    the share of good signals. A "classifier" that always says good needs no training at
#    all; keep that number in mind as the bar to beat. Which column of the matrix empties?
# 4. **Hunt for the best threshold.** Move slowly from 0.05 to 0.95. Where is the accuracy
#    highest? (Around 0.2 it reaches about 93 %, better than at 0.5.) Notice that the mean
#    cross-entropy (about 0.23) never changes: the loss is computed from the probabilities,
#    before any threshold is applied.
# 5. **Confidently wrong.** Find the blue dots at the top left: bad signals the network gave
#    a probability of being bad below 0.1. Their losses are near 3. Why does one confident
#    mistake raise the mean cross-entropy so much more than an unsure one (a dot near the
#    middle)? And which threshold would be needed to catch them?

# %% [markdown]
# The lab's numbers are available in code. For instance, the accuracy at every threshold
# from 0 to 1:

# %%
for threshold in np.linspace(0, 1, 11):
    lab.threshold.value = round(float(threshold), 2)
    print(f"threshold {threshold:.1f}: accuracy {lab.accuracy:.1%}, confusion matrix {lab.confusion.tolist()}")
lab.threshold.value = 0.5

# %% [markdown]
# ## Your own classifier, trained live
#
# The lab accepts any classifier's probabilities and the true labels (0 or 1). Here we train
# our own network on the ionosphere data, labelled as in lesson 6, with
# `widgets.LiveLearningCurves` watching both the loss and the accuracy, then explore its
# threshold. (The column V2 is 0 for every signal, so it is dropped: it carries no
# information and cannot be min-max scaled.)

# %%
radar = data.load_ionosphere()
df_train = radar.sample(frac=0.7, random_state=0)
df_valid = radar.drop(df_train.index)
features = [name for name in radar.columns if name != "Class" and df_train[name].nunique() > 1]
max_ = df_train[features].max(axis=0)
min_ = df_train[features].min(axis=0)
X_train = (df_train[features] - min_) / (max_ - min_)
X_valid = (df_valid[features] - min_) / (max_ - min_)
y_train = df_train["Class"].map({"good": 0, "bad": 1})
y_valid = df_valid["Class"].map({"good": 0, "bad": 1})

# %%
keras.utils.set_random_seed(0)  # so rerunning this cell gives the same curves
classifier = keras.Sequential([
    keras.Input(shape=(len(features),)),
    layers.Dense(8, activation="relu"),
    layers.Dense(8, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
classifier.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01), loss="binary_crossentropy",
                   metrics=["accuracy"])
history = classifier.fit(
    X_train, y_train,
    validation_data=(X_valid, y_valid),
    batch_size=64,
    epochs=30,
    callbacks=[widgets.LiveLearningCurves(metrics=("loss", "accuracy"))],
    verbose=0,
)
print(f"validation accuracy after 30 epochs: {history.history['val_accuracy'][-1]:.1%}")

# %% [markdown]
# Now hand its probabilities for the validation signals to the lab:

# %%
probabilities = classifier.predict(X_valid, verbose=0)
my_lab = widgets.threshold_explorer(probabilities, y_valid, class_names=("good", "bad"))
my_lab

# %% tags=["learning-outcome"]
assert my_lab.accuracy >= 0.85, (
    f"At threshold 0.5 your classifier gets {my_lab.accuracy:.0%} of the validation signals right; "
    "a trained network should reach about 90 %. Run the cells from 'radar = data.load_ionosphere()' again."
)
print(f"accuracy at threshold 0.5: {my_lab.accuracy:.1%}")

# %% [markdown]
# ## Takeaways
#
# * A classifier's output is a probability; the **threshold** turns it into a prediction.
#   0.5 is a habit, not a law: when one kind of mistake costs more, move the threshold.
# * The **confusion matrix** shows which mistakes a classifier makes; accuracy alone hides
#   that.
# * **Cross-entropy** scores the probabilities themselves, so it is the same at every
#   threshold. It punishes confident mistakes far more than unsure ones.
# * Accuracy must be compared with the simplest guess: always predicting the most common
#   class.
