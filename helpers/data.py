"""The course datasets, as pandas DataFrames ready for the lessons.

Each ``load_*`` function returns a fresh DataFrame with readable column names and proper
dtypes; missing values are ``NaN``. The first call downloads the file once (with a progress
bar), checks its SHA-256 against ``data/registry.toml`` and keeps it in ``data/cache/``; later
calls read the cached copy.

Where the files come from, in order:

1. ``$DLCOURSE_DATA_DIR``: a folder that already holds the files (an offline mirror, a USB
   stick in a classroom, the test suite's copy). A file there is used only if its checksum
   matches.
2. The local cache (``$DLCOURSE_CACHE_DIR``, default ``data/cache`` in the course folder).
   A cached file whose checksum no longer matches is thrown away and fetched again.
3. ``$DLCOURSE_DATA_URL``: an optional web folder serving the same files (a classroom server).
4. The pinned URLs of the registry, then the registry's fallback archive, if any.

Every download is verified before use, so a learner never trains on a wrong file. If no
verified copy can be had, :class:`DatasetUnavailableError` says which dataset, what was
tried and what to do. ``python -m helpers.data fetch`` downloads everything up front.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10
    import tomli as tomllib

from helpers.errors import LearnerError

ENV_DATA_DIR = "DLCOURSE_DATA_DIR"
ENV_CACHE_DIR = "DLCOURSE_CACHE_DIR"
ENV_DATA_URL = "DLCOURSE_DATA_URL"
ENV_TIMEOUT = "DLCOURSE_DOWNLOAD_TIMEOUT"
FETCH_COMMAND = "python -m helpers.data fetch"

COURSE_ROOT = Path(__file__).resolve().parent.parent
REGISTRY_PATH = COURSE_ROOT / "data" / "registry.toml"
DEFAULT_CACHE_DIR = COURSE_ROOT / "data" / "cache"

__all__ = [
    "load_red_wine",
    "load_ionosphere",
    "load_concrete",
    "load_auto_mpg",
    "load_cereals",
    "load_hotels",
    "load_spotify",
    "red_wine_split",
    "ionosphere_split",
    "RedWineSplit",
    "IonosphereSplit",
    "dataset_path",
    "fetch_all",
    "credits",
    "registry",
    "DataError",
    "DatasetUnavailableError",
]



class DataError(LearnerError):
    """A dataset could not be found or read; the message says what to do."""


class DatasetUnavailableError(DataError):
    """No verified copy of a dataset could be found or downloaded."""


@dataclass(frozen=True)
class Fallback:
    """A zip archive that holds a dataset's file under another name."""

    url: str
    sha256: str
    member: str


@dataclass(frozen=True)
class Dataset:
    """One registry entry: the file, where to get it, how to check it, how to credit it."""

    name: str
    title: str
    file: str
    sha256: str
    urls: tuple[str, ...]
    bytes: int = 0
    licence: str = ""
    citation: str = ""
    upstream: str = ""
    fallback: Fallback | None = None
    short_title: str = ""  # the README's lesson table names the data this way
    why_unused: str = ""  # the README's credits say this when no notebook loads the data


@functools.cache
def registry() -> dict[str, Dataset]:
    """All course datasets by name, as listed in ``data/registry.toml``."""
    try:
        entries = tomllib.loads(REGISTRY_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            f"The dataset registry {REGISTRY_PATH} is missing. The helpers package must be "
            "installed from the course folder: run `pip install -r requirements.txt` there."
        ) from None
    datasets = {}
    for name, entry in entries.items():
        fallback = entry.pop("fallback", None)
        datasets[name] = Dataset(
            name=name,
            urls=tuple(entry.pop("urls")),
            fallback=Fallback(**fallback) if fallback else None,
            **entry,
        )
    return datasets


# --------------------------------------------------------------------------------------
# Getting a verified file
# --------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cache_dir() -> Path:
    return Path(os.environ.get(ENV_CACHE_DIR) or DEFAULT_CACHE_DIR)


def _candidate_urls(dataset: Dataset) -> list[str]:
    urls = []
    base_url = os.environ.get(ENV_DATA_URL, "").strip()
    if base_url:
        urls.append(base_url.rstrip("/") + "/" + dataset.file)
    urls.extend(dataset.urls)
    return urls


