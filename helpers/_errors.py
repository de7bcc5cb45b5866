"""Errors a learner can fix, shown as a short message instead of a long traceback.

Every helper module raises a subclass of :class:`LearnerError` when the learner (or their
machine) has to do something: fill in a blank, connect to the internet, fetch the data.
Inside Jupyter, :func:`install_friendly_errors` makes IPython print just the error's name and
message for these exceptions; every other exception keeps its full traceback, so real bugs
stay debuggable.
"""

import sys

_RED = "\x1b[1;31m"
_RESET = "\x1b[0m"


class LearnerError(Exception):
    """Something the learner can fix; the message says what to do."""


def _show_briefly(shell, etype, evalue, tb, tb_offset=None):
    # IPython prints the returned lines as the cell's error output; the traceback is
    # dropped on purpose: it would only point into the helpers, not at the learner's code.
    return [f"{_RED}{etype.__name__}{_RESET}: {evalue}"]


def install_friendly_errors():
    """Show :class:`LearnerError` messages without a traceback in IPython and Jupyter.

    Safe to call many times and outside IPython (where it does nothing).
    """
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return
    shell = ipython_module.get_ipython()
    if shell is None or getattr(shell, "_dlcourse_friendly_errors", False):
        return
    shell.set_custom_exc((LearnerError,), _show_briefly)
    shell._dlcourse_friendly_errors = True
