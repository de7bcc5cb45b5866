"""Split an exercise source into the learner's notebook, the solved notebook and the worked answers.

Each task of an exercise is written once, in one code cell of ``content/exercises/NN_topic.py``.
Marker lines (whole comment lines) say which lines belong to which notebook::

    # %% tags=["raises-exception"]
    ### BLANK
    model = ____  # the check below reports "not attempted" until the lines below work
    ### END
    model = keras.Sequential([
    ### BLANK
        keras.Input(shape=____),
    ### SOLUTION
        keras.Input(shape=(11,)),
    ### END
    ])

* lines outside any block appear in both notebooks;
* lines after ``### BLANK`` appear only in the exercise notebook (what the learner fills in);
* lines after ``### SOLUTION`` appear only in the solution notebook (the worked answer);
* ``### END`` closes the block. ``### SOLUTION`` may follow ``### BLANK`` directly, and the
  other way round.

A cell holding markers becomes two cells: one tagged ``blank`` (with the cell's other tags, such
as ``raises-exception``) in ``notebooks/exercises/``, one tagged ``solution`` (and nothing else:
a solution must run) in ``notebooks/solutions/``. Every other cell goes to both notebooks as it is.

The worked answer ``qN.solution()`` shows is the code of the solution cells between the previous
check and ``qN.check(...)``. The build collects it from every exercise into
``helpers/exercises/solution_code.py`` (a generated module, so that the installed package never
reads ``content/``); ``build_notebooks.py --check`` fails when that module is out of date.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "content" / "exercises"
SOLUTION_MODULE = ROOT / "helpers" / "exercises" / "solution_code.py"

BLANK, SOLUTION, END = "### BLANK", "### SOLUTION", "### END"
MARKERS = (BLANK, SOLUTION, END)
CHECK_CALL = re.compile(r"^\s*(q\d+)\.check\(", flags=re.MULTILINE)


class SourceError(ValueError):
    """A task cell whose markers do not pair up."""


def is_task(cell) -> bool:
    """True for a code cell holding at least one marker line."""
    return cell.cell_type == "code" and any(line.strip() in MARKERS for line in cell.source.splitlines())


def split_task(source: str) -> tuple[str, str]:
    """The (blank, solution) versions of one task cell's source."""
    blank, solution = [], []
    block = None
    for number, line in enumerate(source.splitlines(), start=1):
        marker = line.strip()
        if marker in (BLANK, SOLUTION):
            block = marker
        elif marker == END:
            if block is None:
                raise SourceError(f"line {number}: {END} without an open {BLANK} or {SOLUTION} block")
            block = None
        else:
            if block != SOLUTION:
                blank.append(line)
            if block != BLANK:
                solution.append(line)
    if block is not None:
        raise SourceError(f"a {block} block is never closed with {END}")
    return "\n".join(blank), "\n".join(solution)


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def versions(notebook):
    """The (exercise, solution) notebooks of an exercise source read by jupytext."""
    exercise, solution = copy.deepcopy(notebook), copy.deepcopy(notebook)
    for index, cell in enumerate(notebook.cells):
        if not is_task(cell):
            continue
        try:
            blank_text, solution_text = split_task(cell.source)
        except SourceError as error:
            raise SourceError(f"cell {index + 1}: {error}") from None
        exercise.cells[index].source = blank_text
        exercise.cells[index].metadata["tags"] = ["blank", *_tags(cell)]
        solution.cells[index].source = solution_text
        solution.cells[index].metadata["tags"] = ["solution"]
    return exercise, solution


def read(path: Path):
    """The (exercise, solution) notebooks of the exercise source at ``path``."""
    try:
        return versions(jupytext.read(path))
    except SourceError as error:
        raise SystemExit(f"{path.relative_to(ROOT)}: {error}") from None


def interleaved(notebook):
    """The source with each task cell replaced by its blank cell followed by its solution cell.

    This is the layout the exercise and solution notebooks are cut from, handy for checks that
    look at a blank and its answer side by side.
    """
    exercise, solution = versions(notebook)
    result = copy.deepcopy(notebook)
    result.cells = []
    for index, cell in enumerate(notebook.cells):
        if is_task(cell):
            result.cells.extend([exercise.cells[index], solution.cells[index]])
        else:
            result.cells.append(copy.deepcopy(cell))
    return result


def worked_answers(solution_notebook) -> dict[str, str]:
    """{question name: the code of the solution cells before its check} for one solution notebook.

    A discussion question's solution cell holds its own check: it has no code to show.
    """
    answers, pending = {}, []
    for cell in solution_notebook.cells:
        if cell.cell_type != "code":
            continue
        checked = CHECK_CALL.findall(cell.source)
        if "solution" in _tags(cell):
            if checked:
                pending = []
            else:
                pending.append(cell.source.strip())
        elif checked:
            if pending:
                answers[checked[0]] = "\n\n".join(pending)
            pending = []
    return answers


def module_text(answers_by_exercise: dict[int, dict[str, str]]) -> str:
    """The Python text of ``helpers/exercises/solution_code.py``."""
    lines = [
        '"""The worked answers ``qN.solution()`` shows, taken from the solution cells of each exercise.',
        "",
        "Generated by scripts/build_notebooks.py from content/exercises/: do not edit.",
        '"""',
        "",
        "WORKED_ANSWERS = {",
    ]
    for number, answers in sorted(answers_by_exercise.items()):
        lines.append(f"    {number}: {{")
        for name, code in sorted(answers.items(), key=lambda item: int(item[0][1:])):
            lines.append(f"        {name!r}: {code!r},")
        lines.append("    },")
    lines.append("}")
    return "\n".join(lines) + "\n"


def all_worked_answers() -> dict[int, dict[str, str]]:
    """{exercise number: {question name: worked answer code}} for every exercise source."""
    return {
        int(path.name[:2]): worked_answers(read(path)[1])
        for path in sorted(SOURCES.glob("[0-9][0-9]_*.py"))
    }


def sync_solution_module(write: bool) -> bool:
    """Bring ``helpers/exercises/solution_code.py`` up to date (``write``) or report it.

    Returns True if it was out of date.
    """
    wanted = module_text(all_worked_answers())
    current = SOLUTION_MODULE.read_text(encoding="utf-8") if SOLUTION_MODULE.exists() else None
    if current == wanted:
        return False
    name = SOLUTION_MODULE.relative_to(ROOT).as_posix()
    if write:
        SOLUTION_MODULE.write_text(wanted, encoding="utf-8")
        print(f"wrote {name} (worked answers)")
    else:
        print(f"out of date: {name} (worked answers)")
    return True
