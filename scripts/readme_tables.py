"""The README's lesson table and data credits, derived from the lesson sources and the registry.

``scripts/build_notebooks.py`` writes both between markers in README.md and ``--check`` fails
when they are out of date:

* ``<!-- lessons:start -->`` ... ``<!-- lessons:end -->``: one row per lesson, its number and
  title from the source's ``# N. Title`` heading, the "You will" line from ``you_will`` under
  ``course:`` in the source's jupytext header (a learner never sees it), and the data its
  exercise loads.
* ``<!-- data-credits:start -->`` ... ``<!-- data-credits:end -->``: one row per dataset of
  ``data/registry.toml`` (``title``, ``licence``, ``citation``), and where it is used.

"Used in" comes from scanning code for the course's loaders (``data.load_red_wine()`` means the
dataset ``red_wine``): a lesson's and a lab's code cells, an exercise's code cells together with
its module ``helpers/exercises/exerciseN.py``, and, for a lab, the body of every helper it calls
as ``widgets.NAME(...)`` (labs get their default data that way).
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import tomllib
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
REGISTRY = ROOT / "data" / "registry.toml"
HELPERS = ROOT / "helpers"
LOADER = re.compile(r"load_([a-z0-9_]+)")
MARKERS = {
    "lessons": ("<!-- lessons:start (written by scripts/build_notebooks.py) -->", "<!-- lessons:end -->"),
    "data-credits": ("<!-- data-credits:start (written by scripts/build_notebooks.py) -->", "<!-- data-credits:end -->"),
}


def registry() -> dict:
    return tomllib.loads(REGISTRY.read_text(encoding="utf-8"))


def datasets_named_in(code: str, known: dict) -> set[str]:
    """Registry names whose loader ``load_NAME`` appears in ``code`` as a name or a string."""
    found = set()
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):  # IPython magics and the like: fall back to text
        return {name for name in LOADER.findall(code) if name in known}
    for token in tokens:
        text = token.string
        if token.type == tokenize.STRING:
            text = text.strip("\"'")
        if token.type in (tokenize.NAME, tokenize.STRING):
            match = LOADER.fullmatch(text)
            if match and match.group(1) in known:
                found.add(match.group(1))
    return found


def code_cells(path: Path) -> str:
    return "\n".join(cell.source for cell in jupytext.read(path).cells if cell.cell_type == "code")


def _helper_definitions() -> dict[str, str]:
    """{name: source} of every top-level function and class in the helpers package."""
    definitions = {}
    for path in sorted(HELPERS.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for node in ast.parse(text).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                definitions.setdefault(node.name, ast.get_source_segment(text, node) or "")
    return definitions


def _lab_code(path: Path, definitions: dict[str, str]) -> str:
    code = code_cells(path)
    called = set(re.findall(r"\bwidgets\.([A-Za-z_]\w*)", code))
    return "\n".join([code, *(definitions.get(name, "") for name in sorted(called))])


def usage(lessons: dict, known: dict) -> dict[str, dict[str, set[int]]]:
    """{dataset: {"lesson"|"exercise"|"lab": lesson numbers}} from the build's discovered lessons."""
    definitions = _helper_definitions()
    used: dict[str, dict[str, set[int]]] = {name: {"lesson": set(), "exercise": set(), "lab": set()} for name in known}
    for number, entry in lessons.items():
        parts = []
        if entry.lesson is not None:
            parts.append(("lesson", code_cells(entry.lesson.path)))
        if entry.exercise is not None:
            module = HELPERS / "exercises" / f"exercise{number}.py"
            extra = module.read_text(encoding="utf-8") if module.exists() else ""
            parts.append(("exercise", code_cells(entry.exercise.path) + "\n" + extra))
        if entry.lab is not None:
            parts.append(("lab", _lab_code(entry.lab.path, definitions)))
        for kind, code in parts:
            for name in datasets_named_in(code, known):
                used[name][kind].add(number)
    return used


def numbers_in_words(numbers: list[int]) -> str:
    """[3, 4, 5] -> '3-5'; [2, 4, 5] -> '2, 4 and 5'; runs of three or more become ranges."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    pieces = []
    for run in runs:
        pieces += [f"{run[0]}-{run[-1]}"] if len(run) >= 3 else [str(n) for n in run]
    return pieces[0] if len(pieces) == 1 else ", ".join(pieces[:-1]) + " and " + pieces[-1]


def used_in_words(places: dict[str, set[int]], entry: dict) -> str:
    words = []
    for kind in ("lesson", "exercise", "lab"):
        numbers = sorted(places[kind])
        if numbers:
            plural = len(numbers) > 1
            words.append(f"{kind}{'s' if plural else ''} {numbers_in_words(numbers)}")
    if words:
        return ", ".join(words)
    reason = entry.get("why_unused")
    return "not used at present" + (f": {reason}" if reason else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _heading_title(title: str) -> str:
    """'1. A single neuron' -> 'A single neuron'."""
    return re.sub(r"^\d+\s*[.:]\s*", "", title)


def lesson_table(lessons: dict, lesson_path, known: dict, used: dict) -> str:
    rows = ["| # | Lesson | You will | Exercise data |", "|---|---|---|---|"]
    for number, entry in lessons.items():
        if entry.lesson is None:
            continue
        link = f"[{_heading_title(entry.lesson.title)}]({lesson_path(entry.lesson).relative_to(ROOT).as_posix()})"
        you_will = jupytext.read(entry.lesson.path).metadata.get("course", {}).get("you_will", "")
        data = [known[name].get("short_title", known[name]["title"]) for name in known if number in used[name]["exercise"]]
        rows.append(f"| {number} | {link} | {_cell(you_will)} | {_cell(', '.join(data))} |")
    return "\n".join(rows)


def credits_table(known: dict, used: dict) -> str:
    rows = ["| Dataset | Used in | License | Citation |", "|---|---|---|---|"]
    for name, entry in known.items():
        cells = [entry["title"], used_in_words(used[name], entry), entry.get("licence", ""), entry.get("citation", "")]
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows)


def missing_you_will(lessons: dict) -> list[str]:
    """Lesson sources without the header line the README's "You will" column is built from."""
    return [
        f"{entry.lesson.path.relative_to(ROOT)}: add `course: you_will: ...` to its jupytext header"
        for entry in lessons.values()
        if entry.lesson is not None and not jupytext.read(entry.lesson.path).metadata.get("course", {}).get("you_will")
    ]


def replace_between(text: str, block: str, body: str) -> str:
    start, end = MARKERS[block]
    pattern = re.compile(re.escape(start.split(" (")[0]) + r".*?" + re.escape(end), flags=re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"README.md has no {start} ... {end} markers")
    return pattern.sub(lambda _: f"{start}\n{body}\n{end}", text, count=1)


def sync_readme(lessons: dict, lesson_path, write: bool) -> bool:
    """Bring the README's two tables up to date (``write``) or report them; True if out of date."""
    known = registry()
    used = usage(lessons, known)
    text = README.read_text(encoding="utf-8")
    wanted = replace_between(text, "lessons", lesson_table(lessons, lesson_path, known, used))
    wanted = replace_between(wanted, "data-credits", credits_table(known, used))
    stale = wanted != text
    if stale and write:
        README.write_text(wanted, encoding="utf-8")
    if stale:
        print(("wrote" if write else "out of date:"), "README.md (lesson table and data credits)")
    return stale
