"""The download path, exercised over real HTTP against a server on 127.0.0.1.

The server serves copies of the offline mirror (and tampered or zipped versions of them),
so pooch downloads, verifies and caches exactly as it would from the pinned URLs.
"""

import dataclasses
import functools
import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from helpers import data

MIRROR = os.environ.get(data.ENV_DATA_DIR)
pytestmark = pytest.mark.skipif(
    not MIRROR or not Path(MIRROR, "cereal.csv").is_file(),
    reason=f"needs the offline data mirror: set {data.ENV_DATA_DIR} (CI sets it to ../shared/data)",
)

ROOT = Path(__file__).resolve().parent.parent


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(tmp_path):
    """An HTTP server on 127.0.0.1 serving the folder ``root`` (initially empty)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """No mirror, an empty cache in a temporary folder, short timeouts."""
    monkeypatch.delenv(data.ENV_DATA_DIR, raising=False)
    monkeypatch.delenv(data.ENV_DATA_URL, raising=False)
    cache = tmp_path / "cache"
    monkeypatch.setenv(data.ENV_CACHE_DIR, str(cache))
    monkeypatch.setenv(data.ENV_TIMEOUT, "3")
    return cache


def _closed_port_url():
    # A port nobody listens on: connecting fails at once, as when offline.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _entry(name, urls, fallback=None):
    return dataclasses.replace(data.registry()[name], urls=tuple(urls), fallback=fallback)


def _copy_from_mirror(filename, folder):
    shutil.copy(Path(MIRROR, filename), folder / filename)
    return folder / filename


def test_download_over_http_is_verified_and_cached(server, sandbox):
    root, base = server
    _copy_from_mirror("cereal.csv", root)
    entry = _entry("cereals", [f"{base}/cereal.csv"])
    path = data.dataset_path(entry, progressbar=False)
    assert path == sandbox / "cereal.csv"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256
    # Second time: served from the cache, even with the server's copy gone.
    (root / "cereal.csv").unlink()
    assert data.dataset_path(entry, progressbar=False) == path


def test_tampered_download_is_rejected_with_a_clear_message(server, sandbox):
    root, base = server
    tampered = _copy_from_mirror("cereal.csv", root)
    tampered.write_bytes(tampered.read_bytes().replace(b"100% Bran", b"100% Brant"))
    entry = _entry("cereals", [f"{base}/cereal.csv"])
    with pytest.raises(data.DatasetUnavailableError) as caught:
        data.dataset_path(entry, progressbar=False)
    message = str(caught.value)
    assert "80 Cereals" in message
    assert f"{base}/cereal.csv" in message
    assert "SHA-256 differs" in message and "discarded" in message
    assert not (sandbox / "cereal.csv").exists(), "a file that failed verification must not be kept"


def test_404_reports_the_url_and_uses_the_fallback_archive(server, sandbox):
    root, base = server
    archive = root / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(Path(MIRROR, "cereal.csv"), arcname="inner/cereal-copy.csv")
    fallback = data.Fallback(
        url=f"{base}/bundle.zip",
        sha256=hashlib.sha256(archive.read_bytes()).hexdigest(),
        member="inner/cereal-copy.csv",
    )
    entry = _entry("cereals", [f"{base}/missing/cereal.csv"], fallback)
    path = data.dataset_path(entry, progressbar=False)
    assert path == sandbox / "cereal.csv"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256
    assert sorted(p.name for p in sandbox.iterdir()) == ["cereal.csv"], "the archive is cleaned up"


def test_404_everywhere_names_every_url_and_the_fallback(server, sandbox):
    _, base = server
    fallback = data.Fallback(url=f"{base}/gone.zip", sha256="0" * 64, member="cereal.csv")
    entry = _entry("cereals", [f"{base}/a/cereal.csv", f"{base}/b/cereal.csv"], fallback)
    with pytest.raises(data.DatasetUnavailableError) as caught:
        data.dataset_path(entry, progressbar=False)
    message = str(caught.value)
    assert f"{base}/a/cereal.csv: the server answered HTTP 404" in message
    assert f"{base}/b/cereal.csv: the server answered HTTP 404" in message
    assert f"{base}/gone.zip: the server answered HTTP 404" in message and "[fallback archive]" in message


def test_fallback_archive_with_wrong_content_is_rejected(server, sandbox):
    root, base = server
    archive = root / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("cereal.csv", "name,calories\nNot the real file,1\n")
    fallback = data.Fallback(
        url=f"{base}/bundle.zip",
        sha256=hashlib.sha256(archive.read_bytes()).hexdigest(),
        member="cereal.csv",
    )
    entry = _entry("cereals", [f"{base}/missing.csv"], fallback)
    with pytest.raises(data.DatasetUnavailableError, match="archive's cereal.csv is not the expected file"):
        data.dataset_path(entry, progressbar=False)
    assert not (sandbox / "cereal.csv").exists()


def test_offline_with_empty_cache_says_what_to_do(sandbox):
    offline = _closed_port_url()
    entry = _entry("red_wine", [f"{offline}/winequality-red.csv"])
    with pytest.raises(data.DatasetUnavailableError) as caught:
        data.dataset_path(entry, progressbar=False)
    message = str(caught.value)
    assert "Wine Quality (red)" in message and "winequality-red.csv" in message
    assert f"{offline}/winequality-red.csv: could not connect" in message
    assert data.ENV_DATA_DIR in message
    assert data.FETCH_COMMAND in message
    assert isinstance(caught.value, data.LearnerError), "Jupyter shows it without a traceback"


def test_timeout_names_the_url(sandbox):
    # A server that accepts the connection but never answers.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/cereal.csv"
    try:
        with pytest.raises(data.DatasetUnavailableError, match="timed out"):
            data.dataset_path(_entry("cereals", [url]), progressbar=False)
    finally:
        listener.close()


def test_corrupted_cache_file_is_detected_and_replaced(server, sandbox):
    root, base = server
    _copy_from_mirror("ionosphere.data", root)
    sandbox.mkdir()
    (sandbox / "ionosphere.data").write_text("1,0,0.5,garbage\n")
    entry = _entry("ionosphere", [f"{base}/ionosphere.data"])
    path = data.dataset_path(entry, progressbar=False)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256


def test_corrupted_cache_file_is_not_used_when_offline(sandbox):
    sandbox.mkdir()
    (sandbox / "ionosphere.data").write_text("1,0,0.5,garbage\n")
    entry = _entry("ionosphere", [f"{_closed_port_url()}/ionosphere.data"])
    with pytest.raises(data.DatasetUnavailableError, match="cached copy was damaged"):
        data.dataset_path(entry, progressbar=False)
    assert not (sandbox / "ionosphere.data").exists()


def test_tampered_mirror_file_is_ignored_and_fetched_again(server, sandbox, tmp_path, monkeypatch):
    root, base = server
    mirror = tmp_path / "usb-stick"
    mirror.mkdir()
    (mirror / "cereal.csv").write_bytes(b"name,calories\nfake,1\n")
    monkeypatch.setenv(data.ENV_DATA_DIR, str(mirror))
    _copy_from_mirror("cereal.csv", root)
    path = data.dataset_path(_entry("cereals", [f"{base}/cereal.csv"]), progressbar=False)
    assert path == sandbox / "cereal.csv"
    assert hashlib.sha256(path.read_bytes()).hexdigest() == data.registry()["cereals"].sha256


def test_classroom_server_url_is_tried_first(server, sandbox, monkeypatch):
    root, base = server
    _copy_from_mirror("cereal.csv", root)
    monkeypatch.setenv(data.ENV_DATA_URL, base + "/")
    # The registry's own URLs are unreachable here; the classroom server is enough.
    entry = _entry("cereals", [f"{_closed_port_url()}/cereal.csv"])
    assert data.dataset_path(entry, progressbar=False) == sandbox / "cereal.csv"


def test_fetch_command_downloads_and_verifies_everything(server, sandbox):
    root, base = server
    for dataset in data.registry().values():
        _copy_from_mirror(dataset.file, root)
    env = {**os.environ, data.ENV_DATA_URL: base, data.ENV_CACHE_DIR: str(sandbox)}
    env.pop(data.ENV_DATA_DIR, None)
    result = subprocess.run(
        [sys.executable, "-m", "helpers.data", "fetch"],
        env=env, capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("verified, downloaded") == 7
    assert "All datasets verified." in result.stdout
    assert sorted(p.name for p in sandbox.iterdir()) == sorted(d.file for d in data.registry().values())


def test_fetch_command_fails_clearly_when_offline(sandbox):
    env = {**os.environ, data.ENV_DATA_URL: _closed_port_url(), data.ENV_CACHE_DIR: str(sandbox)}
    env.pop(data.ENV_DATA_DIR, None)
    # Make the registry's own URLs unreachable too, whatever network this machine has.
    env["HTTPS_PROXY"] = env["https_proxy"] = _closed_port_url()
    result = subprocess.run(
        [sys.executable, "-m", "helpers.data", "fetch", "--no-progress"],
        env=env, capture_output=True, text=True, timeout=300, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout.count("FAILED") == 7
    assert "Traceback" not in result.stdout + result.stderr
    assert "Some datasets are missing" in result.stdout
