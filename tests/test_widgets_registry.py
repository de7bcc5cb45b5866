"""helpers.widgets finds its labs by itself, and stays quick to import.

A lab's notebook ``content/labs/NN_name.py`` has its module ``helpers/widgets/labs/name.py``
with a function ``name``; every ``widgets.something`` the course's notebooks call resolves.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import widgets

ROOT = Path(__file__).resolve().parent.parent
LAB_SOURCES = sorted((ROOT / "content" / "labs").glob("[0-9][0-9]_*.py"))


@pytest.mark.parametrize("source", LAB_SOURCES, ids=lambda path: path.stem)
def test_each_lab_notebook_has_a_module_and_function_of_its_name(source):
    name = source.stem.split("_", 1)[1]
    assert (ROOT / "helpers" / "widgets" / "labs" / f"{name}.py").is_file()
    # Importing the module first must not hide the function behind the module's name.
    module = __import__(f"helpers.widgets.labs.{name}", fromlist=[name])
    assert getattr(widgets, name) is getattr(module, name) and callable(getattr(widgets, name))
    assert f"widgets.{name}(" in source.read_text(encoding="utf-8")


def test_every_widgets_name_the_course_uses_exists():
    used = set()
    for path in (ROOT / "content").rglob("*.py"):
        used |= set(re.findall(r"\bwidgets\.(\w+)", path.read_text(encoding="utf-8")))
    assert used, "no notebook uses helpers.widgets: the pattern above is out of date"
    missing = sorted(name for name in used if not hasattr(widgets, name))
    assert not missing, f"the notebooks call widgets.{missing[0]}, which helpers.widgets does not offer"


def test_listing_and_star_import_agree_with_the_modules():
    names = dir(widgets)
    assert names == sorted(widgets.public_names()) == widgets.__all__
    namespace = {}
    exec("from helpers.widgets import *", namespace)
    assert set(names) <= set(namespace)
    with pytest.raises(AttributeError, match="no attribute 'no_such_lab'"):
        widgets.no_such_lab  # noqa: B018


def test_importing_widgets_loads_no_plotting_widget_or_keras_code():
    code = ("import sys; from helpers import widgets; widgets.public_names(); "
            "print(sorted(m for m in ('keras', 'matplotlib', 'ipywidgets') if m in sys.modules))")
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                               timeout=120, check=True)
    assert completed.stdout.strip() == "[]"


def test_one_lab_input_error_shown_as_one_friendly_line():
    from helpers.errors import LearnerError

    with pytest.raises(widgets.LabInputError) as raised:
        widgets.threshold_explorer([0.2, 0.9], [0, 1], threshold=2)
    with pytest.raises(widgets.LabInputError):
        widgets.activation_explorer("no such activation")
    assert isinstance(raised.value, (LearnerError, ValueError))
    assert raised.value._render_traceback_() == [
        f"\x1b[1;31mLabInputError\x1b[0m: {raised.value}"
    ]
