"""The neuron-explorer lab works in a real JupyterLab, in a real browser.

Starts JupyterLab on 127.0.0.1 (a free port, a token, private runtime/config/settings
directories), opens ``notebooks/labs/01_neuron_explorer.ipynb`` in headless Chromium driven
by Playwright, runs all cells from the Run menu, waits for the lab widget, moves the ``w``
slider with the keyboard and checks that the displayed MAE text and the figure changed.
A screenshot is saved and its path printed (run pytest with ``-s`` to see it).

Needs Debian's Chromium at /usr/bin/chromium (``apt-get install -y chromium``) and the
``playwright`` Python package (no Playwright browser download). Skipped without Chromium.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
NOTEBOOK = "notebooks/labs/01_neuron_explorer.ipynb"
ARTIFACTS = REPO / "tests" / "browser" / "artifacts"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
]
SERVER_START_TIMEOUT = 90  # s, JupyterLab on a busy 2-core machine
RUN_ALL_TIMEOUT = 120_000  # ms, kernel start + imports + the lab's first draw
UPDATE_TIMEOUT = 30_000  # ms, one slider move round trip
KEY_PRESSES = 30  # slider steps to the right: w goes from 0 to 1.5

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install -y chromium)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """A JupyterLab server rooted at the repository; yields its base URL and token."""
    port, token = _free_port(), os.urandom(16).hex()
    env = dict(os.environ)
    for name in ("runtime", "config", "data"):
        (tmp_path / name).mkdir()
    env.update(
        JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"),
        JUPYTER_CONFIG_DIR=str(tmp_path / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "config" / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "config" / "lab-workspaces"),
        IPYTHONDIR=str(tmp_path / "ipython"),
        PYTHONUNBUFFERED="1",
    )
    # The kernel inherits this environment, including DLCOURSE_DATA_DIR when it is set: that is
    # where helpers.data finds the course data.
    # No "get notified about official Jupyter news?" prompt over the page.
    settings = tmp_path / "config" / "lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    log_path = tmp_path / "jupyterlab.log"
    command = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={REPO}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # CI containers often run as root
    with open(log_path, "wb") as log:
        # A new session, so that teardown can stop the server and the kernels it started.
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited early (code {server.returncode}):\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base_url}/api/status?token={token}", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s:\n"
                            f"{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base_url, token, log_path
    finally:
        _stop(server)


def _stop(server: subprocess.Popen) -> None:
    """Stop the server (it shuts its kernels down), then kill anything of it still running."""
    try:
        import psutil

        descendants = psutil.Process(server.pid).children(recursive=True)
    except Exception:  # psutil missing, or the server already gone
        descendants = []
    if server.poll() is None:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(server.pid, signal.SIGKILL)  # whatever is left in the server's session
    except ProcessLookupError:
        pass
    server.wait(timeout=15)
    for process in descendants:  # kernels run in sessions of their own
        try:
            process.kill()
        except Exception:
            pass


def test_neuron_explorer_slider_updates_in_jupyterlab(jupyterlab, tmp_path):
    playwright_api = pytest.importorskip("playwright.sync_api")
    notebook_path = REPO / NOTEBOOK
    assert notebook_path.exists(), f"{NOTEBOOK} is missing: run scripts/build_notebooks.py first"
    base_url, token, log_path = jupyterlab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("# Screenshots from tests/test_browser.py; never committed.\n*\n")
    screenshot_before = ARTIFACTS / "01_neuron_explorer_before.png"
    screenshot_after = ARTIFACTS / "01_neuron_explorer_after.png"
    started = time.monotonic()

    with playwright_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data_dir=str(tmp_path / "chromium-profile"),  # fresh profile every run
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 1000},
            timeout=60_000,
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(60_000)
            page.goto(f"{base_url}/lab/tree/{NOTEBOOK}?reset&token={token}", wait_until="domcontentloaded")

            # Wait until the notebook is open (cells queued before the kernel is ready simply wait).
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
            # JupyterLab may ask which kernel to start: accept its choice, Python 3 (ipykernel).
            try:
                page.locator(".jp-Dialog .jp-Dialog-button.jp-mod-accept").click(timeout=15_000)
            except playwright_api.TimeoutError:
                pass  # no dialog: the kernel started by itself

            # Run > Run All Cells, the way a learner would.
            page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()

            # The lab: a widget with two sliders, an image and the MAE read-out.
            readout = page.locator(".jp-OutputArea-output .widget-html-content", has_text="mean absolute error")
            # "attached", not "visible": JupyterLab may not paint cells scrolled out of view.
            readout.first.wait_for(state="attached", timeout=RUN_ALL_TIMEOUT)
            lab_box = page.locator(".jp-OutputArea-output .widget-vbox",
                                   has=page.locator(".widget-html-content", has_text="mean absolute error")).first
            image = lab_box.locator("img").first
            image.wait_for(state="attached")
            sliders = lab_box.locator(".widget-slider")
            assert sliders.count() == 2, f"expected the w and b sliders, found {sliders.count()}"
            # The notebook is not shown as text: no widget text repr like "NeuronExplorer(...)".
            assert page.locator(".jp-OutputArea-output pre", has_text="NeuronExplorer(").count() == 0

            lab_box.scroll_into_view_if_needed()
            text_before = readout.first.inner_text()
            src_before = image.get_attribute("src")
            page.screenshot(path=str(screenshot_before))
            w_value = sliders.first.locator(".widget-readout")
            w_before = w_value.inner_text()

            # Move w with the keyboard on the slider handle, like a learner with arrow keys.
            handle = sliders.first.locator(".noUi-handle")
            handle.click()
            for _ in range(KEY_PRESSES):
                handle.press("ArrowRight")
            page.wait_for_function(
                "([element, before]) => element.innerText !== before",
                arg=[readout.first.element_handle(), text_before],
                timeout=UPDATE_TIMEOUT,
            )
            # Let the last keypresses reach the kernel and come back.
            page.wait_for_timeout(1500)
            text_after = readout.first.inner_text()
            src_after = image.get_attribute("src")
            w_after = w_value.inner_text()
            lab_box.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot_after))
            lab_box.screenshot(path=str(ARTIFACTS / "01_neuron_explorer_widget.png"))
        except Exception:
            failure = ARTIFACTS / "01_neuron_explorer_failure.png"
            page.screenshot(path=str(failure))
            print(f"\nscreenshot at failure: {failure}\nJupyterLab log: {log_path}")
            raise
        finally:
            context.close()

    elapsed = time.monotonic() - started
    print(f"\nscreenshots: {screenshot_before} and {screenshot_after}\n"
          f"browser part took {elapsed:.1f} s; JupyterLab log: {log_path}")
    print(f"w: {w_before} -> {w_after}\nbefore: {text_before}\nafter:  {text_after}")

    assert float(w_after) > float(w_before), f"the w slider did not move ({w_before} -> {w_after})"
    assert text_after != text_before
    assert src_after and src_after != src_before, "the figure was not redrawn"
    # The read-out states the line and its MAE; the line's weight must be the slider's.
    assert f"{float(w_after):.2f} × sugars" in text_after, text_after
    mae_before = re.search(r"mean absolute error (\d+\.\d\d)", text_before)
    mae_after = re.search(r"mean absolute error (\d+\.\d\d)", text_after)
    assert mae_before and mae_after, (text_before, text_after)
    assert mae_after.group(1) != mae_before.group(1), "moving w did not change the displayed MAE"
