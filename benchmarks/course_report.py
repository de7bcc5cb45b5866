"""Totals, targets and the Markdown report of a course benchmark run."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
import time

import psutil

from notebook_timer import MB, NotebookRun
from throughput import BIG_DENSE

TARGETS = {  # issue 15, for lessons + solved exercises on a 2-core CPU
    "tensorflow": {"total_seconds": 300, "cell_seconds": 15, "big_fit_cell_seconds": 25,
                   "peak_mb": 1000, "big_fit_share": None},
    "jax": {"total_seconds": 150, "cell_seconds": 15, "big_fit_cell_seconds": 15,
            "peak_mb": 650, "big_fit_share": 0.45},
}
TOTALS = {"lessons+solutions": ("lessons", "solutions"), "lessons": ("lessons",),
          "solutions": ("solutions",), "exercises (blank)": ("exercises",), "labs": ("labs",)}

VERSIONS = """
import importlib.metadata as m, json, platform
def version(*names):
    for name in names:
        try: return m.version(name)
        except m.PackageNotFoundError: pass
print(json.dumps({"python": platform.python_version(), "keras": version("keras"),
                  "tensorflow": version("tensorflow-cpu", "tensorflow"), "jax": version("jax"),
                  "numpy": version("numpy"), "pandas": version("pandas")}))
"""


def describe_machine(python: str, backend: str) -> dict:
    """CPU, RAM, and the versions the kernels' interpreter sees."""
    cpu = platform.processor() or platform.machine()
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info
                        if line.startswith("model name")), cpu)
    versions = subprocess.run([python, "-c", VERSIONS], capture_output=True, text=True)
    return {"date_utc": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
            "cpu": cpu, "cores": os.cpu_count(), "backend": backend,
            "ram_gb": round(psutil.virtual_memory().total / 1e9, 1),
            **(json.loads(versions.stdout) if versions.returncode == 0 else {})}


class LoadMeter:
    """The CPU other processes used during the run: it inflates every timing."""

    def __init__(self):
        self.started, self.busy_before = time.monotonic(), self.busy_cpu_seconds()

    @staticmethod
    def busy_cpu_seconds() -> float:
        times = psutil.cpu_times()
        return sum(times) - times.idle - getattr(times, "iowait", 0.0)

    def report(self) -> dict:
        """Kernels and workers count as ours once they have exited (children's CPU time)."""
        for child in psutil.Process().children():
            # An exited kernel nobody waited for (a zombie) has not added its CPU time to ours yet.
            try:
                if child.status() == psutil.STATUS_ZOMBIE:
                    os.waitpid(child.pid, 0)
            except (psutil.Error, ChildProcessError):
                pass
        mine = psutil.Process().cpu_times()
        ours = mine.user + mine.system + mine.children_user + mine.children_system
        others = max(0.0, self.busy_cpu_seconds() - self.busy_before - ours)
        cores = others / max(time.monotonic() - self.started, 1e-9)
        return {"other_cores": round(cores, 2), "under_load": cores > 0.2}


def totals(runs: list[NotebookRun], groups: tuple[str, ...]) -> dict | None:
    chosen = [r for r in runs if r.group in groups]
    if not chosen:
        return None
    cells = [(r, c) for r in chosen for c in r.cells]
    slow_run, slow = max(cells, key=lambda rc: max(rc[1].seconds), default=(None, None))
    peak = max(chosen, key=lambda r: r.peak_memory_bytes)
    return {"notebooks": len(chosen), "failed": [r.notebook for r in chosen if r.status != "ok"],
            "wall_seconds": sum(r.wall_seconds for r in chosen),
            "first_execution_seconds": sum(r.execution_seconds(0) for r in chosen),
            "fit_seconds": sum((f["seconds"] for r in chosen for f in r.fits), 0.0),
            "slowest_cell": slow and f"{max(slow.seconds):.1f} ({slow_run.notebook} "
                                     f"[{slow.index}] {slow.first_line})",
            "peak_mb": peak.peak_memory_bytes / MB, "peak_notebook": peak.notebook}


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share:.0%}"


def check_targets(runs: list[NotebookRun], backend: str, big_fit: dict | None) -> list[dict]:
    """Each target of the backend: what it asks, what was measured, whether it was met."""
    target, checks = TARGETS[backend], []

    def check(what, measured, ok):
        checks.append({"target": what, "measured": measured, "ok": ok})

    course = totals(runs, TOTALS["lessons+solutions"])
    if course and {r.group for r in runs} >= {"lessons", "solutions"}:
        seconds = course["first_execution_seconds"]
        check(f"lessons + solved exercises <= {target['total_seconds']} s", f"{seconds:.1f} s",
              seconds <= target["total_seconds"])
    big_cells = {(r.notebook, f.get("cell")) for r in runs for f in r.fits
                 if f.get("dense") == BIG_DENSE}
    for is_big, limit in ((False, target["cell_seconds"]), (True, target["big_fit_cell_seconds"])):
        cells = [(c.seconds[0], r.notebook, c.index) for r in runs for c in r.cells
                 if ((r.notebook, c.index) in big_cells) == is_big]
        if cells:
            seconds, notebook, index = max(cells)
            check(f"{'3x1024 training cell' if is_big else 'slowest other cell'} <= {limit} s",
                  f"{seconds:.1f} s ({notebook} [{index}])", seconds <= limit)
    share = big_fit and big_fit.get("steady_share_of_peak")
    if share is not None and target["big_fit_share"]:
        check(f"3x1024 fit >= {target['big_fit_share']:.0%} of the matmul peak (steady epochs)",
              f"{share:.0%} ({big_fit['share_of_peak']:.0%} with the first epoch's compilation)",
              share >= target["big_fit_share"])
    if runs:
        peak = max(runs, key=lambda r: r.peak_memory_bytes)
        check(f"peak kernel memory <= {target['peak_mb']} MB",
              f"{peak.peak_memory_bytes / MB:.0f} MB ({peak.notebook})",
              peak.peak_memory_bytes / MB <= target["peak_mb"])
        failed = [r.notebook for r in runs if r.status != "ok"]
        check("every notebook runs", "failed: " + ", ".join(failed) if failed else "all ran",
              not failed)
    return checks


