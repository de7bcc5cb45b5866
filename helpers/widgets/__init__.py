"""Interactive labs (ipywidgets + matplotlib) and a live learning-curve callback.

Each lab is one function that builds and returns a widget: call it as the last line of a
cell and the lab appears below::

    from helpers import widgets
    widgets.capacity_explorer()

What ``helpers.widgets`` offers is found, not listed: every name in the ``__all__`` of a
module in this package or in ``labs/`` (one module per lab). Modules are imported on first
use, so ``from helpers import widgets`` stays quick.
"""

import ast
import functools
import importlib
from pathlib import Path

from helpers.widgets import labs


@functools.cache
def public_names() -> dict[str, str]:
    """Each public name -> the module that defines it, read from the modules' ``__all__``
    without importing them (which would load Keras and matplotlib)."""
    found = {}
    for package in (__name__, labs.__name__):
        folder = Path(importlib.import_module(package).__file__).parent
        for path in sorted(folder.glob("[!_]*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for statement in tree.body:
                if isinstance(statement, ast.Assign) and any(
                        isinstance(target, ast.Name) and target.id == "__all__" for target in statement.targets):
                    for name in ast.literal_eval(statement.value):
                        if name in found:
                            raise ImportError(f"helpers.widgets: {name!r} is exported by two modules")
                        found[name] = f"{package}.{path.stem}"
    return found


def __getattr__(name):
    if name == "__all__":  # for `from helpers.widgets import *`
        return sorted(public_names())
    module = public_names().get(name)
    if module is None:
        raise AttributeError(f"module 'helpers.widgets' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__():
    return sorted(public_names())
