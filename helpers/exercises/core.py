"""The machinery behind every exercise question: the ``____`` blank, ``Feedback`` and ``Question``.

How to write a new question
===========================

Subclass :class:`Question`, give it a title, a hint and, if the worked answer needs words,
``solution_notes``, and implement ``_check`` with one parameter per answer the learner passes::

    from helpers.exercises.core import Question, Incorrect
    from helpers.exercises import inspect_model as im

    class LinearUnit(Question):
        title = "A linear unit"
        expected = "a Keras model"          # used if the answer is something unexpected
        hint_text = [
            "How many numbers describe one wine? The model's input has that shape.",
            "Start the list with `keras.Input(shape=...)`, then one `Dense` layer.",
        ]
        solution_notes = "One neuron: one output per wine, and no activation, so any number."

        def _check(self, model):
            im.require_model(model)                    # raises Incorrect("...") if not
            im.require_input_shape(model, (11,))
            if len(model.layers) != 1:
                raise Incorrect("Use exactly one `Dense` layer.")
            return "One neuron, eleven weights and a bias."    # optional extra praise

    q2 = LinearUnit("q2")

``q2.solution()`` shows the worked answer's code, then ``solution_notes``. The code is not
written here: it is the question's solution cell in ``content/exercises/NN_topic.py``, which
``scripts/build_notebooks.py`` copies into the generated module ``solution_code``.

What ``check`` does for you, so ``_check`` only handles real answers:

* any answer that is, or contains, the ``____`` blank gives "not attempted yet";
* the wrong number of answers gives a readable message built from ``_check``'s signature;
* ``raise Incorrect("specific, friendly Markdown message")`` gives "not quite" with that text;
* any other exception inside ``_check`` (an attribute a string does not have, say) gives a
  readable "I could not check this answer: it is a <type>, expected <self.expected>" message,
  never a traceback;
* ``_check`` returning ``None`` means correct; returning a string adds it to the praise.

Hints come in steps: ``hint_text`` may be one string or a list of strings, from a gentle
nudge to almost the answer. ``q1.hint()`` shows the first and says how to get the next
(``q1.hint(2)``). The first step never contains the answer's code (no code block, no line of
the solution); ``tests/test_exercise_guidance.py`` checks this for every question of the course::

        hint_text = [
            "How many numbers describe one wine? That is the size of the input.",
            "The input goes first in the list: `keras.Input(shape=...)`, then the layer.",
        ]

A question the learner answers in words is a :class:`DiscussionQuestion`: set ``answer_text``
(the model answer, Markdown). ``check(answer)`` shows it next to the learner's own answer, but
only once that answer is real text (no ``____`` left, at least a few words); ``check()`` alone
or ``solution()`` asks for an answer first and reveals nothing.

An open challenge ("beat this target on the test data with any model") is an
:class:`helpers.exercises.questions.OpenChallenge`; its docstring says what to set.

Progress: every check that passes (and every discussion answer) is recorded by
:mod:`helpers.progress` under the exercise number (from the module name, ``exerciseN``) and the
question name; ``progress.show()`` lists what is done. Exercise modules do nothing for this.

Strict mode: with ``DLCOURSE_STRICT_CHECKS=1`` in the environment, an "incorrect" result is
displayed and then raised as ``AssertionError`` so that nbval fails a solution notebook whose
answer does not pass. The variable is read on every call; the test suite sets it only in the
notebook kernels nbval starts (``conftest.py``), so unit tests see ordinary results.
"""

from __future__ import annotations

import html
import inspect
import operator
import os
import re
import sys
import textwrap

__all__ = [
    "____",
    "Placeholder",
    "PlaceholderError",
    "Feedback",
    "Question",
    "DiscussionQuestion",
    "Incorrect",
    "contains_placeholder",
    "strict_checks_enabled",
    "STRICT_ENV_VAR",
    "count_noun",
    "with_article",
    "describe",
    "HelperInputError",
]

STRICT_ENV_VAR = "DLCOURSE_STRICT_CHECKS"

FILL_IN_MESSAGE = "Replace the `____` blank with your answer, run that cell, then run this check again."


# --------------------------------------------------------------------------------------
# The blank
# --------------------------------------------------------------------------------------


from helpers.errors import LearnerError as _LearnerError  # the course-wide "the learner can fix this" error


