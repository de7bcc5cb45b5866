"""Fast static checks on the exercise sources and the notebooks built from them.

nbval executes the notebooks (blank ones show "not attempted", solutions pass every check in
strict mode); these tests only read files, so they run in a second and catch structural slips:
a blank without ``____``, a solution that does not follow its blank, a question the notebook
never checks, solution code leaking into the learner's notebook, and a worked answer
(``qN.solution()``) that differs from the solution notebook.

Each task is written once, with ``### BLANK`` / ``### SOLUTION`` / ``### END`` markers
(``scripts/exercise_sources.py``); the checks on blanks read the source with each task cell
cut into its blank cell followed by its solution cell.
"""

import ast
import importlib
import re
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import exercise_sources  # noqa: E402
SOURCES = sorted((ROOT / "content" / "exercises").glob("[0-9][0-9]_*.py"))
BLANK_NAME = "____"


def _tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def _code(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def _lesson_questions(source: Path) -> list[str]:
    module = importlib.import_module(f"helpers.exercises.exercise{int(source.name[:2])}")
    return sorted(name for name in module.__all__ if re.fullmatch(r"q\d+", name))


def _built(source: Path):
    exercise = ROOT / "notebooks" / "exercises" / f"{source.stem}_exercise.ipynb"
    solution = ROOT / "notebooks" / "solutions" / f"{source.stem}_solution.ipynb"
    return nbformat.read(exercise, as_version=4), nbformat.read(solution, as_version=4)


def _cells(source: Path):
    """The source's cells, each task cell as its blank cell followed by its solution cell."""
    return exercise_sources.interleaved(jupytext.read(source)).cells


def _strip_comments(source: str) -> str:
    return "\n".join(line.split("#", 1)[0].rstrip() for line in source.splitlines()).strip()


def test_there_are_exercise_sources():
    assert len(SOURCES) >= 3


@pytest.fixture(params=SOURCES, ids=[source.stem for source in SOURCES])
def source(request):
    return request.param


def test_first_cells_follow_the_course_layout(source):
    notebook = jupytext.read(source)
    first = notebook.cells[0]
    assert first.cell_type == "markdown"
    assert re.match(rf"#\s+Exercise {int(source.name[:2])}:", first.source), first.source[:60]
    setup = _code(notebook)[0].source
    assert "keras.utils.set_random_seed(" in setup
    assert f"from helpers.exercises.exercise{int(source.name[:2])} import" in setup
    assert "from helpers.exercises import ____" in setup


def test_every_blank_has_a_placeholder_and_is_followed_by_its_solution(source):
    cells = _cells(source)
    blanks = [i for i, cell in enumerate(cells) if "blank" in _tags(cell)]
    solutions = [i for i, cell in enumerate(cells) if "solution" in _tags(cell)]
    assert blanks, "an exercise needs at least one blank"
    assert [i + 1 for i in blanks] == solutions, "each blank cell must be followed directly by its solution cell"
    for i in blanks:
        assert cells[i].cell_type == "code" and BLANK_NAME in cells[i].source, cells[i].source
        assert "solution" not in _tags(cells[i])
    for i in solutions:
        assert cells[i].cell_type == "code"
        assert "blank" not in _tags(cells[i])


def _uses_blank(node) -> bool:
    return any(isinstance(n, ast.Name) and n.id == BLANK_NAME for n in ast.walk(node))


def _only_assigns_blanks(statement) -> bool:
    """``x = ____`` or ``w, b = ____, ____``: cannot raise."""
    if not isinstance(statement, ast.Assign):
        return False
    values = statement.value.elts if isinstance(statement.value, ast.Tuple) else [statement.value]
    return all(isinstance(v, ast.Name) and v.id == BLANK_NAME for v in values)


def _assigned_names(statement) -> list[str]:
    targets = getattr(statement, "targets", None) or [getattr(statement, "target", None)]
    return [n.id for t in targets if t is not None for n in ast.walk(t) if isinstance(n, ast.Name)]


def test_blanks_that_use_the_placeholder_are_expected_to_raise(source):
    """A blank that passes ``____`` to code (not just ``x = ____``) raises until it is filled in,
    so nbval must be told; and every name it assigns must first be set to ``____`` so that the
    check after it reports "not attempted" instead of a NameError."""
    for cell in _cells(source):
        if "blank" not in _tags(cell):
            continue
        statements = ast.parse(cell.source).body
        raising = [s for s in statements if _uses_blank(s) and not _only_assigns_blanks(s)]
        if not raising:
            continue
        assert "raises-exception" in _tags(cell), f"tag this blank 'raises-exception':\n{cell.source}"
        safe = set()
        for statement in statements:
            if _only_assigns_blanks(statement):
                safe.update(_assigned_names(statement))
                continue
            if isinstance(statement, (ast.Assign, ast.AugAssign, ast.AnnAssign)):
                for name in _assigned_names(statement):
                    assert name in safe, (
                        f"assign `{name} = ____` at the top of this blank, so the check after it reports "
                        f"'not attempted' while the blank still raises:\n{cell.source}"
                    )


def test_every_question_is_checked(source):
    from helpers.exercises import DiscussionQuestion

    module = importlib.import_module(f"helpers.exercises.exercise{int(source.name[:2])}")
    questions = _lesson_questions(source)
    assert 3 <= len(questions) <= 6, questions  # up to 5 questions and the open challenge
    for notebook in _built(source):
        checked = "\n".join(cell.source for cell in _code(notebook) if not _tags(cell) & {"blank", "solution"})
        # a discussion question is checked in the cell where the learner writes the answer
        written = "\n".join(cell.source for cell in _code(notebook))
        for name in questions:
            text = written if isinstance(getattr(module, name), DiscussionQuestion) else checked
            assert re.search(rf"^{name}\.check\(", text, flags=re.MULTILINE), f"{name}.check(...) is missing"


def test_exercise_notebook_has_no_solution_code(source):
    exercise, solution = _built(source)
    solutions = [_strip_comments(cell.source) for cell in _cells(source) if "solution" in _tags(cell)]
    exercise_code = [_strip_comments(cell.source) for cell in _code(exercise)]
    assert not any("solution" in _tags(cell) for cell in exercise.cells)
    for answer in solutions:
        assert answer not in exercise_code, f"solution code found in the exercise notebook:\n{answer}"
    assert sum("blank" in _tags(cell) for cell in exercise.cells) == len(solutions)


def test_solution_notebook_has_no_blanks(source):
    _, solution = _built(source)
    assert not any("blank" in _tags(cell) for cell in solution.cells)
    for cell in _code(solution):
        lines = cell.source.splitlines()
        for number, line in enumerate(lines):
            if BLANK_NAME not in line or "import" in line:
                continue
            # A guard such as `trained = ____` keeps the check cell saying "not attempted" in
            # the exercise notebook; it is allowed only when a later line of the same cell
            # assigns the real value.
            name = line.split("=")[0].strip()
            guarded = line.split("#")[0].rstrip().endswith(f"= {BLANK_NAME}") and any(
                "=" in later and name in re.findall(r"\w+", later.split("=")[0])
                for later in lines[number + 1:]
            )
            assert guarded, f"the solution notebook still has a blank:\n{cell.source}"
    assert sum("solution" in _tags(cell) for cell in solution.cells) >= 3


def test_check_cells_come_after_their_answers(source):
    """In the built exercise, ``qN.check`` follows a blank (or a cell that sets up the question)
    and questions are checked in order."""
    exercise, _ = _built(source)
    order = [
        int(match.group(1))
        for cell in _code(exercise)
        for match in re.finditer(r"^q(\d+)\.check\(", cell.source, flags=re.MULTILINE)
    ]
    assert order == sorted(order) and len(order) == len(set(order)), order


def test_hint_and_solution_calls_are_commented_out(source):
    """Learners opt in to hints; a notebook run top to bottom must not reveal solutions."""
    for notebook in _built(source):
        for cell in _code(notebook):
            for line in cell.source.splitlines():
                assert not re.match(r"\s*q\d+\.(hint|solution)\(", line), line


# --- the rules above can fail: a deliberately broken source ----------------------------------

BROKEN_SOURCE = '''# %% [markdown]
# # Exercise 1: Broken

# %%
import keras
from helpers.exercises import ____
from helpers.exercises.exercise1 import q1
keras.utils.set_random_seed(0)

# %% tags=["blank"]
model = keras.Sequential([keras.Input(shape=____)])

# %% tags=["solution"]
model = keras.Sequential([keras.Input(shape=(11,))])

# %% tags=["blank", "raises-exception"]
model = keras.Sequential([keras.Input(shape=____)])

# %%
q1.check(model)

# %% tags=["solution"]
model = 1

# %% tags=["blank"]
x = 1
'''


def test_the_rules_catch_a_broken_source(tmp_path):
    broken = tmp_path / "01_broken.py"
    broken.write_text(BROKEN_SOURCE)
    with pytest.raises(AssertionError, match="tag this blank 'raises-exception'"):
        test_blanks_that_use_the_placeholder_are_expected_to_raise(broken)
    with pytest.raises(AssertionError, match="each blank cell must be followed directly by its solution"):
        test_every_blank_has_a_placeholder_and_is_followed_by_its_solution(broken)
    tagged_only = BROKEN_SOURCE.replace('# %% tags=["blank"]\nmodel', '# %% tags=["blank", "raises-exception"]\nmodel')
    broken.write_text(tagged_only)
    with pytest.raises(AssertionError, match="assign `model = ____` at the top of this blank"):
        test_blanks_that_use_the_placeholder_are_expected_to_raise(broken)


# --- one source: the blank, the solution and the worked answer agree ------------------------


def test_each_task_is_written_once(source):
    """Blanks and solutions come from marker cells, never from hand-tagged twin cells."""
    notebook = jupytext.read(source)
    tagged = [cell.source for cell in notebook.cells if _tags(cell) & {"blank", "solution"}]
    assert not tagged, f"write this task once, with ### BLANK / ### SOLUTION markers:\n{tagged[0]}"
    assert any(exercise_sources.is_task(cell) for cell in notebook.cells)


def test_a_task_cell_becomes_a_blank_and_a_solution():
    task = (
        "### BLANK\nmodel = ____  # not attempted until the lines below work\n### END\n"
        "model = keras.Sequential([\n### BLANK\n    keras.Input(shape=____),\n"
        "### SOLUTION\n    keras.Input(shape=(11,)),\n### END\n])"
    )
    blank, solution = exercise_sources.split_task(task)
    assert blank == (
        "model = ____  # not attempted until the lines below work\n"
        "model = keras.Sequential([\n    keras.Input(shape=____),\n])"
    )
    assert solution == "model = keras.Sequential([\n    keras.Input(shape=(11,)),\n])"


@pytest.mark.parametrize("task, problem", [
    ("### SOLUTION\nx = 1", "never closed"),
    ("### BLANK\nx = ____\n### SOLUTION\nx = 1", "never closed"),
    ("x = 1\n### END", "without an open"),
])
def test_markers_that_do_not_pair_up_are_refused(task, problem):
    with pytest.raises(exercise_sources.SourceError, match=problem):
        exercise_sources.split_task(task)


def test_the_built_notebooks_are_cut_from_the_source(source):
    def answer_cells(notebook, tag):
        return [(cell.source, sorted(_tags(cell))) for cell in notebook.cells if tag in _tags(cell)]

    exercise, solution = exercise_sources.read(source)
    built_exercise, built_solution = _built(source)
    assert answer_cells(built_exercise, "blank") == answer_cells(exercise, "blank")
    assert answer_cells(built_solution, "solution") == answer_cells(solution, "solution")
    for cell in solution.cells:
        if "solution" in _tags(cell):
            assert "raises-exception" not in _tags(cell), "a solution must run"


def test_every_worked_answer_is_the_code_of_the_solution_notebook(source):
    """``qN.solution()`` shows exactly the solution cells before ``qN.check`` in the solution notebook."""
    from helpers.exercises import DiscussionQuestion

    module = importlib.import_module(f"helpers.exercises.exercise{int(source.name[:2])}")
    answers = exercise_sources.worked_answers(_built(source)[1])
    for name in _lesson_questions(source):
        question = getattr(module, name)
        if isinstance(question, DiscussionQuestion):
            assert name not in answers  # its model answer appears only next to the learner's own
            continue
        assert answers.get(name), f"{name} has no solution cell before its check"
        assert question.solution_code == answers[name]
        shown = question.solution()
        assert shown.status == "solution" and question.solution_text.startswith(f"```python\n{answers[name]}\n```")


def test_the_installed_package_holds_the_current_worked_answers():
    """``helpers/exercises/solution_code.py`` is generated; the package never reads content/."""
    wanted = exercise_sources.module_text(exercise_sources.all_worked_answers())
    assert exercise_sources.SOLUTION_MODULE.read_text(encoding="utf-8") == wanted, (
        "run python scripts/build_notebooks.py"
    )
