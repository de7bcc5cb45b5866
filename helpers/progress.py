"""Your progress through the exercises, kept on your own computer.

Every exercise check that passes (and every discussion question you answer) is noted in a
small JSON file in your user data folder, never in the course folder. To see what you have
done::

    from helpers import progress
    progress.show()      # a table: each exercise, its questions, which are done

``progress.reset()`` forgets everything; ``progress.location()`` says where the file is.

The file's place comes from ``platformdirs`` (for example ``~/.local/share/dlcourse`` on Linux,
``~/Library/Application Support/dlcourse`` on macOS, ``%LOCALAPPDATA%\\dlcourse`` on Windows).
The environment variable ``DLCOURSE_PROGRESS_FILE`` names another file; the tests use it so
that they never touch yours.

A missing, unreadable or damaged file never stops a check: the check works as usual, and the
problem is only mentioned by ``show()``.
"""

from __future__ import annotations

import datetime as _dt
import html
import importlib
import json
import os
import pkgutil
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["record", "done", "show", "report", "reset", "location", "ENV_VAR"]

ENV_VAR = "DLCOURSE_PROGRESS_FILE"
APP_NAME = "dlcourse"
FILE_NAME = "progress.json"
FORMAT_VERSION = 1


# --------------------------------------------------------------------------------------
# Where the file lives
# --------------------------------------------------------------------------------------


def _default_folder() -> Path:
    try:
        from platformdirs import user_data_dir
    except ImportError:  # platformdirs comes with Jupyter; this is the same rule, by hand
        if sys.platform.startswith("win"):
            base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        elif sys.platform == "darwin":
            base = Path.home() / "Library" / "Application Support"
        else:
            base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        return base / APP_NAME
    return Path(user_data_dir(APP_NAME, appauthor=False))


def location() -> Path:
    """The progress file: ``$DLCOURSE_PROGRESS_FILE`` if set, else ``progress.json`` in the user data folder."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return Path(override).expanduser()
    return _default_folder() / FILE_NAME


# --------------------------------------------------------------------------------------
# Reading and writing, never raising
# --------------------------------------------------------------------------------------


def _read(path: Path) -> tuple[dict[str, dict[str, str]], str | None]:
    """``({exercise: {question: when}}, problem)``; a problem gives an empty record and a sentence."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}, None
    except OSError as error:
        return {}, f"the progress file {path} could not be read ({type(error).__name__})"
    except UnicodeDecodeError:
        text = ""  # not text at all: as damaged as bad JSON
    try:
        content = json.loads(text)
        exercises = content["exercises"]
        if not isinstance(exercises, dict):
            raise TypeError("exercises is not a mapping")
        cleaned = {
            str(number): {str(name): str(when) for name, when in questions.items()}
            for number, questions in exercises.items()
            if isinstance(questions, dict)
        }
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}, f"the progress file {path} is damaged (it is not the JSON this course writes)"
    return cleaned, None


