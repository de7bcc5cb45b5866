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
# * find the examples a classifier is confidently wrong about;
# * choose a threshold on the validation set and report its accuracy on the test set, once.

# %%
import keras
import numpy as np
from keras import layers

from helpers import data, outcomes, widgets

keras.utils.set_random_seed(0)

# %% [markdown]
# ## How to read the lab
#
# The lab first trains a small network on the ionosphere radar data (a few seconds), with the
# split of lesson 6: 246 training signals, 52 validation signals and 53 test signals. Each
# radar signal is labeled **good** (it shows structure in the ionosphere) or **bad**, and as in
# the lesson 'bad' is class 1. The network trains for a fixed 40 epochs on the training
# signals only, then gives each of the 52 validation signals a probability of being bad. The
# test signals stay out of sight until the end.
#
# * **Left:** every validation signal is a dot placed at its predicted probability (across)
#   and its cross-entropy loss (up). Blue dots are actually bad, orange ones actually good.
#   They sit on the two faint curves, the loss for each true class. A **hollow** dot is
#   misclassified at the current threshold. The dashed line is the threshold; from it to the
#   right (shaded) everything is predicted bad.
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
# 1. **The usual threshold.** At 0.5 the network gets about 90 % of the 52 validation signals
#    right. Which cells of the confusion matrix hold its 5 mistakes: good signals it called
#    bad, or bad signals it let through?
# 2. **Threshold 0.** Every signal is now predicted bad. What is the accuracy, and why does
#    it equal the share of bad signals (a quarter)?
# 3. **Threshold 1.** Now almost every signal is predicted good (only a probability that
#    rounds to exactly 1 still counts as bad), and the accuracy is close to 75 %: the share of
#    good signals. A "classifier" that always says good needs no training at all; keep that
#    number in mind as the bar to beat. Which column of the matrix (nearly) empties?
# 4. **Hunt for the best threshold.** Move slowly from 0.05 to 0.95. Where is the accuracy
#    highest? Notice that the mean cross-entropy never changes: the loss is computed from the
#    probabilities, before any threshold is applied.
# 5. **Confidently wrong.** Find the blue dots at the top left: bad signals the network gave
#    a probability of being bad below 0.1. Their losses are between 2 and 3.5. Why does one
#    confident mistake raise the mean cross-entropy so much more than an unsure one (a dot
#    near the middle)? And which threshold would be needed to catch them?

# %% [markdown]
# The lab's numbers are available in code. For instance, the accuracy on the validation
# signals at every threshold from 0 to 1:

# %%
for threshold in np.linspace(0, 1, 11):
    lab.threshold.value = round(float(threshold), 2)
    print(f"threshold {threshold:.1f}: accuracy {lab.accuracy:.1%}, confusion matrix {lab.confusion.tolist()}")
lab.threshold.value = 0.5

# %% [markdown]
# ## Choose on validation, score on test
#
# Suppose we pick the threshold with the highest validation accuracy. Its validation accuracy
# is then the best of many tries on the same 52 signals, so it flatters the threshold: some
# of its lead is luck with these particular signals. As in lessons 4 and 6, the honest score
# comes from the test signals, which played no part in the choice, and we look at them
# **once**, after choosing. Looking again and again while adjusting the threshold would turn
# them into a second validation set.
#
# The function below tries every threshold from 0.05 to 0.95 in steps of 0.05 and returns the
# one with the highest accuracy (on a tie, the one closest to the usual 0.5):

# %%
def best_threshold(probabilities, labels):
    """The threshold (0.05, 0.10, ..., 0.95) with the highest accuracy on these examples;
    on a tie, the one closest to 0.5."""
    probabilities, labels = np.ravel(probabilities), np.ravel(labels)
    candidates = np.round(np.arange(0.05, 0.96, 0.05), 2)
    accuracies = np.array([((probabilities >= t) == labels).mean() for t in candidates])
    tied = candidates[accuracies == accuracies.max()]
    return float(tied[np.argmin(np.abs(tied - 0.5))])


valid_probabilities, valid_labels = widgets.ionosphere_probabilities("validation")
chosen_threshold = best_threshold(valid_probabilities, valid_labels)
valid_accuracy = ((valid_probabilities >= chosen_threshold) == valid_labels).mean()
usual_accuracy = ((valid_probabilities >= 0.5) == valid_labels).mean()
print(f"chosen threshold: {chosen_threshold:.2f}")
print(f"validation accuracy: {valid_accuracy:.1%} at {chosen_threshold:.2f}, "
      f"{usual_accuracy:.1%} at 0.5 "
      f"({round((valid_accuracy - usual_accuracy) * len(valid_labels))} more of "
      f"{len(valid_labels)} signals right)")

