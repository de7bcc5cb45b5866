#!/usr/bin/env python
"""The lessons' models written as a plain Keras script: pandas + keras, no course helpers.

This is the yardstick for the helpers' overhead: ``run_course.py`` times each of these next to
the lesson cell that trains the same model on the same data (same seed, batch size, epochs,
callbacks, split and scaling as the lesson source in ``content/lessons/``).

    python benchmarks/plain_keras.py                       # every model once, JSON per line
    python benchmarks/plain_keras.py --model ionosphere_4_4_1 --repeats 3
    python benchmarks/plain_keras.py --sweep                # epoch overhead; step time vs batch size, jit, ...

The CSV files are read from ``$DLCOURSE_DATA_DIR`` (the offline mirror of the course data).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import time
from pathlib import Path

import keras
import pandas as pd

SEED = 0


# ----------------------------------------------------------------------------------------------
# Data, prepared once per process exactly as the lessons prepare it
# ----------------------------------------------------------------------------------------------

_prepared: dict[str, tuple] = {}


def data_dir() -> Path:
    return Path(os.environ.get("DLCOURSE_DATA_DIR", "/work/shared/data"))


def min_max_scale(train: pd.DataFrame, valid: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scale both splits to [0, 1] with the training split's min and max."""
    low, high = train.min(axis=0), train.max(axis=0)
    return (train - low) / (high - low), (valid - low) / (high - low)


def red_wine() -> tuple:
    """Red wine quality: 70/30 split (random_state=0), min-max scaled, target 'quality'."""
    if "red_wine" not in _prepared:
        wine = pd.read_csv(data_dir() / "winequality-red.csv", sep=";")
        train = wine.sample(frac=0.7, random_state=0)
        valid = wine.drop(train.index)
        train, valid = min_max_scale(train, valid)
        x_train, y_train = train.drop("quality", axis=1), train["quality"]
        x_valid, y_valid = valid.drop("quality", axis=1), valid["quality"]
        _prepared["red_wine"] = (x_train, y_train, x_valid, y_valid)
    return _prepared["red_wine"]


def ionosphere() -> tuple:
    """Ionosphere radar returns: 'bad' = 1, 70/30 split, min-max scaled, constant column dropped."""
    if "ionosphere" not in _prepared:
        names = [f"V{i}" for i in range(1, 35)] + ["Class"]
        table = pd.read_csv(data_dir() / "ionosphere.data", header=None, names=names)
        table["Class"] = table["Class"].map({"g": 0, "b": 1})
        train = table.sample(frac=0.7, random_state=0)
        valid = table.drop(train.index)
        train, valid = min_max_scale(train, valid)
        train, valid = train.dropna(axis=1), valid.dropna(axis=1)  # V2 is constant: 0/0
        x_train, y_train = train.drop("Class", axis=1), train["Class"]
        x_valid, y_valid = valid.drop("Class", axis=1), valid["Class"]
        _prepared["ionosphere"] = (x_train, y_train, x_valid, y_valid)
    return _prepared["ionosphere"]


# ----------------------------------------------------------------------------------------------
# Models
# ----------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ModelSpec:
    name: str
    description: str
    dataset: str  # red_wine | ionosphere
    hidden_units: tuple[int, ...]
    output_units: int = 1
    output_activation: str | None = None
    dropout: float = 0.0  # a Dropout after each hidden Dense when > 0
    batchnorm: bool = False  # a BatchNormalization after each hidden block
    loss: str = "mae"
    metrics: tuple[str, ...] = ()
    batch_size: int = 256
    epochs: int = 10
    early_stopping: dict | None = None
    seed: int = SEED  # the seed the lesson sets before building this model

    # How run_course.py recognises the lesson's fit of this model --------------------------
    def dense_units(self) -> list[int]:
        return list(self.hidden_units) + [self.output_units]

    def match_score(self, fit: dict) -> int | None:
        """None if ``fit`` (a record from run_course's fit probe) is another model, otherwise a
        score: higher when more of the training set-up matches."""
        if [o for _i, o in fit.get("dense", [])] != self.dense_units():
            return None
        layers = fit.get("layers", [])
        if ("Dropout" in layers) != (self.dropout > 0):
            return None
        if ("BatchNormalization" in layers) != self.batchnorm:
            return None
        if ("EarlyStopping" in fit.get("callbacks", [])) != (self.early_stopping is not None):
            return None
        return 3 - len(self.mismatches(fit))

    def mismatches(self, fit: dict) -> list[str]:
        """Differences between the lesson's fit and this script's set-up (should be none)."""
        x_train, _, x_valid, _ = DATASETS[self.dataset]()
        expected = {"batch_size": self.batch_size, "epochs_requested": self.epochs,
                    "n_train": len(x_train), "n_features": x_train.shape[1]}
        found = []
        for key, value in expected.items():
            if fit.get(key) is not None and fit.get(key) != value:
                found.append(f"{key}: lesson {fit.get(key)}, plain {value}")
        if fit.get("n_validation") not in (None, len(x_valid)):
            found.append(f"n_validation: lesson {fit.get('n_validation')}, plain {len(x_valid)}")
        return found


