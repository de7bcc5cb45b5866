"""The Binder image: built from binder/ alone, it imports everything and holds all the data.

This builds a fresh virtual environment from binder/requirements.txt (as repo2docker does),
runs binder/postBuild against an HTTP server on 127.0.0.1 that serves the data mirror, and
imports every module the notebooks use through binder/start.
"""

import functools
import http.server
import os
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

import pytest

from helpers import data

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"
MIRROR = os.environ.get(data.ENV_DATA_DIR)

pytestmark = pytest.mark.skipif(
    not MIRROR or not Path(MIRROR, "hotels.csv").is_file(),
    reason=f"needs the offline data mirror: set {data.ENV_DATA_DIR} (CI sets it to ../shared/data)",
)


def test_binder_files_follow_repo2docker_conventions():
    assert (BINDER / "runtime.txt").read_text().strip() == "python-3.11"
    requirements = (BINDER / "requirements.txt").read_text()
    assert "tensorflow-cpu==" in requirements, "Binder has no GPU: the CPU build is smaller"
    pinned = [line for line in requirements.splitlines() if line and not line.startswith("#")]
    assert all("==" in line for line in pinned), "every Binder requirement is pinned"
    post_build = (BINDER / "postBuild").read_text()
    assert post_build.startswith("#!") and "set -e" in post_build
    assert "python -m helpers.data fetch" in post_build
    start = (BINDER / "start").read_text()
    assert "KERAS_BACKEND=tensorflow" in start and start.rstrip().endswith('exec "$@"')
    for script in ("postBuild", "start"):
        assert os.access(BINDER / script, os.X_OK), f"binder/{script} must be executable"


def test_binder_pins_fall_within_the_course_ranges():
    """binder/requirements.txt pins versions that pyproject.toml's ranges allow, on Binder's Python."""
    from packaging.requirements import Requirement

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    python = (BINDER / "runtime.txt").read_text().strip().removeprefix("python-")
    marker_env = {"python_version": python, "python_full_version": f"{python}.0",
                  "sys_platform": "linux", "platform_machine": "x86_64"}  # fmt: skip
    assert Requirement("python" + pyproject["requires-python"].replace("python", "")).specifier.contains(
        f"{python}.0"), f"Binder's Python {python} is outside requires-python"  # fmt: skip
    pins = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    wanted = pyproject["dependencies"] + pyproject["optional-dependencies"]["tensorflow"]
    checked = 0
    for text in wanted:
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate(marker_env):
            continue
        name = requirement.name.lower()
        assert name in pins, f"binder/requirements.txt does not pin {name}, which the course needs"
        assert requirement.specifier.contains(pins[name]), f"Binder pins {name}=={pins[name]}, outside {requirement}"
        checked += 1
    assert checked >= 10
    start = (BINDER / "start").read_text()
    assert "TF_ENABLE_ONEDNN_OPTS=0" in start and "TF_CPP_MIN_LOG_LEVEL=2" in start


@pytest.fixture
def mirror_server():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=MIRROR)
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_fresh_binder_environment_builds_fetches_and_imports(tmp_path, mirror_server):
    venv = tmp_path / "binder-env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-r", str(BINDER / "requirements.txt")],
        capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr[-3000:]

    cache = tmp_path / "image-data"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in (data.ENV_DATA_DIR, "VIRTUAL_ENV", "PYTHONPATH")
    }
    env.update(
        PATH=f"{venv / 'bin'}:{os.environ['PATH']}",
        **{data.ENV_DATA_URL: mirror_server, data.ENV_CACHE_DIR: str(cache)},
    )
    post_build = subprocess.run(
        ["bash", str(BINDER / "postBuild")], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert post_build.returncode == 0, post_build.stdout[-3000:] + post_build.stderr[-3000:]
    assert "All datasets verified." in post_build.stdout
    assert sorted(p.name for p in cache.iterdir()) == sorted(d.file for d in data.registry().values())

    imports = (
        "import keras, tensorflow, pandas, numpy, sklearn, matplotlib, ipywidgets, pooch, jupyterlab\n"
        "import helpers.data, helpers.plots, helpers.widgets, helpers.exercises\n"
        "assert keras.backend.backend() == 'tensorflow'\n"
        "assert keras.__version__.startswith('3.')\n"
        "print(helpers.data.load_hotels().shape)\n"
    )
    env.pop(data.ENV_DATA_URL)  # the image must work from its own copies, offline
    started = subprocess.run(
        ["bash", str(BINDER / "start"), str(python), "-c", imports],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr[-3000:]
    assert "(119390, 32)" in started.stdout
