"""Every notebook survives an instructor re-running each cell.

Each notebook under ``notebooks/`` (lessons, blank exercises, solutions, labs) runs in a fresh
kernel of the current environment, and every code cell is executed twice in a row before the
next one, as an instructor does live. Any error fails the test, except in cells tagged
``raises-exception`` (the blanks a learner has not filled in yet). Solutions run with
``DLCOURSE_STRICT_CHECKS=1``. ``DLCOURSE_DATA_DIR`` is passed through to the kernel.

This executes the whole course twice (about 11 minutes on 2 cores); ``DLCOURSE_SKIP_RERUN=1``
skips it. The root ``conftest.py`` makes nbval run every cell twice as well, so when nbval is
executing the same notebook twice in this very session (plain ``pytest``), this test skips that
notebook rather than pay for it again: run ``pytest tests/test_rerun.py`` on its own, or
``DLCOURSE_RUN_CELLS_TWICE=0 pytest``, to use this one instead. ``python
benchmarks/run_course.py --rerun`` runs the same executor and reports the time of the first and
of the second execution of every cell.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# A cell that hangs should fail the test, not the whole CI job.
CELL_TIMEOUT_SECONDS = int(os.environ.get("DLCOURSE_RERUN_CELL_TIMEOUT", "300"))


def _load_run_course():
    spec = importlib.util.spec_from_file_location("run_course", ROOT / "benchmarks" / "run_course.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("run_course", module)
    spec.loader.exec_module(module)
    return sys.modules["run_course"]


run_course = _load_run_course()
NOTEBOOKS = run_course.discover_notebooks(ROOT / "notebooks")


def _nbval_runs_twice_in_this_session(request, path: Path) -> bool:
    """True when this session also has nbval execute ``path`` with conftest.py's second run."""
    if os.environ.get("DLCOURSE_RUN_CELLS_TWICE", "1") == "0":
        return False
    return any(type(item).__name__ == "IPyNbCell" and Path(str(item.path)).resolve() == path.resolve()
               for item in request.session.items)


@pytest.mark.skipif(os.environ.get("DLCOURSE_SKIP_RERUN") == "1",
                    reason="DLCOURSE_SKIP_RERUN=1: the rerun test was switched off")
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[n.label for n in NOTEBOOKS])
def test_every_cell_can_run_twice_in_a_row(notebook, record_property, request):
    if _nbval_runs_twice_in_this_session(request, notebook.path):
        pytest.skip("nbval already runs every cell of this notebook twice in this session")
    run = run_course.run_notebook(notebook, repeats=2, timeout=CELL_TIMEOUT_SECONDS)

    record_property("first_execution_seconds", round(run.execution_seconds(0), 2))
    record_property("second_execution_seconds", round(run.execution_seconds(1), 2))
    record_property("peak_memory_mb", round(run.peak_memory_bytes / run_course.MB))
    print(f"{notebook.label}: 1st run {run.execution_seconds(0):.1f} s, "
          f"2nd run {run.execution_seconds(1):.1f} s, peak {run.peak_memory_bytes / 1e6:.0f} MB")

    if run.status != "ok":
        cell = next((c for c in run.cells if c.index == run.failed_cell), None)
        which = "first" if not run.failed_execution else "second"
        where = (f"cell {run.failed_cell} (`{cell.first_line}`), on its {which} run"
                 if cell else "before any cell ran")
        pytest.fail(f"{notebook.label} failed at {where}:\n{run.error}", pytrace=False)

    assert run.cells, f"{notebook.label} has no code cells"
    # Every code cell really ran twice: nothing was skipped.
    assert all(len(c.seconds) == 2 for c in run.cells), [
        c.index for c in run.cells if len(c.seconds) != 2]