class PlaceholderError(_LearnerError):
    """Raised when code tries to *use* the ``____`` blank (as a number, a shape, a list...)."""

    def __init__(self, what: str = "a value"):
        self.what = what
        super().__init__(
            f"This code uses the ____ blank where Python needs {what}. "
            "Replace ____ with your answer (here or in an earlier cell) and run the cell again."
        )

    def _render_traceback_(self):
        # IPython calls this instead of printing the full traceback.
        return [friendly_placeholder_message(self)]


class PlaceholderAttributeError(PlaceholderError, AttributeError):
    """``____.something``: also an AttributeError, so ``hasattr(____, "x")`` stays False."""


def _refuse(what):
    def method(self, *args, **kwargs):
        raise PlaceholderError(what)

    return method


class Placeholder:
    """The ``____`` blank in exercise cells.

    Checks report "not attempted yet" when they receive it. Code that tries to use it as a
    number, a shape or a list stops with a one-line reminder to fill in the blank.
    """

    _instance = None

    def __new__(cls):
        # One blank for the whole course, so ``answer is ____`` always works.
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "____"

    __str__ = __repr__

    def __getattr__(self, name):
        if name.startswith("_"):
            # Python and libraries probe for special attributes; answer them normally.
            raise AttributeError(name)
        raise PlaceholderAttributeError(f"an object with a `.{name}` attribute")

    def __reduce__(self):
        return "____"

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    __int__ = __index__ = _refuse("a whole number")
    __float__ = __complex__ = __round__ = _refuse("a number")
    __bool__ = _refuse("True or False")
    __iter__ = __len__ = __getitem__ = __contains__ = _refuse("a list, tuple or shape")
    __call__ = _refuse("something it can call")
    __lt__ = __le__ = __gt__ = __ge__ = _refuse("a number to compare")
    __add__ = __radd__ = __sub__ = __rsub__ = _refuse("a number")
    __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _refuse("a number")
    __floordiv__ = __rfloordiv__ = __pow__ = __rpow__ = __mod__ = __rmod__ = _refuse("a number")
    __neg__ = __pos__ = __abs__ = _refuse("a number")
    __matmul__ = __rmatmul__ = _refuse("an array")


____ = Placeholder()


def contains_placeholder(obj, _depth: int = 0, _seen=None) -> bool:
    """True if ``obj`` is the blank or holds it inside lists, tuples, sets, dicts or object arrays."""
    if obj is ____:
        return True
    if _depth > 6:
        return False
    _seen = set() if _seen is None else _seen
    if id(obj) in _seen:
        return False
    if isinstance(obj, dict):
        _seen.add(id(obj))
        items = list(obj.keys()) + list(obj.values())
    elif isinstance(obj, (list, tuple, set, frozenset)):
        _seen.add(id(obj))
        items = list(obj)
    elif type(obj).__name__ == "ndarray" and getattr(obj, "dtype", None) == object:
        _seen.add(id(obj))
        items = list(obj.ravel()[:1000])
    else:
        return False
    return any(contains_placeholder(item, _depth + 1, _seen) for item in items)


def _involves_placeholder(exc: BaseException | None) -> bool:
    """True if an exception (or one it came from) was caused by the blank."""
    for _ in range(10):
        if exc is None:
            return False
        if isinstance(exc, PlaceholderError):
            return True
        try:
            if "____" in str(exc):
                return True
        except Exception:
            pass
        exc = exc.__cause__ or exc.__context__
    return False


def friendly_placeholder_message(exc: BaseException | None = None) -> str:
    """The single line a learner sees when a cell fails because of a ``____`` blank."""
    detail = ""
    if isinstance(exc, PlaceholderError) and exc.what != "a value":
        detail = f" (Python needed {exc.what} there)"
    return (
        f"✏️  This cell uses a value that is still the ____ blank{detail}. "
        "Replace the ____ blanks with your answers (here or in an earlier cell), then run the cell again."
    )


def _placeholder_exception_handler(shell, etype, value, tb, tb_offset=None):
    """IPython custom exception handler.

    A blank gets one friendly line; any other ``LearnerError`` its one-line message; every
    other exception the usual full traceback. (IPython ignores a handler's return value when
    running cells, so the handler shows what it wants itself.)
    """
    if _involves_placeholder(value):
        shell._showtraceback(etype, value, [friendly_placeholder_message(value)])
    elif _LearnerError is not Exception and isinstance(value, _LearnerError):
        shell._showtraceback(etype, value, [f"\x1b[1;31m{etype.__name__}\x1b[0m: {value}"])
    else:
        shell.showtraceback((etype, value, tb), tb_offset=tb_offset, running_compiled_code=True)
    return None


