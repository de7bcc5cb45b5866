"""Rebuild every course notebook in notebooks/ from its source in content/.

    python scripts/build_notebooks.py           # write notebooks/
    python scripts/build_notebooks.py --check   # exit 1 if notebooks/ is out of date

Sources are jupytext percent-format files named NN_topic.py:

    content/lessons/NN_topic.py    -> notebooks/NN_topic.ipynb
    content/labs/NN_topic.py       -> notebooks/labs/NN_topic.ipynb
    content/exercises/NN_topic.py  -> notebooks/exercises/NN_topic_exercise.ipynb  (no `solution` cells)
                                      notebooks/solutions/NN_topic_solution.ipynb  (no `blank` cells)

    content/start_here.py          -> notebooks/00_start_here.ipynb  (the course home page)

The README's launch badges, lesson table and data credits are written too, between their
markers (scripts/launch.py, scripts/readme_tables.py); `--check` fails when they are stale.

The course path is: start here, then for each lesson its lesson, its lab, its exercise. Every
notebook gets a navigation bar at the top and bottom: course home (the start-here notebook),
the parts of its lesson (an exercise links to its solution), and the previous and next step
on the path. The start page's `<!-- course-map -->` cell becomes a table of every notebook.
Notebooks have no outputs, and fixed metadata and cell ids, so a notebook's file changes only
when its content does.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import exercise_sources  # noqa: E402  (scripts/exercise_sources.py: blank, solution and worked answer)
import launch  # noqa: E402  (scripts/launch.py: launch badges and the setup cell)
import readme_tables  # noqa: E402  (scripts/readme_tables.py: the README's lesson table and data credits)

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
NOTEBOOKS = ROOT / "notebooks"

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {"name": "python", "pygments_lexer": "ipython3"}
NAV_TAG = "navigation"
START_SOURCE = CONTENT / "start_here.py"
START_PAGE = NOTEBOOKS / "00_start_here.ipynb"
COURSE_MAP_MARKER = "<!-- course-map -->"


@dataclass
class Source:
    kind: str  # "lessons", "exercises" or "labs"
    path: Path
    number: int
    stem: str
    title: str


@dataclass
class Lesson:
    number: int
    lesson: Source | None = None
    exercise: Source | None = None
    lab: Source | None = None
    extra: list[Source] = field(default_factory=list)


def _title_of(notebook) -> str:
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            match = re.search(r"^#\s+(.+)$", cell.source, flags=re.MULTILINE)
            if match:
                return match.group(1).strip()
    raise SystemExit("a notebook source must start with a Markdown cell holding a '# Title' heading")


PROBLEMS: list[str] = []


def discover() -> dict[int, Lesson]:
    lessons: dict[int, Lesson] = {}
    for kind in ("lessons", "exercises", "labs"):
        for path in sorted((CONTENT / kind).glob("[0-9][0-9]_*.py")):
            number = int(path.name[:2])
            notebook = jupytext.read(path)
            try:
                title = _title_of(notebook)
            except SystemExit as error:
                # One unfinished source must not stop the others from building.
                PROBLEMS.append(f"{path.relative_to(ROOT)}: {error}")
                continue
            source = Source(kind, path, number, path.stem, title)
            entry = lessons.setdefault(number, Lesson(number))
            slot = {"lessons": "lesson", "exercises": "exercise", "labs": "lab"}[kind]
            if getattr(entry, slot) is None:
                setattr(entry, slot, source)
            else:
                entry.extra.append(source)
    return dict(sorted(lessons.items()))


# --------------------------------------------------------------------------------------
# Where each notebook goes, and links between them
# --------------------------------------------------------------------------------------


def lesson_path(source: Source) -> Path:
    return NOTEBOOKS / f"{source.stem}.ipynb"


def lab_path(source: Source) -> Path:
    return NOTEBOOKS / "labs" / f"{source.stem}.ipynb"


def exercise_path(source: Source) -> Path:
    return NOTEBOOKS / "exercises" / f"{source.stem}_exercise.ipynb"


def solution_path(source: Source) -> Path:
    return NOTEBOOKS / "solutions" / f"{source.stem}_solution.ipynb"


def _link(text: str, target: Path, here: Path) -> str:
    relative = Path(os.path.relpath(target, here.parent))
    return f"[{text}]({relative.as_posix()})"


@dataclass
class Step:
    """One stop on the course path (or a solution, which hangs off its exercise)."""

    page: str  # "start", "lesson", "lab", "exercise" or "solution"
    number: int
    path: Path
    title: str

    @property
    def name(self) -> str:
        """'Lesson 3: Stochastic gradient descent' (from a heading '3. Stochastic ...', 'Lab 3: ...'...)."""
        if self.page == "start":
            return "Start here"
        topic = re.sub(r"^(?:(?:lesson|lab|exercise|solution)\s*)?\d+\s*[.:]\s*", "", self.title, flags=re.IGNORECASE)
        return f"{self.page.capitalize()} {self.number}: {topic}"


ICONS = {"start": "🏠", "lesson": "📖", "lab": "🎛️", "exercise": "✏️", "solution": "🔎"}


def course_path(lessons: dict[int, Lesson]) -> list[Step]:
    """The recommended order: start here, then each lesson, its lab and its exercise."""
    steps = [Step("start", 0, START_PAGE, "Start here")]
    for number, entry in lessons.items():
        if entry.lesson is not None:
            steps.append(Step("lesson", number, lesson_path(entry.lesson), entry.lesson.title))
        if entry.lab is not None:
            steps.append(Step("lab", number, lab_path(entry.lab), entry.lab.title))
        if entry.exercise is not None:
            steps.append(Step("exercise", number, exercise_path(entry.exercise), entry.exercise.title))
    return steps


def navigation(lessons: dict[int, Lesson], number: int, here: Path, page: str) -> str:
    """The Markdown navigation bar for the notebook at ``here`` (lesson ``number``, or the start page).

    First line: course home and the parts of this lesson (the current one in bold); second
    line: the previous and the next step on the course path.
    """
    path = course_path(lessons)
    home = _link("🏠 Course home", START_PAGE, here) if page != "start" else "**🏠 Course home**"
    parts = [home]
    if page != "start":
        entry = lessons[number]
        pieces = [
            ("lesson", "📖 Lesson", entry.lesson, lesson_path),
            ("lab", "🎛️ Lab", entry.lab, lab_path),
            ("exercise", "✏️ Exercise", entry.exercise, exercise_path),
        ]
        if page in ("exercise", "solution") and entry.exercise is not None:
            pieces.append(("solution", "🔎 Solution", entry.exercise, solution_path))
        for kind, text, source, where in pieces:
            if source is None:
                continue
            parts.append(f"**{text} {number}**" if kind == page else _link(f"{text} {number}", where(source), here))
    # A solution sits beside its exercise: it leads on to the same next step.
    anchor = here if page != "solution" else exercise_path(lessons[number].exercise)
    position = next(i for i, step in enumerate(path) if step.path == anchor)
    moves = []
    if page == "solution":
        moves.append(_link("◀ Back to the exercise", anchor, here))
    elif position > 0:
        previous = path[position - 1]
        moves.append(_link(f"◀ Previous: {previous.name}", previous.path, here))
    if position + 1 < len(path):
        following = path[position + 1]
        moves.append(_link(f"Next: {ICONS[following.page]} {following.name} ▶", following.path, here))
    else:
        moves.append("🏁 End of the course: " + _link("see your progress on the course home page", START_PAGE, here))
    counter = f"step {position + 1} of {len(path)}"
    return " · ".join(parts) + "\n\n" + " | ".join([*moves, counter])


def course_map(lessons: dict[int, Lesson], here: Path) -> str:
    """A Markdown table of every lesson with links to its lesson, lab, exercise and solution."""
    rows = ["| # | Lesson | Lab | Exercise | Solution |", "|---|---|---|---|---|"]
    for number, entry in lessons.items():
        cells = [
            _link(entry.lesson.title, lesson_path(entry.lesson), here) if entry.lesson else "",
            _link(entry.lab.title, lab_path(entry.lab), here) if entry.lab else "",
            _link("exercise", exercise_path(entry.exercise), here) if entry.exercise else "",
            _link("solution", solution_path(entry.exercise), here) if entry.exercise else "",
        ]
        rows.append(f"| {number} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


# --------------------------------------------------------------------------------------
# Turning a source into a clean notebook
# --------------------------------------------------------------------------------------


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _clean(notebook, nav: str, drop_tag: str | None = None, banner: str | None = None):
    cells = []
    for cell in notebook.cells:
        if drop_tag and drop_tag in _tags(cell):
            continue
        tags = _tags(cell)
        metadata = {"tags": tags} if tags else {}
        if cell.cell_type == "code":
            cells.append(nbformat.v4.new_code_cell(cell.source, metadata=metadata))
        elif cell.cell_type == "markdown":
            cells.append(nbformat.v4.new_markdown_cell(cell.source, metadata=metadata))
        else:
            cells.append(nbformat.v4.new_raw_cell(cell.source, metadata=metadata))
    top = [nbformat.v4.new_markdown_cell(nav, metadata={"tags": [NAV_TAG]})]
    if banner:
        top.append(nbformat.v4.new_markdown_cell(banner, metadata={"tags": [NAV_TAG]}))
    bottom = [nbformat.v4.new_markdown_cell("---\n" + nav, metadata={"tags": [NAV_TAG]})]
    cells = top + cells + bottom
    for index, cell in enumerate(cells):
        cell["id"] = f"c{index:03d}"
    result = nbformat.v4.new_notebook(cells=cells)
    result.metadata = {"kernelspec": KERNELSPEC, "language_info": LANGUAGE_INFO}
    result.nbformat, result.nbformat_minor = 4, 5
    return result


def build_all() -> dict[Path, str]:
    """Every notebook the course should contain, as {path: file text}."""
    lessons = discover()
    built: dict[Path, str] = {}

    def emit(path: Path, notebook):
        notebook = launch.add_launch_cells(notebook, path.relative_to(ROOT).as_posix(), REPOSITORY)
        nbformat.validate(notebook)
        built[path] = nbformat.writes(notebook) + "\n"

    if START_SOURCE.exists():
        start = jupytext.read(START_SOURCE)
        for cell in start.cells:
            if cell.cell_type == "markdown" and COURSE_MAP_MARKER in cell.source:
                cell.source = cell.source.replace(COURSE_MAP_MARKER, course_map(lessons, START_PAGE))
        emit(START_PAGE, _clean(start, navigation(lessons, 0, START_PAGE, "start")))
    else:
        PROBLEMS.append(f"{START_SOURCE.relative_to(ROOT)} is missing (the course home page)")

    for number, entry in lessons.items():
        if entry.extra:
            names = ", ".join(s.path.name for s in entry.extra)
            raise SystemExit(f"two sources share the number {number:02d}: {names}")
        if entry.lesson is not None:
            here = lesson_path(entry.lesson)
            nav = navigation(lessons, number, here, "lesson")
            emit(here, _clean(jupytext.read(entry.lesson.path), nav))
        if entry.lab is not None:
            here = lab_path(entry.lab)
            nav = navigation(lessons, number, here, "lab")
            emit(here, _clean(jupytext.read(entry.lab.path), nav))
        if entry.exercise is not None:
            exercise, solution = exercise_sources.read(entry.exercise.path)
            here = exercise_path(entry.exercise)
            nav = navigation(lessons, number, here, "exercise")
            emit(here, _clean(exercise, nav))
            here = solution_path(entry.exercise)
            nav = navigation(lessons, number, here, "solution")
            banner = (
                "**Worked solutions.** This notebook is the exercise with every blank filled in. "
                "Try the " + _link("exercise", exercise_path(entry.exercise), here) + " first: "
                "you learn far more from a wrong attempt than from reading an answer."
            )
            emit(here, _clean(solution, nav, banner=banner))
    return built


def discover_quietly() -> dict[int, Lesson]:
    """discover() again, without reporting its problems a second time (build_all reported them)."""
    reported = len(PROBLEMS)
    lessons = discover()
    del PROBLEMS[reported:]
    return lessons


def existing_notebooks() -> set[Path]:
    return {p for p in NOTEBOOKS.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts}


REPOSITORY = launch.configured_repository()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report notebooks that are out of date")
    args = parser.parse_args(argv)

    built = build_all()
    lessons = discover_quietly()
    for problem in PROBLEMS:
        print(f"skipped {problem}", file=sys.stderr)
    stale = sorted(existing_notebooks() - set(built))
    changed = sorted(p for p, text in built.items() if not p.exists() or p.read_text(encoding="utf-8") != text)
    readme_changed = launch.sync_readme(built, REPOSITORY, write=not args.check)
    readme_changed |= readme_tables.sync_readme(lessons, lesson_path, write=not args.check)
    for problem in readme_tables.missing_you_will(lessons):
        print(f"README: {problem}", file=sys.stderr)
        PROBLEMS.append(problem)
    answers_changed = exercise_sources.sync_solution_module(write=not args.check)

    if args.check:
        for path in changed:
            print(f"out of date: {path.relative_to(ROOT)}")
        for path in stale:
            print(f"no source in content/: {path.relative_to(ROOT)}")
        if changed or stale or PROBLEMS or readme_changed or answers_changed:
            print("Run: python scripts/build_notebooks.py")
            return 1
        print(f"{len(built)} notebooks up to date")
        return 0

    for path in changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(built[path], encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    for path in stale:
        path.unlink()
        print(f"removed {path.relative_to(ROOT)} (its source is gone)")
    print(f"{len(built)} notebooks, {len(changed)} rewritten")
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
