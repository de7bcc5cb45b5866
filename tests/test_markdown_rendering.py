"""Text renders as written: no wrapped line that Markdown turns into a list, heading or quote.

A sentence wrapped so that a line starts with "1." (or "-", "+", "*", "#", ">") becomes a
numbered list, a bullet list, a heading or a quote in the middle of a paragraph, because
CommonMark lets those interrupt a paragraph without a blank line. Markdown itself (markdown-it,
the CommonMark parser JupyterLab's renderer follows) finds them here:

* outside lists, any list, heading or block quote that starts on the line right after a
  paragraph line, and any "setext" heading (a paragraph line underlined with `---` or `===`);
* inside a list item, a numbered list, heading or block quote right after the item's text
  (a bullet list nested under an item's text is normal Markdown and allowed).

An intended list after a sentence gets a blank line before it. Checked: every Markdown cell
of every notebook, and the hints, solutions and model answers of every exercise question
(the feedback boxes render them with the same parser).
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import textwrap
from pathlib import Path

import nbformat
import pytest
from markdown_it import MarkdownIt

from helpers import exercises as exercise_package
from helpers.exercises import DiscussionQuestion, Question

ROOT = Path(__file__).resolve().parent.parent
PARSER = MarkdownIt("commonmark").enable("table")
INTERRUPTERS = {"bullet_list_open", "ordered_list_open", "heading_open", "blockquote_open"}
CONTAINERS = {"list_item_open", "blockquote_open"}
KINDS = {
    "bullet_list_open": "a bullet list",
    "ordered_list_open": "a numbered list",
    "heading_open": "a heading",
    "blockquote_open": "a block quote",
}


def accidents(markdown: str) -> list[str]:
    """Lines of ``markdown`` that start a list, heading or quote in the middle of a paragraph."""
    tokens = PARSER.parse(markdown)
    lines = markdown.splitlines()
    found = []
    paragraph_end = {}  # index of a paragraph_close -> the line after its paragraph
    opened = []
    containers = []  # stack of open container types
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open":
            opened.append(token)
        elif token.type == "paragraph_close" and opened:
            paragraph_end[index] = opened.pop().map[1]
        if token.type in INTERRUPTERS and token.map:
            start = token.map[0]
            in_list = "list_item_open" in containers
            setext = token.type == "heading_open" and token.markup in ("=", "-")
            after_paragraph = index > 0 and paragraph_end.get(index - 1) == start
            allowed_nesting = in_list and token.type == "bullet_list_open"
            if setext or (after_paragraph and not allowed_nesting):
                line = lines[start + (token.map[1] - token.map[0] - 1 if setext else 0)]
                kind = "a heading (a line of --- or === under text)" if setext else KINDS[token.type]
                found.append(f"line {start + 1}: {line.strip()!r} becomes {kind}")
        if token.type in CONTAINERS:
            containers.append(token.type)
        elif token.type in ("list_item_close", "blockquote_close") and containers:
            containers.pop()
    return found


# --- the detector itself ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # exercise 3, question 2, as it once was: "0 or 1." wrapped before the "1."
        "The features have very different ranges: weights in the thousands, the origin columns 0 or\n"
        "1. Gradient descent works much better when they are on a comparable scale.",
        "The model trains for 100 epochs and stops at epoch\n1. Then the curves flatten.",
        "Several values are tried:\n- 0.1 and 0.01.",
        "An accuracy of 90% is\n+ better than the baseline.",
        "Multiply each weight\n* by its input.",
        "Count the layers\n# there are three.",
        "Some text\n> quoted by accident",
        "A paragraph line\n---",
        "* An item whose text wraps onto a line that starts with\n  1. and becomes a list",
    ],
)
def test_detector_finds_the_accidents(text):
    assert accidents(text)


@pytest.mark.parametrize(
    "text",
    [
        "Steps:\n\n1. one\n2. two",
        "Text.\n\n* a\n* b\n\n# Heading\n\nMore text",
        "# Title\n\n**In this lesson**\n\n* a\n  * nested under an item\n* b",
        "1. first\n2. second\n   continued line\n3. third",
        "A line that ends at epoch 100.\nThe next line starts with a word.",
        "Epoch 2. is not a list: it does not start the line.",
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "```python\nx = 1\n# a comment, not a heading\n- 2\n```",
        "Text\n\n---\n\nafter a rule",
        "Wrapped text with a number\n2. that is not 1 cannot interrupt a paragraph",
    ],
)
def test_detector_accepts_intended_markdown(text):
    assert accidents(text) == []


# --- every notebook and every question text ----------------------------------------------------


def _notebooks():
    return sorted(p for p in (ROOT / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


@pytest.mark.parametrize("path", _notebooks(), ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_markdown_cells_render_as_written(path):
    notebook = nbformat.read(path, as_version=4)
    problems = [
        f"cell {index} ({cell.get('id')}), {problem}"
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "markdown"
        for problem in accidents(cell.source)
    ]
    assert not problems, f"{path.relative_to(ROOT)}: add a blank line before an intended list, or rewrap:\n" + "\n".join(problems)


def _question_texts():
    for info in pkgutil.iter_modules(exercise_package.__path__):
        if not re.fullmatch(r"lesson\d+", info.name):
            continue
        module = importlib.import_module(f"helpers.exercises.{info.name}")
        for name, question in vars(module).items():
            if isinstance(question, Question) and question.name == name:
                label = f"{info.name}.{name}"
                for step, text in enumerate(question.hint_steps, start=1):
                    yield f"{label} hint {step}", text
                yield f"{label} solution", textwrap.dedent(question.solution_text or "")
                if isinstance(question, DiscussionQuestion):
                    yield f"{label} model answer", textwrap.dedent(question.answer_text or "")


def test_question_texts_render_as_written():
    problems = [f"{label}: {problem}" for label, text in _question_texts() for problem in accidents(text)]
    assert not problems, "\n".join(problems)
