"""Question types that several lessons reuse (built on ``core`` and ``inspect_model``).

* :class:`FeaturesAndInputShape`: the feature table without the target, and one example's shape.
* :class:`OpenChallenge`: beat a target on held-out data with any model the learner likes; the
  feedback compares the learner's score with the target, the trivial baseline and the
  reference solution.
"""

from __future__ import annotations

import inspect
import math
import numbers

from . import inspect_model as im
from .core import Incorrect, Question, describe, count_noun

__all__ = ["FeaturesAndInputShape", "OpenChallenge", "describe_table"]


def describe_table(value) -> str:
    """'a DataFrame with 1599 rows and 11 columns', 'a NumPy array of shape (5, 3)', ..."""
    shape = getattr(value, "shape", None)
    kind = type(value).__name__
    if shape is None:
        return describe(value)
    shape = tuple(shape)
    if kind == "DataFrame" and len(shape) == 2:
        return f"a DataFrame with {count_noun(shape[0], 'row')} and {count_noun(shape[1], 'column')}"
    if kind == "Series":
        return f"a single column (a pandas Series of {count_noun(shape[0], 'value')})"
    return f"a `{kind}` of shape {im.shape_text(shape)}"


class FeaturesAndInputShape(Question):
    """``check(X, input_shape)``: the feature table without the target, and one example's shape.

    Parameters describe the dataset: ``data_name`` ("the red wine data"), ``row_word``
    ("wines"), ``target`` (the column to drop), ``n_rows`` and ``n_features``.
    """

    expected = "a table of features `X` and an input shape such as `(5,)`"

    def __init__(self, name, *, data_name, frame_name, row_word, example_word, target, n_rows, n_features,
                 also_drop=(), title="Features and input shape"):
        super().__init__(name, title)
        self.data_name, self.frame_name, self.row_word = data_name, frame_name, row_word
        self.example_word = example_word
        self.target, self.n_rows, self.n_features = target, n_rows, n_features
        self.also_drop = tuple(also_drop)
        self.hint_text = (
            f"`X` is `{frame_name}` without the target column `'{target}'`: use `.drop(columns=...)`. "
            "A model sees one example (one row of `X`) at a time, so its input shape is the shape of "
            "one row: everything in `X.shape` except the first number."
        )
        self.solution_notes = f"""
            `X.shape` is `({n_rows}, {n_features})`: {n_rows} {row_word}, {n_features} features each.
            Dropping the first number gives the shape of a single example.
        """

    def _check_features(self, X):
        shape = getattr(X, "shape", None)
        if shape is None or isinstance(X, type):
            raise Incorrect(
                f"`X` is {describe_table(X)}; it should be the table `{self.frame_name}` with the target "
                f"column removed: `{self.frame_name}.drop(columns='{self.target}')`."
            )
        shape = tuple(shape)
        if len(shape) == 1:
            raise Incorrect(
                f"`X` is {describe_table(X)}. `X` should hold *all* the feature columns, so drop only "
                f"the target: `{self.frame_name}.drop(columns='{self.target}')`."
            )
        if len(shape) != 2:
            raise Incorrect(f"`X` has shape {im.shape_text(shape)}; it should be a table of rows and columns.")
        columns = [str(c) for c in getattr(X, "columns", [])]
        if self.target in columns:
            raise Incorrect(
                f"`X` still contains the target column `'{self.target}'`. The target is what the model "
                f"predicts, so it must not be one of its inputs: `{self.frame_name}.drop(columns='{self.target}')`."
            )
        leftover = [c for c in self.also_drop if c in columns]
        if leftover:
            raise Incorrect(f"`X` still contains {', '.join(map(repr, leftover))}; drop that column as well.")
        rows, cols = shape
        if rows != self.n_rows:
            raise Incorrect(
                f"`X` has {count_noun(rows, 'row')}, but {self.data_name} has {self.n_rows} {self.row_word}. Keep every row; "
                "only the target *column* goes."
            )
        if cols == self.n_features + 1 and not columns:
            raise Incorrect(
                f"`X` has {cols} columns, one too many: it probably still includes the target `'{self.target}'`."
            )
        if cols != self.n_features:
            raise Incorrect(
                f"`X` has {count_noun(cols, 'column')}; {self.data_name} has {self.n_features} features once the "
                f"target is dropped. Drop only the target column: `{self.frame_name}.drop(columns='{self.target}')`."
            )
        self._check_values(X)

    def _reference(self):
        """The data's feature table and target column (None if the data cannot be loaded here)."""
        try:
            from helpers import data

            frame = getattr(data, f"load_{self.frame_name}")()
        except Exception:
            return None
        return frame.drop(columns=[self.target, *self.also_drop]), frame[self.target]

    def _check_values(self, X):
        """Same rows and feature columns as the data (any index, any column order, NumPy or pandas)."""
        import numpy as np

        try:
            values = np.asarray(X, dtype="float64")
        except (TypeError, ValueError):
            raise Incorrect(
                "`X` holds values that are not numbers. It should be the feature columns of "
                f"`{self.frame_name}`: `{self.frame_name}.drop(columns='{self.target}')`."
            ) from None
        if not np.isfinite(values).all():
            raise Incorrect(
                f"`X` has the right shape but holds NaN (missing) or infinite values; {self.data_name} has none. "
                f"Build `X` from the data itself: `{self.frame_name}.drop(columns='{self.target}')`."
            )
        reference = self._reference()
        if reference is None:
            return
        features, target = reference
        expected = features.to_numpy(dtype="float64")
        target = target.to_numpy(dtype="float64")
        for j in range(values.shape[1]):
            column = values[:, j]
            if any(np.allclose(column, expected[:, k], rtol=1e-5, atol=1e-6) for k in range(expected.shape[1])):
                continue
            name = f"column {j} of `X`" if not hasattr(X, "columns") else f"column `{X.columns[j]!r}` of `X`"
            if np.allclose(column, target, rtol=1e-5, atol=1e-6):
                raise Incorrect(
                    f"{name[0].upper()}{name[1:]} holds the target `'{self.target}'` values. The target is what "
                    f"the model predicts, so drop it: `{self.frame_name}.drop(columns='{self.target}')`."
                )
            raise Incorrect(
                f"{name[0].upper()}{name[1:]} does not hold any feature of {self.data_name} row by row (changed, "
                f"scaled or reordered values?). `X` should be the data as loaded, minus the target: "
                f"`{self.frame_name}.drop(columns='{self.target}')`."
            )

    def _check(self, X, input_shape):
        """Accepts for `X` the data's feature columns, every row, as a DataFrame or a NumPy array
        (any index, any column order); for `input_shape` the shape of one row: `(n,)`, `[n]`,
        `X.shape[1:]` or the `keras.Input(shape=(n,))` tensor."""
        self._check_features(X)
        if getattr(input_shape, "shape", None) is not None and not im.is_keras_tensor(input_shape):
            shape_of_table = tuple(input_shape.shape)
            raise Incorrect(
                f"`input_shape` is a whole table of shape {im.shape_text(shape_of_table)}, not a shape. "
                "Take the shape of one example: `X.shape[1:]`."
            )
        n, rows = self.n_features, self.n_rows
        if isinstance(input_shape, numbers.Integral) and not isinstance(input_shape, bool):
            if input_shape == rows:
                raise Incorrect(
                    f"`{input_shape}` is the number of {self.row_word} (`X.shape[0]`, the rows). The input shape "
                    f"describes one example, so it counts the features (the columns): `X.shape[1:]`, which is `({n},)`."
                )
            if input_shape == n:
                raise Incorrect(
                    f"`{input_shape}` is the right number of features, but the input shape is a *tuple*: write "
                    f"`({n},)` or `X.shape[1:]`. The trailing comma makes a one-element tuple; `({n})` is just the number {n}."
                )
            raise Incorrect(
                f"The input shape you gave is the number `{input_shape}`; it should be the tuple `({n},)`, one entry "
                "per feature: `X.shape[1:]`."
            )
        if isinstance(input_shape, (tuple, list)) and len(input_shape) == 2 and input_shape[0] is None:
            raise Incorrect(
                f"`{tuple(input_shape)}` includes the batch dimension (`None`, any number of examples). The input "
                f"shape leaves it out, since Keras adds it itself: `({n},)`, which is `X.shape[1:]`."
            )
        shape = im.as_shape(input_shape, "the input shape")
        if shape == (n,):
            notes = [f"Each {self.example_word} is described by {n} numbers, so the model's input shape is ({n},)."]
            if im.is_keras_tensor(input_shape):
                notes.append(f"(A `keras.Input(shape=({n},))` works too: it is exactly what goes first in the model.)")
            elif isinstance(input_shape, list):
                notes.append(f"(A list works; Keras shapes are usually written as tuples, `({n},)`.)")
            return " ".join(notes)
        if shape == (n + 1,):
            raise Incorrect(
                f"`{im.shape_text(shape)}` counts the target `'{self.target}'` too. The model's inputs are only "
                f"the {n} features: `({n},)`."
            )
        if shape == (rows, n):
            raise Incorrect(
                f"`{im.shape_text(shape)}` is the shape of the whole table. The input shape describes one "
                "example (one row); Keras adds the batch dimension, how many examples, itself. So the input shape "
                "is the shape of one row: `X.shape[1:]`."
            )
        if shape in {(rows,), (rows, 1)}:
            raise Incorrect(
                f"{rows} is the number of {self.row_word} (rows); the input shape counts the features (columns): "
                f"`X.shape[1:]`, which is `({n},)`."
            )
        if shape == (1, n):
            raise Incorrect(f"Leave out the leading 1: the input shape is `({n},)`; Keras adds the batch dimension itself.")
        raise Incorrect(
            f"The input shape you gave is {im.shape_text(shape)}; it should be `({n},)`, one number per feature: "
            "`X.shape[1:]`."
        )


