"""Keep a notebook that trains many networks within a small machine's memory.

``memory.release_finished_trainings()`` prints nothing. Called after a cell that trained
several networks and kept only what it needed from them (their numbers and weights), it
gives back the memory those trainings used, so that the notebook's memory stops growing
with every network trained (Binder, for instance, stops a notebook that passes 2 GB).

Why it is needed: on the TensorFlow backend, every ``fit`` of a new model leaves its whole
compiled training step behind, about 15 MB for the small networks of this course, even
after the model is deleted and ``keras.backend.clear_session()`` has run. Keras's optimizer
adds up the gradients with TensorFlow's ``all_reduce``, whose gradient function TensorFlow
registers under a new name in a global table for every compiled step, and that function
refers to the step's graph. TensorFlow never removes the entry (tensorflow/tensorflow#80895,
keras-team/keras#20245). Nothing ever asks for those gradient functions once a step is
compiled, so dropping them is safe between trainings. On the JAX and PyTorch backends,
deleting a model frees its memory, and this function only runs Python's garbage collector.
"""

from __future__ import annotations

import gc

__all__ = ["release_finished_trainings"]

# The names TensorFlow gives the gradient functions of tf.custom_gradient in graph mode.
_CUSTOM_GRADIENT_PREFIX = "CustomGradient-"


def _tensorflow_gradient_registry() -> dict | None:
    """TensorFlow's table of registered gradient functions, or None if it is not there."""
    import keras

    if keras.backend.backend() != "tensorflow":
        return None
    try:
        from tensorflow.python.framework import ops
    except ImportError:
        return None
    registry = getattr(getattr(ops, "_gradient_registry", None), "_registry", None)
    # A TensorFlow that stores its gradients differently needs no help from us, or a new look.
    return registry if isinstance(registry, dict) else None


def release_finished_trainings() -> None:
    """Free what finished trainings left behind; call it between trainings, never inside one.

    The learner sees nothing. Models still in use keep working: they can predict, be
    evaluated and be trained further.
    """
    registry = _tensorflow_gradient_registry()
    if registry is not None:
        for name in [name for name in registry if str(name).startswith(_CUSTOM_GRADIENT_PREFIX)]:
            del registry[name]
    gc.collect()
