"""Run one built notebook in a fresh kernel, cell by cell, and measure it.

Per code cell: its wall time (once, or twice in a row with ``repeats=2``, as an instructor
re-runs a cell) and the kernel's memory high-water mark after it. Per notebook: the kernel's
exact peak resident memory (``VmHWM`` from ``/proc``), the peak of the kernel and its children
sampled every 50 ms by psutil, and every ``keras.Model.fit`` call, timed inside the kernel by a
small probe and attributed to its cell.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import ipykernel.kernelspec
import nbformat
import psutil
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from traitlets import Unicode

MB = 1_000_000  # decimal megabytes, like Binder's "1 GB guaranteed"
GROUP_DIRS = {"lessons": "", "exercises": "exercises", "solutions": "solutions", "labs": "labs"}
#: Growth of the high-water mark too small to pin on a cell: the interpreter's own bookkeeping
#: can add a few pages in a later cell, which must not take the blame for an earlier allocation.
PEAK_CELL_SLACK_BYTES = 8 * 2**20


@dataclasses.dataclass(frozen=True)
class NotebookFile:
    path: Path
    group: str  # lessons | exercises | solutions | labs

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def label(self) -> str:
        """Short id such as ``solutions/03_stochastic_gradient_descent_solution``."""
        return f"{self.group}/{self.name}"


def discover_notebooks(notebooks_dir: Path, groups: list[str] | None = None) -> list[NotebookFile]:
    """The built notebooks, lessons first, then exercises, solutions and labs, each sorted."""
    return [NotebookFile(path, group) for group, sub in GROUP_DIRS.items()
            if groups is None or group in groups
            for path in sorted((notebooks_dir / sub).glob("*.ipynb"))]


@dataclasses.dataclass
class CellTiming:
    index: int
    first_line: str
    seconds: list[float]  # one entry per execution
    vmhwm_after: int = 0  # the kernel's VmHWM after the cell's last execution, bytes


@dataclasses.dataclass
class NotebookRun:
    notebook: str
    group: str
    status: str = "ok"  # ok | failed
    error: str | None = None
    failed_cell: int | None = None
    failed_execution: int | None = None  # 0 for the first execution, 1 for the second
    wall_seconds: float = 0.0  # kernel start to the last cell done
    cells: list[CellTiming] = dataclasses.field(default_factory=list)
    peak_rss_bytes: int = 0  # VmHWM of the kernel process: exact
    sampled_peak_tree_bytes: int = 0  # kernel + its child processes, sampled
    sampled_peak_anon_bytes: int = 0  # the kernel's anonymous (not file-backed) memory, sampled
    fits: list[dict] = dataclasses.field(default_factory=list)

    def execution_seconds(self, execution: int) -> float:
        return sum(c.seconds[execution] for c in self.cells if len(c.seconds) > execution)

    @property
    def cells_seconds(self) -> float:
        return sum(sum(c.seconds) for c in self.cells)

    @property
    def slowest_cell(self) -> CellTiming | None:
        return max(self.cells, key=lambda c: max(c.seconds), default=None)

    @property
    def peak_memory_bytes(self) -> int:
        """The figure held against the memory target: the exact kernel peak, or kernel plus
        children if sampling saw more."""
        return max(self.peak_rss_bytes, self.sampled_peak_tree_bytes)

    @property
    def peak_memory_cell(self) -> CellTiming | None:
        """The first cell after which VmHWM was within PEAK_CELL_SLACK_BYTES of its final value."""
        return next((c for c in self.cells
                     if c.vmhwm_after >= self.peak_rss_bytes - PEAK_CELL_SLACK_BYTES), None)


def vmhwm(pid: int) -> int:
    """The peak resident memory of a process in bytes (psutil does not expose it); 0 if gone."""
    with contextlib.suppress(OSError):
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    return 0


class MemorySampler(threading.Thread):
    """Keeps the peak resident memory of a process tree, and of the process's anonymous part."""

    def __init__(self, pid: int, interval: float = 0.05):
        super().__init__(daemon=True)
        self.process, self.interval = psutil.Process(pid), interval
        self.peak_tree = self.peak_anon = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                own = self.process.memory_info()
                tree = own.rss
                for child in self.process.children(recursive=True):
                    with contextlib.suppress(psutil.Error):
                        tree += child.memory_info().rss
            except psutil.Error:
                return
            self.peak_tree = max(self.peak_tree, tree)
            self.peak_anon = max(self.peak_anon, own.rss - own.shared)