class OpenChallenge(Question):
    """An open challenge: reach ``target`` on the exercise's held-out test data, any way you like.

    The check looks at the outcome, never at the code. A subclass sets

    * ``metric``: what is measured, as the learner reads it ("test MAE", "test accuracy");
    * ``higher_is_better``: True for accuracy, False for an error such as the MAE;
    * ``target``: the score to reach (a literal, met by the reference solution on every seed);
    * ``baseline_name``: the trivial baseline in words ("always predicting the median");
    * ``reference``: the reference solution's scores over seeds 0-2 as ``(low, high)``, as
      ``reference_scores()`` measures them;
    * optionally ``unit`` ("MPa"), ``decimals`` (3) and ``ideas`` (Markdown: what to try next),

    and implements

    * ``_score(self, *answers) -> float``: the learner's score on the held-out test data. Its
      parameters are what ``check`` takes (``q6.check(model, X_test, y_test)``). It verifies
      that it was given the real test split (``self._require_held_out(y_test, expected)``)
      and raises ``Incorrect("...")`` with a kind explanation otherwise;
    * ``_baseline_score(self) -> float``: the baseline's score on the same test data;
    * ``_reference_score(self, seed) -> float``: the reference solution's score when trained
      from ``seed`` (``reference_scores`` runs it for seeds 0-2; ``tests/test_challenges.py``
      checks the result against ``target`` and ``reference``);
    * optionally ``_design_notes(self, model) -> list[str]``: what in the model's layers explains
      a missed target.

    Feedback shows a small table (the learner's score, the target, the baseline, the reference
    range) and says what the comparison means. Meeting the target is "correct" (and recorded in
    the learner's progress); missing it is "not quite", with the gap and ``ideas``.
    """

    metric: str = "score"
    higher_is_better: bool = True
    target: float = math.nan
    baseline_name: str = "the trivial baseline"
    reference: tuple[float, float] = (math.nan, math.nan)
    unit: str = ""
    decimals: int = 3
    ideas: str = (
        "Things to try: more or wider hidden layers, dropout or batch normalization, early stopping "
        "with a larger `patience`, another learning rate or batch size. Judge each change on the "
        "validation data, and come back to this test only for your final model."
    )
    expected = "your trained model and the held-out test data the notebook prepared"
    correct_text = "🏆 Challenge met!"

    # -- for subclasses ------------------------------------------------------------------------
    def _score(self, *answers) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def _baseline_score(self) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def _reference_score(self, seed: int) -> float:  # pragma: no cover - abstract
        """The held-out score of the reference solution trained from ``seed``."""
        raise NotImplementedError

    def reference_scores(self, seeds=(0, 1, 2)) -> dict[int, float]:
        """``{seed: held-out score}`` of the reference solution, trained afresh from each seed.

        The course's tests call this on every change to show that ``target`` is met on every
        seed and that ``reference``, the range the feedback table shows, is what it reaches.
        """
        return {int(seed): float(self._reference_score(int(seed))) for seed in seeds}

    def _require_held_out(self, given, expected, name: str = "y_test") -> None:
        """Raise ``Incorrect`` unless ``given`` holds exactly the values of the held-out ``expected``."""
        import numpy as np

        what = "the test split the notebook prepared"
        try:
            given_values = np.asarray(given, dtype="float64").ravel()
        except (TypeError, ValueError):
            raise Incorrect(
                f"`{name}` is {describe(given)}, not a column of numbers. Pass {what}, as the cell above does."
            ) from None
        expected_values = np.asarray(expected, dtype="float64").ravel()
        if given_values.shape != expected_values.shape:
            raise Incorrect(
                f"`{name}` has {count_noun(given_values.size, 'value')}, but {what} has "
                f"{expected_values.size}. The challenge is scored on data the model never trained or chose "
                f"anything on, so pass `{name}` itself, not the training or validation data."
            )
        if not np.allclose(given_values, expected_values, rtol=1e-6, atol=1e-9, equal_nan=True):
            raise Incorrect(
                f"`{name}` has the right length but not the same values as {what} (changed, rescaled or "
                f"reordered?). Score your model on the untouched test split so that everyone's result means "
                "the same thing."
            )

    # -- machinery -----------------------------------------------------------------------------
    def _checker(self):
        return self._score

    def _format(self, value: float) -> str:
        text = f"{value:.{self.decimals}f}"
        return f"{text} {self.unit}" if self.unit else text

    def _better(self, a: float, b: float) -> bool:
        """``a`` is a strictly better score than ``b``."""
        return a > b if self.higher_is_better else a < b

    def _meets(self, score: float, bar: float) -> bool:
        return score >= bar if self.higher_is_better else score <= bar

    def _cached_baseline(self) -> float:
        if getattr(self, "_baseline_cache", None) is None:
            self._baseline_cache = float(self._baseline_score())
        return self._baseline_cache

    def _table(self, score: float, baseline: float) -> str:
        direction = "higher" if self.higher_is_better else "lower"
        bound = "at least" if self.higher_is_better else "at most"
        low, high = sorted(self.reference)
        rows = [
            f"| | {self.metric} ({direction} is better) |",
            "|---|---|",
            f"| **your model** | **{self._format(score)}** |",
            f"| target | {bound} {self._format(self.target)} |",
            f"| baseline: {self.baseline_name} | {self._format(baseline)} |",
            f"| reference solution, seeds 0-2 | {self._format(low)} to {self._format(high)} |",
        ]
        return "\n".join(rows)

    def _design_notes(self, model) -> list[str]:
        """Sentences on what in ``model``'s design explains a missed target (none here).

        Called with the learner's model (the first answer) when its score misses the target or is
        not a number; the sentences follow the feedback after "What your model's design tells us".
        """
        return []

    def _require_test_table(self, X_test, shape, *, table: str, but: str, dtype: str = "float64"):
        """``X_test`` as an array of ``dtype``, or ``Incorrect`` with a message for each way it can be wrong.

        Not a 2-D table: "`X_test` is ...; it should be {table}". Not of ``shape``: "`X_test` has
        shape (...), but {but}". Not numbers: "`X_test` holds values that are not numbers."
        """
        import numpy as np

        given = getattr(X_test, "shape", None)
        if given is None or len(tuple(given)) != 2:
            raise Incorrect(f"`X_test` is {describe_table(X_test)}; it should be {table}.")
        if tuple(given) != tuple(shape):
            raise Incorrect(f"`X_test` has shape {im.shape_text(tuple(given))}, but {but}")
        try:
            return np.asarray(X_test, dtype=dtype)
        except (TypeError, ValueError):
            raise Incorrect("`X_test` holds values that are not numbers.") from None

    def _check(self, *answers, **named_answers):
        score = self._score(*answers, **named_answers)
        try:
            return self._judge(score)
        except Incorrect as missed:
            arguments = inspect.signature(self._score).bind(*answers, **named_answers).arguments
            notes = self._design_notes(next(iter(arguments.values()), None))
            if not notes:
                raise
            raise Incorrect(f"{missed.message}\n\n**What your model's design tells us:** " + " ".join(notes)) from None

    def _judge(self, score) -> str:
        """The feedback on ``score``: a table and a verdict (``Incorrect`` when the target is missed)."""
        if isinstance(score, bool) or not isinstance(score, numbers.Real):
            raise TypeError(f"_score returned {describe(score)}, not a number")
        score = float(score)
        if not math.isfinite(score):
            raise Incorrect(
                f"Your model's {self.metric} is not a number (`{score}`): its predictions contain NaN or "
                "infinite values, which usually means training diverged. Try a smaller learning rate, check "
                "that the inputs are scaled, and train again."
            )
        baseline = self._cached_baseline()
        table = self._table(score, baseline)
        low, high = sorted(self.reference)
        honest = (
            "*Keep the test data for this final check: choose your model on the validation data, "
            "or the test score stops being an honest estimate of how it does on new data.*"
        )
        if not self._meets(score, self.target):
            gap = abs(score - self.target)
            if not self._better(score, baseline):
                verdict = (
                    f"Your model does no better than {self.baseline_name}, so it has not learned anything useful "
                    "from the features yet. Check the basics first: scaled inputs, the output layer and loss "
                    "that suit the task, enough epochs for the curves to flatten."
                )
            else:
                verdict = (
                    f"Your model beats {self.baseline_name} by {self._format(abs(score - baseline))}, so it has "
                    f"learned something, but it is {self._format(gap)} short of the target."
                )
            raise Incorrect(f"{table}\n\n{verdict}\n\n{self.ideas}\n\n{honest}")
        if self._better(score, high if self.higher_is_better else low):
            verdict = (
                "You beat the reference solution on every seed we tried. Before you celebrate, rerun with "
                "another seed: if the result holds, your choices really are better."
            )
        elif self._meets(score, low if self.higher_is_better else high):
            verdict = "Your model is on a par with the reference solution."
        else:
            verdict = (
                "You met the target; the reference solution did a little better, so there is still room: "
                "compare your choices with `{name}.solution()`.".format(name=self.name)
            )
        return f"{table}\n\n{verdict} {honest}"
