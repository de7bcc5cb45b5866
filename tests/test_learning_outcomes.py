"""Learning-outcome cells exist, name the baseline they beat, and cannot be skipped.

These are static checks (nothing is trained) on every notebook source in ``content/``
(lessons, labs, exercises) and on the committed notebooks built from them:

* every lesson that trains a model (calls ``.fit(``) has at least one ``learning-outcome`` cell;
* every ``learning-outcome`` cell calls ``outcomes.check_outcome(...)`` with a threshold
  (``at_most=`` or ``at_least=``, a number) and a baseline computed in the notebook
  (``baseline=`` an expression, not a typed-in number, and ``baseline_name=``);
* no such cell carries a tag or an nbval comment that would skip it or accept its failure;
* the committed notebooks hold the same cells, with the same tags.

``check_outcome`` itself fails when a threshold is within reach of the trivial baseline
(``tests/test_outcomes.py``), and nbval runs the cells, so a lax threshold fails the tests.
"""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import nbformat
import pytest
from course_parts import build_script

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"

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


def _sources() -> list[Path]:
    return sorted(CONTENT.glob("*/[0-9][0-9]_*.py"))


def _built_notebooks(source: Path) -> list[Path]:
    """The committed notebooks built from ``source`` (an exercise gives two), where the build puts them."""
    build = build_script()
    kind = source.parent.name
    entry = build.Source(kind, source, int(source.name[:2]), source.stem, "")
    if kind == "lessons":
        return [build.lesson_path(entry)]
    if kind == "labs":
        return [build.lab_path(entry)]
    return [build.exercise_path(entry), build.solution_path(entry)]


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _outcome_cells(notebook) -> list:
    return [cell for cell in notebook.cells if TAG in _tags(cell)]


def _check_outcome_calls(source: str) -> list[ast.Call]:
    calls = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if name == "check_outcome":
                calls.append(node)
    return calls


def _call_problems(call: ast.Call) -> list[str]:
    """What is wrong with one ``check_outcome(...)`` call, if anything."""
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    problems = []
    thresholds = [name for name in ("at_most", "at_least") if name in keywords]
    if len(thresholds) != 1:
        problems.append("give exactly one of at_most= and at_least=")
    elif not (isinstance(keywords[thresholds[0]], ast.Constant) and isinstance(keywords[thresholds[0]].value, (int, float))):
        problems.append(f"{thresholds[0]}= should be a number written in the cell, so readers see the target")
    if "baseline" not in keywords:
        problems.append("baseline= is missing: name the trivial baseline the result must beat")
    elif isinstance(keywords["baseline"], ast.Constant):
        problems.append("baseline= is a typed-in number: compute the baseline in the notebook")
    if "baseline_name" not in keywords:
        problems.append("baseline_name= is missing: say what the baseline is")
    return problems


SOURCES = _sources()
OUTCOME_SOURCES = [path for path in SOURCES if _outcome_cells(jupytext.read(path))]


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


@pytest.mark.parametrize("path", [p for p in SOURCES if p.parent.name == "lessons"], ids=_id)
def test_every_lesson_that_trains_has_a_learning_outcome_cell(path):
    notebook = jupytext.read(path)
    trains = any(cell.cell_type == "code" and ".fit(" in cell.source for cell in notebook.cells)
    if not trains:
        pytest.skip(f"{_id(path)} trains no model")
    assert _outcome_cells(notebook), f"{_id(path)} trains a model but has no cell tagged {TAG!r}"


@pytest.mark.parametrize("path", OUTCOME_SOURCES, ids=_id)
def test_learning_outcome_cells_check_against_a_baseline(path):
    for cell in _outcome_cells(jupytext.read(path)):
        assert cell.cell_type == "code", f"a {TAG!r} cell in {_id(path)} is not a code cell"
        calls = _check_outcome_calls(cell.source)
        assert calls, f"this {TAG!r} cell of {_id(path)} does not call outcomes.check_outcome:\n{cell.source}"
        for call in calls:
            problems = _call_problems(call)
            assert not problems, f"{_id(path)}: {'; '.join(problems)}:\n{ast.unparse(call)}"


@pytest.mark.parametrize("path", OUTCOME_SOURCES, ids=_id)
def test_learning_outcome_cells_cannot_be_skipped(path):
    for cell in _outcome_cells(jupytext.read(path)):
        skipping = SKIPPING_TAGS & set(_tags(cell))
        assert not skipping, f"a {TAG!r} cell of {_id(path)} is tagged {sorted(skipping)}, so it would not be checked"
        for marker in SKIPPING_MARKERS:
            assert marker not in cell.source, f"a {TAG!r} cell of {_id(path)} contains {marker}"


@pytest.mark.parametrize("path", OUTCOME_SOURCES, ids=_id)
def test_committed_notebooks_have_the_same_learning_outcome_cells(path):
    source_cells = [cell.source.strip() for cell in _outcome_cells(jupytext.read(path))]
    for built_path in _built_notebooks(path):
        assert built_path.exists(), f"{built_path.relative_to(ROOT)} is missing: run python scripts/build_notebooks.py"
        built = nbformat.read(built_path, as_version=4)
        built_cells = _outcome_cells(built)
        assert [cell.source.strip() for cell in built_cells] == source_cells, (
            f"the {TAG!r} cells of {built_path.relative_to(ROOT)} differ from the source: "
            "run python scripts/build_notebooks.py"
        )
        for cell in built_cells:
            assert not SKIPPING_TAGS & set(_tags(cell)), f"{built_path.name}: a {TAG!r} cell has a skipping tag {_tags(cell)}"
            assert not cell.get("outputs"), f"{built_path.name}: committed notebooks should have no outputs"


def test_outcome_cells_are_found_in_lessons():
    """The discovery above must really see cells, or every test here could pass vacuously."""
    assert any(path.parent.name == "lessons" for path in OUTCOME_SOURCES)


def test_call_checker_reads_calls():
    good = ast.parse("outcomes.check_outcome('x', v, at_most=0.1, baseline=b, baseline_name='median')").body[0].value
    assert _call_problems(good) == []
    lax = ast.parse("check_outcome('x', v, at_least=0.75, baseline=0.7524)").body[0].value
    assert len(_call_problems(lax)) == 2  # a typed-in baseline, no baseline_name
    neither = ast.parse("check_outcome('x', v, baseline=b, baseline_name='n')").body[0].value
    assert _call_problems(neither) == ["give exactly one of at_most= and at_least="]
    assert len(_check_outcome_calls("import os\nassert x <= 0.1")) == 0