class CurrentEnvKernelSpecManager(KernelSpecManager):
    """Resolves the kernel name ``current-env`` to ipykernel on the interpreter ``python``."""

    python = Unicode(sys.executable)

    def get_kernel_spec(self, kernel_name):
        if kernel_name != "current-env":
            return super().get_kernel_spec(kernel_name)
        spec = ipykernel.kernelspec.get_kernel_dict()
        spec["argv"] = [self.python, *spec["argv"][1:]]
        return self.kernel_spec_class(resource_dir=ipykernel.kernelspec.RESOURCES, **spec)


# Runs in the kernel before the first cell and imports nothing heavy: once a cell has imported
# keras it wraps keras.Model.fit so that every fit appends one JSON line to $DLBENCH_FIT_LOG.
# time.monotonic() is the same clock in the kernel and here, so fits can be matched to cells.
FIT_PROBE = r'''
def _dlbench_install_fit_probe():
    import inspect, json, math, os, sys, time

    def install(*_ignored):
        keras = sys.modules.get("keras")
        if keras is None or hasattr(keras.Model.fit, "_dlbench_probe"):
            return
        original_fit = keras.Model.fit
        signature = inspect.signature(original_fit)

        def fit(self, *args, **kwargs):
            # A callback that notes when each epoch ends: the first epoch compiles the step,
            # the others show the rate training settles at.
            epoch_ends = []
            try:
                bound = signature.bind(self, *args, **kwargs)
                bound.arguments["callbacks"] = [*(bound.arguments.get("callbacks") or []),
                                                keras.callbacks.LambdaCallback(
                                                    on_epoch_end=lambda *_: epoch_ends.append(time.monotonic()))]
                args, kwargs = bound.args[1:], bound.kwargs
            except Exception:
                pass
            start = time.monotonic()
            history = original_fit(self, *args, **kwargs)
            record = {"start": start, "end": time.monotonic(), "epoch_ends": epoch_ends}
            try:  # never let the probe break a lesson
                given = signature.bind(self, *args, **kwargs).arguments
                n = int(given["x"].shape[0])
                n_train = n - int(n * given.get("validation_split", 0.0))
                validation = given.get("validation_data")
                batch_size = given.get("batch_size") or 32
                record.update(
                    epochs_run=len(history.epoch), batch_size=batch_size, n_train=n_train,
                    n_validation=int(validation[0].shape[0]) if validation else n - n_train,
                    steps_per_epoch=math.ceil(n_train / batch_size),
                    layers=[type(layer).__name__ for layer in self.layers],
                    dense=[list(map(int, layer.kernel.shape)) for layer in self.layers
                           if type(layer).__name__ == "Dense"])
            except Exception as error:
                record["error"] = repr(error)
            with open(os.environ["DLBENCH_FIT_LOG"], "a") as log:
                log.write(json.dumps(record) + "\n")
            return history

        fit._dlbench_probe = True
        fit.__doc__ = original_fit.__doc__
        keras.Model.fit = fit

    get_ipython().events.register("pre_run_cell", install)
    get_ipython().events.register("post_run_cell", install)


_dlbench_install_fit_probe()
del _dlbench_install_fit_probe
'''


def first_line(source: str) -> str:
    """The first non-empty line of a cell, to name it in a report."""
    return next((line.strip()[:80] for line in source.splitlines() if line.strip()), "")


def describe_error(error: BaseException) -> str:
    """The exception's name and message, without the traceback."""
    name = getattr(error, "ename", "") or type(error).__name__
    return f"{name}: {getattr(error, 'evalue', None) or error}".strip()


