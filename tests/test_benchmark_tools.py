"""The course benchmark's own machinery (benchmarks/), on tiny notebooks generated here: cell
timings, rerun, failures, peak memory and its cell, the fit probe, targets and the report.

Timings on a shared machine only ever grow, so timing assertions are lower bounds or
comparisons within one run, never upper bounds."""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

import nbformat
import psutil
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import course_report  # noqa: E402
import run_course  # noqa: E402
import throughput  # noqa: E402
from notebook_timer import MB, CellTiming, NotebookRun, discover_notebooks, run_notebook  # noqa: E402

ALLOCATED_MB = 200  # the memory cell holds 25 million float64s
SLEEP_SECONDS = 2.0


def write_notebook(folder: Path, name: str, cells: list) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=cells), path)
    return path


def code(source: str, tags: list[str] | None = None):
    return nbformat.v4.new_code_cell(source, metadata={"tags": tags} if tags else {})


@pytest.fixture(scope="module")
def tiny_course(tmp_path_factory):
    """A course folder with one lesson that allocates, sleeps and counts its executions."""
    root = tmp_path_factory.mktemp("course")
    write_notebook(root, "01_tiny", [
        nbformat.v4.new_markdown_cell("# 1. Tiny"),
        code("import time\nimport numpy as np"),
        # Dropping the old array first keeps the peak at one array when the cell is re-run.
        code("block = None\nblock = np.ones(25_000_000)\nblock.sum()"),
        # Holding the array for seconds lets the sampler see it even on a busy machine.
        code(f"time.sleep({SLEEP_SECONDS})"),
        code("block = None"),
        # Counts executions through a file in the working directory (the notebook's folder).
        code("with open('executions.log', 'a') as log:\n    log.write('ran\\n')"),
        code("1 / 0", tags=["raises-exception"]),
        code("   \n"),  # empty cells are not executed and not reported
    ])
    return root


@pytest.fixture(scope="module")
def rerun_result(tiny_course):
    return run_notebook(discover_notebooks(tiny_course)[0], repeats=2, sample_interval=0.02)


def test_discovery_orders_groups_and_labels_them(tmp_path):
    empty = [nbformat.v4.new_markdown_cell("# x")]
    for folder, name in [("", "02_b"), ("", "01_a"), ("solutions", "01_a_solution"),
                         ("labs", "01_lab"), ("exercises", "01_a_exercise")]:
        write_notebook(tmp_path / folder, name, empty)
    assert [n.label for n in discover_notebooks(tmp_path)] == [
        "lessons/01_a", "lessons/02_b", "exercises/01_a_exercise",
        "solutions/01_a_solution", "labs/01_lab"]
    assert [n.label for n in discover_notebooks(tmp_path, ["labs"])] == ["labs/01_lab"]


def test_every_code_cell_ran_twice_in_a_row_and_was_timed(rerun_result, tiny_course):
    assert rerun_result.status == "ok", rerun_result.error
    assert [c.index for c in rerun_result.cells] == [1, 2, 3, 4, 5, 6]
    assert all(len(c.seconds) == 2 for c in rerun_result.cells)
    assert (tiny_course / "executions.log").read_text() == "ran\nran\n"
    sleep = rerun_result.cells[2]
    assert sleep.first_line == f"time.sleep({SLEEP_SECONDS})"
    assert min(sleep.seconds) >= SLEEP_SECONDS
    slowest = rerun_result.slowest_cell
    assert max(slowest.seconds) == max(max(c.seconds) for c in rerun_result.cells)
    first, second = rerun_result.execution_seconds(0), rerun_result.execution_seconds(1)
    assert first >= SLEEP_SECONDS and second >= SLEEP_SECONDS
    assert rerun_result.cells_seconds == pytest.approx(first + second)
    assert rerun_result.wall_seconds > rerun_result.cells_seconds


def test_the_kernel_is_shut_down_and_its_work_counts_as_ours(tiny_course):
    # A kernel left running would hold its memory for the rest of the run, and the load meter
    # would count the CPU it used for the notebook as another process's.
    def running_children():
        return {child.pid for child in psutil.Process().children(recursive=True)
                if child.is_running() and child.status() != psutil.STATUS_ZOMBIE}

    before, load = running_children(), course_report.LoadMeter()
    run = run_notebook(discover_notebooks(tiny_course)[0], repeats=1)
    assert run.status == "ok", run.error
    assert running_children() - before == set()
    assert load.report()["under_load"] is False or pytest.skip("another process used the CPU meanwhile")


def test_peak_memory_holds_the_array_and_is_pinned_on_its_cell(rerun_result):
    peak_mb = rerun_result.peak_rss_bytes / MB
    # A 200 MB array on top of Python, IPyKernel and NumPy (tens of MB).
    assert ALLOCATED_MB < peak_mb < ALLOCATED_MB + 400
    assert rerun_result.peak_memory_bytes >= rerun_result.peak_rss_bytes
    # The sampler saw the array while the next cell slept; it is anonymous memory (heap).
    assert rerun_result.sampled_peak_tree_bytes / MB > ALLOCATED_MB
    assert ALLOCATED_MB < rerun_result.sampled_peak_anon_bytes / MB <= peak_mb
    assert rerun_result.peak_memory_cell.index == 2