MODELS = {
    spec.name: spec
    for spec in (
        ModelSpec(
            name="red_wine_3x512",
            description="red wine, 3 x Dense(512, relu) + Dense(1), adam, MAE, 10 epochs",
            dataset="red_wine", hidden_units=(512, 512, 512), epochs=10,
        ),
        ModelSpec(
            name="red_wine_early_stopping",
            description="red wine, 3 x Dense(512, relu), early stopping (patience 20)",
            dataset="red_wine", hidden_units=(512, 512, 512), epochs=500,
            early_stopping={"min_delta": 0.001, "patience": 20, "restore_best_weights": True},
        ),
        ModelSpec(  # lesson 5 as written: UNITS = 512
            name="red_wine_3x512_dropout_batchnorm",
            description="red wine, 3 x [Dense(512, relu), Dropout(0.3), BatchNorm] + Dense(1), "
                        "100 epochs",
            dataset="red_wine", hidden_units=(512, 512, 512), dropout=0.3, batchnorm=True,
            epochs=100,
        ),
        ModelSpec(  # the classic size, which lesson 5 offers as `UNITS = 1024`
            name="red_wine_3x1024_dropout_batchnorm",
            description="red wine, 3 x [Dense(1024, relu), Dropout(0.3), BatchNorm] + Dense(1), "
                        "100 epochs",
            dataset="red_wine", hidden_units=(1024, 1024, 1024), dropout=0.3, batchnorm=True,
            epochs=100,
        ),
        ModelSpec(
            name="ionosphere_4_4_1",
            description="ionosphere, Dense(4) Dense(4) Dense(1, sigmoid), early stopping",
            dataset="ionosphere", hidden_units=(4, 4), output_activation="sigmoid",
            loss="binary_crossentropy", metrics=("binary_accuracy",), batch_size=512,
            epochs=1000,
            early_stopping={"min_delta": 0.001, "patience": 10, "restore_best_weights": True},
            seed=9,
        ),
    )
}

DATASETS = {"red_wine": red_wine, "ionosphere": ionosphere}


def build(spec: ModelSpec, n_features: int, **compile_options) -> keras.Model:
    layers: list = [keras.Input(shape=(n_features,))]
    for units in spec.hidden_units:
        layers.append(keras.layers.Dense(units, activation="relu"))
        if spec.dropout:
            layers.append(keras.layers.Dropout(spec.dropout))
        if spec.batchnorm:
            layers.append(keras.layers.BatchNormalization())
    layers.append(keras.layers.Dense(spec.output_units, activation=spec.output_activation))
    model = keras.Sequential(layers)
    if spec.metrics:  # as the lessons do: no metrics argument at all when there are none
        compile_options["metrics"] = list(spec.metrics)
    model.compile(optimizer="adam", loss=spec.loss, **compile_options)
    return model


_models: dict[str, keras.Model] = {}  # the last model trained per name, for reuse_model=True


