"""Question types that several lessons reuse (built on ``core`` and ``inspect_model``)."""

from __future__ import annotations

from . import inspect_model as im
from .core import Incorrect, Question, _describe

__all__ = ["FeaturesAndInputShape", "describe_table"]


def describe_table(value) -> str:
    """'a DataFrame with 1599 rows and 11 columns', 'a NumPy array of shape (5, 3)', ..."""
    shape = getattr(value, "shape", None)
    kind = type(value).__name__
    if shape is None:
        return _describe(value)
    shape = tuple(shape)
    if kind == "DataFrame" and len(shape) == 2:
        return f"a DataFrame with {shape[0]} rows and {shape[1]} columns"
    if kind == "Series":
        return f"a single column (a pandas Series of {shape[0]} values)"
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
                f"`X` has {rows} rows, but {self.data_name} has {self.n_rows} {self.row_word}. Keep every row; "
                "only the target *column* goes."
            )
        if cols == self.n_features + 1 and not columns:
            raise Incorrect(
                f"`X` has {cols} columns, one too many: it probably still includes the target `'{self.target}'`."
            )
        if cols != self.n_features:
            raise Incorrect(
                f"`X` has {cols} columns; {self.data_name} has {self.n_features} features once the target is "
                "dropped. Drop only the target column."
            )

    def _check(self, X, input_shape):
        self._check_features(X)
        if getattr(input_shape, "shape", None) is not None and not im._is_keras_tensor(input_shape):
            shape_of_table = tuple(input_shape.shape)
            raise Incorrect(
                f"`input_shape` is a whole table of shape {im._shape_text(shape_of_table)}, not a shape. "
                "Take the shape of one example: `X.shape[1:]`."
            )
        shape = im.as_shape(input_shape, "the input shape")
        n, rows = self.n_features, self.n_rows
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
            raise Incorrect(f"{rows} is the number of {self.row_word} (rows); the input shape counts the features (columns).")
        if shape == (1, n):
            raise Incorrect(f"Leave out the leading 1: the input shape is `({n},)`; Keras adds the batch dimension itself.")
        raise Incorrect(f"The input shape you gave is {im._shape_text(shape)}; it should be `({n},)`, one number per feature.")