def _register_ipython_handler() -> bool:
    """Install the friendly handler in the running IPython kernel, if there is one.

    It covers every ``helpers`` LearnerError too (see ``helpers.errors``).
    """
    from IPython import get_ipython  # ipywidgets, a dependency, brings IPython

    shell = get_ipython()
    if shell is None or not hasattr(shell, "set_custom_exc"):
        return False
    shell.set_custom_exc((Exception,), _placeholder_exception_handler)
    return True


_register_ipython_handler()


# --------------------------------------------------------------------------------------
# Feedback
# --------------------------------------------------------------------------------------

# Okabe-Ito colours (the same palette as helpers.plots.PALETTE), readable on light and dark themes.
_STYLES = {
    "correct": ("✅", "Correct", "#009E73"),
    "incorrect": ("❌", "Not quite", "#D55E00"),
    "not_attempted": ("📝", "Not attempted yet", "#999999"),
    "hint": ("💡", "Hint", "#E69F00"),
    "solution": ("🔎", "Solution", "#0072B2"),
    "answer": ("💬", "A model answer", "#CC79A7"),
}


def _markdown_to_html(text: str) -> str:
    """Markdown to HTML, with syntax-highlighted code blocks when Pygments is available."""
    from markdown_it import MarkdownIt
    from pygments import highlight as pyg_highlight  # Pygments comes with IPython
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer, get_lexer_by_name

    def highlight(code, lang, attrs):
        try:
            lexer = get_lexer_by_name(lang) if lang else PythonLexer()
        except Exception:
            lexer = PythonLexer()
        formatter = HtmlFormatter(nowrap=True, noclasses=True, style="friendly")
        return (
            "<pre style='margin: 0.4em 0; padding: 0.5em 0.7em; border-radius: 4px; "
            "background: rgba(127,127,127,0.12); overflow-x: auto'><code>"
            + pyg_highlight(code, lexer, formatter)
            + "</code></pre>"
        )

    md = MarkdownIt("commonmark", {"html": False, "highlight": highlight}).enable("table")
    return md.render(text)


class Feedback:
    """What ``check()``, ``hint()`` and ``solution()`` return.

    In JupyterLab it appears as a box with a coloured left border, a heading such as
    "✅ Correct" and the Markdown message; in a terminal it prints as plain text.
    ``bool(feedback)`` is True only for a correct answer.
    """

    def __init__(self, status: str, title: str = "", message: str = ""):
        if status not in _STYLES:
            raise ValueError(f"unknown feedback status {status!r}; use one of {sorted(_STYLES)}")
        self.status = status
        self.title = title
        self.message = textwrap.dedent(message).strip()

    @property
    def heading(self) -> str:
        icon, label, _ = _STYLES[self.status]
        return f"{icon} {label}"

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __bool__(self):
        return self.correct

    def __eq__(self, other):
        if not isinstance(other, Feedback):
            return NotImplemented
        return (self.status, self.title, self.message) == (other.status, other.title, other.message)

    __hash__ = None

    def __str__(self):
        heading = self.heading + (f" ({self.title})" if self.title else "")
        return f"{heading}\n{self.message}" if self.message else heading

    def __repr__(self):
        return str(self)

    def _repr_markdown_(self):
        title = f" — {self.title}" if self.title else ""
        return f"**{self.heading}**{title}\n\n{self.message}"

    def _repr_html_(self):
        _, _, colour = _STYLES[self.status]
        title = (
            f" <span style='font-weight: normal; opacity: 0.75'>— {html.escape(self.title)}</span>"
            if self.title
            else ""
        )
        body = _markdown_to_html(self.message) if self.message else ""
        return (
            f"<div class='dlcourse-feedback dlcourse-{self.status}' "
            f"style='border-left: 6px solid {colour}; background: {colour}1A; "
            "padding: 0.4em 1em; margin: 0.3em 0; border-radius: 0 4px 4px 0; color: inherit'>"
            f"<div style='font-weight: bold; font-size: 1.05em; margin: 0.2em 0 0.3em 0'>"
            f"{html.escape(self.heading)}{title}</div>"
            f"<div class='dlcourse-feedback-body'>{body}</div></div>"
        )

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self._repr_html_(),
            "text/markdown": self._repr_markdown_(),
            "text/plain": str(self),
        }


