"""Settings shared by the unit tests and the notebooks that nbval runs.

The variables are set before any kernel starts, so notebook kernels inherit them.
"""

import atexit
import os
import shutil
import tempfile

# An exercise check that is not passed raises, so a solution notebook that stops passing
# its own checks fails under nbval (a blank notebook's checks say "not attempted" and pass).
os.environ.setdefault("DLCOURSE_STRICT_CHECKS", "1")
# TensorFlow's C++ start-up chatter is not useful in test logs.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# Passing checks record the learner's progress (helpers.progress); tests and the notebooks
# nbval runs write to a throwaway file instead, never to the real user data folder.
_PROGRESS_DIR = tempfile.mkdtemp(prefix="dlcourse-test-progress-")
os.environ["DLCOURSE_PROGRESS_FILE"] = os.path.join(_PROGRESS_DIR, "progress.json")
atexit.register(shutil.rmtree, _PROGRESS_DIR, ignore_errors=True)

# Instructors rerun cells live, so every notebook cell that nbval executes is run twice in a
# row: once here, then once more by pytest's own call hook right after. A cell that fails
# on its second run (a variable overwritten, a layer added twice, a file moved away) fails
# the test. DLCOURSE_RUN_CELLS_TWICE=0 runs each cell once, for a quicker local check.
RUN_CELLS_TWICE = os.environ.get("DLCOURSE_RUN_CELLS_TWICE", "1") != "0"


def pytest_runtest_call(item):
    if RUN_CELLS_TWICE and type(item).__name__ == "IPyNbCell":
        item.runtest()