def run_notebook(notebook: NotebookFile, repeats: int = 1, timeout: int = 900,
                 sample_interval: float = 0.05, python: str = sys.executable,
                 progress: bool = False) -> NotebookRun:
    """Execute every code cell ``repeats`` times in a row (each cell, then the next) in a fresh
    kernel of ``python``, working directory the notebook's folder, this process's environment
    (solutions also get ``DLCOURSE_STRICT_CHECKS=1``, as in CI). A failure is recorded in the
    result, never raised."""
    nb = nbformat.read(notebook.path, as_version=4)
    result = NotebookRun(notebook=notebook.name, group=notebook.group)
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        fit_log = stack.enter_context(tempfile.NamedTemporaryFile("r", suffix=".jsonl"))
        kernel_stderr = stack.enter_context(tempfile.TemporaryFile("w+"))
        env = dict(os.environ, DLBENCH_FIT_LOG=fit_log.name, TF_CPP_MIN_LOG_LEVEL="2")
        if notebook.group == "solutions":
            env["DLCOURSE_STRICT_CHECKS"] = "1"
        specs = CurrentEnvKernelSpecManager(python=python)
        km = AsyncKernelManager(kernel_name="current-env", kernel_spec_manager=specs)
        client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="current-env",
                                startup_timeout=120)
        windows = []  # (start, end, cell index) on time.monotonic(), to attribute fits to cells
        pid, sampler = None, None
        try:
            # cleanup_kc: shut the kernel down at the end even though the manager is ours (nbclient
            # leaves a kernel it does not own running); it also makes its CPU time count as ours.
            stack.enter_context(client.setup_kernel(env=env, cwd=str(notebook.path.parent),
                                                    stderr=kernel_stderr, cleanup_kc=True))
            pid = km.provisioner.pid
            sampler = MemorySampler(pid, sample_interval)
            sampler.start()
            stack.callback(sampler.stopped.set)
            # nbclient stores each executed cell at its index: give the probe its own.
            nb.cells.append(nbformat.v4.new_code_cell(FIT_PROBE))
            client.execute_cell(nb.cells[-1], len(nb.cells) - 1, store_history=False)
            nb.cells.pop()
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code" or not cell.source.strip():
                    continue
                timing = CellTiming(index, first_line(cell.source), [])
                result.cells.append(timing)
                for _ in range(repeats):
                    start = time.monotonic()
                    try:
                        client.execute_cell(cell, index)
                    finally:  # a failing execution is timed too, up to its error
                        windows.append((start, time.monotonic(), index))
                        timing.seconds.append(windows[-1][1] - start)
                    if progress:
                        print(f"    cell {index:>3}: {timing.seconds[-1]:7.2f} s  "
                              f"{timing.first_line}", file=sys.stderr, flush=True)
                timing.vmhwm_after = vmhwm(pid)
        except (CellExecutionError, CellTimeoutError, DeadKernelError) as error:
            result.status, result.error = "failed", describe_error(error)
            if result.cells:
                result.failed_cell = result.cells[-1].index
                result.failed_execution = len(result.cells[-1].seconds) - 1
            if isinstance(error, DeadKernelError):  # say why: killed for memory, for instance
                kernel_stderr.seek(0)
                result.error += " | kernel stderr: " + "".join(kernel_stderr.readlines()[-5:])
        except Exception as error:  # the kernel would not start, the notebook would not parse
            result.status, result.error = "failed", describe_error(error)
        if pid is not None:  # the kernel is still up (0 if it died)
            result.peak_rss_bytes = vmhwm(pid)
        result.fits = [json.loads(line) for line in fit_log if line.strip()]
    result.wall_seconds = time.perf_counter() - started
    if sampler is not None:
        result.sampled_peak_tree_bytes = sampler.peak_tree
        result.sampled_peak_anon_bytes = sampler.peak_anon
    result.peak_rss_bytes = max([result.peak_rss_bytes] + [c.vmhwm_after for c in result.cells])
    for fit in result.fits:
        fit["seconds"] = fit["end"] - fit["start"]
        fit["cell"] = next((i for s, e, i in windows if s <= fit["start"] <= e), None)
    return result
