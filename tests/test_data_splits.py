"""Each lesson's data preparation and its shared copy in helpers.data give identical tables.

The lessons write their preparation out for the learner to read; labs, exercises and
benchmarks call ``helpers.data.<dataset>_split()`` instead. For every such function and every
lesson that prepares the same tables (the lesson loads the function's dataset and assigns
every name the function returns), this test takes the lesson's own statements that those
names depend on (a backward slice of the lesson's code, found with ``ast``), runs them with
the course's data loader, and compares the results with the function's: values, dtypes and
index, exactly.
"""

from __future__ import annotations

import ast
import builtins
import typing
from pathlib import Path

import jupytext
import pandas as pd
import pytest

from helpers import data

LESSONS = sorted((Path(__file__).resolve().parent.parent / "content" / "lessons").glob("[0-9][0-9]_*.py"))
SPLITS = [getattr(data, name) for name in data.__all__ if name.endswith("_split")]
GIVEN = {"data", "pd", "np"}  # names the slice may use without defining them


def _statements(lesson: Path) -> list[ast.stmt]:
    notebook = jupytext.read(lesson)
    source = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    return ast.parse(source).body


def _assigned(statement: ast.stmt) -> set[str]:
    """Names a statement binds or changes (``df["x"] = ...`` changes ``df``)."""
    targets = []
    if isinstance(statement, ast.Assign):
        targets = statement.targets
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)):
        targets = [statement.target]
    names = set()
    for target in targets:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                names.add(node.id)
    return names


def _bound_whole(statement: ast.stmt) -> set[str]:
    return {node.id for node in ast.walk(statement) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)}


def _used(statement: ast.stmt) -> set[str]:
    return {node.id for node in ast.walk(statement) if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def preparation_slice(lesson: Path, names) -> str | None:
    """The lesson's statements that ``names`` depend on, up to where all of them first exist.

    None when the lesson never assigns every one of ``names``.
    """
    statements = _statements(lesson)
    seen: set[str] = set()
    for end, statement in enumerate(statements):
        seen |= _assigned(statement)
        if set(names) <= seen:
            break
    else:
        return None
    needed, kept = set(names), []
    for statement in reversed(statements[: end + 1]):
        bound = _assigned(statement)
        if bound & needed:
            kept.append(statement)
            # A name bound whole is defined here; one changed in place (df["x"] = ...) is
            # also used, so the slice keeps looking for where it was made.
            needed = (needed - _bound_whole(statement)) | (_used(statement) - set(dir(builtins)))
    assert needed <= GIVEN, f"{lesson.name}: the preparation uses names it never defines: {needed - GIVEN}"
    return ast.unparse(ast.Module(body=kept[::-1], type_ignores=[]))


CASES = []
for split in SPLITS:
    loader = "load_" + split.__name__.removesuffix("_split")
    for lesson in LESSONS:
        code = preparation_slice(lesson, typing.get_type_hints(split)["return"]._fields)
        if code is not None and f"data.{loader}(" in code:
            CASES.append(pytest.param(split, lesson, code, id=f"{split.__name__}-{lesson.stem}"))


def test_every_shared_split_is_checked_against_a_lesson():
    checked = {case.values[0] for case in CASES}
    assert SPLITS and checked == set(SPLITS), f"no lesson prepares: {set(SPLITS) - checked}"


@pytest.mark.parametrize("split, lesson, code", CASES)
def test_the_lesson_and_the_shared_function_give_identical_tables(split, lesson, code):
    namespace = {"data": data, "pd": pd}
    exec(compile(code, str(lesson), "exec"), namespace)
    shared = split()
    for name, expected in shared._asdict().items():
        made = namespace[name]
        assert type(made) is type(expected), f"{lesson.name}: {name} is a {type(made).__name__}\n{code}"
        if isinstance(expected, pd.DataFrame):
            pd.testing.assert_frame_equal(made, expected, check_exact=True)
        else:
            pd.testing.assert_series_equal(made, expected, check_exact=True)
        assert made.equals(expected) and made.index.equals(expected.index)


def test_the_shared_functions_return_fresh_tables():
    for split in SPLITS:
        first, second = split(), split()
        first.X_train.iloc[0, 0] = -1.0
        assert second.X_train.iloc[0, 0] != -1.0
