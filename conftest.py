"""Settings shared by the unit tests and the notebooks that nbval runs.

The variables are set before any kernel starts, so notebook kernels inherit them.
"""

import os

# An exercise check that is not passed raises, so a solution notebook that stops passing
# its own checks fails under nbval (a blank notebook's checks say "not attempted" and pass).
os.environ.setdefault("DLCOURSE_STRICT_CHECKS", "1")
# TensorFlow's C++ start-up chatter is not useful in test logs.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