# --------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------


class Incorrect(Exception):
    """Raise inside ``_check`` with the learner-facing Markdown message."""

    def __init__(self, message: str):
        self.message = textwrap.dedent(message).strip()
        super().__init__(self.message)


class HelperInputError(_LearnerError, ValueError):
    """A helper function a learner calls (``show_stacked_networks``, ``compare_batch_sizes``...)
    got an argument it cannot use; the message says what it got and what to pass instead."""


def count_noun(n, singular: str, plural: str | None = None) -> str:
    """``count_noun(1, "unit")`` -> '1 unit', ``count_noun(3, "unit")`` -> '3 units'."""
    word = singular if n == 1 else (plural or singular + "s")
    return f"{n:,} {word}" if isinstance(n, int) and abs(n) >= 10_000 else f"{n} {word}"


def with_article(phrase: str) -> str:
    """'a' or 'an' before a phrase, by sound of its first letter: an `int`, a `Dense`, an `EarlyStopping`."""
    first = phrase.lstrip("`'\"*_ ")[:1].lower()
    return f"{'an' if first and first in 'aeiou' else 'a'} {phrase}"


def strict_checks_enabled() -> bool:
    return os.environ.get(STRICT_ENV_VAR, "").strip().lower() in {"1", "true", "yes", "on"}


def describe(value) -> str:
    """A short, learner-readable description of what an answer is."""
    if value is None:
        return "`None`"
    kind = type(value)
    module = kind.__module__.split(".")[0]
    name = kind.__name__
    if module in {"builtins", "__main__"}:
        return with_article(f"`{name}`")
    return with_article(f"`{name}` (from `{module}`)")


def _display(feedback: Feedback) -> None:
    from IPython import get_ipython
    from IPython.display import display

    if get_ipython() is None:
        print(feedback)
    else:
        display(feedback)


