"""Errors a learner can fix, shown as a short message instead of a long traceback.

Every helper module raises a subclass of :class:`LearnerError` when the learner (or their
machine) has to do something: fill in a blank, connect to the internet, fetch the data.
IPython and Jupyter print such an error as its name and message only (through the
``_render_traceback_`` hook), because a traceback into the helpers would not point at
anything the learner wrote. Every other exception keeps its full traceback.
"""

_RED = "\x1b[1;31m"
_RESET = "\x1b[0m"


class LearnerError(Exception):
    """Something the learner can fix; the message says what to do."""

    def _render_traceback_(self):
        return [f"{_RED}{type(self).__name__}{_RESET}: {self}"]