def test_a_few_pages_of_later_growth_do_not_move_the_peak_to_a_later_cell():
    # What a busy machine produced once: the 200 MB cell, then a cell that grew VmHWM by one page.
    cells = [CellTiming(1, "import numpy", [0.1], 60 * MB),
             CellTiming(3, "block = np.ones(...)", [0.3], 260 * MB),
             CellTiming(4, "block = None", [0.0], 260 * MB + 4096)]
    run = NotebookRun("01_tiny", "lessons", cells=cells, peak_rss_bytes=260 * MB + 4096)
    assert run.peak_memory_cell.index == 3
    # A real allocation later on does move it.
    cells.append(CellTiming(5, "more = np.ones(...)", [0.3], 400 * MB))
    run.peak_rss_bytes = 400 * MB
    assert run.peak_memory_cell.index == 5


def test_a_failing_cell_is_reported_with_its_index_and_error(tmp_path):
    write_notebook(tmp_path, "01_broken", [
        code("x = 1"), code("raise ValueError('the data has 12 columns, not 11')"), code("y = 2")])
    run = run_notebook(discover_notebooks(tmp_path)[0])
    assert (run.status, run.failed_cell, run.failed_execution) == ("failed", 1, 0)
    assert run.error == "ValueError: the data has 12 columns, not 11"
    assert [c.index for c in run.cells] == [0, 1]  # it stopped at the failure


def test_a_cell_that_breaks_on_its_second_run_is_caught(tmp_path):
    # A cell that consumes what an earlier cell made: fine once, broken when re-run.
    write_notebook(tmp_path, "01_not_rerunnable", [
        code("columns = ['a', 'b', 'target']"), code("columns.remove('target')")])
    notebook = discover_notebooks(tmp_path)[0]
    assert run_notebook(notebook, repeats=1).status == "ok"
    twice = run_notebook(notebook, repeats=2)
    assert (twice.status, twice.failed_cell, twice.failed_execution) == ("failed", 1, 1)
    assert "ValueError" in twice.error


def test_solutions_run_with_strict_checks(tmp_path, monkeypatch):
    monkeypatch.delenv("DLCOURSE_STRICT_CHECKS", raising=False)
    cells = [code("import os\nassert os.environ.get('DLCOURSE_STRICT_CHECKS') == '1'")]
    write_notebook(tmp_path / "solutions", "01_x_solution", cells)
    write_notebook(tmp_path / "exercises", "01_x_exercise", cells)
    runs = {n.group: run_notebook(n) for n in discover_notebooks(tmp_path)}
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
    run = run_notebook(discover_notebooks(tmp_path)[0])
    assert run.status == "ok", run.error
    (fit,) = run.fits
    assert fit["cell"] == 2
    assert fit["dense"] == [[3, 5], [5, 1]]
    assert fit["layers"] == ["Dense", "Dense"]
    assert (fit["n_train"], fit["n_validation"]) == (80, 20)
    assert (fit["batch_size"], fit["steps_per_epoch"], fit["epochs_run"]) == (16, 5, 3)
    assert 0 < fit["seconds"] < max(run.cells[2].seconds)
    assert throughput.training_flops(fit) == 3 * (3 * 5 + 5 * 1) * (6 * 80 + 2 * 20)


def big_fit_run(name: str, big_seconds: float, other_seconds: float, epoch_seconds: float = 0.17) -> NotebookRun:
    """A lesson whose cell 5 trained the 3 x 1024 network (100 epochs, 5 steps each): a first epoch
    of 2 s (compiling), then 99 epochs of ``epoch_seconds``."""
    fit = {"cell": 5, "seconds": big_seconds - 1, "dense": throughput.BIG_DENSE, "epochs_run": 100,
           "n_train": 1119, "n_validation": 480, "batch_size": 256, "steps_per_epoch": 5,
           "start": 0.0, "epoch_ends": [2.0 + epoch_seconds * i for i in range(100)]}
    cells = [CellTiming(2, "import keras", [other_seconds], 700 * MB),
             CellTiming(5, "history = model.fit(", [big_seconds], 900 * MB)]
    return NotebookRun(name, "lessons", cells=cells, peak_rss_bytes=900 * MB, fits=[fit])


