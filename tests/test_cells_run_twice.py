"""nbval runs every notebook cell twice in a row (see conftest.py), as an instructor would.

This is the course's one rerun mechanism: `pytest` executes every notebook under notebooks/
through nbval, and each cell runs a second time right after its first run. These tests prove
it on tiny notebooks, so that it cannot silently stop working, and prove that strict checks
reach the notebook kernels and only them.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _notebook(path, *sources):
    cells = [
        {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [], "source": src}
        for i, src in enumerate(sources)
    ]
    kernelspec = {"display_name": "Python 3", "language": "python", "name": "python3"}
    path.write_text(json.dumps({"cells": cells, "metadata": {"kernelspec": kernelspec}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def _run_nbval(*paths, environment=None, **env):
    # Load the course's conftest.py as a plugin, as pytest does for notebooks/ in this repo.
    (paths[0].parent / "pytest.ini").write_text("[pytest]\n")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "--nbval-lax", "--nbval-current-env",
         "-p", "no:cacheprovider", "-q", *map(str, paths)],
        cwd=paths[0].parent, capture_output=True, text=True, timeout=300,
        env={**(os.environ if environment is None else environment), "PYTHONPATH": str(ROOT), **env},
    )  # fmt: skip


def test_each_cell_runs_twice_before_the_next(tmp_path):
    notebook = _notebook(
        tmp_path / "counting.ipynb",
        "runs = globals().get('runs', 0) + 1",
        "assert runs == 2, f'the first cell ran {runs} time(s)'",
    )
    result = _run_nbval(notebook)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_a_cell_that_breaks_on_its_second_run_fails(tmp_path):
    # The classic instructor trap: a cell that consumes its own input.
    notebook = _notebook(tmp_path / "trap.ipynb", "items = ['wine']", "first = items.pop(0)")
    failing = _run_nbval(notebook)
    assert failing.returncode == 1
    assert "1 failed" in failing.stdout and "Cell 1" in failing.stdout
    once = _run_nbval(notebook, DLCOURSE_RUN_CELLS_TWICE="0")
    assert once.returncode == 0, "the same notebook passes when each cell runs once"


def test_strict_checks_reach_notebook_kernels_only(tmp_path):
    notebook = _notebook(tmp_path / "strict.ipynb", "import os\nassert os.environ.get('DLCOURSE_STRICT_CHECKS') == '1'")
    unit_test = tmp_path / "test_plain.py"
    unit_test.write_text("import os\n\ndef test_lenient():\n    assert 'DLCOURSE_STRICT_CHECKS' not in os.environ\n")
    env = {key: value for key, value in os.environ.items() if key != "DLCOURSE_STRICT_CHECKS"}
    result = _run_nbval(notebook, unit_test, environment=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout  # the notebook cell and the unit test
