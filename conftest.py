"""Settings shared by the unit tests and the notebooks that nbval runs.

Three things happen here, and only here:

* Progress: passing checks record the learner's progress (``helpers.progress``); tests and the
  notebook kernels write to a throwaway file instead, never to the real user data folder.
* Strict checks, for notebooks only: each notebook kernel nbval starts gets
  ``DLCOURSE_STRICT_CHECKS=1``, so an exercise check that is not passed raises and a solution
  notebook that stops passing its own checks fails (a blank notebook's checks say "not
  attempted" and pass). Unit tests run without it and see the Feedback a learner sees.
* Cells run twice: every notebook cell nbval executes runs twice in a row (see
  ``pytest_runtest_call``). ``DLCOURSE_RUN_CELLS_TWICE=0`` runs each cell once, for a quicker
  local check. ``tests/test_cells_run_twice.py`` proves both on tiny notebooks.
"""

import atexit
import os
import shutil
import tempfile

import pytest

STRICT_ENV_VAR = "DLCOURSE_STRICT_CHECKS"  # read by helpers.exercises.core

# TensorFlow's C++ start-up chatter is not useful in test logs.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
_PROGRESS_DIR = tempfile.mkdtemp(prefix="dlcourse-test-progress-")
os.environ["DLCOURSE_PROGRESS_FILE"] = os.path.join(_PROGRESS_DIR, "progress.json")
atexit.register(shutil.rmtree, _PROGRESS_DIR, ignore_errors=True)

RUN_CELLS_TWICE = os.environ.get("DLCOURSE_RUN_CELLS_TWICE", "1") != "0"


def _is_notebook_cell(item) -> bool:
    return type(item).__name__ == "IPyNbCell"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    # nbval starts a notebook's kernel while setting up its first cell, and the kernel copies
    # the environment at that moment: strict mode reaches the kernel and nothing else.
    if not _is_notebook_cell(item):
        yield
        return
    if STRICT_ENV_VAR in os.environ:  # set by hand for this run: respected
        yield
        return
    os.environ[STRICT_ENV_VAR] = "1"
    try:
        yield
    finally:
        del os.environ[STRICT_ENV_VAR]


def pytest_runtest_call(item):
    # Instructors rerun cells live: run the cell once here, and pytest's own call right after
    # runs it again. A cell that fails on its second run (a variable overwritten, a layer
    # added twice, a list consumed) fails the test.
    if RUN_CELLS_TWICE and _is_notebook_cell(item):
        item.runtest()
