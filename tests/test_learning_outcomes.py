"""The learning-outcome checks of lessons 4 and 6 exist and cannot be skipped.

These are static checks (nothing is trained): they read the lesson sources in
``content/lessons/`` with jupytext and the committed notebooks in ``notebooks/`` (built by
``scripts/build_notebooks.py``), and check that

* each lesson has its ``learning-outcome`` code cells, each with a real ``assert`` statement
  that compares against the published figure's threshold (so loosening a tolerance fails here);
* no such cell carries a tag or an nbval comment that would skip it or accept its failure;
* the committed notebook holds the same cells, with the same tags.

The checks themselves run when nbval executes the notebooks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "content" / "lessons"
NOTEBOOKS = ROOT / "notebooks"

TAG = "learning-outcome"

# Tags with which nbval, the build or a docs tool would skip a cell or accept its failure.
SKIPPING_TAGS = {
    "skip",
    "nbval-skip",
    "skip-execution",
    "raises-exception",
    "remove-cell",
    "remove_cell",
    "remove-input",
    "blank",
    "solution",
}
# In-source markers with the same effect under nbval.
SKIPPING_MARKERS = ("NBVAL_SKIP", "NBVAL_RAISES_EXCEPTION")

# For each lesson: how many learning-outcome cells it has, and the thresholds its asserts must
# use, as (comparison, number) pairs. The numbers come from the published results and from
# measurements over several seeds (see the lesson text).
EXPECTED = {
    "04": {"cells": 1, "thresholds": {("<=", 0.10)}},
    "06": {"cells": 2, "thresholds": {(">=", 0.75), ("<=", 0.60), (">=", 0.88)}},
}

_OPERATORS = {ast.LtE: "<=", ast.Lt: "<", ast.GtE: ">=", ast.Gt: ">"}


def _source_path(number: str) -> Path:
    matches = sorted(LESSONS.glob(f"{number}_*.py"))
    assert len(matches) == 1, f"expected one lesson source content/lessons/{number}_*.py, found {matches}"
    return matches[0]


def _notebook_path(number: str) -> Path:
    return NOTEBOOKS / (_source_path(number).stem + ".ipynb")


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _outcome_cells(notebook) -> list:
    return [cell for cell in notebook.cells if TAG in _tags(cell)]


def _asserts(source: str) -> list[ast.Assert]:
    return [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Assert)]


def _thresholds(source: str) -> set[tuple[str, float]]:
    """The (comparison, constant) pairs tested by the asserts, such as ('<=', 0.1)."""
    found = set()
    for node in _asserts(source):
        for compare in ast.walk(node.test):
            if not isinstance(compare, ast.Compare):
                continue
            for op, right in zip(compare.ops, compare.comparators):
                if type(op) in _OPERATORS and isinstance(right, ast.Constant) and isinstance(right.value, (int, float)):
                    found.add((_OPERATORS[type(op)], float(right.value)))
    return found


@pytest.fixture(params=sorted(EXPECTED), ids=lambda n: f"lesson{n}")
def lesson(request):
    number = request.param
    return number, jupytext.read(_source_path(number))


def test_learning_outcome_cells_exist_and_assert(lesson):
    number, notebook = lesson
    cells = _outcome_cells(notebook)
    assert len(cells) == EXPECTED[number]["cells"], (
        f"lesson {number} should have {EXPECTED[number]['cells']} cell(s) tagged {TAG!r}, found {len(cells)}"
    )
    for cell in cells:
        assert cell.cell_type == "code", f"a {TAG!r} cell in lesson {number} is not a code cell"
        assert _asserts(cell.source), f"this {TAG!r} cell of lesson {number} has no assert:\n{cell.source}"


def test_learning_outcome_thresholds_are_the_published_ones(lesson):
    number, notebook = lesson
    found = set().union(*(_thresholds(cell.source) for cell in _outcome_cells(notebook)))
    missing = EXPECTED[number]["thresholds"] - found
    assert not missing, f"lesson {number}'s learning-outcome asserts no longer test {sorted(missing)}; found {sorted(found)}"


def test_learning_outcome_cells_cannot_be_skipped(lesson):
    number, notebook = lesson
    for cell in _outcome_cells(notebook):
        skipping = SKIPPING_TAGS & set(_tags(cell))
        assert not skipping, f"a {TAG!r} cell of lesson {number} is tagged {sorted(skipping)}, so it would not be checked"
        for marker in SKIPPING_MARKERS:
            assert marker not in cell.source, f"a {TAG!r} cell of lesson {number} contains {marker}"


def test_committed_notebook_has_the_same_learning_outcome_cells(lesson):
    number, source = lesson
    path = _notebook_path(number)
    assert path.exists(), f"{path.relative_to(ROOT)} is missing: run python scripts/build_notebooks.py"
    built = nbformat.read(path, as_version=4)
    built_cells = _outcome_cells(built)
    source_cells = _outcome_cells(source)
    assert [c.source.strip() for c in built_cells] == [c.source.strip() for c in source_cells], (
        f"the {TAG!r} cells of {path.relative_to(ROOT)} differ from the source: run python scripts/build_notebooks.py"
    )
    for cell in built_cells:
        assert cell.cell_type == "code"
        assert not SKIPPING_TAGS & set(_tags(cell)), f"{path.name}: a {TAG!r} cell has a skipping tag {_tags(cell)}"
        assert not cell.get("outputs"), f"{path.name}: committed notebooks should have no outputs"


def test_threshold_parser_reads_comparisons():
    """The helper above must really see thresholds, or the threshold test could not fail."""
    source = "assert a <= 0.1, 'msg'\nassert 0.5 < b\nfor s in x:\n    assert s >= 0.88\nif a < 3:\n    pass"
    assert _thresholds(source) == {("<=", 0.1), (">=", 0.88)}
    assert not _asserts("x = 1")
