"""Training throughput of lesson 5's classic network against this CPU's float32 matmul peak."""

from __future__ import annotations

import json
import os
import statistics
import subprocess

#: The Dense layers ([inputs, units]) of lesson 5's 3 x 1024 red-wine network.
BIG_DENSE = [[11, 1024], [1024, 1024], [1024, 1024], [1024, 1]]

# Runs in a subprocess of the kernels' interpreter and backend: the best of several float32
# matmuls of square matrices and of the network's own shape (batch 256 x 1024 @ 1024 x 1024).
MATMUL_WORKER = r'''
import json, time
import keras
from keras import ops

def gflops(rows, inner, repeats):
    a = keras.random.normal((rows, inner), dtype="float32", seed=0)
    b = keras.random.normal((inner, inner), dtype="float32", seed=1)
    best = float("inf")
    for _ in range(repeats + 1):  # the first run warms up
        start = time.perf_counter()
        ops.convert_to_numpy(ops.matmul(a, b)[:1, :1])  # waits for the result (JAX is async)
        best = min(best, time.perf_counter() - start)
    return 2 * rows * inner * inner / best / 1e9

shapes = {"square 1024": (1024, 1024, 20), "square 2048": (2048, 2048, 8),
          "square 4096": (4096, 4096, 4), "256 x 1024 @ 1024 x 1024": (256, 1024, 200)}
print(json.dumps({name: gflops(*shape) for name, shape in shapes.items()}))
'''


def measure_matmul_peak(python: str) -> dict:
    """GFLOP/s of each matmul shape, and their best as ``peak``, or ``error``."""
    process = subprocess.run([python, "-c", MATMUL_WORKER], capture_output=True, text=True,
                             timeout=900, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    if process.returncode != 0:
        return {"error": (process.stderr.strip().splitlines() or ["?"])[-1]}
    shapes = json.loads(process.stdout.strip().splitlines()[-1])
    # The best rate at any shape: other processes' load only ever lowers a figure.
    return {"shapes": shapes, "peak": max(shapes.values())}


def training_flops(fit: dict) -> int:
    """FLOPs of one fit: per Dense layer and example, forward 2*in*out and backward twice that
    (input and weight gradients), so 6*in*out per training example, plus 2*in*out per
    validation example, every epoch. Bias, activation, dropout and batch-norm work is O(units)
    per example and left out (well under 1% for the big network)."""
    macs = sum(inputs * units for inputs, units in fit["dense"])
    return fit["epochs_run"] * macs * (6 * fit["n_train"] + 2 * fit["n_validation"])


def big_fit_throughput(fits: list[dict], matmul: dict | None) -> dict | None:
    """The first fit of the 3 x 1024 network: GFLOP/s, step time and share of the peak, for the
    whole fit (as a learner waits for it, the first epoch's compilation included) and for its
    steady epochs (the median epoch after the first, the rate training settles at)."""
    fit = next((f for f in fits if f.get("dense") == BIG_DENSE), None)
    if fit is None:
        return None
    peak = (matmul or {}).get("peak")
    flops_per_epoch = training_flops(fit) / fit["epochs_run"]
    steps = fit["epochs_run"] * fit["steps_per_epoch"]
    result = {**fit, "gflops": flops_per_epoch * fit["epochs_run"] / fit["seconds"] / 1e9,
              "step_ms": 1000 * fit["seconds"] / steps}
    result["share_of_peak"] = result["gflops"] / peak if peak else None
    ends = fit.get("epoch_ends") or []
    if len(ends) >= 3:
        epoch_seconds = statistics.median(b - a for a, b in zip(ends, ends[1:]))
        result.update(steady_gflops=flops_per_epoch / epoch_seconds / 1e9,
                      steady_step_ms=1000 * epoch_seconds / fit["steps_per_epoch"],
                      first_epoch_seconds=ends[0] - fit["start"])
        result["steady_share_of_peak"] = result["steady_gflops"] / peak if peak else None
    return result
