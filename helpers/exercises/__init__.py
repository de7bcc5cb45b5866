"""Exercise questions with ``check()``, ``hint()`` and ``solution()``.

In an exercise notebook::

    from helpers.exercises import ____
    from helpers.exercises.exercise1 import q1, q2, q3, q4

    input_shape = ____        # replace the blank with your answer
    q1.check(input_shape)     # ✅ Correct / ❌ Not quite / 📝 Not attempted yet
    q1.hint()                 # the first hint; q1.hint(2) the next one
    q1.solution()

``core`` holds the machinery (see its docstring for how to write a new question),
``questions`` question types several exercises share (``OpenChallenge`` among them),
``inspect_model`` reusable checks on Keras models, and ``exercise1`` ... ``exercise6`` the questions.
"""

from .core import ____, DiscussionQuestion, Feedback, Incorrect, Placeholder, PlaceholderError, Question
from .questions import OpenChallenge

__all__ = [
    "____",
    "Question",
    "DiscussionQuestion",
    "OpenChallenge",
    "Feedback",
    "Incorrect",
    "Placeholder",
    "PlaceholderError",
]