def table(header: list[str], rows: list[list]) -> list[str]:
    def cell(value):
        text = f"{value:.1f}" if isinstance(value, float) else "–" if value is None else str(value)
        return text.replace("|", "\\|")
    return ["| " + " | ".join(header) + " |", "|" + "---|" * len(header),
            *("| " + " | ".join(map(cell, row)) + " |" for row in rows), ""]


def markdown(runs: list[NotebookRun], repeats: int, machine: dict, load: dict,
             matmul: dict | None, big_fit: dict | None) -> str:
    m = machine
    title = f"# Course benchmark, {m['date_utc']} UTC" + (" (under load)" if load["under_load"] else "")
    lines = [title,
             "", f"{m['cpu']}, {m['cores']} CPUs, {m['ram_gb']} GB RAM; Python {m.get('python')}, "
             f"Keras {m.get('keras')} on **{m['backend']}** (TensorFlow "
             f"{m.get('tensorflow') or 'not installed'}, JAX {m.get('jax') or 'not installed'}), NumPy {m.get('numpy')}, pandas {m.get('pandas')}.", "",
             f"Other processes used {load['other_cores']} cores on average during the run"
             + (": **timings are inflated**." if load["under_load"] else "."), "",
             f"Every cell executed {repeats} time(s) in a row.", ""]
    rerun = ["1st run (s)", "2nd run (s)"] if repeats > 1 else []
    rows = []
    for r in runs:
        slow, peak_cell = r.slowest_cell, r.peak_memory_cell
        rows.append([r.group + "/" + r.notebook,
                     "ok" if r.status == "ok" else f"FAILED cell {r.failed_cell}",
                     r.wall_seconds, r.cells_seconds,
                     *[r.execution_seconds(i) for i in range(len(rerun))],
                     sum((f["seconds"] for f in r.fits), 0.0), slow and max(slow.seconds),
                     slow and f"[{slow.index}] `{slow.first_line.replace('`', chr(39))}`",
                     round(r.peak_memory_bytes / MB), round(r.sampled_peak_anon_bytes / MB),
                     peak_cell and f"[{peak_cell.index}]"])
    lines += table(["Notebook", "Status", "Wall (s)", "Cells (s)", *rerun, "Fits (s)",
                    "Slowest cell (s)", "Slowest cell", "Peak RSS (MB)", "Peak anon (MB)",
                    "Peak at cell"], rows)
    lines += [f"- FAILED {r.group}/{r.notebook} cell {r.failed_cell} (execution "
              f"{(r.failed_execution or 0) + 1}): `{(r.error or '')[:300]}`"
              for r in runs if r.status != "ok"]
    if lines[-1]:
        lines.append("")
    rows = [[name, t["notebooks"], t["wall_seconds"], t["first_execution_seconds"],
             t["fit_seconds"], t["slowest_cell"], f"{t['peak_mb']:.0f} ({t['peak_notebook']})"]
            for name, groups in TOTALS.items() if (t := totals(runs, groups))]
    lines += ["## Totals", ""] + table(["Set", "Notebooks", "Wall (s)", "1st execution (s)",
                                        "Fits (s)", "Slowest cell (s)", "Peak RSS (MB)"], rows)
    rows = [[c["target"], c["measured"], "yes" if c["ok"] else "**no**"]
            for c in check_targets(runs, m["backend"], big_fit)]
    lines += ["## Targets", ""] + table(["Target", "Measured", "Met"], rows)
    if matmul:
        lines += ["## Training throughput of the 3x1024 network", ""]
        if "error" in matmul:
            lines += [f"The matmul peak could not be measured: {matmul['error']}", ""]
        else:
            shapes = ", ".join(f"{name} {gflops:.0f}" for name, gflops in matmul["shapes"].items())
            lines += [f"float32 matmul peak: **{matmul['peak']:.0f} GFLOP/s** ({shapes}).", ""]
        if big_fit:
            fit_name = f"{big_fit['notebook']} [{big_fit['cell']}]"
            rows = [[f"{fit_name}, whole fit", big_fit["epochs_run"], big_fit["batch_size"], big_fit["seconds"],
                     big_fit["step_ms"], big_fit["gflops"], _percent(big_fit["share_of_peak"])]]
            if "steady_gflops" in big_fit:
                rows.append([f"{fit_name}, steady epochs (median epoch after the first)", "", "", "",
                             big_fit["steady_step_ms"], big_fit["steady_gflops"],
                             _percent(big_fit["steady_share_of_peak"])])
            lines += table(["Fit", "Epochs", "Batch", "Fit (s)", "ms/step", "GFLOP/s", "Share of peak"], rows)
            if "first_epoch_seconds" in big_fit:
                lines += [f"The first epoch, which compiles the training and validation steps, took "
                          f"{big_fit['first_epoch_seconds']:.1f} s.", ""]
    return "\n".join(lines)
