"""Start a new lesson: its lesson, exercise (with one example question and its tests) and lab.

    python scripts/new_lesson.py 7 "Multiclass classification"

writes, from the templates in scripts/templates/ (edit those to change what every new lesson
starts from):

    content/lessons/07_multiclass_classification.py     the lesson: goals, a small seeded example,
                                                         a learning-outcome check against a baseline
    content/exercises/07_multiclass_classification.py   the exercise: one blank and its solution
    content/labs/07_multiclass_classification.py        a minimal lab
    helpers/exercises/exercise7.py                      the exercise's question q1
    tests/test_exercise7.py                             the tests of q1

and then runs scripts/build_notebooks.py, which writes the notebooks, the navigation, the start
page's course map and the README's lesson table. Nothing else needs editing: the tests find
the new lesson, exercise and question by themselves. The examples use the red wine data, so
the new lesson runs offline at once; replace them with the lesson's own.

A number that any of these files already uses is refused, and nothing is written.
"""

from __future__ import annotations

import argparse
import re
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "templates"


def slug_of(title: str) -> str:
    """'Multiclass classification' -> 'multiclass_classification'."""
    return re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")


def planned_files(number: int, title: str) -> dict[Path, str]:
    """{where: template name} for lesson ``number``."""
    stem = f"{number:02d}_{slug_of(title)}"
    return {
        ROOT / "content" / "lessons" / f"{stem}.py": "lesson.py",
        ROOT / "content" / "exercises" / f"{stem}.py": "exercise.py",
        ROOT / "content" / "labs" / f"{stem}.py": "lab.py",
        ROOT / "helpers" / "exercises" / f"exercise{number}.py": "exercise_module.py",
        ROOT / "tests" / f"test_exercise{number}.py": "exercise_test.py",
    }


def files_using(number: int) -> list[Path]:
    """Files that already belong to lesson ``number``."""
    taken = [path for kind in ("lessons", "exercises", "labs") for path in (ROOT / "content" / kind).glob(f"{number:02d}_*.py")]
    taken += [path for path in (ROOT / "helpers" / "exercises" / f"exercise{number}.py", ROOT / "tests" / f"test_exercise{number}.py") if path.exists()]
    return sorted(taken)


def next_free_number() -> int:
    used = {int(path.name[:2]) for path in (ROOT / "content").glob("*/[0-9][0-9]_*.py")}
    return max(used, default=0) + 1


def render(template: str, number: int, title: str) -> str:
    text = (TEMPLATES / template).read_text(encoding="utf-8")
    return string.Template(text).substitute(number=number, title=title, title_lower=title[:1].lower() + title[1:])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("number", type=int, help="the lesson's number, such as 7")
    parser.add_argument("title", help='the lesson\'s title, such as "Multiclass classification"')
    parser.add_argument("--no-build", action="store_true", help="write the sources only, without running the build")
    args = parser.parse_args(argv)

    title = " ".join(args.title.split())
    if not 1 <= args.number <= 99:
        parser.error("the number must be between 1 and 99 (file names hold two digits)")
    if not slug_of(title):
        parser.error("the title needs at least one letter or digit")
    taken = files_using(args.number)
    if taken:
        names = "\n".join(f"  {path.relative_to(ROOT)}" for path in taken)
        print(f"Lesson {args.number} exists already; these files use its number:\n{names}\n"
              f"Nothing was written. The next free number is {next_free_number()}.", file=sys.stderr)
        return 1

    for path, template in planned_files(args.number, title).items():
        path.write_text(render(template, args.number, title), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    if args.no_build:
        return 0
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "build_notebooks.py")], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