class Question:
    """One exercise question: ``check(answer, ...)``, ``hint()`` and ``solution()``.

    Subclasses set ``title``, ``hint_text`` (a string, or a list of strings given one at a time),
    optionally ``solution_notes``, ``expected`` and ``correct_text``, and implement ``_check``.
    """

    title: str = ""
    expected: str = "an answer of the kind the task asks for"
    hint_text: str = "Re-read the task above; the lesson has a worked example of the same idea."
    solution_notes: str = ""  # Markdown shown after the worked answer's code: why it works
    correct_text: str = "Well done!"
    exercise: int | None = None  # found from the module (exerciseN.py) when not set

    def __init__(self, name: str | None = None, title: str | None = None):
        self.name = name or type(self).__name__
        if title is not None:
            self.title = title

    # -- public API ------------------------------------------------------------------
    @property
    def label(self) -> str:
        return f"{self.name}: {self.title}" if self.title else self.name

    def check(self, *answers, **named_answers) -> Feedback:
        feedback = self._evaluate(answers, named_answers)
        if self._counts_as_done(feedback):
            _record_progress(self)
        if feedback.status == "incorrect" and strict_checks_enabled():
            _display(feedback)
            raise AssertionError(f"{self.label}: {feedback.message}")
        return feedback

    @property
    def hint_steps(self) -> list[str]:
        """The hints in order, from a gentle nudge to almost the answer (``hint_text`` as a list)."""
        text = self.hint_text
        steps = [text] if isinstance(text, str) else list(text or [])
        steps = [textwrap.dedent(str(step)).strip() for step in steps]
        return [step for step in steps if step] or [Question.hint_text]

    def hint(self, step=1) -> Feedback:
        """Hint number ``step`` (1 first): ``q1.hint()``, then ``q1.hint(2)`` for the next."""
        steps = self.hint_steps
        count = len(steps)
        if isinstance(step, str) and step.strip().isdigit():
            step = int(step)
        elif not isinstance(step, (bool, int)):
            try:
                step = operator.index(step)  # a NumPy integer is fine too
            except Exception:  # anything else (the blank, 2.5, None) gets the list of hints below
                pass
        if isinstance(step, bool) or not isinstance(step, int) or not 1 <= step <= count:
            if count == 1:
                message = f"`{self.name}` has one hint: run `{self.name}.hint()`."
            else:
                calls = ", ".join(f"`{self.name}.hint({n})`" for n in range(1, count + 1))
                message = f"`{self.name}` has {count} hints, one after the other: {calls}. Start with `{self.name}.hint()`."
            return Feedback("hint", self.label, f"{message}\n\n{self._after_hints_text()}")
        title = self.label if count == 1 else f"{self.label} · hint {step} of {count}"
        if step < count:
            footer = f"*Still stuck? `{self.name}.hint({step + 1})` gives the next hint.*"
        else:
            footer = f"*{'That was the last hint. ' if count > 1 else ''}{self._after_hints_text()}*"
        return Feedback("hint", title, f"{steps[step - 1]}\n\n{footer}")

    @property
    def solution_code(self) -> str:
        """The worked answer's code: the solution cells before this question's check in its notebook."""
        from .solution_code import WORKED_ANSWERS

        return WORKED_ANSWERS.get(self.exercise_number, {}).get(self.name, "")

    @property
    def solution_text(self) -> str:
        """What ``solution()`` shows (Markdown): the worked answer's code, then ``solution_notes``."""
        code = self.solution_code
        parts = [f"```python\n{code}\n```"] if code else []
        notes = textwrap.dedent(self.solution_notes).strip()
        return "\n\n".join(parts + ([notes] if notes else []))

    def solution(self) -> Feedback:
        return Feedback("solution", self.label, self.solution_text)

    def __repr__(self):
        return f"<{type(self).__name__} {self.label!r}: use {self.name}.check(...), {self.name}.hint(), {self.name}.solution()>"

    @property
    def exercise_number(self) -> int | None:
        """The exercise this question belongs to (``helpers.exercises.exerciseN`` holds exercise N)."""
        if self.exercise is not None:
            return self.exercise
        match = _EXERCISE_MODULE.search(type(self).__module__)
        if match:
            return int(match.group(1))
        for module_name, module in list(sys.modules.items()):
            match = _EXERCISE_MODULE.search(module_name)
            if match and getattr(module, self.name, None) is self:
                return int(match.group(1))
        return None

    # -- for subclasses ----------------------------------------------------------------
    def _check(self, *answers):  # pragma: no cover - abstract
        raise NotImplementedError

    def _checker(self):
        """The method whose parameters are the answers ``check`` takes."""
        return self._check

    def _after_hints_text(self) -> str:
        return f"`{self.name}.solution()` shows a worked answer if you need it."

    def _counts_as_done(self, feedback: Feedback) -> bool:
        return feedback.status == "correct"

    def _answer_names(self) -> list[str]:
        try:
            params = inspect.signature(self._checker()).parameters.values()
        except (TypeError, ValueError):
            return []
        return [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]

    # -- internals ---------------------------------------------------------------------
    def _feedback(self, status: str, message: str) -> Feedback:
        return Feedback(status, self.label, message)

    def _evaluate(self, answers, named_answers) -> Feedback:
        if contains_placeholder(answers) or contains_placeholder(named_answers):
            return self._feedback("not_attempted", FILL_IN_MESSAGE)
        try:
            inspect.signature(self._checker()).bind(*answers, **named_answers)
        except TypeError:
            return self._feedback("incorrect", self._wrong_arguments_message(answers, named_answers))
        try:
            extra = self._check(*answers, **named_answers)
        except Incorrect as mistake:
            return self._feedback("incorrect", mistake.message)
        except PlaceholderError:
            return self._feedback("not_attempted", FILL_IN_MESSAGE)
        except Exception as error:  # any surprise becomes a readable message, never a traceback
            return self._feedback("incorrect", self._could_not_check_message(answers, named_answers, error))
        message = self.correct_text
        if isinstance(extra, str) and extra.strip():
            message = f"{message}\n\n{textwrap.dedent(extra).strip()}"
        return self._feedback("correct", message)

    def _wrong_arguments_message(self, answers, named_answers) -> str:
        names = self._answer_names()
        given = len(answers) + len(named_answers)
        if names:
            wanted = ", ".join(names)
            call = f"`{self.name}.check({wanted})`"
            count = f"{len(names)} answer{'s' if len(names) != 1 else ''}"
        else:
            call, count = f"`{self.name}.check()`", "no answers"
        unknown = [key for key in named_answers if key not in names]
        extra = f" (I do not know the name{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))})" if unknown else ""
        return f"{call} takes {count}; you passed {given}{extra}. Call it exactly as in the cell above."

    def _could_not_check_message(self, answers, named_answers, error) -> str:
        values = list(answers) + list(named_answers.values())
        described = " and ".join(describe(v) for v in values) if values else "nothing"
        return (
            f"I could not check this answer: it is {described}, and I expected {self.expected}. "
            "Look at what the cell above assigns, and run it again.\n\n"
            f"*Details for the curious:* `{type(error).__name__}: {_shorten(str(error))}`"
        )