def _write(path: Path, exercises: dict[str, dict[str, str]]) -> None:
    """Write atomically (a temporary file, then a rename), so a crash never leaves half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    content = {"format": FORMAT_VERSION, "exercises": exercises}
    handle, temporary = tempfile.mkstemp(prefix=".progress-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(content, stream, indent=1, sort_keys=True)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def record(exercise: int, question: str) -> bool:
    """Note that ``question`` (``"q3"``) of exercise ``exercise`` passed. True if it was saved.

    Called by every passing check; it never raises. A damaged file is set aside (renamed to
    ``progress.json.damaged``) and a new one started, so one bad file does not stop recording.
    """
    try:
        path = location()
        exercises, problem = _read(path)
        if problem and "damaged" in problem:  # unreadable JSON: keep it aside, start afresh
            try:
                os.replace(path, path.with_name(path.name + ".damaged"))
            except OSError:
                pass
        key = str(int(exercise))
        questions = exercises.setdefault(key, {})
        if question in questions:  # keep the first time it passed; nothing to write
            return True
        questions[str(question)] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
        _write(path, exercises)
        return True
    except Exception:
        return False


def done() -> dict[int, set[str]]:
    """``{exercise number: {names of the questions passed}}`` (empty if there is no readable file)."""
    exercises, _ = _read(location())
    result = {}
    for number, questions in exercises.items():
        try:
            result[int(number)] = set(questions)
        except ValueError:
            continue
    return result


def reset() -> None:
    """Forget all progress (deletes the progress file)."""
    try:
        location().unlink()
    except FileNotFoundError:
        pass


# --------------------------------------------------------------------------------------
# What there is to do: discovered from helpers.exercises.exerciseN
# --------------------------------------------------------------------------------------


@dataclass
class ExerciseInfo:
    number: int
    title: str
    questions: list[tuple[str, str]]  # (name, title)


def _natural(name: str):
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def catalogue() -> list[ExerciseInfo]:
    """Every exercise of the course and its questions, found in ``helpers.exercises.exerciseN``."""
    from helpers import exercises as package
    from helpers.exercises.core import Question

    found = []
    for module_info in pkgutil.iter_modules(package.__path__):
        match = re.fullmatch(r"exercise(\d+)", module_info.name)
        if not match:
            continue
        try:
            module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        except Exception:  # one broken module must not hide the others
            continue
        questions = sorted(
            (
                (value.name, value.title)
                for name, value in vars(module).items()
                if isinstance(value, Question) and value.name == name
            ),
            key=lambda item: _natural(item[0]),
        )
        if not questions:
            continue
        docline = (module.__doc__ or "").strip().splitlines()[:1]
        title = _exercise_title(docline[0] if docline else "", int(match.group(1)))
        found.append(ExerciseInfo(int(match.group(1)), title, questions))
    return sorted(found, key=lambda info: info.number)


def _exercise_title(docline: str, number: int) -> str:
    """The topic named in a exerciseN module's first docstring line.

    'Exercise 3 (stochastic gradient descent) on the auto MPG data: ...' and
    'Exercise 3: stochastic gradient descent, on ...' both give 'Stochastic gradient descent'.
    """
    match = re.match(r"\s*Exercise\s+\d+\s*(?:\(([^)]+)\)|:\s*([^,.:]+?)\s*(?:,|\.|:|\bon\b|$))", docline)
    topic = (match.group(1) or match.group(2) or "").strip() if match else ""
    return topic[:1].upper() + topic[1:] if topic else f"Exercise {number}"


# --------------------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------------------


class ProgressReport:
    """What ``show()`` displays: one row per exercise, a mark per question."""

    def __init__(self, exercises: list[ExerciseInfo], passed: dict[int, set[str]], problem: str | None, path: Path):
        self.exercises, self.passed, self.problem, self.path = exercises, passed, problem, path

    @property
    def total(self) -> int:
        return sum(len(info.questions) for info in self.exercises)

    @property
    def completed(self) -> int:
        return sum(
            1 for info in self.exercises for name, _ in info.questions if name in self.passed.get(info.number, set())
        )

    def _summary(self) -> str:
        if self.total == 0:
            return "No exercises found."
        if self.completed == 0:
            return f"No question done yet, {self.total} to go. Each check that passes is noted here."
        if self.completed == self.total:
            return f"All {self.total} questions done. Well done!"
        return f"{self.completed} of {self.total} questions done."

    def _notes(self) -> list[str]:
        notes = []
        if self.problem:
            notes.append(
                f"Note: {self.problem}. Your checks work as usual; the next one that passes starts a new file."
            )
        notes.append(f"Saved on this computer in {self.path}. `progress.reset()` starts again.")
        return notes

    def __str__(self):
        lines = ["Your progress", ""]
        for info in self.exercises:
            passed = self.passed.get(info.number, set())
            marks = "  ".join(f"{'✅' if name in passed else '⬜'} {name}" for name, _ in info.questions)
            count = sum(1 for name, _ in info.questions if name in passed)
            lines.append(f"Exercise {info.number} ({info.title}): {marks}   {count}/{len(info.questions)}")
        lines += ["", self._summary(), *self._notes()]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        rows = []
        for info in self.exercises:
            passed = self.passed.get(info.number, set())
            cells = "".join(
                f"<span title='{html.escape(title or name, quote=True)}' style='margin-right: 0.8em; "
                f"white-space: nowrap'>{'✅' if name in passed else '⬜'} {html.escape(name)}</span>"
                for name, title in info.questions
            )
            count = sum(1 for name, _ in info.questions if name in passed)
            rows.append(
                f"<tr><td style='text-align: left'>Exercise {info.number}: {html.escape(info.title)}</td>"
                f"<td style='text-align: left'>{cells}</td>"
                f"<td style='text-align: right'>{count} / {len(info.questions)}</td></tr>"
            )
        notes = "".join(f"<p style='opacity: 0.75; font-size: 0.9em'>{html.escape(n)}</p>" for n in self._notes())
        return (
            "<div class='dlcourse-progress'>"
            "<table><thead><tr><th style='text-align: left'>Exercise</th>"
            "<th style='text-align: left'>Questions (hover for titles)</th><th>Done</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            f"<p><b>{html.escape(self._summary())}</b></p>{notes}</div>"
        )


def report() -> ProgressReport:
    """The progress report as an object (``show()`` displays it)."""
    path = location()
    exercises, problem = _read(path)
    passed: dict[int, set[str]] = {}
    for number, questions in exercises.items():
        try:
            passed[int(number)] = set(questions)
        except ValueError:
            continue
    return ProgressReport(catalogue(), passed, problem, path)


def show() -> None:
    """Display which questions of which exercises you have done (a table in Jupyter, text elsewhere)."""
    result = report()
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover
        print(result)
        return
    if get_ipython() is None:
        print(result)
    else:
        display(result)
