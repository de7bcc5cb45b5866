"""Fast tests of the course benchmark's own machinery (benchmarks/run_course.py), on tiny
notebooks generated here: timing, slowest cell, peak memory, rerun, failures, the fit probe and
the Markdown/JSON report."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_run_course():
    spec = importlib.util.spec_from_file_location("run_course", ROOT / "benchmarks" / "run_course.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("run_course", module)
    spec.loader.exec_module(module)
    return sys.modules["run_course"]


rc = _load_run_course()

ALLOCATED_MB = 200  # the memory cell holds 25 million float64s
# Long enough to beat the allocation even on a loaded machine (it took 2.3 s at load 8).
SLEEP_SECONDS = 3.0


def write_notebook(folder: Path, name: str, cells: list) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, path)
    return path


def code(source: str, tags: list[str] | None = None):
    cell = nbformat.v4.new_code_cell(source)
    if tags:
        cell.metadata["tags"] = tags
    return cell


@pytest.fixture(scope="module")
def tiny_course(tmp_path_factory):
    """A course folder with one lesson that sleeps, allocates and counts its executions."""
    root = tmp_path_factory.mktemp("course")
    write_notebook(root, "01_tiny", [
        nbformat.v4.new_markdown_cell("# 1. Tiny"),
        code("import time\nimport numpy as np"),
        code(f"time.sleep({SLEEP_SECONDS})  # the slowest cell"),
        # Dropping the old array first keeps the peak at one array when the cell is re-run.
        code("block = None\nblock = np.ones(25_000_000)\nblock.sum()"),
        code("block = None"),
        # Counts executions through a file in the working directory (the notebook's folder).
        code("with open('executions.log', 'a') as log:\n    log.write('ran\\n')"),
        code("1 / 0", tags=["raises-exception"]),
        code("   \n"),  # empty cells are not executed and not reported
    ])
    return root


@pytest.fixture(scope="module")
def rerun_result(tiny_course):
    notebook = rc.discover_notebooks(tiny_course)[0]
    return rc.run_notebook(notebook, repeats=2, sample_interval=0.02)


def test_discovery_orders_groups_and_labels_them(tmp_path):
    empty = [nbformat.v4.new_markdown_cell("# x")]
    for folder, name in [("", "02_b"), ("", "01_a"), ("solutions", "01_a_solution"),
                         ("labs", "01_lab"), ("exercises", "01_a_exercise")]:
        write_notebook(tmp_path / folder, name, empty)
    found = rc.discover_notebooks(tmp_path)
    assert [n.label for n in found] == [
        "lessons/01_a", "lessons/02_b", "exercises/01_a_exercise",
        "solutions/01_a_solution", "labs/01_lab"]
    assert [n.label for n in rc.discover_notebooks(tmp_path, ["labs"])] == ["labs/01_lab"]


def test_slowest_cell_is_the_sleep(rerun_result):
    assert rerun_result.status == "ok", rerun_result.error
    slowest = rerun_result.slowest_cell
    assert slowest.first_line.startswith("time.sleep(")
    assert slowest.index == 2
    assert SLEEP_SECONDS <= max(slowest.seconds) < SLEEP_SECONDS + 5
    others = [max(c.seconds) for c in rerun_result.cells if c is not slowest]
    assert max(others) < SLEEP_SECONDS


def test_every_code_cell_ran_twice_in_a_row(rerun_result, tiny_course):
    assert [c.index for c in rerun_result.cells] == [1, 2, 3, 4, 5, 6]
    assert all(len(c.seconds) == 2 for c in rerun_result.cells)
    assert (tiny_course / "executions.log").read_text() == "ran\nran\n"
    first, second = rerun_result.execution_seconds(0), rerun_result.execution_seconds(1)
    assert first >= SLEEP_SECONDS and second >= SLEEP_SECONDS
    assert rerun_result.cells_seconds == pytest.approx(first + second)
    assert rerun_result.wall_seconds > rerun_result.cells_seconds


def test_peak_memory_is_positive_and_plausible(rerun_result):
    peak_mb = rerun_result.peak_rss_bytes / rc.MB
    # The kernel held a 200 MB array on top of Python + IPyKernel + NumPy (tens of MB).
    assert ALLOCATED_MB < peak_mb < ALLOCATED_MB + 400
    # Sampling every 20 ms sees nearly the same peak as the exact VmHWM, never more (+ slack).
    sampled_mb = rerun_result.sampled_peak_process_bytes / rc.MB
    assert 0.8 * peak_mb <= sampled_mb <= peak_mb * 1.02
    assert rerun_result.memory_samples > 10
    # The array is anonymous memory (heap), and it is most of the peak.
    assert ALLOCATED_MB < rerun_result.sampled_peak_anon_bytes / rc.MB <= peak_mb
    # The peak is reached in the cell that allocates.
    assert rerun_result.peak_memory_cell.index == 3


def test_a_failing_cell_is_reported_with_its_index_and_error(tmp_path):
    write_notebook(tmp_path, "01_broken", [
        code("x = 1"),
        code("raise ValueError('the data has 12 columns, not 11')"),
        code("y = 2"),
    ])
    run = rc.run_notebook(rc.discover_notebooks(tmp_path)[0])
    assert run.status == "failed"
    assert run.failed_cell == 1 and run.failed_execution == 0
    assert run.error == "ValueError: the data has 12 columns, not 11"
    assert [c.index for c in run.cells] == [0, 1]  # it stopped at the failure


def test_a_cell_that_breaks_on_its_second_run_is_caught(tmp_path):
    # A cell that consumes what an earlier cell made: fine once, broken when re-run.
    write_notebook(tmp_path, "01_not_rerunnable", [
        code("columns = ['a', 'b', 'target']"),
        code("columns.remove('target')"),
    ])
    once = rc.run_notebook(rc.discover_notebooks(tmp_path)[0], repeats=1)
    assert once.status == "ok"
    twice = rc.run_notebook(rc.discover_notebooks(tmp_path)[0], repeats=2)
    assert twice.status == "failed"
    assert (twice.failed_cell, twice.failed_execution) == (1, 1)
    assert "ValueError" in twice.error


def test_solutions_run_with_strict_checks(tmp_path, monkeypatch):
    monkeypatch.delenv("DLCOURSE_STRICT_CHECKS", raising=False)
    cells = [code("import os\nassert os.environ.get('DLCOURSE_STRICT_CHECKS') == '1'")]
    write_notebook(tmp_path / "solutions", "01_x_solution", cells)
    write_notebook(tmp_path / "exercises", "01_x_exercise", cells)
    runs = {n.group: rc.run_notebook(n) for n in rc.discover_notebooks(tmp_path)}
    assert runs["solutions"].status == "ok", runs["solutions"].error
    assert runs["exercises"].status == "failed"


def test_fit_probe_records_each_fit_and_its_cell(tmp_path):
    write_notebook(tmp_path, "01_fit", [
        code("import keras\nimport numpy as np\nkeras.utils.set_random_seed(0)"),
        code("x = np.random.rand(100, 3)\ny = x.sum(axis=1)"),
        code("model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(5),\n"
             "                          keras.layers.Dense(1)])\n"
             "model.compile(optimizer='adam', loss='mae')\n"
             "history = model.fit(x, y, validation_split=0.2, batch_size=16, epochs=3,\n"
             "                    callbacks=[keras.callbacks.EarlyStopping(patience=5)],\n"
             "                    verbose=0)"),
    ])
    run = rc.run_notebook(rc.discover_notebooks(tmp_path)[0])
    assert run.status == "ok", run.error
    (fit,) = run.fits
    assert fit["cell"] == 2
    assert fit["dense"] == [[3, 5], [5, 1]]
    assert (fit["n_examples"], fit["n_train"], fit["n_validation"]) == (100, 80, 20)
    assert (fit["batch_size"], fit["steps_per_epoch"]) == (16, 5)
    assert (fit["epochs_requested"], fit["epochs_run"]) == (3, 3)
    assert fit["callbacks"] == ["EarlyStopping"]
    assert fit["params"] == 3 * 5 + 5 + 5 + 1
    assert 0 < fit["seconds"] < max(run.cells[2].seconds)
    flops = rc.training_flops(fit)
    assert flops["dense_macs_per_example"] == 3 * 5 + 5 * 1
    assert flops["train_flops"] == 6 * 20 * 80 * 3
    assert flops["validation_flops"] == 2 * 20 * 20 * 3


def _table_rows(markdown: str, header_start: str) -> list[list[str]]:
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip()[1:-1])])
    return rows


def test_report_markdown_and_json_are_well_formed(rerun_result, tmp_path):
    failed = rc.NotebookRun(notebook="02_broken", group="solutions", path="x", status="failed",
                            error="NameError: name 'modle' is not defined", failed_cell=4,
                            failed_execution=1)
    load = {"loadavg_before": [0.1, 0.1, 0.1], "other_processes_mean_cores": 0.0,
            "other_processes_share": 0.0, "under_load": False}
    data = rc.build_report([rerun_result, failed], 2, rc.describe_machine(), load)
    json_path, md_path = rc.write_report(data, tmp_path / "results")

    parsed = json.loads(json_path.read_text())
    assert parsed["machine"]["logical_cpus"] >= 1 and parsed["machine"]["python"]
    assert parsed["machine"]["tensorflow"] and parsed["machine"]["keras"]
    (tiny,) = [n for n in parsed["notebooks"] if n["notebook"] == "01_tiny"]
    assert tiny["slowest_cell"]["index"] == 2
    assert tiny["peak_memory_mb"] > ALLOCATED_MB
    assert len(tiny["execution_seconds"]) == 2
    totals = parsed["totals"]["lessons+solutions"]
    assert totals["notebooks"] == 2 and totals["failed"] == ["02_broken"]
    assert totals["wall_seconds"] == pytest.approx(rerun_result.wall_seconds, abs=0.01)
    assert parsed["totals"]["labs"] is None
    targets = {t["target"]: t["ok"] for t in parsed["targets"]}
    assert targets["every notebook runs"] is False
    assert targets["lessons + solved exercises total <= 300 s"] is True

    markdown = md_path.read_text()
    assert markdown.startswith("# Course benchmark, ")
    assert "(under load)" not in markdown.splitlines()[0]
    rows = _table_rows(markdown, "| Notebook |")
    header, separator, body = rows[0], rows[1], rows[2:]
    assert len(separator) == len(header)
    assert all(len(row) == len(header) for row in body)
    assert [row[0] for row in body] == ["lessons/01_tiny", "solutions/02_broken"]
    tiny_row = dict(zip(header, body[0]))
    assert tiny_row["Status"] == "ok"
    assert tiny_row["Slowest cell"].startswith("[2] `time.sleep(")
    assert float(tiny_row["Peak RSS (MB)"]) == pytest.approx(tiny["peak_memory_mb"], abs=1)
    assert dict(zip(header, body[1]))["Status"] == "FAILED cell 4"
    assert "(execution 2): `NameError: name 'modle' is not defined`" in markdown
    assert "| every notebook runs | failed: 02_broken | **no** |" in markdown


def test_a_few_pages_of_later_growth_do_not_move_the_peak_to_a_later_cell():
    # What a busy machine produced once: the 200 MB cell, then a cell that grew VmHWM by one page.
    mb = rc.MB
    cells = [rc.CellTiming(index=1, first_line="import numpy", seconds=[0.1], vmhwm_after=60 * mb, tags=[]),
             rc.CellTiming(index=3, first_line="block = np.ones(...)", seconds=[0.3], vmhwm_after=260 * mb, tags=[]),
             rc.CellTiming(index=4, first_line="block = None", seconds=[0.0], vmhwm_after=260 * mb + 4096, tags=[])]
    run = rc.NotebookRun(notebook="01_tiny", group="lessons", path="01_tiny.ipynb", cells=cells,
                         peak_rss_bytes=260 * mb + 4096)
    assert run.peak_memory_cell.index == 3
    # A real allocation later on does move it.
    cells.append(rc.CellTiming(index=5, first_line="more = np.ones(...)", seconds=[0.3], vmhwm_after=400 * mb, tags=[]))
    run.peak_rss_bytes = 400 * mb
    assert run.peak_memory_cell.index == 5