def _shorten(text: str, limit: int = 160) -> str:
    text = " ".join(text.split()).replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"


_EXERCISE_MODULE = re.compile(r"(?:^|\.)exercise(\d+)$")


def _record_progress(question: "Question") -> None:
    """Note a passed question in the learner's progress file; a problem there never stops a check."""
    try:
        number = question.exercise_number
        if number is None:
            return
        from helpers import progress

        progress.record(number, question.name)
    except Exception:  # progress is a convenience: a check must work without it
        pass


MIN_ANSWER_WORDS = 5

THINK_FIRST_MESSAGE = (
    "Write your own answer first: put a sentence or two of your own between the quotes in the cell above, "
    "run it, then run this check again to compare your answer with a model answer."
)


def _written_answer_problem(answer) -> str | None:
    """Why ``answer`` is not yet a written answer of the learner's own (None if it is one)."""
    if answer is ____ or contains_placeholder(answer):
        return "Your answer is still the `____` blank. " + THINK_FIRST_MESSAGE
    if not isinstance(answer, str):
        return (
            f"Your answer is {describe(answer)}; write it as text between the quotes, "
            'for example `answer = """Because ..."""`. ' + THINK_FIRST_MESSAGE
        )
    if "____" in answer:
        return "Your answer still contains the `____` blank: replace it with your own words. " + THINK_FIRST_MESSAGE
    words = re.findall(r"[^\W_]+", answer)
    if not words:
        return "Your answer is empty. " + THINK_FIRST_MESSAGE
    if len(words) < MIN_ANSWER_WORDS:
        return (
            f"Your answer has {count_noun(len(words), 'word')}. Explain your thinking in a sentence or two "
            f"(at least {MIN_ANSWER_WORDS} words), then run this check again to compare it with a model answer."
        )
    return None


def _quote(text: str) -> str:
    lines = textwrap.dedent(text).strip().splitlines()
    return "\n".join(f"> {line}" if line.strip() else ">" for line in lines)


class DiscussionQuestion(Question):
    """A question answered in words: ``check(answer)`` shows a model answer next to the learner's.

    The learner writes their answer in a string; the model answer appears only once that string
    holds a real answer (no ``____`` left, at least a few words). ``check()`` with nothing, a
    blank or a too-short answer says so and reveals nothing, and ``solution()`` points to
    ``check(answer)``, so a notebook run top to bottom never gives the answer away. Notebook
    pattern (blank cell)::

        # Your answer, in your own words, between the quotes:
        answer = \"\"\"
        ____
        \"\"\"
        q3.check(answer)

    Set ``answer_text`` (the model answer, Markdown) and, as for any question, ``hint_text``.
    """

    answer_text: str = ""
    expected = "your answer in words, as a string"

    def _check(self, answer):
        return None

    def _evaluate(self, answers, named_answers) -> Feedback:
        values = list(answers) + list(named_answers.values())
        if not values:
            return self._feedback("not_attempted", THINK_FIRST_MESSAGE)
        if len(values) > 1:
            return self._feedback(
                "not_attempted",
                f"`{self.name}.check(answer)` takes one answer, your text in quotes; you passed {len(values)}. "
                "Put your whole answer in one string.",
            )
        problem = _written_answer_problem(values[0])
        if problem:
            return self._feedback("not_attempted", problem)
        return self._feedback(
            "answer",
            f"**Your answer**\n\n{_quote(values[0])}\n\n**A model answer to compare with yours**\n\n"
            f"{textwrap.dedent(self.answer_text).strip()}\n\n"
            "*Did you reach the same conclusion for the same reasons? Where yours differs, which one does "
            "the evidence in the notebook support?*",
        )

    def _counts_as_done(self, feedback: Feedback) -> bool:
        return feedback.status == "answer"

    def _after_hints_text(self) -> str:
        return f"Now write your answer and run `{self.name}.check(answer)` to compare it with a model answer."

    def solution(self) -> Feedback:
        return self._feedback(
            "not_attempted",
            f"This question has no single right answer to copy: write yours in the cell above and run "
            f"`{self.name}.check(answer)`. It shows a model answer next to yours once you have written "
            f"a sentence or two (stuck? `{self.name}.hint()`).",
        )
