"""What the course holds, found in the repository rather than listed by hand.

Tests import this module (pytest puts ``tests/`` on ``sys.path``) so that a new lesson, exercise,
question or dataset is tested the moment it exists, with no edit to any test.
"""

from __future__ import annotations

import importlib
import re
import tomllib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
EXERCISE_MODULE = re.compile(r"exercise(\d+)\.py")


def lesson_sources() -> list[Path]:
    """content/lessons/NN_topic.py, in course order."""
    return sorted((CONTENT / "lessons").glob("[0-9][0-9]_*.py"))


def exercise_modules() -> list[ModuleType]:
    """helpers.exercises.exerciseN for every N that exists, in order."""
    found = []
    for path in (ROOT / "helpers" / "exercises").glob("exercise*.py"):
        match = EXERCISE_MODULE.fullmatch(path.name)
        if match:
            found.append((int(match.group(1)), path.stem))
    return [importlib.import_module(f"helpers.exercises.{stem}") for _, stem in sorted(found)]


def exercise_questions(modules: list[ModuleType] | None = None) -> dict:
    """{"exerciseN.qK": question} for every question an exercise module exports."""
    from helpers.exercises import core

    questions = {}
    for module in exercise_modules() if modules is None else modules:
        short = module.__name__.rsplit(".", 1)[-1]
        for name in getattr(module, "__all__", vars(module)):
            value = getattr(module, name)
            if name.startswith("q") and isinstance(value, core.Question):
                questions[f"{short}.{name}"] = value
    return questions


def dataset_registry() -> dict:
    """data/registry.toml as a dict {dataset name: its table}."""
    return tomllib.loads((ROOT / "data" / "registry.toml").read_text(encoding="utf-8"))


def build_script() -> ModuleType:
    """scripts/build_notebooks.py as a module: where each source's notebooks go, and the README."""
    import importlib.util
    import sys

    if "build_notebooks" not in sys.modules:
        spec = importlib.util.spec_from_file_location("build_notebooks", ROOT / "scripts" / "build_notebooks.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["build_notebooks"] = module
        spec.loader.exec_module(module)
    return sys.modules["build_notebooks"]