def _download_problem(url: str, error: Exception) -> str:
    """Turn a download exception into one line a learner can act on."""
    import requests

    if isinstance(error, requests.HTTPError) and error.response is not None:
        return f"{url}: the server answered HTTP {error.response.status_code} ({error.response.reason})"
    if isinstance(error, requests.Timeout):
        return f"{url}: no answer in time (timed out)"
    if isinstance(error, requests.ConnectionError):
        return f"{url}: could not connect (no internet connection, or the site is unreachable)"
    if isinstance(error, ValueError) and "hash" in str(error).lower():
        return f"{url}: the downloaded file is not the expected one (its SHA-256 differs), so it was discarded"
    return f"{url}: {type(error).__name__}: {error}"


def _downloader(progressbar: bool):
    import pooch

    timeout = float(os.environ.get(ENV_TIMEOUT) or 60)
    return pooch.HTTPDownloader(progressbar=progressbar, timeout=timeout)


def _download(dataset: Dataset, cache: Path, progressbar: bool, tried: list[str]) -> Path | None:
    import pooch

    for url in _candidate_urls(dataset):
        try:
            path = pooch.retrieve(
                url,
                known_hash=f"sha256:{dataset.sha256}",
                fname=dataset.file,
                path=cache,
                downloader=_downloader(progressbar),
            )
            return Path(path)
        except Exception as error:  # noqa: BLE001 - every failure becomes a line of the report
            tried.append(_download_problem(url, error))
    if dataset.fallback is None:
        return None
    return _download_from_archive(dataset, cache, progressbar, tried)


def _download_from_archive(dataset: Dataset, cache: Path, progressbar: bool, tried: list[str]) -> Path | None:
    import pooch

    fallback = dataset.fallback
    archive_name = f"{dataset.name}-fallback.zip"
    extract_dir = cache / f"{dataset.name}-fallback"
    try:
        members = pooch.retrieve(
            fallback.url,
            known_hash=f"sha256:{fallback.sha256}",
            fname=archive_name,
            path=cache,
            downloader=_downloader(progressbar),
            processor=pooch.Unzip(members=[fallback.member], extract_dir=extract_dir.name),
        )
    except Exception as error:  # noqa: BLE001
        tried.append(_download_problem(fallback.url, error) + " [fallback archive]")
        return None
    try:
        extracted = Path(members[0])
        if _sha256(extracted) != dataset.sha256:
            tried.append(
                f"{fallback.url}: the archive's {fallback.member} is not the expected file "
                "(its SHA-256 differs), so it was discarded [fallback archive]"
            )
            return None
        target = cache / dataset.file
        shutil.move(str(extracted), target)
        return target
    finally:
        shutil.rmtree(extract_dir, ignore_errors=True)
        (cache / archive_name).unlink(missing_ok=True)


def _obtain(dataset: Dataset, progressbar: bool) -> tuple[Path, str]:
    """Return a verified copy of ``dataset`` and a few words on where it came from."""
    tried: list[str] = []

    mirror = os.environ.get(ENV_DATA_DIR, "").strip()
    if mirror:
        candidate = Path(mirror).expanduser() / dataset.file
        if not candidate.is_file():
            tried.append(f"{candidate}: not there (${ENV_DATA_DIR} points at {mirror})")
        elif _sha256(candidate) == dataset.sha256:
            return candidate, f"found in {candidate.parent}"
        else:
            tried.append(f"{candidate}: its SHA-256 differs from the registry's, so it was not used")

    cache = _cache_dir()
    cached = cache / dataset.file
    replaced = False
    if cached.is_file():
        if _sha256(cached) == dataset.sha256:
            return cached, "already in the cache"
        # A damaged or outdated copy must never reach a lesson: drop it and fetch again.
        cached.unlink()
        replaced = True
        tried.append(f"{cached}: the cached copy was damaged (wrong SHA-256); it was deleted")

    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DatasetUnavailableError(
            f"Cannot create the data cache folder {cache} ({error}). Set ${ENV_CACHE_DIR} to a "
            "folder you can write to, then run the cell again."
        ) from None

    path = _download(dataset, cache, progressbar, tried)
    if path is not None:
        how = "downloaded again (the cached copy was damaged)" if replaced else "downloaded"
        return path, how
    raise DatasetUnavailableError(_unavailable_message(dataset, tried))


def _unavailable_message(dataset: Dataset, tried: list[str]) -> str:
    lines = [
        f"Could not get the {dataset.title} dataset ({dataset.file}).",
        "Tried:",
        *(f"  - {line}" for line in tried),
        "What to do:",
        "  - Connected to the internet? Run the cell again, or fetch every dataset at once "
        f"from the course folder: {FETCH_COMMAND}",
        f"  - Offline? Put a copy of {dataset.file} (e.g. from your instructor) in a folder "
        f"and set the environment variable {ENV_DATA_DIR} to that folder before starting Jupyter.",
    ]
    return "\n".join(lines)


