"""Interactive labs (ipywidgets + matplotlib) and a live learning-curve callback.

Each lab is one function that builds and returns a widget: call it as the last line of a
cell and the lab appears below. Submodules are imported on first use, so
``from helpers import widgets`` stays quick.
"""

import importlib

_EXPORTS = {
    # lessons 1-3
    "neuron_explorer": "explorers",
    "activation_explorer": "explorers",
    "sgd_playground": "explorers",
    # lessons 4-6
    "capacity_explorer": "training_labs",
    "regularization_explorer": "training_labs",
    "threshold_explorer": "training_labs",
    "ionosphere_probabilities": "training_labs",  # lab 6: validation and test probabilities
    # any lesson
    "LiveLearningCurves": "live",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'helpers.widgets' has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_EXPORTS[name]}")
    return getattr(module, name)


def __dir__():
    return __all__