# %% [markdown]
# The chosen threshold gets only a signal or two more right than 0.5 on the validation set
# (printed above): a gain that small is the kind of difference chance alone makes on 52
# signals. Now the test signals, once:

# %%
test_probabilities, test_labels = widgets.ionosphere_probabilities("test")
test_accuracy = ((test_probabilities >= chosen_threshold) == test_labels).mean()
print(f"test accuracy at the chosen threshold {chosen_threshold:.2f}: {test_accuracy:.1%} "
      f"(validation: {valid_accuracy:.1%})")
print(f"always answering 'good' on the test signals: {(test_labels == 0).mean():.1%}")

# %% [markdown]
# The test accuracy is the figure to report for this classifier with this threshold. Here it
# comes out lower than the validation accuracy that won the choice (both are printed above):
# part of the winner's lead was luck with the 52 validation signals. It still clearly beats
# the yardstick of always answering 'good' on the same test signals.

# %% [markdown]
# ## Your own classifier, trained live
#
# The lab accepts any classifier's probabilities and the true labels (0 or 1). Here we train
# our own network on the ionosphere data, split and labeled as in lesson 6, with
# `widgets.LiveLearningCurves` watching both the loss and the accuracy, then explore its
# threshold. `data.ionosphere_split()` prepares the data as lesson 6 does: 'bad' is 1, 70 % of
# the signals for training, the rest cut into validation and test halves, min-max scaling from
# the training split. (The column V2 is 0 for every signal, so it is dropped: it carries no
# information and cannot be min-max scaled.)

# %%
split = data.ionosphere_split()
X_train, y_train = split.X_train, split.y_train
X_valid, y_valid = split.X_valid, split.y_valid  # choose on these
X_test, y_test = split.X_test, split.y_test  # score on these, once
print(f"{len(X_train)} training, {len(X_valid)} validation and {len(X_test)} test signals")

# %%
keras.utils.set_random_seed(0)  # so rerunning this cell gives the same curves
classifier = keras.Sequential([
    keras.Input(shape=(X_train.shape[1],)),
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
# Now hand its probabilities for the validation signals to the lab, and explore:

# %%
probabilities = classifier.predict(X_valid, verbose=0)
my_lab = widgets.threshold_explorer(probabilities, y_valid, class_names=("good", "bad"))
my_lab

# %% [markdown]
# Choose its threshold on the validation signals, then score it on the test signals, once.
# Again, compare the two accuracies printed below. The check after them asks that the test
# accuracy clearly beat always answering 'good' on the same test signals.

# %%
my_threshold = best_threshold(probabilities, y_valid)
my_test_accuracy = float(((classifier.predict(X_test, verbose=0).ravel() >= my_threshold) == y_test).mean())
baseline_test_accuracy = float((y_test == 0).mean())
print(f"chosen on validation: threshold {my_threshold:.2f} "
      f"(validation accuracy {((np.ravel(probabilities) >= my_threshold) == y_valid).mean():.1%})")
print(f"test accuracy, once: {my_test_accuracy:.1%}")

# %% tags=["learning-outcome"]
outcomes.check_outcome(
    "test accuracy at the threshold chosen on validation", my_test_accuracy, at_least=0.85,
    baseline=baseline_test_accuracy, baseline_name="always answering 'good'",
    advice="Run the cells from 'split = data.ionosphere_split()' again, without changing the seed.",
)

# %% [markdown]
# ## Takeaways
#
# * A classifier's output is a probability; the **threshold** turns it into a prediction.
#   0.5 is a habit, not a law: when one kind of mistake costs more, move the threshold.
# * The **confusion matrix** shows which mistakes a classifier makes; accuracy alone hides
#   that.
# * **Cross-entropy** scores the probabilities themselves, so it is the same at every
#   threshold. It punishes confident mistakes far more than unsure ones.
# * **Choose** the threshold on the validation set and **report** its accuracy on the test
#   set, once. The best validation accuracy flatters the threshold that won it.
# * Accuracy must be compared with the simplest guess on the same examples: always
#   predicting the most common class.