def test_the_3x1024_cell_has_its_own_time_target_and_throughput():
    run = big_fit_run("05_dropout", big_seconds=20.0, other_seconds=10.0)
    fits = [{**f, "notebook": run.notebook} for f in run.fits]
    big_fit = throughput.big_fit_throughput(fits, {"peak": 400.0})
    # 100 epochs x 2,109,440 multiply-adds x (6 x 1119 training + 2 x 480 validation examples)
    assert big_fit["gflops"] == pytest.approx(1618.784256 / 19.0)
    assert big_fit["share_of_peak"] == pytest.approx(1618.784256 / 19.0 / 400.0)  # about 21 %
    assert big_fit["step_ms"] == pytest.approx(19_000 / 500)
    # Steady epochs: one epoch's FLOPs (a hundredth of the above) in the median epoch after the first.
    assert big_fit["steady_gflops"] == pytest.approx(16.18784256 / 0.17)
    assert big_fit["steady_share_of_peak"] == pytest.approx(16.18784256 / 0.17 / 400.0)  # about 24 %
    assert big_fit["steady_step_ms"] == pytest.approx(170 / 5) and big_fit["first_epoch_seconds"] == 2.0

    def met(backend):
        return {c["target"]: c["ok"] for c in course_report.check_targets([run], backend, big_fit)}
    assert met("tensorflow") == {"3x1024 training cell <= 25 s": True, "slowest other cell <= 15 s": True,
                                 "peak kernel memory <= 1000 MB": True, "every notebook runs": True}
    jax = met("jax")
    assert jax["3x1024 training cell <= 15 s"] is False and jax["peak kernel memory <= 650 MB"] is False
    assert jax["3x1024 fit >= 45% of the matmul peak (steady epochs)"] is False
    fast = big_fit_run("05_dropout", big_seconds=10.0, other_seconds=1.0, epoch_seconds=0.08)  # about 51 %
    fast_fit = throughput.big_fit_throughput([{**f, "notebook": fast.notebook} for f in fast.fits], {"peak": 400.0})
    assert {c["target"]: c["ok"] for c in course_report.check_targets([fast], "jax", fast_fit)}[
        "3x1024 fit >= 45% of the matmul peak (steady epochs)"] is True
    assert throughput.big_fit_throughput([{"dense": [[3, 5], [5, 1]]}], None) is None


def table_rows(markdown: str, header_start: str) -> list[dict]:
    lines = markdown.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(header_start))
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in re.split(r"(?<!\\)\|", line.strip()[1:-1])])
    header, separator, body = rows[0], rows[1], rows[2:]
    assert len(separator) == len(header) and all(len(row) == len(header) for row in body)
    return [dict(zip(header, row)) for row in body]


def test_report_lists_every_notebook_totals_and_targets(rerun_result):
    failed = NotebookRun("02_broken", "solutions", status="failed", failed_cell=4, failed_execution=1,
                         error="NameError: name 'modle' is not defined")
    machine = {"date_utc": "2026-11-30 09:00", "cpu": "test CPU", "cores": 2, "ram_gb": 8,
               "backend": "tensorflow"}
    text = course_report.markdown([rerun_result, failed], 2, machine,
                                  {"other_cores": 0.0, "under_load": False}, None, None)
    assert text.startswith("# Course benchmark, 2026-11-30 09:00 UTC\n")
    tiny, broken = table_rows(text, "| Notebook |")
    assert (tiny["Notebook"], tiny["Status"], broken["Status"]) == (
        "lessons/01_tiny", "ok", "FAILED cell 4")
    slowest = rerun_result.slowest_cell
    assert tiny["Slowest cell"].startswith(f"[{slowest.index}] `")
    assert float(tiny["1st run (s)"]) == pytest.approx(rerun_result.execution_seconds(0), abs=0.06)
    assert int(tiny["Peak RSS (MB)"]) == round(rerun_result.peak_memory_bytes / MB)
    assert tiny["Peak at cell"] == "[2]"
    assert "cell 4 (execution 2): `NameError: name 'modle' is not defined`" in text
    totals = {row["Set"]: row for row in table_rows(text, "| Set |")}
    assert set(totals) == {"lessons+solutions", "lessons", "solutions"}
    assert totals["lessons+solutions"]["Notebooks"] == "2"
    targets = {row["Target"]: row for row in table_rows(text, "| Target |")}
    assert targets["every notebook runs"]["Measured"] == "failed: 02_broken"
    assert targets["every notebook runs"]["Met"] == "**no**"
    assert targets["lessons + solved exercises <= 300 s"]["Met"] == "yes"


def test_command_line_runs_a_group_writes_the_report_and_fails_on_a_failure(tmp_path, monkeypatch):
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    for name in ("KERAS_BACKEND", "TF_CPP_MIN_LOG_LEVEL"):  # main() sets them for its kernels
        monkeypatch.setenv(name, os.environ.get(name, ""))
    write_notebook(tmp_path / "nb", "01_fine", [code("x = 1")])
    write_notebook(tmp_path / "nb" / "solutions", "01_fine_solution", [code("raise KeyError('q1')")])
    write_notebook(tmp_path / "nb" / "labs", "01_lab", [code("raise SystemExit('labs must not run')")])
    out = tmp_path / "out"
    status = run_course.main(["--notebooks", str(tmp_path / "nb"), "--only", "lessons,solutions",
                              "--match", "01_fine", "--out", str(out), "--quiet", "--backend", backend])
    assert status == 1
    data = json.loads((out / "latest.json").read_text())
    assert [(n["group"], n["status"]) for n in data["notebooks"]] == [
        ("lessons", "ok"), ("solutions", "failed")]
    assert data["machine"]["backend"] == backend and data["machine"]["keras"]
    assert "FAILED cell 0" in (out / "latest.md").read_text()
