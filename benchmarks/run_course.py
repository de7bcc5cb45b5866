#!/usr/bin/env python
"""Time and memory benchmark of the course: every notebook, headless, in a fresh kernel.

    python benchmarks/run_course.py                           # everything
    python benchmarks/run_course.py --only lessons,solutions  # the course total
    python benchmarks/run_course.py --rerun                   # every cell twice in a row
    python benchmarks/run_course.py --backend jax --python /path/to/jax-env/bin/python

Prints a Markdown report and writes it to ``<out>/latest.md``, with every figure in
``<out>/latest.json``. Exit status 1 when a notebook failed (missed targets are reported, not
fatal). benchmarks/README.md says what each figure means.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# The sibling modules, also when this file is imported from elsewhere (as tests/test_benchmark_tools.py does).
sys.path.insert(0, str(Path(__file__).resolve().parent))

from course_report import TARGETS, TOTALS, LoadMeter, check_targets, describe_machine, markdown, totals  # noqa: E402
from notebook_timer import GROUP_DIRS, MB, NotebookRun, discover_notebooks, run_notebook  # noqa: E402,F401
from throughput import big_fit_throughput, measure_matmul_peak  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(GROUP_DIRS),
                        help=f"comma-separated groups to run (default: all of {', '.join(GROUP_DIRS)})")
    parser.add_argument("--match", help="only notebooks whose name contains this text")
    parser.add_argument("--rerun", action="store_true",
                        help="execute every cell twice in a row, as an instructor re-runs a cell")
    parser.add_argument("--backend", choices=sorted(TARGETS),
                        default=os.environ.get("KERAS_BACKEND", "tensorflow"),
                        help="Keras backend of every kernel (default: $KERAS_BACKEND or tensorflow)")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter of the environment to measure, e.g. one built from "
                        "requirements-jax.txt (default: this one)")
    parser.add_argument("--no-compare", action="store_true",
                        help="skip measuring the matmul peak that the 3x1024 fit is compared with")
    parser.add_argument("--notebooks", type=Path, default=ROOT / "notebooks",
                        help="folder of built notebooks (default: notebooks/)")
    parser.add_argument("--out", type=Path,
                        help="folder for latest.md and latest.json (default: benchmarks/results, "
                        "or benchmarks/results/rerun with --rerun)")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell (default: 900)")
    parser.add_argument("--quiet", action="store_true", help="no per-cell progress on stderr")
    return parser.parse_args(argv)


def report_data(runs: list[NotebookRun], repeats: int, machine: dict, load: dict,
                matmul: dict | None, big_fit: dict | None) -> dict:
    """Every figure of the run, for latest.json."""
    notebooks = []
    for run in runs:
        slow, peak_cell = run.slowest_cell, run.peak_memory_cell
        notebooks.append({**dataclasses.asdict(run), "peak_memory_mb": run.peak_memory_bytes / MB,
                          "slowest_cell": slow and {"index": slow.index, "first_line": slow.first_line,
                                                    "seconds": max(slow.seconds)},
                          "peak_memory_cell": peak_cell and peak_cell.index})
    return {"machine": machine, "load": load, "repeats": repeats, "notebooks": notebooks,
            "totals": {name: totals(runs, groups) for name, groups in TOTALS.items()},
            "targets": check_targets(runs, machine["backend"], big_fit),
            "matmul_gflops": matmul, "big_fit": big_fit}


def usage_error(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def main(argv: list[str] | None = None) -> int:
    """Exit status: 0 every notebook ran, 1 a notebook failed, 2 nothing could be run."""
    args = parse_args(argv)
    groups = [g.strip() for g in args.only.split(",") if g.strip()]
    if set(groups) - set(GROUP_DIRS):
        return usage_error(f"Unknown group(s) {sorted(set(groups) - set(GROUP_DIRS))}; "
                           f"choose from {list(GROUP_DIRS)}")
    # Every kernel and worker inherits this environment. JAX's compilation cache starts empty,
    # as for a learner's first pass through the course (the notebooks' setup cell keeps it in
    # ~/.cache/dl-course-jax, where a second pass would find every network compiled).
    jax_cache = tempfile.TemporaryDirectory(prefix="dlbench-jax-cache-")
    os.environ.update(KERAS_BACKEND=args.backend, TF_CPP_MIN_LOG_LEVEL="2", JAX_COMPILATION_CACHE_DIR=jax_cache.name)
    probe = subprocess.run([args.python, "-c", "import ipykernel, keras; print(keras.backend.backend())"],
                           capture_output=True, text=True)
    if probe.stdout.strip().splitlines()[-1:] != [args.backend]:
        return usage_error(f"{args.python} cannot run Keras on the {args.backend} backend with "
                           "ipykernel: " + (probe.stderr.strip().splitlines() or ["?"])[-1])
    if "DLCOURSE_DATA_DIR" not in os.environ:
        print("Note: DLCOURSE_DATA_DIR is not set; the notebooks use helpers.data's default.",
              file=sys.stderr)
    notebooks = [n for n in discover_notebooks(args.notebooks, groups)
                 if not args.match or args.match in n.name]
    if not notebooks:
        return usage_error(f"No notebooks under {args.notebooks} for {groups} and --match {args.match!r}.")

    machine, load, repeats = describe_machine(args.python, args.backend), LoadMeter(), 1 + args.rerun
    runs = []
    for notebook in notebooks:
        if not args.quiet:
            print(f"== {notebook.label}", file=sys.stderr, flush=True)
        run = run_notebook(notebook, repeats, args.timeout, python=args.python,
                           progress=not args.quiet)
        runs.append(run)
        if not args.quiet:
            print(f"   {run.status}: {run.wall_seconds:.1f} s, peak {run.peak_memory_bytes / MB:.0f} MB"
                  + (f" -- {run.error}" if run.error else ""), file=sys.stderr, flush=True)
    fits = [{**fit, "notebook": run.notebook} for run in runs for fit in run.fits]
    matmul = None
    if not args.no_compare and big_fit_throughput(fits, None):
        matmul = measure_matmul_peak(args.python)
    big_fit = big_fit_throughput(fits, matmul)

    load_state = load.report()
    text = markdown(runs, repeats, machine, load_state, matmul, big_fit)
    out = args.out or ROOT / "benchmarks" / "results" / ("rerun" if args.rerun else "")
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.md").write_text(text + "\n")
    data = report_data(runs, repeats, machine, load_state, matmul, big_fit)
    (out / "latest.json").write_text(json.dumps(data, indent=1) + "\n")
    print(text + f"\nWritten: {out / 'latest.md'}, {out / 'latest.json'}")
    return 1 if any(r.status != "ok" for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