def dataset_path(dataset: str | Dataset, progressbar: bool = True) -> Path:
    """Path to a verified local copy of a dataset (a registry name or a :class:`Dataset`).

    Downloads the file on first use; raises :class:`DatasetUnavailableError` with advice
    when no verified copy can be had.
    """
    if not isinstance(dataset, Dataset):
        datasets = registry()
        if dataset not in datasets:
            raise DataError(f"There is no dataset called {dataset!r}. Available: {', '.join(datasets)}.")
        dataset = datasets[dataset]
    return _obtain(dataset, progressbar)[0]


def fetch_all(progressbar: bool = True, out=sys.stdout) -> bool:
    """Fetch and verify every course dataset, printing one line per file.

    Returns True when every dataset is available and verified.
    """
    all_ok = True
    for dataset in registry().values():
        try:
            path, how = _obtain(dataset, progressbar)
        except DatasetUnavailableError as error:
            all_ok = False
            print(f"FAILED  {dataset.name}\n{error}\n", file=out)
            continue
        size = path.stat().st_size
        print(
            f"ok      {dataset.name:<10} {dataset.file:<20} {size:>10,} bytes  "
            f"sha256 {dataset.sha256[:12]}… verified, {how}",
            file=out,
        )
    return all_ok


def credits() -> pd.DataFrame:
    """A table of every dataset with its licence and citation (shown in the README)."""
    rows = [
        {"dataset": d.title, "file": d.file, "licence": d.licence, "citation": d.citation}
        for d in registry().values()
    ]
    return pd.DataFrame(rows).set_index("dataset")


# --------------------------------------------------------------------------------------
# Loaders: one per dataset, each returning a fresh DataFrame
# --------------------------------------------------------------------------------------


def _read_failed(name: str, error: Exception) -> DataError:
    return DataError(
        f"The {registry()[name].title} file was verified but could not be read ({error}). "
        "Your pandas may be too old: run `pip install -r requirements.txt` in the course folder."
    )


def _parsed(name: str, parse) -> pd.DataFrame:
    path = dataset_path(name)
    try:
        return parse(path)
    except Exception as error:  # noqa: BLE001 - a verified file that fails to parse is an environment problem
        raise _read_failed(name, error) from error


