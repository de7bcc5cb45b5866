"""Memory a Binder learner uses: a JupyterLab server plus a lesson and its exercise, run to the end.

    python benchmarks/binder_memory.py                 # lesson 5 and its exercise (the heaviest pair)
    python benchmarks/binder_memory.py --lesson 6

mybinder.org stops a user's server above 2 GB. This starts ``jupyter lab`` as Binder does (with
binder/start's environment), loads the JupyterLab page once, has the server start two kernels
(its REST API) and runs every code cell of the lesson in one, then every code cell of the solved
exercise in the other (a learner who finished the exercise ran the same code) while the lesson's
kernel stays alive. Every 0.2 s it adds up the resident memory (RSS) of the server and its
kernels and reports the peak. RSS counts shared library pages once per process, so the sum
overstates what the container really holds; the proportional share (PSS), which counts each
shared page once, is reported next to it. MB here are MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.request import Request, urlopen

import nbformat
import psutil
from jupyter_client import BlockingKernelClient

ROOT = Path(__file__).resolve().parent.parent
BINDER_LIMIT_MB = 2048
MB = 1024 * 1024


def binder_environment(runtime_dir: str) -> dict[str, str]:
    """The environment binder/start gives the server (read from the script itself)."""
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=runtime_dir)  # where kernels' connection files go
    for line in (ROOT / "binder" / "start").read_text().splitlines():
        if line.startswith("export "):
            key, value = line.removeprefix("export ").split("=", 1)
            env[key] = value
    return env


class Sampler(threading.Thread):
    """Samples the RSS and PSS of a process tree every ``interval`` seconds; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.2):
        super().__init__(daemon=True)
        self.root, self.interval = psutil.Process(pid), interval
        self.peak_rss = self.peak_pss = 0.0
        self.peak_parts: dict[str, float] = {}
        self.stopped = threading.Event()

    def measure(self) -> tuple[float, float, dict[str, float]]:
        rss, pss, parts = 0.0, 0.0, {}
        for process in [self.root, *self.root.children(recursive=True)]:
            try:
                info = process.memory_full_info()
            except psutil.Error:
                continue
            rss, pss = rss + info.rss / MB, pss + getattr(info, "pss", info.rss) / MB
            parts["server" if process.pid == self.root.pid else f"kernel {process.pid}"] = info.rss / MB
        return rss, pss, parts

    def run(self):
        while not self.stopped.wait(self.interval):
            rss, pss, parts = self.measure()
            if rss > self.peak_rss:
                self.peak_rss, self.peak_parts = rss, parts
            self.peak_pss = max(self.peak_pss, pss)


def api(base: str, token: str, path: str, method: str = "GET", body: dict | None = None):
    data = json.dumps(body).encode() if body is not None else None
    request = Request(f"{base}{path}", data=data, method=method, headers={"Authorization": f"token {token}"})
    with urlopen(request, timeout=60) as response:
        text = response.read()
    return json.loads(text) if response.headers.get_content_type() == "application/json" else text


def run_notebook_in(connection_file: Path, notebook: Path) -> None:
    """Execute every code cell of ``notebook`` in the server's kernel, stopping at an error."""
    client = BlockingKernelClient(connection_file=str(connection_file))
    client.load_connection_file()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=120)
        cells = [c.source for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
        for number, code in enumerate(cells, 1):
            reply = client.execute_interactive(code, timeout=900, output_hook=lambda message: None)
            if reply["content"]["status"] != "ok":
                raise SystemExit(f"{notebook.name}, code cell {number} failed: "
                                 f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")
    finally:
        client.stop_channels()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lesson", type=int, default=5, help="lesson number (default 5, the heaviest)")
    args = parser.parse_args(argv)

    lesson = next((ROOT / "notebooks").glob(f"{args.lesson:02d}_*.ipynb"))
    exercise = next((ROOT / "notebooks" / "solutions").glob(f"{args.lesson:02d}_*.ipynb"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token, base, runtime_dir = secrets.token_hex(16), f"http://127.0.0.1:{port}", tempfile.mkdtemp()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}", "--ServerApp.allow_root=True"],
        env=binder_environment(runtime_dir), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    sampler = Sampler(server.pid)
    try:
        for _ in range(240):
            if server.poll() is not None:
                raise SystemExit(f"jupyter lab stopped:\n{server.stderr.read()[-3000:]}")
            try:
                api(base, token, "/api/status")
                break
            except OSError:
                time.sleep(0.5)
        # The server's log is not needed any more; keep its pipe from filling up.
        threading.Thread(target=server.stderr.read, daemon=True).start()
        api(base, token, "/lab")  # the page a learner loads
        sampler.start()
        started = time.perf_counter()
        kernels = [api(base, token, "/api/kernels", "POST", {"name": "python3"})["id"] for _ in range(2)]
        run_notebook_in(Path(runtime_dir) / f"kernel-{kernels[0]}.json", lesson)
        after_lesson = sampler.measure()[0]
        run_notebook_in(Path(runtime_dir) / f"kernel-{kernels[1]}.json", exercise)
        time.sleep(1)
        final_rss, final_pss, final_parts = sampler.measure()
        sampler.stopped.set()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(runtime_dir, ignore_errors=True)

    def parts(values: dict[str, float]) -> str:
        return ", ".join(f"{name} {mb:.0f}" for name, mb in values.items())

    print(f"JupyterLab server + 2 kernels: {lesson.name} and {exercise.name}, run to the end "
          f"in {time.perf_counter() - started:.0f} s")
    print(f"after the lesson (server + both kernels): {after_lesson:.0f} MB RSS")
    print(f"at the end: {final_rss:.0f} MB RSS ({parts(final_parts)}), {final_pss:.0f} MB PSS")
    print(f"peak: {sampler.peak_rss:.0f} MB RSS ({parts(sampler.peak_parts)}), "
          f"{sampler.peak_pss:.0f} MB PSS; Binder's limit is {BINDER_LIMIT_MB} MB")
    return 0 if sampler.peak_rss < BINDER_LIMIT_MB else 1


if __name__ == "__main__":
    sys.exit(main())
