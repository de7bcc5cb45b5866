"""How long each open challenge's reference solution takes to train, seed by seed.

    python benchmarks/challenge_references.py

Issue 10 asks that every challenge be solvable within 15 s of training on this kind of machine.
For each exercise's ``OpenChallenge`` this trains the reference solution from seeds 0, 1 and 2
(``challenge.reference_scores``) and prints the held-out score and the seconds each seed took,
data preparation included (the first seed also pays for loading and preparing the data).
"""

from __future__ import annotations

import importlib
import pkgutil
import time

import helpers.exercises
from helpers.exercises.questions import OpenChallenge


def main() -> None:
    print("| challenge | seed | score | seconds |\n|---|---|---|---|")
    for info in pkgutil.iter_modules(helpers.exercises.__path__):
        module = importlib.import_module(f"helpers.exercises.{info.name}")
        for name, challenge in vars(module).items():
            if not isinstance(challenge, OpenChallenge):
                continue
            for seed in (0, 1, 2):
                start = time.perf_counter()
                score = challenge.reference_scores((seed,))[seed]
                print(f"| {info.name}.{name} | {seed} | {score:.4f} | {time.perf_counter() - start:.1f} |", flush=True)


if __name__ == "__main__":
    main()
