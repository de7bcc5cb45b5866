"""Adding a lesson is one command: `python scripts/new_lesson.py N "Title"`, and no hand edits.

In a copy of the repository (its tracked files plus the untracked ones git does not ignore, so
uncommitted work is tested too), committed to a fresh git repository, the test scaffolds the
next free lesson number and checks that:

* the scaffold and its build succeed, and `build_notebooks.py --check` is then clean;
* the new lesson's notebooks run (nbval, each cell once), its exercise's tests pass, and the
  project and learning-outcome tests pass with it (navigation, start page, README);
* the fuzz tests pick up the new exercise's question without being told;
* the README's lesson table and the start page's course map list it;
* `git status` shows only new files and files the build writes (notebooks, README.md);
* the same number is refused with a clear message, and nothing is written.

It takes about two minutes, most of it training the new lesson's example.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TITLE = "Multiclass classification"
SLUG = "multiclass_classification"
# Files the build writes: an existing one may change when a lesson is added.
GENERATED = ("notebooks/", "README.md", "helpers/exercises/solution_code.py")


def _repository_files() -> list[str]:
    listed = []
    for extra in ([], ["--others", "--exclude-standard"]):
        output = subprocess.run(["git", "ls-files", "-z", *extra], cwd=ROOT, capture_output=True, check=True).stdout
        listed += filter(None, output.decode().split("\0"))
    return sorted({name for name in listed if (ROOT / name).is_file()})


def _run(command: list[str], cwd: Path, timeout: int = 300, **env) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(cwd), **env}
    environment.pop("DLCOURSE_STRICT_CHECKS", None)  # conftest.py in the copy decides, as here
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=environment)


def _git(copy: Path, *args: str) -> str:
    identity = ["-c", "user.name=course test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]
    return subprocess.run(["git", *identity, *args], cwd=copy, capture_output=True, text=True, check=True).stdout


def _next_number() -> int:
    return max(int(path.name[:2]) for path in (ROOT / "content").glob("*/[0-9][0-9]_*.py")) + 1


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout of the course")
    target = tmp_path_factory.mktemp("course") / "course"
    for name in _repository_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, destination)
    _git(target, "init", "-q")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "the course before the new lesson")
    return target


@pytest.fixture(scope="module")
def number() -> int:
    return _next_number()


@pytest.fixture(scope="module")
def scaffolded(copy, number) -> Path:
    result = _run([sys.executable, "scripts/new_lesson.py", str(number), TITLE], copy)
    assert result.returncode == 0, result.stdout + result.stderr
    return copy


def test_the_scaffold_builds_and_the_build_is_then_up_to_date(scaffolded):
    result = _run([sys.executable, "scripts/build_notebooks.py", "--check"], scaffolded)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_new_files_and_built_files_change(scaffolded, number):
    status = _git(scaffolded, "status", "--porcelain", "--untracked-files=all").splitlines()
    new = {line[3:] for line in status if line.startswith("??")}
    changed = {line[3:] for line in status if not line.startswith("??")}
    stem = f"{number:02d}_{SLUG}"
    expected_new = {
        f"content/lessons/{stem}.py",
        f"content/exercises/{stem}.py",
        f"content/labs/{stem}.py",
        f"helpers/exercises/exercise{number}.py",
        f"tests/test_exercise{number}.py",
        f"notebooks/{stem}.ipynb",
        f"notebooks/labs/{stem}.ipynb",
        f"notebooks/exercises/{stem}_exercise.ipynb",
        f"notebooks/solutions/{stem}_solution.ipynb",
    }
    assert new == expected_new
    assert changed and all(path.startswith(GENERATED) for path in changed), sorted(changed)
    assert all(line[:2] == " M" for line in status if not line.startswith("??")), status


def test_the_new_lesson_is_listed_in_the_readme_and_on_the_start_page(scaffolded, number):
    readme = (scaffolded / "README.md").read_text(encoding="utf-8")
    assert f"| {number} | [{TITLE}](notebooks/{number:02d}_{SLUG}.ipynb) |" in readme
    start = (scaffolded / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8")
    assert f"{number:02d}_{SLUG}.ipynb" in start


def test_the_fuzz_tests_find_the_new_question(scaffolded, number):
    result = _run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                   "tests/test_exercises_fuzz.py", "tests/test_exercises_fuzz_late.py"], scaffolded)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"exercise{number}.q1" in result.stdout


def test_the_new_lesson_passes_the_tests_that_concern_it(scaffolded, number):
    stem = f"{number:02d}_{SLUG}"
    notebooks = [f"notebooks/{stem}.ipynb", f"notebooks/labs/{stem}.ipynb",
                 f"notebooks/exercises/{stem}_exercise.ipynb", f"notebooks/solutions/{stem}_solution.ipynb"]
    tests = [f"tests/test_exercise{number}.py", "tests/test_project.py", "tests/test_learning_outcomes.py"]
    result = _run([sys.executable, "-m", "pytest", "-v", *notebooks, *tests], scaffolded, timeout=600,
                  DLCOURSE_RUN_CELLS_TWICE="0")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    passed = {line.split(" PASSED")[0] for line in result.stdout.splitlines() if " PASSED" in line}
    # The new lesson's outcome cell was found and checked, not skipped; each notebook ran.
    for test in ("test_every_lesson_that_trains_has_a_learning_outcome_cell",
                 "test_learning_outcome_cells_check_against_a_baseline",
                 "test_learning_outcome_cells_cannot_be_skipped"):
        assert f"tests/test_learning_outcomes.py::{test}[lessons/{stem}]" in passed, test
    for notebook in notebooks:
        # nbval names a cell "notebooks/NN_topic::ipynb::Cell 0"
        assert any(name.startswith(notebook.removesuffix(".ipynb") + "::") for name in passed), f"no cell of {notebook} ran"


def test_an_existing_number_is_refused_and_nothing_is_written(scaffolded, number):
    before = _git(scaffolded, "status", "--porcelain", "--untracked-files=all")
    result = _run([sys.executable, "scripts/new_lesson.py", str(number), "Something else"], scaffolded)
    assert result.returncode == 1
    assert f"Lesson {number} exists already" in result.stderr and "Nothing was written" in result.stderr
    assert f"next free number is {number + 1}" in result.stderr
    assert _git(scaffolded, "status", "--porcelain", "--untracked-files=all") == before