def _fresh_copy(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of a cached table that the learner may change freely without changing the cache.

    With copy-on-write (always on from pandas 3), a shallow copy gets its own data the moment
    either side is changed, so it costs no memory until then; older pandas needs a full copy.
    """
    copy_on_write = int(pd.__version__.split(".")[0]) >= 3 or pd.options.mode.copy_on_write is True
    return frame.copy(deep=not copy_on_write)


@functools.cache
def _red_wine() -> pd.DataFrame:
    frame = _parsed("red_wine", lambda p: pd.read_csv(p, sep=";"))
    features = frame.columns.drop("quality")
    frame[features] = frame[features].astype("float64")
    return frame.astype({"quality": "int64"})


def load_red_wine() -> pd.DataFrame:
    """Red wine quality: 1,599 wines, 11 chemical measurements and a quality score.

    Columns: 'fixed acidity', 'volatile acidity', 'citric acid', 'residual sugar',
    'chlorides', 'free sulfur dioxide', 'total sulfur dioxide', 'density', 'pH',
    'sulphates', 'alcohol' (floats) and 'quality' (an integer from 3 to 8, the target).
    """
    return _fresh_copy(_red_wine())


@functools.cache
def _ionosphere() -> pd.DataFrame:
    names = [f"V{i}" for i in range(1, 35)] + ["Class"]
    frame = _parsed("ionosphere", lambda p: pd.read_csv(p, header=None, names=names))
    frame[names[:-1]] = frame[names[:-1]].astype("float64")
    frame["Class"] = frame["Class"].map({"g": "good", "b": "bad"})
    return frame


def load_ionosphere() -> pd.DataFrame:
    """Ionosphere radar returns: 351 signals, 34 features, labeled 'good' or 'bad'.

    Columns 'V1' to 'V34' are floats ('V2' is 0 in every row, as in the original data);
    'Class' is 'good' (225 rows: the signal shows structure in the ionosphere) or 'bad' (126).
    """
    return _fresh_copy(_ionosphere())


_CONCRETE_NAMES = [
    "Cement",
    "BlastFurnaceSlag",
    "FlyAsh",
    "Water",
    "Superplasticizer",
    "CoarseAggregate",
    "FineAggregate",
    "Age",
    "CompressiveStrength",
]


@functools.cache
def _concrete() -> pd.DataFrame:
    frame = _parsed("concrete", lambda p: pd.read_excel(p, engine="calamine"))
    frame.columns = _CONCRETE_NAMES
    frame = frame.astype("float64")
    return frame.astype({"Age": "int64"})


def load_concrete() -> pd.DataFrame:
    """Concrete compressive strength: 1,030 mixtures, full-precision UCI values.

    Columns: 'Cement', 'BlastFurnaceSlag', 'FlyAsh', 'Water', 'Superplasticizer',
    'CoarseAggregate', 'FineAggregate' (kg per m³ of mixture), 'Age' (days, integer) and
    'CompressiveStrength' (MPa, the target).
    """
    return _fresh_copy(_concrete())


_AUTO_MPG_NAMES = [
    "mpg",
    "cylinders",
    "displacement",
    "horsepower",
    "weight",
    "acceleration",
    "model_year",
    "origin",
    "name",
]


@functools.cache
def _auto_mpg() -> pd.DataFrame:
    frame = _parsed(
        "auto_mpg",
        lambda p: pd.read_csv(p, sep=r"\s+", header=None, names=_AUTO_MPG_NAMES, na_values="?"),
    )
    floats = ["mpg", "displacement", "horsepower", "weight", "acceleration"]
    frame[floats] = frame[floats].astype("float64")
    frame = frame.astype({"cylinders": "int64", "model_year": "int64"})
    frame["origin"] = frame["origin"].map({1: "USA", 2: "Europe", 3: "Japan"})
    return frame


def load_auto_mpg() -> pd.DataFrame:
    """Auto MPG: 398 cars from 1970-1982 and their fuel economy.

    Columns: 'mpg' (the target), 'cylinders', 'displacement', 'horsepower' (NaN for 6 cars
    whose value is unknown), 'weight', 'acceleration', 'model_year' (70-82), 'origin'
    ('USA', 'Europe' or 'Japan') and 'name'.
    """
    return _fresh_copy(_auto_mpg())


@functools.cache
def _cereals() -> pd.DataFrame:
    frame = _parsed("cereals", pd.read_csv)
    numeric = frame.select_dtypes("number").columns
    # The file writes -1 where a value is unknown; no real value is negative.
    frame[numeric] = frame[numeric].mask(frame[numeric] == -1)
    return frame


def load_cereals() -> pd.DataFrame:
    """80 Cereals: nutrition facts of 77 breakfast cereals.

    Columns: 'name', 'mfr' (manufacturer code), 'type' ('C' cold / 'H' hot), 'calories',
    'protein', 'fat', 'sodium', 'fiber', 'carbo', 'sugars', 'potass', 'vitamins', 'shelf',
    'weight', 'cups' and 'rating'. Unknown values (4 cells) are NaN.
    """
    return _fresh_copy(_cereals())


@functools.cache
def _hotels() -> pd.DataFrame:
    # Only these columns use NA/NULL for "missing"; elsewhere such text is data.
    missing = {"children": ["NA"], "agent": ["NULL"], "company": ["NULL"], "country": ["NULL"]}
    return _parsed("hotels", lambda p: pd.read_csv(p, keep_default_na=False, na_values=missing))


def load_hotels() -> pd.DataFrame:
    """Hotel booking demand: 119,390 bookings of two Portuguese hotels, 2015-2017.

    32 columns, among them 'hotel', 'is_canceled' (0/1, the target), 'lead_time',
    'arrival_date_month', 'adults', 'children', 'market_segment', 'deposit_type', 'adr'
    (average daily rate). Missing values ('children', 'agent', 'company', 'country') are NaN.
    """
    return _fresh_copy(_hotels())


@functools.cache
def _spotify() -> pd.DataFrame:
    text_with_gaps = ["track_name", "track_artist", "track_album_name"]
    return _parsed(
        "spotify",
        lambda p: pd.read_csv(p, keep_default_na=False, na_values={c: ["NA"] for c in text_with_gaps}),
    )


def load_spotify() -> pd.DataFrame:
    """Spotify songs: 32,833 tracks from genre playlists, with audio features.

    23 columns: 'track_id', 'track_name', 'track_artist', 'track_popularity' (0-100),
    album and playlist details ('playlist_genre' is one of edm, latin, pop, r&b, rap, rock)
    and the audio features 'danceability', 'energy', 'key', 'loudness', 'mode',
    'speechiness', 'acousticness', 'instrumentalness', 'liveness', 'valence', 'tempo',
    'duration_ms'. Five tracks have no name, artist or album name (NaN).
    """
    return _fresh_copy(_spotify())


# --------------------------------------------------------------------------------------
# The lessons' splits: each written once here, in the same lines the lesson shows
# --------------------------------------------------------------------------------------
# The lessons write this code out for the learner to read; labs, exercises and benchmarks
# call these functions instead. tests/test_data_splits.py runs the lessons' own lines and
# checks that they give exactly these tables, index and dtypes included.


class RedWineSplit(NamedTuple):
    """Lessons 3-5's red wine tables: min-max scaled inputs and 'quality' target."""

    X_train: pd.DataFrame
    y_train: pd.Series
    X_valid: pd.DataFrame
    y_valid: pd.Series


def red_wine_split() -> RedWineSplit:
    """The red wine data as lessons 3, 4 and 5 prepare it, as fresh pandas objects.

    70 % of the wines (``sample(frac=0.7, random_state=0)``) for training, the rest for
    validation; every column, 'quality' included, min-max scaled with the training split's
    minimum and maximum, so a scaled quality is ``(quality - 3) / 5``. Unpack it as
    ``X_train, y_train, X_valid, y_valid = data.red_wine_split()``.
    """
    wines = load_red_wine()
    train = wines.sample(frac=0.7, random_state=0)
    low, high = train.min(axis=0), train.max(axis=0)
    train, valid = ((part - low) / (high - low) for part in (train, wines.drop(train.index)))
    return RedWineSplit(train.drop(columns="quality"), train["quality"], valid.drop(columns="quality"),
                        valid["quality"])


class IonosphereSplit(NamedTuple):
    """Lesson 6's ionosphere tables: 33 scaled inputs and 'Class' (1 = bad, 0 = good)."""

    X_train: pd.DataFrame
    y_train: pd.Series
    X_held_out: pd.DataFrame
    y_held_out: pd.Series
    X_valid: pd.DataFrame
    y_valid: pd.Series
    X_test: pd.DataFrame
    y_test: pd.Series


def ionosphere_split() -> IonosphereSplit:
    """The ionosphere data as lesson 6 prepares it, as fresh pandas objects.

    'bad' is class 1 and 'good' class 0; 70 % of the signals (``random_state=0``) for
    training and the other 30 % held out; min-max scaling from the training split, with the
    constant column 'V2' dropped (its scaling gives NaN). The held-out signals are cut into
    validation and test halves (``sample(frac=0.5, random_state=0)``): 246 training, 52
    validation and 53 test signals.
    """
    signals = load_ionosphere()
    signals["Class"] = signals["Class"].map({"good": 0, "bad": 1})
    train = signals.sample(frac=0.7, random_state=0)
    low, high = train.min(axis=0), train.max(axis=0)
    # 'V2' is constant: scaling it gives NaN (0 / 0), and dropna drops it.
    train, held_out = (((part - low) / (high - low)).dropna(axis=1) for part in (train, signals.drop(train.index)))
    X_held_out, y_held_out = held_out.drop(columns="Class"), held_out["Class"]
    X_valid = X_held_out.sample(frac=0.5, random_state=0)
    X_test = X_held_out.drop(X_valid.index)
    return IonosphereSplit(train.drop(columns="Class"), train["Class"], X_held_out, y_held_out,
                           X_valid, y_held_out.loc[X_valid.index], X_test, y_held_out.loc[X_test.index])


# --------------------------------------------------------------------------------------
# Command line: python -m helpers.data fetch | list
# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.data",
        description="Download and verify the course datasets.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    fetch = commands.add_parser("fetch", help="download every dataset into the cache and verify it")
    fetch.add_argument("--no-progress", action="store_true", help="hide the download progress bars")
    commands.add_parser("list", help="list the datasets with their licenses")
    args = parser.parse_args(argv)

    if args.command == "list":
        for dataset in registry().values():
            print(f"{dataset.name:<10} {dataset.file:<20} {dataset.licence}")
        return 0

    print(f"Cache folder: {_cache_dir()}")
    ok = fetch_all(progressbar=not args.no_progress)
    print("All datasets verified." if ok else "Some datasets are missing: see above.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