def train(name: str, seed: int | None | str = "lesson", reuse_model: bool = False,
          batch_size: int | None = None, epochs: int | None = None, validation: bool = True,
          **compile_options) -> dict:
    """Build, compile and fit one model; return timings and final metrics.

    ``seed="lesson"`` seeds as the lesson does; ``seed=None`` leaves the global random state
    alone (run_course.py seeds both sides itself).
    ``reuse_model=True`` fits the model of the previous call again, as re-running a lesson cell
    that only calls ``fit`` does (no new tracing). ``batch_size``, ``epochs``, ``validation``
    and compile options exist for ``--sweep``.
    """
    spec = MODELS[name]
    x_train, y_train, x_valid, y_valid = DATASETS[spec.dataset]()
    if seed == "lesson":
        seed = spec.seed
    if seed is not None:
        keras.utils.set_random_seed(seed)
    started = time.perf_counter()
    if reuse_model and name in _models:
        model = _models[name]
    else:
        model = _models[name] = build(spec, x_train.shape[1], **compile_options)
    callbacks = ([keras.callbacks.EarlyStopping(**spec.early_stopping)]
                 if spec.early_stopping else [])
    fit_started = time.perf_counter()
    history = model.fit(
        x_train, y_train,
        validation_data=(x_valid, y_valid) if validation else None,
        batch_size=batch_size or spec.batch_size,
        epochs=epochs or spec.epochs,
        callbacks=callbacks,
        verbose=0,
    )
    finished = time.perf_counter()
    batch = batch_size or spec.batch_size
    return {
        "model": name,
        "build_seconds": fit_started - started,
        "fit_seconds": finished - fit_started,
        "epochs_run": len(history.epoch),
        "final": {k: round(float(v[-1]), 4) for k, v in history.history.items()},
        # The same description run_course.py's fit probe records, for its FLOP count.
        "dense": [[int(layer.kernel.shape[0]), int(layer.kernel.shape[1])]
                  for layer in model.layers if isinstance(layer, keras.layers.Dense)],
        "n_train": len(x_train), "n_validation": len(x_valid) if validation else 0,
        "batch_size": batch, "steps_per_epoch": -(-len(x_train) // batch),
    }


def _timed_fit(name: str, epochs: int, batch_size: int, validation: bool = True,
               validation_freq: int = 1, model: keras.Model | None = None,
               **compile_options) -> tuple[float, keras.Model]:
    """One fit of ``epochs`` epochs without early stopping, so every variant does equal work."""
    spec = dataclasses.replace(MODELS[name], early_stopping=None)
    x_train, y_train, x_valid, y_valid = DATASETS[spec.dataset]()
    if model is None:
        keras.utils.set_random_seed(SEED)
        model = build(spec, x_train.shape[1], **compile_options)
    started = time.perf_counter()
    model.fit(x_train, y_train, validation_data=(x_valid, y_valid) if validation else None,
              validation_freq=validation_freq, batch_size=batch_size, epochs=epochs, verbose=0)
    return time.perf_counter() - started, model


def _timed_fit_cpu(*args, **kwargs) -> tuple[float, float, keras.Model]:
    """``_timed_fit`` plus the CPU seconds of this process (all threads) during the fit: on a
    shared machine CPU time moves far less with other processes' load than wall time does."""
    cpu_started = time.process_time()
    seconds, model = _timed_fit(*args, **kwargs)
    return seconds, time.process_time() - cpu_started, model


def sweep(name: str = "red_wine_3x1024_dropout_batchnorm", epochs: int = 10) -> list[dict]:
    """Step and epoch time of one model under settings a lesson author could choose.

    Each variant builds a fresh model and times its first fit (tracing included, as a learner
    sees it), then times a second fit of the same model (steady state); median of two models.
    """
    spec = MODELS[name]
    variants = [{"batch_size": b} for b in (32, 64, 128, 256, 512)]
    variants += [
        {"batch_size": spec.batch_size, "validation": False},
        {"batch_size": spec.batch_size, "jit_compile": True},
        {"batch_size": spec.batch_size, "steps_per_execution": 8},
    ]
    n_train = len(DATASETS[spec.dataset]()[0])
    _timed_fit(name, 1, spec.batch_size)  # warm the process up (imports, first graph)
    results = []
    for options in variants:
        first, steady, steady_cpu = [], [], []
        for _ in range(2):
            seconds, model = _timed_fit(name, epochs, **options)
            first.append(seconds)
            seconds, cpu, _ = _timed_fit_cpu(name, epochs, model=model, **options)
            steady.append(seconds)
            steady_cpu.append(cpu)
        steps = epochs * -(-n_train // options["batch_size"])
        row = {"model": name, "options": options, "epochs": epochs,
               "first_fit_seconds": round(statistics.median(first), 3),
               "steady_fit_seconds": round(statistics.median(steady), 3),
               "steady_step_ms": round(1000 * statistics.median(steady) / steps, 2),
               "steady_cpu_seconds": round(statistics.median(steady_cpu), 3)}
        results.append(row)
        print(json.dumps(row), flush=True)
    return results


def epoch_overhead(name: str = "ionosphere_4_4_1", batch_size: int | None = None) -> list[dict]:
    """Fixed cost of one epoch (ms): the slope of fit time between 10 and 60 epochs.

    For a small model on a small table this, not arithmetic, is what a long fit costs: every
    epoch builds a new data iterator, and a validation pass adds another.
    """
    batch_size = batch_size or MODELS[name].batch_size
    variants = [{"validation": True}, {"validation": False},
                {"validation": True, "validation_freq": 10}]
    results = []
    for options in variants:
        _, model = _timed_fit(name, 2, batch_size, **options)
        slopes, cpu_slopes = [], []
        for _ in range(3):
            short, short_cpu, _ = _timed_fit_cpu(name, 10, batch_size, model=model, **options)
            long, long_cpu, _ = _timed_fit_cpu(name, 60, batch_size, model=model, **options)
            slopes.append((long - short) / 50)
            cpu_slopes.append((long_cpu - short_cpu) / 50)
        row = {"model": name, "batch_size": batch_size, "options": options,
               "ms_per_epoch": round(1000 * statistics.median(slopes), 1),
               "cpu_ms_per_epoch": round(1000 * statistics.median(cpu_slopes), 1)}
        results.append(row)
        print(json.dumps(row), flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=sorted(MODELS), action="append",
                        help="model(s) to train (default: all)")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--sweep", action="store_true",
                        help="per-epoch overhead of the small model, then the 3x1024 model "
                        "under other batch sizes, jit_compile, steps_per_execution")
    parser.add_argument("--sweep-model", default="red_wine_3x1024_dropout_batchnorm",
                        choices=sorted(MODELS))
    parser.add_argument("--sweep-epochs", type=int, default=10)
    args = parser.parse_args()
    if args.sweep:
        epoch_overhead()
        sweep(args.sweep_model, args.sweep_epochs)
        return
    for name in args.model or list(MODELS):
        for _ in range(args.repeats):
            print(json.dumps(train(name)), flush=True)


if __name__ == "__main__":
    main()
