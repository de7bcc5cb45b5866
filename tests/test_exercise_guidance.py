"""Every question of every exercise guides without giving the answer away.

The questions are discovered, not listed: every ``Question`` instance in every
``helpers/exercises/exerciseN.py`` module, matched with the ``solution`` cells of
``content/exercises/NN_*.py`` that come before its ``qN.check(...)`` call.

* The first hint step holds no code block and no line of the question's solution code
  (neither from ``solution_text`` nor from the notebook's solution cells; lines that the
  blank cell or the question's text already show the learner do not count).
* A discussion question reveals its model answer only next to a real written answer, and
  its exercise cell passes the learner's answer (``qN.check(answer)``, never a bare call).
* An open challenge's numbers make sense: the reference range meets the target on every
  seed, the trivial baseline does not.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
from pathlib import Path

import jupytext
import pytest
from markdown_it import MarkdownIt

from helpers import exercises as exercise_package
from helpers.exercises import ____, DiscussionQuestion, OpenChallenge, Question, core

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import exercise_sources  # noqa: E402
CHECK_CALL = re.compile(r"^\s*(q\d+)\.check\((.*)\)\s*$", flags=re.MULTILINE)


@pytest.fixture(autouse=True)
def lenient_checks(monkeypatch):
    monkeypatch.delenv(core.STRICT_ENV_VAR, raising=False)


def _exercise_modules():
    modules = {}
    for info in pkgutil.iter_modules(exercise_package.__path__):
        match = re.fullmatch(r"exercise(\d+)", info.name)
        if match:
            modules[int(match.group(1))] = importlib.import_module(f"helpers.exercises.{info.name}")
    return dict(sorted(modules.items()))


MODULES = _exercise_modules()


def _questions_of(module):
    return [value for name, value in vars(module).items() if isinstance(value, Question) and value.name == name]


QUESTIONS = [(number, question) for number, module in MODULES.items() for question in _questions_of(module)]
IDS = [f"exercise{number}-{question.name}" for number, question in QUESTIONS]


def _source_of(number: int) -> Path | None:
    found = sorted((ROOT / "content" / "exercises").glob(f"{number:02d}_*.py"))
    return found[0] if found else None


def _cells_by_question(number: int) -> dict[str, dict[str, list[str]]]:
    """{question name: {"solution": [...], "blank": [...], "task": [...]}} from the exercise source.

    Each task cell counts as its blank cell followed by its solution cell. A cell belongs to the first ``qN.check(...)`` call at or after it; "task" holds the Markdown
    cells (the question's text).
    """
    path = _source_of(number)
    if path is None:
        return {}
    result: dict[str, dict[str, list[str]]] = {}
    pending: dict[str, list[str]] = {"solution": [], "blank": [], "task": []}
    for cell in exercise_sources.interleaved(jupytext.read(path)).cells:
        if cell.cell_type == "markdown":
            pending["task"].append(cell.source)
            continue
        if cell.cell_type != "code":
            continue
        for tag in ("solution", "blank"):
            if tag in cell.metadata.get("tags", []):
                pending[tag].append(cell.source)
        calls = CHECK_CALL.findall(cell.source)
        if calls:
            entry = result.setdefault(calls[0][0], {"solution": [], "blank": [], "task": []})
            for tag in pending:
                entry[tag].extend(pending[tag])
            pending = {"solution": [], "blank": [], "task": []}
    return result


def _fenced_code(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    return [token.content for token in tokens if token.type in ("fence", "code_block")]


def _normalized(line: str) -> str:
    line = re.sub(r"\s+#.*$", "", line.strip())  # an end-of-line comment
    if line.startswith("#"):
        return ""
    return " ".join(line.rstrip(",;").split())


def _telling_lines(code: str) -> list[str]:
    """The lines of solution code that would give something away (not `])`, not `import keras`)."""
    lines = []
    for line in code.splitlines():
        text = _normalized(line)
        if (
            len(text) >= 8
            and re.search(r"[A-Za-z0-9]", text)
            and not re.fullmatch(r"(import|from) [\w. ]+", text)
            and not re.fullmatch(r"[A-Za-z_]\w*", text)  # a bare name, shown as the cell's result
        ):
            lines.append(text)
    return lines


def test_every_exercise_has_questions_and_a_source():
    assert len(MODULES) >= 6
    for number, module in MODULES.items():
        assert _questions_of(module), f"helpers/exercises/exercise{number}.py has no questions"
        assert _source_of(number) is not None, f"exercise {number} has no source in content/exercises/"


@pytest.mark.parametrize("number, question", QUESTIONS, ids=IDS)
def test_first_hint_never_holds_the_answers_code(number, question):
    first = question.hint_steps[0]
    assert not _fenced_code(first), f"{question.label}: the first hint holds a code block"
    assert "```" not in first and "~~~" not in first
    cells = _cells_by_question(number).get(question.name, {"solution": [], "blank": [], "task": []})
    solution_code = _fenced_code(textwrap_dedent(question.solution_text)) + cells["solution"]
    # Lines the blank cell already shows (`history = model.fit(`), or that the task's text
    # spells out (`batch_size=128`), give nothing away.
    given = {line for code in cells["blank"] for line in _telling_lines(code)}
    task = " ".join(" ".join(cells["task"]).split())
    hint = " ".join(first.split())
    for code in solution_code:
        for line in _telling_lines(code):
            if line not in given and line not in task:
                assert line not in hint, f"{question.label}: the first hint contains the solution line {line!r}"


def textwrap_dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text or "")


@pytest.mark.parametrize("number, question", QUESTIONS, ids=IDS)
def test_every_hint_step_shows_and_points_to_the_next(number, question):
    steps = question.hint_steps
    for step in range(1, len(steps) + 1):
        feedback = question.hint(step)
        assert feedback.status == "hint" and feedback.message.startswith(steps[step - 1])
        if step < len(steps):
            assert f"`{question.name}.hint({step + 1})`" in feedback.message
    assert f"has {len(steps)} hints" in question.hint(len(steps) + 1).message or len(steps) == 1


DISCUSSIONS = [(n, q) for n, q in QUESTIONS if isinstance(q, DiscussionQuestion)]


def _answer_fragments(question) -> list[str]:
    """Some sentences of the model answer: none may appear before the learner has written one."""
    text = " ".join(textwrap_dedent(question.answer_text).split())
    return [sentence for sentence in re.split(r"(?<=[.!?])\s+", text) if len(sentence) > 25][:3] or [text]


@pytest.mark.parametrize("number, question", DISCUSSIONS, ids=[f"exercise{n}-{q.name}" for n, q in DISCUSSIONS])
def test_discussion_questions_refuse_to_reveal_without_an_answer(number, question):
    assert textwrap_dedent(question.answer_text).strip(), f"{question.label} has no model answer"
    fragments = _answer_fragments(question)
    refusals = [
        question.check(),
        question.check(____),
        question.check(""),
        question.check('\n____\n'),
        question.check("no idea"),
        question.solution(),
    ]
    for feedback in refusals:
        assert feedback.status == "not_attempted", feedback
        for fragment in fragments:
            assert fragment not in " ".join(feedback.message.split())
    for step in range(1, len(question.hint_steps) + 1):
        for fragment in fragments:
            assert fragment not in " ".join(question.hint(step).message.split())
    shown = question.check("I think it happens because of how the model was set up and trained.")
    assert shown.status == "answer"
    assert all(fragment in " ".join(shown.message.split()) for fragment in fragments)


@pytest.mark.parametrize("number, question", DISCUSSIONS, ids=[f"exercise{n}-{q.name}" for n, q in DISCUSSIONS])
def test_discussion_cells_pass_the_learners_own_answer(number, question):
    source = _source_of(number).read_text(encoding="utf-8")
    calls = [arguments for name, arguments in CHECK_CALL.findall(source) if name == question.name]
    assert calls, f"exercise {number} never calls {question.name}.check(...)"
    for arguments in calls:
        assert arguments.strip(), (
            f"exercise {number}: `{question.name}.check()` passes no answer; write the cell as "
            f'`answer = """\\n____\\n"""` then `{question.name}.check(answer)`'
        )


CHALLENGES = [(n, q) for n, q in QUESTIONS if isinstance(q, OpenChallenge)]


@pytest.mark.parametrize("number, question", CHALLENGES, ids=[f"exercise{n}-{q.name}" for n, q in CHALLENGES])
def test_open_challenge_target_is_met_by_the_reference_and_not_by_the_baseline(number, question):
    low, high = sorted(question.reference)
    assert question._meets(low, question.target) and question._meets(high, question.target)
    assert not question._meets(question._baseline_score(), question.target)
    assert question.metric != OpenChallenge.metric and question.baseline_name != OpenChallenge.baseline_name


def test_every_exercise_ends_with_an_open_challenge():
    missing = [number for number, module in MODULES.items() if not any(isinstance(q, OpenChallenge) for q in _questions_of(module))]
    assert not missing, f"exercises without an open challenge: {missing}"
