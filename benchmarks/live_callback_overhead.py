"""How much does LiveLearningCurves slow down model.fit?

Trains the lessons' red wine network (3 hidden layers of 512 units, MAE, Adam, batches of
256, validation every epoch) with ``verbose=0``, once without callbacks and once with
``LiveLearningCurves`` drawing for real, alternating the two (ABBA order) so that a change
in machine load hits both alike. Every fit uses the same seed, data and model.

The callback runs in its notebook mode inside an IPython ``InteractiveShell`` whose display
publisher records what a notebook would receive, so the timing includes rendering the
figure to PNG and publishing it; the script also checks that the output was updated in
place (one display id) and that the final figure holds every epoch.

Usage::

    DLCOURSE_DATA_DIR=... python benchmarks/live_callback_overhead.py [--epochs 50] [--repeats 5] [--json]

Prints the median fit time of each variant and their ratio; the acceptance target is a
ratio of at most 1.05. ``callback share`` is the time spent inside the callback divided by
the median plain fit time, a figure much less sensitive to other processes on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from helpers.widgets.live import LiveLearningCurves  # noqa: E402
from helpers.widgets.training import red_wine_arrays  # noqa: E402

TARGET_RATIO = 1.05


def _notebook_shell():
    """An IPython shell whose display output is captured instead of printed."""
    from IPython.core.displaypub import CapturingDisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    shell.display_pub = CapturingDisplayPublisher()
    return shell


def _fit(epochs, width, depth, seed, callback=None):
    split = red_wine_arrays()
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [keras.Input(shape=(split.X_train.shape[1],))]
        + [keras.layers.Dense(width, activation="relu") for _ in range(depth)]
        + [keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mae")
    start = time.perf_counter()
    model.fit(split.X_train, split.y_train, validation_data=(split.X_valid, split.y_valid),
              batch_size=256, epochs=epochs, verbose=0, callbacks=[callback] if callback else [])
    return time.perf_counter() - start


def _check_in_place(outputs, callback, epochs):
    """What a notebook would have received from one fit: one output, updated in place."""
    ids = {output["transient"]["display_id"] for output in outputs}
    lines = [line for axis in callback.figure.axes for line in axis.get_lines()
             if line.get_label().startswith(("training", "validation"))]
    return {
        "messages": len(outputs),
        "display_ids": len(ids),
        "first_is_new_output": not outputs[0]["update"],
        "later_are_updates": all(output["update"] for output in outputs[1:]),
        "final_shows_all_epochs": all(len(line.get_xdata()) == epochs for line in lines) and len(lines) == 2,
        "final_alt_text": outputs[-1]["data"]["text/plain"],
        "final_has_image": outputs[-1]["data"]["text/html"].startswith("<img src=\"data:image/png;base64,"),
    }


def measure(epochs=50, repeats=5, width=512, depth=3, seed=0):
    """Run the benchmark and return its figures as a dict."""
    shell = _notebook_shell()
    # Warm-up: TensorFlow kernels, matplotlib fonts. Not timed.
    _fit(2, width, depth, seed)
    _fit(2, width, depth, seed, LiveLearningCurves(mode="display"))
    shell.display_pub.outputs.clear()

    plain, live, shares, draws, checks = [], [], [], [], []
    for repeat in range(repeats):
        order = ("plain", "live") if repeat % 2 == 0 else ("live", "plain")
        for variant in order:
            if variant == "plain":
                plain.append(_fit(epochs, width, depth, seed))
                continue
            callback = LiveLearningCurves(mode="display")
            shell.display_pub.outputs.clear()
            live.append(_fit(epochs, width, depth, seed, callback))
            shares.append(callback.overhead_seconds)
            draws.append(callback.draw_count)
            checks.append(_check_in_place(list(shell.display_pub.outputs), callback, epochs))
    median_plain = statistics.median(plain)
    return {
        "epochs": epochs,
        "repeats": repeats,
        "model": f"{depth} x {width}",
        "plain_seconds": plain,
        "live_seconds": live,
        "median_plain": median_plain,
        "median_live": statistics.median(live),
        "ratio": statistics.median(live) / median_plain,
        "paired_ratio": statistics.median(l / p for l, p in zip(live, plain)),
        "callback_seconds": shares,
        "callback_share": statistics.median(shares) / median_plain,
        "draws": draws,
        "in_place": checks,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--width", type=int, default=512)
    parser.add_argument("--depth", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    result = measure(args.epochs, args.repeats, args.width, args.depth)
    if args.json:
        print(json.dumps(result))
        return 0
    print(f"model {result['model']}, {result['epochs']} epochs, {result['repeats']} interleaved repeats")
    print(f"median fit, verbose=0:              {result['median_plain']:.2f} s  {[round(t, 2) for t in result['plain_seconds']]}")
    print(f"median fit, with LiveLearningCurves: {result['median_live']:.2f} s  {[round(t, 2) for t in result['live_seconds']]}")
    print(f"ratio (medians) {result['ratio']:.3f}; median paired ratio {result['paired_ratio']:.3f}; "
          f"target <= {TARGET_RATIO}")
    print(f"callback share {result['callback_share']:.1%} (time inside the callback / plain fit); "
          f"draws per fit {result['draws']}")
    check = result["in_place"][-1]
    print(f"in place: {check['messages']} messages, {check['display_ids']} display id, "
          f"all epochs in final figure: {check['final_shows_all_epochs']}")
    return 0 if result["ratio"] <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
