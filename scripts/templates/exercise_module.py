"""Exercise ${number} (${title_lower}): the questions.

* ``q1.check(n_wines)``: the number of wines in the red wine data (an example question: replace
  it with the exercise's own).
"""

from __future__ import annotations

import numbers

from .core import Incorrect, Question

__all__ = ["q1"]


class CountExamples(Question):
    title = "How many examples"
    expected = "a whole number"
    hint_text = [
        "Each row of the table is one wine. Which Python function counts the items of a collection?",
        "`len(...)` of a pandas table is its number of rows; `red_wine.shape[0]` gives the same.",
    ]
    solution_notes = "`len` of a pandas table counts its rows: one row per wine."

    def _check(self, n_wines):
        from helpers import data

        expected = len(data.load_red_wine())
        if isinstance(n_wines, bool) or not isinstance(n_wines, numbers.Integral):
            raise Incorrect(f"`n_wines` should be a whole number, such as `{expected // 2}`, not a "
                            f"{type(n_wines).__name__}. `len(red_wine)` counts the rows.")
        if n_wines != expected:
            raise Incorrect(f"`n_wines` is {n_wines}, but the table has a different number of rows: "
                            "count them with `len(red_wine)`.")
        return f"{expected} wines, one per row."


q1 = CountExamples("q1")
