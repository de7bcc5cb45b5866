"""Helpers for the Introduction to Deep Learning notebooks.

Small modules, one teaching job each:

* ``helpers.data``: the course datasets as pandas DataFrames (downloaded once, verified).
* ``helpers.plots``: the figures the lessons reuse (learning curves, activations, ...).
* ``helpers.widgets``: the interactive labs and a live learning-curve callback.
* ``helpers.exercises``: exercise questions with ``check()``, ``hint()`` and ``solution()``.
* ``helpers.progress``: which exercise questions you have done (``progress.show()``).
* ``helpers.environment``: is this computer ready for the course (``environment.check()``).
* ``helpers.memory``: give back what finished trainings left in memory (``memory.release_finished_trainings()``).
"""

__all__ = ["data", "plots", "widgets", "exercises", "progress", "environment", "memory"]
