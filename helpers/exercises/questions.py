"""Question types that several lessons reuse (built on ``core`` and ``inspect_model``)."""

from __future__ import annotations

from . import inspect_model as im
import numbers

from .core import Incorrect, Question, _describe, count_noun

__all__ = ["FeaturesAndInputShape", "describe_table"]


def describe_table(value) -> str:
    """'a DataFrame with 1599 rows and 11 columns', 'a NumPy array of shape (5, 3)', ..."""
    shape = getattr(value, "shape", None)
    kind = type(value).__name__
    if shape is None:
        return _describe(value)
    shape = tuple(shape)
    if kind == "DataFrame" and len(shape) == 2:
        return f"a DataFrame with {count_noun(shape[0], 'row')} and {count_noun(shape[1], 'column')}"
    if kind == "Series":
        return f"a single column (a pandas Series of {count_noun(shape[0], 'value')})"
    return f"a `{kind}` of shape {im._shape_text(shape)}"


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
        dropped = ", ".join(repr(c) for c in (target, *self.also_drop))
        drop_list = f"[{dropped}]" if self.also_drop else dropped
        self.hint_text = (
            f"`X` is `{frame_name}` without the target column `'{target}'`: use `.drop(columns=...)`. "
            "A model sees one example (one row of `X`) at a time, so its input shape is the shape of "
            "one row: everything in `X.shape` except the first number."
        )
        self.solution_text = f"""
            ```python
            X = {frame_name}.drop(columns={drop_list})
            input_shape = X.shape[1:]    # ({n_features},)
            ```
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
            raise Incorrect(f"`X` has shape {im._shape_text(shape)}; it should be a table of rows and columns.")
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
        if getattr(input_shape, "shape", None) is not None and not im._is_keras_tensor(input_shape):
            shape_of_table = tuple(input_shape.shape)
            raise Incorrect(
                f"`input_shape` is a whole table of shape {im._shape_text(shape_of_table)}, not a shape. "
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
            if im._is_keras_tensor(input_shape):
                notes.append(f"(A `keras.Input(shape=({n},))` works too: it is exactly what goes first in the model.)")
            elif isinstance(input_shape, list):
                notes.append(f"(A list works; Keras shapes are usually written as tuples, `({n},)`.)")
            return " ".join(notes)
        if shape == (n + 1,):
            raise Incorrect(
                f"`{im._shape_text(shape)}` counts the target `'{self.target}'` too. The model's inputs are only "
                f"the {n} features: `({n},)`."
            )
        if shape == (rows, n):
            raise Incorrect(
                f"`{im._shape_text(shape)}` is the shape of the whole table. The input shape describes one "
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
            f"The input shape you gave is {im._shape_text(shape)}; it should be `({n},)`, one number per feature: "
            "`X.shape[1:]`."
        )
